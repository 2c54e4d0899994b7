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
    """A weight: Variable(array, name, trainable=True, regularizer=None, constraint=None)."""

    __slots__ = ("name", "path", "regularizer", "constraint")

    def __init__(self, value, name, trainable=True, regularizer=None, constraint=None):
        super().__init__(value, requires_grad=validate.flag(trainable, "trainable"))
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
