"""The keras.backend settings scripts use: the default float type of new weights (floatx), the
fuzz factor of clipped probabilities (epsilon), and clear_session; and, from
backend_functions, tf.keras.backend's tensor functions (K.mean, K.square, K.set_value...)."""
import numpy as np

from . import naming

_settings = {"floatx": "float32", "epsilon": 1e-7}
FLOATS = ("float32", "float64")


def floatx():
    """The dtype new weights get, as a string: 'float32' unless set_floatx changed it."""
    return _settings["floatx"]


def float_name(dtype, owner):
    """'float32' or 'float64' from a name or a NumPy dtype: pynn's float types (Keras's
    'float16' and 'bfloat16' are refused)."""
    try:
        name = np.dtype(dtype).name
    except TypeError:
        name = str(dtype)
    if name not in FLOATS:
        raise ValueError(f"{owner}: dtype must be one of {FLOATS} (pynn computes in float32 "
                         f"and float64 only), got {dtype!r}")
    return name


def set_floatx(value):
    """Set the default float type of new weights and layers: 'float32' or 'float64'."""
    _settings["floatx"] = float_name(value, "set_floatx")


def epsilon():
    """The fuzz factor: probabilities are clipped to [epsilon, 1 - epsilon] before a log."""
    return _settings["epsilon"]


def set_epsilon(value):
    _settings["epsilon"] = float(value)


def image_data_format():
    return "channels_last"


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
