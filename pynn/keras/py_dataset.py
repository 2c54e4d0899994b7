"""keras.utils.PyDataset (and its old name Sequence): a dataset of batches a script writes
itself, __len__ the number of batches and __getitem__(i) batch i, (x, y) or (x, y,
sample_weight), as fit, evaluate and predict take it in Keras 3.

pynn reads every batch once when fit (or evaluate, predict) starts, calls on_epoch_end(), and
trains on their rows in the first batch's size, as it reads a tf.data.Dataset: a PyDataset
whose batches change from epoch to epoch (random augmentation) is read as its first epoch."""


class PyDataset:
    """Base class: define __len__ and __getitem__; workers, use_multiprocessing and
    max_queue_size are accepted as Keras takes them and not used (batches are read once)."""

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self._workers, self._use_multiprocessing = workers, use_multiprocessing
        self._max_queue_size = max_queue_size

    def __getitem__(self, index):
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError

    @property
    def num_batches(self):
        return len(self)

    def on_epoch_begin(self):
        pass

    def on_epoch_end(self):
        pass

    @property
    def workers(self):
        return getattr(self, "_workers", 1)

    @property
    def use_multiprocessing(self):
        return getattr(self, "_use_multiprocessing", False)

    @property
    def max_queue_size(self):
        return getattr(self, "_max_queue_size", 10)


Sequence = PyDataset
