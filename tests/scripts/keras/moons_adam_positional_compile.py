# Two moons: Adam object passed positionally to compile together with the loss,
# print(model.summary()), and evaluate() unpacked.
import numpy as np
import tensorflow as tf
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense
from tensorflow.keras.optimizers import Adam
from sklearn.datasets import make_moons
from sklearn.model_selection import train_test_split

np.random.seed(0)
tf.random.set_seed(0)

x, y = make_moons(n_samples=1000, noise=0.1, random_state=0)
print(x[0:5])
print(y[0:5])

x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.3, random_state=42)

model = Sequential()
model.add(Dense(16, input_shape=(2,), activation="relu"))
model.add(Dense(16, activation="relu"))
model.add(Dense(1, activation="sigmoid"))
model.compile(Adam(learning_rate=0.01), "binary_crossentropy", metrics=["accuracy"])
print(model.summary())

model.fit(x_train, y_train, epochs=40, verbose=0)

loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print("Loss:", loss, "Accuracy:", accuracy)

assert accuracy > 0.95
assert loss < 0.2
