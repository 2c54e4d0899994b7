"""Mixed precision (torch.amp, torch.cuda.amp) as a CPU-only machine has it: autocast changes
nothing (pynn computes in the tensors' own dtypes), and GradScaler, with nothing to scale,
passes the loss and the optimizer step through, so a training loop written for a GPU with AMP
runs unchanged."""
import functools
import warnings


class autocast:
    """A context manager (or decorator) that changes nothing: pynn has no reduced-precision
    kernels to switch to."""

    def __init__(self, device_type="cuda", dtype=None, enabled=True, cache_enabled=None):
        self.device_type, self.dtype, self.enabled = device_type, dtype, enabled

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapped(*args, **kwargs):
            with self:
                return fn(*args, **kwargs)
        return wrapped


class GradScaler:
    """Loss scaling for float16 gradients, disabled as PyTorch disables it without CUDA:
    scale(loss) is loss, step(optimizer) is optimizer.step(), update() does nothing."""

    def __init__(self, device="cuda", init_scale=2.0 ** 16, growth_factor=2.0,
                 backoff_factor=0.5, growth_interval=2000, enabled=True):
        if enabled and device == "cuda":
            warnings.warn("torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  "
                          "Disabling.", UserWarning, stacklevel=2)
        self._enabled = False

    def scale(self, outputs):
        return outputs

    def unscale_(self, optimizer):
        pass

    def step(self, optimizer, *args, **kwargs):
        return optimizer.step(*args, **kwargs)

    def update(self, new_scale=None):
        pass

    def get_scale(self):
        return 1.0

    def is_enabled(self):
        return self._enabled

    def state_dict(self):
        return {}

    def load_state_dict(self, state_dict):
        pass
