"""tf.config for `import tensorflow as tf` scripts, which ask what devices there are before they
train: pynn runs on the CPU, so the one physical device is the CPU and the GPU list is empty
(`len(tf.config.list_physical_devices('GPU'))` is 0); the memory and visibility settings are
accepted and change nothing."""
from collections import namedtuple

__all__ = ["PhysicalDevice", "LogicalDevice", "list_physical_devices", "list_logical_devices",
           "set_visible_devices", "get_visible_devices", "experimental", "threading"]

PhysicalDevice = namedtuple("PhysicalDevice", ["name", "device_type"])
LogicalDevice = namedtuple("LogicalDevice", ["name", "device_type"])
_CPU = PhysicalDevice("/physical_device:CPU:0", "CPU")


def list_physical_devices(device_type=None):
    """[the CPU] for None or 'CPU'; [] for 'GPU', 'TPU' or any other kind."""
    return [_CPU] if device_type in (None, "CPU") else []


def list_logical_devices(device_type=None):
    return [LogicalDevice("/device:CPU:0", "CPU")] if device_type in (None, "CPU") else []


def get_visible_devices(device_type=None):
    return list_physical_devices(device_type)


def set_visible_devices(devices, device_type=None):
    """Accepted: pynn sees only the CPU."""


class experimental:
    """tf.config.experimental: memory growth and the device lists, as accepted no-ops."""
    list_physical_devices = staticmethod(list_physical_devices)
    set_visible_devices = staticmethod(set_visible_devices)

    @staticmethod
    def set_memory_growth(device, enable):
        """Accepted: pynn allocates CPU memory as it needs it."""

    @staticmethod
    def get_memory_growth(device):
        return False

    @staticmethod
    def enable_op_determinism():
        """Accepted: pynn's results depend on the seed only."""


class threading:
    """tf.config.threading: the number of threads of pynn's kernels."""

    @staticmethod
    def set_intra_op_parallelism_threads(num_threads):
        from .backend import kernels
        from .validate import num_threads as checked
        if num_threads:
            kernels.set_num_threads(checked(num_threads))

    @staticmethod
    def get_intra_op_parallelism_threads():
        from .backend import kernels
        return kernels.get_num_threads()

    @staticmethod
    def set_inter_op_parallelism_threads(num_threads):
        """Accepted: pynn runs one operation at a time."""

    @staticmethod
    def get_inter_op_parallelism_threads():
        return 1
