"""Losses with Keras 3's names, aliases, arguments, defaults and formulas (keras.losses): the
functions give one loss per sample; the Loss classes reduce them, with sample weights, as
Keras 3 does (see loss.py)."""
from .. import utils
from .crossentropy import (BinaryCrossentropy, BinaryFocalCrossentropy, CategoricalCrossentropy,
                           CategoricalFocalCrossentropy, SparseCategoricalCrossentropy,
                           binary_crossentropy, binary_focal_crossentropy,
                           categorical_crossentropy, categorical_focal_crossentropy,
                           sparse_categorical_crossentropy)
from .hinge import CategoricalHinge, Hinge, SquaredHinge, categorical_hinge, hinge, squared_hinge
from .loss import Loss, LossFunctionWrapper, reduce_weighted_values
from .probabilistic import KLDivergence, Poisson, kl_divergence, poisson
from .regression import (CosineSimilarity, Huber, LogCosh, MeanAbsoluteError,
                         MeanAbsolutePercentageError, MeanSquaredError,
                         MeanSquaredLogarithmicError, cosine_similarity, huber, log_cosh,
                         mean_absolute_error, mean_absolute_percentage_error, mean_squared_error,
                         mean_squared_logarithmic_error)

# each function and the class that computes it with the same defaults
_FUNCTIONS = {
    binary_crossentropy: BinaryCrossentropy, categorical_crossentropy: CategoricalCrossentropy,
    sparse_categorical_crossentropy: SparseCategoricalCrossentropy,
    binary_focal_crossentropy: BinaryFocalCrossentropy,
    categorical_focal_crossentropy: CategoricalFocalCrossentropy,
    mean_squared_error: MeanSquaredError, mean_absolute_error: MeanAbsoluteError,
    mean_absolute_percentage_error: MeanAbsolutePercentageError,
    mean_squared_logarithmic_error: MeanSquaredLogarithmicError,
    cosine_similarity: CosineSimilarity, huber: Huber, log_cosh: LogCosh, hinge: Hinge,
    squared_hinge: SquaredHinge, categorical_hinge: CategoricalHinge,
    kl_divergence: KLDivergence, poisson: Poisson}
CLASSES = {cls.__name__: cls for cls in _FUNCTIONS.values()}
# the names keras.losses.get takes: class names, function names and Keras's aliases
NAMES = {**CLASSES, **{fn.__name__: cls for fn, cls in _FUNCTIONS.items()},
         "bce": BinaryCrossentropy, "BCE": BinaryCrossentropy, "kld": KLDivergence,
         "KLD": KLDivergence, "mae": MeanAbsoluteError, "MAE": MeanAbsoluteError,
         "mse": MeanSquaredError, "MSE": MeanSquaredError,
         "mape": MeanAbsolutePercentageError, "MAPE": MeanAbsolutePercentageError,
         "msle": MeanSquaredLogarithmicError, "MSLE": MeanSquaredLogarithmicError}

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kl_divergence


def get(identifier):
    """A Loss from a name or alias ('mse', 'binary_crossentropy', 'Huber', ...), a config dict
    {'class_name', 'config'}, a Loss class or object, one of the functions above (the class
    computing it), or any other function (y_true, y_pred) -> per-sample losses."""
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, str):
        cls = NAMES.get(identifier)
        if cls is None:
            raise ValueError(f"Could not interpret loss identifier: {identifier!r}; valid names "
                             f"are {sorted(NAMES)} (or a Loss object, or a function "
                             "(y_true, y_pred) -> Tensor)")
        return cls()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Loss):
        return identifier()
    if callable(identifier):
        cls = _FUNCTIONS.get(identifier)
        return cls() if cls is not None else LossFunctionWrapper(identifier)
    raise ValueError(f"Could not interpret loss identifier: {identifier!r}")


def deserialize(config):
    return utils.from_config_dict(config, CLASSES, "loss")


def serialize(loss):
    """A JSON-able form of what compile() was given that get() reads back: a name as it is, a
    built-in Loss as {'class_name', 'config'}, a function by its name."""
    if isinstance(loss, str):
        return loss
    if type(loss) in CLASSES.values():
        return {"class_name": type(loss).__name__, "config": loss.get_config()}
    return getattr(loss, "name", getattr(loss, "__name__", type(loss).__name__))
