"""The confusion-matrix metrics with Keras 3's names, defaults and formulas: TruePositives,
FalsePositives, TrueNegatives, FalseNegatives, Precision, Recall, and AUC (Keras's
approximation: counts at num_thresholds thresholds, then a Riemann sum of the ROC or PR
curve). A prediction is positive when it is strictly above a threshold; a target when nonzero.
"""
import numpy as np

from ... import validate
from .. import config
from .metric import Metric, MetricResult, as_array, same_rank


def _thresholds(thresholds, default):
    values = [default] if thresholds is None else (
        list(thresholds) if isinstance(thresholds, (list, tuple, np.ndarray)) else [thresholds])
    for t in values:
        if not 0 <= t <= 1:
            raise ValueError(f"Threshold values must be in [0, 1]. Received: {values}")
    return np.asarray(values, np.float64)


def _evenly_distributed(thresholds):
    n = len(thresholds)
    return n >= 3 and np.allclose(thresholds, np.arange(n) / (n - 1), atol=config.epsilon())


def confusion_counts(y_true, y_pred, thresholds, sample_weight=None, evenly=False):
    """(tp, fp, tn, fn) per threshold, weighted, over every entry of y_pred. With evenly
    distributed thresholds, Keras's bucketed form (predictions clipped to [0, 1])."""
    y_true, y_pred = same_rank(as_array(y_true), as_array(y_pred))
    if sample_weight is None:
        weights = np.ones(y_pred.shape)
    else:  # one weight per sample, for each of its entries
        weights = np.asarray(sample_weight, np.float64)
        weights = weights.reshape(weights.shape + (1,) * (y_pred.ndim - weights.ndim))
        weights = np.broadcast_to(weights, y_pred.shape)
    positive = (y_true != 0).reshape(-1)
    y_pred, weights = y_pred.reshape(-1).astype(np.float64), weights.reshape(-1)
    true_w, false_w = np.where(positive, weights, 0.0), np.where(positive, 0.0, weights)
    n = len(thresholds)
    if evenly:
        buckets = np.ceil(np.clip(y_pred, 0, 1) * (n - 1)) - 1
        if thresholds[0] < 0 or thresholds[-1] > 1:
            buckets = np.maximum(buckets, 0)
        buckets = buckets.astype(np.int64)
        tp = np.bincount(buckets, true_w, n)[::-1].cumsum()[::-1]
        fp = np.bincount(buckets, false_w, n)[::-1].cumsum()[::-1]
    else:
        above = y_pred[None, :] > thresholds[:, None]
        tp, fp = above @ true_w, above @ false_w
    return tp, fp, false_w.sum() - fp, true_w.sum() - tp


def _top_k(y_pred, k):
    """Predictions outside each row's k largest set to -inf, as Keras filters them."""
    order = np.argsort(-y_pred, axis=-1, kind="stable")[..., :k]
    kept = np.full(y_pred.shape, -np.inf)
    np.put_along_axis(kept, order, np.take_along_axis(y_pred, order, axis=-1), axis=-1)
    return kept


class _Confusion(Metric):
    """Counts at thresholds (one, 0.5, by default; -inf with top_k), of the entries of class
    class_id only if given, of each row's top_k predictions only if given."""

    direction = "up"

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        self.init_thresholds, self.top_k, self.class_id = thresholds, top_k, class_id
        self.thresholds = (np.array([-np.inf]) if thresholds is None and top_k is not None
                           else _thresholds(thresholds, 0.5))
        super().__init__(name=name, dtype=dtype)

    def reset_state(self):
        zeros = np.zeros(len(self.thresholds))
        self.true_positives, self.false_positives = zeros.copy(), zeros.copy()
        self.true_negatives, self.false_negatives = zeros.copy(), zeros.copy()

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = as_array(y_true), as_array(y_pred, np.float64)
        if self.top_k is not None:
            y_pred = _top_k(y_pred, self.top_k)
        if self.class_id is not None:
            if y_pred.ndim == 1:
                raise ValueError("When class_id is provided, y_pred must be a 2D array with "
                                 "shape (num_samples, num_classes), found shape: "
                                 f"{y_pred.shape}")
            y_true, y_pred = y_true[..., self.class_id, None], y_pred[..., self.class_id, None]
        counts = confusion_counts(y_true, y_pred, self.thresholds, sample_weight,
                                  _evenly_distributed(self.thresholds))
        for name, count in zip(("true_positives", "false_positives", "true_negatives",
                                "false_negatives"), counts):
            setattr(self, name, getattr(self, name) + count)

    def _value(self, values):
        return MetricResult(values[0]) if len(values) == 1 else values.astype(np.float32)

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds, "top_k": self.top_k,
                "class_id": self.class_id}


def _ratio(a, b):
    """a / b, 0 where b is 0 (Keras's divide_no_nan)."""
    return np.divide(a, b, out=np.zeros_like(a, dtype=np.float64), where=b != 0)


class Precision(_Confusion):
    """tp / (tp + fp): the fraction of positive predictions that are right."""

    def result(self):
        return self._value(_ratio(self.true_positives, self.true_positives
                                  + self.false_positives))


class Recall(_Confusion):
    """tp / (tp + fn): the fraction of positive targets found."""

    def result(self):
        return self._value(_ratio(self.true_positives, self.true_positives
                                  + self.false_negatives))


class _Count(_Confusion):
    """One of the four counts at thresholds (0.5 by default)."""

    direction = "up"
    COUNT = None

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(thresholds=thresholds, name=name, dtype=dtype)

    def result(self):
        return self._value(getattr(self, self.COUNT))

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "thresholds": self.init_thresholds}


class TruePositives(_Count):
    COUNT = "true_positives"


class FalsePositives(_Count):
    direction = "down"
    COUNT = "false_positives"


class TrueNegatives(_Count):
    COUNT = "true_negatives"


class FalseNegatives(_Count):
    direction = "down"
    COUNT = "false_negatives"


class AUC(Metric):
    """AUC(num_thresholds=200, curve='ROC', summation_method='interpolation', name=None,
    dtype=None, thresholds=None, multi_label=False, num_labels=None, label_weights=None,
    from_logits=False): the area under the ROC or PR curve, from the confusion counts at
    num_thresholds thresholds spread evenly over [0, 1] (Keras's approximation)."""

    direction = "up"
    CURVES = {"roc": "ROC", "ROC": "ROC", "pr": "PR", "PR": "PR"}
    SUMMATIONS = ("interpolation", "minoring", "majoring")

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        if curve not in self.CURVES:
            raise ValueError(f'Invalid AUC curve value: "{curve}". Expected values are ["PR", '
                             '"ROC"] (pynn.keras has no PRGAIN)')
        summation = str(summation_method).lower()
        if summation not in self.SUMMATIONS:
            raise ValueError(f'Invalid AUC summation method value: "{summation_method}". '
                             'Expected values are ["interpolation", "majoring", "minoring"]')
        if multi_label or num_labels is not None or label_weights is not None:
            raise ValueError("AUC: pynn.keras computes the single-label AUC only (multi_label="
                             "False, no num_labels or label_weights)")
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            inner = sorted(float(t) for t in thresholds)
            self.num_thresholds = len(inner) + 2
        else:
            num_thresholds = validate.integer(num_thresholds, "num_thresholds")
            if num_thresholds <= 1:
                raise ValueError("Argument `num_thresholds` must be an integer > 1. Received: "
                                 f"num_thresholds={num_thresholds}")
            self.num_thresholds = num_thresholds
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        eps = config.epsilon()
        self._thresholds = np.array([0.0 - eps] + inner + [1.0 + eps])
        self._evenly = _evenly_distributed(np.array([0.0] + inner + [1.0]))
        self.curve, self.summation_method = self.CURVES[curve], summation
        self.multi_label, self.num_labels, self.label_weights = False, None, None
        self._from_logits = from_logits
        super().__init__(name=name, dtype=dtype)

    @property
    def thresholds(self):
        return list(self._thresholds)

    def reset_state(self):
        zeros = np.zeros(self.num_thresholds)
        self.true_positives, self.false_positives = zeros.copy(), zeros.copy()
        self.true_negatives, self.false_negatives = zeros.copy(), zeros.copy()

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = as_array(y_pred, np.float64)
        if self._from_logits:
            y_pred = 1 / (1 + np.exp(-y_pred))
        tp, fp, tn, fn = confusion_counts(y_true, y_pred, self._thresholds, sample_weight,
                                          self._evenly)
        self.true_positives = self.true_positives + tp
        self.false_positives = self.false_positives + fp
        self.true_negatives = self.true_negatives + tn
        self.false_negatives = self.false_negatives + fn

    def _interpolated_pr(self):
        """Davis and Goadrich's interpolation of the PR curve between thresholds."""
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = _ratio(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        both = (p[:-1] > 0) & (p[1:] > 0)
        p_ratio = np.where(both, _ratio(p[:-1], np.maximum(p[1:], 0)), 1.0)
        return float(np.sum(_ratio(slope * (dtp + intercept * np.log(p_ratio)),
                                   np.maximum(tp[1:] + fn[1:], 0))))

    def result(self):
        tp, fp, tn, fn = (self.true_positives, self.false_positives, self.true_negatives,
                          self.false_negatives)
        if self.curve == "PR" and self.summation_method == "interpolation":
            return MetricResult(self._interpolated_pr())
        recall = _ratio(tp, tp + fn)
        if self.curve == "ROC":
            x, y = _ratio(fp, fp + tn), recall
        else:
            x, y = recall, _ratio(tp, tp + fp)
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2
        elif self.summation_method == "minoring":
            heights = np.minimum(y[:-1], y[1:])
        else:
            heights = np.maximum(y[:-1], y[1:])
        return MetricResult(np.sum((x[:-1] - x[1:]) * heights))

    def get_config(self):
        config = {**super().get_config(), "num_thresholds": self.num_thresholds,
                  "curve": self.curve, "summation_method": self.summation_method,
                  "multi_label": False, "num_labels": None, "label_weights": None,
                  "from_logits": self._from_logits}
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config
