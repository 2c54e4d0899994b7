"""RMSprop, as torch.optim.RMSprop (in NumPy)."""
import numpy as np

from .. import validate
from .optimizer import Optimizer, fraction


class RMSprop(Optimizer):
    """RMSprop (Hinton), as torch.optim.RMSprop:
        g = grad + weight_decay p;  v = alpha v + (1 - alpha) g^2
        centered: a = alpha a + (1 - alpha) g, and v - a^2 stands for v below
        d = sqrt(v) + eps;  buf = momentum buf + g / d and p -= lr buf (momentum > 0),
        else p -= lr g / d
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered, maximize=maximize,
                                      capturable=capturable, foreach=foreach,
                                      differentiable=differentiable))

    def _check_group(self, group):
        group["lr"] = validate.nonnegative(group["lr"], "lr")
        group["alpha"] = fraction(group["alpha"], "alpha", closed=True)
        for name in ("eps", "weight_decay", "momentum"):
            group[name] = validate.nonnegative(group[name], name)
        group["centered"] = validate.flag(group["centered"], "centered")
        group["maximize"] = validate.flag(group["maximize"], "maximize")

    def _init_state(self, p):
        return {"step": 0, "square_avg": np.zeros_like(p._data),
                "grad_avg": np.zeros_like(p._data), "momentum_buffer": np.zeros_like(p._data)}

    @staticmethod
    def denominator(mean_square, eps):
        """PyTorch adds eps to the root mean square."""
        return np.sqrt(mean_square) + eps

    def _update(self, params, group):
        alpha, eps, momentum = group["alpha"], group["eps"], group["momentum"]
        for p in params:
            state = self.state_of(p)
            g = self.gradient(p, group)
            square_avg = state["square_avg"]
            square_avg *= alpha
            square_avg += (1 - alpha) * g * g
            mean_square = square_avg
            if group["centered"]:
                grad_avg = state["grad_avg"]
                grad_avg += (1 - alpha) * (g - grad_avg)
                mean_square = square_avg - grad_avg * grad_avg
            ratio = g / self.denominator(mean_square, eps)
            if momentum > 0:
                buf = state["momentum_buffer"]
                buf *= momentum
                buf += ratio
                ratio = buf
            p._data -= (group["lr"] * ratio).astype(p._data.dtype, copy=False)
            state["step"] += 1
