"""Keras-style layers, a module per family: layer (the Layer base), input_layer (Input,
InputLayer), core (Dense, Activation, Identity, Lambda, Embedding), activations (ReLU,
LeakyReLU, ELU, PReLU, Softmax), convolutional (Conv1D, Conv2D), pooling (max, average and
global pooling), rnn (SimpleRNN, LSTM, GRU), wrappers (Bidirectional, TimeDistributed),
regularization (Dropout and the noises,
ActivityRegularization), normalization (BatchNormalization, LayerNormalization,
UnitNormalization), reshaping (Flatten, Reshape, Permute, RepeatVector), spatial_reshaping
(UpSampling1D/2D, ZeroPadding1D/2D, Cropping1D/2D), preprocessing
(Normalization, Rescaling), merging (Concatenate, Add, ...).

Every Layer subclass exported here can be rebuilt from a config by its class name (get), which
is how model files and clone_model make layers: a name read from a file selects one of these
classes, never imports anything.
"""
from .activations import ELU, LeakyReLU, PReLU, ReLU, Softmax
from .convolutional import (Conv1D, Conv1DTranspose, Conv2D, Conv2DTranspose, Convolution1D,
                            Convolution1DTranspose, Convolution2D, Convolution2DTranspose)
from .core import Activation, Dense, Embedding, Identity, Lambda
from .input_layer import Input, InputLayer
from .layer import Layer
from .normalization import BatchNormalization, LayerNormalization, UnitNormalization
from .pooling import (AveragePooling1D, AveragePooling2D, AvgPool1D, AvgPool2D,
                      GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAvgPool1D,
                      GlobalAvgPool2D, GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPooling1D,
                      GlobalMaxPooling2D, MaxPool1D, MaxPool2D, MaxPooling1D, MaxPooling2D)
from .preprocessing import Normalization, Rescaling
from .regularization import (ActivityRegularization, AlphaDropout, Dropout, GaussianDropout,
                             GaussianNoise, SpatialDropout1D)
from .reshaping import Flatten, Permute, RepeatVector, Reshape
from .spatial_reshaping import (Cropping1D, Cropping2D, UpSampling1D, UpSampling2D, ZeroPadding1D,
                                ZeroPadding2D)
from .rnn import GRU, LSTM, SimpleRNN
from .wrappers import Bidirectional, TimeDistributed
from .merging import (Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract, add,
                      average, concatenate, dot, maximum, minimum, multiply, subtract)

from ..object_registration import custom_objects as registered  # noqa: E402

ALL = {name: cls for name, cls in dict(globals()).items()
       if isinstance(cls, type) and issubclass(cls, Layer) and cls is not Layer}


def get(class_name, custom_objects=None):
    """The layer class called class_name: one of pynn.keras's, or of custom_objects (a dict of
    name -> class given by the caller, as Keras's load_model takes it)."""
    classes = {**ALL, **registered(custom_objects)}
    if not isinstance(class_name, str) or class_name not in classes:
        raise ValueError(f"Unknown layer: '{class_name}'. Please ensure you are using a "
                         "`keras.utils.custom_object_scope` and that this object is included "
                         f"in the scope, or pass it in `custom_objects`. pynn.keras knows "
                         f"{sorted(ALL)}")
    return classes[class_name]


def serialize(layer):
    """{'class_name', 'config'}: what get() and from_config make the layer again from."""
    return {"class_name": layer._class_name(), "config": layer.get_config()}


def deserialize(config, custom_objects=None):
    """The layer serialize() describes, unbuilt."""
    if not isinstance(config, dict) or not isinstance(config.get("config"), dict):
        raise ValueError(f"Expected a layer config {{'class_name': ..., 'config': {{...}}}}, got "
                         f"{config!r}")
    return get(config.get("class_name"), custom_objects).from_config(config["config"])
