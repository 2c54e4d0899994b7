"""Activation functions by name, as keras.activations: 'relu', 'sigmoid', 'tanh', 'softmax' and
'linear' (also None). Each takes and returns a pynn Tensor."""
from .. import functional as F
from ..tensor import as_tensor


def relu(x):
    return F.relu(x)


def sigmoid(x):
    return F.sigmoid(x)


def tanh(x):
    return F.tanh(x)


def softmax(x, axis=-1):
    return F.softmax(x, dim=axis)


def linear(x):
    """The identity: a Dense layer without activation."""
    return as_tensor(x)


ALL = {"relu": relu, "sigmoid": sigmoid, "tanh": tanh, "softmax": softmax, "linear": linear}


def get(identifier):
    """The activation function for a name, None (linear) or a callable (returned as it is)."""
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        if identifier not in ALL:
            raise ValueError(f"Unknown activation {identifier!r}; valid names are "
                             f"{sorted(ALL)} (or None for linear, or a callable)")
        return ALL[identifier]
    if callable(identifier):
        return identifier
    raise TypeError(f"activation: expected a name, None or a callable, "
                    f"got {type(identifier).__name__} {identifier!r}")


def serialize(activation):
    """The name get() turns back into this activation (a custom function's __name__)."""
    for name, fn in ALL.items():
        if fn is activation:
            return name
    return getattr(activation, "__name__", type(activation).__name__)
