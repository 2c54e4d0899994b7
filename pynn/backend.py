"""The kernels the engine runs on: the C core (pynn._kernels, the default), or its NumPy twin
(pynn.reference) with PYNN_BACKEND=numpy, so that any result can be compared end to end."""
import os

NAME = os.environ.get("PYNN_BACKEND", "c").strip().lower() or "c"

if NAME == "c":
    from . import _kernels as kernels
elif NAME == "numpy":
    from . import reference as kernels
else:
    raise ImportError(f"PYNN_BACKEND must be 'c' or 'numpy', got {NAME!r}")

FUSED = tuple(kernels.ACTIVATIONS)  # the activations a dense layer's product applies itself
