"""Weight and activity regularizers with Keras 3's names, defaults and formulas
(keras.regularizers). A regularizer maps a Tensor to a scalar penalty Tensor; a layer given one
(kernel_regularizer=l2(0.01), ...) adds its penalty to the loss through add_loss, as Keras does.
"""
import math

import numpy as np

from . import config, utils
from ..tensor import Tensor, as_tensor


class Regularizer:
    """Base class: __call__(x) -> a scalar penalty Tensor; get_config/from_config."""

    def __call__(self, x):
        return as_tensor(np.zeros((), config.floatx()))

    def get_config(self):
        raise NotImplementedError(f"{self} does not implement get_config()")

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def validate_float_arg(value, name):
    """A finite non-negative factor, as a float (Keras's check)."""
    if (isinstance(value, bool) or not isinstance(value, (float, int, np.floating, np.integer))
            or math.isinf(value) or math.isnan(value) or value < 0):
        raise ValueError(f"Invalid value for argument {name}: expected a non-negative float."
                         f"Received: {name}={value}")
    return float(value)


def l1_l2_penalty(x, l1, l2):
    """l1 * sum(|x|) + l2 * sum(x^2) as one graph node."""
    x = as_tensor(x)
    data = x._data
    value = 0.0
    if l1:
        value += l1 * np.abs(data).sum(dtype=np.float64)
    if l2:
        value += l2 * np.square(data).sum(dtype=np.float64)

    def backward(g):
        grad = np.zeros_like(data)
        if l1:
            grad += l1 * np.sign(data)
        if l2:
            grad += 2 * l2 * data
        return (g * grad,)
    return Tensor.from_op(np.asarray(value, data.dtype), (x,), backward)


class L1L2(Regularizer):
    """l1 * sum(|x|) + l2 * sum(x^2); both factors default to 0."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = validate_float_arg(0.0 if l1 is None else l1, "l1")
        self.l2 = validate_float_arg(0.0 if l2 is None else l2, "l2")

    def __call__(self, x):
        return l1_l2_penalty(x, self.l1, self.l2)

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """l1 * sum(|x|), l1 = 0.01 by default."""

    def __init__(self, l1=0.01):
        self.l1 = validate_float_arg(0.01 if l1 is None else l1, "l1")

    def __call__(self, x):
        return l1_l2_penalty(x, self.l1, 0.0)

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """l2 * sum(x^2), l2 = 0.01 by default."""

    def __init__(self, l2=0.01):
        self.l2 = validate_float_arg(0.01 if l2 is None else l2, "l2")

    def __call__(self, x):
        return l1_l2_penalty(x, 0.0, self.l2)

    def get_config(self):
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """factor times the mean |cosine| between distinct rows (mode='rows') or columns of a 2-D
    weight, pushing them towards orthogonality."""

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = validate_float_arg(factor, "factor")
        if mode not in ("rows", "columns"):
            raise ValueError('Invalid value for argument `mode`. Expected one of {"rows", '
                             f'"columns"}}. Received: mode={mode}')
        self.mode = mode

    def __call__(self, inputs):
        x = as_tensor(inputs)
        if x.ndim != 2:
            raise ValueError("Inputs to OrthogonalRegularizer must have rank 2. Received: "
                             f"inputs.shape={tuple(x.shape)}")
        if self.mode == "columns":
            x = x.T
        inv_norm = ((x * x).sum(axis=1, keepdims=True).rsqrt()).clamp(max=1 / config.epsilon())
        x = x * inv_norm
        size = x.shape[0]
        off_diagonal = (x @ x.T) * as_tensor((1 - np.eye(size)).astype(x.dtype))
        pairs = size * (size - 1.0) / 2.0
        return off_diagonal.abs().sum() * (self.factor * 0.5 / pairs)

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


def l1(l1=0.01):
    return L1(l1)


def l2(l2=0.01):
    return L2(l2)


def l1_l2(l1=0.0, l2=0.0):
    return L1L2(l1, l2)


def orthogonal_regularizer(factor=0.01, mode="rows"):
    return OrthogonalRegularizer(factor, mode)


# Keras 3's names: each class by its name and snake-cased ('l1l2', not 'l1_l2', as a string)
_CLASSES = (Regularizer, L1, L2, L1L2, OrthogonalRegularizer)
NAMES = {**{cls.__name__: cls for cls in _CLASSES},
         "regularizer": Regularizer, "l1": L1, "l2": L2, "l1l2": L1L2,
         "orthogonal_regularizer": OrthogonalRegularizer}


def get(identifier):
    """A regularizer from a name ('l2', 'L1L2', ...: the factors' defaults), a config dict, a
    Regularizer or a callable (returned as it is); None gives None."""
    return utils.resolve(identifier, NAMES, Regularizer, "regularizer")


def serialize(regularizer):
    return utils.serialize_object(regularizer, Regularizer)
