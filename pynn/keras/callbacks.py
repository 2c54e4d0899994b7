"""Callbacks with Keras's hooks: Callback, History, EarlyStopping, TerminateOnNaN, ProgbarLogger.

fit calls on_train_begin/end, on_epoch_begin/end(epoch, logs) and on_train_batch_begin/end(batch,
logs), each only on the callbacks that override it: a hook no callback overrides costs nothing
per epoch or batch.
"""
import math
import sys
import warnings

from .progbar import Progbar


class Callback:
    """Base class: override the hooks you need. `self.model` is the model being trained and
    `self.params` holds fit's settings (epochs, steps, verbose)."""

    def __init__(self):
        self.model = None
        self.params = {}

    def set_model(self, model):
        self.model = model

    def set_params(self, params):
        self.params = params

    def on_train_begin(self, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_train_batch_begin(self, batch, logs=None):
        pass

    def on_train_batch_end(self, batch, logs=None):
        pass

    def wants_batches(self):
        """Whether fit must call this callback's per-batch hooks (it overrides one)."""
        return self.overrides("on_train_batch_begin") or self.overrides("on_train_batch_end")

    def overrides(self, hook):
        """Whether this callback's hook (a method name) does something: it is not Callback's."""
        return getattr(getattr(self, hook), "__func__", None) is not getattr(Callback, hook)


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


class TerminateOnNaN(Callback):
    """Stops training when a batch's loss is NaN or infinite. fit does this by default (and
    skips that batch's update), so this is for code written for Keras."""

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(loss):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True


class EarlyStopping(Callback):
    """Stops training when `monitor` has not improved by more than min_delta for `patience`
    epochs; with restore_best_weights, the weights of the best epoch are put back when training
    ends. mode 'auto' minimises losses and errors and maximises accuracies."""

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"EarlyStopping: mode must be 'auto', 'min' or 'max', got {mode!r}")
        self.monitor, self.mode = monitor, mode
        self.min_delta, self.patience, self.verbose = abs(min_delta), patience, verbose
        self.baseline, self.restore_best_weights = baseline, restore_best_weights
        self.start_from_epoch = start_from_epoch
        self.wait = self.stopped_epoch = self.best_epoch = 0
        self.best = self.best_weights = self.maximise = None

    def _maximise(self):
        """Whether bigger values of the monitored quantity are better."""
        if self.mode != "auto":
            return self.mode == "max"
        name = self.monitor[4:] if self.monitor.startswith("val_") else self.monitor
        if name == "loss":
            return False
        for metric in getattr(self.model, "metrics", []):
            if metric.name == name:
                return metric.direction == "up"
        raise ValueError(f"EarlyStopping callback received monitor={self.monitor!r} but cannot "
                         "tell whether it should be maximized or minimized: pass mode='max' "
                         "or mode='min'")

    def on_train_begin(self, logs=None):
        self.wait = self.stopped_epoch = self.best_epoch = 0
        self.best = self.best_weights = self.maximise = None

    def _improves_on(self, value, reference):
        """Whether value beats reference by more than min_delta (anything beats None)."""
        if reference is None:
            return True
        if self.maximise:
            return value - self.min_delta > reference
        return value + self.min_delta < reference

    def on_epoch_end(self, epoch, logs=None):
        current = (logs or {}).get(self.monitor)
        if current is None:
            warnings.warn(f"Early stopping conditioned on metric `{self.monitor}` which is not "
                          f"available. Available metrics are: {','.join(logs or {})}",
                          stacklevel=2)
            return
        if epoch < self.start_from_epoch:
            return
        if self.maximise is None:  # the model's metrics exist once the first epoch has run
            self.maximise = self._maximise()
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights, self.best_epoch = self.model.get_weights(), epoch
        self.wait += 1
        if self._improves_on(current, self.best):
            self.best, self.best_epoch = current, epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            # the count restarts only when the baseline is beaten too
            if self.baseline is None or self._improves_on(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: "
                      f"{self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)


class ProgbarLogger(Callback):
    """Prints 'Epoch i/N' and the progress line of fit (added by fit when verbose is not 0)."""

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


class CallbackList:
    """Dispatches fit's hooks to its callbacks; batch hooks only to those that want them."""

    def __init__(self, callbacks, model, params):
        self.callbacks = list(callbacks)
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"callbacks: expected Callback objects, got "
                                f"{type(cb).__name__} {cb!r}")
            cb.set_model(model)
            cb.set_params(params)
        self.batch_callbacks = [cb for cb in self.callbacks if cb.wants_batches()]
        self._epoch_begin = [cb for cb in self.callbacks if cb.overrides("on_epoch_begin")]
        self._epoch_end = [cb for cb in self.callbacks if cb.overrides("on_epoch_end")]

    def on_train_begin(self, logs=None):
        for cb in self.callbacks:
            cb.on_train_begin(logs)

    def on_train_end(self, logs=None):
        for cb in self.callbacks:
            cb.on_train_end(logs)

    def on_epoch_begin(self, epoch, logs=None):
        for cb in self._epoch_begin:
            cb.on_epoch_begin(epoch, logs)

    def on_epoch_end(self, epoch, logs=None):
        for cb in self._epoch_end:
            cb.on_epoch_end(epoch, logs)

    def on_train_batch_begin(self, batch, logs=None):
        for cb in self.batch_callbacks:
            cb.on_train_batch_begin(batch, logs)

    def on_train_batch_end(self, batch, logs=None):
        for cb in self.batch_callbacks:
            cb.on_train_batch_end(batch, logs)
