"""pynn.gradcheck itself: it passes right gradients, names the worst wrong element, warns on
float32, leaves its inputs alone, and catches a broken backward in each C kernel it relies on."""
import warnings

import numpy as np
import pytest

import pynn
from pynn import GradcheckError, Tensor, backend, functional as F, gradcheck


def leaf(array, dtype=np.float64):
    return pynn.tensor(np.array(array, dtype=dtype), requires_grad=True)


def scaled(factor):
    """x * 2 whose backward claims 2 * factor: a wrong gradient on purpose when factor != 1."""
    def fn(x):
        return Tensor.from_op(x.data * 2, (x,), lambda g: (g * 2 * factor,))
    return fn


def test_passes_right_gradients():
    x, w = leaf(np.arange(6.0).reshape(2, 3) / 6), leaf(np.ones((3, 2)))
    assert gradcheck(lambda x, w: (x @ w).tanh(), [x, w]) is True
    assert gradcheck(lambda x: x.sum(), x) is True


def test_raises_naming_input_position_and_both_values():
    x, y = leaf([1.0, 2.0]), leaf([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(GradcheckError, match=r"input 1 at position \(\d, \d\): analytic .*, "
                                             r"numeric .*") as info:
        gradcheck(lambda x, y: x.sum() + scaled(1.1)(y), [x, y])
    assert isinstance(info.value, AssertionError)


def test_reports_the_worst_element():
    x = leaf([1.0, 2.0, 3.0])

    def fn(x):  # gradient wrong by a different amount at each position: worst at position 1
        return Tensor.from_op(x.data * 1, (x,), lambda g: (g + np.array([0.1, 0.5, 0.2]),))
    with pytest.raises(GradcheckError, match=r"position \(1,\)"):
        gradcheck(fn, x)


def test_tolerances_are_respected():
    x = leaf([1.0, 2.0])
    with pytest.raises(GradcheckError):
        gradcheck(scaled(1.01), x)  # 1% off: more than rtol=1e-3
    assert gradcheck(scaled(1.01), x, rtol=0.02)
    assert gradcheck(scaled(1.0 + 1e-5), x)  # within the default tolerances


def test_nan_gradient_fails():
    x = leaf([1.0])
    with pytest.raises(GradcheckError, match="nan"):
        gradcheck(lambda x: Tensor.from_op(x.data * 1, (x,), lambda g: (g * np.nan,)), x)


def test_checks_every_entry_of_a_non_scalar_output():
    x = leaf(np.ones((2, 2)))

    def fn(x):  # right everywhere except the gradient reaching element (1, 0)
        wrong = np.ones((2, 2))
        wrong[1, 0] = 1.5
        return Tensor.from_op(x.data * 1, (x,), lambda g: (g * wrong,))
    with pytest.raises(GradcheckError, match=r"position \(1, 0\)"):
        gradcheck(fn, x)


def test_warns_on_float32_and_checks_in_float64_copies():
    x = leaf([[0.5, -0.25]], dtype=np.float32)
    before = x.detach().numpy().copy()
    with pytest.warns(UserWarning, match="float64"):
        assert gradcheck(lambda x: x.sigmoid() * x, x)
    np.testing.assert_array_equal(x.data, before)
    assert x.grad is None and x.dtype == np.float32
    with pytest.warns(UserWarning), pytest.raises(GradcheckError):
        gradcheck(scaled(1.1), x)


def test_no_warning_for_float64():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert gradcheck(lambda x: x * x, leaf([1.0, 2.0]))


def test_inputs_without_grad_and_non_tensors_pass_through():
    x, c = leaf([1.0, 2.0]), Tensor([3.0, 4.0])
    assert gradcheck(lambda x, c, k: (x * c).sum() * k, [x, c, 2])
    assert c.grad is None
    assert gradcheck(lambda x, t: F.cross_entropy(x, t), [leaf([[1.0, 2.0], [0.0, 1.0]]), [1, 0]])


def test_an_input_the_output_ignores_has_zero_gradient():
    x, unused = leaf([1.0]), leaf([2.0])
    assert gradcheck(lambda x, u: x * 3, [x, unused])


def test_usage_errors():
    with pytest.raises(ValueError, match="requires_grad"):
        gradcheck(lambda x: x * 2, Tensor([1.0]))
    with pytest.raises(TypeError, match="Tensor.*ndarray"):
        gradcheck(lambda x: x.detach().numpy() * 2, leaf([1.0]))
    with pytest.raises(ValueError, match="does not depend"):
        gradcheck(lambda x: Tensor([1.0]), leaf([1.0]))


REAL_LINEAR_BACKWARD = backend.kernels.linear_backward


def scaled_linear_backward(x, w, y, grad, dz, dx, dw, db, act=None, trans_w=False, run=None):
    """The linear_backward kernel with each gradient it writes scaled by 1.01: wrong on
    purpose."""
    REAL_LINEAR_BACKWARD(x, w, y, grad, dz, dx, dw, db, act, trans_w)
    for out in (dx, dw, db):
        if out is not None:
            out *= 1.01


def broken(formula):
    def kernel(saved, grad, out, run=None):
        out[...] = formula(saved, grad)
    return kernel


# Each kernel a backward pass relies on, broken: the gradchecks of the ops that use it must fail.
BROKEN_KERNELS = {
    "relu_backward": broken(lambda x, grad: np.where(x > 0, grad * 1.01, 0)),
    "sigmoid_backward": broken(lambda y, grad: grad * y),
    "tanh_backward": broken(lambda y, grad: grad * (1 - y)),
    "linear_backward": scaled_linear_backward,
}
USERS = {
    "relu_backward": [lambda x, w, b: x.relu()],
    "sigmoid_backward": [lambda x, w, b: x.sigmoid()],
    "tanh_backward": [lambda x, w, b: x.tanh()],
    "linear_backward": [lambda x, w, b: F.dense(x, w, b, "relu"),
                        lambda x, w, b: F.linear(x, w.T, b).sigmoid(),
                        lambda x, w, b: F.dense(x, w, b, "tanh"),
                        lambda x, w, b: F.dense(x, w, b)],
}


@pytest.mark.parametrize("kernel", sorted(BROKEN_KERNELS))
def test_a_broken_backward_kernel_is_caught(kernel, monkeypatch):
    rng = np.random.default_rng(0)
    args = [leaf(rng.uniform(0.2, 1.0, s) * rng.choice([-1, 1], s)) for s in ((4, 3), (3, 3), (3,))]
    for fn in USERS[kernel]:
        assert gradcheck(fn, args)
    monkeypatch.setattr(backend.kernels, kernel, BROKEN_KERNELS[kernel])
    for fn in USERS[kernel]:
        with pytest.raises(GradcheckError):
            gradcheck(fn, args)


def test_a_matmul_without_its_transpose_flag_is_caught(monkeypatch):
    real = backend.kernels.matmul
    x, w = leaf(np.arange(6.0).reshape(2, 3)), leaf(np.arange(9.0).reshape(3, 3) / 9)
    monkeypatch.setattr(backend.kernels, "matmul", lambda a, b, out, trans_a=False,
                        trans_b=False, **k: real(a, b, out, trans_a, False, **k))  # no trans_b
    with pytest.raises(GradcheckError, match="input 0"):
        gradcheck(lambda x, w: x @ w, [x, w])


def test_exported():
    assert pynn.gradcheck is gradcheck and issubclass(pynn.GradcheckError, AssertionError)
