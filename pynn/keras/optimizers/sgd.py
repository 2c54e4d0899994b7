"""SGD with Keras 3's defaults and update (keras.optimizers.SGD)."""
import numpy as np

from ... import optim, validate
from .optimizer import Engine, Optimizer


class _PlainSGD(optim.SGD):
    """p -= lr g, every variable in one C call; no state but the update count."""

    def _init_state(self, p):
        return {"step": 0}


class _MomentumSGD(Engine):
    """Keras's momentum form, in NumPy: m = momentum m - lr g, then p += m, or with nesterov
    p += momentum m - lr g. (It equals PyTorch's only while the rate stays constant.)"""

    SLOTS = ("momentum",)

    def update_step(self, g, p, state, group):
        lr, momentum, m = group["lr"], group["momentum"], state["momentum"]
        m *= momentum
        m -= lr * g
        p += momentum * m - lr * g if group["nesterov"] else m


class SGD(Optimizer):
    """SGD(learning_rate=0.01, momentum=0.0, nesterov=False, ...), Keras's defaults."""

    default_name = "SGD"

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, **kwargs):
        super().__init__(learning_rate, **kwargs)
        if not isinstance(momentum, (float, np.floating)) or not 0 <= momentum <= 1:
            raise ValueError(f"`momentum` must be a float between [0, 1]. Received: "
                             f"momentum={momentum!r}")
        self.momentum = float(momentum)
        self.nesterov = validate.flag(nesterov, "nesterov")

    def _make(self, variables):
        if self.momentum:
            return _MomentumSGD(variables, momentum=self.momentum, nesterov=self.nesterov)
        return _PlainSGD(variables)

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
