# Random sequences, two recurrent models: an LSTM that returns every step feeding a GRU reads
# 12-step sequences of 2 features and says whether the first feature's running total ends
# above the second's; a SimpleRNN regression predicts the sum of a sequence. Both on data
# drawn with NumPy, as the recurrent examples of the Keras guides do.
import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(6)
rng = np.random.default_rng(6)

sequences = rng.normal(size=(1200, 12, 2)).astype("float32")
labels = (sequences[:, :, 0].sum(axis=1) > sequences[:, :, 1].sum(axis=1)).astype("int32")

classifier = keras.Sequential([
    keras.Input(shape=(12, 2)),
    layers.LSTM(16, return_sequences=True),
    layers.GRU(8),
    layers.Dense(1, activation="sigmoid"),
])
classifier.summary()
classifier.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01),
                   loss="binary_crossentropy", metrics=["accuracy"])
history = classifier.fit(sequences[:1000], labels[:1000], validation_split=0.1, epochs=15,
                         batch_size=32, verbose=0)
loss, accuracy = classifier.evaluate(sequences[1000:], labels[1000:], verbose=0)
print(f"LSTM+GRU: test accuracy {accuracy:.3f}")

steps = rng.uniform(-1, 1, size=(800, 8, 1)).astype("float32")
totals = steps.sum(axis=1)
regressor = keras.Sequential([keras.Input(shape=(8, 1)), layers.SimpleRNN(16),
                              layers.Dense(1)])
regressor.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse",
                  metrics=["mae"])
fit = regressor.fit(steps, totals, epochs=25, batch_size=32, verbose=0)
print(f"SimpleRNN: loss from {fit.history['loss'][0]:.3f} to {fit.history['loss'][-1]:.4f}")

assert [layer.count_params() for layer in classifier.layers] == [1216, 624, 9]
assert accuracy > 0.9
assert fit.history["loss"][-1] < 0.05
