"""The C kernels (pynn._kernels) against their NumPy twins (pynn.reference).

Every kernel runs on odd shapes (1xN, Nx1, primes, 0-sized, sizes no tile divides), both
dtypes, every transpose and every activation, with outputs pre-filled with NaN, and must agree
with the reference within the rounding error its dtype allows. Bound calls (run=bind) are the
same calls, on whatever the arrays hold when they run. The optimizer steps are checked against
the textbook formulas over many steps. (The kernels take the engine's own arrays: what users
pass is checked and converted by the ops, tests/test_bad_input.py and test_fuzz_tensor.py.)
"""
import os
import subprocess
import sys
import threading

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from pynn import _kernels as kernels, reference
from pynn._C import ffi, lib

DTYPES = [np.float32, np.float64]
ACTIVATIONS = [None, "relu", "sigmoid", "tanh"]
# (m, n, k) of a matmul: 1xN, Nx1, primes, 0-sized, and sizes that are no multiple of a tile
# (the last one crosses cache blocks of 64, 128, 256 and 512 in every dimension).
ODD_MNK = [(1, 1, 1), (72, 73, 74), (17, 33, 65), (1, 97, 3), (97, 1, 5), (5, 3, 1),
           (1, 1, 129), (31, 37, 41), (2, 130, 67), (129, 2, 9), (0, 5, 3), (5, 0, 3), (4, 6, 0),
           (259, 263, 517)]
ODD_SHAPES = [(), (1,), (7,), (1, 1), (1, 97), (97, 1), (17, 33), (72, 73), (0,), (3, 0),
              (2, 3, 5)]
SPECIALS = [0.0, -0.0, np.nan, np.inf, -np.inf, 1000.0, -1000.0, 1e-30, -1e-30]

dims = st.one_of(st.sampled_from([0, 1, 2, 3, 7, 13, 31, 61, 67, 129, 200]), st.integers(1, 90))
shapes = st.lists(st.integers(0, 9) | st.sampled_from([1, 13, 31]), max_size=3).map(tuple)
seeds = st.integers(0, 2**32 - 1)
fuzz = settings(max_examples=150, deadline=None)
# NaN and infinities are fed on purpose: NumPy's warnings about them are expected.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


# ---------------------------------------------------------------------------------- helpers

def eps(dtype):
    return float(np.finfo(dtype).eps)


def normal(rng, shape, dtype):
    return np.asarray(rng.standard_normal(shape)).astype(dtype)


def values(rng, shape, dtype):
    """Values over many magnitudes, about one in ten a special value (0, -0, NaN, inf, +-1000)."""
    x = np.asarray(rng.standard_normal(shape) * 10.0 ** rng.integers(-3, 4, size=shape))
    special = np.asarray(rng.random(shape) < 0.1)
    x[special] = rng.choice(SPECIALS, size=int(special.sum()))
    return x.astype(dtype)


def nan_like(shape, dtype):
    """An output pre-filled with NaN: any element the kernel fails to write shows."""
    return np.full(shape, np.nan, dtype)


def assert_close(got, want, err):
    """got == want up to err (a bound on each element's rounding error), with NaN and infinities
    in exactly the same places, in the same dtype and shape."""
    assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, got.shape, want.shape)
    got64, want64 = got.astype(np.float64), want.astype(np.float64)
    diff = np.abs(got64 - want64)
    ok = (got64 == want64) | (diff <= err) | (np.isnan(got64) & np.isnan(want64))
    if not ok.all():
        i = np.unravel_index(np.argmax(np.where(ok, -1.0, np.nan_to_num(diff, nan=np.inf))),
                             ok.shape)
        raise AssertionError(f"{np.count_nonzero(~ok)} of {ok.size} elements differ; at {i}: "
                             f"got {got64[i]!r}, want {want64[i]!r}, allowed error "
                             f"{np.broadcast_to(err, ok.shape)[i]!r}")


def ulps(want, n=4):
    """n units of rounding in the last place of want (and of the smallest subnormal)."""
    dtype = want.dtype
    tiniest = float(np.finfo(dtype).smallest_subnormal)
    return n * eps(dtype) * np.abs(want.astype(np.float64)) + n * tiniest


def product_error(a_op, b_op, k, *more):
    """The rounding error a length-k dot product may make in each element of a_op @ b_op, in
    either implementation: 2 (k + 2) eps (|A| |B| + the other added magnitudes)."""
    scale = np.abs(a_op.astype(np.float64)) @ np.abs(b_op.astype(np.float64))
    for extra in more:
        scale = scale + np.abs(extra.astype(np.float64))
    return 2 * (k + 2) * eps(a_op.dtype) * scale + 4 * float(np.finfo(a_op.dtype).tiny)


# ---------------------------------------------------------------------------------- matmul

def check_matmul(seed, m, n, k, dtype, trans_a, trans_b, accumulate=False, bias=False, act=None):
    rng = np.random.default_rng(seed)
    a = normal(rng, (k, m) if trans_a else (m, k), dtype)
    b = normal(rng, (n, k) if trans_b else (k, n), dtype)
    c0 = normal(rng, (m, n), dtype) if accumulate else nan_like((m, n), dtype)
    bias_values = normal(rng, (n,), dtype) if bias else None
    got, want = c0.copy(), c0.copy()
    kernels.matmul(a, b, got, trans_a, trans_b, accumulate, bias_values, act)
    reference.matmul(a, b, want, trans_a, trans_b, accumulate, bias_values, act)
    a_op, b_op = (a.T if trans_a else a), (b.T if trans_b else b)
    added = ([c0] if accumulate else []) + ([bias_values] if bias else [])
    # relu, sigmoid and tanh are 1-Lipschitz: the product's error carries through, plus theirs.
    assert_close(got, want, product_error(a_op, b_op, k, *added) + ulps(want))


@pytest.mark.parametrize("trans_b", [False, True])
@pytest.mark.parametrize("trans_a", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("m,n,k", ODD_MNK)
def test_matmul_odd_shapes(m, n, k, dtype, trans_a, trans_b):
    check_matmul(m * 10007 + n * 101 + k, m, n, k, dtype, trans_a, trans_b)
    check_matmul(k, m, n, k, dtype, trans_a, trans_b, accumulate=True)


@pytest.mark.parametrize("act", ACTIVATIONS)
@pytest.mark.parametrize("trans_b", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("m,n,k", ODD_MNK)
def test_matmul_fused_bias_and_activation(m, n, k, dtype, trans_b, act):
    check_matmul(m + n + k, m, n, k, dtype, False, trans_b, bias=True, act=act)
    check_matmul(m + n, m, n, k, dtype, False, trans_b, act=act)


@fuzz
@given(m=dims, n=dims, k=dims, dtype=st.sampled_from(DTYPES), trans_a=st.booleans(),
       trans_b=st.booleans(), accumulate=st.booleans(), bias=st.booleans(),
       act=st.sampled_from(ACTIVATIONS), seed=seeds)
def test_matmul_fuzz(m, n, k, dtype, trans_a, trans_b, accumulate, bias, act, seed):
    check_matmul(seed, m, n, k, dtype, trans_a, trans_b, accumulate, bias, act)


def test_matmul_results_do_not_depend_on_the_thread_count():
    rng = np.random.default_rng(5)
    a, b = normal(rng, (301, 203), np.float64), normal(rng, (203, 157), np.float64)
    before = kernels.get_num_threads()
    results = []
    try:
        for n in (1, 2, 3):
            kernels.set_num_threads(n)
            out = nan_like((301, 157), np.float64)
            kernels.matmul(a, b, out)
            results.append(out)
    finally:
        kernels.set_num_threads(before)
    for out in results[1:]:
        np.testing.assert_array_equal(out, results[0])


@pytest.mark.parametrize("dtype", DTYPES)
def test_fused_activations_are_the_elementwise_kernels_exactly(dtype):
    """The epilogue calls the elementwise kernels: fused or applied after, bit for bit."""
    rng = np.random.default_rng(3)
    a, b, bias = normal(rng, (37, 29), dtype), normal(rng, (29, 41), dtype), normal(rng, 41, dtype)
    plain = nan_like((37, 41), dtype)
    kernels.matmul(a, b, plain, bias=bias)
    for act in ACTIVATIONS[1:]:
        fused, separate = nan_like(plain.shape, dtype), nan_like(plain.shape, dtype)
        kernels.matmul(a, b, fused, bias=bias, act=act)
        getattr(kernels, act)(plain, separate)
        np.testing.assert_array_equal(fused, separate)


# ---------------------------------------------------------------------------------- linear_backward

def check_linear_backward(seed, m, n, k, dtype, trans_w, act, wanted=(True, True, True),
                          scratch_is_grad=False):
    rng = np.random.default_rng(seed)
    x = normal(rng, (m, k), dtype)
    w = normal(rng, (n, k) if trans_w else (k, n), dtype)
    y = nan_like((m, n), dtype)
    kernels.matmul(x, w, y, trans_b=trans_w, act=act)  # a real output: relu zeros, sigmoid range
    grad = normal(rng, (m, n), dtype)
    outs = {}
    for mod in (kernels, reference):
        g = grad.copy()
        dz = None if act is None else (g if scratch_is_grad else nan_like((m, n), dtype))
        arrays = [nan_like(shape, dtype) if want else None
                  for want, shape in zip(wanted, [(m, k), w.shape, (n,)])]
        mod.linear_backward(x, w, y, g, dz, *arrays, act, trans_w)
        outs[mod] = arrays
    dz = reference.ACTIVATIONS[act][1](y, grad)
    errors = [product_error(dz, w if trans_w else w.T, n),
              product_error(dz.T, x, m) if trans_w else product_error(x.T, dz, m),
              product_error(np.ones((1, m), dtype), dz, m)[0]]
    for got, want, err in zip(outs[kernels], outs[reference], errors):
        if got is None:
            assert want is None
        else:
            assert_close(got, want, err + ulps(want))


@pytest.mark.parametrize("act", ACTIVATIONS)
@pytest.mark.parametrize("trans_w", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("m,n,k", ODD_MNK)
def test_linear_backward_odd_shapes(m, n, k, dtype, trans_w, act):
    check_linear_backward(m * 7 + n + k, m, n, k, dtype, trans_w, act)
    check_linear_backward(m + n + k, m, n, k, dtype, trans_w, act, scratch_is_grad=True)


@fuzz
@given(m=dims, n=dims, k=dims, dtype=st.sampled_from(DTYPES), trans_w=st.booleans(),
       act=st.sampled_from(ACTIVATIONS), wanted=st.tuples(st.booleans(), st.booleans(),
                                                          st.booleans()), seed=seeds)
def test_linear_backward_fuzz(m, n, k, dtype, trans_w, act, wanted, seed):
    check_linear_backward(seed, m, n, k, dtype, trans_w, act, wanted)


@pytest.mark.parametrize("act", ACTIVATIONS)
@pytest.mark.parametrize("trans_w", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
def test_linear_backward_is_the_separate_kernels_exactly(dtype, trans_w, act):
    rng = np.random.default_rng(9)
    m, n, k = 41, 23, 37
    x = normal(rng, (m, k), dtype)
    w = normal(rng, (n, k) if trans_w else (k, n), dtype)
    y = np.empty((m, n), dtype)
    kernels.matmul(x, w, y, trans_b=trans_w, act=act)
    grad = normal(rng, (m, n), dtype)
    dx, dw, db = np.empty((m, k), dtype), np.empty(w.shape, dtype), np.empty(n, dtype)
    kernels.linear_backward(x, w, y, grad, None if act is None else np.empty((m, n), dtype),
                            dx, dw, db, act, trans_w)
    dz = grad.copy()
    if act is not None:
        getattr(kernels, f"{act}_backward")(y, grad, dz)
    want_dx, want_dw, want_db = np.empty_like(dx), np.empty_like(dw), np.empty_like(db)
    kernels.matmul(dz, w, want_dx, trans_b=not trans_w)
    if trans_w:
        kernels.matmul(dz, x, want_dw, trans_a=True)
    else:
        kernels.matmul(x, dz, want_dw, trans_a=True)
    kernels.sum_rows(dz, want_db)
    for got, want in ((dx, want_dx), (dw, want_dw), (db, want_db)):
        np.testing.assert_array_equal(got, want)


# ---------------------------------------------------------------------------------- elementwise

UNARY = ["relu", "sigmoid", "tanh"]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", ODD_SHAPES, ids=str)
@pytest.mark.parametrize("name", UNARY)
def test_elementwise_odd_shapes_and_specials(name, shape, dtype):
    rng = np.random.default_rng(len(shape))
    x, grad = values(rng, shape, dtype), values(rng, shape, dtype)
    got, want = nan_like(shape, dtype), nan_like(shape, dtype)
    getattr(kernels, name)(x, got)
    getattr(reference, name)(x, want)
    assert_close(got, want, ulps(want))
    saved = x if name == "relu" else got  # relu's gradient from its input, the others' output
    got_grad, want_grad = nan_like(shape, dtype), nan_like(shape, dtype)
    getattr(kernels, f"{name}_backward")(saved, grad, got_grad)
    getattr(reference, f"{name}_backward")(saved, grad, want_grad)
    assert_close(got_grad, want_grad, ulps(want_grad, 8))


@fuzz
@given(shape=shapes, dtype=st.sampled_from(DTYPES), name=st.sampled_from(UNARY), seed=seeds)
def test_elementwise_fuzz_in_place(shape, dtype, name, seed):
    """Writing into the input itself (out is x) gives what a separate output gets."""
    x = values(np.random.default_rng(seed), shape, dtype)
    separate, inplace = nan_like(shape, dtype), x.copy()
    getattr(kernels, name)(x, separate)
    getattr(kernels, name)(inplace, inplace)
    np.testing.assert_array_equal(inplace, separate)


@pytest.mark.parametrize("dtype", DTYPES)
def test_extremes_are_finite_and_exact(dtype):
    x = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0, np.nan, -0.0], dtype)
    out = np.empty_like(x)
    kernels.sigmoid(x, out)
    np.testing.assert_array_equal(out[[0, 2, 4]], np.array([0.0, 0.5, 1.0], dtype))
    assert np.isnan(out[5]) and np.isfinite(out[:5]).all()
    kernels.tanh(x, out)
    np.testing.assert_array_equal(out[[0, 4, 6]], np.array([-1.0, 1.0, -0.0], dtype))
    kernels.relu(x, out)
    assert np.isnan(out[5]) and list(out[[0, 2, 4]]) == [0.0, 0.0, 1000.0]
    grad = np.ones_like(x)
    kernels.relu_backward(x, grad, out)  # 0 at exactly 0 and at NaN, as in PyTorch
    np.testing.assert_array_equal(out, np.array([0, 0, 0, 1, 1, 0, 0], dtype))


# ---------------------------------------------------------------------------------- sum_rows

@pytest.mark.parametrize("accumulate", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("m,n", [(1, 1), (1, 97), (97, 1), (72, 73), (17, 33), (0, 5), (5, 0)])
def test_sum_rows_odd_shapes(m, n, dtype, accumulate):
    rng = np.random.default_rng(m + n)
    x = normal(rng, (m, n), dtype)
    start = normal(rng, n, dtype) if accumulate else nan_like(n, dtype)
    got, want = start.copy(), start.copy()
    kernels.sum_rows(x, got, accumulate)
    reference.sum_rows(x, want, accumulate)
    assert_close(got, want, product_error(np.ones((1, m), dtype), x, m)[0]
                 + (np.abs(start) if accumulate else 0) * 4 * eps(dtype))


# ---------------------------------------------------------------------------------- BCE

def check_bce(seed, shape, dtype, with_grad, scale=1.0):
    rng = np.random.default_rng(seed)
    z = normal(rng, shape, dtype) * np.asarray(scale, dtype)
    t = np.asarray(rng.random(shape)).astype(dtype)
    t[np.asarray(rng.random(shape) < 0.3)] = 0
    t[np.asarray(rng.random(shape) < 0.3)] = 1
    grads = {m: nan_like(shape, dtype) if with_grad else None for m in (kernels, reference)}
    loss = kernels.bce_logits(z, t, grads[kernels])
    want_loss = reference.bce_logits(z, t, grads[reference])
    assert isinstance(loss, float) and np.isfinite(loss)
    z64 = np.abs(z.astype(np.float64))
    # Each term rounds in dtype; their sum of z.size terms rounds in float64.
    loss_err = (8 * eps(dtype) + 2 * z.size * eps(np.float64)) * float((2 * z64 + 1).mean()) \
        if z.size else 0.0
    assert abs(loss - want_loss) <= loss_err, (loss, want_loss)
    if with_grad:  # (sigmoid(z) - t) / n cancels: its rounding is relative to 1 + |t|, not to it
        assert_close(grads[kernels], grads[reference],
                     8 * eps(dtype) * (1 + np.abs(t)) / max(t.size, 1))


@pytest.mark.parametrize("with_grad", [True, False])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", ODD_SHAPES, ids=str)
def test_bce_odd_shapes(shape, dtype, with_grad):
    check_bce(len(shape), shape, dtype, with_grad)


@fuzz
@given(shape=shapes, dtype=st.sampled_from(DTYPES), with_grad=st.booleans(),
       scale=st.sampled_from([1.0, 30.0, 1000.0]), seed=seeds)
def test_bce_fuzz(shape, dtype, with_grad, scale, seed):
    check_bce(seed, shape, dtype, with_grad, scale)


@pytest.mark.parametrize("dtype", DTYPES)
def test_bce_at_large_logits(dtype):
    z = np.array([1000.0, 1000.0, -1000.0, -1000.0], dtype)
    t = np.array([1.0, 0.0, 1.0, 0.0], dtype)
    grad = nan_like(4, dtype)
    loss = kernels.bce_logits(z, t, grad)
    assert loss == pytest.approx((0 + 1000 + 1000 + 0) / 4, rel=4 * eps(dtype))
    np.testing.assert_array_equal(grad, np.array([0.0, 0.25, -0.25, 0.0], dtype))


# ---------------------------------------------------------------------------------- bound calls

@pytest.mark.parametrize("mod", [kernels, reference], ids=["C", "NumPy"])
def test_a_bound_call_runs_on_what_its_arrays_hold_when_it_runs(mod):
    """run=bind makes the call once; each run reads the arrays as they are then, and writes the
    same outputs an immediate call would."""
    rng = np.random.default_rng(4)
    x, w, b = normal(rng, (9, 5), np.float32), normal(rng, (5, 3), np.float32), \
        normal(rng, 3, np.float32)
    out, t, grad = nan_like((9, 3), np.float32), np.zeros((9, 3), np.float32), \
        nan_like((9, 3), np.float32)
    forward = mod.matmul(x, w, out, bias=b, act="tanh", run=mod.bind)
    loss = mod.bce_logits(out, t, grad, run=mod.bind)
    dx, dw, db = nan_like((9, 5), np.float32), nan_like((5, 3), np.float32), \
        nan_like(3, np.float32)
    backward = mod.linear_backward(x, w, out, grad, np.empty_like(grad), dx, dw, db, "tanh",
                                   run=mod.bind)
    for step in range(3):
        x[...] = normal(rng, x.shape, np.float32)  # new values in the same arrays
        forward()
        value = loss()
        backward()
        want_out, want_grad = nan_like(out.shape, np.float32), nan_like(out.shape, np.float32)
        mod.matmul(x, w, want_out, bias=b, act="tanh")
        assert mod.bce_logits(want_out, t, want_grad) == value
        np.testing.assert_array_equal(out, want_out)
        want = [nan_like(a.shape, np.float32) for a in (dx, dw, db)]
        mod.linear_backward(x, w, out, grad, np.empty_like(grad), *want, "tanh")
        for got, expected in zip((dx, dw, db), want):
            np.testing.assert_array_equal(got, expected)


# ---------------------------------------------------------------------------------- optimizers

def step(mod, name, params, grads, states, *hyper):
    """One optimizer step in mod on copies of the arrays: {"params": [...], state: [...]}."""
    arrays = {"params": [p.copy() for p in params],
              **{k: [a.copy() for a in v] for k, v in states.items()}}
    pointers = [mod.Pointers(arrays[k]) for k in ["params", *states]]
    kernel = getattr(mod, name)
    if name == "adam_step":
        kernel(pointers[0], mod.Pointers(list(grads)), pointers[1], pointers[2],
               mod.sizes(params), *hyper)
    else:
        kernel(pointers[0], mod.Pointers(list(grads)), pointers[1] if states else None,
               mod.sizes(params), *hyper)
    return arrays


ADAM_HYPER = (0.01, 0.9, 0.999, 1e-7, 1.3, 0.01)  # step_size, beta1, beta2, eps, v_scale, decay
SGD_HYPER = (0.1, 0.9, 0.1, 0.01, False, False)  # lr, momentum, dampening, decay, nesterov, first


@fuzz
@given(shape_list=st.lists(shapes, min_size=1, max_size=5), dtype=st.sampled_from(DTYPES),
       seed=seeds)
def test_one_call_updates_many_tensors_as_one_call_each(shape_list, dtype, seed):
    """A step over several tensors (any shapes) is exactly the steps over each alone, and agrees
    with the reference."""
    rng = np.random.default_rng(seed)
    params = [normal(rng, shape, dtype) for shape in shape_list]
    grads = [normal(rng, p.shape, dtype) for p in params]
    cases = [("adam_step", dict(m=[normal(rng, p.shape, dtype) for p in params],
                                # v away from 0: no tiny sqrt(v) amplifies m's rounding
                                v=[np.asarray(np.abs(normal(rng, p.shape, dtype)) + 0.1)
                                   for p in params]), ADAM_HYPER),
             ("sgd_step", dict(buf=[normal(rng, p.shape, dtype) for p in params]), SGD_HYPER),
             ("sgd_step", {}, (0.1, 0.0, 0.0, 0.01, False, False))]
    for name, states, hyper in cases:
        got = step(kernels, name, params, grads, states, *hyper)
        want = step(reference, name, params, grads, states, *hyper)
        for i, (p, g) in enumerate(zip(params, grads)):
            one = step(kernels, name, [p], [g], {k: [v[i]] for k, v in states.items()}, *hyper)
            for key in got:
                np.testing.assert_array_equal(got[key][i], one[key][0])
                scale = np.abs(want[key][i].astype(np.float64)) + 1
                assert_close(got[key][i], want[key][i], 64 * eps(dtype) * scale)


def quadratic_grad(p, target):
    """The gradient of sum((p - target)^2): the trajectory feeds back on every step's error."""
    return 2 * (p - target)


ADAM_CASES = [dict(lr=1e-2, beta1=0.9, beta2=0.999, eps=1e-3, weight_decay=0.0),
              dict(lr=5e-2, beta1=0.8, beta2=0.99, eps=1e-8, weight_decay=0.05),
              dict(lr=1e-2, beta1=0.0, beta2=0.5, eps=1e-2, weight_decay=0.0)]


@pytest.mark.parametrize("form", ["pytorch", "keras"])
@pytest.mark.parametrize("case", ADAM_CASES, ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
def test_adam_matches_the_textbook_over_50_steps(dtype, case, form):
    lr, b1, b2, eps_, wd = (case[k] for k in ("lr", "beta1", "beta2", "eps", "weight_decay"))
    rng = np.random.default_rng(7)
    p0, target = rng.standard_normal(200), rng.standard_normal(200) * 0.01
    noise = rng.standard_normal((50, 200)) * 0.01
    p, m, v = p0.copy(), np.zeros(200), np.zeros(200)  # the textbook, in float64
    q, qm, qv = p0.astype(dtype), np.zeros(200, dtype), np.zeros(200, dtype)  # the kernel
    pointers = [kernels.Pointers([a]) for a in (q, qm, qv)]  # updated in place: made once
    sizes = kernels.sizes([q])
    for t in range(1, 51):
        g = quadratic_grad(p, target) + noise[t - 1] + wd * p
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        if form == "pytorch":  # bias-corrected moments, eps added to sqrt(v_hat)
            m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
            p = p - lr * m_hat / (np.sqrt(v_hat) + eps_)
            step_size, v_scale = lr / (1 - b1**t), 1 / np.sqrt(1 - b2**t)
        else:  # Keras: the corrections folded into the step size, eps added to sqrt(v)
            step_size = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
            p = p - step_size * m / (np.sqrt(v) + eps_)
            v_scale = 1.0
        qg = (quadratic_grad(q.astype(np.float64), target) + noise[t - 1]).astype(dtype)
        kernels.adam_step(pointers[0], kernels.Pointers([qg]), pointers[1], pointers[2], sizes,
                          step_size, b1, b2, eps_, v_scale, wd)
    # 50 steps of rounding, fed back through the gradient (measured: float64 about 3e-15,
    # float32 about 1.5e-5 at worst, in v, which squares the gradient).
    tol = 1e-13 if dtype == np.float64 else 3e-5
    for got, want in ((q, p), (qm, m), (qv, v)):
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


SGD_CASES = [dict(momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0),
             dict(momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.1),
             dict(momentum=0.9, dampening=0.0, nesterov=False, weight_decay=0.0),
             dict(momentum=0.9, dampening=0.5, nesterov=False, weight_decay=0.01),
             dict(momentum=0.8, dampening=0.0, nesterov=True, weight_decay=0.0),
             dict(momentum=0.7, dampening=0.0, nesterov=True, weight_decay=0.05)]


@pytest.mark.parametrize("case", SGD_CASES, ids=str)
@pytest.mark.parametrize("dtype", DTYPES)
def test_sgd_matches_the_textbook_over_50_steps(dtype, case):
    mu, damp, nesterov, wd = (case[k] for k in ("momentum", "dampening", "nesterov",
                                                "weight_decay"))
    lr = 0.05
    rng = np.random.default_rng(11)
    p0, target = rng.standard_normal(200), rng.standard_normal(200)
    noise = rng.standard_normal((50, 200)) * 0.1
    p, b = p0.copy(), np.zeros(200)  # the textbook (PyTorch's SGD documentation), in float64
    q, qb = p0.astype(dtype), np.zeros(200, dtype)  # the kernel, in dtype
    params, buf, sizes = kernels.Pointers([q]), kernels.Pointers([qb]), kernels.sizes([q])
    for t in range(1, 51):
        g = quadratic_grad(p, target) + noise[t - 1] + wd * p
        if mu:
            b = g if t == 1 else mu * b + (1 - damp) * g
            g = g + mu * b if nesterov else b
        p = p - lr * g
        qg = (quadratic_grad(q.astype(np.float64), target) + noise[t - 1]).astype(dtype)
        kernels.sgd_step(params, kernels.Pointers([qg]), buf if mu else None, sizes, lr, mu,
                         damp, wd, nesterov, t == 1)
    tol = 1e-13 if dtype == np.float64 else 1e-5  # measured: 0 and 2e-6 at worst
    np.testing.assert_allclose(q, p, rtol=tol, atol=tol)
    if mu:
        np.testing.assert_allclose(qb, b, rtol=tol, atol=tol)


# ---------------------------------------------------------------------------------- the backends

def run_python(code, cwd, **env):
    """Run code in a fresh interpreter in cwd (not the repository root, whose source folder
    would shadow the installed pynn), with PYNN_BACKEND as env says."""
    environ = {k: v for k, v in os.environ.items() if k != "PYNN_BACKEND"}
    environ.update(env)
    return subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def test_backend_switch(tmp_path):
    check = "import pynn\nprint(pynn.backend.NAME, pynn.backend.kernels.NAME)"
    default = run_python(check, tmp_path)
    assert default.stdout.split() == ["c", "c"], default.stderr
    numpy = run_python(check, tmp_path, PYNN_BACKEND="numpy")
    assert numpy.stdout.split() == ["numpy", "numpy"], numpy.stderr
    bad = run_python("import pynn", tmp_path, PYNN_BACKEND="cuda")
    assert bad.returncode != 0
    assert "ImportError" in bad.stderr and "'cuda'" in bad.stderr


def test_the_twin_has_every_binding_with_its_signature():
    """pynn.reference is the C bindings' twin: the same names and parameters, one table of
    the activations both fuse."""
    import inspect
    names = [n for n, f in vars(kernels).items() if inspect.isfunction(f)
             and f.__module__ == kernels.__name__ and not n.startswith("_")]
    for name in names:
        twin = getattr(reference, name)
        assert list(inspect.signature(twin).parameters) == \
            list(inspect.signature(getattr(kernels, name)).parameters), name
    assert list(kernels.ACTIVATIONS) == list(reference.ACTIVATIONS)
    assert kernels.ACTIVATIONS["tanh"] == lib.PYNN_ACT_TANH


# ---------------------------------------------------------------------------------- threads

def test_two_threads_get_the_sequential_results():
    """The kernels keep no global state and release the GIL: two threads calling them at once on
    different data get exactly what one thread gets calling them in turn."""
    def work(seed):
        rng = np.random.default_rng(seed)
        x, w = normal(rng, (64, 96), np.float32), normal(rng, (96, 48), np.float32)
        bias, target = normal(rng, (48,), np.float32), rng.random((64, 48)).astype(np.float32)
        m, v = np.zeros_like(w), np.zeros_like(w)
        params, ms, vs, sizes = (kernels.Pointers([w]), kernels.Pointers([m]),
                                 kernels.Pointers([v]), kernels.sizes([w]))
        z, dz, dw, db = (np.empty((64, 48), np.float32), np.empty((64, 48), np.float32),
                         np.empty_like(w), np.empty(48, np.float32))
        losses = []
        for t in range(1, 31):
            kernels.matmul(x, w, z, bias=bias)
            losses.append(kernels.bce_logits(z, target, dz))
            kernels.matmul(x, dz, dw, trans_a=True)
            kernels.adam_step(params, kernels.Pointers([dw]), ms, vs, sizes,
                              0.01 / (1 - 0.9**t), 0.9, 0.999, 1e-7,
                              1 / np.sqrt(1 - 0.999**t), 0.0)
            kernels.sum_rows(dz, db)
            bias -= 0.01 * db
        return losses, w, bias

    sequential = [work(1), work(2)]
    results = [None, None]
    start = threading.Barrier(2)

    def run(i):
        start.wait()
        results[i] = work(i + 1)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for (losses, w, bias), (want_losses, want_w, want_bias) in zip(results, sequential):
        assert losses == want_losses
        np.testing.assert_array_equal(w, want_w)
        np.testing.assert_array_equal(bias, want_bias)


# ---------------------------------------------------------------------------------- 64-bit sizes

SIZE_ARGS = {"matmul": [3, 4, 5], "linear_backward": [8, 9, 10], "relu": [2],
             "relu_backward": [3], "sigmoid": [2], "sigmoid_backward": [3], "tanh": [2],
             "tanh_backward": [3], "sum_rows": [2, 3], "bce_logits": [3], "adam_multi": [5],
             "sgd_multi": [4]}
SIZE_ARRAYS = {"adam_multi": 4, "sgd_multi": 3}  # the argument holding one size per tensor


def test_every_kernel_takes_64_bit_sizes():
    names = {name for name in dir(lib) if name.startswith("pynn_")}
    kernel_names = {name for name in names if name.endswith(("_f32", "_f64"))}
    assert kernel_names == {f"pynn_{n}_{s}" for n in SIZE_ARGS for s in ("f32", "f64")}
    assert names - kernel_names == {"pynn_pool_new", "pynn_pool_free"}  # the thread pool
    for name in kernel_names:
        args = ffi.typeof(getattr(lib, name)).args
        base = name[len("pynn_"):-len("_f32")]
        for i in SIZE_ARGS[base]:
            assert args[i].cname == "int64_t", (name, i, args[i].cname)
        if base in SIZE_ARRAYS:
            sizes = args[SIZE_ARRAYS[base]]
            assert sizes.kind == "pointer" and sizes.item.cname == "int64_t", (name, sizes)


def test_shapes_past_2_to_the_31_reach_c_as_exact_int64(tmp_path):
    """A product with k = 2**31 + 5, over arrays mapped from a sparse file of zeros (nothing is
    read into memory but the pages touched): the size reaches C whole, and the result is 0."""
    big = 2**31 + 5
    path = tmp_path / "sparse"
    with open(path, "wb") as f:
        f.truncate(4 * big)
    row = np.memmap(path, np.float32, "r", shape=(1, big))
    out = np.full((1, 1), np.nan, np.float32)
    bound = kernels.matmul(row, row, out, trans_b=True, run=kernels.bind)
    assert bound.args[5] == big and int(ffi.cast("int64_t", bound.args[5])) == big
