"""Activation functions with Keras 3's names, arguments and formulas (keras.activations), for
`activation='...'` strings and direct calls. Each takes a Tensor (or an array) and returns a
Tensor; relu, sigmoid and tanh run in the C kernels, which a Dense layer fuses into its product.
"""
import numpy as np

from .. import functional as F
from ..functional.activation import _pointwise
from ..tensor import as_tensor


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """max(x, 0); with Keras's options: values up to `threshold` become
    negative_slope * (x - threshold), and outputs are capped at max_value."""
    if negative_slope == 0 and max_value is None and threshold == 0:
        return F.relu(x)
    if max_value is None and threshold == 0:
        return F.leaky_relu(x, negative_slope)
    return _relu_general(x, float(negative_slope),
                         None if max_value is None else float(max_value), float(threshold))


def _relu_forward(x, slope, cap, threshold):
    y = np.where(x > threshold, x, 0)
    if cap is not None:
        y = np.clip(y, 0, cap)
    return y - slope * np.maximum(threshold - x, 0)


def _relu_derivative(x, y, slope, cap, threshold):
    passing = x > threshold
    if cap is not None:
        passing &= (x > 0) & (x < cap)
    return np.where(passing, 1.0, np.where(x < threshold, slope, 0.0))


_relu_general = _pointwise("relu", _relu_forward, _relu_derivative)


def leaky_relu(x, negative_slope=0.2):
    """x for x >= 0, negative_slope * x below (Keras's default slope is 0.2)."""
    return F.leaky_relu(x, negative_slope)


def relu6(x):
    return F.relu6(x)


def sigmoid(x):
    return F.sigmoid(x)


def tanh(x):
    return F.tanh(x)


def softmax(x, axis=-1):
    return F.softmax(x, dim=axis)


def log_softmax(x, axis=-1):
    return F.log_softmax(x, dim=axis)


def elu(x, alpha=1.0):
    return F.elu(x, alpha)


def selu(x):
    return F.selu(x)


def celu(x, alpha=1.0):
    return F.celu(x, alpha)


def gelu(x, approximate=False):
    """x * P(X <= x) for X ~ N(0, 1), exactly (erf), or by Keras's tanh approximation."""
    return F.gelu(x, "tanh" if approximate else "none")


def silu(x):
    """x * sigmoid(x), also named swish."""
    return F.silu(x)


def softplus(x):
    """log(exp(x) + 1), finite for any x."""
    return F.softplus(x)


def softsign(x):
    return F.softsign(x)


def hard_sigmoid(x):
    """0 below -3, 1 above 3, x / 6 + 0.5 between."""
    return F.hardsigmoid(x)


def hard_silu(x):
    """x * hard_sigmoid(x), also named hard_swish."""
    return F.hardswish(x)


def hard_tanh(x):
    return F.hardtanh(x)


def exponential(x):
    return as_tensor(x).exp()


def mish(x):
    """x * tanh(softplus(x))."""
    return F.mish(x)


def log_sigmoid(x):
    return F.logsigmoid(x)


def tanh_shrink(x):
    return F.tanhshrink(x)


def glu(x, axis=-1):
    """a * sigmoid(b), a and b the two halves of x along axis."""
    return F.glu(x, dim=axis)


def threshold(x, threshold, default_value):
    """x where x > threshold, else default_value."""
    return F.threshold(x, threshold, default_value)


_hard_shrink = _pointwise("hard_shrink", lambda x, t: np.where(np.abs(x) > t, x, 0),
                          lambda x, y, t: np.abs(x) > t)
_soft_shrink = _pointwise("soft_shrink",
                          lambda x, t: np.where(x > t, x - t, np.where(x < -t, x + t, 0)),
                          lambda x, y, t: np.abs(x) > t)
_squareplus = _pointwise("squareplus", lambda x, b: (x + np.sqrt(x * x + b)) / 2,
                         lambda x, y, b: (1 + x / np.sqrt(x * x + b)) / 2)
_sparse_plus = _pointwise(
    "sparse_plus", lambda x: np.where(x <= -1, 0, np.where(x >= 1, x, (x + 1) ** 2 / 4)),
    lambda x, y: np.where(x <= -1, 0, np.where(x >= 1, 1, (x + 1) / 2)))
_sparse_sigmoid = _pointwise(
    "sparse_sigmoid", lambda x: np.where(x <= -1, 0, np.where(x >= 1, 1, (x + 1) / 2)),
    lambda x, y: np.where((x > -1) & (x < 1), 0.5, 0))


def hard_shrink(x, threshold=0.5):
    """x where |x| > threshold, else 0."""
    return _hard_shrink(x, float(threshold))


def soft_shrink(x, threshold=0.5):
    """x moved threshold towards 0, and 0 within [-threshold, threshold]."""
    return _soft_shrink(x, float(threshold))


def squareplus(x, b=4):
    """(x + sqrt(x^2 + b)) / 2, a smooth relu."""
    return _squareplus(x, float(b))


def sparse_plus(x):
    """0 up to -1, (x + 1)^2 / 4 on (-1, 1), x from 1."""
    return _sparse_plus(x)


def sparse_sigmoid(x):
    """0 up to -1, (x + 1) / 2 on (-1, 1), 1 from 1."""
    return _sparse_sigmoid(x)


def linear(x):
    """The identity: a Dense layer without activation."""
    return as_tensor(x)


ALL = {fn.__name__: fn for fn in (
    relu, leaky_relu, relu6, softmax, celu, elu, selu, softplus, softsign, squareplus,
    soft_shrink, sparse_plus, silu, gelu, glu, tanh, tanh_shrink, threshold, sigmoid,
    sparse_sigmoid, exponential, hard_sigmoid, hard_silu, hard_tanh, hard_shrink, linear, mish,
    log_softmax, log_sigmoid)}
ALIASES = {"swish": silu, "hard_swish": hard_silu}
swish, hard_swish = silu, hard_silu  # keras.activations.swish is silu, as in Keras 3


def get(identifier):
    """The activation for a name ('relu', 'swish', ...), None (linear), a config dict or a
    callable (a function or a layer object such as LeakyReLU(), returned as it is)."""
    if identifier is None:
        return linear
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        found = ALL.get(identifier) or ALIASES.get(identifier)
        if found is None:
            raise ValueError(f"Could not interpret activation function identifier: "
                             f"{identifier!r}; valid names are {sorted({*ALL, *ALIASES})}")
        return found
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation function identifier: {identifier!r}")


def serialize(activation):
    """The name of a built-in (what get() takes back), a layer object's {'class_name',
    'config'}, or a custom function's __name__."""
    for name, fn in ALL.items():
        if fn is activation:
            return name
    if hasattr(activation, "get_config") and not isinstance(activation, type):
        return {"class_name": type(activation).__name__, "config": activation.get_config()}
    return getattr(activation, "__name__", type(activation).__name__)


def deserialize(config):
    """The activation serialize() described: a name, Keras's {'class_name': 'function',
    'config': name}, or a layer's {'class_name', 'config'} (LeakyReLU() as a Dense
    activation), which selects one of the layer classes already defined, never imports."""
    if isinstance(config, str):
        return get(config)
    if isinstance(config, dict) and config.get("class_name") == "function":
        return get(config.get("config"))
    if isinstance(config, dict) and isinstance(config.get("config", {}), dict):
        cls = _layer_classes().get(config.get("class_name"))
        if cls is not None:
            return cls.from_config(config.get("config", {}))
    raise ValueError(f"Could not interpret activation function identifier: {config!r}")


def _layer_classes():
    """name -> class of every Layer subclass defined so far."""
    from .layers.layer import Layer  # here: the layers import this module first
    found, stack = {}, [Layer]
    while stack:
        for sub in stack.pop().__subclasses__():
            found.setdefault(sub.__name__, sub)
            stack.append(sub)
    return found
