# XOR: Dense layers followed by separate Activation layers, plain SGD with momentum,
# one sample per batch.
import numpy as np
import tensorflow as tf
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, Activation
from tensorflow.keras.optimizers import SGD

np.random.seed(3)
tf.random.set_seed(3)

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
y = np.array([[0], [1], [1], [0]])

model = Sequential()
model.add(Dense(8, input_dim=2))
model.add(Activation("tanh"))
model.add(Dense(1))
model.add(Activation("sigmoid"))

sgd = SGD(learning_rate=0.1, momentum=0.9)
model.compile(loss="binary_crossentropy", optimizer=sgd, metrics=["accuracy"])

history = model.fit(X, y, batch_size=1, epochs=300, verbose=0)

print(model.predict(X, verbose=0))
scores = model.evaluate(X, y, verbose=0)
print("loss and accuracy:", scores)

assert len(history.history["loss"]) == 300
assert scores[1] == 1.0
assert scores[0] < 0.2
