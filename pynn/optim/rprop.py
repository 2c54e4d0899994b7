"""Rprop, as torch.optim.Rprop (in NumPy): each weight has its own step size, grown while its
gradient keeps its sign and shrunk when the sign flips; only the gradient's sign is used."""
import numpy as np

from .. import validate
from .optimizer import Optimizer


class Rprop(Optimizer):
    """Resilient backpropagation (Riedmiller and Braun):
        s = g * g_prev;  step *= etaplus where s > 0, etaminus where s < 0, clamped to
        step_sizes;  g = 0 where s < 0;  p -= sign(g) step;  g_prev = g
    """

    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        super().__init__(params, dict(lr=lr, etas=etas, step_sizes=step_sizes,
                                      foreach=foreach, maximize=maximize,
                                      differentiable=differentiable, capturable=capturable))

    def _check_group(self, group):
        group["lr"] = validate.nonnegative(group["lr"], "lr")
        minus, plus = group["etas"]
        if not 0.0 < minus < 1.0 < plus:
            raise ValueError(f"Invalid eta values: {minus}, {plus}")
        group["etas"] = tuple(group["etas"])
        low, high = (validate.nonnegative(v, "step_sizes") for v in group["step_sizes"])
        if low > high:
            raise ValueError(f"Invalid step sizes: {low}, {high}")
        group["step_sizes"] = tuple(group["step_sizes"])
        group["maximize"] = validate.flag(group["maximize"], "maximize")

    def _init_state(self, p):
        return {"step": 0, "prev": np.zeros_like(p._data), "step_size": np.zeros_like(p._data)}

    def _update(self, params, group):
        minus, plus = group["etas"]
        low, high = group["step_sizes"]
        for p in params:
            state = self.state_of(p)
            g = p._grad._data.astype(p._data.dtype, copy=True)
            if group["maximize"]:
                g = -g
            if state["step"] == 0:
                state["step_size"][...] = group["lr"]  # each weight's first step is lr
            state["step"] += 1
            sign = np.sign(g * state["prev"])
            factor = np.where(sign > 0, plus, np.where(sign < 0, minus, 1.0))
            step = state["step_size"]
            np.clip(step * factor, low, high, out=step)
            g[sign < 0] = 0
            p._data -= (np.sign(g) * step).astype(p._data.dtype)
            state["prev"][...] = g
