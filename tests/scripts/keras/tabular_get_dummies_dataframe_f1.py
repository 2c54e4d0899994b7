"""A Kaggle-style tabular notebook: a CSV read with pandas, a text column label-encoded, the
categorical ones one-hot encoded with get_dummies (bool columns beside the numbers), and the
DataFrame itself given to fit, with an F1 score and early stopping."""
import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import LabelEncoder

import keras
from keras import layers

keras.utils.set_random_seed(3)

# a passenger-like table written to disk first, as the notebook reads its CSV
rng = np.random.default_rng(3)
n = 600
table = pd.DataFrame({
    "PassengerId": np.arange(1, n + 1),
    "Sex": rng.choice(["male", "female"], n),
    "Pclass": rng.integers(1, 4, n),
    "Port": rng.choice(["S", "C", "Q"], n, p=[0.6, 0.25, 0.15]),
    "Age": rng.uniform(1, 70, n).round(),
    "Fare": rng.gamma(2.0, 15.0, n).round(2),
})
score = (table["Sex"] == "female") * 2.0 - (table["Pclass"] - 2) * 1.2 + (table["Age"] < 12) \
    + rng.normal(0, 0.5, n)
table["Survived"] = (score > 0.8).astype(int)
table.to_csv("passengers.csv", index=False)

df = pd.read_csv("passengers.csv")
df = df.drop(["PassengerId"], axis=1)
df["Sex"] = LabelEncoder().fit_transform(df["Sex"])
df = pd.get_dummies(df, columns=["Pclass", "Port"])
df["Age"] = df["Age"] / df["Age"].max()
df["Fare"] = df["Fare"] / df["Fare"].max()
print(df.dtypes.value_counts())
assert df.to_numpy().dtype == object  # what fit is given: bool columns beside numbers

X = df.drop("Survived", axis=1)
y = df["Survived"].to_numpy().reshape(-1, 1)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)

model = keras.Sequential([
    keras.Input(shape=(X_train.shape[1],)),
    layers.Dense(16, activation="relu"),
    layers.Dense(8, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy",
              metrics=["accuracy", keras.metrics.F1Score(threshold=0.5)])
stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, restore_best_weights=True)
history = model.fit(X_train, y_train, validation_split=0.2, epochs=150, batch_size=16,
                    callbacks=[stop], verbose=0)
print("epochs run:", len(history.history["loss"]))

loss, accuracy, f1 = model.evaluate(X_test, y_test, verbose=0)
print(f"test loss {loss:.3f}, accuracy {accuracy:.3f}, F1 {float(np.mean(f1)):.3f}")
predicted = (model.predict(X_test, verbose=0) > 0.5).astype(int)
print(confusion_matrix(y_test, predicted))
assert accuracy > 0.8, accuracy
assert float(np.mean(f1)) > 0.7, f1
