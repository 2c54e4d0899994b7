"""Keras's utilities that pynn needs: set_random_seed and the Progbar."""
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
