"""Adadelta with Keras 3's defaults and update (keras.optimizers.Adadelta)."""
import numpy as np

from ... import validate
from .optimizer import Engine, Optimizer


class _AdadeltaEngine(Engine):
    """a = rho a + (1 - rho) g^2; d = -sqrt(b + eps) / sqrt(a + eps) g;
    b = rho b + (1 - rho) d^2; p += lr d."""

    SLOTS = ("accumulated_grad", "accumulated_delta_var")

    def update_step(self, g, p, state, group):
        rho, eps = group["rho"], group["epsilon"]
        a, b = state["accumulated_grad"], state["accumulated_delta_var"]
        a *= rho
        a += (1 - rho) * g * g
        delta = -np.sqrt(b + eps) * g / np.sqrt(a + eps)
        b *= rho
        b += (1 - rho) * delta * delta
        p += group["lr"] * delta


class Adadelta(Optimizer):
    """Adadelta(learning_rate=0.001, rho=0.95, epsilon=1e-7, ...), Keras's defaults."""

    default_name = "adadelta"

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.rho = validate.number(rho, "rho")
        self.epsilon = validate.number(epsilon, "epsilon")

    def _make(self, variables):
        return _AdadeltaEngine(variables, rho=self.rho, epsilon=self.epsilon)

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
