"""The convolution layers Conv1D and Conv2D, channels last as Keras lays them out: a kernel of
shape (kernel size..., in channels, filters) slid over (batch, steps, channels) or (batch,
height, width, channels), then the bias and the activation. The convolution is
ops.convolution.conv2d_nhwc (Conv1D runs it on images one row high)."""
import math

from ... import validate
from ...ops.convolution import conv2d_nhwc, conv2d_transpose_nhwc
from .. import activations, constraints, initializers, regularizers
from .layer import Layer


def _tuple(value, rank, name):
    values = (value,) * rank if isinstance(value, int) and not isinstance(value, bool) \
        else tuple(value) if isinstance(value, (tuple, list)) else None
    if values is None or len(values) != rank or any(
            isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in values):
        raise ValueError(f"The `{name}` argument must be a tuple of {rank} integers. Received "
                         f"{name}={value!r}")
    return values


def output_length(size, window, stride, padding):
    """One axis of the output: ceil(size / stride) for 'same', whole windows for 'valid'."""
    if size is None:
        return None
    if padding == "same":
        return math.ceil(size / stride)
    return (size - window) // stride + 1 if size >= window else 0


class _Conv(Layer):
    RANK = 2
    KERNEL_ORDER = "channels, filters"
    _op = staticmethod(conv2d_nhwc)  # the 2-D op the layer runs (Conv1D: one row high)

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        rank, kind = self.RANK, type(self).__name__
        self.filters = validate.positive_int(filters, f"{kind}: filters")
        self.kernel_size = _tuple(kernel_size, rank, "kernel_size")
        self.strides = _tuple(strides, rank, "strides")
        self.dilation_rate = _tuple(dilation_rate, rank, "dilation_rate")
        self.padding = padding.lower() if isinstance(padding, str) else padding
        if self.padding not in ("valid", "same"):
            raise ValueError(f"{kind}: padding must be 'valid' or 'same' (pynn has no "
                             f"'causal' padding), got {padding!r}")
        if data_format not in (None, "channels_last"):
            raise ValueError(f"{kind}: pynn computes channels-last images only (batch, ..., "
                             f"channels); got data_format={data_format!r}")
        if self.dilation_rate != (1,) * rank or groups != 1:
            raise ValueError(f"{kind}: pynn has no dilated or grouped convolutions "
                             f"(dilation_rate={dilation_rate!r}, groups={groups!r})")
        self.data_format, self.groups = "channels_last", 1
        self.activation = activations.get(activation)
        self.use_bias = validate.flag(use_bias, "use_bias")
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.kernel = self.bias = None

    def build(self, input_shape):
        kind = type(self).__name__
        if len(input_shape) != self.RANK + 2 or input_shape[-1] is None:
            raise ValueError(f"Input 0 of layer \"{self.name}\" is incompatible with the layer: "
                             f"expected ndim={self.RANK + 2}, found ndim={len(input_shape)}. "
                             f"Full shape received: {tuple(input_shape)} ({kind} takes "
                             f"(batch, {'steps' if self.RANK == 1 else 'height, width'}, "
                             "channels))")
        channels = input_shape[-1]
        # (..., channels, filters), or (..., filters, channels) for the transposed ones
        order = (channels, self.filters) if self.KERNEL_ORDER == "channels, filters" else \
            (self.filters, channels)
        self.kernel = self._configured_weight("kernel", self.kernel_size + order)
        if self.use_bias:
            self.bias = self._configured_weight("bias", (self.filters,))
        self.built = True

    def call(self, inputs):
        dtype = self.kernel.dtype
        x, kernel, strides = inputs.to(dtype), self.kernel, self.strides
        if self.RANK == 1:
            x, kernel, strides = x.unsqueeze(1), kernel.unsqueeze(0), (1,) + strides
        out = self._op(x, kernel, strides, self.padding)
        if self.RANK == 1:
            out = out.squeeze(1)
        if self.bias is not None:
            out = out + self.bias.to(dtype)
        return self.activation(out)

    def compute_output_shape(self, input_shape):
        spatial = tuple(output_length(size, k, s, self.padding) for size, k, s in
                        zip(input_shape[1:-1], self.kernel_size, self.strides))
        return (input_shape[0],) + spatial + (self.filters,)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": list(self.kernel_size), "strides": list(self.strides),
                "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": list(self.dilation_rate), "groups": self.groups,
                "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer)}


class Conv2D(_Conv):
    """Conv2D(filters, kernel_size, strides=(1, 1), padding='valid', activation=None,
    use_bias=True, kernel_initializer='glorot_uniform', ...): Keras's 2-D convolution of
    (batch, height, width, channels) images, kernel (kh, kw, channels, filters)."""
    RANK = 2


class Conv1D(_Conv):
    """Conv1D(filters, kernel_size, strides=1, padding='valid', activation=None, ...): Keras's
    1-D convolution of (batch, steps, channels) sequences, kernel (k, channels, filters)."""
    RANK = 1


Convolution1D, Convolution2D = Conv1D, Conv2D


class _ConvTranspose(_Conv):
    """The transposed convolutions: the kernel is (..., filters, in channels), and the output
    (batch, (size - 1) * stride + kernel, ..., filters) for 'valid', size * stride for 'same'."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, **kwargs)
        if output_padding is not None:
            raise ValueError(f"{type(self).__name__}: pynn has no output_padding (the default, "
                             f"None, gives Keras's sizes); got output_padding={output_padding!r}")
        self.output_padding = None

    KERNEL_ORDER = "filters, channels"
    _op = staticmethod(conv2d_transpose_nhwc)

    def compute_output_shape(self, input_shape):
        def length(size, k, s):
            if size is None:
                return None
            return size * s if self.padding == "same" else (size - 1) * s + k
        spatial = tuple(length(size, k, s) for size, k, s in
                        zip(input_shape[1:-1], self.kernel_size, self.strides))
        return (input_shape[0],) + spatial + (self.filters,)

    def get_config(self):
        return {**super().get_config(), "output_padding": self.output_padding}


class Conv2DTranspose(_ConvTranspose):
    """Conv2DTranspose(filters, kernel_size, strides=(1, 1), padding='valid', ...): Keras's
    transposed 2-D convolution (the upsampling of decoders), kernel (kh, kw, filters,
    channels)."""
    RANK = 2


class Conv1DTranspose(_ConvTranspose):
    """Conv1DTranspose(filters, kernel_size, strides=1, padding='valid', ...): Keras's
    transposed 1-D convolution of (batch, steps, channels), kernel (k, filters, channels)."""
    RANK = 1


Convolution1DTranspose, Convolution2DTranspose = Conv1DTranspose, Conv2DTranspose
