"""Conv1d and Conv2d, as torch.nn has them: weight (out_channels, in_channels, *kernel_size),
initialised as PyTorch does (kaiming_uniform with a = sqrt(5), bias U(-1/sqrt(fan_in),
1/sqrt(fan_in)))."""
import math

from .. import dtypes, functional as F, validate
from ..functional.conv import check_defaults, conv_padding, tuple_of
from ..tensor import check_device
from .linear import _uniform
from .module import Module, Parameter


class _ConvNd(Module):
    N = 2

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                 groups=1, bias=True, padding_mode="zeros", device=None, dtype=None):
        super().__init__()
        check_device(device)
        name = type(self).__name__
        n = self.N
        check_defaults(name, dilation=(tuple_of(dilation, n, "dilation"), (1,) * n),
                       groups=(groups, 1), padding_mode=(padding_mode, "zeros"))
        self.in_channels = validate.positive_int(in_channels, "in_channels")
        self.out_channels = validate.positive_int(out_channels, "out_channels")
        self.kernel_size = tuple_of(kernel_size, n, "kernel_size")
        self.stride = tuple_of(stride, n, "stride")
        if any(k < 1 for k in self.kernel_size) or any(s < 1 for s in self.stride):
            raise ValueError(f"{name}: kernel_size and stride must be positive, got "
                             f"{kernel_size!r} and {stride!r}")
        self.padding = conv_padding(padding, n)
        if self.padding == "same" and any(s != 1 for s in self.stride):
            raise ValueError("padding='same' is not supported for strided convolutions")
        self.dilation, self.groups, self.padding_mode = (1,) * n, 1, "zeros"
        dtype = dtypes.get_default_dtype() if dtype is None else dtypes.as_dtype(dtype)
        if dtype not in dtypes.FLOATS:
            raise TypeError(f"{name}: dtype must be float32 or float64, got {dtype}")
        fan_in = self.in_channels * math.prod(self.kernel_size)
        # kaiming_uniform_(a=sqrt(5)) comes to the same bound as the bias's
        bound = 1 / math.sqrt(fan_in)
        self.weight = Parameter(_uniform(
            bound, (self.out_channels, self.in_channels) + self.kernel_size, dtype))
        if validate.flag(bias, "bias"):
            self.bias = Parameter(_uniform(bound, (self.out_channels,), dtype))
        else:
            self.register_parameter("bias", None)

    def extra_repr(self):
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding != (0,) * self.N:
            text += f", padding={self.padding}"
        if self.bias is None:
            text += ", bias=False"
        return text


class Conv1d(_ConvNd):
    """The 1-D convolution of (N, C_in, L) (or unbatched (C_in, L)) to (N, C_out, L_out)."""
    N = 1

    def forward(self, input):
        return F.conv1d(input, self.weight, self.bias, self.stride, self.padding)


class Conv2d(_ConvNd):
    """The 2-D convolution of (N, C_in, H, W) (or unbatched (C_in, H, W)) to (N, C_out, H_out,
    W_out)."""
    N = 2

    def forward(self, input):
        return F.conv2d(input, self.weight, self.bias, self.stride, self.padding)
