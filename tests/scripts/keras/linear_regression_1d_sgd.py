# Learning y = 2x + 1 from a 1-D array of x values with a single Dense unit; the
# learned weight and bias are read back with get_weights.
import numpy as np
from tensorflow import keras
from keras.layers import Dense

np.random.seed(0)
keras.utils.set_random_seed(0)

x = np.linspace(-2, 2, 50)
y = 2 * x + 1 + np.random.normal(0, 0.05, size=50)
print(x.shape, y.shape)  # both 1-D

model = keras.models.Sequential()
model.add(Dense(1, input_shape=(1,)))
model.compile("SGD", "mse")

model.fit(x, y, epochs=100, batch_size=10, verbose=0)

print("Targets:    ", np.round(y[:5], 2))
print("Predictions:", model.predict(x[:5], verbose=0).flatten())

w, b = model.get_weights()
print("weight:", w, "bias:", b)

assert w.shape == (1, 1) and b.shape == (1,)
assert abs(w[0, 0] - 2) < 0.1
assert abs(b[0] - 1) < 0.1
assert model.predict(np.array([3.0]), verbose=0).shape == (1, 1)
