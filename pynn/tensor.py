"""Tensor: an n-dimensional array that remembers how it was made, so that gradients can flow back.

Every op returns a new Tensor whose `_parents` are its inputs and whose `_backward` maps the
gradient of the result to one gradient per parent. `backward()` walks that graph once, outputs
before inputs, and adds each gradient into the `.grad` of the leaves: the tensors the user made.
Only tensors that require grad are recorded, and nothing at all under `no_grad()`.

This file holds what makes a Tensor: its array, dtype rules, the graph, backward and in-place
updates. The math (arithmetic, reductions, shapes, comparisons...) lives in pynn.ops, each op's
forward and backward side by side, and is attached to Tensor as its methods.
"""
import functools
import math
import numbers
import sys
import threading
import warnings
import weakref

import numpy as np

from . import dtypes, printing, validate
from .validate import ShapeError


# Set by the first tf.GradientTape (pynn.gradient_tape): from then on a tensor that requires grad
# converts to NumPy (numpy(), np.array) as TensorFlow's tensors do, instead of raising as
# PyTorch's do. A PyTorch-style program never opens one.
TENSORFLOW_STYLE = [False]


class _GradMode(threading.local):
    """Whether ops record the graph. Per thread, so that one thread can evaluate a model under
    no_grad() while another trains."""
    enabled = True


_grad_mode = _GradMode()


def is_grad_enabled():
    """True unless the calling thread is inside no_grad() (or set_grad_enabled(False))."""
    return _grad_mode.enabled


class set_grad_enabled:
    """set_grad_enabled(mode): switch recording on or off for the calling thread, at once, and
    back to what it was at the end of a `with` block (or of a function it decorates)."""

    def __init__(self, mode):
        self._previous = _grad_mode.enabled
        _grad_mode.enabled = validate.flag(mode, "set_grad_enabled: mode")

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        _grad_mode.enabled = self._previous

    def __call__(self, fn):
        mode = _grad_mode.enabled
        _grad_mode.enabled = self._previous  # a decorator: the mode is for the calls only

        @functools.wraps(fn)
        def wrapped(*args, **kwargs):
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)
        return wrapped


class no_grad(set_grad_enabled):
    """Context manager (or decorator, @no_grad() or @no_grad) inside which ops record nothing:
    their results do not require grad, so evaluation costs no graph. Affects the calling thread
    only."""

    def __new__(cls, orig_func=None):
        if orig_func is None:
            return super().__new__(cls)
        if not callable(orig_func):
            raise TypeError(f"{cls.__name__}() takes no argument but a function to decorate, "
                            f"got {orig_func!r}")
        return cls()(orig_func)  # used bare: @no_grad

    def __init__(self, orig_func=None):
        self._mode = False

    def __enter__(self):
        self._previous = _grad_mode.enabled
        _grad_mode.enabled = self._mode
        return self

    def __call__(self, fn):
        mode = self._mode

        @functools.wraps(fn)
        def wrapped(*args, **kwargs):
            previous = _grad_mode.enabled
            _grad_mode.enabled = mode
            try:
                return fn(*args, **kwargs)
            finally:
                _grad_mode.enabled = previous
        return wrapped


class enable_grad(no_grad):
    """Record the graph again inside a no_grad() block."""

    def __init__(self, orig_func=None):
        self._mode = True


class inference_mode(no_grad):
    """no_grad, as PyTorch's inference_mode is for a script (mode=False: recording as usual)."""

    def __new__(cls, mode=True):
        if callable(mode):
            return super().__new__(cls, mode)
        return super().__new__(cls)

    def __init__(self, mode=True):
        self._mode = not validate.flag(mode, "inference_mode: mode")


class _Version:
    """How many times a tensor's memory was changed in place: shared by a tensor and its views,
    so that backward notices a value it saved being overwritten. Its value starts as the
    class's 0 (no __init__: one is made for every tensor)."""
    value = 0


class Size(tuple):
    """A tensor's shape: a tuple of ints, as torch.Size."""

    def numel(self):
        return math.prod(self)

    def __repr__(self):
        return f"pynn.Size({list(self)})"


class Tensor:
    """An n-dimensional array of float32, float64, integers or bools, with reverse-mode automatic
    differentiation for the floating-point ones.

    Tensor(data) (or Tensor(*sizes), zeros) makes a tensor of the default float dtype, float32,
    as torch.Tensor does; pynn.tensor(data) infers the dtype as torch.tensor does (Python ints
    give int64, floats float32, NumPy arrays keep theirs). `.grad` is filled by backward() on
    leaves (the tensors made by the user); `.data` is the same memory outside the graph.
    """

    __slots__ = ("_data", "_requires_grad", "_grad", "_parents", "_backward", "_version",
                 "_checks", "_base", "_retains", "__weakref__")
    __array_priority__ = 1000

    def __init__(self, *data, dtype=None, requires_grad=False, device=None):
        check_device(device)
        dtype = dtypes.get_default_dtype() if dtype is None else dtypes.as_dtype(dtype)
        if len(data) == 1 and not _is_size(data[0]):
            array = _as_array(data[0], dtype)
        else:  # Tensor(2, 3) or Tensor((2, 3)): sizes (torch leaves them uninitialised)
            sizes = data[0] if len(data) == 1 else data
            array = np.zeros(validate.shape(sizes, "Tensor"), dtype)
        init_leaf(self, array, requires_grad)

    # ---- making tensors -----------------------------------------------------------------------

    @staticmethod
    def _make(array, requires_grad=False):
        """A new leaf holding `array` as it is (the engine's own arrays: no checks)."""
        out = Tensor.__new__(Tensor)
        out._data, out._requires_grad, out._grad = array, requires_grad, None
        out._parents, out._backward, out._version = (), None, _Version()
        out._checks, out._base, out._retains = (), None, False
        return out

    @staticmethod
    def from_op(data, parents, backward, saved=None, saves_output=False, view_of=None):
        """The result of a differentiable op: `data` its value (an ndarray), `parents` the
        Tensors it was computed from, and backward(grad) -> one gradient per parent (None where
        a parent needs none). The graph is recorded only if some parent requires grad.

        saved: the tensors whose values backward reads (all parents if None); saves_output:
        backward reads `data` too. Their versions are checked when backward runs, so a value
        changed in place in between raises instead of giving a wrong gradient. view_of: the
        tensor whose memory `data` is a view of (it shares that tensor's version counter)."""
        out = Tensor.__new__(Tensor)
        out._data = data if type(data) is np.ndarray else np.asarray(data)
        out._grad, out._base, out._retains = None, view_of, False
        out._version = _Version() if view_of is None else view_of._version
        out._requires_grad, out._parents, out._backward, out._checks = False, (), None, ()
        if _grad_mode.enabled:
            for p in parents:
                if p._requires_grad:
                    out._requires_grad, out._parents, out._backward = True, parents, backward
                    checks = [(t._version, t._version.value)
                              for t in (parents if saved is None else saved)]
                    if saves_output:
                        checks.append((out._version, out._version.value))
                    out._checks = checks
                    break
        return out

    # ---- what it holds ------------------------------------------------------------------------

    @property
    def shape(self):
        return Size(self._data.shape)

    def size(self, dim=None):
        """The shape, or the size of one dimension: x.size(0)."""
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[validate.axis(dim, self._data.ndim)]

    @property
    def dtype(self):
        return self._data.dtype

    @property
    def ndim(self):
        return self._data.ndim

    def dim(self):
        return self._data.ndim

    def numel(self):
        return self._data.size

    nelement = numel

    def element_size(self):
        return self._data.itemsize

    @property
    def itemsize(self):
        return self._data.itemsize

    @property
    def nbytes(self):
        return self._data.nbytes

    @property
    def retains_grad(self):
        """Whether backward() keeps this non-leaf tensor's gradient (retain_grad() was
        called)."""
        return self._retains

    def is_floating_point(self):
        return self._data.dtype.kind == "f"

    @property
    def device(self):
        return CPU

    is_cuda = False
    is_cpu = True
    is_mps = False

    @property
    def is_leaf(self):
        return self._backward is None

    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad=True):
        """Set whether autograd records ops on this leaf; returns self."""
        value = validate.flag(requires_grad, "requires_grad")
        if self._backward is not None:
            if value:
                return self
            raise RuntimeError("you can only change requires_grad flags of leaf variables. If "
                               "you want to use a computed variable in a subgraph that doesn't "
                               "require differentiation use var_no_grad = var.detach().")
        if value and self._data.dtype.kind != "f":
            raise RuntimeError(f"only Tensors of floating point dtype can require gradients, "
                               f"this one is {self._data.dtype}")
        self._requires_grad = value
        return self

    @property
    def grad_fn(self):
        """The op that made this tensor (None for a leaf): a name, as PyTorch's grad_fn."""
        return None if self._backward is None else _GradFn(self._backward, self)

    @property
    def data(self):
        """The same memory as a new tensor outside the graph: changing it in place changes this
        tensor without autograd knowing (w.data -= lr * w.grad.data)."""
        return Tensor._make(self._data)

    @data.setter
    def data(self, value):
        if not isinstance(value, Tensor):
            raise TypeError(f"data: expected a Tensor, got {type(value).__name__}")
        self._data = value._data

    @property
    def grad(self):
        """The gradient backward() added up for this leaf (a Tensor), or None."""
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got "
                                f"{type(value).__name__}")
            if value._data.shape != self._data.shape:
                raise ShapeError(f"assigned grad has data of a different size: "
                                   f"{tuple(value.shape)} for a tensor of {tuple(self.shape)}")
            if value._data.dtype != self._data.dtype:
                raise RuntimeError(f"assigned grad has data of a different type: "
                                   f"{value._data.dtype} for a tensor of {self._data.dtype}")
        self._grad = value

    def register_hook(self, hook):
        """hook(grad) runs on this tensor's gradient whenever one is computed for it; a tensor it
        returns replaces the gradient. Returns a handle whose remove() takes the hook away."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require "
                               "gradient")
        if not callable(hook):
            raise TypeError(f"register_hook: expected a callable, got {type(hook).__name__}")
        entry = _HOOKS.get(id(self))
        if entry is None or entry[0]() is not self:
            entry = _HOOKS[id(self)] = (weakref.ref(self, _forget_hooks(id(self))), {})
        return _HookHandle(entry[1], hook)

    def retain_grad(self):
        """Keep this non-leaf tensor's gradient in .grad when backward() runs."""
        if self._backward is not None:
            self._retains = True

    @property
    def _version_count(self):
        return self._version.value

    # ---- out of the graph ---------------------------------------------------------------------

    def numpy(self, force=False):
        """The values as a NumPy array sharing this tensor's memory. A tensor that requires
        grad refuses, as in PyTorch, unless the program is TensorFlow-style (it opened a
        tf.GradientTape), where every tensor converts, as TensorFlow's do."""
        if self._requires_grad and not force and not TENSORFLOW_STYLE[0]:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                               "tensor.detach().numpy() instead.")
        return self._data

    def __array__(self, dtype=None, copy=None):
        if self._requires_grad and not TENSORFLOW_STYLE[0]:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                               "tensor.detach().numpy() instead.")
        if copy is False and dtype is not None and np.dtype(dtype) != self._data.dtype:
            raise ValueError("a copy is needed to convert to another dtype")
        return np.array(self._data, dtype=dtype, copy=True if copy else None)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        """NumPy's arithmetic with a Tensor among its operands (`array + tensor`) is the
        Tensor's, so the graph is kept; any other ufunc (np.exp, np.isfinite) works on the
        values, as on an array."""
        name = _UFUNC_METHODS.get(ufunc)
        if method == "__call__" and name and not kwargs and len(inputs) == 2:
            a, b = inputs
            return getattr(a, name)(b) if isinstance(a, Tensor) else \
                getattr(b, _REFLECTED.get(name, name))(a)
        arrays = [x.__array__() if isinstance(x, Tensor) else x for x in inputs]
        return getattr(ufunc, method)(*arrays, **kwargs)

    def detach(self):
        """This tensor's memory as a new leaf outside the graph (sharing its version count)."""
        out = Tensor._make(self._data)
        out._version = self._version
        return out

    def detach_(self):
        self._parents, self._backward, self._checks = (), None, ()
        self._requires_grad = False
        return self

    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted "
                               "to Scalar")
        return self._data.item()

    def tolist(self):
        return self._data.tolist()

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self._data)

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self._data)))

    def __contains__(self, element):
        """`value in x`: whether any element equals value (a number or a tensor), as torch."""
        if isinstance(element, Tensor):
            element = element._data
        elif not isinstance(element, (numbers.Number, np.generic)):
            raise RuntimeError("Tensor.__contains__ only supports Tensor or scalar, but you "
                               f"passed in a {type(element)}.")
        return bool(np.any(self._data == element))

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with {self._data.size} values is "
                               "ambiguous")
        return bool(self._data)

    def __float__(self):
        _warn_if_graph(self)
        return float(self.item())

    def __int__(self):
        _warn_if_graph(self)
        return int(self.item())

    def __index__(self):
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        return int(self._data.item())

    def __format__(self, spec):
        if self._data.ndim == 0 or (spec and self._data.size == 1):
            return format(self._data.item(), spec)
        if spec:  # as PyTorch: a format spec is for a number, not for a tensor of them
            raise TypeError("unsupported format string passed to Tensor.__format__")
        return repr(self)

    __hash__ = object.__hash__  # by identity, as in PyTorch (== is elementwise)

    def __repr__(self):
        return printing.format_tensor(self, self.grad_fn)

    def __copy__(self):
        """A new leaf sharing this tensor's memory, as copy.copy of a PyTorch tensor (what
        matplotlib does to the data it plots)."""
        out = type(self).__new__(type(self))
        init_leaf(out, self._data, self._requires_grad and self._data.dtype.kind == "f")
        out._version = self._version
        return out

    def __deepcopy__(self, memo):
        if self._backward is not None:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) "
                               "support the deepcopy protocol at the moment")
        out = type(self).__new__(type(self))
        init_leaf(out, self._data.copy(), self._requires_grad)
        if self._grad is not None:
            out._grad = Tensor._make(self._grad._data.copy())
        memo[id(self)] = out
        return out

    def __reduce__(self):
        raise TypeError("pynn tensors are not pickled (a file of pickles can run code when it "
                        "is loaded); save arrays with pynn.save")

    # ---- reverse mode -------------------------------------------------------------------------

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Add d(self)/d(leaf) into the .grad of every leaf that requires grad.

        `gradient` (the gradient of some scalar with respect to self) may be left out only when
        self has one element. The graph's saved values are freed as it is walked, as in PyTorch:
        a second backward() over it raises RuntimeError, unless the first passed
        retain_graph=True, in which case it runs again and the gradients add up.
        """
        if inputs is not None:
            raise NotImplementedError("backward(inputs=...): use pynn.autograd.grad")
        if create_graph:  # .grad becomes a tensor in a graph of its own (pynn/higher_order.py)
            for leaf, g in _GRAPH_PROPAGATION[0](self, gradient).items():
                leaf._grad = g if leaf._grad is None else leaf._grad + g
            return
        grads = propagate(self, gradient, bool(retain_graph))
        while grads:  # popped, so that a gradient nothing else holds can become the leaf's own
            leaf, g = grads.popitem()
            accumulate_grad(leaf, g)


_WARNED = set()
_GRAPH_PROPAGATION = []  # higher_order.propagate_graph, which registers itself (no import cycle)


def _warn_if_graph(t):
    """PyTorch's warning, word for word and once a process as PyTorch's, on float(t) or int(t)
    of a tensor in the graph (not in a TensorFlow-style program, where float(loss) is usual)."""
    if t._requires_grad and "scalar" not in _WARNED and not TENSORFLOW_STYLE[0]:
        _WARNED.add("scalar")
        warnings.warn("Converting a tensor with requires_grad=True to a scalar may lead to "
                      "unexpected behavior.\nConsider using tensor.detach() first.",
                      UserWarning, stacklevel=3)


# NumPy's ufuncs that are Tensor arithmetic: the method for the Tensor on the left, and (by
# _REFLECTED) the one for a Tensor on the right
_UFUNC_METHODS = {np.add: "__add__", np.subtract: "__sub__", np.multiply: "__mul__",
                  np.true_divide: "__truediv__", np.floor_divide: "__floordiv__",
                  np.remainder: "__mod__", np.power: "__pow__", np.matmul: "__matmul__",
                  np.equal: "__eq__", np.not_equal: "__ne__", np.less: "__lt__",
                  np.less_equal: "__le__", np.greater: "__gt__", np.greater_equal: "__ge__"}
_REFLECTED = {"__add__": "__radd__", "__sub__": "__rsub__", "__mul__": "__rmul__",
              "__truediv__": "__rtruediv__", "__floordiv__": "__rfloordiv__",
              "__mod__": "__rmod__", "__pow__": "__rpow__", "__matmul__": "__rmatmul__",
              "__lt__": "__gt__", "__le__": "__ge__", "__gt__": "__lt__", "__ge__": "__le__"}


def accumulate_grad(leaf, g):
    """Add g (an array, the leaf's own when nothing else holds it) into leaf.grad."""
    if leaf._grad is not None:
        leaf._grad._data += g
    # Kept as it is when nothing else refers to it (3 references: g, the caller's variable and
    # getrefcount's argument; what PyTorch checks before it takes a gradient over without a
    # copy) and it is a writeable C-contiguous array that owns its memory.
    elif (g.dtype is leaf._data.dtype and _getrefcount(g) <= 3
          and (flags := g.flags).owndata and flags.carray):
        leaf._grad = Tensor._make(g)
    else:  # shared with another leaf, kept by the graph, a view or read-only: a copy
        leaf._grad = Tensor._make(np.array(g, dtype=leaf._data.dtype, order="C"))


def propagate(root, gradient, retain_graph, keep=()):
    """{leaf: its gradient}: root's gradient carried back through the graph to every leaf that
    requires grad (and to the nodes in `keep`, whose gradients are included too). Each node's
    saved values are freed as it is passed, unless retain_graph.
    Every gradient a backward returns is checked against its parent (an array of its shape, or
    one that sums to it), as PyTorch checks them, before anything reaches a kernel."""
    if not root._requires_grad:
        raise RuntimeError("element 0 of tensors does not require grad and does not have a "
                           "grad_fn (no tensor it was computed from has requires_grad=True, or "
                           "it was computed under no_grad())")
    gradient = _root_gradient(root, gradient)
    if root._backward is None:  # a leaf: its own gradient
        return {root: _hooked(root, gradient) if _HOOKS else gradient}
    grads = {root: gradient}  # the gradients of the nodes not yet passed, and of the leaves
    kept, hooks = {}, bool(_HOOKS)
    for node in _topological_order(root):
        g = grads.pop(node)
        if hooks:
            g = _hooked(node, g)
        if keep and node in keep:
            kept[node] = g
        for version, value in node._checks:
            if version.value != value:
                raise RuntimeError(
                    f"one of the variables needed for gradient computation has been modified "
                    f"by an inplace operation: {_GradFn(node._backward)} needs a value at "
                    f"version {value}, which is now at version {version.value}")
        if node._retains:
            accumulate_grad(node, g)
        parents, backward = node._parents, node._backward
        parent_grads = backward(g)
        if not retain_graph:  # drop the closure and its saved arrays, as PyTorch frees them
            node._parents = ()
            node._backward = _FREED.get(getattr(backward, "__qualname__", None)) or _freed(
                backward)
        if len(parent_grads) != len(parents):
            raise RuntimeError(f"function {_GradFn(backward)} returned {len(parent_grads)} "
                               f"gradients, expected {len(parents)} (one per input)")
        for i, parent in enumerate(parents):
            pg = parent_grads[i]
            if pg is None or not parent._requires_grad:
                continue
            data = parent._data
            if type(pg) is not np.ndarray or pg.shape != data.shape:
                pg = _fitted(pg, data.shape, backward, i)
            if pg.dtype is not data.dtype and pg.dtype != data.dtype:
                pg = pg.astype(data.dtype)  # mixed float32/float64 graphs
            have = grads.get(parent)
            grads[parent] = pg if have is None else have + pg
    if _HOOKS:
        for leaf in list(grads):
            grads[leaf] = _hooked(leaf, grads[leaf])
    grads.update(kept)
    return grads


# ---- gradient hooks (register_hook) ------------------------------------------------------------

_HOOKS = {}  # id(tensor) -> (weak reference to it, {handle id: hook}); empty: backward skips


def _forget_hooks(key):
    def forget(ref):
        entry = _HOOKS.get(key)
        if entry is not None and entry[0] is ref:
            del _HOOKS[key]
    return forget


class _HookHandle:
    """What register_hook returns: remove() takes the hook away."""
    _next = [0]

    def __init__(self, hooks, hook):
        self.hooks, self.id = hooks, _HookHandle._next[0]
        _HookHandle._next[0] += 1
        hooks[self.id] = hook

    def remove(self):
        self.hooks.pop(self.id, None)


def _hooked(t, g):
    """g after the hooks registered on t (each may return a replacement of g's shape)."""
    entry = _HOOKS.get(id(t))
    if entry is None or entry[0]() is not t:
        return g
    for hook in list(entry[1].values()):
        result = hook(Tensor._make(g))
        if result is not None:
            if not isinstance(result, Tensor) or result._data.shape != g.shape:
                raise RuntimeError(f"hook returned an invalid gradient: expected a Tensor of "
                                   f"shape {list(g.shape)}, got {result!r:.80}")
            g = result._data.astype(g.dtype, copy=False)
    return g


def _root_gradient(root, gradient):
    data = root._data
    if gradient is None:
        if data.size != 1:
            raise RuntimeError(f"grad can be implicitly created only for scalar outputs; this "
                               f"tensor has shape {tuple(data.shape)}: pass gradient= of that "
                               "shape")
        return _ones(data)
    gradient = validate.as_array(gradient._data if isinstance(gradient, Tensor) else gradient,
                                 "gradient")
    if gradient.shape != data.shape:
        raise ShapeError(f"backward: gradient of shape {tuple(gradient.shape)} does not match "
                           f"the tensor's shape {tuple(data.shape)}")
    return gradient.astype(data.dtype, copy=False)


def _fitted(pg, shape, backward, index):
    """A gradient a backward returned, as an array of its parent's shape: a Tensor's array, or
    one broadcast over the parent summed back to it; anything else raises, naming the op."""
    if isinstance(pg, Tensor):
        pg = pg._data
    elif isinstance(pg, np.generic):  # NumPy's arithmetic on 0-d arrays gives scalars
        pg = np.asarray(pg)
    if not isinstance(pg, np.ndarray) or pg.dtype.kind not in "biuf":
        raise TypeError(f"function {_GradFn(backward)} returned an invalid gradient at "
                        f"index {index}: expected an array, got {type(pg).__name__}")
    if pg.shape != shape:
        try:
            fits = np.broadcast_shapes(shape, pg.shape) == pg.shape
        except ValueError:
            fits = False
        if not fits:
            raise ShapeError(f"function {_GradFn(backward)} returned an invalid gradient "
                               f"at index {index} - got {list(pg.shape)} but expected shape "
                               f"compatible with {list(shape)}")
        pg = unbroadcast(pg, shape)
    return pg


_FREED = {}  # an op's qualified name -> the stand-in its freed nodes keep


def _freed(backward):
    """What a node keeps as its backward once its saved values are freed: a function that
    raises, named as the op was, so that grad_fn still prints as PyTorch's does after
    backward (print(loss) shows MseLossBackward0)."""
    name = getattr(backward, "__qualname__", "graph_freed")
    freed = _FREED.get(name)
    if freed is None:
        def freed(grad):
            _graph_freed(grad)
        freed.__qualname__ = name
        _FREED[name] = freed
    return freed


def _graph_freed(grad):
    raise RuntimeError(
        "Trying to backward through the graph a second time (or directly access saved tensors "
        "after they have already been freed). Saved intermediate values of the graph are freed "
        "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
        "backward through the graph a second time.")


def op_name(backward):
    """The name of the op whose backward this is, as PyTorch names a node: mul's closure
    gives MulBackward0. An op shown under another name (a dense layer is PyTorch's
    AddmmBackward0) sets backward.grad_fn_name; this is the name of the op itself."""
    qualname = getattr(backward, "__qualname__", type(backward).__name__)
    op = qualname.split(".<locals>")[0].split(".")[-1].strip("_")
    return "".join(part.capitalize() for part in op.split("_")) + "Backward0"


class _Name(str):
    """A grad_fn's name: a string (grad_fn.name == 'MulBackward0') that can also be called, as
    PyTorch's grad_fn.name() is."""

    def __call__(self):
        return str(self)


class _GradFn:
    """grad_fn: names the op that made a tensor, as PyTorch prints it (<AddBackward0>), and
    leads to the nodes before it (next_functions), as PyTorch's autograd demos walk them."""
    __slots__ = ("name", "_node")

    def __init__(self, backward, node=None):
        self.name = _Name(getattr(backward, "grad_fn_name", None) or op_name(backward))
        self._node = node

    def name_(self):
        return self.name

    @property
    def next_functions(self):
        """((grad_fn of each input, 0), ...): an op's node, AccumulateGrad for a leaf that
        requires grad, None for an input that does not (empty once backward freed the
        graph)."""
        nodes = []
        for parent in (self._node._parents if self._node is not None else ()):
            if parent._backward is not None and parent._requires_grad:
                nodes.append((_GradFn(parent._backward, parent), 0))
            elif parent._requires_grad:
                nodes.append((_AccumulateGrad(parent), 0))
            else:
                nodes.append((None, 0))
        return tuple(nodes)

    def __repr__(self):  # as PyTorch prints a grad_fn; a tensor's repr shows <name> only
        return f"<{self.name} object at {id(self):#x}>"


class _AccumulateGrad:
    """The node that adds a leaf's gradient into its .grad (grad_fn.next_functions shows it)."""
    __slots__ = ("variable",)
    name = _Name("torch::autograd::AccumulateGrad")  # what PyTorch's name() returns
    next_functions = ()

    def __init__(self, variable):
        self.variable = variable

    def __repr__(self):
        return f"<AccumulateGrad object at {id(self):#x}>"


# CPython's; elsewhere every gradient counts as shared, and is copied
_getrefcount = getattr(sys, "getrefcount", lambda g: 4)

_ONES = {}  # (shape, dtype) -> a read-only array of ones: the implied gradient of a scalar


def _ones(data):
    key = (data.shape, data.dtype)
    ones = _ONES.get(key)
    if ones is None:
        ones = np.ones(data.shape, data.dtype)
        ones.flags.writeable = False
        _ONES[key] = ones
    return ones


def _topological_order(root):
    """The tensors computed by an op that root (one of them) was computed from and that require
    grad: root first, and every one before the ones it was computed from. Iterative depth-first
    search (a node is placed once all it was computed from are): no recursion limit."""
    order, visited = [], {root}
    stack = [(root, iter(root._parents))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            # a leaf (no _backward) has nothing to walk
            if parent._backward is not None and parent._requires_grad \
                    and parent not in visited:
                visited.add(parent)
                stack.append((parent, iter(parent._parents)))
                break
        else:
            stack.pop()
            order.append(node)
    order.reverse()
    return order


def unbroadcast(grad, shape):
    """grad summed over the axes broadcasting added or stretched, so that it has `shape`."""
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    if lead:
        grad = grad.sum(axis=tuple(range(lead)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    return grad.sum(axis=stretched, keepdims=True) if stretched else grad


# ---- in-place updates ---------------------------------------------------------------------------

def inplace(x, op, *args):
    """x's values replaced by op(x, *args) in place, as PyTorch's x.op_(...): x keeps its
    identity and memory (every view of it sees the change) and its version count goes up.

    Under no_grad, or when nothing involved requires grad, the values are simply written. Else
    x becomes the op's result in the graph (its old self a parent of the op), as PyTorch
    rebases it; a leaf that requires grad cannot be changed so, nor a view of a graph tensor."""
    recording = _grad_mode.enabled and (x._requires_grad or any(
        isinstance(a, Tensor) and a._requires_grad for a in args))
    if not recording:
        with no_grad():
            value = op(x, *args)._data
        _write(x, value)
        return x
    if x._requires_grad and x._backward is None:
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                           "operation (wrap the update in `with pynn.no_grad():`, or change "
                           "w.data instead)")
    if x._base is not None and (x._base._requires_grad or x._requires_grad):
        raise RuntimeError("pynn does not support in-place operations on a view of a tensor "
                           "in the graph; use the out-of-place form (y = x.op(...))")
    old = Tensor.__new__(Tensor)  # x as it was: it takes over x's place in the graph
    for slot in Tensor.__slots__[:-1]:
        object.__setattr__(old, slot, getattr(x, slot))
    result = op(old, *args)
    _write(x, result._data)
    x._requires_grad, x._parents, x._backward = (result._requires_grad, result._parents,
                                                 result._backward)
    x._checks, x._retains = result._checks, False
    return x


def inplace_method(op):
    """The in-place method of an op: x.op_(*args) is inplace(x, op, *args)."""
    def method(self, *args, **kwargs):
        return inplace(self, lambda x, *a: op(x, *a, **kwargs), *args)
    method.__name__ = method.__qualname__ = f"{op.__name__}_"
    return method


def _write(x, value):
    """value written into x's memory in place: a float into an integer tensor is refused."""
    if dtypes.category(value.dtype) > dtypes.category(x._data.dtype):
        raise RuntimeError(f"result type {value.dtype} can't be cast to the desired output type "
                           f"{x._data.dtype} (an in-place op keeps the tensor's dtype)")
    if value.shape != x._data.shape:
        try:
            value = np.broadcast_to(value, x._data.shape)
        except ValueError:
            raise ShapeError(f"output with shape {list(x._data.shape)} doesn't match the "
                               f"broadcast shape {list(value.shape)}") from None
    if not x._data.flags.writeable:
        raise ValueError("this tensor's memory is read-only (e.g. from a read-only NumPy "
                         "array); clone() it first")
    x._data[...] = value
    x._version.value += 1


# ---- conversion of user data --------------------------------------------------------------------

def _is_size(value):
    return (isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))) \
        or (isinstance(value, Size))


def _as_array(data, dtype):
    """data as a fresh array of dtype (numbers, nested lists, arrays, Tensors)."""
    if isinstance(data, Tensor):
        data = data._data
    elif isinstance(data, (list, tuple)):
        data = _unwrap(data)
    arr = validate.as_array(data, "tensor")
    with np.errstate(over="ignore", invalid="ignore"):
        return np.array(arr, dtype=dtype, order="C")


def _unwrap(data):
    """Nested lists with Tensors inside (of one element each, as torch.tensor takes them) as
    nested lists of their values."""
    return [_unwrap(v) if isinstance(v, (list, tuple)) else
            (v._data if isinstance(v, Tensor) else v) for v in data]


def infer_dtype(data):
    """The dtype torch.tensor gives data: a NumPy array's or scalar's own, a Tensor's, else bool
    for Python bools, int64 for ints, the default float dtype when any value is a float."""
    if isinstance(data, Tensor):
        return data._data.dtype
    if not isinstance(data, (np.ndarray, np.generic, list, tuple)) and hasattr(data, "__array__"):
        data = np.asarray(data)  # a pandas Series or DataFrame: its array's dtype, as PyTorch
    if isinstance(data, (np.ndarray, np.generic)):
        return dtypes.as_dtype(data.dtype) if data.dtype.kind in "biuf" else data.dtype
    if isinstance(data, (list, tuple)):
        data = _unwrap(data)
    kind = validate.as_array(data, "tensor").dtype.kind
    if kind == "f":
        return _numpy_float_in(data) or dtypes.get_default_dtype()
    return dtypes.bool if kind == "b" else dtypes.int64


def _numpy_float_in(data):
    """The widest NumPy float scalar's dtype among the items of a nested list (as PyTorch takes
    torch.tensor([np.float64(1.0), 2.0]) as float64), or None if there is none."""
    widest, python_float, stack = None, False, [data]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, np.floating):
            if widest is None or item.dtype.itemsize > widest.itemsize:
                widest = dtypes.as_dtype(item.dtype)
        elif isinstance(item, float):
            python_float = True
    default = dtypes.get_default_dtype()
    if widest is not None and python_float and default.itemsize > widest.itemsize:
        return default  # a Python float counts as the default float dtype
    return widest


def tensor(data, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of data, its dtype inferred as torch.tensor infers it (or
    `dtype`): pynn.tensor([[0., 1.]]) is float32, pynn.tensor([0, 1]) int64."""
    check_device(device)
    if isinstance(data, Tensor):  # PyTorch's warning, word for word
        warnings.warn("To copy construct from a tensor, it is recommended to use "
                      "sourceTensor.detach().clone() or sourceTensor.detach().clone()"
                      ".requires_grad_(True), rather than torch.tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
    dtype = infer_dtype(data) if dtype is None else dtypes.as_dtype(dtype)
    out = Tensor._make(_as_array(data, dtype))
    return out.requires_grad_(requires_grad) if requires_grad else out


def as_tensor(value, dtype=None, device=None):
    """value as a Tensor, sharing memory where it can: a Tensor as it is (or converted to
    dtype), a NumPy array of a pynn dtype in place, anything else as tensor() makes it."""
    check_device(device)
    if isinstance(value, Tensor):
        if dtype is None or dtypes.as_dtype(dtype) == value._data.dtype:
            return value
        return value.to(dtype)
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf" and dtype is None:
        return from_numpy(value) if value.dtype.byteorder in "=|" else tensor(value)
    return tensor(value, dtype=dtype)


def from_numpy(array):
    """A tensor sharing the memory of a NumPy array (of a dtype pynn holds), as torch.from_numpy."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy: expected np.ndarray (got {type(array).__name__})")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"from_numpy: can't convert np.ndarray of type {array.dtype}; pynn "
                        "supports float64, float32, float16, int64, int32, int16, int8, uint8 "
                        "and bool")
    if array.dtype.byteorder not in "=|":
        raise ValueError("from_numpy: the array has a byte order other than the machine's; "
                         "convert it first with array.astype(array.dtype.newbyteorder('='))")
    dtypes.as_dtype(array.dtype)  # refuses e.g. uint16
    return Tensor._make(array)


def scalar_tensor(value, like):
    """A Python or NumPy number as a constant tensor of the dtype PyTorch gives an op between it
    and `like`: a float scalar keeps a float32 tensor float32."""
    category = dtypes.scalar_category(value)
    if category is None:
        raise TypeError(f"expected a Tensor or a real number, got {type(value).__name__} "
                        f"{value!r}")
    dtype = dtypes.with_scalar(like._data.dtype, category)
    return Tensor._make(np.asarray(value, dtype=dtype))


def operand(value, like):
    """The other operand of a binary op with `like`: a Tensor as it is, a number as
    scalar_tensor makes it, an array or a list as tensor() makes it."""
    if isinstance(value, Tensor):
        return value
    if like is not None and dtypes.scalar_category(value) is not None:
        return scalar_tensor(value, like)
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return Tensor._make(value)
    return tensor(value)


def init_leaf(t, array, requires_grad):
    """Fill the slots of a new leaf t (made by a constructor) holding array."""
    t._data, t._grad = array, None
    t._parents, t._backward, t._version = (), None, _Version()
    t._checks, t._base, t._retains = (), None, False
    t._requires_grad = False
    if requires_grad:
        t.requires_grad_(requires_grad)


# ---- devices ------------------------------------------------------------------------------------

class device:
    """A device, as torch.device. pynn runs on the CPU only: torch.device('cuda') can be named
    (as on a machine without a GPU), but putting a tensor or a module there is a clear error."""

    def __init__(self, type="cpu", index=None):
        if isinstance(type, device):
            type, index = type.type, type.index
        if isinstance(type, int) and not isinstance(type, bool):
            type, index = "cuda", type
        if not isinstance(type, str):
            raise TypeError(f"device: expected a string such as 'cpu', got {type!r}")
        kind, _, number = type.partition(":")
        if kind not in _DEVICE_TYPES:
            raise RuntimeError(f"Expected one of {', '.join(_DEVICE_TYPES)} device type at start "
                               f"of device string: {type}")
        self.type = kind
        self.index = int(number) if number else index

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index) == (other.type,
                                                                         other.index)

    def __hash__(self):
        return hash((self.type, self.index))

    def __repr__(self):
        index = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __enter__(self):
        """`with torch.device('cpu'):` makes tensors there, which pynn does anyway; any other
        device is the clear error of check_device."""
        check_device(self)
        return self

    def __exit__(self, *exc):
        return False


_DEVICE_TYPES = ("cpu", "cuda", "mps", "xpu", "meta")
CPU = device("cpu")
Tensor.__module__ = device.__module__ = Size.__module__ = "pynn"  # <class 'pynn.Tensor'>


def check_device(value):
    """Accept None, 'cpu' or a cpu device; any other device is a clear error (pynn has no
    GPU)."""
    if value is None:
        return
    where = value if isinstance(value, device) else device(value)
    if where.type != "cpu":
        raise RuntimeError(f"pynn runs on the CPU only; device '{where}' is not available "
                           "(pick it with torch.device('cuda' if torch.cuda.is_available() else "
                           "'cpu'), which gives 'cpu' here, or use 'cpu')")
