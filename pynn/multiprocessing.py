"""torch.multiprocessing as scripts use it around a DataLoader (mp.set_start_method,
freeze_support, cpu_count): Python's multiprocessing, which it wraps. pynn's DataLoader loads
in the calling process, so nothing here is needed for it."""
from multiprocessing import *  # noqa: F401,F403
from multiprocessing import get_context, set_start_method, freeze_support, cpu_count  # noqa: F401
