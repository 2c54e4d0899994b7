"""The graph of a functional model: keras.Model(inputs, outputs) over KerasTensors.

Graph(inputs, outputs) walks the Nodes back from the outputs (as Keras's map_graph does): it
finds the layers in Keras's order (by depth, inputs first), refuses outputs that do not depend
on the inputs alone, and runs the nodes in that order on actual Tensors. Its config describes
every layer and the calls between them, by name, so that from_config wires fresh layers the
same way.
"""
from collections import defaultdict

from .. import tree
from ..keras_tensor import KerasTensor
from ..layers import InputLayer


def _node_of(tensor):
    operation, node_index, _ = tensor._keras_history
    return operation._inbound_nodes[node_index]


class Graph:
    """The layers and nodes between `inputs` and `outputs` (KerasTensors, or lists or dicts of
    them), in the order they run."""

    def __init__(self, inputs, outputs):
        self.inputs_struct, self.outputs_struct = inputs, outputs
        self.inputs, self.outputs = tree.flatten(inputs), tree.flatten(outputs)
        for what, tensors in (("inputs", self.inputs), ("outputs", self.outputs)):
            bad = [t for t in tensors if not isinstance(t, KerasTensor)
                   or t._keras_history is None]
            if bad or not tensors:
                raise ValueError(f"All `{what}` values must be KerasTensors (from keras.Input or "
                                 f"a layer called on one). Received: {what}={bad or tensors}")
        for t in self.inputs:
            if not isinstance(t._keras_history.operation, InputLayer):
                raise ValueError(f"Model inputs must come from `keras.Input`; this input was "
                                 f"made by layer '{t._keras_history.operation.name}': {t}")
        self.nodes_by_depth, self.layers = self._map_graph()

    def _map_graph(self):
        """(nodes by depth, layers in run order), as Keras orders them."""
        ordered, order, done, active = [], {}, set(), set()
        input_ids = {id(t) for t in self.inputs}

        def visit(tensor):
            node = _node_of(tensor)
            if id(node) in done:
                return
            if id(node) in active:
                raise ValueError(f"Tensor {tensor} from operation "
                                 f"'{node.operation.name}' is part of a cycle.")
            order.setdefault(id(node.operation), (len(order), node.operation))
            active.add(id(node))
            if not node.is_input and id(tensor) not in input_ids:
                for parent in node.input_tensors:
                    visit(parent)
            active.discard(id(node))
            done.add(id(node))
            ordered.append(node)

        for output in self.outputs:
            visit(output)
        node_depth, layer_depth = {}, {}
        in_graph = {id(n) for n in ordered}
        for node in reversed(ordered):
            depth = max(node_depth.setdefault(id(node), 0),
                        layer_depth.get(id(node.operation), 0))
            layer_depth[id(node.operation)] = node_depth[id(node)] = depth
            for parent in node.parent_nodes:
                if id(parent) in in_graph:
                    node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
        for t in self.inputs:  # an input no output uses is still the model's
            layer = t._keras_history.operation
            if id(layer) not in layer_depth:
                node = _node_of(t)
                order[id(layer)] = (-1, layer)
                layer_depth[id(layer)] = node_depth[id(node)] = 0
                ordered.append(node)
        by_depth = defaultdict(list)
        for node in ordered:
            by_depth[node_depth[id(node)]].append(node)
        layers = sorted((order[key] for key in layer_depth),
                        key=lambda item: (-layer_depth[id(item[1])], item[0]))
        self._check_computable(by_depth)
        names = [layer.name for _, layer in layers]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f'The name "{name}" is used {names.count(name)} times in the '
                                 "model. All operation names should be unique.")
        return dict(sorted(by_depth.items(), reverse=True)), [layer for _, layer in layers]

    def _check_computable(self, by_depth):
        known = {id(t) for t in self.inputs}
        reached = []
        for depth in sorted(by_depth, reverse=True):
            for node in by_depth[depth]:
                if node.is_input and id(node.outputs[0]) not in known:
                    raise ValueError(f"Output with path `` is not connected to `inputs`: it "
                                     f"depends on the input '{node.operation.name}', which is "
                                     "not among the model's inputs "
                                     f"{[t._keras_history.operation.name for t in self.inputs]}")
                for t in node.input_tensors:
                    if id(t) not in known:
                        raise ValueError(f"Graph disconnected: cannot find parent for tensor "
                                         f"{t} at operation '{node.operation.name}'. The "
                                         "following previous operations were accessed without "
                                         f"issue: {reached}")
                reached.append(node.operation.name)
                known.update(id(t) for t in node.outputs)

    @property
    def nodes(self):
        return [node for nodes in self.nodes_by_depth.values() for node in nodes]

    def run(self, inputs, logits_for=()):
        """The output Tensors (a flat list) for input Tensors in the order of self.inputs;
        an output whose index is in logits_for is its layer's pre-activation (layer.logits)."""
        values = {id(t): x for t, x in zip(self.inputs, inputs)}
        wanted = {id(self.outputs[i]) for i in logits_for}
        for nodes in self.nodes_by_depth.values():
            for node in nodes:
                if node.is_input or any(id(t) not in values for t in node.input_tensors):
                    continue
                args, kwargs = node.fill_in(values)
                if len(node.outputs) == 1 and id(node.outputs[0]) in wanted:
                    out = node.operation.logits(args[0])
                else:
                    out = node.operation(*args, **kwargs)
                for t, value in zip(node.outputs, tree.flatten(out)):
                    values[id(t)] = value
        return [values[id(t)] for t in self.outputs]

    def output_layer(self, index):
        """The layer whose call made output `index`."""
        return self.outputs[index]._keras_history.operation

    # ---- config -------------------------------------------------------------------------------

    def get_config(self, serialize):
        """{'layers': [...], 'input_layers': [...], 'output_layers': [...]}, as Keras writes a
        functional model's config: each layer by serialize(layer) with its name and the calls
        it takes part in (its inbound nodes, by the names of the layers they came from)."""
        node_ids = {id(n) for n in self.nodes}
        layers = []
        for layer in self.layers:
            entry = serialize(layer)
            entry["name"] = layer.name
            entry["inbound_nodes"] = [
                {"args": _history_args(node.call_args), "kwargs": _history_args(
                    node.call_kwargs)}
                for node in layer._inbound_nodes if id(node) in node_ids and not node.is_input]
            layers.append(entry)
        return {"layers": layers,
                "input_layers": _history_args(self.inputs_struct, flat=True),
                "output_layers": _history_args(self.outputs_struct, flat=True)}


def _history_args(structure, flat=False):
    """structure with each KerasTensor as [layer name, node index, tensor index]."""
    def describe(leaf):
        if not isinstance(leaf, KerasTensor):
            return leaf
        op, node_index, tensor_index = leaf._keras_history
        history = [op.name, node_index, tensor_index]
        return history if flat else {"class_name": "__keras_tensor__",
                                     "config": {"keras_history": history}}
    return tree.map_structure(describe, structure)


def from_config(config, deserialize):
    """(inputs, outputs, layers) of the graph a Graph.get_config() describes, made of fresh
    layers (deserialize(entry) makes one) called on each other as the config says."""
    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        raise ValueError("A functional model config must be a dict with a 'layers' list, as "
                         f"get_config() returns; got {config!r}"[:300])
    created, outputs_of = {}, {}
    pending = []
    for entry in config["layers"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("inbound_nodes", []), list):
            raise ValueError(f"Invalid layer entry in a functional model config: {entry!r}"[:300])
        layer = deserialize(entry)
        name = entry.get("name", layer.name)
        if name in created:
            raise ValueError(f"The layer name {name!r} appears twice in the model config")
        created[name] = layer
        if isinstance(layer, InputLayer):
            outputs_of[name] = [layer.output]
        pending.append((name, list(entry.get("inbound_nodes", []))))

    def resolve(value):
        """value with each {'class_name': '__keras_tensor__', ...} replaced by its tensor."""
        if isinstance(value, dict):
            if value.get("class_name") == "__keras_tensor__":
                config = value.get("config")
                return lookup(config.get("keras_history") if isinstance(config, dict) else None)
            return {key: resolve(v) for key, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [resolve(v) for v in value]
        return value

    def lookup(history):
        if not isinstance(history, (list, tuple)) or len(history) != 3:
            raise ValueError(f"Invalid tensor reference {history!r} in a functional model "
                             "config: expected [layer name, node index, tensor index]")
        name, node_index, tensor_index = history
        calls = outputs_of.get(name)
        if calls is None or not isinstance(node_index, int) or node_index >= len(calls):
            raise KeyError(name)
        outs = tree.flatten(calls[node_index])
        if not isinstance(tensor_index, int) or not 0 <= tensor_index < len(outs):
            raise ValueError(f"Invalid tensor index {tensor_index} for layer {name!r}")
        return outs[tensor_index]

    while pending:  # call each layer once its inputs exist, in as many passes as it takes
        progress, waiting = False, []
        for name, nodes in pending:
            layer = created[name]
            while nodes:
                node = nodes[0]
                try:
                    args, kwargs = resolve(node.get("args", [])), resolve(node.get("kwargs", {}))
                    if not isinstance(args, list) or not isinstance(kwargs, dict):
                        raise ValueError(f"Invalid call of layer {name!r} in a functional "
                                         f"model config: {node!r}"[:300])
                except KeyError:
                    break
                outputs_of.setdefault(name, []).append(layer(*args, **kwargs))
                nodes.pop(0)
                progress = True
            if nodes:
                waiting.append((name, nodes))
        if waiting and not progress:
            raise ValueError("The functional model config refers to layers it does not define, "
                             f"or its calls form a cycle: {[n for n, _ in waiting]}")
        pending = waiting

    def ends(key):
        value = config.get(key)
        if not isinstance(value, (list, tuple)) or not value:
            raise ValueError(f"A functional model config needs a non-empty {key!r} list")
        histories = value if isinstance(value[0], (list, tuple)) else [value]
        try:
            tensors = [lookup(h) for h in histories]
        except KeyError as exc:
            raise ValueError(f"{key}: unknown layer {exc}") from None
        return tensors if isinstance(value[0], (list, tuple)) else tensors[0]
    return ends("input_layers"), ends("output_layers")
