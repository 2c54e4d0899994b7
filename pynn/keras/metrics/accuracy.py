"""The accuracies with Keras 3's names and formulas: Accuracy, BinaryAccuracy (a prediction
counts as 1 when it is strictly above the threshold), CategoricalAccuracy,
SparseCategoricalAccuracy and the top-k ones."""
import numpy as np

from ... import validate
from .. import naming
from .metric import MeanMetricWrapper, as_array, same_rank


def accuracy(y_true, y_pred):
    """1 where y_true equals y_pred exactly, else 0."""
    y_true, y_pred = same_rank(as_array(y_true), as_array(y_pred))
    return (y_true == y_pred).astype(np.float32)


def binary_matches(y_true, y_pred, threshold=0.5):
    """Whether (y_pred > threshold) equals y_true, for each entry (bools)."""
    y_true, y_pred = same_rank(as_array(y_true), as_array(y_pred))
    return y_true == (y_pred > threshold)


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1 where (y_pred > threshold) equals y_true, else 0, for each entry."""
    return binary_matches(y_true, y_pred, threshold).astype(np.float32)


def _labels(y_true, y_pred):
    """Class ids from sparse targets: one per row of y_pred, a trailing axis of 1 dropped."""
    y_true = as_array(y_true)
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    return y_true


def categorical_accuracy(y_true, y_pred):
    """1 where the argmax of the one-hot target is the argmax of y_pred."""
    y_pred = as_array(y_pred)
    return (np.argmax(as_array(y_true), axis=-1) == np.argmax(y_pred, axis=-1)).astype(
        np.float32)


def sparse_categorical_accuracy(y_true, y_pred):
    """1 where the class id is the argmax of y_pred."""
    y_pred = as_array(y_pred)
    return (_labels(y_true, y_pred) == np.argmax(y_pred, axis=-1)).astype(np.float32)


def _in_top_k(ids, y_pred, k):
    """Whether each row's target class is among its k largest predictions (ties counted in)."""
    y_pred = y_pred.reshape(-1, y_pred.shape[-1])
    ids = np.asarray(ids).reshape(-1).astype(np.int64)
    target = y_pred[np.arange(len(ids)), ids]
    return ((y_pred > target[:, None]).sum(axis=-1) < k).astype(np.float32)


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    y_pred = as_array(y_pred)
    return _in_top_k(np.argmax(as_array(y_true), axis=-1), y_pred, k)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    y_pred = as_array(y_pred)
    return _in_top_k(_labels(y_true, y_pred), y_pred, k)


class _Accuracy(MeanMetricWrapper):
    direction = "up"
    function = None

    def __init__(self, name=None, dtype=None, **kwargs):
        super().__init__(type(self).function,
                         name=name or naming.to_snake_case(type(self).__name__), dtype=dtype,
                         **kwargs)


class Accuracy(_Accuracy):
    function = staticmethod(accuracy)


class BinaryAccuracy(_Accuracy):
    """BinaryAccuracy(name='binary_accuracy', dtype=None, threshold=0.5)."""

    function = staticmethod(binary_matches)  # counted as bools: one reduction a batch

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(name=name, dtype=dtype,
                         threshold=validate.number(threshold, "threshold"))
        self.threshold = self._fn_kwargs["threshold"]


class CategoricalAccuracy(_Accuracy):
    function = staticmethod(categorical_accuracy)


class SparseCategoricalAccuracy(_Accuracy):
    function = staticmethod(sparse_categorical_accuracy)


class TopKCategoricalAccuracy(_Accuracy):
    """TopKCategoricalAccuracy(k=5, name='top_k_categorical_accuracy')."""

    function = staticmethod(top_k_categorical_accuracy)

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(name=name, dtype=dtype, k=validate.positive_int(k, "k"))
        self.k = k


class SparseTopKCategoricalAccuracy(_Accuracy):
    """SparseTopKCategoricalAccuracy(k=5, name='sparse_top_k_categorical_accuracy')."""

    function = staticmethod(sparse_top_k_categorical_accuracy)

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None):
        super().__init__(name=name, dtype=dtype, k=validate.positive_int(k, "k"))
        self.k = k
