"""The variants of Adam in torch.optim: Adamax (infinity norm), NAdam (Nesterov momentum) and
RAdam (rectified), in NumPy, with PyTorch's formulas and defaults."""
import math

import numpy as np

from .. import validate
from .adam import check_adam_group
from .optimizer import Optimizer


class _AdamLike(Optimizer):
    """What the Adam variants share: Adam's hyperparameter checks, the moment updates, and the
    weight decay added to the gradient (or applied to p apart, decoupled as AdamW's)."""

    def _check_group(self, group):
        check_adam_group(group)
        if "decoupled_weight_decay" in group:
            group["decoupled_weight_decay"] = validate.flag(group["decoupled_weight_decay"],
                                                            "decoupled_weight_decay")

    def decayed_gradient(self, p, group):
        decoupled = group.get("decoupled_weight_decay", False)
        if decoupled:
            p._data *= 1 - group["lr"] * group["weight_decay"]
        return self.gradient(p, group, decay=not decoupled)

    @staticmethod
    def moments(state, g, beta1, beta2):
        """m = beta1 m + (1 - beta1) g and v = beta2 v + (1 - beta2) g^2, in place."""
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m += (1 - beta1) * (g - m)
        v *= beta2
        v += (1 - beta2) * g * g
        return m, v


class Adamax(_AdamLike):
    """Adamax (Kingma and Ba), as torch.optim.Adamax:
        m = beta1 m + (1 - beta1) g;  u = max(beta2 u, |g| + eps)
        p -= lr / (1 - beta1^t) * m / u
    """

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 foreach=None, *, maximize=False, differentiable=False, capturable=False):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      foreach=foreach, maximize=maximize,
                                      differentiable=differentiable, capturable=capturable))

    def _init_state(self, p):
        return {"step": 0, "exp_avg": np.zeros_like(p._data), "exp_inf": np.zeros_like(p._data)}

    def _update(self, params, group):
        beta1, beta2 = group["betas"]
        for p in params:
            state, g = self.state_of(p), self.decayed_gradient(p, group)
            state["step"] += 1
            m, u = state["exp_avg"], state["exp_inf"]
            m += (1 - beta1) * (g - m)
            np.maximum(u * beta2, np.abs(g) + group["eps"], out=u)
            step_size = group["lr"] / (1 - beta1 ** state["step"])
            p._data -= (step_size * m / u).astype(p._data.dtype)


class NAdam(_AdamLike):
    """NAdam (Dozat), as torch.optim.NAdam: Adam whose momentum looks one step ahead, with the
    momentum schedule mu_t = beta1 (1 - 0.5 * 0.96^(t momentum_decay))."""

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, *, foreach=None,
                 maximize=False, capturable=False, differentiable=False):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      momentum_decay=momentum_decay,
                                      decoupled_weight_decay=decoupled_weight_decay,
                                      maximize=maximize, foreach=foreach,
                                      capturable=capturable, differentiable=differentiable))

    def _check_group(self, group):
        super()._check_group(group)
        group["momentum_decay"] = validate.nonnegative(group["momentum_decay"],
                                                       "momentum_decay")

    def _init_state(self, p):
        return {"step": 0, "mu_product": np.ones((), np.float64),
                "exp_avg": np.zeros_like(p._data), "exp_avg_sq": np.zeros_like(p._data)}

    def _update(self, params, group):
        beta1, beta2 = group["betas"]
        lr, psi = group["lr"], group["momentum_decay"]
        for p in params:
            state, g = self.state_of(p), self.decayed_gradient(p, group)
            state["step"] += 1
            t = state["step"]
            mu = beta1 * (1 - 0.5 * 0.96 ** (t * psi))
            mu_next = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi))
            state["mu_product"] *= mu
            product = float(state["mu_product"])
            m, v = self.moments(state, g, beta1, beta2)
            denom = np.sqrt(v / (1 - beta2 ** t)) + group["eps"]
            update = (lr * (1 - mu) / (1 - product)) * g / denom \
                + (lr * mu_next / (1 - product * mu_next)) * m / denom
            p._data -= update.astype(p._data.dtype)


class RAdam(_AdamLike):
    """RAdam (Liu et al.), as torch.optim.RAdam: plain momentum steps while the variance
    estimate is unreliable (rho_t <= 5), then Adam's steps times the rectification term."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False,
                 capturable=False, differentiable=False):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      maximize=maximize, foreach=foreach, capturable=capturable,
                                      decoupled_weight_decay=decoupled_weight_decay,
                                      differentiable=differentiable))

    def _init_state(self, p):
        return {"step": 0, "exp_avg": np.zeros_like(p._data),
                "exp_avg_sq": np.zeros_like(p._data)}

    def _update(self, params, group):
        beta1, beta2 = group["betas"]
        lr = group["lr"]
        rho_inf = 2 / (1 - beta2) - 1
        for p in params:
            state, g = self.state_of(p), self.decayed_gradient(p, group)
            state["step"] += 1
            t = state["step"]
            m, v = self.moments(state, g, beta1, beta2)
            correction1, correction2 = 1 - beta1 ** t, 1 - beta2 ** t
            m_hat = m / correction1
            rho_t = rho_inf - 2 * t * beta2 ** t / correction2
            if rho_t > 5:
                rect = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf
                                 / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
                adaptive = math.sqrt(correction2) / (np.sqrt(v) + group["eps"])
                p._data -= (lr * m_hat * rect * adaptive).astype(p._data.dtype)
            else:
                p._data -= (lr * m_hat).astype(p._data.dtype)
