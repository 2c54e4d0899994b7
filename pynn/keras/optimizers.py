"""Keras-style optimizers: Adam, SGD and RMSprop with Keras's names, defaults and update forms.

Each is a thin front over a pynn.optim optimizer (the update code is not repeated here): it is
created without variables, as in Keras, and gets them from build(variables) when the model is
compiled or first fit. Keras's forms differ from PyTorch's in two places, expressed here:
  - Adam adds epsilon to the uncorrected sqrt(v): p -= lr sqrt(1 - b2^t) / (1 - b1^t) *
    m / (sqrt(v) + eps), the C kernel's v_scale = 1 form;
  - RMSprop adds epsilon under the square root: p -= lr g / sqrt(v + eps).
SGD's momentum form (m = momentum m - lr g; p += m) equals PyTorch's for a constant rate.
weight_decay is Keras's decoupled decay, p -= lr weight_decay p, applied before each update.
"""
import math

import numpy as np

from .. import optim, validate
from . import utils


class _KerasAdam(optim.Adam):
    def _scales(self, lr, beta1, beta2, t):
        return lr * math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t), 1.0


class _KerasRMSprop(optim.RMSprop):
    @staticmethod
    def denominator(mean_square, eps):
        return np.sqrt(mean_square + eps)


class Optimizer:
    """Base class: learning_rate, weight_decay, name; build(variables); iterations; the config
    and the state (for model files) as Keras names them."""

    default_name = "optimizer"

    def __init__(self, learning_rate, weight_decay=None, name=None):
        self._learning_rate = validate.nonnegative(learning_rate, "learning_rate")
        self.weight_decay = (None if weight_decay is None
                             else validate.nonnegative(weight_decay, "weight_decay"))
        self.name = name or self.default_name
        self.iterations = 0
        self._optimizer = None  # the pynn.optim optimizer, once built
        self._variables = []

    @property
    def built(self):
        return self._optimizer is not None

    @property
    def learning_rate(self):
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        """Changing the rate mid-training (as a schedule callback does) takes effect at once."""
        self._learning_rate = validate.nonnegative(value, "learning_rate")
        if self._optimizer is not None:
            self._optimizer.param_groups[0]["lr"] = self._learning_rate

    @property
    def variables(self):
        """The variables (Parameters) this optimizer updates, once built."""
        return list(self._variables)

    def build(self, variables):
        """Bind the optimizer to the model's trainable variables (Parameters)."""
        variables = list(variables)
        if self.built:
            if [id(v) for v in variables] != [id(v) for v in self._variables]:
                raise ValueError(f"optimizer {self.name!r} is already built for other variables "
                                 "(another model's); give each model its own optimizer")
            return
        self._variables = variables
        self._optimizer = self._make(variables)

    def _make(self, variables):
        raise NotImplementedError

    def apply(self):
        """One update of every built variable whose .grad is set, then iterations += 1."""
        if not self.built:
            raise RuntimeError(f"optimizer {self.name!r} is not built: call build(variables)")
        if self.weight_decay:
            shrink = 1 - self._learning_rate * self.weight_decay
            for v in self._variables:
                if v.grad is not None:
                    v._data *= shrink
        self._optimizer.step()
        self.iterations += 1

    def get_config(self):
        return {"name": self.name, "learning_rate": self._learning_rate,
                "weight_decay": self.weight_decay}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_state(self):
        """The state training resumes from: {'iterations': 0-d int64 array} and, per variable i
        with state, f'{i}/{name}' -> ndarray (moments, buffers, its step count)."""
        state = {"iterations": np.array(self.iterations, dtype=np.int64)}
        if self.built:
            for i, entries in self._optimizer.state_dict()["state"].items():
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
            inner = self._optimizer.state_dict()
            self._optimizer.load_state_dict({"state": entries,
                                             "param_groups": inner["param_groups"]})
        self.iterations = int(iterations)


class Adam(Optimizer):
    """Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7), Keras's form."""

    default_name = "adam"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 weight_decay=None, name=None):
        super().__init__(learning_rate, weight_decay, name)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        optim.Adam([_probe()], betas=(beta_1, beta_2), eps=epsilon)  # validate them now

    def _make(self, variables):
        return _KerasAdam(variables, lr=self._learning_rate, betas=(self.beta_1, self.beta_2),
                          eps=self.epsilon)

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}


class SGD(Optimizer):
    """SGD(learning_rate=0.01, momentum=0.0, nesterov=False), Keras's defaults."""

    default_name = "SGD"

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None,
                 name=None):
        super().__init__(learning_rate, weight_decay, name)
        if not 0 <= validate.number(momentum, "momentum") <= 1:  # as Keras checks it
            raise ValueError(f"momentum must be a float in [0, 1], got {momentum}")
        self.momentum, self.nesterov = momentum, nesterov
        self._make([_probe()])  # validate them now

    def _make(self, variables):
        return optim.SGD(variables, lr=self._learning_rate, momentum=self.momentum,
                         nesterov=self.nesterov)

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}


class RMSprop(Optimizer):
    """RMSprop(learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False),
    Keras's defaults and form."""

    default_name = "rmsprop"

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False,
                 weight_decay=None, name=None):
        super().__init__(learning_rate, weight_decay, name)
        self.rho, self.momentum, self.epsilon, self.centered = rho, momentum, epsilon, centered
        self._make([_probe()])  # validate them now

    def _make(self, variables):
        return _KerasRMSprop(variables, lr=self._learning_rate, alpha=self.rho, eps=self.epsilon,
                             momentum=self.momentum, centered=self.centered)

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum,
                "epsilon": self.epsilon, "centered": self.centered}


def _probe():
    """A one-element parameter on which a constructor's hyperparameters are checked at once."""
    from ..nn import Parameter
    return Parameter(np.zeros(1, np.float32))


ALL = {"adam": Adam, "sgd": SGD, "rmsprop": RMSprop}
_CLASSES = {cls.__name__: cls for cls in ALL.values()}


def get(identifier):
    """An optimizer from a name (case-insensitive: 'adam', 'sgd', 'rmsprop'), a config dict
    {'class_name', 'config'}, or an Optimizer (returned as it is)."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        cls = ALL.get(identifier.lower())
        if cls is None:
            raise ValueError(f"Unknown optimizer {identifier!r}; valid names are {sorted(ALL)} "
                             "(or an optimizer object from pynn.keras.optimizers)")
        return cls()
    if isinstance(identifier, dict):
        return utils.from_config_dict(identifier, _CLASSES, "optimizer")
    if isinstance(identifier, optim.Optimizer):
        raise TypeError("compile: pynn.optim optimizers drive a hand-written loop; give compile "
                        "a pynn.keras.optimizers object (e.g. Adam(learning_rate=0.01)) or a name")
    raise TypeError(f"optimizer: expected a name or an optimizer object, "
                    f"got {type(identifier).__name__} {identifier!r}")


def serialize(optimizer):
    """{'class_name': 'Adam', 'config': {...}}, which get() reads back."""
    return {"class_name": type(optimizer).__name__, "config": optimizer.get_config()}
