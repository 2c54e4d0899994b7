"""Property-based tests of the Tensor ops against NumPy: random shapes (zero-sized dimensions
included), both float dtypes mixed, NumPy broadcasting, and inputs whose arrays are transposed,
sliced with steps or broadcast views rather than fresh C-contiguous arrays. test_tensor.py
checks every backward by gradcheck on small shapes; here the forward values, and the gradient
shapes and dtypes, must match NumPy over many more shapes and layouts."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes

import pynn
from pynn import Tensor, functional as F

SETTINGS = settings(max_examples=80, deadline=None)
DTYPES = st.sampled_from([np.float32, np.float64])
LAYOUTS = st.sampled_from(["contiguous", "transposed", "strided", "fortran"])
TOL = {np.dtype(np.float32): dict(rtol=2e-5, atol=1e-6),
       np.dtype(np.float64): dict(rtol=1e-12, atol=1e-12)}


def laid_out(values, layout):
    """An array equal to values but laid out in memory as named: a transposed view, a view
    taking every other element of a larger array, or Fortran order (a 0-d array has one)."""
    if values.ndim == 0:
        return values
    if layout == "transposed":
        return np.ascontiguousarray(values.T).T
    if layout == "strided":
        big = np.zeros(tuple(2 * n for n in values.shape), values.dtype)
        view = big[tuple(slice(None, None, 2) for _ in values.shape)]
        view[...] = values
        return view
    if layout == "fortran":
        return np.asfortranarray(values)
    return values


@st.composite
def arrays(draw, shape, low=-2.0, high=2.0):
    """(array of the drawn dtype and layout, its dtype): values from a seeded generator."""
    dtype = draw(DTYPES)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    values = np.asarray(rng.uniform(low, high, shape), dtype=dtype)
    arr = laid_out(values, draw(LAYOUTS))
    np.testing.assert_array_equal(arr, values)
    return arr


def leaf(arr):
    """A leaf sharing arr's memory, laid out as arr is (the ops must read any layout)."""
    return pynn.from_numpy(arr).requires_grad_()


def torch_dtype(a, b):
    """The dtype PyTorch computes an op between float arrays a and b in: NumPy's promotion,
    except that a dimensioned operand's dtype wins over a 0-d one's."""
    if (a.ndim == 0) == (b.ndim == 0):
        return np.result_type(a, b)
    return a.dtype if a.ndim else b.dtype


def check(out, want, dtype=None):
    """out (a Tensor) equals NumPy's result in shape, dtype (or `dtype`) and value."""
    want = np.asarray(want)
    if dtype is not None:
        want = want.astype(dtype)
    assert out.shape == want.shape and out.dtype == want.dtype, (out.shape, out.dtype, want.shape,
                                                                  want.dtype)
    np.testing.assert_allclose(out.detach().numpy(), want, **TOL[want.dtype])


def check_grads(*leaves):
    for x in leaves:
        assert x.grad is not None and x.grad.shape == x.shape and x.grad.dtype == x.dtype
        assert x.grad.numpy().flags.c_contiguous


BINARY = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide}


@SETTINGS
@given(shapes=mutually_broadcastable_shapes(num_shapes=2, min_side=0, max_dims=4, max_side=3),
       name=st.sampled_from(sorted(BINARY)), data=st.data())
def test_binary_ops_broadcast_as_numpy(shapes, name, data):
    (sa, sb), result = shapes.input_shapes, shapes.result_shape
    a = data.draw(arrays(sa))
    b = data.draw(arrays(sb, 0.5, 2.0))  # away from 0: the divisor
    ta, tb = leaf(a), leaf(b)
    out = {"add": ta + tb, "sub": ta - tb, "mul": ta * tb, "div": ta / tb}[name]
    dtype = torch_dtype(a, b)
    check(out, BINARY[name](a.astype(dtype), b.astype(dtype)), dtype)
    assert out.shape == result
    out.sum().backward()
    check_grads(ta, tb)
    if name == "add":  # d/da sum(a + b) = how many elements of the result each element reaches
        np.testing.assert_array_equal(ta.grad, np.broadcast_to(
            np.prod(result, dtype=np.int64) // max(1, np.prod(sa, dtype=np.int64)), sa))


@SETTINGS
@given(shape=array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4), data=st.data(),
       scalar=st.floats(-3, 3).filter(lambda v: abs(v) > 0.1))
def test_scalar_operands_keep_the_tensor_dtype(shape, data, scalar):
    a = data.draw(arrays(shape))
    t = leaf(a)
    dtype = a.dtype.type
    for out, want in [(t + scalar, a + dtype(scalar)), (scalar - t, dtype(scalar) - a),
                      (t * scalar, a * dtype(scalar)), (t / scalar, a / dtype(scalar)),
                      (-t, -a)]:
        check(out, want)


UNARY = {
    "exp": (lambda t: t.exp(), np.exp, (-3, 3)),
    "log": (lambda t: t.log(), np.log, (0.1, 3)),
    "tanh": (lambda t: t.tanh(), np.tanh, (-3, 3)),
    "relu": (lambda t: t.relu(), lambda a: np.maximum(a, 0), (-3, 3)),
    "sigmoid": (lambda t: t.sigmoid(), lambda a: 1 / (1 + np.exp(-a)), (-8, 8)),
    "pow": (lambda t: t ** 1.5, lambda a: a ** a.dtype.type(1.5), (0.1, 3)),
    "F.relu": (F.relu, lambda a: np.maximum(a, 0), (-3, 3)),
    "F.sigmoid": (F.sigmoid, lambda a: 1 / (1 + np.exp(-a)), (-8, 8)),
}


@SETTINGS
@given(shape=array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4),
       name=st.sampled_from(sorted(UNARY)), data=st.data())
def test_elementwise_ops_match_numpy(shape, name, data):
    op, expected, (low, high) = UNARY[name]
    a = data.draw(arrays(shape, low, high))
    t = leaf(a)
    out = op(t)
    check(out, expected(a))
    out.sum().backward()
    check_grads(t)


@st.composite
def axes(draw, ndim):
    """None, an int or a tuple of distinct ints, negative ones included."""
    if ndim == 0 or draw(st.booleans()):
        return None
    chosen = draw(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True))
    signed = [a - ndim if draw(st.booleans()) else a for a in chosen]
    return signed[0] if len(signed) == 1 and draw(st.booleans()) else tuple(signed)


@SETTINGS
@given(shape=array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4), data=st.data(),
       name=st.sampled_from(["sum", "mean", "max"]), keepdims=st.booleans())
def test_reductions_match_numpy(shape, data, name, keepdims):
    a = data.draw(arrays(shape))
    axis = data.draw(axes(len(shape)))
    reduced = range(len(shape)) if axis is None else np.atleast_1d(axis)
    empty = any(shape[i] == 0 for i in reduced)
    if name == "max" and empty:  # NumPy (and PyTorch) refuse the max of nothing
        with pytest.raises(RuntimeError):
            pynn.tensor(a).amax(axis)
        return
    if name == "mean" and empty:  # the mean of nothing is NaN, as in NumPy
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # NumPy's "Mean of empty slice"
            out = leaf(a).mean(axis=axis, keepdims=keepdims)
            want = np.mean(a, axis=axis, keepdims=keepdims)
        assert out.shape == want.shape and np.isnan(out.detach().numpy()).all()
        return
    t = leaf(a)
    method = "amax" if name == "max" else name
    out = getattr(t, method)(axis, keepdims)
    check(out, getattr(np, name)(a, axis=axis, keepdims=keepdims))
    out.sum().backward()
    check_grads(t)


@SETTINGS
@given(m=st.integers(0, 5), k=st.integers(0, 5), n=st.integers(0, 5), batch=st.integers(0, 3),
       form=st.sampled_from(["2-D", "3-D @ 2-D", "3-D @ 3-D"]), data=st.data())
def test_matmul_matches_numpy_zero_sizes_included(m, k, n, batch, form, data):
    a = data.draw(arrays((m, k) if form == "2-D" else (batch, m, k)))
    b = data.draw(arrays((batch, k, n) if form == "3-D @ 3-D" else (k, n))).astype(a.dtype)
    ta, tb = leaf(a), leaf(b)
    out = ta @ tb
    check(out, a @ b)
    out.sum().backward()
    check_grads(ta, tb)
    ones = np.ones(out.shape)
    np.testing.assert_allclose(ta.grad, ones @ np.swapaxes(b, -1, -2), **TOL[np.dtype(ta.dtype)])
    want_b = np.swapaxes(a, -1, -2) @ ones
    if form == "3-D @ 2-D":
        want_b = want_b.sum(axis=0)
    np.testing.assert_allclose(tb.grad, want_b, rtol=1e-5, atol=1e-5)


@SETTINGS
@given(rows=array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=4), k=st.integers(0, 5),
       n=st.integers(0, 5), activation=st.sampled_from([None, "relu", "sigmoid", "tanh"]),
       bias=st.booleans(), data=st.data())
def test_fused_dense_and_linear_match_numpy(rows, k, n, activation, bias, data):
    x = data.draw(arrays(rows + (k,)))
    kernel = data.draw(arrays((k, n))).astype(x.dtype)  # one dtype, as PyTorch requires
    b = data.draw(arrays((n,))).astype(x.dtype) if bias else None
    z = x @ kernel + (0 if b is None else b)
    want = {None: z, "relu": np.maximum(z, 0), "sigmoid": 1 / (1 + np.exp(-z)),
            "tanh": np.tanh(z)}[activation]
    x_t, b_t = pynn.from_numpy(x), None if b is None else pynn.from_numpy(b)
    check(F.dense(x_t, pynn.from_numpy(kernel), b_t, activation), want)
    linear = F.linear(x_t, pynn.from_numpy(kernel.T), b_t)
    check(linear if activation is None else getattr(linear, activation)(), want)


@SETTINGS
@given(shape=array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=4), data=st.data())
def test_shape_ops_match_numpy(shape, data):
    a = data.draw(arrays(shape))
    t = leaf(a)
    ndim = len(shape)
    i, j = data.draw(st.integers(-ndim, ndim - 1)), data.draw(st.integers(-ndim, ndim - 1))
    check(t.transpose(i, j), np.swapaxes(a, i, j))
    check(t.T, a.T)
    check(t.reshape(-1), a.reshape(-1))
    check(t.reshape(shape[::-1]), a.reshape(shape[::-1]))
    if shape[0]:
        index = np.array(data.draw(st.lists(st.integers(-shape[0], shape[0] - 1), max_size=5)),
                         dtype=np.intp)
        out = t[index]
        check(out, a[index])
        out.sum().backward()
        check_grads(t)
        hits = np.bincount(index % shape[0], minlength=shape[0])  # repeated rows add up
        np.testing.assert_array_equal(t.grad, np.broadcast_to(
            hits.reshape((-1,) + (1,) * (ndim - 1)), shape))


@SETTINGS
@given(shape=array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4), data=st.data(),
       name=st.sampled_from(["softmax", "log_softmax"]))
def test_softmax_matches_numpy_along_any_axis(shape, data, name):
    a = data.draw(arrays(shape, -5, 5))
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    e = np.exp(a - (a.max(axis=dim, keepdims=True) if a.size else 0))
    soft = e / e.sum(axis=dim, keepdims=True)
    t = leaf(a)
    with np.errstate(divide="ignore"):  # log(0) for an empty axis: the result is empty anyway
        out = getattr(F, name)(t, dim=dim)
    check(out, soft if name == "softmax" else np.log(soft))
    out.sum().backward()
    check_grads(t)


@SETTINGS
@given(data=st.data(), width=st.integers(1, 4), layout=LAYOUTS,
       dtype=st.sampled_from([np.float16, np.int32, np.int64, np.uint8, np.bool_,
                              np.dtype(">f4"), np.dtype(">f8")]))
def test_other_dtypes_and_byte_orders_convert_as_documented(data, width, layout, dtype):
    """Tensor() makes float32 of any dtype (as torch.Tensor); tensor() keeps a pynn dtype, and
    a byte-swapped array is read by its values, never reinterpreted, whatever its layout."""
    rng = np.random.default_rng(data.draw(st.integers(0, 999)))
    values = laid_out(rng.uniform(-50, 50, (3, width)).astype(dtype), layout)
    t = Tensor(values)
    assert t.dtype == np.float32 and t.numpy().flags.c_contiguous
    np.testing.assert_array_equal(t.numpy(), values.astype(np.float32))
    np.testing.assert_allclose((t @ np.ones((width, 1), t.dtype)).numpy(),
                               values.astype(np.float64) @ np.ones((width, 1)), atol=1e-3)
    np.testing.assert_array_equal(t.relu().numpy(), np.maximum(values.astype(t.dtype), 0))
    kept = pynn.tensor(values)
    assert kept.dtype == values.dtype.newbyteorder("=")
    np.testing.assert_array_equal(kept.numpy(), values)
