"""The preprocessing layers a dense network starts with, with Keras 3's names and arguments:
Normalization (feature-wise standardization, its statistics from adapt(data) or given) and
Rescaling (x * scale + offset)."""
import numpy as np

from ...tensor import Tensor
from .. import config
from .layer import Layer


class Normalization(Layer):
    """Normalization(axis=-1, mean=None, variance=None, invert=False): (x - mean) /
    max(sqrt(variance), epsilon), mean and variance per entry of `axis` (the features),
    learned by adapt(data) or given; invert=True maps back. The adapted statistics are
    non-trainable weights: mean, variance."""

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        self.axis = () if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)
        self.input_mean, self.input_variance, self.invert = mean, variance, invert
        if (mean is None) != (variance is None):
            raise ValueError("When setting values directly, both `mean` and `variance` must be "
                             f"set. Received: mean={mean} and variance={variance}")
        if mean is not None and np.shape(mean) != np.shape(variance):
            raise ValueError("When setting values directly, `mean` and `variance` must have the "
                             f"same shape. Received: mean shape {np.shape(mean)} and variance "
                             f"shape {np.shape(variance)}")
        self.adapt_mean = self.adapt_variance = None

    def build(self, input_shape):
        ndim = len(input_shape)
        if any(not -ndim <= a < ndim for a in self.axis):
            raise ValueError(f"All `axis` values must be in the range [-ndim, ndim). Received "
                             f"inputs with ndim={ndim}, while axis={self.axis}")
        self._keep = tuple(sorted(a % ndim for a in self.axis))
        self._reduce = tuple(d for d in range(ndim) if d not in self._keep)
        self._broadcast = [input_shape[d] if d in self._keep else 1 for d in range(ndim)]
        shape = tuple(input_shape[d] for d in self._keep)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(shape=shape, name="mean", initializer="zeros",
                                              trainable=False)
            self.adapt_variance = self.add_weight(shape=shape, name="variance",
                                                  initializer="ones", trainable=False)
        self._build_shape = tuple(input_shape)
        self.built = True

    def adapt(self, data):
        """Learn the mean and variance of each feature from data (an array, a DataFrame, or an
        iterable of batches)."""
        if isinstance(data, Tensor):
            batches = [data._data]
        elif hasattr(data, "shape"):
            batches = [np.asarray(data, dtype=np.float64)]
        else:
            batches = [np.asarray(b, dtype=np.float64) for b in data]
            if not batches:
                raise ValueError("adapt() received an empty iterable (no batches). Expected at "
                                 "least one batch.")
        if not self.built:
            self.build((None,) + batches[0].shape[1:])
        if self.input_mean is not None:
            raise ValueError("Normalization: mean and variance were given; there is nothing "
                             "to adapt")
        total = np.concatenate([b.reshape((-1,) + b.shape[1:]) for b in batches])
        for d in self._keep:
            if total.shape[d] != self._build_shape[d]:
                raise ValueError(f"The layer was built with input_shape={self._build_shape}, "
                                 "but adapt() is being called with data with an incompatible "
                                 f"shape, data.shape={total.shape}")
        self.adapt_mean.assign(total.mean(axis=self._reduce).reshape(self.adapt_mean.shape))
        self.adapt_variance.assign(total.var(axis=self._reduce).reshape(
            self.adapt_variance.shape))

    def _statistics(self, dtype):
        if self.input_mean is not None:
            mean = np.broadcast_to(np.asarray(self.input_mean, dtype), self._broadcast)
            variance = np.broadcast_to(np.asarray(self.input_variance, dtype), self._broadcast)
        else:
            mean = self.adapt_mean._data.reshape(self._broadcast).astype(dtype)
            variance = self.adapt_variance._data.reshape(self._broadcast).astype(dtype)
        return mean, np.maximum(np.sqrt(variance), config.epsilon())

    @property
    def mean(self):
        """The mean a built layer subtracts, shaped to broadcast against its inputs
        (normalizer.mean.numpy() is [[...]] for 2-D inputs), as Keras's attribute."""
        return self._statistic(0)

    @property
    def variance(self):
        return self._statistic(1)

    def _statistic(self, which):
        if not self.built:
            raise AttributeError(f"'Normalization' layer {self.name!r} has no mean and variance "
                                 "until it is built (by adapt() or a first call)")
        dtype = np.dtype(self._dtype)
        if self.input_mean is not None:
            value = (self.input_mean, self.input_variance)[which]
            return Tensor._make(np.array(np.broadcast_to(np.asarray(value, dtype),
                                                         self._broadcast)))
        weight = (self.adapt_mean, self.adapt_variance)[which]
        return Tensor._make(weight._data.reshape(self._broadcast).astype(dtype))

    def call(self, inputs):
        mean, std = self._statistics(inputs.dtype)
        if self.invert:
            return inputs * Tensor._make(std) + Tensor._make(mean)
        return (inputs - Tensor._make(mean)) / Tensor._make(std)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        def plain(v):
            return np.asarray(v).tolist() if v is not None else None
        return {**super().get_config(), "axis": list(self.axis) if len(self.axis) != 1
                else self.axis[0], "invert": self.invert, "mean": plain(self.input_mean),
                "variance": plain(self.input_variance)}


class Rescaling(Layer):
    """Rescaling(scale, offset=0.0): x * scale + offset (e.g. 1 / 255 for pixel values)."""

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale, self.offset = scale, offset
        self.built = True

    def call(self, inputs):
        scale = np.asarray(self.scale, inputs.dtype)
        offset = np.asarray(self.offset, inputs.dtype)
        return inputs * Tensor._make(scale) + Tensor._make(offset)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}
