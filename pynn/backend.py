"""The array backend the engine runs on: the C kernels (default), or their NumPy twins with
PYNN_BACKEND=numpy, so that any result can be compared end to end against the reference."""
import os

NAME = os.environ.get("PYNN_BACKEND", "c").strip().lower() or "c"

if NAME == "c":
    from .kernels import *  # noqa: F401,F403
elif NAME == "numpy":
    from .reference import *  # noqa: F401,F403
else:
    raise ImportError(f"PYNN_BACKEND must be 'c' or 'numpy', got {NAME!r}")
