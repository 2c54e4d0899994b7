# Diabetes regression with several built-in callbacks at once: a LearningRateScheduler,
# a CSVLogger writing each epoch to a file, and a LambdaCallback.
import pandas as pd
import tensorflow as tf
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense

tf.random.set_seed(12)

diabetes_dataset = load_diabetes()
data = diabetes_dataset["data"]
targets = diabetes_dataset["target"]
targets = (targets - targets.mean(axis=0)) / targets.std()

train_data, test_data, train_targets, test_targets = train_test_split(
    data, targets, test_size=0.1, random_state=12)

model = Sequential([
    Dense(64, activation="relu", input_shape=(train_data.shape[1],)),
    Dense(32, activation="relu"),
    Dense(1),
])
model.compile(loss="mse", optimizer="adam", metrics=["mse", "mae"])


def lr_function(epoch, lr):
    if epoch % 10 == 9:
        return lr * 0.5
    return lr


epoch_ends = []
callbacks = [
    tf.keras.callbacks.LearningRateScheduler(lr_function, verbose=0),
    tf.keras.callbacks.CSVLogger("results.csv"),
    tf.keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: epoch_ends.append((epoch, logs["loss"]))),
]
history = model.fit(train_data, train_targets, epochs=30, batch_size=32, callbacks=callbacks,
                    verbose=False)

log = pd.read_csv("results.csv", index_col="epoch")
print(log.head())
print("columns:", list(log.columns))

test_loss, test_mse, test_mae = model.evaluate(test_data, test_targets, verbose=0)
print("test mse:", test_mse, "test mae:", test_mae)

assert len(log) == 30
assert [e for e, _ in epoch_ends] == list(range(30))
assert "loss" in log.columns and "mae" in log.columns
assert abs(float(model.optimizer.learning_rate) - 0.001 * 0.5 ** 3) < 1e-7
assert history.history["loss"][-1] < history.history["loss"][0]
assert test_mse < 0.8
