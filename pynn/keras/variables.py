"""Variable: a layer's weight as Keras shows it, and a Parameter of the Tensor graph underneath.

Layer.add_weight makes them. A Variable has Keras's face (name, path, shape as a tuple,
trainable, numpy() and assign()) and is a pynn Parameter, so the graph, the optimizers and the
compiled step use it as any weight. `trainable` is whether the graph computes its gradient.
"""
import math
import threading
from contextlib import contextmanager

import numpy as np

from .. import validate
from ..nn import Parameter
from ..tensor import Tensor


class Variable(Parameter):
    """A weight: Variable(value, name=None, trainable=True, regularizer=None, constraint=None,
    dtype=None, shape=None). As keras.Variable and tf.Variable take it, value may be an array, a
    number (float32), a Tensor, or an initializer (a name such as 'zeros', or a callable) drawn
    for `shape`."""

    __slots__ = ("name", "path", "regularizer", "constraint")

    def __init__(self, value, name=None, trainable=True, regularizer=None, constraint=None,
                 dtype=None, shape=None, **kwargs):
        unknown = set(kwargs) - {"autocast", "aggregation", "synchronization", "validate_shape",
                                 "caching_device", "import_scope"}
        if unknown:
            raise TypeError(f"Variable: unexpected arguments {sorted(unknown)}")
        if isinstance(value, str) or callable(value) and not isinstance(value, Tensor):
            if shape is None:
                raise ValueError("When creating a Variable from an initializer, the `shape` "
                                 "argument should be specified. Received: "
                                 f"initializer={value!r} and shape={shape!r}")
            from . import config, initializers
            value = initializers.get(value)(tuple(shape), dtype or config.floatx())
        if dtype is not None:
            from ..dtypes import as_dtype
            value = np.asarray(value._data if isinstance(value, Tensor) else value,
                               as_dtype(dtype))
        super().__init__(value, requires_grad=validate.flag(
            True if trainable is None else trainable, "trainable"))
        name = "Variable" if name is None else name
        self.name, self.path = name, name
        self.regularizer, self.constraint = regularizer, constraint

    @property
    def shape(self):
        """The shape as a tuple, as Keras gives it: (2, 4)."""
        return self._data.shape

    @property
    def trainable(self):
        return self._requires_grad

    @trainable.setter
    def trainable(self, value):
        self._requires_grad = validate.flag(value, "trainable")
        if not self._requires_grad:
            self._grad = None

    @property
    def value(self):
        """The variable itself (Keras's variable.value is its current tensor)."""
        return self

    def numpy(self, force=False):
        """A copy of the values, as Keras's variable.numpy() returns."""
        return self._data.copy()

    def __array__(self, dtype=None, copy=None):
        return np.array(self._data, dtype=dtype, copy=True)

    def assign(self, value):
        """Set the values in place from an array of the same shape; returns the variable."""
        array = validate.as_array(value._data if isinstance(value, Tensor) else value,
                                  f"assign to {self.path}")
        if array.shape != self._data.shape:
            raise ValueError(f"The shape of the target variable and the shape of the target "
                             f"value in `variable.assign(value)` must match. "
                             f"variable.shape={self._data.shape}, Received: "
                             f"value.shape={array.shape}. Target variable: {self.path}")
        self._data[...] = array
        return self

    def assign_add(self, delta):
        """Add delta in place (w.assign_add(0.1)); returns the variable."""
        return self.assign(self._data + np.asarray(
            delta._data if isinstance(delta, Tensor) else delta, self._data.dtype))

    def assign_sub(self, delta):
        """Subtract delta in place (w.assign_sub(learning_rate * dw)); returns the variable."""
        return self.assign(self._data - np.asarray(
            delta._data if isinstance(delta, Tensor) else delta, self._data.dtype))

    def __repr__(self):
        return (f"<Variable path={self.path}, shape={self._data.shape}, "
                f"dtype={self._data.dtype}, value={self._data!r}>")


class _Budget(threading.local):
    remaining = None  # how many more values may be allocated, or None for no limit


_budget = _Budget()


@contextmanager
def allocation_limit(values):
    """Inside, making weights of more than `values` values in all raises a ValueError before
    allocating: a model built from a file's config needs no more weights than the file holds,
    whatever sizes a forged config asks for."""
    previous, _budget.remaining = _budget.remaining, values
    try:
        yield
    finally:
        _budget.remaining = previous


def reserve(shape):
    """Count a new weight of shape against the allocation limit in force, if any."""
    if _budget.remaining is not None:
        size = math.prod(shape)
        if size > _budget.remaining:
            raise ValueError(f"the architecture asks for a weight of shape {tuple(shape)}, more "
                             "values than the file's weights hold")
        _budget.remaining -= size
