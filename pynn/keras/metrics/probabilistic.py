"""The metrics that average a probabilistic or hinge loss over the samples, with Keras 3's
names: the cross-entropies (with their from_logits and label_smoothing), KL divergence,
Poisson, and the hinges."""
from .. import losses
from .regression import _LossMean


class BinaryCrossentropy(_LossMean):
    """BinaryCrossentropy(name='binary_crossentropy', dtype=None, from_logits=False,
    label_smoothing=0)."""

    loss = staticmethod(losses.binary_crossentropy)

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0):
        super().__init__(name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing)


class CategoricalCrossentropy(_LossMean):
    loss = staticmethod(losses.categorical_crossentropy)

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0, axis=-1):
        super().__init__(name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(_LossMean):
    loss = staticmethod(losses.sparse_categorical_crossentropy)

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False,
                 axis=-1):
        super().__init__(name=name, dtype=dtype, from_logits=from_logits, axis=axis)


class KLDivergence(_LossMean):
    loss = staticmethod(losses.kl_divergence)


class Poisson(_LossMean):
    loss = staticmethod(losses.poisson)


class Hinge(_LossMean):
    loss = staticmethod(losses.hinge)


class SquaredHinge(_LossMean):
    loss = staticmethod(losses.squared_hinge)


class CategoricalHinge(_LossMean):
    loss = staticmethod(losses.categorical_hinge)
