# scikit-learn's 8x8 digit images kept as 2-D images; Flatten turns them into vectors.
import numpy as np
import tensorflow as tf
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

tf.random.set_seed(42)

digits = load_digits()
images = digits.images / 16.0   # (1797, 8, 8), scaled to [0, 1]
labels = digits.target
print(images.shape, labels.shape)

X_train, X_test, y_train, y_test = train_test_split(images, labels, test_size=0.2,
                                                    random_state=42)

model = tf.keras.models.Sequential([
    tf.keras.layers.Flatten(input_shape=(8, 8)),
    tf.keras.layers.Dense(64, activation="relu"),
    tf.keras.layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(X_train, y_train, epochs=20, batch_size=32, verbose=0)

test_loss, test_acc = model.evaluate(X_test, y_test, verbose=0)
print("Test accuracy:", test_acc)

predictions = model.predict(X_test, verbose=0)
print("first prediction:", np.argmax(predictions[0]), "label:", y_test[0])

assert model.output_shape == (None, 10)
assert predictions.shape == (len(X_test), 10)
assert test_acc > 0.94
