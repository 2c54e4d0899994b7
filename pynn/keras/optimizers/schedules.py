"""Learning-rate schedules with Keras 3's names, arguments and formulas
(keras.optimizers.schedules): an optimizer given one as learning_rate calls it with its
iteration count before each update. Values are computed in float32, as Keras computes them."""
import math

import numpy as np

from .. import utils

f32 = np.float32


class LearningRateSchedule:
    """Base class: __call__(step) -> the learning rate at that step; get_config()."""

    def __call__(self, step):
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must "
                                  "override `__call__(self, step)`.")

    def get_config(self):
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must "
                                  "override `get_config()` in order to be serializable.")

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _positive_steps(value, name):
    if not value > 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")
    return value


class _StepDecay(LearningRateSchedule):
    """A decay of initial_learning_rate by decay_rate as step / decay_steps grows (floored
    when staircase)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name=None):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = _positive_steps(decay_steps, "decay_steps")
        self.decay_rate, self.staircase = decay_rate, staircase
        self.name = name or type(self).__name__

    def _progress(self, step):
        p = f32(step) / f32(self.decay_steps)
        return np.floor(p) if self.staircase else p

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class ExponentialDecay(_StepDecay):
    """initial_learning_rate * decay_rate ^ (step / decay_steps)."""

    def __call__(self, step):
        return f32(self.initial_learning_rate) * f32(self.decay_rate) ** self._progress(step)


class PiecewiseConstantDecay(LearningRateSchedule):
    """values[0] up to boundaries[0] (included), values[1] up to boundaries[1], ..., and
    values[-1] past the last boundary."""

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError("The length of boundaries should be 1 less than the length of "
                             f"values. Received: boundaries={boundaries} of length "
                             f"{len(boundaries)}, and values={values} of length {len(values)}.")
        self.boundaries, self.values, self.name = list(boundaries), list(values), name

    def __call__(self, step):
        for boundary, value in zip(self.boundaries, self.values):
            if step <= boundary:
                return f32(value)
        return f32(self.values[-1])

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """From initial_learning_rate to end_learning_rate along (1 - step / decay_steps) ^ power,
    then constant; with cycle, decay_steps grows to the next multiple past the step."""

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0,
                 cycle=False, name="PolynomialDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = _positive_steps(decay_steps, "decay_steps")
        self.end_learning_rate, self.power, self.cycle = end_learning_rate, power, cycle
        self.name = name

    def __call__(self, step):
        step, decay_steps = f32(step), f32(self.decay_steps)
        if self.cycle:
            decay_steps = decay_steps * (f32(1) if step == 0 else np.ceil(step / decay_steps))
        else:
            step = min(step, decay_steps)
        initial, end = f32(self.initial_learning_rate), f32(self.end_learning_rate)
        return (initial - end) * (f32(1) - step / decay_steps) ** f32(self.power) + end

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "end_learning_rate": self.end_learning_rate,
                "power": self.power, "cycle": self.cycle, "name": self.name}


class InverseTimeDecay(_StepDecay):
    """initial_learning_rate / (1 + decay_rate * step / decay_steps)."""

    def __call__(self, step):
        return f32(self.initial_learning_rate) / (f32(1) + f32(self.decay_rate)
                                                  * self._progress(step))


class CosineDecay(LearningRateSchedule):
    """A cosine from the rate down to alpha times it over decay_steps, then constant; with
    warmup_target, first a linear warmup from initial_learning_rate to it over warmup_steps."""

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = _positive_steps(decay_steps, "decay_steps")
        self.alpha, self.name = alpha, name
        self.warmup_target, self.warmup_steps = warmup_target, warmup_steps

    def _decay(self, step, start):
        fraction = step / f32(self.decay_steps)
        cosine = f32(0.5) * (f32(1) + np.cos(f32(math.pi) * fraction))
        return start * ((f32(1) - f32(self.alpha)) * cosine + f32(self.alpha))

    def __call__(self, step):
        step, initial = f32(step), f32(self.initial_learning_rate)
        if self.warmup_target is None:
            return self._decay(min(step, f32(self.decay_steps)), initial)
        warmup_steps, target = f32(self.warmup_steps), f32(self.warmup_target)
        step = min(step, f32(self.decay_steps) + warmup_steps)
        if step < warmup_steps:
            return (target - initial) * (step / warmup_steps) + initial
        return self._decay(step - warmup_steps, target)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "alpha": self.alpha, "name": self.name,
                "warmup_target": self.warmup_target, "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decays restarting from the top (SGDR): the i-th lasts first_decay_steps * t_mul^i
    steps and starts at initial_learning_rate * m_mul^i."""

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0,
                 alpha=0.0, name="SGDRDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = _positive_steps(first_decay_steps, "first_decay_steps")
        self._t_mul, self._m_mul, self.alpha, self.name = t_mul, m_mul, alpha, name

    def __call__(self, step):
        fraction = f32(step) / f32(self.first_decay_steps)
        t_mul = f32(self._t_mul)
        if t_mul == 1:
            restart = np.floor(fraction)
            fraction = fraction - restart
        else:
            restart = np.floor(np.log(f32(1) - fraction * (f32(1) - t_mul)) / np.log(t_mul))
            done = (f32(1) - t_mul ** restart) / (f32(1) - t_mul)
            fraction = (fraction - done) / t_mul ** restart
        cosine = f32(0.5) * f32(self._m_mul) ** restart * (f32(1) + np.cos(f32(math.pi)
                                                                           * fraction))
        alpha = f32(self.alpha)
        return f32(self.initial_learning_rate) * ((f32(1) - alpha) * cosine + alpha)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps, "t_mul": self._t_mul,
                "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}


_CLASSES = {cls.__name__: cls for cls in (ExponentialDecay, PiecewiseConstantDecay,
                                          PolynomialDecay, InverseTimeDecay, CosineDecay,
                                          CosineDecayRestarts)}


def serialize(schedule):
    """{'class_name', 'config'}, which deserialize reads back."""
    return {"class_name": type(schedule).__name__, "config": schedule.get_config()}


def deserialize(config):
    return utils.from_config_dict(config, _CLASSES, "learning rate schedule")
