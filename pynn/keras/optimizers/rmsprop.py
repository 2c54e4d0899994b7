"""RMSprop with Keras 3's defaults and update (keras.optimizers.RMSprop)."""
import numpy as np

from ... import validate
from .optimizer import Engine, Optimizer


class _RMSpropEngine(Engine):
    """v = rho v + (1 - rho) g^2 (centered: a = rho a + (1 - rho) g, v - a^2 below);
    step = lr g / sqrt(v + eps), epsilon under the root; with momentum, buf = momentum buf +
    step and p -= buf, else p -= step."""

    SLOTS = ("velocity", "momentum", "average_gradient")

    def update_step(self, g, p, state, group):
        rho, v = group["rho"], state["velocity"]
        v *= rho
        v += (1 - rho) * g * g
        if group["centered"]:
            a = state["average_gradient"]
            a *= rho
            a += (1 - rho) * g
            denominator = v - a * a + group["epsilon"]
        else:
            denominator = v + group["epsilon"]
        step = group["lr"] * g / np.sqrt(denominator)
        if group["momentum"] > 0:
            buf = state["momentum"]
            buf *= group["momentum"]
            buf += step
            step = buf
        p -= step


class RMSprop(Optimizer):
    """RMSprop(learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False, ...),
    Keras's defaults and form."""

    default_name = "rmsprop"

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False,
                 **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.rho = validate.number(rho, "rho")
        self.momentum = validate.nonnegative(momentum, "momentum")
        self.epsilon = validate.number(epsilon, "epsilon")
        self.centered = validate.flag(centered, "centered")

    def _make(self, variables):
        return _RMSpropEngine(variables, rho=self.rho, momentum=self.momentum,
                              epsilon=self.epsilon, centered=self.centered)

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum,
                "epsilon": self.epsilon, "centered": self.centered}
