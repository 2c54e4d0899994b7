"""A Keras-style API on pynn: Keras 3 code runs with its imports changed (`import keras` ->
`from pynn import keras`, `from tensorflow.keras.layers import Dense` -> `from pynn.keras.layers
import Dense`). models and trainers hold the structure and the training of a model, layers the
layers by family; saving reads and writes pynn's model files."""
from . import (activations, backend, callbacks, constraints, initializers, layers, losses, metrics,
               models, ops, optimizers, regularizers, utils)
from .layers import Input, Layer
from .models import Model, Sequential
from .variables import Variable
