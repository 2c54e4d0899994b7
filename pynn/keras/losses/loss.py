"""The base of the Keras-style losses: Loss(name, reduction, dtype) called as
loss(y_true, y_pred, sample_weight=None), its per-sample values (call) reduced as Keras 3
reduces them, and LossFunctionWrapper for a loss given as a function."""
import numpy as np

from ... import validate
from ...tensor import Tensor, as_tensor
from .. import config, naming

REDUCTIONS = ("sum_over_batch_size", "sum", None, "none", "mean", "mean_with_sample_weight")


def standardize_reduction(reduction):
    if reduction not in REDUCTIONS:
        raise ValueError(f"Invalid value for argument `reduction`. Expected one of "
                         f"{set(REDUCTIONS)}. Received: reduction={reduction!r}")
    return reduction


def predictions(y_pred, dtype=None):
    """y_pred as a Tensor: a Tensor as it is (the model's output, in the graph); an array
    converted to `dtype`, or without one kept in its float dtype (anything else in floatx), as
    Keras converts the inputs of a Loss object (dtype) and of a loss function (none)."""
    if isinstance(y_pred, Tensor):
        return y_pred
    y_pred = np.asarray(y_pred)
    if dtype is None and y_pred.dtype.kind == "f":
        return as_tensor(y_pred)
    return as_tensor(y_pred.astype(dtype or config.floatx()))


def targets(y_true, y_pred):
    """y_true as an array of y_pred's dtype and rank, as Keras's squeeze_or_expand_to_same_rank
    makes them: a trailing axis of 1 added to a 1-D target of a (n, 1) output, or removed."""
    y = y_pred._data
    if type(y_true) is np.ndarray and y_true.dtype is y.dtype and y_true.shape == y.shape:
        return y_true  # fit's targets, already as they must be
    t = y_true._data if isinstance(y_true, Tensor) else validate.as_array(y_true, "y_true")
    if t.ndim == y.ndim - 1 and y.shape[-1:] == (1,):
        t = t[..., None]
    elif t.ndim == y.ndim + 1 and t.shape[-1] == 1:
        t = t[..., 0]
    return t.astype(y.dtype, copy=False)


def _same_rank(values, weights):
    if weights.ndim == values.ndim + 1 and weights.shape[-1] == 1:
        return weights[..., 0]
    if values.ndim == weights.ndim + 1 and values.shape[-1] == 1:
        return weights[..., None]
    return weights


def reduce_weighted_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Per-sample losses (a Tensor) times sample_weight, reduced: 'sum_over_batch_size' (and
    'mean') divide the sum by the number of values, not by the weights' sum
    ('mean_with_sample_weight' does), 'sum' sums, 'none' or None keeps them."""
    if sample_weight is not None:
        weights = (sample_weight._data if isinstance(sample_weight, Tensor)
                   else np.asarray(sample_weight, values.dtype))
        values = values * as_tensor(_same_rank(values, weights.astype(values._data.dtype)))
    if reduction in (None, "none") or values.ndim == 0 or values.shape == (0,):
        return values
    total = values.sum()
    if reduction == "sum":
        return total
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = float(np.sum(weights))
    else:
        divisor = values.numel()
    return total / divisor if divisor else total * 0.0


class Loss:
    """Base class: loss(y_true, y_pred, sample_weight=None) -> the reduced loss (a scalar
    Tensor for the default 'sum_over_batch_size': the mean over the batch).

    Subclasses give call(y_true, y_pred) -> one loss per sample. `fuses` names the output
    activation a cross-entropy can be computed through from the logits (logits_loss);
    `sparse` says whether targets are class ids."""

    fuses = None
    sparse = False

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        if name is not None and not isinstance(name, str):
            raise TypeError(f"name: expected a str, got {name!r}")
        self.name = name or naming.to_snake_case(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self.dtype = None if dtype is None else np.dtype(dtype).name

    def __call__(self, y_true, y_pred, sample_weight=None):
        y_pred = predictions(y_pred, self.dtype or config.floatx())
        if sample_weight is None and self.reduction in ("sum_over_batch_size", "mean"):
            fast = self.batch_mean(y_true, y_pred)
            if fast is not None:
                return fast
        return reduce_weighted_values(self.call(y_true, y_pred), sample_weight, self.reduction)

    def call(self, y_true, y_pred):
        raise NotImplementedError

    def batch_mean(self, y_true, y_pred):
        """The default reduction of call() in fewer graph nodes, where a loss has a faster way
        to it (None: reduce call()'s values)."""
        return None

    def logits_loss(self, y_true, logits, sample_weight=None):
        """The loss of activation(logits) from the logits (only when `fuses`)."""
        raise NotImplementedError

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r}>"


class LossFunctionWrapper(Loss):
    """A loss from a function fn(y_true, y_pred, **kwargs) -> one loss per sample (or a
    scalar), reduced as Keras reduces it. y_true arrives as an array of y_pred's rank and
    dtype, y_pred as a Tensor; the function computes with Tensor operations."""

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        if not callable(fn):
            raise TypeError(f"LossFunctionWrapper: fn must be a function, got {fn!r}")
        super().__init__(name=name or getattr(fn, "__name__", "loss"), reduction=reduction,
                         dtype=dtype)
        self.fn, self._fn_kwargs = fn, kwargs

    def call(self, y_true, y_pred):
        out = self.fn(targets(y_true, y_pred), y_pred, **self._fn_kwargs)
        if not isinstance(out, Tensor):
            raise TypeError(f"loss function {self.name!r} must return a pynn Tensor (computed "
                            f"from y_pred with Tensor ops), got {type(out).__name__}")
        return out

    def get_config(self):
        return {**super().get_config(), "fn": getattr(self.fn, "__name__", repr(self.fn)),
                **self._fn_kwargs}

    def __repr__(self):
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"
