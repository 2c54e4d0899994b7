"""pynn.keras.metrics against Keras 3's formulas (written out here in NumPy): accuracies,
confusion counts, Precision, Recall, AUC (Keras's thresholded approximation, ROC and PR),
regression metrics, R2Score; sample weights; the names compile() takes and logs under, as
keras 3.15 logs them; and the accuracy fit reports describing what predict() returns."""
import numpy as np
import pytest

import pynn
from pynn import keras
from pynn.keras import metrics
from pynn.keras.layers import Dense
from pynn.keras.models import Sequential
from pynn.keras.utils import set_random_seed

RNG = np.random.default_rng(0)
YB = RNG.integers(0, 2, (40, 1)).astype(np.float32)
PB = np.clip(YB * 0.3 + RNG.uniform(0, 0.7, (40, 1)), 0, 1).astype(np.float32)
W = RNG.uniform(0.5, 2.0, 40)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_binary_accuracy_counts_strictly_above_the_threshold():
    m = metrics.BinaryAccuracy()
    m.update_state([[1], [1], [0], [0]], [[0.9], [0.5], [0.5], [0.1]])  # 0.5 is not above 0.5
    assert m.result() == pytest.approx(0.75)
    m.update_state([[1]], [[0.8]])
    assert m.result() == pytest.approx(0.8)
    m.reset_state()
    assert m.result() == 0.0
    m = metrics.BinaryAccuracy(threshold=0.7)
    m.update_state(YB, PB, sample_weight=W)
    assert m.result() == pytest.approx(np.sum(((PB > 0.7) == YB)[:, 0] * W) / W.sum())
    assert m.result().numpy() == np.float32(m.result())  # Keras's .numpy()


def test_categorical_sparse_and_top_k_accuracies():
    p = RNG.uniform(size=(30, 5))
    ids = RNG.integers(0, 5, 30)
    top = np.argsort(-p, axis=1)
    for cls, target in ((metrics.CategoricalAccuracy, np.eye(5)[ids]),
                        (metrics.SparseCategoricalAccuracy, ids),
                        (metrics.SparseCategoricalAccuracy, ids[:, None])):
        m = cls()
        m.update_state(target, p)
        assert m.result() == pytest.approx(np.mean(p.argmax(1) == ids))
    for k in (1, 2, 3):
        want = np.mean([ids[i] in top[i, :k] for i in range(30)])
        for m, target in ((metrics.TopKCategoricalAccuracy(k=k), np.eye(5)[ids]),
                          (metrics.SparseTopKCategoricalAccuracy(k=k), ids)):
            m.update_state(target, p)
            assert m.result() == pytest.approx(want)
    a = metrics.Accuracy()
    a.update_state([1, 2, 3, 4], [1, 2, 0, 4])
    assert a.result() == pytest.approx(0.75)


def confusion(y, p, t, w=None):
    w = np.ones(len(y)) if w is None else w
    pos, pred = y.ravel() != 0, p.ravel() > t
    return (np.sum(w * (pos & pred)), np.sum(w * (~pos & pred)), np.sum(w * (~pos & ~pred)),
            np.sum(w * (pos & ~pred)))


def test_confusion_counts_precision_and_recall():
    tp, fp, tn, fn = confusion(YB, PB, 0.5, W)
    for cls, want in ((metrics.TruePositives, tp), (metrics.FalsePositives, fp),
                      (metrics.TrueNegatives, tn), (metrics.FalseNegatives, fn),
                      (metrics.Precision, tp / (tp + fp)), (metrics.Recall, tp / (tp + fn))):
        m = cls()
        m.update_state(YB[:20], PB[:20], sample_weight=W[:20])
        m.update_state(YB[20:], PB[20:], sample_weight=W[20:])
        assert m.result() == pytest.approx(want)
    many = metrics.Precision(thresholds=[0.3, 0.6])
    many.update_state(YB, PB)
    want = [confusion(YB, PB, t)[0] / (confusion(YB, PB, t)[0] + confusion(YB, PB, t)[1])
            for t in (0.3, 0.6)]
    np.testing.assert_allclose(many.result(), want, rtol=1e-6)
    empty = metrics.Precision()
    empty.update_state([[0]], [[0.1]])
    assert empty.result() == 0.0  # Keras's divide_no_nan


def test_precision_and_recall_of_a_class_and_of_the_top_k():
    y = np.eye(3)[[0, 1, 2, 1]]
    p = np.array([[0.6, 0.3, 0.1], [0.2, 0.7, 0.1], [0.5, 0.1, 0.4], [0.6, 0.3, 0.1]])
    r = metrics.Recall(class_id=1)
    r.update_state(y, p)
    assert r.result() == pytest.approx(0.5)
    top = metrics.Precision(top_k=1)
    top.update_state(y, p)
    assert top.result() == pytest.approx(0.25 * 2)  # rows 0 and 1 are right at the top


def keras_auc(y, p, n=200, curve="ROC", summation="interpolation"):
    """Keras's AUC: counts at thresholds -eps, 1/(n-1), ..., (n-2)/(n-1), 1+eps, then a
    Riemann sum (PR with interpolation: Davis and Goadrich)."""
    thresholds = np.array([-1e-7] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1 + 1e-7])
    tp, fp, tn, fn = np.array([confusion(y, p, t) for t in thresholds]).T
    div = lambda a, b: np.divide(a, b, out=np.zeros_like(a), where=b != 0)  # noqa: E731
    if curve == "PR" and summation == "interpolation":
        dtp, pp = tp[:-1] - tp[1:], tp + fp
        slope = div(dtp, np.maximum(pp[:-1] - pp[1:], 0))
        intercept = tp[1:] - slope * pp[1:]
        ratio = np.where((pp[:-1] > 0) & (pp[1:] > 0), div(pp[:-1], np.maximum(pp[1:], 0)), 1)
        return np.sum(div(slope * (dtp + intercept * np.log(ratio)), tp[1:] + fn[1:]))
    x, y_ = (div(fp, fp + tn), div(tp, tp + fn)) if curve == "ROC" else (
        div(tp, tp + fn), div(tp, tp + fp))
    heights = {"interpolation": (y_[:-1] + y_[1:]) / 2, "minoring": np.minimum(y_[:-1], y_[1:]),
               "majoring": np.maximum(y_[:-1], y_[1:])}[summation]
    return np.sum((x[:-1] - x[1:]) * heights)


def exact_roc_auc(y, p):
    pos, neg = p[y == 1], p[y == 0]
    return np.mean((pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :]))


@pytest.mark.parametrize("curve, summation", [("ROC", "interpolation"), ("ROC", "minoring"),
                                              ("ROC", "majoring"), ("PR", "interpolation"),
                                              ("PR", "majoring")])
def test_auc_is_keras_approximation(curve, summation):
    m = metrics.AUC(curve=curve, summation_method=summation)
    m.update_state(YB[:25], PB[:25])
    m.update_state(YB[25:], PB[25:])
    assert m.result() == pytest.approx(keras_auc(YB, PB, curve=curve, summation=summation),
                                       rel=1e-6)
    if curve == "ROC" and summation == "interpolation":
        assert m.result() == pytest.approx(exact_roc_auc(YB.ravel(), PB.ravel()), abs=0.01)


def test_auc_options_and_checks():
    z = (PB - 0.5) * 8
    logits = metrics.AUC(from_logits=True)
    logits.update_state(YB, z)
    probabilities = metrics.AUC()
    probabilities.update_state(YB, sigmoid(z))
    assert logits.result() == pytest.approx(probabilities.result())
    few = metrics.AUC(num_thresholds=5)
    few.update_state(YB, PB)
    assert few.result() == pytest.approx(keras_auc(YB, PB, n=5), rel=1e-6)
    weighted = metrics.AUC()
    weighted.update_state(YB, PB, sample_weight=np.ones(40))
    assert weighted.result() == pytest.approx(keras_auc(YB, PB))
    assert metrics.AUC(thresholds=[0.3, 0.7]).get_config()["thresholds"] == [0.3, 0.7]
    with pytest.raises(ValueError, match="num_thresholds"):
        metrics.AUC(num_thresholds=1)
    with pytest.raises(ValueError, match="curve"):
        metrics.AUC(curve="XY")


def test_regression_metrics():
    y, p = RNG.standard_normal((20, 2)), RNG.standard_normal((20, 2))
    cases = [(metrics.MeanSquaredError(), np.mean((p - y) ** 2)),
             (metrics.MeanAbsoluteError(), np.mean(np.abs(p - y))),
             (metrics.MeanAbsolutePercentageError(),
              100 * np.mean(np.abs((y - p) / np.maximum(np.abs(y), 1e-7)))),
             (metrics.RootMeanSquaredError(), np.sqrt(np.mean((p - y) ** 2))),
             (metrics.CosineSimilarity(), np.mean(np.sum(y * p, 1) / np.linalg.norm(y, axis=1)
                                                 / np.linalg.norm(p, axis=1))),
             (metrics.LogCoshError(), np.mean(np.log(np.cosh(p - y))))]
    for m, want in cases:
        m.update_state(y[:10], p[:10])
        m.update_state(y[10:], p[10:])
        assert m.result() == pytest.approx(want, rel=1e-6)
    r2 = metrics.R2Score()
    r2.update_state(y, p)
    ss_res, ss_tot = ((y - p) ** 2).sum(0), ((y - y.mean(0)) ** 2).sum(0)
    assert r2.result() == pytest.approx(np.mean(1 - ss_res / ss_tot))
    weighted = metrics.MeanSquaredError()
    weighted.update_state(y, p, sample_weight=W[:20])
    assert weighted.result() == pytest.approx(
        np.sum(np.mean((p - y) ** 2, 1) * W[:20]) / W[:20].sum())


def test_mean_sum_and_a_wrapped_function():
    mean, total = metrics.Mean(), metrics.Sum()
    for m in (mean, total):
        m.update_state([1.0, 2.0, 3.0])
        m.update_state([4.0], sample_weight=[2.0])
    assert mean.result() == pytest.approx((1 + 2 + 3 + 8) / 5) and total.result() == 14.0
    wrapped = metrics.MeanMetricWrapper(lambda t, p: np.abs(t - p).max(axis=-1), name="maxerr")
    wrapped.update_state(np.zeros((2, 2)), np.array([[1.0, 0.5], [3.0, 0.0]]))
    assert wrapped.result() == 2.0 and wrapped.name == "maxerr"
    assert metrics.BinaryAccuracy()([[1], [0]], [[0.9], [0.9]]) == 0.5  # metric(...) call


# the names compile() takes and the classes Keras 3.15 resolves them to (logged as given)
KERAS_NAMES = {
    "mae": "MeanAbsoluteError", "MAE": "MeanAbsoluteError", "mse": "MeanSquaredError",
    "MSE": "MeanSquaredError", "mape": "MeanAbsolutePercentageError",
    "msle": "MeanSquaredLogarithmicError", "auc": "AUC", "AUC": "AUC", "precision": "Precision",
    "Precision": "Precision", "recall": "Recall", "binary_accuracy": "BinaryAccuracy",
    "BinaryAccuracy": "BinaryAccuracy", "mean_squared_error": "MeanSquaredError",
    "mean_absolute_error": "MeanAbsoluteError", "MeanSquaredError": "MeanSquaredError",
    "RootMeanSquaredError": "RootMeanSquaredError", "hinge": "Hinge",
    "cosine_similarity": "CosineSimilarity", "poisson": "Poisson", "r2_score": "R2Score",
    "R2Score": "R2Score", "categorical_accuracy": "CategoricalAccuracy",
    "sparse_categorical_accuracy": "SparseCategoricalAccuracy",
    "sparse_top_k_categorical_accuracy": "SparseTopKCategoricalAccuracy",
    "binary_crossentropy": "BinaryCrossentropy", "bce": "BinaryCrossentropy",
    "kl_divergence": "KLDivergence", "root_mean_squared_error": "RootMeanSquaredError"}


@pytest.mark.parametrize("name, cls", KERAS_NAMES.items())
def test_names_resolve_as_keras_and_log_as_given(name, cls):
    metric = metrics.get(name, (8, 1), (8, 1))
    assert type(metric).__name__ == cls and metric.name == name


@pytest.mark.parametrize("name", ["crossentropy", "ce", "kld", "logcosh", "log_cosh", "f1"])
def test_names_keras_3_refuses(name):
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        metrics.get(name, (8, 1), (8, 1))


@pytest.mark.parametrize("y_true, y_pred, cls", [
    ((32, 1), (32, 1), metrics.BinaryAccuracy),
    ((32,), (32, 1), metrics.BinaryAccuracy),
    ((32,), (32, 10), metrics.SparseCategoricalAccuracy),
    ((32, 1), (32, 10), metrics.SparseCategoricalAccuracy),
    ((32, 10), (32, 10), metrics.CategoricalAccuracy),
])
def test_accuracy_resolves_from_shapes_as_keras(y_true, y_pred, cls):
    for name in ("accuracy", "acc"):
        metric = metrics.get(name, y_true, y_pred)
        assert type(metric) is cls and metric.name == name


def test_functions_objects_and_configs():
    assert type(metrics.get(metrics.binary_accuracy)) is metrics.BinaryAccuracy
    assert type(metrics.get(pynn.keras.losses.mean_squared_error)) is metrics.MeanSquaredError
    acc = metrics.BinaryAccuracy(threshold=0.3)
    assert metrics.get(acc) is acc
    again = metrics.get(metrics.serialize(acc), (4, 1), (4, 1))
    assert again.get_config() == {"name": "binary_accuracy", "dtype": "float32",
                                  "threshold": 0.3}
    for cls in metrics.CLASSES.values():
        m = cls(name="mine")
        assert type(metrics.get(metrics.serialize(m))) is cls
    assert metrics.BinaryAccuracy.direction == "up" and metrics.AUC.direction == "up"
    assert metrics.MeanSquaredError.direction == "down"


def test_accuracy_fit_reports_is_the_accuracy_of_what_predict_returns():
    """Issue 12: float32's sigmoid gives exactly 0.5 for |z| < ~1e-7; predict() returns it,
    and 0.5 is not above 0.5, so the accuracy evaluate and fit report must count class 0 there
    (comparing the logits with 0 would count class 1). The fused loss sees the logits; the
    metrics see the probabilities."""
    x = np.ones((6, 1), np.float32)
    y = np.ones((6, 1), np.float32)
    model = Sequential([pynn.keras.Input((1,)), Dense(1, activation="sigmoid")])
    model.compile(optimizer=pynn.keras.optimizers.SGD(learning_rate=0.0),
                  loss="binary_crossentropy", metrics=["accuracy"])
    model.set_weights([np.zeros((1, 1), np.float32), np.array([3e-8], np.float32)])
    p = model.predict(x, verbose=0)
    assert (p == 0.5).all()
    _, accuracy = model.evaluate(x, y, verbose=0)
    assert accuracy == float(np.mean((p > 0.5) == y)) == 0.0
    assert model.fit(x, y, epochs=1, verbose=0).history["accuracy"] == [0.0]


def test_a_model_reports_the_accuracy_of_its_predictions():
    set_random_seed(0)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((50, 3)).astype(np.float32)
    y = (x[:, :1] > 0).astype(np.float32)
    model = Sequential([Dense(5, input_dim=3, activation="tanh"), Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy",
                  metrics=["accuracy", "auc", "precision", "recall"])
    model.fit(x, y, epochs=3, verbose=0)
    loss, accuracy, auc, precision, recall = model.evaluate(x, y, verbose=0)
    p = model.predict(x, verbose=0)
    assert accuracy == pytest.approx(np.mean((p > 0.5) == y))
    assert auc == pytest.approx(keras_auc(y, p), rel=1e-5)
    tp, fp, tn, fn = confusion(y, p, 0.5)
    assert precision == pytest.approx(tp / (tp + fp)) and recall == pytest.approx(tp / (tp + fn))


class _TruePositives(keras.metrics.Metric):
    """A metric written for Keras: state from add_weight, Keras's default reset_state."""

    def __init__(self, name="true_pos", **kwargs):
        super().__init__(name=name, **kwargs)
        self.count = self.add_weight(name="tp", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = pynn.cast(pynn.convert_to_tensor(y_pred) > 0.5, "float32")
        self.count.assign_add(pynn.reduce_sum(pynn.convert_to_tensor(y_true) * y_pred))

    def result(self):
        return self.count * 1.0


class _Ratio(_TruePositives):
    """Its own reset_state, which reads state made after super().__init__ (Keras never calls
    reset_state from Metric.__init__)."""

    def __init__(self, **kwargs):
        super().__init__(name="ratio", **kwargs)
        self.seen = self.add_weight(name="seen", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        super().update_state(y_true, y_pred)
        self.seen.assign_add(float(len(y_true)))

    def result(self):
        return self.count / self.seen

    def reset_state(self):
        self.count.assign(0.0)
        self.seen.assign(0.0)


def test_a_metric_subclass_with_add_weight_logs_floats_per_epoch():
    x = np.array([[0.0], [1.0], [2.0], [3.0]], np.float32)
    y = np.array([0, 1, 1, 1], np.float32)
    tp = _TruePositives()
    assert [v.name for v in tp.variables] == ["tp"] and float(tp.result()) == 0.0
    tp.update_state(y, np.array([0.9, 0.8, 0.2, 0.7]))
    assert float(tp.result()) == 2.0
    tp.reset_state()
    assert float(tp.result()) == 0.0
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=[_TruePositives(), _Ratio()])
    history = model.fit(x, y, epochs=2, batch_size=2, verbose=0)
    p = model.predict(x, verbose=0)[:, 0]
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert isinstance(logs["true_pos"], float) and isinstance(history.history["ratio"][0], float)
    assert logs["true_pos"] == np.sum(y * (p > 0.5))  # reset before evaluating: not accumulated
    assert logs["ratio"] == pytest.approx(np.sum(y * (p > 0.5)) / 4)


F1_TRUE = np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]], np.int32)
F1_PRED = np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]], np.float32)


def test_f1_score_per_class_and_averaged_as_keras_computes_it():
    m = metrics.F1Score(threshold=0.5)
    m.update_state(F1_TRUE, F1_PRED)
    np.testing.assert_allclose(m.result(), [0.5, 0.8, 0.6666667], rtol=1e-6)  # Keras's example
    # two batches, the second weighted, each averaging: values Keras 3 gives
    expected = {(None, 0.5): [0.28571427, 0.6666666, 0.57142854],
                (None, None): [0.0, 0.2857142, 0.57142854], ("micro", 0.5): 0.5217391,
                ("macro", None): 0.28571424, ("weighted", 0.5): 0.44155845}
    for (average, threshold), value in expected.items():
        m = metrics.F1Score(average=average, threshold=threshold)
        m.update_state(F1_TRUE, F1_PRED)
        m.update_state(F1_TRUE[:2], F1_PRED[:2], sample_weight=np.array([1.0, 2.0]))
        np.testing.assert_allclose(m.result(), value, rtol=1e-5, atol=1e-7)
    m = metrics.FBetaScore(beta=2.0, average="macro", threshold=0.5)
    m.update_state(F1_TRUE, F1_PRED)
    assert float(m.result()) == pytest.approx(0.7090131640434265, rel=1e-6)
    m.reset_state()
    assert float(m.result()) == 0.0


def test_f1_score_arguments_are_checked_as_in_keras():
    with pytest.raises(ValueError, match="Invalid `average`"):
        metrics.F1Score(average="binary")
    with pytest.raises(ValueError, match="Python float"):
        metrics.F1Score(threshold=1)
    with pytest.raises(ValueError, match="0 < threshold <= 1"):
        metrics.F1Score(threshold=1.5)
    with pytest.raises(ValueError, match="> 0"):
        metrics.FBetaScore(beta=-1.0)
    with pytest.raises(ValueError, match="2D inputs"):
        metrics.F1Score().update_state(np.ones(3), np.ones(3))
    assert metrics.F1Score(average="macro").get_config() == {
        "name": "f1_score", "dtype": "float32", "average": "macro", "threshold": None}


def test_f1_score_in_fit_and_two_metrics_of_one_name():
    x = np.random.default_rng(0).standard_normal((64, 3)).astype(np.float32)
    y = (x[:, :1] > 0).astype(np.float32)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy",
                  metrics=[metrics.F1Score(threshold=0.5), "f1_score"])
    history = model.fit(x, y, epochs=1, verbose=0)
    assert sorted(history.history) == ["f1_score", "f1_score_1", "loss"]
    # without a threshold the one column is always its row's maximum: every sample positive
    positives = y.mean()
    assert history.history["f1_score_1"][0] == pytest.approx(
        2 * positives / (1 + positives), rel=1e-5)
