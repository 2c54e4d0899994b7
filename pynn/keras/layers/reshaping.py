"""The reshaping layers with Keras 3's names and arguments: Flatten, Reshape, Permute and
RepeatVector. The batch axis is left alone: shapes and dims name the axes of one sample."""
import math

from ... import validate
from .layer import Layer


class _Reshaping(Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.built = True


class Flatten(_Reshaping):
    """Flatten(data_format=None): each sample to one axis, (batch, d1, d2, ...) ->
    (batch, d1 * d2 * ...)."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        if data_format not in (None, "channels_last", "channels_first"):
            raise ValueError("The `data_format` argument must be one of {'channels_first', "
                             f"'channels_last'}}. Received: data_format={data_format}")
        self.data_format = data_format or "channels_last"

    def call(self, inputs):
        if self.data_format == "channels_first" and inputs.ndim > 2:
            inputs = inputs.permute(0, *range(2, inputs.ndim), 1)
        return inputs.reshape(inputs.shape[0], -1)

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        return (input_shape[0], None if None in rest else math.prod(rest))

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class Reshape(_Reshaping):
    """Reshape(target_shape): each sample to target_shape (one entry may be -1)."""

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(target_shape, (tuple, list)):
            raise ValueError(f"Reshape: target_shape must be a tuple of ints such as (2, 3), "
                             f"got {target_shape!r}")
        self.target_shape = tuple(int(d) for d in target_shape)
        if sum(d == -1 for d in self.target_shape) > 1 or any(
                d < -1 or d == 0 for d in self.target_shape):
            raise ValueError(f"Reshape: target_shape may hold positive sizes and one -1, got "
                             f"{target_shape!r}")

    def _sample_shape(self, sample):
        size, known = math.prod(sample), math.prod(d for d in self.target_shape if d != -1)
        if -1 in self.target_shape:
            if size % known:
                raise ValueError(f"total size of new array must be unchanged, input_shape = "
                                 f"{list(sample)}, output_shape = {list(self.target_shape)}")
            return tuple(size // known if d == -1 else d for d in self.target_shape)
        if size != known:
            raise ValueError(f"total size of new array must be unchanged, input_shape = "
                             f"{list(sample)}, output_shape = {list(self.target_shape)}")
        return self.target_shape

    def call(self, inputs):
        return inputs.reshape((inputs.shape[0],) + self._sample_shape(tuple(inputs.shape[1:])))

    def compute_output_shape(self, input_shape):
        if None in input_shape[1:]:
            return (input_shape[0],) + tuple(None if d == -1 else d for d in self.target_shape)
        return (input_shape[0],) + self._sample_shape(tuple(input_shape[1:]))

    def get_config(self):
        return {**super().get_config(), "target_shape": list(self.target_shape)}


class Permute(_Reshaping):
    """Permute(dims): the axes of each sample reordered, dims numbering them from 1."""

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError("Invalid permutation argument `dims` for Permute Layer. The set of "
                             "indices in `dims` must be consecutive and start from 1. Received "
                             f"dims={dims}")

    def call(self, inputs):
        return inputs.permute(0, *self.dims)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self):
        return {**super().get_config(), "dims": list(self.dims)}


class RepeatVector(_Reshaping):
    """RepeatVector(n): (batch, features) -> (batch, n, features), each sample repeated."""

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = validate.positive_int(n, "RepeatVector: n")

    def call(self, inputs):
        if inputs.ndim != 2:
            raise ValueError(f"RepeatVector expects inputs of rank 2 (batch, features), got "
                             f"shape {tuple(inputs.shape)}")
        return inputs.unsqueeze(1).expand(inputs.shape[0], self.n, inputs.shape[1])

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        return {**super().get_config(), "n": self.n}
