"""torch.autograd.functional: derivatives of a whole function at a point. jacobian (one
backward per output element), and, with second derivatives (pynn/higher_order.py), hessian,
vjp, jvp, hvp and vhp. Importable as pynn.autograd.functional."""
import numpy as np

from .higher_order import propagate_graph
from .tensor import Tensor, enable_grad, propagate


def grad(output, inputs, v=None, retain_graph=True, allow_unused=True, create_graph=False):
    """d(output . v)/d each of inputs (None where unused), as autograd.grad computes it."""
    keep = {t for t in inputs if t._backward is not None}
    found = propagate_graph(output, v, keep) if create_graph else \
        propagate(output, v, retain_graph, keep)
    return tuple(None if t not in found else found[t] if isinstance(found[t], Tensor)
                 else Tensor._make(np.array(found[t])) for t in inputs)


def _as_tuple(inputs):
    single = isinstance(inputs, Tensor)
    return single, ((inputs,) if single else tuple(inputs))


def _leaves(inputs):
    return tuple(x.detach().requires_grad_(True) for x in inputs)


def _grads(outputs, inputs, v, create_graph):
    """d(outputs . v)/d inputs, zeros for an input that does not reach the outputs."""
    if not outputs.requires_grad:
        return tuple(Tensor._make(np.zeros_like(x._data)) for x in inputs)
    found = grad(outputs, inputs, v, create_graph=create_graph, allow_unused=True)
    return tuple(Tensor._make(np.zeros_like(x._data)) if g is None else g
                 for g, x in zip(found, inputs))


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """d func(inputs) / d inputs: for one input and one output, a tensor of shape
    output.shape + input.shape; tuples of them otherwise."""
    single_input, inputs = _as_tuple(inputs)
    leaves = _leaves(inputs)
    with enable_grad():
        outputs = func(*leaves)
    single_output = isinstance(outputs, Tensor)
    outputs = (outputs,) if single_output else tuple(outputs)
    rows = []
    for out in outputs:
        per_input = [np.zeros(out._data.shape + x._data.shape, x._data.dtype) for x in leaves]
        for index in np.ndindex(*out._data.shape):
            if not out._requires_grad:
                continue
            seed = np.zeros_like(out._data)
            seed[index] = 1
            grads = grad(out, leaves, Tensor._make(seed), retain_graph=True, allow_unused=True)
            for j, g in enumerate(grads):
                if g is not None:
                    per_input[j][index] = g._data
        rows.append(tuple(Tensor._make(j) for j in per_input))
    if single_input:
        rows = [r[0] for r in rows]
    return rows[0] if single_output else tuple(rows)


def _scalar_output(func, leaves, name):
    with enable_grad():
        out = func(*leaves)
    if not isinstance(out, Tensor) or out.numel() != 1:
        raise RuntimeError(f"The function given to {name} should return a single Tensor with "
                           f"a single element")
    return out


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """The matrix of second derivatives of a scalar func at inputs: shape input.shape * 2 for
    one input; a tuple of tuples (H[i][j] = d2 f / d input_i d input_j) for several."""
    single, inputs = _as_tuple(inputs)

    def gradient(*xs):
        out = _scalar_output(func, xs, "hessian")
        grads = _grads(out.reshape(()), xs, None, create_graph=True)
        return grads[0] if single else grads
    return jacobian(gradient, inputs[0] if single else inputs)


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T J): the vector-Jacobian product at inputs."""
    single, inputs = _as_tuple(inputs)
    leaves = _leaves(inputs)
    with enable_grad():
        out = func(*leaves)
    if v is None and out.numel() != 1:
        raise RuntimeError("The vector v can only be None if the user-provided function "
                           "returns a single Tensor with a single element.")
    grads = _grads(out, leaves, v, create_graph)
    grads = grads if create_graph else tuple(g.detach() for g in grads)
    return out.detach(), grads[0] if single else grads


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), J v): the Jacobian-vector product at inputs (by the double-vjp trick:
    the derivative of u^T J with respect to u, along v)."""
    single, inputs = _as_tuple(inputs)
    leaves = _leaves(inputs)
    with enable_grad():
        out = func(*leaves)
        u = out.detach().new_zeros(out.shape).requires_grad_(True)
        back = _grads(out, leaves, u, create_graph=True)
        vs = (v,) if isinstance(v, Tensor) else tuple(v) if v is not None else \
            tuple(Tensor._make(np.ones_like(x._data)) for x in leaves)
        total = sum((g * w).sum() for g, w in zip(back, vs))
    result = _grads(total, (u,), None, create_graph)[0]
    return out.detach(), result if create_graph else result.detach()


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), H v) for a scalar func: the Hessian-vector product."""
    single, inputs = _as_tuple(inputs)
    leaves = _leaves(inputs)
    out = _scalar_output(func, leaves, "hvp")
    with enable_grad():
        grads = _grads(out.reshape(()), leaves, None, create_graph=True)
        vs = (v,) if isinstance(v, Tensor) else tuple(v)
        total = sum((g * w).sum() for g, w in zip(grads, vs))
    result = _grads(total, leaves, None, create_graph)
    result = result if create_graph else tuple(r.detach() for r in result)
    return out.detach(), result[0] if single else result


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T H): the same as hvp, H being symmetric."""
    return hvp(func, inputs, v, create_graph, strict)
