"""torch.mps as a machine without Apple's GPU sees it: `torch.mps.is_available()` is False."""


def is_available():
    return False


def device_count():
    return 0


def manual_seed(seed):
    """Nothing to seed: there is no MPS device (pynn.manual_seed seeds pynn's generator)."""


seed = manual_seed


def synchronize():
    """Nothing to wait for: pynn runs on the CPU."""


def empty_cache():
    """Nothing to free."""
