# Circles with a small sigmoid hidden layer, fit called with keyword x=/y=, a progress bar
# (verbose=1) and shuffle given as the string 'true', as some tutorials write it.
import numpy as np
from sklearn import datasets
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense
from tensorflow.keras.optimizers import Adam

np.random.seed(0)
n_pts = 500
X, y = datasets.make_circles(n_samples=n_pts, random_state=123, noise=0.1, factor=0.2)

model = Sequential()
model.add(Dense(4, input_shape=(2,), activation="sigmoid"))
model.add(Dense(1, activation="sigmoid"))
model.compile(Adam(learning_rate=0.05), "binary_crossentropy", metrics=["accuracy"])
h = model.fit(x=X, y=y, verbose=1, batch_size=20, epochs=40, shuffle="true")

print("accuracy per epoch:", np.round(h.history["accuracy"], 3))

point = np.array([[0.1, 0.05]])
prediction = model.predict(point)
print("inner point ->", prediction)

assert h.history["accuracy"][-1] > 0.9
assert prediction.shape == (1, 1)
assert prediction[0, 0] > 0.5
