# Diabetes regression trained on a loss written with keras.ops (a Huber-like loss that is
# quadratic near zero and linear far out) and watched with a metric written with the
# tf.keras backend functions (K.sqrt(K.mean(K.square(...)))), the way Keras 3 and older
# tf.keras code write their own losses and metrics.
import numpy as np
import keras
from keras import ops
from tensorflow.keras import backend as K
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

keras.utils.set_random_seed(4)

X, y = load_diabetes(return_X_y=True)
y = ((y - y.mean()) / y.std()).reshape(-1, 1)  # a column, as the model's (n, 1) output
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=4)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)


def smooth_l1(y_true, y_pred):
    error = ops.abs(y_true - y_pred)
    return ops.mean(ops.where(error < 1.0, 0.5 * ops.square(error), error - 0.5), axis=-1)


def rmse(y_true, y_pred):
    return K.sqrt(K.mean(K.square(y_pred - y_true), axis=-1))


model = keras.Sequential([
    keras.Input(shape=(10,)),
    keras.layers.Dense(32, activation="relu"),
    keras.layers.Dense(1),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.005), loss=smooth_l1,
              metrics=[rmse, "mae"])
history = model.fit(X_train, y_train, validation_split=0.2, epochs=60, batch_size=16,
                    verbose=0)
print(sorted(history.history))

scores = model.evaluate(X_test, y_test, verbose=0, return_dict=True)
print({name: round(float(value), 3) for name, value in scores.items()})

assert {"loss", "rmse", "mae", "val_rmse"} <= set(history.history)
assert history.history["loss"][-1] < 0.6 * history.history["loss"][0]
assert scores["rmse"] < 0.9  # a constant guess scores 1.0 on the standardised target
