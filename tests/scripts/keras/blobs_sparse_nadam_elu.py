# Four blobs with integer labels, elu hidden layers, the Nadam optimizer, and the test
# predictions turned into classes with np.argmax.
import numpy as np
import tensorflow as tf
from tensorflow.keras import Sequential
from tensorflow.keras.layers import Dense
from tensorflow.keras.optimizers import Nadam
from sklearn.datasets import make_blobs
from sklearn.model_selection import train_test_split

tf.random.set_seed(30)

centers = [[-5, 2], [-2, -2], [1, 2], [5, -2]]
X, y = make_blobs(n_samples=2000, centers=centers, cluster_std=1.0, random_state=30)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=30)

model = Sequential([
    Dense(25, activation="elu"),
    Dense(15, activation="elu"),
    Dense(4, activation="softmax"),
])
model.compile(loss=tf.keras.losses.SparseCategoricalCrossentropy(),
              optimizer=Nadam(learning_rate=0.002), metrics=["accuracy"])
model.fit(X_train, y_train, epochs=20, verbose=0)

prediction = model.predict(X_test, verbose=0)
classes = np.argmax(prediction, axis=1)
print("first predictions:", classes[:10])
print("first labels:     ", y_test[:10])
accuracy = np.mean(classes == y_test)
print("accuracy:", accuracy)

assert prediction.shape == (400, 4)
assert accuracy > 0.93
