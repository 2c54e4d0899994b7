"""The cross-entropies with Keras 3's names, arguments and formulas: binary, categorical and
sparse categorical (from probabilities, clipped to [epsilon, 1 - epsilon] as Keras clips them,
or from logits), with label_smoothing, and their focal forms.

A model ending in a sigmoid (softmax) whose loss is binary (categorical) cross-entropy has it
computed from the last layer's logits (logits_loss): exact where Keras's clipped probabilities
are not, and equal to them wherever the probabilities lie inside [1e-7, 1 - 1e-7].
"""
import warnings

import numpy as np

from ... import functional as F, validate
from ...functional.loss import reduce_losses
from ...tensor import Tensor, as_tensor
from .. import config
from .loss import Loss, predictions, reduce_weighted_values, targets


def _clipped_log(p):
    """log(clip(p, eps, 1 - eps)) as one graph node; no gradient flows through clipped values,
    as in Keras."""
    eps = config.epsilon()
    clipped = np.clip(p._data, eps, 1 - eps)

    def backward(g):
        return (np.where(clipped == p._data, g / clipped, 0).astype(p.dtype),)
    return Tensor.from_op(np.log(clipped), (p,), backward)


def _clipped_bce(t, p, reduction):
    """-(t log p + (1 - t) log(1 - p)), p clipped to [eps, 1 - eps] as Keras clips it (no
    gradient through a clipped value), elementwise or reduced, as one graph node."""
    eps = config.epsilon()
    clipped = np.clip(p._data, eps, 1 - eps)
    with np.errstate(divide="ignore", invalid="ignore"):
        losses = -(t * np.log(clipped) + (1 - t) * np.log(1 - clipped))

    def grad():
        inside = (p._data >= eps) & (p._data <= 1 - eps)
        return np.where(inside, (clipped - t) / (clipped * (1 - clipped)), 0).astype(p.dtype)
    return reduce_losses((p,), losses.astype(p.dtype), (grad,), reduction)


def _smoothed_binary(t, label_smoothing):
    return t * (1.0 - label_smoothing) + 0.5 * label_smoothing if label_smoothing else t


def _smoothed_categorical(t, label_smoothing):
    if not label_smoothing:
        return t
    return t * (1.0 - label_smoothing) + label_smoothing / t.shape[-1]


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """One loss per sample: the mean over `axis` of -(t log p + (1 - t) log(1 - p))."""
    y_pred = predictions(y_pred)
    t = _smoothed_binary(targets(y_true, y_pred), label_smoothing)
    if from_logits:
        losses = F.binary_cross_entropy_with_logits(y_pred, t, reduction="none")
    else:
        losses = _clipped_bce(t, y_pred, "none")
    return losses.mean(axis=axis)


def _warn_one_class(y_pred, name):
    if y_pred.shape[-1] == 1:
        warnings.warn(f"In loss {name}, expected y_pred.shape to be (batch_size, num_classes) "
                      f"with num_classes > 1. Received: y_pred.shape={tuple(y_pred.shape)}. "
                      "Consider using 'binary_crossentropy' if you only have 2 classes.",
                      SyntaxWarning, stacklevel=3)


def _log_probabilities(y_pred, from_logits, axis):
    """log p along axis: log_softmax of logits, or the log of the probabilities normalized to
    sum to 1 and clipped, as Keras computes them."""
    if from_logits:
        return F.log_softmax(y_pred, dim=axis)
    return _clipped_log(y_pred / y_pred.sum(axis=axis, keepdims=True))


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """One loss per sample: -sum(t log p) over the classes (one-hot targets)."""
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis}")
    y_pred = predictions(y_pred)
    _warn_one_class(y_pred, "categorical_crossentropy")
    t = _smoothed_categorical(targets(y_true, y_pred), label_smoothing)
    return -(_log_probabilities(y_pred, from_logits, axis) * as_tensor(t)).sum(axis=axis)


def class_ids(y_true, y_pred):
    """Sparse targets as an int64 array with one class id per row of y_pred (a trailing axis
    of 1 dropped), each a valid class."""
    y = y_true._data if isinstance(y_true, Tensor) else validate.as_array(y_true, "y_true")
    if y.ndim == y_pred.ndim and y.shape[-1] == 1:
        y = y[..., 0]
    ids = y.astype(np.int64)
    if not np.array_equal(ids, y):
        raise ValueError("sparse categorical cross-entropy expects integer class ids as targets")
    if ids.shape != tuple(y_pred.shape[:-1]):
        raise ValueError(f"sparse categorical cross-entropy: y_true of shape {y.shape} does not "
                         f"fit y_pred of shape {tuple(y_pred.shape)}: expected one class id per "
                         "row")
    classes = y_pred.shape[-1]
    bad = ids[(ids < 0) | (ids >= classes)]  # a negative id would index from the end
    if bad.size:
        raise ValueError(f"sparse categorical cross-entropy: class ids must lie in "
                         f"[0, {classes}), got {bad[0]}")
    return ids


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    """One loss per sample: -log p[class id]; samples whose id is ignore_class count 0."""
    if axis not in (-1, np.ndim(getattr(y_pred, "_data", y_pred)) - 1):
        raise ValueError("sparse_categorical_crossentropy: pynn.keras supports the classes on "
                         f"the last axis (axis=-1), got axis={axis}")
    y_pred = predictions(y_pred)
    y = y_true._data if isinstance(y_true, Tensor) else validate.as_array(y_true, "y_true")
    keep = None
    if ignore_class is not None:
        y = np.asarray(y).copy()
        keep = y != ignore_class
        y[~keep] = 0
    ids = class_ids(y, y_pred)
    picked = _log_probabilities(y_pred, from_logits, -1)[(*np.indices(ids.shape), ids)]
    losses = -picked
    if keep is not None:
        losses = losses * as_tensor(keep.reshape(ids.shape).astype(losses.dtype))
    return losses


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25,
                              gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary cross-entropy weighted by (1 - p_t)^gamma, p_t the probability of the true
    class (and by alpha or 1 - alpha with apply_class_balancing)."""
    y_pred = predictions(y_pred)
    t = _smoothed_binary(targets(y_true, y_pred), label_smoothing)
    p = F.sigmoid(y_pred) if from_logits else y_pred
    bce = _clipped_bce(t, p, "none")
    p_t = p * as_tensor(t) + (1 - p) * as_tensor(1 - t)
    focal = (1.0 - p_t) ** gamma * bce
    if apply_class_balancing:
        focal = focal * as_tensor(t * alpha + (1 - t) * (1 - alpha))
    return focal.mean(axis=axis)


def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False,
                                   label_smoothing=0.0, axis=-1):
    """Categorical cross-entropy with each class's term weighted by alpha (1 - p)^gamma."""
    y_pred = predictions(y_pred)
    _warn_one_class(y_pred, "categorical_focal_crossentropy")
    t = _smoothed_categorical(targets(y_true, y_pred), label_smoothing)
    p = F.softmax(y_pred, dim=axis) if from_logits else y_pred
    p = p / p.sum(axis=axis, keepdims=True)
    eps = config.epsilon()
    p = p.clamp(eps, 1 - eps)
    return (alpha * (1.0 - p) ** gamma * -(as_tensor(t) * p.log())).sum(axis=axis)


class _CrossEntropy(Loss):
    """A cross-entropy: `function` with from_logits (y_pred holds logits rather than
    probabilities) and the loss's own keyword arguments."""

    function = None
    KEYS = ("from_logits", "label_smoothing", "axis")

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name=None, dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.from_logits = validate.flag(from_logits, "from_logits")
        self.label_smoothing = validate.number(label_smoothing, "label_smoothing")
        if not 0 <= self.label_smoothing <= 1:
            raise ValueError(f"label_smoothing must lie in [0, 1], got {label_smoothing}")
        self.axis = axis

    def _kwargs(self):
        return {key: getattr(self, key) for key in self.KEYS}

    def call(self, y_true, y_pred):
        return type(self).function(y_true, y_pred, **self._kwargs())

    def logits_loss(self, y_true, logits, sample_weight=None):
        if sample_weight is None and self.reduction in ("sum_over_batch_size", "mean"):
            fast = self.logits_mean(y_true, logits)
            if fast is not None:
                return fast
        losses = type(self).function(y_true, logits, **{**self._kwargs(), "from_logits": True})
        return reduce_weighted_values(losses, sample_weight, self.reduction)

    def batch_mean(self, y_true, y_pred):
        return self.logits_mean(y_true, y_pred) if self.from_logits else None

    def logits_mean(self, y_true, logits):
        """The batch mean from logits in one kernel call, where there is one."""
        return None

    def get_config(self):
        return {**super().get_config(), **self._kwargs()}


class BinaryCrossentropy(_CrossEntropy):
    """BinaryCrossentropy(from_logits=False, label_smoothing=0.0, axis=-1, ...)."""

    fuses = "sigmoid"
    function = staticmethod(binary_crossentropy)

    def logits_mean(self, y_true, logits):
        if self.label_smoothing or self.axis not in (-1, logits.ndim - 1):
            return None
        return F.binary_cross_entropy_with_logits(logits, targets(y_true, logits))

    def batch_mean(self, y_true, y_pred):
        if self.from_logits:
            return self.logits_mean(y_true, y_pred)
        if self.label_smoothing or self.axis not in (-1, y_pred.ndim - 1):
            return None
        return _clipped_bce(targets(y_true, y_pred), y_pred, "mean")


class CategoricalCrossentropy(_CrossEntropy):
    """CategoricalCrossentropy(from_logits=False, label_smoothing=0.0, axis=-1, ...)."""

    fuses = "softmax"
    function = staticmethod(categorical_crossentropy)


class SparseCategoricalCrossentropy(_CrossEntropy):
    """SparseCategoricalCrossentropy(from_logits=False, ignore_class=None, axis=-1, ...):
    targets are class ids."""

    fuses = "softmax"
    sparse = True
    function = staticmethod(sparse_categorical_crossentropy)
    KEYS = ("from_logits", "ignore_class", "axis")

    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size",
                 axis=-1, name=None, dtype=None):
        super().__init__(from_logits=from_logits, axis=axis, reduction=reduction, name=name,
                         dtype=dtype)
        self.ignore_class = ignore_class

    def logits_mean(self, y_true, logits):
        if self.ignore_class is not None:
            return None
        return F.cross_entropy(logits, class_ids(y_true, logits))

    def get_config(self):
        config = super().get_config()
        del config["axis"]
        return config


class BinaryFocalCrossentropy(_CrossEntropy):
    """BinaryFocalCrossentropy(apply_class_balancing=False, alpha=0.25, gamma=2.0,
    from_logits=False, label_smoothing=0.0, axis=-1, ...)."""

    function = staticmethod(binary_focal_crossentropy)
    KEYS = ("apply_class_balancing", "alpha", "gamma", "from_logits", "label_smoothing", "axis")

    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False,
                 label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size", name=None,
                 dtype=None):
        super().__init__(from_logits, label_smoothing, axis, reduction, name, dtype)
        self.apply_class_balancing = validate.flag(apply_class_balancing,
                                                   "apply_class_balancing")
        self.alpha, self.gamma = alpha, gamma


class CategoricalFocalCrossentropy(_CrossEntropy):
    """CategoricalFocalCrossentropy(alpha=0.25, gamma=2.0, from_logits=False,
    label_smoothing=0.0, axis=-1, ...)."""

    function = staticmethod(categorical_focal_crossentropy)
    KEYS = ("alpha", "gamma", "from_logits", "label_smoothing", "axis")

    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name=None, dtype=None):
        super().__init__(from_logits, label_smoothing, axis, reduction, name, dtype)
        self.alpha, self.gamma = alpha, gamma
