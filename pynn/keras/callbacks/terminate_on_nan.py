"""TerminateOnNaN: stop training at a NaN or infinite loss."""
import math

from .callback import Callback


class TerminateOnNaN(Callback):
    """Stops training when a batch's loss is NaN or infinite (raise_error=True raises instead).
    fit does this by default (and skips that batch's update), so this is for code written for
    Keras."""

    def __init__(self, raise_error=False):
        super().__init__()
        self.raise_error = raise_error

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(loss):
            if self.raise_error:
                raise RuntimeError(f"NaN or Inf loss encountered at batch {batch}. Loss value: "
                                   f"{loss}. Terminating training immediately.")
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
