"""F.conv1d and F.conv2d over PyTorch's channels-first layout: the input permuted to channels
last and passed to pynn.ops.convolution's conv2d (a 1-D convolution is a 2-D one of height 1)."""
from ..ops.convolution import conv2d_nhwc
from ..ops.shape import pad as _pad
from ..validate import ShapeError


def tuple_of(value, n, name):
    """An int or a sequence of n positive ints as a tuple of n ints, as PyTorch's _pair."""
    values = (value,) * n if isinstance(value, int) and not isinstance(value, bool) else value
    try:
        values = tuple(values)
    except TypeError:
        values = ()
    if len(values) != n or any(isinstance(v, bool) or not isinstance(v, int) for v in values):
        raise ValueError(f"{name} must be an int or a tuple of {n} ints, got {value!r}")
    return values


def conv_padding(padding, n):
    """padding as conv layers take it: 'valid', 'same', or n non-negative ints."""
    if isinstance(padding, str):
        if padding not in ("valid", "same"):
            raise ValueError(f"Invalid padding string '{padding}', should be one of "
                             "{'valid', 'same'}")
        return padding
    values = tuple_of(padding, n, "padding")
    if any(v < 0 for v in values):
        raise ValueError(f"negative padding is not supported, got {padding!r}")
    return values


def check_defaults(name, **options):
    """A clear ValueError for the options pynn has only at their default value."""
    for option, (value, default) in options.items():
        if value != default:
            raise ValueError(f"{name}: pynn supports only {option}={default!r}, got {value!r}")


def _conv(input, weight, bias, stride, padding, n, name):
    if weight.ndim != n + 2:
        raise ShapeError(f"{name}: weight must have {n + 2} dimensions (out_channels, "
                         f"in_channels, kernel...), got shape {tuple(weight.shape)}")
    if input.ndim not in (n + 1, n + 2):
        raise ShapeError(f"{name}: Expected {n + 1}D (unbatched) or {n + 2}D (batched) input "
                         f"to {name}, but got input of size: {list(input.shape)}")
    if input.ndim == n + 1:
        return _conv(input.unsqueeze(0), weight, bias, stride, padding, n, name).squeeze(0)
    if input.shape[1] != weight.shape[1]:
        raise ShapeError(f"{name}: expected input{list(input.shape)} to have {weight.shape[1]} "
                         f"channels, but got {input.shape[1]} channels instead")
    stride = tuple_of(stride, n, "stride")
    padding = conv_padding(padding, n)
    if padding == "same" and any(s != 1 for s in stride):
        raise ValueError("padding='same' is not supported for strided convolutions")
    if isinstance(padding, tuple):
        if any(padding):
            input = _pad(input, [p for p in reversed(padding) for _ in (0, 1)])
        padding = "valid"
    if n == 1:
        input, weight, stride = input.unsqueeze(2), weight.unsqueeze(2), (1,) + stride
    out = conv2d_nhwc(input.permute(0, 2, 3, 1), weight.permute(2, 3, 1, 0), stride,
                      padding).permute(0, 3, 1, 2)
    if n == 1:
        out = out.squeeze(2)
    if bias is not None:
        out = out + bias.reshape((1, -1) + (1,) * n)
    return out


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """The 1-D cross-correlation of input (N, C_in, L) with weight (C_out, C_in, K)."""
    check_defaults("conv1d", dilation=(tuple_of(dilation, 1, "dilation"), (1,)),
                   groups=(groups, 1))
    return _conv(input, weight, bias, stride, padding, 1, "conv1d")


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """The 2-D cross-correlation of input (N, C_in, H, W) with weight (C_out, C_in, kH, kW)."""
    check_defaults("conv2d", dilation=(tuple_of(dilation, 2, "dilation"), (1, 1)),
                   groups=(groups, 1))
    return _conv(input, weight, bias, stride, padding, 2, "conv2d")
