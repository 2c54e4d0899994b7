"""torch.accelerator as a machine without a GPU sees it: no accelerator is available, so the
idiom of PyTorch's tutorials

    device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() \\
        else "cpu"

picks the CPU."""


def is_available():
    return False


def current_accelerator(check_available=False):
    """The accelerator in use: None, as PyTorch answers when there is none."""
    return None


def device_count():
    return 0


def current_device_index():
    return -1


def synchronize(device=None):
    """Nothing to wait for: every pynn op has finished when it returns."""
