"""pynn.keras.activations: every Keras 3 activation against its formula (written out here in
float64 NumPy), gradchecked in float64, relu's Keras options, names and aliases, get/serialize,
and activation strings and callables in Dense."""
import math

import numpy as np
import pytest

import pynn
from pynn.keras import activations
from pynn.keras.layers import Dense
from pynn.keras.models import Sequential

X = np.concatenate([np.linspace(-7.3, 7.1, 41), [-2.9, -0.97, -0.3, 0.4, 0.95, 2.9]])
_erf = np.vectorize(math.erf)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softplus(x):
    return np.logaddexp(x, 0)


def softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


SELU_ALPHA, SELU_SCALE = 1.67326324235437728, 1.05070098735548049
FORMULAS = {  # Keras 3's definitions
    "relu": lambda x: np.maximum(x, 0),
    "relu6": lambda x: np.clip(x, 0, 6),
    "leaky_relu": lambda x: np.where(x >= 0, x, 0.2 * x),
    "elu": lambda x: np.where(x > 0, x, np.expm1(x)),
    "selu": lambda x: SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(x)),
    "celu": lambda x: np.where(x >= 0, x, np.expm1(x)),
    "gelu": lambda x: 0.5 * x * (1 + _erf(x / np.sqrt(2))),
    "silu": lambda x: x * sigmoid(x),
    "swish": lambda x: x * sigmoid(x),
    "softplus": softplus,
    "softsign": lambda x: x / (1 + np.abs(x)),
    "sigmoid": sigmoid,
    "tanh": np.tanh,
    "hard_sigmoid": lambda x: np.clip(x / 6 + 0.5, 0, 1),
    "hard_silu": lambda x: x * np.clip(x / 6 + 0.5, 0, 1),
    "hard_swish": lambda x: x * np.clip(x / 6 + 0.5, 0, 1),
    "hard_tanh": lambda x: np.clip(x, -1, 1),
    "exponential": np.exp,
    "mish": lambda x: x * np.tanh(softplus(x)),
    "linear": lambda x: x,
    "log_sigmoid": lambda x: -softplus(-x),
    "tanh_shrink": lambda x: x - np.tanh(x),
    "hard_shrink": lambda x: np.where(np.abs(x) > 0.5, x, 0),
    "soft_shrink": lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0)),
    "squareplus": lambda x: (x + np.sqrt(x * x + 4)) / 2,
    "sparse_plus": lambda x: np.where(x <= -1, 0, np.where(x >= 1, x, (x + 1) ** 2 / 4)),
    "sparse_sigmoid": lambda x: np.where(x <= -1, 0, np.where(x >= 1, 1, (x + 1) / 2)),
    "softmax": softmax,
    "log_softmax": lambda x: np.log(softmax(x)),
}
KINKS = {"relu": [0], "relu6": [0, 6], "leaky_relu": [0], "hard_sigmoid": [-3, 3],
         "hard_silu": [-3, 3], "hard_swish": [-3, 3], "hard_tanh": [-1, 1],
         "hard_shrink": [-0.5, 0.5], "soft_shrink": [-0.5, 0.5], "sparse_plus": [-1, 1],
         "sparse_sigmoid": [-1, 1], "elu": [0], "selu": [0], "celu": [0]}


def test_every_keras_activation_name_is_known():
    keras_names = {"celu", "elu", "exponential", "gelu", "glu", "hard_shrink", "hard_sigmoid",
                   "hard_silu", "hard_swish", "hard_tanh", "leaky_relu", "linear", "log_sigmoid",
                   "log_softmax", "mish", "relu", "relu6", "selu", "sigmoid", "silu",
                   "soft_shrink", "softmax", "softplus", "softsign", "sparse_plus",
                   "sparse_sigmoid", "squareplus", "swish", "tanh", "tanh_shrink", "threshold"}
    assert keras_names - {"sparsemax"} <= set(activations.ALL) | set(activations.ALIASES)


@pytest.mark.parametrize("name", sorted(FORMULAS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_forward_is_keras_formula(name, dtype):
    x = X.reshape(-1, 1) if name in ("softmax", "log_softmax") else X
    x = np.stack([X, X[::-1]]) if name in ("softmax", "log_softmax") else x
    got = activations.get(name)(pynn.tensor(x.astype(dtype)))
    assert got.dtype == getattr(pynn, np.dtype(dtype).name)
    tol = 1e-6 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(got.numpy(), FORMULAS[name](x), rtol=tol, atol=tol)


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_gradcheck_float64(name):
    x = X[np.all([np.abs(X - k) > 1e-3 for k in KINKS.get(name, [1e9])], axis=0)]
    if name in ("softmax", "log_softmax"):
        x = np.stack([x[:20], x[20:40]])
    t = pynn.tensor(x, requires_grad=True)
    assert pynn.gradcheck(activations.get(name), [t])


RELU_OPTIONS = [dict(negative_slope=0.3), dict(max_value=4.0), dict(threshold=1.5),
                dict(max_value=6.0), dict(negative_slope=0.3, max_value=4.0, threshold=1.5),
                dict(negative_slope=0.3, threshold=-1.0), dict(threshold=-2.0)]


def keras_relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Keras 3's ReLU.static_call, in NumPy."""
    if negative_slope and max_value is None and threshold == 0:
        return np.where(x >= 0, x, negative_slope * x)
    y = np.where(x > threshold, x, 0)
    if max_value is not None:
        y = np.clip(y, 0, max_value)
    return y - negative_slope * np.maximum(threshold - x, 0)


@pytest.mark.parametrize("kwargs", RELU_OPTIONS, ids=str)
def test_relu_options_follow_keras(kwargs):
    np.testing.assert_allclose(activations.relu(pynn.tensor(X), **kwargs).numpy(),
                               keras_relu(X, **kwargs), rtol=1e-12)
    x = X[np.all([np.abs(X - k) > 1e-3 for k in (0, 1.5, -1.0, -2.0, 4.0, 6.0)], axis=0)]
    assert pynn.gradcheck(lambda t: activations.relu(t, **kwargs),
                          [pynn.tensor(x, requires_grad=True)])


def test_relu_documented_examples():
    x = pynn.tensor([-10, -5, 0.0, 5, 10])
    assert activations.relu(x).tolist() == [0, 0, 0, 5, 10]
    assert activations.relu(x, negative_slope=0.5).tolist() == [-5, -2.5, 0, 5, 10]
    assert activations.relu(x, max_value=5.0).tolist() == [0, 0, 0, 5, 5]
    assert activations.relu(x, threshold=5.0).tolist() == [0, 0, 0, 0, 10]


def test_arguments_of_the_parametrized_ones():
    x = np.linspace(-3, 3, 13)
    t = pynn.tensor(x)
    np.testing.assert_allclose(activations.leaky_relu(t, 0.1).numpy(),
                               np.where(x >= 0, x, 0.1 * x))
    np.testing.assert_allclose(activations.elu(t, alpha=2.0).numpy(),
                               np.where(x > 0, x, 2 * np.expm1(x)))
    approx = 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))
    np.testing.assert_allclose(activations.gelu(t, approximate=True).numpy(), approx, rtol=1e-12)
    np.testing.assert_allclose(activations.threshold(t, 0.5, -3.0).numpy(),
                               np.where(x > 0.5, x, -3.0))
    np.testing.assert_allclose(activations.hard_shrink(t, threshold=1.0).numpy(),
                               np.where(np.abs(x) > 1, x, 0))
    np.testing.assert_allclose(activations.squareplus(t, b=1).numpy(),
                               (x + np.sqrt(x * x + 1)) / 2)
    m = np.arange(12.0).reshape(3, 4)
    np.testing.assert_allclose(activations.softmax(pynn.tensor(m), axis=0).numpy(),
                               softmax(m, axis=0), rtol=1e-12)
    a, b = m[:, :2], m[:, 2:]
    np.testing.assert_allclose(activations.glu(pynn.tensor(m)).numpy(), a * sigmoid(b))


def test_activations_take_arrays_and_lists():
    assert activations.relu([-1.0, 2.0]).tolist() == [0.0, 2.0]
    assert activations.get("swish")(np.zeros(2, np.float32)).dtype == pynn.float32


def test_get_and_serialize():
    assert activations.get(None) is activations.linear
    assert activations.get("swish") is activations.silu
    assert activations.get("hard_swish") is activations.hard_silu
    fn = lambda x: x * 2  # noqa: E731
    assert activations.get(fn) is fn
    for name, fn in activations.ALL.items():
        assert activations.serialize(fn) == name and activations.get(name) is fn
    assert activations.deserialize({"class_name": "function", "config": "tanh"}) is \
        activations.tanh
    with pytest.raises(ValueError, match="Could not interpret activation function identifier"):
        activations.get("swishy")
    with pytest.raises(ValueError, match="Could not interpret"):
        activations.get(7)


@pytest.mark.parametrize("name", sorted((set(activations.ALL) | set(activations.ALIASES))
                                        - {"glu", "threshold"}))
def test_every_name_works_in_a_dense_layer(name):
    model = Sequential([Dense(4, input_dim=3, activation=name), Dense(2)])
    out = model.predict(np.ones((5, 3), np.float32), verbose=0)
    assert out.shape == (5, 2) and np.isfinite(out).all()


def test_a_callable_object_as_activation():
    class Scaled:
        def __call__(self, x):
            return x * 3

    layer = Dense(2, input_dim=2, activation=Scaled(), kernel_initializer="ones")
    out = Sequential([layer]).predict(np.ones((1, 2), np.float32), verbose=0)
    np.testing.assert_allclose(out, [[6.0, 6.0]])
