# A Pima-style network on generated data (8 features, one binary label): the old
# 'uniform' and 'normal' initializer names, a Sequential started with model.add(Input(...)),
# and the result printed with model.metrics_names.
import numpy as np
from keras import Sequential, Input
from keras.layers import Dense
import keras

np.random.seed(7)
keras.utils.set_random_seed(7)

n = 768
X = np.random.normal(size=(n, 8))
score = X @ np.array([1.5, -1.0, 0.8, 0.0, 0.5, -0.7, 1.2, 0.3]) + 0.3 * np.random.normal(size=n)
Y = (score > 0).astype(int)

model = Sequential()
model.add(Input(shape=(8,)))
model.add(Dense(12, activation="relu", kernel_initializer="uniform"))
model.add(Dense(8, activation="relu", kernel_initializer="normal"))
model.add(Dense(1, activation="sigmoid", kernel_initializer="uniform"))

model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(X[:600], Y[:600], epochs=40, batch_size=10, verbose=0)

scores = model.evaluate(X[600:], Y[600:], verbose=0)
print("\n%s: %.2f%%" % (model.metrics_names[1], scores[1] * 100))

predictions = model.predict(X[600:], verbose=0)
rounded = [round(x[0]) for x in predictions]
print(rounded[:10])

assert len(scores) == 2
assert len(model.metrics_names) == 2
assert scores[1] > 0.9
