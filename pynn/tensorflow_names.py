"""TensorFlow's names for the tensor functions Keras scripts call through `import tensorflow as
tf` (which becomes `import pynn as tf, pynn.keras`): tf.constant, tf.convert_to_tensor,
tf.cast, tf.reduce_mean and the other reductions, tf.clip_by_value, tf.one_hot, tf.math.*,
tf.nn.relu and the other activations, tf.random.uniform and tf.random.normal. Each takes
Tensors, NumPy arrays or Python numbers and returns a pynn Tensor; the arithmetic is pynn's, so
gradients flow through them as through any pynn operation. pynn/__init__.py, pynn/math.py,
pynn/nn and pynn/random.py export them under TensorFlow's paths."""
import builtins

import numpy as np

from . import functional as F
from .dtypes import as_dtype, float32
from .ops import elementwise, reduction
from .tensor import Tensor, as_tensor

__all__ = ["constant", "convert_to_tensor", "cast", "reduce_mean", "reduce_sum", "reduce_max",
           "reduce_min", "reduce_prod", "reduce_std", "reduce_variance", "reduce_any",
           "reduce_all", "reduce_logsumexp", "clip_by_value", "one_hot", "expand_dims"]


def tensor_of(value, float_dtype=np.float32, error=TypeError):
    """value as a Tensor, as TensorFlow and Keras convert: a Tensor as it is, a NumPy array in
    its dtype, Python floats as float_dtype and Python ints as int32; anything else raises
    `error` (TensorFlow's TypeError, Keras's ValueError)."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, (np.ndarray, np.generic)):
        return as_tensor(np.asarray(value))
    array = np.asarray(value)
    if array.dtype.kind == "f":
        array = array.astype(float_dtype)
    elif array.dtype.kind in "iu":
        array = array.astype(np.int32)
    elif array.dtype.kind != "b":
        raise error(f"convert_to_tensor: cannot convert {value!r} to a tensor")
    return as_tensor(array)


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    """value as a Tensor (see tensor_of: Python floats as float32, TensorFlow's default), then
    cast to dtype if given."""
    t = tensor_of(value)
    return t if dtype is None else cast(t, dtype)


def cast(x, dtype, name=None):
    """x converted to dtype (tf.float32, 'int32', ...); differentiable between float types."""
    x, dtype = tensor_of(x), as_dtype(dtype)
    return x if x.dtype == dtype else x.to(dtype)


def constant(value, dtype=None, shape=None, name="Const"):
    """tf.constant: a Tensor of value, broadcast to shape if given."""
    t = convert_to_tensor(value, dtype)
    if shape is not None:
        t = as_tensor(np.array(np.broadcast_to(t.detach().numpy(), tuple(shape))))
    return t


def _reduction(name, fn, floats=False):
    def reduce(input_tensor, axis=None, keepdims=False, name=None):
        x = convert_to_tensor(input_tensor)
        if floats and x.dtype.kind != "f":
            x = x.to(float32)
        if isinstance(axis, list):
            axis = tuple(axis)
        if axis is None:
            out = fn(x)
            return out.reshape([1] * x.ndim) if keepdims else out
        return fn(x, axis=axis, keepdims=keepdims)
    reduce.__name__ = reduce.__qualname__ = name
    reduce.__doc__ = (f"tf.{name}(input_tensor, axis=None, keepdims=False): every axis when "
                      "axis is None.")
    return reduce


def _std(x, axis=None, keepdims=False):
    return reduction.std(x, axis=axis, keepdims=keepdims, correction=0)


def _var(x, axis=None, keepdims=False):
    return reduction.var(x, axis=axis, keepdims=keepdims, correction=0)


def _prod(x, axis=None, keepdims=False):
    if axis is None:
        return reduction.prod(x.reshape(-1), 0)
    for a in sorted(np.atleast_1d(axis) % builtins.max(x.ndim, 1), reverse=True):
        x = reduction.prod(x, int(a), keepdim=keepdims)
    return x


def _logsumexp(x, axis=None, keepdims=False):
    if axis is None:
        return reduction.logsumexp(x.reshape(-1), 0)
    return reduction.logsumexp(x, axis, keepdim=keepdims)


reduce_mean = _reduction("reduce_mean", reduction.mean, floats=True)
reduce_sum = _reduction("reduce_sum", reduction.sum)
reduce_max = _reduction("reduce_max", reduction.amax)
reduce_min = _reduction("reduce_min", reduction.amin)
reduce_prod = _reduction("reduce_prod", _prod)
reduce_std = _reduction("reduce_std", _std, floats=True)
reduce_variance = _reduction("reduce_variance", _var, floats=True)
reduce_any = _reduction("reduce_any", reduction.any)
reduce_all = _reduction("reduce_all", reduction.all)
reduce_logsumexp = _reduction("reduce_logsumexp", _logsumexp, floats=True)


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    return elementwise.clamp(convert_to_tensor(t), clip_value_min, clip_value_max)


def one_hot(indices, depth, on_value=1.0, off_value=0.0, axis=-1, dtype=None, name=None):
    """Rows of depth values, on_value at each index (none for an index outside [0, depth))."""
    ids = np.asarray(indices.detach().numpy() if isinstance(indices, Tensor) else indices)
    if ids.dtype.kind not in "iu":
        raise TypeError(f"one_hot: indices must be integers, got dtype {ids.dtype}")
    hot = ids[..., None] == np.arange(depth)
    out = np.where(hot, on_value, off_value).astype(as_dtype(dtype) if dtype else np.float32)
    return as_tensor(np.moveaxis(out, -1, axis) if axis != -1 else out)


def expand_dims(input, axis, name=None):
    x = convert_to_tensor(input)
    return x.unsqueeze(axis if axis >= 0 else x.ndim + 1 + axis)


# ---- tf.math: the elementwise functions under their TensorFlow names ---------------------------

def _unary(name, fn):
    def op(x, name=None):
        return fn(convert_to_tensor(x))
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"tf.math.{name}(x), elementwise."
    return op


def _binary(name, fn):
    def op(x, y, name=None):
        x = x if isinstance(x, Tensor) else convert_to_tensor(x)
        return fn(x, y if isinstance(y, Tensor) or np.isscalar(y) else convert_to_tensor(y))
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"tf.math.{name}(x, y), elementwise."
    return op


MATH = {
    **{n: _unary(n, f) for n, f in [
        ("abs", elementwise.abs), ("square", elementwise.square), ("sqrt", elementwise.sqrt),
        ("exp", elementwise.exp), ("log", elementwise.log), ("log1p", elementwise.log1p),
        ("sigmoid", F.sigmoid), ("tanh", elementwise.tanh), ("sign", elementwise.sign),
        ("round", elementwise.round), ("floor", elementwise.floor), ("ceil", elementwise.ceil),
        ("sin", elementwise.sin), ("cos", elementwise.cos), ("negative", lambda x: -x),
        ("softplus", F.softplus), ("reciprocal", lambda x: 1.0 / x)]},
    **{n: _binary(n, f) for n, f in [
        ("add", lambda a, b: a + b), ("subtract", lambda a, b: a - b),
        ("multiply", lambda a, b: a * b), ("divide", lambda a, b: a / b),
        ("pow", lambda a, b: a ** b), ("squared_difference", lambda a, b: (a - b) ** 2),
        ("maximum", lambda a, b: elementwise.clamp(a, min=b) if np.isscalar(b)
         else a.maximum(b)),
        ("minimum", lambda a, b: elementwise.clamp(a, max=b) if np.isscalar(b)
         else a.minimum(b)),
        ("equal", lambda a, b: a == b), ("not_equal", lambda a, b: a != b),
        ("greater", lambda a, b: a > b), ("less", lambda a, b: a < b),
        ("greater_equal", lambda a, b: a >= b), ("less_equal", lambda a, b: a <= b)]},
    "reduce_mean": reduce_mean, "reduce_sum": reduce_sum, "reduce_max": reduce_max,
    "reduce_min": reduce_min, "reduce_prod": reduce_prod, "reduce_std": reduce_std,
    "reduce_variance": reduce_variance, "reduce_any": reduce_any, "reduce_all": reduce_all,
    "reduce_logsumexp": reduce_logsumexp,
}


def _argmax(input, axis=None, output_type=None, name=None):
    x = convert_to_tensor(input)
    return reduction.argmax(x, 0 if axis is None else axis)


def _argmin(input, axis=None, output_type=None, name=None):
    x = convert_to_tensor(input)
    return reduction.argmin(x, 0 if axis is None else axis)


MATH.update(argmax=_argmax, argmin=_argmin)


# ---- tf.nn: the activations --------------------------------------------------------------------

def _activation(name, fn):
    def op(features, name=None, **kwargs):
        return fn(convert_to_tensor(features), **kwargs)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"tf.nn.{name}(features), as the Keras activation '{name}'."
    return op


def _softmax(logits, axis=-1, name=None):
    return F.softmax(convert_to_tensor(logits), dim=axis)


def _log_softmax(logits, axis=-1, name=None):
    return F.log_softmax(convert_to_tensor(logits), dim=axis)


def _leaky_relu(features, alpha=0.2, name=None):
    return F.leaky_relu(convert_to_tensor(features), alpha)


def _sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    logits = convert_to_tensor(logits)
    labels = cast(labels, logits.dtype)
    return (F.relu(logits) - logits * labels
            + elementwise.log1p(elementwise.exp(-elementwise.abs(logits))))


NN = {
    **{n: _activation(n, f) for n, f in [
        ("relu", F.relu), ("relu6", F.relu6), ("sigmoid", F.sigmoid), ("tanh", F.tanh),
        ("elu", F.elu), ("selu", F.selu), ("softplus", F.softplus), ("softsign", F.softsign),
        ("silu", F.silu), ("swish", F.silu), ("gelu", F.gelu)]},
    "softmax": _softmax, "log_softmax": _log_softmax, "leaky_relu": _leaky_relu,
    "sigmoid_cross_entropy_with_logits": _sigmoid_cross_entropy_with_logits,
}


# ---- tf.random ---------------------------------------------------------------------------------

def uniform(shape, minval=0, maxval=None, dtype=float32, seed=None, name=None):
    """tf.random.uniform: values in [minval, maxval) (maxval 1 for floats), from pynn's
    generator (tf.random.set_seed seeds it)."""
    from . import random
    dtype = as_dtype(dtype)
    gen = random.generator()
    if dtype.kind == "f":
        values = gen.uniform(minval, 1.0 if maxval is None else maxval, tuple(shape))
    else:
        if maxval is None:
            raise ValueError("tf.random.uniform: an integer dtype needs maxval")
        values = gen.integers(minval, maxval, tuple(shape))
    return as_tensor(np.asarray(values).astype(dtype))


def normal(shape, mean=0.0, stddev=1.0, dtype=float32, seed=None, name=None):
    """tf.random.normal: values from N(mean, stddev²), from pynn's generator."""
    from . import random
    values = random.generator().normal(mean, stddev, tuple(shape))
    return as_tensor(np.asarray(values).astype(as_dtype(dtype)))


# ---- the rest of what scripts print or ask: shapes, sizes, eager mode -------------------------

def shape(input, out_type=None, name=None):
    """tf.shape: the shape as a 1-D int32 Tensor."""
    return as_tensor(np.array(convert_to_tensor(input).shape,
                              as_dtype(out_type) if out_type else np.int32))


def size(input, out_type=None, name=None):
    """tf.size: the number of elements as an int32 Tensor."""
    return as_tensor(np.array(int(np.prod(convert_to_tensor(input).shape)),
                              as_dtype(out_type) if out_type else np.int32))


def executing_eagerly():
    """tf.executing_eagerly: pynn always runs eagerly."""
    return True


def tf_print(*inputs, output_stream=None, sep=" ", end="\n", summarize=None, name=None):
    """tf.print: the inputs printed, tensors as their values."""
    import sys
    values = [np.asarray(v.detach().numpy()) if isinstance(v, Tensor) else v for v in inputs]
    stream = sys.stderr if output_stream is None else output_stream
    if not hasattr(stream, "write"):
        stream = sys.stdout
    print(*values, sep=sep, end=end, file=stream)


def shuffle(value, seed=None, name=None):
    """tf.random.shuffle: the rows (first axis) in a random order from pynn's generator."""
    from . import random
    array = np.asarray(convert_to_tensor(value).detach().numpy())
    rng = np.random.default_rng(seed) if seed is not None else random.generator()
    return as_tensor(array[rng.permutation(len(array))] if array.ndim else array)


def confusion_matrix(labels, predictions, num_classes=None, weights=None, dtype=None,
                     name=None):
    """tf.math.confusion_matrix: counts[i, j] of label i predicted as j (int32), num_classes
    the largest id + 1 unless given."""
    def ids(v, what):
        a = np.asarray(v.detach().numpy() if isinstance(v, Tensor) else v).reshape(-1)
        if a.size and (a.dtype.kind not in "iu" and not np.array_equal(a, np.round(a))):
            raise TypeError(f"confusion_matrix: {what} must be integer class ids")
        if a.size and a.min() < 0:
            raise ValueError(f"confusion_matrix: {what} must be non-negative")
        return a.astype(np.int64)
    y, p = ids(labels, "labels"), ids(predictions, "predictions")
    if len(y) != len(p):
        raise ValueError(f"confusion_matrix: labels and predictions differ in length "
                         f"({len(y)} and {len(p)})")
    n = int(num_classes) if num_classes is not None else int(max(y.max(initial=-1),
                                                                 p.max(initial=-1)) + 1)
    if len(y) and max(y.max(), p.max()) >= n:
        raise ValueError(f"confusion_matrix: a class id is not below num_classes={n}")
    w = np.ones(len(y)) if weights is None else np.asarray(
        weights.detach().numpy() if isinstance(weights, Tensor) else weights).reshape(-1)
    counts = np.zeros((n, n), np.float64)
    np.add.at(counts, (y, p), w)
    return as_tensor(counts.astype(as_dtype(dtype) if dtype else np.int32))


MATH["confusion_matrix"] = confusion_matrix


# ---- pynn's own functions taking NumPy arrays, as TensorFlow's do -------------------------------

def accepts_arrays(fn):
    """fn (a pynn function of Tensors) also taking NumPy arrays where it takes Tensors, as
    TensorFlow's functions do: tf.argmax(model.predict(x), axis=1), tf.round(probabilities).
    Lists and numbers are left to fn (PyTorch's functions refuse lists, and so does pynn)."""
    import functools

    def convert(value):
        if isinstance(value, np.ndarray):
            return as_tensor(value)
        if isinstance(value, (list, tuple)) and value and any(
                isinstance(v, np.ndarray) for v in value) and all(
                isinstance(v, (np.ndarray, Tensor)) for v in value):
            return type(value)(as_tensor(v) if isinstance(v, np.ndarray) else v for v in value)
        return value

    @functools.wraps(fn)
    def wrapped(*args, **kwargs):
        if args:
            args = (convert(args[0]),) + ((convert(args[1]),) + args[2:] if len(args) > 1
                                          else ())
        return fn(*args, **kwargs)
    return wrapped


def transpose_or_reverse(transpose):
    """pynn.transpose(input, dim0, dim1) as PyTorch's, and, given the input alone or perm=,
    TensorFlow's tf.transpose(a, perm=None): the axes reversed, or put in perm's order."""
    import functools

    @functools.wraps(transpose)
    def wrapped(input, *dims, perm=None, conjugate=False, name=None, **kwargs):
        if dims or kwargs:
            return transpose(input, *dims, **kwargs)
        x = convert_to_tensor(input)
        order = tuple(reversed(range(x.ndim))) if perm is None else tuple(perm)
        return x.permute(*order) if x.ndim else x
    return wrapped


ACCEPT_ARRAYS = [
    "abs", "absolute", "exp", "log", "log1p", "sqrt", "square", "sign", "round", "floor", "ceil",
    "sin", "cos", "sigmoid", "tanh", "relu", "argmax", "argmin", "equal", "eq", "not_equal",
    "greater", "less", "maximum", "minimum", "matmul", "reshape", "squeeze", "unsqueeze",
    "zeros_like", "ones_like", "where", "clip", "clamp", "mean", "sum", "amax", "amin", "std",
    "var", "cat", "concat", "stack", "multiply", "subtract", "add", "divide", "pow", "softmax",
    "log_softmax", "logical_and", "logical_or", "logical_not", "cumsum", "transpose",
]


def _count_nonzero(input, axis=None, keepdims=False, dtype=None, name=None):
    x = convert_to_tensor(input)
    out = np.count_nonzero(x.detach().numpy(), axis=tuple(axis) if isinstance(axis, list)
                           else axis, keepdims=keepdims)
    return as_tensor(np.asarray(out, as_dtype(dtype) if dtype else np.int64))


def _cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    if exclusive or reverse:
        raise NotImplementedError("tf.math.cumsum: pynn has no exclusive or reverse sums")
    return convert_to_tensor(x).cumsum(axis)


def _top_k(input, k=1, sorted=True, name=None):
    """(values, indices) of the k largest entries along the last axis, largest first."""
    import collections
    x = convert_to_tensor(input)
    order = np.argsort(-x.detach().numpy(), axis=-1, kind="stable")[..., :k]
    values = np.take_along_axis(x.detach().numpy(), order, axis=-1)
    TopK = collections.namedtuple("TopKV2", ["values", "indices"])
    return TopK(as_tensor(values), as_tensor(order.astype(np.int32)))


MATH.update(softmax=_softmax, log_softmax=_log_softmax, count_nonzero=_count_nonzero,
            cumsum=_cumsum, top_k=_top_k)
NN["top_k"] = _top_k
