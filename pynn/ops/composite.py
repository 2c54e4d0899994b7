"""Ops of PyTorch's tensor API made of pynn's core ops: distances (cdist), splits and stacks
(tensor_split, hsplit, dstack, atleast_2d, rot90, kron, cartesian_prod), running and order
statistics (cummax, logcumsumexp, quantile, histc, cov, corrcoef) and a few elementwise
functions (logaddexp, xlogy, asinh, deg2rad, heaviside, ...).

Each is written in terms of the differentiable ops below it, so its gradient is theirs: nothing
here has a backward of its own. Integer results (indices, counts, bins) carry no gradient.
"""
import builtins
import itertools
import math
import warnings

import numpy as np

from .. import dtypes, validate
from ..tensor import Tensor, inplace_method, no_grad, operand
from ..validate import ShapeError
from .arithmetic import atan2, div, mul, neg, sub
from .comparison import (bitwise_and, bitwise_not, bitwise_or, bitwise_xor, eq, ge, gt, isnan,
                         le, logical_and, logical_not, logical_or, logical_xor, lt, maximum, ne,
                         sort)
from .creation import _made
from .elementwise import _from_input, abs as abs_, log, sqrt
from .reduction import cumprod, cumsum, mean, norm, sum
from .return_types import returned
from .shape import cat, flip, gather, meshgrid, narrow, stack, transpose, tril, triu, where


def _tensor(x, like=None):
    """x as a Tensor: a number becomes one of like's dtype, as a binary op's operand."""
    return operand(x, like if isinstance(like, Tensor) else None)


# ---- creation --------------------------------------------------------------------------------

def range(start=0, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    """start, start + step, ... up to and including end, in the default float dtype: the
    deprecated torch.range (arange stops before end)."""
    warnings.warn("torch.range is deprecated and will be removed in a future release because "
                  "its behavior is inconsistent with Python's range builtin. Instead, use "
                  "torch.arange, which produces values in [start, end).", UserWarning,
                  stacklevel=2)
    if end is None:
        start, end = 0, start
    start, end, step = (v.item() if isinstance(v, Tensor) else v for v in (start, end, step))
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    count = int(math.floor((end - start) / step)) + 1
    dt = dtypes.get_default_dtype() if dtype is None else dtypes.as_dtype(dtype)
    array = (start + step * np.arange(count, dtype=np.float64)).astype(dt)
    return _made(array, requires_grad, device)


def tril_indices(row, col, offset=0, *, dtype=None, device=None):
    """The (2, N) row and column indices of the lower triangle of a row x col matrix."""
    rows, cols = np.tril_indices(validate.integer(row, "tril_indices: row"),
                                 validate.integer(offset, "tril_indices: offset"),
                                 validate.integer(col, "tril_indices: col"))
    return _made(np.stack([rows, cols]).astype(dtypes.as_dtype(dtype or dtypes.int64)), False,
                 device)


def triu_indices(row, col, offset=0, *, dtype=None, device=None):
    """The (2, N) row and column indices of the upper triangle of a row x col matrix."""
    rows, cols = np.triu_indices(validate.integer(row, "triu_indices: row"),
                                 validate.integer(offset, "triu_indices: offset"),
                                 validate.integer(col, "triu_indices: col"))
    return _made(np.stack([rows, cols]).astype(dtypes.as_dtype(dtype or dtypes.int64)), False,
                 device)


# ---- distances -------------------------------------------------------------------------------

def cdist(x1, x2, p=2.0, compute_mode=None):
    """The p-norm distance between each row of x1 (..., P, M) and each row of x2 (..., R, M):
    a (..., P, R) tensor."""
    if x1.dim() < 2 or x2.dim() < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X1 got: {x1.dim()}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: "
                           f"{x1.shape[-1]} X2: {x2.shape[-1]}")
    if not (x1.is_floating_point() and x2.is_floating_point()):
        raise RuntimeError("cdist only supports floating-point dtypes, X1 got: "
                           f"{'pynn.' + str(x1.dtype)}")
    p = validate.number(p, "cdist: p")
    if p < 0:
        raise RuntimeError(f"cdist only supports non-negative p values, got {p}")
    diff = x1.unsqueeze(-2) - x2.unsqueeze(-3)
    if p == 0:
        return (diff != 0).sum(-1).to(diff.dtype)
    return norm(diff, p, dim=-1)


# ---- splits and stacks -----------------------------------------------------------------------

def tensor_split(input, indices_or_sections, dim=0):
    """input cut along dim into n nearly equal parts (the first size % n one longer), or at
    the given indices: views, as split's."""
    d = validate.axis(dim, input.dim())
    size = input.shape[d]
    if isinstance(indices_or_sections, Tensor):
        indices_or_sections = indices_or_sections.tolist()
    if isinstance(indices_or_sections, (int, np.integer)) and not isinstance(
            indices_or_sections, bool):
        n = int(indices_or_sections)
        if n <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {n}")
        small, extra = divmod(size, n)
        bounds = [0]
        for i in builtins.range(n):
            bounds.append(bounds[-1] + small + (1 if i < extra else 0))
    else:
        cuts = [validate.integer(i, "tensor_split: index") for i in indices_or_sections]
        bounds = [0] + cuts + [size]
    pieces = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        lo, hi = (min(max(b + size if b < 0 else b, 0), size) for b in (lo, hi))
        pieces.append(narrow(input, d, lo, max(hi - lo, 0)))
    return tuple(pieces)


def _split_along(name, input, sections, dim, least):
    if input.dim() < least:
        raise RuntimeError(f"torch.{name} requires a tensor with at least {least} dimension, "
                           f"but got a tensor with {input.dim()} dimensions!")
    if isinstance(sections, (int, np.integer)) and input.shape[dim] % sections:
        raise RuntimeError(f"torch.{name} attempted to split along dimension {dim}, but the "
                           f"size of the dimension {input.shape[dim]} is not divisible by the "
                           f"split_size {sections}!")
    return tensor_split(input, sections, dim)


def hsplit(input, indices_or_sections):
    """tensor_split along the columns (dim 1; dim 0 of a 1-D tensor)."""
    return _split_along("hsplit", input, indices_or_sections, 1 if input.dim() > 1 else 0, 1)


def vsplit(input, indices_or_sections):
    """tensor_split along the rows (dim 0) of a tensor of 2 or more dims."""
    return _split_along("vsplit", input, indices_or_sections, 0, 2)


def dsplit(input, indices_or_sections):
    """tensor_split along the depth (dim 2) of a tensor of 3 or more dims."""
    return _split_along("dsplit", input, indices_or_sections, 2, 3)


def _at_least(shape_of, tensors):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        return tuple(_at_least(shape_of, tuple(tensors[0])))
    out = tuple(t.reshape(shape_of(tuple(t.shape))) for t in tensors)
    return out[0] if len(out) == 1 else out


def atleast_1d(*tensors):
    """Each tensor with at least 1 dim (a scalar becomes shape (1,))."""
    return _at_least(lambda s: s or (1,), tensors)


def atleast_2d(*tensors):
    """Each tensor with at least 2 dims: (n,) becomes (1, n)."""
    return _at_least(lambda s: (1,) * (2 - len(s)) + s if len(s) < 2 else s, tensors)


def atleast_3d(*tensors):
    """Each tensor with at least 3 dims: (n,) becomes (1, n, 1), (m, n) becomes (m, n, 1)."""
    def shape_of(s):
        return {0: (1, 1, 1), 1: (1,) + s + (1,), 2: s + (1,)}.get(len(s), s)
    return _at_least(shape_of, tensors)


def dstack(tensors):
    """The tensors joined along their third dim (each made at least 3-D first)."""
    return cat([atleast_3d(t) for t in tensors], 2)


def rot90(input, k=1, dims=(0, 1)):
    """input rotated by k quarter turns in the plane of dims, from the first towards the
    second."""
    dims = list(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    d0, d1 = (validate.axis(d, input.dim()) for d in dims)
    if d0 == d1:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {d0} and "
                           f"dim1 = {d1}")
    k = validate.integer(k, "rot90: k") % 4
    if k == 1:
        return transpose(flip(input, [d1]), d0, d1)
    if k == 2:
        return flip(input, [d0, d1])
    if k == 3:
        return transpose(flip(input, [d0]), d0, d1)
    return input.clone()


def kron(input, other):
    """The Kronecker product: each element of input times the whole of other, in blocks."""
    a, b = input, other
    n = max(a.dim(), b.dim())
    sa = (1,) * (n - a.dim()) + tuple(a.shape)
    sb = (1,) * (n - b.dim()) + tuple(b.shape)
    spread_a = [s for pair in zip(sa, (1,) * n) for s in pair]
    spread_b = [s for pair in zip((1,) * n, sb) for s in pair]
    product = a.reshape(spread_a) * b.reshape(spread_b)
    return product.reshape([x * y for x, y in zip(sa, sb)])


def cartesian_prod(*tensors):
    """Every combination of one element from each 1-D tensor, as the rows of a matrix."""
    for t in tensors:
        if t.dim() != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    grids = meshgrid(*tensors, indexing="ij")
    return stack([g.reshape(-1) for g in grids], 1)


def combinations(input, r=2, with_replacement=False):
    """The r-element combinations of a 1-D tensor's elements, as the rows of a matrix (as
    itertools.combinations)."""
    if input.dim() != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(input.shape)}")
    pick = itertools.combinations_with_replacement if with_replacement else \
        itertools.combinations
    rows = list(pick(builtins.range(input.shape[0]), r))
    if not rows:
        return input[:0]
    index = Tensor._make(np.asarray(rows, dtype=np.int64))
    return input[index]


def take_along_dim(input, indices, dim=None):
    """The elements of input at indices along dim (of the flattened input when dim is None),
    the two broadcast against each other elsewhere."""
    if dim is None:
        return input.reshape(-1)[indices.reshape(-1)]
    d = validate.axis(dim, input.dim())
    if input.dim() != indices.dim():
        raise RuntimeError("torch.take_along_dim(): input and indices should have the same "
                           f"number of dimensions, but got {input.dim()} dimensions for input, "
                           f"and {indices.dim()} dimensions for indices")
    shape_in, shape_idx = list(input.shape), list(indices.shape)
    common = list(np.broadcast_shapes(tuple(s for i, s in enumerate(shape_in) if i != d),
                                      tuple(s for i, s in enumerate(shape_idx) if i != d)))
    want_in = common[:d] + [shape_in[d]] + common[d:]
    want_idx = common[:d] + [shape_idx[d]] + common[d:]
    return gather(input.expand(*want_in), d, indices.expand(*want_idx))


def diagflat(input, offset=0):
    """A square matrix with input's flattened elements on its offset-th diagonal."""
    from .linalg import diag
    return diag(input.reshape(-1), offset)


# ---- running and order statistics ------------------------------------------------------------

def _running(name, input, dim, better):
    """(values, indices) of the running max or min along dim; a tie takes the later index,
    as in PyTorch."""
    d = validate.axis(dim, input.dim())
    data = np.moveaxis(input._data, d, -1) if input.dim() else input._data.reshape(1)
    index = np.zeros(data.shape, dtype=np.int64)
    if data.shape[-1]:
        best = data[..., 0].copy()
        for i in builtins.range(1, data.shape[-1]):
            x = data[..., i]
            take = better(x, best) | (np.isnan(x) & ~np.isnan(best))
            take &= ~np.isnan(best)
            best = np.where(take, x, best)
            index[..., i] = np.where(take, i, index[..., i - 1])
    index = np.moveaxis(index, -1, d) if input.dim() else index.reshape(())
    indices = Tensor._make(np.ascontiguousarray(index))
    values = gather(input, d, indices) if input.dim() else input.clone()
    return returned(name, values, indices)


def cummax(input, dim):
    """(values, indices): the largest element so far along dim, and where it is."""
    return _running("cummax", input, dim, np.greater_equal)


def cummin(input, dim):
    """(values, indices): the smallest element so far along dim, and where it is."""
    return _running("cummin", input, dim, np.less_equal)


def logcumsumexp(input, dim):
    """log(cumsum(exp(x))) along dim, shifted by the maximum so that it cannot overflow."""
    d = validate.axis(dim, input.dim())
    with no_grad():
        top = input.amax(dim=d, keepdim=True) if input.dim() else input.clone()
        top = where(top.isfinite(), top, top.new_zeros(()))
    return log(cumsum((input - top).exp(), d)) + top


_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear"):
    """The q-th quantiles of input along dim (of all its elements when dim is None), q a
    number or a 1-D tensor in [0, 1]; the q dimension, if any, comes first."""
    if not input.is_floating_point():
        raise RuntimeError("quantile() input tensor must be either float or double dtype")
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError("quantile() interpolation must be one of linear, lower, higher, "
                           f"midpoint or nearest. Got {interpolation}")
    scalar_q = not isinstance(q, Tensor)
    qs = np.atleast_1d(np.asarray(q.tolist() if isinstance(q, Tensor) else q, dtype=np.float64))
    if qs.ndim > 1:
        raise RuntimeError("quantile() q must be a scalar or 1D tensor")
    if isinstance(q, Tensor) and q.dim() == 0:
        scalar_q = True
    if ((qs < 0) | (qs > 1)).any():
        raise RuntimeError("quantile() q values must be in the range [0, 1]")
    x = input.reshape(-1) if dim is None else input
    d = 0 if dim is None else validate.axis(dim, input.dim())
    n = x.shape[d] if x.dim() else 1
    if n == 0:
        raise RuntimeError("quantile() input tensor must be non-empty")
    ordered = sort(x, d).values if x.dim() else x.reshape(1)
    out = []
    for qv in qs:
        rank = qv * (n - 1)
        lo, hi = int(math.floor(rank)), int(math.ceil(rank))
        if interpolation == "lower":
            hi = lo
        elif interpolation == "higher":
            lo = hi
        elif interpolation == "nearest":
            lo = hi = int(np.round(rank))
        low = narrow(ordered, d, lo, 1) if x.dim() else ordered
        high = narrow(ordered, d, hi, 1) if x.dim() else ordered
        if interpolation == "midpoint":
            value = (low + high) * 0.5 if lo != hi else low
        elif lo == hi:
            value = low
        else:
            value = low + (high - low) * (rank - lo)
        if dim is None:
            value = value.reshape([1] * input.dim()) if keepdim else value.reshape(())
        elif not keepdim:
            value = value.squeeze(d)
        out.append(value)
    return out[0] if scalar_q else stack(out, 0)


def nanquantile(input, q, dim=None, keepdim=False, *, interpolation="linear"):
    """quantile ignoring NaNs: of all elements (dim None) or along dim with no NaN left in
    any row's count (rows that are all NaN give NaN)."""
    if dim is None:
        flat = input.reshape(-1)
        kept = flat[~isnan(flat)]
        if kept.numel() == 0:
            return quantile(flat, q, None, keepdim, interpolation=interpolation) * np.nan
        out = quantile(kept, q, None, False, interpolation=interpolation)
        return out.reshape([1] * input.dim()) if keepdim and out.dim() == 0 else out
    if not isnan(input).any():
        return quantile(input, q, dim, keepdim, interpolation=interpolation)
    raise NotImplementedError("nanquantile along a dim with NaNs: pynn supports dim=None")


def histc(input, bins=100, min=0, max=0):
    """The counts of input's elements in `bins` equal bins over [min, max] (the data's range
    when both are 0); elements outside are left out. Same float dtype as input."""
    if not input.is_floating_point():
        raise RuntimeError(f"\"histogram_cpu\" not implemented for '"
                           f"{str(input.dtype).capitalize().replace('Int64', 'Long')}'")
    bins = validate.integer(bins, "histc: bins")
    if bins <= 0:
        raise RuntimeError("torch.histc(): bins must be > 0, but got %d for dim 0" % bins)
    data = input._data.reshape(-1)
    lo, hi = float(min), float(max)
    if lo == hi and data.size:
        lo, hi = float(data.min()), float(data.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if lo > hi:
        raise RuntimeError("torch.histc(): max must be larger than min")
    counts, _ = np.histogram(data[np.isfinite(data)], bins=bins, range=(lo, hi))
    return Tensor._make(counts.astype(input._data.dtype))


def bucketize(input, boundaries, *, out_int32=False, right=False):
    """For each element, the index of the bucket of the sorted 1-D boundaries it falls in:
    boundaries[i-1] < x <= boundaries[i] (right=False) or boundaries[i-1] <= x < boundaries[i]
    (right=True)."""
    if boundaries.dim() != 1:
        raise RuntimeError("boundaries tensor must be 1 dimension, but got dim("
                           f"{boundaries.dim()})")
    values = input._data if isinstance(input, Tensor) else np.asarray(input)
    out = np.searchsorted(boundaries._data, values, side="right" if right else "left")
    return Tensor._make(np.asarray(out, np.int32 if out_int32 else np.int64))


def cov(input, *, correction=1, fweights=None, aweights=None):
    """The covariance matrix of the variables in input's rows, observed in its columns (a 1-D
    input is one variable: its variance)."""
    if fweights is not None or aweights is not None:
        raise NotImplementedError("cov: fweights and aweights are not supported by pynn")
    if input.dim() > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an "
                           f"input with {input.dim()} dimensions")
    x = input if input.dim() == 2 else input.reshape(1, -1)
    x = x if x.is_floating_point() else x.to(dtypes.get_default_dtype())
    n = x.shape[1]
    centred = x - mean(x, 1, keepdim=True)
    out = (centred @ centred.t()) / builtins.max(n - correction, 0)
    return out.reshape(()) if input.dim() < 2 else out


def corrcoef(input):
    """Pearson's correlation coefficients of the variables in input's rows."""
    c = cov(input)
    if c.dim() == 0:
        return c / c
    d = sqrt(c.diagonal())
    return (c / d.unsqueeze(1) / d.unsqueeze(0)).clamp(-1, 1)


# ---- elementwise -----------------------------------------------------------------------------

asinh = _from_input("asinh", np.arcsinh, lambda x: 1 / np.sqrt(x * x + 1))
acosh = _from_input("acosh", np.arccosh, lambda x: 1 / np.sqrt(x * x - 1))
atanh = _from_input("atanh", np.arctanh, lambda x: 1 / (1 - x * x))


def deg2rad(input):
    return _floating(input) * (math.pi / 180)


def rad2deg(input):
    return _floating(input) * (180 / math.pi)


def _floating(x):
    return x if x.is_floating_point() else x.to(dtypes.get_default_dtype())


def logaddexp(input, other):
    """log(exp(input) + exp(other)), computed without overflow."""
    a, b = _tensor(input), _tensor(other, input)
    with no_grad():
        top = maximum(a, b)
        top = where(top.isfinite(), top, top.new_zeros(()))
    return log((a - top).exp() + (b - top).exp()) + top


def logaddexp2(input, other):
    """log2(2**input + 2**other), computed without overflow."""
    ln2 = math.log(2.0)
    return logaddexp(input * ln2, _tensor(other, input) * ln2) / ln2


def xlogy(input, other):
    """input * log(other), 0 where input is 0 (even where other is 0 or NaN-free inf)."""
    x = _tensor(input, other)
    y = _tensor(other, x)
    x, y = _floating(x), _floating(y)
    zero = (x == 0) & ~isnan(y)
    safe = where(zero, y.new_ones(()), y)
    return where(zero, x.new_zeros(()), x * log(safe))


def heaviside(input, values):
    """0 where input < 0, 1 where input > 0, values where input is 0 (no gradient)."""
    v = _tensor(values, input)
    if input.dtype != v.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes")
    data = np.where(input._data == 0, v._data, (input._data > 0).astype(input._data.dtype))
    return Tensor._make(np.asarray(data, dtype=input._data.dtype))


def fmax(input, other):
    """The larger of the two, elementwise; where one is NaN, the other."""
    other = _tensor(other, input)
    return where(isnan(other), input, where(isnan(input), other, maximum(input, other)))


def fmin(input, other):
    """The smaller of the two, elementwise; where one is NaN, the other."""
    return -fmax(-input, -_tensor(other, input))


def copysign(input, other):
    """|input| with the sign of other (its sign bit: -0.0 counts as negative)."""
    other = _tensor(other, input)
    sign = Tensor._make(np.where(np.signbit(other._data), -1.0, 1.0).astype(
        dtypes.promote(_floating(input).dtype, other.dtype) if other.is_floating_point()
        else _floating(input).dtype))
    return _floating(input).abs() * sign


def sinc(input):
    """sin(pi x) / (pi x), 1 at 0."""
    x = _floating(input)
    zero = x == 0
    safe = where(zero, x.new_ones(()), x) * math.pi
    return where(zero, x.new_ones(()), safe.sin() / safe)


def inner(input, other):
    """The sum of products over the last dims of the two (a product when one is a number)."""
    if input.dim() == 0 or other.dim() == 0:
        return input * other
    if input.shape[-1] != other.shape[-1]:
        raise RuntimeError(f"inner() the last dimension must match on both input tensors but "
                           f"got shapes {list(input.shape)} and {list(other.shape)}")
    return tensordot(input, other, dims=([-1], [-1]))


def tensordot(a, b, dims=2):
    """The sum of products of a and b over dims: the last `dims` of a with the first `dims`
    of b, or the listed dims of each."""
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, (int, np.integer)):
        n = int(dims)
        if n < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={n}")
        da, db = list(builtins.range(a.dim() - n, a.dim())), list(builtins.range(n))
    else:
        da, db = ([d] if isinstance(d, int) else list(d) for d in dims)
    da = [validate.axis(d, a.dim()) for d in da]
    db = [validate.axis(d, b.dim()) for d in db]
    if len(da) != len(db):
        raise RuntimeError("both dimension lists should have same length")
    for x, y in zip(da, db):
        if a.shape[x] != b.shape[y]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size "
                               f"{a.shape[x]} in dim {x} and second has size {b.shape[y]} in "
                               f"dim {y}")
    free_a = [d for d in builtins.range(a.dim()) if d not in da]
    free_b = [d for d in builtins.range(b.dim()) if d not in db]
    k = int(np.prod([a.shape[d] for d in da])) if da else 1
    left = a.permute(*(free_a + da)).reshape(-1, k)
    right = b.permute(*(db + free_b)).reshape(k, -1)
    return (left @ right).reshape([a.shape[d] for d in free_a] + [b.shape[d] for d in free_b])


# ---- Tensor methods of the tensor-basics demos ------------------------------------------------

def fill_diagonal_(input, fill_value, wrap=False):
    """The main diagonal set to fill_value, in place (every dim of the same size, or 2-D;
    wrap continues below a tall matrix's square, as NumPy's fill_diagonal)."""
    def filled(x, value):
        data = x._data.copy()
        if data.ndim < 2:
            raise RuntimeError(f"dimensions must larger than 1, got {data.ndim}")
        if data.ndim > 2 and len(set(data.shape)) != 1:
            raise RuntimeError("all dimensions of input must be of equal length")
        np.fill_diagonal(data, value, wrap=wrap)
        mask = np.zeros(data.shape, bool)
        np.fill_diagonal(mask, True, wrap=wrap)
        return where(Tensor._make(mask), x.new_full((), value), x)
    return inplace_method(filled)(input, fill_value)


def index_copy(input, dim, index, source):
    """A copy of input with the slices at index along dim replaced by source's."""
    d = validate.axis(dim, input.dim())
    idx = index._data.reshape(-1) if isinstance(index, Tensor) else np.asarray(index).ravel()
    picks = [slice(None)] * input.dim()
    picks[d] = Tensor._make(idx.astype(np.int64))
    from .shape import index_put
    return index_put(input, tuple(picks), source)


def index_put_(input, indices, values, accumulate=False):
    """input[indices] = values in place (accumulate adds them, repeated indices adding up)."""
    def put(x, v):
        from .shape import index_put
        if not accumulate:
            return index_put(x, tuple(indices), v)
        zeros = x.new_zeros(x.shape)
        data = np.zeros(x.shape, x._data.dtype)
        key = tuple(i._data if isinstance(i, Tensor) else i for i in indices)
        np.add.at(data, key, np.broadcast_to(_tensor(v, x)._data, data[key].shape))
        return x + (zeros + Tensor._make(data))
    return inplace_method(put)(input, values)


def masked_scatter(input, mask, source):
    """A copy of input with the places where mask holds filled, in order, from source's
    elements."""
    m = np.broadcast_to(mask._data if isinstance(mask, Tensor) else np.asarray(mask),
                        tuple(input.shape))
    count = int(m.sum())
    if source.numel() < count:
        raise RuntimeError("masked_scatter: expected source to have at least as many elements "
                           f"as ones in mask ({count}), got {source.numel()}")
    from .shape import index_put
    return index_put(input, Tensor._make(np.ascontiguousarray(m)), source.reshape(-1)[:count])


def unfold(input, dimension, size, step):
    """The windows of `size` elements, `step` apart, along dimension, as a new last dim."""
    d = validate.axis(dimension, builtins.max(input.dim(), 1))
    length = input.shape[d] if input.dim() else 1
    if size > length:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {length} but size is "
                           f"{size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    count = (length - size) // step + 1
    x = input.reshape(1) if input.dim() == 0 else input
    windows = stack([narrow(x, d, i * step, size) for i in builtins.range(count)], d)
    return windows.movedim(d + 1, -1)


def sum_to_size(input, *size):
    """input summed over the dims it was broadcast along from size."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    from ..tensor import unbroadcast
    try:
        np.broadcast_shapes(tuple(size), tuple(input.shape))
    except ValueError:
        raise RuntimeError(f"size {{{list(size)}}} is not expandable to size "
                           f"{{{list(input.shape)}}}.") from None
    lead = input.dim() - len(size)
    out = input.sum(tuple(builtins.range(lead))) if lead > 0 else input
    stretched = tuple(i for i, s in enumerate(size) if s == 1 and out.shape[i] != 1)
    return out.sum(stretched, keepdim=True) if stretched else out


def msort(input):
    """input sorted along its first dim."""
    return sort(input, 0).values


def nanmedian(input, dim=None, keepdim=False):
    """The lower median, NaNs left out (NaN only where every value is NaN)."""
    from .reduction import median
    if dim is None:
        flat = input.reshape(-1)
        kept = flat[~isnan(flat)]
        return median(kept) if kept.numel() else flat[:1].reshape(()) * np.nan
    if not isnan(input).any():
        return median(input, dim, keepdim)
    raise NotImplementedError("nanmedian along a dim with NaNs: pynn supports dim=None")


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """The values of input with consecutive repeats collapsed (of the flattened input)."""
    if dim is not None:
        raise NotImplementedError("unique_consecutive(dim=...) is not supported by pynn")
    flat = input._data.reshape(-1)
    if flat.size == 0:
        starts = np.zeros(0, np.int64)
    else:
        starts = np.concatenate([[0], np.nonzero(flat[1:] != flat[:-1])[0] + 1])
    values = Tensor._make(flat[starts].copy())
    out = [values]
    if return_inverse:
        group = np.zeros(flat.size, np.int64)
        group[starts[1:]] = 1
        out.append(Tensor._make(np.cumsum(group).reshape(input._data.shape)))
    if return_counts:
        out.append(Tensor._make(np.diff(np.append(starts, flat.size)).astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def new(input, *args):
    """The legacy x.new(...): a tensor of x's dtype from data (a list) or of the given sizes
    (uninitialised in PyTorch; zeros here)."""
    from ..tensor import tensor
    if len(args) == 1 and isinstance(args[0], (list, tuple, np.ndarray, Tensor)):
        data = args[0]._data if isinstance(args[0], Tensor) else args[0]
        if isinstance(args[0], tuple) and builtins.all(isinstance(a, int) for a in args[0]):
            return Tensor._make(np.zeros(args[0], input._data.dtype))
        return tensor(data, dtype=input.dtype)
    return Tensor._make(np.zeros(tuple(args), input._data.dtype))


def is_nonzero(input):
    if input.numel() != 1:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous"
                           if input.numel() else
                           "Boolean value of Tensor with no values is ambiguous")
    return bool(input._data.reshape(-1)[0])


def is_signed(input):
    return input._data.dtype.kind in "fi"


def _adjoint(input):
    return input.transpose(-2, -1) if input.dim() >= 2 else input


METHODS = {
    "tensor_split": tensor_split, "hsplit": hsplit, "vsplit": vsplit, "dsplit": dsplit,
    "rot90": rot90, "kron": kron, "take_along_dim": take_along_dim, "diagflat": diagflat,
    "cummax": cummax, "cummin": cummin, "logcumsumexp": logcumsumexp, "quantile": quantile,
    "nanquantile": nanquantile, "histc": histc, "cov": cov, "corrcoef": corrcoef,
    "asinh": asinh, "acosh": acosh, "atanh": atanh, "arcsinh": asinh, "arccosh": acosh,
    "arctanh": atanh, "deg2rad": deg2rad, "rad2deg": rad2deg, "logaddexp": logaddexp,
    "logaddexp2": logaddexp2, "xlogy": xlogy, "heaviside": heaviside, "fmax": fmax,
    "fmin": fmin, "copysign": copysign, "sinc": sinc, "inner": inner,
    "arctan2": atan2, "fill_diagonal_": fill_diagonal_, "index_copy": index_copy,
    "index_put_": index_put_, "masked_scatter": masked_scatter, "unfold": unfold,
    "sum_to_size": sum_to_size, "msort": msort, "nanmedian": nanmedian,
    "unique_consecutive": unique_consecutive, "new": new, "is_nonzero": is_nonzero,
    "is_signed": is_signed, "mH": property(_adjoint), "H": property(_adjoint),
    "adjoint": _adjoint, "bitwise_and": bitwise_and, "bitwise_or": bitwise_or,
    "bitwise_xor": bitwise_xor, "bitwise_not": bitwise_not,
}
METHODS.update({f"{name}_": inplace_method(METHODS[name])
                for name in ("asinh", "acosh", "atanh", "arcsinh", "arccosh", "arctanh",
                             "deg2rad", "rad2deg", "xlogy", "copysign", "sinc", "arctan2",
                             "index_copy", "masked_scatter", "bitwise_and", "bitwise_or",
                             "bitwise_xor", "bitwise_not")})
METHODS.update({f"{name}_": inplace_method(op) for name, op in (
    ("tril", tril), ("triu", triu), ("divide", div), ("multiply", mul), ("subtract", sub),
    ("true_divide", div), ("negative", neg), ("absolute", abs_), ("cumsum", cumsum),
    ("cumprod", cumprod), ("logical_and", logical_and), ("logical_or", logical_or),
    ("logical_xor", logical_xor), ("logical_not", logical_not), ("eq", eq), ("ne", ne),
    ("lt", lt), ("le", le), ("gt", gt), ("ge", ge), ("swapaxes", transpose),
    ("swapdims", transpose), ("greater", gt), ("greater_equal", ge), ("less", lt),
    ("less_equal", le), ("not_equal", ne))})
