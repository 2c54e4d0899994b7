"""Second and higher derivatives: backward(create_graph=True) and autograd.grad(...,
create_graph=True), as PyTorch's autograd demos use them (d2y/dx2 of y = x**3, a gradient
penalty added to a loss).

An op's own backward works on NumPy arrays and records nothing. With create_graph, the graph is
walked again with the rule below for each op instead: the same vector-Jacobian product, written
with pynn's differentiable ops on the op's input tensors, so the gradients it returns are
tensors in a graph of their own and can be differentiated again. The rules cover the ops of
those demos (arithmetic and powers, sums and means, the elementwise functions, matmul, shape
changes and slicing, nn.Linear layers and the activations fused into them, mse_loss, l1_loss,
cross_entropy and nll_loss, custom autograd.Functions); a graph through any other op raises
NotImplementedError naming it.
"""
import numpy as np

from .ops.shape import index_put
from .tensor import _GRAPH_PROPAGATION, Tensor, _topological_order, enable_grad, op_name


def _sum_to(g, shape):
    """g summed over the axes broadcasting added or stretched, so that it has `shape`."""
    if tuple(g.shape) == tuple(shape):
        return g
    lead = g.dim() - len(shape)
    if lead:
        g = g.sum(dim=tuple(range(lead)))
    stretched = tuple(i for i, s in enumerate(shape) if s == 1 and g.shape[i] != 1)
    return g.sum(dim=stretched, keepdim=True) if stretched else g


def _closure(node):
    """The variables node's backward closes over, by name."""
    fn = node._backward
    cells = fn.__closure__ or ()
    return dict(zip(fn.__code__.co_freevars, (c.cell_contents for c in cells)))


def _wants(t):
    return t._requires_grad


def _binary(rule):
    def apply(node, g):
        a, b = node._parents
        ga, gb = rule(a, b, g, node)
        return (_sum_to(ga, a.shape) if ga is not None and _wants(a) else None,
                _sum_to(gb, b.shape) if gb is not None and _wants(b) else None)
    return apply


def _pow(a, b, g, node):
    ga = g * b * a ** (b - 1) if _wants(a) else None
    if ga is not None and not _wants(b) and np.all(b._data == 0):
        ga = g * 0
    gb = g * a ** b * a.log() if _wants(b) else None
    return ga, gb


def _expand_back(node, g, scale=None):
    """The gradient of a reduction over axes, broadcast back to its input's shape."""
    (x,) = node._parents
    env = _closure(node)
    axes, keep = env["axes"], env["keep"]
    if not keep and axes is not None:
        kept = list(x.shape)
        for a in (axes if isinstance(axes, tuple) else (axes,)):
            kept[a] = 1
        g = g.reshape(kept)
    elif not keep:
        g = g.reshape([1] * x.dim())
    out = g.expand(*x.shape)
    return out if scale is None else out * scale


def _mean(node, g):
    return (_expand_back(node, g, 1.0 / _closure(node)["count"]),)


def _unary(derivative):
    """The rule of an elementwise function: g * f'(x), f' written with tensor ops."""
    return lambda node, g: (g * derivative(node._parents[0]),)


def _reshape_back(node, g):
    return (g.reshape(node._parents[0].shape),)


def _permute_back(node, g):
    return (g.permute(*_closure(node)["inverse"]),)


def _slice_back(node, g):
    (x,) = node._parents
    index = _closure(node)["index"]
    kinds = index if isinstance(index, tuple) else (index,)
    if any(isinstance(i, np.ndarray) and i.dtype.kind != "b" and
           len(np.unique(i)) != i.size for i in kinds):
        raise NotImplementedError("create_graph=True through indexing that repeats an index "
                                  "is not supported by pynn")
    return (index_put(x.new_zeros(x.shape), index, g),)


def _rows_matmul(node, g):
    a, b = node._parents
    k, n = b.shape
    ga = g.reshape(-1, n).matmul(b.t()).reshape(a.shape) if _wants(a) else None
    gb = a.reshape(-1, k).t().matmul(g.reshape(-1, n)) if _wants(b) else None
    return ga, gb


def _matmul(node, g):
    """torch.matmul's rules for vectors and batches, broadcast dims summed back."""
    a, b = node._parents
    if a.dim() == 1 and b.dim() == 1:
        return g * b, g * a
    if b.dim() == 1:
        ga = g.unsqueeze(-1) * b
        gb = (a * g.unsqueeze(-1)).reshape(-1, b.shape[0]).sum(0)
        return _sum_to(ga, a.shape), gb
    if a.dim() == 1:
        ga = g.unsqueeze(-2).matmul(b.transpose(-1, -2)).squeeze(-2)
        gb = a.unsqueeze(-1) * g.unsqueeze(-2)
        return _sum_to(ga.reshape(-1, a.shape[0]).sum(0) if ga.dim() > 1 else ga, a.shape), \
            _sum_to(gb, b.shape)
    return (_sum_to(g.matmul(b.transpose(-1, -2)), a.shape),
            _sum_to(a.transpose(-1, -2).matmul(g), b.shape))


def _clamp(node, g):
    env = _closure(node)
    x, lo, hi = env["x"], env["lo"], env["hi"]
    inside = np.ones(x.shape, bool)
    if lo is not None:
        inside &= x >= lo
    if hi is not None:
        inside &= x <= hi
    return (g * Tensor._make(inside.astype(x.dtype)),)


def _softmax(node, g):
    dim = _closure(node)["dim"]
    y = node._parents[0].softmax(dim)
    return (y * (g - (g * y).sum(dim, keepdim=True)),)


def _log_softmax(node, g):
    dim = _closure(node)["dim"]
    return (g - node._parents[0].softmax(dim) * g.sum(dim, keepdim=True),)


def _norm(node, g):
    (x,) = node._parents
    axes = _closure(node)["axes"]
    norm = (x * x).sum(dim=axes, keepdim=True).sqrt()
    share = x / norm.masked_fill(norm == 0, 1.0)
    return (_expand_back(node, g) * share,)


def _where(node, g):
    cond = _closure(node)["cond"]
    a, b = node._parents[-2:]
    mask = Tensor._make(np.asarray(cond))
    zero = g.new_zeros(())
    grads = (_sum_to(g.where(mask, zero), a.shape) if _wants(a) else None,
             _sum_to(zero.where(mask, g), b.shape) if _wants(b) else None)
    return (None,) * (len(node._parents) - 2) + grads


def _cat(node, g):
    env = _closure(node)
    d = env["d"]
    edges = [0] + [int(b) for b in env["bounds"]] + [g.shape[d]]
    return tuple(g.narrow(d, lo, hi - lo) for lo, hi in zip(edges[:-1], edges[1:]))


def _loss_node(node):
    """Whether node is one made by functional.loss.reduce_losses (its closure: the losses'
    derivatives as NumPy functions, the parents, the reduction's scale)."""
    return {"grads", "parents", "scale"} <= set(node._backward.__code__.co_freevars)


def _regression_loss(derivative):
    """The rule of mse_loss or l1_loss: d loss / d input = derivative(input - target), times
    the reduction's scale and the incoming gradient; the target's is its negative."""
    def rule(node, g):
        x, t = node._parents
        scale = _closure(node)["scale"]
        g = g if scale is None else g * float(scale)
        d = derivative(x - t) * g
        return (_sum_to(d, x.shape) if _wants(x) else None,
                _sum_to(-d, t.shape) if _wants(t) else None)
    return rule


_LOSS_RULES = {
    "MseLossBackward0": _regression_loss(lambda d: 2 * d),
    "MeanBackward0": _regression_loss(lambda d: d.sign()),  # l1_loss names its node by its
    "SumBackward0": _regression_loss(lambda d: d.sign()),   # reduction, as PyTorch does
    "AbsBackward0": _regression_loss(lambda d: d.sign()),
}


def _nll(node, g):
    """nll_loss and cross_entropy (from_logits) on (N, C) or (C,) inputs: d / d input =
    (softmax(input) - onehot(target)) (or -onehot) times each sample's weight and scale."""
    env = _closure(node)
    (x,) = node._parents
    if len(env["shape"]) > 2:
        raise NotImplementedError("create_graph=True through cross_entropy/nll_loss of inputs "
                                  "of more than 2 dims is not supported by pynn")
    classes = env["table"].shape[1]
    rows = x.reshape(-1, classes)
    n = rows.shape[0]
    scale, weights = env["scale"], env["sample_w"]
    coef = (g * float(scale)).reshape(()).expand(n) if scale is not None else g.reshape(-1)
    if weights is not None:
        coef = coef * Tensor._make(np.asarray(weights))
    onehot = np.zeros((n, classes), dtype=x._data.dtype)
    onehot[np.arange(n), env["safe"]] = 1
    onehot = Tensor._make(onehot)
    d = rows.softmax(1) - onehot if env["from_logits"] else -onehot
    return ((d * coef.unsqueeze(1)).reshape(x.shape),)


_ACTIVATION_SLOPES = {
    None: None,
    "relu": lambda z: (z > 0).to(z.dtype),
    "sigmoid": lambda z: z.sigmoid() * (1 - z.sigmoid()),
    "tanh": lambda z: 1 - z.tanh() ** 2,
}


def _dense_stack(node, g):
    """nn.Linear layers (and the activations fused into them) recomputed with tensor ops from
    their inputs, and their backward written with the same ops."""
    env = _closure(node)
    layers, trans_w = env["arrays"], env["stack"].trans_w
    x, rest = node._parents[0], node._parents[1:]
    params, end = [], len(rest)  # each layer's (weight, bias) tensors, in forward order
    for _, bias, _ in layers:
        k = 1 if bias is None else 2
        params.append(rest[end - k:end])
        end -= k
    h = x.reshape(-1, x.shape[-1])
    inputs, sums = [], []
    for (_, _, act), tensors in zip(layers, params):
        w = tensors[0]
        z = h.matmul(w.t() if trans_w else w)
        if len(tensors) == 2:
            z = z + tensors[1]
        inputs.append(h)
        sums.append(z)
        h = {None: lambda v: v, "relu": lambda v: v.relu(), "sigmoid": lambda v: v.sigmoid(),
             "tanh": lambda v: v.tanh()}[act](z)
    gh = g.reshape(h.shape)
    grads = []
    for (_, _, act), tensors, h_in, z in reversed(list(zip(layers, params, inputs, sums))):
        slope = _ACTIVATION_SLOPES[act]
        gz = gh if slope is None else gh * slope(z)
        w = tensors[0]
        grads.append(gz.t().matmul(h_in) if trans_w else h_in.t().matmul(gz))
        if len(tensors) == 2:
            grads.append(gz.sum(0))
        gh = gz.matmul(w) if trans_w else gz.matmul(w.t())
    return (gh.reshape(x.shape),) + tuple(grads)


RULES = {
    "DenseStackBackward0": _dense_stack,
    "AddBackward0": _binary(lambda a, b, g, n: (g, g)),
    "SubBackward0": _binary(lambda a, b, g, n: (g, -g)),
    "MulBackward0": _binary(lambda a, b, g, n: (g * b, g * a)),
    "DivBackward0": _binary(lambda a, b, g, n: (g / b, -g * a / (b * b))),
    "PowBackward0": _binary(_pow),
    "NegBackward0": lambda node, g: (-g,),
    "CloneBackward0": lambda node, g: (g,),
    "SumBackward0": lambda node, g: (_expand_back(node, g),),
    "MeanBackward0": _mean,
    "ExpBackward0": _unary(lambda x: x.exp()),
    "LogBackward0": _unary(lambda x: 1 / x),
    "SinBackward0": _unary(lambda x: x.cos()),
    "CosBackward0": _unary(lambda x: -x.sin()),
    "TanBackward0": _unary(lambda x: 1 / x.cos() ** 2),
    "TanhBackward0": _unary(lambda x: 1 - x.tanh() ** 2),
    "SigmoidBackward0": _unary(lambda x: x.sigmoid() * (1 - x.sigmoid())),
    "ReluBackward0": _unary(lambda x: (x > 0).to(x.dtype)),
    "SqrtBackward0": _unary(lambda x: 0.5 / x.sqrt()),
    "RsqrtBackward0": _unary(lambda x: -0.5 * x.rsqrt() / x),
    "ReciprocalBackward0": _unary(lambda x: -1 / (x * x)),
    "Log1pBackward0": _unary(lambda x: 1 / (1 + x)),
    "Log2Backward0": _unary(lambda x: 1 / (x * np.log(2.0))),
    "Log10Backward0": _unary(lambda x: 1 / (x * np.log(10.0))),
    "Expm1Backward0": _unary(lambda x: x.exp()),
    "Exp2Backward0": _unary(lambda x: x.exp2() * np.log(2.0)),
    "AsinBackward0": _unary(lambda x: (1 - x * x).rsqrt()),
    "AcosBackward0": _unary(lambda x: -(1 - x * x).rsqrt()),
    "AtanBackward0": _unary(lambda x: 1 / (1 + x * x)),
    "SinhBackward0": _unary(lambda x: x.cosh()),
    "CoshBackward0": _unary(lambda x: x.sinh()),
    "AsinhBackward0": _unary(lambda x: (x * x + 1).rsqrt()),
    "AcoshBackward0": _unary(lambda x: (x * x - 1).rsqrt()),
    "AtanhBackward0": _unary(lambda x: 1 / (1 - x * x)),
    "ClampBackward0": _clamp,
    "SoftmaxBackward0": _softmax,
    "NllLossBackward0": _nll,
    "LogSoftmaxBackward0": _log_softmax,
    "MatmulBackward0": _matmul,
    "AbsBackward0": _unary(lambda x: x.sign()),
    "ViewBackward0": _reshape_back,
    "UnsqueezeBackward0": _reshape_back,
    "SqueezeBackward0": _reshape_back,
    "FlattenBackward0": _reshape_back,
    "TBackward0": _permute_back,
    "TransposeBackward0": _permute_back,
    "PermuteBackward0": _permute_back,
    "SliceBackward0": _slice_back,
    "SelectBackward0": _slice_back,
    "IndexBackward0": _slice_back,
    "ExpandBackward0": lambda node, g: (_sum_to(g, node._parents[0].shape),),
    "RowsMatmulBackward0": _rows_matmul,
    "SqrtSumSquaresBackward0": _norm,
    "WhereBackward0": _where,
    "CatBackward0": _cat,
    "StackBackward0": lambda node, g: tuple(g.unbind(_closure(node)["d"])),
}


def propagate_graph(root, gradient, keep=()):
    """{tensor: its gradient as a tensor with a graph}: propagate() with the rules above, for
    every leaf that requires grad and the nodes in `keep`. The graph is kept (create_graph
    implies retain_graph, as in PyTorch)."""
    if not root._requires_grad:
        raise RuntimeError("element 0 of tensors does not require grad and does not have a "
                           "grad_fn")
    if gradient is None:
        if root.numel() != 1:
            raise RuntimeError("grad can be implicitly created only for scalar outputs")
        gradient = Tensor._make(np.ones_like(root._data))
    elif not isinstance(gradient, Tensor):
        gradient = Tensor._make(np.asarray(gradient, dtype=root._data.dtype))
    if tuple(gradient.shape) != tuple(root.shape):
        raise RuntimeError(f"Mismatch in shape: grad_output[0] has a shape of "
                           f"{tuple(gradient.shape)} and output[0] has a shape of "
                           f"{tuple(root.shape)}.")
    if root._backward is None:
        return {root: gradient}
    found, grads = {}, {root: gradient}
    with enable_grad():
        for node in _topological_order(root):
            g = grads.pop(node)
            if node in keep:
                found[node] = g
            name = op_name(node._backward)
            custom = getattr(node._backward, "differentiable", None)  # an autograd.Function
            if custom is not None:
                rule = lambda node, g: custom(g)  # noqa: E731
            elif _loss_node(node):
                rule = _LOSS_RULES.get(name)
            else:
                rule = RULES.get(name)
            if rule is None:
                raise NotImplementedError(
                    f"create_graph=True: pynn has no second derivative of {name} yet (it has "
                    f"them for arithmetic, powers, sums, means, elementwise functions, matmul, "
                    f"shape changes and slicing)")
            for parent, pg in zip(node._parents, rule(node, g)):
                if pg is None or not parent._requires_grad:
                    continue
                table = found if parent._backward is None else grads
                table[parent] = table[parent] + pg if parent in table else pg
    return found


_GRAPH_PROPAGATION.append(propagate_graph)  # what Tensor.backward(create_graph=True) calls
