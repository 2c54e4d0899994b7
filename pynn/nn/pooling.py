"""MaxPool1d/2d, AvgPool1d/2d and AdaptiveAvgPool1d/2d, as torch.nn has them."""
from .. import functional as F
from ..functional.conv import check_defaults, tuple_of
from .module import Module


class _Pool(Module):
    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None or stride == [] else stride
        self.padding = padding


class _MaxPool(_Pool):
    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
                 ceil_mode=False):
        n = self.N
        check_defaults(type(self).__name__, dilation=(tuple_of(dilation, n, "dilation"),
                                                      (1,) * n),
                       return_indices=(return_indices, False), ceil_mode=(ceil_mode, False))
        super().__init__(kernel_size, stride, padding)
        self.dilation, self.return_indices, self.ceil_mode = 1, False, False

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool1d(_MaxPool):
    """The largest entry of each window of (N, C, L)."""
    N = 1

    def forward(self, input):
        return F.max_pool1d(input, self.kernel_size, self.stride, self.padding)


class MaxPool2d(_MaxPool):
    """The largest entry of each window of (N, C, H, W)."""
    N = 2

    def forward(self, input):
        return F.max_pool2d(input, self.kernel_size, self.stride, self.padding)


class _AvgPool(_Pool):
    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True):
        check_defaults(type(self).__name__, ceil_mode=(ceil_mode, False),
                       count_include_pad=(count_include_pad, True))
        super().__init__(kernel_size, stride, padding)
        self.ceil_mode, self.count_include_pad = False, True

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool1d(_AvgPool):
    """The mean of each window of (N, C, L)."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True):
        super().__init__(kernel_size, stride, padding, ceil_mode, count_include_pad)
        # PyTorch keeps these as 1-tuples (and prints them so)
        self.kernel_size, self.stride, self.padding = (
            tuple_of(v, 1, name) for v, name in ((self.kernel_size, "kernel_size"),
                                                 (self.stride, "stride"),
                                                 (self.padding, "padding")))

    def forward(self, input):
        return F.avg_pool1d(input, self.kernel_size, self.stride, self.padding)


class AvgPool2d(_AvgPool):
    """The mean of each window of (N, C, H, W)."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True, divisor_override=None):
        check_defaults("AvgPool2d", divisor_override=(divisor_override, None))
        super().__init__(kernel_size, stride, padding, ceil_mode, count_include_pad)
        self.divisor_override = None

    def forward(self, input):
        return F.avg_pool2d(input, self.kernel_size, self.stride, self.padding)


class _AdaptiveAvgPool(Module):
    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def extra_repr(self):
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptiveAvgPool):
    """(N, C, L) averaged down to output_size (which must divide L)."""

    def forward(self, input):
        return F.adaptive_avg_pool1d(input, self.output_size)


class AdaptiveAvgPool2d(_AdaptiveAvgPool):
    """(N, C, H, W) averaged down to output_size (1: the global average)."""

    def forward(self, input):
        return F.adaptive_avg_pool2d(input, self.output_size)
