"""Linear, Bilinear and Identity, as torch.nn has them, initialised as PyTorch initialises
them (from pynn's generator)."""
import math

from .. import dtypes, functional as F, random, validate
from ..tensor import Tensor, check_device
from ..validate import ShapeError
from .module import Module, Parameter


class Identity(Module):
    """Returns its input; takes (and ignores) any arguments, as torch.nn.Identity."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        return input


def _uniform(bound, shape, dtype):
    return Tensor._make(random.generator().uniform(-bound, bound, shape).astype(dtype))


class Linear(Module):
    """y = x @ weight.T + bias, weight of shape (out_features, in_features), as torch.nn.Linear.

    Initialised as PyTorch does (kaiming_uniform with a = sqrt(5), which comes to
    U(-1/sqrt(in_features), 1/sqrt(in_features)) for weight and bias).
    """

    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__()
        check_device(device)
        self.in_features = validate.integer(in_features, "in_features")
        self.out_features = validate.integer(out_features, "out_features")
        if self.in_features < 0 or self.out_features < 0:
            raise ShapeError(f"Trying to create tensor with negative dimension: "
                               f"in_features={in_features}, out_features={out_features}")
        dtype = dtypes.get_default_dtype() if dtype is None else dtypes.as_dtype(dtype)
        if dtype not in dtypes.FLOATS:
            raise TypeError(f"Linear: dtype must be float32 or float64, got {dtype}")
        bound = 1 / math.sqrt(self.in_features) if self.in_features else 0.0
        self.weight = Parameter(_uniform(bound, (self.out_features, self.in_features), dtype))
        self.bias = (Parameter(_uniform(bound, (self.out_features,), dtype))
                     if validate.flag(bias, "bias") else None)
        if self.bias is None:
            self.register_parameter("bias", None)

    def forward(self, input):
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Bilinear(Module):
    """y = x1^T A x2 + b, as torch.nn.Bilinear."""

    def __init__(self, in1_features, in2_features, out_features, bias=True, device=None,
                 dtype=None):
        super().__init__()
        check_device(device)
        dtype = dtypes.get_default_dtype() if dtype is None else dtypes.as_dtype(dtype)
        self.in1_features, self.in2_features = in1_features, in2_features
        self.out_features = out_features
        bound = 1 / math.sqrt(in1_features)
        self.weight = Parameter(_uniform(bound, (out_features, in1_features, in2_features),
                                         dtype))
        self.bias = Parameter(_uniform(bound, (out_features,), dtype)) if bias else None

    def forward(self, input1, input2):
        return F.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self):
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")
