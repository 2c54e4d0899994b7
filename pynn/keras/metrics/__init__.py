"""Metrics with Keras 3's names, arguments and formulas (keras.metrics), computed in NumPy on
the targets and the predictions. compile(metrics=[...]) resolves a name as Keras does and logs
it under the name given: 'acc' as 'acc', 'AUC' as 'AUC'; 'accuracy' (and 'acc') become the
binary, sparse categorical or categorical accuracy from the shapes of the targets and
outputs."""
from .. import losses, naming, utils
from .accuracy import (Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
                       SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy, accuracy,
                       binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
                       sparse_top_k_categorical_accuracy, top_k_categorical_accuracy)
from .confusion import (AUC, FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives,
                        TruePositives)
from .fbeta import F1Score, FBetaScore
from .metric import Mean, MeanMetricWrapper, Metric, MetricResult, Sum
from .probabilistic import (BinaryCrossentropy, CategoricalCrossentropy, CategoricalHinge, Hinge,
                            KLDivergence, Poisson, SparseCategoricalCrossentropy, SquaredHinge)
from .regression import (CosineSimilarity, LogCoshError, MeanAbsoluteError,
                         MeanAbsolutePercentageError, MeanSquaredError,
                         MeanSquaredLogarithmicError, R2Score, RootMeanSquaredError)

# the loss functions keras.metrics has too
from ..losses import (binary_crossentropy, categorical_crossentropy, categorical_hinge, hinge,
                      kl_divergence, log_cosh, mean_absolute_error,
                      mean_absolute_percentage_error, mean_squared_error,
                      mean_squared_logarithmic_error, poisson, sparse_categorical_crossentropy,
                      squared_hinge)

CLASSES = {cls.__name__: cls for cls in (
    Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
    TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy, AUC, Precision, Recall,
    TruePositives, FalsePositives, TrueNegatives, FalseNegatives, Mean, Sum, MeanSquaredError,
    MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError,
    RootMeanSquaredError, CosineSimilarity, LogCoshError, R2Score, BinaryCrossentropy,
    CategoricalCrossentropy, SparseCategoricalCrossentropy, KLDivergence, Poisson, Hinge,
    SquaredHinge, CategoricalHinge, FBetaScore, F1Score)}
# each function and the metric class that averages it
_FUNCTIONS = {
    accuracy: Accuracy, binary_accuracy: BinaryAccuracy, categorical_accuracy: CategoricalAccuracy,
    sparse_categorical_accuracy: SparseCategoricalAccuracy,
    top_k_categorical_accuracy: TopKCategoricalAccuracy,
    sparse_top_k_categorical_accuracy: SparseTopKCategoricalAccuracy,
    mean_squared_error: MeanSquaredError, mean_absolute_error: MeanAbsoluteError,
    mean_absolute_percentage_error: MeanAbsolutePercentageError,
    mean_squared_logarithmic_error: MeanSquaredLogarithmicError,
    binary_crossentropy: BinaryCrossentropy, categorical_crossentropy: CategoricalCrossentropy,
    sparse_categorical_crossentropy: SparseCategoricalCrossentropy,
    kl_divergence: KLDivergence, poisson: Poisson, hinge: Hinge, squared_hinge: SquaredHinge,
    categorical_hinge: CategoricalHinge, log_cosh: LogCoshError,
    losses.cosine_similarity: CosineSimilarity}
# the names keras.metrics.get takes: class names, their snake-cased forms, function names and
# Keras's aliases ('accuracy' and 'acc' resolve from the shapes, in get())
NAMES = {**CLASSES, **{naming.to_snake_case(n): c for n, c in CLASSES.items()},
         **{fn.__name__: cls for fn, cls in _FUNCTIONS.items()},
         "auc": AUC, "mse": MeanSquaredError, "MSE": MeanSquaredError,
         "mae": MeanAbsoluteError, "MAE": MeanAbsoluteError,
         "mape": MeanAbsolutePercentageError, "MAPE": MeanAbsolutePercentageError,
         "msle": MeanSquaredLogarithmicError, "MSLE": MeanSquaredLogarithmicError,
         "bce": BinaryCrossentropy, "BCE": BinaryCrossentropy, "r2_score": R2Score,
         "log_cosh_error": LogCoshError, "kl_divergence": KLDivergence}
del NAMES["accuracy"]  # Accuracy's snake-cased name: 'accuracy' is resolved from the shapes
del NAMES["log_cosh"]  # a function keras.metrics has, but no metric name
VALID_NAMES = sorted(["accuracy", "acc", *NAMES])


def check(identifier):
    """Refuse, at compile time, a metric that get() could never resolve."""
    if isinstance(identifier, str):
        if identifier not in VALID_NAMES:
            raise ValueError(f"Could not interpret metric identifier: {identifier!r}; valid "
                             f"names are {VALID_NAMES} (or a keras Metric object, or a function "
                             "(y_true, y_pred))")
    elif isinstance(identifier, dict):
        if identifier.get("class_name") not in CLASSES:
            raise ValueError(f"Could not interpret metric identifier: {identifier!r}; valid "
                             f"class names are {sorted(CLASSES)}")
    elif not (isinstance(identifier, Metric) or callable(identifier)):
        raise ValueError(f"Could not interpret metric identifier: {identifier!r}")


def accuracy_for(y_true_shape, y_pred_shape):
    """The accuracy 'accuracy' means for targets and outputs of these shapes, as Keras picks
    it: binary for one output unit, sparse categorical for class-id targets, else
    categorical."""
    if y_pred_shape[-1] == 1:
        return BinaryAccuracy
    sparse = len(y_true_shape) < len(y_pred_shape) or y_true_shape[-1] == 1
    return SparseCategoricalAccuracy if sparse else CategoricalAccuracy


def get(identifier, y_true_shape=None, y_pred_shape=None):
    """A Metric for compile()'s identifier, named as given (as Keras logs it). 'accuracy' and
    'acc' need the shapes of a batch of targets and outputs, which pick the accuracy."""
    check(identifier)
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, dict):
        return utils.from_config_dict(identifier, CLASSES, "metric")
    if isinstance(identifier, str):
        if identifier in ("accuracy", "acc"):
            if y_true_shape is None or y_pred_shape is None:
                raise ValueError(f"metric {identifier!r}: which accuracy depends on the shapes of "
                                 "the targets and the outputs; pass them")
            return accuracy_for(y_true_shape, y_pred_shape)(name=identifier)
        return NAMES[identifier](name=identifier)
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    cls = _FUNCTIONS.get(identifier)
    return cls() if cls is not None else MeanMetricWrapper(identifier)


def name_of(identifier):
    """The name a compile() metric identifier logs under."""
    if isinstance(identifier, (Metric, str)):
        return identifier if isinstance(identifier, str) else identifier.name
    if isinstance(identifier, dict):
        return identifier.get("config", {}).get("name") or identifier.get("class_name")
    return getattr(identifier, "__name__", "metric")


def serialize(identifier):
    """The JSON-able form of a compile() metric identifier."""
    if isinstance(identifier, (str, dict)):
        return identifier
    if type(identifier) in CLASSES.values():
        return {"class_name": type(identifier).__name__, "config": identifier.get_config()}
    return getattr(identifier, "name", getattr(identifier, "__name__", repr(identifier)))
