# XOR the TensorFlow way: tf.keras.Sequential with an Input, a printed summary,
# and training with the progress bar on (verbose=True).
import numpy as np
import tensorflow as tf

tf.random.set_seed(5)
np.random.seed(5)

inputs = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
targets = np.array([[0.0], [1.0], [1.0], [0.0]])

model = tf.keras.Sequential([
    tf.keras.Input(shape=(2,)),
    tf.keras.layers.Dense(10, activation="tanh"),
    tf.keras.layers.Dense(1, activation="sigmoid"),
])
model.summary()

model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.05),
              loss="binary_crossentropy", metrics=["accuracy"])
history = model.fit(inputs, targets, epochs=150, verbose=True)

print("first loss:", history.history["loss"][0])
print("last loss:", history.history["loss"][-1])
for x, p in zip(inputs, model.predict(inputs)):
    print(x, "->", float(p[0]))

result = model.evaluate(inputs, targets)
print(result)
assert result[1] == 1.0
assert history.history["loss"][-1] < 0.1
