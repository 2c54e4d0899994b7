"""Lazy layers, as torch.nn has them: nn.LazyLinear(out_features) learns its in_features from
the first input it sees (the style of the d2l book), then becomes an nn.Linear.

Until then its weight and bias are UninitializedParameters: the same objects become the real
parameters, so an optimizer given them after a first forward pass (a "dry run", as PyTorch
asks) updates the layer.
"""
import math

import numpy as np

from .. import dtypes, validate
from ..tensor import check_device, init_leaf
from .linear import Linear, _uniform
from .module import Module, Parameter


class UninitializedParameter(Parameter):
    """A parameter whose shape is not known yet: a lazy module materializes it in place on
    its first forward pass."""

    __slots__ = ()

    def __init__(self, requires_grad=True, device=None, dtype=None):
        check_device(device)
        dtype = dtypes.get_default_dtype() if dtype is None else dtypes.as_dtype(dtype)
        init_leaf(self, np.empty(0, dtype), validate.flag(requires_grad, "requires_grad"))

    def materialize(self, data):
        """Become a Parameter holding data (an array), keeping this object."""
        self._data = data
        self.__class__ = Parameter

    def __repr__(self):
        return "<UninitializedParameter>"


class LazyLinear(Linear):
    """A Linear whose in_features is the size of the last dimension of its first input;
    initialised then as nn.Linear(in_features, out_features) would be."""

    def __init__(self, out_features, bias=True, device=None, dtype=None):
        Module.__init__(self)
        check_device(device)
        self.in_features = 0
        self.out_features = validate.integer(out_features, "out_features")
        if self.out_features < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension "
                               f"{out_features}: [{out_features}, 0]")
        self._lazy_dtype = dtypes.get_default_dtype() if dtype is None else \
            dtypes.as_dtype(dtype)
        self.weight = UninitializedParameter(dtype=self._lazy_dtype)
        if validate.flag(bias, "bias"):
            self.bias = UninitializedParameter(dtype=self._lazy_dtype)
        else:
            self.register_parameter("bias", None)

    def has_uninitialized_params(self):
        return isinstance(self.weight, UninitializedParameter)

    def initialize_parameters(self, input):
        if not self.has_uninitialized_params():
            return
        if input.dim() == 0:
            raise RuntimeError("LazyLinear: expected an input with at least 1 dimension, "
                               "got a 0-d tensor")
        self.in_features = int(input.shape[-1])
        bound = 1 / math.sqrt(self.in_features) if self.in_features else 0.0
        dtype = self.weight._data.dtype
        self.weight.materialize(_uniform(bound, (self.out_features, self.in_features),
                                         dtype)._data)
        if self.bias is not None:
            self.bias.materialize(_uniform(bound, (self.out_features,), dtype)._data)
        self.__dict__.pop("_lazy_dtype", None)
        self.__class__ = Linear  # as PyTorch's cls_to_become

    def forward(self, input):
        self.initialize_parameters(input)
        return Linear.forward(self, input)
