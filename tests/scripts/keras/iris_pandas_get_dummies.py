"""Iris kept in pandas: the features DataFrame goes straight into fit(), the target is
one-hot encoded with pd.get_dummies, and the model starts with an Input layer."""
import numpy as np
import pandas as pd
import keras
from keras.models import Sequential
from keras.layers import Dense, Input
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split

keras.utils.set_random_seed(21)

iris = load_iris(as_frame=True)
df = iris.frame
print(df.head())

features = df.drop(columns="target")
features = (features - features.mean()) / features.std()
target = pd.get_dummies(df["target"]).astype("float32")

X_train, X_test, y_train, y_test = train_test_split(features, target, test_size=0.2,
                                                    random_state=21)
print(type(X_train), X_train.shape, type(y_train), y_train.shape)

model = Sequential([
    Input(shape=(4,)),
    Dense(12, activation="relu"),
    Dense(8, activation="relu"),
    Dense(3, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(X_train, y_train, epochs=100, batch_size=8, verbose=0)

pred = model.predict(X_test, verbose=0)
pred_class = pred.argmax(axis=1)
true_class = y_test.values.argmax(axis=1)
accuracy = (pred_class == true_class).mean()
print("accuracy on the test rows:", accuracy)

assert isinstance(pred, np.ndarray)
assert pred.shape == (30, 3)
assert accuracy >= 0.9
