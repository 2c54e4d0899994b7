"""Nadam with Keras 3's defaults and update (keras.optimizers.Nadam)."""
import numpy as np

from .optimizer import Engine, MomentOptimizer


class _NadamEngine(Engine):
    """Adam with Nesterov momentum and Keras's momentum schedule u_t = b1 (1 - 0.5 * 0.96^t),
    whose running product each variable keeps (as a 0-d array, saved with the moments)."""

    SLOTS = ("momentum", "velocity")

    def _init_state(self, p):
        return {**super()._init_state(p), "u_product": np.ones((), p._data.dtype)}

    def update_step(self, g, p, state, group):
        beta_1, beta_2 = group["beta_1"], group["beta_2"]
        t = state["step"] + 1
        u_t = beta_1 * (1.0 - 0.5 * 0.96 ** t)
        u_t_1 = beta_1 * (1.0 - 0.5 * 0.96 ** (t + 1))
        u_product_t = state["u_product"] * u_t
        state["u_product"][...] = u_product_t
        u_product_t_1 = u_product_t * u_t_1
        m, v = state["momentum"], state["velocity"]
        m += (g - m) * (1 - beta_1)
        v += (g * g - v) * (1 - beta_2)
        m_hat = u_t_1 * m / (1 - u_product_t_1) + (1 - u_t) * g / (1 - u_product_t)
        v_hat = v / (1 - beta_2 ** t)
        p -= m_hat * group["lr"] / (np.sqrt(v_hat) + group["epsilon"])


class Nadam(MomentOptimizer):
    """Nadam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, ...)."""

    default_name = "nadam"
    ENGINE = _NadamEngine
