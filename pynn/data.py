"""tf.data for `import tensorflow as tf` scripts: Dataset.from_tensor_slices over in-memory
arrays, with the transformations beginner scripts chain (shuffle, batch, map, filter, take,
skip, repeat, prefetch, cache), iterated as Tensors, and given to a Keras model's fit, evaluate
and predict, which read its rows once and train on them in its batches, reshuffled every epoch
if it was shuffled (as TensorFlow reshuffles a shuffled dataset each time it is iterated).

A Dataset here holds NumPy arrays, not a graph: data that does not fit in memory, files
(TFRecordDataset, TextLineDataset) and generators (from_generator) are not supported."""
import itertools

import numpy as np

from . import random
from .tensor import Tensor, as_tensor

__all__ = ["Dataset", "AUTOTUNE", "experimental"]

AUTOTUNE = -1  # tf.data.AUTOTUNE: prefetch and map take it; pynn reads in memory anyway


class experimental:
    """tf.data.experimental.AUTOTUNE, the older spelling."""
    AUTOTUNE = AUTOTUNE


# ---- structures: an element is an array, or a tuple or dict of them (nested) ----------------

def _map(fn, element):
    if isinstance(element, dict):
        return {k: _map(fn, v) for k, v in element.items()}
    if isinstance(element, tuple):
        return tuple(_map(fn, v) for v in element)
    return fn(element)


def _leaves(element):
    if isinstance(element, dict):
        return [leaf for v in element.values() for leaf in _leaves(v)]
    if isinstance(element, tuple):
        return [leaf for v in element for leaf in _leaves(v)]
    return [element]


def _stack(elements):
    """Elements of the same structure stacked along a new first axis."""
    first = elements[0]
    if isinstance(first, dict):
        return {k: _stack([e[k] for e in elements]) for k in first}
    if isinstance(first, tuple):
        return tuple(_stack([e[i] for e in elements]) for i in range(len(first)))
    return np.stack(elements)


def _concat(batches):
    first = batches[0]
    if isinstance(first, dict):
        return {k: _concat([b[k] for b in batches]) for k in first}
    if isinstance(first, tuple):
        return tuple(_concat([b[i] for b in batches]) for i in range(len(first)))
    return np.concatenate(batches)


def _as_arrays(value):
    """The user's structure (arrays, lists, Tensors, DataFrames; tuples, lists of arrays and
    dicts) as tuples and dicts of NumPy arrays."""
    if isinstance(value, dict):
        return {k: _as_arrays(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_as_arrays(v) for v in value)
    if isinstance(value, Tensor):
        return value.detach().numpy()
    if hasattr(value, "to_numpy"):  # a pandas DataFrame or Series
        return value.to_numpy()
    array = np.asarray(value)
    if array.dtype == object:
        raise ValueError("Dataset.from_tensor_slices: the values must be arrays of numbers "
                         "(a tuple for features and labels), got ragged or mixed data")
    if isinstance(value, (list, float, int)) and array.dtype.kind == "f":
        array = array.astype(np.float32)  # Python floats, as TensorFlow converts them
    return array


def _to_tensors(element):
    return _map(lambda a: as_tensor(np.asarray(a)), element)


def _from_user(element):
    """What a map or filter function returned, as arrays."""
    return _map(lambda v: v.detach().numpy() if isinstance(v, Tensor) else np.asarray(v),
                element)


def _call(fn, element):
    """fn applied to an element as TensorFlow calls it: a tuple's parts as arguments."""
    tensors = _to_tensors(element)
    out = fn(*tensors) if isinstance(tensors, tuple) else fn(tensors)
    if isinstance(out, list):
        out = tuple(out)
    return out


class Dataset:
    """A sequence of elements (an array, or a tuple or dict of arrays), made by
    Dataset.from_tensor_slices and transformed by methods that each return a new Dataset.
    Iterating it gives Tensors, as TensorFlow's eager iteration does."""

    def __init__(self, make, length, batch_size=None, shuffled=False, once=None,
                 infinite=False):
        self._make = make              # a function returning a fresh iterator of elements
        self._once = once or make      # the same with repeat() counted once (for fit)
        self._length = length          # the number of elements, or None when unknown
        self._batch_size = batch_size  # set by batch(): what fit trains in
        self._shuffled = shuffled
        self._infinite = infinite      # repeat() forever

    def _derive(self, make, length, once=None, **changes):
        kwargs = {"batch_size": self._batch_size, "shuffled": self._shuffled,
                  "infinite": self._infinite, **changes}
        return Dataset(make, length, once=once, **kwargs)

    # ---- making ---------------------------------------------------------------------------

    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """One element per row of the arrays: from_tensor_slices((X, y)) gives (X[i], y[i])."""
        arrays = _as_arrays(tensors)
        leaves = _leaves(arrays)
        if not leaves or any(a.ndim == 0 for a in leaves):
            raise ValueError("Dataset.from_tensor_slices: every value needs a first axis to "
                             "slice (a scalar has none)")
        rows = {len(a) for a in leaves}
        if len(rows) > 1:
            raise ValueError(f"Dataset.from_tensor_slices: the arrays must have the same "
                             f"number of rows (their first dimension), got {sorted(rows)}")
        n = rows.pop()

        def make():
            return (_map(lambda a, i=i: a[i], arrays) for i in range(n))
        return Dataset(make, n)

    @staticmethod
    def from_tensors(tensors, name=None):
        """A dataset of one element: the whole of `tensors`."""
        arrays = _as_arrays(tensors)
        return Dataset(lambda: iter([arrays]), 1)

    @staticmethod
    def range(*args, dtype=np.int64, name=None):
        values = np.arange(*args).astype(dtype)
        return Dataset.from_tensor_slices(values)

    @staticmethod
    def zip(*datasets, name=None):
        if len(datasets) == 1 and isinstance(datasets[0], (tuple, list)):
            datasets = tuple(datasets[0])
        lengths = [d._length for d in datasets]
        known = [n for n in lengths if n is not None]
        return Dataset(lambda: zip(*(d._make() for d in datasets)),
                       min(known) if known else None,
                       once=lambda: zip(*(d._once() for d in datasets)))

    # ---- transformations ------------------------------------------------------------------

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        """Consecutive elements stacked in batches of batch_size (the last one smaller unless
        drop_remainder)."""
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
                or batch_size < 1:
            raise ValueError(f"batch: batch_size must be a positive integer, got {batch_size!r}")
        size = int(batch_size)

        def batched(make):
            def gen():
                it = make()
                while True:
                    chunk = list(itertools.islice(it, size))
                    if not chunk or (drop_remainder and len(chunk) < size):
                        return
                    yield _stack(chunk)
            return gen
        n = self._length
        length = None if n is None else (n // size if drop_remainder else -(-n // size))
        return self._derive(batched(self._make), length, once=batched(self._once),
                            batch_size=size)

    def unbatch(self, name=None):
        def unbatched(make):
            def gen():
                for batch in make():
                    rows = len(_leaves(batch)[0])
                    for i in range(rows):
                        yield _map(lambda a, i=i: a[i], batch)
            return gen
        return self._derive(unbatched(self._make), None, once=unbatched(self._once),
                            batch_size=None)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        """Elements in random order, drawn from a buffer of buffer_size as TensorFlow draws
        them (a buffer as large as the dataset shuffles it uniformly)."""
        if isinstance(buffer_size, bool) or not isinstance(buffer_size, (int, np.integer)) \
                or not (buffer_size >= 1 or buffer_size == AUTOTUNE):
            raise ValueError(f"shuffle: buffer_size must be a positive integer, "
                             f"got {buffer_size!r}")
        size = (self._length or 1) if buffer_size == AUTOTUNE else int(buffer_size)
        fixed = [np.random.default_rng(seed)] if seed is not None else None

        def shuffled(make):
            def gen():
                rng = (np.random.default_rng(seed) if not reshuffle_each_iteration
                       else fixed[0] if fixed else random.generator())
                buffer = []
                for element in make():
                    buffer.append(element)
                    if len(buffer) >= size:
                        i = int(rng.integers(len(buffer)))
                        buffer[i], buffer[-1] = buffer[-1], buffer[i]
                        yield buffer.pop()
                while buffer:
                    i = int(rng.integers(len(buffer)))
                    buffer[i], buffer[-1] = buffer[-1], buffer[i]
                    yield buffer.pop()
            return gen
        return self._derive(shuffled(self._make), self._length, once=shuffled(self._once),
                            shuffled=True)

    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """map_func applied to every element (a tuple's parts passed as its arguments)."""
        def mapped(make):
            return lambda: (_from_user(_call(map_func, e)) for e in make())
        return self._derive(mapped(self._make), self._length, once=mapped(self._once))

    def filter(self, predicate, name=None):
        def kept(make):
            return lambda: (e for e in make() if bool(np.asarray(
                _from_user(_call(predicate, e)))))
        return self._derive(kept(self._make), None, once=kept(self._once))

    def take(self, count, name=None):
        count = int(count)

        def taken(make):
            return lambda: (make() if count < 0 else itertools.islice(make(), count))
        n = self._length
        length = n if count < 0 else (count if n is None else min(n, count))
        return self._derive(taken(self._make), length, once=taken(self._once),
                            infinite=self._infinite and count < 0)

    def skip(self, count, name=None):
        count = int(count)

        def skipped(make):
            return lambda: itertools.islice(make(), max(count, 0), None)
        n = self._length
        length = None if n is None else max(n - max(count, 0), 0)
        return self._derive(skipped(self._make), length, once=skipped(self._once))

    def repeat(self, count=None, name=None):
        """The elements count times over (forever when count is None or -1). fit, evaluate
        and predict read one pass of them."""
        forever = count is None or count == -1
        make = self._make

        def repeated():
            return itertools.chain.from_iterable(
                make() for _ in (itertools.count() if forever else range(int(count))))
        length = None if forever or self._length is None else self._length * int(count)
        return self._derive(repeated, length, once=self._once,
                            infinite=self._infinite or forever)

    def concatenate(self, dataset, name=None):
        lengths = (self._length, dataset._length)
        return self._derive(lambda: itertools.chain(self._make(), dataset._make()),
                            None if None in lengths else sum(lengths),
                            once=lambda: itertools.chain(self._once(), dataset._once()))

    def prefetch(self, buffer_size, name=None):
        return self

    def cache(self, filename="", name=None):
        return self

    def with_options(self, options, name=None):
        return self

    # ---- reading --------------------------------------------------------------------------

    def __iter__(self):
        return (_to_tensors(e) for e in self._make())

    def as_numpy_iterator(self):
        return iter(self._make())

    def __len__(self):
        if self._infinite:
            raise TypeError("The dataset is infinite.")
        if self._length is None:
            raise TypeError("The dataset length is unknown.")
        return self._length

    def cardinality(self):
        """The number of elements: -1 when infinite (repeat()), -2 when unknown."""
        if self._infinite:
            return -1
        return -2 if self._length is None else self._length

    def one_pass(self):
        """(the elements of one pass stacked as rows, batch_size): what fit, evaluate and
        predict train and test on. Raises if the dataset was never batched."""
        if self._batch_size is None:
            raise ValueError("This Dataset's elements are single samples, not batches: call "
                             ".batch(batch_size) on it before giving it to fit, evaluate or "
                             "predict, as Keras takes each element as a batch.")
        batches = list(self._once())
        if not batches:
            raise ValueError("The Dataset is empty: fit, evaluate and predict need at least "
                             "one batch")
        return _concat(batches), self._batch_size

    def __repr__(self):
        return (f"<Dataset length={self._length if self._length is not None else 'unknown'}, "
                f"batch_size={self._batch_size}>")
