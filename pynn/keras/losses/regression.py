"""The regression losses with Keras 3's names and formulas: mean squared, absolute, absolute
percentage and squared logarithmic errors, cosine similarity, Huber and log-cosh. Each function
gives one loss per sample (the mean over the last axis); each class reduces them."""
import math

import numpy as np

from ... import functional as F
from ...tensor import as_tensor
from .. import config
from .loss import Loss, predictions, targets


def _pair(y_true, y_pred):
    y_pred = predictions(y_pred)
    return as_tensor(targets(y_true, y_pred)), y_pred


def mean_squared_error(y_true, y_pred):
    t, y_pred = _pair(y_true, y_pred)
    return ((y_pred - t) ** 2).mean(axis=-1)


def mean_absolute_error(y_true, y_pred):
    t, y_pred = _pair(y_true, y_pred)
    return (y_pred - t).abs().mean(axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """100 * mean(|t - p| / max(|t|, epsilon))."""
    t, y_pred = _pair(y_true, y_pred)
    scale = as_tensor(np.maximum(np.abs(t._data), config.epsilon()))
    return ((t - y_pred) / scale).abs().mean(axis=-1) * 100.0


def mean_squared_logarithmic_error(y_true, y_pred):
    """mean((log(max(p, eps) + 1) - log(max(t, eps) + 1))^2)."""
    t, y_pred = _pair(y_true, y_pred)
    eps = config.epsilon()
    first = (y_pred.clamp(min=eps) + 1.0).log()
    second = as_tensor(np.log(np.maximum(t._data, eps) + 1.0))
    return ((first - second) ** 2).mean(axis=-1)


def _l2_normalize(x, axis):
    """x / max(||x||, epsilon) along axis (Keras's normalize: x * min(rsqrt(sum x^2), 1/eps))."""
    return x * (x * x).sum(axis=axis, keepdims=True).rsqrt().clamp(max=1 / config.epsilon())


def cosine_similarity(y_true, y_pred, axis=-1):
    """-sum(normalize(t) * normalize(p)): -1 for vectors pointing the same way, 0 for
    orthogonal ones (a loss to minimise)."""
    t, y_pred = _pair(y_true, y_pred)
    return -(_l2_normalize(t, axis) * _l2_normalize(y_pred, axis)).sum(axis=axis)


def huber(y_true, y_pred, delta=1.0):
    """mean(0.5 e^2 where |e| <= delta, else delta |e| - 0.5 delta^2), e = p - t."""
    t, y_pred = _pair(y_true, y_pred)
    return F.huber_loss(y_pred, t, reduction="none", delta=delta).mean(axis=-1)


def log_cosh(y_true, y_pred):
    """mean(log(cosh(p - t))), computed as x + softplus(-2x) - log 2 so that it cannot
    overflow."""
    t, y_pred = _pair(y_true, y_pred)
    x = y_pred - t
    return (x + F.softplus(x * -2.0) - math.log(2.0)).mean(axis=-1)


class _Regression(Loss):
    """A loss whose call is one of the functions above, with the loss's keyword arguments."""

    function = None
    KEYS = ()

    def call(self, y_true, y_pred):
        return type(self).function(y_true, y_pred, **{k: getattr(self, k) for k in self.KEYS})


class MeanSquaredError(_Regression):
    function = staticmethod(mean_squared_error)

    def batch_mean(self, y_true, y_pred):
        return F.mse_loss(y_pred, targets(y_true, y_pred))


class MeanAbsoluteError(_Regression):
    function = staticmethod(mean_absolute_error)

    def batch_mean(self, y_true, y_pred):
        return F.l1_loss(y_pred, targets(y_true, y_pred))


class MeanAbsolutePercentageError(_Regression):
    function = staticmethod(mean_absolute_percentage_error)


class MeanSquaredLogarithmicError(_Regression):
    function = staticmethod(mean_squared_logarithmic_error)


class CosineSimilarity(_Regression):
    """CosineSimilarity(axis=-1, ...)."""

    function = staticmethod(cosine_similarity)
    KEYS = ("axis",)

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name=None, dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.axis = axis


class Huber(_Regression):
    """Huber(delta=1.0, ...): quadratic within delta of the target, linear beyond."""

    function = staticmethod(huber)
    KEYS = ("delta",)

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss",
                 dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.delta = delta


class LogCosh(_Regression):
    function = staticmethod(log_cosh)
