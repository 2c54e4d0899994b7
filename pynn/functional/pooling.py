"""F.max_pool1d/2d, F.avg_pool1d/2d and F.adaptive_avg_pool1d/2d over PyTorch's channels-first
layout, through pynn.ops.convolution's channels-last pooling (1-D as 2-D of height 1)."""
from ..ops.convolution import avg_pool2d_nhwc, max_pool2d_nhwc
from ..ops.shape import pad as _pad
from ..validate import ShapeError
from .conv import check_defaults, tuple_of


def _pool(op, input, kernel_size, stride, padding, fill, n, name):
    if input.ndim not in (n + 1, n + 2):
        raise ShapeError(f"{name}: Expected {n + 1}D or {n + 2}D input, got shape "
                         f"{list(input.shape)}")
    if input.ndim == n + 1:
        return _pool(op, input.unsqueeze(0), kernel_size, stride, padding, fill, n,
                     name).squeeze(0)
    kernel = tuple_of(kernel_size, n, "kernel_size")
    stride = kernel if stride is None or stride == [] else tuple_of(stride, n, "stride")
    padding = tuple_of(padding, n, "padding")
    if any(p < 0 or 2 * p > k for p, k in zip(padding, kernel)):
        raise ValueError(f"{name}: pad should be at most half of effective kernel size, but "
                         f"got pad={padding} and kernel_size={kernel}")
    if any(padding):
        input = _pad(input, [p for p in reversed(padding) for _ in (0, 1)], value=fill)
    if n == 1:
        input, kernel, stride = input.unsqueeze(2), (1,) + kernel, (1,) + stride
    out = op(input.permute(0, 2, 3, 1), kernel, stride, "valid").permute(0, 3, 1, 2)
    return out.squeeze(2) if n == 1 else out


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """The largest entry of each window of (N, C, L)."""
    check_defaults("max_pool1d", dilation=(tuple_of(dilation, 1, "dilation"), (1,)),
                   ceil_mode=(ceil_mode, False), return_indices=(return_indices, False))
    return _pool(max_pool2d_nhwc, input, kernel_size, stride, padding, float("-inf"), 1,
                 "max_pool1d")


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """The largest entry of each window of (N, C, H, W)."""
    check_defaults("max_pool2d", dilation=(tuple_of(dilation, 2, "dilation"), (1, 1)),
                   ceil_mode=(ceil_mode, False), return_indices=(return_indices, False))
    return _pool(max_pool2d_nhwc, input, kernel_size, stride, padding, float("-inf"), 2,
                 "max_pool2d")


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    """The mean of each window of (N, C, L) (the zero padding counted, as PyTorch's default)."""
    check_defaults("avg_pool1d", ceil_mode=(ceil_mode, False),
                   count_include_pad=(count_include_pad, True))
    return _pool(avg_pool2d_nhwc, input, kernel_size, stride, padding, 0.0, 1, "avg_pool1d")


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """The mean of each window of (N, C, H, W) (the zero padding counted, as PyTorch's
    default)."""
    check_defaults("avg_pool2d", ceil_mode=(ceil_mode, False),
                   count_include_pad=(count_include_pad, True),
                   divisor_override=(divisor_override, None))
    return _pool(avg_pool2d_nhwc, input, kernel_size, stride, padding, 0.0, 2, "avg_pool2d")


def _adaptive_window(input, output_size, n, name):
    """The kernel (= stride) that averages input's last n dimensions down to output_size."""
    if input.ndim not in (n + 1, n + 2):
        raise ShapeError(f"{name}: Expected {n + 1}D or {n + 2}D input, got shape "
                         f"{list(input.shape)}")
    sizes = tuple(input.shape[-n:])
    wanted = (output_size,) * n if isinstance(output_size, int) else tuple(output_size)
    if len(wanted) != n:
        raise ValueError(f"{name}: output_size must be an int or a tuple of {n}, got "
                         f"{output_size!r}")
    wanted = tuple(size if w is None else w for w, size in zip(wanted, sizes))
    if any(w < 1 or size % w for w, size in zip(wanted, sizes)):
        raise ValueError(f"{name}: pynn supports only output sizes that divide the input's; "
                         f"got output_size={wanted} for an input of size {sizes}")
    return tuple(size // w for w, size in zip(wanted, sizes))


def adaptive_avg_pool1d(input, output_size):
    """(N, C, L) averaged down to output_size (which must divide L)."""
    window = _adaptive_window(input, output_size, 1, "adaptive_avg_pool1d")
    return avg_pool1d(input, window, window)


def adaptive_avg_pool2d(input, output_size):
    """(N, C, H, W) averaged down to output_size (each must divide its input size; 1 is the
    global average)."""
    window = _adaptive_window(input, output_size, 2, "adaptive_avg_pool2d")
    return avg_pool2d(input, window, window)
