"""Python face of the C core: check the arguments, allocate the outputs, call C.

Each function has a twin of the same name and signature in pynn.reference (plain NumPy), the
oracle the tests compare against. Arguments are checked by pynn.validate before anything
reaches C, because cffi's from_buffer checks nothing: a float64 array passed as `float[]`
would be silently reinterpreted.

Most calls come with arrays C can take as they are: C-contiguous, of one float dtype, no `out`.
For those, pynn.validate would convert nothing and a fresh output cannot overlap an input, so a
short path checks just that (and the shapes) and goes straight to C: the full checks cost
several microseconds a call, more than the kernel on a small array. Anything else takes the
full checks, so the results and the errors are the same either way.

Two kinds of call skip even that, and say so in their names: the private `_*_unchecked` twins,
which the engine calls on arrays it has just checked itself (a graph node checks its arrays
once), and the `bind_*` calls, checked once and then run many times on the same arrays (fit's
compiled step).
"""
import functools
import os

import numpy as np

from . import reference, validate

try:
    from ._C import ffi, lib
except ImportError as exc:  # the classic trap of a flat layout: importing the source folder
    raise ImportError(
        f"pynn's compiled C core (pynn._C) is missing from {os.path.dirname(__file__)}: this is "
        "the source folder, not an installed pynn. Install it with `pip install .` and run "
        "from another folder (or `pip install -e .`), or set PYNN_BACKEND=numpy to run on the "
        "NumPy reference.") from exc

__all__ = reference.__all__  # the same functions as the NumPy twins, by name

_F32, _F64 = np.dtype(np.float32), np.dtype(np.float64)
_ACT_CODE = {None: lib.PYNN_ACT_NONE, "relu": lib.PYNN_ACT_RELU, "sigmoid": lib.PYNN_ACT_SIGMOID}
_NULL = ffi.NULL
_buffer = ffi.from_buffer  # every pointer handed to C is made by this, from a checked array
_is_plain = validate.is_plain


class _Kernels:
    """The C kernels of one dtype by short name (pynn_matmul_f32 is .matmul of the float32
    ones) and the cffi types its arrays are passed as: `array` (float[] or double[]) and
    `pointers` (float *[] or double *[])."""

    def __init__(self, suffix, ctype):
        self.array, self.pointers = ffi.typeof(f"{ctype}[]"), ffi.typeof(f"{ctype} *[]")
        for name in dir(lib):
            if name.startswith("pynn_") and name.endswith(suffix):
                setattr(self, name[len("pynn_"):-len(suffix)], getattr(lib, name))


_KERNELS = {_F32: _Kernels("_f32", "float"), _F64: _Kernels("_f64", "double")}


def _threads_from_env():
    for var in ("PYNN_NUM_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(var, "").strip()
        if value:
            try:
                n = int(value)
            except ValueError:
                raise ValueError(f"{var} must be a positive integer, got {value!r}") from None
            return validate.num_threads(max(1, n), var)
    return os.cpu_count() or 1


def _new_pool(n):
    """The C kernels' pool of n threads (csrc/pool.c; its workers start at its first large
    product). A call holds the pool it was given, so a pool is freed only once the last call
    using it has returned, in whichever thread drops it last."""
    return ffi.gc(lib.pynn_pool_new(n), lib.pynn_pool_free)


_num_threads = _threads_from_env()
_pool = _new_pool(_num_threads)  # passed to every kernel that threads
_parent_pools = []  # in a forked child: the parent's pools, whose threads are not in this process


def _new_pool_after_fork():
    """A forked child gets a pool of its own. The parent's is kept, never used or freed: its
    workers exist only in the parent."""
    global _pool
    _parent_pools.append(_pool)
    _pool = _new_pool(_num_threads)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_pool_after_fork)


def get_num_threads():
    """How many threads a large matmul may use (PYNN_NUM_THREADS, else OMP_NUM_THREADS, else
    every core)."""
    return _num_threads


def set_num_threads(n):
    """Set how many threads a large matmul may use; 1 keeps every kernel on the calling thread."""
    global _num_threads, _pool
    _num_threads = validate.num_threads(n)
    _pool = _new_pool(_num_threads)


def _bools(*flags):
    """True when every flag is exactly True or False (anything else takes the full checks)."""
    for flag in flags:
        if flag is not True and flag is not False:
            return False
    return True


def _fortran(arr):
    """Whether arr is an F- but not C-contiguous matrix, such as x.T of a C array: C can read it
    in place as its .T (a C array) with the transpose flag flipped, where validation would copy
    it. Callers flip it only in a call that validation passes as it is (exact bool flags,
    fitting sizes), so validation's checks and messages stay those of the arguments given."""
    if type(arr) is not np.ndarray or arr.ndim != 2:
        return False
    flags = arr.flags
    return flags.f_contiguous and not flags.c_contiguous


def matmul(a, b, trans_a=False, trans_b=False, out=None, accumulate=False):
    """op(a) @ op(b), where op transposes when its flag is set; added into `out` if accumulate."""
    short = (out is None and accumulate is False and _bools(trans_a, trans_b) and _is_plain(a, b)
             and a.ndim == 2 and b.ndim == 2)
    if short:
        m, k = a.shape[::-1] if trans_a else a.shape
        k2, n = b.shape[::-1] if trans_b else b.shape
        short = k == k2
    if short:
        out = np.empty((m, n), a.dtype)
    else:  # check everything (and raise on a bad argument)
        if ((_fortran(a) or _fortran(b)) and _bools(trans_a, trans_b)
                and type(a) is np.ndarray and type(b) is np.ndarray and a.ndim == b.ndim == 2
                and a.shape[0 if trans_a else 1] == b.shape[1 if trans_b else 0]):
            if _fortran(a):
                a, trans_a = a.T, not trans_a
            if _fortran(b):
                b, trans_b = b.T, not trans_b
        a, b, out, m, n, k, trans_a, trans_b, accumulate = validate.matmul(
            a, b, trans_a, trans_b, out, accumulate)
    c = _KERNELS[a.dtype]
    c.matmul(_buffer(c.array, a), _buffer(c.array, b), _buffer(c.array, out), m, n, k, trans_a,
             trans_b, accumulate, _NULL, lib.PYNN_ACT_NONE, _pool)
    return out


def linear(x, w, bias=None, activation=None, trans_w=False, out=None):
    """activation(x @ op(w) + bias) in one pass: the bias and activation are applied to each
    block of the product while it is still in cache."""
    short = (out is None and (activation is None or type(activation) is str)
             and activation in _ACT_CODE and _bools(trans_w)
             and (_is_plain(x, w) if bias is None else _is_plain(x, w, bias))
             and x.ndim == 2 and w.ndim == 2)
    if short:
        k2 = w.shape[1] if trans_w else w.shape[0]
        short = x.shape[1] == k2 and (bias is None or bias.shape == (w.shape[0 if trans_w else 1],))
    if not short:
        if (_fortran(w) and _bools(trans_w) and type(x) is np.ndarray and x.ndim == 2
                and x.shape[1] == w.shape[1 if trans_w else 0]):
            w, trans_w = w.T, not trans_w
        x, w, bias, out, *_, trans_w, activation = validate.linear(x, w, bias, activation,
                                                                   trans_w, out)
    return _linear_unchecked(x, w, bias, activation, trans_w, out)


def linear_backward(x, w, y, grad, activation=None, trans_w=False, with_dx=True, with_dw=True,
                    with_db=True):
    """(dx, dw, dbias): the gradients of y = activation(x @ op(w) + bias) from grad, y's
    gradient, in one call (None for those not asked for); dw has w's layout."""
    short = ((activation is None or type(activation) is str) and activation in _ACT_CODE
             and _bools(trans_w, with_dx, with_dw, with_db) and _is_plain(x, w, y, grad)
             and x.ndim == 2 and w.ndim == 2)
    if short:
        m, k = x.shape
        k2, n = w.shape[::-1] if trans_w else w.shape
        short = k == k2 and y.shape == grad.shape == (m, n)
    if not short:
        x, w, y, grad, *_, trans_w, activation, with_dx, with_dw, with_db = \
            validate.linear_backward(x, w, y, grad, activation, trans_w, with_dx, with_dw, with_db)
    return _linear_backward_unchecked(x, w, y, grad, activation, trans_w, with_dx, with_dw,
                                      with_db)


def relu(x, out=None):
    """max(x, 0) elementwise; NaN propagates."""
    if out is None and _is_plain(x):
        out = np.empty(x.shape, x.dtype)
    else:
        x, out = validate.unary(x, out)
    c = _KERNELS[x.dtype]
    c.relu(_buffer(c.array, x), _buffer(c.array, out), x.size)
    return out


def relu_backward(x, grad, out=None):
    """The gradient of relu at x: grad where x > 0, else 0."""
    if out is None and _is_plain(x, grad) and x.shape == grad.shape:
        out = np.empty(x.shape, x.dtype)
    else:
        x, grad, out = validate.binary(x, grad, out, ("x", "grad"))
    c = _KERNELS[x.dtype]
    c.relu_backward(_buffer(c.array, x), _buffer(c.array, grad), _buffer(c.array, out), x.size)
    return out


def sigmoid(x, out=None):
    """1 / (1 + exp(-x)) elementwise, finite for any finite x."""
    if out is None and _is_plain(x):
        out = np.empty(x.shape, x.dtype)
    else:
        x, out = validate.unary(x, out)
    c = _KERNELS[x.dtype]
    c.sigmoid(_buffer(c.array, x), _buffer(c.array, out), x.size)
    return out


def sigmoid_backward(y, grad, out=None):
    """The gradient of sigmoid from its output y: grad * y * (1 - y)."""
    if out is None and _is_plain(y, grad) and y.shape == grad.shape:
        out = np.empty(y.shape, y.dtype)
    else:
        y, grad, out = validate.binary(y, grad, out, ("y", "grad"))
    c = _KERNELS[y.dtype]
    c.sigmoid_backward(_buffer(c.array, y), _buffer(c.array, grad), _buffer(c.array, out),
                       y.size)
    return out


def sum_rows(x, out=None, accumulate=False):
    """The sum over the rows of a 2-D array (a bias gradient), added into `out` if accumulate."""
    if out is None and accumulate is False and _is_plain(x) and x.ndim == 2:
        out = np.empty(x.shape[1], x.dtype)
    else:
        x, out, accumulate = validate.sum_rows(x, out, accumulate)
    c = _KERNELS[x.dtype]
    c.sum_rows(_buffer(c.array, x), _buffer(c.array, out), x.shape[0], x.shape[1], accumulate)
    return out


def bce_with_logits(logits, target, with_grad=True):
    """(mean binary cross-entropy of sigmoid(logits) against target, its gradient wrt logits or
    None), computed from the logits so that no probability is ever rounded to 0 or 1."""
    if not (_is_plain(logits, target) and logits.shape == target.shape):
        logits, target = validate.bce_with_logits(logits, target)
    if not _bools(with_grad):
        with_grad = validate.flag(with_grad, "with_grad")
    return _bce_with_logits_unchecked(logits, target, with_grad)


# ---- unchecked calls ----------------------------------------------------------------------------
# The engine checks the arrays of a graph node once (validate.is_plain) and then calls these, which
# check nothing: about 1 µs less a call than the checked functions above, which end in them.
# Every array must be an aligned, C-contiguous ndarray, all of one float dtype, of the shapes
# the call implies (anything else is undefined behaviour); flags must be bools. pynn.reference
# has them too, as its checked functions under these names.

def _linear_unchecked(x, w, bias=None, activation=None, trans_w=False, out=None):
    """linear(), unchecked; `out` may be given."""
    m, k = x.shape
    n = w.shape[0] if trans_w else w.shape[1]
    if out is None:
        out = np.empty((m, n), x.dtype)
    c = _KERNELS[x.dtype]
    array = c.array
    c.matmul(_buffer(array, x), _buffer(array, w), _buffer(array, out), m, n, k, False, trans_w,
             False, _NULL if bias is None else _buffer(array, bias), _ACT_CODE[activation], _pool)
    return out


def _linear_backward_unchecked(x, w, y, grad, activation=None, trans_w=False, with_dx=True,
                               with_dw=True, with_db=True, grad_is_scratch=False):
    """linear_backward(), unchecked. With grad_is_scratch, grad is the caller's own array, which
    may be overwritten: the kernel computes the activation's gradient in it, instead of in a
    new array."""
    (m, k), n = x.shape, y.shape[1]
    dtype, c = x.dtype, _KERNELS[x.dtype]
    array = c.array
    dx = np.empty((m, k), dtype) if with_dx else None
    dw = np.empty(w.shape, dtype) if with_dw else None
    db = np.empty(n, dtype) if with_db else None
    dz = None if not activation else grad if grad_is_scratch else np.empty((m, n), dtype)
    c.linear_backward(_buffer(array, x), _buffer(array, w), _buffer(array, y),
                      _buffer(array, grad), _NULL if dz is None else _buffer(array, dz),
                      _NULL if dx is None else _buffer(array, dx),
                      _NULL if dw is None else _buffer(array, dw),
                      _NULL if db is None else _buffer(array, db), m, n, k, trans_w,
                      _ACT_CODE[activation], _pool)
    return dx, dw, db


def _bce_with_logits_unchecked(logits, target, with_grad=True):
    """bce_with_logits(), unchecked."""
    grad = np.empty(logits.shape, logits.dtype) if with_grad else None
    c = _KERNELS[logits.dtype]
    array = c.array
    loss = c.bce_logits(_buffer(array, logits), _buffer(array, target),
                        _NULL if grad is None else _buffer(array, grad), logits.size)
    return loss, grad

# ---- bound calls --------------------------------------------------------------------------------
# A loop that runs the same kernels on the same buffers again and again (fit's compiled step)
# checks its arrays and makes their pointers once: a bound call is then one C call, about
# 0.2 µs of Python, on whatever the arrays hold at the time. The thread pool is the one set
# when the call is bound (in a process forked after that, the call runs on its own thread).


def bind_linear(x, w, bias, out, activation=None, trans_w=False):
    """linear(x, w, bias, activation, trans_w, out=out) as a call of no arguments on these
    arrays, which must be usable as they are (no conversion)."""
    x, w, bias, out, m, n, k, trans_w, activation = validate.bind_linear(
        x, w, bias, out, activation, trans_w)
    c = _KERNELS[x.dtype]
    array = c.array
    return functools.partial(c.matmul, _buffer(array, x), _buffer(array, w), _buffer(array, out),
                             m, n, k, False, trans_w, False,
                             _NULL if bias is None else _buffer(array, bias),
                             _ACT_CODE[activation], _pool)


def bind_linear_backward(x, w, y, grad, dx, dw, db, activation=None, trans_w=False):
    """linear_backward(x, w, y, grad, activation, trans_w) as a call of no arguments that writes
    the gradients into dx, dw and db (each may be None: not computed)."""
    x, w, y, grad, m, n, k, trans_w, activation, *_ = validate.bind_linear_backward(
        x, w, y, grad, dx, dw, db, activation, trans_w)
    c = _KERNELS[x.dtype]
    array = c.array
    dz = np.empty((m, n), x.dtype) if activation else None  # scratch, kept by the call

    def pointer(arr):
        return _NULL if arr is None else _buffer(array, arr)
    return functools.partial(c.linear_backward, pointer(x), pointer(w), pointer(y),
                             pointer(grad), pointer(dz), pointer(dx), pointer(dw), pointer(db),
                             m, n, k, trans_w, _ACT_CODE[activation], _pool)


def bind_bce_with_logits(logits, target, grad):
    """bce_with_logits(logits, target) as a call of no arguments that returns the mean loss and
    writes its gradient into grad."""
    logits, target = validate.bind_bce_with_logits(logits, target, grad)
    c = _KERNELS[logits.dtype]
    array = c.array
    return functools.partial(c.bce_logits, _buffer(array, logits), _buffer(array, target),
                             _buffer(array, grad), logits.size)


class StepArrays(validate.StepArrays):
    """pynn.validate.StepArrays with the C arrays of pointers to its arrays, built once: a step
    then passes only the pointers to its gradients."""

    def __init__(self, params, **states):
        super().__init__(params, **states)
        self.dtype = _F64 if self.params and self.params[0].dtype == _F64 else _F32
        self.kernels = c = _KERNELS[self.dtype]
        self._buffers = [_buffer(c.array, arr) for arr in self.params]  # keep the pointers valid
        self.pointers = {"params": ffi.new(c.pointers, self._buffers)}
        for name, arrays in self.states.items():
            buffers = [_buffer(c.array, arr) for arr in arrays]
            self._buffers += buffers
            self.pointers[name] = ffi.new(c.pointers, buffers)
        self.sizes = ffi.new("int64_t[]", [p.size for p in self.params])
        # A gradient as backward() makes it owns its memory, so it can share none with arrays
        # that own theirs unless it is one of them: then its check is an identity test.
        owners = [[p] + [arrays[i] for arrays in self.states.values()]
                  for i, p in enumerate(self.params)]
        self._shapes = [p.shape if all(a.flags.owndata for a in arrays) else None
                        for p, arrays in zip(self.params, owners)]
        self._ids = {id(a) for arrays in owners for a in arrays}

    def grad_pointers(self, grads):
        """A C array of pointers to the gradients, each checked (see validate.StepArrays.grads),
        and the buffers that keep them valid until the call returns."""
        if type(grads) is not list or len(grads) != len(self.params):
            grads = self.grads(grads)  # raises, or gives the list of checked arrays
        dtype, ids, array = self.dtype, self._ids, self.kernels.array
        buffers = []
        for g, shape in zip(grads, self._shapes):
            # The short path: a gradient as backward() makes it, in fresh memory of its own
            # (shape is None when a param or state does not own its memory).
            if not (type(g) is np.ndarray and g.dtype is dtype and g.shape == shape
                    and id(g) not in ids and (flags := g.flags).owndata and flags.carray):
                g = self.grad(len(buffers), g)
            buffers.append(_buffer(array, g))
        pointers = ffi.new(self.kernels.pointers, buffers)
        return pointers, buffers


def _step_arrays(arrays):
    if not isinstance(arrays, StepArrays):
        raise TypeError(f"arrays: expected a pynn.kernels.StepArrays, got {type(arrays).__name__}")
    return arrays


def adam_step(arrays, grads, *, step_size, beta1, beta2, eps, v_scale=1.0, weight_decay=0.0):
    """One Adam update, in one C call, of every param of `arrays` (a StepArrays with states m
    and v) from grads, the list of their gradients, in place (see csrc/pynn.h for the
    formula)."""
    hyper = validate.adam(_step_arrays(arrays), step_size, beta1, beta2, eps, v_scale,
                          weight_decay)
    _adam_step_unchecked(arrays, grads, *hyper)


def sgd_step(arrays, grads, *, lr, momentum=0.0, dampening=0.0, weight_decay=0.0,
             nesterov=False, first=False):
    """One SGD update, in one C call, of every param of `arrays` (a StepArrays with the state
    buf, needed for momentum) from grads, the list of their gradients, in place, as PyTorch's
    SGD does it."""
    hyper = validate.sgd(_step_arrays(arrays), lr, momentum, dampening, weight_decay, nesterov,
                         first)
    _sgd_step_unchecked(arrays, grads, *hyper)


def _adam_step_unchecked(arrays, grads, step_size, beta1, beta2, eps, v_scale, weight_decay):
    """adam_step() with its hyperparameters unchecked (the optimizers checked them when they
    were set): `arrays` must be a StepArrays with states m and v. The gradients are checked."""
    pointers, buffers = arrays.grad_pointers(grads)  # buffers: valid until the call returns
    ptr = arrays.pointers
    arrays.kernels.adam_multi(ptr["params"], pointers, ptr["m"], ptr["v"], arrays.sizes,
                              len(arrays.params), step_size, beta1, beta2, eps, v_scale,
                              weight_decay)


def _sgd_step_unchecked(arrays, grads, lr, momentum, dampening, weight_decay, nesterov, first):
    """sgd_step() with its hyperparameters unchecked: `arrays` must be a StepArrays, with
    state buf when momentum is not 0. The gradients are checked."""
    pointers, buffers = arrays.grad_pointers(grads)  # buffers: valid until the call returns
    buf = arrays.pointers.get("buf", _NULL)
    arrays.kernels.sgd_multi(arrays.pointers["params"], pointers, buf, arrays.sizes,
                             len(arrays.params), lr, momentum, dampening, weight_decay, nesterov,
                             first)
