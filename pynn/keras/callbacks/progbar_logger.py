"""ProgbarLogger: fit's 'Epoch i/N' lines and progress bar, and evaluate's and predict's bars."""
import sys

from ..progbar import Progbar
from .callback import Callback


class ProgbarLogger(Callback):
    """Prints 'Epoch i/N' and the progress line of each epoch (fit adds it when verbose is not
    0)."""

    def __init__(self, verbose=1, stream=None):
        super().__init__()
        self.verbose = verbose
        self.stream = stream or sys.stdout
        self.progbar = None

    def wants_batches(self):
        """Only a progress line redrawn on a terminal shows anything between epochs."""
        isatty = getattr(self.stream, "isatty", None)
        return self.verbose == 1 and bool(isatty and isatty())

    def on_epoch_begin(self, epoch, logs=None):
        if self.params.get("epochs", 1) > 1:
            print(f"Epoch {epoch + 1}/{self.params['epochs']}", file=self.stream, flush=True)
        self.progbar = Progbar(self.params["steps"], verbose=self.verbose, stream=self.stream)

    def on_train_batch_end(self, batch, logs=None):
        self.progbar.update(batch + 1, logs, finalize=False)

    def on_epoch_end(self, epoch, logs=None):
        self.progbar.update(self.params["steps"], logs, finalize=True)
