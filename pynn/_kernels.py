"""Raw bindings of the C kernels: one Python function per C function, no checks.

Every caller hands over arrays the engine already knows to be right: aligned, C-contiguous
ndarrays of one float dtype (float32 or float64), of the shapes the call implies, outputs
included (a binding never allocates). cffi's from_buffer checks nothing, so anything else is
undefined behaviour: the checks live where user data enters (Tensor ops, functional, nn, optim,
keras), never here. pynn.reference has the same functions in NumPy, the tests' oracle.

Each binding takes `run`: `call` (the default) runs the kernel now and returns what C returns;
`bind` returns the call with its pointers made, to be run later, many times, on whatever the
arrays hold then (fit's compiled step and the optimizers' kept calls).
"""
import functools
import operator
import os

import numpy as np

try:
    from ._C import ffi, lib
except ImportError as exc:  # the classic trap of a flat layout: importing the source folder
    raise ImportError(
        f"pynn's compiled C core (pynn._C) is missing from {os.path.dirname(__file__)}: this is "
        "the source folder, not an installed pynn. Install it with `pip install .` and run "
        "from another folder (or `pip install -e .`), or set PYNN_BACKEND=numpy to run on the "
        "NumPy reference.") from exc

NAME = "c"
_NULL = ffi.NULL
_buffer = ffi.from_buffer

# The activations the kernels apply in the epilogue of a product (the dense layer's fusion) and
# in linear_backward, by the names the engine uses: the one table of what fuses.
ACTIVATIONS = {None: lib.PYNN_ACT_NONE, "relu": lib.PYNN_ACT_RELU,
               "sigmoid": lib.PYNN_ACT_SIGMOID, "tanh": lib.PYNN_ACT_TANH}


class _Kernels:
    """The C functions of one dtype by short name (pynn_matmul_f32 is .matmul of the float32
    ones) and the cffi types of its arrays: `array` (float[] or double[]), `pointers`."""

    def __init__(self, suffix, ctype):
        self.array, self.pointers = ffi.typeof(f"{ctype}[]"), ffi.typeof(f"{ctype} *[]")
        for name in dir(lib):
            if name.startswith("pynn_") and name.endswith(suffix):
                setattr(self, name[len("pynn_"):-len(suffix)], getattr(lib, name))


_C = {np.dtype(np.float32): _Kernels("_f32", "float"),
      np.dtype(np.float64): _Kernels("_f64", "double")}


def _call(fn, *args):
    return fn(*args)


call = getattr(operator, "call", _call)  # run a kernel now: call(fn, *args) is fn(*args)


def bind(fn, *args):
    """A kernel call with its arguments made, to run later: bind(...)()."""
    return functools.partial(fn, *args)


# ---- threads ----------------------------------------------------------------------------------

def _threads_from_env():
    for var in ("PYNN_NUM_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(var, "").strip()
        if value:
            try:
                n = int(value)
            except ValueError:
                raise ValueError(f"{var} must be a positive integer, got {value!r}") from None
            return max(1, n)
    return os.cpu_count() or 1


def _new_pool(n):
    """The C kernels' pool of n threads (csrc/pool.c; its workers start at its first large
    product). A call holds the pool it was given, so a pool is freed only once the last call
    using it has returned, in whichever thread drops it last."""
    pool = lib.pynn_pool_new(n)
    if pool == _NULL:
        raise MemoryError(f"could not make a pool of {n} threads")
    return ffi.gc(pool, lib.pynn_pool_free)


_threads = [_threads_from_env()]  # how many threads a product may use (set_num_threads)
_pool = [_new_pool(_threads[0])]  # the pool every kernel that threads runs on
_parent_pools = []  # in a forked child: the parent's pools, whose threads are not in this process


def _new_pool_after_fork():
    """A forked child gets a pool of its own. The parent's is kept, never used or freed: its
    workers exist only in the parent."""
    _parent_pools.append(_pool[0])
    _pool[0] = _new_pool(_threads[0])


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_pool_after_fork)


def get_num_threads():
    return _threads[0]


def set_num_threads(n):
    """n is checked by the caller (pynn.set_num_threads)."""
    _threads[0] = n
    _pool[0] = _new_pool(n)


# ---- the kernels ------------------------------------------------------------------------------

def matmul(a, b, out, trans_a=False, trans_b=False, accumulate=False, bias=None, act=None,
           run=call):
    """out = act((out if accumulate else 0) + op(a) @ op(b) + bias); op transposes when its
    flag is set. bias (n values) may be None."""
    m, k = a.shape[::-1] if trans_a else a.shape
    n = b.shape[0] if trans_b else b.shape[1]
    c = _C[a.dtype]
    array = c.array
    return run(c.matmul, _buffer(array, a), _buffer(array, b), _buffer(array, out), m, n, k,
               trans_a, trans_b, accumulate, _NULL if bias is None else _buffer(array, bias),
               ACTIVATIONS[act], _pool[0])


def linear_backward(x, w, y, grad, dz, dx, dw, db, act=None, trans_w=False, run=call):
    """The gradients of y = act(x @ op(w) + bias) from grad (y's), written into dx, dw and db
    (each None: not computed). dz is (m, n) scratch for the activation's gradient (it may be
    grad itself; None when act is None)."""
    (m, k), n = x.shape, y.shape[1]
    c = _C[x.dtype]
    array = c.array
    return run(c.linear_backward, _buffer(array, x), _buffer(array, w), _buffer(array, y),
               _buffer(array, grad), _NULL if dz is None else _buffer(array, dz),
               _NULL if dx is None else _buffer(array, dx),
               _NULL if dw is None else _buffer(array, dw),
               _NULL if db is None else _buffer(array, db), m, n, k, trans_w, ACTIVATIONS[act],
               _pool[0])


def _elementwise(name):
    """The binding of an elementwise kernel f(x, out, n) or f(x, grad, out, n)."""
    def unary(x, out, run=call):
        c = _C[x.dtype]
        return run(getattr(c, name), _buffer(c.array, x), _buffer(c.array, out), x.size)

    def binary(x, grad, out, run=call):
        c = _C[x.dtype]
        array = c.array
        return run(getattr(c, name), _buffer(array, x), _buffer(array, grad),
                   _buffer(array, out), x.size)
    fn = binary if name.endswith("_backward") else unary
    fn.__name__ = fn.__qualname__ = name
    return fn


relu = _elementwise("relu")  # out = max(x, 0); NaN passes
relu_backward = _elementwise("relu_backward")  # out = grad where x > 0, else 0
sigmoid = _elementwise("sigmoid")  # out = 1 / (1 + exp(-x)), never overflowing
sigmoid_backward = _elementwise("sigmoid_backward")  # out = grad y (1 - y), from y
tanh = _elementwise("tanh")
tanh_backward = _elementwise("tanh_backward")  # out = grad (1 - y^2), from y


def sum_rows(x, out, accumulate=False, run=call):
    """out (+)= the sum of the rows of the 2-D x (a bias gradient)."""
    c = _C[x.dtype]
    return run(c.sum_rows, _buffer(c.array, x), _buffer(c.array, out), x.shape[0], x.shape[1],
               accumulate)


def bce_logits(z, t, grad=None, run=call):
    """The mean binary cross-entropy of sigmoid(z) against t, from the logits (a float);
    grad, if given, receives its gradient with respect to z."""
    c = _C[z.dtype]
    array = c.array
    return run(c.bce_logits, _buffer(array, z), _buffer(array, t),
               _NULL if grad is None else _buffer(array, grad), z.size)


# ---- optimizer steps: many tensors in one call --------------------------------------------------

class Pointers:
    """A C array of pointers to the given arrays (all of one dtype), and their sizes: what the
    optimizer kernels take to update many tensors in one call. It keeps the arrays alive."""

    def __init__(self, arrays):
        self.dtype = arrays[0].dtype
        c = _C[self.dtype]
        self._buffers = [_buffer(c.array, a) for a in arrays]
        self.c = ffi.new(c.pointers, self._buffers)
        self.count = len(arrays)


def sizes(arrays):
    """The element counts of arrays, as the optimizer kernels take them."""
    return ffi.new("int64_t[]", [a.size for a in arrays])


def adam_step(params, grads, m, v, sizes, step_size, beta1, beta2, eps, v_scale, weight_decay,
              run=call):
    """One Adam update of every tensor of params (Pointers) from grads, with moments m and v
    (Pointers); see csrc/pynn.h for the formula."""
    c = _C[params.dtype]
    return run(c.adam_multi, params.c, grads.c, m.c, v.c, sizes, params.count, step_size, beta1,
               beta2, eps, v_scale, weight_decay)


def sgd_step(params, grads, buf, sizes, lr, momentum, dampening, weight_decay, nesterov, first,
             run=call):
    """One SGD update of every tensor of params from grads; buf (Pointers) holds the momentum
    buffers, None without momentum."""
    c = _C[params.dtype]
    return run(c.sgd_multi, params.c, grads.c, _NULL if buf is None else buf.c, sizes,
               params.count, lr, momentum, dampening, weight_decay, nesterov, first)
