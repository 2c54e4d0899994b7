"""The regression metrics with Keras 3's names and formulas: the mean of a loss function's
per-sample values (mean squared, absolute, absolute percentage and squared logarithmic errors,
cosine similarity, log-cosh), RootMeanSquaredError and R2Score."""
import warnings

import numpy as np

from ...tensor import no_grad
from .. import losses
from .metric import Mean, MeanMetricWrapper, Metric, MetricResult, as_array, same_rank


def _of_loss(fn):
    """A loss function of Tensors as a metric function of arrays (no graph)."""
    def metric_fn(y_true, y_pred, **kwargs):
        with no_grad():
            return fn(as_array(y_true), as_array(y_pred, np.float64), **kwargs)._data
    metric_fn.__name__ = fn.__name__
    return metric_fn


class _LossMean(MeanMetricWrapper):
    """The mean of a loss function's values, under the loss function's name by default."""

    loss = None

    def __init__(self, name=None, dtype=None, **kwargs):
        fn = type(self).loss
        super().__init__(_of_loss(fn), name=name or fn.__name__, dtype=dtype, **kwargs)


class MeanSquaredError(_LossMean):
    loss = staticmethod(losses.mean_squared_error)


class MeanAbsoluteError(_LossMean):
    loss = staticmethod(losses.mean_absolute_error)


class MeanAbsolutePercentageError(_LossMean):
    loss = staticmethod(losses.mean_absolute_percentage_error)


class MeanSquaredLogarithmicError(_LossMean):
    loss = staticmethod(losses.mean_squared_logarithmic_error)


class CosineSimilarity(_LossMean):
    """The mean cosine similarity (1 for vectors pointing the same way): the loss negated."""

    direction = "up"
    loss = staticmethod(lambda y_true, y_pred, axis=-1: -losses.cosine_similarity(
        y_true, y_pred, axis=axis))

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(name=name, dtype=dtype, axis=axis)


class LogCoshError(_LossMean):
    loss = staticmethod(losses.log_cosh)

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(name=name, dtype=dtype)


class RootMeanSquaredError(Mean):
    """sqrt of the mean squared error over every entry seen."""

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = same_rank(as_array(y_true, np.float64), as_array(y_pred, np.float64))
        super().update_state(np.square(y_pred - y_true), sample_weight)

    def result(self):
        return MetricResult(np.sqrt(super().result()))


class R2Score(Metric):
    """R2Score(class_aggregation='uniform_average', num_regressors=0): the coefficient of
    determination 1 - SS_res / SS_tot per output column, averaged (or variance-weighted, or
    per column with None); adjusted for num_regressors."""

    direction = "up"
    AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")

    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score",
                 dtype=None):
        if class_aggregation not in self.AGGREGATIONS:
            raise ValueError("Invalid value for argument `class_aggregation`. Expected one of "
                             f"{self.AGGREGATIONS}. Received: class_aggregation="
                             f"{class_aggregation}")
        if num_regressors < 0:
            raise ValueError("Invalid value for argument `num_regressors`. Expected a value >= "
                             f"0. Received: num_regressors={num_regressors}")
        self.class_aggregation, self.num_regressors = class_aggregation, num_regressors
        super().__init__(name=name, dtype=dtype)

    def reset_state(self):
        self.sums = None  # sum, squared sum, squared residual and count per column
        self.num_samples = 0

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = same_rank(as_array(y_true, np.float64), as_array(y_pred, np.float64))
        if y_true.ndim != 2 or y_pred.ndim != 2:
            raise ValueError("R2Score expects 2D inputs with shape (batch_size, output_dim). "
                             f"Received input shapes: y_pred.shape={y_pred.shape} and "
                             f"y_true.shape={y_true.shape}.")
        w = np.ones(1) if sample_weight is None else np.asarray(sample_weight, np.float64)
        w = np.broadcast_to(w.reshape(-1, 1) if w.ndim == 1 else w, y_true.shape)
        batch = np.stack([(y_true * w).sum(0), (y_true * y_true * w).sum(0),
                          ((y_true - y_pred) ** 2 * w).sum(0), w.sum(0)])
        self.sums = batch if self.sums is None else self.sums + batch
        self.num_samples += y_true.size

    def result(self):
        if self.sums is None:
            return MetricResult(0.0)
        total_sum, squared_sum, residual, count = self.sums
        with np.errstate(divide="ignore", invalid="ignore"):
            total = squared_sum - total_sum * (total_sum / count)
            raw = 1 - residual / total
        raw = np.where(np.isinf(raw), 0.0, raw)
        if self.class_aggregation == "uniform_average":
            score = np.mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            score = np.sum(total * raw) / np.sum(total)
        else:
            return raw.astype(np.float32)
        n, p = self.num_samples, self.num_regressors
        if p:
            if p > n - 1:
                warnings.warn("More independent predictors than datapoints in adjusted R2 "
                              "score. Falling back to standard R2 score.", stacklevel=2)
            elif p == n - 1:
                warnings.warn("Division by zero in Adjusted R2 score. Falling back to standard "
                              "R2 score.", stacklevel=2)
            else:
                score = 1 - (1 - score) * (n - 1) / (n - p - 1)
        return MetricResult(score)

    def get_config(self):
        return {**super().get_config(), "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}
