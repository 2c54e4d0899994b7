"""pynn.utils: data loading (pynn.utils.data), as torch.utils."""
from . import data
