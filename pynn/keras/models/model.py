"""Model: a Layer that trains (Trainer: compile, fit, evaluate, predict, ...), as keras.Model.

Three ways to make one, as in Keras:
  - functional: Model(inputs, outputs) on KerasTensors from keras.Input and layer calls; the
    graph (models.functional.Graph) holds its layers and runs them;
  - subclassing: class MyModel(Model) assigns layers in __init__ and defines call(inputs);
  - Sequential (models.sequential), a Model whose layers run in a row.
The model's structure (layers, weights, config, summary) lives here and in those modules; the
training lives in pynn.keras.trainers.
"""
import json

import numpy as np

from ...tensor import no_grad
from .. import naming, saving, tree
from ..keras_tensor import KerasTensor
from ..layers import Layer, deserialize as deserialize_layer, serialize as serialize_layer
from ..layers.layer import base_config, standardize_dtype
from ..trainers.trainer import Trainer
from . import functional, summary as summary_module


class Model(Trainer, Layer):
    """Model(inputs, outputs, name=None, trainable=True): a functional model; or subclass it,
    create layers in __init__ and define call(inputs, training=None)."""

    _runs_in_a_row = False  # whether fit's compiled step can run it (a Sequential can)

    def __init__(self, *args, **kwargs):
        inputs = kwargs.pop("inputs", args[0] if args else None)
        outputs = kwargs.pop("outputs", args[1] if len(args) > 1 else None)
        if len(args) > 2:
            raise TypeError(f"Model() takes at most 2 positional arguments (inputs, outputs), "
                            f"got {len(args)}")
        if (inputs is None) != (outputs is None):
            raise ValueError("A functional model needs both `inputs` and `outputs`: "
                             "keras.Model(inputs=..., outputs=...)")
        self._graph = None
        if inputs is not None:
            graph = functional.Graph(inputs, outputs)
            kwargs.setdefault("name", naming.auto_name("Functional")
                              if type(self) is Model else None)
            Layer.__init__(self, **_layer_kwargs(kwargs, type(self).__name__))
            self._graph = graph
            self._sublayers[:] = graph.layers
            self.built = True
        else:
            Layer.__init__(self, **_layer_kwargs(kwargs, type(self).__name__))
        Trainer.__init__(self)

    # ---- structure ----------------------------------------------------------------------------

    @property
    def layers(self):
        """The model's layers: a functional model's, InputLayers included, in Keras's order;
        a subclassed model's, in the order they were assigned."""
        return self._layers

    def get_layer(self, name=None, index=None):
        """The layer called `name`, or at position `index` of model.layers."""
        if index is not None and name is not None:
            raise ValueError(f"Provide only a layer name or a layer index. Received: "
                             f"index={index}, name={name}.")
        if index is not None:
            if len(self.layers) <= index:
                raise ValueError(f"Was asked to retrieve layer at index {index} but model only "
                                 f"has {len(self.layers)} layers.")
            return self.layers[index]
        if name is not None:
            for layer in self.layers:
                if layer.name == name:
                    return layer
            raise ValueError(f"No such layer: {name}. Existing layers are: "
                             f"{[layer.name for layer in self.layers]}.")
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    @property
    def inputs(self):
        """The input KerasTensors (a list), for a functional model."""
        return list(self._graph.inputs) if self._graph is not None else None

    @property
    def outputs(self):
        return list(self._graph.outputs) if self._graph is not None else None

    @property
    def input(self):
        """The model's input KerasTensor(s), as given to Model(inputs, outputs)."""
        self._require_graph("input")
        return self._graph.inputs_struct

    @property
    def output(self):
        self._require_graph("output")
        return self._graph.outputs_struct

    def _require_graph(self, what):
        if self._graph is None:
            raise AttributeError(f"The model {self.name} has no defined {what}: it is not a "
                                 "functional model, or it is not built yet.")

    @property
    def input_shape(self):
        self._require_graph("input shape")
        return tree.map_structure(lambda t: t.shape, self._graph.inputs_struct)

    @property
    def output_shape(self):
        self._require_graph("output shape")
        return tree.map_structure(lambda t: t.shape, self._graph.outputs_struct)

    @property
    def input_names(self):
        return [t._keras_history.operation.name for t in self._graph.inputs] \
            if self._graph is not None else ["input"]

    @property
    def output_names(self):
        """The names of the layers that make the outputs: the keys of multi-output losses,
        metrics and log entries."""
        if self._graph is not None:
            return [t._keras_history.operation.name for t in self._graph.outputs]
        return ["output"]

    def build(self, input_shape):
        """Build a subclassed model: call it once on zeros of input_shape (None as 1), which
        builds every layer it calls, as Keras builds it by tracing call()."""
        if self._graph is None and not self.built:
            self.built = True
            def zeros(shape):
                return np.zeros([1 if d is None else d for d in shape], self.dtype)
            with no_grad():
                self(zeros(input_shape) if _is_shape(tuple(input_shape))
                     else [zeros(shape) for shape in input_shape])
            self._build_input_shape = input_shape
        self.built = True

    def call(self, inputs, training=None):
        """A functional model runs its graph; a subclass defines its own call."""
        if self._graph is None:
            raise NotImplementedError(f"Model {type(self).__name__} does not have a `call()` "
                                      "method implemented: define call(self, inputs) in the "
                                      "subclass, or make a functional model with "
                                      "keras.Model(inputs, outputs).")
        outputs = self._graph.run(tree.flatten(inputs) if tree.is_nested(inputs) else [inputs])
        return tree.pack_sequence_as(self._graph.outputs_struct, outputs)

    def _forward(self, inputs, training, logits_for=()):
        """The model's outputs as a flat list of Tensors for a flat list of input Tensors, the
        outputs in logits_for as their pre-activations (the loss absorbs their activation). The
        trainer runs it inside call_context(model, training), as model(x) runs call()."""
        if self._graph is not None:
            return self._graph.run(inputs, logits_for)
        kwargs = {"training": training} if self._call_has_training_arg else {}
        return tree.flatten(self.call(inputs[0] if len(inputs) == 1 else inputs, **kwargs))

    def compute_output_spec(self, *args, **kwargs):
        if self._graph is not None:
            return tree.map_structure(lambda t: KerasTensor(t.shape, t.dtype),
                                      self._graph.outputs_struct)
        return Layer.compute_output_spec(self, *args, **kwargs)

    def _output_layer(self, index):
        """The layer that makes output `index`, if the model knows it (else None)."""
        return self._graph.output_layer(index) if self._graph is not None else None

    # ---- summary and config -------------------------------------------------------------------

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Print Keras's table of the layers: their output shapes and parameter counts (and
        what each is connected to, for a functional model that is not a chain); print_fn, if
        given, receives the whole text instead of print."""
        summary_module.print_summary(self, line_length=line_length, positions=positions,
                                     print_fn=print_fn, show_trainable=show_trainable,
                                     layer_range=layer_range)

    @base_config
    def get_config(self):
        """A functional model's config: name, trainable and its graph (layers and calls); a
        subclassed model's: its constructor's arguments and the input shape it was built for."""
        if self._graph is None:
            config = Layer.get_config(self)
            if self._build_input_shape is not None:
                config["build_input_shape"] = self._build_input_shape
            return config
        return {"name": self.name, "trainable": self.trainable,
                **self._graph.get_config(serialize_layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """The model get_config() describes, with fresh weights (built, if it was)."""
        if "layers" not in config:
            config = dict(config)
            shape = config.pop("build_input_shape", None)
            model = cls(**config)
            if shape is not None:
                model.build(tuple(shape) if _is_shape(shape) else [tuple(s) for s in shape])
            return model
        inputs, outputs = functional.from_config(
            config, lambda entry: deserialize_layer(entry, custom_objects))
        return cls(inputs, outputs, name=config.get("name"),
                   trainable=config.get("trainable", True))

    def _class_name(self):
        return "Functional" if type(self) is Model and self._graph is not None \
            else type(self).__name__

    def to_json(self, **kwargs):
        """The model's architecture as a JSON string (keras.models.model_from_json reads it)."""
        return json.dumps(serialize_layer(self), **kwargs)

    def save(self, filepath, overwrite=True, **kwargs):
        """Save the architecture, the weights and the compile state to one file, in pynn's own
        format (pynn.keras.saving); keras.models.load_model reads it back."""
        saving.save_model(self, filepath, overwrite=overwrite, **kwargs)

    def save_weights(self, filepath, overwrite=True):
        """Save the weights alone (pynn.keras.saving); model.load_weights reads them back."""
        saving.save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, skip_mismatch=False):
        """Set the weights from a file model.save_weights (or model.save) wrote."""
        saving.load_weights(self, filepath)


def _is_shape(value):
    return all(d is None or isinstance(d, (int, np.integer)) for d in value)


def _layer_kwargs(kwargs, owner):
    """The keyword arguments of Layer.__init__ a model takes (name, trainable, dtype)."""
    allowed = {"name", "trainable", "dtype"}
    unknown = sorted(set(kwargs) - allowed)
    if unknown:
        raise TypeError(f"{owner}: unexpected keyword arguments {unknown}")
    if "dtype" in kwargs:
        kwargs["dtype"] = standardize_dtype(kwargs["dtype"], owner)
    return kwargs
