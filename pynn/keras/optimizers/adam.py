"""Adam with Keras 3's defaults and update (keras.optimizers.Adam), run in the C kernel."""
import math

from ... import optim, validate
from .optimizer import MomentOptimizer


class _KerasAdam(optim.Adam):
    """Keras adds epsilon to the uncorrected sqrt(v): p -= lr sqrt(1 - b2^t) / (1 - b1^t) *
    m / (sqrt(v) + eps), the C kernel's v_scale = 1 form (amsgrad divides by the largest v)."""

    def _check_group(self, group):
        group["amsgrad"] = validate.flag(group["amsgrad"], "amsgrad")

    def _scales(self, lr, beta1, beta2, t):
        return lr * math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t), 1.0


class Adam(MomentOptimizer):
    """Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False, ...),
    Keras's defaults and form."""

    default_name = "adam"

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, **kwargs):
        super().__init__(learning_rate, beta_1, beta_2, epsilon, **kwargs)
        self.amsgrad = validate.flag(amsgrad, "amsgrad")

    def _make(self, variables):
        return _KerasAdam(variables, betas=(self.beta_1, self.beta_2), eps=self.epsilon,
                          amsgrad=self.amsgrad)

    def get_config(self):
        return {**super().get_config(), "amsgrad": self.amsgrad}
