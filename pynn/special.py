"""pynn.special, as torch.special: the functions beginner code reaches for there."""
from .functional.activation import log_softmax, softmax
from .ops.elementwise import erf, erfc, expm1, exp2, log1p, logit, sigmoid as expit
from .ops.reduction import logsumexp

__all__ = ["erf", "erfc", "expit", "expm1", "exp2", "log1p", "log_softmax", "logit",
           "logsumexp", "softmax"]
