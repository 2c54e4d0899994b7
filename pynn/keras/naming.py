"""Keras's automatic names: 'dense', then 'dense_1', 'dense_2', ... per prefix, counted per
session; keras.backend.clear_session() starts the counts again."""
import re

_counts = {}


def to_snake_case(name):
    """'BatchNormalization' -> 'batch_normalization', as Keras names a layer after its class."""
    name = re.sub(r"\W+", "", name)
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(prefix):
    """prefix the first time, then prefix_1, prefix_2, ..."""
    n = _counts.get(prefix, 0)
    _counts[prefix] = n + 1
    return prefix if n == 0 else f"{prefix}_{n}"


def auto_name(class_name):
    """The name of a new object of class class_name: unique_name of its snake_case."""
    return unique_name(to_snake_case(class_name))


def reset():
    """Forget every count (clear_session)."""
    _counts.clear()
