"""The kernels of pynn._kernels in plain NumPy, with the same names and signatures.

This is the oracle the tests compare the C core against, and with PYNN_BACKEND=numpy the whole
engine runs on it. It is written for clarity, not speed: the formulas as a textbook gives them.
Like the C bindings it checks nothing and writes its results into the arrays it is given.
"""
import functools

import numpy as np

NAME = "numpy"


def _sigmoid(x):
    # exp of a non-positive number only: no overflow for any x.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype)


def _relu(x):
    return np.where(x < 0, 0, x).astype(x.dtype)  # NaN < 0 is False: NaN passes through


# The activations a product can apply in its epilogue, and their gradients from the output y.
ACTIVATIONS = {None: (lambda z: z, lambda y, g: g),
               "relu": (_relu, lambda y, g: np.where(y > 0, g, 0).astype(g.dtype)),
               "sigmoid": (_sigmoid, lambda y, g: g * y * (1 - y)),
               "tanh": (np.tanh, lambda y, g: g * (1 - y * y))}


def call(fn, *args):
    return fn(*args)


def bind(fn, *args):
    return functools.partial(fn, *args)


_threads = [1]


def get_num_threads():
    return _threads[0]


def set_num_threads(n):
    """Kept for parity with the C core; NumPy's own threading is left as it is."""
    _threads[0] = n


def matmul(a, b, out, trans_a=False, trans_b=False, accumulate=False, bias=None, act=None,
           run=call):
    return run(_matmul, a, b, out, trans_a, trans_b, accumulate, bias, act)


def _matmul(a, b, out, trans_a, trans_b, accumulate, bias, act):
    z = (a.T if trans_a else a) @ (b.T if trans_b else b)
    if accumulate:
        z = out + z
    if bias is not None:
        z = z + bias
    out[...] = ACTIVATIONS[act][0](z)


def linear_backward(x, w, y, grad, dz, dx, dw, db, act=None, trans_w=False, run=call):
    return run(_linear_backward, x, w, y, grad, dx, dw, db, act, trans_w)


def _linear_backward(x, w, y, grad, dx, dw, db, act, trans_w):
    g = ACTIVATIONS[act][1](y, grad)
    if dx is not None:
        dx[...] = g @ (w if trans_w else w.T)
    if dw is not None:
        dw[...] = g.T @ x if trans_w else x.T @ g
    if db is not None:
        db[...] = g.sum(axis=0)


def _elementwise(name, formula):
    """The twin of an elementwise binding: f(x, out) or f(x, grad, out), as pynn._kernels's."""
    def unary(x, out, run=call):
        return run(_write, formula, out, x)

    def binary(x, grad, out, run=call):
        return run(_write, formula, out, x, grad)
    kernel = binary if name.endswith("_backward") else unary
    kernel.__name__ = kernel.__qualname__ = name
    return kernel


def _write(formula, out, *inputs):
    out[...] = formula(*inputs)


relu = _elementwise("relu", _relu)
relu_backward = _elementwise("relu_backward", lambda x, g: np.where(x > 0, g, 0))
sigmoid = _elementwise("sigmoid", _sigmoid)
sigmoid_backward = _elementwise("sigmoid_backward", ACTIVATIONS["sigmoid"][1])
tanh = _elementwise("tanh", np.tanh)
tanh_backward = _elementwise("tanh_backward", ACTIVATIONS["tanh"][1])


def sum_rows(x, out, accumulate=False, run=call):
    return run(_sum_rows, x, out, accumulate)


def _sum_rows(x, out, accumulate):
    total = x.sum(axis=0)
    out[...] = out + total if accumulate else total


def bce_logits(z, t, grad=None, run=call):
    return run(_bce_logits, z, t, grad)


def _bce_logits(z, t, grad):
    z64, t64 = z.astype(np.float64), t.astype(np.float64)
    loss = np.maximum(z64, 0) - z64 * t64 + np.log1p(np.exp(-np.abs(z64)))
    if grad is not None:
        grad[...] = (_sigmoid(z) - t) / z.size
    return float(loss.mean()) if loss.size else 0.0


class Pointers:
    """The arrays themselves: the NumPy twin needs no C pointers."""

    def __init__(self, arrays):
        self.arrays, self.dtype, self.count = list(arrays), arrays[0].dtype, len(arrays)


def sizes(arrays):
    return [a.size for a in arrays]


def adam_step(params, grads, m, v, sizes, step_size, beta1, beta2, eps, v_scale, weight_decay,
              run=call):
    return run(_adam_step, params, grads, m, v, step_size, beta1, beta2, eps, v_scale,
               weight_decay)


def _adam_step(params, grads, ms, vs, step_size, beta1, beta2, eps, v_scale, weight_decay):
    for p, grad, m, v in zip(params.arrays, grads.arrays, ms.arrays, vs.arrays):
        g = grad + weight_decay * p
        m[...] = beta1 * m + (1 - beta1) * g
        v[...] = beta2 * v + (1 - beta2) * g * g
        p -= (step_size * m / (np.sqrt(v) * v_scale + eps)).astype(p.dtype)


def sgd_step(params, grads, buf, sizes, lr, momentum, dampening, weight_decay, nesterov, first,
             run=call):
    return run(_sgd_step, params, grads, buf, lr, momentum, dampening, weight_decay, nesterov,
               first)


def _sgd_step(params, grads, bufs, lr, momentum, dampening, weight_decay, nesterov, first):
    for i, (p, grad) in enumerate(zip(params.arrays, grads.arrays)):
        g = grad + weight_decay * p
        if momentum != 0:
            buf = bufs.arrays[i]
            buf[...] = g if first else momentum * buf + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        p -= (lr * g).astype(p.dtype)
