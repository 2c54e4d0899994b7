"""DataLoader: batches of a dataset, in the order its sampler gives (shuffled each epoch when
shuffle=True), put together by collate_fn, as torch.utils.data."""
import numpy as np

from ... import validate
from ...tensor import Tensor, tensor
from .dataset import IterableDataset, TensorDataset
from .sampler import BatchSampler, RandomSampler, SequentialSampler


def default_collate(batch):
    """Samples stacked into a batch, as PyTorch's default_collate: tensors and arrays along a
    new first dimension, Python floats as float64, ints as int64, NumPy scalars in their dtype,
    tuples and lists element by element (as a list), dicts key by key, strings as they come
    (a list at the top, a tuple inside a tuple sample's field, as PyTorch gives them)."""
    first = batch[0]
    if isinstance(first, Tensor):
        from ...ops.shape import stack
        return stack(list(batch))
    if isinstance(first, np.ndarray):
        if first.dtype.kind not in "biuf":
            raise TypeError(f"default_collate: batch must contain tensors, numpy arrays, "
                            f"numbers, dicts or lists; found {first.dtype}")
        return tensor(np.stack(batch))
    if isinstance(first, (np.number, np.bool_)):
        return tensor(np.asarray(batch))
    if isinstance(first, float):
        return tensor(list(batch), dtype=np.float64)
    if isinstance(first, (bool, int)):
        return tensor(list(batch))
    if isinstance(first, str):
        return batch
    if isinstance(first, dict):
        return {key: default_collate([b[key] for b in batch]) for key in first}
    if isinstance(first, (tuple, list)):
        if any(len(b) != len(first) for b in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        columns = [default_collate(items) for items in zip(*batch)]
        return type(first)(*columns) if hasattr(first, "_fields") else columns
    raise TypeError(f"default_collate: batch must contain tensors, numpy arrays, numbers, "
                    f"dicts or lists; found {type(first).__name__}")


def default_convert(data):
    """A sample as it is, NumPy arrays made tensors and a tuple a list (what batch_size=None
    gives, as PyTorch's)."""
    if isinstance(data, np.ndarray) and data.dtype.kind in "biuf":
        return tensor(data)
    if isinstance(data, (tuple, list)) and not hasattr(data, "_fields"):
        return [default_convert(d) for d in data]
    if isinstance(data, dict):
        return {k: default_convert(v) for k, v in data.items()}
    return data


class DataLoader:
    """Iterates over batches of batch_size samples (the last one smaller unless drop_last),
    reshuffled every epoch when shuffle=True, as torch.utils.data.DataLoader. A TensorDataset
    without a collate_fn is batched by indexing its tensors at once; any other dataset sample by
    sample, through collate_fn. num_workers and pin_memory are accepted; pynn loads in the
    calling thread."""

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor=None, persistent_workers=False, pin_memory_device="",
                 in_order=True):
        self.dataset = dataset
        self.num_workers, self.pin_memory, self.timeout = num_workers, pin_memory, timeout
        self.generator = generator
        if isinstance(dataset, IterableDataset):
            if shuffle not in (None, False):
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified "
                                 f"shuffle option, but got shuffle={shuffle}")
            if sampler is not None or batch_sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                 "sampler and batch_sampler options")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_size is not None:
            batch_size = validate.positive_int(batch_size, "batch_size")
        self.batch_size, self.drop_last = batch_size, validate.flag(drop_last, "drop_last")
        if sampler is None and not isinstance(dataset, IterableDataset):
            sampler = RandomSampler(dataset, generator=generator) if shuffle else \
                SequentialSampler(dataset)
        self.sampler = sampler
        if batch_sampler is None and batch_size is not None and sampler is not None:
            batch_sampler = BatchSampler(sampler, batch_size, self.drop_last)
        self.batch_sampler = batch_sampler
        self.collate_fn = collate_fn if collate_fn is not None else (
            default_collate if batch_size is not None or batch_sampler is not None
            else default_convert)
        self._fast = type(dataset) is TensorDataset and collate_fn is None

    def __iter__(self):
        if isinstance(self.dataset, IterableDataset):
            return self._iterable()
        if self.batch_sampler is None:
            return (self.collate_fn(self.dataset[i]) for i in self.sampler)
        return self._batches()

    def _batches(self):
        for indices in self.batch_sampler:
            if self._fast:
                index = np.asarray(indices, dtype=np.int64)
                yield [t[index] for t in self.dataset.tensors]
            else:
                yield self.collate_fn([self.dataset[i] for i in indices])

    def _iterable(self):
        if self.batch_size is None:
            for sample in self.dataset:
                yield self.collate_fn(sample)
            return
        batch = []
        for sample in self.dataset:
            batch.append(sample)
            if len(batch) == self.batch_size:
                yield self.collate_fn(batch)
                batch = []
        if batch and not self.drop_last:
            yield self.collate_fn(batch)

    def __len__(self):
        if isinstance(self.dataset, IterableDataset):
            n = len(self.dataset)
            if self.batch_size is None:
                return n
            return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
        if self.batch_sampler is not None:
            return len(self.batch_sampler)
        return len(self.sampler)
