# Breast cancer data with BatchNormalization and Dropout between the Dense layers.
import numpy as np
import tensorflow as tf
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, Dropout, BatchNormalization
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

tf.random.set_seed(8)
np.random.seed(8)

data = load_breast_cancer()
X, y = data.data, data.target
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=8)

scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

model = Sequential()
model.add(Dense(64, activation="relu", input_shape=(X_train.shape[1],)))
model.add(BatchNormalization())
model.add(Dropout(0.3))
model.add(Dense(32, activation="relu"))
model.add(BatchNormalization())
model.add(Dropout(0.3))
model.add(Dense(1, activation="sigmoid"))

model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.summary()

history = model.fit(X_train, y_train, epochs=30, batch_size=32, validation_split=0.2,
                    verbose=0)

loss, acc = model.evaluate(X_test, y_test, verbose=0)
print("test accuracy: %.3f" % acc)

y_pred = (model.predict(X_test, verbose=0) > 0.5).astype("int32").flatten()
print("correct:", int((y_pred == y_test).sum()), "of", len(y_test))

n_weights = len(model.get_weights())
print("weight arrays:", n_weights)

assert n_weights == 14  # 3 Dense x (kernel, bias) + 2 BatchNorm x (gamma, beta, mean, variance)
assert acc > 0.93
assert (y_pred == y_test).mean() > 0.93
