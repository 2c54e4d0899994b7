"""Datasets and batches, as torch.utils.data: Dataset, TensorDataset, Subset, random_split,
ConcatDataset and DataLoader."""
from .dataloader import DataLoader, default_collate
from .dataset import ConcatDataset, Dataset, Subset, TensorDataset, random_split
