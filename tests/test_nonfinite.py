"""Non-finite data: what NaN and inf do in a hand-written loop (pynn.optim applies them, as PyTorch
does, and the documented guard keeps the weights finite), and what Keras-style fit does when
training diverges (test_keras_errors.py has the refused inputs and a NaN loss made on purpose;
here the loss overflows by itself, late, and an update overflows the weights themselves)."""
import math
import warnings

import numpy as np
import pytest

import pynn

from pynn import Tensor, functional as F, nn, optim
from pynn.keras import callbacks, optimizers
from pynn.keras.layers import Dense
from pynn.keras.models import Sequential
from pynn.keras.utils import set_random_seed

BAD_GRAD = np.array([np.nan, 1.0, np.inf, -np.inf, 0.5])


# ---- the hand-written loop: NaN gradients are applied, as in PyTorch ---------------------------

def test_sgd_applies_nan_and_inf_gradients_as_pytorch():
    p = nn.Parameter(np.ones(5))
    opt = optim.SGD([p], lr=0.1)
    p.grad = pynn.tensor(BAD_GRAD)
    opt.step()
    np.testing.assert_array_equal(p.data, 1 - 0.1 * BAD_GRAD)  # [nan, 0.9, -inf, inf, 0.95]


@pytest.mark.parametrize("make", [lambda p: optim.SGD(p, lr=0.1, momentum=0.9),
                                  lambda p: optim.Adam(p, lr=0.1),
                                  lambda p: optim.RMSprop(p, lr=0.1)],
                         ids=["SGD momentum", "Adam", "RMSprop"])
def test_a_nan_gradient_poisons_the_state_for_good(make):
    """The moment estimates keep the NaN: later finite gradients cannot repair the parameter,
    while the elements whose gradients were finite train on undisturbed."""
    p, clean = nn.Parameter(np.ones(5)), nn.Parameter(np.ones(5))
    opt, clean_opt = make([p]), make([clean])
    p.grad = pynn.tensor([np.nan, 1.0, 1.0, 1.0, 0.5], dtype=pynn.float64)
    clean.grad = pynn.tensor([1.0, 1.0, 1.0, 1.0, 0.5], dtype=pynn.float64)
    opt.step()
    clean_opt.step()
    with np.errstate(invalid="ignore"):
        for _ in range(3):
            p.grad, clean.grad = pynn.ones(5, dtype=pynn.float64), pynn.ones(5, dtype=pynn.float64)
            opt.step()
            clean_opt.step()
    assert np.isnan(p.data[0])
    np.testing.assert_array_equal(p.data[1:], clean.data[1:])


def test_the_documented_guard_keeps_a_loop_finite():
    """A batch with a NaN target gives a NaN loss; `if math.isfinite(loss.item()): opt.step()`
    skips it, and training goes on as if that batch had not been there."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((6, 3))
    y = x @ np.array([[1.0], [-2.0], [0.5]])
    batches = [(x[:3], y[:3]), (x[3:], np.full((3, 1), np.nan)), (x[3:], y[3:])]

    def train(use):
        w = pynn.zeros(3, 1, dtype=pynn.float64, requires_grad=True)
        opt = optim.Adam([w], lr=0.1)
        skipped = 0
        for xb, yb in (batches[i] for i in use):
            opt.zero_grad()
            loss = F.mse_loss(pynn.tensor(xb) @ w, yb)
            loss.backward()
            if math.isfinite(loss.item()):
                opt.step()
            else:
                skipped += 1
        return w.detach().numpy(), skipped

    guarded, skipped = train([0, 1, 2])
    assert skipped == 1 and np.isfinite(guarded).all()
    np.testing.assert_array_equal(guarded, train([0, 2])[0])


def test_nan_flows_through_ops_and_gradients_where_it_belongs():
    """NaN propagates through forward ops (a matmul spreads it over its row, as NaN * 0 is NaN);
    relu passes no gradient at NaN, as PyTorch's relu (the gradient flows only where x > 0)."""
    data = np.array([[np.nan, 1.0], [-1.0, 2.0]])
    x = pynn.tensor(data, requires_grad=True)
    out = x.relu()
    assert np.isnan(out.data[0, 0]) and np.isnan(x.sigmoid().data[0, 0])
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, [[0.0, 1.0], [0.0, 1.0]])
    w = pynn.tensor(np.eye(2), requires_grad=True)
    y = pynn.tensor(data) @ w
    assert np.isnan(y.data[0]).all() and np.isfinite(y.data[1]).all()
    y.sum().backward()
    assert np.isnan(w.grad[0]).all() and np.isfinite(w.grad[1]).all()


def test_masked_logits_stay_finite():
    """-inf logits (masked classes) give probability 0 and finite values elsewhere, with finite
    gradients, in softmax, log_softmax and cross_entropy."""
    z = Tensor(np.array([[0.0, -np.inf, 1.0], [2.0, 0.5, -np.inf]]), requires_grad=True)
    p = F.softmax(z).data
    assert p[0, 1] == 0 and p[1, 2] == 0 and np.isfinite(p).all()
    np.testing.assert_allclose(p.sum(axis=1), 1)
    log_p = F.log_softmax(z)
    assert np.isfinite(log_p.data[[0, 0, 1, 1], [0, 2, 0, 1]]).all()
    loss = F.cross_entropy(z, [2, 0])
    loss.backward()
    assert math.isfinite(loss.item()) and np.isfinite(z.grad).all()


# ---- Keras fit: training that diverges by itself -----------------------------------------------

def diverging_model(learning_rate):
    set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 4)).astype(np.float32) * 3
    y = x @ np.array([1.0, -2.0, 3.0, 0.5]) + 1
    m = Sequential([Dense(1, input_dim=4)])
    m.compile(optimizer=optimizers.SGD(learning_rate=learning_rate), loss="mse",
              metrics=["mae"])
    return m, x, y


class BatchSnapshots(callbacks.Callback):
    """The weights at the start of every batch."""

    def __init__(self):
        super().__init__()
        self.before = []

    def on_train_batch_begin(self, batch, logs=None):
        self.before.append(self.model.get_weights())


def test_a_loss_that_overflows_after_many_epochs_stops_fit_cleanly():
    """SGD with a learning rate too large for the data: the loss grows every epoch and
    overflows float32 in the 29th. fit warns naming the epoch and batch, History records the
    finite epochs and then the inf one (metrics too), and the weights are those from before the
    batch whose loss overflowed."""
    m, x, y = diverging_model(0.1)
    snapshots = BatchSnapshots()
    with pytest.warns(RuntimeWarning, match=r"Epoch (\d+), batch \d+: the loss is inf\. Training "
                                            r"stopped.*weights are those from before it") as got:
        with np.errstate(over="ignore"):
            history = m.fit(x, y, epochs=100, batch_size=16, shuffle=False, verbose=0,
                            callbacks=[snapshots])
    losses = history.history["loss"]
    assert len(losses) > 10 and history.epoch == list(range(len(losses)))
    assert np.isfinite(losses[:-1]).all() and losses[-1] == np.inf
    assert all(b > a for a, b in zip(losses, losses[1:]))  # it diverged steadily
    assert len(history.history["mae"]) == len(losses)
    assert f"Epoch {len(losses)}," in str(got[0].message)
    assert all(np.isfinite(w).all() for w in m.get_weights())
    for now, before in zip(m.get_weights(), snapshots.before[-1]):
        np.testing.assert_array_equal(now, before)
    assert np.isfinite(m.predict(x, verbose=0)).all()


def test_an_update_that_overflows_the_weights_is_reported_as_such():
    """A learning rate of 1e38 sends the weights to inf in one update while that batch's loss was
    finite; the next loss is NaN, and the warning says the weights are already inf or NaN
    instead of promising the good ones from before."""
    m, x, y = diverging_model(1e38)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(over="ignore", invalid="ignore"):
            history = m.fit(x, y, epochs=5, batch_size=16, verbose=0)
    messages = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)
                and "Training stopped" in str(w.message)]
    assert len(messages) == 1 and "the weights are already inf or NaN" in messages[0]
    assert "Epoch 1, batch 2" in messages[0]
    assert not math.isfinite(history.history["loss"][-1])


def test_weights_that_overflow_behind_a_saturated_activation_are_not_silent():
    """tanh turns an inf pre-activation into a finite 1, so every loss stays finite while the
    first layer's weight is inf, then NaN: fit ends with a warning that says so."""
    m = Sequential([Dense(1, input_dim=1, activation="tanh", use_bias=False),
                    Dense(1, trainable=False)])
    m.set_weights([np.zeros((1, 1)), np.ones((1, 1)), np.zeros(1)])
    m.compile(optimizer=optimizers.SGD(learning_rate=1e38), loss="mse")
    with pytest.warns(RuntimeWarning, match="some weights are inf or NaN after training, although "
                                            "every loss was finite"):
        with np.errstate(over="ignore", invalid="ignore"):
            history = m.fit(np.ones((1, 1)), np.full((1, 1), 100.0), epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    assert not np.isfinite(m.get_weights()[0]).all()


def test_a_nan_loss_in_the_first_batch_leaves_the_initial_weights():
    m, x, y = diverging_model(0.01)
    initial = m.get_weights()
    y = y.copy()
    y[:16] = 1e30  # finite in float32; its square is not
    with pytest.warns(RuntimeWarning, match="Epoch 1, batch 1: the loss is inf"):
        with np.errstate(over="ignore"):
            history = m.fit(x, y, epochs=3, batch_size=16, shuffle=False, verbose=0)
    assert history.epoch == [0] and history.history["loss"] == [np.inf]
    for a, b in zip(initial, m.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("where", ["x", "y"])
@pytest.mark.parametrize("value, shown", [(np.nan, "NaN"), (np.inf, "inf"), (-np.inf, "-inf")])
def test_validation_data_with_non_finite_values_is_refused_with_its_position(where, value,
                                                                             shown):
    m, x, y = diverging_model(0.01)
    x_val, y_val = x[:8].copy(), y[:8].copy()
    if where == "x":
        x_val[5, 3] = value
        position = "row 5, column 3"
    else:
        y_val[6] = value
        position = "row 6, column 0"
    with pytest.raises(ValueError, match=f"validation_data {where} contains {shown} at "
                                         f"{position}"):
        m.fit(x, y, validation_data=(x_val, y_val), verbose=0)
    with pytest.raises(ValueError, match=f"{where} contains {shown} at {position}"):
        m.evaluate(x_val, y_val, verbose=0)
