"""Comparisons and logic, elementwise, giving bool tensors (no gradient): == != < <= > >=,
isnan, isfinite, logical and/or/not/xor, & | ^ ~; and maximum/minimum, which do have one.

`a == b` compares values, as in PyTorch; a Tensor stays hashable by identity.
"""
import numpy as np

from .. import validate
from ..tensor import Tensor, operand, unbroadcast
from .arithmetic import pair
from .return_types import returned
from .shape import gather, narrow


def _comparison(name, ufunc):
    def op(input, other):
        if not isinstance(other, (Tensor, int, float, bool, np.number, np.bool_, np.ndarray,
                                  list, tuple)):
            return NotImplemented  # `x == None` is False, as in Python
        a, b, dtype = pair(input, other)
        return Tensor._make(ufunc(a._data.astype(dtype, copy=False),
                                  b._data.astype(dtype, copy=False)))
    op.__name__ = op.__qualname__ = name
    return op


eq = _comparison("eq", np.equal)
ne = _comparison("ne", np.not_equal)
lt = _comparison("lt", np.less)
le = _comparison("le", np.less_equal)
gt = _comparison("gt", np.greater)
ge = _comparison("ge", np.greater_equal)


def _logical(name, ufunc):
    def op(input, other):
        other = operand(other, input)
        return Tensor._make(ufunc(input._data.astype(bool), other._data.astype(bool)))
    op.__name__ = op.__qualname__ = name
    return op


logical_and = _logical("logical_and", np.logical_and)
logical_or = _logical("logical_or", np.logical_or)
logical_xor = _logical("logical_xor", np.logical_xor)


def logical_not(input):
    return Tensor._make(np.logical_not(input._data))


def _bitwise(name, ufunc):
    """& | ^ of bool or integer tensors."""
    def op(input, other):
        a, b, dtype = pair(input, other)
        if dtype.kind == "f":
            raise TypeError(f"{name} is only supported for integer and bool tensors, got "
                            f"{dtype}")
        return Tensor._make(ufunc(a._data.astype(dtype, copy=False),
                                  b._data.astype(dtype, copy=False)))
    op.__name__ = op.__qualname__ = name
    return op


bitwise_and = _bitwise("bitwise_and", np.bitwise_and)
bitwise_or = _bitwise("bitwise_or", np.bitwise_or)
bitwise_xor = _bitwise("bitwise_xor", np.bitwise_xor)


def bitwise_not(input):
    if input._data.dtype.kind == "f":
        raise TypeError("~ (bitwise_not) is only supported for integer and bool tensors")
    return Tensor._make(np.invert(input._data))


def isnan(input):
    return Tensor._make(np.isnan(input._data))


def isinf(input):
    return Tensor._make(np.isinf(input._data))


def isfinite(input):
    return Tensor._make(np.isfinite(input._data))


def equal(input, other):
    """True if both have the same shape and values."""
    return input._data.shape == other._data.shape and bool(np.all(input._data == other._data))


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    a, b, _ = pair(input, other)
    return Tensor._make(np.isclose(a._data, b._data, rtol=rtol, atol=atol, equal_nan=equal_nan))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    a, b, _ = pair(input, other)
    return bool(np.allclose(a._data, b._data, rtol=rtol, atol=atol, equal_nan=equal_nan))


def _extreme(name, ufunc):
    """maximum or minimum: where the two are equal, each gets half of the gradient."""
    def op(input, other):
        a, b, dtype = pair(input, other)
        ad, bd = a._data.astype(dtype, copy=False), b._data.astype(dtype, copy=False)
        out = ufunc(ad, bd)

        def backward(g):
            a_wins = np.where(ad == bd, 0.5, (out == ad) | np.isnan(ad)).astype(g.dtype)
            return (unbroadcast(g * a_wins, a._data.shape) if a._requires_grad else None,
                    unbroadcast(g * (1 - a_wins), b._data.shape) if b._requires_grad else None)
        backward.__qualname__ = f"{name}.<locals>.backward"
        return Tensor.from_op(out, (a, b), backward)
    op.__name__ = op.__qualname__ = name
    return op


maximum = _extreme("maximum", np.maximum)
minimum = _extreme("minimum", np.minimum)


def sort(input, dim=-1, descending=False):
    """(values, indices) sorted along dim; the gradient goes back to each value's place."""
    d = validate.axis(dim, input._data.ndim)
    order = np.argsort(-input._data if descending else input._data, axis=d, kind="stable")
    values = gather(input, d, Tensor._make(order))
    return returned("sort", values, Tensor._make(order.astype(np.int64)))


def argsort(input, dim=-1, descending=False):
    return sort(input, dim, descending).indices


def topk(input, k, dim=-1, largest=True, sorted=True):
    """The k largest (or smallest) values along dim and their indices, largest first."""
    d = validate.axis(dim, input._data.ndim)
    values, indices = sort(input, d, descending=largest)
    k = validate.integer(k, "topk: k")
    return returned("topk", narrow(values, d, 0, k), narrow(indices, d, 0, k))


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct values (sorted), and optionally where each element's value is among them
    and how often each occurs, as torch.unique."""
    if dim is not None:
        raise NotImplementedError("unique(dim=...) is not supported")
    values, inverse, counts = np.unique(input._data, return_inverse=True, return_counts=True)
    out = [Tensor._make(values)]
    if return_inverse:
        out.append(Tensor._make(inverse.reshape(input._data.shape).astype(np.int64)))
    if return_counts:
        out.append(Tensor._make(counts.astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def bincount(input, weights=None, minlength=0):
    """How often each non-negative integer occurs (weighted: the sum of its weights)."""
    data = input._data
    if data.ndim != 1 or data.dtype.kind not in "iu":
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if data.size and data.min() < 0:
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    w = None if weights is None else (weights._data if isinstance(weights, Tensor)
                                      else np.asarray(weights))
    out = np.bincount(data, w, minlength)
    return Tensor._make(out.astype(np.int64) if w is None else out)


def isin(elements, test_elements, *, assume_unique=False, invert=False):
    e = elements._data if isinstance(elements, Tensor) else np.asarray(elements)
    t = test_elements._data if isinstance(test_elements, Tensor) else np.asarray(test_elements)
    return Tensor._make(np.isin(e, t, invert=invert))


def searchsorted(sorted_sequence, values, *, out_int32=False, right=False, side=None,
                 sorter=None):
    seq = sorted_sequence._data
    v = values._data if isinstance(values, Tensor) else np.asarray(values)
    side = side or ("right" if right else "left")
    if seq.ndim > 1:
        out = np.stack([np.searchsorted(s, x, side=side) for s, x in zip(seq, v)])
    else:
        out = np.searchsorted(seq, v, side=side)
    return Tensor._make(np.asarray(out, np.int32 if out_int32 else np.int64))


def kthvalue(input, k, dim=-1, keepdim=False):
    """The k-th smallest value along dim (k from 1) and its index."""
    d = validate.axis(dim, input._data.ndim)
    values, indices = sort(input, d)
    k = validate.integer(k, "kthvalue: k")
    values, indices = narrow(values, d, k - 1, 1), narrow(indices, d, k - 1, 1)
    if not keepdim:
        values, indices = values.squeeze(d), indices.squeeze(d)
    return returned("kthvalue", values, indices)


less, greater, less_equal, greater_equal, not_equal = lt, gt, le, ge, ne

METHODS = {
    "eq": eq, "ne": ne, "lt": lt, "le": le, "gt": gt, "ge": ge, "less": less, "greater": greater,
    "less_equal": less_equal, "greater_equal": greater_equal, "not_equal": not_equal,
    "__eq__": eq, "__ne__": ne, "__lt__": lt, "__le__": le, "__gt__": gt, "__ge__": ge,
    "logical_and": logical_and, "logical_or": logical_or, "logical_xor": logical_xor,
    "logical_not": logical_not, "__and__": bitwise_and, "__or__": bitwise_or,
    "__xor__": bitwise_xor, "__invert__": bitwise_not, "__rand__": bitwise_and,
    "__ror__": bitwise_or, "__rxor__": bitwise_xor, "isnan": isnan, "isinf": isinf,
    "isfinite": isfinite, "equal": equal, "isclose": isclose, "allclose": allclose,
    "maximum": maximum, "minimum": minimum, "sort": sort, "argsort": argsort, "topk": topk,
    "unique": unique, "bincount": bincount, "kthvalue": kthvalue,
}
