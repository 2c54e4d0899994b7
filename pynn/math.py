"""tf.math for `import tensorflow as tf` scripts (`tf.math.reduce_mean`, `tf.math.square`...):
TensorFlow's elementwise functions and reductions by their TensorFlow names, from
tensorflow_names."""
from .tensorflow_names import MATH as _MATH

globals().update(_MATH)
__all__ = sorted(_MATH)
