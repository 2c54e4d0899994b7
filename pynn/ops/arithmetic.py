"""Arithmetic with NumPy broadcasting and PyTorch's dtype promotion: + - * / // % ** and @.

A gradient broadcast over an input is summed back to its shape (tensor.unbroadcast). The matrix
product of float32 or float64 matrices runs in the C kernel, its backward by the kernel's
transpose flags (dA = dC B^T, dB = A^T dC), so nothing is copied to transpose.
"""
import math

import numpy as np

from .. import dtypes, validate
from ..backend import kernels as K
from ..tensor import Tensor, inplace_method, operand, unbroadcast
from ..validate import ShapeError


def pair(a, b):
    """a and b as two tensors and the dtype PyTorch computes `a op b` in: a dimensioned tensor's
    dtype wins over a 0-d tensor's (or a number's) of the same category or lower."""
    a = a if isinstance(a, Tensor) else operand(a, b if isinstance(b, Tensor) else None)
    b = b if isinstance(b, Tensor) else operand(b, a)
    da, db = a._data.dtype, b._data.dtype
    if da is db:
        return a, b, da
    a_dims, b_dims = a._data.ndim > 0, b._data.ndim > 0
    if a_dims == b_dims:
        return a, b, dtypes.promote(da, db)
    dims, zero_d = (da, db) if a_dims else (db, da)
    return a, b, zero_d if dtypes.category(zero_d) > dtypes.category(dims) else dims


def _values(t, dtype):
    data = t._data
    return data if data.dtype is dtype else data.astype(dtype)


def add(input, other, alpha=1):
    """input + alpha * other."""
    if alpha != 1:
        other = mul(other, alpha)
    a, b, dtype = pair(input, other)

    def backward(g):
        return (unbroadcast(g, a._data.shape) if a._requires_grad else None,
                unbroadcast(g, b._data.shape) if b._requires_grad else None)
    return Tensor.from_op(np.add(_values(a, dtype), _values(b, dtype)), (a, b), backward,
                          saved=())


def sub(input, other, alpha=1):
    """input - alpha * other."""
    if alpha != 1:
        other = mul(other, alpha)
    a, b, dtype = pair(input, other)
    if dtype.kind == "b":
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")

    def backward(g):
        return (unbroadcast(g, a._data.shape) if a._requires_grad else None,
                unbroadcast(-g, b._data.shape) if b._requires_grad else None)
    return Tensor.from_op(np.subtract(_values(a, dtype), _values(b, dtype)), (a, b), backward,
                          saved=())


def mul(input, other):
    a, b, dtype = pair(input, other)
    ad, bd = _values(a, dtype), _values(b, dtype)

    def backward(g):
        return (unbroadcast(g * bd, a._data.shape) if a._requires_grad else None,
                unbroadcast(g * ad, b._data.shape) if b._requires_grad else None)
    saved = ((b,) if a._requires_grad else ()) + ((a,) if b._requires_grad else ())
    return Tensor.from_op(np.multiply(ad, bd), (a, b), backward, saved=saved)


def div(input, other, rounding_mode=None):
    """input / other (true division: integers give the default float dtype); rounding_mode
    'floor' or 'trunc' rounds the quotient, as torch.div."""
    if rounding_mode is not None:
        if rounding_mode not in ("floor", "trunc"):
            raise ValueError(f"div expected rounding_mode to be one of None, 'trunc', or "
                             f"'floor' but found {rounding_mode!r}")
        q = floor_divide(input, other)
        if rounding_mode == "trunc":
            a, b, dtype = pair(input, other)
            with np.errstate(divide="ignore", invalid="ignore"):
                q = Tensor._make(np.trunc(np.true_divide(a._data, b._data)).astype(dtype))
        return q
    a, b, dtype = pair(input, other)
    if dtype.kind != "f":
        dtype = dtypes.get_default_dtype()
    ad, bd = _values(a, dtype), _values(b, dtype)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.true_divide(ad, bd)

    def backward(g):
        with np.errstate(divide="ignore", invalid="ignore"):
            return (unbroadcast(g / bd, a._data.shape) if a._requires_grad else None,
                    unbroadcast(-g * out / bd, b._data.shape) if b._requires_grad else None)
    return Tensor.from_op(out, (a, b), backward, saved=(b,), saves_output=b._requires_grad)


def floor_divide(input, other):
    """The quotient rounded down; no gradient (it is zero almost everywhere)."""
    a, b, dtype = pair(input, other)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.floor_divide(_values(a, dtype), _values(b, dtype))
    return Tensor.from_op(out, (a, b), lambda g: (np.zeros_like(a._data, dtype=g.dtype)
                                                  if a._requires_grad else None, None), saved=())


def _modulo(name, ufunc, rounding):
    """input - rounding(input / other) * other: remainder (floor, the sign of other's, as
    Python's %) or fmod (trunc, the sign of input's, as C's fmod)."""
    def op(input, other):
        a, b, dtype = pair(input, other)
        ad, bd = _values(a, dtype), _values(b, dtype)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = ufunc(ad, bd)

        def backward(g):
            with np.errstate(divide="ignore", invalid="ignore"):
                return (unbroadcast(g, a._data.shape) if a._requires_grad else None,
                        unbroadcast(-g * rounding(ad / bd), b._data.shape)
                        if b._requires_grad else None)
        backward.__qualname__ = f"{name}.<locals>.backward"
        return Tensor.from_op(out, (a, b), backward)
    op.__name__ = op.__qualname__ = name
    return op


remainder = _modulo("remainder", np.remainder, np.floor)
fmod = _modulo("fmod", np.fmod, np.trunc)


def neg(input):
    if input._data.dtype.kind == "b":
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If "
                           "you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")
    return Tensor.from_op(np.negative(input._data), (input,), lambda g: (-g,), saved=())


def pow(input, exponent):
    """input ** exponent, for a tensor or a number on either side. The gradient of x ** 0 is 0
    everywhere, x = 0 included, as in PyTorch."""
    a, b, dtype = pair(input, exponent)
    if dtype.kind in "iu" and np.any(b._data < 0):
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    ad, bd = _values(a, dtype), _values(b, dtype)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = np.power(ad, bd)

    def backward(g):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            ga = gb = None
            if a._requires_grad:
                ga = np.where(bd == 0, 0, g * bd * np.power(ad, bd - 1)).astype(g.dtype)
                ga = unbroadcast(ga, a._data.shape)
            if b._requires_grad:
                gb = np.where((ad == 0) & (bd >= 0), 0, g * out * np.log(ad)).astype(g.dtype)
                gb = unbroadcast(gb, b._data.shape)
        return ga, gb
    return Tensor.from_op(out, (a, b), backward, saves_output=b._requires_grad)


def matmul(input, other):
    """The matrix product as torch.matmul: 1-D operands are vectors, batches broadcast. Both
    operands must have one dtype, as in PyTorch; float32 and float64 matrices run in C."""
    a, b = input, other if isinstance(other, Tensor) else operand(other, input)
    if not isinstance(a, Tensor):
        a = operand(a, b)
    da, db = a._data, b._data
    if da.ndim == 0 or db.ndim == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{da.ndim}D and {db.ndim}D")
    if da.dtype != db.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {da.dtype} != "
                           f"{db.dtype} (convert one with .float() or .double())")
    if da.shape[-1] != db.shape[-2 if db.ndim > 1 else 0]:
        raise ShapeError(f"mat1 and mat2 shapes cannot be multiplied ({_as_matrix(da)} and "
                           f"{_as_matrix(db, rhs=True)})")
    if da.dtype.kind == "f" and da.ndim >= 2 and db.ndim == 2:
        return _rows_matmul(a, b)
    try:
        out = np.matmul(da, db)
    except ValueError:
        raise ShapeError(f"matmul: the batch dimensions of shapes {tuple(da.shape)} and "
                         f"{tuple(db.shape)} do not broadcast") from None

    def backward(g):
        ga = gb = None
        if a._requires_grad:
            ga = (np.multiply.outer(g, db) if db.ndim == 1 and da.ndim == 1 else
                  np.matmul(g[..., None], db[None, :]) if db.ndim == 1 else
                  np.matmul(g[..., None, :], np.swapaxes(db, -1, -2))[..., 0, :]
                  if da.ndim == 1 else np.matmul(g, np.swapaxes(db, -1, -2)))
            ga = unbroadcast(np.asarray(ga), da.shape)
        if b._requires_grad:
            gb = (np.multiply.outer(da, g) if da.ndim == 1 and db.ndim == 1 else
                  np.matmul(np.swapaxes(da, -1, -2), g[..., None])[..., 0] if db.ndim == 1 else
                  np.matmul(da[:, None], g[..., None, :]) if da.ndim == 1 else
                  np.matmul(np.swapaxes(da, -1, -2), g))
            gb = unbroadcast(np.asarray(gb), db.shape)
        return ga, gb
    return Tensor.from_op(out, (a, b), backward)


def _as_matrix(data, rhs=False):
    if data.ndim == 1:
        return f"{data.shape[0]}x1" if rhs else f"1x{data.shape[0]}"
    return f"{math.prod(data.shape[:-1])}x{data.shape[-1]}" if not rhs else \
        f"{data.shape[-2]}x{data.shape[-1]}"


def _rows_matmul(a, b):
    """(..., m, k) @ (k, n) as one kernel call over all rows."""
    x, w = validate.contiguous(a._data, a._data.dtype), validate.contiguous(b._data, b._data.dtype)
    rows = math.prod(x.shape[:-1])  # not -1: NumPy cannot infer it when a size is 0
    x2 = x.reshape(rows, x.shape[-1])
    out = np.empty((rows, w.shape[1]), x.dtype)
    K.matmul(x2, w, out)

    def backward(g):
        g2 = validate.contiguous(g, x.dtype).reshape(rows, w.shape[1])
        ga = gb = None
        if a._requires_grad:
            ga = np.empty(x2.shape, x.dtype)
            K.matmul(g2, w, ga, trans_b=True)
            ga = ga.reshape(x.shape)
        if b._requires_grad:
            gb = np.empty(w.shape, x.dtype)
            K.matmul(x2, g2, gb, trans_a=True)
        return ga, gb
    saved = ((b,) if a._requires_grad else ()) + ((a,) if b._requires_grad else ())
    return Tensor.from_op(out.reshape(x.shape[:-1] + (w.shape[1],)), (a, b), backward,
                          saved=saved)


def mm(input, mat2):
    """The product of two matrices (2-D only), as torch.mm."""
    if input.ndim != 2 or operand(mat2, input).ndim != 2:
        raise RuntimeError(f"mm: expected 2-D tensors, got {input.ndim}-D and "
                           f"{operand(mat2, input).ndim}-D")
    return matmul(input, mat2)


def bmm(input, mat2):
    """Batched matrix products of (b, n, m) and (b, m, p), as torch.bmm."""
    mat2 = operand(mat2, input)
    if input.ndim != 3 or mat2.ndim != 3 or input.shape[0] != mat2.shape[0]:
        raise ShapeError(f"bmm: expected 3-D tensors with one batch size, got shapes "
                           f"{tuple(input.shape)} and {tuple(mat2.shape)}")
    return matmul(input, mat2)


def dot(input, other):
    """The dot product of two 1-D tensors."""
    other = operand(other, input)
    if input.ndim != 1 or other.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {other.ndim}D "
                           "tensors")
    return matmul(input, other)


def atan2(input, other):
    """The angle of the point (other, input), in (-pi, pi]."""
    a, b, dtype = pair(input, other)
    if dtype.kind != "f":
        dtype = dtypes.get_default_dtype()
    ad, bd = _values(a, dtype), _values(b, dtype)

    def backward(g):
        with np.errstate(divide="ignore", invalid="ignore"):
            r2 = ad * ad + bd * bd
            return (unbroadcast(g * bd / r2, a._data.shape) if a._requires_grad else None,
                    unbroadcast(-g * ad / r2, b._data.shape) if b._requires_grad else None)
    return Tensor.from_op(np.arctan2(ad, bd), (a, b), backward)


def lerp(input, end, weight):
    """input + weight * (end - input)."""
    return add(input, mul(weight, sub(end, input)))


def addcmul(input, tensor1, tensor2, *, value=1):
    """input + value * tensor1 * tensor2."""
    return add(input, mul(tensor1, tensor2), alpha=value)


def addcdiv(input, tensor1, tensor2, *, value=1):
    """input + value * tensor1 / tensor2."""
    return add(input, div(tensor1, tensor2), alpha=value)


def float_power(input, exponent):
    """input ** exponent in float64."""
    a = input if isinstance(input, Tensor) else operand(input, None)
    b = exponent.double() if isinstance(exponent, Tensor) else float(exponent)
    return pow(a.double(), b)


def hypot(input, other):
    return pow(add(mul(input, input), mul(other, other)), 0.5)


def _reflected(op):
    def reflected(self, other):
        return op(operand(other, self), self)
    reflected.__name__ = f"r{op.__name__}"
    return reflected


subtract, multiply, divide, true_divide, negative = sub, mul, div, div, neg

_OPS = {"add": add, "sub": sub, "mul": mul, "div": div, "floor_divide": floor_divide,
        "remainder": remainder, "pow": pow, "neg": neg, "fmod": fmod, "atan2": atan2,
        "lerp": lerp, "addcmul": addcmul, "addcdiv": addcdiv, "hypot": hypot}
_IN_PLACE = {name: inplace_method(op) for name, op in _OPS.items()}

METHODS = {
    **_OPS, **{f"{name}_": method for name, method in _IN_PLACE.items()},
    "subtract": subtract, "multiply": multiply, "divide": divide, "true_divide": true_divide,
    "negative": negative,
    "matmul": matmul, "mm": mm, "bmm": bmm, "dot": dot, "float_power": float_power,
    "__add__": add, "__radd__": add, "__sub__": sub, "__rsub__": _reflected(sub),
    "__mul__": mul, "__rmul__": mul, "__truediv__": div, "__rtruediv__": _reflected(div),
    "__floordiv__": floor_divide, "__rfloordiv__": _reflected(floor_divide),
    "__mod__": remainder, "__rmod__": _reflected(remainder), "__neg__": neg,
    "__pos__": lambda self: self, "__pow__": pow, "__rpow__": _reflected(pow),
    "__matmul__": matmul, "__rmatmul__": _reflected(matmul),
    **{f"__i{name}__": _IN_PLACE[op] for name, op in (
        ("add", "add"), ("sub", "sub"), ("mul", "mul"), ("truediv", "div"),
        ("floordiv", "floor_divide"), ("mod", "remainder"), ("pow", "pow"))},
}
