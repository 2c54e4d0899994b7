"""keras.backend: the settings scripts use (floatx, epsilon, from keras.config), clear_session;
and, from backend_functions, tf.keras.backend's tensor functions (K.mean, K.square,
K.set_value...)."""
from . import naming
from .config import (FLOATS, _settings, epsilon, float_name, floatx,  # noqa: F401
                     image_data_format, set_epsilon, set_floatx)


def backend():
    """The name of the backend: pynn."""
    return "pynn"


def clear_session(free_memory=True):
    """Start afresh: automatic layer and model names count from the start again."""
    naming.reset()


def is_keras_tensor(x):
    """Whether x is a symbolic KerasTensor (a functional-API input or a layer's output on one)."""
    from .keras_tensor import KerasTensor
    return isinstance(x, KerasTensor)


# tf.keras.backend's tensor functions (K.mean, K.square, K.set_value...), last: they shadow
# builtins such as sum and abs in this module's namespace.
from .backend_functions import *  # noqa: E402,F401,F403
