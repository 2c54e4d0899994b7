"""2-D convolution and pooling over channels-last images (batch, height, width, channels), the
layout Keras uses, each op's forward and backward together.

conv2d slides a kernel of shape (kernel height, kernel width, in channels, filters) over the
image: the windows are gathered as a strided view (no copy until the product), multiplied with
the kernel as one matrix product, and the input's gradient is added back kernel position by
kernel position. padding 'valid' keeps only whole windows; 'same' pads as TensorFlow does (the
odd pixel at the bottom and right) so that the output is ceil(size / stride) wide. Pooling takes
the max or the mean of each window: a max's gradient goes to the first largest entry of its
window, and 'same' average pooling averages the entries inside the image only, as Keras does.
"""
import math

import numpy as np

from ..tensor import Tensor

__all__ = ["conv2d_nhwc", "conv2d_transpose_nhwc", "max_pool2d_nhwc", "avg_pool2d_nhwc",
           "same_padding"]


def _pair(value, name):
    pair = (value, value) if isinstance(value, (int, np.integer)) else tuple(value)
    if len(pair) != 2 or any(isinstance(v, bool) or not isinstance(v, (int, np.integer))
                             or v < 1 for v in pair):
        raise ValueError(f"{name} must be a positive integer or a pair of them, got {value!r}")
    return tuple(int(v) for v in pair)


def same_padding(size, window, stride):
    """(before, after) padding of one axis for padding='same', as TensorFlow computes it."""
    total = max((math.ceil(size / stride) - 1) * stride + window - size, 0)
    return total // 2, total - total // 2


def _pads(shape, window, strides, padding):
    if padding == "valid":
        return (0, 0), (0, 0)
    if padding == "same":
        return (same_padding(shape[1], window[0], strides[0]),
                same_padding(shape[2], window[1], strides[1]))
    raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")


def _windows(x, window, strides):
    """The (batch, out height, out width, channels, window height, window width) view of the
    windows of x (already padded)."""
    view = np.lib.stride_tricks.sliding_window_view(x, window, axis=(1, 2))
    return view[:, ::strides[0], ::strides[1]]


def _out_size(size, window, stride):
    if size < window:
        raise ValueError(f"the window ({window}) is larger than the padded input ({size}): use "
                         "padding='same' or a smaller kernel or pool size")
    return (size - window) // stride + 1


def _scatter(shape, pads, window, strides, parts, dtype):
    """The gradient of the padded input from each window position's part (i, j) -> array of
    shape (batch, out height, out width, channels), cropped back to the unpadded input."""
    (top, bottom), (left, right) = pads
    grad = np.zeros((shape[0], shape[1] + top + bottom, shape[2] + left + right, shape[3]),
                    dtype)
    for (i, j), part in parts:
        oh, ow = part.shape[1], part.shape[2]
        grad[:, i:i + strides[0] * (oh - 1) + 1:strides[0],
             j:j + strides[1] * (ow - 1) + 1:strides[1]] += part
    return grad[:, top:top + shape[1], left:left + shape[2]]


def _checked(input, kernel, name, kernel_order, in_axis):
    """The arrays of a convolution's input (N, H, W, C) and kernel (KH, KW, ...), checked: ranks,
    the input's channels against the kernel's axis in_axis, one dtype."""
    x, k = input._data, kernel._data
    if x.ndim != 4 or k.ndim != 4:
        raise ValueError(f"{name} expects inputs (batch, height, width, channels) and a kernel "
                         f"(height, width, {kernel_order}); got shapes {x.shape} and {k.shape}")
    if x.shape[3] != k.shape[in_axis]:
        raise ValueError(f"{name}: the inputs have {x.shape[3]} channels but the kernel expects "
                         f"{k.shape[in_axis]}")
    if x.dtype != k.dtype:
        raise TypeError(f"{name}: inputs and kernel must have one dtype, got {x.dtype} and "
                        f"{k.dtype}")
    return x, k


def conv2d_nhwc(input, kernel, strides=1, padding="valid"):
    """The 2-D cross-correlation of input (N, H, W, C) with kernel (KH, KW, C, F): (N, OH, OW,
    F), as Keras's Conv2D computes it (without its bias and activation)."""
    x, k = _checked(input, kernel, "conv2d", "in channels, filters", 2)
    strides = _pair(strides, "strides")
    window = k.shape[:2]
    pads = _pads(x.shape, window, strides, padding)
    xp = np.pad(x, ((0, 0), pads[0], pads[1], (0, 0))) if pads != ((0, 0), (0, 0)) else x
    oh = _out_size(xp.shape[1], window[0], strides[0])
    ow = _out_size(xp.shape[2], window[1], strides[1])
    # each window as one row, in (KH, KW, C) order: the channels stay contiguous in the copy,
    # and the kernel is a (KH * KW * C, F) matrix as it lies
    cols = _windows(xp, window, strides).transpose(0, 1, 2, 4, 5, 3).reshape(
        x.shape[0] * oh * ow, -1)
    weights = k.reshape(-1, k.shape[3])
    out = (cols @ weights).reshape(x.shape[0], oh, ow, k.shape[3])

    def backward(g):
        g2 = g.reshape(-1, k.shape[3])
        d_kernel = (cols.T @ g2).reshape(k.shape)
        # the input's gradient one kernel position at a time (no copy of every window's)
        parts = (((i, j), (g2 @ k[i, j].T).reshape(x.shape[0], oh, ow, k.shape[2]))
                 for i in range(window[0]) for j in range(window[1]))
        d_input = _scatter(x.shape, pads, window, strides, parts, x.dtype)
        return d_input, d_kernel
    return Tensor.from_op(out, (input, kernel), backward)


def conv2d_transpose_nhwc(input, kernel, strides=1, padding="valid"):
    """The transposed 2-D convolution of input (N, H, W, F) with kernel (KH, KW, C, F), as
    Keras's Conv2DTranspose computes it (kernel (height, width, filters, in channels)): the
    gradient conv2d_nhwc gives its input, so conv2d_nhwc(output, kernel) maps back to input's
    shape. The output is (N, (H - 1) * stride + KH, ...) for 'valid', (N, H * stride, ...) for
    'same'. Its backward is conv2d_nhwc's forward for the input and the kernel's products."""
    x, k = _checked(input, kernel, "conv2d_transpose", "filters, in channels", 3)
    strides = _pair(strides, "strides")
    window = k.shape[:2]
    if padding == "valid":
        size = tuple((n - 1) * s + w for n, s, w in zip(x.shape[1:3], strides, window))
    elif padding == "same":
        size = tuple(n * s for n, s in zip(x.shape[1:3], strides))
    else:
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
    shape = (x.shape[0],) + size + (k.shape[2],)
    pads = _pads(shape, window, strides, padding)
    n, h, w = x.shape[:3]
    g2 = x.reshape(-1, k.shape[3])
    parts = (((i, j), (g2 @ k[i, j].T).reshape(n, h, w, k.shape[2]))
             for i in range(window[0]) for j in range(window[1]))
    out = _scatter(shape, pads, window, strides, parts, x.dtype)

    def backward(g):
        gp = np.pad(g, ((0, 0), pads[0], pads[1], (0, 0))) if pads != ((0, 0), (0, 0)) else g
        cols = _windows(gp, window, strides)[:, :h, :w].transpose(0, 1, 2, 4, 5, 3).reshape(
            n * h * w, -1)
        d_input = (cols @ k.reshape(-1, k.shape[3])).reshape(x.shape)
        d_kernel = (cols.T @ g2).reshape(k.shape)
        return d_input, d_kernel
    return Tensor.from_op(out, (input, kernel), backward)


def _pool_windows(x, pool_size, strides, padding, fill):
    pool_size = _pair(pool_size, "pool_size")
    strides = pool_size if strides is None else _pair(strides, "strides")
    if x.ndim != 4:
        raise ValueError(f"2-D pooling expects inputs (batch, height, width, channels), got "
                         f"shape {x.shape}")
    pads = _pads(x.shape, pool_size, strides, padding)
    xp = (np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)), constant_values=fill)
          if pads != ((0, 0), (0, 0)) else x)
    _out_size(xp.shape[1], pool_size[0], strides[0])
    _out_size(xp.shape[2], pool_size[1], strides[1])
    return _windows(xp, pool_size, strides), pool_size, strides, pads


def max_pool2d_nhwc(input, pool_size=2, strides=None, padding="valid"):
    """The largest entry of each pool_size window (strides defaults to pool_size)."""
    x = input._data
    windows, pool_size, strides, pads = _pool_windows(x, pool_size, strides, padding, -np.inf)
    flat = windows.reshape(windows.shape[:4] + (-1,))
    where = flat.argmax(axis=-1)
    out = np.take_along_axis(flat, where[..., None], axis=-1)[..., 0]

    def backward(g):
        parts = (((i, j), g * (where == i * pool_size[1] + j))
                 for i in range(pool_size[0]) for j in range(pool_size[1]))
        return (_scatter(x.shape, pads, pool_size, strides, parts, x.dtype),)
    return Tensor.from_op(np.ascontiguousarray(out), (input,), backward, saved=())


def avg_pool2d_nhwc(input, pool_size=2, strides=None, padding="valid"):
    """The mean of each window's entries inside the image (strides defaults to pool_size)."""
    x = input._data
    windows, pool_size, strides, pads = _pool_windows(x, pool_size, strides, padding, 0.0)
    ones = np.ones((1,) + x.shape[1:3] + (1,), x.dtype)
    counts, _, _, _ = _pool_windows(ones, pool_size, strides, padding, 0.0)
    counts = counts.sum(axis=(-2, -1))
    out = windows.sum(axis=(-2, -1)) / counts

    def backward(g):
        share = g / counts
        parts = (((i, j), share) for i in range(pool_size[0]) for j in range(pool_size[1]))
        grad = _scatter(x.shape, pads, pool_size, strides, parts, x.dtype)
        return (grad,)
    return Tensor.from_op(out.astype(x.dtype, copy=False), (input,), backward, saved=())
