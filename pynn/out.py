"""The out= argument of PyTorch's functions (torch.matmul(a, b, out=c), torch.add(x, y, out=z),
as its tensors tutorial writes them): the result is written into `out`, which is returned.

As in PyTorch: the result is cast to out's dtype when that is no narrower a kind (a float
result cannot go into an integer tensor), an out of another shape is resized (with PyTorch's
warning unless it was empty), and an op with out= records no graph, so it refuses, while grad
mode is on, arguments that require grad.
"""
import functools
import warnings

import numpy as np

from . import dtypes
from .tensor import Tensor, is_grad_enabled

_TORCH_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long",
                "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
                "bool": "Bool"}


def _tensors(values):
    for v in values:
        if isinstance(v, Tensor):
            yield v
        elif isinstance(v, (list, tuple)):
            yield from _tensors(v)


def _write(out, result, name):
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if not isinstance(result, Tensor):
        result = Tensor._make(np.asarray(result))
    have, want = result._data.dtype, out._data.dtype
    if dtypes.category(have) > dtypes.category(want):
        raise RuntimeError(f"result type {_TORCH_NAMES.get(str(have), have)} can't be cast to "
                           f"the desired output type {_TORCH_NAMES.get(str(want), want)}")
    if out._data.shape != result._data.shape:
        if out._data.size:
            warnings.warn(
                f"An output with one or more elements was resized since it had shape "
                f"{list(out._data.shape)}, which does not match the required output shape "
                f"{list(result._data.shape)}. This behavior is deprecated, and in a future "
                f"PyTorch release outputs will not be resized unless they have zero elements. "
                f"You can explicitly reuse an out tensor t by resizing it, inplace, to zero "
                f"elements with t.resize_(0).", UserWarning, stacklevel=3)
        out._data = result._data.astype(want, copy=True)
    else:
        out._data[...] = result._data
    out._version.value += 1
    return out


def with_out(fn, name=None):
    """fn, taking out= too: the result written into out (a tensor, or a tuple of them for an
    op returning several), which is returned."""
    name = name or fn.__name__

    @functools.wraps(fn)
    def op(*args, out=None, **kwargs):
        if out is None:
            return fn(*args, **kwargs)
        if is_grad_enabled() and any(t.requires_grad for t in _tensors(
                list(args) + list(kwargs.values()) + [out])):
            raise RuntimeError(f"{name}(): functions with out=... arguments don't support "
                               f"automatic differentiation, but one of the arguments requires "
                               f"grad.")
        result = fn(*args, **kwargs)
        if isinstance(out, (tuple, list)):
            if not isinstance(result, tuple) or len(result) != len(out):
                raise TypeError(f"{name}(): argument 'out' must be a Tensor")
            for target, value in zip(out, result):
                _write(target, value, name)
            return type(result)(*out) if hasattr(result, "_fields") else tuple(out)
        if isinstance(result, tuple):
            raise TypeError(f"{name}(): argument 'out' must be tuple of Tensors, not Tensor")
        return _write(out, result, name)
    return op


# the functions of torch.* that take out=, wrapped once in pynn/__init__.py
NAMES = ("add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide",
         "floor_divide", "remainder", "fmod", "pow", "float_power", "atan2", "hypot", "lerp",
         "addcmul", "addcdiv", "matmul", "mm", "bmm", "mv", "dot", "outer", "addmm", "cross",
         "einsum", "cat", "concat", "concatenate", "stack", "hstack", "vstack", "column_stack",
         "exp", "exp2", "expm1", "log", "log1p", "log2", "log10", "sqrt", "rsqrt", "abs",
         "neg", "negative", "reciprocal", "sin", "cos", "tan", "asin", "acos", "atan", "sinh",
         "cosh", "tanh", "sigmoid", "erf", "erfc", "clamp", "clip", "round", "floor", "ceil",
         "trunc", "frac", "sign", "square", "sum", "mean", "prod", "cumsum", "cumprod",
         "max", "min", "amax", "amin", "argmax", "argmin", "sort", "topk", "median", "std",
         "var", "norm", "logsumexp", "maximum", "minimum", "eq", "ne", "gt", "ge", "lt", "le",
         "logical_and", "logical_or", "logical_not", "logical_xor", "where", "gather",
         "index_select", "masked_select", "take", "tril", "triu", "diag", "flip", "nonzero")
