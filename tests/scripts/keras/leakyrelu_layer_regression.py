# LeakyReLU two ways: as a layer after a Dense without activation, and as the activation
# argument of a Dense layer; trained on a smooth regression problem.
import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Dense, LeakyReLU

keras.utils.set_random_seed(9)

rng = np.random.RandomState(9)
X = rng.uniform(-2, 2, size=(800, 2))
y = np.sin(X[:, 0]) + 0.5 * X[:, 1] ** 2
X_train, X_test, y_train, y_test = X[:600], X[600:], y[:600], y[600:]

model = Sequential()
model.add(Dense(64, input_dim=2))
model.add(LeakyReLU(alpha=0.05))
model.add(Dense(32, activation=LeakyReLU(negative_slope=0.1)))
model.add(Dense(1))

model.compile(optimizer="adam", loss="mse", metrics=["mae"])
model.fit(X_train, y_train, epochs=60, batch_size=32, verbose=0)

mse, mae = model.evaluate(X_test, y_test, verbose=0)
print("test mse:", mse, "test mae:", mae)
baseline = np.mean((y_test - y_train.mean()) ** 2)
print("mse of always predicting the mean:", baseline)

assert mse < 0.1 * baseline
