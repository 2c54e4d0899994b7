"""Pictures of training: loss and metric curves, a decision boundary, misclassified images.

matplotlib comes with the `plot` extra (pip install 'pynn[plot]'); nothing else in pynn imports
it. Each function returns the matplotlib Figure. Given a path, it also writes the picture there
(PNG, or any format matplotlib knows from the suffix) through a plain Figure, rendered by Agg:
no window opens and pyplot's global state is left alone. Without a path the figure is made with
pyplot, so `plt.show()` or a notebook displays it.
"""
import numpy as np

from .tensor import no_grad


def plot_history(history, path=None):
    """Training curves: one panel per quantity (loss, then each metric), training and validation.

    history: the `History` that `fit` returns, or its `.history` dict of per-epoch lists.
    """
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict):
        raise TypeError(f"plot_history: expected a History or its .history dict, "
                        f"got {type(history).__name__}")
    names = [k for k in logs if not k.startswith("val_")]
    names += [k[4:] for k in logs if k.startswith("val_") and k[4:] not in logs]
    names.sort(key=lambda k: k != "loss")  # the loss first; Keras 3 sorts a History's keys
    if not names or not any(len(v) for v in logs.values()):
        raise ValueError("plot_history: the history is empty (fit for at least one epoch first)")
    fig = _figure(path, figsize=(5 * len(names), 3.8))
    for i, name in enumerate(names):
        ax = fig.add_subplot(1, len(names), i + 1)
        for key, label in ((name, "training"), ("val_" + name, "validation")):
            if key in logs:
                values = np.asarray(logs[key], dtype=float)
                ax.plot(np.arange(1, len(values) + 1), values, label=label,
                        marker="o" if len(values) < 30 else None)
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
        ax.legend()
    return _finish(fig, path)


def plot_decision_boundary(model, X, y, path=None, resolution=200):
    """The regions a classifier with 2-D inputs assigns to each class, with the points (X, y).

    model: a Keras-style model (its `predict` is used) or any callable, such as an nn.Module,
    mapping an (n, 2) float32 array to probabilities: shape (n,) or (n, 1) for one sigmoid output
    (the 0.5 line is drawn), or (n, k) for k classes (the most likely class is shaded).
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y).reshape(-1)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"plot_decision_boundary: X must have shape (n, 2), got {X.shape}")
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"plot_decision_boundary: X has {X.shape[0]} rows but y has {y.shape[0]}")
    lo, hi = X.min(axis=0), X.max(axis=0)
    margin = 0.15 * np.maximum(hi - lo, 1e-3)
    xs = np.linspace(lo[0] - margin[0], hi[0] + margin[0], resolution)
    ys = np.linspace(lo[1] - margin[1], hi[1] + margin[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    grid = np.column_stack([gx.ravel(), gy.ravel()]).astype(np.float32)
    probs = _probabilities(model, grid)

    fig = _figure(path, figsize=(5.5, 4.5))
    ax = fig.add_subplot(1, 1, 1)
    if probs.shape[1] == 1:
        p = probs[:, 0].reshape(gx.shape)
        filled = ax.contourf(gx, gy, p, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.8)
        ax.contour(gx, gy, p, levels=[0.5], colors="k", linewidths=1.5)
        fig.colorbar(filled, ax=ax, label="P(class 1)")
    else:
        k = probs.shape[1]
        ax.contourf(gx, gy, probs.argmax(axis=1).reshape(gx.shape), levels=np.arange(k + 1) - 0.5,
                    cmap="tab10", vmin=-0.5, vmax=9.5, alpha=0.5)
    cmap = "RdBu_r" if probs.shape[1] == 1 else "tab10"
    vmax = 1 if probs.shape[1] == 1 else 9
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap=cmap, vmin=0, vmax=vmax, edgecolors="k", s=60)
    ax.set_title("decision boundary")
    ax.set_xlabel("x[0]")
    ax.set_ylabel("x[1]")
    return _finish(fig, path)


def plot_misclassified(images, y_true, y_pred, path=None, limit=36):
    """A grid of the images whose predicted class is wrong, each titled with both labels.

    images: (n, h, w), or (n, h*w) square images such as the 8x8 digits. y_true: class ids.
    y_pred: class ids, or the (n, k) probabilities `predict` returns (their argmax is taken).
    At most `limit` images are shown.
    """
    images = np.asarray(images, dtype=np.float64)
    y_true = _labels(y_true, "y_true")
    y_pred = _labels(y_pred, "y_pred")
    if images.ndim == 2:
        side = int(round(np.sqrt(images.shape[1])))
        if side * side != images.shape[1]:
            raise ValueError(f"plot_misclassified: rows of {images.shape[1]} pixels are not "
                             "square images; pass images of shape (n, h, w)")
        images = images.reshape(-1, side, side)
    if images.ndim != 3:
        raise ValueError(f"plot_misclassified: images must have shape (n, h, w) or (n, h*w), "
                         f"got {images.shape}")
    if not len(images) == len(y_true) == len(y_pred):
        raise ValueError(f"plot_misclassified: {len(images)} images, {len(y_true)} true labels "
                         f"and {len(y_pred)} predictions: expected as many of each")
    wrong = np.flatnonzero(y_true != y_pred)[:limit]
    cols = int(min(6, max(1, len(wrong))))
    rows = int(max(1, -(-len(wrong) // cols)))
    fig = _figure(path, figsize=(1.6 * cols, 1.8 * rows + 0.5))
    n_wrong = np.count_nonzero(y_true != y_pred)
    shown = f" (first {len(wrong)} shown)" if len(wrong) < n_wrong else ""
    fig.suptitle(f"misclassified: {n_wrong} of {len(y_true)}{shown}")
    if len(wrong) == 0:
        ax = fig.add_subplot(1, 1, 1)
        ax.text(0.5, 0.5, "no misclassified images", ha="center", va="center")
        ax.axis("off")
    for i, idx in enumerate(wrong):
        ax = fig.add_subplot(rows, cols, i + 1)
        ax.imshow(images[idx], cmap="gray_r", interpolation="nearest")
        ax.set_title(f"true {y_true[idx]}, pred {y_pred[idx]}", fontsize=9)
        ax.axis("off")
    return _finish(fig, path)


def _labels(y, name):
    """Class ids from ids of shape (n,) or (n, 1), or from probabilities of shape (n, k)."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        return y.argmax(axis=1)
    y = y.reshape(-1) if y.ndim <= 2 else y
    if y.ndim != 1 or y.dtype.kind not in "biuf" or not np.array_equal(y, np.round(y)):
        raise ValueError(f"plot_misclassified: {name} must be class ids of shape (n,) or "
                         f"probabilities of shape (n, k), got {y.dtype} of shape {y.shape}")
    return y.astype(np.int64)


def _probabilities(model, grid):
    if hasattr(model, "predict"):
        out = model.predict(grid, verbose=0)
    elif callable(model):
        with no_grad():  # a Module would otherwise record a graph over the whole grid
            out = model(grid)
    else:
        raise TypeError(f"plot_decision_boundary: expected a model with predict() or a callable, "
                        f"got {type(model).__name__}")
    out = np.asarray(out.numpy() if hasattr(out, "numpy") else out, dtype=np.float64)
    return out.reshape(len(grid), -1)


def _figure(path, **kwargs):
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ImportError("pynn.plot needs matplotlib: pip install 'pynn[plot]'") from exc
    if path is not None:
        return Figure(**kwargs)  # savefig renders it with Agg for .png: no window, no pyplot
    import matplotlib.pyplot as plt
    return plt.figure(**kwargs)


def _finish(fig, path):
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=100)
    return fig


def plot_model(model, path="model.png", show_shapes=False, show_dtype=False,
               show_layer_names=False, rankdir="TB", dpi=200, show_layer_activations=False,
               show_trainable=False):
    """The layers of a Keras model as boxes joined by arrows, the inputs first, as
    keras.utils.plot_model draws it (with matplotlib here, not graphviz): each box names the
    layer's class (and its name, output shape, dtype, activation, trainability when asked);
    rankdir 'TB' stacks them top to bottom, 'LR' left to right. A model that is not built yet
    is drawn as the list of its layers."""
    if rankdir not in ("TB", "LR", "BT", "RL"):
        raise ValueError(f"plot_model: rankdir must be 'TB', 'LR', 'BT' or 'RL', got "
                         f"{rankdir!r}")
    graph = getattr(model, "_graph", None)
    if graph is not None:
        depth = {}
        for d, nodes in graph.nodes_by_depth.items():
            for node in nodes:
                depth[id(node.operation)] = max(depth.get(id(node.operation), -1), d)
        top = max(depth.values())
        layers = graph.layers
        levels = {id(layer): top - depth.get(id(layer), 0) for layer in layers}
        edges = set()
        for layer in layers:
            for node in layer._inbound_nodes:
                for t in node.input_tensors:
                    parent = t._keras_history[0]
                    if id(parent) in levels:
                        edges.add((id(parent), id(layer)))
    else:
        layers = list(model.layers)
        if not layers:
            raise ValueError("plot_model: the model has no layers to draw")
        levels = {id(layer): i for i, layer in enumerate(layers)}
        edges = {(id(a), id(b)) for a, b in zip(layers, layers[1:])}

    def label(layer):
        kind = type(layer).__name__
        lines = [f"{layer.name} ({kind})" if show_layer_names else kind]
        activation = getattr(layer, "activation", None)
        if show_layer_activations and activation is not None:
            lines.append(f"activation: {getattr(activation, '__name__', activation)}")
        if show_shapes:
            from .keras.models.summary import _format_shape
            lines.append(f"output: {_format_shape(layer)}")
        if show_dtype:
            lines.append(f"dtype: {getattr(layer, 'dtype', None)}")
        if show_trainable:
            lines.append(f"trainable: {layer.trainable}")
        return "\n".join(lines)

    rows = {}
    for layer in layers:
        rows.setdefault(levels[id(layer)], []).append(layer)
    depth_count = max(rows) + 1
    width_count = max(len(r) for r in rows.values())
    vertical = rankdir in ("TB", "BT")
    box_w, box_h = 2.6, 0.45 + 0.22 * label(layers[0]).count("\n")
    step_along, step_across = box_h + 0.6, box_w + 0.4
    centres = {}
    for level, row in rows.items():
        for k, layer in enumerate(row):
            across = (k - (len(row) - 1) / 2) * step_across
            along = level * step_along
            if rankdir in ("BT", "RL"):
                along = (depth_count - 1 - level) * step_along
            centres[id(layer)] = (across, -along) if vertical else (along, -across)
    xs = [c[0] for c in centres.values()]
    ys = [c[1] for c in centres.values()]
    size = ((width_count * step_across + 0.5, depth_count * step_along + 0.3) if vertical
            else (depth_count * (box_w + 0.8) + 0.5, width_count * (box_h + 0.6) + 0.3))
    fig = _figure(path, figsize=size)
    ax = fig.add_subplot(1, 1, 1)
    ax.set_axis_off()
    ax.set_xlim(min(xs) - box_w / 2 - 0.2, max(xs) + box_w / 2 + 0.2)
    ax.set_ylim(min(ys) - box_h / 2 - 0.2, max(ys) + box_h / 2 + 0.2)
    for a, b in edges:
        (x0, y0), (x1, y1) = centres[a], centres[b]
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops={"arrowstyle": "->", "shrinkA": 18, "shrinkB": 18})
    for layer in layers:
        x, y = centres[id(layer)]
        ax.text(x, y, label(layer), ha="center", va="center", fontsize=8,
                bbox={"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": "black"})
    if path is not None:
        fig.savefig(path, dpi=dpi)
    return fig
