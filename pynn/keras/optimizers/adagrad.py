"""Adagrad with Keras 3's defaults and update (keras.optimizers.Adagrad)."""
import numpy as np

from ... import validate
from .optimizer import Engine, Optimizer


class _AdagradEngine(Engine):
    """acc += g^2 (acc starting at initial_accumulator_value); p -= lr g / sqrt(acc + eps)."""

    SLOTS = ("accumulator",)

    def initial(self, slot):
        return self.defaults["initial_accumulator_value"]

    def update_step(self, g, p, state, group):
        acc = state["accumulator"]
        acc += g * g
        p -= group["lr"] * g / np.sqrt(acc + group["epsilon"])


class Adagrad(Optimizer):
    """Adagrad(learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, ...)."""

    default_name = "adagrad"

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.initial_accumulator_value = validate.nonnegative(initial_accumulator_value,
                                                              "initial_accumulator_value")
        self.epsilon = validate.number(epsilon, "epsilon")

    def _make(self, variables):
        return _AdagradEngine(variables, initial_accumulator_value=self.initial_accumulator_value,
                              epsilon=self.epsilon)

    def get_config(self):
        return {**super().get_config(),
                "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon}
