"""torch.backends as a script without a GPU sees it: the flags scripts set for reproducibility
(cudnn.deterministic, cudnn.benchmark) are kept and change nothing, since pynn runs on the CPU
and is deterministic for a given seed; no accelerator backend is available."""
import sys
import types


def _unavailable():
    return False


cudnn = types.SimpleNamespace(deterministic=False, benchmark=False, enabled=True,
                              allow_tf32=True, is_available=_unavailable,
                              version=lambda: None)
mps = types.SimpleNamespace(is_available=_unavailable, is_built=_unavailable)
cuda = types.SimpleNamespace(is_built=_unavailable,
                             matmul=types.SimpleNamespace(allow_tf32=False))
mkldnn = types.SimpleNamespace(is_available=_unavailable, enabled=False)
openmp = types.SimpleNamespace(is_available=lambda: True)


for _name in ("cudnn", "mps", "cuda", "mkldnn", "openmp"):  # import torch.backends.cudnn as cudnn
    _module = types.ModuleType(f"{__name__}.{_name}")
    _module.__dict__.update(vars(globals()[_name]))
    sys.modules[_module.__name__] = globals()[_name] = _module
