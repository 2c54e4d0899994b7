"""The layer wrappers: Bidirectional runs a recurrent layer forwards and a copy of it backwards
over the sequence and merges what they return (concatenated by default, Keras's merge modes);
TimeDistributed applies a layer to every step of (batch, steps, ...) inputs."""
from ...ops.shape import cat
from .layer import Layer

MERGE_MODES = ("concat", "sum", "ave", "mul", None)


def _layer_class(name):
    """The Layer subclass called name, among those defined (no import)."""
    stack = [Layer]
    while stack:
        cls = stack.pop()
        if cls.__name__ == name:
            return cls
        stack.extend(cls.__subclasses__())
    raise ValueError(f"Unknown layer: '{name}'")


def _rebuild(config):
    return _layer_class(config["class_name"]).from_config(config["config"])


class Bidirectional(Layer):
    """Bidirectional(layer, merge_mode='concat', backward_layer=None): the recurrent layer
    (SimpleRNN, LSTM, GRU) run forwards, and a copy of it (or backward_layer) run backwards;
    their outputs merged by merge_mode ('concat', 'sum', 'ave', 'mul', or None for the pair).
    Every step's outputs (return_sequences=True) are put back in time order before merging."""

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, Layer) or not hasattr(layer, "go_backwards"):
            raise ValueError("Please initialize `Bidirectional` layer with a recurrent layer "
                             f"(SimpleRNN, LSTM or GRU). Received: {layer!r}")
        if merge_mode not in MERGE_MODES:
            raise ValueError(f"Invalid merge mode. Received: {merge_mode}. Merge mode should be "
                             "one of {\"sum\", \"mul\", \"ave\", \"concat\", None}")
        super().__init__(**kwargs)
        config = layer.get_config()
        forward = type(layer).from_config({**config, "name": f"forward_{layer.name}"})
        if backward_layer is None:
            backward_layer = type(layer).from_config(
                {**config, "name": f"backward_{layer.name}",
                 "go_backwards": not config["go_backwards"]})
        self.forward_layer, self.backward_layer = forward, backward_layer
        self.merge_mode = merge_mode
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        if weights is not None:
            raise ValueError("Bidirectional: set the weights after building, with set_weights")

    def build(self, input_shape):
        self.forward_layer._maybe_build(tuple(input_shape))
        self.backward_layer._maybe_build(tuple(input_shape))
        self.built = True

    def call(self, inputs, training=False):
        forward = self.forward_layer(inputs, training=training)
        backward = self.backward_layer(inputs, training=training)
        f_states = b_states = []
        if self.return_state:
            forward, *f_states = forward
            backward, *b_states = backward
        if self.return_sequences:
            backward = backward.flip((1,))
        merged = self._merge(forward, backward)
        if self.return_state:
            merged = merged if isinstance(merged, list) else [merged]
            return merged + f_states + b_states
        return merged

    def _merge(self, forward, backward):
        if self.merge_mode == "concat":
            return cat([forward, backward], dim=-1)
        if self.merge_mode == "sum":
            return forward + backward
        if self.merge_mode == "ave":
            return (forward + backward) * 0.5
        if self.merge_mode == "mul":
            return forward * backward
        return [forward, backward]

    def compute_output_shape(self, input_shape):
        shape = self.forward_layer.compute_output_shape(tuple(input_shape))
        states = []
        if self.return_state:
            shape, *states = shape
        if self.merge_mode == "concat":
            shape = tuple(shape[:-1]) + (2 * shape[-1],)
        outputs = [shape, shape] if self.merge_mode is None else [shape]
        if self.return_state:
            return outputs + states + states
        return outputs[0] if len(outputs) == 1 else outputs

    def get_config(self):
        def layer_config(layer):
            return {"class_name": type(layer).__name__, "config": layer.get_config()}
        return {**super().get_config(), "merge_mode": self.merge_mode,
                "layer": layer_config(self.forward_layer),
                "backward_layer": layer_config(self.backward_layer)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        layer = _rebuild(config.pop("layer"))
        backward = config.pop("backward_layer", None)
        layer.name = layer.name.replace("forward_", "", 1)
        return cls(layer, backward_layer=None if backward is None else _rebuild(backward),
                   **config)


class TimeDistributed(Layer):
    """TimeDistributed(layer): layer applied to each step of (batch, steps, ...) inputs, the
    same weights at every step."""

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError("Please initialize `TimeDistributed` layer with a `keras.layers."
                             f"Layer` instance. Received: {layer!r}")
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape):
        if len(input_shape) < 3:
            raise ValueError("`TimeDistributed` Layer should be passed an `input_shape` with at "
                             f"least 3 dimensions, received: {tuple(input_shape)}")
        self.layer._maybe_build((None,) + tuple(input_shape[2:]))
        self.built = True

    def call(self, inputs, training=None):
        batch, steps = inputs.shape[0], inputs.shape[1]
        flat = inputs.reshape(batch * steps, *inputs.shape[2:])
        kwargs = {"training": training} if training is not None else {}
        out = self.layer(flat, **kwargs)
        return out.reshape(batch, steps, *out.shape[1:])

    def compute_output_shape(self, input_shape):
        inner = self.layer.compute_output_shape((None,) + tuple(input_shape[2:]))
        return tuple(input_shape[:2]) + tuple(inner[1:])

    def get_config(self):
        return {**super().get_config(), "layer": {"class_name": type(self.layer).__name__,
                                                  "config": self.layer.get_config()}}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        return cls(_rebuild(config.pop("layer")), **config)
