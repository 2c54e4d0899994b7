# Diabetes regression with relu layers, mse loss and mae metric; the R2 score comes from
# scikit-learn on the predictions.
import numpy as np
import tensorflow as tf
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.metrics import r2_score
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense

tf.random.set_seed(7)

datasets = load_diabetes()
x = datasets.data    # (442, 10), already centred and scaled
y = datasets.target  # (442,)

x_train, x_test, y_train, y_test = train_test_split(x, y, train_size=0.8, shuffle=True,
                                                    random_state=66)

model = Sequential()
model.add(Dense(64, input_dim=10, activation="relu"))
model.add(Dense(32, activation="relu"))
model.add(Dense(1))

model.compile(loss="mse", optimizer=tf.keras.optimizers.Adam(learning_rate=0.01),
              metrics=["mae"])
model.fit(x_train, y_train, epochs=100, batch_size=32, validation_split=0.2, verbose=0)

loss, mae = model.evaluate(x_test, y_test, verbose=0)
print("loss (mse):", loss, "mae:", mae)

y_predict = model.predict(x_test, verbose=0)
print(y_predict.shape)
r2 = r2_score(y_test, y_predict)
print("R2:", r2)

assert y_predict.shape == (len(x_test), 1)
assert mae < 55
assert r2 > 0.3
