# The classic first TensorFlow model: learn Celsius -> Fahrenheit with one neuron.
import numpy as np
import tensorflow as tf
import logging

logger = logging.getLogger()
logger.setLevel(logging.ERROR)

tf.random.set_seed(0)

celsius_q = np.array([-40, -10, 0, 8, 15, 22, 38], dtype=float)
fahrenheit_a = np.array([-40, 14, 32, 46, 59, 72, 100], dtype=float)

for i, c in enumerate(celsius_q):
    print("{} degrees Celsius = {} degrees Fahrenheit".format(c, fahrenheit_a[i]))

l0 = tf.keras.layers.Dense(units=1, input_shape=[1])
model = tf.keras.Sequential([l0])
model.compile(loss="mean_squared_error", optimizer=tf.keras.optimizers.Adam(0.1))

history = model.fit(celsius_q, fahrenheit_a, epochs=500, verbose=False)
print("Finished training the model")

answer = model.predict(np.array([100.0]), verbose=0)
print(answer)
print("These are the layer variables: {}".format(l0.get_weights()))

weights, bias = l0.get_weights()
assert history.history["loss"][-1] < history.history["loss"][0] / 50
assert abs(answer[0][0] - 212) < 5
assert abs(weights[0][0] - 1.8) < 0.05
assert abs(bias[0] - 32) < 5
