"""torch.nn.utils: gradient clipping (clip_grad_norm_, clip_grad_value_) and flattening the
parameters into one vector and back, as PyTorch has them; rnn.pad_sequence."""
import math

import numpy as np

from ... import validate
from ...tensor import Tensor, no_grad


def _with_grads(parameters):
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    return [p for p in params if p.grad is not None]


def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """The norm of all the tensors together (the norm of their norms)."""
    norm_type = float(norm_type)
    arrays = [t._data for t in tensors]
    if not arrays:
        return Tensor._make(np.asarray(0.0, np.float32))
    dtype = np.result_type(*arrays)
    if norm_type == math.inf:
        total = max(float(np.abs(a).max()) if a.size else 0.0 for a in arrays)
    else:
        total = sum(float((np.abs(a.astype(np.float64)) ** norm_type).sum())
                    for a in arrays) ** (1.0 / norm_type)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(f"The total norm of order {norm_type} for gradients from "
                           "`parameters` is non-finite, so it cannot be clipped. To disable this "
                           "error and scale the gradients by the non-finite norm anyway, set "
                           "`error_if_nonfinite=False`")
    return Tensor._make(np.asarray(total, dtype))


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False,
                    foreach=None):
    """Scale the gradients of parameters so that their total norm is at most max_norm; returns
    the total norm they had."""
    params = _with_grads(parameters)
    max_norm = validate.number(max_norm, "max_norm")
    total = get_total_norm([p.grad for p in params], norm_type, error_if_nonfinite)
    coef = min(max_norm / (float(total) + 1e-6), 1.0)
    with no_grad():
        for p in params:
            p.grad._data *= p.grad._data.dtype.type(coef)
    return total


clip_grad_norm = clip_grad_norm_


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every gradient element to [-clip_value, clip_value], in place."""
    clip_value = validate.number(clip_value, "clip_value")
    for p in _with_grads(parameters):
        np.clip(p.grad._data, -clip_value, clip_value, out=p.grad._data)


def parameters_to_vector(parameters):
    """The parameters flattened and joined into one 1-D tensor (in the graph)."""
    from ..ops.shape import cat
    return cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vec, parameters):
    """Copy consecutive slices of vec into the parameters, in place."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    params = list(parameters)
    total = sum(p.numel() for p in params)
    if vec.numel() != total:
        raise ValueError(f"vector_to_parameters: the vector has {vec.numel()} elements, the "
                         f"parameters {total}")
    start = 0
    for p in params:
        n = p.numel()
        p._data[...] = vec._data[start:start + n].reshape(p._data.shape)
        p._version.value += 1
        start += n
from . import rnn  # noqa: E402  (torch.nn.utils.rnn.pad_sequence)
import sys as _sys  # noqa: E402

_sys.modules[f"{__name__}.clip_grad"] = _sys.modules[__name__]  # torch.nn.utils.clip_grad
