"""Weight initializers with Keras 3's names, aliases, defaults and formulas (keras.initializers).

An initializer is called as init(shape, dtype=None) and returns a new ndarray (of
keras.config.floatx() unless dtype is given). A random one draws from pynn's generator, so
`pynn.keras.utils.set_random_seed` makes it reproducible; given seed=<int>, it draws from that
seed alone, so each call gives the same values, as Keras's seeded initializers do. Fans follow
Keras: for a kernel of shape (in, out), fan_in = in and fan_out = out.
"""
import math

import numpy as np

from .. import random
from . import config, naming, utils

# The standard deviation of a standard normal truncated to [-2, 2], by which Keras divides so
# that the truncated draws keep the variance asked for.
_TRUNCATED_STD = 0.87962566103423978


class Initializer:
    """Base class: __call__(shape, dtype=None) -> ndarray, and a config for model files."""

    def __call__(self, shape, dtype=None):
        raise NotImplementedError

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def clone(self):
        return type(self).from_config(self.get_config())

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def _dtype(dtype):
    return np.dtype(config.floatx() if dtype is None else dtype)


def _shape(shape):
    return (int(shape),) if np.ndim(shape) == 0 else tuple(int(d) for d in shape)


class Constant(Initializer):
    """Every value equal to `value`."""

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        return np.full(_shape(shape), self.value, _dtype(dtype))

    def get_config(self):
        return {"value": self.value}


class Zeros(Initializer):
    def __call__(self, shape, dtype=None):
        return np.zeros(_shape(shape), _dtype(dtype))


class Ones(Initializer):
    def __call__(self, shape, dtype=None):
        return np.ones(_shape(shape), _dtype(dtype))


class Identity(Initializer):
    """gain times the identity matrix (2-D shapes only)."""

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = _shape(shape)
        if len(shape) != 2:
            raise ValueError("Identity matrix initializer can only be used for 2D matrices. "
                             f"Received: shape={shape} of rank {len(shape)}.")
        return (self.gain * np.eye(*shape)).astype(_dtype(dtype))

    def get_config(self):
        return {"gain": self.gain}


class RandomInitializer(Initializer):
    """An initializer that draws random values: from pynn's generator, or from its own seed."""

    def __init__(self, seed=None):
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
            raise ValueError("`seed` argument should be an instance of "
                             f"`keras.random.SeedGenerator()` or an integer. Received: seed={seed}")
        self.seed = None if seed is None else int(seed)

    def rng(self):
        """The generator of one call: a fresh one from the seed, or pynn's."""
        return random.generator() if self.seed is None else np.random.default_rng(self.seed)

    def get_config(self):
        return {"seed": self.seed}


def _truncated_normal(rng, shape, mean, stddev):
    """Normal draws, each redrawn until it lies within two standard deviations of the mean."""
    values = rng.standard_normal(shape)
    outside = np.abs(values) > 2
    while outside.any():
        values[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(values) > 2
    return mean + stddev * values


class RandomNormal(RandomInitializer):
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype=None):
        return self.rng().normal(self.mean, self.stddev, _shape(shape)).astype(_dtype(dtype))

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class TruncatedNormal(RandomInitializer):
    """A normal distribution cut at two standard deviations from the mean."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype=None):
        values = _truncated_normal(self.rng(), _shape(shape), self.mean, self.stddev)
        return values.astype(_dtype(dtype))

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class RandomUniform(RandomInitializer):
    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        self.minval, self.maxval = minval, maxval

    def __call__(self, shape, dtype=None):
        values = self.rng().uniform(self.minval, self.maxval, _shape(shape))
        return values.astype(_dtype(dtype))

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, **super().get_config()}


def compute_fans(shape):
    """(fan_in, fan_out) as Keras computes them: the last two axes, times any leading ones."""
    shape = _shape(shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


class VarianceScaling(RandomInitializer):
    """Draws with variance scale / n, n the fan_in, fan_out or their mean (mode), from a
    uniform, a normal, or a normal truncated at two standard deviations (distribution;
    'normal' means the truncated one, as in Keras)."""

    MODES = ("fan_in", "fan_out", "fan_avg")
    DISTRIBUTIONS = ("uniform", "truncated_normal", "untruncated_normal")

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        if not scale > 0.0:
            raise ValueError(f"Argument `scale` must be positive float. Received: scale={scale}")
        if mode not in self.MODES:
            raise ValueError(f"Invalid `mode` argument: {mode}. Please use one of {self.MODES}")
        distribution = str(distribution).lower()
        distribution = "truncated_normal" if distribution == "normal" else distribution
        if distribution not in self.DISTRIBUTIONS:
            raise ValueError(f"Invalid `distribution` argument: {distribution}. Please use one "
                             f"of {self.DISTRIBUTIONS}")
        super().__init__(seed)
        self.scale, self.mode, self.distribution = scale, mode, distribution

    def __call__(self, shape, dtype=None):
        shape = _shape(shape)
        fan_in, fan_out = compute_fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        variance = self.scale / max(1.0, n)
        rng = self.rng()
        if self.distribution == "uniform":
            limit = math.sqrt(3 * variance)
            values = rng.uniform(-limit, limit, shape)
        elif self.distribution == "untruncated_normal":
            values = rng.normal(0.0, math.sqrt(variance), shape)
        else:
            values = _truncated_normal(rng, shape, 0.0, math.sqrt(variance) / _TRUNCATED_STD)
        return values.astype(_dtype(dtype))

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                **super().get_config()}


class _Preset(VarianceScaling):
    """A VarianceScaling with fixed arguments, under the name Keras gives it (only a seed)."""

    PRESET = {}

    def __init__(self, seed=None):
        super().__init__(**self.PRESET, seed=seed)

    def get_config(self):
        return {"seed": self.seed}


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


class Orthogonal(RandomInitializer):
    """gain times an orthogonal matrix (the Q of a normal matrix's QR decomposition, its signs
    made uniform); a shape of more than two axes is flattened to (prod(shape[:-1]), shape[-1])."""

    def __init__(self, gain=1.0, seed=None):
        super().__init__(seed)
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = _shape(shape)
        if len(shape) < 2:
            raise ValueError("The tensor to initialize must be at least two-dimensional. "
                             f"Received: shape={shape} of rank {len(shape)}.")
        rows, cols = math.prod(shape[:-1]), shape[-1]
        a = self.rng().standard_normal((max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(a)
        q *= np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return (self.gain * q.reshape(shape)).astype(_dtype(dtype))

    def get_config(self):
        return {"gain": self.gain, **super().get_config()}


_CLASSES = (Constant, Zeros, Ones, Identity, RandomNormal, TruncatedNormal, RandomUniform,
            VarianceScaling, GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunUniform,
            LecunNormal, Orthogonal)
ALL = {naming.to_snake_case(cls.__name__): cls for cls in _CLASSES}  # the canonical names
NAMES = {**ALL, **{cls.__name__: cls for cls in _CLASSES},
         "normal": RandomNormal, "uniform": RandomUniform, "one": Ones, "zero": Zeros,
         "IdentityInitializer": Identity, "OrthogonalInitializer": Orthogonal}


def get(identifier):
    """An initializer from a name or alias ('glorot_uniform', 'GlorotUniform', 'normal'), a
    config dict ({'class_name': 'RandomUniform', 'config': {...}}), a class, an Initializer or
    a callable (shape, dtype=None) -> array (returned as they are); None gives None."""
    return utils.resolve(identifier, NAMES, Initializer, "initializer")


def serialize(initializer):
    """The JSON-able form get() reads back: a name for one with its default config, else a
    {'class_name', 'config'} dict (a custom function gives its __name__)."""
    if isinstance(initializer, Initializer):
        config = initializer.get_config()
        cls = type(initializer)
        if cls in _CLASSES and config == cls().get_config():
            return naming.to_snake_case(cls.__name__)
        return {"class_name": cls.__name__, "config": config}
    return getattr(initializer, "__name__", type(initializer).__name__)


# Keras 3's lowercase names of the classes (`from keras.initializers import glorot_uniform`,
# `kernel_initializer=he_normal(seed=0)`) and its long names of two of them: the same classes.
constant, zeros, ones, identity = Constant, Zeros, Ones, Identity
random_normal, truncated_normal, random_uniform = RandomNormal, TruncatedNormal, RandomUniform
variance_scaling, orthogonal = VarianceScaling, Orthogonal
glorot_uniform, glorot_normal, he_uniform, he_normal = (GlorotUniform, GlorotNormal, HeUniform,
                                                        HeNormal)
lecun_uniform, lecun_normal = LecunUniform, LecunNormal
IdentityInitializer, OrthogonalInitializer = Identity, Orthogonal
