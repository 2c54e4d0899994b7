"""The layers that resize the steps of a sequence or the rows and columns of an image, with Keras
3's names, arguments and configs: UpSampling1D/2D (each step or pixel repeated, 'nearest'),
ZeroPadding1D/2D (zeros added at the edges) and Cropping1D/2D (edges cut off). Inputs are
(batch, steps, features) and (batch, rows, cols, channels), or (batch, channels, rows, cols)
with data_format='channels_first'. Each is made of Tensor ops (repeat_interleave, pad and
slicing), so its gradient is theirs."""
from ... import validate
from ...ops.shape import pad, repeat_interleave
from .layer import Layer


def _format(data_format):
    if data_format not in (None, "channels_last", "channels_first"):
        raise ValueError("The `data_format` argument must be one of {'channels_first', "
                         f"'channels_last'}}. Received: data_format={data_format}")
    return data_format or "channels_last"


def _pair(value, name, what):
    """(a, b) from an int (both) or a pair of non-negative ints."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value, value)
    if not isinstance(value, (tuple, list)) or len(value) != 2 or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value):
        raise ValueError(f"`{name}` should be {what}. Received: {name}={value!r}")
    return tuple(value)


def _pairs(value, name):
    """((top, bottom), (left, right)) from an int, a pair of ints (each symmetric) or a pair of
    pairs, as Keras's 2D padding and cropping take them."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value, value)
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise ValueError(f"`{name}` should be either an int, a tuple of 2 ints (symmetric_height"
                         f"_{name}, symmetric_width_{name}), or a tuple of 2 tuples of 2 ints "
                         f"((top_{name}, bottom_{name}), (left_{name}, right_{name})). "
                         f"Received: {name}={value!r}")
    return tuple(_pair(v, name, "a non-negative int or a tuple of 2 of them") for v in value)


def _spatial_axes(layer, ndim):
    return (2, 3) if layer.data_format == "channels_first" else (1, 2)


class _Spatial(Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.built = True

    def _check_rank(self, shape, rank):
        if len(shape) != rank:
            raise ValueError(f"Input 0 of layer \"{self.name}\" is incompatible with the layer: "
                             f"expected ndim={rank}, found ndim={len(shape)}. Full shape "
                             f"received: {tuple(shape)}")


class UpSampling1D(_Spatial):
    """UpSampling1D(size=2): each step repeated size times, (batch, steps, features) ->
    (batch, steps * size, features)."""

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        self.size = validate.positive_int(size, "UpSampling1D: size")

    def call(self, inputs):
        self._check_rank(inputs.shape, 3)
        return repeat_interleave(inputs, self.size, dim=1)

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape, 3)
        steps = None if input_shape[1] is None else input_shape[1] * self.size
        return (input_shape[0], steps, input_shape[2])

    def get_config(self):
        return {**super().get_config(), "size": self.size}


class UpSampling2D(_Spatial):
    """UpSampling2D(size=(2, 2), data_format=None, interpolation='nearest'): each row repeated
    size[0] times and each column size[1] times."""

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self.data_format = _format(data_format)
        self.size = _pair(size, "size", "an int or a tuple of 2 positive ints")
        if 0 in self.size:
            raise ValueError(f"`size` should be positive. Received: size={size!r}")
        if interpolation != "nearest":
            raise NotImplementedError(f"UpSampling2D: pynn has interpolation='nearest' only, "
                                      f"got {interpolation!r}")
        self.interpolation = interpolation

    def call(self, inputs):
        self._check_rank(inputs.shape, 4)
        rows, cols = _spatial_axes(self, 4)
        out = repeat_interleave(inputs, self.size[0], dim=rows) if self.size[0] > 1 else inputs
        return repeat_interleave(out, self.size[1], dim=cols) if self.size[1] > 1 else out

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape, 4)
        shape = list(input_shape)
        for axis, size in zip(_spatial_axes(self, 4), self.size):
            shape[axis] = None if shape[axis] is None else shape[axis] * size
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "size": self.size, "data_format": self.data_format,
                "interpolation": self.interpolation}


class ZeroPadding1D(_Spatial):
    """ZeroPadding1D(padding=1): zero steps added at the start and end of each sequence (an int
    for both, or (start, end))."""

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.padding = _pair(padding, "padding", "an int or a tuple of 2 non-negative ints")
        self.data_format = _format(data_format)

    def call(self, inputs):
        self._check_rank(inputs.shape, 3)
        if self.data_format == "channels_first":
            return pad(inputs, self.padding)
        return pad(inputs, (0, 0) + self.padding)

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape, 3)
        axis = 2 if self.data_format == "channels_first" else 1
        shape = list(input_shape)
        shape[axis] = None if shape[axis] is None else shape[axis] + sum(self.padding)
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding,
                "data_format": self.data_format}


class ZeroPadding2D(_Spatial):
    """ZeroPadding2D(padding=(1, 1), data_format=None): rows of zeros added at the top and
    bottom and columns at the left and right."""

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.padding = _pairs(padding, "padding")
        self.data_format = _format(data_format)

    def call(self, inputs):
        self._check_rank(inputs.shape, 4)
        (top, bottom), (left, right) = self.padding
        if self.data_format == "channels_first":
            return pad(inputs, (left, right, top, bottom))
        return pad(inputs, (0, 0, left, right, top, bottom))

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape, 4)
        shape = list(input_shape)
        for axis, (a, b) in zip(_spatial_axes(self, 4), self.padding):
            shape[axis] = None if shape[axis] is None else shape[axis] + a + b
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding,
                "data_format": self.data_format}


class Cropping1D(_Spatial):
    """Cropping1D(cropping=(1, 1)): steps cut off the start and end of each sequence."""

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(**kwargs)
        self.cropping = _pair(cropping, "cropping", "an int or a tuple of 2 non-negative ints")

    def call(self, inputs):
        self._check_rank(inputs.shape, 3)
        start, end = self.cropping
        steps = inputs.shape[1]
        if start + end >= steps:
            raise ValueError(f"`cropping` parameter of `Cropping1D` layer must be smaller than "
                             f"the input length. Received: inputs.shape={tuple(inputs.shape)}, "
                             f"and cropping={self.cropping}")
        return inputs[:, start:steps - end]

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape, 3)
        steps = input_shape[1]
        if steps is not None and sum(self.cropping) >= steps:
            raise ValueError(f"`cropping` parameter of `Cropping1D` layer must be smaller than "
                             f"the input length. Received: input_shape={tuple(input_shape)}, "
                             f"and cropping={self.cropping}")
        return (input_shape[0], None if steps is None else steps - sum(self.cropping),
                input_shape[2])

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping}


class Cropping2D(_Spatial):
    """Cropping2D(cropping=((0, 0), (0, 0)), data_format=None): rows cut off the top and
    bottom and columns off the left and right."""

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.cropping = _pairs(cropping, "cropping")
        self.data_format = _format(data_format)

    def _cropped(self, shape):
        out = list(shape)
        for axis, (a, b) in zip(_spatial_axes(self, 4), self.cropping):
            if out[axis] is not None and a + b >= out[axis]:
                raise ValueError(f"Values in `cropping` argument should be smaller than the "
                                 f"corresponding spatial dimension of the input. Received: "
                                 f"input_shape={tuple(shape)}, cropping={self.cropping}")
            out[axis] = None if out[axis] is None else out[axis] - a - b
        return tuple(out)

    def call(self, inputs):
        self._check_rank(inputs.shape, 4)
        self._cropped(tuple(inputs.shape))
        (top, bottom), (left, right) = self.cropping
        rows, cols = _spatial_axes(self, 4)
        index = [slice(None)] * 4
        index[rows] = slice(top, inputs.shape[rows] - bottom)
        index[cols] = slice(left, inputs.shape[cols] - right)
        return inputs[tuple(index)]

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape, 4)
        return self._cropped(tuple(input_shape))

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping,
                "data_format": self.data_format}
