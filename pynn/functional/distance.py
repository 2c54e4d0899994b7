"""Normalisation and distances along a dimension: normalize, cosine_similarity,
pairwise_distance, pdist, as torch.nn.functional has them (composed of Tensor ops)."""
import numpy as np

from ..tensor import Tensor, tensor


def _tensor(x):
    return x if isinstance(x, Tensor) else tensor(x)


def normalize(input, p=2.0, dim=1, eps=1e-12):
    """input / max(||input||_p along dim, eps)."""
    x = _tensor(input)
    return x / x.norm(p, dim, keepdim=True).clamp(min=eps)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    x1, x2 = _tensor(x1), _tensor(x2)
    dot = (x1 * x2).sum(dim)
    return dot / (x1.norm(2, dim) * x2.norm(2, dim)).clamp(min=eps)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    return (_tensor(x1) - _tensor(x2) + eps).norm(p, -1, keepdim=keepdim)


def pdist(input, p=2.0):
    """The p-norm distance between every pair of rows i < j of an (N, M) input, in the order
    of the upper triangle, as F.pdist: N * (N - 1) / 2 values."""
    x = _tensor(input)
    if x.dim() != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {x.dim()}D")
    i, j = np.triu_indices(x.shape[0], 1)
    return (x[i] - x[j]).norm(p, -1)
