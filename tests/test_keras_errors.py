"""pynn.keras on bad input: clear TypeError/ValueError/RuntimeError messages for wrong use,
training data with NaN or inf refused with its position, and a loss that turns NaN or inf
stopping training with a warning instead of leaving NaN weights."""
import warnings

import numpy as np
import pytest

from pynn.keras import activations, callbacks, initializers, losses, metrics, optimizers
from pynn.keras.layers import Activation, Dense, Input
from pynn.keras.models import Sequential
from pynn.keras.utils import set_random_seed

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
Y = np.array([[0], [1], [1], [0]], dtype=np.float32)


def model(loss="binary_crossentropy", compiled=True, **compile_args):
    m = Sequential([Dense(4, input_dim=2, activation="relu"), Dense(1, activation="sigmoid")])
    if compiled:
        m.compile(optimizer="adam", loss=loss, **compile_args)
    return m


def test_fit_and_evaluate_before_compile():
    m = model(compiled=False)
    with pytest.raises(ValueError, match="You must call `compile\\(\\)` before using the model"):
        m.fit(X, Y)
    with pytest.raises(ValueError, match="compile"):
        m.evaluate(X, Y)
    assert m.predict(X, verbose=0).shape == (4, 1)  # as in Keras, predict needs no compile
    m.compile(optimizer="adam")
    with pytest.raises(ValueError, match="No loss to compute"):
        m.fit(X, Y)


@pytest.mark.parametrize("make, match", [
    (lambda: model(loss="binary_cross_entropy"), r"valid names are \[.*'binary_crossentropy'"),
    (lambda: model(loss=3), "loss"),
    (lambda: model(metrics=["precisionn"]), r"valid names are \[.*'accuracy'"),
    (lambda: model(metrics="accuracy"), "list"),
    (lambda: model(metrics=[3]), "metric identifier: 3"),
    (lambda: Dense(4, activation="gelux"), r"valid names are \['celu', 'elu', 'exponential', "),
    (lambda: Dense(4, activation=7), "activation"),
    (lambda: Dense(4, kernel_initializer="xavier"), r"valid names are \[.*'glorot_uniform'"),
    (lambda: Sequential().compile(optimizer="adamx"), r"valid names are \['adadelta', 'adagrad'"),
    (lambda: Activation("swishy"), "Could not interpret activation"),
    (lambda: losses.get({"class_name": "Dice"}), "valid class names"),
    (lambda: metrics.get("f1", (4, 1), (4, 1)), "Could not interpret metric identifier"),
    (lambda: initializers.VarianceScaling(mode="fan_max"), "mode"),
    (lambda: losses.BinaryCrossentropy(reduction="avg"), "reduction"),
])
def test_unknown_names_list_the_valid_ones(make, match):
    with pytest.raises((ValueError, TypeError), match=match):
        make()


@pytest.mark.parametrize("units, error", [(0, ValueError), (-3, ValueError), (2.5, TypeError),
                                          ("4", TypeError), (True, TypeError), (None, TypeError)])
def test_dense_units_must_be_a_positive_int(units, error):
    with pytest.raises(error, match="units"):
        Dense(units)


@pytest.mark.parametrize("kwargs, error", [(dict(input_dim=0), ValueError),
                                           (dict(input_dim=2.0), TypeError),
                                           (dict(input_shape="2"), ValueError),
                                           (dict(input_shape=(2,), input_dim=3), ValueError),
                                           (dict(name=""), ValueError),
                                           (dict(name="a/b"), ValueError),
                                           (dict(unknown=1), ValueError),
                                           (dict(use_bias="yes"), TypeError)])
def test_dense_refuses_bad_arguments(kwargs, error):
    with pytest.raises(error):
        Dense(4, **kwargs)


def test_input_width_must_match_the_first_layer():
    m = model()
    with pytest.raises(ValueError, match=r"x has shape \(4, 3\), but the model expects inputs "
                                         r"of shape \(None, 2\)"):
        m.fit(np.ones((4, 3)), Y)
    with pytest.raises(ValueError, match=r"\(None, 2\)"):
        m.predict(np.ones((4, 3)))
    with pytest.raises(ValueError, match=r"\(None, 2\)"):
        m.evaluate(np.ones((4, 3)), Y)
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 2"):
        m(np.ones((4, 3)))
    with pytest.raises(ValueError):
        Sequential([Input(shape=(2,)), Dense(1)]).build((None, 3))


def test_x_and_y_row_counts_must_match():
    with pytest.raises(ValueError, match="same number of samples.\n'x' sizes: 4\n'y' sizes: 3"):
        model().fit(X, Y[:3])


@pytest.mark.parametrize("x, error, match", [
    (np.zeros((0, 2)), ValueError, "empty"),
    (np.zeros((4, 0)), ValueError, "empty"),
    (np.zeros(4), ValueError, r"shape \(4,\), but the model expects inputs of shape \(None, 2\)"),
    (np.zeros((4, 2, 1)), ValueError, r"\(None, 2\)"),
    (None, ValueError, "None"),
    ([["a", "b"]] * 4, TypeError, "numeric"),
    (np.ones((4, 2)) * 1j, TypeError, "numeric"),
    (np.array([[object()] * 2] * 4), TypeError, "numeric"),
    ([[0, 1], [1]], TypeError, "numeric"),
])
def test_bad_x(x, error, match):
    with pytest.raises(error, match=match):
        model().fit(x, Y)


@pytest.mark.parametrize("y, loss, match", [
    (np.zeros((4, 3)), "binary_crossentropy", r"expected shape \(4, 1\)"),
    (np.zeros((4, 1, 1)), "mse", "shape"),
    (np.array(1.0), "mse", "scalar"),
    (None, "mse", "None"),
])
def test_bad_y(y, loss, match):
    with pytest.raises(ValueError, match=match):
        model(loss=loss).fit(X, y, verbose=0)


def test_sparse_targets_must_be_class_ids_in_range():
    m = Sequential([Dense(3, input_dim=2, activation="softmax")])
    m.compile(loss="sparse_categorical_crossentropy")
    m.fit(X, [0, 1, 2, 1], verbose=0)
    m.fit(X, np.array([[0], [1], [2], [1]]), verbose=0)
    with pytest.raises(ValueError, match=r"\[0, 3\).*got 3 at row 2"):
        m.fit(X, [0, 1, 3, 1])
    with pytest.raises(ValueError, match="got 0.5 at row 1"):
        m.fit(X, [0, 0.5, 1, 1])
    with pytest.raises(ValueError, match="one class id per sample"):
        m.fit(X, np.eye(3)[[0, 1, 2, 1]])
    c = Sequential([Dense(3, input_dim=2, activation="softmax")])
    c.compile(loss="categorical_crossentropy")
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy"):
        c.fit(X, [0, 1, 2, 1])


@pytest.mark.parametrize("where, bad, match", [
    ("x", (2, 1), "x contains NaN at row 2, column 1"),
    ("y", (3, 0), "y contains NaN at row 3, column 0"),
])
def test_nan_in_training_data_is_refused_with_its_position(where, bad, match):
    x, y = X.copy(), Y.copy()
    (x if where == "x" else y)[bad] = np.nan
    m = model()
    before = m.get_weights()
    with pytest.raises(ValueError, match=match):
        m.fit(x, y)
    with pytest.raises(ValueError, match=match):
        m.evaluate(x, y)
    for a, b in zip(before, m.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_inf_and_float32_overflow_are_refused():
    x = X.astype(np.float64)
    x[1, 0] = np.inf
    with pytest.raises(ValueError, match="x contains inf at row 1, column 0"):
        model().fit(x, Y)
    x[1, 0] = 1e300  # finite in float64, inf in float32
    with pytest.raises(ValueError, match="x contains inf at row 1, column 0"):
        model().fit(x, Y)
    y_val = Y.copy()
    y_val[2, 0] = -np.inf
    with pytest.raises(ValueError, match="validation_data y contains -inf at row 2"):
        model().fit(X, Y, validation_data=(X, y_val))
    with pytest.raises(ValueError, match="NaN"):
        model().fit(X, [0, 1, float("nan"), 0])


def test_predict_passes_nan_through():
    m = model(compiled=False)
    p = m.predict(np.array([[np.nan, 0.0]]), verbose=0)
    assert np.isnan(p).all()


def test_a_nan_loss_stops_training_and_keeps_the_last_good_weights():
    """The loss turns NaN in the third epoch: fit warns, skips that update, stops, and records
    the NaN in History; the weights are those from the end of epoch 2."""
    calls = []

    def loss(y_true, y_pred):
        calls.append(1)
        error = ((y_pred - y_true) ** 2).mean(axis=-1)
        return error * float("nan") if len(calls) == 3 else error

    snapshots = []

    class Snapshot(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            snapshots.append(self.model.get_weights())

    set_random_seed(0)
    m = model(loss=loss)
    with pytest.warns(RuntimeWarning, match="Epoch 3, batch 1: the loss is nan.*not applied"):
        history = m.fit(X, Y, epochs=10, verbose=0, callbacks=[Snapshot()])
    assert history.epoch == [0, 1, 2]
    assert np.isnan(history.history["loss"][-1]) and np.isfinite(history.history["loss"][:2]).all()
    for a, b in zip(m.get_weights(), snapshots[1]):
        np.testing.assert_array_equal(a, b)
    assert all(np.isfinite(w).all() for w in m.get_weights())


def test_an_exploding_loss_stops_training_with_finite_weights():
    set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 3)) * 1e3
    y = x.sum(axis=1) * 1e3
    m = Sequential([Dense(1, input_dim=3)])
    m.compile(optimizer=optimizers.SGD(learning_rate=1e3), loss="mse")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = m.fit(x, y, epochs=50, batch_size=8, verbose=0)
    assert len(history.epoch) < 50 and not np.isfinite(history.history["loss"][-1])
    assert all(np.isfinite(w).all() for w in m.get_weights())
    assert any("Training stopped" in str(w.message) for w in caught)


def test_terminate_on_nan_callback_as_in_keras(capsys):
    cb = callbacks.TerminateOnNaN()

    class Stub:
        stop_training = False
    cb.set_model(Stub())
    cb.on_train_batch_end(4, {"loss": 0.5})
    assert not cb.model.stop_training
    cb.on_train_batch_end(5, {"loss": float("inf")})
    assert cb.model.stop_training
    assert "Batch 5: Invalid loss, terminating training" in capsys.readouterr().out


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(batch_size=0), ValueError, "batch_size"),
    (dict(batch_size=2.0), TypeError, "batch_size"),
    (dict(epochs=-1), ValueError, "epochs"),
    (dict(epochs=1.5), TypeError, "epochs"),
    (dict(verbose=-1), ValueError, "verbose"),
    (dict(verbose="loud"), ValueError, "verbose"),
    (dict(validation_split=1.0), ValueError, "validation_split"),
    (dict(validation_split=0.8), ValueError, "not sufficient"),
    (dict(validation_split="0.2"), TypeError, "validation_split"),
    (dict(validation_data=X), ValueError, "tuple"),
    (dict(callbacks=[print]), TypeError, "Callback"),
])
def test_bad_fit_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        model().fit(X, Y, **kwargs)


def test_sequential_refuses_bad_layers_and_shapes():
    with pytest.raises(TypeError, match="list of layers"):
        Sequential(Dense(1))
    with pytest.raises(ValueError, match="no layers"):
        Sequential().predict(X)
    with pytest.raises(ValueError, match="input shape is unknown"):
        Sequential([Dense(1)]).build()
    with pytest.raises(ValueError, match="isn't built"):
        Sequential([Dense(1)]).count_params()
    with pytest.raises(ValueError, match="isn't built"):
        Dense(1).count_params()
    with pytest.raises(ValueError, match="shape"):
        Input()
    assert activations.get(None) is activations.linear
