# Iris with integer labels and sparse categorical cross-entropy; the first layer is given
# no input shape, so the model is built by the first call to fit.
import numpy as np
import tensorflow as tf
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense
from sklearn import datasets
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

np.random.seed(0)
tf.random.set_seed(0)

iris = datasets.load_iris()
X = iris.data
y = iris.target

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0,
                                                    stratify=y)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

model = Sequential()
model.add(Dense(16, activation="relu"))
model.add(Dense(16, activation="relu"))
model.add(Dense(3, activation="softmax"))

model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
history = model.fit(X_train, y_train, epochs=80, batch_size=8, validation_split=0.1, verbose=0)

print("training accuracy:", history.history["accuracy"][-1])
print("validation accuracy:", history.history["val_accuracy"][-1])

test_loss, test_acc = model.evaluate(X_test, y_test, verbose=2)
print("Test accuracy:", test_acc)

probs = model.predict(X_test, verbose=0)
print("probabilities sum to one:", np.allclose(probs.sum(axis=1), 1.0, atol=1e-5))

assert probs.shape == (45, 3)
assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-4)
assert len(history.history["val_loss"]) == 80
assert history.history["accuracy"][-1] > 0.9
assert test_acc >= 0.88
