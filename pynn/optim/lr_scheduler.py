"""Learning-rate schedules, as torch.optim.lr_scheduler: each sets the `lr` of its optimizer's
parameter groups when step() is called (once per epoch, after optimizer.step())."""
import math
import warnings

from .. import validate
from .optimizer import Optimizer


class LRScheduler:
    """Base class: the rate of each group as a function of the epoch count (closed form), set
    at construction (epoch 0) and by every step()."""

    def __init__(self, optimizer, last_epoch=-1, verbose="deprecated"):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(optimizer).__name__} is not an Optimizer")
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self.step()

    def lr_at(self, base_lr, epoch, group_lr):
        """The rate of a group at `epoch`, from its base rate (or from its current rate)."""
        raise NotImplementedError

    def get_lr(self):
        return [self.lr_at(base, self.last_epoch, group["lr"])
                for base, group in zip(self.base_lrs, self.optimizer.param_groups)]

    def step(self, epoch=None):
        self.last_epoch = self.last_epoch + 1 if epoch is None else epoch
        for group, lr in zip(self.optimizer.param_groups, self.get_lr()):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self):
        """The rates the last step() set, one per parameter group."""
        return list(self._last_lr)

    def state_dict(self):
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict):
        self.__dict__.update(state_dict)


_LRScheduler = LRScheduler


class StepLR(LRScheduler):
    """lr = base * gamma ** (epoch // step_size)."""

    def __init__(self, optimizer, step_size, gamma=0.1, last_epoch=-1, verbose="deprecated"):
        self.step_size = validate.positive_int(step_size, "step_size")
        self.gamma = validate.number(gamma, "gamma")
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, epoch, group_lr):
        return base_lr * self.gamma ** (epoch // self.step_size)


class MultiStepLR(LRScheduler):
    """lr = base * gamma ** (the number of milestones reached)."""

    def __init__(self, optimizer, milestones, gamma=0.1, last_epoch=-1, verbose="deprecated"):
        self.milestones = sorted(validate.integer(m, "milestones") for m in milestones)
        self.gamma = validate.number(gamma, "gamma")
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, epoch, group_lr):
        return base_lr * self.gamma ** sum(1 for m in self.milestones if epoch >= m)


class ExponentialLR(LRScheduler):
    """lr = base * gamma ** epoch."""

    def __init__(self, optimizer, gamma, last_epoch=-1, verbose="deprecated"):
        self.gamma = validate.number(gamma, "gamma")
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, epoch, group_lr):
        return base_lr * self.gamma ** epoch


class CosineAnnealingLR(LRScheduler):
    """lr = eta_min + (base - eta_min) (1 + cos(pi epoch / T_max)) / 2."""

    def __init__(self, optimizer, T_max, eta_min=0.0, last_epoch=-1, verbose="deprecated"):
        self.T_max = validate.positive_int(T_max, "T_max")
        self.eta_min = validate.number(eta_min, "eta_min")
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, epoch, group_lr):
        return self.eta_min + (base_lr - self.eta_min) * (
            1 + math.cos(math.pi * epoch / self.T_max)) / 2


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


class ConstantLR(LRScheduler):
    """The rate times factor until total_iters epochs have passed."""

    def __init__(self, optimizer, factor=1.0 / 3, total_iters=5, last_epoch=-1,
                 verbose="deprecated"):
        self.factor, self.total_iters = factor, total_iters
        super().__init__(optimizer, last_epoch)

    def lr_at(self, base_lr, epoch, group_lr):
        return base_lr * (self.factor if epoch < self.total_iters else 1.0)


class ReduceLROnPlateau:
    """Multiply the rate by factor when the metric given to step(metric) has not improved for
    `patience` epochs (mode 'min': lower is better; threshold relative or absolute)."""

    def __init__(self, optimizer, mode="min", factor=0.1, patience=10, threshold=1e-4,
                 threshold_mode="rel", cooldown=0, min_lr=0, eps=1e-8, verbose="deprecated"):
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

    def get_last_lr(self):
        return list(self._last_lr)

    def state_dict(self):
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict):
        self.__dict__.update(state_dict)


class OneCycleLR(LRScheduler):
    """The 1cycle policy: up from max_lr / div_factor to max_lr over pct_start of the steps
    (cosine), then down to max_lr / (div_factor * final_div_factor)."""

    def __init__(self, optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None,
                 pct_start=0.3, anneal_strategy="cos", div_factor=25.0, final_div_factor=1e4,
                 three_phase=False, last_epoch=-1, **kwargs):
        if total_steps is None:
            if epochs is None or steps_per_epoch is None:
                raise ValueError("You must define either total_steps OR (epochs AND "
                                 "steps_per_epoch)")
            total_steps = epochs * steps_per_epoch
        self.total_steps, self.pct_start = total_steps, pct_start
        self.max_lrs = list(max_lr) if isinstance(max_lr, (list, tuple)) else \
            [max_lr] * len(optimizer.param_groups)
        self.div_factor, self.final_div_factor = div_factor, final_div_factor
        self.linear = anneal_strategy == "linear"
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
            warnings.warn("OneCycleLR: stepped past total_steps", UserWarning, stacklevel=3)
        up = float(self.pct_start * self.total_steps) - 1
        lrs = []
        for top in self.max_lrs:
            low, final = top / self.div_factor, top / (self.div_factor * self.final_div_factor)
            if step <= up:
                lrs.append(self._anneal(low, top, step / up if up > 0 else 1.0))
            else:
                down = self.total_steps - 1 - up
                lrs.append(self._anneal(top, final, min(1.0, (step - up) / down)))
        return lrs
