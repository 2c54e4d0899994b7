# Iris with one-hot targets and an EarlyStopping callback that watches the validation
# loss and restores the best weights.
import numpy as np
import tensorflow as tf
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense
from tensorflow.keras.utils import to_categorical
from tensorflow.keras.callbacks import EarlyStopping
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

tf.random.set_seed(42)
np.random.seed(42)

data = load_iris()
X, y = data.data, data.target
y_onehot = to_categorical(y, num_classes=3)

X_train, X_test, y_train, y_test = train_test_split(X, y_onehot, test_size=0.25,
                                                    random_state=1, stratify=y)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)

model = Sequential([
    Dense(32, activation="relu", input_shape=(4,)),
    Dense(16, activation="relu"),
    Dense(3, activation="softmax"),
])
model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.01),
              loss="categorical_crossentropy", metrics=["accuracy"])

early_stop = EarlyStopping(monitor="val_loss", patience=20, restore_best_weights=True)
history = model.fit(X_train, y_train, epochs=300, batch_size=16, validation_split=0.2,
                    callbacks=[early_stop], verbose=0)

epochs_run = len(history.history["loss"])
print("stopped after", epochs_run, "epochs")
best = min(history.history["val_loss"])
print("best validation loss:", best)

test_loss, test_acc = model.evaluate(X_test, y_test, verbose=0)
print(f"Test accuracy: {test_acc:.4f}")
print(f"Test loss: {test_loss:.4f}")

y_pred = np.argmax(model.predict(X_test, verbose=0), axis=1)
y_true = np.argmax(y_test, axis=1)

assert epochs_run <= 300
assert test_acc > 0.9
assert (y_pred == y_true).mean() > 0.9
