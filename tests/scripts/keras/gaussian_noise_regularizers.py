# GaussianNoise on the inputs and the three kinds of penalties (kernel, bias, activity),
# with l1, l2 and l1_l2 from tensorflow.keras.regularizers, on the wine data.
import numpy as np
import tensorflow as tf
from tensorflow.keras import Sequential, regularizers
from tensorflow.keras.layers import Dense, GaussianNoise
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

tf.random.set_seed(13)

X, y = load_wine(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y,
                                                    random_state=13)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

model = Sequential()
model.add(GaussianNoise(0.1, input_shape=(13,)))
model.add(Dense(32, activation="relu",
                kernel_regularizer=regularizers.l1_l2(l1=1e-5, l2=1e-4),
                bias_regularizer=regularizers.l2(1e-4),
                activity_regularizer=regularizers.l1(1e-5)))
model.add(Dense(3, activation="softmax", kernel_regularizer=regularizers.l2(0.01)))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

history = model.fit(X_train, y_train, epochs=60, batch_size=16, verbose=0)
loss, acc = model.evaluate(X_test, y_test, verbose=0)
print("test loss (with the penalties):", loss, "test accuracy:", acc)

# the reported loss includes the weight penalties, so it stays above the plain
# cross-entropy of the predictions
probs = model.predict(X_test, verbose=0)
cross_entropy = -np.mean(np.log(probs[np.arange(len(y_test)), y_test]))
print("plain cross-entropy:", cross_entropy)

assert loss > cross_entropy
assert acc > 0.9
