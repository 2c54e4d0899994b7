"""tf.test's device questions for `import tensorflow as tf` scripts: pynn runs on the CPU."""


def is_gpu_available(cuda_only=False, min_cuda_compute_capability=None):
    return False


def is_built_with_cuda():
    return False


def is_built_with_gpu_support():
    return False


def gpu_device_name():
    """'' : there is no GPU device, as TensorFlow answers without one."""
    return ""
