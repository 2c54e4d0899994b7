"""Stochastic gradient descent, as torch.optim.SGD; the update runs in C, one call for all the
parameters of a group."""
import numpy as np

from .. import validate
from ..backend import kernels as K
from .optimizer import Optimizer


class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum, as torch.optim.SGD:
        g = grad + weight_decay p
        buf = g on the first step, else momentum buf + (1 - dampening) g
        g = g + momentum buf (nesterov) or buf;   p -= lr g   (maximize: p += lr g)
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0,
                 nesterov=False, *, maximize=False, foreach=None, differentiable=False,
                 fused=None):
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov,
                                      maximize=maximize, foreach=foreach,
                                      differentiable=differentiable, fused=fused))

    def _check_group(self, group):
        for name in ("lr", "momentum", "dampening", "weight_decay"):
            group[name] = validate.nonnegative(group[name], name)
        group["nesterov"] = validate.flag(group["nesterov"], "nesterov")
        group["maximize"] = validate.flag(group["maximize"], "maximize")
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")

    def _init_state(self, p):
        return {"momentum_buffer": np.zeros_like(p._data), "step": 0}

    _KEYS, _NO_KEYS = ("momentum_buffer",), ()  # the state the kernel takes

    def _update(self, params, group):
        momentum = group["momentum"]
        lr = -group["lr"] if group["maximize"] else group["lr"]
        for run in self.runs(params, self._KEYS if momentum else self._NO_KEYS):
            K.sgd_step(run.pointers, run.grads(), run.state_pointers[0] if momentum else None,
                       run.sizes, lr, momentum, group["dampening"], group["weight_decay"],
                       group["nesterov"], run.next_step() == 1)
            run.advance()
