# Digits as flat 64-value vectors with one-hot targets, BatchNormalization and Dropout,
# and a classification report from the argmax of the predictions.
import numpy as np
from sklearn.datasets import load_digits
from sklearn.metrics import classification_report
from sklearn.model_selection import train_test_split
from keras.models import Sequential
from keras.layers import Dense, Dropout, BatchNormalization, Activation
from keras.utils import to_categorical
import keras

keras.utils.set_random_seed(0)

digits = load_digits()
X = (digits.data / 16.0).astype(np.float32)
y = to_categorical(digits.target)

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)

model = Sequential()
model.add(Dense(128, input_shape=(64,)))
model.add(BatchNormalization())
model.add(Activation("relu"))
model.add(Dropout(0.25))
model.add(Dense(10, activation="softmax"))

model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(X_train, y_train, epochs=15, batch_size=32, validation_split=0.1, verbose=0)

predicts = np.argmax(model.predict(X_test, verbose=0), axis=1)
actual = np.argmax(y_test, axis=1)
print(classification_report(actual, predicts))

accuracy = (predicts == actual).mean()
assert accuracy > 0.94
