"""History: the per-epoch logs fit returns."""
from .callback import Callback


class History(Callback):
    """Records the logs of every epoch: history.history['loss'][i] is epoch i's loss, and
    history.epoch the epoch numbers. fit returns it and sets it as model.history."""

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []
        self.model.history = self

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
