# An overfitting-prone wide network on a few noisy moons, kept in check with an L2 weight
# penalty; the training and validation accuracy are read from the history.
import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Dense
from keras.regularizers import l2
from sklearn.datasets import make_moons

keras.utils.set_random_seed(4)

X, Y = make_moons(n_samples=200, noise=0.2, random_state=1)
n_train = 60
trainX, testX = X[:n_train, :], X[n_train:]
trainY, testY = Y[:n_train], Y[n_train:]

model = Sequential()
model.add(Dense(200, input_dim=2, activation="relu", kernel_regularizer=l2(0.001)))
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
history = model.fit(trainX, trainY, validation_data=(testX, testY), epochs=300, verbose=0)

train_acc = history.history["accuracy"][-1]
test_acc = history.history["val_accuracy"][-1]
print("Train: %.3f, Test: %.3f" % (train_acc, test_acc))

_, evaluated = model.evaluate(testX, testY, verbose=0)

if False:  # plotting is left out when run as a test
    from matplotlib import pyplot
    pyplot.plot(history.history["accuracy"], label="train")
    pyplot.plot(history.history["val_accuracy"], label="test")
    pyplot.legend()
    pyplot.show()

assert abs(evaluated - test_acc) < 1e-6
assert train_acc > 0.85
assert test_acc > 0.8
