"""Optimizers with PyTorch's names, defaults and semantics: SGD, Adam and RMSprop.

An optimizer holds parameter groups (lists of Tensors sharing hyperparameters) and a state per
parameter (plain ndarrays: moment estimates, momentum buffers). `step()` updates every parameter
that has a gradient, in place; parameters whose .grad is None are skipped, as in PyTorch.
The SGD and Adam updates run in C, one kernel call for all the parameters of a group
(backend._sgd_step_unchecked / backend._adam_step_unchecked); RMSprop runs in NumPy.
Hyperparameters are checked when a group is added or a state loaded; a value changed in
param_groups afterwards (a schedule) is used as it is, as in PyTorch.
"""
import math

import numpy as np

from . import backend, validate
from .tensor import Tensor


def _fraction(value, name, closed=False):
    """A decay rate in [0, 1) (or [0, 1] when closed)."""
    value = validate.nonnegative(value, name)
    if value > 1 or (value == 1 and not closed):
        raise ValueError(f"{name}: expected a value in [0, 1{']' if closed else ')'}, got {value}")
    return value


class _Run:
    """Parameters that one kernel call updates, all of one dtype and one step count, with the
    backend.StepArrays of their data and state arrays (names: kernel name -> state key).

    An optimizer keeps it from step to step: updates are in place, so it stays current until
    the user replaces a parameter's .data or a state (or loads one), which current() notices."""

    def __init__(self, params, state, names):
        self.params, self.names = params, names
        self.states = [state[p] for p in params]
        # per param: itself, its state, its data and (state key, state array) pairs
        self.held = [(p, s, p.data, tuple((key, s[key]) for key in names.values()))
                     for p, s in zip(params, self.states)]
        self.arrays = backend.StepArrays(
            [p.data for p in params],
            **{name: [s[key] for s in self.states] for name, key in names.items()})

    def current(self, state):
        """Whether the params still have these data arrays, states and state arrays, and one
        step count."""
        step = self.states[0]["step"]
        for p, s, data, arrays in self.held:
            if p.data is not data or state.get(p) is not s or s["step"] != step:
                return False
            for key, arr in arrays:
                if s[key] is not arr:
                    return False
        return True

    def next_step(self):
        """The number of the update about to be made: 1 for the first."""
        return self.states[0]["step"] + 1

    def grads(self):
        return [p.grad for p in self.params]

    def advance(self):
        """Count the update just made."""
        for s in self.states:
            s["step"] += 1


class Optimizer:
    """Base class: parameter groups, per-parameter state, zero_grad() and state_dict().

    params: an iterable of Tensors, or of dicts {"params": [...], <hyperparameter>: value} to
    give groups of parameters their own hyperparameters (defaults fill in the rest).
    """

    def __init__(self, params, defaults):
        if isinstance(params, Tensor):
            raise TypeError("params: expected an iterable of Tensors or of dicts, got a single "
                            "Tensor (wrap it in a list)")
        try:
            groups = list(params)
        except TypeError:
            raise TypeError(f"params: expected an iterable of Tensors or of dicts, "
                            f"got {type(params).__name__}") from None
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        self.defaults = defaults
        self.param_groups = []
        self.state = {}  # parameter Tensor -> dict of its state
        self._kept = {}  # tuple of parameters -> the _Run that updated them last
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, group):
        """Add a group of parameters, with hyperparameters of its own or the defaults."""
        if not isinstance(group, dict) or "params" not in group:
            raise TypeError(f"param group: expected a dict with a 'params' entry, got {group!r}")
        params = group["params"]
        params = [params] if isinstance(params, Tensor) else list(params)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, got {type(p).__name__}")
            if not p.requires_grad or p._backward is not None:
                raise ValueError("optimizer can only optimize leaf Tensors that require grad "
                                 "(e.g. nn.Parameter), got one that does not")
            if id(p) in seen:
                raise ValueError("a parameter appears twice in the optimizer's parameter groups")
            seen.add(id(p))
        unknown = set(group) - set(self.defaults) - {"params"}
        if unknown:
            raise TypeError(f"param group: unknown hyperparameters {sorted(unknown)}; "
                            f"{type(self).__name__} takes {sorted(self.defaults)}")
        full = {**self.defaults, **group, "params": params}
        self._check_group(full)
        self.param_groups.append(full)

    def _check_group(self, group):
        """Validate a group's hyperparameters (ValueError on a bad one)."""
        raise NotImplementedError

    def zero_grad(self, set_to_none=True):
        """Clear the gradients of every parameter: None (the default, as PyTorch), or zeros."""
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none:
                    p.grad = None
                elif p.grad is not None:
                    p.grad[...] = 0

    def step(self, closure=None):
        """Update every parameter that has a gradient; closure, if given, re-evaluates the model
        and returns the loss, which step returns.

        Gradients are applied as they are, NaN and inf included, as PyTorch does: checking them
        would cost a pass over every gradient each step. A NaN gradient makes its parameter (and
        with momentum or Adam, its state) NaN for good, so a loop that may meet a bad batch
        checks the loss first: `if math.isfinite(loss.item()): opt.step()`."""
        loss = closure() if closure is not None else None
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            if params:
                self._update(params, group)
        return loss

    def _state_of(self, p):
        """p's state, made (and kept in self.state) before its first update."""
        state = self.state.get(p)
        if state is None:
            state = self.state[p] = self._init_state(p)
        return state

    def _init_state(self, p):
        """The state of a parameter before its first update."""
        raise NotImplementedError

    def _update(self, params, group):
        """One update of these parameters (whose .grad is set) and of their states, in place."""
        raise NotImplementedError

    def _runs(self, params, names):
        """The parameters as _Runs that one kernel call each updates (names: kernel name of a
        state array -> its state key, one of the optimizer's constant dicts). Nearly always a
        single run, kept from an earlier step."""
        run = self._kept.get(tuple(params))
        if run is not None and run.names is names and run.current(self.state):
            return (run,)
        by_kind = {}  # one dtype and one step count (the step picks Adam's bias corrections)
        for p in params:  # (a .data that is no array is refused by StepArrays)
            state = self._state_of(p)
            by_kind.setdefault((getattr(p.data, "dtype", None), state["step"]), []).append(p)
        runs = []
        for run_params in by_kind.values():
            run = self._kept.get(tuple(run_params))
            if run is None or run.names is not names or not run.current(self.state):
                run = self._kept[tuple(run_params)] = _Run(run_params, self.state, names)
            runs.append(run)
        return runs

    def _params(self):
        return [p for group in self.param_groups for p in group["params"]]

    def state_dict(self):
        """The optimizer's state as PyTorch lays it out: {"state": {index: {name: value}},
        "param_groups": [{hyperparameters, "params": [indices]}]}, indices numbering the
        parameters in group order. Arrays are copies."""
        index = {id(p): i for i, p in enumerate(self._params())}
        state = {index[id(p)]: {k: v.copy() if isinstance(v, np.ndarray) else v
                                for k, v in s.items()}
                 for p, s in self.state.items()}
        groups = [{**{k: v for k, v in g.items() if k != "params"},
                   "params": [index[id(p)] for p in g["params"]]} for g in self.param_groups]
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Restore what state_dict() returned, so training resumes exactly where it stopped.
        The parameter groups must have the same sizes, and each state array its parameter's
        shape."""
        if not isinstance(state_dict, dict) or set(state_dict) != {"state", "param_groups"}:
            raise ValueError("load_state_dict: expected a dict with keys 'state' and "
                             "'param_groups', as state_dict() returns")
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            raise ValueError(f"load_state_dict: the state has {len(groups)} parameter groups, "
                             f"this optimizer has {len(self.param_groups)}")
        for saved, group in zip(groups, self.param_groups):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(f"load_state_dict: a parameter group of the state has "
                                 f"{len(saved['params'])} parameters, this optimizer's has "
                                 f"{len(group['params'])}")
        params = self._params()
        new_state = {}
        for i, entries in state_dict["state"].items():
            if not isinstance(i, (int, np.integer)) or not 0 <= i < len(params):
                raise ValueError(f"load_state_dict: state for parameter {i!r}, but the optimizer "
                                 f"has parameters 0..{len(params) - 1}")
            p = params[i]
            expected = self._init_state(p)
            if set(entries) != set(expected):
                raise ValueError(f"load_state_dict: the state of parameter {i} has entries "
                                 f"{sorted(entries)}, {type(self).__name__} keeps "
                                 f"{sorted(expected)}")
            new_state[p] = {k: self._load_entry(v, expected[k], f"parameter {i}'s {k}")
                            for k, v in entries.items()}
        new_groups = []
        for saved, group in zip(groups, self.param_groups):
            merged = {**group, **{k: v for k, v in saved.items() if k != "params"}}
            unknown = set(merged) - set(self.defaults) - {"params"}
            if unknown:
                raise ValueError(f"load_state_dict: unknown hyperparameters {sorted(unknown)}")
            self._check_group(merged)
            new_groups.append(merged)
        self.state = new_state
        self.param_groups = new_groups

    @staticmethod
    def _load_entry(value, like, name):
        """A saved state entry as the optimizer keeps it: an int step, or an array of the
        parameter's shape and dtype (a copy)."""
        if isinstance(like, np.ndarray):
            arr = validate.as_array(value, name)
            if arr.shape != like.shape:
                raise ValueError(f"load_state_dict: {name} has shape {arr.shape}, expected "
                                 f"{like.shape}")
            return np.array(arr, dtype=like.dtype, order="C")
        if isinstance(value, (bool, np.bool_)) or not isinstance(
                value, (int, np.integer, np.ndarray)) or np.ndim(value) != 0 or value < 0:
            raise ValueError(f"load_state_dict: {name} must be a non-negative integer, "
                             f"got {value!r}")
        return int(value)

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params"]
        return "\n".join(lines + [")"])


class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum, as torch.optim.SGD:
        g = grad + weight_decay p
        buf = g on the first step, else momentum buf + (1 - dampening) g
        g = g + momentum buf (nesterov) or buf;   p -= lr g
    """

    def __init__(self, params, lr=1e-3, momentum=0.0, dampening=0.0, weight_decay=0.0,
                 nesterov=False):
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov))

    def _check_group(self, group):
        group["lr"] = validate.nonnegative(group["lr"], "lr")
        group["momentum"] = validate.nonnegative(group["momentum"], "momentum")
        group["dampening"] = validate.nonnegative(group["dampening"], "dampening")
        group["weight_decay"] = validate.nonnegative(group["weight_decay"], "weight_decay")
        group["nesterov"] = validate.flag(group["nesterov"], "nesterov")
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError("nesterov momentum requires a momentum > 0 and zero dampening")

    def _init_state(self, p):
        return {"momentum_buffer": np.zeros_like(p.data), "step": 0}

    _NAMES, _NO_NAMES = {"buf": "momentum_buffer"}, {}  # the kernel's names of the state arrays

    def _update(self, params, group):
        momentum = group["momentum"]
        for run in self._runs(params, self._NAMES if momentum else self._NO_NAMES):
            backend._sgd_step_unchecked(run.arrays, run.grads(), group["lr"], momentum,
                                        group["dampening"], group["weight_decay"],
                                        group["nesterov"], run.next_step() == 1)
            run.advance()


class Adam(Optimizer):
    """Adam (Kingma and Ba), as torch.optim.Adam, weight decay added to the gradient (L2):
        g = grad + weight_decay p;  m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2
        p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

    def _check_group(self, group):
        group["lr"] = validate.nonnegative(group["lr"], "lr")
        betas = group["betas"]
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"betas: expected a pair (beta1, beta2), got {betas!r}")
        group["betas"] = (_fraction(betas[0], "betas[0]"),
                          _fraction(betas[1], "betas[1]"))
        group["eps"] = validate.nonnegative(group["eps"], "eps")
        group["weight_decay"] = validate.nonnegative(group["weight_decay"], "weight_decay")

    _NAMES = {"m": "exp_avg", "v": "exp_avg_sq"}  # the kernel's names of the state arrays

    def _init_state(self, p):
        return {"step": 0, "exp_avg": np.zeros_like(p.data), "exp_avg_sq": np.zeros_like(p.data)}

    def _scales(self, lr, beta1, beta2, t):
        """(step_size, v_scale) of the kernel's update p -= step_size m / (sqrt(v) v_scale + eps)
        at step t: PyTorch's bias corrections."""
        return lr / (1 - beta1 ** t), 1 / math.sqrt(1 - beta2 ** t)

    def _update(self, params, group):
        beta1, beta2 = group["betas"]
        for run in self._runs(params, self._NAMES):
            step_size, v_scale = self._scales(group["lr"], beta1, beta2, run.next_step())
            backend._adam_step_unchecked(run.arrays, run.grads(), step_size, beta1, beta2,
                                         group["eps"], v_scale, group["weight_decay"])
            run.advance()


class RMSprop(Optimizer):
    """RMSprop (Hinton), as torch.optim.RMSprop:
        g = grad + weight_decay p;  v = alpha v + (1 - alpha) g^2
        centered: a = alpha a + (1 - alpha) g, and v - a^2 stands for v below
        d = sqrt(v) + eps;  buf = momentum buf + g / d and p -= lr buf (momentum > 0),
        else p -= lr g / d
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                 centered=False):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered))

    def _check_group(self, group):
        group["lr"] = validate.nonnegative(group["lr"], "lr")
        group["alpha"] = _fraction(group["alpha"], "alpha", closed=True)
        group["eps"] = validate.nonnegative(group["eps"], "eps")
        group["weight_decay"] = validate.nonnegative(group["weight_decay"], "weight_decay")
        group["momentum"] = validate.nonnegative(group["momentum"], "momentum")
        group["centered"] = validate.flag(group["centered"], "centered")

    def _init_state(self, p):
        return {"step": 0, "square_avg": np.zeros_like(p.data),
                "grad_avg": np.zeros_like(p.data), "momentum_buffer": np.zeros_like(p.data)}

    @staticmethod
    def _denominator(mean_square, eps):
        """PyTorch adds eps to the root mean square."""
        return np.sqrt(mean_square) + eps

    def _update(self, params, group):
        for p in params:
            self._update_one(p, self._state_of(p), group)

    def _update_one(self, p, state, group):
        alpha, eps, momentum = group["alpha"], group["eps"], group["momentum"]
        _, g = validate.param_and_grad(p.data, p.grad)  # the checks SGD and Adam make
        if group["weight_decay"]:
            g = g + group["weight_decay"] * p.data
        square_avg = state["square_avg"]
        square_avg *= alpha
        square_avg += (1 - alpha) * g * g
        mean_square = square_avg
        if group["centered"]:
            grad_avg = state["grad_avg"]
            grad_avg += (1 - alpha) * (g - grad_avg)
            mean_square = square_avg - grad_avg * grad_avg
        ratio = g / self._denominator(mean_square, eps)
        if momentum > 0:
            buf = state["momentum_buffer"]
            buf *= momentum
            buf += ratio
            ratio = buf
        p.data -= group["lr"] * ratio
        state["step"] += 1
