"""Sequential: a Model whose layers each feed the next, as keras.Sequential.

Its structure follows Keras 3: an InputLayer first once the input shape is known (from
Input(shape=...), a first layer's input_shape/input_dim, build(), or the first data), and then
the layers called on each other symbolically, so model.inputs, model.outputs, layer.output and
the summary's shapes exist as in Keras. A batch runs through the layers in a row, a run of Dense
layers of one dtype as one graph node (ops.dense.dense_stack): the values and gradients of the
layers one by one, computed by the calls fit's compiled step replays.
"""
from ...ops.dense import dense_stack
from ..keras_tensor import KerasTensor
from ..layers import Dense, InputLayer, Layer, deserialize
from ..trainers.trainer import Trainer
from .functional import Graph
from .model import Model


class Sequential(Model):
    """Sequential(layers=None, trainable=True, name=None): Sequential([Dense(4,
    activation='relu'), Dense(1, activation='sigmoid')]), or Sequential() and add()."""

    _runs_in_a_row = True

    def __init__(self, layers=None, trainable=True, name=None):
        Layer.__init__(self, trainable=trainable, name=name)
        Trainer.__init__(self)
        self._graph = None
        if layers is not None:
            if isinstance(layers, (Layer, KerasTensor)) or not isinstance(layers, (list, tuple)):
                raise TypeError(f"Sequential: expected a list of layers, got "
                                f"{type(layers).__name__}")
            for layer in layers:
                self.add(layer, rebuild=False)
            self._maybe_rebuild()

    # ---- structure ----------------------------------------------------------------------------

    @property
    def layers(self):
        """The layers, without the InputLayer, as Keras lists them."""
        layers = self._sublayers
        return list(layers[1:] if layers and isinstance(layers[0], InputLayer) else layers)

    def add(self, layer, rebuild=True):
        """Append a layer (or an Input); with the input shape known, the model is built at
        once, creating the new layer's weights."""
        if not self._sublayers and getattr(layer, "_input_shape_arg", None) is not None:
            self.add(InputLayer(shape=layer._input_shape_arg), rebuild=False)
        if isinstance(layer, KerasTensor) and layer._keras_history is not None \
                and isinstance(layer._keras_history.operation, InputLayer):
            layer = layer._keras_history.operation
        if not isinstance(layer, Layer):
            raise ValueError(f"Only instances of `keras.Layer` can be added to a Sequential "
                             f"model. Received: {layer!r} (of type {type(layer)})")
        if any(known.name == layer.name for known in self._sublayers):
            raise ValueError(f"All layers added to a Sequential model should have unique "
                             f"names. Name '{layer.name}' is already the name of a layer in "
                             "this model. Update the `name` argument to pass a unique name.")
        if isinstance(layer, InputLayer) and self._sublayers:
            if isinstance(self._sublayers[0], InputLayer):
                raise ValueError(f"Sequential model '{self.name}' has already been configured "
                                 f"to use input shape {self._sublayers[0].batch_shape}. You "
                                 "cannot add a different Input layer to it.")
            raise ValueError("An Input (InputLayer) can only be the first layer of a "
                             "Sequential model")
        self._sublayers.append(layer)
        self._modules[layer.name] = layer
        if rebuild:
            self._maybe_rebuild()
        else:
            self.built, self._graph = False, None

    def pop(self, rebuild=True):
        """Remove and return the last layer."""
        if not self.layers:
            raise TypeError("There are no layers in the model.")
        layer = self._sublayers.pop()
        del self._modules[layer.name]
        self.built, self._graph = False, None
        if rebuild:
            self._maybe_rebuild()
        return layer

    def _maybe_rebuild(self):
        self.built, self._graph = False, None
        if len(self._sublayers) > 1 and isinstance(self._sublayers[0], InputLayer):
            self.build(self._sublayers[0].batch_shape)

    def build(self, input_shape=None):
        """Build for inputs of input_shape, e.g. (None, 2): an InputLayer first, then every
        layer called on the one before, creating its weights."""
        if input_shape is None:
            if not self._sublayers or not isinstance(self._sublayers[0], InputLayer):
                raise ValueError("build: the input shape is unknown; pass it, e.g. "
                                 "model.build((None, 2)), or start the model with "
                                 "keras.Input(shape=(2,))")
            input_shape = self._sublayers[0].batch_shape
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 2:
            raise ValueError(f"build: expected an input shape with a batch axis, such as "
                             f"(None, 2), got {input_shape!r}")
        input_shape = tuple(input_shape)
        if not self.layers:
            raise ValueError(f"Sequential model {self.name} cannot be built because it has no "
                             "layers. Call `model.add(layer)`.")
        first = self._sublayers[0]
        if isinstance(first, InputLayer):
            if len(first.batch_shape) != len(input_shape) or any(
                    a is not None and b is not None and a != b
                    for a, b in zip(first.batch_shape, input_shape)):
                raise ValueError(f"Sequential model '{self.name}' has already been configured "
                                 f"to use input shape {first.batch_shape}. You cannot build it "
                                 f"with input_shape {input_shape}")
        else:
            first = InputLayer(batch_shape=input_shape, dtype=first.dtype)
            self._sublayers.insert(0, first)
            self._modules[first.name] = first
        x = first.output
        for layer in self._sublayers[1:]:
            x = layer(x)
        self._graph = Graph(first.output, x)
        self.built = True

    def _maybe_build(self, input_shape):
        """Built by the first data it is called on, for batches of any size."""
        if not self.built:
            self.build((None,) + tuple(input_shape[1:]))

    # ---- forward ------------------------------------------------------------------------------

    def call(self, inputs, training=None):
        return self._run(inputs, logits=False)

    def _forward(self, inputs, training, logits_for=()):
        if len(inputs) != 1:
            raise ValueError(f"A Sequential model takes one input, got {len(inputs)}")
        return [self._run(inputs[0], logits=0 in logits_for)]

    def _run(self, x, logits):
        """The output Tensor for a batch Tensor; with logits, the last layer's pre-activation.
        A run's input is cast to its weights' dtype, as Keras casts a layer's inputs."""
        self._check_input(x)
        layers = self.layers
        run, last = [], len(layers) - 1
        for i, layer in enumerate(layers):
            as_logits = logits and i == last
            entry = layer.stacked(as_logits) if type(layer) is Dense else None
            if entry is not None and run and entry[0].dtype != run[0][0].dtype:
                x, run = self._stack(x, run), []
            if entry is not None:
                run.append(entry)
                continue
            if run:
                x, run = self._stack(x, run), []
            x = layer.logits(x) if as_logits else layer(x)
        return self._stack(x, run) if run else x

    def _stack(self, x, run):
        dtype = run[0][0].dtype
        run = [(k, b if b is None else b.to(dtype), act) for k, b, act in run]
        return dense_stack(x.to(dtype), run, trans_w=False, name=self.name)

    def _check_input(self, x):
        expected = self._sublayers[0].batch_shape
        if x.ndim != len(expected) or any(want is not None and got != want
                                          for got, want in zip(x.shape[1:], expected[1:])):
            layer = self.layers[0]
            if x.ndim == len(expected):
                raise ValueError(f'Input 0 of layer "{layer.name}" is incompatible with the '
                                 f"layer: expected axis -1 of input shape to have value "
                                 f"{expected[-1]}, but received input with shape "
                                 f"{tuple(x.shape)}")
            raise ValueError(f'Input 0 of layer "{layer.name}" is incompatible with the layer: '
                             f"expected shape={expected}, found shape={tuple(x.shape)}")

    def _output_layer(self, index):
        layers = self.layers
        return layers[-1] if layers else None

    # ---- config -------------------------------------------------------------------------------

    def get_config(self):
        """{'name', 'trainable', 'dtype', 'layers': [{'class_name', 'config'}, ...]}, the
        InputLayer first once the input shape is known, as Keras writes it."""
        return {"name": self.name, "trainable": self.trainable, "dtype": self.dtype,
                "layers": [{"class_name": type(layer).__name__, "config": layer.get_config()}
                           for layer in self._sublayers]}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """The model get_config() describes, with fresh weights."""
        if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
            raise ValueError("Sequential.from_config: expected a dict with a 'layers' list, as "
                             "get_config() returns")
        layers = [deserialize(entry, custom_objects) for entry in config["layers"]]
        return cls(layers, name=config.get("name"), trainable=config.get("trainable", True))
