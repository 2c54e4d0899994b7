# One-feature regression: the 1-D feature array is made 2-D with np.expand_dims, the loss
# is the tf.keras.losses.mae function, and a hidden layer lets the model bend.
import numpy as np
import tensorflow as tf
from sklearn.datasets import make_regression

tf.random.set_seed(42)

X, y = make_regression(n_samples=300, n_features=1, noise=10, random_state=4)
X = X[:, 0]                      # a plain 1-D array of 300 values
y = y + 0.5 * X ** 2 * 10        # a little curvature
print(X.shape, y.shape)

X_train, y_train = X[:240], y[:240]
X_test, y_test = X[240:], y[240:]

model = tf.keras.Sequential([
    tf.keras.layers.Dense(32, activation="relu"),
    tf.keras.layers.Dense(1),
])
model.compile(loss=tf.keras.losses.mae,
              optimizer=tf.keras.optimizers.Adam(learning_rate=0.05),
              metrics=["mae"])
model.fit(np.expand_dims(X_train, axis=-1), y_train, epochs=100, verbose=0)

y_pred = model.predict(np.expand_dims(X_test, axis=-1), verbose=0)
mae = np.mean(np.abs(y_pred.ravel() - y_test))
print("test mae:", mae, "spread of the target:", y_test.std())

loss, metric_mae = model.evaluate(np.expand_dims(X_test, axis=-1), y_test, verbose=0)
assert abs(loss - metric_mae) < 1e-3
assert mae < 0.4 * y_test.std()
