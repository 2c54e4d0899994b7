# Wine with the functional API: Input/Dense/Model from tensorflow.keras, MinMaxScaler,
# to_categorical, and the metric asked for as 'acc'.
import numpy as np
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler
from tensorflow.keras.models import Model
from tensorflow.keras.layers import Dense, Input
from tensorflow.keras.utils import to_categorical
import tensorflow as tf

tf.random.set_seed(34)

datasets = load_wine()
x = datasets.data
y = datasets.target
print(x.shape, y.shape)  # (178, 13) (178,)

y = to_categorical(y)
x_train, x_test, y_train, y_test = train_test_split(x, y, train_size=0.8, random_state=34)

scaler = MinMaxScaler()
scaler.fit(x_train)
x_train = scaler.transform(x_train)
x_test = scaler.transform(x_test)

input1 = Input(shape=(x_train.shape[1],))
dense1 = Dense(64, activation="relu")(input1)
dense2 = Dense(32, activation="relu")(dense1)
output1 = Dense(3, activation="softmax")(dense2)
model = Model(inputs=input1, outputs=output1)

model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["acc"])
hist = model.fit(x_train, y_train, epochs=60, batch_size=8, validation_split=0.2, verbose=0)
print("last training accuracy:", hist.history["acc"][-1])

loss = model.evaluate(x_test, y_test, verbose=0)
print("loss : ", loss[0])
print("acc : ", loss[1])

y_pred = model.predict(x_test, verbose=0)
print(np.argmax(y_pred[:5], axis=1), np.argmax(y_test[:5], axis=1))

assert hist.history["acc"][-1] > 0.95
assert loss[1] > 0.9
