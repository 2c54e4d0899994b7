"""A Keras-style model API on pynn: `from pynn.keras.models import Sequential` and
`from pynn.keras.layers import Dense` run Keras code with its import lines changed."""
from . import (activations, callbacks, initializers, layers, losses, metrics, models, optimizers,
               utils)
from .layers import Input
from .models import Sequential
