"""Datasets and batches, as torch.utils.data: Dataset, IterableDataset, TensorDataset, Subset,
random_split, ConcatDataset, the samplers and DataLoader."""
from .dataloader import DataLoader, default_collate, default_convert
from .dataset import ChainDataset, StackDataset
from .dataset import (ConcatDataset, Dataset, IterableDataset, Subset, TensorDataset,
                      random_split)
from .sampler import (BatchSampler, RandomSampler, Sampler, SequentialSampler,
                      SubsetRandomSampler, WeightedRandomSampler)


def get_worker_info():
    """None: pynn loads data in the calling process, as torch does with num_workers=0."""
    return None
