# Multi-class softmax classification on generated data (uniform random features, a label
# from a fixed random linear rule), one-hot with num_classes, Dropout, SGD with Nesterov.
import numpy as np
import tensorflow as tf
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, Dropout
from tensorflow.keras.optimizers import SGD
from tensorflow.keras.utils import to_categorical

np.random.seed(1337)
tf.random.set_seed(1337)

rule = np.random.randn(20, 4)
x_train = np.random.random((1000, 20))
y_train = to_categorical(np.argmax((x_train - 0.5) @ rule, axis=1), num_classes=4)
x_test = np.random.random((200, 20))
y_test = to_categorical(np.argmax((x_test - 0.5) @ rule, axis=1), num_classes=4)

model = Sequential()
model.add(Dense(64, activation="relu", input_dim=20))
model.add(Dropout(0.1))
model.add(Dense(64, activation="relu"))
model.add(Dropout(0.1))
model.add(Dense(4, activation="softmax"))

sgd = SGD(learning_rate=0.05, momentum=0.9, nesterov=True)
model.compile(loss="categorical_crossentropy", optimizer=sgd, metrics=["accuracy"])
model.fit(x_train, y_train, epochs=40, batch_size=32, verbose=0)
score = model.evaluate(x_test, y_test, batch_size=128, verbose=0)
print("test loss and accuracy:", score)

assert y_train.shape == (1000, 4)
assert score[1] > 0.85
