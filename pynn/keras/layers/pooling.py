"""The pooling layers, channels last: MaxPooling1D/2D and AveragePooling1D/2D take the max or
the mean of each window (strides default to the pool size), the global ones of the whole steps
or image per channel (keepdims=True keeps those axes as 1s). The windowed ones are
ops.convolution's max_pool2d_nhwc and avg_pool2d_nhwc (the 1-D ones on images one row high)."""
from ...ops.convolution import avg_pool2d_nhwc, max_pool2d_nhwc
from .convolutional import _tuple, output_length
from .layer import Layer


class _Pooling(Layer):
    RANK, POOL = 2, None

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(**kwargs)
        kind = type(self).__name__
        self.pool_size = _tuple(pool_size, self.RANK, "pool_size")
        self.strides = self.pool_size if strides is None else _tuple(strides, self.RANK,
                                                                     "strides")
        self.padding = padding.lower() if isinstance(padding, str) else padding
        if self.padding not in ("valid", "same"):
            raise ValueError(f"{kind}: padding must be 'valid' or 'same', got {padding!r}")
        if data_format not in (None, "channels_last"):
            raise ValueError(f"{kind}: pynn computes channels-last inputs only, got "
                             f"data_format={data_format!r}")
        self.data_format = "channels_last"
        self.built = True

    def call(self, inputs):
        if inputs.ndim != self.RANK + 2:
            raise ValueError(f"Input 0 of layer \"{self.name}\" is incompatible with the layer: "
                             f"expected ndim={self.RANK + 2}, found ndim={inputs.ndim}. Full "
                             f"shape received: {tuple(inputs.shape)}")
        pool = type(self).POOL
        if self.RANK == 1:
            out = pool(inputs.unsqueeze(1), (1,) + self.pool_size, (1,) + self.strides,
                       self.padding)
            return out.squeeze(1)
        return pool(inputs, self.pool_size, self.strides, self.padding)

    def compute_output_shape(self, input_shape):
        spatial = tuple(output_length(size, p, s, self.padding) for size, p, s in
                        zip(input_shape[1:-1], self.pool_size, self.strides))
        return (input_shape[0],) + spatial + (input_shape[-1],)

    def get_config(self):
        return {**super().get_config(), "pool_size": list(self.pool_size),
                "strides": list(self.strides), "padding": self.padding,
                "data_format": self.data_format}


class MaxPooling2D(_Pooling):
    """MaxPooling2D(pool_size=(2, 2), strides=None, padding='valid'): the max of each window."""
    RANK, POOL = 2, staticmethod(max_pool2d_nhwc)


class AveragePooling2D(_Pooling):
    """AveragePooling2D(pool_size=(2, 2), strides=None, padding='valid'): each window's mean."""
    RANK, POOL = 2, staticmethod(avg_pool2d_nhwc)


class MaxPooling1D(_Pooling):
    """MaxPooling1D(pool_size=2, strides=None, padding='valid') over (batch, steps, channels)."""
    RANK, POOL = 1, staticmethod(max_pool2d_nhwc)


class AveragePooling1D(_Pooling):
    """AveragePooling1D(pool_size=2, strides=None, padding='valid')."""
    RANK, POOL = 1, staticmethod(avg_pool2d_nhwc)


class _GlobalPooling(Layer):
    RANK, MAX = 2, False

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        if data_format not in (None, "channels_last"):
            raise ValueError(f"{type(self).__name__}: pynn computes channels-last inputs only, "
                             f"got data_format={data_format!r}")
        self.data_format, self.keepdims = "channels_last", bool(keepdims)
        self.built = True

    def call(self, inputs):
        if inputs.ndim != self.RANK + 2:
            raise ValueError(f"Input 0 of layer \"{self.name}\" is incompatible with the layer: "
                             f"expected ndim={self.RANK + 2}, found ndim={inputs.ndim}")
        axes = tuple(range(1, self.RANK + 1))
        if self.MAX:
            return inputs.amax(dim=axes, keepdim=self.keepdims)
        return inputs.mean(dim=axes, keepdim=self.keepdims)

    def compute_output_shape(self, input_shape):
        if self.keepdims:
            return (input_shape[0],) + (1,) * self.RANK + (input_shape[-1],)
        return (input_shape[0], input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format,
                "keepdims": self.keepdims}


class GlobalAveragePooling2D(_GlobalPooling):
    """GlobalAveragePooling2D(keepdims=False): the mean of each channel over the image."""
    RANK, MAX = 2, False


class GlobalMaxPooling2D(_GlobalPooling):
    """GlobalMaxPooling2D(keepdims=False): the max of each channel over the image."""
    RANK, MAX = 2, True


class GlobalAveragePooling1D(_GlobalPooling):
    """GlobalAveragePooling1D(keepdims=False): the mean of each channel over the steps."""
    RANK, MAX = 1, False


class GlobalMaxPooling1D(_GlobalPooling):
    """GlobalMaxPooling1D(keepdims=False): the max of each channel over the steps."""
    RANK, MAX = 1, True


MaxPool1D, MaxPool2D, AvgPool1D, AvgPool2D = (MaxPooling1D, MaxPooling2D, AveragePooling1D,
                                              AveragePooling2D)
GlobalAvgPool1D, GlobalAvgPool2D, GlobalMaxPool1D, GlobalMaxPool2D = (
    GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D)
