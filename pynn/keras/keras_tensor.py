"""The functional API's symbolic graph: KerasTensor and Node, as Keras records them.

keras.Input(shape=(2,)) returns a KerasTensor: a shape such as (None, 2) and a dtype, holding
no values. Calling a layer on KerasTensors records a Node (the layer, the arguments it was
called with, the KerasTensors it returned) and returns new KerasTensors; each KerasTensor knows
the node that made it (`_keras_history`: the layer, that node's index among the layer's calls,
and the tensor's index among the node's outputs). keras.Model(inputs, outputs) walks these back
from the outputs to find its layers and the order to run them in.
"""
from collections import namedtuple

from . import naming, tree

KerasHistory = namedtuple("KerasHistory", ["operation", "node_index", "tensor_index"])


class KerasTensor:
    """A symbolic tensor: KerasTensor(shape, dtype='float32', name=None); shape's first entry
    is the batch size, None when any."""

    def __init__(self, shape, dtype="float32", name=None):
        self.shape = tuple(shape)
        self.dtype = dtype
        self.name = name or naming.unique_name("keras_tensor")
        self._keras_history = None

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        return (f"<KerasTensor shape={self.shape}, dtype={self.dtype}, sparse=False, "
                f"ragged=False, name={self.name}>")

    def __array__(self, dtype=None, copy=None):
        raise TypeError("A KerasTensor is symbolic: it holds no values. It is an input or output "
                        "of the functional API, to pass to keras.Model(inputs, outputs); to get "
                        "values, call the model on data (model.predict(x) or model(x)).")

    def __bool__(self):
        raise TypeError("A symbolic KerasTensor cannot be used as a Python bool.")


def is_symbolic(structure):
    """Whether a KerasTensor is among structure's leaves."""
    return any(isinstance(leaf, KerasTensor) for leaf in tree.flatten(structure))


class Node:
    """One call of a layer in the symbolic graph: Node(operation, call_args, call_kwargs,
    outputs) appends itself to operation._inbound_nodes and marks each output KerasTensor as
    made here."""

    def __init__(self, operation, call_args=(), call_kwargs=None, outputs=()):
        self.operation = operation
        self.call_args, self.call_kwargs = tuple(call_args), dict(call_kwargs or {})
        self.input_tensors = [t for t in tree.flatten((self.call_args, self.call_kwargs))
                              if isinstance(t, KerasTensor)]
        self.outputs = tree.flatten(outputs)
        self.output_structure = outputs
        node_index = len(operation._inbound_nodes)
        operation._inbound_nodes.append(self)
        for i, tensor in enumerate(self.outputs):
            tensor._keras_history = KerasHistory(operation, node_index, i)

    @property
    def is_input(self):
        """An InputLayer's node: it starts the graph and has no inputs."""
        return not self.input_tensors

    @property
    def output_tensors(self):
        return self.output_structure

    @property
    def parent_nodes(self):
        """The nodes that made this node's inputs."""
        return [t._keras_history.operation._inbound_nodes[t._keras_history.node_index]
                for t in self.input_tensors if t._keras_history is not None]

    def fill_in(self, values):
        """The call's (args, kwargs) with each KerasTensor replaced by values[id(tensor)]."""
        def fill(leaf):
            return values[id(leaf)] if isinstance(leaf, KerasTensor) else leaf
        return (tree.map_structure(fill, self.call_args),
                tree.map_structure(fill, self.call_kwargs))
