"""torch.autograd's user-facing pieces: grad() and backward() (gradients of chosen outputs),
Function (a custom op: forward and backward as static methods, called through .apply),
Variable (the old wrapper, now a Tensor), the grad-mode switches, and functional.jacobian."""
import sys
import types

import numpy as np

from . import validate
from .gradcheck import gradcheck  # noqa: F401 (torch.autograd.gradcheck)
from . import autograd_functional as functional
from .higher_order import propagate_graph
from .tensor import (Tensor, enable_grad, inference_mode,  # noqa: F401
                     is_grad_enabled, no_grad, propagate, set_grad_enabled, tensor)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=False, is_grads_batched=False, materialize_grads=False):
    """The gradients of outputs (a tensor, or a sequence summed) with respect to each of inputs,
    as a tuple, leaving every .grad alone."""
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    single = isinstance(inputs, Tensor)
    inputs = [inputs] if single else list(inputs)
    if grad_outputs is None or isinstance(grad_outputs, Tensor):
        grad_outputs = [grad_outputs] * len(outputs)
    keep = {t for t in inputs if t._backward is not None}
    found = {}
    for out, g in zip(outputs, grad_outputs):
        if create_graph:  # gradients as tensors in a graph of their own, to differentiate again
            grads = propagate_graph(out, g, keep)
        else:
            grads = propagate(out, g, bool(retain_graph), keep)
        for t, value in grads.items():
            found[t] = found[t] + value if t in found else value
    result = []
    for t in inputs:
        if t not in found and not (allow_unused or materialize_grads):
            raise RuntimeError("One of the differentiated Tensors appears to not have been used "
                               "in the graph. Set allow_unused=True if this is the desired "
                               "behavior.")
        if t in found:
            value = found[t]
            result.append(value if isinstance(value, Tensor) else Tensor._make(np.array(value)))
        else:
            result.append(Tensor._make(np.zeros_like(t._data)) if materialize_grads else None)
    return tuple(result)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
             inputs=None):
    """Add the gradients of tensors (one, or a sequence, each with its grad_tensors entry) into
    the .grad of the leaves, as torch.autograd.backward."""
    tensors = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    if grad_tensors is None or isinstance(grad_tensors, Tensor):
        grad_tensors = [grad_tensors] * len(tensors)
    if len(grad_tensors) != len(tensors):
        raise RuntimeError(f"grad_tensors: got {len(grad_tensors)} gradients for "
                           f"{len(tensors)} tensors")
    for t, g in zip(tensors, grad_tensors):
        t.backward(g, retain_graph=retain_graph, create_graph=create_graph, inputs=inputs)


def Variable(data, requires_grad=False, volatile=False):
    """The old autograd wrapper: today a Variable is a Tensor (this returns the tensor itself,
    or a new one from data), with requires_grad set if asked."""
    t = data if isinstance(data, Tensor) else tensor(data)
    if requires_grad:
        t.requires_grad_(validate.flag(requires_grad, "requires_grad"))
    return t


class FunctionCtx:
    """The `ctx` a custom Function's forward and backward share: save_for_backward(*tensors)
    keeps tensors for backward (ctx.saved_tensors), and any attribute may be set on it."""

    def __init__(self):
        self.saved_tensors = ()
        self.needs_input_grad = ()
        self.non_differentiable = set()
        self.materialize_grads = True

    def save_for_backward(self, *tensors):
        for t in tensors:
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(f"save_for_backward can only save variables, but argument "
                                f"is of type {type(t).__name__}")
        self.saved_tensors = tensors

    @property
    def saved_variables(self):
        return self.saved_tensors

    def mark_non_differentiable(self, *tensors):
        self.non_differentiable.update(id(t) for t in tensors)

    def mark_dirty(self, *tensors):
        """Accepted for compatibility: pynn checks in-place changes by version counts."""

    def set_materialize_grads(self, value):
        self.materialize_grads = bool(value)


class Function:
    """A differentiable op of the user's own, as torch.autograd.Function:

        class Cube(Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x ** 3
            @staticmethod
            def backward(ctx, grad_output):
                x, = ctx.saved_tensors
                return 3 * x ** 2 * grad_output

        y = Cube.apply(x)

    forward runs without recording a graph; backward returns one gradient per argument of
    forward (None for the ones that are not tensors or need none)."""

    def __init__(self, *args, **kwargs):
        pass

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def setup_context(ctx, inputs, output):
        return _NO_SETUP

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("You must implement either the backward or vjp method for "
                                  "your custom autograd.Function to use it with backward mode "
                                  "AD.")

    vjp = backward

    @classmethod
    def apply(cls, *args, **kwargs):
        ctx = FunctionCtx()
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a._requires_grad for a in args)
        separate = cls.setup_context is not Function.setup_context
        with no_grad():
            result = cls.forward(*args, **kwargs) if separate else \
                cls.forward(ctx, *args, **kwargs)
        if separate:
            cls.setup_context(ctx, args, result)
        single = not isinstance(result, tuple)
        outputs = (result,) if single else result
        for out in outputs:
            if out is not None and not isinstance(out, Tensor):
                raise TypeError(f"{cls.__name__}.forward must return Tensors, got "
                                f"{type(out).__name__}")
        positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        parents = tuple(args[i] for i in positions)
        saved = tuple(t for t in ctx.saved_tensors if isinstance(t, Tensor))
        wrapped = tuple(None if out is None else _output(cls, ctx, args, positions, parents,
                                                         saved, outputs, k)
                        for k, out in enumerate(outputs))
        return wrapped[0] if single else wrapped


_NO_SETUP = object()


def _output(cls, ctx, args, positions, parents, saved, outputs, k):
    """Output k of a custom Function as a graph node whose backward calls the Function's with
    this output's gradient (zeros for the others: the gradients of outputs add up)."""
    data = outputs[k]._data
    if id(outputs[k]) in ctx.non_differentiable or data.dtype.kind != "f":
        return Tensor._make(data)

    def backward(g):
        grads = [Tensor._make(np.zeros_like(o._data)) if o is not None else None
                 for o in outputs]
        grads[k] = Tensor._make(g)
        with no_grad():
            returned = cls.backward(ctx, *grads)
        returned = returned if isinstance(returned, tuple) else (returned,)
        while len(returned) > len(args) and returned[-1] is None:  # extra Nones are allowed
            returned = returned[:-1]
        if len(returned) == len(args):
            return tuple(returned[i] for i in positions)
        if len(returned) != len(positions):
            raise RuntimeError(f"function {cls.__name__}Backward returned an incorrect number "
                               f"of gradients (expected {len(args)}, got {len(returned)})")
        return returned
    def differentiable_backward(g):  # the same, recording a graph (create_graph=True)
        grads = [o.new_zeros(o.shape) if o is not None else None for o in outputs]
        grads[k] = g
        returned = cls.backward(ctx, *grads)
        returned = returned if isinstance(returned, tuple) else (returned,)
        returned = returned + (None,) * (len(args) - len(returned))
        return tuple(returned[i] for i in positions) if len(returned) >= len(args) else \
            returned

    backward.__qualname__ = f"{cls.__name__}.<locals>.backward"
    backward.grad_fn_name = f"{cls.__name__}Backward"  # as PyTorch names a custom Function's
    backward.differentiable = differentiable_backward
    return Tensor.from_op(data, parents, backward, saved=saved)


sys.modules[f"{__name__}.functional"] = functional  # from torch.autograd.functional import ...
def once_differentiable(backward):
    """Marks a custom Function's backward as not differentiable twice: pynn's backward of a
    custom Function records no graph anyway, so this returns it as it is."""
    return backward


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  **kwargs):
    """Check the second derivatives of func by central differences of its first derivatives
    (computed with create_graph=True), as torch.autograd.gradgradcheck; True or raise."""
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)

    def first_derivatives(*xs):
        with enable_grad():
            xs = [x if not isinstance(x, Tensor) or x.requires_grad or not x.is_floating_point()
                  else x.detach().requires_grad_(True) for x in xs]
            out = func(*xs)
            outs = (out,) if isinstance(out, Tensor) else tuple(out)
            weights = grad_outputs if grad_outputs is not None else [
                Tensor._make(np.linspace(0.5, 1.5, o.numel()).reshape(tuple(o.shape))
                             .astype(o._data.dtype)) for o in outs]
            weights = (weights,) if isinstance(weights, Tensor) else tuple(weights)
            wanted = [x for x in xs if isinstance(x, Tensor) and x.requires_grad]
            total = sum((o * w).sum() for o, w in zip(outs, weights))
            grads = grad(total, wanted, create_graph=True, allow_unused=True)
            from .ops.shape import cat
            return cat([(g if g is not None else x.new_zeros(x.shape)).reshape(-1)
                        for g, x in zip(grads, wanted)])
    return gradcheck(first_derivatives, list(inputs), eps=eps, atol=atol, rtol=rtol)


function = types.ModuleType(f"{__name__}.function")  # from torch.autograd.function import ...
function.Function, function.FunctionCtx = Function, FunctionCtx
function.once_differentiable = once_differentiable
sys.modules[function.__name__] = function
grad_mode = types.ModuleType(f"{__name__}.grad_mode")
grad_mode.no_grad, grad_mode.enable_grad = no_grad, enable_grad
grad_mode.set_grad_enabled, grad_mode.inference_mode = set_grad_enabled, inference_mode
sys.modules[grad_mode.__name__] = grad_mode
variable = types.ModuleType(f"{__name__}.variable")  # from torch.autograd.variable import ...
variable.Variable = Variable
sys.modules[variable.__name__] = variable


class detect_anomaly:
    """Accepted for compatibility (a context manager or decorator that changes nothing): pynn
    checks every gradient a backward returns already."""

    def __init__(self, check_nan=True):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False

    def __call__(self, fn):
        return fn


def set_detect_anomaly(mode, check_nan=True):
    return detect_anomaly()


__all__ = ["grad", "backward", "Variable", "Function", "no_grad", "enable_grad",
           "set_grad_enabled", "inference_mode", "gradcheck", "functional"]
