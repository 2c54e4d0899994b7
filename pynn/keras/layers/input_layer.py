"""keras.Input and InputLayer: where a model's inputs start.

Input(shape=(2,)) returns a KerasTensor of shape (None, 2), the start of a functional model;
as the first element of a Sequential model it declares the model's input shape. The InputLayer
behind it has no weights and is not among a Sequential model's layers, as in Keras.
"""
import warnings

import numpy as np

from ... import validate
from .. import config
from ..keras_tensor import KerasTensor, Node
from .layer import Layer


def standardize_shape(shape, owner="shape"):
    """A shape as a tuple of positive ints and Nones: (2,), or an int taken as (2,)."""
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, (bool, np.bool_)):
        shape = (shape,)
    if not isinstance(shape, (tuple, list)):
        raise ValueError(f"Cannot convert '{shape!r}' to a shape.")
    return tuple(None if d is None else validate.positive_int(d, owner) for d in shape)


def _input_dtype(dtype):
    """A float dtype as Layer takes it, or an integer or bool one (inputs of ids)."""
    name = config.floatx() if dtype is None else np.dtype(dtype).name
    if np.dtype(name).kind not in "biuf":
        raise ValueError(f"Input: dtype must be a numeric dtype such as 'float32', got {dtype!r}")
    return name


class InputLayer(Layer):
    """InputLayer(shape=None, batch_size=None, dtype=None, batch_shape=None, name=None):
    declares the shape of one sample (shape) or of a batch (batch_shape)."""

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, ragged=None,
                 batch_shape=None, input_tensor=None, optional=False, name=None, **kwargs):
        if "input_shape" in kwargs:
            warnings.warn("Argument `input_shape` is deprecated. Use `shape` instead.",
                          stacklevel=2)
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        super().__init__(name=name, **kwargs)
        if sparse or ragged:
            raise ValueError("`sparse=True` and `ragged=True` are not supported: pynn has dense "
                             "tensors only")
        if input_tensor is not None:
            raise ValueError("InputLayer: `input_tensor` is not supported by pynn; give `shape`")
        if shape is not None and batch_shape is not None:
            raise ValueError("You cannot pass both `shape` and `batch_shape` at the same time.")
        if batch_size is not None and batch_shape is not None:
            raise ValueError("You cannot pass both `batch_size` and `batch_shape` at the same "
                             "time.")
        if shape is None and batch_shape is None:
            raise ValueError("You must pass a `shape` argument.")
        if shape is not None:
            if batch_size is not None:
                batch_size = validate.positive_int(batch_size, "batch_size")
            batch_shape = (batch_size,) + standardize_shape(shape)
        else:
            batch_shape = standardize_shape(batch_shape)
        if not batch_shape:
            raise ValueError("InputLayer: the shape must have at least the batch axis")
        self._batch_shape = batch_shape
        self._dtype = _input_dtype(dtype)
        self.optional = optional
        self._input_tensor = KerasTensor(batch_shape, dtype=self._dtype, name=self.name)
        Node(self, outputs=self._input_tensor)
        self.built = True

    def call(self, inputs):
        return inputs

    @property
    def batch_shape(self):
        return self._batch_shape

    @property
    def shape(self):
        """The shape of one sample, without the batch axis."""
        return self._batch_shape[1:]

    def compute_output_shape(self, input_shape):
        return self._batch_shape

    def get_config(self):
        return {"batch_shape": list(self._batch_shape), "dtype": self._dtype, "name": self.name}


def Input(shape=None, batch_size=None, dtype=None, sparse=None, ragged=None, batch_shape=None,
          name=None, tensor=None, optional=False):
    """A symbolic input: Input(shape=(2,)) is a KerasTensor of shape (None, 2), to call layers
    on (the functional API) or to put first in a Sequential model."""
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       ragged=ragged, batch_shape=batch_shape, input_tensor=tensor,
                       optional=optional, name=name)
    return layer.output
