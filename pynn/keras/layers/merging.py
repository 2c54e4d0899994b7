"""The merging layers, called on a list of inputs: Concatenate, Add, Subtract, Multiply, Average,
Maximum, Minimum and Dot, and their functional forms (concatenate([a, b]), add([a, b]), ...).

Each merges with Tensor ops, whose backward the graph derives. The elementwise ones broadcast
their inputs' shapes after the batch axis, as Keras does; Concatenate needs every axis but the
one it joins on to match.
"""
import numpy as np

from ... import validate
from ...ops import comparison
from ...ops.shape import cat
from .layer import Layer


def _check_list(layer, input_shape, at_least=1):
    if not isinstance(input_shape, (list, tuple)) or not input_shape \
            or not isinstance(input_shape[0], (list, tuple)):
        raise ValueError(f"A merge layer should be called on a list of inputs. Received: "
                         f"input_shape={input_shape} (not a list of shapes)")
    if len(input_shape) < at_least:
        raise ValueError(f"A `{type(layer).__name__}` layer should be called on a list of at "
                         f"least {at_least} input(s). Got {len(input_shape)} inputs.")


def _broadcast(shape1, shape2):
    """The shape two inputs' elementwise result has, the batch axis included; a ValueError if
    their shapes do not broadcast."""
    if len(shape1) < len(shape2):
        shape1, shape2 = shape2, shape1
    shape2 = (1,) * (len(shape1) - len(shape2)) + tuple(shape2)
    out = []
    for a, b in zip(shape1, shape2):
        if a is None or b is None:
            out.append(None if a in (None, 1) or b in (None, 1) else max(a, b))
        elif a == 1 or b == 1 or a == b:
            out.append(max(a, b))
        else:
            raise ValueError(f"Inputs have incompatible shapes. Received shapes {shape1} and "
                             f"{shape2}")
    return tuple(out)


class Merge(Layer):
    """Base of the elementwise merges: build checks the list of shapes, call folds the inputs
    with _merge_function."""

    def build(self, input_shape):
        _check_list(self, input_shape)
        self.compute_output_shape(input_shape)  # refuse shapes that do not broadcast
        self.built = True

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"A merge layer should be called on a list of inputs. Received: "
                             f"inputs={inputs!r} (not a list of tensors)")
        return self._merge_function(list(inputs))

    def _merge_function(self, inputs):
        raise NotImplementedError

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape[0])
        for other in input_shape[1:]:
            shape = _broadcast(shape, tuple(other))
        return shape


class Add(Merge):
    """The sum of the inputs."""

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out + x
        return out


class Subtract(Merge):
    """inputs[0] - inputs[1], for exactly two inputs."""

    def build(self, input_shape):
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError(f"A `Subtract` layer should be called on exactly 2 inputs. "
                             f"Received: input_shape={input_shape}")

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError(f"A `Subtract` layer should be called on exactly 2 inputs. "
                             f"Received: inputs={inputs}")
        return inputs[0] - inputs[1]


class Multiply(Merge):
    """The elementwise product of the inputs."""

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out * x
        return out


class Average(Merge):
    """The elementwise mean of the inputs."""

    def _merge_function(self, inputs):
        return Add._merge_function(self, inputs) / len(inputs)


class Maximum(Merge):
    """The elementwise maximum of the inputs."""

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = comparison.maximum(out, x)
        return out


class Minimum(Merge):
    """The elementwise minimum of the inputs."""

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = comparison.minimum(out, x)
        return out


class Concatenate(Layer):
    """Joins the inputs along `axis` (the last by default); every other axis must match."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
            raise TypeError(f"Concatenate: axis must be an int, got {axis!r}")
        self.axis = int(axis)

    def build(self, input_shape):
        _check_list(self, input_shape)
        self.compute_output_shape(input_shape)
        self.built = True

    def call(self, inputs):
        return cat(list(inputs), self.axis)

    def compute_output_shape(self, input_shape):
        _check_list(self, input_shape)
        ndim = len(input_shape[0])
        axis = validate.axis(self.axis, ndim, "Concatenate: axis")
        if any(len(s) != ndim or any(a != b and a is not None and b is not None
                                     for i, (a, b) in enumerate(zip(s, input_shape[0]))
                                     if i != axis)
               for s in input_shape):
            raise ValueError(f"A `Concatenate` layer requires inputs with matching shapes except "
                             f"for the concatenation axis. Received: input_shape={input_shape}")
        sizes = [s[axis] for s in input_shape]
        out = list(input_shape[0])
        out[axis] = None if None in sizes else sum(sizes)
        if axis != 0 and out[0] is None:
            out[0] = next((s[0] for s in input_shape if s[0] is not None), None)
        return tuple(out)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


class Dot(Layer):
    """Dot(axes, normalize=False): for two inputs of shape (batch, n), the dot product of each
    pair of rows, of shape (batch, 1); with normalize, of the rows scaled to unit length (the
    cosine similarity)."""

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        axes = list(axes) if isinstance(axes, (list, tuple)) else [axes, axes]
        if len(axes) != 2 or any(isinstance(a, bool) or not isinstance(a, (int, np.integer))
                                 for a in axes):
            raise TypeError(f"Invalid type for argument `axes`: it should be an int or a list "
                            f"of 2 ints. Received: axes={axes}")
        self.axes = [int(a) for a in axes]
        self.normalize = validate.flag(normalize, "normalize")

    def build(self, input_shape):
        self.compute_output_shape(input_shape)
        self.built = True

    def compute_output_shape(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or len(input_shape) != 2 \
                or not isinstance(input_shape[0], (list, tuple)):
            raise ValueError(f"A `Dot` layer should be called on a list of 2 inputs. Received: "
                             f"input_shape={input_shape}")
        a, b = (tuple(s) for s in input_shape)
        if len(a) != 2 or len(b) != 2 or [x % 2 for x in self.axes] != [1, 1]:
            raise ValueError(f"pynn's Dot layer takes two inputs of shape (batch, n) and "
                             f"axes=1 (or -1); got shapes {a} and {b} with axes={self.axes}")
        if a[1] is not None and b[1] is not None and a[1] != b[1]:
            raise ValueError(f"Incompatible input shapes: axis values {a[1]} (at axis 1) != "
                             f"{b[1]} (at axis 1). Full input shapes: {a}, {b}")
        return (a[0] if a[0] is not None else b[0], 1)

    def call(self, inputs):
        a, b = inputs
        if self.normalize:
            a = a / (a * a).sum(axis=1, keepdims=True).clamp(min=1e-12).sqrt()
            b = b / (b * b).sum(axis=1, keepdims=True).clamp(min=1e-12).sqrt()
        return (a * b).sum(axis=1, keepdims=True)

    def get_config(self):
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def concatenate(inputs, axis=-1, **kwargs):
    """Concatenate(axis=axis, **kwargs)(inputs)."""
    return Concatenate(axis=axis, **kwargs)(inputs)


def add(inputs, **kwargs):
    """Add(**kwargs)(inputs)."""
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """Subtract(**kwargs)(inputs)."""
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """Multiply(**kwargs)(inputs)."""
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """Average(**kwargs)(inputs)."""
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """Maximum(**kwargs)(inputs)."""
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """Minimum(**kwargs)(inputs)."""
    return Minimum(**kwargs)(inputs)


def dot(inputs, axes=-1, **kwargs):
    """Dot(axes=axes, **kwargs)(inputs)."""
    return Dot(axes=axes, **kwargs)(inputs)
