"""torch.autograd's user-facing pieces: grad() (gradients without touching .grad), Variable
(the old wrapper, now a Tensor) and Function (a custom op with forward and backward)."""
import numpy as np

from . import validate
from .tensor import Tensor, no_grad, propagate, tensor  # noqa: F401 (no_grad: torch.autograd's)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=False):
    """The gradients of outputs (a tensor, or a sequence summed) with respect to each of inputs,
    as a tuple, leaving every .grad alone."""
    if create_graph:
        raise NotImplementedError("autograd.grad(create_graph=True): pynn computes first "
                                  "derivatives only")
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    single = isinstance(inputs, Tensor)
    inputs = [inputs] if single else list(inputs)
    if grad_outputs is None or isinstance(grad_outputs, Tensor):
        grad_outputs = [grad_outputs] * len(outputs)
    keep = {t for t in inputs if t._backward is not None}
    found = {}
    for out, g in zip(outputs, grad_outputs):
        for t, value in propagate(out, g, bool(retain_graph), keep).items():
            found[t] = found[t] + value if t in found else value
    result = []
    for t in inputs:
        if t not in found and not allow_unused:
            raise RuntimeError("One of the differentiated Tensors appears to not have been used "
                               "in the graph. Set allow_unused=True if this is the desired "
                               "behavior.")
        result.append(Tensor._make(np.array(found[t])) if t in found else None)
    return tuple(result)


def Variable(data, requires_grad=False, volatile=False):
    """The old autograd wrapper: today a Variable is a Tensor (this returns the tensor itself,
    or a new one from data), with requires_grad set if asked."""
    t = data if isinstance(data, Tensor) else tensor(data)
    if requires_grad:
        t.requires_grad_(validate.flag(requires_grad, "requires_grad"))
    return t


__all__ = ["grad", "Variable", "no_grad"]
