"""Functions applied to each element: exp, log, sqrt, sin, ..., clamp, round, and the activations
relu, sigmoid and tanh, which run in the C kernels (the same ones a dense layer fuses).

Integer and bool inputs of a floating-point function are computed in the default float dtype,
as in PyTorch; rounding, abs, sign and clamp keep the input's dtype.
"""
import math

import numpy as np

from .. import dtypes, validate
from ..backend import kernels as K
from ..tensor import Tensor, inplace_method


def _floats(x):
    """x's values in a float dtype: its own, or the default one for integers and bools."""
    data = x._data
    return data if data.dtype.kind == "f" else data.astype(dtypes.get_default_dtype())


def _from_output(name, forward, derivative):
    """An op whose derivative is computed from its output: y = forward(x), dx = g * d(y)."""
    def op(input):
        with np.errstate(all="ignore"):
            out = forward(_floats(input))
        def backward(g):
            return (g * derivative(out),)
        backward.__qualname__ = f"{name}.<locals>.backward"
        return Tensor.from_op(out, (input,), backward, saved=(), saves_output=True)
    op.__name__ = op.__qualname__ = name
    return op


def _from_input(name, forward, derivative):
    """An op whose derivative is computed from its input: y = forward(x), dx = g * d(x)."""
    def op(input):
        x = _floats(input)
        with np.errstate(all="ignore"):
            out = forward(x)

        def backward(g):
            with np.errstate(all="ignore"):
                return (g * derivative(x),)
        backward.__qualname__ = f"{name}.<locals>.backward"
        return Tensor.from_op(out, (input,), backward)
    op.__name__ = op.__qualname__ = name
    return op


exp = _from_output("exp", np.exp, lambda y: y)
expm1 = _from_output("expm1", np.expm1, lambda y: y + 1)
sqrt = _from_output("sqrt", np.sqrt, lambda y: 0.5 / y)
rsqrt = _from_output("rsqrt", lambda x: 1 / np.sqrt(x), lambda y: -0.5 * y * y * y)
exp2 = _from_output("exp2", np.exp2, lambda y: y * np.log(2.0).astype(y.dtype))
log = _from_input("log", np.log, lambda x: 1 / x)
log2 = _from_input("log2", np.log2, lambda x: 1 / (x * np.log(2.0).astype(x.dtype)))
log10 = _from_input("log10", np.log10, lambda x: 1 / (x * np.log(10.0).astype(x.dtype)))
log1p = _from_input("log1p", np.log1p, lambda x: 1 / (1 + x))
sin = _from_input("sin", np.sin, np.cos)
cos = _from_input("cos", np.cos, lambda x: -np.sin(x))
tan = _from_input("tan", np.tan, lambda x: 1 / np.cos(x) ** 2)
asin = _from_input("asin", np.arcsin, lambda x: 1 / np.sqrt(1 - x * x))
acos = _from_input("acos", np.arccos, lambda x: -1 / np.sqrt(1 - x * x))
atan = _from_input("atan", np.arctan, lambda x: 1 / (1 + x * x))
sinh = _from_input("sinh", np.sinh, np.cosh)
cosh = _from_input("cosh", np.cosh, np.sinh)
reciprocal = _from_output("reciprocal", lambda x: 1 / x, lambda y: -y * y)


def square(input):
    return input * input


def abs(input):
    """|x|; the gradient at 0 is 0, as in PyTorch."""
    x = input._data
    return Tensor.from_op(np.abs(x), (input,), lambda g: (g * np.sign(x).astype(g.dtype),))


def sign(input):
    return Tensor.from_op(np.sign(input._data), (input,),
                          lambda g: (np.zeros_like(g),), saved=())


def _rounding(name, fn):
    """A rounding op: its gradient is zero wherever it is defined, as in PyTorch."""
    def op(input):
        return Tensor.from_op(fn(input._data), (input,), lambda g: (np.zeros_like(g),),
                              saved=())
    op.__name__ = op.__qualname__ = name
    return op


floor = _rounding("floor", np.floor)
ceil = _rounding("ceil", np.ceil)
trunc = _rounding("trunc", np.trunc)
frac = _from_input("frac", lambda x: x - np.trunc(x), np.ones_like)


def round(input, decimals=0):
    """Rounded to `decimals` places, halves to even (as torch.round and NumPy)."""
    decimals = validate.integer(decimals, "round: decimals")
    return _rounding("round", lambda x: np.round(x, decimals))(input)


def clamp(input, min=None, max=None):
    """Values limited to [min, max] (either may be None, a number or a tensor); the gradient
    flows where a value lies inside, as in PyTorch."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    x = input._data
    lo = None if min is None else (min._data if isinstance(min, Tensor) else min)
    hi = None if max is None else (max._data if isinstance(max, Tensor) else max)
    out = x
    if lo is not None:
        out = np.maximum(out, np.asarray(lo, dtype=x.dtype) if np.ndim(lo) == 0 else lo)
    if hi is not None:
        out = np.minimum(out, np.asarray(hi, dtype=x.dtype) if np.ndim(hi) == 0 else hi)
    if out is x:
        out = x.copy()

    def backward(g):
        inside = np.ones(x.shape, bool)
        if lo is not None:
            inside &= x >= lo
        if hi is not None:
            inside &= x <= hi
        return (np.where(inside, g, 0).astype(g.dtype),)
    return Tensor.from_op(out, (input,), backward)


def _kernel_op(name, from_output):
    """An activation run by the C kernels on float32 and float64: kernels.<name>(x, out) and
    kernels.<name>_backward(saved, grad, out), saved being the output or the input."""
    def op(input):
        data = input._data
        if data.dtype.kind != "f":
            if name == "relu":  # relu keeps an integer dtype, as in PyTorch
                return Tensor.from_op(np.maximum(data, 0).astype(data.dtype), (input,), None)
            data = _floats(input)
        x = validate.contiguous(data, data.dtype)
        out = np.empty(x.shape, x.dtype)
        getattr(K, name)(x, out)
        saved = out if from_output else x

        def backward(g):
            g = validate.contiguous(g, x.dtype)
            dx = np.empty(x.shape, x.dtype)
            getattr(K, f"{name}_backward")(saved, g, dx)
            return (dx,)
        backward.__qualname__ = f"{name}.<locals>.backward"
        return Tensor.from_op(out, (input,), backward, saved=() if from_output else None,
                              saves_output=from_output)
    op.__name__ = op.__qualname__ = name
    return op


relu = _kernel_op("relu", from_output=False)
sigmoid = _kernel_op("sigmoid", from_output=True)
tanh = _kernel_op("tanh", from_output=True)


_erf_scalar = np.frompyfunc(math.erf, 1, 1)


def _erf(x):
    return _erf_scalar(x).astype(x.dtype) if x.size else x.copy()


erf = _from_input("erf", _erf, lambda x: 2 / math.sqrt(math.pi) * np.exp(-x * x))
erfc = _from_input("erfc", lambda x: 1 - _erf(x), lambda x: -2 / math.sqrt(math.pi)
                   * np.exp(-x * x))


def logit(input, eps=None):
    """log(p / (1 - p)), p clamped to [eps, 1 - eps] when eps is given."""
    x = input if eps is None else clamp(input, eps, 1 - eps)
    return _logit(x)


_logit = _from_input("logit", lambda p: np.log(p / (1 - p)), lambda p: 1 / (p * (1 - p)))


def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    """NaN replaced by `nan`, infinities by the largest finite values (or the ones given);
    the gradient passes where the value was finite."""
    x = input._data
    out = np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)
    return Tensor.from_op(out, (input,), lambda g: (np.where(np.isfinite(x), g, 0)
                                                    .astype(g.dtype),))


def clamp_min(input, min):
    return clamp(input, min=min)


def clamp_max(input, max):
    return clamp(input, max=max)


def signbit(input):
    return Tensor._make(np.signbit(input._data))


clip, absolute, arcsin, arccos, arctan = clamp, abs, asin, acos, atan

_OPS = [exp, expm1, exp2, sqrt, rsqrt, log, log2, log10, log1p, sin, cos, tan, asin, acos, atan,
        sinh, cosh, reciprocal, square, abs, sign, floor, ceil, trunc, frac, round, clamp, relu,
        sigmoid, tanh, erf, erfc, logit, nan_to_num, clamp_min, clamp_max]
METHODS = {op.__name__: op for op in _OPS}
METHODS.update({f"{op.__name__}_": inplace_method(op) for op in _OPS})
METHODS.update({"clip": clip, "clip_": inplace_method(clip), "absolute": absolute,
                "arcsin": arcsin, "arccos": arccos, "arctan": arctan, "__abs__": abs,
                "sgn": sign, "signbit": signbit})
