"""gradcheck: compare a function's analytic gradients with central differences, in float64."""
import warnings

import numpy as np

from . import validate
from .tensor import Tensor, no_grad


class GradcheckError(AssertionError):
    """An analytic gradient disagrees with its finite-difference estimate."""


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3):
    """Check the gradients of fn(*inputs) by central differences; return True or raise
    GradcheckError naming the worst element (input index, position, analytic and numeric values).

    inputs is a Tensor or a sequence of Tensors (other values, e.g. integer targets, are passed
    to fn unchanged). Every element of every input with requires_grad is checked, on float64
    copies: the inputs themselves and their .grad are left alone. A non-scalar output is checked
    through (out * r).sum() for a fixed random r, which tests every entry of the Jacobian: a wrong
    entry would have to be cancelled exactly by the random weights of the others. An element
    passes when |analytic - numeric| <= atol + rtol * |numeric|.
    """
    if not callable(fn):
        raise TypeError(f"gradcheck: fn must be a callable taking the inputs and returning a "
                        f"Tensor, got {type(fn).__name__} {fn!r}")
    if not isinstance(inputs, (Tensor, list, tuple)):
        raise TypeError(f"gradcheck: inputs must be a Tensor or a list or tuple of them, "
                        f"got {type(inputs).__name__}")
    eps = validate.number(eps, "gradcheck: eps")
    if not eps > 0:
        raise ValueError(f"gradcheck: eps must be > 0 (the finite-difference step), got {eps}")
    atol, rtol = validate.nonnegative(atol, "gradcheck: atol"), \
        validate.nonnegative(rtol, "gradcheck: rtol")
    inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    checked = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    if not checked:
        raise ValueError("gradcheck: no input is a Tensor with requires_grad=True")
    if any(inputs[i].dtype != np.float64 for i in checked):
        warnings.warn("gradcheck: some inputs are not float64; they are checked in float64 "
                      "copies, since finite differences in float32 are too coarse to compare",
                      UserWarning, stacklevel=2)
    args = [Tensor._make(np.array(x._data, dtype=np.float64), x.requires_grad)
            if isinstance(x, Tensor) else x for x in inputs]

    out = fn(*args)
    if not isinstance(out, Tensor):
        raise TypeError(f"gradcheck: fn must return a Tensor, got {type(out).__name__}")
    weights = np.random.default_rng(0).uniform(0.5, 1.5, out.shape)
    if not out.requires_grad:
        raise ValueError("gradcheck: fn's output does not depend on any input requiring grad")
    out.backward(weights)

    def objective():
        with no_grad():
            return float((np.asarray(fn(*args)._data, dtype=np.float64) * weights).sum())

    worst = None  # (excess over tolerance, input index, position, analytic, numeric)
    for i in checked:
        data = args[i]._data
        analytic = args[i]._grad._data if args[i]._grad is not None else np.zeros_like(data)
        for pos in np.ndindex(data.shape):
            original = data[pos]
            data[pos] = original + eps
            plus = objective()
            data[pos] = original - eps
            minus = objective()
            data[pos] = original
            numeric = (plus - minus) / (2 * eps)
            a = float(analytic[pos])
            excess = abs(a - numeric) - (atol + rtol * abs(numeric))
            excess = np.inf if np.isnan(excess) else excess  # a NaN on either side is worst
            if excess > 0 and (worst is None or excess > worst[0]):
                worst = (excess, i, pos, a, numeric)
    if worst is not None:
        _, i, pos, a, numeric = worst
        raise GradcheckError(f"gradcheck: gradient of input {i} at position {pos}: analytic "
                             f"{a!r}, numeric {numeric!r} (|difference| {abs(a - numeric):.3g} "
                             f"> atol + rtol * |numeric| = {atol + rtol * abs(numeric):.3g})")
    return True
