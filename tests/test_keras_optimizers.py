"""pynn.keras.optimizers: Keras 3's update formulas (written out here in float64 NumPy) step for
step for every optimizer, clipping, weight decay, gradient accumulation, learning-rate schedules
(Keras's formulas), the learning_rate variable callbacks read and set, configs, Keras's argument
checks, and the state that lets training resume exactly."""
import math
import warnings

import numpy as np
import pytest

import pynn

from pynn import optim
from pynn.keras import backend, constraints, optimizers
from pynn.keras.layers import Dense
from pynn.keras.models import Sequential
from pynn.keras.optimizers import schedules
from pynn.keras.utils import set_random_seed
from pynn.nn import Parameter

STEPS = 12


@pytest.fixture(autouse=True)
def float64_learning_rates():
    """The tests run in float64, so that the learning-rate variable is float64 too (Keras makes
    it of floatx) and the formulas can be compared to rounding."""
    backend.set_floatx("float64")
    yield
    backend.set_floatx("float32")


def params_and_grads(seed, steps=STEPS):
    rng = np.random.default_rng(seed)
    params = [Parameter(rng.standard_normal((3, 2))), Parameter(rng.standard_normal(4))]
    grads = [[rng.standard_normal(p.shape) for p in params] for _ in range(steps)]
    return params, grads


def run(opt, params, grads):
    opt.build(params)
    for step in grads:
        for p, g in zip(params, step):
            p.grad = pynn.tensor(g)
        opt.apply()
    return [p.detach().numpy().copy() for p in params]


# ---- Keras's update_step, one variable, in float64 NumPy -----------------------------------------

def keras_sgd(p, grads, learning_rate=0.01, momentum=0.0, nesterov=False):
    m = np.zeros_like(p)
    for g in grads:
        if momentum:
            m = m * momentum - g * learning_rate
            p = p + (m * momentum - g * learning_rate if nesterov else m)
        else:
            p = p - g * learning_rate
    return p


def keras_adam(p, grads, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
               amsgrad=False):
    m, v, v_hat = np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)
    for t, g in enumerate(grads, start=1):
        alpha = learning_rate * np.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
        m = m + (g - m) * (1 - beta_1)
        v = v + (g * g - v) * (1 - beta_2)
        if amsgrad:
            v_hat = np.maximum(v_hat, v)
        p = p - m * alpha / (np.sqrt(v_hat if amsgrad else v) + epsilon)
    return p


def keras_adamax(p, grads, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    m, u = np.zeros_like(p), np.zeros_like(p)
    for t, g in enumerate(grads, start=1):
        m = m + (g - m) * (1 - beta_1)
        u = np.maximum(beta_2 * u, np.abs(g))
        p = p - learning_rate * m / ((1 - beta_1 ** t) * (u + epsilon))
    return p


def keras_nadam(p, grads, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
    m, v, u_product = np.zeros_like(p), np.zeros_like(p), 1.0
    for t, g in enumerate(grads, start=1):
        u_t = beta_1 * (1 - 0.5 * 0.96 ** t)
        u_t_1 = beta_1 * (1 - 0.5 * 0.96 ** (t + 1))
        u_product = u_product * u_t
        m = m + (g - m) * (1 - beta_1)
        v = v + (g * g - v) * (1 - beta_2)
        m_hat = u_t_1 * m / (1 - u_product * u_t_1) + (1 - u_t) * g / (1 - u_product)
        v_hat = v / (1 - beta_2 ** t)
        p = p - m_hat * learning_rate / (np.sqrt(v_hat) + epsilon)
    return p


def keras_rmsprop(p, grads, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
                  centered=False):
    v, a, buf = np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)
    for g in grads:
        v = rho * v + (1 - rho) * g * g
        denominator = v + epsilon
        if centered:
            a = rho * a + (1 - rho) * g
            denominator = v - a * a + epsilon
        increment = learning_rate * g / np.sqrt(denominator)  # eps under the square root
        buf = momentum * buf + increment
        p = p - (buf if momentum > 0 else increment)
    return p


def keras_adagrad(p, grads, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7):
    acc = np.full_like(p, initial_accumulator_value)
    for g in grads:
        acc = acc + g * g
        p = p - learning_rate * g / np.sqrt(acc + epsilon)
    return p


def keras_adadelta(p, grads, learning_rate=0.001, rho=0.95, epsilon=1e-7):
    a, b = np.zeros_like(p), np.zeros_like(p)
    for g in grads:
        a = rho * a + (1 - rho) * g * g
        delta = -np.sqrt(b + epsilon) * g / np.sqrt(a + epsilon)
        b = rho * b + (1 - rho) * delta * delta
        p = p + learning_rate * delta
    return p


def keras_ftrl(p, grads, learning_rate=0.001, learning_rate_power=-0.5,
               initial_accumulator_value=0.1, l1_regularization_strength=0.0,
               l2_regularization_strength=0.0, l2_shrinkage_regularization_strength=0.0,
               beta=0.0):
    accum, linear = np.full_like(p, initial_accumulator_value), np.zeros_like(p)
    lr, power = learning_rate, -learning_rate_power
    l2 = l2_regularization_strength + beta / (2 * lr)
    for g in grads:
        new_accum = accum + g * g
        linear = linear + (g + 2 * l2_shrinkage_regularization_strength * p
                           - (new_accum ** power - accum ** power) / lr * p)
        quadratic = new_accum ** power / lr + 2 * l2
        l1 = l1_regularization_strength
        p = (np.clip(linear, -l1, l1) - linear) / quadratic
        accum = new_accum
    return p


def keras_lion(p, grads, learning_rate=0.001, beta_1=0.9, beta_2=0.99):
    m = np.zeros_like(p)
    for g in grads:
        p = p - learning_rate * np.sign(m * beta_1 + g * (1 - beta_1))
        m = m * beta_2 + g * (1 - beta_2)
    return p


FORMULAS = [
    (optimizers.SGD, keras_sgd, {}),
    (optimizers.SGD, keras_sgd, dict(learning_rate=0.1, momentum=0.9)),
    (optimizers.SGD, keras_sgd, dict(learning_rate=0.05, momentum=0.7, nesterov=True)),
    (optimizers.Adam, keras_adam, {}),
    (optimizers.Adam, keras_adam, dict(learning_rate=0.05, beta_1=0.8, beta_2=0.99,
                                       epsilon=1e-3)),
    (optimizers.Adam, keras_adam, dict(learning_rate=0.05, amsgrad=True)),
    (optimizers.Adamax, keras_adamax, {}),
    (optimizers.Adamax, keras_adamax, dict(learning_rate=0.02, beta_1=0.8, epsilon=1e-3)),
    (optimizers.Nadam, keras_nadam, {}),
    (optimizers.Nadam, keras_nadam, dict(learning_rate=0.02, beta_2=0.9)),
    (optimizers.RMSprop, keras_rmsprop, {}),
    (optimizers.RMSprop, keras_rmsprop, dict(learning_rate=0.01, rho=0.8, momentum=0.5,
                                             epsilon=1e-4, centered=True)),
    (optimizers.Adagrad, keras_adagrad, {}),
    (optimizers.Adagrad, keras_adagrad, dict(learning_rate=0.1, initial_accumulator_value=0.5)),
    (optimizers.Adadelta, keras_adadelta, {}),
    (optimizers.Adadelta, keras_adadelta, dict(learning_rate=1.0, rho=0.9)),
    (optimizers.Ftrl, keras_ftrl, {}),
    (optimizers.Ftrl, keras_ftrl, dict(learning_rate=0.1, l1_regularization_strength=0.01,
                                       l2_regularization_strength=0.02,
                                       l2_shrinkage_regularization_strength=0.01, beta=0.1)),
    (optimizers.Lion, keras_lion, {}),
    (optimizers.Lion, keras_lion, dict(learning_rate=0.01, beta_1=0.8)),
]


@pytest.mark.parametrize("cls, formula, kwargs", FORMULAS,
                         ids=[f"{c.__name__}-{i}" for i, (c, _, _) in enumerate(FORMULAS)])
def test_each_optimizer_is_keras_update_step(cls, formula, kwargs):
    params, grads = params_and_grads(0)
    start = [p.detach().numpy().copy() for p in params]
    got = run(cls(**kwargs), params, grads)
    for i, p0 in enumerate(start):
        want = formula(p0, [g[i] for g in grads], **kwargs)
        np.testing.assert_allclose(got[i], want, rtol=1e-12, atol=1e-14)


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


def test_float32_sgd_and_adam_run_in_c_as_keras_computes_them():
    """In float32 (the default), SGD's and Adam's C kernels agree with Keras's formulas to
    float32 rounding."""
    backend.set_floatx("float32")
    for cls, formula, lr in [(optimizers.SGD, keras_sgd, 0.1),
                             (optimizers.Adam, keras_adam, 0.01)]:
        params, grads = params_and_grads(2)
        params = [Parameter(p.detach().numpy().astype(np.float32)) for p in params]
        grads = [[g.astype(np.float32) for g in step] for step in grads]
        start = [p.detach().numpy().astype(np.float64) for p in params]
        got = run(cls(learning_rate=lr), params, grads)
        for i, p0 in enumerate(start):
            want = formula(p0, [g[i] for g in grads], learning_rate=float(np.float32(lr)))
            np.testing.assert_allclose(got[i], want, rtol=2e-5, atol=2e-6)


def test_weight_decay_is_decoupled_as_in_keras_and_adamw_defaults_to_it():
    params, grads = params_and_grads(4)
    start = params[0].detach().numpy().copy()
    opt = optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
    opt.build(params)
    params[0].grad = pynn.tensor(grads[0][0])
    with pytest.warns(UserWarning, match="Gradients do not exist"):
        opt.apply()
    want = start - start * 0.5 * 0.1 - 0.1 * grads[0][0]
    np.testing.assert_allclose(params[0].data, want, rtol=1e-12)
    np.testing.assert_array_equal(params[1].data, params_and_grads(4)[0][1].data)  # no grad

    params, grads = params_and_grads(5, steps=4)
    start = params[0].detach().numpy().copy()
    got = run(optimizers.AdamW(learning_rate=0.01, weight_decay=0.1), params, grads)
    p, m, v = start, 0.0, 0.0
    for t, step in enumerate(grads, start=1):  # the decay, then Adam's step
        p = p - p * 0.1 * 0.01
        g = step[0]
        m, v = m + (g - m) * 0.1, v + (g * g - v) * 0.001
        p = p - m * 0.01 * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t) / (np.sqrt(v) + 1e-7)
    np.testing.assert_allclose(got[0], p, rtol=1e-12)
    assert optimizers.AdamW().weight_decay == 0.004
    with pytest.raises(ValueError, match="weight_decay"):
        optimizers.AdamW(weight_decay=None)


@pytest.mark.parametrize("kwargs, transform", [
    (dict(clipnorm=0.5), lambda gs: [g * 0.5 / max(np.linalg.norm(g), 0.5) for g in gs]),
    (dict(global_clipnorm=0.5),
     lambda gs: [g * 0.5 / max(math.sqrt(sum(np.sum(x * x) for x in gs)), 0.5) for g in gs]),
    (dict(clipvalue=0.3), lambda gs: [np.clip(g, -0.3, 0.3) for g in gs]),
])
def test_gradient_clipping_as_keras(kwargs, transform):
    params, grads = params_and_grads(6)
    start = [p.detach().numpy().copy() for p in params]
    got = run(optimizers.SGD(learning_rate=0.1, **kwargs), params, grads)
    clipped = [transform(step) for step in grads]
    for i, p0 in enumerate(start):
        want = keras_sgd(p0, [g[i] for g in clipped], learning_rate=0.1)
        np.testing.assert_allclose(got[i], want, rtol=1e-12)


def test_gradient_accumulation_updates_with_the_mean_every_n_steps():
    params, grads = params_and_grads(7, steps=6)
    start = [p.detach().numpy().copy() for p in params]
    opt = optimizers.SGD(learning_rate=0.1, gradient_accumulation_steps=3)
    got = run(opt, params, grads)
    for i, p0 in enumerate(start):
        means = [(grads[k][i] + grads[k + 1][i] + grads[k + 2][i]) / 3 for k in (0, 3)]
        np.testing.assert_allclose(got[i], keras_sgd(p0, means, learning_rate=0.1), rtol=1e-12)
    assert opt.iterations == 2


class Constrained(Parameter):
    """A weight with a Keras constraint, as a layer's add_weight(constraint=...) makes one."""
    __slots__ = ("constraint",)


def test_constraints_project_the_weights_after_each_update():
    params, grads = params_and_grads(8, steps=3)
    params[0] = Constrained(params[0])
    params[0].constraint = constraints.NonNeg()
    run(optimizers.SGD(learning_rate=1.0), params, grads)
    assert (params[0].detach().numpy() >= 0).all() and (params[1].detach().numpy() < 0).any()


# ---- learning rate: a variable, a schedule, a callable -------------------------------------------

def test_learning_rate_is_a_variable_callbacks_read_and_set():
    backend.set_floatx("float32")
    params, grads = params_and_grads(9)
    opt = optimizers.SGD(learning_rate=0.1)
    lr = opt.learning_rate
    assert float(lr) == pytest.approx(0.1) and lr.dtype == np.float32
    assert lr.numpy() == np.float32(0.1) and f"{lr:.3f}" == "0.100"
    assert isinstance(lr * 0.5, np.floating) and "learning_rate" in repr(lr)
    opt.learning_rate = lr * 0.5  # as a schedule callback does
    assert float(opt.learning_rate) == pytest.approx(0.05)
    opt.learning_rate.assign(0.0)
    opt.build(params)
    before = params[0].detach().numpy().copy()
    params[0].grad, params[1].grad = (pynn.tensor(g) for g in grads[0])
    opt.apply()
    np.testing.assert_array_equal(params[0].data, before)
    assert opt.iterations == 1 and int(opt.iterations) == 1
    with pytest.raises(ValueError, match="learning_rate"):
        opt.learning_rate = -1.0


def test_a_schedule_sets_each_update_rate_from_the_iteration_count():
    schedule = schedules.ExponentialDecay(0.1, decay_steps=2, decay_rate=0.5)
    params, grads = params_and_grads(10, steps=5)
    start = [p.detach().numpy().copy() for p in params]
    opt = optimizers.SGD(learning_rate=schedule)
    got = run(opt, params, grads)
    p = start[0]
    for t, step in enumerate(grads):
        p = p - float(np.float32(0.1) * np.float32(0.5) ** np.float32(t / 2)) * step[0]
    np.testing.assert_allclose(got[0], p, rtol=1e-6)
    assert float(opt.learning_rate) == pytest.approx(0.1 * 0.5 ** 2.5, rel=1e-6)
    with pytest.raises(TypeError, match="not settable"):
        opt.learning_rate = 0.01
    again = optimizers.get(optimizers.serialize(opt))
    assert isinstance(again._learning_rate, schedules.ExponentialDecay)
    assert again._learning_rate.get_config() == schedule.get_config()


def test_a_callable_learning_rate_is_called_before_each_update():
    rates = iter([0.1, 0.2, 0.3])
    params, grads = params_and_grads(11, steps=3)
    start = params[0].detach().numpy().copy()
    run(optimizers.SGD(learning_rate=lambda: next(rates)), params, grads)
    want = start - 0.1 * grads[0][0] - 0.2 * grads[1][0] - 0.3 * grads[2][0]
    np.testing.assert_allclose(params[0].data, want, rtol=1e-12)


def _keras_cosine(step, initial, decay_steps, alpha):
    step = min(step, decay_steps)
    return initial * ((1 - alpha) * 0.5 * (1 + np.cos(np.pi * step / decay_steps)) + alpha)


@pytest.mark.parametrize("schedule, formula", [
    (schedules.ExponentialDecay(0.1, 10, 0.5), lambda s: 0.1 * 0.5 ** (s / 10)),
    (schedules.ExponentialDecay(0.1, 10, 0.5, staircase=True),
     lambda s: 0.1 * 0.5 ** np.floor(s / 10)),
    (schedules.PiecewiseConstantDecay([5, 20], [0.1, 0.01, 0.001]),
     lambda s: 0.1 if s <= 5 else 0.01 if s <= 20 else 0.001),
    (schedules.PolynomialDecay(0.1, 30, end_learning_rate=0.001, power=2.0),
     lambda s: (0.1 - 0.001) * (1 - min(s, 30) / 30) ** 2 + 0.001),
    (schedules.PolynomialDecay(0.1, 7, cycle=True),
     lambda s: (0.1 - 0.0001) * (1 - s / (7 * max(1, np.ceil(s / 7)))) + 0.0001),
    (schedules.InverseTimeDecay(0.1, 4, 0.5), lambda s: 0.1 / (1 + 0.5 * s / 4)),
    (schedules.InverseTimeDecay(0.1, 4, 0.5, staircase=True),
     lambda s: 0.1 / (1 + 0.5 * np.floor(s / 4))),
    (schedules.CosineDecay(0.1, 25, alpha=0.1), lambda s: _keras_cosine(s, 0.1, 25, 0.1)),
    (schedules.CosineDecay(0.0, 25, warmup_target=0.1, warmup_steps=10),
     lambda s: 0.1 * s / 10 if s < 10 else _keras_cosine(s - 10, 0.1, 25, 0.0)),
    (schedules.CosineDecayRestarts(0.1, 5, t_mul=1.0, m_mul=0.5, alpha=0.1),
     lambda s: 0.1 * (0.9 * 0.5 * 0.5 ** (s // 5) * (1 + np.cos(np.pi * (s % 5) / 5)) + 0.1)),
    (schedules.CosineDecayRestarts(0.1, 5),  # periods 5, 10, 20, 40: restarts at 5, 15, 35
     lambda s: 0.1 * 0.5 * (1 + np.cos(np.pi * (s / 5 if s < 5 else (s - 5) / 10 if s < 15
                                                 else (s - 15) / 20 if s < 35
                                                 else (s - 35) / 40)))),
], ids=lambda v: type(v).__name__ if isinstance(v, schedules.LearningRateSchedule) else "")
def test_schedules_follow_keras_formulas(schedule, formula):
    got = [float(schedule(s)) for s in range(50)]
    np.testing.assert_allclose(got, [formula(s) for s in range(50)], rtol=1e-5, atol=1e-8)
    again = schedules.deserialize(schedules.serialize(schedule))
    assert type(again) is type(schedule) and again.get_config() == schedule.get_config()


@pytest.mark.parametrize("make, match", [
    (lambda: schedules.ExponentialDecay(0.1, 0, 0.5), "decay_steps"),
    (lambda: schedules.PiecewiseConstantDecay([1, 2], [0.1, 0.2]), "1 less"),
    (lambda: schedules.CosineDecayRestarts(0.1, -1), "first_decay_steps"),
    (lambda: schedules.deserialize({"class_name": "Nope"}), "valid class names"),
])
def test_bad_schedules(make, match):
    with pytest.raises(ValueError, match=match):
        make()


# ---- names, configs, arguments ---------------------------------------------------------------------

@pytest.mark.parametrize("name, cls", [
    ("sgd", optimizers.SGD), ("SGD", optimizers.SGD), ("adam", optimizers.Adam),
    ("Adam", optimizers.Adam), ("adamw", optimizers.AdamW), ("adamax", optimizers.Adamax),
    ("nadam", optimizers.Nadam), ("rmsprop", optimizers.RMSprop),
    ("RMSprop", optimizers.RMSprop), ("adagrad", optimizers.Adagrad),
    ("adadelta", optimizers.Adadelta), ("ftrl", optimizers.Ftrl), ("lion", optimizers.Lion)])
def test_names_give_keras_defaults_and_configs_round_trip(name, cls):
    opt = optimizers.get(name)
    assert type(opt) is cls and opt.get_config() == cls().get_config()
    custom = cls(learning_rate=0.125, name="mine")
    config = custom.get_config()
    assert config["name"] == "mine" and config["learning_rate"] == 0.125
    again = optimizers.get(optimizers.serialize(custom))
    assert type(again) is cls and again.get_config() == config


def test_default_names_are_keras_ones():
    names = {cls: cls().name for cls in optimizers.ALL.values()}
    assert names[optimizers.SGD] == "SGD" and names[optimizers.Adam] == "adam"
    assert names[optimizers.RMSprop] == "rmsprop" and names[optimizers.AdamW] == "adamw"


def test_state_round_trip_resumes_training_exactly():
    backend.set_floatx("float32")
    x = np.random.default_rng(0).standard_normal((40, 3))
    y = (x.sum(axis=1) > 0).astype(np.float32)

    def model(opt):
        set_random_seed(1)
        m = Sequential([Dense(5, input_dim=3, activation="relu"), Dense(1, activation="sigmoid")])
        m.compile(optimizer=opt, loss="binary_crossentropy")
        return m

    for make in (lambda: optimizers.Adam(0.01), lambda: optimizers.Nadam(0.01),
                 lambda: optimizers.SGD(0.1, momentum=0.9)):
        straight = model(make())
        straight.fit(x, y, epochs=6, batch_size=8, shuffle=False, verbose=0)
        first = model(make())
        first.fit(x, y, epochs=3, batch_size=8, shuffle=False, verbose=0)
        state, weights = first.optimizer.get_state(), first.get_weights()
        assert int(state["iterations"]) == 15
        resumed = model(make())
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


def test_keras_2_arguments_fail_or_warn_as_in_keras_3():
    with pytest.raises(ValueError, match=r"not recognized: \{'lr': 0.1\}.*learning_rate"):
        optimizers.SGD(lr=0.1)
    with pytest.warns(UserWarning, match="`decay` is no longer supported"):
        optimizers.SGD(0.1, decay=1e-6, momentum=0.9, nesterov=True)


@pytest.mark.parametrize("make, error, match", [
    (lambda: optimizers.Adam(learning_rate=1), ValueError, "should be float"),
    (lambda: optimizers.Adam(learning_rate="0.1"), ValueError, "should be float"),
    (lambda: optimizers.Adam(learning_rate=-0.1), ValueError, "learning_rate"),
    (lambda: optimizers.Adam(epsilon="small"), TypeError, "epsilon"),
    (lambda: optimizers.SGD(momentum=1), ValueError, "momentum"),
    (lambda: optimizers.SGD(momentum=-0.5), ValueError, "momentum"),
    (lambda: optimizers.Adam(clipnorm=1.0, clipvalue=1.0), ValueError, "Only one of"),
    (lambda: optimizers.Adam(use_ema=True), ValueError, "use_ema"),
    (lambda: optimizers.Adam(gradient_accumulation_steps=1), ValueError, ">= 2"),
    (lambda: optimizers.Ftrl(learning_rate_power=0.5), ValueError, "negative or zero"),
    (lambda: optimizers.Ftrl(l1_regularization_strength=-1.0), ValueError, "positive or zero"),
    (lambda: optimizers.Lion(beta_1=0.0), ValueError, "beta_1"),
    (lambda: optimizers.RMSprop(weight_decay=-1), ValueError, "weight_decay"),
    (lambda: optimizers.get({"class_name": "Adafactor"}), ValueError, "valid names"),
    (lambda: optimizers.get("adamm"), ValueError, r"\['adadelta', 'adagrad', 'adam'"),
    (lambda: optimizers.get(3), ValueError, "Could not interpret"),
    (lambda: optimizers.get(optim.SGD([Parameter(np.zeros(1))])), TypeError, "pynn.optim"),
])
def test_bad_optimizer_arguments(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_apply_gradients_and_apply_with_explicit_gradients():
    params, grads = params_and_grads(12, steps=2)
    start = params[0].detach().numpy().copy()
    opt = optimizers.SGD(learning_rate=0.1)
    opt.apply_gradients(zip(grads[0], params))
    opt.apply(grads[1])
    np.testing.assert_allclose(params[0].data, start - 0.1 * (grads[0][0] + grads[1][0]),
                               rtol=1e-12)
    with pytest.raises(ValueError, match="No gradients"):
        opt.apply([None, None])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert opt.iterations == 2
