"""pynn.functional: forward against NumPy formulas, backward by gradcheck, stability at +-1000,
and the errors for targets and shapes that do not fit."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import array_shapes

from pynn import Tensor, backend, functional as F, gradcheck

SETTINGS = settings(max_examples=20, deadline=None)
FLOATS = [np.float32, np.float64]
TOL = {np.float32: dict(rtol=1e-5, atol=1e-6), np.float64: dict(rtol=1e-12, atol=1e-12)}


def rand(shape, seed=0, low=-2.0, high=2.0):
    return np.random.default_rng(seed).uniform(low, high, shape)


def leaf(array):
    return Tensor(np.array(array, dtype=np.float64), requires_grad=True)


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
        out = fn(Tensor(x))
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
    np.testing.assert_allclose(F.softmax(Tensor(x), dim=0).numpy().sum(axis=0), [1.0] * 3)
    np.testing.assert_allclose(F.log_softmax(Tensor(x), 0).numpy(), np_log_softmax(x, 0))


@pytest.mark.parametrize("scale", [1000.0, -1000.0])
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_at_extremes_is_finite(name, scale):
    x = leaf([[scale, 0.0, -scale], [scale, scale, 0.0]])
    out = getattr(F, name)(x)
    (out * Tensor(rand((2, 3)))).sum().backward()
    assert np.isfinite(out.numpy()).all() and np.isfinite(x.grad).all()
    if name == "log_softmax":
        np.testing.assert_allclose(out.numpy(), np_log_softmax(x.data, -1))


# ---- linear and dense ----------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("activation, act", [(None, lambda z: z),
                                             ("relu", lambda z: np.maximum(z, 0)),
                                             ("sigmoid", np_sigmoid)])
def test_linear_and_dense_forward(activation, act, dtype):
    x, w, b = (rand(s, i).astype(dtype) for i, s in enumerate([(5, 3), (4, 3), (4,)]))
    want = act(x.astype(np.float64) @ w.T.astype(np.float64) + b).astype(dtype)
    out = F.linear(Tensor(x), Tensor(w), Tensor(b), activation)
    assert out.dtype == dtype and out.shape == (5, 4)
    np.testing.assert_allclose(out.numpy(), want, **TOL[dtype])
    kernel = np.ascontiguousarray(w.T)
    np.testing.assert_allclose(F.dense(Tensor(x), Tensor(kernel), Tensor(b), activation).numpy(),
                               want, **TOL[dtype])
    np.testing.assert_allclose(F.linear(Tensor(x), Tensor(w)).numpy(),
                               (x.astype(np.float64) @ w.T).astype(dtype), **TOL[dtype])


@pytest.mark.parametrize("fn", [F.linear, F.dense])
@pytest.mark.parametrize("activation", [None, "relu", "sigmoid"])
@pytest.mark.parametrize("with_bias", [True, False])
def test_gradcheck_linear_and_dense(fn, activation, with_bias):
    x, w, b = leaf(rand((5, 3), 1)), leaf(rand((4, 3), 2)), leaf(rand((4,), 3))
    if fn is F.dense:
        w = leaf(w.data.T)
    if with_bias:
        assert gradcheck(lambda x, w, b: fn(x, w, b, activation=activation), [x, w, b])
    else:
        assert gradcheck(lambda x, w: fn(x, w, activation=activation), [x, w])


def test_gradcheck_linear_on_3d_input():
    x, w, b = leaf(rand((2, 3, 4), 1)), leaf(rand((5, 4), 2)), leaf(rand((5,), 3))
    assert F.linear(x, w, b).shape == (2, 3, 5)
    assert gradcheck(lambda x, w, b: F.linear(x, w, b, activation="relu"), [x, w, b])


def test_dense_is_one_node_and_skips_gradients_nobody_needs(monkeypatch):
    calls, results = [], []
    for name in ("_linear_unchecked", "_linear_backward_unchecked"):
        real = getattr(backend, name)
        monkeypatch.setattr(backend, name, lambda *a, _n=name, _f=real, **k: calls.append(_n)
                            or results.append(_f(*a, **k)) or results[-1])
    x = Tensor(rand((4, 2)))  # the data: no gradient wanted
    w, b = leaf(rand((2, 3))), leaf(rand((3,)))
    out = F.dense(x, w, b, activation="relu")
    assert out._parents == (x, w, b) and calls == ["_linear_unchecked"]
    out.sum().backward()
    assert calls == ["_linear_unchecked", "_linear_backward_unchecked"]
    assert results[-1][0] is None  # no gradient computed for x
    z = x.data @ w.data + b.data
    np.testing.assert_allclose(w.grad, x.data.T @ (z > 0))
    np.testing.assert_allclose(b.grad, (z > 0).sum(axis=0))


@pytest.mark.parametrize("stack, one, trans", [(F.linear_stack, F.linear, True),
                                                (F.dense_stack, F.dense, False)])
def test_a_stack_is_its_layers_one_by_one(stack, one, trans):
    """A stack of layers is one node with the values and gradients of its layers applied one by
    one, bit for bit; gradcheck agrees; bad layers are refused."""
    sizes = [(3, 4), (4, 2), (2, 5)]
    ws = [leaf(rand((n, k) if trans else (k, n), seed=i)) for i, (k, n) in enumerate(sizes)]
    b1, b3 = leaf(rand((4,), seed=7)), leaf(rand((5,), seed=8))
    x = leaf(rand((6, 3), seed=9))

    def layers(ws, b1, b3):
        return [(ws[0], b1, "relu"), (ws[1], None, "sigmoid"), (ws[2], b3, None)]

    out = stack(x, layers(ws, b1, b3))
    assert out._parents == (x, ws[2], b3, ws[1], ws[0], b1)
    out.sum().backward()
    grads = [t.grad for t in (x, *ws, b1, b3)]
    for t in (x, *ws, b1, b3):
        t.grad = None
    ref = one(one(one(x, ws[0], b1, "relu"), ws[1], None, "sigmoid"), ws[2], b3)
    np.testing.assert_array_equal(out.data, ref.data)
    ref.sum().backward()
    for got, t in zip(grads, (x, *ws, b1, b3)):
        np.testing.assert_array_equal(got, t.grad)
    assert gradcheck(lambda x, w1, w2, w3, b1, b3: stack(x, layers([w1, w2, w3], b1, b3)),
                     [x, *ws, b1, b3])
    with pytest.raises(TypeError, match="non-empty list"):
        stack(x, [])
    with pytest.raises(TypeError, match=r"\(weight, bias, activation\)"):
        stack(x, [(ws[0], b1)])
    with pytest.raises(ValueError, match=r"input of shape \(6, 4\) does not fit weight"):
        stack(x, [(ws[0], b1, None), (ws[0], None, None)])


def read_only(a):
    a = a.copy()
    a.flags.writeable = False
    return a


# The same values in the layouts a Tensor's .data can be given: the dense stack and BCE check
# their arrays once and convert what the kernels cannot take as it is.
LAYOUTS = {"Fortran": np.asfortranarray, "transposed": lambda a: np.ascontiguousarray(a.T).T,
           "strided": lambda a: np.repeat(a, 2, axis=-1)[..., ::2], "read-only": read_only,
           "byte-swapped": lambda a: a.astype(a.dtype.newbyteorder()),
           "float64 among float32": lambda a: a.astype(np.float64)}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("which", ["input", "weight", "bias", "second weight"])
def test_a_stack_takes_its_arrays_in_any_layout(which, layout):
    """Values and gradients as from plain float32 arrays (float64 ones: as NumPy promotes)."""
    def run(relaid):
        ts = [Tensor(rand(s, seed=i).astype(np.float32), requires_grad=True)
              for i, s in enumerate([(5, 3), (3, 4), (4,), (4, 2)])]
        if relaid:
            t = ts[["input", "weight", "bias", "second weight"].index(which)]
            t.data = LAYOUTS[layout](t.data)
        x, w1, b1, w2 = ts
        out = F.dense_stack(x, [(w1, b1, "relu"), (w2, None, "sigmoid")])
        out.sum().backward()
        return out.data, [t.grad for t in ts]

    (out, grads), (plain_out, plain_grads) = run(True), run(False)
    if layout == "float64 among float32":  # one float64 array: the layers from it on in float64
        np.testing.assert_allclose(out, plain_out, rtol=1e-6)
        for g, want in zip(grads, plain_grads):
            np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6)
        return
    np.testing.assert_array_equal(out, plain_out)
    for g, want in zip(grads, plain_grads):
        np.testing.assert_array_equal(g, want)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("which", ["logits", "target"])
def test_bce_with_logits_takes_its_arrays_in_any_layout(which, layout):
    def run(relaid):
        z = Tensor(rand((4, 3), seed=1).astype(np.float32), requires_grad=True)
        t = (rand((4, 3), seed=2) > 0).astype(np.float32)
        if relaid and which == "logits":
            z.data = LAYOUTS[layout](z.data)
        elif relaid:
            t = LAYOUTS[layout](t)
        loss = F.binary_cross_entropy_with_logits(z, t)
        loss.backward()
        return loss.item(), z.grad

    (loss, grad), (plain_loss, plain_grad) = run(True), run(False)
    if layout == "float64 among float32":
        np.testing.assert_allclose(loss, plain_loss, rtol=1e-6)
        np.testing.assert_allclose(grad, plain_grad, rtol=1e-5)
        return
    assert loss == plain_loss
    np.testing.assert_array_equal(grad, plain_grad)


@pytest.mark.parametrize("call, match", [
    (lambda: F.linear(Tensor(np.ones((4, 3))), Tensor(np.ones((2, 4)))), r"\(4, 3\).*\(2, 4\)"),
    (lambda: F.dense(Tensor(np.ones((4, 3))), Tensor(np.ones((2, 4)))), r"\(4, 3\).*\(2, 4\)"),
    (lambda: F.dense(Tensor(np.ones((4, 3))), Tensor(np.ones((3, 2))), Tensor(np.ones(3))),
     r"\(2,\).*\(3,\)"),
    (lambda: F.linear(Tensor(np.ones((4, 3))), Tensor(np.ones(3))), "2-D"),
    (lambda: F.dense(Tensor(np.ones((4, 3))), Tensor(np.ones((3, 2))), activation="tanh"),
     "relu"),
])
def test_linear_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


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
    out = getattr(F, name)(Tensor(x.astype(dtype)), t.astype(dtype), reduction=reduction)
    assert out.dtype == dtype and out.shape == np.shape(want)
    np.testing.assert_allclose(out.numpy(), want, rtol=2e-6 if dtype == np.float32 else 1e-10)


@SETTINGS
@given(shape=array_shapes(min_dims=0, max_dims=3, max_side=4),
       name=st.sampled_from(sorted(ELEMENTWISE_LOSSES)),
       reduction=st.sampled_from(["mean", "sum", "none"]), seed=st.integers(0, 999))
def test_gradcheck_elementwise_losses(shape, name, reduction, seed):
    make_input, _ = ELEMENTWISE_LOSSES[name]
    x, t = make_input(shape, seed), soft_targets(shape, seed + 1)
    if name == "l1_loss":
        t = x - np.where(rand(shape, seed + 2) > 0, 0.5, -0.5)  # no |x - t| within eps of 0
    assert gradcheck(lambda x: getattr(F, name)(x, t, reduction=reduction), leaf(x))


def test_bce_with_logits_mean_goes_through_the_kernel(monkeypatch):
    calls = []
    real = backend._bce_with_logits_unchecked
    monkeypatch.setattr(backend, "_bce_with_logits_unchecked",
                        lambda z, t, with_grad: calls.append(with_grad) or real(z, t, with_grad))
    z = leaf(rand((4, 1)))
    F.binary_cross_entropy_with_logits(z, binary_targets((4, 1))).backward()
    F.binary_cross_entropy_with_logits(Tensor(z.data), binary_targets((4, 1)))
    assert calls == [True, False]  # no gradient is computed when none is wanted


def test_bce_clips_probabilities_as_keras():
    p = leaf([0.0, 1.0, 0.5])
    loss = F.binary_cross_entropy(p, [1.0, 0.0, 1.0], reduction="none")
    np.testing.assert_allclose(loss.numpy(), [-np.log(1e-7), -np.log(1e-7), np.log(2)], rtol=1e-6)
    loss.sum().backward()
    np.testing.assert_allclose(p.grad, [0.0, 0.0, -2.0])  # clipped values pass no gradient


def test_bce_agrees_with_bce_with_logits_inside_the_clip():
    z = rand((8, 1), 3, -5, 5)
    t = binary_targets((8, 1))
    a = F.binary_cross_entropy(F.sigmoid(Tensor(z)), t).item()
    b = F.binary_cross_entropy_with_logits(Tensor(z), t).item()
    assert abs(a - b) < 1e-12


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
    # from logits the loss is exact: a wrong answer at -1000 costs 1000, not a clipped 16
    assert F.binary_cross_entropy_with_logits(Tensor([-1000.0]), [1.0]).item() == 1000.0


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_forward(reduction, dtype):
    x, t = rand((5, 3)), np.array([0, 2, 1, 2, 0])
    want = -np_log_softmax(x, 1)[np.arange(5), t]
    want = {"mean": want.mean(), "sum": want.sum(), "none": want}[reduction]
    out = F.cross_entropy(Tensor(x.astype(dtype)), t, reduction=reduction)
    assert out.dtype == dtype
    np.testing.assert_allclose(out.numpy(), want, rtol=2e-6 if dtype == np.float32 else 1e-12)


@SETTINGS
@given(n=st.integers(1, 5), classes=st.integers(1, 4), seed=st.integers(0, 999),
       reduction=st.sampled_from(["mean", "sum", "none"]))
def test_gradcheck_cross_entropy(n, classes, seed, reduction):
    t = np.random.default_rng(seed).integers(0, classes, n)
    assert gradcheck(lambda x: F.cross_entropy(x, t, reduction=reduction),
                     leaf(rand((n, classes), seed)))


def test_cross_entropy_at_extremes_is_finite():
    x = leaf([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0]])
    loss = F.cross_entropy(x, [1, 1])
    loss.backward()
    assert loss.item() == 1000.0 and np.isfinite(x.grad).all()


@pytest.mark.parametrize("target, error, match", [
    (np.array([0.0, 1.0]), TypeError, "integer class indices.*float64"),
    (Tensor([0, 1]), TypeError, "Tensor"),
    ([0, 3], ValueError, r"\[0, 3\).*3"),
    ([-1, 0], ValueError, "-1"),
    ([0, 1, 1], ValueError, r"\(2, 3\).*\(2,\).*\(3,\)"),
    ([[0], [1]], ValueError, r"\(2, 1\)"),
    (["a", "b"], TypeError, "target"),
])
def test_cross_entropy_refuses_bad_targets(target, error, match):
    with pytest.raises(error, match=match):
        F.cross_entropy(Tensor(np.zeros((2, 3))), target)


def test_cross_entropy_needs_2d_logits():
    with pytest.raises(ValueError, match=r"\(N, C\).*\(3,\)"):
        F.cross_entropy(Tensor(np.zeros(3)), [0])


@pytest.mark.parametrize("name", sorted(ELEMENTWISE_LOSSES))
def test_losses_refuse_shape_mismatch_naming_both(name):
    with pytest.raises(ValueError, match=r"\(4, 1\).*\(4,\)"):
        getattr(F, name)(Tensor(np.full((4, 1), 0.5)), np.zeros(4))
    with pytest.raises(ValueError, match=r"\(4,\).*\(4, 1\)"):
        getattr(F, name)(Tensor(np.full(4, 0.5)), np.zeros((4, 1)))


@pytest.mark.parametrize("name", sorted(ELEMENTWISE_LOSSES) + ["cross_entropy"])
def test_losses_refuse_unknown_reductions(name):
    target = [0, 1] if name == "cross_entropy" else np.zeros((2, 2))
    with pytest.raises(ValueError, match="'mean', 'sum', 'none'.*'avg'"):
        getattr(F, name)(Tensor(np.full((2, 2), 0.5)), target, reduction="avg")


def test_targets_get_no_gradient_in_any_form():
    x = leaf([[0.2], [0.7]])
    t = Tensor([[0.0], [1.0]], requires_grad=True)
    for target in (t, [[0.0], [1.0]], np.array([[0], [1]])):
        F.mse_loss(x, target).backward()
    assert t.grad is None
    np.testing.assert_allclose(x.grad, 3 * np.array([[0.2], [-0.3]]))


def test_bad_targets_are_refused():
    with pytest.raises(TypeError, match="target"):
        F.mse_loss(Tensor([1.0]), ["a"])


def test_against_torch_if_available():
    torch = pytest.importorskip("torch")
    x, w, b = rand((5, 3), 1), rand((4, 3), 2), rand((4,), 3)
    t = np.array([0, 3, 1, 2, 3])
    ours = [leaf(x), leaf(w), leaf(b)]
    F.cross_entropy(F.linear(*ours, activation="relu"), t).backward()
    theirs = [torch.tensor(a, requires_grad=True) for a in (x, w, b)]
    torch.nn.functional.cross_entropy(torch.relu(torch.nn.functional.linear(*theirs)),
                                      torch.tensor(t)).backward()
    for a, b_ in zip(ours, theirs):
        np.testing.assert_allclose(a.grad, b_.grad.numpy(), rtol=1e-10, atol=1e-12)
