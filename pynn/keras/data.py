"""The inputs and targets of fit/evaluate/predict, converted and checked once, up front.

Anything NumPy can turn into a real array is accepted, as Keras accepts it (any int, float or
bool dtype, nested lists, Fortran-ordered or strided arrays); inputs and targets become
C-contiguous float32, class-id targets (sparse losses) int64. Training data with NaN or inf is
refused with the position of the first bad value: one NaN turns every weight into NaN.
"""
import numpy as np

from .. import validate


def _position(index, ndim):
    names = ("row", "column")
    return ", ".join(f"{names[d] if d < 2 else f'axis {d}'} {int(i)}"
                     for d, i in enumerate(index[:ndim]))


def check_finite(arr, name):
    """Refuse an array holding NaN or inf, naming the first bad row and column."""
    if arr.dtype.kind == "f" and not np.isfinite(arr).all():
        index = np.argwhere(~np.isfinite(arr))[0]
        value = "NaN" if np.isnan(arr[tuple(index)]) else arr[tuple(index)]
        raise ValueError(f"{name} contains {value} at {_position(index, arr.ndim)}: training "
                         "data must be finite (drop or fill in the missing values first)")


def features(x, name="x", finite=True):
    """x as a C-contiguous float32 array of shape (samples, features)."""
    if x is None:
        raise ValueError(f"{name}: expected an array of shape (samples, features), got None")
    arr = validate.as_array(x, name)
    if arr.ndim != 2:
        hint = " (reshape it with x.reshape(-1, 1) for a single feature)" if arr.ndim == 1 else ""
        raise ValueError(f"{name}: expected a 2-D array of shape (samples, features), got shape "
                         f"{arr.shape}{hint}")
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}): nothing to train or predict on")
    with np.errstate(over="ignore"):  # huge float64 values become inf, refused just below
        out = np.ascontiguousarray(arr, dtype=np.float32)
    if finite:
        check_finite(out, name)
    return out


def targets(y, name, units, sparse):
    """y checked against a model with `units` outputs: class ids (int64, shape (n,)) for a
    sparse loss, else float32 of shape (n, units), (n,) being taken as (n, 1)."""
    if y is None:
        raise ValueError(f"{name}: expected the targets, got None")
    arr = validate.as_array(y, name)
    if arr.ndim == 0 or arr.shape[0] == 0:
        raise ValueError(f"{name} is empty or a scalar (shape {arr.shape}): expected one target "
                         "per sample")
    if sparse:
        if arr.ndim == 2 and arr.shape[1] == 1:
            arr = arr[:, 0]
        if arr.ndim != 1:
            raise ValueError(f"{name}: a sparse categorical loss expects one class id per sample, "
                             f"shape ({arr.shape[0]},), got shape {arr.shape} (use "
                             "'categorical_crossentropy' for one-hot targets)")
        check_finite(arr, name)
        ids = arr.astype(np.int64)
        bad = np.flatnonzero((ids != arr) | (ids < 0) | (ids >= units))
        if bad.size:
            raise ValueError(f"{name}: class ids must be integers in [0, {units}) for a model "
                             f"with {units} outputs, got {arr[bad[0]]} at row {bad[0]}")
        return ids
    with np.errstate(over="ignore"):
        out = np.ascontiguousarray(arr, dtype=np.float32)
    if out.ndim == 1 and units == 1:
        out = out.reshape(-1, 1)
    if out.shape[1:] != (units,):
        hint = (" (for integer class ids use loss='sparse_categorical_crossentropy')"
                if out.ndim == 1 or out.shape[1:] == (1,) else "")
        raise ValueError(f"{name} has shape {arr.shape} but the model outputs {units} values "
                         f"per sample: expected shape ({arr.shape[0]}, {units}){hint}")
    check_finite(out, name)
    return out


def same_rows(x, y, names=("x", "y")):
    if len(x) != len(y):
        raise ValueError(f"{names[0]} and {names[1]} must have the same number of samples "
                         f"(rows), got {len(x)} and {len(y)}")


def split_last(x, y, validation_split):
    """(x_train, y_train, x_val, y_val): the last validation_split of the rows, before any
    shuffling, held out for validation, as Keras does."""
    split = validate.number(validation_split, "validation_split")
    if not 0.0 <= split < 1.0:
        raise ValueError(f"validation_split must be in [0, 1), got {validation_split}")
    at = int(len(x) * (1.0 - split))
    if at == 0 or at == len(x):
        raise ValueError(f"Training data contains {len(x)} samples, which is not sufficient to "
                         f"split it into a validation and training set as specified by "
                         f"`validation_split={validation_split}`. Either provide more data, or a "
                         "different value for the `validation_split` argument.")
    return x[:at], y[:at], x[at:], y[at:]
