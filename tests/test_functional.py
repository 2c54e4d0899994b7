"""pynn.functional: forward against NumPy formulas, backward by gradcheck, stability at +-1000,
and the errors for targets and shapes that do not fit."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import array_shapes

import pynn
from pynn import Tensor, backend, functional as F, gradcheck
from pynn.ops.dense import dense_stack

SETTINGS = settings(max_examples=20, deadline=None)
FLOATS = [np.float32, np.float64]
TOL = {np.float32: dict(rtol=1e-5, atol=1e-6), np.float64: dict(rtol=1e-12, atol=1e-12)}


def rand(shape, seed=0, low=-2.0, high=2.0):
    return np.random.default_rng(seed).uniform(low, high, shape)


def leaf(array):
    return pynn.tensor(np.array(array, dtype=np.float64), requires_grad=True)


def values(t):
    return t.detach().numpy()


def T(array):
    """A tensor of an array, its dtype kept."""
    return pynn.tensor(np.asarray(array))


def np_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def np_log_softmax(x, axis):
    z = x - x.max(axis=axis, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


# ---- activations, softmax --------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS)
def test_activations_forward(dtype):
    x = rand((3, 4)).astype(dtype)
    for fn, want in ((F.relu, np.maximum(x, 0)), (F.sigmoid, np_sigmoid(x)),
                     (F.tanh, np.tanh(x)), (F.softmax, np.exp(np_log_softmax(x, -1))),
                     (F.log_softmax, np_log_softmax(x, -1))):
        out = fn(T(x))
        assert out.dtype == dtype
        np.testing.assert_allclose(out.numpy(), want.astype(dtype), **TOL[dtype])


def test_activations_accept_arrays():
    np.testing.assert_array_equal(F.relu([-1.0, 2.0]).numpy(), [0.0, 2.0])


@pytest.mark.parametrize("fn", [F.relu, F.sigmoid, F.tanh])
def test_gradcheck_activations(fn):
    assert gradcheck(fn, leaf(rand((3, 4)) + 0.05))  # + 0.05: no value within eps of relu's kink


@SETTINGS
@given(shape=array_shapes(min_dims=1, max_dims=3, max_side=4), data=st.data(),
       name=st.sampled_from(["softmax", "log_softmax"]), seed=st.integers(0, 999))
def test_gradcheck_softmax(shape, data, name, seed):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    assert gradcheck(lambda x: getattr(F, name)(x, dim=dim), leaf(rand(shape, seed)))


def test_softmax_dim_follows_pytorch():
    x = rand((2, 3))
    np.testing.assert_allclose(F.softmax(T(x), dim=0).numpy().sum(axis=0), [1.0] * 3)
    np.testing.assert_allclose(F.log_softmax(T(x), 0).numpy(), np_log_softmax(x, 0))


@pytest.mark.parametrize("scale", [1000.0, -1000.0])
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_at_extremes_is_finite(name, scale):
    x = leaf([[scale, 0.0, -scale], [scale, scale, 0.0]])
    out = getattr(F, name)(x, dim=-1)
    (out * T(rand((2, 3)))).sum().backward()
    assert np.isfinite(values(out)).all() and np.isfinite(x.grad).all()
    if name == "log_softmax":
        np.testing.assert_allclose(values(out), np_log_softmax(values(x), -1))


# ---- linear and dense ----------------------------------------------------------------------------

ACTIVATIONS = [(None, lambda z: z), ("relu", lambda z: np.maximum(z, 0)),
               ("sigmoid", np_sigmoid), ("tanh", np.tanh)]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("activation, act", ACTIVATIONS)
def test_linear_and_dense_forward(activation, act, dtype):
    x, w, b = (rand(s, i).astype(dtype) for i, s in enumerate([(5, 3), (4, 3), (4,)]))
    want = act(x.astype(np.float64) @ w.T.astype(np.float64) + b).astype(dtype)
    kernel = np.ascontiguousarray(w.T)
    out = F.dense(T(x), T(kernel), T(b), activation)
    assert out.dtype == dtype and out.shape == (5, 4)
    np.testing.assert_allclose(out.numpy(), want, **TOL[dtype])
    np.testing.assert_allclose(F.linear(T(x), T(w), T(b)).numpy(),
                               (x.astype(np.float64) @ w.T + b).astype(dtype), **TOL[dtype])
    np.testing.assert_allclose(F.linear(T(x), T(w)).numpy(),
                               (x.astype(np.float64) @ w.T).astype(dtype), **TOL[dtype])


@pytest.mark.parametrize("activation", [None, "relu", "sigmoid", "tanh"])
@pytest.mark.parametrize("with_bias", [True, False])
def test_gradcheck_linear_and_dense(activation, with_bias):
    x, w, b = leaf(rand((5, 3), 1)), leaf(rand((4, 3), 2)), leaf(rand((4,), 3))
    kernel = leaf(values(w).T)
    if with_bias:
        assert gradcheck(lambda x, w, b: F.dense(x, w, b, activation=activation),
                         [x, kernel, b])
        assert gradcheck(lambda x, w, b: F.linear(x, w, b), [x, w, b])
    else:
        assert gradcheck(lambda x, w: F.dense(x, w, activation=activation), [x, kernel])
        assert gradcheck(lambda x, w: F.linear(x, w), [x, w])


def test_gradcheck_linear_on_3d_and_1d_input():
    x, w, b = leaf(rand((2, 3, 4), 1)), leaf(rand((5, 4), 2)), leaf(rand((5,), 3))
    assert F.linear(x, w, b).shape == (2, 3, 5)
    assert gradcheck(lambda x, w, b: F.linear(x, w, b).relu(), [x, w, b])
    v = leaf(rand((4,), 4))
    assert F.linear(v, w, b).shape == (5,)
    assert gradcheck(lambda v, w, b: F.linear(v, w, b), [v, w, b])


def test_dense_is_one_node_and_skips_gradients_nobody_needs(monkeypatch):
    calls = []
    for name in ("matmul", "linear_backward"):
        real = getattr(backend.kernels, name)
        monkeypatch.setattr(backend.kernels, name,
                            lambda *a, _n=name, _f=real, **k: calls.append((_n, a)) or _f(*a, **k))
    x = pynn.tensor(rand((4, 2)))  # the data: no gradient wanted
    w, b = leaf(rand((2, 3))), leaf(rand((3,)))
    out = F.dense(x, w, b, activation="relu")
    assert [c[0] for c in calls] == ["matmul"]
    out.sum().backward()
    assert [c[0] for c in calls] == ["matmul", "linear_backward"]
    assert calls[-1][1][5] is None  # no gradient computed for x (dx is None)
    z = values(x) @ values(w) + values(b)
    np.testing.assert_allclose(w.grad, values(x).T @ (z > 0))
    np.testing.assert_allclose(b.grad, (z > 0).sum(axis=0))


@pytest.mark.parametrize("trans", [True, False])
def test_a_stack_is_its_layers_one_by_one(trans):
    """A stack of layers is one node with the values and gradients of its layers applied one by
    one, bit for bit; gradcheck agrees; layers that do not fit are refused."""
    sizes = [(3, 4), (4, 2), (2, 5)]
    ws = [leaf(rand((n, k) if trans else (k, n), seed=i)) for i, (k, n) in enumerate(sizes)]
    b1, b3 = leaf(rand((4,), seed=7)), leaf(rand((5,), seed=8))
    x = leaf(rand((6, 3), seed=9))

    def layers(ws, b1, b3):
        return [(ws[0], b1, "relu"), (ws[1], None, "sigmoid"), (ws[2], b3, "tanh")]

    def one(h, w, b, act):
        return dense_stack(h, [(w, b, act)], trans_w=trans)

    out = dense_stack(x, layers(ws, b1, b3), trans_w=trans)
    out.sum().backward()
    grads = [t.grad for t in (x, *ws, b1, b3)]
    for t in (x, *ws, b1, b3):
        t.grad = None
    ref = one(one(one(x, ws[0], b1, "relu"), ws[1], None, "sigmoid"), ws[2], b3, "tanh")
    np.testing.assert_array_equal(values(out), values(ref))
    ref.sum().backward()
    for got, t in zip(grads, (x, *ws, b1, b3)):
        np.testing.assert_array_equal(got, t.grad)
    assert gradcheck(lambda x, w1, w2, w3, b1, b3: dense_stack(
        x, layers([w1, w2, w3], b1, b3), trans_w=trans), [x, *ws, b1, b3])
    with pytest.raises(ValueError, match="cannot be multiplied"):
        dense_stack(x, [(ws[0], b1, None), (ws[0], None, None)], trans_w=trans)


def read_only(a):
    a = a.copy()
    a.flags.writeable = False
    return a


# The same values in the layouts a Tensor's memory can have (from_numpy shares it as it is):
# the dense stack and BCE convert what the kernels cannot take as it is.
LAYOUTS = {"Fortran": np.asfortranarray, "transposed": lambda a: np.ascontiguousarray(a.T).T,
           "strided": lambda a: np.repeat(a, 2, axis=-1)[..., ::2], "read-only": read_only}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("which", ["input", "weight", "bias", "second weight"])
def test_a_stack_takes_its_arrays_in_any_layout(which, layout):
    def run(relaid):
        arrays = [rand(s, seed=i).astype(np.float32) for i, s in
                  enumerate([(5, 3), (3, 4), (4,), (4, 2)])]
        if relaid:
            i = ["input", "weight", "bias", "second weight"].index(which)
            arrays[i] = LAYOUTS[layout](arrays[i])
        ts = [pynn.from_numpy(a).requires_grad_() for a in arrays]
        x, w1, b1, w2 = ts
        out = dense_stack(x, [(w1, b1, "relu"), (w2, None, "sigmoid")], trans_w=False)
        out.sum().backward()
        return values(out), [t.grad for t in ts]

    (out, grads), (plain_out, plain_grads) = run(True), run(False)
    np.testing.assert_array_equal(out, plain_out)
    for g, want in zip(grads, plain_grads):
        np.testing.assert_array_equal(g, want)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("which", ["logits", "target"])
def test_bce_with_logits_takes_its_arrays_in_any_layout(which, layout):
    def run(relaid):
        z = rand((4, 3), seed=1).astype(np.float32)
        t = (rand((4, 3), seed=2) > 0).astype(np.float32)
        if relaid and which == "logits":
            z = LAYOUTS[layout](z)
        elif relaid:
            t = LAYOUTS[layout](t)
        z = pynn.from_numpy(z).requires_grad_()
        loss = F.binary_cross_entropy_with_logits(z, pynn.from_numpy(t))
        loss.backward()
        return loss.item(), z.grad

    (loss, grad), (plain_loss, plain_grad) = run(True), run(False)
    assert loss == plain_loss
    np.testing.assert_array_equal(grad, plain_grad)


@pytest.mark.parametrize("call, match", [
    (lambda: F.linear(T(np.ones((4, 3))), T(np.ones((2, 4)))), r"4x3 and 4x2"),
    (lambda: F.dense(T(np.ones((4, 3))), T(np.ones((2, 4)))), r"4x3 and 2x4"),
    (lambda: F.dense(T(np.ones((4, 3))), T(np.ones((3, 2))), T(np.ones(3))), r"\(2,\).*\(3,\)"),
    (lambda: F.linear(T(np.ones((4, 3))), T(np.ones(3))), "2-D"),
    (lambda: F.dense(T(np.ones((4, 3))), T(np.ones((3, 2))), activation="softmax"), "relu"),
])
def test_linear_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_linear_refuses_mixed_dtypes_as_pytorch():
    with pytest.raises(RuntimeError, match="same dtype"):
        F.linear(pynn.ones(2, 3, dtype=pynn.float64), pynn.ones(4, 3))


# ---- losses --------------------------------------------------------------------------------------

def probabilities(shape, seed=0):
    return np.random.default_rng(seed).uniform(0.05, 0.95, shape)


def binary_targets(shape, seed=1):
    return np.random.default_rng(seed).integers(0, 2, shape).astype(np.float64)


def soft_targets(shape, seed=1):
    return np.random.default_rng(seed).uniform(0, 1, shape)


ELEMENTWISE_LOSSES = {
    "binary_cross_entropy": (probabilities, lambda p, t: -(t * np.log(p) + (1 - t) * np.log(1 - p))),
    "binary_cross_entropy_with_logits": (
        rand, lambda z, t: -(t * np.log(np_sigmoid(z)) + (1 - t) * np.log(1 - np_sigmoid(z)))),
    "mse_loss": (rand, lambda x, t: (x - t) ** 2),
    "l1_loss": (rand, lambda x, t: np.abs(x - t)),
}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", sorted(ELEMENTWISE_LOSSES))
def test_elementwise_losses_forward(name, reduction, dtype):
    make_input, formula = ELEMENTWISE_LOSSES[name]
    x, t = make_input((6, 2)), soft_targets((6, 2))
    want = formula(x, t)
    want = {"mean": want.mean(), "sum": want.sum(), "none": want}[reduction]
    out = getattr(F, name)(T(x.astype(dtype)), t.astype(dtype), reduction=reduction)
    assert out.dtype == dtype and out.shape == np.shape(want)
    np.testing.assert_allclose(out.numpy(), want, rtol=2e-6 if dtype == np.float32 else 1e-10)


@SETTINGS
@given(shape=array_shapes(min_dims=0, max_dims=3, max_side=4),
       name=st.sampled_from(sorted(ELEMENTWISE_LOSSES)),
       reduction=st.sampled_from(["mean", "sum", "none"]), seed=st.integers(0, 999))
def test_gradcheck_elementwise_losses_in_input_and_target(shape, name, reduction, seed):
    make_input, _ = ELEMENTWISE_LOSSES[name]
    x, t = make_input(shape, seed), soft_targets(shape, seed + 1)
    if name == "l1_loss":
        t = x - np.where(rand(shape, seed + 2) > 0, 0.5, -0.5)  # no |x - t| within eps of 0
    assert gradcheck(lambda x, t: getattr(F, name)(x, t, reduction=reduction),
                     [leaf(x), leaf(t)])


def test_bce_with_logits_mean_goes_through_the_kernel(monkeypatch):
    calls = []
    real = backend.kernels.bce_logits
    monkeypatch.setattr(backend.kernels, "bce_logits",
                        lambda z, t, grad=None, **k: calls.append(grad is not None)
                        or real(z, t, grad, **k))
    z = leaf(rand((4, 1)))
    F.binary_cross_entropy_with_logits(z, binary_targets((4, 1))).backward()
    F.binary_cross_entropy_with_logits(z.detach(), binary_targets((4, 1)))
    assert calls == [True, False]  # no gradient is computed when none is wanted


def test_bce_clamps_its_logs_at_minus_100_as_pytorch():
    p = leaf([0.0, 1.0, 0.5])
    loss = F.binary_cross_entropy(p, [1.0, 0.0, 1.0], reduction="none")
    np.testing.assert_allclose(values(loss), [100.0, 100.0, np.log(2)], rtol=1e-12)
    loss.sum().backward()
    np.testing.assert_allclose(p.grad, [-1e12, 1e12, -2.0])  # (p - t) / max(p (1 - p), 1e-12)
    with pytest.raises(RuntimeError, match="between 0 and 1"):
        F.binary_cross_entropy(T([1.5]), T([1.0]))


def test_bce_agrees_with_bce_with_logits():
    z = rand((8, 1), 3, -5, 5)
    t = binary_targets((8, 1))
    a = F.binary_cross_entropy(F.sigmoid(T(z)), t).item()
    b = F.binary_cross_entropy_with_logits(T(z), t).item()
    assert abs(a - b) < 1e-12


def test_bce_weights():
    p, t, w = probabilities((4, 2)), binary_targets((4, 2)), rand((2,), 3, 0.5, 2.0)
    plain = -(t * np.log(p) + (1 - t) * np.log(1 - p))
    got = F.binary_cross_entropy(T(p), T(t), weight=T(w), reduction="none")
    np.testing.assert_allclose(got.numpy(), plain * w)
    z = rand((4, 2), 4)
    pos = rand((2,), 5, 0.5, 3.0)
    want = -(pos * t * np.log(np_sigmoid(z)) + (1 - t) * np.log(1 - np_sigmoid(z)))
    got = F.binary_cross_entropy_with_logits(T(z), T(t), pos_weight=T(pos), reduction="none")
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-12)
    assert gradcheck(lambda z: F.binary_cross_entropy_with_logits(z, T(t), weight=T(w),
                                                                  pos_weight=T(pos)), leaf(z))


@pytest.mark.parametrize("scale", [1000.0, -1000.0])
def test_bce_at_extremes_is_finite(scale):
    z = leaf([[scale], [-scale], [0.0]])
    t = [[1.0], [1.0], [0.0]]
    for loss in (F.binary_cross_entropy(F.sigmoid(z), t),
                 F.binary_cross_entropy_with_logits(z, t),
                 F.binary_cross_entropy_with_logits(z, t, reduction="sum")):
        z.grad = None
        loss.backward()
        assert np.isfinite(loss.item()) and np.isfinite(z.grad).all()
    # from logits the loss is exact: a wrong answer at -1000 costs 1000, not a clamped 100
    assert F.binary_cross_entropy_with_logits(Tensor([-1000.0]), [1.0]).item() == 1000.0


def test_the_mean_loss_of_an_empty_batch_is_nan_as_in_pytorch():
    for fn in (F.binary_cross_entropy_with_logits, F.binary_cross_entropy, F.mse_loss,
               F.l1_loss):
        assert np.isnan(fn(pynn.zeros(0, 1), pynn.zeros(0, 1)).item())


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_forward(reduction, dtype):
    x, t = rand((5, 3)), np.array([0, 2, 1, 2, 0])
    want = -np_log_softmax(x, 1)[np.arange(5), t]
    want = {"mean": want.mean(), "sum": want.sum(), "none": want}[reduction]
    for target in (t, pynn.tensor(t)):
        out = F.cross_entropy(T(x.astype(dtype)), target, reduction=reduction)
        assert out.dtype == dtype
        np.testing.assert_allclose(out.numpy(), want, rtol=2e-6 if dtype == np.float32 else 1e-12)


@SETTINGS
@given(n=st.integers(1, 5), classes=st.integers(1, 4), seed=st.integers(0, 999),
       reduction=st.sampled_from(["mean", "sum", "none"]))
def test_gradcheck_cross_entropy(n, classes, seed, reduction):
    t = np.random.default_rng(seed).integers(0, classes, n)
    assert gradcheck(lambda x: F.cross_entropy(x, t, reduction=reduction),
                     leaf(rand((n, classes), seed)))


def test_cross_entropy_with_class_probabilities_weights_and_smoothing():
    x = leaf(rand((4, 3), 1))
    probs = np.random.default_rng(2).dirichlet([1, 1, 1], 4)
    want = -(np_log_softmax(values(x), 1) * probs).sum(axis=1).mean()
    assert abs(F.cross_entropy(x, T(probs)).item() - want) < 1e-12
    assert gradcheck(lambda x, p: F.cross_entropy(x, p), [x, leaf(probs)])
    t = pynn.tensor([0, 2, 1, 2])
    w = T([1.0, 2.0, 0.5])
    for kwargs in ({"weight": w}, {"label_smoothing": 0.1}, {"ignore_index": 2}):
        assert gradcheck(lambda x: F.cross_entropy(x, t, **kwargs), x)


def test_nll_loss_after_log_softmax_is_cross_entropy():
    x, t = leaf(rand((5, 4), 3)), pynn.tensor([3, 0, 1, 1, 2])
    a = F.nll_loss(F.log_softmax(x, dim=1), t)
    b = F.cross_entropy(x, t)
    assert abs(a.item() - b.item()) < 1e-12
    assert gradcheck(lambda x: F.nll_loss(F.log_softmax(x, dim=1), t), x)


def test_cross_entropy_at_extremes_is_finite():
    x = leaf([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0]])
    loss = F.cross_entropy(x, [1, 1])
    loss.backward()
    assert loss.item() == 1000.0 and np.isfinite(x.grad).all()


@pytest.mark.parametrize("target, error, match", [
    (np.array([0.0, 1.0]), ValueError, r"target size .*2\].*input size .*2, 3"),
    ([0, 3], IndexError, "Target 3 is out of bounds"),
    ([-1, 0], IndexError, "-1"),
    ([0, 1, 1], ValueError, r"\(2, 3\).*\(3,\)"),
    ([[0], [1]], ValueError, r"\(2, 1\)"),
    (["a", "b"], TypeError, "target"),
])
def test_cross_entropy_refuses_bad_targets(target, error, match):
    with pytest.raises(error, match=match):
        F.cross_entropy(T(np.zeros((2, 3))), target)


def test_cross_entropy_of_one_sample():
    assert abs(F.cross_entropy(T(np.zeros(3)), pynn.tensor(1)).item() - np.log(3)) < 1e-12


@pytest.mark.parametrize("name", ["binary_cross_entropy", "binary_cross_entropy_with_logits"])
def test_bce_refuses_shape_mismatch_naming_both(name):
    with pytest.raises(ValueError, match=r"\[4\].*\[4, 1\]"):
        getattr(F, name)(T(np.full((4, 1), 0.5)), np.zeros(4))


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss"])
def test_regression_losses_broadcast_with_pytorchs_warning(name):
    x = leaf(np.full((4, 1), 0.5))
    with pytest.warns(UserWarning, match="target size.*different to the input size"):
        loss = getattr(F, name)(x, np.zeros(4))
    assert loss.item() == pytest.approx(0.25 if name == "mse_loss" else 0.5)


@pytest.mark.parametrize("name", sorted(ELEMENTWISE_LOSSES) + ["cross_entropy"])
def test_losses_refuse_unknown_reductions(name):
    target = [0, 1] if name == "cross_entropy" else np.zeros((2, 2))
    with pytest.raises(ValueError, match="avg is not a valid value for reduction"):
        getattr(F, name)(T(np.full((2, 2), 0.5)), target, reduction="avg")


def test_a_target_that_requires_grad_gets_its_gradient():
    """F.mse_loss(y, y_pred) with the arguments swapped trains, as in PyTorch."""
    x = leaf([[0.2], [0.7]])
    t = leaf([[0.0], [1.0]])
    F.mse_loss(t, x).backward()
    np.testing.assert_allclose(t.grad, [[-0.2], [0.3]])
    np.testing.assert_allclose(x.grad, [[0.2], [-0.3]])
    for target in ([[0.0], [1.0]], np.array([[0], [1]])):
        F.mse_loss(x, target).backward()
    np.testing.assert_allclose(x.grad, 3 * np.array([[0.2], [-0.3]]))


def test_bad_targets_are_refused():
    with pytest.raises(TypeError, match="target|str"):
        F.mse_loss(Tensor([1.0]), ["a"])


def test_against_torch_if_available():
    torch = pytest.importorskip("torch")
    x, w, b = rand((5, 3), 1), rand((4, 3), 2), rand((4,), 3)
    t = np.array([0, 3, 1, 2, 3])
    ours = [leaf(x), leaf(w), leaf(b)]
    F.cross_entropy(F.linear(*ours).relu(), t).backward()
    theirs = [torch.tensor(a, requires_grad=True) for a in (x, w, b)]
    torch.nn.functional.cross_entropy(torch.relu(torch.nn.functional.linear(*theirs)),
                                      torch.tensor(t)).backward()
    for a, b_ in zip(ours, theirs):
        np.testing.assert_allclose(a.grad, b_.grad.numpy(), rtol=1e-10, atol=1e-12)
