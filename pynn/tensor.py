"""Tensor: a NumPy array that remembers how it was made, so that gradients can flow back.

Every op returns a new Tensor whose `_parents` are its inputs and whose `_backward` maps the
gradient of the result to one gradient per parent. `backward()` walks that graph once, outputs
before inputs, and adds each gradient into the `.grad` of the leaves: the tensors the user made.
Only tensors that require grad are recorded, and nothing at all under `no_grad()`.
"""
import functools
import math
import sys
import threading

import numpy as np

from . import backend, validate


class _GradMode(threading.local):
    """Whether ops record the graph. Per thread, so that one thread can evaluate a model under
    no_grad() while another trains."""
    enabled = True


_grad_mode = _GradMode()


def is_grad_enabled():
    """True unless the calling thread is inside no_grad()."""
    return _grad_mode.enabled


class no_grad:
    """Context manager (or decorator) inside which ops record nothing: their results do not
    require grad, so evaluation costs no graph. Affects the calling thread only."""

    def __enter__(self):
        self._previous = _grad_mode.enabled
        _grad_mode.enabled = False

    def __exit__(self, *exc_info):
        _grad_mode.enabled = self._previous

    def __call__(self, fn):
        @functools.wraps(fn)
        def without_grad(*args, **kwargs):
            with no_grad():
                return fn(*args, **kwargs)
        return without_grad


def _as_data(data, dtype):
    """The array a new Tensor holds: float32 or float64, aligned and C-contiguous, shared with
    `data` when no conversion is needed."""
    if isinstance(data, Tensor):
        data = data.data
    if dtype is not None:
        dtype = np.dtype(dtype)
        if dtype not in validate.FLOAT_DTYPES:
            raise TypeError(f"Tensor: dtype must be float32 or float64, got {dtype}")
    from_numpy = isinstance(data, (np.ndarray, np.generic))
    arr = validate.as_array(data, "Tensor")  # refuses strings, objects and complex numbers
    if dtype is None:
        # NumPy floats keep their precision; Python numbers and NumPy integers, booleans and
        # float16 become float32, the default of PyTorch and Keras.
        # (A byte-swapped float64 array, e.g. read from a big-endian file, is still float64.)
        native = arr.dtype.newbyteorder("=").type
        dtype = native if from_numpy and native in (np.float32, np.float64) else np.float32
    return validate.contiguous(arr, dtype)


def _graph_freed(grad):
    raise RuntimeError(
        "backward: trying to backward through the graph a second time; its saved values were "
        "freed by the first backward(). Pass retain_graph=True to the first backward() to run "
        "backward over the same graph again.")


class Tensor:
    """An n-dimensional float32 or float64 array with reverse-mode automatic differentiation.

    Tensor(data, requires_grad=False, dtype=None): Python numbers and lists become float32, as in
    PyTorch and Keras; float32 and float64 NumPy arrays keep their dtype and share their memory
    (as torch.from_numpy does); other real NumPy dtypes are converted to float32.
    `.grad` is filled by backward() on leaves only (the tensors made by the user): intermediate
    results do not keep their gradient, as in PyTorch.
    """

    __slots__ = ("data", "requires_grad", "grad", "_parents", "_backward")
    # NumPy hands `ndarray + Tensor` to Tensor.__radd__ instead of turning the Tensor into an
    # array, so that mixing arrays and tensors keeps the graph.
    __array_ufunc__ = None

    def __init__(self, data, requires_grad=False, dtype=None):
        self.data = _as_data(data, dtype)
        self.requires_grad = validate.flag(requires_grad, "requires_grad")
        self.grad = None
        self._parents = ()
        self._backward = None  # None marks a leaf

    @staticmethod
    def from_op(data, parents, backward):
        """The result of a differentiable op: `data` its value, `parents` the Tensors it was
        computed from, and backward(grad) -> one gradient per parent (None where a parent does
        not require grad). The graph is recorded only if some parent requires grad."""
        out = Tensor.__new__(Tensor)
        out.data = data if type(data) is np.ndarray else np.asarray(data)
        out.grad = None
        out.requires_grad, out._parents, out._backward = False, (), None
        if _grad_mode.enabled:
            for p in parents:
                if p.requires_grad:
                    out.requires_grad, out._parents, out._backward = True, parents, backward
                    break
        return out

    # ---- the NumPy side ----------------------------------------------------------------------

    @property
    def shape(self):
        return self.data.shape

    @property
    def dtype(self):
        return self.data.dtype

    @property
    def ndim(self):
        return self.data.ndim

    @property
    def size(self):
        return self.data.size

    def numpy(self):
        """The data as a NumPy array (shared, not copied)."""
        return self.data

    def item(self):
        """The value of a one-element tensor as a Python float."""
        return self.data.item()

    def detach(self):
        """A new leaf sharing this tensor's data, outside the graph."""
        return Tensor(self.data)

    def __array__(self, dtype=None, copy=None):
        return np.array(self.data, dtype=dtype, copy=copy)

    def __len__(self):
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __bool__(self):
        return bool(self.data)

    def __float__(self):
        return float(self.item())

    def __repr__(self):
        body = np.array2string(self.data, separator=", ", prefix="tensor(")
        dtype = "" if self.data.dtype == np.float32 else f", dtype={self.data.dtype}"
        grad = ", requires_grad=True" if self.requires_grad else ""
        return f"tensor({body}{dtype}{grad})"

    # ---- arithmetic, broadcasting as NumPy ------------------------------------------------------

    def __add__(self, other):
        a, b = self, as_tensor(other, like=self)

        def backward(g):
            return (_unbroadcast(g, a.shape) if a.requires_grad else None,
                    _unbroadcast(g, b.shape) if b.requires_grad else None)
        return Tensor.from_op(a.data + b.data, (a, b), backward)

    def __sub__(self, other):
        a, b = self, as_tensor(other, like=self)

        def backward(g):
            return (_unbroadcast(g, a.shape) if a.requires_grad else None,
                    _unbroadcast(-g, b.shape) if b.requires_grad else None)
        return Tensor.from_op(a.data - b.data, (a, b), backward)

    def __mul__(self, other):
        a, b = self, as_tensor(other, like=self)

        def backward(g):
            return (_unbroadcast(g * b.data, a.shape) if a.requires_grad else None,
                    _unbroadcast(g * a.data, b.shape) if b.requires_grad else None)
        return Tensor.from_op(a.data * b.data, (a, b), backward)

    def __truediv__(self, other):
        a, b = self, as_tensor(other, like=self)
        out = a.data / b.data

        def backward(g):
            return (_unbroadcast(g / b.data, a.shape) if a.requires_grad else None,
                    _unbroadcast(-g * out / b.data, b.shape) if b.requires_grad else None)
        return Tensor.from_op(out, (a, b), backward)

    __radd__ = __add__
    __rmul__ = __mul__

    def __rsub__(self, other):
        return as_tensor(other, like=self) - self

    def __rtruediv__(self, other):
        return as_tensor(other, like=self) / self

    def __neg__(self):
        return Tensor.from_op(-self.data, (self,), lambda g: (-g,))

    def __pow__(self, exponent):
        """self ** exponent for a real scalar exponent."""
        p = validate.number(exponent, "exponent")
        x = self

        def backward(g):
            return (g * p * x.data ** (p - 1),)
        return Tensor.from_op(x.data ** p, (x,), backward)

    def __matmul__(self, other):
        """Matrix product through the C kernel: 2-D @ 2-D, 3-D @ 2-D (one product over all rows)
        and 3-D @ 3-D with equal batch sizes. The backward pass uses the kernel's transpose
        flags (dA = dC B^T, dB = A^T dC), so nothing is copied to transpose."""
        a, b = self, as_tensor(other, like=self)
        if a.ndim not in (2, 3) or b.ndim not in (2, a.ndim) or a.shape[-1] != b.shape[-2] \
                or (b.ndim == 3 and a.shape[0] != b.shape[0]):
            raise ValueError(f"matmul: shapes {a.shape} and {b.shape} do not fit: expected "
                             "(m, k) @ (k, n), (batch, m, k) @ (k, n) or (batch, m, k) @ "
                             "(batch, k, n)")
        if b.ndim == 2:
            rows = math.prod(a.shape[:-1])  # not -1: NumPy cannot infer it when a size is 0
            a2 = a.data.reshape(rows, a.shape[-1])
            out = backend.matmul(a2, b.data).reshape(a.shape[:-1] + b.shape[-1:])

            def backward(g):
                g2 = g.reshape(rows, g.shape[-1])
                return (backend.matmul(g2, b.data, trans_b=True).reshape(a.shape)
                        if a.requires_grad else None,
                        backend.matmul(a2, g2, trans_a=True) if b.requires_grad else None)
            return Tensor.from_op(out, (a, b), backward)

        def batched(x, y, trans_a=False, trans_b=False):
            """One kernel call per batch element, each written into its slice of the result."""
            m = x.shape[2] if trans_a else x.shape[1]
            n = y.shape[1] if trans_b else y.shape[2]
            out = np.empty((x.shape[0], m, n), np.result_type(x, y))
            for i in range(x.shape[0]):
                backend.matmul(x[i], y[i], trans_a=trans_a, trans_b=trans_b, out=out[i])
            return out

        def backward3(g):
            return (batched(g, b.data, trans_b=True) if a.requires_grad else None,
                    batched(a.data, g, trans_a=True) if b.requires_grad else None)
        return Tensor.from_op(batched(a.data, b.data), (a, b), backward3)

    def __rmatmul__(self, other):
        return as_tensor(other, like=self) @ self

    # ---- reductions ---------------------------------------------------------------------------

    def sum(self, axis=None, keepdims=False):
        """Sum over `axis` (None for all, an int or a tuple; negative counts from the end)."""
        x, axes = self, _axes(axis, self.ndim)
        return Tensor.from_op(x.data.sum(axis=axes, keepdims=keepdims), (x,),
                              lambda g: (_expand(g, x.shape, axes, keepdims),))

    def mean(self, axis=None, keepdims=False):
        """Mean over `axis` (None for all, an int or a tuple; negative counts from the end)."""
        x, axes = self, _axes(axis, self.ndim)
        count = math.prod(x.shape[i] for i in axes)
        # sum / count is what np.mean computes, without its Python-level overhead
        return Tensor.from_op(x.data.sum(axis=axes, keepdims=keepdims) / count, (x,),
                              lambda g: (_expand(g / count, x.shape, axes, keepdims),))

    def max(self, axis=None, keepdims=False):
        """Maximum over `axis`, as NumPy's max (torch.amax): values only. Where several elements
        tie for the maximum, the gradient is shared equally between them."""
        x, axes = self, _axes(axis, self.ndim)
        top = x.data.max(axis=axes, keepdims=True)

        def backward(g):
            winners = x.data == top
            share = winners / winners.sum(axis=axes, keepdims=True, dtype=x.dtype)
            return (share * _expand(g, x.shape, axes, keepdims),)
        return Tensor.from_op(top if keepdims else top.squeeze(axis=axes), (x,), backward)

    # ---- shape --------------------------------------------------------------------------------

    def reshape(self, *shape):
        """The same values in a new shape: reshape(2, 3) or reshape((2, 3)); one size may be -1."""
        x = self
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return Tensor.from_op(x.data.reshape(shape), (x,), lambda g: (g.reshape(x.shape),))

    def transpose(self, dim0, dim1):
        """Swap two dimensions, as PyTorch's transpose."""
        axes = list(range(self.ndim))
        i, j = _axes(dim0, self.ndim)[0], _axes(dim1, self.ndim)[0]
        axes[i], axes[j] = axes[j], axes[i]
        return self._permute(axes)

    @property
    def T(self):
        """All dimensions reversed (the matrix transpose for 2-D)."""
        return self._permute(list(range(self.ndim))[::-1])

    def _permute(self, axes):
        # Both permutations made here, a swap of two axes and the reversal of all, are their own
        # inverse: the gradient goes back through the same one.
        return Tensor.from_op(self.data.transpose(axes), (self,),
                              lambda g: (g.transpose(axes),))

    def __getitem__(self, index):
        """NumPy indexing (ints, slices, integer arrays); the gradient is scattered back, adding
        up where an index repeats."""
        x = self

        def backward(g):
            grad = np.zeros_like(x.data)
            np.add.at(grad, index, g)
            return (grad,)
        return Tensor.from_op(x.data[index], (x,), backward)

    # ---- elementwise functions ----------------------------------------------------------------

    def exp(self):
        out = np.exp(self.data)
        return Tensor.from_op(out, (self,), lambda g: (g * out,))

    def log(self):
        x = self
        return Tensor.from_op(np.log(x.data), (x,), lambda g: (g / x.data,))

    def tanh(self):
        out = np.tanh(self.data)
        return Tensor.from_op(out, (self,), lambda g: (g * (1 - out * out),))

    def relu(self):
        """max(x, 0) through the C kernel, forward and backward."""
        x = self
        return Tensor.from_op(backend.relu(x.data), (x,),
                              lambda g: (backend.relu_backward(x.data, g),))

    def sigmoid(self):
        """1 / (1 + exp(-x)) through the C kernel (finite for any x), forward and backward."""
        out = backend.sigmoid(self.data)
        return Tensor.from_op(out, (self,), lambda g: (backend.sigmoid_backward(out, g),))

    # ---- reverse mode -------------------------------------------------------------------------

    def backward(self, gradient=None, retain_graph=False):
        """Add d(self)/d(leaf) into the .grad of every leaf that requires grad.

        `gradient` (the gradient of some scalar with respect to self) may be left out only when
        self has one element. The graph's saved values are freed as it is walked, as in PyTorch:
        a second backward() over it raises RuntimeError, unless the first passed
        retain_graph=True, in which case it runs again and the gradients add up.
        """
        if not self.requires_grad:
            raise RuntimeError("backward: this tensor does not require grad (no tensor it was "
                               "computed from has requires_grad=True, or it was computed under "
                               "no_grad())")
        if gradient is None:
            if self.data.size != 1:
                raise RuntimeError(f"backward: a gradient can be implied only for a tensor of "
                                   f"one element, this one has shape {self.shape}; pass "
                                   f"gradient= of that shape")
            gradient = _ones(self.data)
        else:
            gradient = validate.as_array(gradient.data if isinstance(gradient, Tensor)
                                         else gradient, "gradient")
            if gradient.shape != self.shape:
                raise ValueError(f"backward: gradient of shape {gradient.shape} does not match "
                                 f"the tensor's shape {self.shape}")
            gradient = gradient.astype(self.dtype, copy=False)
        grads = ({self: gradient} if self._backward is None  # a leaf: its own gradient
                 else _propagate(self, gradient, retain_graph))
        del gradient  # (a gradient still referenced here is not the leaf's to keep)
        while grads:
            leaf, g = grads.popitem()
            if leaf.grad is not None:
                leaf.grad += g
            # Kept as it is when nothing else refers to it (2 references: g and getrefcount's
            # argument; what PyTorch checks before it takes a gradient over without a copy) and
            # it is a writeable C-contiguous array that owns its memory.
            elif (g.dtype is leaf.data.dtype and _getrefcount(g) <= 2
                  and (flags := g.flags).owndata and flags.carray):
                leaf.grad = g
            else:  # shared with another leaf, kept by the graph, a view or read-only: a copy
                leaf.grad = np.array(g, dtype=leaf.data.dtype, order="C")


def _propagate(root, gradient, retain_graph):
    """{leaf: its gradient}: root's gradient carried back through the graph to every leaf that
    requires grad. Each node's saved values are freed as it is passed, unless retain_graph.
    (Tensors are keys by identity: Tensor defines no __eq__.)"""
    grads = {root: gradient}  # the gradients of the nodes not yet passed, and of the leaves
    for node in _topological_order(root):
        parents, parent_grads = node._parents, node._backward(grads.pop(node))
        if not retain_graph:  # drop the closure and its saved arrays, as PyTorch frees them
            node._parents, node._backward = (), _graph_freed
        for parent, pg in zip(parents, parent_grads):
            if pg is None or not parent.requires_grad:
                continue
            if pg.dtype is not parent.data.dtype and pg.dtype != parent.data.dtype:
                pg = pg.astype(parent.data.dtype)  # mixed float32/float64 graphs
            grads[parent] = grads[parent] + pg if parent in grads else pg
    return grads


# CPython's; elsewhere every gradient counts as shared, and is copied
_getrefcount = getattr(sys, "getrefcount", lambda g: 3)


_ONES = {}  # (shape, dtype) -> a read-only array of ones: the implied gradient of a scalar


def _ones(data):
    key = (data.shape, data.dtype)
    ones = _ONES.get(key)
    if ones is None:
        ones = np.ones(data.shape, data.dtype)
        ones.flags.writeable = False
        _ONES[key] = ones
    return ones


def tensor(data, requires_grad=False, dtype=None):
    """A new Tensor, spelled as torch.tensor (see Tensor for the dtype rules)."""
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


def as_tensor(value, like=None):
    """value as a Tensor: a Tensor as it is; a real Python or NumPy scalar in like's dtype, so a
    scalar never changes the precision of the tensor it meets; anything else through Tensor()."""
    if isinstance(value, Tensor):
        return value
    if like is not None and isinstance(value, (int, float, np.integer, np.floating)):
        return Tensor.from_op(np.asarray(value, dtype=like.data.dtype), (), None)  # a constant
    return Tensor(value)


def _topological_order(root):
    """The tensors computed by an op that root (one of them) was computed from and that require
    grad: root first, and every one before the ones it was computed from. Iterative depth-first
    search: no recursion limit."""
    nodes, visited = [], set()
    stack = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            nodes.append(node)
            continue
        if node in visited:
            continue
        visited.add(node)
        stack.append((node, True))
        for parent in node._parents:
            # a leaf (no _backward) has nothing to walk
            if parent.requires_grad and parent._backward is not None and parent not in visited:
                stack.append((parent, False))
    nodes.reverse()
    return nodes


def _unbroadcast(grad, shape):
    """grad summed over the axes broadcasting added or stretched, so that it has `shape`."""
    if grad.shape == shape:
        return grad
    if grad.ndim == 2 and shape == grad.shape[1:]:  # a bias added to every row: the C kernel
        return backend.sum_rows(grad)
    lead = grad.ndim - len(shape)
    if lead:
        grad = grad.sum(axis=tuple(range(lead)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    return grad.sum(axis=stretched, keepdims=True) if stretched else grad


def _axes(axis, ndim):
    """axis (None for all, an int or a tuple of ints, negative counting from the end) as a
    sorted tuple of distinct non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, tuple) else (axis,)
    result = []
    for a in axes:
        if isinstance(a, (bool, np.bool_)) or not isinstance(a, (int, np.integer)):
            raise TypeError(f"axis: expected an int or a tuple of ints, got {axis!r}")
        if not -ndim <= a < ndim:
            raise ValueError(f"axis {a} is out of range for a tensor with {ndim} dimensions")
        result.append(int(a) % ndim)
    if len(set(result)) != len(result):
        raise ValueError(f"axis: repeated axis in {axis!r}")
    return tuple(sorted(result))


def _expand(grad, shape, axes, keepdims):
    """A reduction's gradient spread back over the axes it reduced."""
    if not keepdims:
        grad = np.expand_dims(grad, axes)
    return np.broadcast_to(grad, shape)
