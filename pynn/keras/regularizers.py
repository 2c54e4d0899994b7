"""Weight and activity penalties with Keras's names and formulas (keras.regularizers).

A regularizer is called on a weight (or a layer's output) as a Tensor and returns a scalar
Tensor, added to the training loss through layer.losses: L1(l1=0.01) is l1 * sum(|x|), L2(l2=0.01)
is l2 * sum(x ** 2), L1L2(l1=0.0, l2=0.0) both.
"""
from .. import validate
from . import utils


class Regularizer:
    """Base class: regularizer(x) -> a scalar Tensor, and a config for model files."""

    def __call__(self, x):
        raise NotImplementedError

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class L1L2(Regularizer):
    """l1 * sum(|x|) + l2 * sum(x ** 2)."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = validate.nonnegative(l1, "l1")
        self.l2 = validate.nonnegative(l2, "l2")

    def __call__(self, x):
        return self.l1 * x.abs().sum() + self.l2 * (x * x).sum()

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(L1L2):
    """l1 * sum(|x|)."""

    def __init__(self, l1=0.01):
        super().__init__(l1=l1)

    def get_config(self):
        return {"l1": self.l1}


class L2(L1L2):
    """l2 * sum(x ** 2)."""

    def __init__(self, l2=0.01):
        super().__init__(l2=l2)

    def get_config(self):
        return {"l2": self.l2}


l1, l2, l1_l2 = L1, L2, L1L2  # Keras's lower-case aliases: regularizers.l2(0.001)

_NAMES = {"l1": L1, "l2": L2, "l1_l2": L1L2}
_CLASSES = {cls.__name__: cls for cls in (L1, L2, L1L2)}


def get(identifier):
    """A regularizer from None, a name ('l1', 'l2', 'l1_l2'), a config dict {'class_name',
    'config'}, a Regularizer or a function (x) -> scalar Tensor."""
    if identifier is None or isinstance(identifier, Regularizer):
        return identifier
    if isinstance(identifier, str):
        if identifier not in _NAMES:
            raise ValueError(f"Could not interpret regularizer identifier: {identifier!r}; "
                             f"valid names are {sorted(_NAMES)}")
        return _NAMES[identifier]()
    if isinstance(identifier, dict):
        return utils.from_config_dict(identifier, _CLASSES, "regularizer")
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret regularizer identifier: {identifier!r}")


def serialize(regularizer):
    """{'class_name', 'config'} for a built-in regularizer, which get() reads back; None for
    None; a function's name."""
    if regularizer is None:
        return None
    if type(regularizer) in _CLASSES.values():
        return {"class_name": type(regularizer).__name__, "config": regularizer.get_config()}
    return getattr(regularizer, "__name__", type(regularizer).__name__)
