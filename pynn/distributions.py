"""The probability distributions beginner scripts draw data from and score with, as
torch.distributions has them: Normal, Uniform, Bernoulli and Categorical, with sample (and
rsample, differentiable, for Normal and Uniform), log_prob (differentiable in the parameters),
entropy, mean, variance and stddev. Draws come from pynn's generator (pynn.manual_seed)."""
import math

import numpy as np

from . import random, validate
from .ops.shape import broadcast_tensors
from .tensor import Tensor, no_grad, tensor


def _param(value, name):
    """A parameter as a float tensor (a number becomes a 0-d tensor of the default dtype)."""
    if isinstance(value, Tensor):
        return value if value.is_floating_point() else value.float()
    validate.number(value, name)
    return tensor(float(value))


def _shape(sample_shape):
    if isinstance(sample_shape, int):
        return (sample_shape,)
    return tuple(sample_shape)


class Distribution:
    """Base class: batch_shape is the shape of the parameters, broadcast together."""

    def __init__(self, batch_shape, validate_args=None):
        self.batch_shape = tuple(batch_shape)

    def sample(self, sample_shape=()):
        """A draw outside the graph, of shape sample_shape + batch_shape."""
        with no_grad():
            return self.rsample(sample_shape)

    def rsample(self, sample_shape=()):
        raise NotImplementedError(f"{type(self).__name__} has no reparameterized sample")

    def sample_n(self, n):
        return self.sample((n,))

    @property
    def stddev(self):
        return self.variance.sqrt()

    def __repr__(self):
        shown = [(k, getattr(self, k)) for k in self._params]
        params = ", ".join(f"{k}: {v.shape if v.numel() > 1 else v}" for k, v in shown)
        return f"{type(self).__name__}({params})"


class Normal(Distribution):
    """N(loc, scale^2)."""

    _params = ("loc", "scale")

    def __init__(self, loc, scale, validate_args=None):
        self.loc, self.scale = broadcast_tensors(_param(loc, "loc"), _param(scale, "scale"))
        if np.any(self.scale._data <= 0):
            raise ValueError("Expected parameter scale to be positive")
        super().__init__(self.loc.shape)

    def rsample(self, sample_shape=()):
        shape = _shape(sample_shape) + self.batch_shape
        eps = random.generator().standard_normal(shape).astype(self.loc.dtype)
        return self.loc + Tensor._make(eps) * self.scale

    def log_prob(self, value):
        value = _param(value, "value")
        return (-((value - self.loc) ** 2) / (2 * self.scale ** 2) - self.scale.log()
                - math.log(math.sqrt(2 * math.pi)))

    def entropy(self):
        return 0.5 + 0.5 * math.log(2 * math.pi) + self.scale.log()

    @property
    def mean(self):
        return self.loc

    @property
    def variance(self):
        return self.scale ** 2


class Uniform(Distribution):
    """Uniform on [low, high)."""

    _params = ("low", "high")

    def __init__(self, low, high, validate_args=None):
        self.low, self.high = broadcast_tensors(_param(low, "low"), _param(high, "high"))
        if np.any(self.low._data >= self.high._data):
            raise ValueError("Expected parameter low to be less than high")
        super().__init__(self.low.shape)

    def rsample(self, sample_shape=()):
        shape = _shape(sample_shape) + self.batch_shape
        u = Tensor._make(random.generator().random(shape).astype(self.low.dtype))
        return self.low + u * (self.high - self.low)

    def log_prob(self, value):
        value = _param(value, "value")
        inside = ((value >= self.low) & (value < self.high)).to(self.low.dtype)
        return inside.log() - (self.high - self.low).log()

    def entropy(self):
        return (self.high - self.low).log()

    @property
    def mean(self):
        return (self.high + self.low) / 2

    @property
    def variance(self):
        return (self.high - self.low) ** 2 / 12


def _probs_and_logits(probs, logits, normalize):
    """(probs, logits) from either, as torch.distributions takes them."""
    if (probs is None) == (logits is None):
        raise ValueError("Either `probs` or `logits` must be specified, but not both.")
    if probs is not None:
        probs = _param(probs, "probs")
        if normalize:
            probs = probs / probs.sum(-1, keepdim=True)
        return probs, None
    return None, _param(logits, "logits")


class Bernoulli(Distribution):
    """1 with probability probs (or sigmoid(logits)), else 0."""

    _params = ("probs",)

    def __init__(self, probs=None, logits=None, validate_args=None):
        probs, logits = _probs_and_logits(probs, logits, normalize=False)
        self.probs = probs if probs is not None else logits.sigmoid()
        self.logits = logits if logits is not None else \
            (self.probs.clamp(1e-7, 1 - 1e-7) / (1 - self.probs.clamp(1e-7, 1 - 1e-7))).log()
        super().__init__(self.probs.shape)

    def sample(self, sample_shape=()):
        shape = _shape(sample_shape) + self.batch_shape
        draw = random.generator().random(shape) < np.broadcast_to(self.probs._data, shape)
        return Tensor._make(draw.astype(self.probs.dtype))

    def log_prob(self, value):
        from .functional import binary_cross_entropy_with_logits
        value = _param(value, "value")
        logits, value = broadcast_tensors(self.logits, value)
        return -binary_cross_entropy_with_logits(logits, value, reduction="none")

    def entropy(self):
        from .functional import binary_cross_entropy_with_logits
        return binary_cross_entropy_with_logits(self.logits, self.probs, reduction="none")

    @property
    def mean(self):
        return self.probs

    @property
    def variance(self):
        return self.probs * (1 - self.probs)


class Categorical(Distribution):
    """One of the classes 0..K-1 (the last dimension of probs or logits)."""

    _params = ("probs",)

    def __init__(self, probs=None, logits=None, validate_args=None):
        probs, logits = _probs_and_logits(probs, logits, normalize=True)
        if logits is not None:
            self.logits = logits - logits.logsumexp(-1, keepdim=True)
            self.probs = self.logits.exp()
        else:
            self.probs, self.logits = probs, probs.clamp(min=1e-38).log()
        super().__init__(self.probs.shape[:-1])

    def sample(self, sample_shape=()):
        shape = _shape(sample_shape) + self.batch_shape
        p = np.asarray(self.probs._data, np.float64)
        cumulative = np.cumsum(p, axis=-1)
        u = random.generator().random(shape + (1,)) * cumulative[..., -1:]
        index = (np.broadcast_to(cumulative, shape + p.shape[-1:]) < u).sum(-1)
        return Tensor._make(np.minimum(index, p.shape[-1] - 1).astype(np.int64))

    def log_prob(self, value):
        index = value if isinstance(value, Tensor) else tensor(value)
        logits, index = broadcast_tensors(self.logits, index.long().unsqueeze(-1)
                                          if index.ndim else index.long().reshape(1))
        return logits.gather(-1, index[..., :1]).squeeze(-1)

    def entropy(self):
        return -(self.probs * self.logits).sum(-1)

    @property
    def mean(self):
        return self.probs * float("nan")

    @property
    def variance(self):
        return self.probs * float("nan")
