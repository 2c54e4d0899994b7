"""Dropout and its kin: zero (or noise) on a random part of the input in training, the identity
in evaluation. The kept values are scaled by 1 / (1 - p), as PyTorch and Keras do, so that the
expected value is unchanged."""
import numpy as np

from .. import random, validate
from ..tensor import Tensor, inplace as update_in_place, tensor


def probability(p):
    """A dropout probability: a number in [0, 1]."""
    p = validate.number(p, "dropout probability")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    return p


def _masked(x, mask, scale):
    """x * mask * scale as a graph node (mask is not differentiated)."""
    keep = (mask * scale).astype(x._data.dtype)
    return Tensor.from_op(x._data * keep, (x,), lambda g: (g * keep,), saved=())


def dropout(input, p=0.5, training=True, inplace=False):
    """Each element zeroed with probability p in training, the others scaled by 1/(1 - p)."""
    x = input if isinstance(input, Tensor) else tensor(input)
    p = probability(p)
    if not validate.flag(training, "training") or p == 0.0:
        return x
    mask = random.generator().random(x._data.shape) >= p
    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)
    if inplace:
        return update_in_place(x, _masked, mask, scale)
    return _masked(x, mask, scale)


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Dropout that keeps a SELU network's mean and variance: dropped values are set to
    -alpha * scale, then an affine map restores the statistics."""
    x = input if isinstance(input, Tensor) else tensor(input)
    p = probability(p)
    if not validate.flag(training, "training") or p == 0.0:
        return x
    alpha_p = -1.7580993408473766
    a = ((1 - p) * (1 + p * alpha_p ** 2)) ** -0.5
    b = -a * alpha_p * p
    keep = random.generator().random(x._data.shape) >= p
    kept = Tensor._make(keep.astype(x._data.dtype))
    return (x * kept + alpha_p * (1 - kept)) * a + b


def gaussian_noise(input, stddev, training=True):
    """input + N(0, stddev^2) noise in training (Keras's GaussianNoise)."""
    x = input if isinstance(input, Tensor) else tensor(input)
    if not training or stddev == 0:
        return x
    noise = random.generator().normal(0.0, stddev, x._data.shape).astype(x._data.dtype)
    return x + Tensor._make(noise)


def gaussian_dropout(input, rate, training=True):
    """input times N(1, rate / (1 - rate)) noise in training (Keras's GaussianDropout)."""
    x = input if isinstance(input, Tensor) else tensor(input)
    if not training or rate == 0:
        return x
    std = (rate / (1.0 - rate)) ** 0.5
    noise = random.generator().normal(1.0, std, x._data.shape).astype(x._data.dtype)
    return x * Tensor._make(noise)
