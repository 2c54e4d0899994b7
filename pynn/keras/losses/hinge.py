"""The hinge losses with Keras 3's names and formulas, for targets in {-1, 1} (targets in
{0, 1} are mapped to them, as Keras maps them): hinge, squared hinge and categorical hinge."""
import numpy as np

from ...tensor import as_tensor
from .loss import Loss, predictions, targets


def _signed(y_true, y_pred):
    t = targets(y_true, y_pred)
    return 2.0 * t - 1.0 if np.isin(t, (0, 1)).all() else t


def _margins(y_true, y_pred):
    """max(1 - t p, 0) elementwise."""
    y_pred = predictions(y_pred)
    return (1.0 - as_tensor(_signed(y_true, y_pred)) * y_pred).relu()


def hinge(y_true, y_pred):
    return _margins(y_true, y_pred).mean(axis=-1)


def squared_hinge(y_true, y_pred):
    return (_margins(y_true, y_pred) ** 2).mean(axis=-1)


def categorical_hinge(y_true, y_pred):
    """max(max((1 - t) p) - sum(t p) + 1, 0), for one-hot targets."""
    y_pred = predictions(y_pred)
    t = as_tensor(targets(y_true, y_pred))
    positive = (t * y_pred).sum(axis=-1)
    negative = ((1.0 - t) * y_pred).amax(axis=-1)
    return (negative - positive + 1.0).relu()


class Hinge(Loss):
    def call(self, y_true, y_pred):
        return hinge(y_true, y_pred)


class SquaredHinge(Loss):
    def call(self, y_true, y_pred):
        return squared_hinge(y_true, y_pred)


class CategoricalHinge(Loss):
    def call(self, y_true, y_pred):
        return categorical_hinge(y_true, y_pred)
