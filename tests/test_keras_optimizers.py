"""pynn.keras.optimizers: Keras's update formulas (written out here in float64 NumPy) step for
step, configs, learning-rate changes, and the state that lets training resume exactly."""
import numpy as np
import pytest

import pynn

from pynn import optim
from pynn.keras import optimizers
from pynn.keras.layers import Dense
from pynn.keras.models import Sequential
from pynn.keras.utils import set_random_seed
from pynn.nn import Parameter

STEPS = 15


def params_and_grads(seed):
    rng = np.random.default_rng(seed)
    params = [Parameter(rng.standard_normal((3, 2))), Parameter(rng.standard_normal(4))]
    grads = [[rng.standard_normal(p.shape) for p in params] for _ in range(STEPS)]
    return params, grads


def run(opt, params, grads):
    opt.build(params)
    for step in grads:
        for p, g in zip(params, step):
            p.grad = pynn.tensor(g)
        opt.apply()
    return [p.detach().numpy().copy() for p in params]


def keras_adam(p, grads, lr, b1, b2, eps):
    m, v = np.zeros_like(p), np.zeros_like(p)
    for t, g in enumerate(grads, start=1):
        alpha = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        m = m + (g - m) * (1 - b1)
        v = v + (g * g - v) * (1 - b2)
        p = p - m * alpha / (np.sqrt(v) + eps)  # eps on the uncorrected sqrt(v)
    return p


def keras_sgd(p, grads, lr, momentum, nesterov):
    m = np.zeros_like(p)
    for g in grads:
        if momentum:
            m = momentum * m - lr * g
            p = p + (momentum * m - lr * g if nesterov else m)
        else:
            p = p - lr * g
    return p


def keras_rmsprop(p, grads, lr, rho, momentum, eps, centered):
    v, a, buf = np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)
    for g in grads:
        v = rho * v + (1 - rho) * g * g
        denominator = v + eps
        if centered:
            a = rho * a + (1 - rho) * g
            denominator = v - a * a + eps
        increment = lr * g / np.sqrt(denominator)  # eps under the square root
        if momentum > 0:
            buf = momentum * buf + increment
            p = p - buf
        else:
            p = p - increment
    return p


@pytest.mark.parametrize("kwargs", [{}, dict(learning_rate=0.05, beta_1=0.8, beta_2=0.99,
                                             epsilon=1e-3)])
def test_adam_is_keras_adam(kwargs):
    params, grads = params_and_grads(0)
    start = [p.detach().numpy().copy() for p in params]
    got = run(optimizers.Adam(**kwargs), params, grads)
    c = {**optimizers.Adam().get_config(), **kwargs}
    for i, p0 in enumerate(start):
        want = keras_adam(p0, [g[i] for g in grads], c["learning_rate"], c["beta_1"],
                          c["beta_2"], c["epsilon"])
        np.testing.assert_allclose(got[i], want, rtol=1e-12, atol=1e-13)


def test_keras_adam_differs_from_pytorch_adam_where_epsilon_matters():
    """With a large epsilon the two placements of it give clearly different steps."""
    params, grads = params_and_grads(1)
    keras = run(optimizers.Adam(learning_rate=0.1, epsilon=0.1), params, grads)
    params2, _ = params_and_grads(1)
    torch_like = optim.Adam(params2, lr=0.1, eps=0.1)
    for step in grads:
        for p, g in zip(params2, step):
            p.grad = pynn.tensor(g)
        torch_like.step()
    assert not np.allclose(keras[0], params2[0].data, rtol=1e-3)


@pytest.mark.parametrize("kwargs", [{}, dict(learning_rate=0.1, momentum=0.9),
                                    dict(learning_rate=0.05, momentum=0.7, nesterov=True)])
def test_sgd_is_keras_sgd(kwargs):
    params, grads = params_and_grads(2)
    start = [p.detach().numpy().copy() for p in params]
    got = run(optimizers.SGD(**kwargs), params, grads)
    c = {**optimizers.SGD().get_config(), **kwargs}
    for i, p0 in enumerate(start):
        want = keras_sgd(p0, [g[i] for g in grads], c["learning_rate"], c["momentum"],
                         c["nesterov"])
        np.testing.assert_allclose(got[i], want, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("kwargs", [{}, dict(learning_rate=0.01, rho=0.8, momentum=0.5,
                                             epsilon=1e-4, centered=True)])
def test_rmsprop_is_keras_rmsprop(kwargs):
    params, grads = params_and_grads(3)
    start = [p.detach().numpy().copy() for p in params]
    got = run(optimizers.RMSprop(**kwargs), params, grads)
    c = {**optimizers.RMSprop().get_config(), **kwargs}
    for i, p0 in enumerate(start):
        want = keras_rmsprop(p0, [g[i] for g in grads], c["learning_rate"], c["rho"],
                             c["momentum"], c["epsilon"], c["centered"])
        np.testing.assert_allclose(got[i], want, rtol=1e-11, atol=1e-12)


def test_weight_decay_is_decoupled_as_in_keras():
    params, grads = params_and_grads(4)
    start = params[0].detach().numpy().copy()
    opt = optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
    opt.build(params)
    params[0].grad = pynn.tensor(grads[0][0])
    opt.apply()
    want = start - start * 0.1 * 0.5 - 0.1 * grads[0][0]
    np.testing.assert_allclose(params[0].data, want, rtol=1e-12)
    np.testing.assert_array_equal(params[1].data, params_and_grads(4)[0][1].data)  # no grad


def test_learning_rate_changes_take_effect_and_iterations_count():
    params, grads = params_and_grads(5)
    opt = optimizers.SGD(learning_rate=0.1)
    opt.build(params)
    before = params[0].detach().numpy().copy()
    opt.learning_rate = 0.0
    params[0].grad = pynn.tensor(grads[0][0])
    opt.apply()
    np.testing.assert_array_equal(params[0].data, before)
    assert opt.iterations == 1 and opt.learning_rate == 0.0
    with pytest.raises(ValueError, match="learning_rate"):
        opt.learning_rate = -1


def test_config_round_trip_and_names():
    for cls, name in ((optimizers.Adam, "adam"), (optimizers.SGD, "SGD"),
                      (optimizers.RMSprop, "rmsprop")):
        opt = cls(learning_rate=0.123)
        config = opt.get_config()
        assert config["name"] == name and config["learning_rate"] == 0.123
        again = optimizers.get(optimizers.serialize(opt))
        assert type(again) is cls and again.get_config() == config
        assert type(optimizers.get(name.upper())) is cls


def test_state_round_trip_resumes_training_exactly():
    x = np.random.default_rng(0).standard_normal((40, 3))
    y = (x.sum(axis=1) > 0).astype(np.float32)

    def model():
        set_random_seed(1)
        m = Sequential([Dense(5, input_dim=3, activation="relu"), Dense(1, activation="sigmoid")])
        m.compile(optimizer=optimizers.Adam(0.01), loss="binary_crossentropy")
        return m

    straight = model()
    straight.fit(x, y, epochs=6, batch_size=8, shuffle=False, verbose=0)

    first = model()
    first.fit(x, y, epochs=3, batch_size=8, shuffle=False, verbose=0)
    state, weights = first.optimizer.get_state(), first.get_weights()
    assert int(state["iterations"]) == 15 and state["0/exp_avg"].shape == (3, 5)
    resumed = model()
    resumed.set_weights(weights)
    resumed.optimizer.build(resumed.trainable_weights)  # built at the first fit, as in Keras
    resumed.optimizer.set_state(state)
    assert resumed.optimizer.iterations == 15
    resumed.fit(x, y, epochs=6, initial_epoch=3, batch_size=8, shuffle=False, verbose=0)
    for a, b in zip(resumed.get_weights(), straight.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_set_state_refuses_bad_states():
    params, grads = params_and_grads(6)
    opt = optimizers.Adam()
    run(opt, params, grads[:2])
    state = opt.get_state()
    fresh = optimizers.Adam()
    with pytest.raises(RuntimeError, match="not built"):
        fresh.set_state(state)
    bad = dict(state)
    bad["0/exp_avg"] = np.zeros((2, 2))
    with pytest.raises(ValueError, match="shape"):
        opt.set_state(bad)
    with pytest.raises(ValueError, match="unexpected entry"):
        opt.set_state({**state, "junk": np.zeros(1)})
    with pytest.raises(ValueError, match="iterations"):
        opt.set_state({**state, "iterations": np.array(-1)})
    with pytest.raises(ValueError, match="iterations"):
        opt.set_state({})
    opt.set_state({"iterations": np.array(0)})  # a fresh state
    assert opt.iterations == 0 and opt.get_state() == {"iterations": 0}


def test_one_optimizer_serves_one_model():
    a = Sequential([Dense(1, input_dim=2)])
    b = Sequential([Dense(1, input_dim=2)])
    opt = optimizers.Adam()
    x, y = np.ones((4, 2)), np.ones(4)
    a.compile(optimizer=opt, loss="mse")
    a.fit(x, y, verbose=0)  # the optimizer is built at the first fit, as in Keras
    a.compile(optimizer=opt, loss="mse")  # the same model again is fine
    a.fit(x, y, verbose=0)
    b.compile(optimizer=opt, loss="mse")
    with pytest.raises(ValueError, match="another model"):
        b.fit(x, y, verbose=0)


@pytest.mark.parametrize("make, error", [
    (lambda: optimizers.Adam(learning_rate=-0.1), ValueError),
    (lambda: optimizers.Adam(beta_1=1.0), ValueError),
    (lambda: optimizers.Adam(epsilon="small"), TypeError),
    (lambda: optimizers.SGD(momentum=-0.5), ValueError),
    (lambda: optimizers.SGD(nesterov=True), ValueError),
    (lambda: optimizers.RMSprop(rho=1.5), ValueError),
    (lambda: optimizers.RMSprop(weight_decay=-1), ValueError),
    (lambda: optimizers.get("adamw"), ValueError),
    (lambda: optimizers.get({"class_name": "Nadam"}), ValueError),
    (lambda: optimizers.get(3), TypeError),
    (lambda: optimizers.get(optim.SGD([Parameter(np.zeros(1))])), TypeError),
])
def test_bad_optimizer_arguments(make, error):
    with pytest.raises(error):
        make()


def test_unknown_optimizer_lists_the_valid_names():
    with pytest.raises(ValueError, match=r"\['adam', 'rmsprop', 'sgd'\]"):
        optimizers.get("adamw")
