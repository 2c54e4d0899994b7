"""Keras-style layers: Dense, Activation and InputLayer/Input, built on pynn.nn and functional.

A layer is an nn.Module whose weights are created by build(input_shape) once the width of its
input is known (from `input_dim`/`input_shape`, from the layer before it, or from the first
batch), as Keras builds them. Weights are float32 Parameters; a Dense kernel has Keras's shape
(in, out). Dense fuses relu and sigmoid into its one matmul kernel call.
"""
import re

import numpy as np

from .. import functional as F, validate
from ..backend import FUSED
from ..nn import Module, Parameter
from ..tensor import Tensor
from . import activations, initializers

_name_counts = {}


def unique_name(prefix):
    """Keras's automatic names: 'dense', then 'dense_1', 'dense_2', ... for each prefix."""
    n = _name_counts.get(prefix, 0)
    _name_counts[prefix] = n + 1
    return prefix if n == 0 else f"{prefix}_{n}"


def _snake(class_name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", class_name).lower()


def feature_shape(input_shape, input_dim, owner):
    """The shape of one sample, without the batch axis, from a layer's `input_shape` (a tuple
    of positive ints) or `input_dim` (an int); None if neither is given."""
    if input_dim is not None:
        dim = (validate.positive_int(input_dim, f"{owner}: input_dim"),)
        if input_shape is not None and tuple(input_shape) != dim:
            raise ValueError(f"{owner}: input_dim={input_dim} and input_shape={input_shape} "
                             "disagree; give one of them")
        return dim
    if input_shape is None:
        return None
    if isinstance(input_shape, (int, np.integer)) and not isinstance(input_shape, bool):
        input_shape = (input_shape,)
    if not isinstance(input_shape, (tuple, list)) or not input_shape:
        raise TypeError(f"{owner}: input_shape must be a tuple of positive ints such as (2,), "
                        f"got {input_shape!r}")
    return tuple(validate.positive_int(d, f"{owner}: input_shape") for d in input_shape)


class Layer(Module):
    """Base class of the Keras-style layers: a name, build(input_shape) and call(inputs)."""

    def __init__(self, name=None, trainable=True, input_shape=None, input_dim=None):
        super().__init__()
        if name is not None and (not isinstance(name, str) or not name):
            raise TypeError(f"name: expected a non-empty str, got {name!r}")
        self.name = name or unique_name(_snake(type(self).__name__))
        self.trainable = validate.flag(trainable, "trainable")
        self.built = False
        self._input_shape_arg = feature_shape(input_shape, input_dim, type(self).__name__)

    def build(self, input_shape):
        """Create the weights for inputs of input_shape (batch axis first, e.g. (None, 2))."""
        self.built = True

    def weight_shapes(self, input_shape):
        """The shapes build(input_shape) gives the weights, in order, without creating them (a
        model file is checked against them before anything is allocated)."""
        return []

    def call(self, inputs):
        raise NotImplementedError

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def __call__(self, inputs):
        """Apply the layer to a Tensor or an array (converted to float32), building it from the
        input's shape on first use."""
        x = inputs if isinstance(inputs, Tensor) else Tensor(inputs, dtype=np.float32)
        if not self.built:
            self.build((None,) + x.shape[1:])
        return self.call(x)

    # ---- weights ------------------------------------------------------------------------------

    @property
    def weights(self):
        """The layer's weight Parameters, in Keras's order (kernel, then bias)."""
        return list(self._parameters.values())

    @property
    def trainable_weights(self):
        return self.weights if self.trainable else []

    @property
    def non_trainable_weights(self):
        return [] if self.trainable else self.weights

    def get_weights(self):
        """Copies of the weights as ndarrays, in Keras's order."""
        return [w._data.copy() for w in self.weights]

    def set_weights(self, weights):
        """Set every weight from a list of arrays of the same shapes, as get_weights returns."""
        own = self.weights
        weights = list(weights)
        if len(weights) != len(own):
            raise ValueError(f"You called `set_weights(weights)` on layer {self.name!r} with a "
                             f"weight list of length {len(weights)}, but the layer was expecting "
                             f"{len(own)} weights")
        arrays = [validate.as_array(v, f"{self.name} weight {i}") for i, v in enumerate(weights)]
        for w, arr in zip(own, arrays):
            if arr.shape != w.shape:
                raise ValueError(f"Layer {self.name!r} weight shape {tuple(w.shape)} is not compatible "
                                 f"with provided weight shape {arr.shape}")
        for w, arr in zip(own, arrays):
            w._data[...] = arr

    def count_params(self):
        if not self.built:
            raise ValueError(f"You tried to call `count_params` on layer {self.name!r}, but the "
                             "layer isn't built. Build it first, e.g. by giving input_dim.")
        return sum(w.numel() for w in self.weights)

    # ---- config -------------------------------------------------------------------------------

    def get_config(self):
        """The constructor arguments, JSON-able, so that from_config rebuilds this layer."""
        config = {"name": self.name, "trainable": self.trainable}
        if self._input_shape_arg is not None:
            config["input_shape"] = list(self._input_shape_arg)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def extra_repr(self):
        return f"name={self.name!r}"


class InputLayer(Layer):
    """Declares the shape of one sample, e.g. InputLayer(shape=(2,)), as a Sequential model's
    first element; it has no weights and does not count among model.layers."""

    def __init__(self, shape=None, batch_size=None, name=None, input_shape=None):
        shape = input_shape if shape is None else shape
        if shape is None:
            raise ValueError("InputLayer: give the shape of one sample, e.g. shape=(2,)")
        super().__init__(name=name, input_shape=shape)
        self.shape = self._input_shape_arg
        self.batch_size = None if batch_size is None else validate.positive_int(batch_size,
                                                                                "batch_size")
        self.built = True

    def call(self, inputs):
        return inputs

    def get_config(self):
        return {"name": self.name, "shape": list(self.shape), "batch_size": self.batch_size}


def Input(shape=None, batch_size=None, name=None):
    """The input of a Sequential model: Sequential([Input(shape=(2,)), Dense(4), ...])."""
    return InputLayer(shape=shape, batch_size=batch_size, name=name)


def _fused(activation):
    """The name the kernels know an activation by, if they fuse it into the product (None for
    the linear one); False if it is applied after the product, as its own op."""
    name = activations.serialize(activation)
    name = None if name == "linear" else name
    return name if name in FUSED and activations.get(name) is activation else False


class Dense(Layer):
    """activation(inputs @ kernel + bias): Dense(units, activation=None, use_bias=True,
    kernel_initializer='glorot_uniform', bias_initializer='zeros', input_dim=None,
    input_shape=None, name=None), with Keras's meaning and defaults."""

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        self.units = validate.positive_int(units, "Dense: units")
        self.activation = activations.get(activation)
        self.use_bias = validate.flag(use_bias, "use_bias")
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel = None
        self.bias = None

    def weight_shapes(self, input_shape):
        if len(input_shape) < 2 or input_shape[-1] is None:
            raise ValueError(f"Dense {self.name!r}: expected inputs of shape (batch, features), "
                             f"got {tuple(input_shape)}")
        in_dim = validate.positive_int(input_shape[-1], f"Dense {self.name!r}: input features")
        return [(in_dim, self.units)] + ([(self.units,)] if self.use_bias else [])

    def build(self, input_shape):
        kernel_shape, *bias_shape = self.weight_shapes(input_shape)
        self.kernel = Parameter(self._initial(self.kernel_initializer, kernel_shape))
        if self.use_bias:
            self.bias = Parameter(self._initial(self.bias_initializer, bias_shape[0]))
        self.built = True

    @staticmethod
    def _initial(initializer, shape):
        values = validate.as_array(initializer(shape, "float32"), "initializer output")
        if values.shape != shape:
            raise ValueError(f"initializer returned shape {values.shape}, expected {shape}")
        return values.astype(np.float32)

    def call(self, inputs):
        fused = _fused(self.activation)
        if fused is not False:
            return self._dense(inputs, fused)
        return self.activation(self._dense(inputs, None))

    def _dense(self, inputs, activation):
        """inputs @ kernel + bias with the activation fused, inputs and bias cast to the
        kernel's dtype, as Keras casts a layer's inputs to its dtype."""
        dtype = self.kernel.dtype
        bias = None if self.bias is None else self.bias.to(dtype)
        return F.dense(inputs.to(dtype), self.kernel, bias, activation)

    def logits(self, inputs):
        """The pre-activation inputs @ kernel + bias, from which a loss that fuses this layer's
        activation (binary or categorical cross-entropy) is computed stably."""
        return self._dense(inputs, None)

    def stacked(self, logits=False):
        """This layer as functional.dense_stack takes it, (kernel, bias, activation), its
        activation fused (none for its logits); None if its activation does not fuse."""
        activation = None if logits else _fused(self.activation)
        return None if activation is False else (self.kernel, self.bias, activation)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer)}

    def extra_repr(self):
        return f"name={self.name!r}, units={self.units}"


class Activation(Layer):
    """Applies an activation by name or callable: Activation('softmax')."""

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)

    def logits(self, inputs):
        return inputs

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}


ALL = {"InputLayer": InputLayer, "Dense": Dense, "Activation": Activation}


def get(class_name):
    """The layer class of a model file's 'class_name'."""
    if class_name not in ALL:
        raise ValueError(f"Unknown layer class {class_name!r}; pynn.keras knows {sorted(ALL)}")
    return ALL[class_name]
