"""DataLoader: batches of a dataset, shuffled each epoch if asked, as torch.utils.data."""
import math

import numpy as np

from ... import random, validate
from ...tensor import Tensor, tensor
from .dataset import TensorDataset


def default_collate(batch):
    """Samples stacked into a batch: tensors and arrays along a new first dimension, numbers as
    a tensor, tuples and dicts element by element."""
    first = batch[0]
    if isinstance(first, Tensor):
        from ...ops.shape import stack
        return stack(list(batch))
    if isinstance(first, np.ndarray):
        return tensor(np.stack(batch))
    if isinstance(first, (int, float, bool, np.number, np.bool_)):
        return tensor(list(batch))
    if isinstance(first, dict):
        return {key: default_collate([b[key] for b in batch]) for key in first}
    if isinstance(first, (tuple, list)):
        return type(first)(default_collate(list(items)) for items in zip(*batch)) \
            if not hasattr(first, "_fields") else type(first)(*(default_collate(list(items))
                                                                for items in zip(*batch)))
    return list(batch)


class DataLoader:
    """Iterates over batches of batch_size samples (the last one smaller unless drop_last),
    reshuffled every epoch when shuffle=True. A TensorDataset is batched by slicing its tensors
    at once; any other dataset sample by sample, through collate_fn."""

    def __init__(self, dataset, batch_size=1, shuffle=False, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, generator=None, prefetch_factor=None,
                 persistent_workers=False, **kwargs):
        self.dataset = dataset
        self.batch_size = None if batch_size is None else validate.positive_int(batch_size,
                                                                                "batch_size")
        self.shuffle = bool(shuffle)
        self.drop_last = validate.flag(drop_last, "drop_last")
        self.collate_fn = collate_fn
        self.sampler = sampler
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")

    def _order(self):
        n = len(self.dataset)
        if self.sampler is not None:
            return list(iter(self.sampler))
        return random.generator().permutation(n) if self.shuffle else np.arange(n)

    def __iter__(self):
        order = self._order()
        if self.batch_size is None:
            for i in order:
                yield self.dataset[int(i)]
            return
        n = len(order)
        stop = n - n % self.batch_size if self.drop_last else n
        fast = type(self.dataset) is TensorDataset and self.collate_fn is None
        for start in range(0, stop, self.batch_size):
            index = np.asarray(order[start:start + self.batch_size], dtype=np.int64)
            if fast:
                yield [t[index] for t in self.dataset.tensors]
            else:
                samples = [self.dataset[int(i)] for i in index]
                yield (self.collate_fn or default_collate)(samples)

    def __len__(self):
        n = len(self.dataset) if self.sampler is None else len(self.sampler)
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)
