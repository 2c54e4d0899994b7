"""Optimizers with PyTorch's names, defaults and semantics (torch.optim); SGD's and Adam's
updates run in C, one call for all the parameters of a group."""
from . import lr_scheduler
from .adagrad import Adadelta, Adagrad
from .asgd import ASGD
from .adam import Adam, AdamW
from .adam_variants import Adamax, NAdam, RAdam
from .lbfgs import LBFGS
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .rprop import Rprop
from .sgd import SGD

# torch.optim's per-optimizer module paths that pynn keeps in a shared file
# (from torch.optim.adamw import AdamW)
import sys as _sys  # noqa: E402

from . import adam as _adam, adagrad as _adagrad, adam_variants as _variants  # noqa: E402

for _name, _module in (("adamw", _adam), ("adadelta", _adagrad), ("adamax", _variants),
                       ("nadam", _variants), ("radam", _variants)):
    _sys.modules[f"{__name__}.{_name}"] = _module
del _name, _module
