"""L-BFGS, as torch.optim.LBFGS: a quasi-Newton method that builds its step from the last
`history_size` changes of the parameters and of the gradient (the two-loop recursion of Nocedal
and Wright, Algorithm 7.4), with a fixed step of lr or, with line_search_fn='strong_wolfe', a
step meeting the strong Wolfe conditions (their Algorithms 3.5 and 3.6, with cubic
interpolation). It re-evaluates the model many times per step, so step() needs the closure
that computes the loss and its gradients.

All parameters are seen as one flat vector, in one parameter group; the update and the state
are NumPy arrays of the parameters' dtype.
"""
import math

import numpy as np

from .. import validate
from ..tensor import enable_grad
from .optimizer import Optimizer


def _number(loss):
    """The closure's loss as a float (a tensor's value, without the graph warning)."""
    return float(loss.detach()) if hasattr(loss, "detach") else float(loss)


def _cubic_minimum(x1, f1, g1, x2, f2, g2, bounds=None):
    """The minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, clamped
    to bounds (the two points by default); their midpoint when the cubic has no minimum."""
    low, high = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    square = d1 * d1 - g1 * g2
    if square < 0:
        return (low + high) / 2.0
    d2 = math.sqrt(square)
    if x1 <= x2:
        at = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        at = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(at, low), high)


def _strong_wolfe(evaluate, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9,
                  max_ls=25):
    """A step t along d meeting the strong Wolfe conditions, from loss f, gradient g and slope
    gtd at t = 0: (loss, gradient, t, evaluations). evaluate(t) gives the loss and gradient at
    the parameters moved by t * d (and leaves them where they were)."""
    d_scale = np.abs(d).max()
    f_new, g_new = evaluate(t)
    evals, gtd_new = 1, float(g_new.dot(d))
    t_prev, f_prev, g_prev, gtd_prev = 0.0, f, g.copy(), gtd
    done, iteration = False, 0
    bracket = None
    while iteration < max_ls:  # look for an interval holding a good step
        if f_new > f + c1 * t * gtd or (iteration > 1 and f_new >= f_prev):
            bracket = [[t_prev, f_prev, g_prev, gtd_prev], [t, f_new, g_new.copy(), gtd_new]]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, done = [[t, f_new, g_new, gtd_new]], True
            break
        if gtd_new >= 0:
            bracket = [[t_prev, f_prev, g_prev, gtd_prev], [t, f_new, g_new.copy(), gtd_new]]
            break
        low, high = t + 0.01 * (t - t_prev), t * 10
        t_prev, t = t, _cubic_minimum(t_prev, f_prev, gtd_prev, t, f_new, gtd_new, (low, high))
        f_prev, g_prev, gtd_prev = f_new, g_new.copy(), gtd_new
        f_new, g_new = evaluate(t)
        evals, gtd_new, iteration = evals + 1, float(g_new.dot(d)), iteration + 1
    if iteration == max_ls:
        bracket = [[0.0, f, g, gtd], [t, f_new, g_new, gtd_new]]

    stalled = False
    lo, hi = (0, 1) if bracket[0][1] <= bracket[-1][1] else (1, 0)
    while not done and iteration < max_ls:  # narrow the interval down to a step ("zoom")
        (t0, f0, _, s0), (t1, f1, _, s1) = bracket
        if abs(t1 - t0) * d_scale < tolerance_change:
            break
        t = _cubic_minimum(t0, f0, s0, t1, f1, s1)
        top, bottom = max(t0, t1), min(t0, t1)
        margin = 0.1 * (top - bottom)
        if min(top - t, t - bottom) < margin:  # too close to an end: move it inside
            if stalled or t >= top or t <= bottom:
                t = top - margin if abs(t - top) < abs(t - bottom) else bottom + margin
                stalled = False
            else:
                stalled = True
        else:
            stalled = False
        f_new, g_new = evaluate(t)
        evals, gtd_new, iteration = evals + 1, float(g_new.dot(d)), iteration + 1
        if f_new > f + c1 * t * gtd or f_new >= bracket[lo][1]:
            bracket[hi] = [t, f_new, g_new.copy(), gtd_new]
            lo, hi = (0, 1) if bracket[0][1] <= bracket[1][1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[hi][0] - bracket[lo][0]) >= 0:
                bracket[hi] = bracket[lo]
            bracket[lo] = [t, f_new, g_new.copy(), gtd_new]
    t, f_new, g_new, _ = bracket[lo]
    return f_new, g_new, t, evals


class LBFGS(Optimizer):
    """L-BFGS: step(closure) runs up to max_iter iterations (max_eval evaluations of the
    closure, 1.25 max_iter by default), each a quasi-Newton step of length lr (or found by
    line_search_fn='strong_wolfe'), and stops early once the gradient is below tolerance_grad
    or the loss or the step changes by less than tolerance_change. It returns the closure's
    first loss, as torch.optim.LBFGS."""

    def __init__(self, params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7,
                 tolerance_change=1e-9, history_size=100, line_search_fn=None):
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        super().__init__(params, dict(lr=lr, max_iter=max_iter, max_eval=max_eval,
                                      tolerance_grad=tolerance_grad,
                                      tolerance_change=tolerance_change,
                                      history_size=history_size, line_search_fn=line_search_fn))
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")

    def _check_group(self, group):
        group["lr"] = validate.nonnegative(group["lr"], "lr")
        for key in ("max_iter", "max_eval", "history_size"):
            group[key] = validate.integer(group[key], key)

    def add_param_group(self, param_group):
        if getattr(self, "param_groups", None):
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        super().add_param_group(param_group)

    # ---- the parameters as one flat vector ---------------------------------------------------

    def _flat_grad(self):
        params = self.param_groups[0]["params"]
        return np.concatenate([np.zeros(p._data.size, p._data.dtype) if p._grad is None
                               else p._grad._data.reshape(-1).astype(p._data.dtype)
                               for p in params])

    def _move(self, step, direction):
        """Every parameter += step * its part of direction, in place."""
        offset = 0
        for p in self.param_groups[0]["params"]:
            n = p._data.size
            p._data += (step * direction[offset:offset + n]).reshape(p._data.shape).astype(
                p._data.dtype)
            p._version.value += 1
            offset += n

    def _values(self):
        return [p._data.copy() for p in self.param_groups[0]["params"]]

    def _restore(self, values):
        for p, v in zip(self.param_groups[0]["params"], values):
            p._data[...] = v
            p._version.value += 1

    def step(self, closure):
        """One call of L-BFGS (up to max_iter iterations); closure() zeroes the gradients,
        computes the loss, calls backward() and returns the loss."""
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        history_size, line_search = group["history_size"], group["line_search_fn"]
        if line_search not in (None, "strong_wolfe"):
            raise RuntimeError("only 'strong_wolfe' is supported")
        state = self.state[group["params"][0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        def evaluate():
            with enable_grad():
                return closure()

        first_loss = evaluate()
        loss = _number(first_loss)
        evals = 1
        state["func_evals"] += 1
        flat_grad = self._flat_grad()
        if np.abs(flat_grad).max() <= tolerance_grad:
            return first_loss

        d, t = state.get("d"), state.get("t")
        old_dirs, old_steps = state.get("old_dirs", []), state.get("old_stps", [])
        ro, h_diag = state.get("ro", []), state.get("H_diag", 1.0)
        prev_flat_grad, prev_loss = state.get("prev_flat_grad"), state.get("prev_loss")

        iteration = 0
        while iteration < max_iter:
            iteration += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:  # steepest descent to begin with
                d = -flat_grad
                old_dirs, old_steps, ro, h_diag = [], [], [], 1.0
            else:
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = float(y.dot(s))
                if ys > 1e-10:  # keep the pair only if the curvature is positive
                    if len(old_dirs) == history_size:
                        old_dirs.pop(0), old_steps.pop(0), ro.pop(0)
                    old_dirs.append(y)
                    old_steps.append(s)
                    ro.append(1.0 / ys)
                    h_diag = ys / float(y.dot(y))
                alphas = [0.0] * len(old_dirs)
                q = -flat_grad
                for i in range(len(old_dirs) - 1, -1, -1):
                    alphas[i] = float(old_steps[i].dot(q)) * ro[i]
                    q = q - alphas[i] * old_dirs[i]
                r = q * h_diag
                for i in range(len(old_dirs)):
                    beta = float(old_dirs[i].dot(r)) * ro[i]
                    r = r + (alphas[i] - beta) * old_steps[i]
                d = r
            prev_flat_grad, prev_loss = flat_grad.copy(), loss
            t = min(1.0, 1.0 / np.abs(flat_grad).sum()) * lr if state["n_iter"] == 1 else lr
            gtd = float(flat_grad.dot(d))
            if gtd > -tolerance_change:  # not a descent direction any more
                break

            if line_search is not None:
                start = self._values()

                def at(step, start=start, d=d):
                    self._move(step, d)
                    value = _number(evaluate())
                    grad = self._flat_grad()
                    self._restore(start)
                    return value, grad
                loss, flat_grad, t, used = _strong_wolfe(at, t, d, loss, flat_grad, gtd)
                self._move(t, d)
            else:
                self._move(t, d)
                used = 0
                if iteration != max_iter:
                    loss = _number(evaluate())
                    flat_grad = self._flat_grad()
                    used = 1
            evals += used
            state["func_evals"] += used

            if iteration == max_iter or evals >= max_eval:
                break
            if np.abs(flat_grad).max() <= tolerance_grad:
                break
            if np.abs(d * t).max() <= tolerance_change or abs(loss - prev_loss) < \
                    tolerance_change:
                break

        state.update(d=d, t=t, old_dirs=old_dirs, old_stps=old_steps, ro=ro, H_diag=h_diag,
                     prev_flat_grad=prev_flat_grad, prev_loss=prev_loss)
        return first_loss
