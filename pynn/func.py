"""torch.func, the function transforms of autograd demos: grad (nestable: grad(grad(f))),
grad_and_value, vjp, jacrev/jacfwd, hessian, vmap (by a loop over the batch) and
functional_call. Built on autograd.grad; nested derivatives use create_graph=True."""
import contextlib

from . import autograd_functional as _functional
from .higher_order import propagate_graph
from .ops.shape import stack
from .tensor import Tensor, enable_grad, propagate


def _argnums(argnums, n):
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    return tuple(i % n for i in nums)


def _flatten(tree):
    """(the tensors of a nested dict/list/tuple, a function rebuilding it from new ones)."""
    if isinstance(tree, Tensor):
        return [tree], lambda leaves: leaves[0]
    if isinstance(tree, dict):
        keys, parts = list(tree), [_flatten(v) for v in tree.values()]
    elif isinstance(tree, (list, tuple)):
        keys, parts = None, [_flatten(v) for v in tree]
    else:
        return [], lambda leaves: tree
    counts = [len(leaves) for leaves, _ in parts]

    def rebuild(leaves):
        out, start = [], 0
        for (_, build), n in zip(parts, counts):
            out.append(build(leaves[start:start + n]))
            start += n
        if keys is not None:
            return dict(zip(keys, out))
        return type(tree)(out) if isinstance(tree, tuple) else out
    return [leaf for leaves, _ in parts for leaf in leaves], rebuild


def _gradient(output, inputs, create_graph):
    keep = {t for t in inputs if t._backward is not None}
    found = propagate_graph(output, None, keep) if create_graph else \
        propagate(output, None, False, keep)
    return tuple(found[t] if isinstance(found.get(t), Tensor) else
                 Tensor._make(found[t]) if t in found else t.new_zeros(t.shape)
                 for t in inputs)


def grad_and_value(func, argnums=0, has_aux=False):
    """A function returning (d func / d args[argnums], func(*args)) for a func returning one
    number (and, with has_aux, (number, aux))."""
    def wrapper(*args, **kwargs):
        nums = _argnums(argnums, len(args))
        args = list(args)
        trees = [_flatten(args[i]) for i in nums]
        nested = any(leaf.requires_grad for leaves, _ in trees for leaf in leaves)
        with enable_grad():
            inputs = []
            for i, (leaves, rebuild) in zip(nums, trees):
                leaves = [leaf if leaf.requires_grad else leaf.detach().requires_grad_(True)
                          for leaf in leaves]
                inputs.append(leaves)
                args[i] = rebuild(leaves)
            out = func(*args, **kwargs)
            value, aux = out if has_aux else (out, None)
            if not isinstance(value, Tensor) or value.numel() != 1:
                raise RuntimeError("grad_and_value(f)(*args): Expected f(*args) to return a "
                                   "scalar Tensor")
            flat = _gradient(value.reshape(()), [leaf for leaves in inputs for leaf in leaves],
                             create_graph=nested)
        grads, start = [], 0
        for leaves, (_, rebuild) in zip(inputs, trees):
            grads.append(rebuild(list(flat[start:start + len(leaves)])))
            start += len(leaves)
        result = grads[0] if isinstance(argnums, int) else tuple(grads)
        if not nested:  # outside a transform the outputs carry no graph, as torch.func's
            value = value.detach()
            aux_leaves, rebuild = _flatten(aux)
            aux = rebuild([leaf.detach() for leaf in aux_leaves])
        return (result, (value, aux)) if has_aux else (result, value)
    return wrapper


def grad(func, argnums=0, has_aux=False):
    """A function returning d func / d args[argnums] (func returns one number; with has_aux,
    (number, aux), and the function returns (gradient, aux))."""
    inner = grad_and_value(func, argnums, has_aux)

    def wrapper(*args, **kwargs):
        result, value = inner(*args, **kwargs)
        return (result, value[1]) if has_aux else result
    return wrapper


def vjp(func, *primals, has_aux=False):
    """(func(*primals), vjp_fn): vjp_fn(v) gives v^T J for each primal."""
    leaves = [p.detach().requires_grad_(True) for p in primals]
    with enable_grad():
        out = func(*leaves)
    output, aux = out if has_aux else (out, None)

    def vjp_fn(v):
        found = _functional._grads(output, leaves, v, create_graph=False)
        return tuple(g.detach() for g in found)
    return (output.detach(), vjp_fn, aux) if has_aux else (output.detach(), vjp_fn)


def _of_chosen_args(func, argnums, transform):
    """A function of args applying transform (jacobian, hessian) to func as a function of
    args[argnums] only, the other arguments held fixed."""
    def wrapper(*args):
        nums = _argnums(argnums, len(args))

        def partial(*chosen):
            full = list(args)
            for i, value in zip(nums, chosen):
                full[i] = value
            return func(*full)
        chosen = tuple(args[i] for i in nums)
        return transform(partial, chosen[0] if isinstance(argnums, int) else chosen)
    return wrapper


def jacrev(func, argnums=0, has_aux=False):
    """A function returning the Jacobian of func with respect to args[argnums]."""
    if has_aux:
        raise NotImplementedError("jacrev(has_aux=True): pynn's jacrev takes functions "
                                  "returning one tensor")
    return _of_chosen_args(func, argnums, _functional.jacobian)


jacfwd = jacrev


def hessian(func, argnums=0):
    """A function returning the Hessian of a scalar func with respect to args[argnums]."""
    return _of_chosen_args(func, argnums, _functional.hessian)


def vmap(func, in_dims=0, out_dims=0, randomness="error", chunk_size=None):
    """func mapped over a batch dimension of its inputs (in_dims: one dim for all, or one per
    argument, None for an argument shared by every sample), the results stacked along
    out_dims. pynn runs func once per sample."""
    def wrapper(*args):
        dims = in_dims if isinstance(in_dims, (tuple, list)) else (in_dims,) * len(args)
        if len(dims) != len(args):
            raise ValueError(f"vmap: in_dims has {len(dims)} entries for {len(args)} inputs")
        trees = [_flatten(a) for a in args]
        sizes = {leaf.shape[d] for (leaves, _), d in zip(trees, dims) if d is not None
                 for leaf in leaves}
        if len(sizes) != 1:
            raise ValueError(f"vmap: Expected all tensors to have the same size in the mapped "
                             f"dimension, got sizes {sorted(sizes)} for the mapped dimension")
        n = sizes.pop()
        results = [func(*[a if d is None else rebuild([leaf.select(d, i) for leaf in leaves])
                          for a, d, (leaves, rebuild) in zip(args, dims, trees)])
                   for i in range(n)]
        flat = [_flatten(r) for r in results]
        leaves0, rebuild = flat[0]
        if isinstance(results[0], tuple) and isinstance(out_dims, (tuple, list)):
            outs = list(out_dims)
        else:
            outs = [out_dims] * len(leaves0)
        return rebuild([stack([f[0][k] for f in flat], outs[k]) for k in range(len(leaves0))])
    return wrapper


@contextlib.contextmanager
def _swapped(module, values):
    originals = []
    try:
        for name, value in values.items():
            owner, _, attr = name.rpartition(".")
            target = module.get_submodule(owner) if owner else module
            originals.append((target, attr, target.__dict__.get(attr)))
            object.__setattr__(target, attr, value)
        yield
    finally:
        for target, attr, value in reversed(originals):
            object.__setattr__(target, attr, value)


def functional_call(module, parameter_and_buffer_dicts, args=(), kwargs=None, *, tie_weights=True,
                    strict=False):
    """module called with the given tensors in place of its parameters and buffers (by their
    state_dict names), which stay as they were afterwards."""
    values = {}
    dicts = parameter_and_buffer_dicts
    for d in (dicts if isinstance(dicts, (tuple, list)) else (dicts,)):
        values.update(d)
    args = args if isinstance(args, tuple) else (args,)
    with _swapped(module, values):
        return module(*args, **(kwargs or {}))
