"""pynn: a small reverse-mode autograd engine with a C core."""
from . import backend, functional, nn, optim
from .backend import get_num_threads, set_num_threads
from .gradcheck import GradcheckError, gradcheck
from .random import manual_seed
from .serialization import load, save
from .tensor import Tensor, is_grad_enabled, no_grad, tensor

__version__ = "0.1.0"
