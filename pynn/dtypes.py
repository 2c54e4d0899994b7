"""The dtypes a Tensor can hold, named as PyTorch names them, and PyTorch's promotion rules.

A dtype is a NumPy dtype object (pynn.float32 is np.dtype('float32')), so it passes to NumPy
as it is. Only floating-point tensors carry gradients; integer and bool tensors hold labels,
indices and the results of comparisons.
"""
import builtins

import numpy as np

float32 = float = np.dtype(np.float32)
float64 = double = np.dtype(np.float64)
float16 = half = np.dtype(np.float16)
int64 = long = np.dtype(np.int64)
int32 = int = np.dtype(np.int32)
int16 = short = np.dtype(np.int16)
int8 = np.dtype(np.int8)
uint8 = np.dtype(np.uint8)
bool = np.dtype(np.bool_)



class UnsupportedDtype:
    """A PyTorch dtype pynn has no tensors of (bfloat16, complex64, complex128): a name a
    script may hand to autocast (which changes nothing on the CPU) or compare against; making a
    tensor of it is a clear error."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"pynn.{self.name}"

    is_floating_point = property(lambda self: self.name == "bfloat16")
    is_complex = property(lambda self: self.name.startswith("complex"))


bfloat16 = UnsupportedDtype("bfloat16")
complex64 = cfloat = UnsupportedDtype("complex64")
complex128 = cdouble = UnsupportedDtype("complex128")

FLOATS = (float32, float64)  # the dtypes the C kernels and gradients work in
_ALL = (float32, float64, float16, int64, int32, int16, int8, uint8, bool)
_NAMES = {"float32": float32, "float": float32, "float64": float64, "double": float64,
          "float16": float16, "half": float16, "int64": int64, "long": int64, "int32": int32,
          "int": int32, "int16": int16, "short": int16, "int8": int8, "uint8": uint8,
          "bool": bool}

_default = [float32]


def get_default_dtype():
    """The dtype of floating-point tensors made from Python numbers (float32 unless set)."""
    return _default[0]


def set_default_dtype(d):
    """Make float32 or float64 the dtype of new floating-point tensors, as torch does."""
    d = as_dtype(d)
    if d not in FLOATS:
        raise TypeError(f"set_default_dtype: only float32 and float64 are supported, got {d}")
    _default[0] = d


def as_dtype(d):
    """d as one of pynn's dtypes: a dtype, a NumPy type, a name ('float32', 'long'), or the
    Python types float, int and bool (float64, int64 and bool, as torch reads them)."""
    if d is builtins.float:
        return float64
    if d is builtins.int:
        return int64
    if d is builtins.bool:
        return bool
    if isinstance(d, str) and d in _NAMES:
        return _NAMES[d]
    if isinstance(d, UnsupportedDtype):
        raise TypeError(f"pynn has no {d.name} tensors (its tensors hold "
                        f"{', '.join(str(x) for x in _ALL)}); use pynn.float32 (or pynn.float16)")
    try:
        dt = np.dtype(d)
    except TypeError:
        raise TypeError(f"dtype: expected a pynn dtype such as pynn.float32, got {d!r}") from None
    dt = dt.newbyteorder("=") if dt.byteorder not in "=|" else dt
    for known in _ALL:
        if dt == known:
            return known
    raise TypeError(f"dtype: pynn tensors hold {', '.join(str(x) for x in _ALL)}; got {dt}")


def is_floating_point(d):
    return d.kind == "f"


def category(d):
    """0 for bool, 1 for integers, 2 for floats: the order in which PyTorch promotes."""
    return 2 if d.kind == "f" else 0 if d.kind == "b" else 1


def promote(a, b):
    """The dtype of an op between two tensors of these dtypes: the higher category wins, and
    within one the wider dtype (int32 with int64 gives int64; float32 with float64, float64)."""
    if a is b:
        return a
    ca, cb = category(a), category(b)
    if ca != cb:
        return a if ca > cb else b
    return as_dtype(np.promote_types(a, b))


def scalar_category(value):
    """The category of a Python or NumPy scalar (None if it is no real number)."""
    if isinstance(value, (builtins.bool, np.bool_)):
        return 0
    if isinstance(value, (builtins.int, np.integer)):
        return 1
    if isinstance(value, (builtins.float, np.floating)):
        return 2
    return None


def with_scalar(d, category_of_scalar):
    """The dtype of an op between a tensor of dtype d and a scalar: the tensor's dtype, unless
    the scalar is of a higher category (a float scalar with an integer tensor gives the default
    float dtype; an integer scalar with a bool tensor gives int64), as in PyTorch."""
    if category_of_scalar <= category(d):
        return d
    return _default[0] if category_of_scalar == 2 else int64
