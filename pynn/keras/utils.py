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
    cls = classes.get(config.get("class_name"))
    if cls is None:
        raise ValueError(f"Unknown {kind} config {config!r}; valid class names are "
                         f"{sorted(classes)}")
    return cls.from_config(config.get("config", {}))
