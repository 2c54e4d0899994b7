"""Shapes and indexing: view/reshape, flatten, squeeze, unsqueeze, transpose, permute, expand,
repeat, cat, stack, split, flip, indexing (x[i], x[i] = v), gather, where, masked_fill.

A result that NumPy gives as a view of the input's memory is a view in pynn too: it shares the
input's version count, so an in-place change through either is seen by backward. Gradients go
back through the inverse of each shape change.
"""
import math

import numpy as np

from .. import dtypes, validate
from ..tensor import (Tensor, inplace, inplace_method, is_grad_enabled, no_grad, operand, tensor,
                      unbroadcast)
from .arithmetic import pair
from ..validate import ShapeError


def _view(x, out, backward, name=None):
    """The result of a shape op: a view of x when NumPy made one (it shares x's memory); name:
    the op its grad_fn names, when not the caller's (view, unsqueeze: all are reshapes)."""
    if name is not None:
        backward.__qualname__ = f"{name}.<locals>.backward"
    is_view = out.base is not None and np.may_share_memory(out, x._data)
    return Tensor.from_op(out, (x,), backward, saved=(), view_of=x if is_view else None)


def _sizes(shape, name):
    """view(2, 3), view((2, 3)) or view([2, 3]) as a tuple of ints (-1 allowed once)."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return tuple(validate.integer(s, f"{name}: size") for s in shape)


def reshape(input, *shape):
    """The same values in a new shape: reshape(2, 3) or reshape((2, 3)); one size may be -1."""
    return _reshaped(input, _sizes(shape, "reshape"), "view")


def _reshaped(x, shape, name):
    try:
        out = x._data.reshape(shape)
    except ValueError:
        raise ShapeError(f"shape '{list(shape)}' is invalid for input of size "
                           f"{x._data.size}") from None
    return _view(x, out, lambda g: (g.reshape(x._data.shape),), name)


def view(input, *shape):
    """reshape; view(dtype) is not supported."""
    if len(shape) == 1 and not isinstance(shape[0], (int, np.integer, tuple, list)):
        raise TypeError("view(dtype) is not supported by pynn; use .to(dtype)")
    return reshape(input, *shape)


def view_as(input, other):
    return reshape(input, other._data.shape)


def flatten(input, start_dim=0, end_dim=-1):
    """Dimensions start_dim..end_dim merged into one."""
    shape = input._data.shape
    if not shape:
        return reshape(input, 1)
    s, e = validate.axis(start_dim, len(shape)), validate.axis(end_dim, len(shape))
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    return reshape(input, shape[:s] + (math.prod(shape[s:e + 1]),) + shape[e + 1:])


def unflatten(input, dim, sizes):
    shape = input._data.shape
    d = validate.axis(dim, len(shape))
    return reshape(input, shape[:d] + tuple(sizes) + shape[d + 1:])


def squeeze(input, dim=None):
    """Dimensions of size 1 removed (only `dim` if given, and only if it is 1)."""
    shape = input._data.shape
    if dim is None:
        new = tuple(n for n in shape if n != 1)
    else:
        dims = validate.axes(dim, len(shape))
        new = tuple(n for i, n in enumerate(shape) if not (i in dims and n == 1))
    return _reshaped(input, new, "squeeze")


def unsqueeze(input, dim):
    """A dimension of size 1 inserted at dim (negative counts from the end of the result)."""
    shape = input._data.shape
    d = validate.axis(dim, len(shape) + 1)
    return _reshaped(input, shape[:d] + (1,) + shape[d:], "unsqueeze")


def permute(input, *dims, name="permute"):
    """The dimensions reordered: permute(2, 0, 1)."""
    x, dims = input, _sizes(dims, "permute")
    axes = [validate.axis(d, x._data.ndim) for d in dims]
    if sorted(axes) != list(range(x._data.ndim)):
        raise ShapeError(f"permute(sparse_coo): number of dimensions in the tensor input does "
                           f"not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {x._data.ndim} is not equal to len(dims) = "
                           f"{len(dims)}" if len(axes) != x._data.ndim else
                           f"permute(): duplicate dims are not allowed in {list(dims)}")
    inverse = np.argsort(axes)
    return _view(x, x._data.transpose(axes), lambda g: (g.transpose(inverse),), name)


def transpose(input, dim0, dim1):
    """Two dimensions swapped, as torch.transpose."""
    axes = list(range(input._data.ndim))
    i, j = validate.axis(dim0, len(axes)), validate.axis(dim1, len(axes))
    axes[i], axes[j] = axes[j], axes[i]
    return permute(input, axes, name="transpose")


def t(input):
    """The transpose of a matrix (a 0-d or 1-D tensor as it is), as torch.t."""
    if input._data.ndim > 2:
        raise ShapeError(f"t() expects a tensor with <= 2 dimensions, but self is "
                           f"{input._data.ndim}D")
    return permute(input, (1, 0), name="t") if input._data.ndim == 2 else input


def _reversed_dims(input):
    return permute(input, list(range(input._data.ndim))[::-1])


def _last_two(input):
    return transpose(input, -2, -1)


def expand(input, *sizes):
    """The tensor broadcast to sizes (-1 keeps a size), without copying."""
    x, sizes = input, _sizes(sizes, "expand")
    shape = x._data.shape
    lead = len(sizes) - len(shape)
    if lead < 0:
        raise ShapeError(f"expand: the number of sizes provided ({len(sizes)}) must be greater "
                           f"or equal to the number of dimensions in the tensor ({len(shape)})")
    target = tuple(shape[i - lead] if s == -1 and i >= lead else s for i, s in enumerate(sizes))
    try:
        out = np.broadcast_to(x._data, target)
    except ValueError:
        raise ShapeError(f"The expanded size of the tensor ({list(target)}) must match the "
                           f"existing size ({list(shape)}) at non-singleton dimensions") from None
    return Tensor.from_op(out, (x,), lambda g: (unbroadcast(g, shape),), saved=(), view_of=x)


def expand_as(input, other):
    return expand(input, other._data.shape)


def repeat(input, *sizes):
    """The tensor tiled sizes times along each dimension, as torch.repeat."""
    x, sizes = input, _sizes(sizes, "repeat")
    shape = x._data.shape
    if len(sizes) < len(shape):
        raise ShapeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    full = (1,) * (len(sizes) - len(shape)) + shape
    out = np.tile(x._data.reshape(full), sizes)

    def backward(g):
        split = g.reshape(tuple(v for pair in zip(sizes, full) for v in pair))
        return (split.sum(axis=tuple(range(0, 2 * len(full), 2))).reshape(shape),)
    return Tensor.from_op(out, (x,), backward, saved=())


def flip(input, dims):
    dims = validate.axes(dims, input._data.ndim)
    return Tensor.from_op(np.flip(input._data, dims).copy(), (input,),
                          lambda g: (np.flip(g, dims),), saved=())


def roll(input, shifts, dims=None):
    out = np.roll(input._data, shifts, dims)
    back = tuple(-s for s in shifts) if isinstance(shifts, (tuple, list)) else -shifts
    return Tensor.from_op(out, (input,), lambda g: (np.roll(g, back, dims),), saved=())


def cat(tensors, dim=0, *, axis=None):
    """Tensors joined along an existing dimension (their dtypes promoted)."""
    tensors = _sequence(tensors, "cat")
    dim = axis if axis is not None else dim
    ndim = tensors[0]._data.ndim
    if ndim == 0:
        raise ShapeError("zero-dimensional tensor (at position 0) cannot be concatenated")
    d = validate.axis(dim, ndim)
    dtype = _common_dtype(tensors)
    for i, t in enumerate(tensors):
        if t._data.ndim != ndim or t._data.shape[:d] + t._data.shape[d + 1:] != \
                tensors[0]._data.shape[:d] + tensors[0]._data.shape[d + 1:]:
            raise ShapeError(f"Sizes of tensors must match except in dimension {d}. Expected "
                               f"size {list(tensors[0].shape)} but got size {list(t.shape)} for "
                               f"tensor number {i} in the list.")
    out = np.concatenate([t._data.astype(dtype, copy=False) for t in tensors], axis=d)
    bounds = np.cumsum([t._data.shape[d] for t in tensors])[:-1]

    def backward(g):
        return tuple(np.split(g, bounds, axis=d))
    return Tensor.from_op(out, tuple(tensors), backward, saved=())


def stack(tensors, dim=0, *, axis=None):
    """Tensors of one shape joined along a new dimension."""
    tensors = _sequence(tensors, "stack")
    dim = axis if axis is not None else dim
    shape = tensors[0]._data.shape
    for i, t in enumerate(tensors):
        if t._data.shape != shape:
            raise ShapeError(f"stack expects each tensor to be equal size, but got "
                               f"{list(shape)} at entry 0 and {list(t.shape)} at entry {i}")
    d = validate.axis(dim, len(shape) + 1)
    dtype = _common_dtype(tensors)
    out = np.stack([t._data.astype(dtype, copy=False) for t in tensors], axis=d)
    return Tensor.from_op(out, tuple(tensors),
                          lambda g: tuple(np.moveaxis(g, d, 0)), saved=())


def hstack(tensors):
    tensors = _sequence(tensors, "hstack")
    return cat(tensors, 0 if tensors[0]._data.ndim == 1 else 1)


def vstack(tensors):
    tensors = [t if t._data.ndim > 1 else reshape(t, 1, -1) for t in _sequence(tensors, "vstack")]
    return cat(tensors, 0)


def _sequence(tensors, name):
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{name}(): argument 'tensors' must be a tuple or list of Tensors, not "
                        f"{type(tensors).__name__}")
    if not tensors:
        raise RuntimeError(f"{name}(): expected a non-empty list of Tensors")
    return [t if isinstance(t, Tensor) else tensor(t) for t in tensors]


def _common_dtype(tensors):
    dtype = tensors[0]._data.dtype
    for t in tensors[1:]:
        dtype = dtypes.promote(dtype, t._data.dtype)
    return dtype


def split(input, split_size_or_sections, dim=0):
    """Pieces of split_size along dim (the last may be smaller), or of the given sizes."""
    d = validate.axis(dim, input._data.ndim)
    n = input._data.shape[d]
    if isinstance(split_size_or_sections, (list, tuple)):
        sizes = [validate.integer(s, "split: size") for s in split_size_or_sections]
        if sum(sizes) != n:
            raise ShapeError(f"split_with_sizes expects split_sizes to sum exactly to {n} "
                               f"(input tensor's size at dimension {d}), but got "
                               f"split_sizes={sizes}")
    else:
        size = validate.positive_int(split_size_or_sections, "split: split_size")
        sizes = [min(size, n - start) for start in range(0, n, size)] or [0]
    pieces, start = [], 0
    for size in sizes:
        pieces.append(narrow(input, d, start, size))
        start += size
    return tuple(pieces)


def chunk(input, chunks, dim=0):
    n = input._data.shape[validate.axis(dim, input._data.ndim)]
    chunks = validate.positive_int(chunks, "chunk: chunks")
    return split(input, max(1, math.ceil(n / chunks)), dim)


def unbind(input, dim=0):
    d = validate.axis(dim, input._data.ndim)
    return tuple(select(input, d, i) for i in range(input._data.shape[d]))


def narrow(input, dim, start, length):
    d = validate.axis(dim, input._data.ndim)
    index = (slice(None),) * d + (slice(start, start + length),)
    return getitem(input, index)


def select(input, dim, index):
    d = validate.axis(dim, input._data.ndim)
    return getitem(input, (slice(None),) * d + (index,))


# ---- indexing -----------------------------------------------------------------------------------

def _index(index):
    """A Tensor index (or tuple of them) as arrays NumPy indexes with, copied: backward must
    scatter with the index forward used, even if the caller's array changes afterwards."""
    if isinstance(index, tuple):
        return tuple(_index(i) for i in index)
    if isinstance(index, Tensor):
        return index._data.copy()
    if isinstance(index, np.ndarray):
        return index.copy()
    if isinstance(index, list):
        return np.asarray([i._data if isinstance(i, Tensor) else i for i in index])
    return index


def getitem(input, index):
    """NumPy indexing (ints, slices, None, Ellipsis, integer and bool tensors or arrays); the
    gradient is scattered back, adding up where an index repeats."""
    x, index = input, _index(index)
    try:
        out = x._data[index]
    except IndexError as exc:
        raise IndexError(str(exc)) from None

    def backward(g):
        grad = np.zeros(x._data.shape, g.dtype)
        np.add.at(grad, index, g)
        return (grad,)
    kinds = index if isinstance(index, tuple) else (index,)
    name = ("index" if any(isinstance(i, (np.ndarray, list)) for i in kinds) else
            "slice" if any(isinstance(i, slice) for i in kinds) else "select")
    return _view(x, np.asarray(out), backward, name)


def index_put(input, index, values):
    """A copy of input with input[index] = values (differentiable in both)."""
    x, index = input, _index(index)
    v = operand(values, x)
    out = x._data.copy()
    # PyTorch drops the value's leading 1s that the target lacks: x[i] = net(row) with a (1, 1)
    # output writes into a single element.
    value, target = v._data, out[index].shape
    while value.ndim > len(target) and value.shape[0] == 1:
        value = value[0]
    out[index] = value

    def backward(g):
        gx = None
        if x._requires_grad:
            gx = g.copy()
            gx[index] = 0
        gv = None
        if v._requires_grad:
            gv = unbroadcast(np.asarray(g[index]), value.shape).reshape(v._data.shape)
        return gx, gv
    return Tensor.from_op(out, (x, v), backward, saved=())


def setitem(self, index, value):
    """x[index] = value, in place."""
    inplace(self, index_put, index, value)


def gather(input, dim, index):
    """input's values at index along dim, as torch.gather."""
    d = validate.axis(dim, input._data.ndim)
    idx = _index(index)
    out = np.take_along_axis(input._data, idx, d)

    def backward(g):
        grad = np.zeros(input._data.shape, g.dtype)
        np.add.at(grad, tuple(idx if a == d else np.indices(idx.shape)[a]
                              for a in range(idx.ndim)), g)
        return (grad,)
    return Tensor.from_op(out, (input,), backward, saved=())


def index_select(input, dim, index):
    d = validate.axis(dim, input._data.ndim)
    return getitem(input, (slice(None),) * d + (_index(index).reshape(-1),))


def where(condition, input=None, other=None):
    """Elements of input where condition holds, else of other (as torch.where); where(cond)
    alone gives the indices where it holds."""
    cond = condition._data if isinstance(condition, Tensor) else np.asarray(condition)
    if input is None and other is None:
        return tuple(Tensor._make(i.astype(dtypes.int64)) for i in np.nonzero(cond))
    a, b, dtype = pair(input, other)
    out = np.where(cond, a._data.astype(dtype, copy=False), b._data.astype(dtype, copy=False))

    def backward(g):
        return (unbroadcast(np.where(cond, g, 0).astype(g.dtype), a._data.shape)
                if a._requires_grad else None,
                unbroadcast(np.where(cond, 0, g).astype(g.dtype), b._data.shape)
                if b._requires_grad else None)
    return Tensor.from_op(out, (a, b), backward, saved=())


def masked_fill(input, mask, value):
    """A copy of input with value where mask holds."""
    return where(mask, value, input)


def pad(input, pad, mode="constant", value=0.0):
    """Padding of the last dimensions: pad = (left, right) for the last, then (top, bottom) for
    the one before, ..., as F.pad; mode 'constant' (value), 'reflect', 'replicate'."""
    if len(pad) % 2 or len(pad) // 2 > input._data.ndim:
        raise ShapeError(f"Padding length must be divisible by 2 and at most twice the number "
                           f"of dimensions, got {len(pad)}")
    widths = [(0, 0)] * input._data.ndim
    for i in range(len(pad) // 2):
        widths[-1 - i] = (pad[2 * i], pad[2 * i + 1])
    if any(a < 0 or b < 0 for a, b in widths):
        raise NotImplementedError("pynn's pad takes non-negative padding only")
    modes = {"constant": "constant", "reflect": "reflect", "replicate": "edge",
             "circular": "wrap"}
    if mode not in modes:
        raise NotImplementedError(f"pad: mode {mode!r} is not supported; use one of "
                                  f"{sorted(modes)}")
    kwargs = {"constant_values": value} if mode == "constant" else {}
    out = np.pad(input._data, widths, mode=modes[mode], **kwargs)
    inner = tuple(slice(a, a + n) for (a, _), n in zip(widths, input._data.shape))
    if mode == "constant":
        return Tensor.from_op(out, (input,), lambda g: (g[inner],), saved=())

    def backward(g):  # reflected and repeated values send their gradients back to the source
        index = np.pad(np.arange(input._data.size).reshape(input._data.shape), widths,
                       mode=modes[mode])
        grad = np.zeros(input._data.size, g.dtype)
        np.add.at(grad, index.reshape(-1), g.reshape(-1))
        return (grad.reshape(input._data.shape),)
    return Tensor.from_op(out, (input,), backward, saved=())


def tril(input, diagonal=0):
    keep = np.tril(np.ones(input._data.shape[-2:], bool), diagonal)
    return where(Tensor._make(keep), input, 0)


def triu(input, diagonal=0):
    keep = np.triu(np.ones(input._data.shape[-2:], bool), diagonal)
    return where(Tensor._make(keep), input, 0)


# ---- more selection and layout (nonzero, masked_select, scatter, tile, meshgrid, ...) -----------

def nonzero(input, *, as_tuple=False):
    """The indices of the non-zero elements: one row per element (int64), or a tuple of index
    tensors with as_tuple=True."""
    found = np.nonzero(input._data) if input._data.ndim else np.nonzero(input._data.reshape(1))
    if as_tuple:
        return tuple(Tensor._make(i.astype(dtypes.int64)) for i in found)
    return Tensor._make(np.stack(found, axis=1).astype(dtypes.int64) if input._data.ndim
                        else np.zeros((int(bool(input._data)), 0), dtypes.int64))


def argwhere(input):
    return nonzero(input)


def masked_select(input, mask):
    """The elements of input where mask (broadcast to it) holds, as a 1-D tensor."""
    m = mask._data if isinstance(mask, Tensor) else np.asarray(mask)
    if m.dtype.kind != "b":
        raise RuntimeError(f"masked_select: expected BoolTensor for mask, got {m.dtype}")
    try:
        shape = np.broadcast_shapes(m.shape, input._data.shape)
    except ValueError:
        raise ShapeError(f"The size of tensor a ({input._data.shape}) must match the size of "
                         f"tensor b ({m.shape})") from None
    x = expand(input, shape) if input._data.shape != shape else input
    return getitem(x, np.broadcast_to(m, shape))


def take(input, index):
    """input's elements at the given flat indices (the shape of index)."""
    return getitem(reshape(input, -1), index)


def diagonal(input, offset=0, dim1=0, dim2=1):
    """The diagonal at offset of the matrices in dims dim1 and dim2 (appended as the last
    dimension), as torch.diagonal."""
    d1, d2 = validate.axis(dim1, input._data.ndim), validate.axis(dim2, input._data.ndim)
    offset, shape = validate.integer(offset, "diagonal: offset"), input._data.shape
    return Tensor.from_op(np.diagonal(input._data, offset, d1, d2).copy(), (input,),
                          lambda g: (_diagonal_grad(g, shape, offset, d1, d2),), saved=())


def _diagonal_grad(g, shape, offset, d1, d2):
    """The gradient of np.diagonal: g written back on the diagonal it took."""
    grad = np.zeros(shape, g.dtype)
    n = g.shape[-1]
    rows = np.arange(n) + max(-offset, 0)
    cols = np.arange(n) + max(offset, 0)
    moved = np.moveaxis(grad, (d1, d2), (-2, -1))
    moved[..., rows, cols] = g
    return grad


def broadcast_to(input, size):
    return expand(input, size)


def broadcast_tensors(*tensors):
    shape = np.broadcast_shapes(*(t._data.shape for t in tensors))
    return tuple(expand(t, shape) for t in tensors)


def ravel(input):
    return reshape(input, -1)


def tile(input, dims):
    """input repeated dims times along each dimension (dims padded with 1s in front)."""
    dims = tuple(dims) if isinstance(dims, (tuple, list)) else (dims,)
    ndim = input._data.ndim
    if len(dims) < ndim:
        dims = (1,) * (ndim - len(dims)) + dims
    return repeat(input, *dims)


def repeat_interleave(input, repeats, dim=None, *, output_size=None):
    """Each element repeated `repeats` times (along dim; flattened when dim is None)."""
    x = reshape(input, -1) if dim is None else input
    d = 0 if dim is None else validate.axis(dim, x._data.ndim)
    counts = repeats._data if isinstance(repeats, Tensor) else repeats
    index = np.repeat(np.arange(x._data.shape[d]), counts)
    return index_select(x, d, Tensor._make(index))


def movedim(input, source, destination):
    """Dimensions moved from source to destination, the others kept in order."""
    ndim = input._data.ndim
    src = [validate.axis(s, ndim) for s in (source if isinstance(source, (tuple, list))
                                            else [source])]
    dst = [validate.axis(s, ndim) for s in (destination if isinstance(destination, (tuple, list))
                                            else [destination])]
    order = [n for n in range(ndim) if n not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return permute(input, order)


def meshgrid(*tensors, indexing=None):
    """Coordinate grids of 1-D tensors, as torch.meshgrid (indexing 'ij' by default, with
    PyTorch's warning when it is not given; 'xy' swaps the first two)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        import warnings
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the "
                      "indexing argument.", UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise ValueError(f"torch.meshgrid: indexing must be one of 'xy' or 'ij', but received: "
                         f"{indexing}")
    tensors = [t if isinstance(t, Tensor) else tensor(t) for t in tensors]
    n = len(tensors)
    sizes = [t._data.size for t in tensors]
    if indexing == "xy" and n >= 2:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    grids = []
    for i, t in enumerate(tensors):
        axis_of = i if indexing == "ij" or n < 2 or i > 1 else 1 - i
        shape = [1] * n
        shape[axis_of] = t._data.size
        grids.append(expand(reshape(t, shape), sizes))
    return tuple(grids)


def column_stack(tensors):
    tensors = [t if t._data.ndim > 1 else reshape(t, -1, 1) for t in _sequence(tensors,
                                                                               "column_stack")]
    return cat(tensors, 1)


def fliplr(input):
    return flip(input, 1)


def flipud(input):
    return flip(input, 0)


def diff(input, n=1, dim=-1, prepend=None, append=None):
    """Differences of neighbours along dim, n times."""
    x = input
    d = validate.axis(dim, x._data.ndim)
    if prepend is not None or append is not None:
        x = cat([t for t in (prepend, x, append) if t is not None], d)
    for _ in range(validate.integer(n, "diff: n")):
        length = x._data.shape[d]
        x = narrow(x, d, 1, length - 1) - narrow(x, d, 0, length - 1)
    return x


def inplace_shape(op):
    """x.squeeze_() and its kin: x takes the new shape in place (the same memory), for a tensor
    outside the graph (or under no_grad)."""
    def method(self, *args, **kwargs):
        if self._requires_grad and is_grad_enabled():
            raise RuntimeError(f"{op.__name__}_: pynn changes the shape of a tensor in place "
                               f"only outside the graph; use x = x.{op.__name__}(...)")
        with no_grad():
            self._data = op(self, *args, **kwargs)._data
        return self
    method.__name__ = method.__qualname__ = f"{op.__name__}_"
    return method


def _resize(self, *sizes, memory_format=None):
    """x.resize_(5, 1): x takes the shape in place, its values kept in order (as PyTorch, whose
    extra elements are uninitialised: here zeros; the surplus dropped when it shrinks)."""
    shape = _sizes(sizes, "resize_")
    if any(n < 0 for n in shape):
        raise RuntimeError(f"Trying to create tensor with negative dimension: {list(shape)}")
    if self._requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    flat = self._data.reshape(-1)
    size = int(np.prod(shape, dtype=np.int64))
    if size != flat.size:
        flat = np.concatenate([flat[:size], np.zeros(max(size - flat.size, 0), flat.dtype)])
    self._data = flat.reshape(shape)
    return self


def _scatter_index(idx, d):
    """The full index of a scatter along d: idx there, the position elsewhere."""
    grid = np.indices(idx.shape)
    return tuple(idx if a == d else grid[a] for a in range(idx.ndim))


def scatter(input, dim, index, src=None, *, value=None, reduce=None):
    """A copy of input with src's values (or `value`) written at index along dim, as
    torch.scatter: out[index[i][j]][j] = src[i][j] for dim 0."""
    d = validate.axis(dim, input._data.ndim)
    idx = _index(index)
    if reduce is not None:
        raise NotImplementedError("scatter(reduce=...) is not supported; use scatter_add")
    if src is None:
        src = value
    if src is None:
        raise TypeError("scatter(): expected src (a tensor) or value (a number)")
    full = _scatter_index(idx, d)
    s = operand(src, input)
    out = input._data.copy()
    src_values = s._data if s._data.ndim == 0 else s._data[tuple(slice(0, n) for n in idx.shape)]
    out[full] = src_values

    def backward(g):
        gx = g.copy()
        gx[full] = 0
        gs = None
        if s._requires_grad:
            gs = np.zeros(s._data.shape, g.dtype)
            if s._data.ndim:
                gs[tuple(slice(0, n) for n in idx.shape)] = g[full]
            else:
                gs = np.asarray(g[full].sum(), g.dtype)
        return gx, gs
    return Tensor.from_op(out, (input, s), backward, saved=())


def scatter_add(input, dim, index, src):
    """A copy of input with src's values added at index along dim (repeats add up)."""
    d = validate.axis(dim, input._data.ndim)
    idx = _index(index)
    full = _scatter_index(idx, d)
    s = operand(src, input)
    part = tuple(slice(0, n) for n in idx.shape)
    out = input._data.copy()
    np.add.at(out, full, s._data[part])

    def backward(g):
        gs = None
        if s._requires_grad:
            gs = np.zeros(s._data.shape, g.dtype)
            gs[part] = g[full]
        return g, gs
    return Tensor.from_op(out, (input, s), backward, saved=())


def index_add(input, dim, index, source, *, alpha=1):
    """A copy of input with source's slices added at index along dim."""
    d = validate.axis(dim, input._data.ndim)
    idx = _index(index).reshape(-1)
    s = operand(source, input)
    if alpha != 1:
        s = s * alpha
    out = input._data.copy()
    where_ = (slice(None),) * d + (idx,)
    np.add.at(out, where_, s._data)
    return Tensor.from_op(out, (input, s), lambda g: (g, g[where_]), saved=())


def index_fill(input, dim, index, value):
    d = validate.axis(dim, input._data.ndim)
    mask = np.zeros(input._data.shape, bool)
    mask[(slice(None),) * d + (_index(index).reshape(-1),)] = True
    return where(Tensor._make(mask), value, input)


METHODS = {
    "reshape": reshape, "view": view, "view_as": view_as, "reshape_as": view_as,
    "flatten": flatten, "unflatten": unflatten, "squeeze": squeeze, "unsqueeze": unsqueeze,
    "permute": permute, "transpose": transpose, "swapaxes": transpose, "t": t,
    "swapdims": transpose,
    "expand": expand, "expand_as": expand_as, "repeat": repeat, "flip": flip, "roll": roll,
    "split": split, "chunk": chunk, "unbind": unbind, "narrow": narrow, "select": select,
    "gather": gather, "index_select": index_select, "masked_fill": masked_fill,
    "masked_fill_": inplace_method(masked_fill), "tril": tril, "triu": triu,
    "__getitem__": getitem, "__setitem__": setitem,
    "T": property(_reversed_dims), "mT": property(_last_two),
    "nonzero": nonzero, "argwhere": argwhere, "masked_select": masked_select, "take": take,
    "diagonal": diagonal, "broadcast_to": broadcast_to, "ravel": ravel, "tile": tile,
    "repeat_interleave": repeat_interleave, "movedim": movedim, "moveaxis": movedim,
    "fliplr": fliplr, "flipud": flipud, "diff": diff, "scatter": scatter,
    "scatter_": inplace_method(scatter), "scatter_add": scatter_add,
    "scatter_add_": inplace_method(scatter_add), "index_add": index_add,
    "index_add_": inplace_method(index_add), "index_fill": index_fill,
    "index_fill_": inplace_method(index_fill),
    "where": lambda self, condition, other: where(condition, self, other),
    "squeeze_": inplace_shape(squeeze), "unsqueeze_": inplace_shape(unsqueeze),
    "t_": inplace_shape(t), "transpose_": inplace_shape(transpose),
    "resize_": _resize,
    "resize_as_": lambda self, other, memory_format=None: _resize(self, other._data.shape),
}
