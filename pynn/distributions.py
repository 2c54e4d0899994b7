"""The probability distributions beginner scripts draw data from and score with, as
torch.distributions has them: Normal, Uniform, Bernoulli, Categorical, Exponential, Laplace,
Poisson, MultivariateNormal and Independent, with sample (and rsample, differentiable, for the
continuous ones), log_prob (differentiable in the parameters), entropy, mean, variance and
stddev, and kl_divergence between two of a kind. Draws come from pynn's generator
(pynn.manual_seed)."""
import math
import sys
import types

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


class _LocScale(Distribution):
    """A family with a location and a positive scale (Normal, Laplace)."""

    _params = ("loc", "scale")

    def __init__(self, loc, scale, validate_args=None):
        self.loc, self.scale = broadcast_tensors(_param(loc, "loc"), _param(scale, "scale"))
        if np.any(self.scale._data <= 0):
            raise ValueError("Expected parameter scale to be positive")
        super().__init__(self.loc.shape)


class Normal(_LocScale):
    """N(loc, scale^2)."""

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

    def cdf(self, value):
        from .ops.elementwise import erf
        return 0.5 * (1 + erf((_param(value, "value") - self.loc) / (self.scale * math.sqrt(2))))

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


class Exponential(Distribution):
    """rate * exp(-rate * x) for x >= 0."""

    _params = ("rate",)

    def __init__(self, rate, validate_args=None):
        self.rate = _param(rate, "rate")
        if np.any(self.rate._data <= 0):
            raise ValueError("Expected parameter rate to be positive")
        super().__init__(self.rate.shape)

    def rsample(self, sample_shape=()):
        shape = _shape(sample_shape) + self.batch_shape
        draw = random.generator().exponential(1.0, shape).astype(self.rate.dtype)
        return Tensor._make(draw) / self.rate

    def log_prob(self, value):
        return self.rate.log() - self.rate * _param(value, "value")

    def entropy(self):
        return 1.0 - self.rate.log()

    def cdf(self, value):
        return 1 - (-self.rate * _param(value, "value")).exp()

    @property
    def mean(self):
        return self.rate.reciprocal()

    @property
    def variance(self):
        return self.rate.pow(-2)


class Laplace(_LocScale):
    """exp(-|x - loc| / scale) / (2 scale)."""

    def rsample(self, sample_shape=()):
        shape = _shape(sample_shape) + self.batch_shape
        eps = np.finfo(self.loc._data.dtype).eps
        u = random.generator().uniform(eps - 1, 1, shape).astype(self.loc.dtype)
        return self.loc - self.scale * Tensor._make(np.sign(u) * np.log1p(-np.abs(u)))

    def log_prob(self, value):
        return -(2 * self.scale).log() - (_param(value, "value") - self.loc).abs() / self.scale

    def entropy(self):
        return 1 + (2 * self.scale).log()

    @property
    def mean(self):
        return self.loc

    @property
    def variance(self):
        return 2 * self.scale.pow(2)


class Poisson(Distribution):
    """rate^k exp(-rate) / k! for the counts k = 0, 1, 2, ..."""

    _params = ("rate",)

    def __init__(self, rate, validate_args=None):
        self.rate = _param(rate, "rate")
        if np.any(self.rate._data < 0):
            raise ValueError("Expected parameter rate to be non-negative")
        super().__init__(self.rate.shape)

    def sample(self, sample_shape=()):
        shape = _shape(sample_shape) + self.batch_shape
        draw = random.generator().poisson(np.broadcast_to(self.rate._data, shape))
        return Tensor._make(draw.astype(self.rate.dtype))

    def log_prob(self, value):
        value = _param(value, "value")
        log_factorial = np.vectorize(math.lgamma, otypes=[np.float64])(value._data + 1)
        return value * self.rate.log() - self.rate - Tensor._make(
            log_factorial.astype(value.dtype))

    @property
    def mean(self):
        return self.rate

    @property
    def variance(self):
        return self.rate


class MultivariateNormal(Distribution):
    """N(loc, covariance_matrix), given by the covariance matrix, its inverse
    (precision_matrix) or its lower Cholesky factor (scale_tril). log_prob and entropy are
    differentiable in loc and in the matrix given; rsample in loc and scale_tril."""

    _params = ("loc",)

    def __init__(self, loc, covariance_matrix=None, precision_matrix=None, scale_tril=None,
                 validate_args=None):
        from .ops.linalg import inverse
        given = [m is not None for m in (covariance_matrix, precision_matrix, scale_tril)]
        if sum(given) != 1:
            raise ValueError("Exactly one of covariance_matrix or precision_matrix or "
                             "scale_tril may be specified.")
        self.loc = _param(loc, "loc")
        if self.loc.dim() < 1:
            raise ValueError("loc must be at least one-dimensional.")
        matrix = _param(next(m for m in (covariance_matrix, precision_matrix, scale_tril)
                             if m is not None), "covariance_matrix")
        if matrix.dim() < 2:
            raise ValueError("covariance_matrix must be at least two-dimensional, with "
                             "optional leading batch dimensions")
        self._tril_given = scale_tril is not None
        if scale_tril is not None:
            self._scale_tril = matrix.tril()  # as PyTorch, only the lower triangle is read
            self._covariance = self._scale_tril @ self._scale_tril.transpose(-1, -2)
        else:
            self._covariance = matrix if covariance_matrix is not None else inverse(matrix)
            try:
                tril = np.linalg.cholesky(self._covariance._data)
            except np.linalg.LinAlgError:
                raise ValueError("Expected parameter covariance_matrix to be positive "
                                 "definite") from None
            self._scale_tril = Tensor._make(tril.astype(matrix.dtype))
        self.event_shape = tuple(self.loc.shape[-1:])
        super().__init__(np.broadcast_shapes(tuple(self.loc.shape[:-1]),
                                             tuple(matrix.shape[:-2])))

    @property
    def scale_tril(self):
        return self._scale_tril

    @property
    def covariance_matrix(self):
        return self._covariance

    @property
    def precision_matrix(self):
        from .ops.linalg import inverse
        return inverse(self._covariance)

    def rsample(self, sample_shape=()):
        from .tensor import is_grad_enabled
        if not self._tril_given and self._covariance.requires_grad and is_grad_enabled():
            raise NotImplementedError("MultivariateNormal.rsample: gradients through the "
                                      "Cholesky factor of covariance_matrix are not supported "
                                      "by pynn; pass scale_tril=")
        shape = _shape(sample_shape) + self.batch_shape + self.event_shape
        eps = Tensor._make(random.generator().standard_normal(shape).astype(self.loc.dtype))
        return self.loc + (self._scale_tril @ eps.unsqueeze(-1)).squeeze(-1)

    def _half_log_det(self):
        if self._tril_given:
            return self._scale_tril.diagonal(0, -2, -1).log().sum(-1)
        from .ops.linalg import det
        return 0.5 * det(self._covariance).log()

    def log_prob(self, value):
        from .ops.linalg import solve
        diff = _param(value, "value") - self.loc
        matrix = self._scale_tril if self._tril_given else self._covariance
        solved = solve(matrix, diff.unsqueeze(-1)).squeeze(-1)
        mahalanobis = (solved * solved).sum(-1) if self._tril_given else \
            (diff * solved).sum(-1)
        k = self.event_shape[0]
        return -0.5 * (k * math.log(2 * math.pi) + mahalanobis) - self._half_log_det()

    def entropy(self):
        k = self.event_shape[0]
        return 0.5 * k * (1.0 + math.log(2 * math.pi)) + self._half_log_det()

    @property
    def mean(self):
        return self.loc

    @property
    def variance(self):
        return self._covariance.diagonal(0, -2, -1).expand(*(self.batch_shape +
                                                             self.event_shape))


class Independent(Distribution):
    """base_distribution with its last reinterpreted_batch_ndims batch dimensions read as one
    event: log_prob and entropy summed over them (a diagonal Gaussian from Normal)."""

    def __init__(self, base_distribution, reinterpreted_batch_ndims, validate_args=None):
        n = validate.integer(reinterpreted_batch_ndims, "reinterpreted_batch_ndims")
        shape = tuple(base_distribution.batch_shape)
        if n > len(shape):
            raise ValueError(f"Expected reinterpreted_batch_ndims <= len(base_distribution."
                             f"batch_shape), actual {n} vs {len(shape)}")
        self.base_dist, self.reinterpreted_batch_ndims = base_distribution, n
        self.event_shape = shape[len(shape) - n:]
        super().__init__(shape[:len(shape) - n])

    def _summed(self, values):
        n = self.reinterpreted_batch_ndims
        return values.sum(tuple(range(-n, 0))) if n else values

    def sample(self, sample_shape=()):
        return self.base_dist.sample(sample_shape)

    def rsample(self, sample_shape=()):
        return self.base_dist.rsample(sample_shape)

    def log_prob(self, value):
        return self._summed(self.base_dist.log_prob(value))

    def entropy(self):
        return self._summed(self.base_dist.entropy())

    @property
    def mean(self):
        return self.base_dist.mean

    @property
    def variance(self):
        return self.base_dist.variance

    def __repr__(self):
        return f"Independent({self.base_dist!r}, {self.reinterpreted_batch_ndims})"


def kl_divergence(p, q):
    """KL(p || q) for two distributions of one kind (Normal, Bernoulli, Categorical,
    Exponential, Laplace, MultivariateNormal, Independent), differentiable in both."""
    if type(p) is not type(q):
        raise NotImplementedError(f"No KL(p || q) is implemented for p = {type(p).__name__} "
                                  f"and q = {type(q).__name__}")
    if isinstance(p, Normal):
        ratio = (p.scale / q.scale).pow(2)
        return 0.5 * (ratio + ((p.loc - q.loc) / q.scale).pow(2) - 1 - ratio.log())
    if isinstance(p, Bernoulli):
        from .functional import softplus
        return p.probs * (softplus(-q.logits) - softplus(-p.logits)) + \
            (1 - p.probs) * (softplus(q.logits) - softplus(p.logits))
    if isinstance(p, Categorical):
        return (p.probs * (p.logits - q.logits)).sum(-1)
    if isinstance(p, Exponential):
        ratio = q.rate / p.rate
        return ratio - ratio.log() - 1
    if isinstance(p, Laplace):
        ratio = p.scale / q.scale
        distance = (p.loc - q.loc).abs()
        return -ratio.log() + distance / q.scale + ratio * (-distance / p.scale).exp() - 1
    if isinstance(p, MultivariateNormal):
        from .ops.linalg import solve
        k = p.event_shape[0]
        trace = solve(q.covariance_matrix, p.covariance_matrix).diagonal(0, -2, -1).sum(-1)
        diff = (q.loc - p.loc).unsqueeze(-1)
        mahalanobis = (diff * solve(q.covariance_matrix, diff)).sum((-2, -1))
        return q._half_log_det() - p._half_log_det() + 0.5 * (trace + mahalanobis - k)
    if isinstance(p, Independent):
        if p.reinterpreted_batch_ndims != q.reinterpreted_batch_ndims:
            raise NotImplementedError("KL between Independents with different event dims")
        return p._summed(kl_divergence(p.base_dist, q.base_dist))
    raise NotImplementedError(f"No KL(p || q) is implemented for p = {type(p).__name__} and "
                              f"q = {type(q).__name__}")


def _submodules():
    """torch.distributions.normal, .kl, ...: the modules PyTorch defines each name in, so that
    `from torch.distributions.normal import Normal` imports (they are this module's names)."""
    names = {"normal": "Normal", "uniform": "Uniform", "bernoulli": "Bernoulli",
             "categorical": "Categorical", "exponential": "Exponential", "laplace": "Laplace",
             "poisson": "Poisson", "multivariate_normal": "MultivariateNormal",
             "independent": "Independent", "distribution": "Distribution",
             "kl": "kl_divergence"}
    for module_name, name in names.items():
        module = types.ModuleType(f"{__name__}.{module_name}")
        setattr(module, name, globals()[name])
        sys.modules[module.__name__] = module
        globals()[module_name] = module


_submodules()
