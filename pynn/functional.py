"""Differentiable functions on Tensors, with PyTorch's names, argument order and defaults.

Each is one node of the graph with its own backward: a Dense layer (matmul, bias and
activation) or a loss costs one node forward and one backward. Losses reduce by the mean unless
`reduction` says 'sum' or 'none'; targets may be Tensors, arrays or lists and get no gradient,
and a target must have the input's shape exactly (no silent broadcasting of (N,) against (N, 1)).
"""
import math

import numpy as np

from . import backend, validate
from .tensor import Tensor, as_tensor, is_grad_enabled

REDUCTIONS = ("mean", "sum", "none")
BCE_EPSILON = 1e-7  # Keras's clipping of probabilities in binary cross-entropy


def relu(input):
    return as_tensor(input).relu()


def sigmoid(input):
    return as_tensor(input).sigmoid()


def tanh(input):
    return as_tensor(input).tanh()


def softmax(input, dim=-1):
    """exp(x) / sum(exp(x)) along `dim`, computed from x - max(x) so that it cannot overflow."""
    x = as_tensor(input)
    # initial=-inf: the max of an empty axis, so that softmax over it is empty, as in PyTorch
    e = np.exp(x.data - x.data.max(axis=dim, keepdims=True, initial=-np.inf))
    y = e / e.sum(axis=dim, keepdims=True)

    def backward(g):
        return (y * (g - (g * y).sum(axis=dim, keepdims=True)),)
    return Tensor.from_op(y, (x,), backward)


def log_softmax(input, dim=-1):
    """log(softmax(x)) along `dim`, as x - max - log(sum(exp(x - max))): finite for any finite x."""
    x = as_tensor(input)
    out = _log_softmax(x.data, dim)

    def backward(g):
        return (g - np.exp(out) * g.sum(axis=dim, keepdims=True),)
    return Tensor.from_op(out, (x,), backward)


def _log_softmax(z, dim):
    z = z - z.max(axis=dim, keepdims=True, initial=-np.inf)  # -inf: see softmax
    return z - np.log(np.exp(z).sum(axis=dim, keepdims=True))


def linear(input, weight, bias=None, activation=None):
    """activation(input @ weight.T + bias) with weight of shape (out_features, in_features), as
    PyTorch's F.linear; activation None, 'relu' or 'sigmoid' is fused into the one C call."""
    return _stack(input, [(weight, bias, activation)], "linear", trans_w=True)


def dense(input, kernel, bias=None, activation=None):
    """activation(input @ kernel + bias) with kernel of shape (in_features, out_features), as a
    Keras Dense layer; activation None, 'relu' or 'sigmoid' is fused into the one C call."""
    return _stack(input, [(kernel, bias, activation)], "dense", trans_w=False)


def linear_stack(input, layers):
    """Layers as linear() applies them, [(weight, bias, activation), ...], one after the other,
    as one graph node: the values and gradients of the layers applied one by one (nn.Sequential
    runs its Linear layers so)."""
    return _stack(input, layers, "linear_stack", trans_w=True)


def dense_stack(input, layers):
    """Layers as dense() applies them, [(kernel, bias, activation), ...], one after the other, as
    one graph node (a Keras Sequential runs its Dense layers so)."""
    return _stack(input, layers, "dense_stack", trans_w=False)


def _stack(input, layers, name, trans_w):
    """One graph node for dense layers over the last axis of input, each computing
    activation(h @ op(weight) + bias) from the one before (bias may be None).

    Forward is one fused kernel call per layer, and so is backward (linear_backward:
    the activation's gradient from the saved output, then d h = dz op(weight)^T and d weight by
    the transpose flags (no copies), and d bias = the sum of dz's rows): the kernel calls of one
    node per layer, without the cost of the nodes in between. Each layer's arrays are checked
    once (validate.is_plain, else converted by validate.inputs) and kept as checked, so the
    kernel calls themselves check nothing; backward uses the weights forward used, as PyTorch
    uses its saved tensors."""
    if not isinstance(layers, (list, tuple)) or not layers:
        raise TypeError(f"{name}: expected a non-empty list of (weight, bias, activation), "
                        f"got {layers!r}")
    x = input if isinstance(input, Tensor) else as_tensor(input)
    xd = x.data
    if xd.ndim == 2:  # rows of features
        x2 = xd
    elif xd.ndim:  # as rows (-1 cannot infer their number when a size is 0)
        x2 = xd.reshape(math.prod(xd.shape[:-1]), xd.shape[-1])
    else:  # a scalar: refused below, the first weight's shape in the message
        x2 = None
    h, needs_grad = x2, x.requires_grad
    # per layer: its input's dtype, then the arrays of its kernel calls (input, weight, bias,
    # output), its Parameters, activation, and whether its input needs a gradient
    saved = []
    parents = [x]
    for layer in layers:
        if not isinstance(layer, (list, tuple)) or len(layer) != 3:
            raise TypeError(f"{name}: expected layers as (weight, bias, activation), "
                            f"got {layer!r}")
        weight, bias, activation = layer
        if activation not in validate.ACTIVATIONS:
            raise ValueError(f"{name}: activation must be one of {validate.ACTIVATIONS}, "
                             f"got {activation!r}")
        w = weight if isinstance(weight, Tensor) else as_tensor(weight)
        b = bias if bias is None or isinstance(bias, Tensor) else as_tensor(bias)
        wd = w.data
        if wd.ndim != 2:
            raise ValueError(f"{name}: weight must be 2-D, got shape {wd.shape}")
        if trans_w:
            out_features, in_features = wd.shape
        else:
            in_features, out_features = wd.shape
        if h is None or h.shape[1] != in_features:
            raise ValueError(f"{name}: input of shape {h.shape if saved else xd.shape} does not "
                             f"fit weight of shape {wd.shape}: expected {in_features} input "
                             "features in its last axis")
        h_in, bd = h, None if b is None else b.data
        if bd is None:
            if not validate.is_plain(h, wd):
                h_in, wd = validate.inputs(("x", "w"), h, wd)
        else:
            if bd.shape != (out_features,):
                raise ValueError(f"{name}: bias must have shape ({out_features},) to fit weight "
                                 f"of shape {wd.shape}, got {bd.shape}")
            if not validate.is_plain(h, wd, bd):
                h_in, wd, bd = validate.inputs(("x", "w", "bias"), h, wd, bd)
        y = backend._linear_unchecked(h_in, wd, bd, activation, trans_w)
        saved.append((h.dtype, h_in, wd, y, w, b, activation, needs_grad))
        # The node's parents run from the last layer's weights to the first's: the order in
        # which separate nodes would add up the gradients of a weight that layers share.
        parents[1:1] = (w,) if b is None else (w, b)
        needs_grad = needs_grad or w.requires_grad or (b is not None and b.requires_grad)
        h = y

    def backward(g):
        g = g if x2 is xd else g.reshape(y.shape)  # y: the last layer's output
        grads, ours = [None], False  # ours: g was made here, and may serve as scratch
        for in_dtype, h_in, wd, h_out, w, b, activation, input_needs_grad in reversed(saved):
            g = validate.contiguous(g, h_out.dtype)
            g, gw, gb = backend._linear_backward_unchecked(
                h_in, wd, h_out, g, activation, trans_w, input_needs_grad, w.requires_grad,
                b is not None and b.requires_grad, ours)
            ours = True
            grads += (gw,) if b is None else (gw, gb)
            if g is not None and g.dtype != in_dtype:  # as the graph casts a node's gradient
                g = g.astype(in_dtype)
        grads[0] = g if g is None or x2 is xd else g.reshape(xd.shape)
        return grads

    out = y if x2 is xd else y.reshape(xd.shape[:-1] + (y.shape[1],))
    return Tensor.from_op(out, tuple(parents), backward)


# ---- losses -------------------------------------------------------------------------------------

def binary_cross_entropy(input, target, reduction="mean"):
    """-(t log p + (1 - t) log(1 - p)) for probabilities p, clipped to [1e-7, 1 - 1e-7] as Keras
    does (no gradient flows through a clipped value). Prefer binary_cross_entropy_with_logits
    after a sigmoid: it is exact where this one clips."""
    x = as_tensor(input)
    t = _target(target, x, "binary_cross_entropy")
    p = np.clip(x.data, BCE_EPSILON, 1 - BCE_EPSILON)
    losses = -(t * np.log(p) + (1 - t) * np.log(1 - p))

    def grad():
        inside = (x.data >= BCE_EPSILON) & (x.data <= 1 - BCE_EPSILON)
        return np.where(inside, (p - t) / (p * (1 - p)), 0).astype(x.dtype)
    return _reduce(x, losses, grad, reduction, "binary_cross_entropy")


def binary_cross_entropy_with_logits(input, target, reduction="mean"):
    """Binary cross-entropy of sigmoid(input) against target, computed from the logits as
    max(z, 0) - z t + log(1 + exp(-|z|)): finite for any z, gradient sigmoid(z) - t."""
    x = as_tensor(input)
    t = _target(target, x, "binary_cross_entropy_with_logits")
    if reduction == "mean":  # the training case: loss and gradient in one C pass
        z = x.data
        if not validate.is_plain(z, t):
            z, t = validate.inputs(("logits", "target"), z, t)
        loss, grad = backend._bce_with_logits_unchecked(z, t, _records(x))
        return Tensor.from_op(np.array(loss, z.dtype), (x,), lambda g: (g * grad,))
    _check_reduction(reduction, "binary_cross_entropy_with_logits")
    z = x.data
    losses = np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))
    return _reduce(x, losses, lambda: backend.sigmoid(z) - t, reduction,
                   "binary_cross_entropy_with_logits")


def cross_entropy(input, target, reduction="mean"):
    """Softmax cross-entropy of logits of shape (N, C) against class indices of shape (N,), as
    PyTorch's F.cross_entropy: -log_softmax(input)[i, target[i]], computed stably."""
    x = as_tensor(input)
    if x.ndim != 2:
        raise ValueError(f"cross_entropy: expected logits of shape (N, C), got shape {x.shape}")
    if isinstance(target, Tensor):
        raise TypeError("cross_entropy: target must be integer class indices, got a Tensor "
                        "(always float); pass a NumPy integer array or a list of ints")
    t = validate.as_array(target, "target")
    if t.dtype.kind not in "iu":
        raise TypeError(f"cross_entropy: target must be integer class indices of shape (N,), "
                        f"got dtype {t.dtype}")
    n, classes = x.shape
    if t.shape != (n,):
        raise ValueError(f"cross_entropy: input of shape {x.shape} needs target of shape ({n},), "
                         f"got target of shape {t.shape}")
    bad = t[(t < 0) | (t >= classes)]
    if bad.size:
        raise ValueError(f"cross_entropy: class indices must lie in [0, {classes}), "
                         f"got {bad[0]}")
    log_p = _log_softmax(x.data, 1)
    rows = np.arange(n)
    losses = -log_p[rows, t]

    def grad():
        d = np.exp(log_p)
        d[rows, t] -= 1
        return d
    return _reduce(x, losses, grad, reduction, "cross_entropy")


def mse_loss(input, target, reduction="mean"):
    """(input - target)^2, mean by default."""
    x = as_tensor(input)
    d = x.data - _target(target, x, "mse_loss")
    return _reduce(x, d * d, lambda: 2 * d, reduction, "mse_loss")


def l1_loss(input, target, reduction="mean"):
    """|input - target|, mean by default; the gradient at 0 is 0, as in PyTorch."""
    x = as_tensor(input)
    d = x.data - _target(target, x, "l1_loss")
    return _reduce(x, np.abs(d), lambda: np.sign(d), reduction, "l1_loss")


def _target(target, x, name):
    """target as an array of x's dtype and exactly x's shape."""
    t = target.data if isinstance(target, Tensor) else target
    if not (type(t) is np.ndarray and t.dtype is x.data.dtype):  # else: taken as it is
        t = validate.as_array(t, "target").astype(x.data.dtype, copy=False)
    if t.shape != x.data.shape:
        raise ValueError(f"{name}: input of shape {x.shape} and target of shape {t.shape} must "
                         "have the same shape (reshape one of them; nothing is broadcast)")
    return t


def _check_reduction(reduction, name):
    if reduction not in REDUCTIONS:
        raise ValueError(f"{name}: reduction must be one of {REDUCTIONS}, got {reduction!r}")


def _records(x):
    """Whether an op on x will be recorded, so its gradient is worth computing in forward."""
    return x.requires_grad and is_grad_enabled()


def _reduce(x, losses, grad, reduction, name):
    """The loss node: per-element (or per-sample) `losses` reduced; grad() gives each loss's
    derivative with respect to x, in x's shape, and is called only by backward."""
    _check_reduction(reduction, name)
    if reduction == "mean":
        value, scale = losses.mean(), 1 / max(losses.size, 1)
    elif reduction == "sum":
        value, scale = losses.sum(), 1
    else:
        value, scale = losses, None

    def backward(g):
        if scale is None:  # one gradient per loss: spread it over that loss's elements of x
            g = g.reshape(g.shape + (1,) * (x.ndim - g.ndim))
            return (g * grad(),)
        return (g * scale * grad(),)
    return Tensor.from_op(value, (x,), backward)
