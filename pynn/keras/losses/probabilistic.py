"""Kullback-Leibler divergence and Poisson loss, with Keras 3's names and formulas."""
import numpy as np

from ...tensor import as_tensor
from .. import config
from .loss import Loss, predictions, targets


def kl_divergence(y_true, y_pred):
    """sum(t log(t / p)), t and p clipped to [epsilon, 1]."""
    y_pred = predictions(y_pred)
    t = np.clip(targets(y_true, y_pred), config.epsilon(), 1)
    p = y_pred.clamp(config.epsilon(), 1)
    return (as_tensor(t) * (as_tensor(np.log(t)) - p.log())).sum(axis=-1)


def poisson(y_true, y_pred):
    """mean(p - t log(p + epsilon))."""
    y_pred = predictions(y_pred)
    t = as_tensor(targets(y_true, y_pred))
    return (y_pred - t * (y_pred + config.epsilon()).log()).mean(axis=-1)


class KLDivergence(Loss):
    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)

    def call(self, y_true, y_pred):
        return kl_divergence(y_true, y_pred)


class Poisson(Loss):
    def call(self, y_true, y_pred):
        return poisson(y_true, y_pred)
