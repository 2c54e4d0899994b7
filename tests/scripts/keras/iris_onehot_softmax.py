"""Iris: one-hot labels with to_categorical, softmax output, categorical cross-entropy,
validation data passed to fit, and evaluate() unpacked into loss and accuracy."""
import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Dense
from keras.utils import to_categorical
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn import preprocessing

keras.utils.set_random_seed(1)

iris = load_iris()
X = preprocessing.scale(iris["data"])
Y = to_categorical(iris["target"])
print("one-hot labels:", Y.shape)

X_train, X_test, Y_train, Y_test = train_test_split(X, Y, test_size=0.2, random_state=0)

model = Sequential()
model.add(Dense(10, input_dim=4, activation="relu"))
model.add(Dense(3, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])

history = model.fit(X_train, Y_train, validation_data=(X_test, Y_test), epochs=100,
                    batch_size=10, verbose=0)

loss, accuracy = model.evaluate(X_test, Y_test, verbose=0)
print("test loss: %.3f  test accuracy: %.3f" % (loss, accuracy))

predicted = np.argmax(model.predict(X_test, verbose=0), axis=1)
actual = np.argmax(Y_test, axis=1)
print("predicted:", predicted)
print("actual:   ", actual)

assert Y.shape == (150, 3)
assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
assert accuracy > 0.85
assert (predicted == actual).mean() > 0.85
