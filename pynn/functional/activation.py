"""Activation functions with PyTorch's names and defaults (torch.nn.functional): relu, sigmoid
and tanh run in the C kernels; the others are one graph node each, forward and backward here.
"""
import math
import warnings

import numpy as np

from .. import validate
from ..ops import elementwise
from ..ops.elementwise import _erf
from ..ops.shape import where
from ..tensor import Tensor, inplace, tensor
from .loss import log_softmax_array

def _tensor(input):
    return input if isinstance(input, Tensor) else tensor(input)


def relu(input, inplace=False):
    return _inplace_or_not(elementwise.relu, _tensor(input), inplace)


def sigmoid(input):
    return elementwise.sigmoid(_tensor(input))


def tanh(input):
    return elementwise.tanh(_tensor(input))


def _inplace_or_not(op, input, inplace_flag, *args):
    """op(input, *args), or written into input with inplace=True, as PyTorch's inplace flags."""
    if inplace_flag:
        return inplace(input, op, *args)
    return op(input, *args)


def _pointwise(name, forward, derivative):
    """An activation y = forward(x) whose derivative is derivative(x, y)."""
    def op(input, *args):
        x = _tensor(input)
        data = x._data if x._data.dtype.kind == "f" else x._data.astype(np.float32)
        with np.errstate(all="ignore"):
            out = np.asarray(forward(data, *args), data.dtype)

        def backward(g):
            with np.errstate(all="ignore"):
                return ((g * derivative(data, out, *args)).astype(g.dtype),)
        backward.__qualname__ = f"{name}.<locals>.backward"
        return Tensor.from_op(out, (x,), backward, saves_output=True)
    op.__name__ = op.__qualname__ = name
    return op


_leaky = _pointwise("leaky_relu", lambda x, a: np.where(x >= 0, x, a * x),
                    lambda x, y, a: np.where(x > 0, 1, a))
_elu = _pointwise("elu", lambda x, a: np.where(x > 0, x, a * np.expm1(np.minimum(x, 0))),
                  lambda x, y, a: np.where(x > 0, 1, y + a))
_softplus = _pointwise(
    "softplus", lambda x, b, t: np.where(b * x > t, x, np.log1p(np.exp(-np.abs(b * x))) / b
                                         + np.maximum(x, 0)),
    lambda x, y, b, t: np.where(b * x > t, 1, 1 / (1 + np.exp(-b * x))))
_hardtanh = _pointwise("hardtanh", lambda x, lo, hi: np.clip(x, lo, hi),
                       lambda x, y, lo, hi: (x > lo) & (x < hi))

SELU_ALPHA, SELU_SCALE = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946


def leaky_relu(input, negative_slope=0.01, inplace=False):
    return _inplace_or_not(_leaky, input, inplace, validate.number(negative_slope,
                                                                   "negative_slope"))


def elu(input, alpha=1.0, inplace=False):
    return _inplace_or_not(_elu, input, inplace, validate.number(alpha, "alpha"))


def selu(input, inplace=False):
    return _inplace_or_not(lambda x: elu(x, SELU_ALPHA) * SELU_SCALE, input, inplace)


def celu(input, alpha=1.0, inplace=False):
    return _inplace_or_not(lambda x: elu(x / alpha) * alpha, input, inplace)


def softplus(input, beta=1.0, threshold=20.0):
    return _softplus(input, validate.number(beta, "beta"), validate.number(threshold,
                                                                         "threshold"))


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    return _inplace_or_not(_hardtanh, input, inplace, float(min_val), float(max_val))


def relu6(input, inplace=False):
    return hardtanh(input, 0.0, 6.0, inplace)


gelu_exact = _pointwise(
    "gelu", lambda x: 0.5 * x * (1 + _erf(x / math.sqrt(2))),
    lambda x, y: 0.5 * (1 + _erf(x / math.sqrt(2)))
    + x * np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi))
_TANH_C = math.sqrt(2 / math.pi)
gelu_tanh = _pointwise(
    "gelu", lambda x: 0.5 * x * (1 + np.tanh(_TANH_C * (x + 0.044715 * x ** 3))),
    lambda x, y: 0.5 * (1 + np.tanh(_TANH_C * (x + 0.044715 * x ** 3)))
    + 0.5 * x * (1 - np.tanh(_TANH_C * (x + 0.044715 * x ** 3)) ** 2)
    * _TANH_C * (1 + 3 * 0.044715 * x * x))


def gelu(input, approximate="none"):
    if approximate not in ("none", "tanh"):
        raise ValueError(f"approximate argument must be either none or tanh, got {approximate!r}")
    return gelu_exact(input) if approximate == "none" else gelu_tanh(input)


def silu(input, inplace=False):
    """x * sigmoid(x) (swish)."""
    return _inplace_or_not(lambda x: x * sigmoid(x), input, inplace)


def mish(input, inplace=False):
    return _inplace_or_not(lambda x: x * tanh(softplus(x)), input, inplace)


def softsign(input):
    x = _tensor(input)
    return x / (1 + x.abs())


def hardsigmoid(input, inplace=False):
    return _inplace_or_not(lambda x: hardtanh(x / 6 + 0.5, 0.0, 1.0), input, inplace)


def hardswish(input, inplace=False):
    return _inplace_or_not(lambda x: x * hardsigmoid(x), input, inplace)


def logsigmoid(input):
    """log(sigmoid(x)) = -softplus(-x), finite for any x."""
    return -softplus(-_tensor(input))


def tanhshrink(input):
    x = _tensor(input)
    return x - tanh(x)


def threshold(input, threshold, value, inplace=False):
    """x where x > threshold, else value."""
    return _inplace_or_not(_above, _tensor(input), inplace, threshold, value)


def _above(x, threshold, value):
    return where(x > threshold, x, value)


def prelu(input, weight):
    """max(0, x) + weight * min(0, x), weight per channel (dim 1) or one for all."""
    x, w = _tensor(input), _tensor(weight)
    if w._data.size > 1 and x._data.ndim > 1:
        w = w.reshape((1, -1) + (1,) * (x._data.ndim - 2))
    return relu(x) - w * relu(-x)


def softmax(input, dim=None, dtype=None):
    """exp(x) / sum(exp(x)) along `dim`, computed from x - max(x) so that it cannot overflow."""
    x = _tensor(input) if dtype is None else _tensor(input).to(dtype)
    dim = _implicit_dim(x, dim, "softmax")
    with np.errstate(invalid="ignore"):
        e = np.exp(x._data - x._data.max(axis=dim, keepdims=True, initial=-np.inf))
        y = e / e.sum(axis=dim, keepdims=True)

    def backward(g):
        return (y * (g - (g * y).sum(axis=dim, keepdims=True)),)
    return Tensor.from_op(y, (x,), backward, saved=(), saves_output=True)


def log_softmax(input, dim=None, dtype=None):
    """log(softmax(x)) along `dim`, finite for any finite x."""
    x = _tensor(input) if dtype is None else _tensor(input).to(dtype)
    dim = _implicit_dim(x, dim, "log_softmax")
    out = log_softmax_array(x._data, dim)

    def backward(g):
        return (g - np.exp(out) * g.sum(axis=dim, keepdims=True),)
    return Tensor.from_op(out, (x,), backward, saved=(), saves_output=True)


def softmin(input, dim=None, dtype=None):
    return softmax(-_tensor(input), dim, dtype)


def _implicit_dim(x, dim, name):
    """The dim softmax works along: as given, or PyTorch's implicit choice (0 for 0-, 1- and
    3-D inputs, else 1) with its warning."""
    ndim = x._data.ndim
    if dim is None:
        warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the "
                      "call to include dim=X as an argument.", UserWarning, stacklevel=3)
        dim = 0 if ndim in (0, 1, 3) else 1
    return validate.axis(dim, ndim)


def hardshrink(input, lambd=0.5):
    """x where |x| > lambd, else 0."""
    x = _tensor(input)
    return where(x.abs() > lambd, x, 0.0)


def softshrink(input, lambd=0.5):
    """x - lambd above lambd, x + lambd below -lambd, else 0."""
    x = _tensor(input)
    return where(x > lambd, x - lambd, where(x < -lambd, x + lambd, 0.0))


def relu_(input):
    return relu(input, inplace=True)


# F.elu_(x) and its kin: the activation written into x (x's in-place rules apply)
def elu_(input, alpha=1.0):
    return elu(input, alpha, inplace=True)


def leaky_relu_(input, negative_slope=0.01):
    return leaky_relu(input, negative_slope, inplace=True)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    return hardtanh(input, min_val, max_val, inplace=True)


def selu_(input):
    return selu(input, inplace=True)


def celu_(input, alpha=1.0):
    return celu(input, alpha, inplace=True)


def threshold_(input, threshold_, value):
    return threshold(input, threshold_, value, inplace=True)


def gumbel_softmax(logits, tau=1.0, hard=False, eps=1e-10, dim=-1):
    """A sample of softmax((logits + Gumbel noise) / tau) along dim, as F.gumbel_softmax; hard:
    the one-hot of its argmax forward, the soft sample's gradient backward (straight through)."""
    x = _tensor(logits)
    gumbels = -Tensor._make(np.empty(x.shape, x.dtype)).exponential_().log()
    y_soft = softmax((x + gumbels) / tau, dim)
    if not hard:
        return y_soft
    index = y_soft.argmax(dim, keepdim=True)
    y_hard = Tensor._make(np.zeros(x.shape, x.dtype)).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft


def glu(input, dim=-1):
    a, b = _tensor(input).chunk(2, dim)
    return a * sigmoid(b)


METHODS = {"softmax": softmax, "log_softmax": log_softmax}  # x.softmax(dim), as in PyTorch
