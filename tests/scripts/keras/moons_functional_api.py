"""Two moons with the functional API in Keras 3 style (`import keras`, `from keras import
layers`), predictions thresholded at 0.5 and compared with scikit-learn's accuracy_score."""
import numpy as np
import keras
from keras import layers
from sklearn.datasets import make_moons
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(1234)

X, y = make_moons(n_samples=600, noise=0.2, random_state=3)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=3)

inputs = keras.Input(shape=(2,))
hidden = layers.Dense(32, activation="relu")(inputs)
hidden = layers.Dense(32, activation="relu")(hidden)
outputs = layers.Dense(1, activation="sigmoid")(hidden)
model = keras.Model(inputs, outputs)

model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.005),
              loss=keras.losses.BinaryCrossentropy(),
              metrics=[keras.metrics.BinaryAccuracy(name="acc")])
history = model.fit(X_train, y_train, batch_size=32, epochs=60, verbose=0)
print("history keys:", list(history.history.keys()))

y_pred = (model.predict(X_test, verbose=0) > 0.5).astype(int).ravel()
acc = accuracy_score(y_test, y_pred)
print("test accuracy:", acc)

assert "acc" in history.history
assert history.history["acc"][-1] > 0.9
assert acc > 0.9
