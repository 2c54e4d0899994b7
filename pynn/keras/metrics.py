"""Metrics with Keras's names and formulas, computed in NumPy on targets and predictions.

A Metric accumulates over batches: update_state(y_true, y_pred), result(), reset_state().
'accuracy' is resolved as Keras does from the shapes of the targets and of the model's output:
binary when the output has one unit, sparse categorical when the targets are class ids, else
categorical.
"""
import math

import numpy as np

from .. import validate
from ..tensor import Tensor, no_grad
from . import activations


def _arrays(y_true, y_pred):
    if type(y_true) is np.ndarray and type(y_pred) is np.ndarray and y_true.shape == y_pred.shape:
        return y_true, y_pred  # fit's targets and outputs
    y_pred = y_pred._data if isinstance(y_pred, Tensor) else np.asarray(y_pred)
    y_true = y_true._data if isinstance(y_true, Tensor) else np.asarray(y_true)
    if y_true.ndim == y_pred.ndim - 1 and y_pred.shape[-1] == 1:
        y_true = y_true[..., None]
    return y_true, y_pred


# ---- per-sample functions, as keras.metrics.* ------------------------------------------------

def binary_accuracy(y_true, y_pred, threshold=0.5):
    y_true, y_pred = _arrays(y_true, y_pred)
    return np.mean(y_true == (y_pred > threshold), axis=-1)


def categorical_accuracy(y_true, y_pred):
    y_true, y_pred = _arrays(y_true, y_pred)
    return (np.argmax(y_true, axis=-1) == np.argmax(y_pred, axis=-1)).astype(np.float32)


def sparse_categorical_accuracy(y_true, y_pred):
    y_pred = y_pred._data if isinstance(y_pred, Tensor) else np.asarray(y_pred)
    y_true = np.asarray(y_true._data if isinstance(y_true, Tensor) else y_true)
    if y_true.ndim == y_pred.ndim:
        y_true = y_true.reshape(y_true.shape[:-1])
    return (y_true == np.argmax(y_pred, axis=-1)).astype(np.float32)


def mean_squared_error(y_true, y_pred):
    y_true, y_pred = _arrays(y_true, y_pred)
    return np.mean(np.square(y_pred - y_true), axis=-1)


def mean_absolute_error(y_true, y_pred):
    y_true, y_pred = _arrays(y_true, y_pred)
    return np.mean(np.abs(y_pred - y_true), axis=-1)


# ---- Metric objects -----------------------------------------------------------------------------

class Metric:
    """Base class: a named running value over batches. `direction` is 'up' when bigger is
    better (accuracies), which is how EarlyStopping(mode='auto') knows which way to watch."""

    direction = "down"

    def __init__(self, name=None):
        self.name = name or type(self).__name__
        self.reset_state()

    def reset_state(self):
        raise NotImplementedError

    def update_state(self, y_true, y_pred):
        raise NotImplementedError

    def result(self):
        raise NotImplementedError

    def update_state_from_logits(self, y_true, logits, activation):
        """update_state for a model whose output is activation(logits), given the logits (the
        model computes a sigmoid or softmax output's loss from them). Accuracies override this
        to skip computing the probabilities."""
        with no_grad():
            self.update_state(y_true, activation(Tensor._make(logits))._data)

    def get_config(self):
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class Mean(Metric):
    """The weighted mean of the values given to update_state(values, sample_weight=None)."""

    def reset_state(self):
        self.total, self.count = 0.0, 0.0

    def update_state(self, values, sample_weight=None):
        values = np.asarray(values, dtype=np.float64)
        if sample_weight is None:
            self.total += float(values.sum())
            self.count += values.size
        else:
            self.total += float(values.sum()) * sample_weight
            self.count += values.size * sample_weight

    def result(self):
        return float(self.total / self.count) if self.count else 0.0


class MeanMetricWrapper(Mean):
    """The mean over samples of fn(y_true, y_pred), a function giving one value per sample."""

    def __init__(self, fn, name=None, **kwargs):
        self.fn, self.kwargs = fn, kwargs
        super().__init__(name=name or getattr(fn, "__name__", "metric"))

    def update_state(self, y_true, y_pred):
        super().update_state(self.fn(y_true, y_pred, **self.kwargs))

    def get_config(self):
        return {"name": self.name, **self.kwargs}


class BinaryAccuracy(MeanMetricWrapper):
    direction = "up"

    def __init__(self, name="binary_accuracy", threshold=0.5):
        super().__init__(binary_accuracy, name=name, threshold=validate.number(threshold,
                                                                               "threshold"))

    def update_state(self, y_true, y_pred):
        self._add(y_true, y_pred, self.kwargs["threshold"])

    def update_state_from_logits(self, y_true, logits, activation):
        t = self.kwargs["threshold"]
        if activation is not activations.sigmoid or not 0 < t < 1:
            return super().update_state_from_logits(y_true, logits, activation)
        self._add(y_true, logits, math.log(t / (1 - t)))  # sigmoid(z) > t exactly when z > this

    def _add(self, y_true, values, threshold):
        """Count the matches: each sample's mean over its outputs, summed, is matches / width."""
        y_true, values = _arrays(y_true, values)
        self.total += np.count_nonzero(y_true == (values > threshold)) / values.shape[-1]
        self.count += len(values)


class _ArgmaxAccuracy(MeanMetricWrapper):
    """Compares argmaxes, which softmax does not change: from logits it needs no softmax."""

    direction = "up"

    def update_state_from_logits(self, y_true, logits, activation):
        if activation is activations.softmax:
            return self.update_state(y_true, logits)
        return super().update_state_from_logits(y_true, logits, activation)


class CategoricalAccuracy(_ArgmaxAccuracy):
    def __init__(self, name="categorical_accuracy"):
        super().__init__(categorical_accuracy, name=name)


class SparseCategoricalAccuracy(_ArgmaxAccuracy):
    def __init__(self, name="sparse_categorical_accuracy"):
        super().__init__(sparse_categorical_accuracy, name=name)


class MeanSquaredError(MeanMetricWrapper):
    def __init__(self, name="mean_squared_error"):
        super().__init__(mean_squared_error, name=name)


class MeanAbsoluteError(MeanMetricWrapper):
    def __init__(self, name="mean_absolute_error"):
        super().__init__(mean_absolute_error, name=name)


_NAMES = {"binary_accuracy": BinaryAccuracy, "categorical_accuracy": CategoricalAccuracy,
          "sparse_categorical_accuracy": SparseCategoricalAccuracy,
          "mse": MeanSquaredError, "mean_squared_error": MeanSquaredError,
          "mae": MeanAbsoluteError, "mean_absolute_error": MeanAbsoluteError}
_CLASSES = {cls.__name__: cls for cls in _NAMES.values()}
VALID_NAMES = sorted(["accuracy", "acc", *_NAMES])


def check(identifier):
    """Refuse, at compile time, a metric that get() could never resolve."""
    if isinstance(identifier, str):
        if identifier not in VALID_NAMES:
            raise ValueError(f"Unknown metric {identifier!r}; valid names are {VALID_NAMES} "
                             "(or a keras Metric object, or a function (y_true, y_pred))")
    elif isinstance(identifier, dict):
        if identifier.get("class_name") not in _CLASSES:
            raise ValueError(f"Unknown metric config {identifier!r}; valid class names are "
                             f"{sorted(_CLASSES)}")
    elif not (isinstance(identifier, Metric) or callable(identifier)):
        raise TypeError(f"metrics: expected names, Metric objects or functions, "
                        f"got {type(identifier).__name__} {identifier!r}")


def get(identifier, y_true_shape, y_pred_shape):
    """A Metric for compile()'s identifier, given the shapes of a batch of targets and outputs
    (which pick the kind of 'accuracy'). Named as given, as in Keras: 'acc' logs as 'acc'."""
    check(identifier)
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, dict):
        return _CLASSES[identifier["class_name"]].from_config(identifier.get("config", {}))
    if not isinstance(identifier, str):
        return MeanMetricWrapper(identifier)
    if identifier in ("accuracy", "acc"):
        binary = y_pred_shape[-1] == 1
        sparse = len(y_true_shape) < len(y_pred_shape) or (y_true_shape[-1] == 1
                                                          and y_pred_shape[-1] > 1)
        cls = BinaryAccuracy if binary else (SparseCategoricalAccuracy if sparse
                                             else CategoricalAccuracy)
        return cls(name=identifier)
    return _NAMES[identifier](name=identifier)


def name_of(identifier):
    """The name a compile() metric identifier logs under."""
    if isinstance(identifier, (Metric, str)):
        return identifier if isinstance(identifier, str) else identifier.name
    if isinstance(identifier, dict):
        return identifier.get("config", {}).get("name") or identifier.get("class_name")
    return getattr(identifier, "__name__", "metric")


def serialize(identifier):
    """The JSON-able form of a compile() metric identifier."""
    if isinstance(identifier, (str, dict)):
        return identifier
    if type(identifier) in _CLASSES.values():
        return {"class_name": type(identifier).__name__, "config": identifier.get_config()}
    return getattr(identifier, "name", getattr(identifier, "__name__", repr(identifier)))
