"""model.summary(): Keras 3's table of layers, output shapes and parameter counts, drawn as its
rich table draws it (column widths, wrapping, box characters) in plain text.

A Sequential model, a subclassed one and a functional chain get three columns; a functional
model with branches, several inputs or shared layers gets a fourth, "Connected to", naming the
layer calls each layer's inputs come from as layer[node][tensor].
"""
import math
import re
import shutil
import sys

import numpy as np

from ..progbar import can_encode

_HEAVY = "┏━┳┓┃┡╇┩"


def count_params(weights):
    return int(sum(math.prod(w.shape) for w in weights))


def memory_size(weights):
    """'68.00 B', '19.53 KB', ...: the bytes of the weights, as Keras writes them."""
    unique = {id(w): w for w in weights}.values()
    size = float(sum(math.prod(w.shape) * np.dtype(w.dtype).itemsize for w in unique))
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def _ratio_reduce(total, widths):
    """rich's ratio_reduce with equal ratios: take `total` off the widths, spread evenly."""
    out, remaining, count = [], total, len(widths)
    for width in widths:
        taken = min(width, round(remaining / count))
        out.append(width - taken)
        remaining -= taken
        count -= 1
    return out


def _wrap(text, width):
    """text broken at spaces into lines of at most width characters; a word that is longer is
    cut with an ellipsis, as rich's table cells do."""
    lines, line = [], ""
    for word in text.split(" "):
        if len(word) > width:
            word = word[:width - 1] + "…"
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


def _is_sequential_like(model):
    graph = getattr(model, "_graph", None)
    if graph is None or type(model).__name__ == "Sequential":
        return True
    nodes = []
    for depth_nodes in graph.nodes_by_depth.values():
        if len(depth_nodes) > 1 or (depth_nodes and len(depth_nodes[0].input_tensors) > 1):
            return False
        nodes += depth_nodes
    ids = {id(n) for n in nodes}
    return all(sum(id(n) in ids for n in layer._inbound_nodes) <= 1 for layer in graph.layers)


def _format_shape(layer):
    def shape_text(shape):
        return "(" + ", ".join(str(d) for d in shape) + ")"
    if layer._inbound_nodes:
        shapes = [shape_text(t.shape) for t in layer._inbound_nodes[-1].outputs]
    elif layer._build_input_shape is not None:
        try:
            out = layer.compute_output_shape(layer._build_input_shape)
        except (NotImplementedError, ValueError):
            return "?"
        shapes = [shape_text(s) for s in
                  ([out] if out and not isinstance(out[0], (tuple, list)) else out)]
    else:
        return "?"
    return shapes[0] if len(shapes) == 1 else "[" + ", ".join(shapes) + "]"


def _connections(layer, node_ids):
    parts = []
    for node in layer._inbound_nodes:
        if id(node) not in node_ids:
            continue
        for t in node.input_tensors:
            op, node_index, tensor_index = t._keras_history
            parts.append(f"{op.name}[{node_index}][{tensor_index}]")
    return ", ".join(parts) or "-"


def summary_lines(model, line_length=None, positions=None, show_trainable=False,
                  layer_range=None, fancy=True):
    """The lines of the summary of `model`."""
    sequential_like = _is_sequential_like(model)
    graph = getattr(model, "_graph", None)
    if type(model).__name__ == "Sequential" or graph is None:
        layers = model.layers
    else:
        layers = graph.layers
    if sequential_like:
        default, positions = 88, positions or [0.45, 0.80, 1.0]
        header, align = ["Layer (type)", "Output Shape", "Param #"], ["<", "<", ">"]
    else:
        default, positions = 108, positions or [0.3, 0.56, 0.74, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        align = ["<", "<", ">", "<"]
        node_ids = {id(n) for n in graph.nodes}
    if show_trainable:
        default += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        header.append("Trainable")
        align.append("^")
    line_length = line_length or min(default, shutil.get_terminal_size().columns - 4)
    widths, current = [], 0
    for pos in positions:
        width = int(pos * line_length) - current
        if width < 4:
            raise ValueError("Insufficient console width to print summary.")
        widths.append(width)
        current += width
    widths = _ratio_reduce(sum(widths) - (line_length - len(widths) - 1), widths)

    if layer_range is not None:
        layers = layers[_layer_range(layers, layer_range)]
    rows = []
    for layer in layers:
        params = (f"{layer.count_params():,}" if layer.built else "0 (unbuilt)")
        row = [f"{layer.name} ({type(layer).__name__})", _format_shape(layer), params]
        if not sequential_like:
            row.append(_connections(layer, node_ids))
        if show_trainable:
            row.append(("Y" if layer.trainable else "N") if layer.weights else "-")
        rows.append(row)

    if fancy:
        top, head, sep, bottom = ("┏", "━", "┳", "┓"), ("┡", "━", "╇", "┩"), \
            ("├", "─", "┼", "┤"), ("└", "─", "┴", "┘")
        head_bar, bar = "┃", "│"
    else:
        top = head = bottom = ("+", "=", "+", "+")
        sep, head_bar, bar = ("+", "-", "+", "+"), "|", "|"

    def rule(chars):
        left, fill, cross, right = chars
        return left + cross.join(fill * w for w in widths) + right

    def draw(cells, edge):
        wrapped = [_wrap(text, w - 2) for text, w in zip(cells, widths)]
        height = max(len(lines) for lines in wrapped)
        out = []
        for i in range(height):
            texts = [format(lines[i] if i < len(lines) else "", f"{a}{w - 2}")
                     for lines, a, w in zip(wrapped, align, widths)]
            out.append(edge + edge.join(f" {t} " for t in texts) + edge)
        return out

    lines = [f'Model: "{model.name}"', rule(top), *draw(header, head_bar), rule(head)]
    for i, row in enumerate(rows):
        if i:
            lines.append(rule(sep))
        lines += draw(row, bar)
    lines.append(rule(bottom))
    trainable, non_trainable = model.trainable_weights, model.non_trainable_weights
    optimizer = model.optimizer if model.compiled else None
    optimizer_weights = optimizer.variables if optimizer is not None and optimizer.built else []
    total = count_params(trainable) + count_params(non_trainable) + count_params(
        optimizer_weights)
    all_weights = trainable + non_trainable + optimizer_weights
    lines += [f" Total params: {total:,} ({memory_size(all_weights)})",
              f" Trainable params: {count_params(trainable):,} ({memory_size(trainable)})",
              f" Non-trainable params: {count_params(non_trainable):,} "
              f"({memory_size(non_trainable)})"]
    if optimizer_weights:
        lines.append(f" Optimizer params: {count_params(optimizer_weights):,} "
                     f"({memory_size(optimizer_weights)})")
    return lines


def _layer_range(layers, layer_range):
    """The slice of layers from the first whose name matches layer_range[0] to the last whose
    name matches layer_range[1] (regular expressions), as Keras selects them."""
    if len(layer_range) != 2 or not all(isinstance(n, str) for n in layer_range):
        raise ValueError(f"layer_range must be a list or tuple of 2 strings. Received: "
                         f"{layer_range}")
    lower = [i for i, layer in enumerate(layers) if re.match(layer_range[0], layer.name)]
    upper = [i for i, layer in enumerate(layers) if re.match(layer_range[1], layer.name)]
    if not lower or not upper:
        raise ValueError(f"Passed layer_names do not match the layer names in the model. "
                         f"Received: {layer_range}")
    if min(lower) > max(upper):
        return slice(min(upper), max(lower) + 1)
    return slice(min(lower), max(upper) + 1)


def print_summary(model, line_length=None, positions=None, print_fn=None, show_trainable=False,
                  layer_range=None):
    """Print the summary, or pass its text to print_fn in one call, as Keras 3 does."""
    fancy = print_fn is not None or can_encode(_HEAVY, sys.stdout)
    text = "\n".join(summary_lines(model, line_length, positions, show_trainable, layer_range,
                                   fancy)) + "\n"
    if print_fn is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        print_fn(text)
