"""Layer: the base of every Keras-style layer and model, as keras.layers.Layer.

A layer has a name (Keras's automatic one unless given), a dtype ('float32'), weights made by
add_weight() in build(input_shape) once the shape of its input is known, and call(inputs) on
pynn Tensors: its forward pass, whose backward the Tensor graph derives. layer(x) on an array or
a Tensor builds the layer if needed, casts float inputs to its dtype, calls it and collects the
losses it adds (add_loss, activity and weight regularizers); layer(x) on KerasTensors (the
functional API) records a Node and returns KerasTensors of the output's shape.

`training` reaches call() only when call accepts it: given to layer(x, training=...), else the
value of the layer call it runs inside (a model's), else call's own default.
"""
import inspect
import json
import threading
import warnings
from contextlib import contextmanager, nullcontext

import numpy as np

from ... import validate
from ...nn import Module
from ...gradient_tape import recording
from ...tensor import Tensor, no_grad, tensor
from .. import config, initializers, naming, regularizers, tree
from ..keras_tensor import KerasTensor, Node, is_symbolic
from ..variables import Variable, reserve



class _CallContext(threading.local):
    """The outermost layer call running in this thread, and its `training` value."""
    entry = None
    training = None


_context = _CallContext()


@contextmanager
def call_context(layer, training):
    """Run inside a call of layer: the outermost call clears the losses of the last forward
    pass, and training (unless None) reaches every layer called inside; yields the training
    value in force."""
    outer = _context.entry
    if outer is None:
        _context.entry = layer
        layer._clear_losses()
    previous = _context.training
    if training is not None:
        _context.training = training
    try:
        yield _context.training
    finally:
        _context.training = previous
        if outer is None:
            _context.entry = None


def standardize_dtype(dtype, owner):
    """'float32' or 'float64' from a name, a NumPy dtype or None (keras.config.floatx())."""
    if dtype is None:
        return config.floatx()
    if isinstance(dtype, dict):  # Keras's DTypePolicy config
        dtype = dtype.get("config", {}).get("name")
    return config.float_name(dtype, owner)


def _shape_of(x):
    return tuple(x.shape)


def base_config(get_config):
    """Marks a base class's get_config: a subclass that keeps it gets the arguments it was
    constructed with added to its config, as Keras's automatic config does."""
    get_config.base_config = True
    return get_config


class Layer(Module):
    """Layer(trainable=True, name=None, dtype=None, activity_regularizer=None): subclasses
    create weights with add_weight() in build(input_shape) and define call(inputs)."""

    def __new__(cls, *args, **kwargs):
        obj = super().__new__(cls)
        Module.__init__(obj)  # attributes may be set before Layer.__init__ runs, as Keras allows
        for name, value in (("_trainable_variables", []), ("_non_trainable_variables", []),
                            ("_sublayers", []), ("_losses", []), ("_inbound_nodes", []),
                            ("_build_input_shape", None)):
            object.__setattr__(obj, name, value)
        # the constructor's arguments by name: the config of a layer without get_config()
        names = inspect.getfullargspec(cls.__init__).args[1:]
        object.__setattr__(obj, "_auto_config", {**dict(zip(names, args)), **kwargs})
        return obj

    def __init__(self, *, activity_regularizer=None, trainable=True, dtype=None, autocast=True,
                 name=None, **kwargs):
        input_dim, input_shape = kwargs.pop("input_dim", None), kwargs.pop("input_shape", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments passed to "
                             f"{type(self).__name__}: {kwargs}")
        if name is not None and (not isinstance(name, str) or not name or "/" in name):
            raise ValueError(f"Argument `name` must be a string and cannot contain character "
                             f"`/`. Received: name={name!r} (of type {type(name)})")
        if not isinstance(trainable, (bool, np.bool_)):
            raise ValueError(f"Expected `trainable` to be a boolean. Received: "
                             f"trainable={trainable!r} (of type {type(trainable)})")
        self.name = name or naming.auto_name(type(self).__name__)
        self._trainable = bool(trainable)
        self._dtype = standardize_dtype(dtype, type(self).__name__)
        self.autocast = autocast
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.built = False
        self._input_shape_arg = _sample_shape(input_shape, input_dim, type(self).__name__)
        if self._input_shape_arg is not None:
            warnings.warn("Do not pass an `input_shape`/`input_dim` argument to a layer. When "
                          "using Sequential models, prefer using an `Input(shape)` object as "
                          "the first layer in the model instead.", UserWarning, stacklevel=3)
        self._call_has_training_arg = "training" in inspect.signature(self.call).parameters

    def __setattr__(self, name, value):
        """Layers assigned as attributes, alone or in a list, are tracked as sublayers: their
        weights are this layer's too."""
        if isinstance(value, (list, tuple)) and value and all(isinstance(v, Layer) for v in value):
            for i, layer in enumerate(value):
                self._track_layer(layer)
                self._modules[f"{name}.{i}"] = layer
        elif isinstance(value, Layer):
            self._track_layer(value)
        super().__setattr__(name, value)

    def _track_layer(self, layer):
        if all(layer is not known for known in self._sublayers):
            self._sublayers.append(layer)

    @property
    def _layers(self):
        """The sublayers, in the order they were assigned."""
        return list(self._sublayers)

    def _flatten_layers(self, include_self=True):
        """This layer (if include_self) and every layer below it, each once, depth first."""
        found, seen = ([self] if include_self else []), {id(self)}
        stack = list(reversed(self._layers))
        while stack:
            layer = stack.pop()
            if id(layer) not in seen:
                seen.add(id(layer))
                found.append(layer)
                stack.extend(reversed(layer._layers))
        return found

    # ---- dtype --------------------------------------------------------------------------------

    @property
    def dtype(self):
        """The dtype of the layer's weights and computations: 'float32' unless given."""
        return self._dtype

    compute_dtype = variable_dtype = dtype

    # ---- weights ------------------------------------------------------------------------------

    def add_weight(self, *args, shape=None, initializer=None, dtype=None, trainable=True,
                   autocast=True, regularizer=None, constraint=None, aggregation="none",
                   overwrite_with_gradient=False, name=None):
        """A new weight (a Variable) of this layer: add_weight(shape, initializer='glorot_uniform'
        ('zeros' for a non-float dtype), dtype=layer.dtype, trainable=True, regularizer=None,
        constraint=None, name=None). A non-trainable weight is saved and restored with the
        others but never trained (the layer updates it, as BatchNormalization its statistics)."""
        if args:
            if len(args) > 3:
                raise TypeError(f"add_weight() takes at most 3 positional arguments but "
                                f"{len(args)} were given.")
            if isinstance(args[0], str):
                raise ValueError(f"`name` must be passed as a keyword argument. Received: "
                                 f"add_weight('{args[0]}', ...). Use: add_weight(shape=..., "
                                 f"name='{args[0]}').")
            given = {"shape": shape, "initializer": initializer, "dtype": dtype}
            for key, value in zip(given, args):
                if given[key] is not None:
                    raise ValueError(f"`{key}` was passed both positionally and as a keyword "
                                     "argument.")
                given[key] = value
            shape, initializer, dtype = given.values()
        shape = () if shape is None else validate.shape(shape, f"{self.name}: add_weight shape")
        dtype = self._dtype if dtype is None else standardize_dtype(dtype, self.name)
        initializer = initializers.get("glorot_uniform" if initializer is None else initializer)
        reserve(shape)
        values = validate.as_array(initializer(shape, dtype), f"{self.name}: initializer output")
        if values.shape != shape:
            raise ValueError(f"{self.name}: the initializer returned shape {values.shape}, "
                             f"expected {shape}")
        trainable = bool(trainable)
        variable = Variable(values.astype(dtype, copy=False), name=name or "variable",
                            trainable=trainable and self._trainable,
                            regularizer=regularizers.get(regularizer), constraint=constraint)
        variable.path = f"{self.name}/{variable.name}"
        (self._trainable_variables if trainable else self._non_trainable_variables).append(variable)
        return variable

    def _configured_weight(self, name, shape, options=None, initializer=None):
        """The weight `name` ('kernel', 'bias') made with the layer's own `<options>_initializer`,
        `_regularizer` and `_constraint` (options defaults to name; 'recurrent' for an RNN's
        recurrent kernel), as Dense, the convolutions and the RNNs configure their weights."""
        options = options or name
        return self.add_weight(
            shape=shape, name=name,
            initializer=initializer or getattr(self, f"{options}_initializer"),
            regularizer=getattr(self, f"{options}_regularizer"),
            constraint=getattr(self, f"{options}_constraint"))

    @property
    def trainable(self):
        """Whether the layer's weights are trained; setting it sets it for every sublayer (call
        compile() again afterwards, as Keras asks, for fit to follow it)."""
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        value = bool(value)
        self._trainable = value
        for v in self._trainable_variables:
            v.trainable = value
        for layer in self._layers:
            layer.trainable = value

    @property
    def weights(self):
        """Every weight, in Keras's order: this layer's trainable then non-trainable ones (each
        in creation order), then each sublayer's; each once."""
        found, seen = [], set()
        for w in self._trainable_variables + self._non_trainable_variables:
            if id(w) not in seen:
                seen.add(id(w))
                found.append(w)
        for layer in self._layers:
            for w in layer.weights:
                if id(w) not in seen:
                    seen.add(id(w))
                    found.append(w)
        return found

    variables = weights

    @property
    def trainable_weights(self):
        return [w for w in self.weights if w.trainable] if self._trainable else []

    trainable_variables = trainable_weights

    @property
    def non_trainable_weights(self):
        return [w for w in self.weights if not w.trainable] if self._trainable else self.weights

    non_trainable_variables = non_trainable_weights

    def get_weights(self):
        """Copies of the weights as ndarrays, in Keras's order and layouts."""
        return [w._data.copy() for w in self.weights]

    def set_weights(self, weights):
        """Set every weight from a list of arrays of the same shapes, as get_weights returns
        them (Keras's layouts); nothing changes unless every array fits."""
        own, weights = self.weights, list(weights)
        if len(weights) != len(own):
            raise ValueError(f"You called `set_weights(weights)` on layer '{self.name}' with a "
                             f"weight list of length {len(weights)}, but the layer was "
                             f"expecting {len(own)} weights.")
        arrays = [validate.as_array(v, f"{self.name} weight {i}") for i, v in enumerate(weights)]
        for w, arr in zip(own, arrays):
            if arr.shape != w._data.shape:
                raise ValueError(f"Layer {self.name} weight shape {w._data.shape} is not "
                                 f"compatible with provided weight shape {arr.shape}.")
        for w, arr in zip(own, arrays):
            w._data[...] = arr

    def count_params(self):
        """The number of scalars in the weights."""
        if not self.built:
            raise ValueError(f"You tried to call `count_params` on layer '{self.name}', but the "
                             "layer isn't built. You can build it manually via: "
                             "`layer.build(input_shape)`.")
        return int(sum(w._data.size for w in self.weights))

    # ---- losses -------------------------------------------------------------------------------

    def add_loss(self, loss):
        """Add a scalar loss (a Tensor computed in call(), or a number) to this forward pass's
        losses: fit adds them to the loss it minimises and reports."""
        for value in tree.flatten(loss):
            self._losses.append(value if isinstance(value, Tensor) else tensor(
                validate.number(value, f"{self.name}: add_loss"), dtype=self._dtype))

    @property
    def losses(self):
        """The losses added during the last forward pass, by this layer and its sublayers, then
        the penalties of the trainable weights' regularizers (computed now)."""
        found = [loss for layer in self._flatten_layers() for loss in layer._losses]
        return found + [w.regularizer(w) for w in self.trainable_weights
                        if w.regularizer is not None]

    def _clear_losses(self):
        for layer in self._flatten_layers():
            layer._losses.clear()

    # ---- building and calling -----------------------------------------------------------------

    def build(self, input_shape):
        """Create the weights for inputs of input_shape (batch axis first, e.g. (None, 2))."""
        self.built = True

    def _maybe_build(self, input_shape):
        if not self.built:
            self.build(input_shape)
            self.built = True
            # the shape of inputs of any batch size: (None, features)
            self._build_input_shape = (None,) + tuple(input_shape[1:]) \
                if _is_shape(input_shape) and input_shape else input_shape

    def call(self, inputs, *args, **kwargs):
        raise NotImplementedError(f"Layer {type(self).__name__} does not have a `call()` method "
                                  "implemented.")

    def __call__(self, *args, **kwargs):
        if "name" not in self.__dict__:
            raise RuntimeError(f"In layer '{type(self).__name__}', you forgot to call "
                               "`super().__init__()` as the first statement in the `__init__()` "
                               "method. Go add it!")
        if not args:
            raise TypeError(f"{self.name}: missing the inputs to call the layer on")
        if is_symbolic((args, kwargs)):
            return self._symbolic_call(args, kwargs)
        inputs = _convert(args[0], self._dtype if self.autocast else None)
        if not self.built:
            self._maybe_build(tree.map_structure(_shape_of, inputs))
        # Called by the user (not inside fit's step, another layer or a GradientTape) on data
        # that needs no gradient, a layer records no graph, as Keras computes gradients only
        # where training asks for them: model(x).numpy() works.
        records = _context.entry is not None or recording() or any(
            isinstance(x, Tensor) and x._requires_grad for x in tree.flatten(inputs))
        with (nullcontext() if records else no_grad()), \
                call_context(self, kwargs.pop("training", None)) as training:
            if training is not None and self._call_has_training_arg:
                kwargs["training"] = training
            outputs = self.call(inputs, *args[1:], **kwargs)
            if self.activity_regularizer is not None:
                for out in tree.flatten(outputs):
                    if isinstance(out, Tensor):
                        penalty = self.activity_regularizer(out)
                        self.add_loss(penalty / out.shape[0] if out.ndim else penalty)
        return outputs

    # ---- the functional API -------------------------------------------------------------------

    def _symbolic_call(self, args, kwargs):
        """The layer called on KerasTensors: build it from their shapes, record the Node, return
        KerasTensors shaped as its outputs."""
        leaves = [x for x in tree.flatten(args[0]) if x is not None]
        if not all(isinstance(x, KerasTensor) for x in leaves):
            raise ValueError(f"Layer {self.name!r} was called on a mix of symbolic KerasTensors "
                             "and data: with the functional API, every input must come from "
                             "keras.Input or another layer's output.")
        self._maybe_build(tree.map_structure(_shape_of, args[0]))
        outputs = self.compute_output_spec(*args, **kwargs)
        Node(self, args, kwargs, outputs)
        return outputs

    def compute_output_spec(self, *args, **kwargs):
        """KerasTensors shaped as the outputs for inputs shaped as args[0]'s KerasTensors: from
        compute_output_shape if the layer defines it, else by calling the layer on zeros of two
        batch sizes (an axis whose size follows the batch size is None), as Keras traces it."""
        inputs = args[0]
        if type(self).compute_output_shape is not Layer.compute_output_shape:
            shapes = self.compute_output_shape(tree.map_structure(_shape_of, inputs))
            return _to_keras_tensors(shapes, self._dtype)
        return self._traced_output_spec(*args, **kwargs)

    def _traced_output_spec(self, *args, **kwargs):
        """compute_output_spec by calling the layer on zeros of batch sizes 2 and 3."""
        inputs = args[0]
        self._maybe_build(tree.map_structure(_shape_of, inputs))
        runs = []
        for batch in (2, 3):
            def zeros(x):
                if not isinstance(x, KerasTensor):
                    return x
                shape = [batch if d is None else d for d in x.shape]
                return Tensor._make(np.zeros(shape, np.dtype(x.dtype)))
            saved = [list(layer._losses) for layer in self._flatten_layers()]
            try:
                with no_grad():
                    out = self(tree.map_structure(zeros, inputs), *args[1:],
                               **{**kwargs, "training": False})
            except Exception as exc:
                raise ValueError(f"Could not compute the output shape of layer {self.name!r} "
                                 f"({type(self).__name__}) on inputs of shape "
                                 f"{tree.map_structure(_shape_of, inputs)} by calling it: {exc}. "
                                 "Define compute_output_shape(input_shape) on the layer.") \
                    from exc
            finally:
                for layer, losses in zip(self._flatten_layers(), saved):
                    layer._losses[:] = losses
            runs.append(out)
        return _merge_runs(runs[0], runs[1])

    def compute_output_shape(self, input_shape):
        """The output's shape for inputs of input_shape (None for the batch axis)."""
        spec = self.compute_output_spec(tree.map_structure(
            lambda s: KerasTensor(s, self._dtype), input_shape,
        ) if not _is_shape(input_shape) else KerasTensor(input_shape, self._dtype))
        return tree.map_structure(_shape_of, spec)

    @property
    def input(self):
        """The input KerasTensor(s) of the layer's first call in the functional API."""
        return self._node_attribute("input_tensors", "input")

    @property
    def output(self):
        """The output KerasTensor(s) of the layer's first call in the functional API."""
        return self._node_attribute("output_tensors", "output")

    def _node_attribute(self, attribute, what):
        if not self._inbound_nodes:
            raise AttributeError(f"The layer {self.name} has never been called and thus has no "
                                 f"defined {what}.")
        value = getattr(self._inbound_nodes[0], attribute)
        return value[0] if isinstance(value, list) and len(value) == 1 else value

    @property
    def input_shape(self):
        """The shape of the layer's input, (None, features) for a batch of any size."""
        if self._inbound_nodes:
            return tree.map_structure(_shape_of, self.input)
        if self._build_input_shape is not None:
            return self._build_input_shape
        raise AttributeError(f"The layer {self.name} has never been called and thus has no "
                             "defined input shape.")

    @property
    def output_shape(self):
        """The shape of the layer's output, (None, units) for a batch of any size."""
        if self._inbound_nodes:
            return tree.map_structure(_shape_of, self.output)
        return self.compute_output_shape(self.input_shape)

    # ---- config -------------------------------------------------------------------------------

    @base_config
    def get_config(self):
        """The constructor arguments, JSON-able, from which from_config makes this layer again:
        name, trainable, dtype (and activity_regularizer); a subclass adds its own. A layer
        class without get_config() gets the arguments it was constructed with."""
        config = {"name": self.name, "trainable": self._trainable, "dtype": self._dtype}
        if self.activity_regularizer is not None:
            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        if getattr(type(self).get_config, "base_config", False) and self._auto_config:
            extra = {k: v for k, v in self._auto_config.items() if k not in config}
            try:
                json.dumps(extra)
            except (TypeError, ValueError):
                raise NotImplementedError(
                    f"Layer {type(self).__name__} was created by passing non-serializable "
                    f"argument values in `__init__()`, and therefore the layer must override "
                    f"`get_config()` in order to be serializable. Received: {extra}") from None
            config.update(extra)
        return config

    @classmethod
    def from_config(cls, config):
        """The layer get_config() describes, unbuilt."""
        return cls(**config)

    def _class_name(self):
        """The class name a config records (Keras's: 'Functional' for a functional Model)."""
        return type(self).__name__

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _sample_shape(input_shape, input_dim, owner):
    """The shape of one sample from a layer's `input_dim` (an int) or `input_shape` (a tuple of
    positive ints, or an int); None if neither is given."""
    if input_dim is not None:
        dim = (validate.positive_int(input_dim, f"{owner}: input_dim"),)
        if input_shape is not None and _sample_shape(input_shape, None, owner) != dim:
            raise ValueError(f"{owner}: input_dim={input_dim} and input_shape={input_shape} "
                             "disagree; give one of them")
        return dim
    if input_shape is None:
        return None
    if isinstance(input_shape, (int, np.integer)) and not isinstance(input_shape, bool):
        input_shape = (input_shape,)
    if not isinstance(input_shape, (tuple, list)) or not input_shape:
        raise ValueError(f"{owner}: input_shape must be a tuple of positive ints such as (2,), "
                         f"got {input_shape!r}")
    return tuple(None if d is None else validate.positive_int(d, f"{owner}: input_shape")
                 for d in input_shape)


def _is_shape(value):
    return isinstance(value, (tuple, list)) and all(
        d is None or isinstance(d, (int, np.integer)) for d in value)


def _convert(x, dtype):
    """A layer's inputs as Tensors: arrays and nested lists of numbers become Tensors, a list
    or dict of inputs is converted input by input; float ones are cast to dtype (the layer's,
    unless autocast is off), as Keras casts them."""
    if isinstance(x, Tensor):
        if dtype is not None and x._data.dtype.kind == "f" and x._data.dtype != dtype:
            return x.to(np.dtype(dtype))
        return x
    if isinstance(x, dict):
        return {key: _convert(value, dtype) for key, value in x.items()}
    if isinstance(x, (list, tuple)) and not _is_numbers(x):
        return type(x)(_convert(e, dtype) for e in x)
    array = validate.as_array(x, "layer inputs")
    if array.dtype.kind == "f" and dtype is not None:
        array = array.astype(dtype, copy=False)
    return tensor(array)


def _is_numbers(value):
    """Whether value is a (nested) list of plain numbers: one array, not a list of inputs."""
    if isinstance(value, (list, tuple)):
        return all(_is_numbers(v) for v in value)
    return isinstance(value, (int, float, np.number, bool, np.bool_))


def _to_keras_tensors(shapes, dtype):
    if _is_shape(shapes):
        return KerasTensor(tuple(None if d is None else int(d) for d in shapes), dtype)
    return [_to_keras_tensors(s, dtype) for s in shapes] if isinstance(shapes, (list, tuple)) \
        else {k: _to_keras_tensors(s, dtype) for k, s in shapes.items()}


def _merge_runs(a, b):
    """KerasTensors from the outputs of two runs on batches of 2 and 3 rows: an axis whose size
    differs between them is None."""
    if isinstance(a, Tensor):
        shape = tuple(da if da == db else None for da, db in zip(a.shape, b.shape))
        return KerasTensor(shape, a._data.dtype.name)
    if isinstance(a, dict):
        return {k: _merge_runs(a[k], b[k]) for k in a}
    return type(a)(_merge_runs(x, y) for x, y in zip(a, b))
