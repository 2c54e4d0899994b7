"""fit's compiled step (pynn.keras.trainers.train_step) against the eager path (run_eagerly=True): the
same weights to the bit, the same history, for every model it compiles; the models it must not
compile still train (eagerly); and the ways a compiled step could go stale or leak its buffers."""
import numpy as np
import pytest

from pynn.keras import callbacks, metrics
from pynn.keras.trainers import train_step
from pynn.keras.layers import Activation, Dense
from pynn.keras.models import Sequential
from pynn.keras.utils import set_random_seed

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float32)
XOR_Y = np.array([[0], [1], [1], [0]], np.float32)


def data(n, features, outputs, kind, seed=0):
    """(x, y) of n rows: y as the loss `kind` wants it."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, features)).astype(np.float32)
    ids = rng.integers(0, outputs, n)
    if kind == "sparse":
        return x, ids
    if kind == "onehot":
        return x, np.eye(outputs, dtype=np.float32)[ids]
    if kind == "binary":
        return x, (rng.random((n, outputs)) > 0.5).astype(np.float32)
    return x, rng.standard_normal((n, outputs)).astype(np.float32)


def train(make_layers, compile_args, x, y, run_eagerly, seed=3, **fit_args):
    """A model made and trained from one seed: (model, history)."""
    set_random_seed(seed)
    model = Sequential(make_layers())
    model.compile(run_eagerly=run_eagerly, **compile_args)
    history = model.fit(x, y, verbose=0, **fit_args)
    return model, history.history


def assert_same_training(make_layers, compile_args, x, y, compiled=True, **fit_args):
    fast, fast_history = train(make_layers, compile_args, x, y, False, **fit_args)
    eager, eager_history = train(make_layers, compile_args, x, y, True, **fit_args)
    assert train_step.compilable(fast, 0 in fast._fused_outputs(False)) is compiled
    for a, b in zip(fast.get_weights(), eager.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert fast_history == eager_history
    return fast_history


# Each case: layers, compile arguments, the targets' kind and width, fit arguments.
CASES = {
    "tutorial XOR": (
        lambda: [Dense(4, input_dim=2, activation="relu"), Dense(1, activation="sigmoid")],
        dict(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"]),
        None, dict(epochs=30)),
    "deep, sigmoid inside, no bias, SGD": (
        lambda: [Dense(7, input_dim=5, activation="sigmoid", use_bias=False),
                 Dense(3, activation="relu"), Dense(2, activation="sigmoid")],
        dict(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"]),
        ("binary", 2), dict(epochs=4, batch_size=7)),
    "softmax with sparse ids, a partial last batch": (
        lambda: [Dense(16, input_dim=5, activation="relu"), Dense(4, activation="softmax")],
        dict(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"]),
        ("sparse", 4), dict(epochs=3, batch_size=16)),
    "softmax with one-hot targets, RMSprop, validation": (
        lambda: [Dense(6, input_dim=5, activation="relu"), Dense(3, activation="softmax")],
        dict(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"]),
        ("onehot", 3), dict(epochs=3, batch_size=10, validation_split=0.2)),
    "linear output, mean squared error": (
        lambda: [Dense(8, input_dim=5, activation="relu"), Dense(2)],
        dict(optimizer="adam", loss="mse", metrics=["mae"]),
        ("real", 2), dict(epochs=3, batch_size=9)),
    "sigmoid output, mean squared error (not fused)": (
        lambda: [Dense(8, input_dim=5), Dense(1, activation="sigmoid")],
        dict(optimizer="adam", loss="mse"),
        ("binary", 1), dict(epochs=3, batch_size=8)),
    "logits out, binary cross-entropy from_logits": (
        lambda: [Dense(8, input_dim=5, activation="relu"), Dense(1)],
        dict(optimizer="adam", loss=__import__("pynn").keras.losses.BinaryCrossentropy(
            from_logits=True), metrics=["accuracy"]),
        ("binary", 1), dict(epochs=3, batch_size=11, shuffle=False)),
}


@pytest.mark.parametrize("case", CASES)
def test_the_compiled_step_trains_bit_for_bit_as_the_eager_path(case):
    make_layers, compile_args, target, fit_args = CASES[case]
    x, y = (XOR_X, XOR_Y) if target is None else data(53, 5, target[1], target[0])
    assert_same_training(make_layers, compile_args, x, y, **fit_args)


@pytest.mark.parametrize("make_layers", [
    lambda: [Dense(4, input_dim=2, activation=lambda x: x * 2), Dense(1, activation="sigmoid")],
    lambda: [Dense(4, input_dim=2), Activation("relu"), Dense(1, activation="sigmoid")],
    lambda: [Dense(4, input_dim=2, activation="relu"),
             Dense(1, activation="sigmoid", trainable=False)],
    lambda: [Dense(4, input_dim=2, activation="softmax"), Dense(1, activation="sigmoid")],
], ids=["a custom activation", "an Activation layer", "a frozen layer", "softmax inside"])
def test_models_it_cannot_compile_train_eagerly(make_layers):
    compile_args = dict(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    history = assert_same_training(make_layers, compile_args, XOR_X, XOR_Y, compiled=False,
                                   epochs=5)
    assert len(history["loss"]) == 5


def test_the_tutorial_learns_xor_through_the_compiled_step():
    set_random_seed(0)
    model = Sequential([Dense(32, input_dim=2, activation="relu"),
                        Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(XOR_X, XOR_Y, epochs=1000, verbose=0).history
    assert history["accuracy"][-1] == 1.0 and history["loss"][-1] < history["loss"][0] / 3
    assert ((model.predict(XOR_X, verbose=0) > 0.5) == XOR_Y).all()


class ReplaceKernel(callbacks.Callback):
    """Replaces the first layer's kernel array (not its values) after the first epoch."""

    def on_epoch_end(self, epoch, logs=None):
        if epoch == 0:
            kernel = self.model.layers[0].kernel
            kernel.data = kernel.data * 0.5


def test_a_weight_array_replaced_during_fit_is_trained_in_its_place():
    make_layers, compile_args, _, _ = CASES["tutorial XOR"]
    assert_same_training(make_layers, compile_args, XOR_X, XOR_Y, epochs=4,
                         callbacks=[ReplaceKernel()])


class Float64Kernel(callbacks.Callback):
    """Replaces the last layer's kernel by a float64 copy after one epoch."""

    def on_epoch_end(self, epoch, logs=None):
        if epoch == 0:
            kernel = self.model.layers[-1].kernel
            kernel.data = kernel.data.double()


def test_a_weight_the_step_cannot_take_as_it_is_is_trained_eagerly():
    make_layers, compile_args, _, _ = CASES["deep, sigmoid inside, no bias, SGD"]
    x, y = data(30, 5, 2, "binary")
    history = assert_same_training(make_layers, compile_args, x, y, compiled=False, epochs=3,
                                   batch_size=8, callbacks=[Float64Kernel()])
    assert len(history["loss"]) == 3


class KeepOutputs(metrics.Metric):
    """A metric that keeps every batch's outputs, as an AUC metric might."""

    def reset_state(self):
        self.outputs = []

    def update_state(self, y_true, y_pred):
        self.outputs.append(y_pred)

    def result(self):
        return 0.0


def test_metrics_get_outputs_of_their_own():
    keep = KeepOutputs()
    x, y = data(40, 5, 1, "binary")
    set_random_seed(1)
    model = Sequential([Dense(3, input_dim=5, activation="relu"), Dense(1)])
    model.compile(optimizer="adam", loss="mse", metrics=[keep])
    model.fit(x, y, epochs=1, batch_size=10, shuffle=False, verbose=0)
    assert len(keep.outputs) == 4
    assert len({a.tobytes() for a in keep.outputs}) == 4  # four batches, four arrays of values


def test_run_eagerly_must_be_a_bool():
    model = Sequential([Dense(1, input_dim=2)])
    with pytest.raises(TypeError, match="run_eagerly"):
        model.compile(optimizer="adam", loss="mse", run_eagerly="yes")
    model.compile(optimizer="adam", loss="mse", run_eagerly=True)
    assert model.run_eagerly is True
