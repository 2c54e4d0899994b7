"""MonitorCallback: what EarlyStopping, ReduceLROnPlateau and ModelCheckpoint share, as Keras's:
a logged quantity to watch, whether bigger or smaller is better, and when a value improves."""
import warnings

from .callback import Callback


class MonitorCallback(Callback):
    """MonitorCallback(monitor='val_loss', mode='auto', baseline=None, min_delta=0): mode 'auto'
    minimises losses and errors and maximises accuracies (the model's metric says which)."""

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, min_delta=0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto "
                          "mode.", stacklevel=3)
            mode = "auto"
        self.monitor, self.mode = monitor, mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.maximise = None

    def _set_direction(self):
        """Decide, once the model's metrics exist, whether bigger values are better."""
        if self.mode != "auto":
            self.maximise = self.mode == "max"
            return
        name = self.monitor[4:] if self.monitor.startswith("val_") else self.monitor
        if name == "loss" or name.endswith("_loss"):
            self.maximise = False
            return
        for metric in getattr(self.model, "metrics", []):
            if metric.name == name:
                self.maximise = metric.direction == "up"
                return
        raise ValueError(f"{type(self).__name__} callback received monitor={self.monitor}, but "
                         "Keras isn't able to automatically determine whether that metric "
                         "should be maximized or minimized. Pass `mode='max'` in order to "
                         "monitor based on the highest metric value, or pass `mode='min'` in "
                         "order to use the lowest value.")

    def _is_improvement(self, value, reference):
        """Whether value beats reference by more than min_delta (anything beats None)."""
        if reference is None:
            return True
        if self.maximise:
            return value - self.min_delta > reference
        return value + self.min_delta < reference
