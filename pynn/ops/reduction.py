"""Reductions: sum, mean, max, min, argmax, std, var, prod, norm, all, any, logsumexp, cumsum.

They take PyTorch's `dim` and `keepdim` (NumPy's `axis` and `keepdims` too). max(dim) and
min(dim) return (values, indices), as in PyTorch. Sums of integers and bools are int64.
"""
import functools
import math

import numpy as np

from .. import dtypes, validate
from ..validate import ShapeError
from ..tensor import Tensor
from .comparison import maximum, minimum
from .return_types import returned
from .shape import gather, where

def _dims(x, dim, axis):
    """(axes as a tuple, whether the caller named any) from dim or its alias axis."""
    if dim is not None and axis is not None:
        raise TypeError("give dim or axis, not both")
    dim = axis if dim is None else dim
    return validate.axes(dim, x._data.ndim), dim is not None


def numpy_names(op):
    """op also taking NumPy's names for its arguments, as PyTorch does: axis for dim, keepdims
    for keepdim (x.cumsum(axis=0), x.argmax(axis=1, keepdims=True))."""
    @functools.wraps(op)
    def wrapped(input, *args, axis=None, keepdims=None, **kwargs):
        if axis is not None:
            if "dim" in kwargs:
                raise TypeError(f"{op.__name__}(): give dim or axis, not both")
            kwargs["dim"] = axis
        if keepdims is not None:
            kwargs["keepdim"] = keepdims
        return op(input, *args, **kwargs)
    return wrapped


def _keep(keepdim, keepdims):
    return validate.flag(keepdim if keepdims is None else keepdims, "keepdim")


def expand_back(grad, shape, axes, keepdim):
    """A reduction's gradient spread back over the axes it reduced."""
    if not keepdim:
        grad = np.expand_dims(grad, axes)
    return np.broadcast_to(grad, shape)


def sum(input, dim=None, keepdim=False, dtype=None, *, axis=None, keepdims=None, out=None):
    x, (axes, _), keep = input, _dims(input, dim, axis), _keep(keepdim, keepdims)
    data = x._data
    if dtype is not None:
        data = data.astype(dtypes.as_dtype(dtype))
    elif data.dtype.kind in "biu":
        data = data.astype(dtypes.int64)
    return Tensor.from_op(data.sum(axis=axes, keepdims=keep), (x,),
                          lambda g: (expand_back(g, x._data.shape, axes, keep),), saved=())


def mean(input, dim=None, keepdim=False, dtype=None, *, axis=None, keepdims=None, out=None):
    x, (axes, _), keep = input, _dims(input, dim, axis), _keep(keepdim, keepdims)
    data = x._data if dtype is None else x._data.astype(dtypes.as_dtype(dtype))
    if data.dtype.kind != "f":
        raise RuntimeError(f"mean(): could not infer output dtype. Input dtype must be either a "
                           f"floating point or complex dtype. Got: {data.dtype} (use "
                           ".float().mean())")
    count = math.prod(data.shape[i] for i in axes)
    # sum / count is what np.mean computes, without its Python-level overhead
    with np.errstate(invalid="ignore", divide="ignore"):
        out = data.sum(axis=axes, keepdims=keep) / data.dtype.type(count) if count else \
            np.full(np.sum(data, axis=axes, keepdims=keep).shape, np.nan, data.dtype)
    return Tensor.from_op(np.asarray(out, data.dtype), (x,),
                          lambda g: (expand_back(g / count, x._data.shape, axes, keep),),
                          saved=())


def _extreme(input, dim, keepdim, axis, keepdims, find, arg, name):
    """max or min: over everything (a value, its gradient shared by the elements equal to it,
    or sent to the NaN ones), or along one dim ((values, indices), the gradient to the index)."""
    x, keep = input, _keep(keepdim, keepdims)
    data = x._data
    if data.size == 0:
        raise ShapeError(f"{name}(): Expected reduction dim to be specified for input.numel() "
                           "== 0. Specify the reduction dim with the 'dim' argument.")
    dim = axis if dim is None else dim
    if dim is None:
        top = np.asarray(find(data))

        def backward(g):
            winners = np.isnan(data) if np.isnan(top) else data == top
            return (winners * (g / np.count_nonzero(winners)).astype(g.dtype),)
        backward.__qualname__ = f"{name}.<locals>.backward"
        return Tensor.from_op(top, (x,), backward)
    d = validate.axis(dim, data.ndim)
    index = np.expand_dims(arg(data, axis=d), d) if data.ndim else np.zeros((), np.int64)
    values = np.take_along_axis(data, index, d) if data.ndim else data.copy()

    def backward(g):
        grad = np.zeros(data.shape, g.dtype)
        if data.ndim:
            np.put_along_axis(grad, index, g if keep else np.expand_dims(g, d), d)
        else:
            grad[...] = g
        return (grad,)
    backward.__qualname__ = f"{name}.<locals>.backward"
    out = Tensor.from_op(values if keep or not data.ndim else values.squeeze(d), (x,), backward)
    indices = Tensor._make((index if keep or not data.ndim else index.squeeze(d))
                           .astype(dtypes.int64))
    return returned(name, out, indices)


def max(input, dim=None, keepdim=False, *, axis=None, keepdims=None, out=None):
    """The largest value, or (values, indices) along dim. max(a, b) of two tensors is
    maximum(a, b), as torch.max."""
    if isinstance(dim, Tensor):
        return maximum(input, dim)
    return _extreme(input, dim, keepdim, axis, keepdims, np.max, np.argmax, "max")


def min(input, dim=None, keepdim=False, *, axis=None, keepdims=None, out=None):
    """The smallest value, or (values, indices) along dim; min(a, b) is minimum(a, b)."""
    if isinstance(dim, Tensor):
        return minimum(input, dim)
    return _extreme(input, dim, keepdim, axis, keepdims, np.min, np.argmin, "min")


def amax(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """The largest value over dims (all by default); ties share the gradient equally."""
    x, (axes, _), keep = input, _dims(input, dim, axis), _keep(keepdim, keepdims)
    data = x._data
    if 0 in [data.shape[a] for a in axes]:
        raise ShapeError(f"amax(): Expected reduction dim {axes} to have non-zero size")
    top = data.max(axis=axes, keepdims=True)

    def backward(g):
        winners = (data == top) | (np.isnan(data) & np.isnan(top))
        share = winners / winners.sum(axis=axes, keepdims=True, dtype=g.dtype)
        return (share * expand_back(g, data.shape, axes, keep),)
    return Tensor.from_op(top if keep else top.squeeze(axis=axes), (x,), backward)


def amin(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    return -amax(-input, dim, keepdim, axis=axis, keepdims=keepdims)


def _arg(name, np_arg):
    """argmax or argmin: the index of the extreme value (of the flattened tensor if dim is
    None), as int64."""
    def op(input, dim=None, keepdim=False):
        data = input._data
        if dim is None:
            return Tensor._make(np.asarray(np_arg(data), dtypes.int64))
        d = validate.axis(dim, data.ndim)
        return Tensor._make(np_arg(data, axis=d, keepdims=validate.flag(keepdim, "keepdim"))
                            .astype(dtypes.int64))
    op.__name__ = op.__qualname__ = name
    return numpy_names(op)


argmax = _arg("argmax", np.argmax)
argmin = _arg("argmin", np.argmin)


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None,
        keepdims=None):
    """The variance over dim, divided by n - correction (1 unless unbiased=False), as torch."""
    if isinstance(dim, bool):  # var(x, False): the old positional `unbiased`
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise TypeError("var: give unbiased or correction, not both")
    ddof = correction if correction is not None else (0 if unbiased is False else 1)
    x, (axes, _), keep = input, _dims(input, dim, axis), _keep(keepdim, keepdims)
    count = math.prod(x._data.shape[i] for i in axes)
    centred = x - mean(x, axes, keepdim=True)
    total = sum(centred * centred, axes, keepdim=keep)
    return total / (count - ddof) if count - ddof > 0 else total * float("nan")


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None,
        keepdims=None):
    return var(input, dim, unbiased, keepdim, correction=correction, axis=axis,
               keepdims=keepdims) ** 0.5


@numpy_names
def prod(input, dim=None, keepdim=False, dtype=None):
    x = input
    data = x._data if dtype is None else x._data.astype(dtypes.as_dtype(dtype))
    if data.dtype.kind in "biu" and dtype is None:
        data = data.astype(dtypes.int64)
    axes = validate.axes(dim, data.ndim)
    keep = validate.flag(keepdim, "keepdim")
    out = np.prod(data, axis=axes, keepdims=keep)

    def backward(g):
        # the product of the others: out / x where x != 0, computed directly where x == 0
        full = np.prod(data, axis=axes, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            others = np.where(data != 0, full / data, 0)
        zeros = data == 0
        if zeros.any():
            for index in zip(*np.nonzero(zeros)):
                masked = data.copy()
                masked[index] = 1
                others[index] = np.prod(masked, axis=axes, keepdims=True)[
                    tuple(0 if a in axes else i for a, i in enumerate(index))]
        return ((others * expand_back(g, data.shape, axes, keep)).astype(g.dtype),)
    return Tensor.from_op(out, (x,), backward)


@numpy_names
def norm(input, p="fro", dim=None, keepdim=False):
    """The p-norm over dim (all elements by default): p=2 ('fro'), 1, inf or any positive p."""
    if p in ("fro", 2, 2.0, None):
        return sqrt_sum_squares(input, dim, keepdim)
    if p in (float("inf"), "inf"):
        return amax(input.abs(), dim, keepdim)
    p = validate.number(p, "norm: p")
    if p == 1:
        return sum(input.abs(), dim, keepdim)
    return sum(input.abs() ** p, dim, keepdim) ** (1 / p)


def sqrt_sum_squares(input, dim, keepdim):
    """The Euclidean norm, its gradient x / norm (0 where the norm is 0, as in PyTorch)."""
    x = input
    data = x._data if x._data.dtype.kind == "f" else x._data.astype(dtypes.get_default_dtype())
    axes, keep = validate.axes(dim, data.ndim), validate.flag(keepdim, "keepdim")
    out = np.sqrt(np.sum(data * data, axis=axes, keepdims=True))

    def backward(g):
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(out == 0, 0, data / out)
        return ((share * expand_back(g, data.shape, axes, keep)).astype(g.dtype),)
    return Tensor.from_op(out if keep else out.squeeze(axis=axes), (x,), backward)


@numpy_names
def logsumexp(input, dim, keepdim=False):
    """log(sum(exp(x))) along dim, computed from x - max so that it cannot overflow."""
    x = input
    axes, keep = validate.axes(dim, x._data.ndim), validate.flag(keepdim, "keepdim")
    top = np.max(x._data, axis=axes, keepdims=True)
    top = np.where(np.isfinite(top), top, 0)
    with np.errstate(divide="ignore"):
        out = np.log(np.sum(np.exp(x._data - top), axis=axes, keepdims=True)) + top

    def backward(g):
        return (np.exp(x._data - out) * expand_back(g, x._data.shape, axes, keep),)
    return Tensor.from_op(out if keep else out.squeeze(axis=axes), (x,), backward)


@numpy_names
def cumsum(input, dim, dtype=None):
    x = input
    d = validate.axis(dim, x._data.ndim)
    data = x._data if dtype is None else x._data.astype(dtypes.as_dtype(dtype))
    if data.dtype.kind in "biu" and dtype is None:
        data = data.astype(dtypes.int64)

    def backward(g):
        return (np.flip(np.cumsum(np.flip(g, d), axis=d), d),)
    return Tensor.from_op(np.cumsum(data, axis=d) if data.ndim else data.copy(), (x,), backward,
                          saved=())


def all(input, dim=None, keepdim=False, *, axis=None, keepdims=None, out=None):
    (axes, _), keep = _dims(input, dim, axis), _keep(keepdim, keepdims)
    return Tensor._make(np.asarray(np.all(input._data, axis=axes, keepdims=keep)))


def any(input, dim=None, keepdim=False, *, axis=None, keepdims=None, out=None):
    (axes, _), keep = _dims(input, dim, axis), _keep(keepdim, keepdims)
    return Tensor._make(np.asarray(np.any(input._data, axis=axes, keepdims=keep)))


@numpy_names
def count_nonzero(input, dim=None):
    axes = validate.axes(dim, input._data.ndim)
    return Tensor._make(np.asarray(np.count_nonzero(input._data, axis=axes), dtypes.int64))


@numpy_names
def cumprod(input, dim, dtype=None):
    """Running products along dim; the gradient sums, for each element, the later products
    divided by it (computed without division where an element is zero)."""
    x = input
    d = validate.axis(dim, x._data.ndim)
    data = x._data if dtype is None else x._data.astype(dtypes.as_dtype(dtype))
    if data.dtype.kind in "biu" and dtype is None:
        data = data.astype(dtypes.int64)
    out = np.cumprod(data, axis=d) if data.ndim else data.copy()

    def backward(g):
        if not data.ndim:
            return (g,)
        moved, gm = np.moveaxis(data, d, -1), np.moveaxis(g, d, -1)
        n = moved.shape[-1]
        grad = np.zeros(moved.shape, g.dtype)
        for i in range(n):  # d out_j / d x_i = prod(x_k, k <= j, k != i) for j >= i
            others = moved.copy()
            others[..., i] = 1
            partial = np.cumprod(others, axis=-1)[..., i:]
            grad[..., i] = (partial * gm[..., i:]).sum(axis=-1)
        return (np.moveaxis(grad, -1, d),)
    return Tensor.from_op(out, (x,), backward)


@numpy_names
def median(input, dim=None, keepdim=False):
    """The lower median (of all elements, or (values, indices) along dim), as torch.median:
    an element of the input, so the gradient goes to that one element."""
    data = input._data
    if dim is None:
        flat = data.reshape(-1)
        if not flat.size:
            return Tensor._make(np.asarray(np.nan, data.dtype))
        k = (flat.size - 1) // 2
        index = np.argsort(flat, kind="stable")[k]
        return input.reshape(-1)[int(index)]
    d = validate.axis(dim, data.ndim)
    k = (data.shape[d] - 1) // 2 if data.ndim else 0
    order = np.argsort(data, axis=d, kind="stable") if data.ndim else np.zeros((), np.int64)
    index = np.take(order, [k], axis=d) if data.ndim else order
    values = gather(input, d, Tensor._make(index)) if data.ndim else input
    keep = validate.flag(keepdim, "keepdim")
    if not keep and data.ndim:
        values, index = values.squeeze(d), index.squeeze(d)
    return returned("median", values, Tensor._make(np.asarray(index, dtypes.int64)))


@numpy_names
def nansum(input, dim=None, keepdim=False, *, dtype=None):
    return sum(where(input.isnan(), 0, input), dim, keepdim, dtype)


@numpy_names
def nanmean(input, dim=None, keepdim=False, *, dtype=None):
    """The mean of the non-NaN elements."""
    count = sum(~input.isnan(), dim, keepdim)
    return nansum(input, dim, keepdim, dtype=dtype) / count


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return (var(input, dim, unbiased, keepdim, correction=correction),
            mean(input, dim, keepdim))


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return (std(input, dim, unbiased, keepdim, correction=correction),
            mean(input, dim, keepdim))


def aminmax(input, *, dim=None, keepdim=False):
    return returned("aminmax", amin(input, dim, keepdim), amax(input, dim, keepdim),
                    fields=("min", "max"))


def dist(input, other, p=2):
    """The p-norm of input - other."""
    return norm(input - other, p)


def mode(input, dim=-1, keepdim=False):
    """The most frequent value along dim (the smallest of ties) and an index of it."""
    data = input._data
    d = validate.axis(dim, data.ndim)
    moved = np.moveaxis(data, d, -1)
    flat = moved.reshape(-1, moved.shape[-1]) if moved.ndim else moved.reshape(1, 1)
    values = np.empty(len(flat), data.dtype)
    indices = np.empty(len(flat), np.int64)
    for r, row in enumerate(flat):
        uniques, counts = np.unique(row, return_counts=True)
        values[r] = uniques[np.argmax(counts)]
        indices[r] = np.nonzero(row == values[r])[0][-1]
    shape = moved.shape[:-1]
    index = indices.reshape(shape)
    picked = gather(input, d, Tensor._make(np.expand_dims(index, d)))
    keep = validate.flag(keepdim, "keepdim")
    return returned("mode", picked if keep else picked.squeeze(d),
                         Tensor._make(np.expand_dims(index, d) if keep else index))



_OPS = [sum, mean, max, min, amax, amin, argmax, argmin, var, std, prod, norm, logsumexp,
        cumsum, all, any, count_nonzero, cumprod, median, nansum, nanmean, var_mean,
        std_mean, aminmax, dist, mode]
METHODS = {op.__name__: op for op in _OPS}
