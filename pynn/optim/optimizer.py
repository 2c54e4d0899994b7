"""The base of the optimizers, with PyTorch's semantics: parameter groups, a state per
parameter, zero_grad(), step(), state_dict() and load_state_dict().

An optimizer holds parameter groups (lists of Tensors sharing hyperparameters) and a state per
parameter (plain ndarrays: moment estimates, momentum buffers, and an int step). `step()`
updates every parameter that has a gradient, in place; parameters whose .grad is None are
skipped, as in PyTorch. Hyperparameters are checked when a group is added or a state loaded; a
value changed in param_groups afterwards (by a schedule) is used as it is, as in PyTorch.
"""
import operator
import warnings
import weakref
from collections import defaultdict

import numpy as np

from .. import validate
from ..backend import kernels as K
from ..tensor import Tensor
from ..validate import ShapeError

_KEPT_RUNS = 8  # how many groupings of parameters an optimizer keeps the kernel arrays of


def fraction(value, name, closed=False):
    """A decay rate in [0, 1) (or [0, 1] when closed)."""
    value = validate.nonnegative(value, name)
    if value > 1 or (value == 1 and not closed):
        raise ValueError(f"Invalid {name} value: {value} (expected a value in [0, 1"
                         f"{']' if closed else ')'})")
    return value


class Run:
    """Parameters that one kernel call updates, all of one dtype and one step count: the
    kernels' pointer arrays to their data and state arrays (keys: the state entries, in the
    kernel's order), made once. Updates are in place, so it stays current until the user
    replaces a parameter's data or a state (or loads one), which current() notices."""

    def __init__(self, params, state, keys):
        self.params, self.keys = params, keys
        self.states = [state[p] for p in params]
        for p, s in zip(params, self.states):
            _check_updatable(p._data, [(key, s[key]) for key in keys])
        # per param: itself, its state, its data and its state arrays, as the run holds them
        self.held = [(p, s, p._data, tuple(s[key] for key in keys))
                     for p, s in zip(params, self.states)]
        self.pointers = K.Pointers([p._data for p in params])
        self.state_pointers = [K.Pointers([s[key] for s in self.states]) for key in keys]
        self.sizes = K.sizes([p._data for p in params])
        self.kept_grads, self.seen_grad = None, _nothing  # see grads()

    def current(self, state):
        """Whether the params still have these data arrays, states and state arrays, and one
        step count."""
        step = self.states[0]["step"]
        for p, s, data, arrays in self.held:
            if p._data is not data or state.get(p) is not s or s["step"] != step:
                return False
            for key, arr in zip(self.keys, arrays):
                if s[key] is not arr:
                    return False
        return True

    def next_step(self):
        """The number of the update about to be made: 1 for the first."""
        return self.states[0]["step"] + 1

    def grads(self):
        """Pointers to the params' gradients, each as the kernel must have it: C-contiguous,
        of its param's dtype, and apart from the arrays the update writes. Gradients that stay
        the same arrays from step to step (a compiled step's) are checked and pointed to once:
        when the first is seen twice in a row, their Pointers are kept while all stay."""
        given = [p._grad._data for p in self.params]
        kept = self.kept_grads
        if kept is not None and all(map(operator.is_, given, kept[0])):
            return kept[1]
        arrays = []
        for g, (p, s, data, states) in zip(given, self.held):
            g = validate.contiguous(g, data.dtype)
            if g.shape != data.shape:
                raise ShapeError(f"the gradient of shape {tuple(g.shape)} does not match its "
                                 f"parameter of shape {tuple(data.shape)}")
            if not (g.flags.owndata and data.flags.owndata) or g is data:
                if any(np.may_share_memory(g, a) for a in (data, *states)):
                    g = g.copy()
            arrays.append(g)
        pointers = K.Pointers(arrays)
        if self.seen_grad() is given[0] and all(map(operator.is_, arrays, given)):
            self.kept_grads = (given, pointers)  # the first stayed: kept while all stay
        else:  # weakly: a loop's gradients are new each step, and freed by zero_grad()
            self.kept_grads, self.seen_grad = None, weakref.ref(given[0])
        return pointers

    def advance(self):
        """Count the update just made."""
        for s in self.states:
            s["step"] += 1


def _nothing():
    return None


def _check_updatable(data, states):
    """A parameter's array and its state arrays as the kernels update them in place: aligned,
    C-contiguous, writeable, of one float dtype and one shape (a .data the user replaced after
    the state was made may not fit it)."""
    if not data.flags.carray:
        raise ValueError("the optimizer updates a parameter's memory in place, so it must be a "
                         "C-contiguous, aligned and writeable array; this parameter's .data was "
                         "replaced by a view or a read-only array: give it a copy (p.data = "
                         "p.data.clone())")
    for key, arr in states:
        if arr.shape != data.shape or arr.dtype != data.dtype:
            raise ShapeError(f"the optimizer's {key} has shape {tuple(arr.shape)} and dtype "
                             f"{arr.dtype}, but its parameter now has shape {tuple(data.shape)} "
                             f"and dtype {data.dtype} (its .data was replaced after the first "
                             "step): make a new optimizer for the new parameter")


class Optimizer:
    """Base class. params: an iterable of Tensors, or of dicts {"params": [...],
    <hyperparameter>: value} to give groups of parameters their own hyperparameters (the
    defaults fill in the rest)."""

    def __init__(self, params, defaults):
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            "Tensors or dicts, but got Tensor")
        try:
            groups = list(params)
        except TypeError:
            raise TypeError(f"params argument given to the optimizer should be an iterable of "
                            f"Tensors or dicts, but got {type(params).__name__}") from None
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        self.defaults = defaults
        self.param_groups = []
        self.state = defaultdict(dict)  # parameter -> its state (a subclass fills its own)
        self._kept = {}  # tuple of parameters -> the Run that updated them last
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group):
        """Add a group of parameters, with hyperparameters of its own or the defaults."""
        group = param_group
        if not isinstance(group, dict) or "params" not in group:
            raise TypeError(f"param group must be a dict with a 'params' entry, got {group!r}")
        params = group["params"]
        params = [params] if isinstance(params, Tensor) else list(params)
        names = None
        if params and all(isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str)
                          for p in params):  # optim.SGD(model.named_parameters(), ...)
            names, params = [n for n, _ in params], [p for _, p in params]
        unique = list({id(p): p for p in params}.values())
        if len(unique) != len(params):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; the "
                          "duplicates are dropped", UserWarning, stacklevel=3)
            params = unique
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but one of the params is "
                                f"{type(p).__name__}")
            if p._backward is not None:
                raise ValueError("can't optimize a non-leaf Tensor")
            if p._data.dtype.kind != "f":
                raise ValueError(f"optimizer can only optimize floating-point Tensors, got one "
                                 f"of {p._data.dtype}")
            if id(p) in seen:
                raise ValueError("some parameters appear in more than one parameter group")
        unknown = set(group) - set(self.defaults) - {"params", "param_names"}
        if unknown:
            raise TypeError(f"param group: unknown hyperparameters {sorted(unknown)}; "
                            f"{type(self).__name__} takes {sorted(self.defaults)}")
        full = {**self.defaults, **group, "params": params}
        if names is not None:
            full["param_names"] = names
        checked = dict(full)
        self._check_group(checked)
        for key, value in full.items():  # numbers stay as given (momentum: 0), as in PyTorch
            if type(value) in (int, float):
                checked[key] = value
        self.param_groups.append(checked)

    def _check_group(self, group):
        """Validate a group's hyperparameters (ValueError on a bad one); a subclass written by
        a user (its own step()) checks its own."""

    def zero_grad(self, set_to_none=True):
        """Clear the gradients of every parameter: None (the default, as PyTorch), or zeros."""
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none:
                    p._grad = None
                elif p._grad is not None:
                    p._grad._data[...] = 0

    def step(self, closure=None):
        """Update every parameter that has a gradient; closure, if given, re-evaluates the model
        and returns the loss, which step returns.

        Gradients are applied as they are, NaN and inf included, as PyTorch does: checking them
        would cost a pass over every gradient each step. A NaN gradient makes its parameter (and
        with momentum or Adam, its state) NaN for good, so a loop that may meet a bad batch
        checks the loss first: `if math.isfinite(loss.item()): opt.step()`."""
        loss = None
        if closure is not None:
            from ..tensor import enable_grad
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            params = [p for p in group["params"] if p._grad is not None]
            if params:
                self._update(params, group)
        return loss

    def state_of(self, p):
        """p's state, made (and kept in self.state) before its first update."""
        state = self.state.get(p)
        if not state:
            state = self.state[p] = self._init_state(p)
        return state

    @staticmethod
    def gradient(p, group, decay=True):
        """The gradient a NumPy update uses: p's, negated when the group maximizes, plus the
        L2 term weight_decay * p (unless decay is False: AdamW-style decay is applied apart)."""
        g = p._grad._data.astype(p._data.dtype, copy=False)
        if group.get("maximize"):
            g = -g
        if decay and group.get("weight_decay"):
            g = g + group["weight_decay"] * p._data
        return g

    def _init_state(self, p):
        """The state of a parameter before its first update."""
        raise NotImplementedError

    def _update(self, params, group):
        """One update of these parameters (whose .grad is set) and of their states, in place."""
        raise NotImplementedError

    def runs(self, params, keys):
        """The parameters as Runs that one kernel call each updates (keys: the state entries the
        kernel takes, a constant tuple of the optimizer's). Nearly always a single run, kept
        from an earlier step."""
        run = self._kept.get(tuple(params))
        if run is not None and run.keys is keys and run.current(self.state):
            return (run,)
        by_kind = {}  # one dtype and one step count (the step picks Adam's bias corrections)
        for p in params:
            by_kind.setdefault((p._data.dtype, self.state_of(p)["step"]), []).append(p)
        runs = []
        for run_params in by_kind.values():
            key = tuple(run_params)
            run = self._kept.pop(key, None)
            if run is None or run.keys is not keys or not run.current(self.state):
                run = Run(run_params, self.state, keys)
            self._kept[key] = run  # the most recent last: the oldest is dropped past the bound
            while len(self._kept) > _KEPT_RUNS:
                del self._kept[next(iter(self._kept))]
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
            raise ValueError("loaded state dict has a different number of parameter groups")
        for saved, group in zip(groups, self.param_groups):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError("loaded state dict contains a parameter group that doesn't "
                                 "match the size of optimizer's group")
        params = self._params()
        new_state = {}
        for i, entries in state_dict["state"].items():
            if not isinstance(i, (int, np.integer)) or not 0 <= i < len(params):
                raise ValueError(f"load_state_dict: state for parameter {i!r}, but the optimizer "
                                 f"has parameters 0..{len(params) - 1}")
            p = params[i]
            if type(self)._init_state is Optimizer._init_state:  # a user's: its state as saved
                new_state[p] = {k: v.clone() if isinstance(v, Tensor) else
                                v.copy() if isinstance(v, np.ndarray) else v
                                for k, v in entries.items()}
                continue
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
            unknown = set(merged) - set(self.defaults) - {"params", "initial_lr"}
            if unknown:
                raise ValueError(f"load_state_dict: unknown hyperparameters {sorted(unknown)}")
            self._check_group(merged)
            new_groups.append(merged)
        self.state = defaultdict(dict, new_state)
        self.param_groups = new_groups

    @staticmethod
    def _load_entry(value, like, name):
        """A saved state entry as the optimizer keeps it: an int step, or an array of the
        parameter's shape and dtype (a copy)."""
        if isinstance(like, np.ndarray):
            arr = value._data if isinstance(value, Tensor) else validate.as_array(value, name)
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
        text = f"{type(self).__name__} ("
        for i, group in enumerate(self.param_groups):  # PyTorch's layout, line for line
            text += f"\nParameter Group {i}\n"
            text += "".join(f"    {k}: {v}\n" for k, v in sorted(group.items()) if k != "params")
        return text + ")"
