"""Argument checks shared by pynn.kernels and pynn.reference.

Every kernel entry point runs its arguments through here first, so the C code only ever sees
C-contiguous float32/float64 arrays of the shapes it was promised, and both backends refuse bad
input with the same TypeError or ValueError.
"""
import numpy as np

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))
ACTIVATIONS = (None, "relu", "sigmoid")


def _describe(x):
    return f"{type(x).__name__} of dtype {x.dtype}" if hasattr(x, "dtype") else type(x).__name__


def as_array(x, name):
    """x as an ndarray of a real numeric dtype, refusing strings, objects and complex numbers."""
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:
        raise TypeError(f"{name}: expected a real numeric array, got {_describe(x)} ({exc})") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name}: expected a real numeric array (float32 or float64), "
                        f"got {_describe(x)}")
    return arr


def float_dtype(*arrays):
    """The float dtype an operation on these arrays runs in: NumPy's promotion, where integers
    and booleans go to float64 and float16 to float32 (byte-swapped floats count as native)."""
    dt = np.dtype(np.result_type(*arrays).newbyteorder("=").type)  # .type: the canonical one
    if dt in FLOAT_DTYPES:
        return dt
    return np.dtype(np.float32) if dt == np.float16 else np.dtype(np.float64)


def contiguous(arr, dtype):
    """arr as an aligned C-contiguous array of dtype, copied only when it is not one already
    (and, unlike np.ascontiguousarray, a 0-d array stays 0-d). Aligned: C reads it as float[] or
    double[], and a misaligned one (np.frombuffer at an odd offset) is undefined behaviour."""
    if type(arr) is np.ndarray and arr.dtype is dtype:  # the usual case, at a fraction of the cost
        flags = arr.flags
        if flags.c_contiguous and flags.aligned:
            return arr
    arr = np.asarray(arr, dtype=dtype, order="C")
    return arr if arr.flags.aligned else arr.copy()


def is_plain(*arrays):
    """True when C can take these arrays as they are, at a glance: ndarrays, all float32 or all
    float64, C-contiguous, aligned and writeable (flags.carray: a read-only array is not plain,
    and takes the full checks, which accept it as it is). A dtype is compared by identity: a
    non-native byte order or metadata makes another dtype object, and is not plain."""
    dtype = arrays[0].dtype if type(arrays[0]) is np.ndarray else None
    if dtype is not FLOAT_DTYPES[0] and dtype is not FLOAT_DTYPES[1]:
        return False
    for arr in arrays:
        if type(arr) is not np.ndarray or arr.dtype is not dtype or not arr.flags.carray:
            return False
    return True


def inputs(names, *values):
    """Convert the inputs of one operation to a common float dtype, C-contiguous."""
    arrays = [as_array(v, n) for n, v in zip(names, values)]
    dt = float_dtype(*arrays)
    return [contiguous(a, dt) for a in arrays]


def output(out, shape, dtype, name="out"):
    """A fresh output array, or the caller's `out` once it is checked to fit exactly."""
    if out is None:
        return np.empty(shape, dtype)
    if not isinstance(out, np.ndarray):
        raise TypeError(f"{name}: expected a numpy.ndarray, got {type(out).__name__}")
    if out.dtype != dtype:
        raise TypeError(f"{name}: expected dtype {dtype}, got {out.dtype}")
    if out.shape != tuple(shape):
        raise ValueError(f"{name}: expected shape {tuple(shape)}, got {out.shape}")
    if not out.flags.c_contiguous:
        raise ValueError(f"{name}: expected a C-contiguous array (written in place), "
                         "got a non-contiguous view")
    if not out.flags.writeable:
        raise ValueError(f"{name}: expected a writeable array, got a read-only one")
    if not out.flags.aligned:
        raise ValueError(f"{name}: expected an array aligned to its {out.itemsize}-byte items "
                         "(written in place), got a misaligned one")
    return out


def apart(arrays, out, same_ok=False):
    """The inputs, each copied when it shares memory with `out`: the kernel writing `out` would
    otherwise overwrite values it has yet to read (NumPy makes the same copy). An elementwise
    kernel reads element i before it writes element i, so with same_ok an input that is exactly
    `out` is left alone: that is the in-place case, e.g. relu(x, out=x)."""
    def same(a):
        return (a.__array_interface__["data"][0] == out.__array_interface__["data"][0]
                and a.shape == out.shape)
    return [a.copy() if np.may_share_memory(a, out) and not (same_ok and same(a)) else a
            for a in arrays]


def state(arr, like, name):
    """An optimizer state array updated in place: exactly `like`'s shape and dtype, C-contiguous
    and writeable (a converted copy would silently drop the update)."""
    if arr is None:
        raise TypeError(f"{name}: expected a numpy.ndarray to update in place, got None")
    return output(arr, like.shape, like.dtype, name)


def matrix(arr, name):
    if arr.ndim != 2:
        raise ValueError(f"{name}: expected a 2-D array, got {arr.ndim}-D with shape {arr.shape}")
    return arr


def flag(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: expected True or False, got {value!r}")
    return bool(value)


def number(value, name):
    """A real Python or NumPy scalar as a float."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}: expected a real number, got {type(value).__name__} {value!r}")
    return float(value)


def nonnegative(value, name):
    """A hyperparameter that must be >= 0 (NaN is refused too), as PyTorch's optimizers check."""
    value = number(value, name)
    if not value >= 0.0:
        raise ValueError(f"{name}: expected a value >= 0, got {value}")
    return value


def positive_int(value, name):
    """A count or a size: a positive Python or NumPy integer (not a bool), as an int."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name}: expected a positive integer, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name}: expected a positive integer, got {value}")
    return int(value)


MAX_THREADS = 2**31 - 1  # the matmul kernel takes the count as a C int


def num_threads(n, name="set_num_threads"):
    """A thread count: a positive integer that fits the kernels' C int."""
    n = positive_int(n, name)
    if n > MAX_THREADS:
        raise ValueError(f"{name}: expected a thread count of at most {MAX_THREADS}, got {n}")
    return n


def matmul(a, b, trans_a, trans_b, out, accumulate):
    """Checked arguments of matmul: (a, b, out, m, n, k, trans_a, trans_b, accumulate)."""
    a, b = inputs(("a", "b"), a, b)
    matrix(a, "a")
    matrix(b, "b")
    trans_a, trans_b = flag(trans_a, "trans_a"), flag(trans_b, "trans_b")
    accumulate = flag(accumulate, "accumulate")
    m, k = a.shape[::-1] if trans_a else a.shape
    k2, n = b.shape[::-1] if trans_b else b.shape
    if k != k2:
        raise ValueError(f"matmul: shapes {a.shape}{'.T' if trans_a else ''} and "
                         f"{b.shape}{'.T' if trans_b else ''} do not fit: inner sizes {k} != {k2}")
    if accumulate and out is None:
        raise ValueError("matmul: accumulate=True needs an `out` array to add to")
    out = output(out, (m, n), a.dtype)
    a, b = apart((a, b), out)
    return a, b, out, m, n, k, trans_a, trans_b, accumulate


def _layer_sizes(name, x, w, trans_w):
    """(trans_w, m, n, k) of a layer computing x (m x k) @ op(w) (k x n), once both fit."""
    matrix(x, "x")
    matrix(w, "w")
    trans_w = flag(trans_w, "trans_w")
    m, k = x.shape
    k2, n = w.shape[::-1] if trans_w else w.shape
    if k != k2:
        raise ValueError(f"{name}: x of shape {x.shape} does not fit w of shape {w.shape}"
                         f"{' (transposed)' if trans_w else ''}: {k} != {k2}")
    return trans_w, m, n, k


def linear(x, w, bias, activation, trans_w, out):
    """Checked arguments of linear: (x, w, bias, out, m, n, k, trans_w, activation)."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"linear: activation must be one of {ACTIVATIONS}, got {activation!r}")
    values = (x, w) if bias is None else (x, w, bias)
    arrays = inputs(("x", "w", "bias")[: len(values)], *values)
    x, w = arrays[0], arrays[1]
    trans_w, m, n, k = _layer_sizes("linear", x, w, trans_w)
    bias = arrays[2] if bias is not None else None
    if bias is not None and bias.shape != (n,):
        raise ValueError(f"linear: bias must have shape ({n},), got {bias.shape}")
    out = output(out, (m, n), x.dtype)
    x, w = apart((x, w), out)
    if bias is not None:
        (bias,) = apart((bias,), out)
    return x, w, bias, out, m, n, k, trans_w, activation


def linear_backward(x, w, y, grad, activation, trans_w, with_dx, with_dw, with_db):
    """Checked arguments of linear_backward: (x, w, y, grad, m, n, k, trans_w, activation,
    with_dx, with_dw, with_db)."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"linear_backward: activation must be one of {ACTIVATIONS}, "
                         f"got {activation!r}")
    x, w, y, grad = inputs(("x", "w", "y", "grad"), x, w, y, grad)
    trans_w, m, n, k = _layer_sizes("linear_backward", x, w, trans_w)
    for arr, name in ((y, "y"), (grad, "grad")):
        if arr.shape != (m, n):
            raise ValueError(f"linear_backward: {name} must have shape ({m}, {n}), the output's "
                             f"for x of shape {x.shape} and w of shape {w.shape}, got {arr.shape}")
    return (x, w, y, grad, m, n, k, trans_w, activation, flag(with_dx, "with_dx"),
            flag(with_dw, "with_dw"), flag(with_db, "with_db"))


def unary(x, out, name="x"):
    (x,) = inputs((name,), x)
    out = output(out, x.shape, x.dtype)
    (x,) = apart((x,), out, same_ok=True)
    return x, out


def binary(x, grad, out, names):
    """Two same-shape inputs of one dtype, and the output."""
    x, grad = inputs(names, x, grad)
    if x.shape != grad.shape:
        raise ValueError(f"{names[0]} and {names[1]} must have the same shape, "
                         f"got {x.shape} and {grad.shape}")
    out = output(out, x.shape, x.dtype)
    x, grad = apart((x, grad), out, same_ok=True)
    return x, grad, out


def sum_rows(x, out, accumulate):
    (x,) = inputs(("x",), x)
    matrix(x, "x")
    accumulate = flag(accumulate, "accumulate")
    if accumulate and out is None:
        raise ValueError("sum_rows: accumulate=True needs an `out` array to add to")
    out = output(out, (x.shape[1],), x.dtype)
    (x,) = apart((x,), out)
    return x, out, accumulate


def bce_with_logits(logits, target):
    logits, target = inputs(("logits", "target"), logits, target)
    if logits.shape != target.shape:
        raise ValueError(f"bce_with_logits: logits of shape {logits.shape} and target of shape "
                         f"{target.shape} must have the same shape")
    return logits, target


# ---- bound calls: checked once, then run many times on the same arrays -----------------------

def _as_given(given, checked, names):
    """Refuse arrays that checking would convert or copy: a bound call reads and writes the
    caller's arrays themselves, from call to call, so a converted copy would cut it off."""
    for g, c, name in zip(given, checked, names):
        if c is not g:
            raise ValueError(f"{name}: a bound call works on the given arrays in place, so each "
                             "must be a C-contiguous, aligned float32 or float64 ndarray of the "
                             f"others' dtype, apart from the outputs; got {_describe(g)} that "
                             "would have to be converted or copied")


def _outputs_apart(outputs, inputs):
    """Each (output, name) shares no memory with the inputs nor with the other outputs."""
    arrays = [out for out, _ in outputs]
    for i, (out, name) in enumerate(outputs):
        if any(np.may_share_memory(out, other) for other in inputs + arrays[:i] + arrays[i + 1:]):
            raise ValueError(f"{name}: expected an output array apart from the call's other "
                             "arrays, got one that shares memory with them")


def bind_linear(x, w, bias, out, activation, trans_w):
    """Checked arguments of a bound linear: those of linear, `out` required, none converted."""
    if out is None:
        raise TypeError("out: a bound call needs its output array, got None")
    checked = linear(x, w, bias, activation, trans_w, out)
    given = (x, w) if bias is None else (x, w, bias)
    _as_given(given, checked[:len(given)], ("x", "w", "bias"))
    return checked


def bind_linear_backward(x, w, y, grad, dx, dw, db, activation, trans_w):
    """Checked arguments of a bound linear_backward (as linear_backward's, with_* being whether
    dx, dw, db are given): none converted, each output of its gradient's shape, apart from the
    inputs and each other."""
    checked = linear_backward(x, w, y, grad, activation, trans_w, dx is not None,
                              dw is not None, db is not None)
    _as_given((x, w, y, grad), checked[:4], ("x", "w", "y", "grad"))
    m, n, k, dtype = checked[4], checked[5], checked[6], checked[0].dtype
    outputs = [(output(arr, shape, dtype, name), name)
               for arr, shape, name in ((dx, (m, k), "dx"), (dw, w.shape, "dw"), (db, (n,), "db"))
               if arr is not None]
    _outputs_apart(outputs, [x, w, y, grad])
    return checked


def bind_bce_with_logits(logits, target, grad):
    """Checked arguments of a bound bce_with_logits: none converted, grad of the logits' shape
    and apart from them."""
    checked = bce_with_logits(logits, target)
    _as_given((logits, target), checked, ("logits", "target"))
    output(grad, logits.shape, logits.dtype, "grad")
    _outputs_apart([(grad, "grad")], [logits, target])
    return checked


def updated(param, states=()):
    """A parameter and its optimizer states ((array, name) pairs), all updated in place: float
    arrays of the parameter's shape and dtype, C-contiguous, aligned and writeable, no two
    sharing memory. Returns [param, *state arrays]."""
    if not isinstance(param, np.ndarray) or param.dtype not in FLOAT_DTYPES:
        raise TypeError(f"param: expected a float32 or float64 numpy.ndarray, "
                        f"got {_describe(param)}")
    named = [(state(param, param, "param"), "param")]
    named += [(state(arr, param, name), name) for arr, name in states]
    for i, (a, a_name) in enumerate(named):
        for b, b_name in named[i + 1:]:
            if np.may_share_memory(a, b):
                raise ValueError(f"{a_name} and {b_name}: expected separate arrays, got two that "
                                 "share memory")
    return [arr for arr, _ in named]


def param_and_grad(param, grad):
    """A parameter updated in place and its gradient, converted to the parameter's dtype."""
    (param,) = updated(param)
    grad = contiguous(as_array(grad, "grad"), param.dtype)
    if grad.shape != param.shape:
        raise ValueError(f"grad of shape {grad.shape} does not match param of shape {param.shape}")
    return param, grad


class StepArrays:
    """The arrays an optimizer step updates in place: `params` and, by name, the state arrays
    that go with them (m and v for Adam, buf for SGD with momentum), one list each, the i-th
    array of a state going with params[i]. Checked once, as the kernels need them: each param
    and its states writeable float arrays of its shape, separate, and all of one dtype (one C
    call updates them all). An update is in place, so they stay valid from step to step."""

    def __init__(self, params, **states):
        self.params = _array_list(params, "params")
        self.states = {name: _array_list(arrays, name) for name, arrays in states.items()}
        for name, arrays in self.states.items():
            if len(arrays) != len(self.params):
                raise ValueError(f"{name}: expected {len(self.params)} arrays, one per param, "
                                 f"got {len(arrays)}")
        for i, param in enumerate(self.params):
            updated(param, [(arrays[i], name) for name, arrays in self.states.items()])
            if param.dtype != self.params[0].dtype:
                raise TypeError(f"param: expected arrays of one dtype (one call updates them "
                                f"all), got {self.params[0].dtype} and {param.dtype}")

    def grads(self, grads):
        """The gradients checked against the params: each converted to its param's dtype, and
        copied if it shares memory with its param or states (which are written in place)."""
        grads = _array_list(grads, "grads")
        if len(grads) != len(self.params):
            raise ValueError(f"grads: expected {len(self.params)} arrays, one per param, got "
                             f"{len(grads)}")
        return [self.grad(i, g) for i, g in enumerate(grads)]

    def grad(self, i, grad):
        """The gradient of params[i], checked as grads() checks it."""
        param, grad = param_and_grad(self.params[i], grad)
        written = [param] + [arrays[i] for arrays in self.states.values()]
        return grad.copy() if any(np.may_share_memory(grad, a) for a in written) else grad


def step_arrays(arrays, names, optional=False):
    """Refuse anything but a StepArrays holding exactly the states `names` (or none, if
    optional)."""
    if not isinstance(arrays, StepArrays):
        raise TypeError(f"arrays: expected a StepArrays, got {type(arrays).__name__}")
    if sorted(arrays.states) != sorted(names) and not (optional and not arrays.states):
        wanted = ", ".join(f"{n}=..." for n in names)
        raise TypeError(f"arrays: expected StepArrays(params, {wanted}), got states "
                        f"{sorted(arrays.states)}")


def _array_list(arrays, name):
    if isinstance(arrays, np.ndarray) or not isinstance(arrays, (list, tuple)):
        raise TypeError(f"{name}: expected a list of arrays, got {type(arrays).__name__}")
    return list(arrays)


def adam(arrays, step_size, beta1, beta2, eps, v_scale, weight_decay):
    """Checked hyperparameters of an Adam step, as floats, over a StepArrays with m and v."""
    step_arrays(arrays, ("m", "v"))
    beta1, beta2 = number(beta1, "beta1"), number(beta2, "beta2")
    for value, name in ((beta1, "beta1"), (beta2, "beta2")):
        if not 0.0 <= value < 1.0:
            raise ValueError(f"{name}: expected a value in [0, 1), got {value}")
    return (nonnegative(step_size, "step_size"), beta1, beta2, nonnegative(eps, "eps"),
            nonnegative(v_scale, "v_scale"), nonnegative(weight_decay, "weight_decay"))


def sgd(arrays, lr, momentum, dampening, weight_decay, nesterov, first):
    """Checked hyperparameters of an SGD step over a StepArrays (with buf, or with no state
    when momentum is 0)."""
    step_arrays(arrays, ("buf",), optional=True)
    lr, momentum = nonnegative(lr, "lr"), nonnegative(momentum, "momentum")
    dampening = number(dampening, "dampening")
    weight_decay = nonnegative(weight_decay, "weight_decay")
    nesterov, first = flag(nesterov, "nesterov"), flag(first, "first")
    if nesterov and (momentum == 0.0 or dampening != 0.0):
        raise ValueError(f"nesterov=True: expected momentum > 0 and dampening 0, got momentum "
                         f"{momentum} and dampening {dampening}")
    if momentum != 0.0 and not arrays.states:
        raise TypeError(f"buf: expected momentum buffers (StepArrays(params, buf=...)) since "
                        f"momentum is {momentum}, got none")
    return lr, momentum, dampening, weight_decay, nesterov, first
