"""pynn runs on the CPU: pynn.cuda answers as torch.cuda does on a machine without a GPU, so
`device = 'cuda' if torch.cuda.is_available() else 'cpu'` picks the CPU."""


def is_available():
    return False


def is_bf16_supported(including_emulation=True):
    """False: there is no GPU (so scripts pick float16 or float32)."""
    return False


def device_count():
    return 0


def manual_seed(seed):
    """Nothing to seed: there is no GPU (pynn.manual_seed seeds pynn's generator)."""


manual_seed_all = manual_seed


def current_device():
    raise RuntimeError("pynn runs on the CPU only: there is no CUDA device")


def synchronize(device=None):
    """Nothing to wait for: pynn runs on the CPU."""


def empty_cache():
    """Nothing to free: pynn holds no GPU memory."""


def get_device_name(device=None):
    raise RuntimeError("pynn runs on the CPU only: there is no CUDA device")


from . import amp  # noqa: E402  (torch.cuda.amp: autocast and GradScaler, as without a GPU)
import sys as _sys  # noqa: E402
_sys.modules[f"{__name__}.amp"] = amp
