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
