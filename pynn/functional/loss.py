"""Losses with PyTorch's names, arguments, defaults and formulas (torch.nn.functional).

Each is one graph node over the input and the target: every one that requires grad gets its
gradient (F.mse_loss(y, y_pred) with the arguments swapped trains as in PyTorch). They reduce
by the mean unless `reduction` says 'sum' or 'none'; the mean of nothing is NaN, as in PyTorch.
"""
import warnings

import numpy as np

from .. import dtypes, validate
from ..backend import kernels as K
from ..tensor import Tensor, is_grad_enabled, operand, tensor, unbroadcast
from ..validate import ShapeError

REDUCTIONS = ("mean", "sum", "none")


def reduction_of(reduction, size_average, reduce, name):
    """The reduction, from PyTorch's deprecated size_average and reduce if either is given."""
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = "none" if not reduce else "mean" if size_average else "sum"
        warnings.warn(f"size_average and reduce args will be deprecated, please use "
                      f"reduction='{reduction}' instead.", UserWarning, stacklevel=3)
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction (expected one of "
                         f"{REDUCTIONS}) in {name}")
    return reduction


def _input(input, name):
    x = input if isinstance(input, Tensor) else tensor(input)
    if x._data.dtype.kind != "f":
        raise RuntimeError(f"{name}: expected a floating-point input, got {x._data.dtype} (use "
                           ".float())")
    return x


def _target(target, x, name, broadcast):
    """target as a Tensor of x's dtype. A shape other than x's is broadcast with PyTorch's
    warning when `broadcast` (the regression losses), else refused (the cross-entropies)."""
    xd = x._data
    if type(target) is np.ndarray and target.dtype is xd.dtype and target.shape == xd.shape:
        return Tensor._make(target)  # the usual case, at a fraction of the checks' cost
    t = target if isinstance(target, Tensor) else Tensor._make(
        validate.as_array(target, f"{name}: target"))
    if t._data.dtype != x._data.dtype:
        t = t.to(x._data.dtype)
    if t._data.shape != x._data.shape:
        if not broadcast:
            raise ValueError(f"Using a target size ({t.shape}) that is different to the input size "
                             f"({x.shape}) is deprecated. Please ensure they "
                             "have the same size.")
        try:
            np.broadcast_shapes(t._data.shape, x._data.shape)
        except ValueError:
            raise ShapeError(f"{name}: the size of the input {tuple(x.shape)} does not "
                               f"broadcast with the size of the target {tuple(t.shape)}") from None
        warnings.warn(f"Using a target size ({t.shape}) that is different to the input size "
                      f"({x.shape}). This will likely lead to incorrect results due "
                      "to broadcasting. Please ensure they have the same size.", UserWarning,
                      stacklevel=4)
    return t


def reduce_losses(parents, losses, grads, reduction, name="loss"):
    """The loss node: per-element `losses` reduced (mean, sum or none), parents the tensors they
    were computed from, and grads[i]() each loss's derivative with respect to parents[i] (in the
    losses' shape; summed back to the parent's), called by backward only for a parent that
    requires grad. name: the loss's, as its grad_fn shows it (MseLossBackward0)."""
    if reduction == "mean":
        size = losses.size
        with np.errstate(invalid="ignore"):
            value = np.asarray(losses.sum() / size if size else np.nan, losses.dtype)
        scale = losses.dtype.type(1 / size) if size else losses.dtype.type(np.nan)
    elif reduction == "sum":
        value, scale = np.asarray(losses.sum(), losses.dtype), losses.dtype.type(1)
    else:
        value, scale = losses, None

    def backward(g):
        g = g * scale if scale is not None else g
        return tuple(unbroadcast(np.asarray(g * grad()), p._data.shape)
                     if p._requires_grad and grad is not None else None
                     for p, grad in zip(parents, grads))
    backward.__qualname__ = f"{name}.<locals>.backward"
    return Tensor.from_op(value, tuple(parents), backward)


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """(input - target)^2."""
    x = _input(input, "mse_loss")
    t = _target(target, x, "mse_loss", broadcast=True)
    d = x._data - t._data
    return reduce_losses((x, t), d * d, (lambda: 2 * d, lambda: -2 * d),
                         reduction_of(reduction, size_average, reduce, "mse_loss"),
                         name="mse_loss")


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """|input - target|; the gradient at 0 is 0, as in PyTorch."""
    x = _input(input, "l1_loss")
    t = _target(target, x, "l1_loss", broadcast=True)
    d = x._data - t._data
    reduction = reduction_of(reduction, size_average, reduce, "l1_loss")
    return reduce_losses((x, t), np.abs(d), (lambda: np.sign(d), lambda: -np.sign(d)),
                         reduction, name=_L1_NAMES[reduction])


_L1_NAMES = {"mean": "mean", "sum": "sum", "none": "abs"}  # PyTorch composes l1_loss of these


def huber_loss(input, target, reduction="mean", delta=1.0):
    """0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta), d = input - target."""
    x = _input(input, "huber_loss")
    t = _target(target, x, "huber_loss", broadcast=True)
    d = x._data - t._data
    small = np.abs(d) < delta
    losses = np.where(small, 0.5 * d * d, delta * (np.abs(d) - 0.5 * delta)).astype(d.dtype)
    grad = np.where(small, d, delta * np.sign(d)).astype(d.dtype)
    return reduce_losses((x, t), losses, (lambda: grad, lambda: -grad),
                         reduction_of(reduction, None, None, "huber_loss"),
                         name="huber_loss")


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta."""
    x = _input(input, "smooth_l1_loss")
    t = _target(target, x, "smooth_l1_loss", broadcast=True)
    d = x._data - t._data
    if beta == 0:
        return l1_loss(x, t, reduction=reduction_of(reduction, size_average, reduce, "l1"))
    small = np.abs(d) < beta
    losses = np.where(small, 0.5 * d * d / beta, np.abs(d) - 0.5 * beta).astype(d.dtype)
    grad = np.where(small, d / beta, np.sign(d)).astype(d.dtype)
    return reduce_losses((x, t), losses, (lambda: grad, lambda: -grad),
                         reduction_of(reduction, size_average, reduce, "smooth_l1_loss"),
                         name="smooth_l1_loss")


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    """-(t log p + (1 - t) log(1 - p)) for probabilities p in [0, 1], each log clamped at -100,
    as PyTorch's BCELoss. Prefer binary_cross_entropy_with_logits after a sigmoid: it is exact
    where this one clamps."""
    x = _input(input, "binary_cross_entropy")
    t = _target(target, x, "binary_cross_entropy", broadcast=False)
    p = x._data
    if not np.all((p >= 0) & (p <= 1)):
        raise RuntimeError("all elements of input should be between 0 and 1")
    with np.errstate(divide="ignore"):
        log_p, log_q = np.maximum(np.log(p), -100), np.maximum(np.log1p(-p), -100)
    losses = -(t._data * log_p + (1 - t._data) * log_q)
    w = None if weight is None else operand(weight, x)._data
    if w is not None:
        losses = losses * w

    def grad_x():
        g = (p - t._data) / np.maximum(p * (1 - p), 1e-12)
        return g if w is None else g * w

    def grad_t():
        g = log_q - log_p
        return g if w is None else g * w
    return reduce_losses((x, t), losses.astype(p.dtype), (grad_x, grad_t),
                         reduction_of(reduction, size_average, reduce, "binary_cross_entropy"),
                         name="binary_cross_entropy")


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    """Binary cross-entropy of sigmoid(input) against target, computed from the logits as
    max(z, 0) - z t + log(1 + exp(-|z|)): finite for any z, gradient sigmoid(z) - t. The plain
    mean runs in one C pass, loss and gradient together."""
    x = _input(input, "binary_cross_entropy_with_logits")
    t = _target(target, x, "binary_cross_entropy_with_logits", broadcast=False)
    reduction = reduction_of(reduction, size_average, reduce, "binary_cross_entropy_with_logits")
    z = validate.contiguous(x._data, x._data.dtype)
    td = validate.contiguous(t._data, z.dtype)
    if (reduction == "mean" and weight is None and pos_weight is None and z.size
            and not t._requires_grad):
        grad = np.empty(z.shape, z.dtype) if x._requires_grad and is_grad_enabled() else None
        loss = K.bce_logits(z, td, grad)
        return Tensor.from_op(np.asarray(loss, z.dtype), (x,), lambda g: (g * grad,),
                              saved=())
    softplus_neg = np.log1p(np.exp(-np.abs(z))) + np.maximum(-z, 0)  # log(1 + exp(-z))
    if pos_weight is None:
        losses, weight_of = (1 - td) * z + softplus_neg, None
    else:
        pw = operand(pos_weight, x)._data
        weight_of = 1 + (pw - 1) * td
        losses = (1 - td) * z + weight_of * softplus_neg
    w = None if weight is None else operand(weight, x)._data
    if w is not None:
        losses = losses * w

    def grad_x():
        s = _sigmoid(z)
        g = s - td if weight_of is None else (1 - td) - weight_of * (1 - s)
        return g if w is None else g * w

    def grad_t():
        g = -z if weight_of is None else -z + (pw - 1) * softplus_neg
        return g if w is None else g * w
    return reduce_losses((x, t), losses.astype(z.dtype), (grad_x, grad_t), reduction,
                         name="binary_cross_entropy_with_logits")


def _sigmoid(z):
    out = np.empty(z.shape, z.dtype)
    K.sigmoid(validate.contiguous(z, z.dtype), out)
    return out


def log_softmax_array(z, axis):
    """log(softmax(z)) as z - max - log(sum(exp(z - max))): finite for any finite z."""
    z = z - z.max(axis=axis, keepdims=True, initial=-np.inf)  # -inf: softmax of an empty axis
    with np.errstate(divide="ignore"):
        return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


def _class_targets(target, x, name):
    """Class indices of shape (N, d1, ...) as int64 checked against x's classes (dim 1)."""
    t = target._data if isinstance(target, Tensor) else validate.as_array(target, "target")
    if t.dtype.kind not in "iu":
        raise RuntimeError(f"{name}: expected class indices of an integer dtype (int64) as the "
                           f"target, got {t.dtype} (use .long())")
    expected = x._data.shape[:1] + x._data.shape[2:] if x._data.ndim > 1 else ()
    if t.shape != expected:
        raise ShapeError(f"Expected input batch_size ({x._data.shape[0] if x._data.ndim > 1 else 1}"
                         f") to match target batch_size ({t.shape[0] if t.ndim else 1}); input "
                         f"of shape {tuple(x.shape)} needs a target of shape {expected}, got "
                         f"{tuple(t.shape)}")
    return t.astype(dtypes.int64, copy=False)


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    """-input[i, target[i]] for log-probabilities input (N, C) (or (C,), or (N, C, d1, ...)),
    weighted by weight[target[i]]; the mean divides by the sum of the weights, as PyTorch."""
    x = _input(input, "nll_loss")
    reduction = reduction_of(reduction, size_average, reduce, "nll_loss")
    t = _class_targets(target, x, "nll_loss")
    return _picked_loss(x, x._data, t, weight, ignore_index, reduction, False, "nll_loss")


def _picked_loss(x, log_p, t, weight, ignore_index, reduction, from_logits, name):
    """The loss -log_p at each target class (classes along axis 1), weighted and with
    ignore_index left out. from_logits: log_p is log_softmax(x), whose gradient is then
    softmax - onehot; else x is log_p itself. Computed on log_p as rows of classes, one row
    per target (a view for the usual (N, C))."""
    shape, dtype = log_p.shape, log_p.dtype
    classes = shape[1] if len(shape) > 1 else shape[0]
    rows_first = np.moveaxis(log_p, 1, -1) if len(shape) > 2 else log_p
    table = rows_first.reshape(-1, classes)
    flat = t.reshape(-1)
    keep = flat != ignore_index
    all_kept = keep.all()
    safe = flat if all_kept else np.where(keep, flat, 0)
    bad = (safe < 0) | (safe >= classes)
    if bad.any():
        raise IndexError(f"Target {safe[bad][0]} is out of bounds: {name} expects class "
                         f"indices in [0, {classes})")
    rows = np.arange(flat.size)
    picked = -table[rows, safe]
    if weight is None:
        sample_w = None if all_kept else keep.astype(dtype)
    else:
        w = operand(weight, x)._data
        sample_w = np.where(keep, w[safe], 0).astype(dtype)
    losses = picked if sample_w is None else picked * sample_w
    if reduction == "mean":
        total = flat.size if sample_w is None else sample_w.sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.asarray(losses.sum() / total, dtype)
        scale = 1 / total if total else np.nan
    elif reduction == "sum":
        value, scale = np.asarray(losses.sum(), dtype), 1.0
    else:
        value, scale = losses.astype(dtype).reshape(t.shape), None

    def backward(g):
        g = np.asarray(g * scale if scale is not None else g.reshape(-1), dtype)
        per_row = g if sample_w is None else g * sample_w
        d = np.exp(table) if from_logits else np.zeros(table.shape, dtype)
        d[rows, safe] -= 1
        d *= per_row[:, None] if per_row.ndim else per_row
        if len(shape) > 2:
            return (np.moveaxis(d.reshape(rows_first.shape), -1, 1),)
        return (d.reshape(shape),)
    backward.__qualname__ = "nll_loss.<locals>.backward"  # PyTorch's name for both losses
    return Tensor.from_op(value, (x,), backward, saved=())


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    """Softmax cross-entropy of logits (N, C) (or (C,), or (N, C, d1, ...)) against class
    indices (N,) (int64), or against class probabilities of the input's shape, as PyTorch's
    F.cross_entropy: -log_softmax(input)[i, target[i]], computed stably."""
    x = _input(input, "cross_entropy")
    reduction = reduction_of(reduction, size_average, reduce, "cross_entropy")
    axis = 1 if x._data.ndim > 1 else 0
    log_p = log_softmax_array(x._data, axis)
    target_data = target._data if isinstance(target, Tensor) else np.asarray(target)
    if target_data.dtype.kind == "f":  # class probabilities
        t = _target(target, x, "cross_entropy", broadcast=False)
        probs = t._data
        if label_smoothing:
            probs = probs * (1 - label_smoothing) + label_smoothing / x._data.shape[axis]
        return _soft_cross_entropy(x, t, log_p, probs, _class_weights(weight, x, axis), axis,
                                   reduction, 1 - label_smoothing)
    t = _class_targets(target, x, "cross_entropy")
    if not label_smoothing:
        return _picked_loss(x, log_p, t, weight, ignore_index, reduction, True,
                            "cross_entropy")
    onehot = np.zeros(x._data.shape, x._data.dtype)
    np.put_along_axis(onehot, np.expand_dims(np.where(t == ignore_index, 0, t), axis), 1, axis)
    probs = onehot * (1 - label_smoothing) + label_smoothing / x._data.shape[axis]
    probs = probs * np.expand_dims(t != ignore_index, axis)
    return _soft_cross_entropy(x, Tensor._make(probs), log_p, probs,
                               _class_weights(weight, x, axis), axis, reduction, 0.0)


def _class_weights(weight, x, axis):
    """Per-class weights shaped to multiply along the class axis (1 when there are none)."""
    if weight is None:
        return 1
    return operand(weight, x)._data.reshape((-1,) + (1,) * (x._data.ndim - axis - 1))


def _soft_cross_entropy(x, t, log_p, probs, w, axis, reduction, target_scale):
    """Cross-entropy against class probabilities: -sum(w p log softmax(x)) over the classes;
    target_scale is d probs / d target (1 - label_smoothing)."""
    weighted = probs * w
    losses = -(log_p * weighted).sum(axis=axis)

    def grad_x():
        return np.exp(log_p) * weighted.sum(axis=axis, keepdims=True) - weighted

    def grad_t():
        return -log_p * w * target_scale
    if reduction != "none":  # the losses with the class axis kept: grads broadcast along it
        return reduce_losses((x, t), np.expand_dims(losses, axis), (grad_x, grad_t), reduction,
                             name="cross_entropy")

    def backward(g):
        g = np.expand_dims(g, axis)
        return (g * grad_x() if x._requires_grad else None,
                g * grad_t() if t._requires_grad else None)
    return Tensor.from_op(losses, (x, t), backward)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """target (log target) * (log target - input) for log-probabilities input, as PyTorch;
    reduction 'batchmean' divides the sum by the batch size."""
    x = _input(input, "kl_div")
    t = _target(target, x, "kl_div", broadcast=True)
    td = t._data
    if log_target:
        losses = np.exp(td) * (td - x._data)
        gx, gt = (lambda: -np.exp(td)), (lambda: np.exp(td) * (td - x._data + 1))
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            losses = np.where(td > 0, td * (np.log(td) - x._data), 0).astype(td.dtype)
        gx = lambda: -td  # noqa: E731
        gt = lambda: np.where(td > 0, np.log(td) + 1 - x._data, 0)  # noqa: E731
    if reduction == "batchmean":
        out = reduce_losses((x, t), losses, (gx, gt), "sum",
                            name="kl_div")
        return out / (x._data.shape[0] if x._data.ndim else 1)
    return reduce_losses((x, t), losses, (gx, gt),
                         reduction_of(reduction, size_average, reduce, "kl_div"),
                         name="kl_div")


def soft_margin_loss(input, target, reduction="mean"):
    x = _input(input, "soft_margin_loss")
    t = _target(target, x, "soft_margin_loss", broadcast=False)
    m = -t._data * x._data
    losses = np.log1p(np.exp(-np.abs(m))) + np.maximum(m, 0)
    s = _sigmoid(m)
    return reduce_losses((x, t), losses, (lambda: -t._data * s, lambda: -x._data * s),
                         reduction_of(reduction, None, None, "soft_margin_loss"),
                         name="soft_margin_loss")
