# The style of the Kaggle deep learning course: a BatchNormalization layer first, Dropout
# given as rate=, binary_accuracy, and the history turned into a DataFrame.
import pandas as pd
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras import callbacks
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
import tensorflow as tf

tf.random.set_seed(0)

X, y = load_breast_cancer(return_X_y=True, as_frame=True)
X_train, X_valid, y_train, y_valid = train_test_split(X, y, stratify=y, train_size=0.75,
                                                      random_state=0)
scaler = StandardScaler().fit(X_train)
X_train = pd.DataFrame(scaler.transform(X_train), columns=X.columns)
X_valid = pd.DataFrame(scaler.transform(X_valid), columns=X.columns)
input_shape = [X_train.shape[1]]

model = keras.Sequential([
    layers.BatchNormalization(input_shape=input_shape),
    layers.Dense(64, activation="relu"),
    layers.BatchNormalization(),
    layers.Dropout(rate=0.3),
    layers.Dense(64, activation="relu"),
    layers.BatchNormalization(),
    layers.Dropout(rate=0.3),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["binary_accuracy"])

early_stopping = callbacks.EarlyStopping(min_delta=0.001, patience=15,
                                         restore_best_weights=True)
history = model.fit(X_train, y_train, validation_data=(X_valid, y_valid), batch_size=64,
                    epochs=60, callbacks=[early_stopping], verbose=0)

history_df = pd.DataFrame(history.history)
print(history_df.loc[:, ["loss", "val_loss"]].tail())
print("Best Validation Loss: {:0.4f}".format(history_df["val_loss"].min()))
print("Best Validation Accuracy: {:0.4f}".format(history_df["val_binary_accuracy"].max()))

if False:
    history_df.loc[:, ["loss", "val_loss"]].plot(title="Cross-entropy")
    history_df.loc[:, ["binary_accuracy", "val_binary_accuracy"]].plot(title="Accuracy")

_, acc = model.evaluate(X_valid, y_valid, verbose=0)
print("validation accuracy of the restored weights:", acc)

assert set(history_df.columns) == {"loss", "binary_accuracy", "val_loss", "val_binary_accuracy"}
assert history_df["val_binary_accuracy"].max() > 0.93
assert acc > 0.92
