"""Normalisation layers' functions, as torch.nn.functional has them: batch_norm (over the batch,
with running statistics) and layer_norm (over the last dimensions), composed of Tensor ops so
that their gradients are the ops' own."""
import math

from .. import validate
from ..tensor import Tensor, no_grad
from ..validate import ShapeError


def _channel_shape(x, n):
    """The shape that lays per-channel values (dim 1) along x's dimensions."""
    return (1, n) + (1,) * (x._data.ndim - 2)


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """(x - mean) / sqrt(var + eps) * weight + bias per channel (dim 1): the batch's statistics
    in training (the running ones updated in place, var unbiased, by momentum), the running ones
    in evaluation."""
    x = input
    if x._data.ndim < 2:
        raise ValueError(f"expected 2D or 3D input (got {x._data.ndim}D input)")
    n = x._data.shape[1]
    axes = (0,) + tuple(range(2, x._data.ndim))
    count = math.prod(x._data.shape[a] for a in axes)
    shape = _channel_shape(x, n)
    if training:
        if count <= 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input "
                             f"size {list(x.shape)}")
        mean = x.mean(axes, keepdim=True)
        var = ((x - mean) ** 2).mean(axes, keepdim=True)
        if running_mean is not None:
            with no_grad():
                m = validate.number(momentum, "momentum") if momentum is not None else None
                unbiased = var.reshape(-1) * (count / (count - 1))
                if m is None:
                    raise NotImplementedError("batch_norm: momentum=None (a cumulative "
                                              "average) is not supported")
                running_mean.mul_(1 - m).add_(mean.reshape(-1) * m)
                running_var.mul_(1 - m).add_(unbiased * m)
    else:
        if running_mean is None:
            raise ValueError("batch_norm in evaluation needs running_mean and running_var "
                             "(or training=True)")
        mean, var = running_mean.reshape(shape), running_var.reshape(shape)
    out = (x - mean) / (var + eps).sqrt()
    if weight is not None:
        out = out * weight.reshape(shape)
    if bias is not None:
        out = out + bias.reshape(shape)
    return out


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """(x - mean) / sqrt(var + eps) * weight + bias over the last len(normalized_shape) dims."""
    x = input
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else \
        tuple(normalized_shape)
    if x._data.shape[x._data.ndim - len(shape):] != shape:
        raise ShapeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                         f"[*, {', '.join(map(str, shape))}], but got input of size "
                         f"{list(x.shape)}")
    axes = tuple(range(x._data.ndim - len(shape), x._data.ndim))
    mean = x.mean(axes, keepdim=True)
    var = ((x - mean) ** 2).mean(axes, keepdim=True)
    out = (x - mean) / (var + eps).sqrt()
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return out


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    """The rows of weight at the indices of input (int64), as F.embedding; the row at
    padding_idx gets no gradient."""
    index = input._data if isinstance(input, Tensor) else input
    if getattr(index, "dtype", None) is None or index.dtype.kind not in "iu":
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the "
                           "following scalar types: Long, Int")
    if index.size and (index.min() < -weight._data.shape[0]
                       or index.max() >= weight._data.shape[0]):
        raise IndexError("index out of range in self")
    if max_norm is not None:
        raise NotImplementedError("embedding(max_norm=...) is not supported")
    rows = weight[input]
    if padding_idx is not None:
        keep = Tensor._make((index != padding_idx % weight._data.shape[0])
                            .astype(weight._data.dtype)[..., None])
        rows = rows * keep + rows.detach() * (1 - keep)
    return rows
