# A small residual block in the functional API: two Dense branches added together with
# layers.Add, trained on make_regression.
import numpy as np
import keras
from keras import layers
from sklearn.datasets import make_regression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

keras.utils.set_random_seed(8)

X, y = make_regression(n_samples=800, n_features=6, n_informative=4, noise=5.0, random_state=8)
X = StandardScaler().fit_transform(X)
y = (y - y.mean()) / y.std()
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=8)

inputs = keras.Input(shape=(6,))
h = layers.Dense(32, activation="relu")(inputs)
skip = layers.Dense(32)(inputs)
h = layers.Add()([h, skip])
h = layers.Activation("relu")(h)
outputs = layers.Dense(1)(h)
model = keras.Model(inputs=inputs, outputs=outputs)

model.compile(optimizer="adam", loss="mse", metrics=["mae"])
model.fit(X_train, y_train, epochs=40, batch_size=32, validation_split=0.2, verbose=0)
mse, mae = model.evaluate(X_test, y_test, verbose=0)
print("test mse:", mse, "test mae:", mae)

assert [type(layer).__name__ for layer in model.layers].count("Add") == 1
assert mse < 0.05
