"""FTRL-proximal with Keras 3's defaults and update (keras.optimizers.Ftrl)."""
import numpy as np

from ... import validate
from .optimizer import Engine, Optimizer


class _FtrlEngine(Engine):
    """Follow-the-regularized-leader: an accumulator of squared gradients (starting at
    initial_accumulator_value) and a linear term, from which each variable is solved in closed
    form, with L1, L2 and L2-shrinkage regularization."""

    SLOTS = ("accumulator", "linear")

    def initial(self, slot):
        return self.defaults["initial_accumulator_value"] if slot == "accumulator" else 0.0

    def update_step(self, g, p, state, group):
        lr, power = group["lr"], -group["learning_rate_power"]
        l1 = group["l1_regularization_strength"]
        l2 = group["l2_regularization_strength"] + group["beta"] / (2.0 * lr)
        accum, linear = state["accumulator"], state["linear"]
        new_accum = accum + g * g
        grad = g + 2 * group["l2_shrinkage_regularization_strength"] * p
        linear += grad - (new_accum ** power - accum ** power) / lr * p
        quadratic = new_accum ** power / lr + 2 * l2
        p[...] = (np.clip(linear, -l1, l1) - linear) / quadratic
        accum[...] = new_accum


class Ftrl(Optimizer):
    """Ftrl(learning_rate=0.001, learning_rate_power=-0.5, initial_accumulator_value=0.1,
    l1_regularization_strength=0.0, l2_regularization_strength=0.0,
    l2_shrinkage_regularization_strength=0.0, beta=0.0, ...)."""

    default_name = "ftrl"
    _HYPER = ("learning_rate_power", "initial_accumulator_value", "l1_regularization_strength",
              "l2_regularization_strength", "l2_shrinkage_regularization_strength", "beta")

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5,
                 initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, l2_shrinkage_regularization_strength=0.0,
                 beta=0.0, **kwargs):
        super().__init__(learning_rate, **kwargs)
        values = dict(learning_rate_power=learning_rate_power,
                      initial_accumulator_value=initial_accumulator_value,
                      l1_regularization_strength=l1_regularization_strength,
                      l2_regularization_strength=l2_regularization_strength,
                      l2_shrinkage_regularization_strength=l2_shrinkage_regularization_strength,
                      beta=beta)
        for name, value in values.items():
            value = validate.number(value, name)
            if name == "learning_rate_power" and value > 0.0:
                raise ValueError("`learning_rate_power` needs to be negative or zero. Received: "
                                 f"learning_rate_power={value}.")
            if name not in ("learning_rate_power", "beta") and value < 0.0:
                raise ValueError(f"`{name}` needs to be positive or zero. Received: "
                                 f"{name}={value}.")
            setattr(self, name, value)

    def _make(self, variables):
        return _FtrlEngine(variables, **{name: getattr(self, name) for name in self._HYPER})

    def _current_learning_rate(self):
        lr = super()._current_learning_rate()
        if lr == 0:
            raise ValueError("Ftrl divides by the learning rate: it must be > 0")
        return lr

    def get_config(self):
        return {**super().get_config(), **{name: getattr(self, name) for name in self._HYPER}}
