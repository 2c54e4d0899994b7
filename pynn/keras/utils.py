"""Keras's utilities that pynn needs: set_random_seed, the Progbar, and building an object from
a Keras config dict."""
import random as python_random

import numpy as np

from .. import random
from .progbar import Progbar  # noqa: F401  (keras.utils.Progbar)


def set_random_seed(seed):
    """Seed everything a Keras program draws from, as keras.utils.set_random_seed does: pynn's
    generator (weight initialisation, shuffling), NumPy's global generator and Python's."""
    seed = random.check_seed(seed)
    random.manual_seed(seed)
    np.random.seed(seed)
    python_random.seed(seed)


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
