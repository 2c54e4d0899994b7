"""keras.utils.timeseries_dataset_from_array: the windows of a series as a batched Dataset of
(window, target) pairs (or windows alone), with Keras 3's arguments, checks and windows:
window k starts at data[start_index + p_k] and takes sequence_length steps sampling_rate apart,
p_k = k * sequence_stride; its target is targets[start_index + p_k]."""
import numpy as np


def _positive(value, name, length):
    if value <= 0:
        raise ValueError(f"`{name}` must be higher than 0. Received: {name}={value}")
    if value >= length:
        raise ValueError(f"`{name}` must be lower than the length of the data. Received: "
                         f"{name}={value}, for data of length {length}")


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1,
                                  sampling_rate=1, batch_size=128, shuffle=False, seed=None,
                                  start_index=None, end_index=None):
    """A Dataset of the windows of data (and their targets), batched by batch_size (None:
    one window per element), in random order if shuffle."""
    from ..data import Dataset
    data = np.asarray(data)
    length = len(data)
    if start_index:
        if start_index < 0:
            raise ValueError(f"`start_index` must be 0 or greater. Received: "
                             f"start_index={start_index}")
        if start_index >= length:
            raise ValueError(f"`start_index` must be lower than the length of the data. "
                             f"Received: start_index={start_index}, for data of length "
                             f"{length}")
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError(f"`end_index` must be higher than `start_index`. Received: "
                             f"start_index={start_index}, and end_index={end_index} ")
        if end_index >= length:
            raise ValueError(f"`end_index` must be lower than the length of the data. "
                             f"Received: end_index={end_index}, for data of length {length}")
    _positive(sampling_rate, "sampling_rate", length)
    _positive(sequence_stride, "sequence_stride", length)
    start_index = start_index or 0
    end_index = length if end_index is None else end_index
    count = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        targets = np.asarray(targets)
        count = min(count, len(targets))
    positions = np.arange(0, max(count, 0), sequence_stride)
    if shuffle:
        if seed is None:
            seed = np.random.randint(1e6)
        np.random.RandomState(seed).shuffle(positions)
    steps = np.arange(sequence_length) * sampling_rate
    windows = data[start_index + positions[:, None] + steps[None, :]] if len(positions) else \
        np.zeros((0, sequence_length) + data.shape[1:], data.dtype)
    elements = windows if targets is None else (windows, targets[start_index + positions])
    dataset = Dataset.from_tensor_slices(elements)
    if batch_size is not None:
        if shuffle:
            dataset = dataset.shuffle(buffer_size=batch_size * 8, seed=seed)
        return dataset.batch(batch_size)
    return dataset.shuffle(buffer_size=1024, seed=seed) if shuffle else dataset
