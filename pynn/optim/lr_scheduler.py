"""Learning-rate schedules, as torch.optim.lr_scheduler: each sets the `lr` of its optimizer's
parameter groups when step() is called (once per epoch, after optimizer.step())."""
import bisect
import math

import numpy as np

from .. import validate
from .optimizer import Optimizer


def _check_optimizer(optimizer):
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")


class LRScheduler:
    """Base class: the rate of each group set at construction (epoch 0) and by every step().

    As in PyTorch, step() moves each group's current rate on (lr_chained: the rate times this
    epoch's factor), so a rate changed by hand, or by another scheduler of the same optimizer,
    carries on from where it was; step(epoch) sets the closed form of that epoch (lr_at). A
    schedule without a chained form uses its closed form for both."""

    def __init__(self, optimizer, last_epoch=-1, verbose="deprecated"):
        _check_optimizer(optimizer)
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._step_count = 0
        self._closed_form = False
        self.step()

    def lr_at(self, base_lr, epoch, group_lr):
        """The rate of a group at `epoch`, from its base rate (or from its current rate)."""
        raise NotImplementedError

    lr_chained = None  # (base_lr, epoch, group_lr) -> the next rate from the current one

    def get_lr(self):
        chained = None if self._closed_form else self.lr_chained
        rule = chained or self.lr_at
        return [rule(base, self.last_epoch, group["lr"])
                for base, group in zip(self.base_lrs, self.optimizer.param_groups)]

    def step(self, epoch=None):
        self._step_count += 1
        self.last_epoch = self.last_epoch + 1 if epoch is None else epoch
        self._closed_form = epoch is not None
        try:
            for group, lr in zip(self.optimizer.param_groups, self.get_lr()):
                group["lr"] = lr
        finally:
            self._closed_form = False
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self):
        """The rates the last step() set, one per parameter group."""
        return list(self._last_lr)

    def state_dict(self):
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict):
        self.__dict__.update(state_dict)


_LRScheduler = LRScheduler


def _period(value, name):
    """A step count PyTorch takes as any positive number (the text-classification tutorial's
    StepLR(optimizer, 1.0), T_max=epochs * len(loader) / 2): an int stays an int, a whole float
    becomes one, any other positive float is kept."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        return validate.positive_int(value, name)
    value = validate.number(value, name)
    if not value > 0 or math.isinf(value):
        raise ValueError(f"{name}: expected a positive number, got {value}")
    return int(value) if value.is_integer() else value


class StepLR(LRScheduler):
    """lr = base * gamma ** (epoch // step_size)."""

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1, verbose="deprecated"):
        self.step_size = _period(step_size, "step_size")
        self.gamma = validate.number(gamma, "gamma")
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, epoch, group_lr):
        return base_lr * self.gamma ** (epoch // self.step_size)

    def lr_chained(self, base_lr, epoch, group_lr):
        return group_lr * self.gamma if epoch and epoch % self.step_size == 0 else group_lr


class MultiStepLR(LRScheduler):
    """lr = base * gamma ** (the number of milestones reached)."""

    def __init__(self, optimizer, milestones, gamma=0.1, last_epoch=-1, verbose="deprecated"):
        self.milestones = sorted(validate.integer(m, "milestones") for m in milestones)
        self.gamma = validate.number(gamma, "gamma")
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, epoch, group_lr):
        return base_lr * self.gamma ** sum(1 for m in self.milestones if epoch >= m)

    def lr_chained(self, base_lr, epoch, group_lr):
        hits = self.milestones.count(epoch)
        return group_lr * self.gamma ** hits if hits else group_lr


class ExponentialLR(LRScheduler):
    """lr = base * gamma ** epoch."""

    def __init__(self, optimizer, gamma, last_epoch=-1, verbose="deprecated"):
        self.gamma = validate.number(gamma, "gamma")
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, epoch, group_lr):
        return base_lr * self.gamma ** epoch

    def lr_chained(self, base_lr, epoch, group_lr):
        return group_lr * self.gamma if epoch else group_lr


class CosineAnnealingLR(LRScheduler):
    """lr = eta_min + (base - eta_min) (1 + cos(pi epoch / T_max)) / 2."""

    def __init__(self, optimizer, T_max, eta_min=0.0, last_epoch=-1, verbose="deprecated"):
        self.T_max = _period(T_max, "T_max")
        self.eta_min = validate.number(eta_min, "eta_min")
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, epoch, group_lr):
        return self.eta_min + (base_lr - self.eta_min) * (
            1 + math.cos(math.pi * epoch / self.T_max)) / 2

    def lr_chained(self, base_lr, epoch, group_lr):
        if epoch == 0:
            return group_lr
        if self._step_count == 1 and epoch > 0:
            return self.lr_at(base_lr, epoch, group_lr)
        if (epoch - 1 - self.T_max) % (2 * self.T_max) == 0:
            return group_lr + (base_lr - self.eta_min) * (1 - math.cos(math.pi / self.T_max)) / 2
        return ((1 + math.cos(math.pi * epoch / self.T_max))
                / (1 + math.cos(math.pi * (epoch - 1) / self.T_max))
                * (group_lr - self.eta_min) + self.eta_min)


class LambdaLR(LRScheduler):
    """lr = base * lr_lambda(epoch) (one function, or one per group)."""

    def __init__(self, optimizer, lr_lambda, last_epoch=-1, verbose="deprecated"):
        n = len(optimizer.param_groups)
        self.lr_lambdas = list(lr_lambda) if isinstance(lr_lambda, (list, tuple)) \
            else [lr_lambda] * n
        if len(self.lr_lambdas) != n:
            raise ValueError(f"Expected {n} lr_lambdas, but got {len(self.lr_lambdas)}")
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [base * fn(self.last_epoch) for base, fn in zip(self.base_lrs, self.lr_lambdas)]

    def state_dict(self):
        return {k: v for k, v in super().state_dict().items() if k != "lr_lambdas"}


class MultiplicativeLR(LambdaLR):
    """lr = previous lr * lr_lambda(epoch) (from epoch 1 on)."""

    def get_lr(self):
        groups = self.optimizer.param_groups
        if self.last_epoch <= 0:
            return [group["lr"] for group in groups]
        return [group["lr"] * fn(self.last_epoch) for group, fn in zip(groups, self.lr_lambdas)]


class LinearLR(LRScheduler):
    """The rate scaled by a factor going linearly from start_factor to end_factor over
    total_iters epochs."""

    def __init__(self, optimizer, start_factor=1.0 / 3, end_factor=1.0, total_iters=5,
                 last_epoch=-1, verbose="deprecated"):
        self.start_factor, self.end_factor = start_factor, end_factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, epoch, group_lr):
        t = min(epoch, self.total_iters) / self.total_iters
        return base_lr * (self.start_factor + (self.end_factor - self.start_factor) * t)

    def lr_chained(self, base_lr, epoch, group_lr):
        if epoch == 0:
            return group_lr * self.start_factor
        if epoch > self.total_iters:
            return group_lr
        change = self.end_factor - self.start_factor
        return group_lr * (1.0 + change / (self.total_iters * self.start_factor
                                           + (epoch - 1) * change))


class ConstantLR(LRScheduler):
    """The rate times factor until total_iters epochs have passed."""

    def __init__(self, optimizer, factor=1.0 / 3, total_iters=5, last_epoch=-1,
                 verbose="deprecated"):
        self.factor, self.total_iters = factor, total_iters
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, epoch, group_lr):
        return base_lr * (self.factor if epoch < self.total_iters else 1.0)

    def lr_chained(self, base_lr, epoch, group_lr):
        if epoch == 0:
            return group_lr * self.factor
        return group_lr * (1.0 / self.factor) if epoch == self.total_iters else group_lr


class PolynomialLR(LRScheduler):
    """lr = base * (1 - min(epoch, total_iters) / total_iters) ** power."""

    def __init__(self, optimizer, total_iters=5, power=1.0, last_epoch=-1,
                 verbose="deprecated"):
        self.total_iters = validate.positive_int(total_iters, "total_iters")
        self.power = validate.number(power, "power")
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, epoch, group_lr):
        return base_lr * (1 - min(epoch, self.total_iters) / self.total_iters) ** self.power

    def lr_chained(self, base_lr, epoch, group_lr):
        if epoch == 0 or epoch > self.total_iters:
            return group_lr
        return group_lr * ((1.0 - epoch / self.total_iters)
                           / (1.0 - (epoch - 1) / self.total_iters)) ** self.power


class CosineAnnealingWarmRestarts(LRScheduler):
    """Cosine annealing from the base rate to eta_min over T_0 epochs, then again from the top
    over T_0 * T_mult, ... (SGDR); step(epoch) takes fractional epochs too."""

    def __init__(self, optimizer, T_0, T_mult=1, eta_min=0.0, last_epoch=-1,
                 verbose="deprecated"):
        self.T_0 = validate.positive_int(T_0, "T_0")
        if isinstance(T_mult, bool) or not isinstance(T_mult, int) or T_mult < 1:
            raise ValueError(f"Expected integer T_mult >= 1, but got {T_mult}")
        self.T_mult, self.eta_min = T_mult, validate.number(eta_min, "eta_min")
        self.T_i, self.T_cur = self.T_0, last_epoch
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [self.eta_min + (base - self.eta_min)
                * (1 + math.cos(math.pi * self.T_cur / self.T_i)) / 2 for base in self.base_lrs]

    def step(self, epoch=None):
        if epoch is None and self.last_epoch < 0:
            epoch = 0
        if epoch is None:
            epoch = self.last_epoch + 1
            self.T_cur += 1
            if self.T_cur >= self.T_i:
                self.T_cur -= self.T_i
                self.T_i *= self.T_mult
        else:
            if epoch < 0:
                raise ValueError(f"Expected non-negative epoch, but got {epoch}")
            if epoch >= self.T_0:
                if self.T_mult == 1:
                    self.T_cur = epoch % self.T_0
                else:
                    n = int(math.log(epoch / self.T_0 * (self.T_mult - 1) + 1, self.T_mult))
                    self.T_cur = epoch - self.T_0 * (self.T_mult ** n - 1) / (self.T_mult - 1)
                    self.T_i = self.T_0 * self.T_mult ** n
            else:
                self.T_i, self.T_cur = self.T_0, epoch
        self.last_epoch = math.floor(epoch)
        for group, lr in zip(self.optimizer.param_groups, self.get_lr()):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]


class CyclicLR(LRScheduler):
    """The rate cycled between base_lr and max_lr (triangular, triangular2 or exp_range), step()
    called after every batch; the momentum (or Adam's beta1) cycled the other way."""

    def __init__(self, optimizer, base_lr, max_lr, step_size_up=2000, step_size_down=None,
                 mode="triangular", gamma=1.0, scale_fn=None, scale_mode="cycle",
                 cycle_momentum=True, base_momentum=0.8, max_momentum=0.9, last_epoch=-1,
                 verbose="deprecated"):
        n = len(optimizer.param_groups)
        base_lrs = list(base_lr) if isinstance(base_lr, (list, tuple)) else [base_lr] * n
        if last_epoch == -1:
            for lr, group in zip(base_lrs, optimizer.param_groups):
                group["lr"] = lr
        self.max_lrs = list(max_lr) if isinstance(max_lr, (list, tuple)) else [max_lr] * n
        up = float(step_size_up)
        down = float(step_size_down) if step_size_down is not None else up
        self.total_size, self.step_ratio = up + down, up / (up + down)
        if mode not in ("triangular", "triangular2", "exp_range") and scale_fn is None:
            raise ValueError("mode is invalid and scale_fn is None")
        self.mode, self.gamma = mode, gamma
        if scale_fn is None:
            self.scale_fn = {"triangular": lambda x: 1.0,
                             "triangular2": lambda x: 1 / (2.0 ** (x - 1)),
                             "exp_range": lambda x: gamma ** x}[mode]
            self.scale_mode = "iterations" if mode == "exp_range" else "cycle"
        else:
            self.scale_fn, self.scale_mode = scale_fn, scale_mode
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.use_beta1 = _uses_beta1(optimizer)
            self.base_momentums = list(base_momentum) if isinstance(
                base_momentum, (list, tuple)) else [base_momentum] * n
            self.max_momentums = list(max_momentum) if isinstance(
                max_momentum, (list, tuple)) else [max_momentum] * n
            if last_epoch == -1:
                for m, group in zip(self.max_momentums, optimizer.param_groups):
                    _set_momentum(group, self.use_beta1, m)
        super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def _scale(self):
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        factor = x / self.step_ratio if x <= self.step_ratio else \
            (x - 1) / (self.step_ratio - 1)
        return factor, self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)

    def get_lr(self):
        factor, scale = self._scale()
        bases = getattr(self, "base_lrs", [g["lr"] for g in self.optimizer.param_groups])
        lrs = [base + (top - base) * factor * scale for base, top in zip(bases, self.max_lrs)]
        if self.cycle_momentum:
            for group, low, high in zip(self.optimizer.param_groups, self.base_momentums,
                                        self.max_momentums):
                _set_momentum(group, self.use_beta1, high - (high - low) * factor * scale)
        return lrs


class SequentialLR(LRScheduler):
    """schedulers[0] until milestones[0], then schedulers[1] (started afresh), ..."""

    def __init__(self, optimizer, schedulers, milestones, last_epoch=-1, verbose="deprecated"):
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(f"Sequential Schedulers expects number of schedulers provided to "
                             f"be one more than the number of milestone points, but got number "
                             f"of schedulers {len(schedulers)} and the number of milestones to "
                             f"be equal to {len(milestones)}")
        for s in schedulers:
            if s.optimizer is not optimizer:
                raise ValueError("Sequential Schedulers expects all schedulers to belong to "
                                 "the same optimizer")
        self.optimizer, self._schedulers = optimizer, list(schedulers)
        self._milestones = list(milestones)
        self.last_epoch = last_epoch + 1
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        for s in self._schedulers:
            s.last_epoch -= 1
        self._schedulers[0].step()
        self._last_lr = self._schedulers[0].get_last_lr()

    def step(self, epoch=None):
        self.last_epoch += 1
        index = bisect.bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[index]
        if index > 0 and self._milestones[index - 1] == self.last_epoch:
            scheduler.step(0)
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()


class ChainedScheduler(LRScheduler):
    """Several schedulers of one optimizer stepped together: each step() steps every one in
    turn, so their factors multiply (as their chained forms compose)."""

    def __init__(self, schedulers, optimizer=None):
        schedulers = list(schedulers)
        if not schedulers:
            raise ValueError("ChainedScheduler expects at least one scheduler to be chained, "
                             "but got no scheduler.")
        optimizer = optimizer if optimizer is not None else schedulers[0].optimizer
        for i, s in enumerate(schedulers):
            if s.optimizer is not optimizer:
                raise ValueError(f"ChainedScheduler expects all schedulers to belong to the "
                                 f"same optimizer, but got scheduler {type(s).__name__} at "
                                 f"index {i} to be different than the optimizer passed in.")
        self.optimizer, self._schedulers = optimizer, schedulers
        self._last_lr = [group["lr"] for group in optimizer.param_groups]

    def step(self):
        for scheduler in self._schedulers:
            scheduler.step()
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self):
        return {"_schedulers": [s.state_dict() for s in self._schedulers],
                "_last_lr": list(self._last_lr)}

    def load_state_dict(self, state_dict):
        for scheduler, state in zip(self._schedulers, state_dict["_schedulers"]):
            scheduler.load_state_dict(state)
        self._last_lr = list(state_dict["_last_lr"])


class ReduceLROnPlateau(LRScheduler):
    """Multiply the rate by factor when the metric given to step(metric) has not improved for
    `patience` epochs (mode 'min': lower is better; threshold relative or absolute). An
    LRScheduler, as in PyTorch, whose rate follows the metric rather than the epoch."""

    def __init__(self, optimizer, mode="min", factor=0.1, patience=10, threshold=1e-4,
                 threshold_mode="rel", cooldown=0, min_lr=0, eps=1e-8, verbose="deprecated"):
        _check_optimizer(optimizer)
        if factor >= 1.0:
            raise ValueError("Factor should be < 1.0.")
        if mode not in ("min", "max"):
            raise ValueError(f"mode {mode} is unknown!")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(f"threshold mode {threshold_mode} is unknown!")
        self.optimizer, self.mode, self.factor = optimizer, mode, factor
        self.patience, self.threshold, self.threshold_mode = patience, threshold, threshold_mode
        self.cooldown, self.eps = cooldown, eps
        n = len(optimizer.param_groups)
        self.min_lrs = list(min_lr) if isinstance(min_lr, (list, tuple)) else [min_lr] * n
        self.best = math.inf if mode == "min" else -math.inf
        self.num_bad_epochs = self.cooldown_counter = 0
        self.last_epoch = 0
        self._last_lr = [group["lr"] for group in optimizer.param_groups]

    def _better(self, current):
        if self.mode == "min":
            edge = self.best * (1 - self.threshold) if self.threshold_mode == "rel" else \
                self.best - self.threshold
            return current < edge
        edge = self.best * (1 + self.threshold) if self.threshold_mode == "rel" else \
            self.best + self.threshold
        return current > edge

    def step(self, metrics, epoch=None):
        current = float(metrics)
        self.last_epoch = self.last_epoch + 1 if epoch is None else epoch
        if self._better(current):
            self.best, self.num_bad_epochs = current, 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            for group, min_lr in zip(self.optimizer.param_groups, self.min_lrs):
                new = max(group["lr"] * self.factor, min_lr)
                if group["lr"] - new > self.eps:
                    group["lr"] = new
            self.cooldown_counter, self.num_bad_epochs = self.cooldown, 0
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]


class OneCycleLR(LRScheduler):
    """The 1cycle policy, step() after every batch: up from max_lr / div_factor to max_lr over
    pct_start of the steps, then down to max_lr / (div_factor * final_div_factor) (cosine or
    linear); the momentum (or Adam's beta1) goes the other way between base_momentum and
    max_momentum."""

    def __init__(self, optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None,
                 pct_start=0.3, anneal_strategy="cos", cycle_momentum=True, base_momentum=0.85,
                 max_momentum=0.95, div_factor=25.0, final_div_factor=1e4, three_phase=False,
                 last_epoch=-1, verbose="deprecated"):
        if total_steps is None:
            if epochs is None or steps_per_epoch is None:
                raise ValueError("You must define either total_steps OR (epochs AND "
                                 "steps_per_epoch)")
            total_steps = epochs * steps_per_epoch
        self.total_steps = validate.positive_int(total_steps, "total_steps")
        if not 0 <= pct_start <= 1:
            raise ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start}")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"anneal_strategy must be one of 'cos' or 'linear', instead got "
                             f"{anneal_strategy}")
        self.three_phase = bool(three_phase)
        n = len(optimizer.param_groups)
        self.pct_start, self.linear = pct_start, anneal_strategy == "linear"
        self.max_lrs = list(max_lr) if isinstance(max_lr, (list, tuple)) else [max_lr] * n
        self.div_factor, self.final_div_factor = div_factor, final_div_factor
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.use_beta1 = _uses_beta1(optimizer)
            self.momenta = (base_momentum, max_momentum)
        for group, top in zip(optimizer.param_groups, self.max_lrs):
            group["initial_lr"] = top / div_factor
        super().__init__(optimizer, last_epoch)

    def _anneal(self, start, end, t):
        if self.linear:
            return start + (end - start) * t
        return end + (start - end) * (1 + math.cos(math.pi * t)) / 2

    def get_lr(self):
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(f"Tried to step {step} times. The specified number of total "
                             f"steps is {self.total_steps}")
        up = float(self.pct_start * self.total_steps) - 1
        # each phase: (its last step, lr from, lr to, momentum from, to) with the rates as
        # "low" (max_lr / div_factor), "top" (max_lr) and "final" (low / final_div_factor)
        if self.three_phase:
            phases = [(up, "low", "top", 1, 0), (2 * up, "top", "low", 0, 1),
                      (self.total_steps - 1, "low", "final", 1, 1)]
        else:
            phases = [(up, "low", "top", 1, 0), (self.total_steps - 1, "top", "final", 0, 1)]
        start = 0.0
        for i, (end, lr_from, lr_to, m_from, m_to) in enumerate(phases):
            if step <= end or i == len(phases) - 1:
                t = (step - start) / (end - start) if end != start else 1.0
                break
            start = end
        lrs = []
        for top in self.max_lrs:
            rates = {"top": top, "low": top / self.div_factor,
                     "final": top / (self.div_factor * self.final_div_factor)}
            lrs.append(self._anneal(rates[lr_from], rates[lr_to], t))
        if self.cycle_momentum:
            momenta = self.momenta  # (base, max): index 0 base, 1 max
            m = self._anneal(momenta[m_from], momenta[m_to], t)
            for group in self.optimizer.param_groups:
                _set_momentum(group, self.use_beta1, m)
        return lrs


def _uses_beta1(optimizer):
    """Whether a cycled momentum is Adam's beta1 (else the group's momentum); an optimizer
    with neither cannot cycle it."""
    group = optimizer.param_groups[0]
    if "momentum" not in group and "betas" not in group:
        raise ValueError("optimizer must support momentum or beta1 with `cycle_momentum` "
                         "option enabled")
    return "betas" in group


def _set_momentum(group, use_beta1, m):
    if use_beta1:
        group["betas"] = (m, *group["betas"][1:])
    else:
        group["momentum"] = m
