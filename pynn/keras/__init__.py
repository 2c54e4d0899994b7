"""A Keras-style API on pynn: Keras 3 code runs with its imports changed (`import keras` ->
`from pynn import keras`, `from tensorflow.keras.layers import Dense` -> `from pynn.keras.layers
import Dense`). models and trainers hold the structure and the training of a model, layers the
layers by family; saving reads and writes pynn's model files."""
from . import (activations, backend, callbacks, constraints, initializers, layers, losses, metrics,
               models, ops, optimizers, preprocessing, regularizers, saving, utils)
from .layers import Input, Layer
from .models import Model, Sequential
from .variables import Variable

__version__ = "3.0.0"  # the Keras API pynn.keras follows (scripts print keras.__version__)


def _tensorflow_aliases():
    """tf.losses, tf.metrics, tf.optimizers, tf.initializers and tf.Variable are TensorFlow's
    names for its Keras's: with pynn.keras loaded (as `import pynn as tf, pynn.keras` loads it)
    they are pynn.keras's."""
    import pynn
    pynn.losses, pynn.metrics, pynn.optimizers = losses, metrics, optimizers
    pynn.initializers, pynn.Variable = initializers, Variable


_tensorflow_aliases()


def _keras_3_aliases():
    """Names Keras 3 also gives in a second module, attached here because that module sits
    below the one defining them: keras.saving.load_model is the models' (saving only reads
    and writes records), keras.utils.clear_session and is_keras_tensor the backend's."""
    saving.load_model = models.load_model
    utils.clear_session, utils.is_keras_tensor = backend.clear_session, backend.is_keras_tensor


_keras_3_aliases()
