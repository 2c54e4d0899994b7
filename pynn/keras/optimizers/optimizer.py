"""The base of the Keras-style optimizers: Keras 3's constructor arguments (learning_rate as a
float, a schedule or a callable; weight_decay; clipnorm, clipvalue, global_clipnorm;
gradient_accumulation_steps), build(variables), apply(), iterations, the config and the state.

Each optimizer is a front over an engine, a pynn.optim optimizer holding the per-variable state
(moments, accumulators) and doing the update in Keras's form: SGD's and Adam's run in the C
kernels, the others in NumPy. The front does what Keras's base optimizer does around the update,
in Keras's order: clip the gradients, apply the decoupled weight decay p -= lr * wd * p, update,
project constrained weights, count the iteration.
"""
import math
import warnings

import numpy as np

from ... import optim, validate
from ...tensor import Tensor, no_grad
from .. import config, constraints
from . import schedules


class Variable(np.ndarray):
    """A 0-d array standing for one of Keras's scalar variables (an optimizer's learning_rate and
    iterations): it reads as a number (float(), arithmetic, formatting, comparisons) and has
    Keras's .numpy(), .value, .assign(), .assign_add() and .assign_sub()."""

    def __new__(cls, value, dtype, name):
        variable = np.array(value, dtype).view(cls)
        variable.name = variable.path = name
        return variable

    def __array_finalize__(self, obj):
        self.name = self.path = getattr(obj, "name", None)

    def __array_wrap__(self, array, context=None, return_scalar=False):
        """Arithmetic gives plain numbers and arrays, not Variables."""
        array = array.view(np.ndarray)
        return array[()] if array.ndim == 0 else array

    def numpy(self):
        return np.asarray(self)[()]

    @property
    def value(self):
        return self.numpy()

    def assign(self, value):
        self[...] = np.asarray(value)
        return self

    def assign_add(self, value):
        return self.assign(self.numpy() + value)

    def assign_sub(self, value):
        return self.assign(self.numpy() - value)

    def __repr__(self):
        return (f"<Variable path={self.name}, shape=(), dtype={self.dtype}, "
                f"value={self.numpy()}>")

    def __reduce__(self):
        return (Variable, (self.numpy(), self.dtype.name, self.name))


def _optional_positive(value, name):
    if value is not None and (isinstance(value, bool) or not isinstance(
            value, (int, float, np.integer, np.floating)) or not value > 0):
        raise ValueError(f"`{name}` must be a positive number or None. Received: {name}={value!r}")
    return value


class Optimizer:
    """Base class of the Keras-style optimizers. Subclasses give default_name, _make(variables)
    (their engine) and their hyperparameters in get_config()."""

    default_name = "optimizer"

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.",
                          UserWarning, stacklevel=3)
        if kwargs:
            hint = (" (Keras 3 names it `learning_rate`)" if "lr" in kwargs else "")
            raise ValueError(f"Argument(s) not recognized: {kwargs}{hint}")
        if use_ema:
            raise ValueError("use_ema=True: pynn.keras optimizers do not keep a moving average "
                             "of the weights; leave use_ema=False")
        if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be "
                             f"set. Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                             f"global_clipnorm={global_clipnorm}")
        self.clipnorm = _optional_positive(clipnorm, "clipnorm")
        self.clipvalue = _optional_positive(clipvalue, "clipvalue")
        self.global_clipnorm = _optional_positive(global_clipnorm, "global_clipnorm")
        self.weight_decay = (None if weight_decay is None
                             else validate.nonnegative(weight_decay, "weight_decay"))
        if gradient_accumulation_steps is not None and not (
                isinstance(gradient_accumulation_steps, (int, np.integer))
                and gradient_accumulation_steps >= 2):
            raise ValueError("`gradient_accumulation_steps` must be an integer >= 2. Received: "
                             f"gradient_accumulation_steps={gradient_accumulation_steps}")
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.use_ema, self.ema_momentum = False, ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor  # the loss is not scaled, so neither are grads
        if name is not None and not isinstance(name, str):
            raise TypeError(f"name: expected a str, got {name!r}")
        self.name = name or self.default_name
        self._iterations = Variable(0, np.int64, f"{self.name}/iteration")
        self._learning_rate = None
        self._set_learning_rate(learning_rate, constructing=True)
        self._engine = None  # the pynn.optim optimizer holding the state, once built
        self._variables = []
        self._constrained = False  # whether some variable has a constraint to apply
        self._accumulated = None  # the gradient sums of gradient accumulation
        self._warned_missing = False

    # ---- learning rate and iterations -----------------------------------------------------------

    def _set_learning_rate(self, value, constructing=False):
        if isinstance(value, schedules.LearningRateSchedule) or (
                callable(value) and not isinstance(value, (np.ndarray, Tensor))):
            self._learning_rate = value
            return
        if isinstance(self._learning_rate, schedules.LearningRateSchedule):
            raise TypeError("This optimizer was created with a `LearningRateSchedule` object as "
                            "its `learning_rate` constructor argument, hence its learning rate "
                            "is not settable. If you need the learning rate to be settable, you "
                            "should instantiate the optimizer with a float `learning_rate` "
                            "argument.")
        if constructing and not isinstance(value, (float, np.floating)):  # an int is refused
            raise ValueError("Argument `learning_rate` should be float, or an instance of "
                             "LearningRateSchedule, or a callable (that takes in the current "
                             "iteration value and returns the corresponding learning rate value)."
                             f" Received instead: learning_rate={value!r}")
        value = validate.nonnegative(value, "learning_rate")
        if isinstance(self._learning_rate, Variable):
            self._learning_rate.assign(value)
        else:
            self._learning_rate = Variable(value, config.floatx(), f"{self.name}/learning_rate")

    @property
    def learning_rate(self):
        """The current rate: the variable callbacks read and set (a float, or its assign()), or
        the schedule's value at this iteration."""
        if isinstance(self._learning_rate, Variable):
            return self._learning_rate
        if isinstance(self._learning_rate, schedules.LearningRateSchedule):
            return self._learning_rate(self.iterations)
        return self._learning_rate()

    @learning_rate.setter
    def learning_rate(self, value):
        self._set_learning_rate(value)

    def _current_learning_rate(self):
        """The rate of the update about to be made, as a float."""
        if type(self._learning_rate) is Variable:
            return float(self._learning_rate)  # checked when set
        value = self.learning_rate
        value = float(value._data if isinstance(value, Tensor) else value)
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"learning_rate: expected a finite non-negative value, got {value} "
                             f"(at iteration {int(self._iterations)})")
        return value

    @property
    def iterations(self):
        """How many times apply() ran (updates, with gradient accumulation: calls divided by
        the accumulation steps)."""
        if self.gradient_accumulation_steps:
            return self._iterations.numpy() // self.gradient_accumulation_steps
        return self._iterations

    @iterations.setter
    def iterations(self, value):
        self._iterations.assign(value)

    # ---- variables ------------------------------------------------------------------------------

    @property
    def built(self):
        return self._engine is not None

    @property
    def variables(self):
        """As Keras lists them: the iteration count, the learning rate (unless a schedule gives
        it), then the state arrays (moments, accumulators), variable by variable."""
        arrays = [self._iterations]
        if isinstance(self._learning_rate, Variable):
            arrays.append(self._learning_rate)
        if self.built:
            for v in self._variables:
                arrays += [a for a in self._engine.state.get(v, {}).values()
                           if isinstance(a, np.ndarray)]
        return arrays

    def build(self, variables):
        """Bind the optimizer to the model's trainable variables (Parameters)."""
        variables = list(variables)
        if self.built:
            if [id(v) for v in variables] != [id(v) for v in self._variables]:
                raise ValueError(f"optimizer {self.name!r} is already built for other variables "
                                 "(another model's); give each model its own optimizer")
            return
        if not variables:
            raise ValueError(f"optimizer {self.name!r}: there are no trainable variables to "
                             "optimize")
        self._variables = variables
        self._constrained = any(getattr(v, "constraint", None) is not None for v in variables)
        self._engine = self._make(variables)
        for v in variables:  # the state arrays exist once built, as Keras's variables do
            self._engine.state_of(v)

    def _make(self, variables):
        """The pynn.optim engine for these variables."""
        raise NotImplementedError

    # ---- updates --------------------------------------------------------------------------------

    def apply_gradients(self, grads_and_vars):
        """Keras's form: one update from (gradient, variable) pairs."""
        grads, variables = zip(*grads_and_vars)
        self.apply(grads, variables)
        return self.iterations

    def apply(self, grads=None, trainable_variables=None):
        """One update, then iterations += 1. The gradients are the variables' .grad (as the
        training loop leaves them), or `grads` (arrays or Tensors, None for none), for
        trainable_variables or the variables the optimizer was built with."""
        if trainable_variables is not None:
            trainable_variables = list(trainable_variables)
            self.build(trainable_variables)
        elif not self.built:
            raise RuntimeError(f"optimizer {self.name!r} is not built: call build(variables)")
        variables = self._variables
        if grads is not None:
            if len(grads) != len(variables):
                raise ValueError(f"apply: got {len(grads)} gradients for {len(variables)} "
                                 "variables")
            for v, g in zip(variables, grads):
                v._grad = None if g is None else Tensor._make(np.asarray(
                    g._data if isinstance(g, Tensor) else g, v._data.dtype))
        present = [v for v in variables if v._grad is not None]
        if not present:
            raise ValueError("No gradients provided for any variable.")
        if len(present) < len(variables) and not self._warned_missing:
            self._warned_missing = True
            missing = [getattr(v, "name", None) or f"#{i}" for i, v in enumerate(variables)
                       if v._grad is None]
            warnings.warn(f"Gradients do not exist for variables {missing} when minimizing the "
                          "loss.", UserWarning, stacklevel=2)
        if not (self.gradient_accumulation_steps and not self._accumulate(present)):
            self._update(present)
        self._iterations[()] += 1

    def _update(self, present):
        """The update proper of the variables that have a gradient, in Keras's order."""
        if self.clipnorm or self.global_clipnorm or self.clipvalue:
            self._clip(present)
        lr = self._current_learning_rate()
        if self.weight_decay:
            for v in present:
                v._data -= (v._data * (self.weight_decay * lr)).astype(v._data.dtype)
        self._engine.param_groups[0]["lr"] = lr
        self._engine.step()
        if self._constrained:
            with no_grad():
                for v in present:
                    constraint = getattr(v, "constraint", None)
                    if constraint is not None:
                        v._data[...] = constraints.values(constraint(v))

    def _accumulate(self, present):
        """Gradient accumulation: add this step's gradients to the sums; on every
        gradient_accumulation_steps-th call, put their mean in .grad and return True."""
        if self._accumulated is None:
            self._accumulated = {id(v): np.zeros_like(v._data) for v in self._variables}
        steps = self.gradient_accumulation_steps
        update = (self._iterations.numpy() + 1) % steps == 0
        for v in present:
            total = self._accumulated[id(v)]
            if update:
                v._grad = Tensor._make(((v._grad._data + total) / steps).astype(total.dtype))
                total[...] = 0
            else:
                total += v._grad._data
        return update

    def _clip(self, present):
        """Keras's gradient clipping: each gradient's norm to clipnorm, all of them together
        to global_clipnorm, or each value to [-clipvalue, clipvalue]."""
        grads = [v._grad._data for v in present]
        if self.clipnorm:
            norms = [math.sqrt(float(np.vdot(g, g))) for g in grads]
            grads = [g * (self.clipnorm / max(n, self.clipnorm)) for g, n in zip(grads, norms)]
        elif self.global_clipnorm:
            norm = math.sqrt(sum(float(np.vdot(g, g)) for g in grads))
            grads = [g * (self.global_clipnorm / max(norm, self.global_clipnorm)) for g in grads]
        else:
            grads = [np.clip(g, -self.clipvalue, self.clipvalue) for g in grads]
        for v, g in zip(present, grads):
            v._grad = Tensor._make(g.astype(v._data.dtype, copy=False))

    def finalize_variable_values(self, var_list):
        """Keras calls this at the end of fit to write moving averages into the weights; there
        are none here (use_ema is refused)."""

    # ---- config and state ------------------------------------------------------------------------

    def get_config(self):
        lr = self._learning_rate
        if isinstance(lr, schedules.LearningRateSchedule):
            lr = schedules.serialize(lr)
        elif isinstance(lr, Variable):
            lr = float(lr)
        else:
            lr = getattr(lr, "__name__", repr(lr))
        return {"name": self.name, "learning_rate": lr, "weight_decay": self.weight_decay,
                "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm,
                "clipvalue": self.clipvalue, "use_ema": self.use_ema,
                "ema_momentum": self.ema_momentum,
                "ema_overwrite_frequency": self.ema_overwrite_frequency,
                "loss_scale_factor": self.loss_scale_factor,
                "gradient_accumulation_steps": self.gradient_accumulation_steps}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = schedules.deserialize(config["learning_rate"])
        elif isinstance(config.get("learning_rate"), (int, np.integer)):
            config["learning_rate"] = float(config["learning_rate"])
        return cls(**config)

    def get_state(self):
        """The state training resumes from: {'iterations': 0-d int64 array} and, per variable i
        with state, f'{i}/{name}' -> ndarray (moments, accumulators, its update count)."""
        state = {"iterations": np.array(int(self._iterations), dtype=np.int64)}
        if self.built:
            for i, entries in self._engine.state_dict()["state"].items():
                for key, value in entries.items():
                    state[f"{i}/{key}"] = np.asarray(value)
        return state

    def set_state(self, state):
        """Restore what get_state() returned (needs the optimizer built, as compile does for a
        built model). Every array is checked against its variable's shape."""
        if not isinstance(state, dict) or "iterations" not in state:
            raise ValueError("set_state: expected the dict get_state() returns, with an "
                             "'iterations' entry")
        entries = {}
        for key, value in state.items():
            if key == "iterations":
                continue
            index, sep, name = key.partition("/")
            if not sep or not index.isdigit():
                raise ValueError(f"set_state: unexpected entry {key!r}; entries are "
                                 "'iterations' and '<variable index>/<name>'")
            value = np.asarray(value)
            entries.setdefault(int(index), {})[name] = int(value) if name == "step" else value
        if entries and not self.built:
            raise RuntimeError(f"set_state: optimizer {self.name!r} is not built yet; compile "
                               "a built model with it first (compile builds the optimizer)")
        iterations = np.asarray(state["iterations"])
        if iterations.shape != () or iterations.dtype.kind not in "iu" or iterations < 0:
            raise ValueError(f"set_state: 'iterations' must be a non-negative integer, "
                             f"got {state['iterations']!r}")
        if self.built:
            inner = self._engine.state_dict()
            self._engine.load_state_dict({"state": entries,
                                          "param_groups": inner["param_groups"]})
        self._iterations.assign(int(iterations))

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name!r}>"


class MomentOptimizer(Optimizer):
    """An Adam-like optimizer: beta_1 and beta_2, the decay rates of its moment estimates, and
    epsilon; its engine (ENGINE) takes them as hyperparameters."""

    ENGINE = None

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.beta_1 = validate.number(beta_1, "beta_1")
        self.beta_2 = validate.number(beta_2, "beta_2")
        self.epsilon = validate.number(epsilon, "epsilon")

    def _make(self, variables):
        return self.ENGINE(variables, beta_1=self.beta_1, beta_2=self.beta_2,
                           epsilon=self.epsilon)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}


class Engine(optim.Optimizer):
    """A pynn.optim optimizer whose update is written in NumPy, one variable at a time, in
    Keras's form: update_step(g, p, state, group), given the gradient, the variable's array
    (updated in place), its state (SLOTS arrays and 'step', the update count before this one)
    and the hyperparameters. The front checked the hyperparameters."""

    SLOTS = ()  # the names of the per-variable state arrays

    def __init__(self, params, **hyperparameters):
        super().__init__(params, dict(lr=0.0, **hyperparameters))

    def _check_group(self, group):
        pass

    def initial(self, slot):
        """The value a slot starts at."""
        return 0.0

    def _init_state(self, p):
        return {"step": 0, **{name: np.full_like(p._data, self.initial(name))
                              for name in self.SLOTS}}

    def _update(self, params, group):
        for p in params:
            state = self.state_of(p)
            self.update_step(p._grad._data.astype(p._data.dtype, copy=False), p._data, state,
                             group)
            state["step"] += 1

    def update_step(self, g, p, state, group):
        raise NotImplementedError
