"""pynn.optim: SGD, Adam and RMSprop step for step against PyTorch's formulas (written out here in
float64 NumPy) and, when torch is installed, against torch.optim itself; state_dict round trips;
bad hyperparameters and parameters."""
import math

import numpy as np
import pytest

import pynn
from pynn import optim

SHAPES = [(3, 4), (5,)]
STEPS = 12


def make_params(seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return [pynn.tensor(rng.standard_normal(s).astype(dtype), requires_grad=True) for s in SHAPES]


def gradients(seed, dtype=np.float64):
    """STEPS lists of one gradient per parameter."""
    rng = np.random.default_rng(seed + 1000)
    return [[rng.standard_normal(s).astype(dtype) for s in SHAPES] for _ in range(STEPS)]


def values(t):
    return t.detach().numpy()


def run(opt, params, grads):
    for step_grads in grads:
        for p, g in zip(params, step_grads):
            p.grad = pynn.tensor(g)
        opt.step()
    return [values(p).copy() for p in params]


def adam_formula(p, grads, lr, beta1, beta2, eps, weight_decay):
    m, v = np.zeros_like(p), np.zeros_like(p)
    for t, g in enumerate(grads, start=1):
        g = g + weight_decay * p
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
        p = p - lr * m_hat / (np.sqrt(v_hat) + eps)
    return p


def sgd_formula(p, grads, lr, momentum, dampening, weight_decay, nesterov):
    buf = None
    for g in grads:
        g = g + weight_decay * p
        if momentum:
            buf = g if buf is None else momentum * buf + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        p = p - lr * g
    return p


def rmsprop_formula(p, grads, lr, alpha, eps, weight_decay, momentum, centered):
    v, a, buf = np.zeros_like(p), np.zeros_like(p), np.zeros_like(p)
    for g in grads:
        g = g + weight_decay * p
        v = alpha * v + (1 - alpha) * g * g
        mean_square = v
        if centered:
            a = alpha * a + (1 - alpha) * g
            mean_square = v - a * a
        d = np.sqrt(mean_square) + eps
        if momentum > 0:
            buf = momentum * buf + g / d
            p = p - lr * buf
        else:
            p = p - lr * g / d
    return p


ADAM_CASES = [dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0),
              dict(lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
              dict(lr=0.01, betas=(0.0, 0.5), eps=0.0, weight_decay=0.0)]
SGD_CASES = [dict(lr=0.1, momentum=0.0, dampening=0.0, weight_decay=0.0, nesterov=False),
             dict(lr=0.05, momentum=0.9, dampening=0.0, weight_decay=0.01, nesterov=False),
             dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.0, nesterov=False),
             dict(lr=0.02, momentum=0.7, dampening=0.0, weight_decay=0.05, nesterov=True)]
RMSPROP_CASES = [dict(lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                      centered=False),
                 dict(lr=1e-3, alpha=0.9, eps=1e-6, weight_decay=0.1, momentum=0.8,
                      centered=True)]


@pytest.mark.parametrize("hyper", ADAM_CASES)
def test_adam_matches_pytorch_formula_step_for_step(hyper):
    params, grads = make_params(0), gradients(0)
    start = [values(p).copy() for p in params]
    got = run(optim.Adam(params, **hyper), params, grads)
    for i, p0 in enumerate(start):
        want = adam_formula(p0, [g[i] for g in grads], hyper["lr"], *hyper["betas"],
                            hyper["eps"], hyper["weight_decay"])
        np.testing.assert_allclose(got[i], want, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("hyper", SGD_CASES)
def test_sgd_matches_pytorch_formula_step_for_step(hyper):
    params, grads = make_params(1), gradients(1)
    start = [values(p).copy() for p in params]
    got = run(optim.SGD(params, **hyper), params, grads)
    for i, p0 in enumerate(start):
        want = sgd_formula(p0, [g[i] for g in grads], **hyper)
        np.testing.assert_allclose(got[i], want, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("hyper", RMSPROP_CASES)
def test_rmsprop_matches_pytorch_formula_step_for_step(hyper):
    params, grads = make_params(2), gradients(2)
    start = [values(p).copy() for p in params]
    got = run(optim.RMSprop(params, **hyper), params, grads)
    for i, p0 in enumerate(start):
        want = rmsprop_formula(p0, [g[i] for g in grads], **hyper)
        np.testing.assert_allclose(got[i], want, rtol=1e-11, atol=1e-12)


@pytest.mark.parametrize("name, cases", [("Adam", ADAM_CASES), ("SGD", SGD_CASES),
                                         ("RMSprop", RMSPROP_CASES)])
def test_matches_torch_optim(name, cases):
    torch = pytest.importorskip("torch")
    for hyper in cases:
        params, grads = make_params(3), gradients(3)
        tparams = [torch.tensor(values(p).copy(), requires_grad=True) for p in params]
        topt = getattr(torch.optim, name)(tparams, **hyper)
        for step_grads in grads:
            for tp, g in zip(tparams, step_grads):
                tp.grad = torch.tensor(g)
            topt.step()
        got = run(getattr(optim, name)(params, **hyper), params, grads)
        for mine, theirs in zip(got, tparams):
            np.testing.assert_allclose(mine, theirs.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_float32_parameters_stay_float32_and_track_float64():
    p64, grads = make_params(4), gradients(4)
    p32 = make_params(4, np.float32)
    got64 = run(optim.Adam(p64, lr=0.01), p64, grads)
    got32 = run(optim.Adam(p32, lr=0.01), p32,
                [[g.astype(np.float32) for g in gs] for gs in grads])
    for a, b in zip(got32, got64):
        assert a.dtype == np.float32
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_parameters_without_grad_are_skipped():
    params = make_params(5)
    before = values(params[1]).copy()
    opt = optim.Adam(params, lr=0.1)
    params[0].grad = pynn.ones(SHAPES[0], dtype=pynn.float64)
    opt.step()
    np.testing.assert_array_equal(params[1].data, before)
    assert params[1] not in opt.state and opt.state[params[0]]["step"] == 1


@pytest.mark.parametrize("name", ["Adam", "SGD"])
def test_one_step_over_parameters_of_mixed_dtypes_and_step_counts(name):
    """A step updates all of a group's parameters in one kernel call per dtype and step count:
    parameters of both dtypes, some skipped on some steps (so their step counts differ), and
    one whose .data is replaced midway, each follow their own formula."""
    hyper = ADAM_CASES[1] if name == "Adam" else SGD_CASES[1]
    rng = np.random.default_rng(8)
    dtypes = [np.float64, np.float32, np.float64, np.float32]
    params = [pynn.tensor(rng.standard_normal(3).astype(d), requires_grad=True) for d in dtypes]
    opt = getattr(optim, name)(params, **hyper)
    starts = [values(p).astype(np.float64) for p in params]
    applied = [[] for _ in params]  # the gradients each parameter was updated with
    for t in range(8):
        if t == 4:  # a new array for params[2]: its update must land there
            params[2].data = params[2].data.clone()
        for i, p in enumerate(params):
            skip = (i == 1 and t % 3 == 0) or (i == 3 and t < 2)
            p.grad = None if skip else pynn.tensor(rng.standard_normal(3).astype(dtypes[i]))
            if not skip:
                applied[i].append(p.grad.numpy().astype(np.float64))
        opt.step()
    for p, p0, grads in zip(params, starts, applied):
        if name == "Adam":
            want = adam_formula(p0, grads, hyper["lr"], *hyper["betas"], hyper["eps"],
                                hyper["weight_decay"])
        else:
            want = sgd_formula(p0, grads, **hyper)
        tol = 1e-12 if p.dtype == np.float64 else 1e-5
        np.testing.assert_allclose(p.data, want, rtol=tol, atol=tol)
    assert [opt.state[p]["step"] for p in params] == [8, 5, 8, 6]


def test_zero_grad_sets_none_or_zeros():
    params = make_params(6)
    opt = optim.SGD(params, lr=0.1)
    for p in params:
        p.grad = pynn.ones(p.shape, dtype=p.dtype)
    opt.zero_grad(set_to_none=False)
    assert all(np.all(p.grad == 0) for p in params)
    opt.zero_grad()
    assert all(p.grad is None for p in params)


def test_step_returns_the_closures_loss():
    params = make_params(7)
    opt = optim.SGD(params, lr=0.1)
    assert opt.step(lambda: 3.5) == 3.5 and opt.step() is None


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop"])
def test_state_dict_round_trip_resumes_exactly(name):
    hyper = {"SGD": dict(lr=0.05, momentum=0.9), "Adam": dict(lr=0.05),
             "RMSprop": dict(lr=0.01, momentum=0.5, centered=True)}[name]
    grads = gradients(8)
    straight = make_params(8)
    want = run(getattr(optim, name)(straight, **hyper), straight, grads)

    first = make_params(8)
    opt = getattr(optim, name)(first, **hyper)
    run(opt, first, grads[:5])
    saved, saved_params = opt.state_dict(), [values(p).copy() for p in first]
    run(opt, first, grads[5:7])  # state moves on; the saved copy must not

    resumed = make_params(8)
    for p, data in zip(resumed, saved_params):
        p.data[...] = data
    opt2 = getattr(optim, name)(resumed, lr=123.0)
    opt2.load_state_dict(saved)
    assert opt2.param_groups[0]["lr"] == hyper["lr"]
    got = run(opt2, resumed, grads[5:])
    for a, b in zip(got, want):
        np.testing.assert_array_equal(a, b)


def test_load_state_dict_refuses_mismatches():
    params = make_params(9)
    opt = optim.Adam(params)
    run(opt, params, gradients(9)[:1])
    good = opt.state_dict()
    other = optim.Adam([pynn.zeros(3, requires_grad=True)])
    with pytest.raises(ValueError, match="size of optimizer's group"):
        other.load_state_dict(good)
    bad = opt.state_dict()
    bad["state"][0]["exp_avg"] = np.zeros((2, 2))
    with pytest.raises(ValueError, match="shape"):
        opt.load_state_dict(bad)
    bad = opt.state_dict()
    del bad["state"][1]["exp_avg_sq"]
    with pytest.raises(ValueError, match="entries"):
        opt.load_state_dict(bad)
    with pytest.raises(ValueError, match="'state'"):
        opt.load_state_dict({"state": {}})


def test_param_groups_have_their_own_hyperparameters():
    params = make_params(10)
    opt = optim.SGD([{"params": [params[0]]}, {"params": [params[1]], "lr": 0.5}], lr=0.1)
    before = [values(p).copy() for p in params]
    for p in params:
        p.grad = pynn.ones(p.shape, dtype=p.dtype)
    opt.step()
    np.testing.assert_allclose(params[0].data, before[0] - 0.1)
    np.testing.assert_allclose(params[1].data, before[1] - 0.5)
    opt.param_groups[1]["lr"] = 0.0  # what a learning-rate schedule does
    opt.step()
    np.testing.assert_allclose(params[1].data, before[1] - 0.5)


@pytest.mark.parametrize("make, match", [
    (lambda p: optim.SGD(p, lr=-0.1), "lr"),
    (lambda p: optim.SGD(p, lr=float("nan")), "lr"),
    (lambda p: optim.SGD(p, lr="0.1"), "lr"),
    (lambda p: optim.SGD(p, lr=0.1, momentum=-1), "momentum"),
    (lambda p: optim.SGD(p, lr=0.1, nesterov=True), "Nesterov"),
    (lambda p: optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), "Nesterov"),
    (lambda p: optim.Adam(p, betas=(1.0, 0.999)), "beta parameter at index 0"),
    (lambda p: optim.Adam(p, betas=(0.9, -0.1)), "beta parameter at index 1"),
    (lambda p: optim.Adam(p, betas=0.9), "betas"),
    (lambda p: optim.Adam(p, eps=-1e-8), "eps"),
    (lambda p: optim.Adam(p, weight_decay=-1), "weight_decay"),
    (lambda p: optim.RMSprop(p, alpha=1.5), "alpha"),
    (lambda p: optim.Adam([]), "empty"),
    (lambda p: optim.Adam([p[0] * 2]), "non-leaf"),
    (lambda p: optim.Adam([{"params": p[:1]}, {"params": p[:1]}]), "more than one"),
    (lambda p: optim.Adam([pynn.tensor([1, 2])]), "floating-point"),
])
def test_bad_hyperparameters_and_parameters(make, match):
    with pytest.raises((ValueError, TypeError), match=match):
        make(make_params(11))


def test_bad_param_types():
    with pytest.raises(TypeError, match="but got Tensor"):
        optim.Adam(make_params(12)[0])
    with pytest.raises(TypeError, match="iterable"):
        optim.Adam(3)
    with pytest.raises(TypeError, match="only optimize Tensors"):
        optim.Adam([np.zeros(3)])
    with pytest.raises(TypeError, match="unknown hyperparameters"):
        optim.Adam([{"params": make_params(12), "momentum": 0.9}])


def test_nn_free_training_loop_minimises_a_quadratic():
    """The low-level loop of the README: a Tensor, a loss, backward, step."""
    w = pynn.tensor([3.0, -2.0], requires_grad=True)
    opt = optim.Adam([w], lr=0.1)
    for _ in range(300):
        opt.zero_grad()
        loss = ((w - 1.0) ** 2).sum()
        loss.backward()
        opt.step()
    np.testing.assert_allclose(w.data, [1.0, 1.0], atol=1e-3)
    assert math.isfinite(float(loss.data))
    assert "lr: 0.1" in repr(opt) and pynn.optim is optim


def test_the_optimizer_keeps_a_bounded_number_of_kernel_runs():
    """Which parameters have gradients may change from step to step, and a parameter's data may
    be replaced: the arrays an optimizer keeps for its kernel calls stay bounded (they once grew
    from 54 to 209 MiB over 3,000 steps): an array replaced long ago is let go."""
    import weakref
    rng = np.random.default_rng(13)
    params = [pynn.zeros(8, 8, dtype=pynn.float64, requires_grad=True) for _ in range(12)]
    opt = optim.Adam(params, lr=1e-3)
    first = None
    for step in range(300):
        chosen = rng.random(len(params)) < 0.5
        chosen[0] = True
        for p, on in zip(params, chosen):
            p.grad = pynn.ones(8, 8, dtype=pynn.float64) if on else None
        opt.step()
        if step == 0:
            first = weakref.ref(params[0]._data)  # held by the first step's kernel run
        params[0].data = params[0].data.clone()
    assert first() is None


def test_gradients_kept_from_step_to_step_are_rechecked_when_replaced():
    """Gradients that stay the same arrays (zero_grad(set_to_none=False)) have their pointers
    kept; a gradient replaced afterwards, by a strided view or another dtype, is checked again
    and used as its values say."""
    w = pynn.tensor(np.ones((3, 4), np.float32), requires_grad=True)
    expected = w.detach().numpy().copy()
    opt = optim.SGD([w], lr=0.5)
    grads = [np.full((3, 4), 0.25, np.float32), np.full((3, 4), 0.5, np.float32)]
    for g in grads:  # the same gradient array for three steps: kept after the second
        w.grad = pynn.tensor(g)
        for _ in range(3):
            opt.step()
            expected -= 0.5 * g
            np.testing.assert_allclose(w.detach().numpy(), expected, rtol=1e-6)
    wide = np.arange(24, dtype=np.float64).reshape(3, 8)
    w.grad = pynn.tensor(wide)[:, ::2].float()
    opt.step()
    expected -= 0.5 * wide[:, ::2]
    np.testing.assert_allclose(w.detach().numpy(), expected, rtol=1e-6)
    w.grad.data.mul_(2)  # changed in place: the kept pointers see the new values
    opt.step()
    expected -= 0.5 * 2 * wide[:, ::2]
    np.testing.assert_allclose(w.detach().numpy(), expected, rtol=1e-6)
