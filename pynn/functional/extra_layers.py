"""The functions of the extra layers of torch.nn (pynn/nn/extra_layers.py): channel dropout
(dropout1d/2d/3d), rrelu, group_norm and rms_norm, written with pynn's differentiable ops."""
import numpy as np

from .. import random, validate
from ..tensor import Tensor


def _channel_dropout(name, spatial):
    def op(input, p=0.5, training=True, inplace=False):
        p = validate.number(p, f"{name}: p")
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        dims = input.dim()
        if dims not in (spatial + 1, spatial + 2):
            raise RuntimeError(f"{name}: Expected {spatial + 1}D or {spatial + 2}D input, but "
                               f"received a {dims}D input. Note that {name} exists to provide "
                               f"channel-wise dropout on inputs with {spatial} spatial "
                               f"dimension{'s' if spatial > 1 else ''}, a channel dimension, "
                               f"and an optional batch dimension (i.e. {spatial + 1}D or "
                               f"{spatial + 2}D inputs).")
        if not training or p == 0.0:
            return input
        if p == 1.0:
            out = input * 0.0
        else:
            shape = tuple(input.shape[:dims - spatial]) + (1,) * spatial
            keep = random.generator().random(shape) >= p
            out = input * Tensor._make((keep / (1.0 - p)).astype(input._data.dtype))
        if inplace:
            from ..tensor import no_grad
            with no_grad():
                input.copy_(out)
            return input
        return out
    op.__name__ = op.__qualname__ = name
    return op


dropout1d = _channel_dropout("dropout1d", 1)
dropout2d = _channel_dropout("dropout2d", 2)
dropout3d = _channel_dropout("dropout3d", 3)


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """Leaky ReLU with a random negative slope from U(lower, upper) per element in training,
    (lower + upper) / 2 otherwise."""
    if training:
        slope = random.generator().uniform(lower, upper, tuple(input.shape))
        slope = Tensor._make(slope.astype(input._data.dtype))
    else:
        slope = (lower + upper) / 2
    out = input.where(input >= 0, input * slope)
    if inplace:
        from ..tensor import no_grad
        with no_grad():
            input.copy_(out)
        return input
    return out


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-05):
    """Each sample's channels split into num_groups groups, each normalised by its own mean and
    (biased) variance, then scaled by weight and shifted by bias per channel."""
    if input.dim() < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received "
                           f"{input.dim()}")
    n, c = input.shape[0], input.shape[1]
    if c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by "
                           f"num_groups, but got input of shape {list(input.shape)} and "
                           f"num_groups={num_groups}")
    grouped = input.reshape(n, num_groups, -1)
    mean = grouped.mean(-1, keepdim=True)
    var = ((grouped - mean) ** 2).mean(-1, keepdim=True)
    out = ((grouped - mean) / (var + eps).sqrt()).reshape(input.shape)
    channel = (1, c) + (1,) * (input.dim() - 2)
    if weight is not None:
        out = out * weight.reshape(channel)
    if bias is not None:
        out = out + bias.reshape(channel)
    return out


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """input / sqrt(mean(input^2) + eps) over the last len(normalized_shape) dims, times
    weight; eps None is the machine epsilon of input's dtype."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else \
        tuple(normalized_shape)
    if tuple(input.shape[input.dim() - len(shape):]) != shape:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                           f"[*, {', '.join(map(str, shape))}], but got input of size"
                           f"{list(input.shape)}")
    eps = float(np.finfo(input._data.dtype).eps) if eps is None else eps
    dims = tuple(range(input.dim() - len(shape), input.dim()))
    out = input * ((input * input).mean(dims, keepdim=True) + eps).rsqrt()
    return out * weight if weight is not None else out
