"""Losses with Keras's names, defaults and formulas, computed by pynn.functional on Tensors.

A Loss object called as loss(y_true, y_pred) returns the mean over the batch as a scalar Tensor
(Keras's 'sum_over_batch_size'); the functions (binary_crossentropy, ...) return one loss per
sample, as Keras's do. The cross-entropies also know the activation they can absorb: a model
ending in a sigmoid (softmax) computes binary (categorical) cross-entropy from the logits, which
is exact where Keras's clipped probabilities are not, and equal to them wherever the predicted
probabilities lie inside [1e-7, 1 - 1e-7].
"""
import numpy as np

from .. import functional as F, validate
from ..functional.loss import reduce_losses
from ..tensor import Tensor, as_tensor
from . import utils

EPSILON = 1e-7  # Keras's backend.epsilon(): probabilities are clipped to [eps, 1 - eps]


def _align(y_true, y_pred):
    """y_true as an array of y_pred's dtype, given a trailing axis of 1 if it lacks one (Keras
    expands a (n,) target against a (n, 1) output)."""
    if (type(y_true) is np.ndarray and y_true.dtype is y_pred._data.dtype
            and y_true.shape == y_pred._data.shape):
        return y_true  # fit's targets, already as they must be
    y = y_true._data if isinstance(y_true, Tensor) else validate.as_array(y_true, "y_true")
    if y.ndim == y_pred.ndim - 1 and y_pred.shape[-1] == 1:
        y = y[..., None]
    return y.astype(y_pred.dtype, copy=False)


def _class_ids(y_true, y_pred):
    """Sparse targets as an int64 array with one class id per row of y_pred."""
    y = y_true._data if isinstance(y_true, Tensor) else validate.as_array(y_true, "y_true")
    if y.ndim == y_pred.ndim and y.shape[-1] == 1:
        y = y[..., 0]
    ids = y.astype(np.int64)
    if not np.array_equal(ids, y):
        raise ValueError("sparse categorical cross-entropy expects integer class ids as targets")
    if ids.shape != y_pred.shape[:-1]:
        raise ValueError(f"sparse categorical cross-entropy: y_true of shape {y.shape} does not "
                         f"fit y_pred of shape {tuple(y_pred.shape)}: expected one class id per row")
    classes = y_pred.shape[-1]
    bad = ids[(ids < 0) | (ids >= classes)]  # a negative id would index from the end
    if bad.size:
        raise ValueError(f"sparse categorical cross-entropy: class ids must lie in "
                         f"[0, {classes}), got {bad[0]}")
    return ids


def _clipped_log(p):
    """log(clip(p, eps, 1 - eps)) as one graph node; no gradient flows through clipped values,
    as in Keras."""
    p = as_tensor(p)
    clipped = np.clip(p._data, EPSILON, 1 - EPSILON)

    def backward(g):
        return (np.where(clipped == p._data, g / clipped, 0).astype(p.dtype),)
    return Tensor.from_op(np.log(clipped), (p,), backward)


def _clipped_binary_crossentropy(y_true, p, reduction):
    """-(t log p + (1 - t) log(1 - p)) with p clipped to [eps, 1 - eps], as Keras computes it:
    no gradient flows through a clipped value. reduction as F's losses take it."""
    p = as_tensor(p)
    t = _align(y_true, p)
    clipped = np.clip(p._data, EPSILON, 1 - EPSILON)
    losses = -(t * np.log(clipped) + (1 - t) * np.log(1 - clipped))

    def grad():
        inside = (p._data >= EPSILON) & (p._data <= 1 - EPSILON)
        return np.where(inside, (clipped - t) / (clipped * (1 - clipped)), 0).astype(p.dtype)
    return reduce_losses((p,), losses.astype(p.dtype), (grad,), reduction)


def _normalized(p):
    """Probabilities divided by their sum along the last axis, as Keras does before its log."""
    return p / p.sum(axis=-1, keepdims=True)


# ---- per-sample functions, as keras.losses.* ------------------------------------------------

def binary_crossentropy(y_true, y_pred, from_logits=False):
    y_pred = as_tensor(y_pred)
    y = _align(y_true, y_pred)
    if from_logits:
        return F.binary_cross_entropy_with_logits(y_pred, y, reduction="none").mean(axis=-1)
    return _clipped_binary_crossentropy(y, y_pred, "none").mean(axis=-1)


def categorical_crossentropy(y_true, y_pred, from_logits=False):
    y_pred = as_tensor(y_pred)
    y = _align(y_true, y_pred)
    log_p = F.log_softmax(y_pred) if from_logits else _clipped_log(_normalized(y_pred))
    return -(log_p * y).sum(axis=-1)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    y_pred = as_tensor(y_pred)
    ids = _class_ids(y_true, y_pred)
    if from_logits:
        return F.cross_entropy(y_pred, ids, reduction="none")
    log_p = _clipped_log(_normalized(y_pred))
    return -log_p[np.arange(len(ids)), ids]


def mean_squared_error(y_true, y_pred):
    y_pred = as_tensor(y_pred)
    return F.mse_loss(y_pred, _align(y_true, y_pred), reduction="none").mean(axis=-1)


def mean_absolute_error(y_true, y_pred):
    y_pred = as_tensor(y_pred)
    return F.l1_loss(y_pred, _align(y_true, y_pred), reduction="none").mean(axis=-1)


mse = mean_squared_error
mae = mean_absolute_error


# ---- Loss objects ------------------------------------------------------------------------------

class Loss:
    """Base class: loss(y_true, y_pred) -> the batch mean as a scalar Tensor.

    fuses: the name of the output activation this loss can be computed through from the logits
    (logits_loss); sparse: whether targets are class ids rather than arrays like y_pred."""

    fuses = None
    sparse = False
    default_name = "loss"

    def __init__(self, name=None, reduction="sum_over_batch_size"):
        if reduction != "sum_over_batch_size":
            raise ValueError(f"reduction: pynn.keras supports 'sum_over_batch_size' (the mean "
                             f"over the batch, Keras's default), got {reduction!r}")
        self.name = name or self.default_name
        self.reduction = reduction

    def __call__(self, y_true, y_pred, sample_weight=None):
        """The batch mean of the losses; with sample_weight (one weight per sample), the mean
        of the weighted losses, as Keras's 'sum_over_batch_size' computes it."""
        y_pred = as_tensor(y_pred)
        if sample_weight is None:
            return self.call(y_true, y_pred)
        weights = np.asarray(sample_weight, dtype=y_pred.dtype)
        return (self.per_sample(y_true, y_pred) * weights).mean()

    def call(self, y_true, y_pred):
        raise NotImplementedError

    def per_sample(self, y_true, y_pred):
        """One loss per sample (a Tensor of shape (batch,))."""
        raise NotImplementedError

    def logits_loss(self, y_true, logits):
        """The loss of activation(logits), computed from the logits (only when `fuses`)."""
        raise NotImplementedError

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class _FromLogits(Loss):
    """A cross-entropy: from_logits=True means y_pred holds logits, not probabilities."""

    def __init__(self, from_logits=False, name=None, reduction="sum_over_batch_size"):
        super().__init__(name=name, reduction=reduction)
        self.from_logits = validate.flag(from_logits, "from_logits")

    def call(self, y_true, y_pred):
        if self.from_logits:
            return self.logits_loss(y_true, y_pred)
        return self.probability_loss(y_true, y_pred)

    def per_sample(self, y_true, y_pred):
        return self.function(y_true, y_pred, from_logits=self.from_logits)

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits}


class BinaryCrossentropy(_FromLogits):
    fuses = "sigmoid"
    default_name = "binary_crossentropy"
    function = staticmethod(binary_crossentropy)

    def probability_loss(self, y_true, y_pred):
        return _clipped_binary_crossentropy(y_true, y_pred, "mean")

    def logits_loss(self, y_true, logits):
        return F.binary_cross_entropy_with_logits(logits, _align(y_true, logits))


class CategoricalCrossentropy(_FromLogits):
    fuses = "softmax"
    default_name = "categorical_crossentropy"
    function = staticmethod(categorical_crossentropy)

    def probability_loss(self, y_true, y_pred):
        return categorical_crossentropy(y_true, y_pred).mean()

    def logits_loss(self, y_true, logits):
        return categorical_crossentropy(y_true, logits, from_logits=True).mean()


class SparseCategoricalCrossentropy(_FromLogits):
    fuses = "softmax"
    sparse = True
    default_name = "sparse_categorical_crossentropy"
    function = staticmethod(sparse_categorical_crossentropy)

    def probability_loss(self, y_true, y_pred):
        return sparse_categorical_crossentropy(y_true, y_pred).mean()

    def logits_loss(self, y_true, logits):
        return F.cross_entropy(logits, _class_ids(y_true, logits))


class MeanSquaredError(Loss):
    default_name = "mean_squared_error"

    def call(self, y_true, y_pred):
        return F.mse_loss(y_pred, _align(y_true, y_pred))

    def per_sample(self, y_true, y_pred):
        return mean_squared_error(y_true, y_pred)


class MeanAbsoluteError(Loss):
    default_name = "mean_absolute_error"

    def call(self, y_true, y_pred):
        return F.l1_loss(y_pred, _align(y_true, y_pred))

    def per_sample(self, y_true, y_pred):
        return mean_absolute_error(y_true, y_pred)


class LossFunctionWrapper(Loss):
    """A loss from a function fn(y_true, y_pred) -> Tensor of per-sample losses (or a scalar),
    averaged over the batch. y_true arrives as an ndarray, y_pred as a Tensor."""

    def __init__(self, fn, name=None, reduction="sum_over_batch_size"):
        super().__init__(name=name or getattr(fn, "__name__", "loss"), reduction=reduction)
        self.fn = fn

    def call(self, y_true, y_pred):
        y = y_true._data if isinstance(y_true, Tensor) else np.asarray(y_true)
        out = self.fn(y, y_pred)
        if not isinstance(out, Tensor):
            raise TypeError(f"loss function {self.name!r} must return a pynn Tensor (computed "
                            f"from y_pred with Tensor ops), got {type(out).__name__}")
        return out.mean() if out.ndim else out

    def per_sample(self, y_true, y_pred):
        y = y_true._data if isinstance(y_true, Tensor) else np.asarray(y_true)
        return self.fn(y, y_pred)


_NAMES = {"binary_crossentropy": BinaryCrossentropy,
          "categorical_crossentropy": CategoricalCrossentropy,
          "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
          "mse": MeanSquaredError, "mean_squared_error": MeanSquaredError,
          "mae": MeanAbsoluteError, "mean_absolute_error": MeanAbsoluteError}
_CLASSES = {cls.__name__: cls for cls in _NAMES.values()}


def get(identifier):
    """A Loss from a name, a config dict {'class_name', 'config'}, a Loss, or a function."""
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, str):
        if identifier not in _NAMES:
            raise ValueError(f"Unknown loss {identifier!r}; valid names are {sorted(_NAMES)} "
                             "(or a keras Loss object, or a function (y_true, y_pred) -> Tensor)")
        return _NAMES[identifier]()
    if isinstance(identifier, dict):
        return utils.from_config_dict(identifier, _CLASSES, "loss")
    if callable(identifier):
        return LossFunctionWrapper(identifier)
    raise TypeError(f"loss: expected a name, a Loss or a function, "
                    f"got {type(identifier).__name__} {identifier!r}")


def serialize(loss):
    """A JSON-able form of what compile() was given that get() reads back: a name as it is, a
    built-in Loss as {'class_name', 'config'}, a custom function by its name."""
    if isinstance(loss, str):
        return loss
    if type(loss) in _CLASSES.values():
        return {"class_name": type(loss).__name__, "config": loss.get_config()}
    return getattr(loss, "name", getattr(loss, "__name__", type(loss).__name__))
