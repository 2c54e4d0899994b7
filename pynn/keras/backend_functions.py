"""The tensor functions of tf.keras.backend (`from tensorflow.keras import backend as K`), as
TensorFlow's Keras 3 keeps them for old code: K.mean, K.square, K.sum, K.clip, K.epsilon...
in custom losses and metrics, K.get_value / K.set_value on an optimizer's learning rate. They
are keras.ops under Keras 2's argument names and defaults (K.argmax and K.concatenate work on
the last axis, K.clip takes min_value and max_value, K.sqrt clips negatives to 0)."""
import numpy as np

from ..tensor import as_tensor
from . import ops
from .config import floatx

__all__ = [
    "abs", "all", "any", "argmax", "argmin", "batch_flatten", "binary_crossentropy", "cast",
    "categorical_crossentropy", "clip", "concatenate", "constant", "cos", "count_params", "dot",
    "elu", "equal", "exp", "expand_dims", "flatten", "get_value", "greater", "greater_equal",
    "hard_sigmoid", "int_shape", "l2_normalize", "less", "less_equal", "log", "max", "maximum",
    "mean", "min", "minimum", "ndim", "not_equal", "one_hot", "ones", "ones_like", "pow", "prod",
    "relu", "reshape", "round", "set_value", "shape", "sigmoid", "sign", "sin", "softmax",
    "softplus", "softsign", "sparse_categorical_crossentropy", "sqrt", "square", "squeeze",
    "stack", "std", "stop_gradient", "sum", "switch", "tanh", "transpose", "var", "variable",
    "zeros", "zeros_like", "eval",
]

abs, exp, log, sign, sin, cos, tanh, sigmoid, square = (
    ops.abs, ops.exp, ops.log, ops.sign, ops.sin, ops.cos, ops.tanh, ops.sigmoid, ops.square)
cast, equal, not_equal, greater, greater_equal, less, less_equal = (
    ops.cast, ops.equal, ops.not_equal, ops.greater, ops.greater_equal, ops.less,
    ops.less_equal)
maximum, minimum, dot, stop_gradient, softplus, elu = (
    ops.maximum, ops.minimum, ops.dot, ops.stop_gradient, ops.softplus, ops.elu)
ones_like, zeros_like = ops.ones_like, ops.zeros_like
mean, sum, max, min, prod, std, var, all, any = (
    ops.mean, ops.sum, ops.max, ops.min, ops.prod, ops.std, ops.var, ops.all, ops.any)
binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy = (
    ops.binary_crossentropy, ops.categorical_crossentropy, ops.sparse_categorical_crossentropy)


def constant(value, dtype=None, shape=None, name=None):
    """A Tensor of `value` (broadcast to `shape` if given), in floatx unless dtype says."""
    values = np.asarray(value, dtype=dtype or floatx())
    return as_tensor(np.array(np.broadcast_to(values, shape) if shape is not None else values))


def variable(value, dtype=None, name=None, constraint=None):
    return constant(value, dtype=dtype)


def eval(x):
    return ops.convert_to_numpy(x)


def get_value(x):
    """A variable's (or a tensor's) value as a NumPy value: K.get_value(optimizer.learning_rate)."""
    value = x.numpy() if hasattr(x, "numpy") else np.asarray(x)
    return value


def set_value(x, value):
    """Set a variable in place: K.set_value(model.optimizer.learning_rate, 1e-3)."""
    if not hasattr(x, "assign"):
        raise ValueError(f"set_value: {x!r} is not a variable (it has no assign())")
    x.assign(np.asarray(value))


def sqrt(x):
    return ops.sqrt(ops.clip(x, 0.0, np.inf))


def pow(x, a):
    return ops.power(x, a)


def clip(x, min_value, max_value):
    if max_value is not None and min_value is not None and max_value < min_value:
        max_value = min_value
    return ops.clip(x, -np.inf if min_value is None else min_value,
                    np.inf if max_value is None else max_value)


def round(x):
    return ops.round(x)


def argmax(x, axis=-1):
    return ops.argmax(x, axis=axis)


def argmin(x, axis=-1):
    return ops.argmin(x, axis=axis)


def concatenate(tensors, axis=-1):
    return ops.concatenate(tensors, axis=axis)


def stack(x, axis=0):
    return ops.stack(x, axis=axis)


def expand_dims(x, axis=-1):
    return ops.expand_dims(x, axis)


def squeeze(x, axis):
    return ops.squeeze(x, axis)


def reshape(x, shape):
    return ops.reshape(x, shape)


def flatten(x):
    return ops.reshape(x, (-1,))


def batch_flatten(x):
    x = ops.convert_to_tensor(x)
    return ops.reshape(x, (x.shape[0], -1))


def transpose(x):
    return ops.transpose(x)


def relu(x, alpha=0.0, max_value=None, threshold=0.0):
    """x above threshold, alpha * (x - threshold) below it, capped at max_value."""
    x = ops.convert_to_tensor(x)
    out = ops.where(x > threshold, x, (x - threshold) * alpha if alpha else 0.0)
    return out if max_value is None else ops.minimum(out, max_value)


def softmax(x, axis=-1):
    return ops.softmax(x, axis=axis)


def softsign(x):
    x = ops.convert_to_tensor(x)
    return x / (ops.abs(x) + 1.0)


def hard_sigmoid(x):
    return ops.clip(ops.convert_to_tensor(x) * 0.2 + 0.5, 0.0, 1.0)


def l2_normalize(x, axis=None):
    x = ops.convert_to_tensor(x)
    norm = ops.sqrt(ops.maximum(ops.sum(ops.square(x), axis=axis, keepdims=True), 1e-12))
    return x / norm


def switch(condition, then_expression, else_expression):
    then_expression = then_expression() if callable(then_expression) else then_expression
    else_expression = else_expression() if callable(else_expression) else else_expression
    return ops.where(condition, then_expression, else_expression)


def one_hot(indices, num_classes):
    ids = ops.convert_to_numpy(indices).astype(np.int64)
    return as_tensor(np.eye(num_classes, dtype=floatx())[ids])


def zeros(shape, dtype=None, name=None):
    return ops.zeros(shape, dtype)


def ones(shape, dtype=None, name=None):
    return ops.ones(shape, dtype)


def int_shape(x):
    """The shape as a tuple of ints (None for a symbolic input's batch axis)."""
    return tuple(x.shape)


def shape(x):
    return tuple(x.shape)


def ndim(x):
    return len(x.shape)


def count_params(x):
    return int(np.prod(x.shape))
