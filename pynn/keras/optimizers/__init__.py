"""Keras-style optimizers with Keras 3's names, defaults and update formulas
(keras.optimizers): SGD, Adam, AdamW, Adamax, Nadam, RMSprop, Adagrad, Adadelta, Ftrl and Lion,
each a front over a pynn.optim engine (see optimizer.py), and the learning-rate schedules."""
from ... import optim
from . import schedules
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .ftrl import Ftrl
from .lion import Lion
from .nadam import Nadam
from .optimizer import Optimizer, Variable
from .rmsprop import RMSprop
from .sgd import SGD

_CLASSES = (SGD, Adam, AdamW, Adamax, Nadam, RMSprop, Adagrad, Adadelta, Ftrl, Lion)
ALL = {cls.__name__.lower(): cls for cls in _CLASSES}  # Keras's names, matched case-blind


def get(identifier):
    """An optimizer from a name ('adam', 'SGD', 'rmsprop', ...: any case, default arguments),
    a config dict {'class_name', 'config'}, or an Optimizer (returned as it is)."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, (str, dict)):
        return deserialize({"class_name": identifier, "config": {}}
                           if isinstance(identifier, str) else identifier)
    if isinstance(identifier, optim.Optimizer):
        raise TypeError("compile: pynn.optim optimizers drive a hand-written loop; give compile "
                        "a pynn.keras.optimizers object (e.g. Adam(learning_rate=0.01)) or a name")
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}")


def serialize(optimizer):
    """{'class_name': 'Adam', 'config': {...}}, which get() reads back."""
    return {"class_name": type(optimizer).__name__, "config": optimizer.get_config()}


def deserialize(config):
    name = config.get("class_name")
    cls = ALL.get(name.lower()) if isinstance(name, str) else None
    if cls is None:
        raise ValueError(f"Could not interpret optimizer identifier: {name!r}; valid names are "
                         f"{sorted(ALL)} (or an optimizer object from pynn.keras.optimizers)")
    return cls.from_config(config.get("config", {}))
