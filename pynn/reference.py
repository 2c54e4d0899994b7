"""The kernels of pynn.kernels in plain NumPy, with the same names and signatures.

This is the oracle the tests compare the C core against, and with PYNN_BACKEND=numpy the whole
engine runs on it. It is written for clarity, not speed: the formulas as a textbook gives them.
"""
import functools

import numpy as np

from . import validate

__all__ = ["get_num_threads", "set_num_threads", "matmul", "linear", "linear_backward", "relu",
           "relu_backward", "sigmoid", "sigmoid_backward", "sum_rows", "bce_with_logits",
           "StepArrays", "adam_step", "sgd_step",
           "bind_linear", "bind_linear_backward", "bind_bce_with_logits",
           # the engine's unchecked twins: private, listed so that pynn.backend carries them
           "_linear_unchecked", "_linear_backward_unchecked", "_bce_with_logits_unchecked",
           "_adam_step_unchecked", "_sgd_step_unchecked"]


def get_num_threads():
    return 1


def set_num_threads(n):
    """Accepted for parity with pynn.kernels; NumPy's own threading is left as it is."""
    validate.num_threads(n)


def _sigmoid(x):
    # exp of a non-positive number only: no overflow for any x.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _relu(x):
    return np.where(x < 0, 0, x).astype(x.dtype)  # NaN < 0 is False: NaN passes through


def matmul(a, b, trans_a=False, trans_b=False, out=None, accumulate=False):
    a, b, out, m, n, k, trans_a, trans_b, accumulate = validate.matmul(
        a, b, trans_a, trans_b, out, accumulate)
    product = (a.T if trans_a else a) @ (b.T if trans_b else b)
    out[...] = out + product if accumulate else product
    return out


def linear(x, w, bias=None, activation=None, trans_w=False, out=None):
    x, w, bias, out, m, n, k, trans_w, activation = validate.linear(
        x, w, bias, activation, trans_w, out)
    z = x @ (w.T if trans_w else w)
    if bias is not None:
        z = z + bias
    out[...] = {None: z, "relu": _relu(z), "sigmoid": _sigmoid(z)}[activation]
    return out


def linear_backward(x, w, y, grad, activation=None, trans_w=False, with_dx=True, with_dw=True,
                    with_db=True):
    x, w, y, grad, m, n, k, trans_w, activation, with_dx, with_dw, with_db = \
        validate.linear_backward(x, w, y, grad, activation, trans_w, with_dx, with_dw, with_db)
    if activation == "relu":
        grad = np.where(y > 0, grad, 0).astype(grad.dtype)
    elif activation == "sigmoid":
        grad = grad * y * (1 - y)
    dx = grad @ (w if trans_w else w.T) if with_dx else None
    dw = (grad.T @ x if trans_w else x.T @ grad) if with_dw else None
    db = grad.sum(axis=0) if with_db else None
    return dx, dw, db


def relu(x, out=None):
    x, out = validate.unary(x, out)
    out[...] = _relu(x)
    return out


def relu_backward(x, grad, out=None):
    x, grad, out = validate.binary(x, grad, out, ("x", "grad"))
    out[...] = np.where(x > 0, grad, 0)
    return out


def sigmoid(x, out=None):
    x, out = validate.unary(x, out)
    out[...] = _sigmoid(x)
    return out


def sigmoid_backward(y, grad, out=None):
    y, grad, out = validate.binary(y, grad, out, ("y", "grad"))
    out[...] = grad * y * (1 - y)
    return out


def sum_rows(x, out=None, accumulate=False):
    x, out, accumulate = validate.sum_rows(x, out, accumulate)
    total = x.sum(axis=0)
    out[...] = out + total if accumulate else total
    return out


def bce_with_logits(logits, target, with_grad=True):
    logits, target = validate.bce_with_logits(logits, target)
    z, t = logits.astype(np.float64), target.astype(np.float64)
    loss = np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))
    mean = float(loss.mean()) if loss.size else 0.0
    grad = None
    if validate.flag(with_grad, "with_grad"):
        grad = ((_sigmoid(logits) - target) / max(logits.size, 1)).astype(logits.dtype)
    return mean, grad


# The engine's unchecked calls (see pynn.kernels): here, the checked functions themselves.
_linear_unchecked, _bce_with_logits_unchecked = linear, bce_with_logits


def _linear_backward_unchecked(x, w, y, grad, activation=None, trans_w=False, with_dx=True,
                               with_dw=True, with_db=True, grad_is_scratch=False):
    return linear_backward(x, w, y, grad, activation, trans_w, with_dx, with_dw, with_db)


def bind_linear(x, w, bias, out, activation=None, trans_w=False):
    validate.bind_linear(x, w, bias, out, activation, trans_w)
    return functools.partial(linear, x, w, bias, activation, trans_w, out)


def bind_linear_backward(x, w, y, grad, dx, dw, db, activation=None, trans_w=False):
    validate.bind_linear_backward(x, w, y, grad, dx, dw, db, activation, trans_w)
    outputs = (dx, dw, db)

    def call():
        grads = linear_backward(x, w, y, grad, activation, trans_w,
                                *(out is not None for out in outputs))
        for out, g in zip(outputs, grads):
            if out is not None:
                out[...] = g
    return call


def bind_bce_with_logits(logits, target, grad):
    validate.bind_bce_with_logits(logits, target, grad)

    def call():
        loss, g = bce_with_logits(logits, target)
        grad[...] = g
        return loss
    return call


StepArrays = validate.StepArrays


def adam_step(arrays, grads, *, step_size, beta1, beta2, eps, v_scale=1.0, weight_decay=0.0):
    step_size, beta1, beta2, eps, v_scale, weight_decay = validate.adam(
        arrays, step_size, beta1, beta2, eps, v_scale, weight_decay)
    for param, grad, m, v in zip(arrays.params, arrays.grads(grads), arrays.states["m"],
                                 arrays.states["v"]):
        g = grad + weight_decay * param
        m[...] = beta1 * m + (1 - beta1) * g
        v[...] = beta2 * v + (1 - beta2) * g * g
        param -= (step_size * m / (np.sqrt(v) * v_scale + eps)).astype(param.dtype)


def sgd_step(arrays, grads, *, lr, momentum=0.0, dampening=0.0, weight_decay=0.0,
             nesterov=False, first=False):
    lr, momentum, dampening, weight_decay, nesterov, first = validate.sgd(
        arrays, lr, momentum, dampening, weight_decay, nesterov, first)
    bufs = arrays.states.get("buf", [None] * len(arrays.params))
    for param, grad, buf in zip(arrays.params, arrays.grads(grads), bufs):
        g = grad + weight_decay * param
        if momentum != 0:
            buf[...] = g if first else momentum * buf + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        param -= (lr * g).astype(param.dtype)


def _adam_step_unchecked(arrays, grads, step_size, beta1, beta2, eps, v_scale, weight_decay):
    adam_step(arrays, grads, step_size=step_size, beta1=beta1, beta2=beta2, eps=eps,
              v_scale=v_scale, weight_decay=weight_decay)


def _sgd_step_unchecked(arrays, grads, lr, momentum, dampening, weight_decay, nesterov, first):
    sgd_step(arrays, grads, lr=lr, momentum=momentum, dampening=dampening,
             weight_decay=weight_decay, nesterov=nesterov, first=first)
