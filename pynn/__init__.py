"""pynn: a small reverse-mode autograd engine with a C core."""
from . import backend
from .serialization import load, save

__version__ = "0.1.0"
