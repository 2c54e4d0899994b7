"""Averaged SGD, as torch.optim.ASGD (in NumPy)."""
import numpy as np

from .. import dtypes, validate
from .optimizer import Optimizer


def _scalar(value):
    """value as PyTorch keeps eta and mu: a tensor of the default float dtype (float32 unless
    set), read back as a Python float."""
    return float(np.asarray(value, dtypes.get_default_dtype()))


class ASGD(Optimizer):
    """Averaged stochastic gradient descent (Polyak and Juditsky), as torch.optim.ASGD:
        g = grad + weight_decay p;  p *= 1 - lambd eta;  p -= eta g
        ax += mu (p - ax)  (ax = p while mu is 1)
        eta = lr / (1 + lambd lr t) ** alpha;  mu = 1 / max(1, t - t0)
    ax, the average of the iterates from step t0 on, is in the state; p itself is updated."""

    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0,
                 foreach=None, maximize=False, differentiable=False, capturable=False):
        super().__init__(params, dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0,
                                      weight_decay=weight_decay, foreach=foreach,
                                      maximize=maximize, differentiable=differentiable,
                                      capturable=capturable))

    def _check_group(self, group):
        for name in ("lr", "lambd", "alpha", "t0", "weight_decay"):
            group[name] = validate.nonnegative(group[name], name)
        group["maximize"] = validate.flag(group["maximize"], "maximize")

    def _init_state(self, p):
        group = next((g for g in self.param_groups if any(q is p for q in g["params"])),
                     {"lr": 0.01})
        return {"step": 0, "eta": _scalar(group["lr"]), "mu": 1.0,
                "ax": np.zeros_like(p._data)}

    def _update(self, params, group):
        lr, lambd, alpha, t0 = group["lr"], group["lambd"], group["alpha"], group["t0"]
        for p in params:
            state = self.state_of(p)
            g = self.gradient(p, group)
            state["step"] += 1
            eta, mu = state["eta"], state["mu"]
            data = p._data
            data *= data.dtype.type(1 - lambd * eta)
            data -= (eta * g).astype(data.dtype)
            if mu != 1:
                state["ax"] += ((data - state["ax"]) * mu).astype(data.dtype)
            else:
                state["ax"][...] = data
            state["eta"] = _scalar(lr / ((1 + lambd * lr * state["step"]) ** alpha))
            state["mu"] = _scalar(1 / max(1, state["step"] - t0))
