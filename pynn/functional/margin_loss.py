"""The ranking, margin and likelihood losses of torch.nn.functional: margin_ranking_loss,
hinge_embedding_loss, cosine_embedding_loss, triplet_margin_loss, multi_margin_loss,
multilabel_soft_margin_loss, poisson_nll_loss and gaussian_nll_loss.

Each is written with pynn's differentiable ops, as PyTorch defines it, so its gradient is
theirs; reduction ('mean', 'sum', 'none') and the deprecated size_average/reduce are read as
for every loss.
"""
import math

from ..ops.creation import one_hot
from ..tensor import Tensor, tensor
from .activation import logsigmoid
from .distance import pairwise_distance
from .loss import reduction_of


def _as_tensor(x, like=None):
    if isinstance(x, Tensor):
        return x
    return tensor(x, dtype=like.dtype) if like is not None else tensor(x)


def _reduced(losses, reduction):
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    return losses


def _floating(x, name):
    if not x.is_floating_point():
        raise RuntimeError(f"{name}: expected a floating-point input, got {x.dtype} (use "
                           ".float())")
    return x


def margin_ranking_loss(input1, input2, target, margin=0.0, size_average=None, reduce=None,
                        reduction="mean"):
    """max(0, -target * (input1 - input2) + margin): target 1 wants input1 ranked higher, -1
    input2."""
    reduction = reduction_of(reduction, size_average, reduce, "margin_ranking_loss")
    x1, x2 = _floating(_as_tensor(input1), "margin_ranking_loss"), _as_tensor(input2, input1)
    y = _as_tensor(target, x1)
    if not (x1.dim() == x2.dim() == y.dim()):
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same "
                           f"dimension but got sizes: input1: {x1.shape}, input2: {x2.shape}, "
                           f"target: {y.shape} ")
    return _reduced((-y * (x1 - x2) + margin).clamp(min=0), reduction)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None,
                         reduction="mean"):
    """input where target is 1, max(0, margin - input) where target is -1."""
    reduction = reduction_of(reduction, size_average, reduce, "hinge_embedding_loss")
    x = _floating(_as_tensor(input), "hinge_embedding_loss")
    y = _as_tensor(target, x)
    zeros = x.new_zeros(())
    pushed = (margin - x).clamp(min=0).where(y != 1, zeros)
    kept = x.where(y != -1, zeros)
    return _reduced(pushed + kept, reduction)


def cosine_embedding_loss(input1, input2, target, margin=0.0, size_average=None, reduce=None,
                          reduction="mean"):
    """1 - cos(input1, input2) where target is 1, max(0, cos - margin) where it is -1."""
    reduction = reduction_of(reduction, size_average, reduce, "cosine_embedding_loss")
    x1, x2 = _floating(_as_tensor(input1), "cosine_embedding_loss"), _as_tensor(input2, input1)
    y = _as_tensor(target, x1)
    if x1.shape != x2.shape:
        raise RuntimeError(f"cosine_embedding_loss: the inputs must have the same shape, got "
                           f"{list(x1.shape)} and {list(x2.shape)}")
    dim = x1.dim() - 1
    eps = 1e-12
    products = (x1 * x2).sum(dim)
    norms = ((x1 * x1).sum(dim) + eps) * ((x2 * x2).sum(dim) + eps)
    cos = products / norms.sqrt()
    zeros = cos.new_zeros(())
    losses = (1 - cos).where(y == 1, zeros) + (cos - margin).clamp(min=0).where(y == -1, zeros)
    return _reduced(losses, reduction)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False,
                        size_average=None, reduce=None, reduction="mean"):
    """max(0, d(anchor, positive) - d(anchor, negative) + margin), d the p-norm distance (with
    swap, d(anchor, negative) is the smaller of it and d(positive, negative))."""
    reduction = reduction_of(reduction, size_average, reduce, "triplet_margin_loss")
    a = _floating(_as_tensor(anchor), "triplet_margin_loss")
    pos, neg = _as_tensor(positive, a), _as_tensor(negative, a)
    if not (a.dim() == pos.dim() == neg.dim()):
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have "
                           f"the same number of dimensions, but got: anchor {a.dim()}D, "
                           f"positive {pos.dim()}D, and negative {neg.dim()}D inputs")
    d_pos = pairwise_distance(a, pos, p, eps)
    d_neg = pairwise_distance(a, neg, p, eps)
    if swap:
        d_neg = d_neg.minimum(pairwise_distance(pos, neg, p, eps))
    return _reduced((margin + d_pos - d_neg).clamp(min=0), reduction)


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None,
                      reduce=None, reduction="mean"):
    """The multi-class hinge loss: for each sample, the mean over the classes i other than
    its own y of max(0, margin - x[y] + x[i]) ** p (times weight[y])."""
    reduction = reduction_of(reduction, size_average, reduce, "multi_margin_loss")
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    x = _floating(_as_tensor(input), "multi_margin_loss")
    rows = x if x.dim() == 2 else x.reshape(1, -1)
    y = _as_tensor(target).reshape(-1).long()
    if y.shape[0] != rows.shape[0]:
        raise RuntimeError(f"inconsistent target size: {list(_as_tensor(target).shape)} for "
                           f"input of size: {list(x.shape)}")
    own = rows.gather(1, y.unsqueeze(1))
    margins = (margin - own + rows).clamp(min=0)
    if p == 2:
        margins = margins * margins
    if weight is not None:
        margins = margins * _as_tensor(weight, x)[y].unsqueeze(1)
    others = 1 - one_hot(y, rows.shape[1]).to(rows.dtype)
    losses = (margins * others).sum(1) / rows.shape[1]
    return _reduced(losses if x.dim() == 2 else losses.reshape(()), reduction)


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None,
                                reduction="mean"):
    """Per sample, the mean over the classes of the binary cross-entropy of sigmoid(input)
    against the 0/1 target (times weight)."""
    reduction = reduction_of(reduction, size_average, reduce, "multilabel_soft_margin_loss")
    x = _floating(_as_tensor(input), "multilabel_soft_margin_loss")
    y = _as_tensor(target, x)
    losses = -(y * logsigmoid(x) + (1 - y) * logsigmoid(-x))
    if weight is not None:
        losses = losses * _as_tensor(weight, x)
    losses = losses.sum(dim=x.dim() - 1) / x.shape[-1]
    return _reduced(losses, reduction)


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8,
                     reduce=None, reduction="mean"):
    """The negative log-likelihood of target under Poisson(rate): exp(input) - target * input
    when input is the log-rate (log_input), else input - target * log(input + eps); full adds
    Stirling's approximation of log(target!) where target > 1."""
    reduction = reduction_of(reduction, size_average, reduce, "poisson_nll_loss")
    x = _floating(_as_tensor(input), "poisson_nll_loss")
    y = _as_tensor(target, x)
    losses = x.exp() - y * x if log_input else x - y * (x + eps).log()
    if full:
        safe = y.where(y > 1, y.new_ones(()))
        stirling = safe * safe.log() - safe + 0.5 * (2 * math.pi * safe).log()
        losses = losses + stirling.where(y > 1, y.new_zeros(()))
    return _reduced(losses, reduction)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """The negative log-likelihood of target under N(input, var): 0.5 (log(var) + (input -
    target)^2 / var), var clamped below at eps (the clamp passes the gradient through, as in
    PyTorch); full adds 0.5 log(2 pi)."""
    reduction = reduction_of(reduction, None, None, "gaussian_nll_loss")
    x = _floating(_as_tensor(input), "gaussian_nll_loss")
    y, v = _as_tensor(target, x), _as_tensor(var, x)
    if v.shape != x.shape:
        if x.shape[:-1] == v.shape:
            v = v.unsqueeze(-1)
        elif not (x.shape[:-1] == v.shape[:-1] and v.shape[-1] == 1) and v.numel() != 1:
            raise ValueError("var is of incorrect size")
    if (v._data < 0).any():
        raise ValueError("var has negative entry/entries")
    v = v + (v.clamp(min=eps) - v).detach()
    losses = 0.5 * (v.log() + (x - y) ** 2 / v)
    if full:
        losses = losses + 0.5 * math.log(2 * math.pi)
    return _reduced(losses, reduction)
