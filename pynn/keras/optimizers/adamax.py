"""Adamax with Keras 3's defaults and update (keras.optimizers.Adamax)."""
import numpy as np

from .optimizer import Engine, MomentOptimizer


class _AdamaxEngine(Engine):
    """m += (g - m)(1 - b1); u = max(b2 u, |g|); p -= lr m / ((1 - b1^t)(u + eps))."""

    SLOTS = ("momentum", "norm")

    def update_step(self, g, p, state, group):
        beta_1, m, u = group["beta_1"], state["momentum"], state["norm"]
        m += (g - m) * (1 - beta_1)
        np.maximum(group["beta_2"] * u, np.abs(g), out=u)
        p -= group["lr"] * m / ((1 - beta_1 ** (state["step"] + 1)) * (u + group["epsilon"]))


class Adamax(MomentOptimizer):
    """Adamax(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, ...)."""

    default_name = "adamax"
    ENGINE = _AdamaxEngine
