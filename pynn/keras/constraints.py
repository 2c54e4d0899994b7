"""Weight constraints with Keras 3's names and formulas (keras.constraints): a layer given
kernel_constraint=MaxNorm(3) has that weight projected by it after each optimizer update."""
import numpy as np

from . import config, utils
from ..tensor import Tensor, as_tensor


class Constraint:
    """Base class: __call__(w) -> the projected weight (a Tensor); the identity here."""

    def __call__(self, w):
        return as_tensor(w)

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def values(w):
    """A weight's values as an ndarray (a Parameter's own array, not a copy)."""
    return w._data if isinstance(w, Tensor) else np.asarray(w)


def _norms(w, axis):
    return np.sqrt(np.sum(np.square(w), axis=axis, keepdims=True))


class MaxNorm(Constraint):
    """Rescales each slice along `axis` (each unit's incoming weights, for a Dense kernel) whose
    L2 norm exceeds max_value down to it."""

    def __init__(self, max_value=2, axis=0):
        self.max_value, self.axis = max_value, axis

    def __call__(self, w):
        w = values(w)
        norms = _norms(w, self.axis)
        desired = np.clip(norms, 0, self.max_value)
        return as_tensor((w * (desired / (config.epsilon() + norms))).astype(w.dtype))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Negative weights become 0."""

    def __call__(self, w):
        return as_tensor(np.maximum(values(w), 0))


class UnitNorm(Constraint):
    """Each slice along `axis` rescaled to unit L2 norm."""

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = values(w)
        return as_tensor((w / (config.epsilon() + _norms(w, self.axis))).astype(w.dtype))

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Each slice's norm moved into [min_value, max_value], by the fraction `rate`."""

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value, self.max_value, self.rate, self.axis = min_value, max_value, rate, axis

    def __call__(self, w):
        w = values(w)
        norms = _norms(w, self.axis)
        desired = (self.rate * np.clip(norms, self.min_value, self.max_value)
                   + (1 - self.rate) * norms)
        return as_tensor((w * (desired / (config.epsilon() + norms))).astype(w.dtype))

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate,
                "axis": self.axis}


max_norm, non_neg, unit_norm, min_max_norm = MaxNorm, NonNeg, UnitNorm, MinMaxNorm
_CLASSES = (Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm)
NAMES = {**{cls.__name__: cls for cls in _CLASSES},
         "constraint": Constraint, "max_norm": MaxNorm, "min_max_norm": MinMaxNorm,
         "non_neg": NonNeg, "unit_norm": UnitNorm}


def get(identifier):
    """A constraint from a name ('max_norm', 'NonNeg', ...), a config dict, a Constraint or a
    callable (returned as it is); None gives None."""
    return utils.resolve(identifier, NAMES, Constraint, "constraint")


def serialize(constraint):
    return utils.serialize_object(constraint, Constraint)
