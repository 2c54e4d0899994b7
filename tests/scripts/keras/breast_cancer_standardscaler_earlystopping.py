# Breast cancer: StandardScaler, a validation split, and early stopping with
# restore_best_weights; the summary is printed with print(model.summary()).
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense
from tensorflow.keras.callbacks import EarlyStopping
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
import tensorflow as tf

tf.random.set_seed(87)

data = load_breast_cancer()
X = data.data
y = data.target

scaler = StandardScaler()
X_scaled = scaler.fit_transform(X)
X_train, X_test, Y_train, Y_test = train_test_split(X_scaled, y, test_size=0.25, random_state=87)

model = Sequential()
model.add(Dense(20, input_dim=X_train.shape[1], activation="relu"))
model.add(Dense(16, activation="relu"))
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
print(model.summary())

es = EarlyStopping(monitor="val_loss", mode="min", patience=5, verbose=1,
                   restore_best_weights=True)
history = model.fit(X_train, Y_train, epochs=200, batch_size=16, validation_split=0.2,
                    callbacks=[es], verbose=0)
print("epochs trained:", len(history.history["loss"]))

loss, accuracy = model.evaluate(X_test, Y_test, verbose=0)
print(f"Test Accuracy: {accuracy*100:.2f}%")

assert len(history.history["loss"]) < 200
assert accuracy > 0.93
