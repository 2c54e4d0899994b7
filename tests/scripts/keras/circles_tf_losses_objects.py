# Circles held in a pandas DataFrame; a tf.keras.Sequential without an input shape,
# compiled with loss and optimizer objects from tf.keras.
import pandas as pd
import tensorflow as tf
from sklearn.datasets import make_circles

n_samples = 1000
X, y = make_circles(n_samples, noise=0.03, random_state=42)
circles = pd.DataFrame({"X0": X[:, 0], "X1": X[:, 1], "label": y})
print(circles.head())
print(circles.label.value_counts())

tf.random.set_seed(42)

model_1 = tf.keras.Sequential([
    tf.keras.layers.Dense(10, activation="relu"),
    tf.keras.layers.Dense(10, activation="relu"),
    tf.keras.layers.Dense(1, activation="sigmoid"),
])
model_1.compile(loss=tf.keras.losses.BinaryCrossentropy(),
                optimizer=tf.keras.optimizers.Adam(learning_rate=0.02),
                metrics=["accuracy"])

X_train, y_train = circles[["X0", "X1"]][:800], circles["label"][:800]
X_test, y_test = circles[["X0", "X1"]][800:], circles["label"][800:]

history = model_1.fit(X_train, y_train, epochs=50, verbose=0)
loss, accuracy = model_1.evaluate(X_test, y_test, verbose=0)
print(f"Model loss on the test set: {loss}")
print(f"Model accuracy on the test set: {100 * accuracy:.2f}%")

history_df = pd.DataFrame(history.history)
print(history_df.tail())

assert set(history_df.columns) == {"accuracy", "loss"}
assert len(history_df) == 50
assert accuracy > 0.95
