"""A time-series tutorial: a noisy sine wave cut into windows by tf.keras's TimeseriesGenerator,
an LSTM trained on the generator, then the next values predicted from the test windows."""
import numpy as np
import tensorflow as tf
from tensorflow.keras.preprocessing.sequence import TimeseriesGenerator

tf.keras.utils.set_random_seed(11)
steps = np.arange(600)
wave = np.sin(steps * 0.08) + np.random.default_rng(11).normal(0, 0.05, len(steps))
series = wave.reshape(-1, 1).astype("float32")
train, test = series[:480], series[480:]

window = 12
train_gen = TimeseriesGenerator(train, train, length=window, batch_size=32)
test_gen = TimeseriesGenerator(test, test, length=window, batch_size=32)
print("batches:", len(train_gen), "first batch:", train_gen[0][0].shape, train_gen[0][1].shape)

model = tf.keras.Sequential([
    tf.keras.Input(shape=(window, 1)),
    tf.keras.layers.LSTM(16),
    tf.keras.layers.Dense(1),
])
model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="mse")
history = model.fit(train_gen, epochs=25, validation_data=test_gen, verbose=0)
print("loss from", round(history.history["loss"][0], 4), "to",
      round(history.history["loss"][-1], 4))

predicted = model.predict(test_gen, verbose=0)
actual = np.concatenate([test_gen[i][1] for i in range(len(test_gen))])
mse = float(np.mean((predicted - actual) ** 2))
print(f"test mse {mse:.4f} over {len(actual)} windows")
assert predicted.shape == actual.shape == (len(test) - window, 1)
assert mse < 0.03, mse
