"""A course notebook's first text model: short reviews numbered with tf.keras's Tokenizer (an
out-of-vocabulary token, num_words), padded with pad_sequences, and an Embedding averaged by
GlobalAveragePooling1D into a sigmoid."""
import numpy as np
import tensorflow as tf
from tensorflow.keras.preprocessing.sequence import pad_sequences
from tensorflow.keras.preprocessing.text import Tokenizer

tf.random.set_seed(5)
np.random.seed(5)

good = ["great", "lovely", "excellent", "fun", "wonderful", "brilliant", "enjoyable"]
bad = ["awful", "boring", "terrible", "dull", "poor", "dreadful", "tedious"]
filler = ["the", "film", "was", "really", "quite", "plot", "acting", "and", "a", "story"]
rng = np.random.default_rng(5)


def review(words):
    picked = list(rng.choice(filler, 4)) + list(rng.choice(words, 2))
    rng.shuffle(picked)
    return " ".join(picked).capitalize() + rng.choice([".", "!", "?"])


texts = [review(good) for _ in range(150)] + [review(bad) for _ in range(150)]
labels = np.array([1] * 150 + [0] * 150)
order = rng.permutation(len(texts))
texts, labels = [texts[i] for i in order], labels[order]
train_texts, test_texts = texts[:240], texts[240:]
train_labels, test_labels = labels[:240], labels[240:]

tokenizer = Tokenizer(num_words=30, oov_token="<OOV>")
tokenizer.fit_on_texts(train_texts)
print("vocabulary:", len(tokenizer.word_index), "first words:",
      list(tokenizer.word_index)[:5])
assert tokenizer.word_index["<OOV>"] == 1

train_padded = pad_sequences(tokenizer.texts_to_sequences(train_texts), maxlen=8,
                             padding="post", truncating="post")
test_padded = pad_sequences(tokenizer.texts_to_sequences(test_texts), maxlen=8,
                            padding="post", truncating="post")
print(train_texts[0], "->", train_padded[0])

model = tf.keras.Sequential([
    tf.keras.Input(shape=(8,)),
    tf.keras.layers.Embedding(30, 8),
    tf.keras.layers.GlobalAveragePooling1D(),
    tf.keras.layers.Dense(8, activation="relu"),
    tf.keras.layers.Dense(1, activation="sigmoid"),
])
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
model.summary()
history = model.fit(train_padded, train_labels, epochs=60,
                    validation_data=(test_padded, test_labels), verbose=2)

loss, accuracy = model.evaluate(test_padded, test_labels, verbose=0)
print(f"test accuracy {accuracy:.3f}")
new = pad_sequences(tokenizer.texts_to_sequences(["A wonderful story, great fun!",
                                                  "Dull plot and awful acting."]),
                    maxlen=8, padding="post")
print(model.predict(new, verbose=0).ravel())
assert accuracy > 0.9, accuracy
