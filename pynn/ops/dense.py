"""Dense layers, activation(x @ op(weight) + bias), applied in a row: the kernel calls of their
forward and backward passes, written once.

DenseStack holds one batch's arrays and issues the calls; `dense_stack` makes it one node of the
Tensor graph (nn.Sequential and Keras models run their dense layers through it), and fit's
compiled step binds the same calls once (run=kernels.bind) and replays them, so both compute
the same values by the same calls. Each layer's bias and activation are fused into its product
(the kernel's epilogue); its backward is one call too (linear_backward: the activation's
gradient from the saved output, d input and d weight by the transpose flags, d bias).
"""
import math

import numpy as np

from .. import validate
from ..backend import FUSED, kernels as K
from ..tensor import Tensor, operand
from ..validate import ShapeError


class DenseStack:
    """The kernel calls of dense layers in a row on a batch x (2-D, C-contiguous float32 or
    float64): layers are (weight, bias or None, activation) arrays of x's dtype, weight of shape
    (out, in) when trans_w (PyTorch's layout) else (in, out) (Keras's); activation one of
    backend.FUSED. `outputs[i]` holds layer i's output once forward has run."""

    def __init__(self, x, layers, trans_w):
        self.x, self.layers, self.trans_w = x, layers, trans_w
        self.outputs = [np.empty((x.shape[0], w.shape[0] if trans_w else w.shape[1]), x.dtype)
                        for w, _, _ in layers]

    def forward(self, run=K.call):
        """Each layer's product, in order: run now (run=K.call), or bound to run later."""
        calls, h = [], self.x
        for (w, b, act), out in zip(self.layers, self.outputs):
            calls.append(K.matmul(h, w, out, False, self.trans_w, False, b, act, run=run))
            h = out
        return calls

    def gradients(self, wanted):
        """Arrays for the gradients backward computes, per layer (dx, dw, db, dz): wanted[i] is
        (d input, d weight, d bias) of layer i as bools; None where not wanted. dz is scratch
        for the activation's gradient: the last layer's own, the others' the incoming gradient
        itself (the dx of the layer after them, which nothing else reads)."""
        grads, last = [], len(self.layers) - 1
        for i, ((w, b, act), (want_x, want_w, want_b)) in enumerate(zip(self.layers, wanted)):
            h_in = self.x if i == 0 else self.outputs[i - 1]
            grads.append((np.empty(h_in.shape, h_in.dtype) if want_x else None,
                          np.empty(w.shape, w.dtype) if want_w else None,
                          np.empty(b.shape, b.dtype) if want_b and b is not None else None,
                          np.empty(self.outputs[i].shape, h_in.dtype)
                          if act is not None and i == last else None))
        return grads

    def backward(self, grad, grads, run=K.call):
        """The calls computing every layer's gradients into `grads` (from gradients()), from
        grad, the last output's gradient; they stop at a layer whose input needs none."""
        calls, g = [], grad
        for i in reversed(range(len(self.layers))):
            (w, _, act), (dx, dw, db, dz) = self.layers[i], grads[i]
            h_in = self.x if i == 0 else self.outputs[i - 1]
            if dz is None and act is not None:
                dz = g  # the incoming gradient is this stack's own scratch
            calls.append(K.linear_backward(h_in, w, self.outputs[i], g, dz, dx, dw, db, act,
                                           self.trans_w, run=run))
            if dx is None:
                break
            g = dx
        return calls


def dense_stack(input, layers, trans_w, name="dense_stack"):
    """Dense layers applied one after the other over the last axis of input, as one graph node:
    layers are (weight, bias or None, activation) with Tensors, activation one of
    backend.FUSED. The values and gradients are those of the layers applied one by one."""
    x = input if isinstance(input, Tensor) else operand(input, None)
    xd = x._data
    shape = xd.shape
    if not shape:
        raise ShapeError(f"{name}: expected an input with at least 1 dimension, got a 0-d "
                         "tensor")
    dtype = xd.dtype
    rows = shape[0] if len(shape) == 2 else math.prod(shape[:-1])  # (-1 fails on a size 0)
    arrays, params, wanted = [], [x], []
    needs, width = x._requires_grad, shape[-1]
    for weight, bias, act in layers:
        if act not in FUSED:
            raise ValueError(f"{name}: activation must be one of {FUSED}, got {act!r}")
        w = _parameter(weight, dtype, name, "weight")
        wd = w._data
        if wd.ndim != 2:
            raise ShapeError(f"{name}: weight must be 2-D, got shape {tuple(wd.shape)}")
        out_features, in_features = wd.shape if trans_w else wd.shape[::-1]
        if width != in_features:
            raise ShapeError(
                f"mat1 and mat2 shapes cannot be multiplied ({rows}x{width} and "
                f"{wd.shape[1] if trans_w else wd.shape[0]}x{out_features})")
        if bias is None:
            arrays.append((validate.contiguous(wd, dtype), None, act))
            wanted.append((needs, w._requires_grad, False))
            params.insert(1, w)  # the last layer's weights first: as separate nodes add them
            needs = needs or w._requires_grad
        else:
            b = _parameter(bias, dtype, name, "bias")
            if b._data.shape != (out_features,):
                raise ShapeError(f"{name}: bias must have shape ({out_features},) to fit weight "
                                 f"of shape {tuple(wd.shape)}, got {tuple(b._data.shape)}")
            arrays.append((validate.contiguous(wd, dtype), validate.contiguous(b._data, dtype),
                           act))
            wanted.append((needs, w._requires_grad, b._requires_grad))
            params[1:1] = (w, b)
            needs = needs or w._requires_grad or b._requires_grad
        width = out_features
    x2 = validate.contiguous(xd, dtype)
    stack = DenseStack(x2 if len(shape) == 2 else x2.reshape(rows, shape[-1]), arrays, trans_w)
    stack.forward()
    out = stack.outputs[-1]

    def backward(g):
        grads = stack.gradients(wanted)
        g = validate.contiguous(g, dtype)
        stack.backward(g if g.shape == out.shape else g.reshape(out.shape), grads)
        dx = grads[0][0]
        result = [dx if dx is None or len(shape) == 2 else dx.reshape(shape)]
        for (_, dw, db, _), (_, bias, _) in zip(reversed(grads), reversed(arrays)):
            result.append(dw)
            if bias is not None:
                result.append(db)
        return result
    last_activation, last_bias = layers[-1][2], layers[-1][1] is not None
    backward.grad_fn_name = (
        f"{last_activation.capitalize()}Backward0" if last_activation is not None else
        ("AddmmBackward0" if last_bias else "MmBackward0") if len(shape) == 2 else
        "ViewBackward0" if last_bias or len(layers) > 1 else
        "SqueezeBackward4" if len(shape) == 1 else "UnsafeViewBackward0")  # PyTorch's last op
    return Tensor.from_op(out if len(shape) == 2 else out.reshape(shape[:-1] + (width,)),
                          tuple(params), backward, saves_output=True)


def _parameter(value, dtype, name, what):
    """A weight or bias as a Tensor of the input's dtype (PyTorch refuses to mix them)."""
    t = value if isinstance(value, Tensor) else operand(value, None)
    if t._data.dtype is not dtype and t._data.dtype != dtype:
        raise RuntimeError(f"{name}: mat1 and mat2 must have the same dtype, but got {dtype} "
                           f"input and {t._data.dtype} {what} (convert the input with "
                           f".float() or .double())")
    return t
