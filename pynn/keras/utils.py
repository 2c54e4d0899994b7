"""keras.utils as scripts use it: set_random_seed, to_categorical, normalize, the Progbar
(plot_model and get_file say clearly that pynn has none), and the helpers that build an object
from a name or a Keras config dict."""
import random as python_random

import numpy as np

from .. import random
from .preprocessing.sequence import pad_sequences  # noqa: F401  (keras.utils.pad_sequences)
from .progbar import Progbar  # noqa: F401  (keras.utils.Progbar)
from .py_dataset import PyDataset, Sequence  # noqa: F401
from .timeseries_dataset import timeseries_dataset_from_array  # noqa: F401
from .object_registration import (CustomObjectScope, custom_object_scope,  # noqa: F401
                                  get_custom_objects, get_registered_name, get_registered_object,
                                  register_keras_serializable)


def set_random_seed(seed):
    """Seed everything a Keras program draws from, as keras.utils.set_random_seed does: pynn's
    generator (weight initialisation, shuffling), NumPy's global generator and Python's."""
    seed = random.check_seed(seed)
    random.manual_seed(seed)
    np.random.seed(seed)
    python_random.seed(seed)


def to_categorical(x, num_classes=None):
    """One-hot rows for integer class ids: (n,) or (n, 1) ids -> (n, num_classes) floats, as
    keras.utils.to_categorical (num_classes defaults to the largest id + 1)."""
    x = np.asarray(x._data if hasattr(x, "_data") else x)
    ids = x.astype(np.int64)
    if not np.array_equal(ids, x):
        raise ValueError("to_categorical expects integer class ids (use LabelEncoder or "
                         "np.unique(..., return_inverse=True) for labels of other kinds)")
    shape = ids.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    ids = ids.reshape(-1)
    if ids.size and ids.min() < 0:
        raise ValueError(f"to_categorical: class ids must be >= 0, got {ids.min()}")
    if not num_classes:
        num_classes = int(ids.max()) + 1 if ids.size else 0
    if ids.size and ids.max() >= num_classes:
        raise ValueError(f"to_categorical: class id {ids.max()} is out of range for "
                         f"num_classes={num_classes}")
    categorical = np.zeros((ids.size, num_classes))
    categorical[np.arange(ids.size), ids] = 1
    return categorical.reshape(shape + (num_classes,))


def normalize(x, axis=-1, order=2):
    """x divided by its L-order norm along axis (a zero norm leaves x as it is), as
    keras.utils.normalize."""
    x = np.asarray(x)
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis if axis is not None else -1)


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False,
               show_layer_names=False, rankdir="TB", expand_nested=False, dpi=200,
               show_layer_activations=False, show_trainable=False, **kwargs):
    """Draw the model's layers to to_file, as Keras's plot_model does with pydot and graphviz;
    pynn draws with matplotlib (pynn.plot.plot_model), which it needs: pip install
    'pynn[plot]'. Returns None, as Keras does outside a notebook."""
    unknown = set(kwargs) - {"layer_range", "show_layer_names"}
    if unknown:
        raise TypeError(f"plot_model: unexpected arguments {sorted(unknown)}")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ImportError("You must install matplotlib (`pip install 'pynn[plot]'`) for "
                          "`plot_model` to work: pynn draws the model with it.") from None
    from ..plot import plot_model as draw
    draw(model, to_file, show_shapes=show_shapes, show_dtype=show_dtype,
         show_layer_names=show_layer_names, rankdir=rankdir, dpi=dpi,
         show_layer_activations=show_layer_activations, show_trainable=show_trainable)


def get_file(fname=None, origin=None, *args, **kwargs):
    """keras.utils.get_file downloads a file; pynn downloads nothing: this says so."""
    raise NotImplementedError(f"pynn.keras.utils.get_file is not supported: pynn downloads "
                              f"nothing (origin={origin!r}). Download the file yourself and "
                              "read it from disk.")


def from_config_dict(config, classes, kind):
    """The object a Keras config dict {'class_name': ..., 'config': {...}} describes. Only the
    classes in `classes` (name -> class) can be built: a name from a file selects, never imports."""
    cls = classes.get(config.get("class_name")) if isinstance(config, dict) else None
    if cls is None:
        raise ValueError(f"Could not interpret {kind} identifier: {config!r}; valid class names "
                         f"are {sorted(classes)}")
    return cls.from_config(config.get("config", {}))


def resolve(identifier, names, base, kind):
    """The object a Keras `get(identifier)` gives for a registry `names` (name -> class of
    `base`): a name or config dict builds one, a class is instantiated, an object or any other
    callable is returned as it is, None gives None; anything else is a ValueError."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return from_config_dict(identifier, names, kind)
    if isinstance(identifier, str):
        cls = names.get(identifier)
        if cls is None:
            raise ValueError(f"Could not interpret {kind} identifier: {identifier!r}; valid "
                             f"names are {sorted(names)}")
        return cls()
    if isinstance(identifier, type) and issubclass(identifier, base):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret {kind} identifier: {identifier!r}")


def serialize_object(obj, base):
    """{'class_name', 'config'} for an object of `base`, which resolve() reads back; None for
    None; a custom function's __name__."""
    if obj is None:
        return None
    if isinstance(obj, base):
        return {"class_name": type(obj).__name__, "config": obj.get_config()}
    return getattr(obj, "__name__", type(obj).__name__)
