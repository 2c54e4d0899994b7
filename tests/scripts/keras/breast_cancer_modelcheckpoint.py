# Keep the best model seen during training with ModelCheckpoint(save_best_only=True)
# in a .keras file, then load it back with load_model and check it.
import numpy as np
import keras
from keras.models import Sequential, load_model
from keras.layers import Dense
from keras.callbacks import ModelCheckpoint, EarlyStopping
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler

keras.utils.set_random_seed(45)

datasets = load_breast_cancer()
x = datasets.data
y = datasets.target
x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=45)

scaler = MinMaxScaler()
scaler.fit(x_train)
x_train = scaler.transform(x_train)
x_test = scaler.transform(x_test)

model = Sequential()
model.add(Dense(64, activation="relu", input_shape=(30,)))
model.add(Dense(32, activation="relu"))
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["acc"])

cp = ModelCheckpoint(filepath="best_model.keras", monitor="val_loss", save_best_only=True,
                     mode="auto", verbose=1)
es = EarlyStopping(monitor="val_loss", patience=10, mode="auto")
hist = model.fit(x_train, y_train, epochs=100, batch_size=16, validation_split=0.2,
                 verbose=2, callbacks=[es, cp])

loss, acc = model.evaluate(x_test, y_test, verbose=0)
print("loss :", loss)
print("acc :", acc)

best = load_model("best_model.keras")
best_loss, best_acc = best.evaluate(x_test, y_test, verbose=0)
print("best checkpoint -> loss:", best_loss, "acc:", best_acc)

assert "acc" in hist.history and "val_acc" in hist.history
assert best_acc > 0.9
assert acc > 0.9
assert best.predict(x_test[:3], verbose=0).shape == (3, 1)
