"""Lion with Keras 3's defaults and update (keras.optimizers.Lion)."""
import numpy as np

from ... import validate
from .optimizer import Engine, Optimizer


class _LionEngine(Engine):
    """p -= lr sign(b1 m + (1 - b1) g); then m = b2 m + (1 - b2) g."""

    SLOTS = ("momentum",)

    def update_step(self, g, p, state, group):
        beta_1, beta_2, m = group["beta_1"], group["beta_2"], state["momentum"]
        p -= group["lr"] * np.sign(m * beta_1 + g * (1.0 - beta_1))
        m *= beta_2
        m += g * (1.0 - beta_2)


class Lion(Optimizer):
    """Lion(learning_rate=0.001, beta_1=0.9, beta_2=0.99, ...)."""

    default_name = "lion"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.beta_1 = validate.number(beta_1, "beta_1")
        self.beta_2 = validate.number(beta_2, "beta_2")
        if not 0 < self.beta_1 <= 1:
            raise ValueError("Argument `beta_1` must be in the [0, 1] range. Otherwise, the "
                             f"optimizer degenerates to SignSGD. Received: beta_1={beta_1}.")

    def _make(self, variables):
        return _LionEngine(variables, beta_1=self.beta_1, beta_2=self.beta_2)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}
