"""F.embedding_bag: the sum, mean or max of the embedding rows of each bag of indices (the
bags as rows of a 2-D input, or as a 1-D input cut at offsets), as PyTorch's EmbeddingBag
computes it for text classifiers; composed of embedding, a matrix product and max, so the
gradient is theirs."""
import numpy as np

from ..ops.shape import stack
from ..tensor import Tensor, tensor
from .normalization import embedding


def _bags(index, offsets, include_last_offset):
    """The flat indices and the (start, end) of each bag."""
    if index.ndim == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated "
                             "is a mini-batch of fixed length sequences.")
        n, length = index.shape
        return index.reshape(-1), [(b * length, (b + 1) * length) for b in range(n)]
    if index.ndim != 1:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension "
                         f"{index.ndim}")
    if offsets is None:
        raise ValueError("offsets has to be a 1D Tensor but got None")
    cuts = np.asarray(offsets._data if isinstance(offsets, Tensor) else offsets).reshape(-1)
    if cuts.ndim != 1 or cuts.dtype.kind not in "iu":
        raise ValueError("offsets has to be a 1D Tensor of integers")
    if cuts.size and (cuts[0] != 0 or np.any(np.diff(cuts) < 0) or cuts[-1] > index.size):
        raise ValueError("offsets must start at 0, never decrease, and stay within the input")
    ends = list(cuts[1:]) + ([] if include_last_offset else [index.size])
    return index, [(int(s), int(e)) for s, e in zip(cuts, ends)]


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False,
                  mode="mean", sparse=False, per_sample_weights=None, include_last_offset=False,
                  padding_idx=None):
    """One row per bag: the 'sum', 'mean' or 'max' of weight's rows at the bag's indices (an
    empty bag gives zeros; indices equal to padding_idx are left out); per_sample_weights
    scales each index's row, with mode 'sum' only."""
    if mode not in ("sum", "mean", "max"):
        raise ValueError(f"mode has to be one of sum, mean or max, got {mode!r}")
    if max_norm is not None:
        raise NotImplementedError("embedding_bag(max_norm=...) is not supported")
    index = np.asarray(input._data if isinstance(input, Tensor) else input)
    flat, bags = _bags(index, offsets, include_last_offset)
    if per_sample_weights is not None:
        if mode != "sum":
            raise NotImplementedError(f"embedding_bag: per_sample_weights was not None. "
                                      f"per_sample_weights is only supported for mode='sum' "
                                      f"(got mode='{mode}'). Please open a feature request "
                                      f"on GitHub.")
        if tuple(per_sample_weights.shape) != tuple(index.shape):
            raise ValueError("embedding_bag: per_sample_weights must have the shape of input")
    rows = embedding(Tensor._make(flat), weight)  # (T, D)
    keep = np.ones(flat.size, bool) if padding_idx is None else \
        flat != padding_idx % weight.shape[0]
    dim = weight.shape[1]
    if mode == "max":
        out = [rows[np.arange(s, e)[keep[s:e]]].max(0).values if keep[s:e].any()
               else tensor(np.zeros(dim, weight.dtype)) for s, e in bags]
        return stack(out, 0) if out else tensor(np.zeros((0, dim), weight.dtype))
    mix = np.zeros((len(bags), flat.size), weight.dtype)
    for b, (s, e) in enumerate(bags):
        mix[b, s:e] = keep[s:e]
        if mode == "mean" and keep[s:e].any():
            mix[b, s:e] /= keep[s:e].sum()
    if per_sample_weights is not None:
        rows = rows * per_sample_weights.reshape(-1, 1)
    return Tensor._make(mix) @ rows
