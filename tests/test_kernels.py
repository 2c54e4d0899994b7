"""The C kernels (pynn.kernels) against their NumPy twins (pynn.reference).

Every kernel runs on odd shapes (1xN, Nx1, primes, 0-sized, sizes no tile divides), both
dtypes, every transpose, inputs in every memory layout and outputs pre-filled with NaN, and must
agree with the reference within the rounding error its dtype allows. The optimizer steps are
checked against the textbook formulas over many steps, and bad arguments against the errors
they must raise, in both backends.
"""
import os
import subprocess
import sys
import threading

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from pynn import kernels, reference, validate
from pynn._C import ffi, lib

DTYPES = [np.float32, np.float64]
LAYOUTS = ["C", "F", "T", "sliced", "reversed"]
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

BOTH = pytest.mark.parametrize("mod", [kernels, reference], ids=["kernels", "reference"])


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


def laid_out(x, layout):
    """The same values in another memory layout, which a kernel must read correctly."""
    if layout == "C" or x.ndim == 0:  # a 0-d array has only the one layout
        return x.copy()
    if layout == "F":
        return np.asfortranarray(x)
    if layout == "T":  # a transposed view of a C-ordered array
        return np.ascontiguousarray(x.T).T
    if layout == "sliced":  # every other row of an array whose other rows are NaN
        big = np.full((2 * x.shape[0],) + x.shape[1:], np.nan, x.dtype)
        big[::2] = x
        return big[::2]
    if layout == "reversed":  # a negative stride
        return np.ascontiguousarray(x[::-1])[::-1]
    raise AssertionError(layout)


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

def check_matmul(seed, m, n, k, dtype, trans_a, trans_b, layout_a="C", layout_b="C",
                 accumulate=False):
    rng = np.random.default_rng(seed)
    a = normal(rng, (k, m) if trans_a else (m, k), dtype)
    b = normal(rng, (n, k) if trans_b else (k, n), dtype)
    c0 = normal(rng, (m, n), dtype) if accumulate else nan_like((m, n), dtype)
    out = c0.copy()
    got = kernels.matmul(laid_out(a, layout_a), laid_out(b, layout_b), trans_a, trans_b,
                         out=out, accumulate=accumulate)
    want = reference.matmul(a, b, trans_a, trans_b, out=c0.copy(), accumulate=accumulate)
    assert got is out
    a_op, b_op = (a.T if trans_a else a), (b.T if trans_b else b)
    assert_close(got, want, product_error(a_op, b_op, k, *([c0] if accumulate else [])))


@pytest.mark.parametrize("trans_b", [False, True])
@pytest.mark.parametrize("trans_a", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("m,n,k", ODD_MNK)
def test_matmul_odd_shapes(m, n, k, dtype, trans_a, trans_b):
    check_matmul(m * 10007 + n * 101 + k, m, n, k, dtype, trans_a, trans_b)
    check_matmul(k, m, n, k, dtype, trans_a, trans_b, accumulate=True)


@pytest.mark.parametrize("layout_b", LAYOUTS)
@pytest.mark.parametrize("layout_a", LAYOUTS)
@pytest.mark.parametrize("trans_a,trans_b", [(False, False), (True, True)])
def test_matmul_input_layouts(layout_a, layout_b, trans_a, trans_b):
    for dtype in DTYPES:
        check_matmul(1, 17, 33, 65, dtype, trans_a, trans_b, layout_a, layout_b)


@fuzz
@given(m=dims, n=dims, k=dims, dtype=st.sampled_from(DTYPES), trans_a=st.booleans(),
       trans_b=st.booleans(), layout_a=st.sampled_from(LAYOUTS),
       layout_b=st.sampled_from(LAYOUTS), accumulate=st.booleans(), seed=seeds)
def test_matmul_fuzz(m, n, k, dtype, trans_a, trans_b, layout_a, layout_b, accumulate, seed):
    check_matmul(seed, m, n, k, dtype, trans_a, trans_b, layout_a, layout_b, accumulate)


def test_matmul_allocates_its_output_and_promotes_like_numpy():
    a32, b64 = np.ones((3, 4), np.float32), np.ones((4, 2))
    assert kernels.matmul(a32, a32.T.copy()).dtype == np.float32
    mixed = kernels.matmul(a32, b64)
    assert mixed.dtype == np.float64 and mixed.flags.c_contiguous
    np.testing.assert_array_equal(mixed, np.full((3, 2), 4.0))
    ints = kernels.matmul([[1, 2], [3, 4]], [[5], [6]])
    assert ints.dtype == np.float64
    np.testing.assert_array_equal(ints, [[17.0], [39.0]])
    half = np.ones((2, 2), np.float16)
    assert kernels.matmul(half, half).dtype == np.float32


def test_matmul_results_do_not_depend_on_the_thread_count():
    rng = np.random.default_rng(5)
    a, b = normal(rng, (301, 203), np.float64), normal(rng, (203, 157), np.float64)
    want = reference.matmul(a, b)
    before = kernels.get_num_threads()
    try:
        for n in (1, 2, 3):
            kernels.set_num_threads(n)
            assert kernels.get_num_threads() == n
            assert_close(kernels.matmul(a, b, out=nan_like((301, 157), np.float64)), want,
                         product_error(a, b, 203))
    finally:
        kernels.set_num_threads(before)


# ---------------------------------------------------------------------------------- linear

def check_linear(seed, m, n, k, dtype, trans_w, with_bias, activation, layout="C"):
    rng = np.random.default_rng(seed)
    x = normal(rng, (m, k), dtype)
    w = normal(rng, (n, k) if trans_w else (k, n), dtype)
    bias = normal(rng, (n,), dtype) if with_bias else None
    out = nan_like((m, n), dtype)
    got = kernels.linear(laid_out(x, layout), laid_out(w, layout),
                         None if bias is None else laid_out(bias, layout), activation, trans_w,
                         out=out)
    want = reference.linear(x, w, bias, activation, trans_w)
    assert got is out
    # relu and sigmoid are 1-Lipschitz: the product's error carries through, plus their own.
    err = product_error(x, w.T if trans_w else w, k, *([] if bias is None else [bias]))
    assert_close(got, want, err + ulps(want))


@pytest.mark.parametrize("activation", [None, "relu", "sigmoid"])
@pytest.mark.parametrize("with_bias", [False, True])
@pytest.mark.parametrize("trans_w", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("m,n,k", ODD_MNK)
def test_linear_odd_shapes(m, n, k, dtype, trans_w, with_bias, activation):
    check_linear(m + n + k, m, n, k, dtype, trans_w, with_bias, activation)


@fuzz
@given(m=dims, n=dims, k=dims, dtype=st.sampled_from(DTYPES), trans_w=st.booleans(),
       with_bias=st.booleans(), activation=st.sampled_from([None, "relu", "sigmoid"]),
       layout=st.sampled_from(LAYOUTS), seed=seeds)
def test_linear_fuzz(m, n, k, dtype, trans_w, with_bias, activation, layout, seed):
    check_linear(seed, m, n, k, dtype, trans_w, with_bias, activation, layout)


def check_linear_backward(seed, m, n, k, dtype, trans_w, activation, layout="C",
                          wanted=(True, True, True)):
    rng = np.random.default_rng(seed)
    x = normal(rng, (m, k), dtype)
    w = normal(rng, (n, k) if trans_w else (k, n), dtype)
    y = reference.linear(x, w, None, activation, trans_w)  # relu's zeros, sigmoid's range
    grad = normal(rng, (m, n), dtype)
    got = kernels.linear_backward(*(laid_out(a, layout) for a in (x, w, y, grad)), activation,
                                  trans_w, *wanted)
    want = reference.linear_backward(x, w, y, grad, activation, trans_w, *wanted)
    dz = np.abs(_activation_gradient(y, grad, activation)).astype(dtype)
    w_op = w.T if trans_w else w
    errors = (product_error(dz, w_op.T, n), product_error(x.T, dz, m),
              2 * (m + 2) * eps(dtype) * dz.sum(axis=0) + float(np.finfo(dtype).tiny))
    for g, w_, err, is_wanted in zip(got, want, errors, wanted):
        if not is_wanted:
            assert g is None and w_ is None
            continue
        if g.shape != err.shape:  # dw of a transposed w: n x k
            err = err.T
        assert_close(g, w_, err + ulps(w_))


def _activation_gradient(y, grad, activation):
    """The gradient before the activation, in float64."""
    y64, g64 = y.astype(np.float64), grad.astype(np.float64)
    return {None: g64, "relu": np.where(y64 > 0, g64, 0), "sigmoid": g64 * y64 * (1 - y64)}[
        activation]


@pytest.mark.parametrize("activation", [None, "relu", "sigmoid"])
@pytest.mark.parametrize("trans_w", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("m,n,k", ODD_MNK)
def test_linear_backward_odd_shapes(m, n, k, dtype, trans_w, activation):
    check_linear_backward(m + n + k, m, n, k, dtype, trans_w, activation)


@fuzz
@given(m=dims, n=dims, k=dims, dtype=st.sampled_from(DTYPES), trans_w=st.booleans(),
       activation=st.sampled_from([None, "relu", "sigmoid"]), layout=st.sampled_from(LAYOUTS),
       wanted=st.tuples(st.booleans(), st.booleans(), st.booleans()), seed=seeds)
def test_linear_backward_fuzz(m, n, k, dtype, trans_w, activation, layout, wanted, seed):
    check_linear_backward(seed, m, n, k, dtype, trans_w, activation, layout, wanted)


@pytest.mark.parametrize("activation", [None, "relu", "sigmoid"])
@pytest.mark.parametrize("trans_w", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
def test_linear_backward_is_the_separate_kernels_exactly(dtype, trans_w, activation):
    """One call gives bit for bit what the activation's backward, the two products and sum_rows
    give called one by one (products large enough for the blocked, threaded kernel)."""
    rng = np.random.default_rng(5)
    m, n, k = 67, 129, 200
    x = normal(rng, (m, k), dtype)
    w = normal(rng, (n, k) if trans_w else (k, n), dtype)
    y = kernels.linear(x, w, None, activation, trans_w)
    grad = normal(rng, (m, n), dtype)
    dz = grad
    if activation == "relu":
        dz = kernels.relu_backward(y, grad)
    elif activation == "sigmoid":
        dz = kernels.sigmoid_backward(y, grad)
    want = (kernels.matmul(dz, w, trans_b=not trans_w),
            kernels.matmul(dz, x, trans_a=True) if trans_w else kernels.matmul(x, dz, trans_a=True),
            kernels.sum_rows(dz))
    for got, expected in zip(kernels.linear_backward(x, w, y, grad, activation, trans_w), want):
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("dtype", DTYPES)
def test_linear_sigmoid_saturates_exactly(dtype):
    x = np.array([[1.0], [-1.0]], dtype)
    w = np.array([[1000.0, np.inf, -np.inf]], dtype)
    got = kernels.linear(x, w, activation="sigmoid")
    np.testing.assert_array_equal(got, [[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]])


# ---------------------------------------------------------------------------------- elementwise

def check_unary(name, seed, shape, dtype, layout):
    rng = np.random.default_rng(seed)
    x = values(rng, shape, dtype)
    out = nan_like(shape, dtype)
    got = getattr(kernels, name)(laid_out(x, layout), out=out)
    want = getattr(reference, name)(x)
    assert got is out
    if name == "relu":
        np.testing.assert_array_equal(got, want)
        np.testing.assert_array_equal(np.signbit(got), np.signbit(want))
    else:
        assert_close(got, want, ulps(want))


def check_backward(name, seed, shape, dtype, layout):
    rng = np.random.default_rng(seed)
    x = values(rng, shape, dtype)
    if name == "sigmoid_backward":
        x = reference.sigmoid(x)  # the kernel takes the forward output y
    grad = values(rng, shape, dtype)
    out = nan_like(shape, dtype)
    got = getattr(kernels, name)(laid_out(x, layout), laid_out(grad, layout), out=out)
    want = getattr(reference, name)(x, grad)
    assert got is out
    assert_close(got, want, ulps(want))


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", ODD_SHAPES, ids=str)
@pytest.mark.parametrize("name", ["relu", "sigmoid"])
def test_unary_odd_shapes(name, shape, dtype, layout):
    check_unary(name, len(shape), shape, dtype, layout)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", ODD_SHAPES, ids=str)
@pytest.mark.parametrize("name", ["relu_backward", "sigmoid_backward"])
def test_backward_odd_shapes(name, shape, dtype, layout):
    check_backward(name, len(shape), shape, dtype, layout)


@fuzz
@given(name=st.sampled_from(["relu", "sigmoid", "relu_backward", "sigmoid_backward"]),
       shape=shapes, dtype=st.sampled_from(DTYPES), layout=st.sampled_from(LAYOUTS), seed=seeds)
def test_elementwise_fuzz(name, shape, dtype, layout, seed):
    check = check_unary if name in ("relu", "sigmoid") else check_backward
    check(name, seed, shape, dtype, layout)


@pytest.mark.parametrize("dtype", DTYPES)
def test_sigmoid_extremes_are_finite_and_exact(dtype):
    x = np.array([-np.inf, -1000.0, -100.0, 0.0, 100.0, 1000.0, np.inf, np.nan], dtype)
    y = kernels.sigmoid(x)
    assert y[0] == 0.0 and y[1] == 0.0 and y[5] == 1.0 and y[6] == 1.0 and y[3] == 0.5
    assert 0.0 < y[2] < 1e-40  # a subnormal in float32: not flushed to zero
    assert np.isfinite(y[:7]).all() and np.isnan(y[7])
    grad = kernels.sigmoid_backward(y, np.ones_like(y))
    np.testing.assert_array_equal(grad[[0, 1, 5, 6]], 0.0)


@pytest.mark.parametrize("dtype", DTYPES)
def test_relu_at_zero_and_nan(dtype):
    x = np.array([0.0, -0.0, np.nan, -np.nan, -1.0, 2.0, -np.inf, np.inf], dtype)
    y = kernels.relu(x)
    np.testing.assert_array_equal(y, [0.0, 0.0, np.nan, np.nan, 0.0, 2.0, 0.0, np.inf])
    dy = np.full_like(x, 3.0)
    # The gradient is 0 at 0, at -0 and at NaN, and 3 only where x > 0.
    np.testing.assert_array_equal(kernels.relu_backward(x, dy), [0, 0, 0, 0, 0, 3, 0, 3])
    # A NaN in the incoming gradient propagates where x > 0 and is dropped elsewhere.
    dy_nan = np.full_like(x, np.nan)
    np.testing.assert_array_equal(np.isnan(kernels.relu_backward(x, dy_nan)),
                                  [False, False, False, False, False, True, False, True])


# ------------------------------------------------------------- outputs that overlap inputs

def test_outputs_that_overlap_inputs_give_the_reference_result():
    """In place is allowed, and an output that partly overlaps an input is read as NumPy would:
    the inputs' values before the call."""
    rng = np.random.default_rng(3)
    for mod in (reference, kernels):
        a = normal(rng, (6, 6), np.float64)
        b = normal(rng, (6, 6), np.float64)
        want = a @ b
        c = a.copy()
        np.testing.assert_allclose(mod.matmul(c, b, out=c), want, rtol=1e-12, atol=1e-12)
        c = b.copy()
        np.testing.assert_allclose(mod.matmul(a, c, out=c), want, rtol=1e-12, atol=1e-12)
        c = a.copy()
        np.testing.assert_allclose(mod.matmul(c, c, out=c), a @ a, rtol=1e-12, atol=1e-12)
        c = a.copy()
        np.testing.assert_allclose(mod.linear(c, b, c[0].copy(), "relu", out=c),
                                   np.maximum(a @ b + a[0], 0), rtol=1e-12, atol=1e-12)
        x = a.copy()
        np.testing.assert_allclose(mod.sum_rows(x, out=x[0]), a.sum(axis=0), rtol=1e-12)
        x = a.copy()
        np.testing.assert_array_equal(mod.relu(x, out=x), np.maximum(a, 0))
        g = b.copy()
        np.testing.assert_array_equal(mod.relu_backward(a, g, out=g), np.where(a > 0, b, 0))
        y = reference.sigmoid(a)
        np.testing.assert_array_equal(mod.sigmoid_backward(y, b, out=y),
                                      reference.sigmoid_backward(reference.sigmoid(a), b))
        buf = np.arange(10.0) - 3  # out is the input shifted by one element
        mod.relu(buf[:-1], out=buf[1:])
        np.testing.assert_array_equal(buf, [-3, 0, 0, 0, 0, 1, 2, 3, 4, 5])
        buf = np.arange(10.0) - 3
        mod.relu(buf[1:], out=buf[:-1])
        np.testing.assert_array_equal(buf, [0, 0, 0, 1, 2, 3, 4, 5, 6, 6])


# ---------------------------------------------------------------------------------- sum_rows

def check_sum_rows(seed, m, n, dtype, layout, accumulate):
    rng = np.random.default_rng(seed)
    x = normal(rng, (m, n), dtype)
    out0 = normal(rng, (n,), dtype) if accumulate else nan_like((n,), dtype)
    out = out0.copy()
    got = kernels.sum_rows(laid_out(x, layout), out=out, accumulate=accumulate)
    want = reference.sum_rows(x, out=out0.copy(), accumulate=accumulate)
    assert got is out
    scale = np.abs(x.astype(np.float64)).sum(axis=0) + (np.abs(out0) if accumulate else 0)
    assert_close(got, want, 2 * (m + 2) * eps(dtype) * scale)


@pytest.mark.parametrize("accumulate", [False, True])
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("m,n", [(1, 1), (1, 97), (97, 1), (72, 73), (17, 33), (0, 5),
                                 (5, 0), (1000, 3)])
def test_sum_rows_odd_shapes(m, n, dtype, layout, accumulate):
    check_sum_rows(m * n, m, n, dtype, layout, accumulate)


@fuzz
@given(m=dims, n=dims, dtype=st.sampled_from(DTYPES), layout=st.sampled_from(LAYOUTS),
       accumulate=st.booleans(), seed=seeds)
def test_sum_rows_fuzz(m, n, dtype, layout, accumulate, seed):
    check_sum_rows(seed, m, n, dtype, layout, accumulate)


def test_sum_rows_allocates_its_output():
    got = kernels.sum_rows(np.ones((4, 3), np.float32))
    assert got.dtype == np.float32 and got.shape == (3,)
    np.testing.assert_array_equal(got, [4, 4, 4])


# ---------------------------------------------------------------------------------- BCE

def check_bce(seed, shape, dtype, layout, with_grad, scale=1.0):
    rng = np.random.default_rng(seed)
    z = normal(rng, shape, dtype) * np.asarray(scale, dtype)
    t = np.asarray(rng.random(shape)).astype(dtype)
    t[np.asarray(rng.random(shape) < 0.3)] = 0
    t[np.asarray(rng.random(shape) < 0.3)] = 1
    loss, grad = kernels.bce_with_logits(laid_out(z, layout), laid_out(t, layout), with_grad)
    want_loss, want_grad = reference.bce_with_logits(z, t, with_grad)
    assert isinstance(loss, float) and np.isfinite(loss)
    z64 = np.abs(z.astype(np.float64))
    # Each term rounds in dtype; their sum of z.size terms rounds in float64.
    loss_err = (8 * eps(dtype) + 2 * z.size * eps(np.float64)) * float((2 * z64 + 1).mean()) \
        if z.size else 0.0
    assert abs(loss - want_loss) <= loss_err, (loss, want_loss)
    if with_grad:  # (sigmoid(z) - t) / n cancels: its rounding is relative to 1 + |t|, not to it
        assert_close(grad, want_grad, 8 * eps(dtype) * (1 + np.abs(t)) / max(t.size, 1))
    else:
        assert grad is None and want_grad is None


@pytest.mark.parametrize("with_grad", [True, False])
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", ODD_SHAPES, ids=str)
def test_bce_odd_shapes(shape, dtype, layout, with_grad):
    check_bce(len(shape), shape, dtype, layout, with_grad)


@fuzz
@given(shape=shapes, dtype=st.sampled_from(DTYPES), layout=st.sampled_from(LAYOUTS),
       with_grad=st.booleans(), scale=st.sampled_from([1.0, 30.0, 1000.0]), seed=seeds)
def test_bce_fuzz(shape, dtype, layout, with_grad, scale, seed):
    check_bce(seed, shape, dtype, layout, with_grad, scale)


@pytest.mark.parametrize("dtype", DTYPES)
def test_bce_at_large_logits(dtype):
    z = np.array([1000.0, 1000.0, -1000.0, -1000.0], dtype)
    t = np.array([1.0, 0.0, 1.0, 0.0], dtype)
    loss, grad = kernels.bce_with_logits(z, t)
    assert loss == pytest.approx((0 + 1000 + 1000 + 0) / 4, rel=4 * eps(dtype))
    np.testing.assert_array_equal(grad, np.array([0.0, 0.25, -0.25, 0.0], dtype))


# ---------------------------------------------------------------------------------- optimizers

@fuzz
@given(shape=shapes, dtype=st.sampled_from(DTYPES), layout=st.sampled_from(LAYOUTS),
       step_size=st.sampled_from([1e-3, 0.1]), beta1=st.sampled_from([0.0, 0.9]),
       beta2=st.sampled_from([0.0, 0.999]), eps_=st.sampled_from([1e-8, 1e-3]),
       v_scale=st.sampled_from([1.0, 3.2]), weight_decay=st.sampled_from([0.0, 0.01]),
       seed=seeds)
def test_adam_step_fuzz(shape, dtype, layout, step_size, beta1, beta2, eps_, v_scale,
                        weight_decay, seed):
    rng = np.random.default_rng(seed)
    p, g, m = (normal(rng, shape, dtype) for _ in range(3))
    v = np.asarray(np.abs(normal(rng, shape, dtype)))
    hyper = dict(step_size=step_size, beta1=beta1, beta2=beta2, eps=eps_, v_scale=v_scale,
                 weight_decay=weight_decay)
    got_p, got_m, got_v = p.copy(), m.copy(), v.copy()
    kernels.adam_step(kernels.StepArrays([got_p], m=[got_m], v=[got_v]), [laid_out(g, layout)],
                      **hyper)
    want_p, want_m, want_v = p.copy(), m.copy(), v.copy()
    reference.adam_step(reference.StepArrays([want_p], m=[want_m], v=[want_v]), [g], **hyper)
    # m and v within a few ulps of what they mix (the kernel uses the form m + (1-b1)(g-m)).
    g_eff = np.abs(g.astype(np.float64)) * (1 + weight_decay) + weight_decay * np.abs(p)
    assert_close(got_m, want_m, 8 * eps(dtype) * (np.abs(m) + g_eff))
    assert_close(got_v, want_v, 8 * eps(dtype) * (np.abs(v) + g_eff**2) + 1e-37)
    # The parameter from the kernel's own m and v: a tiny sqrt(v) may amplify m's rounding,
    # so the update is checked given the moments, not against the reference's.
    m64, v64 = got_m.astype(np.float64), got_v.astype(np.float64)
    update = step_size * m64 / (np.sqrt(v64) * v_scale + eps_)
    want_from_moments = p - update
    assert_close(got_p.astype(np.float64), want_from_moments,
                 8 * eps(dtype) * (np.abs(p) + np.abs(update)) + 1e-37)


@fuzz
@given(shape=shapes, dtype=st.sampled_from(DTYPES), layout=st.sampled_from(LAYOUTS),
       lr=st.sampled_from([1e-3, 0.5]), momentum=st.sampled_from([0.0, 0.9]),
       dampening=st.sampled_from([0.0, 0.3]), weight_decay=st.sampled_from([0.0, 0.01]),
       nesterov=st.booleans(), first=st.booleans(), seed=seeds)
def test_sgd_step_fuzz(shape, dtype, layout, lr, momentum, dampening, weight_decay, nesterov,
                       first, seed):
    if nesterov:
        momentum, dampening = 0.9, 0.0  # what nesterov requires, as in PyTorch
    rng = np.random.default_rng(seed)
    p, g, buf = (normal(rng, shape, dtype) for _ in range(3))
    hyper = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                 nesterov=nesterov, first=first)
    got_p, got_buf = p.copy(), buf.copy()
    kernels.sgd_step(kernels.StepArrays([got_p], buf=[got_buf]), [laid_out(g, layout)], **hyper)
    want_p, want_buf = p.copy(), buf.copy()
    reference.sgd_step(reference.StepArrays([want_p], buf=[want_buf]), [g], **hyper)
    scale = np.abs(p.astype(np.float64)) + np.abs(g) + np.abs(buf)
    assert_close(got_p, want_p, 8 * eps(dtype) * scale)
    assert_close(got_buf, want_buf, 8 * eps(dtype) * scale)


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
    # The textbook, in float64.
    p, m, v = p0.copy(), np.zeros(200), np.zeros(200)
    # The kernel, in dtype.
    q, qm, qv = p0.astype(dtype), np.zeros(200, dtype), np.zeros(200, dtype)
    arrays = kernels.StepArrays([q], m=[qm], v=[qv])  # updated in place: made once
    for t in range(1, 51):
        g = quadratic_grad(p, target) + noise[t - 1] + wd * p
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        if form == "pytorch":  # bias-corrected moments, eps added to sqrt(v_hat)
            m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
            p = p - lr * m_hat / (np.sqrt(v_hat) + eps_)
            hyper = dict(step_size=lr / (1 - b1**t), v_scale=1 / np.sqrt(1 - b2**t))
        else:  # Keras: the corrections folded into the step size, eps added to sqrt(v)
            lr_t = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
            p = p - lr_t * m / (np.sqrt(v) + eps_)
            hyper = dict(step_size=lr_t, v_scale=1.0)
        qg = (quadratic_grad(q.astype(np.float64), target) + noise[t - 1]).astype(dtype)
        kernels.adam_step(arrays, [qg], beta1=b1, beta2=b2, eps=eps_, weight_decay=wd, **hyper)
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
    q = p0.astype(dtype)  # the kernel, in dtype
    qb = np.zeros(200, dtype)
    arrays = kernels.StepArrays([q], buf=[qb]) if mu else kernels.StepArrays([q])
    for t in range(1, 51):
        g = quadratic_grad(p, target) + noise[t - 1] + wd * p
        if mu:
            b = g if t == 1 else mu * b + (1 - damp) * g
            g = g + mu * b if nesterov else b
        p = p - lr * g
        qg = (quadratic_grad(q.astype(np.float64), target) + noise[t - 1]).astype(dtype)
        kernels.sgd_step(arrays, [qg], lr=lr, momentum=mu, dampening=damp, weight_decay=wd,
                         nesterov=nesterov, first=t == 1)
    tol = 1e-13 if dtype == np.float64 else 1e-5  # measured: 0 and 2e-6 at worst
    np.testing.assert_allclose(q, p, rtol=tol, atol=tol)
    if mu:
        np.testing.assert_allclose(qb, b, rtol=tol, atol=tol)


def step_both(name, params, grads, states, **hyper):
    """One optimizer step in each backend from copies of the same arrays: (kernels' arrays,
    reference's arrays), each a dict {"params": [...], state name: [...]}."""
    results = []
    for mod in (kernels, reference):
        arrays = {"params": [p.copy() for p in params],
                  **{k: [a.copy() for a in v] for k, v in states.items()}}
        step_arrays = mod.StepArrays(arrays["params"], **{k: arrays[k] for k in states})
        getattr(mod, name)(step_arrays, list(grads), **hyper)
        results.append(arrays)
    return results


ADAM_HYPER = dict(step_size=0.01, beta1=0.9, beta2=0.999, eps=1e-7, v_scale=1.3,
                  weight_decay=0.01)
SGD_HYPER = dict(lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01)


@fuzz
@given(shapes=st.lists(shapes, min_size=1, max_size=5), dtype=st.sampled_from(DTYPES),
       layouts=st.lists(st.sampled_from(LAYOUTS), min_size=5, max_size=5), seed=seeds)
def test_one_call_updates_many_tensors_as_one_call_each(shapes, dtype, layouts, seed):
    """A step over several tensors (any shapes, gradients in any layout) is exactly the steps
    over each alone, and agrees with the reference."""
    rng = np.random.default_rng(seed)
    params = [normal(rng, shape, dtype) for shape in shapes]
    grads = [laid_out(normal(rng, p.shape, dtype), layout) for p, layout in zip(params, layouts)]
    cases = [("adam_step", dict(m=[normal(rng, p.shape, dtype) for p in params],
                                # v away from 0: no tiny sqrt(v) amplifies m's rounding
                                v=[np.asarray(np.abs(normal(rng, p.shape, dtype)) + 0.1)
                                   for p in params]),
              ADAM_HYPER),
             ("sgd_step", dict(buf=[normal(rng, p.shape, dtype) for p in params]), SGD_HYPER),
             ("sgd_step", {}, dict(lr=0.1, weight_decay=0.01))]
    for name, states, hyper in cases:
        got, want = step_both(name, params, grads, states, **hyper)
        for i, (p, g) in enumerate(zip(params, grads)):
            one = step_both(name, [p], [g], {k: [v[i]] for k, v in states.items()}, **hyper)[0]
            for key in got:
                np.testing.assert_array_equal(got[key][i], one[key][0])
                scale = np.abs(want[key][i].astype(np.float64)) + 1
                assert_close(got[key][i], want[key][i], 64 * eps(dtype) * scale)


@BOTH
def test_gradients_that_share_memory_with_the_updated_arrays(mod):
    """A gradient that is its own parameter is read before the update (it is copied); one that
    is another tensor's parameter is read after that tensor's update, tensors going in order."""
    p0, p1 = np.full(3, 2.0), np.full(3, 4.0)
    mod.sgd_step(mod.StepArrays([p0, p1]), [p0, p0], lr=0.25)
    np.testing.assert_array_equal(p0, np.full(3, 1.5))  # 2 - 0.25 * 2
    np.testing.assert_array_equal(p1, np.full(3, 4.0 - 0.25 * 1.5))
    m = np.ones(3)  # the gradient is the first moment, which the step writes
    mod.adam_step(mod.StepArrays([p0], m=[m], v=[np.zeros(3)]), [m], **ADAM_HYPER)
    g = 1 + 0.01 * 1.5
    m1, v1 = 1 + 0.1 * (g - 1), 0.001 * g * g
    np.testing.assert_allclose(m, np.full(3, m1), rtol=1e-15)
    np.testing.assert_allclose(p0, np.full(3, 1.5 - 0.01 * m1 / (np.sqrt(v1) * 1.3 + 1e-7)),
                               rtol=1e-15)
    p = np.array([1.0, 2.0, 3.0])
    mod.sgd_step(mod.StepArrays([p]), [p[::-1]], lr=0.5)  # a reversed view of itself
    np.testing.assert_array_equal(p, [1 - 1.5, 2 - 1.0, 3 - 0.5])


@BOTH
def test_gradients_of_other_types_are_converted(mod):
    p = np.ones((2, 2), np.float32)
    mod.sgd_step(mod.StepArrays([p, np.ones(1, np.float32)]),
                 [[[1, 2], [3, 4]], np.ones(1, np.float64)], lr=0.5)
    np.testing.assert_array_equal(p, np.array([[0.5, 0], [-0.5, -1]], np.float32))


@pytest.mark.parametrize("dtype", DTYPES)
def test_step_arrays_are_checked_once_and_reused(dtype):
    """A StepArrays is made once and serves every step: its arrays are updated in place."""
    p, m, v = np.ones((2, 3), dtype), np.zeros((2, 3), dtype), np.zeros((2, 3), dtype)
    arrays = kernels.StepArrays([p], m=[m], v=[v])
    want_p, want_m, want_v = p.copy(), m.copy(), v.copy()
    want = reference.StepArrays([want_p], m=[want_m], v=[want_v])
    for t in range(1, 4):
        g = np.full((2, 3), 0.5 * t, dtype)
        kernels.adam_step(arrays, [g], **ADAM_HYPER)
        reference.adam_step(want, [g], **ADAM_HYPER)
    for got, expected in ((p, want_p), (m, want_m), (v, want_v)):
        assert_close(got, expected, 8 * eps(dtype) * (np.abs(expected) + 1))


@BOTH
def test_step_arrays_refuse_bad_lists(mod):
    p = np.ones(3)
    with pytest.raises(TypeError, match="^params: expected a list of arrays, got ndarray"):
        mod.StepArrays(p)
    with pytest.raises(ValueError, match=r"^m: expected 2 arrays, one per param, got 1"):
        mod.StepArrays([p, np.ones(2)], m=[np.zeros(3)], v=[np.zeros(3), np.zeros(2)])
    with pytest.raises(TypeError, match="^param: expected arrays of one dtype.*float64 and "
                                        "float32"):
        mod.StepArrays([p, np.ones(2, np.float32)])
    with pytest.raises(ValueError, match="^param and m: expected separate arrays"):
        mod.StepArrays([p], m=[p], v=[np.zeros(3)])
    arrays = mod.StepArrays([p, np.ones(2)])
    with pytest.raises(ValueError, match=r"^grads: expected 2 arrays, one per param, got 1"):
        mod.sgd_step(arrays, [np.ones(3)], lr=0.1)
    with pytest.raises(TypeError, match="^grads: expected a list of arrays"):
        mod.sgd_step(arrays, np.ones(3), lr=0.1)
    with pytest.raises(TypeError, match=r"^arrays: expected StepArrays\(params, m=..., v=...\), "
                                        r"got states \[\]"):
        mod.adam_step(arrays, [np.ones(3), np.ones(2)], step_size=0.1, beta1=0.9, beta2=0.999,
                      eps=1e-8)
    with pytest.raises(TypeError, match="^arrays: expected .*StepArrays, got list"):
        mod.sgd_step([p], [p], lr=0.1)
    empty = mod.StepArrays([])  # nothing to update: a no-op
    mod.sgd_step(empty, [], lr=0.1)


def test_kernels_refuse_the_references_step_arrays():
    arrays = reference.StepArrays([np.ones(3)])
    with pytest.raises(TypeError, match="^arrays: expected a pynn.kernels.StepArrays"):
        kernels.sgd_step(arrays, [np.ones(3)], lr=0.1)


@pytest.mark.parametrize("dtype", DTYPES)
@BOTH
def test_gradients_kept_in_the_same_arrays_are_read_afresh_each_step(mod, dtype):
    """Gradients kept in the same arrays from step to step (zero_grad(set_to_none=False), fit's
    compiled step): what they hold now is what is applied, also for gradients that have to be
    converted (float64 for float32 params), exactly as from new arrays each step."""
    for grad_dtype in (dtype, np.float64 if dtype == np.float32 else np.float32):
        p, m, v = np.ones(5, dtype), np.zeros(5, dtype), np.zeros(5, dtype)
        arrays = mod.StepArrays([p], m=[m], v=[v])
        want_p, want_m, want_v = p.copy(), m.copy(), v.copy()
        want = mod.StepArrays([want_p], m=[want_m], v=[want_v])
        g = np.zeros(5, grad_dtype)
        for t in range(1, 5):
            g[...] = np.arange(5) * t - 2.0  # new values, same array
            mod.adam_step(arrays, [g], **ADAM_HYPER)
            mod.adam_step(want, [g.copy()], **ADAM_HYPER)  # a new array every step
        for got, expected in ((p, want_p), (m, want_m), (v, want_v)):
            np.testing.assert_array_equal(got, expected)


# ---------------------------------------------------------------------------------- bound calls

BOUND_MNK = [(1, 1, 1), (1, 97, 3), (97, 1, 5), (17, 33, 65), (0, 5, 3), (5, 0, 3), (4, 6, 0),
             (72, 73, 74)]


def refill(rng, *arrays):
    """New values in the same arrays, as the next batch brings."""
    for arr in arrays:
        arr[...] = normal(rng, arr.shape, arr.dtype)


@pytest.mark.parametrize("activation", [None, "relu", "sigmoid"])
@pytest.mark.parametrize("trans_w", [False, True])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("m,n,k", BOUND_MNK)
@BOTH
def test_bound_calls_are_the_kernels_on_what_the_arrays_hold_now(mod, m, n, k, dtype, trans_w,
                                                                 activation):
    """Each call of a bound kernel gives exactly the unbound kernel's result on the arrays'
    current values, every output element written (NaN-poisoned before each call)."""
    rng = np.random.default_rng(m * 100 + n * 10 + k)
    x, w = normal(rng, (m, k), dtype), normal(rng, (n, k) if trans_w else (k, n), dtype)
    bias, y, grad = normal(rng, (n,), dtype), nan_like((m, n), dtype), normal(rng, (m, n), dtype)
    dx, dw, db = nan_like((m, k), dtype), nan_like(w.shape, dtype), nan_like((n,), dtype)
    target, bce_grad = normal(rng, (m, n), dtype), nan_like((m, n), dtype)
    forward = mod.bind_linear(x, w, bias, y, activation, trans_w)
    backward = mod.bind_linear_backward(x, w, y, grad, dx, dw, db, activation, trans_w)
    loss = mod.bind_bce_with_logits(y, target, bce_grad)
    for _ in range(2):
        refill(rng, x, w, bias, grad, target)
        for out in (y, dx, dw, db, bce_grad):
            out[...] = np.nan
        forward()
        np.testing.assert_array_equal(y, mod.linear(x, w, bias, activation, trans_w))
        backward()
        for got, want in zip((dx, dw, db), mod.linear_backward(x, w, y, grad, activation,
                                                                trans_w)):
            np.testing.assert_array_equal(got, want)
        want_loss, want_grad = mod.bce_with_logits(y, target)
        assert loss() == want_loss
        np.testing.assert_array_equal(bce_grad, want_grad)


@BOTH
def test_bound_backward_computes_only_the_gradients_given_arrays(mod):
    rng = np.random.default_rng(5)
    x, w, y, grad = (normal(rng, s, np.float32) for s in ((3, 4), (4, 2), (3, 2), (3, 2)))
    dw = nan_like((4, 2), np.float32)
    mod.bind_linear_backward(x, w, y, grad, None, dw, None)()
    np.testing.assert_array_equal(dw, mod.linear_backward(x, w, y, grad, with_dx=False,
                                                          with_db=False)[1])


def bound_arrays():
    x, w, y = np.ones((2, 3)), np.ones((3, 4)), np.ones((2, 4))
    return dict(x=x, w=w, bias=np.ones(4), y=y, grad=np.ones((2, 4)), dx=np.ones((2, 3)),
                dw=np.ones((3, 4)), db=np.ones(4), logits=np.ones((2, 4)), target=np.ones((2, 4)),
                out=np.ones((2, 4)))


def bind(mod, name, **changes):
    a = {**bound_arrays(), **changes}
    if name == "linear":
        return mod.bind_linear(a["x"], a["w"], a["bias"], a["out"])
    if name == "linear_backward":
        return mod.bind_linear_backward(a["x"], a["w"], a["y"], a["grad"], a["dx"], a["dw"],
                                        a["db"])
    return mod.bind_bce_with_logits(a["logits"], a["target"], a["grad"])


BIND_INPUTS = [("linear", "x"), ("linear", "w"), ("linear", "bias"),
               ("linear_backward", "x"), ("linear_backward", "y"), ("linear_backward", "grad"),
               ("bce", "logits"), ("bce", "target")]


@pytest.mark.parametrize("name,arg", BIND_INPUTS)
@pytest.mark.parametrize("make", [
    lambda a: a.astype(np.int64), lambda a: a.astype(np.float32), lambda a: a.tolist(),
    lambda a: np.repeat(a, 2, axis=-1)[..., ::2],
], ids=["int", "other float dtype", "list", "strided view"])
@BOTH
def test_bound_calls_refuse_inputs_they_would_have_to_convert(mod, name, arg, make):
    """A bound call keeps working on the arrays it was given: one that validation would convert
    or copy (to which later changes would not reach) is refused, not silently copied."""
    with pytest.raises(ValueError, match=f"^{arg}: a bound call works on the given arrays"):
        bind(mod, name, **{arg: make(bound_arrays()[arg])})


@BOTH
def test_bound_calls_refuse_bad_outputs(mod):
    with pytest.raises(TypeError, match="^out: a bound call needs its output array, got None"):
        bind(mod, "linear", out=None)
    with pytest.raises(ValueError, match=r"^dw: expected shape \(3, 4\), got \(4, 3\)"):
        bind(mod, "linear_backward", dw=np.ones((4, 3)))
    with pytest.raises(TypeError, match="^db: expected dtype float64, got float32"):
        bind(mod, "linear_backward", db=np.ones(4, np.float32))
    logits = np.ones((2, 4))
    with pytest.raises(ValueError, match="^grad: expected an output array apart from"):
        bind(mod, "bce", logits=logits, grad=logits)  # the gradient would overwrite the logits
    x = np.ones((2, 3))
    with pytest.raises(ValueError, match="^dx: expected an output array apart from"):
        bind(mod, "linear_backward", x=x, dx=x)
    buf = np.ones(16)
    with pytest.raises(ValueError, match="^dw: expected an output array apart from"):
        bind(mod, "linear_backward", dw=buf[:12].reshape(3, 4), db=buf[10:14])  # overlapping
    with pytest.raises(ValueError, match="^out: expected a C-contiguous array"):
        bind(mod, "linear", out=np.ones((4, 2)).T)


# ---------------------------------------------------------------------------------- bad input

def good_calls():
    """One valid call of every wrapper: name -> keyword arguments."""
    x, w = np.ones((2, 3)), np.ones((3, 4))
    return {
        "matmul": dict(a=x, b=w),
        "linear": dict(x=x, w=w, bias=np.ones(4)),
        "linear_backward": dict(x=x, w=w, y=np.ones((2, 4)), grad=np.ones((2, 4))),
        "relu": dict(x=x),
        "relu_backward": dict(x=x, grad=x),
        "sigmoid": dict(x=x),
        "sigmoid_backward": dict(y=x, grad=x),
        "sum_rows": dict(x=x),
        "bce_with_logits": dict(logits=x, target=x),
        "adam_step": dict(param=x.copy(), grad=x, m=np.zeros((2, 3)), v=np.zeros((2, 3)),
                          step_size=0.1, beta1=0.9, beta2=0.999, eps=1e-8),
        "sgd_step": dict(param=x.copy(), grad=x, buf=np.zeros((2, 3)), lr=0.1, momentum=0.9),
    }


STEP_STATES = {"adam_step": ("m", "v"), "sgd_step": ("buf",)}


def call(mod, name, **changes):
    kwargs = good_calls()[name]
    kwargs.update(changes)
    if name in STEP_STATES:  # an optimizer step over one tensor: StepArrays([param], ...), [grad]
        if "buf" in kwargs and kwargs["buf"] is None:  # SGD without a momentum buffer
            del kwargs["buf"]
        states = {s: [kwargs.pop(s)] for s in STEP_STATES[name] if s in kwargs}
        arrays = mod.StepArrays([kwargs.pop("param")], **states)
        return getattr(mod, name)(arrays, [kwargs.pop("grad")], **kwargs)
    return getattr(mod, name)(**kwargs)


NOT_REAL = {"complex": np.ones((2, 3), complex), "str": np.array([["a", "b", "c"]] * 2),
            "object": np.array([[object()] * 3] * 2, dtype=object), "text": "abc",
            "none": None, "set": {1, 2}}
NOT_REAL_ARGS = [(name, arg, bad) for name, kwargs in good_calls().items()
                 for arg, value in kwargs.items() if isinstance(value, np.ndarray)
                 for bad in sorted(NOT_REAL) if (arg, bad) != ("bias", "none")]  # no bias is fine


@BOTH
@pytest.mark.parametrize("name", sorted(good_calls()))
def test_good_calls_pass(mod, name):
    """The base call every bad-argument test below alters runs cleanly: each refusal there is
    caused by the one argument it changes, not by an over-strict check."""
    call(mod, name)


@BOTH
@pytest.mark.parametrize("name,arg,bad", NOT_REAL_ARGS)
def test_non_real_arrays_are_refused(mod, name, arg, bad):
    with pytest.raises(TypeError, match=f"^{arg}:"):
        call(mod, name, **{arg: NOT_REAL[bad]})


@BOTH
@pytest.mark.parametrize("name,arg,value", [
    ("matmul", "a", np.ones(3)), ("matmul", "a", np.ones((1, 2, 3))), ("matmul", "b", np.ones(3)),
    ("matmul", "b", np.float64(2.0)), ("linear", "x", np.ones(3)),
    ("linear", "w", np.ones((3, 4, 1))), ("linear", "bias", np.ones((1, 4))),
    ("sum_rows", "x", np.ones(3)), ("sum_rows", "x", np.ones((2, 3, 4))),
    ("linear_backward", "x", np.ones(3)), ("linear_backward", "w", np.ones((3, 4, 1)))])
def test_wrong_ranks_are_refused(mod, name, arg, value):
    with pytest.raises(ValueError, match=rf"\b{arg}\b"):
        call(mod, name, **{arg: value})


@BOTH
@pytest.mark.parametrize("name,changes,shapes", [
    ("matmul", dict(b=np.ones((4, 5))), ["(2, 3)", "(4, 5)"]),
    ("matmul", dict(a=np.ones((2, 3)), trans_a=True), ["(2, 3)", "(3, 4)"]),
    ("matmul", dict(b=np.ones((3, 4)), trans_b=True), ["(2, 3)", "(3, 4)"]),
    ("linear", dict(w=np.ones((4, 3))), ["(2, 3)", "(4, 3)"]),
    ("linear", dict(trans_w=True), ["(2, 3)", "(3, 4)"]),
    ("linear", dict(bias=np.ones(3)), ["(4,)", "(3,)"]),
    ("linear_backward", dict(w=np.ones((4, 3))), ["(2, 3)", "(4, 3)"]),
    ("linear_backward", dict(trans_w=True), ["(2, 3)", "(3, 4)"]),
    ("linear_backward", dict(y=np.ones((2, 3))), ["(2, 4)", "(2, 3)"]),
    ("linear_backward", dict(grad=np.ones((4, 2))), ["(2, 4)", "(4, 2)"]),
    ("relu_backward", dict(grad=np.ones((3, 2))), ["(2, 3)", "(3, 2)"]),
    ("sigmoid_backward", dict(grad=np.ones(6)), ["(2, 3)", "(6,)"]),
    ("bce_with_logits", dict(target=np.ones((2, 1))), ["(2, 3)", "(2, 1)"]),
    ("adam_step", dict(grad=np.ones((3, 2))), ["(2, 3)", "(3, 2)"]),
    ("adam_step", dict(m=np.zeros((3, 2))), ["(2, 3)", "(3, 2)"]),
    ("adam_step", dict(v=np.zeros(6)), ["(2, 3)", "(6,)"]),
    ("sgd_step", dict(grad=np.ones((2, 1))), ["(2, 3)", "(2, 1)"]),
    ("sgd_step", dict(buf=np.zeros((2, 2))), ["(2, 3)", "(2, 2)"])])
def test_mismatched_shapes_name_both(mod, name, changes, shapes):
    with pytest.raises(ValueError) as info:
        call(mod, name, **changes)
    for shape in shapes:
        assert shape in str(info.value)


OUT_SHAPES = {"matmul": (2, 4), "linear": (2, 4), "relu": (2, 3), "relu_backward": (2, 3),
              "sigmoid": (2, 3), "sigmoid_backward": (2, 3), "sum_rows": (3,)}


def read_only(shape):
    out = np.empty(shape)
    out.flags.writeable = False
    return out


@BOTH
@pytest.mark.parametrize("name", sorted(OUT_SHAPES))
@pytest.mark.parametrize("kind,error,make", [
    ("dtype", TypeError, lambda s: np.empty(s, np.float32)),
    ("int dtype", TypeError, lambda s: np.empty(s, np.int64)),
    ("rank", ValueError, lambda s: np.empty(s + (1,))),
    ("size", ValueError, lambda s: np.empty((s[0] + 1,) + s[1:])),
    ("non-contiguous", ValueError, lambda s: np.empty(s[:-1] + (2 * s[-1],))[..., ::2]),
    ("read-only", ValueError, read_only),
    ("list", TypeError, lambda s: np.zeros(s).tolist())])
def test_wrong_out_is_refused(mod, name, kind, error, make):
    out = make(OUT_SHAPES[name])
    with pytest.raises(error, match="^out:"):
        call(mod, name, out=out)


@BOTH
@pytest.mark.parametrize("name,arg", [("matmul", "trans_a"), ("matmul", "trans_b"),
                                      ("matmul", "accumulate"), ("linear", "trans_w"),
                                      ("linear_backward", "trans_w"),
                                      ("linear_backward", "with_dx"),
                                      ("linear_backward", "with_dw"),
                                      ("linear_backward", "with_db"),
                                      ("sum_rows", "accumulate"), ("bce_with_logits", "with_grad"),
                                      ("sgd_step", "nesterov"), ("sgd_step", "first")])
@pytest.mark.parametrize("value", ["True", "False", None, 1, [True]])
def test_flags_must_be_bools(mod, name, arg, value):
    with pytest.raises(TypeError, match=f"^{arg}:"):
        call(mod, name, **{arg: value})


HYPER = [("adam_step", h) for h in ("step_size", "beta1", "beta2", "eps", "v_scale",
                                    "weight_decay")] + \
        [("sgd_step", h) for h in ("lr", "momentum", "dampening", "weight_decay")]


@BOTH
@pytest.mark.parametrize("name,arg", HYPER)
@pytest.mark.parametrize("value", ["0.1", None, 0.1j, [0.1], True, np.ones(1)])
def test_hyperparameters_must_be_real_numbers(mod, name, arg, value):
    with pytest.raises(TypeError, match=f"^{arg}:"):
        call(mod, name, **{arg: value})


@BOTH
@pytest.mark.parametrize("name,arg,value", [
    ("adam_step", "beta1", -0.1), ("adam_step", "beta1", 1.0), ("adam_step", "beta1", np.nan),
    ("adam_step", "beta2", 1.5), ("adam_step", "beta2", -1e-9), ("adam_step", "step_size", -1e-3),
    ("adam_step", "eps", -1e-8), ("adam_step", "weight_decay", -0.1),
    ("adam_step", "step_size", np.nan), ("adam_step", "v_scale", -1.0),
    ("sgd_step", "lr", -0.1), ("sgd_step", "lr", np.nan), ("sgd_step", "momentum", -0.9),
    ("sgd_step", "weight_decay", -1.0)])
def test_hyperparameters_out_of_range_are_refused(mod, name, arg, value):
    with pytest.raises(ValueError, match=f"^{arg}:"):
        call(mod, name, **{arg: value})


@BOTH
def test_optimizer_state_errors(mod):
    with pytest.raises(ValueError, match="nesterov"):
        call(mod, "sgd_step", nesterov=True, momentum=0.0, buf=None)
    with pytest.raises(ValueError, match="nesterov"):
        call(mod, "sgd_step", nesterov=True, dampening=0.5)
    with pytest.raises(TypeError, match="^buf:"):
        call(mod, "sgd_step", buf=None)
    call(mod, "sgd_step", buf=None, momentum=0.0)  # plain SGD needs no buffer
    with pytest.raises(TypeError, match="^param:"):
        call(mod, "adam_step", param=[[1.0, 2.0, 3.0]] * 2)
    with pytest.raises(TypeError, match="^param:"):
        call(mod, "adam_step", param=np.ones((2, 3), np.int64))
    with pytest.raises(TypeError, match="^m:"):
        call(mod, "adam_step", m=np.zeros((2, 3), np.float32))
    with pytest.raises(ValueError, match="^m:"):
        call(mod, "adam_step", m=np.zeros((2, 6))[:, ::2])
    with pytest.raises(ValueError, match="^v:"):
        call(mod, "adam_step", v=read_only((2, 3)))
    shared = np.zeros((2, 3))
    with pytest.raises(ValueError, match="m and v"):
        call(mod, "adam_step", m=shared, v=shared)
    p = np.ones((2, 3))
    with pytest.raises(ValueError, match="param and buf"):
        call(mod, "sgd_step", param=p, buf=p)


@BOTH
def test_a_gradient_that_is_the_parameter_is_read_before_the_update(mod):
    p = np.full(4, 2.0)
    mod.sgd_step(mod.StepArrays([p]), [p], lr=0.25)
    np.testing.assert_array_equal(p, np.full(4, 1.5))


@BOTH
def test_other_argument_errors(mod):
    with pytest.raises(ValueError, match="accumulate"):
        call(mod, "matmul", accumulate=True)
    with pytest.raises(ValueError, match="accumulate"):
        call(mod, "sum_rows", accumulate=True)
    with pytest.raises(ValueError, match="'relu'") as info:
        call(mod, "linear", activation="tanh")
    assert "'sigmoid'" in str(info.value) and "'tanh'" in str(info.value)
    with pytest.raises(ValueError, match="'relu'"):
        call(mod, "linear_backward", activation="tanh")
    with pytest.raises(TypeError, match="^a:"):
        mod.matmul([[1, 2], [3]], [[1]])  # ragged
    with pytest.raises(TypeError, match="set_num_threads"):
        mod.set_num_threads("2")
    with pytest.raises(TypeError, match="set_num_threads"):
        mod.set_num_threads(2.0)
    with pytest.raises(ValueError, match="set_num_threads"):
        mod.set_num_threads(0)


# ---------------------------------------------------------------------------------- backend switch

def run_python(code, cwd, **env):
    """Run code in a fresh interpreter in cwd (not the repository root, whose source folder
    would shadow the installed pynn), with PYNN_BACKEND as env says."""
    environ = {k: v for k, v in os.environ.items() if k != "PYNN_BACKEND"}
    environ.update(env)
    return subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def test_backend_switch(tmp_path):
    check = ("import pynn, pynn.kernels, pynn.reference\n"
             "print(pynn.backend.NAME, pynn.backend.matmul is pynn.{}.matmul)")
    default = run_python(check.format("kernels"), tmp_path)
    assert default.stdout.split() == ["c", "True"], default.stderr
    numpy = run_python(check.format("reference"), tmp_path, PYNN_BACKEND="numpy")
    assert numpy.stdout.split() == ["numpy", "True"], numpy.stderr
    bad = run_python("import pynn", tmp_path, PYNN_BACKEND="cuda")
    assert bad.returncode != 0
    assert "ImportError" in bad.stderr and "'cuda'" in bad.stderr


# ---------------------------------------------------------------------------------- threads

def test_two_threads_get_the_sequential_results():
    """The kernels keep no global state and release the GIL: two threads calling them at once on
    different data get exactly what one thread gets calling them in turn."""
    def work(seed):
        rng = np.random.default_rng(seed)
        x, w = normal(rng, (64, 96), np.float32), normal(rng, (96, 48), np.float32)
        bias, target = normal(rng, (48,), np.float32), rng.random((64, 48)).astype(np.float32)
        m, v = np.zeros_like(w), np.zeros_like(w)
        arrays = kernels.StepArrays([w], m=[m], v=[v])
        losses = []
        for t in range(1, 31):
            z = kernels.linear(x, w, bias)
            loss, dz = kernels.bce_with_logits(z, target)
            dw = kernels.matmul(x, dz, trans_a=True)
            kernels.adam_step(arrays, [dw], step_size=0.01 / (1 - 0.9**t), beta1=0.9,
                              beta2=0.999, eps=1e-7, v_scale=1 / np.sqrt(1 - 0.999**t))
            bias -= 0.01 * kernels.sum_rows(dz)
            losses.append(loss)
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
             "relu_backward": [3], "sigmoid": [2], "sigmoid_backward": [3], "sum_rows": [2, 3],
             "bce_logits": [3], "adam_multi": [5], "sgd_multi": [4]}
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
        assert ffi.sizeof(args[SIZE_ARGS[base][0]]) == 8
        if base in SIZE_ARRAYS:
            sizes = args[SIZE_ARRAYS[base]]
            assert sizes.kind == "pointer" and sizes.item.cname == "int64_t", (name, sizes)


def test_shapes_past_2_to_the_31_reach_c_as_exact_int64(tmp_path):
    """Arrays of 2**31 + 5 elements, mapped from a sparse file (nothing is allocated or read):
    validation passes their sizes on whole, and each fits the kernels' int64_t."""
    big = 2**31 + 5
    path = tmp_path / "sparse"
    with open(path, "wb") as f:
        f.truncate(4 * big)
    row = np.memmap(path, np.float32, "r", shape=(1, big))
    col = np.memmap(path, np.float32, "r", shape=(big, 1))
    for trans_a, a_in, b_in in ((False, row, col), (True, col, col)):
        a, b, out, m, n, k, *_ = validate.matmul(a_in, b_in, trans_a, False, None, False)
        assert (m, n, k) == (1, 1, big) and out.shape == (1, 1)
        assert np.may_share_memory(a, a_in) and a.size == big  # the mapping itself, not a copy
        assert int(ffi.cast("int64_t", k)) == big
    x, out, _ = validate.sum_rows(col, None, False)
    assert x.shape[0] == big and out.shape == (1,)
    assert int(ffi.cast("int64_t", x.shape[0])) == big
