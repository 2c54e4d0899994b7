"""Dropout modules, as torch.nn has them: active in training mode, the identity after
model.eval()."""
from .. import functional as F
from ..functional.dropout import probability
from .module import Module


class Dropout(Module):
    """Each element zeroed with probability p in training, the others scaled by 1/(1 - p)."""

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        self.p, self.inplace = probability(p), inplace

    def forward(self, input):
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class AlphaDropout(Dropout):
    def forward(self, input):
        return F.alpha_dropout(input, self.p, self.training)
