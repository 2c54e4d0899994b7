"""A custom-objects tutorial on random data: a Metric subclass keeping its counts in add_weight
variables, a custom layer registered with @keras.saving.register_keras_serializable so that
the saved model loads without custom_objects, and initializers by their lowercase names."""
import numpy as np

import keras
from keras import ops
from keras.initializers import glorot_uniform, he_normal

keras.utils.set_random_seed(7)
rng = np.random.default_rng(7)
X = rng.normal(size=(800, 4)).astype("float32")
y = ((X[:, 0] * X[:, 1] > 0) ^ (X[:, 2] > 1.0)).astype("float32").reshape(-1, 1)


class BalancedAccuracy(keras.metrics.Metric):
    """The mean of the true positive rate and the true negative rate, at 0.5."""

    def __init__(self, name="balanced_accuracy", **kwargs):
        super().__init__(name=name, **kwargs)
        self.tp = self.add_weight(name="tp", initializer="zeros")
        self.tn = self.add_weight(name="tn", initializer="zeros")
        self.pos = self.add_weight(name="pos", initializer="zeros")
        self.neg = self.add_weight(name="neg", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.cast(y_true, "float32")
        guess = ops.cast(ops.greater(y_pred, 0.5), "float32")
        self.tp.assign_add(ops.sum(y_true * guess))
        self.tn.assign_add(ops.sum((1 - y_true) * (1 - guess)))
        self.pos.assign_add(ops.sum(y_true))
        self.neg.assign_add(ops.sum(1 - y_true))

    def result(self):
        return 0.5 * (self.tp / (self.pos + 1e-7) + self.tn / (self.neg + 1e-7))


@keras.saving.register_keras_serializable(package="tutorial")
class Scale(keras.layers.Layer):
    """Multiplies each feature by a learned factor."""

    def build(self, input_shape):
        self.factor = self.add_weight(shape=(input_shape[-1],), initializer="ones",
                                      name="factor")

    def call(self, inputs):
        return inputs * self.factor


model = keras.Sequential([
    keras.Input(shape=(4,)),
    Scale(),
    keras.layers.Dense(32, activation="relu", kernel_initializer=he_normal(seed=1)),
    keras.layers.Dense(16, activation="relu", kernel_initializer=he_normal(seed=2)),
    keras.layers.Dense(1, activation="sigmoid", kernel_initializer=glorot_uniform(seed=3)),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="binary_crossentropy",
              metrics=["accuracy", BalancedAccuracy()])
history = model.fit(X, y, epochs=40, batch_size=32, validation_split=0.2, verbose=0)
print(sorted(history.history))
print("last balanced accuracy:", round(history.history["balanced_accuracy"][-1], 3))

model.save("scaled.keras")
restored = keras.saving.load_model("scaled.keras", compile=False)
assert type(restored.layers[0]).__name__ == "Scale"
np.testing.assert_allclose(restored.predict(X, verbose=0), model.predict(X, verbose=0),
                           rtol=1e-5, atol=1e-6)

loss, accuracy, balanced = model.evaluate(X, y, verbose=0)
print(f"loss {loss:.3f}, accuracy {accuracy:.3f}, balanced accuracy {balanced:.3f}")
assert accuracy > 0.85 and balanced > 0.85, (accuracy, balanced)
