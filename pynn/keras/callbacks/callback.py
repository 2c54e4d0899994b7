"""Callback: the base class of fit's, evaluate's and predict's hooks, as keras.callbacks.Callback.

fit calls on_train_begin/end, on_epoch_begin/end(epoch, logs) and on_train_batch_begin/end(batch,
logs); evaluate (and fit's validation) on_test_*; predict on_predict_*; each only on the callbacks
that override it, so a hook no callback overrides costs nothing per epoch or batch.
"""

_BATCH_HOOKS = ("on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin",
                "on_test_batch_end", "on_predict_batch_begin", "on_predict_batch_end")


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

    def on_test_begin(self, logs=None):
        pass

    def on_test_end(self, logs=None):
        pass

    def on_test_batch_begin(self, batch, logs=None):
        pass

    def on_test_batch_end(self, batch, logs=None):
        pass

    def on_predict_begin(self, logs=None):
        pass

    def on_predict_end(self, logs=None):
        pass

    def on_predict_batch_begin(self, batch, logs=None):
        pass

    def on_predict_batch_end(self, batch, logs=None):
        pass

    def wants_batches(self):
        """Whether the batch hooks must be called for this callback (it overrides one)."""
        return any(self.overrides(hook) for hook in _BATCH_HOOKS)

    def overrides(self, hook):
        """Whether this callback's hook (a method name) does something: it is not Callback's."""
        return getattr(getattr(self, hook), "__func__", None) is not getattr(Callback, hook)
