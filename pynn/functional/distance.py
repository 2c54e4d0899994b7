"""Normalisation and distances along a dimension: normalize, cosine_similarity,
pairwise_distance, as torch.nn.functional has them (composed of Tensor ops)."""
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
