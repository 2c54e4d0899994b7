"""XOR with a small Sequential model built with .add(), trained with Adam."""
import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Dense

keras.utils.set_random_seed(7)

# the four XOR cases and their answers
X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype="float32")
y = np.array([[0], [1], [1], [0]], dtype="float32")

model = Sequential()
model.add(Dense(16, input_dim=2, activation="tanh"))
model.add(Dense(1, activation="sigmoid"))

model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["binary_accuracy"])
history = model.fit(X, y, epochs=1500, verbose=0)
print("loss after training:", history.history["loss"][-1])

predictions = model.predict(X, verbose=0)
print(predictions)
print("rounded:", predictions.round().ravel())

loss, acc = model.evaluate(X, y, verbose=0)
print("loss = %.4f, binary accuracy = %.2f" % (loss, acc))

assert history.history["loss"][-1] < history.history["loss"][0]
assert acc == 1.0
assert (predictions.round() == y).all()
assert loss < 0.25
