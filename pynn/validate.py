"""The checks made where user data enters pynn (Tensor ops, functional, nn, optim, keras, files).

Each turns a value into what the engine works with, or raises a TypeError or ValueError that
says what was expected and what came. Below this edge the kernels check nothing.
"""
import numpy as np

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


class ShapeError(RuntimeError, ValueError):
    """Shapes that do not fit: a RuntimeError, as PyTorch raises it, and a ValueError, as pynn
    raised it before it followed PyTorch (NumPy's AxisError is both a ValueError and an
    IndexError for the same reason)."""


AxisError = getattr(getattr(np, "exceptions", np), "AxisError")  # a ValueError and an IndexError


def describe(x):
    return f"{type(x).__name__} of dtype {x.dtype}" if hasattr(x, "dtype") else type(x).__name__


def as_array(x, name):
    """x as an ndarray of a real numeric dtype, refusing strings, objects and complex numbers."""
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:
        raise TypeError(f"{name}: expected a real numeric array, got {describe(x)} ({exc})") \
            from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name}: expected a real numeric array, got {describe(x)}")
    return arr


def contiguous(arr, dtype):
    """arr as an aligned C-contiguous array of dtype, copied only when it is not one already
    (a 0-d array stays 0-d). Aligned: C reads it as float[] or double[], and a misaligned one
    (np.frombuffer at an odd offset) is undefined behaviour."""
    if type(arr) is np.ndarray and arr.dtype is dtype:  # the usual case, at a fraction of the cost
        flags = arr.flags
        if flags.c_contiguous and flags.aligned:
            return arr
    arr = np.asarray(arr, dtype=dtype, order="C")
    return arr if arr.flags.aligned else arr.copy()


def flag(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: expected True or False, got {value!r}")
    return bool(value)


def number(value, name):
    """A real Python or NumPy scalar (or a one-element tensor or array) as a float."""
    if hasattr(value, "item") and getattr(value, "size", 0) == 1 \
            and not isinstance(value, (bool, np.bool_)):
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(
            value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}: expected a real number, got {type(value).__name__} {value!r}")
    return float(value)


def nonnegative(value, name):
    """A hyperparameter that must be >= 0 (NaN is refused too), as PyTorch's optimizers check."""
    value = number(value, name)
    if not value >= 0.0:
        raise ValueError(f"{name}: expected a value >= 0, got {value}")
    return value


def integer(value, name):
    """A Python or NumPy integer (not a bool) as an int."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name}: expected an integer, got {type(value).__name__} {value!r}")
    return int(value)


def positive_int(value, name):
    """A count or a size: a positive Python or NumPy integer (not a bool), as an int."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name}: expected a positive integer, got {type(value).__name__} "
                        f"{value!r}")
    value = int(value)
    if value < 1:
        raise ValueError(f"{name}: expected a positive integer, got {value}")
    return value


MAX_THREADS = 2**31 - 1  # the matmul kernel takes the count as a C int


def num_threads(n, name="set_num_threads"):
    """A thread count: a positive integer that fits the kernels' C int."""
    n = positive_int(n, name)
    if n > MAX_THREADS:
        raise ValueError(f"{name}: expected a thread count of at most {MAX_THREADS}, got {n}")
    return n


def shape(sizes, name):
    """A shape from sizes given as ints or as one tuple or list of them: non-negative ints."""
    if isinstance(sizes, tuple) and len(sizes) == 1 and isinstance(sizes[0], (tuple, list)):
        sizes = sizes[0]
    if isinstance(sizes, (int, np.integer)) and not isinstance(sizes, (bool, np.bool_)):
        sizes = (sizes,)
    if not isinstance(sizes, (tuple, list)):
        raise TypeError(f"{name}: expected sizes as ints or a tuple of ints, got {sizes!r}")
    result = tuple(integer(s, f"{name}: size") for s in sizes)
    for s in result:
        if s < 0:
            raise RuntimeError(f"{name}: trying to create tensor with negative dimension {s}: "
                               f"{list(result)}")
    return result


def axis(dim, ndim, name="dim"):
    """One axis, negative counting from the end, as a non-negative int."""
    dim = integer(dim, name)
    lowest = -max(ndim, 1)
    if not lowest <= dim < max(ndim, 1):
        raise AxisError(f"Dimension out of range (expected to be in range of "
                         f"[{lowest}, {max(ndim, 1) - 1}], but got {dim})")
    return dim % max(ndim, 1)


def axes(dims, ndim, name="dim"):
    """dims (None for all, an int, or a tuple or list of ints) as a sorted tuple of distinct
    non-negative axes."""
    if dims is None:
        return tuple(range(ndim))
    if isinstance(dims, (tuple, list)):
        result = [axis(d, ndim, name) for d in dims]
        if len(set(result)) != len(result):
            raise ValueError(f"{name}: dim {dims} appears multiple times in the list of dims")
        return tuple(sorted(result))
    return (axis(dims, ndim, name),)
