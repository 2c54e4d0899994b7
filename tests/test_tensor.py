"""Tensor: construction and dtype rules, every op's forward against NumPy and its backward by
gradcheck (broadcast shapes included), and the engine: deep graphs, reuse, no_grad, second
backward."""
import threading

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes

import pynn
from pynn import Tensor, backend, gradcheck, no_grad

SETTINGS = settings(max_examples=25, deadline=None)
FLOATS = [np.float32, np.float64]
TOL = {np.float32: dict(rtol=1e-5, atol=1e-6), np.float64: dict(rtol=1e-12, atol=1e-12)}


def rand(shape, seed=0, low=-1.0, high=1.0, dtype=np.float64):
    return np.random.default_rng(seed).uniform(low, high, shape).astype(dtype)


def away_from_zero(shape, seed=0):
    """Values with |x| in [0.5, 1.5]: safe to divide by, and far from relu's kink."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)


def leaf(array):
    return pynn.tensor(np.array(array, dtype=np.float64), requires_grad=True)


def values(t):
    """A tensor's values as an ndarray (outside the graph)."""
    return t.detach().numpy()


# ---- construction and dtype rules -------------------------------------------------------------

@pytest.mark.parametrize("data", [[1, 2], [[1.5, 2.5]], 2.5, True, [True, False]])
def test_the_tensor_class_makes_the_default_float_dtype(data):
    t = Tensor(data)  # as torch.Tensor: always the default dtype
    assert t.dtype == np.float32 == pynn.get_default_dtype()
    np.testing.assert_array_equal(t.numpy(), np.array(data, dtype=np.float32))
    assert Tensor(np.ones(2, np.float64)).dtype == np.float32
    assert Tensor(2, 3).shape == (2, 3) and Tensor(2, 3).dtype == np.float32  # sizes


@pytest.mark.parametrize("data, dtype", [
    ([1, 2], np.int64), ([[1.5, 2.5]], np.float32), (3, np.int64), (2.5, np.float32),
    (True, np.bool_), ([True, False], np.bool_), ([1, 2.0], np.float32),
    (np.ones(2, np.float64), np.float64), (np.ones(2, np.int32), np.int32),
    (np.float64(1.5), np.float64), (np.ones(2, np.uint8), np.uint8)])
def test_tensor_infers_the_dtype_as_torch_tensor(data, dtype):
    t = pynn.tensor(data)
    assert t.dtype == dtype
    np.testing.assert_array_equal(t.numpy(), np.asarray(data))


def test_tensor_copies_and_from_numpy_shares():
    a = np.arange(6, dtype=np.float64).reshape(2, 3)
    t, shared = pynn.tensor(a), pynn.from_numpy(a)
    a[0, 0] = 7
    assert t[0, 0].item() == 0 and shared[0, 0].item() == 7 and shared.dtype == np.float64
    assert pynn.as_tensor(a).numpy() is a
    with pytest.raises(TypeError, match="from_numpy"):
        pynn.from_numpy([1, 2])


def test_set_default_dtype():
    try:
        pynn.set_default_dtype(pynn.float64)
        assert pynn.tensor([1.5]).dtype == np.float64 and pynn.zeros(2).dtype == np.float64
        assert Tensor([1]).dtype == np.float64
    finally:
        pynn.set_default_dtype(pynn.float32)
    with pytest.raises(TypeError, match="float32 and float64"):
        pynn.set_default_dtype(pynn.int64)


def test_non_contiguous_input_is_copied_into_a_contiguous_tensor():
    a = np.arange(12.0).reshape(3, 4)[:, ::2]
    t = pynn.tensor(a)
    assert t.numpy().flags.c_contiguous
    np.testing.assert_array_equal(t.numpy(), a)


def test_dtype_argument():
    assert pynn.tensor([1, 2], dtype="float64").dtype == np.float64
    assert pynn.tensor([1, 2], dtype=pynn.float64).dtype == np.float64
    assert pynn.tensor([1.7, -2.7], dtype=pynn.long).tolist() == [1, -2]
    assert Tensor(np.ones(2), dtype=np.float64).dtype == np.float64
    assert pynn.tensor([1], dtype=float).dtype == np.float64  # Python types as torch reads them
    with pytest.raises(TypeError, match="uint16"):
        pynn.tensor([1], dtype=np.uint16)


def test_only_floating_point_tensors_require_grad():
    with pytest.raises(RuntimeError, match="floating point"):
        pynn.tensor([1, 2], requires_grad=True)
    assert pynn.tensor([1.0], requires_grad=True).requires_grad


@pytest.mark.parametrize("bad, named", [
    (["a", "b"], "list"), (np.array(["x"]), "<U1"), ("text", "str"), (1 + 2j, "complex"),
    (np.array([1j]), "complex128"), ([object()], "list"), (np.array([None]), "object"),
    ([[1, 2], [3]], "list"),
])
def test_bad_data_is_refused_naming_what_came(bad, named):
    with pytest.raises(TypeError, match=named):
        Tensor(bad)
    with pytest.raises(TypeError, match=named):
        pynn.tensor(bad)


def test_requires_grad_must_be_a_bool():
    with pytest.raises(TypeError, match="requires_grad"):
        Tensor([1.0], requires_grad="yes")


def test_tensor_factory_and_copy_from_tensor():
    t = pynn.tensor([[1.0, 2.0]], requires_grad=True)
    assert isinstance(t, Tensor) and t.requires_grad and t.shape == (1, 2)
    u = pynn.tensor(t)
    assert not u.requires_grad and u.numpy() is not t.detach().numpy()


def test_numpy_side():
    t = pynn.tensor(np.arange(6.0).reshape(2, 3))
    assert (t.shape, t.ndim, t.numel(), len(t), t.dtype) == ((2, 3), 2, 6, 2, np.float64)
    assert t.size() == (2, 3) and t.size(0) == 2 and t.size(-1) == 3 and t.dim() == 2
    assert np.asarray(t, dtype=np.float32).dtype == np.float32
    np.testing.assert_array_equal(np.array(t, copy=True), t.numpy())
    assert pynn.tensor(np.array([[4.0]])).item() == 4.0 and float(Tensor([2.0])) == 2.0
    assert bool(Tensor([1.0])) and not bool(Tensor([0.0]))
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(Tensor([1.0, 2.0]))
    with pytest.raises(TypeError, match="0-d"):
        len(Tensor(1.0))
    assert [float(row.sum()) for row in t] == [3.0, 12.0]  # iteration by rows
    assert t.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert f"{pynn.tensor(0.123456):.3f}" == "0.123"


def test_numpy_of_a_tensor_that_requires_grad_is_refused_as_in_pytorch():
    x = leaf([1.0])
    with pytest.raises(RuntimeError, match="detach"):
        x.numpy()
    with pytest.raises(RuntimeError, match="detach"):
        np.asarray(x)
    assert x.detach().numpy()[0] == 1.0 and x.numpy(force=True)[0] == 1.0


def test_data_and_grad_are_tensors_sharing_memory():
    w = leaf([1.0, 2.0])
    (w * 3).sum().backward()
    assert isinstance(w.data, Tensor) and isinstance(w.grad, Tensor)
    assert not w.data.requires_grad and not w.grad.requires_grad
    w.data -= 0.5 * w.grad.data  # the update idiom of hand-written loops
    np.testing.assert_array_equal(values(w), [-0.5, 0.5])
    w.grad.zero_()
    np.testing.assert_array_equal(w.grad, [0.0, 0.0])
    w.data = pynn.tensor([5.0, 6.0], dtype=pynn.float64)
    assert w.tolist() == [5.0, 6.0] and w.requires_grad


def test_grad_assignment_is_checked():
    w = leaf([1.0, 2.0])
    w.grad = pynn.tensor([1.0, 1.0], dtype=pynn.float64)
    with pytest.raises(RuntimeError, match="size"):
        w.grad = pynn.tensor([1.0], dtype=pynn.float64)
    with pytest.raises(TypeError, match="Tensor"):
        w.grad = np.ones(2)
    w.grad = None
    assert w.grad is None


def test_detach():
    x = leaf([1.0, 2.0])
    d = (x * 2).detach()
    assert not d.requires_grad and d.is_leaf and d.grad_fn is None
    np.testing.assert_array_equal(d.numpy(), [2.0, 4.0])


def test_repr():
    assert repr(pynn.tensor([[1.0, 2.0]], requires_grad=True)) == \
        "tensor([[1., 2.]], requires_grad=True)"
    assert repr(pynn.tensor(np.array([0.5, 1.0]))) == \
        "tensor([0.5000, 1.0000], dtype=pynn.float64)"
    assert repr(Tensor(3.0)) == "tensor(3.)"
    assert repr(pynn.tensor([1, 2])) == "tensor([1, 2])"
    assert repr(pynn.tensor([True])) == "tensor([True])"  # as torch prints it
    assert repr(leaf([1.0]) * 2).endswith("grad_fn=<MulBackward0>)")


def test_scalar_operand_takes_the_tensor_dtype():
    x = pynn.tensor(np.ones(3, np.float32))
    for y in (x + np.float64(2), np.float64(2) * x, x / 3.0, 1 - x, x ** np.float64(2), -x):
        assert y.dtype == np.float32


def test_dtype_promotion_follows_pytorch():
    x32, x64 = pynn.tensor(np.ones(2, np.float32)), pynn.tensor(np.ones(2, np.float64))
    i64, i32 = pynn.tensor([1, 2]), pynn.tensor(np.array([1, 2], np.int32))
    b = pynn.tensor([True, False])
    assert (x32 + x64).dtype == np.float64
    assert (i64 + 1).dtype == np.int64 and (i64 * 2.5).dtype == np.float32
    assert (i32 + i64).dtype == np.int64 and (i32 + 1).dtype == np.int32
    assert (i64 / 2).dtype == np.float32 and (i64 // 2).dtype == np.int64
    assert (b + 1).dtype == np.int64 and (x32 + i64).dtype == np.float32
    assert (x32 + pynn.tensor(2.0, dtype=pynn.float64)).dtype == np.float32  # a 0-d operand
    assert (x32 * [1, 2]).dtype == np.float32


def test_matmul_refuses_mixed_dtypes_as_pytorch():
    with pytest.raises(RuntimeError, match="same dtype"):
        pynn.ones(2, 2) @ pynn.ones(2, 2, dtype=pynn.float64)


def test_mixed_dtype_gradients_come_back_in_each_leaf_dtype():
    a = pynn.tensor(np.array([1.0, 2.0], np.float32), requires_grad=True)
    b = pynn.tensor(np.array([3.0, 4.0], np.float64), requires_grad=True)
    (a * b).sum().backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float64
    np.testing.assert_array_equal(a.grad, [3.0, 4.0])
    np.testing.assert_array_equal(b.grad, [1.0, 2.0])


def test_numpy_arrays_on_the_left_stay_in_the_graph():
    x = leaf([1.0, 2.0])
    for y in (np.array([2.0, 3.0]) * x, np.array([2.0, 3.0]) + x, np.float64(2) - x,
              np.array([[1.0, 1.0]]) @ x.reshape(2, 1)):
        assert isinstance(y, Tensor) and y.requires_grad


# ---- forward of every op against NumPy, float32 and float64 ----------------------------------

def _forward_cases():
    a, b = rand((3, 4), 1), away_from_zero((3, 4), 2)
    row, col = rand((4,), 3), away_from_zero((3, 1), 4)
    m, batch, batch2 = rand((4, 5), 5), rand((2, 3, 4), 6), rand((2, 4, 5), 7)
    pos = rand((3, 4), 8, 0.1, 2.0)
    return [
        ("add", lambda T: T(a) + T(row), lambda: a + row),
        ("radd", lambda T: 2 + T(a), lambda: 2 + a),
        ("sub", lambda T: T(a) - T(col), lambda: a - col),
        ("rsub", lambda T: 1 - T(a), lambda: 1 - a),
        ("mul", lambda T: T(a) * T(b), lambda: a * b),
        ("rmul", lambda T: 3 * T(a), lambda: 3 * a),
        ("div", lambda T: T(a) / T(col), lambda: a / col),
        ("rdiv", lambda T: 2 / T(b), lambda: 2 / b),
        ("neg", lambda T: -T(a), lambda: -a),
        ("pow", lambda T: T(pos) ** 1.5, lambda: pos ** 1.5),
        ("matmul", lambda T: T(a) @ T(m), lambda: a @ m),
        ("matmul 3-D @ 2-D", lambda T: T(batch) @ T(m), lambda: batch @ m),
        ("matmul 3-D @ 3-D", lambda T: T(batch) @ T(batch2), lambda: batch @ batch2),
        ("sum", lambda T: T(batch).sum(), lambda: batch.sum()),
        ("sum axis", lambda T: T(batch).sum(axis=(0, -1), keepdims=True),
         lambda: batch.sum(axis=(0, 2), keepdims=True)),
        ("mean", lambda T: T(batch).mean(axis=1), lambda: batch.mean(axis=1)),
        ("max", lambda T: T(batch).max(axis=-1).values, lambda: batch.max(axis=-1)),
        ("amax", lambda T: T(batch).amax((0, 2), keepdim=True),
         lambda: batch.max(axis=(0, 2), keepdims=True)),
        ("max all", lambda T: T(batch).max(), lambda: batch.max()),
        ("reshape", lambda T: T(batch).reshape(4, -1), lambda: batch.reshape(4, -1)),
        ("transpose", lambda T: T(batch).transpose(0, 2), lambda: batch.transpose(2, 1, 0)),
        ("T", lambda T: T(batch).T, lambda: batch.T),
        ("exp", lambda T: T(a).exp(), lambda: np.exp(a)),
        ("log", lambda T: T(pos).log(), lambda: np.log(pos)),
        ("tanh", lambda T: T(a).tanh(), lambda: np.tanh(a)),
        ("relu", lambda T: T(a).relu(), lambda: np.maximum(a, 0)),
        ("sigmoid", lambda T: T(a).sigmoid(), lambda: 1 / (1 + np.exp(-a))),
        ("getitem int", lambda T: T(a)[1], lambda: a[1]),
        ("getitem slice", lambda T: T(a)[1:, ::2], lambda: a[1:, ::2]),
        ("getitem array", lambda T: T(a)[[2, 0, 2]], lambda: a[[2, 0, 2]]),
    ]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name, op, expected", _forward_cases(), ids=lambda c: c
                         if isinstance(c, str) else "")
def test_forward_matches_numpy(name, op, expected, dtype):
    def T(array):
        return pynn.tensor(np.asarray(array, dtype=dtype))
    out = op(T)
    want = np.asarray(expected(), dtype=np.float64)
    assert isinstance(out, Tensor) and out.dtype == dtype and out.shape == want.shape
    np.testing.assert_allclose(out.numpy(), want.astype(dtype), **TOL[dtype])


# ---- backward of every op by gradcheck (float64) ----------------------------------------------

BINARY_OPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
}


@SETTINGS
@given(shapes=mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3),
       name=st.sampled_from(sorted(BINARY_OPS)), seed=st.integers(0, 2**16))
def test_gradcheck_binary_ops_with_broadcasting(shapes, name, seed):
    a, b = leaf(away_from_zero(shapes.input_shapes[0], seed)), \
        leaf(away_from_zero(shapes.input_shapes[1], seed + 1))
    assert gradcheck(BINARY_OPS[name], [a, b])


@pytest.mark.parametrize("shape_a, shape_b", [((3, 1), (4,)), ((2, 3, 4), (3, 1)), ((4,), ()),
                                              ((2, 1, 3), (1, 4, 1))])
@pytest.mark.parametrize("name", sorted(BINARY_OPS))
def test_gradcheck_named_broadcasts(shape_a, shape_b, name):
    a, b = leaf(away_from_zero(shape_a, 1)), leaf(away_from_zero(shape_b, 2))
    assert gradcheck(BINARY_OPS[name], [a, b])
    assert gradcheck(BINARY_OPS[name], [b, a])


@pytest.mark.parametrize("op", [lambda x: 2.5 + x, lambda x: 2.5 - x, lambda x: x - 2.5,
                                lambda x: 2.5 * x, lambda x: 2.5 / x, lambda x: x / 2.5,
                                lambda x: -x, lambda x: np.array([1.0, 2.0, 3.0]) * x])
def test_gradcheck_scalar_and_array_operands(op):
    assert gradcheck(op, leaf(away_from_zero((2, 3))))


def test_gradcheck_bias_gradient_through_sum_rows():
    x, b = leaf(rand((5, 3), 1)), leaf(rand((3,), 2))
    assert gradcheck(lambda x, b: x + b, [x, b])


@pytest.mark.parametrize("exponent", [2, 3, 0.5, -1.5, 1])
def test_gradcheck_pow(exponent):
    assert gradcheck(lambda x: x ** exponent, leaf(rand((3, 2), 0, 0.5, 2.0)))


@SETTINGS
@given(m=st.integers(1, 4), k=st.integers(1, 4), n=st.integers(1, 4), seed=st.integers(0, 99))
def test_gradcheck_matmul(m, k, n, seed):
    assert gradcheck(lambda a, b: a @ b, [leaf(rand((m, k), seed)), leaf(rand((k, n), seed + 1))])


def test_gradcheck_batched_matmul():
    a, b, c = leaf(rand((2, 3, 4), 1)), leaf(rand((4, 2), 2)), leaf(rand((2, 4, 2), 3))
    assert gradcheck(lambda a, b: a @ b, [a, b])
    assert gradcheck(lambda a, c: a @ c, [a, c])


def test_matmul_one_side_without_grad():
    a, b = leaf(rand((3, 2), 1)), pynn.tensor(rand((2, 4), 2))
    (a @ b).sum().backward()
    np.testing.assert_allclose(a.grad, np.ones((3, 4)) @ b.numpy().T)
    assert b.grad is None


@pytest.mark.parametrize("a, b, message", [
    ((3, 4), (3, 4), "3x4 and 3x4"), ((2, 3, 4), (2, 5, 2), "6x4 and 5x2"),
    ((2, 3), (4, 5), "2x3 and 4x5")])
def test_matmul_shape_errors_name_both_shapes(a, b, message):
    # a RuntimeError as PyTorch raises, and a ValueError as pynn always did
    for error in (RuntimeError, ValueError):
        with pytest.raises(error, match=message):
            Tensor(np.ones(a)) @ Tensor(np.ones(b))


def test_matmul_backward_uses_transpose_flags(monkeypatch):
    """Forward and backward go through the matmul kernel; the backward transposes by flags."""
    calls = []
    real = backend.kernels.matmul

    def spy(a, b, out, trans_a=False, trans_b=False, **kwargs):
        calls.append((a.shape, b.shape, trans_a, trans_b))
        return real(a, b, out, trans_a, trans_b, **kwargs)
    monkeypatch.setattr(backend.kernels, "matmul", spy)
    a, b = leaf(rand((3, 2))), leaf(rand((2, 4)))
    (a @ b).sum().backward()
    assert calls == [((3, 2), (2, 4), False, False), ((3, 4), (2, 4), False, True),
                     ((3, 2), (3, 4), True, False)]


@SETTINGS
@given(shape=array_shapes(min_dims=0, max_dims=3, max_side=3), data=st.data(),
       reduction=st.sampled_from(["sum", "mean", "max"]), keepdims=st.booleans())
def test_gradcheck_reductions(shape, data, reduction, keepdims):
    ndim = len(shape)
    axis = data.draw(st.one_of(st.none(), st.integers(-ndim, ndim - 1) if ndim else st.none(),
                               st.lists(st.integers(0, max(ndim - 1, 0)), unique=True,
                                        max_size=ndim).map(tuple)))
    # distinct values, at least 0.1 apart, so that max has no ties within eps
    distinct = np.random.default_rng(len(shape)).permutation(int(np.prod(shape))) * 0.1
    x = leaf(distinct.reshape(shape))
    name = "amax" if reduction == "max" else reduction
    assert gradcheck(lambda x: getattr(x, name)(axis, keepdims), x)


def test_max_shares_the_gradient_between_ties():
    x = leaf([[1.0, 3.0, 3.0], [2.0, 0.0, 1.0]])
    x.max().backward()
    np.testing.assert_array_equal(x.grad, [[0, 0.5, 0.5], [0, 0, 0]])


def test_max_along_a_dim_gives_values_and_indices():
    x = leaf([[1.0, 3.0, 2.0], [5.0, 0.0, 1.0]])
    values_, indices = pynn.max(x, 1)
    assert values_.tolist() == [3.0, 5.0] and indices.tolist() == [1, 0]
    assert indices.dtype == np.int64 and x.argmax(dim=1).tolist() == [1, 0]
    values_.sum().backward()
    np.testing.assert_array_equal(x.grad, [[0, 1, 0], [1, 0, 0]])


def test_max_over_a_nan_sends_the_gradient_to_the_nan():
    x = leaf([1.0, np.nan, 3.0])
    x.max().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 1.0, 0.0])


@pytest.mark.parametrize("axis, error", [(2, IndexError), (-3, IndexError), ((0, 0), ValueError),
                                         (1.0, TypeError), (True, TypeError)])
def test_bad_axis(axis, error):
    with pytest.raises(error, match="dim|Dimension"):
        Tensor(np.ones((2, 3))).sum(axis=axis)
    if error is IndexError:  # a ValueError too, as pynn raised before
        with pytest.raises(ValueError):
            Tensor(np.ones((2, 3))).sum(dim=axis)


@pytest.mark.parametrize("op", [
    lambda x: x.reshape(3, 4), lambda x: x.reshape((2, -1)), lambda x: x.reshape(-1),
    lambda x: x.transpose(0, 2), lambda x: x.transpose(-1, 1), lambda x: x.T,
    lambda x: x[1], lambda x: x[:, 1:], lambda x: x[[1, 0, 1]], lambda x: x[..., [1, 1, 0]],
    lambda x: x[1, 2, 0],
])
def test_gradcheck_shape_ops(op):
    assert gradcheck(op, leaf(rand((2, 3, 2))))


def test_getitem_adds_up_repeated_indices():
    x = leaf([1.0, 2.0, 3.0])
    x[[0, 0, 2]].sum().backward()
    np.testing.assert_array_equal(x.grad, [2.0, 0.0, 1.0])


@pytest.mark.parametrize("name", ["exp", "tanh", "sigmoid", "relu"])
@SETTINGS
@given(shape=array_shapes(min_dims=0, max_dims=3, max_side=4), seed=st.integers(0, 999))
def test_gradcheck_elementwise(name, shape, seed):
    assert gradcheck(lambda x: getattr(x, name)(), leaf(away_from_zero(shape, seed) * 2))


@SETTINGS
@given(shape=array_shapes(min_dims=0, max_dims=3, max_side=4), seed=st.integers(0, 999))
def test_gradcheck_log(shape, seed):
    assert gradcheck(lambda x: x.log(), leaf(rand(shape, seed, 0.2, 3.0)))


def test_gradcheck_composite():
    x, w, b = leaf(rand((4, 3), 1)), leaf(rand((3, 2), 2)), leaf(rand((2,), 3))
    assert gradcheck(lambda x, w, b: ((x @ w + b).tanh() * 2 - x.mean()).exp().sum(), [x, w, b])


@pytest.mark.parametrize("x", [1000.0, -1000.0])
def test_sigmoid_at_extremes_is_finite(x):
    for dtype in FLOATS:
        t = pynn.tensor(np.array([x], dtype), requires_grad=True)
        y = t.sigmoid()
        y.sum().backward()
        assert np.isfinite(values(y)).all() and np.isfinite(t.grad).all()
        assert y.item() == (1.0 if x > 0 else 0.0)


def test_relu_sigmoid_and_tanh_go_through_the_kernels():
    x = leaf([-1.0, 2.0])
    (x.relu() + x.sigmoid() + x.tanh()).sum().backward()
    np.testing.assert_allclose(x.grad, [0.19661193324148185 + 1 - np.tanh(-1.0) ** 2,
                                        1.1049935854035065 + 1 - np.tanh(2.0) ** 2])
    assert x.relu().grad_fn.name == "ReluBackward0"


# ---- the engine --------------------------------------------------------------------------------

def test_a_chain_of_100000_ops_backward():
    x = leaf([1.0])
    y = x
    for _ in range(100_000):
        y = y * 1.0 + 0.0  # two ops per step
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [1.0])


def test_a_deep_graph_is_freed_without_backward():
    x = leaf([1.0])
    y = x
    for _ in range(100_000):
        y = y + 1.0
    del y  # dropping the only reference to the chain must not overflow the C stack


def test_a_value_used_several_times_gets_every_contribution():
    x = leaf([2.0, 3.0])
    y = x * x + x * 3 + x.exp().sum()  # d/dx = 2x + 3 + exp(x)
    y.sum().backward()
    np.testing.assert_allclose(x.grad, 2 * values(x) + 3 + 2 * np.exp(values(x)))


def test_gradients_accumulate_over_backward_calls():
    x = leaf([1.0, 2.0])
    (x * 3).sum().backward()
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0 + 2.0, 3.0 + 4.0])


def test_leaf_grads_are_owned_copies():
    """add's backward hands the same array to both parents; their .grad must not share it."""
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    gradient = np.array([1.0, 1.0])
    (a + b).backward(gradient)
    a.grad += 1
    np.testing.assert_array_equal(b.grad, [1.0, 1.0])
    np.testing.assert_array_equal(gradient, [1.0, 1.0])
    assert a.grad.numpy().flags.c_contiguous and b.grad.numpy().flags.writeable


def test_a_leaf_keeps_a_gradient_array_only_if_nothing_else_holds_it():
    """Without a copy, a leaf keeps only a gradient array nothing else holds: not one a custom
    op keeps returning, nor the implied gradient of a scalar."""
    kept = np.array([1.0, 2.0])
    x = leaf([0.0, 0.0])
    Tensor.from_op(values(x).copy(), (x,), lambda g: (kept,)).backward(np.ones(2))
    x.grad += 1
    np.testing.assert_array_equal(kept, [1.0, 2.0])
    s = leaf(2.0)
    s.backward()
    s.grad += 5
    (s * 1.0).backward()
    assert s.grad == 7.0


def test_only_leaves_keep_grad():
    x = leaf([1.0, 2.0])
    h = x * 2
    h.sum().backward()
    assert h.grad is None and x.grad is not None


def test_requires_grad_propagates():
    x, c = leaf([1.0]), pynn.tensor([2.0], dtype=pynn.float64)
    assert (x * c).requires_grad and (c * x + 1).requires_grad
    assert not (c * 2).requires_grad


def test_no_grad_records_nothing():
    x = leaf([1.0, 2.0])
    with no_grad():
        y = (x * 2).sum()
        assert not pynn.is_grad_enabled()
    assert pynn.is_grad_enabled()
    assert not y.requires_grad and y.is_leaf and y.grad_fn is None
    with pytest.raises(RuntimeError, match="does not require grad"):
        y.backward()


def test_no_grad_nests_restores_after_errors_and_decorates():
    with no_grad():
        with no_grad():
            pass
        assert not pynn.is_grad_enabled()
    with pytest.raises(KeyError):
        with no_grad():
            raise KeyError
    assert pynn.is_grad_enabled()

    @no_grad()
    def evaluate(x):
        return x * 2
    assert not evaluate(leaf([1.0])).requires_grad
    assert evaluate.__name__ == "evaluate"


def test_no_grad_is_per_thread():
    seen = []
    inside, release = threading.Event(), threading.Event()

    def evaluate():
        with no_grad():
            inside.set()
            release.wait(5)
    thread = threading.Thread(target=evaluate)
    thread.start()
    inside.wait(5)
    seen.append((leaf([1.0]) * 2).requires_grad)  # this thread still records
    release.set()
    thread.join()
    assert seen == [True]


def test_second_backward_raises_mentioning_retain_graph():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph"):
        y.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])  # the first pass's result stands


def test_second_backward_through_a_shared_freed_node_raises():
    x = leaf([1.0])
    h = x.exp()
    h.sum().backward()
    with pytest.raises(RuntimeError, match="retain_graph"):
        (h * 2).sum().backward()


def test_retain_graph_runs_again_and_accumulates():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_array_equal(x.grad, [6.0, 12.0])
    with pytest.raises(RuntimeError, match="retain_graph"):
        y.backward()


def test_backward_on_a_leaf():
    x = leaf(3.0)
    x.backward()
    assert x.grad == 1.0


def test_backward_needs_a_gradient_for_non_scalars():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match=r"\(2,\)"):
        (x * 2).backward()
    (x * 2).backward([1.0, 10.0])
    np.testing.assert_array_equal(x.grad, [2.0, 20.0])
    leaf([[5.0]]).backward()  # one element of any shape is enough


def test_backward_gradient_shape_must_match():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match=r"\(3,\).*\(2,\)"):
        (x * 2).backward(np.ones(3))
    with pytest.raises(TypeError, match="gradient"):
        (x * 2).backward(["a", "b"])


def test_pow_with_a_tensor_exponent_and_at_zero():
    x, p = leaf([2.0, 0.5]), leaf([3.0, 2.0])
    assert gradcheck(lambda x, p: x ** p, [x, p])
    assert gradcheck(lambda p: 2.0 ** p, [p])
    z = leaf([0.0, 2.0])
    (z ** 0).sum().backward()  # d/dx x**0 is 0 everywhere, 0 included, as PyTorch gives it
    np.testing.assert_array_equal(z.grad, [0.0, 0.0])


def test_public_names():
    for name in ("Tensor", "tensor", "no_grad", "is_grad_enabled", "gradcheck", "GradcheckError",
                 "get_num_threads", "set_num_threads", "functional", "__version__"):
        assert hasattr(pynn, name), name
    assert pynn.get_num_threads() >= 1
