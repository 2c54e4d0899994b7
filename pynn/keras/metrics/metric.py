"""The base of the Keras-style metrics: Metric (update_state, result, reset_state, a name and a
direction), and the reductions Mean, Sum and MeanMetricWrapper, as keras.metrics has them.

Metrics are computed in NumPy on the targets and the predictions (what predict() returns), with
no graph. result() gives a float (with Keras's .numpy()), or an array for a metric with many
thresholds.
"""
import numpy as np

from ...tensor import Tensor
from .. import naming


class MetricResult(float):
    """A metric's value: a float, with .numpy() as Keras's result tensor has it."""

    def numpy(self):
        return np.float32(self)


def as_array(x, dtype=None):
    """A metric's input as an ndarray (a Tensor's own array)."""
    x = x._data if isinstance(x, Tensor) else np.asarray(x)
    return x if dtype is None else x.astype(dtype, copy=False)


def logged(value):
    """A result() as the logs hold it: a MetricResult float for a scalar (a custom metric's
    result may be a Tensor or a 0-d array), an array as it is."""
    if isinstance(value, MetricResult):
        return value
    array = value._data if isinstance(value, Tensor) else np.asarray(value)
    return MetricResult(array) if array.ndim == 0 else array


def same_rank(y_true, y_pred):
    """y_true and y_pred given the same rank, as Keras's squeeze_or_expand_to_same_rank: a
    trailing axis of 1 added to a 1-D array facing an (n, 1) one, else removed."""
    if y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
        y_true = y_true[..., 0] if y_pred.ndim != 1 else y_true
        if y_pred.ndim == 1:
            y_pred = y_pred[..., None]
    elif y_pred.ndim == y_true.ndim + 1 and y_pred.shape[-1] == 1:
        if y_true.ndim == 1:
            y_true = y_true[..., None]
        else:
            y_pred = y_pred[..., 0]
    return y_true, y_pred


class Metric:
    """Base class: a named value accumulated over batches by update_state(y_true, y_pred,
    sample_weight=None), read by result(), cleared by reset_state(). `direction` is 'up' when
    bigger is better, which EarlyStopping(mode='auto') and ModelCheckpoint read."""

    direction = "down"

    def __init__(self, name=None, dtype=None):
        if name is not None and not isinstance(name, str):
            raise TypeError(f"name: expected a str, got {name!r}")
        self.name = name or naming.to_snake_case(type(self).__name__)
        self.dtype = np.dtype(dtype).name if dtype is not None else "float32"
        self._variables = []
        # pynn's own metrics keep their state in attributes that reset_state sets; a subclass
        # written for Keras makes its state with add_weight after this, and its reset_state
        # (which reads that state) is not called here, as Keras does not call it
        if type(self).reset_state.__module__.startswith("pynn."):
            self.reset_state()

    def add_variable(self, shape=(), initializer="zeros", dtype=None, aggregation="sum",
                     name=None):
        """A state variable (not trained) that reset_state() sets back to zeros, as Keras's
        Metric.add_variable makes it: assign, assign_add, and arithmetic in result()."""
        from ..variables import Variable
        variable = Variable("zeros" if initializer is None else initializer,
                            name=name or f"variable_{len(self._variables)}", trainable=False,
                            dtype=dtype or self.dtype, shape=tuple(shape))
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        """add_variable under the name Keras 2 scripts use."""
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name)

    @property
    def variables(self):
        return list(self._variables)

    def reset_state(self):
        """Set every variable made by add_variable back to zeros (a metric keeping other state
        overrides this)."""
        for variable in self._variables:
            variable.assign(np.zeros(variable.shape, variable.numpy().dtype))

    def update_state(self, y_true, y_pred, sample_weight=None):
        raise NotImplementedError

    def result(self):
        raise NotImplementedError

    def __call__(self, y_true, y_pred, sample_weight=None):
        """Update with one batch and return the result, as Keras's metric(...) does."""
        self.update_state(y_true, y_pred, sample_weight=sample_weight)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


def samplewise(values, sample_weight, reduce_fn):
    """Keras's reduce_to_samplewise_values: values (one row per sample) reduced over their
    other axes by reduce_fn, times the sample weights; returns (values, weights or None)."""
    values = np.asarray(values, np.float64)
    weights = None
    if sample_weight is not None:
        weights = np.asarray(sample_weight, np.float64)
        values, weights = same_rank(values, weights)
        if values.ndim > weights.ndim:
            values = reduce_fn(values, axis=tuple(range(weights.ndim, values.ndim)))
        weights = np.broadcast_to(weights, values.shape)
        values = values * weights
        if weights.ndim > 1:
            weights = reduce_fn(weights, axis=tuple(range(1, weights.ndim)))
    if values.ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
    return values, weights


class Sum(Metric):
    """The weighted sum of the values given to update_state(values, sample_weight=None)."""

    def reset_state(self):
        self.total = 0.0

    def update_state(self, values, sample_weight=None):
        values, _ = samplewise(as_array(values), sample_weight, np.sum)
        self.total += float(np.sum(values))

    def result(self):
        return MetricResult(self.total)


class Mean(Metric):
    """The weighted mean of the values given to update_state(values, sample_weight=None): each
    sample's value (the mean of its entries) weighted by its sample weight."""

    def reset_state(self):
        self.total, self.count = 0.0, 0.0

    def update_state(self, values, sample_weight=None):
        values = as_array(values)
        if sample_weight is None and values.ndim:  # the common case, in one reduction
            n = values.shape[0]
            if n:
                total = (np.count_nonzero(values) if values.dtype == bool
                         else float(values.sum(dtype=np.float64)))
                self.total += total / (values.size // n)
                self.count += n
            return
        values, weights = samplewise(values, sample_weight, np.mean)
        self.total += float(np.sum(values))
        if weights is not None:
            self.count += float(np.sum(weights))
        else:
            self.count += values.shape[0] if values.ndim else 1

    def result(self):
        return MetricResult(self.total / self.count if self.count else 0.0)


class MeanMetricWrapper(Mean):
    """The mean over samples of fn(y_true, y_pred, **kwargs), a function of arrays giving one
    value per sample (or per entry)."""

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        self._fn, self._fn_kwargs = fn, kwargs
        super().__init__(name=name or getattr(fn, "__name__", "mean_metric_wrapper"),
                         dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        super().update_state(values._data if isinstance(values, Tensor) else values,
                             sample_weight)

    def get_config(self):
        return {**super().get_config(), **self._fn_kwargs}
