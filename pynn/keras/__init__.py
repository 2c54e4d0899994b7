"""A Keras-style model API on pynn: `from pynn.keras.models import Sequential` and
`from pynn.keras.layers import Dense` run Keras code with its import lines changed."""
from . import (activations, backend, callbacks, constraints, initializers, layers, losses, metrics,
               models, optimizers, regularizers, utils)
from .layers import Input
from .models import Sequential
