# Per-sample weights: two groups of points follow different lines; the second group gets a
# tiny weight, so the fitted line follows the first group.
import numpy as np
import tensorflow as tf
from tensorflow import keras

tf.random.set_seed(4)
np.random.seed(4)

x = np.random.uniform(-1, 1, size=(600, 1))
group = np.arange(600) % 2
y = np.where(group == 0, 3 * x[:, 0] + 1, -2 * x[:, 0])
sample_weight = np.where(group == 0, 1.0, 0.01)

model = keras.Sequential([keras.layers.Dense(1, input_shape=(1,))])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
model.fit(x, y, sample_weight=sample_weight, epochs=40, batch_size=32, verbose=0)

w, b = model.get_weights()
print("slope:", w.ravel(), "intercept:", b)

assert abs(w[0, 0] - 3) < 0.3
assert abs(b[0] - 1) < 0.2
