"""Adagrad and Adadelta, as torch.optim has them (in NumPy)."""
import numpy as np

from .. import validate
from .optimizer import Optimizer, fraction


class Adagrad(Optimizer):
    """Adagrad (Duchi et al.), as torch.optim.Adagrad:
        g = grad + weight_decay p;  lr_t = lr / (1 + (t - 1) lr_decay)
        sum += g^2;  p -= lr_t g / (sqrt(sum) + eps)
    """

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0,
                 initial_accumulator_value=0, eps=1e-10, foreach=None, *, maximize=False,
                 differentiable=False, fused=None):
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value,
                                      eps=eps, maximize=maximize, foreach=foreach,
                                      differentiable=differentiable, fused=fused))

    def _check_group(self, group):
        for name in ("lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps"):
            group[name] = validate.nonnegative(group[name], name)
        group["maximize"] = validate.flag(group["maximize"], "maximize")

    def _init_state(self, p):
        value = self.param_groups[0]["initial_accumulator_value"] if self.param_groups else 0.0
        return {"step": 0, "sum": np.full_like(p._data, value)}

    def _update(self, params, group):
        for p in params:
            state = self.state_of(p)
            g = self.gradient(p, group)
            state["step"] += 1
            lr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
            state["sum"] += g * g
            p._data -= (lr * g / (np.sqrt(state["sum"]) + group["eps"])).astype(p._data.dtype)


class Adadelta(Optimizer):
    """Adadelta (Zeiler), as torch.optim.Adadelta:
        v = rho v + (1 - rho) g^2;  d = sqrt(u + eps) / sqrt(v + eps) g
        u = rho u + (1 - rho) d^2;  p -= lr d
    """

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False):
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay,
                                      maximize=maximize, capturable=capturable,
                                      foreach=foreach, differentiable=differentiable))

    def _check_group(self, group):
        group["lr"] = validate.nonnegative(group["lr"], "lr")
        group["rho"] = fraction(group["rho"], "rho", closed=True)
        group["eps"] = validate.nonnegative(group["eps"], "eps")
        group["weight_decay"] = validate.nonnegative(group["weight_decay"], "weight_decay")
        group["maximize"] = validate.flag(group["maximize"], "maximize")

    def _init_state(self, p):
        return {"step": 0, "square_avg": np.zeros_like(p._data),
                "acc_delta": np.zeros_like(p._data)}

    def _update(self, params, group):
        rho, eps = group["rho"], group["eps"]
        for p in params:
            state = self.state_of(p)
            g = self.gradient(p, group)
            v, u = state["square_avg"], state["acc_delta"]
            v *= rho
            v += (1 - rho) * g * g
            delta = np.sqrt(u + eps) / np.sqrt(v + eps) * g
            u *= rho
            u += (1 - rho) * delta * delta
            p._data -= (group["lr"] * delta).astype(p._data.dtype)
            state["step"] += 1
