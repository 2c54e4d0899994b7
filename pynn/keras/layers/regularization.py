"""The regularization layers with Keras 3's names, arguments and checks: Dropout, its spatial
form SpatialDropout1D, GaussianNoise, GaussianDropout, AlphaDropout and
ActivityRegularization. The noise is drawn only when the layer is called with training=True
(as fit calls it), never in predict or evaluate. A seed gives the layer a stream of its own;
without one it draws from pynn's generator (keras.utils.set_random_seed makes it repeatable).
"""
import numpy as np

from ... import random
from ...functional.dropout import _masked
from ...tensor import Tensor
from .. import regularizers
from .layer import Layer

_ALPHA_P = -1.6732632423543772848170429916717 * 1.0507009873554804934193349852946


def _rate(rate, name="rate"):
    if isinstance(rate, bool) or not isinstance(rate, (int, float, np.integer, np.floating)) \
            or not 0 <= rate <= 1:
        raise ValueError(f"Invalid value received for argument `{name}`. Expected a float value "
                         f"between 0 and 1. Received: {name}={rate}")
    return rate


class _Noise(Layer):
    """A layer that perturbs its input in training only: its output has the input's shape."""

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self._rng = None if seed is None else np.random.default_rng(random.check_seed(seed))
        self.built = True

    def generator(self):
        return random.generator() if self._rng is None else self._rng

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def call(self, inputs, training=False):
        return self.noisy(inputs) if training and self.active() else inputs

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


class Dropout(_Noise):
    """Dropout(rate, noise_shape=None, seed=None): in training, each entry zeroed with
    probability rate and the others scaled by 1 / (1 - rate); noise_shape (None for the
    input's size on an axis) makes entries share their fate along axes of size 1."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.rate = _rate(rate)
        self.noise_shape = self._noise_shape(noise_shape)

    @staticmethod
    def _noise_shape(noise_shape):
        if noise_shape is None:
            return None
        if isinstance(noise_shape, str):
            raise ValueError("Invalid value received for argument `noise_shape`. Expected a tuple "
                             f"or list of integers. Received: noise_shape={noise_shape}")
        noise_shape = tuple(noise_shape)
        for i, dim in enumerate(noise_shape):
            if dim is not None and (not isinstance(dim, (int, np.integer)) or dim <= 0):
                raise ValueError("Invalid value received for argument `noise_shape`. Expected "
                                 "all dimensions to be positive integers or None. Received: "
                                 f"{dim!r} at index {i}")
        return noise_shape

    def active(self):
        return self.rate > 0

    def mask_shape(self, shape):
        if self.noise_shape is None:
            return shape
        return tuple(s if n is None else n for n, s in zip(self.noise_shape, shape))

    def noisy(self, inputs):
        keep = self.generator().random(self.mask_shape(inputs.shape)) >= self.rate
        scale = 0.0 if self.rate == 1 else 1.0 / (1.0 - self.rate)
        return _masked(inputs, np.broadcast_to(keep, inputs.shape), scale)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "noise_shape": self.noise_shape}


class SpatialDropout1D(Dropout):
    """SpatialDropout1D(rate, seed=None): for inputs (batch, steps, channels), whole channels
    dropped, the same for every step."""

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)

    def mask_shape(self, shape):
        if len(shape) != 3:
            raise ValueError(f"SpatialDropout1D expects inputs of rank 3, got shape {shape}")
        return (shape[0], 1, shape[2])

    def get_config(self):
        config = super().get_config()
        del config["noise_shape"]
        return config


class GaussianNoise(_Noise):
    """GaussianNoise(stddev, seed=None): in training, adds N(0, stddev^2) noise."""

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.stddev = _rate(stddev, "stddev")

    def active(self):
        return self.stddev > 0

    def noisy(self, inputs):
        noise = self.generator().normal(0.0, self.stddev, inputs.shape)
        return inputs + Tensor._make(noise.astype(inputs.dtype))

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev}


class GaussianDropout(_Noise):
    """GaussianDropout(rate, seed=None): in training, multiplies by N(1, rate / (1 - rate))
    noise."""

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
        self.rate = _rate(rate)

    def active(self):
        return 0 < self.rate < 1

    def noisy(self, inputs):
        stddev = np.sqrt(self.rate / (1.0 - self.rate))
        noise = self.generator().normal(1.0, stddev, inputs.shape)
        return inputs * Tensor._make(noise.astype(inputs.dtype))

    def get_config(self):
        return {**super().get_config(), "rate": self.rate}


class AlphaDropout(Dropout):
    """AlphaDropout(rate, noise_shape=None, seed=None): dropout for SELU networks; dropped
    entries become SELU's negative saturation, then an affine map keeps the mean and variance."""

    def active(self):
        return 0 < self.rate < 1

    def noisy(self, inputs):
        keep = self.generator().random(self.mask_shape(inputs.shape)) >= self.rate
        keep = Tensor._make(np.broadcast_to(keep, inputs.shape).astype(inputs.dtype))
        a = ((1 - self.rate) * (1 + self.rate * _ALPHA_P ** 2)) ** -0.5
        b = -a * _ALPHA_P * self.rate
        return (inputs * keep + (1 - keep) * _ALPHA_P) * a + b


class ActivityRegularization(Layer):
    """ActivityRegularization(l1=0.0, l2=0.0): the identity, adding l1 * sum(|x|) +
    l2 * sum(x^2) of its output (per sample) to the loss."""

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1, self.l2 = l1, l2
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}
