"""torch.nn.parameter's name for Parameter (from torch.nn.parameter import Parameter)."""
from .module import Parameter

__all__ = ["Parameter"]
