"""Counts regression with the Poisson loss: the output layer uses an exponential activation
so the predicted rate stays positive."""
import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(31)

rng = np.random.default_rng(31)
X = rng.uniform(-1, 1, size=(1500, 3)).astype("float32")
rate = np.exp(0.8 * X[:, 0] - 0.5 * X[:, 1] + 0.3 * X[:, 2] + 1.0)
y = rng.poisson(rate).astype("float32")
X_train, X_test, y_train, y_test, rate_test = X[:1200], X[1200:], y[:1200], y[1200:], rate[1200:]

model = keras.Sequential([
    keras.Input(shape=(3,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(1, activation="exponential"),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="poisson")
history = model.fit(X_train, y_train, epochs=30, batch_size=32, verbose=0)

predicted_rate = model.predict(X_test, verbose=0).ravel()
error = np.mean(np.abs(predicted_rate - rate_test))
print("mean absolute error of the predicted rate:", error)
print("mean count:", y_test.mean())

assert predicted_rate.min() > 0
assert history.history["loss"][-1] < history.history["loss"][0]
assert error < 0.4
