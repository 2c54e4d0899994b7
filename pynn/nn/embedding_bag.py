"""nn.EmbeddingBag: a table of vectors whose rows are summed, averaged or maxed over each bag
of indices (PyTorch's text-classification tutorial's layer); F.embedding_bag does the work."""
from ..functional.embedding_bag import embedding_bag
from ..tensor import check_device
from .module import Module
from .parameter import Parameter


class EmbeddingBag(Module):
    """num_embeddings vectors of embedding_dim (N(0, 1) init), reduced per bag by mode."""

    def __init__(self, num_embeddings, embedding_dim, max_norm=None, norm_type=2.0,
                 scale_grad_by_freq=False, mode="mean", sparse=False, _weight=None,
                 include_last_offset=False, padding_idx=None, device=None, dtype=None):
        super().__init__()
        from ..ops.creation import randn
        check_device(device)
        if mode not in ("sum", "mean", "max"):
            raise ValueError(f"mode has to be one of sum, mean or max, got {mode!r}")
        if padding_idx is not None and not -num_embeddings <= padding_idx < num_embeddings:
            raise AssertionError("padding_idx must be within num_embeddings")
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.max_norm, self.norm_type, self.mode = max_norm, norm_type, mode
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        self.include_last_offset = include_last_offset
        self.padding_idx = None if padding_idx is None else padding_idx % num_embeddings
        weight = randn(num_embeddings, embedding_dim, dtype=dtype) if _weight is None \
            else _weight
        if self.padding_idx is not None:
            weight._data[self.padding_idx] = 0
        self.weight = Parameter(weight)

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, max_norm=None, norm_type=2.0,
                        scale_grad_by_freq=False, mode="mean", sparse=False,
                        include_last_offset=False, padding_idx=None):
        rows, cols = embeddings.shape
        bag = cls(rows, cols, mode=mode, _weight=embeddings.detach().clone(),
                  include_last_offset=include_last_offset, padding_idx=padding_idx)
        bag.weight.requires_grad = not freeze
        return bag

    def forward(self, input, offsets=None, per_sample_weights=None):
        return embedding_bag(input, self.weight, offsets, mode=self.mode,
                             per_sample_weights=per_sample_weights,
                             include_last_offset=self.include_last_offset,
                             padding_idx=self.padding_idx)

    def extra_repr(self):
        text = f"{self.num_embeddings}, {self.embedding_dim}, mode='{self.mode}'"
        return text + (f", padding_idx={self.padding_idx}" if self.padding_idx is not None
                       else "")
