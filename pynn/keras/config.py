"""keras.config: the settings Keras 3 keeps there and keras.backend repeats: the default float
type of new weights (floatx), the fuzz factor of clipped probabilities (epsilon), the image
data format."""
import numpy as np

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
