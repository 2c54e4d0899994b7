"""tf.GradientTape for `import tensorflow as tf` scripts: the custom training loop of TensorFlow
tutorials,

    with tf.GradientTape() as tape:
        loss = loss_fn(y_batch, model(x_batch, training=True))
    grads = tape.gradient(loss, model.trainable_weights)
    optimizer.apply_gradients(zip(grads, model.trainable_weights))

on pynn's autograd. pynn records the graph of every operation on a tensor that requires grad
(a Variable, a layer's weight); the tape makes Keras layers called inside it record theirs too
(outside fit they otherwise record none), lets `watch` mark constants, and computes the
gradients of a target with respect to sources with pynn.autograd.grad. Once a tape has been
opened, a tensor that requires grad converts to NumPy (loss.numpy(), np.array(w * x + b)) as
TensorFlow's tensors do, where PyTorch-style code gets PyTorch's error."""
import threading

import numpy as np

from .tensor import TENSORFLOW_STYLE, Tensor, as_tensor, enable_grad

__all__ = ["GradientTape", "recording"]


class _Recording(threading.local):
    depth = 0


_recording = _Recording()


def recording():
    """Whether a GradientTape is open on this thread (Keras layers then record their graph)."""
    return _recording.depth > 0


def _flatten(structure):
    if isinstance(structure, dict):
        return [leaf for v in structure.values() for leaf in _flatten(v)]
    if isinstance(structure, (list, tuple)):
        return [leaf for v in structure for leaf in _flatten(v)]
    return [structure]


def _pack(structure, leaves):
    if isinstance(structure, dict):
        return {k: _pack(v, leaves) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(_pack(v, leaves) for v in structure) \
            if not hasattr(structure, "_fields") else type(structure)(
                *(_pack(v, leaves) for v in structure))
    return leaves.pop(0)


class GradientTape:
    """GradientTape(persistent=False, watch_accessed_variables=True): a context in which the
    operations that gradient() differentiates are recorded. A tape that is not persistent
    computes one set of gradients."""

    def __init__(self, persistent=False, watch_accessed_variables=True):
        TENSORFLOW_STYLE[0] = True  # tensors now convert to NumPy as TensorFlow's do
        self._persistent = bool(persistent)
        self._watched = []
        self._used = False
        self._grad_mode = None
        self._open = False

    def __enter__(self):
        _recording.depth += 1
        self._grad_mode = enable_grad()
        self._grad_mode.__enter__()
        self._open = True
        return self

    def __exit__(self, *exc):
        self._open = False
        _recording.depth -= 1
        self._grad_mode.__exit__(*exc)
        return False

    def watch(self, tensor):
        """Record operations on tensor (a constant) so that gradient() can differentiate with
        respect to it."""
        for t in _flatten(tensor):
            if not isinstance(t, Tensor):
                raise ValueError(f"GradientTape.watch: expected a Tensor, got "
                                 f"{type(t).__name__} (make it with tf.constant(...))")
            if not t._requires_grad:
                if t.grad_fn is not None:
                    raise ValueError("GradientTape.watch: pynn can only watch a tensor made "
                                     "before the operations that use it (a constant or a "
                                     "variable), not one computed from others")
                t.requires_grad_(True)
            self._watched.append(t)

    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients="none"):
        """The gradients of target (the sum of its elements, and of a list's targets) with
        respect to sources (a Tensor, or a list or dict of them): the same structure of
        Tensors, None for a source the target does not depend on (zeros with
        unconnected_gradients='zero')."""
        from .autograd import grad
        if self._used and not self._persistent:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one "
                               "set of gradients (or jacobians)")
        if unconnected_gradients not in ("none", "zero"):
            raise ValueError(f"Unknown value for unconnected_gradients: "
                             f"{unconnected_gradients!r}")
        self._used = True
        targets = [t for t in _flatten(target)]
        if output_gradients is None:
            seeds = [None] * len(targets)
        else:
            seeds = [None if g is None else as_tensor(np.asarray(
                g._data if isinstance(g, Tensor) else g)) for g in _flatten(output_gradients)]
        leaves = _flatten(sources)
        for s in leaves:
            if not isinstance(s, Tensor):
                raise ValueError(f"GradientTape.gradient: the sources must be Tensors or "
                                 f"Variables, got {type(s).__name__}")
        wanted = [i for i, s in enumerate(leaves) if s._requires_grad]
        grads = [None] * len(leaves)
        outputs = [(t, g) for t, g in zip(targets, seeds)
                   if isinstance(t, Tensor) and (t._requires_grad or t.grad_fn is not None)]
        if wanted and outputs:
            outs = [t if t.ndim == 0 or g is not None else t.sum() for t, g in outputs]
            got = grad(outs, [leaves[i] for i in wanted],
                       grad_outputs=[g for _, g in outputs] if output_gradients is not None
                       else None, retain_graph=self._persistent or len(outs) > 1,
                       allow_unused=True)
            for i, g in zip(wanted, got):
                grads[i] = g
        if unconnected_gradients == "zero":
            grads = [as_tensor(np.zeros_like(s._data)) if g is None else g
                     for s, g in zip(leaves, grads)]
        return _pack(sources, grads) if isinstance(sources, (list, tuple, dict)) else grads[0]
