"""The core layers: Dense, Activation, Identity, Lambda and Embedding.

Dense is activation(inputs @ kernel + bias) with Keras's kernel layout (in, out): one fused C
call each way (functional.dense), its activation applied inside the product when the kernels
know it (relu, sigmoid, tanh, ...). stacked() hands a Sequential model the (kernel, bias,
activation) of a run of Dense layers, run as one graph node (ops.dense.dense_stack) by the
eager path and fit's compiled step alike.
"""
import warnings

import numpy as np

from ... import functional as F, validate
from ...backend import FUSED
from .. import activations, constraints, initializers, regularizers
from .layer import Layer


def fused_name(activation):
    """The name the kernels know an activation by if they apply it inside the product (None
    for the linear one); False if it runs as its own op after the product."""
    name = activations.serialize(activation)
    name = None if name == "linear" else name
    return name if name in FUSED and activations.get(name) is activation else False


class Dense(Layer):
    """Dense(units, activation=None, use_bias=True, kernel_initializer='glorot_uniform',
    bias_initializer='zeros', kernel_regularizer=None, bias_regularizer=None,
    activity_regularizer=None, kernel_constraint=None, bias_constraint=None), Keras's meaning
    and defaults: kernel of shape (input features, units), bias of shape (units,)."""

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = validate.positive_int(units, "Dense: units")
        self.activation = activations.get(activation)
        self.use_bias = validate.flag(use_bias, "use_bias")
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint
        self.kernel = self.bias = None

    def build(self, input_shape):
        if len(input_shape) < 2 or input_shape[-1] is None:
            raise ValueError(f"Dense {self.name!r}: expected inputs of shape (batch, ..., "
                             f"features) with a known last axis, got {tuple(input_shape)}")
        in_dim = validate.positive_int(input_shape[-1], f"Dense {self.name!r}: input features")
        self.kernel = self._configured_weight("kernel", (in_dim, self.units))
        if self.use_bias:
            self.bias = self._configured_weight("bias", (self.units,))
        self.built = True

    def call(self, inputs):
        width = self.kernel._data.shape[0]
        if inputs.ndim < 2 or inputs.shape[-1] != width:
            raise ValueError(f'Input 0 of layer "{self.name}" is incompatible with the layer: '
                             f"expected axis -1 of input shape to have value {width}, but "
                             f"received input with shape {tuple(inputs.shape)}")
        fused = fused_name(self.activation)
        if fused is not False:
            return self._dense(inputs, fused)
        return self.activation(self._dense(inputs, None))

    def _dense(self, inputs, activation):
        """inputs @ kernel + bias with the activation fused, the inputs and bias cast to the
        kernel's dtype."""
        dtype = self.kernel.dtype
        bias = None if self.bias is None else self.bias.to(dtype)
        return F.dense(inputs.to(dtype), self.kernel, bias, activation)

    def logits(self, inputs):
        """The pre-activation inputs @ kernel + bias, from which a loss that absorbs this layer's
        activation (binary or categorical cross-entropy) is computed stably."""
        return self._dense(inputs, None)

    def stacked(self, logits=False):
        """This layer as ops.dense.dense_stack takes it, (kernel, bias, activation), the
        activation fused (none for its logits); None if it cannot run inside a stack (its
        activation does not fuse, or an activity regularizer must see its output)."""
        activation = None if logits else fused_name(self.activation)
        if activation is False or self.activity_regularizer is not None:
            return None
        return self.kernel, self.bias, activation

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer)}


class Activation(Layer):
    """Applies an activation, by name or as a function: Activation('softmax')."""

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)

    def logits(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}


class Identity(Layer):
    """Identity(): returns its input unchanged (a placeholder layer)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape


class Lambda(Layer):
    """Lambda(function, output_shape=None, mask=None, arguments=None): applies
    function(inputs, **arguments), a function of Tensors, as a layer. Its config names the
    function; a model file cannot hold its code (pass it in custom_objects to load)."""

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise ValueError(f"Lambda: `function` must be callable, got {function!r}")
        self.function, self.arguments = function, dict(arguments or {})
        self._output_shape, self.mask = output_shape, mask
        self.built = True

    def call(self, inputs):
        return self.function(inputs, **self.arguments)

    def compute_output_spec(self, *args, **kwargs):
        if self._output_shape is None:  # traced: the function decides
            return self._traced_output_spec(*args, **kwargs)
        return super().compute_output_spec(*args, **kwargs)

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return tuple(self._output_shape(input_shape))
        return (input_shape[0],) + tuple(self._output_shape)

    def get_config(self):
        shape = self._output_shape
        return {**super().get_config(), "function": getattr(self.function, "__name__", "lambda"),
                "output_shape": list(shape) if isinstance(shape, (list, tuple)) else None,
                "arguments": self.arguments}


class Embedding(Layer):
    """Embedding(input_dim, output_dim, embeddings_initializer='uniform',
    embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False): integer ids in
    [0, input_dim) -> rows of the (input_dim, output_dim) weight `embeddings`."""

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 **kwargs):
        if kwargs.pop("input_length", None) is not None:  # Keras 2's, accepted as Keras 3 does
            warnings.warn("Argument `input_length` is deprecated. Just remove it.",
                          stacklevel=2)
        super().__init__(**kwargs)
        self.input_dim = validate.positive_int(input_dim, "Embedding: input_dim")
        self.output_dim = validate.positive_int(output_dim, "Embedding: output_dim")
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = validate.flag(mask_zero, "mask_zero")
        self.embeddings = None

    def build(self, input_shape=None):
        self.embeddings = self.add_weight(shape=(self.input_dim, self.output_dim),
                                          name="embeddings",
                                          initializer=self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer,
                                          constraint=self.embeddings_constraint)
        self.built = True

    def call(self, inputs):
        ids = inputs._data
        if ids.dtype.kind == "f":
            if not np.array_equal(ids, np.round(ids)):
                raise ValueError("Embedding expects integer ids as inputs")
        ids = ids.astype(np.int64)
        bad = ids[(ids < 0) | (ids >= self.input_dim)]
        if bad.size:
            raise ValueError(f"Embedding {self.name!r}: ids must lie in [0, {self.input_dim}), "
                             f"got {bad.flat[0]}")
        return self.embeddings[ids]

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        return {**super().get_config(), "input_dim": self.input_dim,
                "output_dim": self.output_dim,
                "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
                "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
                "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
                "mask_zero": self.mask_zero}
