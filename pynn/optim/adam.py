"""Adam and AdamW, as torch.optim has them; the update runs in C, one call for all the
parameters of a group."""
import math

import numpy as np

from .. import validate
from ..backend import kernels as K
from .optimizer import Optimizer, fraction


def check_adam_group(group):
    """The hyperparameters every Adam-like optimizer has: lr, betas, eps, weight_decay and
    maximize (ValueError on a bad one)."""
    group["lr"] = validate.nonnegative(group["lr"], "lr")
    betas = group["betas"]
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise ValueError(f"betas: expected a pair (beta1, beta2), got {betas!r}")
    group["betas"] = (fraction(betas[0], "beta parameter at index 0"),
                      fraction(betas[1], "beta parameter at index 1"))
    group["eps"] = validate.nonnegative(group["eps"], "epsilon")
    group["weight_decay"] = validate.nonnegative(group["weight_decay"], "weight_decay")
    group["maximize"] = validate.flag(group["maximize"], "maximize")


class Adam(Optimizer):
    """Adam (Kingma and Ba), as torch.optim.Adam, weight decay added to the gradient (L2):
        g = grad + weight_decay p;  m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2
        p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
    amsgrad keeps the largest v seen and divides by it (NumPy, not C).
    """

    decoupled = False  # AdamW: the decay shrinks p directly, apart from the gradient

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, maximize=False, foreach=None, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=None):
        decoupled = self.decoupled if decoupled_weight_decay is None else decoupled_weight_decay
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      amsgrad=amsgrad, maximize=maximize, foreach=foreach,
                                      capturable=capturable, differentiable=differentiable,
                                      fused=fused, decoupled_weight_decay=decoupled))

    def _check_group(self, group):
        check_adam_group(group)
        group["amsgrad"] = validate.flag(group["amsgrad"], "amsgrad")
        group["decoupled_weight_decay"] = validate.flag(group["decoupled_weight_decay"],
                                                        "decoupled_weight_decay")

    _KEYS = ("exp_avg", "exp_avg_sq")  # the state the kernel takes, as m and v

    def _init_state(self, p):
        state = {"step": 0, "exp_avg": np.zeros_like(p._data),
                 "exp_avg_sq": np.zeros_like(p._data)}
        if any(group["amsgrad"] for group in self.param_groups):
            state["max_exp_avg_sq"] = np.zeros_like(p._data)
        return state

    def _scales(self, lr, beta1, beta2, t):
        """(step_size, v_scale) of the kernel's update p -= step_size m / (sqrt(v) v_scale + eps)
        at step t: PyTorch's bias corrections."""
        return lr / (1 - beta1 ** t), 1 / math.sqrt(1 - beta2 ** t)

    def _update(self, params, group):
        if group["amsgrad"] or group["maximize"]:
            return self._update_numpy(params, group)
        beta1, beta2 = group["betas"]
        decay = group["weight_decay"]
        for run in self.runs(params, self._KEYS):
            step_size, v_scale = self._scales(group["lr"], beta1, beta2, run.next_step())
            if group["decoupled_weight_decay"] and decay:
                for p in run.params:
                    p._data *= 1 - group["lr"] * decay
            K.adam_step(run.pointers, run.grads(), *run.state_pointers, run.sizes, step_size,
                        beta1, beta2, group["eps"], v_scale,
                        0.0 if group["decoupled_weight_decay"] else decay)
            run.advance()

    def _update_numpy(self, params, group):
        """The amsgrad and maximize forms, in NumPy."""
        beta1, beta2 = group["betas"]
        for p in params:
            state = self.state_of(p)
            g = -p._grad._data if group["maximize"] else p._grad._data
            if group["decoupled_weight_decay"]:
                p._data *= 1 - group["lr"] * group["weight_decay"]
            elif group["weight_decay"]:
                g = g + group["weight_decay"] * p._data
            state["step"] += 1
            t = state["step"]
            m, v = state["exp_avg"], state["exp_avg_sq"]
            m += (1 - beta1) * (g - m)
            v *= beta2
            v += (1 - beta2) * g * g
            if group["amsgrad"]:
                np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
                v = state["max_exp_avg_sq"]
            step_size, v_scale = self._scales(group["lr"], beta1, beta2, t)
            p._data -= (step_size * m / (np.sqrt(v) * v_scale + group["eps"])).astype(
                p._data.dtype)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter), as torch.optim.AdamW: each
    step first shrinks p by lr * weight_decay p, then takes Adam's step without decay."""

    decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False, foreach=None, capturable=False,
                 differentiable=False, fused=None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize,
                         foreach=foreach, capturable=capturable,
                         differentiable=differentiable, fused=fused)
