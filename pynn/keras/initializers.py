"""Weight initializers with Keras's names, defaults and formulas (keras.initializers).

An initializer is called as init(shape, dtype) and returns a new ndarray. Random ones draw from
pynn's generator, so `pynn.keras.utils.set_random_seed` makes them reproducible. Fans follow
Keras: for a kernel of shape (in, out), fan_in = in and fan_out = out.
"""
import math

import numpy as np

from .. import random
from . import utils

# The standard deviation of a standard normal truncated to [-2, 2], by which Keras divides so
# that the truncated draws keep the variance asked for.
_TRUNCATED_STD = 0.87962566103423978


class Initializer:
    """Base class: __call__(shape, dtype='float32') -> ndarray, and a config for model files."""

    def __call__(self, shape, dtype="float32"):
        raise NotImplementedError

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


class Zeros(Initializer):
    def __call__(self, shape, dtype="float32"):
        return np.zeros(shape, dtype)


class Ones(Initializer):
    def __call__(self, shape, dtype="float32"):
        return np.ones(shape, dtype)


class Constant(Initializer):
    def __init__(self, value=0.0):
        self.value = float(value)

    def __call__(self, shape, dtype="float32"):
        return np.full(shape, self.value, dtype)

    def get_config(self):
        return {"value": self.value}


class RandomUniform(Initializer):
    def __init__(self, minval=-0.05, maxval=0.05):
        self.minval, self.maxval = float(minval), float(maxval)

    def __call__(self, shape, dtype="float32"):
        return random.generator().uniform(self.minval, self.maxval, shape).astype(dtype)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval}


class RandomNormal(Initializer):
    def __init__(self, mean=0.0, stddev=0.05):
        self.mean, self.stddev = float(mean), float(stddev)

    def __call__(self, shape, dtype="float32"):
        return random.generator().normal(self.mean, self.stddev, shape).astype(dtype)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev}


def _fans(shape):
    """(fan_in, fan_out) as Keras computes them: the last two axes, times any leading ones."""
    shape = tuple(shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


class VarianceScaling(Initializer):
    """Draws with variance scale / n, n the fan_in, fan_out or their mean (mode), from a
    uniform, a normal, or a normal truncated at two standard deviations (distribution)."""

    MODES = ("fan_in", "fan_out", "fan_avg")
    DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal"):
        if mode not in self.MODES:
            raise ValueError(f"mode: expected one of {self.MODES}, got {mode!r}")
        if distribution not in self.DISTRIBUTIONS:
            raise ValueError(f"distribution: expected one of {self.DISTRIBUTIONS}, "
                             f"got {distribution!r}")
        if not scale > 0:
            raise ValueError(f"scale: expected a positive number, got {scale!r}")
        self.scale, self.mode, self.distribution = float(scale), mode, distribution

    def __call__(self, shape, dtype="float32"):
        fan_in, fan_out = _fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        variance = self.scale / max(1.0, n)
        rng = random.generator()
        if self.distribution == "uniform":
            limit = math.sqrt(3 * variance)
            return rng.uniform(-limit, limit, shape).astype(dtype)
        if self.distribution == "untruncated_normal":
            return rng.normal(0.0, math.sqrt(variance), shape).astype(dtype)
        values = rng.standard_normal(shape)
        outside = np.abs(values) > 2
        while outside.any():  # redraw until every value lies within two standard deviations
            values[outside] = rng.standard_normal(int(outside.sum()))
            outside = np.abs(values) > 2
        return (values * (math.sqrt(variance) / _TRUNCATED_STD)).astype(dtype)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution}


class _Preset(VarianceScaling):
    """A VarianceScaling with fixed arguments, named as Keras names it (no arguments)."""

    PRESET = {}

    def __init__(self):
        super().__init__(**self.PRESET)

    def get_config(self):
        return {}


class GlorotUniform(_Preset):
    """U(-limit, limit), limit = sqrt(6 / (fan_in + fan_out)): Keras's default for kernels."""
    PRESET = dict(scale=1.0, mode="fan_avg", distribution="uniform")


class GlorotNormal(_Preset):
    PRESET = dict(scale=1.0, mode="fan_avg", distribution="truncated_normal")


class HeUniform(_Preset):
    """U(-limit, limit), limit = sqrt(6 / fan_in): suited to ReLU layers."""
    PRESET = dict(scale=2.0, mode="fan_in", distribution="uniform")


class HeNormal(_Preset):
    PRESET = dict(scale=2.0, mode="fan_in", distribution="truncated_normal")


class LecunUniform(_Preset):
    PRESET = dict(scale=1.0, mode="fan_in", distribution="uniform")


class LecunNormal(_Preset):
    PRESET = dict(scale=1.0, mode="fan_in", distribution="truncated_normal")


ALL = {"zeros": Zeros, "ones": Ones, "constant": Constant, "random_uniform": RandomUniform,
       "random_normal": RandomNormal, "variance_scaling": VarianceScaling,
       "glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal,
       "he_uniform": HeUniform, "he_normal": HeNormal,
       "lecun_uniform": LecunUniform, "lecun_normal": LecunNormal}
_CLASSES = {cls.__name__: cls for cls in ALL.values()}


def get(identifier):
    """An initializer from a name ('glorot_uniform'), a config dict ({'class_name':
    'RandomUniform', 'config': {...}}), an Initializer, or a callable (shape, dtype) -> array."""
    if isinstance(identifier, str):
        if identifier not in ALL:
            raise ValueError(f"Unknown initializer {identifier!r}; valid names are {sorted(ALL)}")
        return ALL[identifier]()
    if isinstance(identifier, dict):
        return utils.from_config_dict(identifier, _CLASSES, "initializer")
    if callable(identifier):
        return identifier
    raise TypeError(f"initializer: expected a name, a config dict or a callable, "
                    f"got {type(identifier).__name__} {identifier!r}")


def serialize(initializer):
    """The JSON-able form get() reads back: a name for one without arguments to keep, else a
    {'class_name', 'config'} dict (a custom function gives its __name__)."""
    if isinstance(initializer, Initializer):
        config = initializer.get_config()
        for name, cls in ALL.items():
            if type(initializer) is cls and (not config or config == cls().get_config()):
                return name
        return {"class_name": type(initializer).__name__, "config": config}
    return getattr(initializer, "__name__", type(initializer).__name__)
