"""More layers of torch.nn, as PyTorch has them: channel dropout (Dropout1d/2d/3d), RReLU,
Softmax2d, padding (ZeroPad1d/2d, ConstantPad1d/2d, ReflectionPad1d/2d, ReplicationPad1d/2d),
GroupNorm and RMSNorm."""
import numpy as np

from .. import dtypes, functional as F, validate
from ..functional import extra_layers as FX
from ..tensor import Tensor, check_device
from .module import Module, Parameter


class _ChannelDropout(Module):
    function = None

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        p = validate.number(p, "p")
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p, self.inplace = p, inplace

    def forward(self, input):
        return type(self).function(input, self.p, self.training, self.inplace)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(_ChannelDropout):
    function = staticmethod(FX.dropout1d)


class Dropout2d(_ChannelDropout):
    function = staticmethod(FX.dropout2d)


class Dropout3d(_ChannelDropout):
    function = staticmethod(FX.dropout3d)


class RReLU(Module):
    def __init__(self, lower=1.0 / 8, upper=1.0 / 3, inplace=False):
        super().__init__()
        self.lower, self.upper, self.inplace = lower, upper, inplace

    def forward(self, input):
        return FX.rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self):
        return f"lower={self.lower}, upper={self.upper}" + (", inplace=True" if self.inplace
                                                            else "")


class Softmax2d(Module):
    """Softmax over the channels (dim -3) of a (C, H, W) or (N, C, H, W) input."""

    def forward(self, input):
        if input.dim() not in (3, 4):
            raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {input.dim()}D "
                             f"instead")
        return F.softmax(input, -3)


def _widths(padding, n):
    if isinstance(padding, int):
        return (padding,) * (2 * n)
    padding = tuple(padding)
    if len(padding) != 2 * n:
        raise ValueError(f"padding must be an int or a {2 * n}-tuple, got {padding}")
    return padding


class _Pad(Module):
    mode, sides = "constant", 1

    def __init__(self, padding, value=0.0):
        super().__init__()
        self.padding, self.value = _widths(padding, self.sides), value

    def forward(self, input):
        return F.pad(input, self.padding, self.mode, self.value)

    def extra_repr(self):
        return f"{self.padding}"


class _ConstantPad(_Pad):
    def extra_repr(self):
        return f"padding={self.padding}, value={float(self.value)}"


class ConstantPad1d(_ConstantPad):
    sides = 1


class ConstantPad2d(_ConstantPad):
    sides = 2


class ZeroPad1d(_Pad):
    sides = 1

    def __init__(self, padding):
        super().__init__(padding, 0.0)


class ZeroPad2d(_Pad):
    sides = 2

    def __init__(self, padding):
        super().__init__(padding, 0.0)


class ReflectionPad1d(_Pad):
    mode, sides = "reflect", 1

    def __init__(self, padding):
        super().__init__(padding)


class ReflectionPad2d(ReflectionPad1d):
    sides = 2


class ReplicationPad1d(_Pad):
    mode, sides = "replicate", 1

    def __init__(self, padding):
        super().__init__(padding)


class ReplicationPad2d(ReplicationPad1d):
    sides = 2


def _float_dtype(dtype):
    return dtypes.get_default_dtype() if dtype is None else dtypes.as_dtype(dtype)


class GroupNorm(Module):
    def __init__(self, num_groups, num_channels, eps=1e-05, affine=True, bias=True,
                 device=None, dtype=None):
        super().__init__()
        check_device(device)
        if num_channels % num_groups:
            raise ValueError("num_channels must be divisible by num_groups")
        self.num_groups, self.num_channels = num_groups, num_channels
        self.eps, self.affine = eps, affine
        dt = _float_dtype(dtype)
        if affine:
            self.weight = Parameter(Tensor._make(np.ones(num_channels, dt)))
            self.bias = Parameter(Tensor._make(np.zeros(num_channels, dt))) if bias else None
            if not bias:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        self._has_bias = bias

    def forward(self, input):
        return FX.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, "
                f"affine={self.affine}, bias={self._has_bias}")


class RMSNorm(Module):
    def __init__(self, normalized_shape, eps=None, elementwise_affine=True, device=None,
                 dtype=None):
        super().__init__()
        check_device(device)
        self.normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) \
            else tuple(normalized_shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(Tensor._make(np.ones(self.normalized_shape,
                                                         _float_dtype(dtype))))
        else:
            self.register_parameter("weight", None)

    def forward(self, input):
        return FX.rms_norm(input, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self):
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")
