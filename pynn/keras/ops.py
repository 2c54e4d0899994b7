"""keras.ops: Keras 3's backend-agnostic tensor functions, the ones custom losses, metrics and
Lambda layers are written with (`ops.mean(ops.square(y_true - y_pred), axis=-1)`). Each takes
Tensors, NumPy arrays or Python numbers, returns a pynn Tensor, and is differentiable wherever
pynn's own operation is: these are Keras's names, argument names and defaults over pynn's ops.
"""
import builtins
import functools

import numpy as np

import pynn

from .. import functional as F
from ..dtypes import as_dtype
from ..tensor import Tensor, as_tensor
from ..tensorflow_names import tensor_of
from . import config, naming, tree
from .keras_tensor import KerasTensor
from .layers.core import Lambda

__all__ = [
    "abs", "absolute", "add", "all", "any", "arange", "argmax", "argmin", "cast", "ceil", "clip",
    "concatenate", "convert_to_numpy", "convert_to_tensor", "cos", "cumsum", "divide", "dot",
    "elu", "equal", "exp", "expand_dims", "floor", "gelu", "greater", "greater_equal",
    "leaky_relu", "less", "less_equal", "log", "log1p", "log_softmax", "logical_and",
    "logical_not", "logical_or", "logsumexp", "matmul", "max", "maximum", "mean", "min",
    "minimum", "multiply", "negative", "norm", "not_equal", "ones", "ones_like", "power", "prod",
    "relu", "relu6", "reshape", "round", "selu", "shape", "sigmoid", "sign", "silu", "sin",
    "softmax", "softplus", "sqrt", "square", "squeeze", "stack", "std", "stop_gradient",
    "subtract", "sum", "swish", "tanh", "transpose", "true_divide", "var", "where", "zeros",
    "zeros_like", "binary_crossentropy", "categorical_crossentropy",
    "sparse_categorical_crossentropy",
]


def convert_to_tensor(x, dtype=None, sparse=None):
    """x as a Tensor: a Tensor as it is, a NumPy array in its dtype, Python floats in floatx and
    Python ints as int32 (as Keras converts them); cast to `dtype` when one is given."""
    if sparse:
        raise ValueError("convert_to_tensor: pynn has no sparse tensors (sparse=True)")
    t = tensor_of(x, config.floatx(), ValueError)
    return t if dtype is None else cast(t, dtype)


_t = convert_to_tensor


def convert_to_numpy(x):
    """x as a NumPy array (a Tensor's values, detached)."""
    return x.detach().numpy() if isinstance(x, Tensor) else np.asarray(x)


def cast(x, dtype):
    """x converted to `dtype` ('float32', 'int32', 'bool', pynn.float64, ...)."""
    x, dtype = _t(x), as_dtype(dtype)
    return x if x.dtype == dtype else x.to(dtype)


def _pair(x1, x2):
    """Two operands for a Tensor operator: arrays and lists become Tensors, Python numbers stay
    numbers (so they take the Tensor's dtype), and two numbers give a Tensor and a number."""
    x1 = x1 if isinstance(x1, Tensor) or np.isscalar(x1) else _t(x1)
    x2 = x2 if isinstance(x2, Tensor) or np.isscalar(x2) else _t(x2)
    if not isinstance(x1, Tensor) and not isinstance(x2, Tensor):
        x1 = _t(x1)
    return x1, x2


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _reduce(fn, x, axis, keepdims):
    x = _t(x)
    if axis is None:
        out = fn(x)
        return out.reshape([1] * x.ndim) if keepdims else out
    return fn(x, dim=_axis(axis), keepdim=keepdims)


# ---- arithmetic -------------------------------------------------------------------------------

def add(x1, x2):
    a, b = _pair(x1, x2)
    return a + b


def subtract(x1, x2):
    a, b = _pair(x1, x2)
    return a - b


def multiply(x1, x2):
    a, b = _pair(x1, x2)
    return a * b


def divide(x1, x2):
    a, b = _pair(x1, x2)
    return a / b


true_divide = divide


def power(x1, x2):
    a, b = _pair(x1, x2)
    return a ** b


def negative(x):
    return -_t(x)


def maximum(x1, x2):
    a, b = _pair(x1, x2)
    return pynn.maximum(_t(a), _t(b, dtype=_t(a).dtype))


def minimum(x1, x2):
    a, b = _pair(x1, x2)
    return pynn.minimum(_t(a), _t(b, dtype=_t(a).dtype))


def matmul(x1, x2):
    return pynn.matmul(_t(x1), _t(x2))


def dot(x1, x2):
    """The matrix product of 2-D operands (a scalar times an array if one is a scalar)."""
    x1, x2 = _t(x1), _t(x2)
    if x1.ndim == 0 or x2.ndim == 0:
        return x1 * x2
    if x1.ndim == 1 and x2.ndim == 1:
        return (x1 * x2).sum()
    return pynn.matmul(x1, x2)


# ---- elementwise ------------------------------------------------------------------------------

def _unary(name, fn):
    def op(x):
        return fn(_t(x))
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"keras.ops.{name}(x), elementwise."
    return op


abs = _unary("abs", pynn.abs)
absolute = abs
square = _unary("square", pynn.square)
sqrt = _unary("sqrt", pynn.sqrt)
exp = _unary("exp", pynn.exp)
log = _unary("log", pynn.log)
log1p = _unary("log1p", pynn.log1p)
sign = _unary("sign", pynn.sign)
floor = _unary("floor", pynn.floor)
ceil = _unary("ceil", pynn.ceil)
sin = _unary("sin", pynn.sin)
cos = _unary("cos", pynn.cos)
tanh = _unary("tanh", pynn.tanh)
sigmoid = _unary("sigmoid", pynn.sigmoid)
relu = _unary("relu", pynn.relu)
logical_not = _unary("logical_not", pynn.logical_not)


def round(x, decimals=0):
    return pynn.round(_t(x), decimals=decimals)


def clip(x, x_min, x_max):
    return pynn.clamp(_t(x), x_min, x_max)


def where(condition, x1=None, x2=None):
    if (x1 is None) != (x2 is None):
        raise ValueError("`x1` and `x2` either both should be `None` or both should have "
                         "non-None value.")
    condition = cast(condition, "bool")
    if x1 is None:
        return pynn.stack(pynn.where(condition)) if condition.ndim else pynn.where(condition)
    a, b = _pair(x1, x2)
    a = _t(a)
    return pynn.where(condition, a, _t(b, dtype=a.dtype) if not isinstance(b, Tensor) else b)


def _compare(name, fn):
    def op(x1, x2):
        a, b = _pair(x1, x2)
        return fn(_t(a), b)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"keras.ops.{name}(x1, x2): a bool Tensor, elementwise."
    return op


equal = _compare("equal", pynn.eq)
not_equal = _compare("not_equal", pynn.ne)
greater = _compare("greater", pynn.gt)
greater_equal = _compare("greater_equal", pynn.ge)
less = _compare("less", pynn.lt)
less_equal = _compare("less_equal", pynn.le)


def logical_and(x1, x2):
    return pynn.logical_and(cast(x1, "bool"), cast(x2, "bool"))


def logical_or(x1, x2):
    return pynn.logical_or(cast(x1, "bool"), cast(x2, "bool"))


def stop_gradient(variable):
    return _t(variable).detach()


# ---- reductions -------------------------------------------------------------------------------

def mean(x, axis=None, keepdims=False):
    x = _t(x)
    return _reduce(pynn.mean, x if x.dtype.kind == "f" else cast(x, config.floatx()), axis,
                   keepdims)


def sum(x, axis=None, keepdims=False):
    return _reduce(pynn.sum, x, axis, keepdims)


def max(x, axis=None, keepdims=False, initial=None):
    out = _reduce(pynn.amax, x, axis, keepdims)
    return out if initial is None else maximum(out, initial)


def min(x, axis=None, keepdims=False, initial=None):
    out = _reduce(pynn.amin, x, axis, keepdims)
    return out if initial is None else minimum(out, initial)


def prod(x, axis=None, keepdims=False, dtype=None):
    x = _t(x, dtype)
    if axis is None:
        return _reduce(pynn.prod, x.reshape(-1), 0, False).reshape([1] * x.ndim if keepdims
                                                                     else [])
    for a in sorted(np.atleast_1d(axis) % builtins.max(x.ndim, 1), reverse=True):
        x = pynn.prod(x, dim=int(a), keepdim=keepdims)
    return x


def var(x, axis=None, keepdims=False):
    x = _t(x)
    d = mean(x, axis=axis, keepdims=True)
    return mean(square(x - d), axis=axis, keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    return sqrt(var(x, axis=axis, keepdims=keepdims))


def all(x, axis=None, keepdims=False):
    return _reduce(pynn.all, cast(x, "bool"), axis, keepdims)


def any(x, axis=None, keepdims=False):
    return _reduce(pynn.any, cast(x, "bool"), axis, keepdims)


def logsumexp(x, axis=None, keepdims=False):
    x = _t(x)
    if axis is None:
        return pynn.logsumexp(x.reshape(-1), 0).reshape([1] * x.ndim if keepdims else [])
    return pynn.logsumexp(x, _axis(axis), keepdim=keepdims)


def norm(x, ord=None, axis=None, keepdims=False):
    """The 2-norm (ord None or 2 on a vector axis) or the 1-norm (ord 1), over `axis`."""
    x = _t(x)
    if ord in (None, 2, "fro", "euclidean"):
        return sqrt(sum(square(x), axis=axis, keepdims=keepdims))
    if ord == 1:
        return sum(abs(x), axis=axis, keepdims=keepdims)
    raise ValueError(f"norm: pynn supports ord None, 1, 2 and 'fro', got ord={ord!r}")


def argmax(x, axis=None, keepdims=False):
    x = _t(x)
    if axis is None:
        return pynn.argmax(x.reshape(-1)).to(pynn.int32)
    return pynn.argmax(x, dim=axis, keepdim=keepdims).to(pynn.int32)


def argmin(x, axis=None, keepdims=False):
    x = _t(x)
    if axis is None:
        return pynn.argmin(x.reshape(-1)).to(pynn.int32)
    return pynn.argmin(x, dim=axis, keepdim=keepdims).to(pynn.int32)


def cumsum(x, axis=None, dtype=None):
    x = _t(x, dtype)
    return pynn.cumsum(x.reshape(-1), 0) if axis is None else pynn.cumsum(x, axis)


# ---- shapes -----------------------------------------------------------------------------------

def shape(x):
    """The shape as a tuple of ints."""
    return tuple(x.shape) if hasattr(x, "shape") else np.shape(x)


def reshape(x, newshape):
    return _t(x).reshape(tuple(newshape) if not isinstance(newshape, int) else (newshape,))


def expand_dims(x, axis):
    x = _t(x)
    return pynn.unsqueeze(x, axis if axis >= 0 else x.ndim + 1 + axis)


def squeeze(x, axis=None):
    x = _t(x)
    if axis is None:
        return pynn.squeeze(x)
    for a in sorted(np.atleast_1d(axis) % builtins.max(x.ndim, 1), reverse=True):
        if x.shape[int(a)] != 1:
            raise ValueError(f"Cannot squeeze axis {int(a)} of size {x.shape[int(a)]} "
                             f"(shape {tuple(x.shape)})")
        x = pynn.squeeze(x, int(a))
    return x


def transpose(x, axes=None):
    x = _t(x)
    axes = tuple(reversed(range(x.ndim))) if axes is None else tuple(axes)
    return pynn.permute(x, *axes)


def concatenate(xs, axis=0):
    return pynn.cat([_t(x) for x in xs], dim=axis)


def stack(x, axis=0):
    return pynn.stack([_t(v) for v in x], dim=axis)


# ---- creation ---------------------------------------------------------------------------------

def zeros(shape, dtype=None):
    return as_tensor(np.zeros(shape, as_dtype(dtype or config.floatx())))


def ones(shape, dtype=None):
    return as_tensor(np.ones(shape, as_dtype(dtype or config.floatx())))


def zeros_like(x, dtype=None):
    x = _t(x)
    return as_tensor(np.zeros(tuple(x.shape), as_dtype(dtype) if dtype else x.dtype))


def ones_like(x, dtype=None):
    x = _t(x)
    return as_tensor(np.ones(tuple(x.shape), as_dtype(dtype) if dtype else x.dtype))


def arange(start, stop=None, step=1, dtype=None):
    values = np.arange(start, stop, step) if stop is not None else np.arange(start)
    if dtype is None:
        dtype = config.floatx() if values.dtype.kind == "f" else "int32"
    return as_tensor(values.astype(as_dtype(dtype)))


# ---- neural-network functions (keras.ops.nn, also at keras.ops) -------------------------------

def relu6(x):
    return F.relu6(_t(x))


def elu(x, alpha=1.0):
    return F.elu(_t(x), alpha)


def selu(x):
    return F.selu(_t(x))


def gelu(x, approximate=True):
    return F.gelu(_t(x), approximate="tanh" if approximate else "none")


def silu(x):
    return F.silu(_t(x))


swish = silu


def softplus(x):
    return F.softplus(_t(x))


def leaky_relu(x, negative_slope=0.2):
    return F.leaky_relu(_t(x), negative_slope)


def softmax(x, axis=-1):
    return F.softmax(_t(x), dim=axis)


def log_softmax(x, axis=-1):
    return F.log_softmax(_t(x), dim=axis)


def _probabilities(output, from_logits, axis):
    output = _t(output)
    if from_logits:
        return log_softmax(output, axis=axis)
    output = output / sum(output, axis=axis, keepdims=True)
    return log(clip(output, config.epsilon(), 1.0 - config.epsilon()))


def binary_crossentropy(target, output, from_logits=False):
    """Elementwise binary cross-entropy (no mean over the last axis, as Keras's op)."""
    output = _t(output)
    target = _t(target, output.dtype)
    if from_logits:
        return relu(output) - output * target + log1p(exp(-abs(output)))
    output = clip(output, config.epsilon(), 1.0 - config.epsilon())
    return -(target * log(output) + (1.0 - target) * log(1.0 - output))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy between one-hot targets and probabilities (or logits) along `axis`."""
    log_p = _probabilities(output, from_logits, axis)
    return -sum(_t(target, log_p.dtype) * log_p, axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """Cross-entropy between integer class ids and probabilities (or logits) along `axis`."""
    log_p = _probabilities(output, from_logits, axis)
    ids = convert_to_numpy(target).astype(np.int64)
    if ids.ndim == log_p.ndim:
        ids = ids[..., 0]
    one_hot = np.eye(log_p.shape[axis], dtype=log_p.dtype)[ids]
    return -sum(as_tensor(np.moveaxis(one_hot, -1, axis)) * log_p, axis=axis)


# ---- a few more numpy-style functions ---------------------------------------------------------

def one_hot(x, num_classes, axis=-1, dtype=None):
    """Rows of num_classes values, 1 at each integer id of x (no 1 for an id out of range)."""
    ids = convert_to_numpy(x).astype(np.int64)
    hot = (ids[..., None] == np.arange(num_classes)).astype(as_dtype(dtype or config.floatx()))
    return as_tensor(np.moveaxis(hot, -1, axis) if axis != -1 else hot)


def log2(x):
    return log(x) / float(np.log(2.0))


def log10(x):
    return log(x) / float(np.log(10.0))


def expm1(x):
    return exp(x) - 1.0


def isnan(x):
    return as_tensor(np.isnan(convert_to_numpy(x)))


def linspace(start, stop, num=50, endpoint=True, dtype=None):
    values = np.linspace(start, stop, num, endpoint=endpoint)
    return as_tensor(values.astype(as_dtype(dtype or config.floatx())))


def eye(N, M=None, k=0, dtype=None):
    return as_tensor(np.eye(N, M, k, dtype=as_dtype(dtype or config.floatx())))


def tile(x, repeats):
    x = _t(x)
    return x.repeat(*(tuple(repeats) if isinstance(repeats, (list, tuple)) else (repeats,)))


def flip(x, axis=None):
    x = _t(x)
    return x.flip(tuple(range(x.ndim)) if axis is None else
                  tuple(axis) if isinstance(axis, (list, tuple)) else (axis,))


def argsort(x, axis=-1):
    return as_tensor(np.argsort(convert_to_numpy(x), axis=axis, kind="stable").astype(np.int32))


def sort(x, axis=-1):
    x = _t(x)
    order = np.argsort(x.detach().numpy(), axis=axis, kind="stable")
    return x.gather(axis % x.ndim if x.ndim else 0, as_tensor(order)) if x.ndim else x


__all__ += ["one_hot", "log2", "log10", "expm1", "isnan", "linspace", "eye", "tile", "flip",
            "argsort", "sort"]


# ---- on symbolic tensors: an op in the functional API becomes a layer ---------------------------

def _symbolic(fn):
    """fn, which called on the functional API's KerasTensors (outputs = ops.sigmoid(x)) becomes
    a Lambda layer over them, as Keras 3 turns an op on KerasTensors into a layer of the
    model; on anything else it computes as it is."""
    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        found = []
        tree.map_structure(lambda v: found.append(v) if isinstance(v, KerasTensor) else None,
                           (args, kwargs))
        if not found:
            return fn(*args, **kwargs)

        def call(inputs):
            given = iter(inputs if len(found) > 1 else [inputs])
            a, k = tree.map_structure(
                lambda v: next(given) if isinstance(v, KerasTensor) else v, (args, kwargs))
            return fn(*a, **k)
        call.__name__ = fn.__name__
        layer = Lambda(call, name=naming.unique_name(fn.__name__))
        return layer(list(found) if len(found) > 1 else found[0])
    return wrapped


for _name in __all__:
    if _name not in ("convert_to_numpy", "shape", "zeros", "ones", "arange", "linspace", "eye"):
        globals()[_name] = _symbolic(globals()[_name])
