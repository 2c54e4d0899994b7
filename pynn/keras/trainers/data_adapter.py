"""The data of fit/evaluate/predict, converted and checked once, up front, as Keras takes it.

x and y may be NumPy arrays, nested Python lists, pandas DataFrames and Series (converted with
their own to_numpy(); pandas is never imported here), or, for a model of several inputs or
outputs, a list of those in the model's order or a dict by input or output name. Every array
must be real numbers; inputs become C-contiguous arrays of the model's dtype (a 1-D x is one
feature per sample, as Keras 3 takes it), targets float32 arrays, or int64 class ids for a
sparse loss. Training data with NaN or inf is refused with the position of the first bad value:
one NaN turns every weight into NaN.
"""
import itertools
import types

import numpy as np

from ... import validate


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


def is_pandas(x):
    """A pandas DataFrame or Series, told by its type's module: pandas need not be installed."""
    return type(x).__module__.split(".")[0] == "pandas" and hasattr(x, "to_numpy")


def as_array(x, name):
    """x as an ndarray of real numbers (a DataFrame or Series through its to_numpy())."""
    if x is None:
        raise ValueError(f"{name}: expected an array, got None")
    if is_pandas(x):
        x = _pandas_numbers(x, name)
    return validate.as_array(x, name)


def _pandas_numbers(x, name):
    """A DataFrame or Series as one numeric array. Columns of different kinds (the bool columns
    of pd.get_dummies beside ints and floats) become float64, as Keras takes them, and pandas'
    missing values NaN (refused later with their position); a column of strings or categories
    is refused by name."""
    dtypes = list(x.dtypes) if hasattr(x, "columns") else [x.dtype]
    columns = list(x.columns) if hasattr(x, "columns") else [getattr(x, "name", None)]
    kinds = [getattr(dt, "kind", "O") for dt in dtypes]
    bad = [c for c, k in zip(columns, kinds) if k not in "biuf"]
    if bad:
        shown = ", ".join(repr(c) for c in bad[:5]) + (", ..." if len(bad) > 5 else "")
        raise TypeError(f"{name}: column(s) {shown} of the {type(x).__name__} hold non-numeric "
                        "values (strings or categories): encode them as numbers first, e.g. "
                        "with pd.get_dummies or sklearn's LabelEncoder")
    if len(set(kinds)) > 1 or any(not isinstance(dt, np.dtype) for dt in dtypes):
        return x.to_numpy(dtype=np.float64, na_value=np.nan)
    return x.to_numpy()


def structure(data, names, what):
    """data as a list with one entry per name (the model's inputs or outputs, in order): a
    single array for one name, a list or tuple in order, or a dict by name."""
    if isinstance(data, dict):
        unknown = sorted(set(data) - set(names))
        missing = [n for n in names if n not in data]
        if unknown or missing:
            raise ValueError(f"The {what} dict must have one entry per {what} name {names}; "
                             f"unknown keys {unknown}, missing {missing}")
        return [data[n] for n in names]
    if len(names) == 1:
        if isinstance(data, (list, tuple)) and len(data) == 1 and not _is_numbers(data):
            return list(data)
        return [data]
    if not isinstance(data, (list, tuple)) or len(data) != len(names):
        count = len(data) if isinstance(data, (list, tuple)) else "a single array"
        raise ValueError(f"The model has {len(names)} {what}s {names}: expected a list of "
                         f"{len(names)} arrays in that order or a dict by name, got {count}")
    return list(data)


def _is_numbers(value):
    if isinstance(value, (list, tuple)):
        return all(_is_numbers(v) for v in value)
    return isinstance(value, (int, float, np.number, bool, np.bool_))


def features(x, name, sample_shape, dtype, finite=True):
    """An input as a C-contiguous array of dtype whose samples have sample_shape (None for an
    axis of any size, or sample_shape None when unknown): a 1-D array is one feature per
    sample."""
    arr = as_array(x, name)
    given = arr.shape
    if arr.ndim == 0:
        raise ValueError(f"{name}: expected an array of samples, got a scalar")
    if arr.ndim == 1 and (sample_shape is None or len(sample_shape) == 1):
        arr = arr.reshape(-1, 1)
    if arr.shape[0] == 0 or 0 in arr.shape[1:]:
        raise ValueError(f"{name} is empty (shape {arr.shape}): nothing to train or predict on")
    if sample_shape is not None and (len(arr.shape) != len(sample_shape) + 1 or any(
            want is not None and got != want for got, want in zip(arr.shape[1:], sample_shape))):
        raise ValueError(f"{name} has shape {given}, but the model expects inputs of shape "
                         f"{(None,) + tuple(sample_shape)}")
    with np.errstate(over="ignore"):  # huge float64 values become inf, refused just below
        out = np.ascontiguousarray(arr, dtype=dtype)
    if finite:
        check_finite(out, name)
    return out


def targets(y, name, output_shape, sparse):
    """y checked against an output of output_shape, e.g. (None, 3): class ids (int64, one per
    sample) for a sparse loss, else float32 of the output's shape, (n,) being taken as (n, 1)."""
    arr = as_array(y, name)
    if arr.ndim == 0 or arr.shape[0] == 0:
        raise ValueError(f"{name} is empty or a scalar (shape {arr.shape}): expected one target "
                         "per sample")
    units = output_shape[-1]
    if sparse:
        if arr.ndim == len(output_shape) and arr.shape[-1] == 1:
            arr = arr[..., 0]
        if arr.shape[1:] != tuple(output_shape[1:-1]):
            raise ValueError(f"{name}: a sparse categorical loss expects one class id per "
                             f"sample, shape ({arr.shape[0]},), got shape {arr.shape} (use "
                             "'categorical_crossentropy' for one-hot targets)")
        check_finite(arr, name)
        ids = arr.astype(np.int64)
        bad = np.flatnonzero((ids != arr) | (ids < 0) | (ids >= units))
        if bad.size:
            raise ValueError(f"{name}: class ids must be integers in [0, {units}) for a model "
                             f"with {units} outputs, got {arr.reshape(-1)[bad[0]]} at row "
                             f"{bad[0]}")
        return ids
    with np.errstate(over="ignore"):
        out = np.ascontiguousarray(arr, dtype=np.float32)
    if out.ndim == len(output_shape) - 1 and units == 1:
        out = out.reshape(out.shape + (1,))
    expected = tuple(output_shape[1:])
    if out.shape[1:] != expected:
        hint = (" (for integer class ids use loss='sparse_categorical_crossentropy')"
                if out.ndim == 1 or out.shape[1:] == (1,) else "")
        raise ValueError(f"{name} has shape {arr.shape} but the model outputs values of shape "
                         f"{(None,) + expected}: expected shape ({arr.shape[0]}, "
                         f"{', '.join(map(str, expected))}){hint}")
    check_finite(out, name)
    return out


def sample_weights(sample_weight, rows, name="sample_weight"):
    """One non-negative finite weight per sample, as float32."""
    arr = as_array(sample_weight, name).astype(np.float32)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.shape != (rows,):
        raise ValueError(f"{name} must have one weight per sample, shape ({rows},), got shape "
                         f"{arr.shape}")
    check_finite(arr, name)
    if (arr < 0).any():
        raise ValueError(f"{name} must not be negative")
    return arr


def class_weights(class_weight, y, sparse):
    """The sample weights class_weight ({class: weight}) gives each row of the targets y: the
    class of a row is its id (sparse), its argmax (one-hot), or its rounded value (one unit)."""
    if not isinstance(class_weight, dict):
        raise ValueError(f"`class_weight` must be a dict mapping class indices to weights, "
                         f"got {class_weight!r}")
    if sparse or y.ndim == 1:
        classes = y.reshape(len(y)).astype(np.int64)
    elif y.shape[-1] == 1:
        classes = np.round(y[:, 0]).astype(np.int64)
    else:
        classes = np.argmax(y, axis=-1)
    weights = np.ones(len(y), np.float32)
    for cls, w in class_weight.items():
        weights[classes == int(cls)] = validate.nonnegative(w, f"class_weight[{cls!r}]")
    return weights


def same_rows(arrays, names):
    """Every array has as many samples as the first."""
    sizes = [len(a) for a in arrays]
    if len(set(sizes)) > 1:
        detail = "\n".join(f"'{n}' sizes: {s}" for n, s in zip(names, sizes))
        raise ValueError("Data cardinality is ambiguous. Make sure all arrays contain the same "
                         f"number of samples.\n{detail}")


def split_at(validation_split, rows):
    """The row at which the last validation_split of the data (before any shuffling) is held
    out for validation, as Keras splits it."""
    split = validate.number(validation_split, "validation_split")
    if not 0.0 <= split < 1.0:
        raise ValueError(f"validation_split must be in [0, 1), got {validation_split}")
    at = int(rows * (1.0 - split))
    if at == 0 or at == rows:
        raise ValueError(f"Training data contains {rows} samples, which is not sufficient to "
                         f"split it into a validation and training set as specified by "
                         f"`validation_split={validation_split}`. Either provide more data, or "
                         "a different value for the `validation_split` argument.")
    return at


def is_dataset(x):
    """A tf.data-style Dataset, a keras.utils.PyDataset (or Sequence) or a Python generator of
    batches: data that comes in batches, read by from_dataset."""
    from ...data import Dataset  # here: pynn.data is only needed when a script uses it
    return isinstance(x, Dataset) or _is_batch_source(x)


def _is_batch_source(x):
    from ..py_dataset import PyDataset
    return isinstance(x, (PyDataset, types.GeneratorType))


def _batches(source, y, sample_weight, what, steps):
    """Read a PyDataset's batches (steps of them, if given) or a generator's (until it ends,
    or steps of them), as from_dataset returns a Dataset's."""
    kind = "PyDataset" if not isinstance(source, types.GeneratorType) else "Python generator"
    if y is not None or sample_weight is not None:
        arg = "y" if y is not None else "sample_weight"
        raise ValueError(f"When providing `{what}` as a {kind}, `{arg}` should not be passed. "
                         f"Instead, the {'targets' if arg == 'y' else 'sample weights'} should "
                         f"be included as part of the {kind}.")
    if isinstance(source, types.GeneratorType):
        count = None if steps is None else validate.positive_int(steps, "steps")
        batches = list(itertools.islice(source, count))
    else:
        count = len(source) if steps is None else min(len(source), int(steps))
        batches = [source[i] for i in range(count)]
        source.on_epoch_end()
    if not batches:
        raise ValueError(f"The {kind} gave no batch: fit, evaluate and predict need at least "
                         "one")
    batches = [tuple(_batch_arrays(part) for part in b) if isinstance(b, (tuple, list))
               and not _is_numbers(b) else (_batch_arrays(b),) for b in batches]
    if len({len(b) for b in batches}) != 1 or not 1 <= len(batches[0]) <= 3:
        raise ValueError(f"Each batch of the {kind} must be x, (x, y) or (x, y, "
                         f"sample_weight), the same for every batch; got tuples of lengths "
                         f"{sorted({len(b) for b in batches})}")
    from ...data import _concat
    rows = _concat(batches)
    batch_size = len(_first_leaf(batches[0]))
    rows = rows + (None,) * (3 - len(rows))
    return rows[0], rows[1], rows[2], batch_size, False


def _batch_arrays(part):
    """One part of a batch (x, y or weights; a list of arrays for several inputs, a dict by
    name) as arrays _concat can join."""
    if isinstance(part, dict):
        return {k: _batch_arrays(v) for k, v in part.items()}
    if isinstance(part, (list, tuple)) and part and not _is_numbers(part):
        return tuple(_batch_arrays(v) for v in part)
    if is_pandas(part):
        return _pandas_numbers(part, "batch")
    from ...tensor import Tensor
    return np.asarray(part._data if isinstance(part, Tensor) else part)


def from_dataset(dataset, y, sample_weight, what="x", steps=None):
    """(x, y, sample_weight, batch_size, shuffled) from a tf.data-style Dataset of (x, y) or
    (x, y, sample_weight) batches (or a PyDataset's, a generator's), read once: fit then trains
    on its rows in its batch size,
    reshuffled every epoch if the dataset was shuffled. A dataset repeated forever needs
    `steps` (fit's steps_per_epoch) batches an epoch: its rows are repeated to fill them."""
    if _is_batch_source(dataset):
        return _batches(dataset, y, sample_weight, what, steps)
    if dataset.cardinality() == -1 and steps is None:
        raise ValueError("When passing an infinitely repeating dataset, please specify a "
                         "`steps_per_epoch` value so that epoch level callbacks continue to "
                         "work. The value should be the number of steps in one epoch (the "
                         "rows are repeated to fill them).")
    if y is not None or sample_weight is not None:
        arg = "y" if y is not None else "sample_weight"
        raise ValueError(f"When providing `{what}` as a tf.data.Dataset, `{arg}` should not be "
                         f"passed. Instead, the {'targets' if arg == 'y' else 'sample weights'} "
                         f"should be included as part of the Dataset `{what}`.")
    rows, batch_size = dataset.one_pass()
    if dataset.cardinality() == -1:
        count = len(_first_leaf(rows))
        times = -(-int(steps) * batch_size // count)
        if times > 1:
            rows = _repeat_rows(rows, times)
    if isinstance(rows, tuple):
        if not 1 <= len(rows) <= 3:
            raise ValueError(f"A Dataset's elements must be x, (x,), (x, y) or (x, y, "
                             f"sample_weight); got a tuple of {len(rows)}")
        rows = rows + (None,) * (3 - len(rows))
        return rows[0], rows[1], rows[2], batch_size, dataset._shuffled
    return rows, None, None, batch_size, dataset._shuffled


def _first_leaf(rows):
    while isinstance(rows, (tuple, dict)):
        rows = rows[0] if isinstance(rows, tuple) else rows[sorted(rows)[0]]
    return rows


def _repeat_rows(rows, times):
    if isinstance(rows, tuple):
        return tuple(_repeat_rows(r, times) for r in rows)
    if isinstance(rows, dict):
        return {k: _repeat_rows(v, times) for k, v in rows.items()}
    return np.concatenate([rows] * times)
