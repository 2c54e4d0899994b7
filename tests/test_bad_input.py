"""Bad input at every public entry point, as a new user would try it: each gets a TypeError,
ValueError or RuntimeError whose message says what was expected, and nothing changes on the way.
Cases that could reach C with a bad pointer or size run in a fresh interpreter, which must exit
normally with the Python error, not die of a signal. (The kernels' own bad arguments are in
test_kernels.py, the Keras ones the Keras author wrote in test_keras_errors.py, model files in
test_saving.py: here is what those leave out.)"""
import copy
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import pynn
from pynn import Tensor, functional as F, gradcheck, nn, optim
from pynn.keras import callbacks, optimizers
from pynn.keras.layers import Dense
from pynn.keras.models import Sequential

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
Y = np.array([[0], [1], [1], [0]], dtype=np.float32)


def run_python(code, cwd, huge_allocations=False):
    """Run code in a fresh interpreter (in cwd, away from the source tree, so that the installed
    pynn is imported) on the C kernels, whatever PYNN_BACKEND says: what reaches C is the point;
    the completed process. Under AddressSanitizer (.ci/sanitize) a malloc too
    big to serve aborts the process: with huge_allocations, it returns NULL instead (NumPy then
    raises MemoryError, as without the sanitizer) and its warning goes to the process's stderr,
    not to the report files that fail the sanitizer step."""
    env = {k: v for k, v in os.environ.items() if k != "PYNN_BACKEND"}
    if huge_allocations and "ASAN_OPTIONS" in env:
        env["ASAN_OPTIONS"] += ":allocator_may_return_null=1:log_path=stderr"
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


def assert_exits_cleanly(code, cwd, expected_output, huge_allocations=False):
    """The code runs to its end (exit status 0, no signal) and prints expected_output."""
    result = run_python(code, cwd, huge_allocations)
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
    assert result.stdout.split("\n")[:-1] == expected_output, result.stdout


# ---- Tensor construction --------------------------------------------------------------------

@pytest.mark.parametrize("data, named", [
    (None, "NoneType"), ({"a": 1}, "dict"), ({1, 2}, "set"), (b"ab", "bytes"),
    (np.array(["2020-01-01"], dtype="datetime64[D]"), "datetime64"),
    (np.array([1], dtype="timedelta64[s]"), "timedelta64"),
    (np.zeros(2, dtype=[("a", "f4")]), r"\('a'"), (np.zeros(2, dtype="V4"), "V4"),
    ((i for i in range(3)), "generator"), (10**30, "int"), (np.array([1 + 0j]), "complex"),
])
@pytest.mark.parametrize("make", [Tensor, pynn.tensor, pynn.as_tensor])
def test_tensor_refuses_what_is_not_real_numbers(data, named, make):
    if make is Tensor and isinstance(data, int):
        pytest.skip("Tensor(n) makes a tensor of n elements, as torch.Tensor(n)")
    with pytest.raises(TypeError, match=f"tensor: expected a real numeric array.*{named}"):
        make(data)


@pytest.mark.parametrize("dtype, match", [
    (np.complex64, "complex64"), (complex, "complex128"), ("bogus", "bogus"),
    (np.uint16, "uint16"), (object, "object"),
])
def test_tensor_dtype_argument(dtype, match):
    with pytest.raises(TypeError, match=match):
        pynn.tensor([1.0], dtype=dtype)


@pytest.mark.parametrize("data, shape", [([], (0,)), (np.empty((0, 3)), (0, 3)), (2.5, ()),
                                         (np.float64(1), ()), (np.ones((3, 0, 2)), (3, 0, 2))])
def test_empty_and_0d_tensors_are_ordinary_tensors(data, shape):
    t = pynn.tensor(data, dtype=pynn.float32, requires_grad=True)
    assert t.shape == shape
    (t * 2 + 1).relu().sum().backward()
    assert t.grad.shape == shape


@pytest.mark.parametrize("make, error, match", [
    (lambda: pynn.tensor([1, 2], requires_grad=True), RuntimeError, "floating point"),
    (lambda: pynn.zeros(-1), RuntimeError, "negative dimension"),
    (lambda: pynn.zeros(2.5), TypeError, "expected an integer, got float"),
    (lambda: pynn.ones((2, "3")), TypeError, "expected an integer, got str"),
    (lambda: pynn.randint(0, 5), TypeError, "size must be a tuple"),
    (lambda: pynn.arange(0, 5, 0), RuntimeError, "step must be nonzero"),
    (lambda: pynn.tensor([1.0], device="cuda"), RuntimeError, "CPU only"),
    (lambda: pynn.zeros(2, device=pynn.device("cuda:0")), RuntimeError, "CPU only"),
    (lambda: pynn.ones(2).cuda(), RuntimeError, "CPU only"),
    (lambda: pynn.ones(2).to("cuda"), RuntimeError, "CPU only"),
    (lambda: nn.Linear(2, 2).to("cuda"), RuntimeError, "CPU only"),
    (lambda: pynn.set_default_dtype(pynn.int64), TypeError, "float32 and float64"),
])
def test_making_tensors_on_bad_arguments(make, error, match):
    with pytest.raises(error, match=match):
        make()


# ---- Tensor ops -----------------------------------------------------------------------------

T = pynn.ones(2, 3, dtype=pynn.float64, requires_grad=True)


@pytest.mark.parametrize("other, named", [("a", "str"), (object(), "object"),
                                          (1j, "complex"), (np.ones(3) * 1j, "complex128"),
                                          ([["a"]], "list")])
@pytest.mark.parametrize("op", ["+", "-", "*", "/", "@", "r+", "r*"])
def test_ops_refuse_operands_that_are_not_real_numbers(other, named, op):
    with pytest.raises(TypeError, match=f"expected a real numeric array.*{named}|{named}"):
        {"+": lambda: T + other, "-": lambda: T - other, "*": lambda: T * other,
         "/": lambda: T / other, "@": lambda: T @ other, "r+": lambda: other + T,
         "r*": lambda: other * T}[op]()


@pytest.mark.parametrize("other", [np.ones(4), np.ones((3, 3)), [1.0, 2.0]])
def test_broadcast_mismatch_names_both_shapes(other):
    with pytest.raises(ValueError, match=r"\(2,3\)"):
        T * other


@pytest.mark.parametrize("a, b, match", [
    ((2, 3), (), "at least 1D"), ((), (), "at least 1D"), ((2, 3), (4, 3), "2x3 and 4x3"),
    ((3,), (2, 2), "1x3 and 2x2"), ((2, 2, 3), (2, 2), "4x3 and 2x2")])
def test_matmul_refuses_shapes_naming_both(a, b, match):
    with pytest.raises(RuntimeError, match=match):
        Tensor(np.ones(a)) @ Tensor(np.ones(b))


@pytest.mark.parametrize("exponent", ["2", None, 2j])
def test_pow_needs_a_real_exponent(exponent):
    with pytest.raises(TypeError):
        T ** exponent


@pytest.mark.parametrize("call, error, match", [
    (lambda: T.reshape(5), RuntimeError, r"shape '\[5\]' is invalid for input of size 6"),
    (lambda: T.transpose(0, 2), IndexError, r"Dimension out of range.*got 2"),
    (lambda: T.sum(axis=(0, 0)), ValueError, "multiple times"),
    (lambda: T.mean(dim=1.0), TypeError, "expected an integer"),
    (lambda: pynn.ones(0, 3).max(), RuntimeError, r"numel\(\) == 0"),
    (lambda: len(Tensor(1.0)), TypeError, "0-d"),
    (lambda: T.item(), RuntimeError, "6 elements cannot be converted to Scalar"),
    (lambda: bool(T), RuntimeError, "ambiguous"),
    (lambda: (T * 2).backward(), RuntimeError, r"shape \(2, 3\): pass gradient="),
    (lambda: (T * 2).backward(gradient="a"), TypeError, "gradient: expected a real numeric"),
    (lambda: (T * 2).backward(gradient=np.ones(3)), ValueError,
     r"gradient of shape \(3,\) does not match the tensor's shape \(2, 3\)"),
    (lambda: Tensor([1.0]).backward(), RuntimeError, "does not require grad"),
    (lambda: Tensor([1.0], requires_grad="yes"), TypeError, "requires_grad: expected True"),
    (lambda: T.numpy(), RuntimeError, "detach"),
    (lambda: T.add_(1), RuntimeError, "leaf Variable that requires grad"),
    (lambda: pynn.tensor([1, 2]).add_(0.5), RuntimeError, "can't be cast"),
    (lambda: T.view(4), RuntimeError, "invalid for input of size 6"),
    (lambda: T.permute(0, 0), RuntimeError, "duplicate dims"),
    (lambda: pynn.cat([T, pynn.ones(2, 2)], dim=0), RuntimeError, "Sizes of tensors must match"),
    (lambda: pynn.stack([T, pynn.ones(3, 2)]), RuntimeError, "equal size"),
    (lambda: pynn.cat(T), TypeError, "tuple or list of Tensors"),
    (lambda: T.expand(3, 3), RuntimeError, "must match the existing size"),
])
def test_tensor_methods_on_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_a_custom_op_returning_a_wrong_gradient_is_refused_before_any_kernel(tmp_path):
    """A backward that returns a gradient of the wrong shape (here one row for five) would have
    C read past its end in the dense layer's backward: it is refused, naming the op, as PyTorch
    refuses it; an array broadcast over the input is summed back to it."""
    assert_exits_cleanly("""
        import numpy as np
        from pynn import Tensor, nn, tensor
        lin = nn.Linear(4, 3)
        for rows in (5, 4096):
            x = tensor(np.ones((rows, 4), np.float32), requires_grad=True)
            h = lin(x)
            try:
                Tensor.from_op(h.detach().numpy(), (h,), lambda g: (g[:1],)).sum().backward()
                print("no error")
            except RuntimeError as e:
                print("RuntimeError", "invalid gradient at index 0" in str(e),
                      f"got [1, 3] but expected shape compatible with [{rows}, 3]" in str(e))
        x = tensor(np.ones((5, 4)), requires_grad=True)
        Tensor.from_op(np.ones(4), (x,), lambda g: (np.ones((2, 5, 4)),)).sum().backward()
        print(x.grad.tolist()[0])
        try:
            Tensor.from_op(np.ones(1), (x,), lambda g: ("oops",)).sum().backward()
        except TypeError as e:
            print("TypeError", "invalid gradient" in str(e))
        """, tmp_path, ["RuntimeError True True", "RuntimeError True True",
                        "[2.0, 2.0, 2.0, 2.0]", "TypeError True"])


def test_in_place_changes_of_saved_values_are_refused_at_backward():
    x = pynn.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y.add_(1)  # exp's backward needs its output, now changed
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()
    z = x * 2
    z += 1  # add's backward needs nothing: fine, as in PyTorch
    z.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]
    w = pynn.tensor([1.0, 2.0], requires_grad=True)
    h = w.sigmoid()
    h.detach().zero_()  # through a detached view of the same memory: noticed too
    with pytest.raises(RuntimeError, match="inplace"):
        h.sum().backward()


# ---- functional ---------------------------------------------------------------------------

LOGITS = pynn.zeros(4, 3, dtype=pynn.float64, requires_grad=True)
LOSSES = ["binary_cross_entropy", "binary_cross_entropy_with_logits"]


@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize("target, error, match", [
    (np.zeros((4, 1)), ValueError, r"target size .*\[4, 1\].*input size .*\[4, 3\]"),
    (np.zeros(12), ValueError, r"target size .*\[12\]"),
    ("abc", TypeError, "target: expected a real numeric array.*str"),
    (None, TypeError, "target: expected a real numeric array.*NoneType"),
    (np.zeros((4, 3)) * 1j, TypeError, "target: expected a real numeric array.*complex"),
    (np.array([[object()] * 3] * 4), TypeError, "target: expected a real numeric.*object"),
])
def test_losses_refuse_bad_targets(name, target, error, match):
    with pytest.raises(error, match=match):
        getattr(F, name)(LOGITS.sigmoid(), target)


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss"])
def test_regression_losses_refuse_targets_that_do_not_broadcast(name):
    with pytest.raises(RuntimeError, match=r"does not broadcast"):
        getattr(F, name)(LOGITS, np.zeros((2, 2)))


@pytest.mark.parametrize("target, error, match", [
    (np.array([True, False, True, False]), RuntimeError, "integer dtype.*bool"),
    (np.array([0, 1, 3, 0]), IndexError, "Target 3 is out of bounds"),
    (np.array([0, -1, 2, 0]), IndexError, "Target -1 is out of bounds"),
    (np.array([0, 2**63, 1, 0], dtype=np.uint64), IndexError, "out of bounds"),
    (np.array([0, 1, 2]), ValueError, r"needs a target of shape \(4,\), got \(3,\)"),
    (np.zeros((4, 1), int), ValueError, r"needs a target of shape \(4,\)"),
    (["a", "b", "c", "d"], TypeError, "target: expected a real numeric"),
    (pynn.tensor([0.0, 1.0, 2.0, 0.0]), ValueError, "target size"),
])
def test_cross_entropy_refuses_bad_class_ids(target, error, match):
    with pytest.raises(error, match=match):
        F.cross_entropy(LOGITS, target)


@pytest.mark.parametrize("call, error, match", [
    (lambda: F.mse_loss(LOGITS, np.zeros((4, 3)), reduction="avg"), ValueError,
     "avg is not a valid value for reduction"),
    (lambda: F.linear(LOGITS, pynn.ones(3, dtype=pynn.float64)), RuntimeError,
     r"weight must be 2-D, got shape \(3,\)"),
    (lambda: F.linear(LOGITS, pynn.ones(2, 5, dtype=pynn.float64)), RuntimeError,
     r"4x3 and 5x2"),
    (lambda: F.linear(LOGITS, pynn.ones(2, 3, dtype=pynn.float64),
                      pynn.ones(3, dtype=pynn.float64)), RuntimeError, r"bias must have shape"),
    (lambda: F.linear(LOGITS, pynn.ones(2, 3)), RuntimeError, "same dtype"),
    (lambda: F.dense(LOGITS, np.ones((3, 2)), activation="softmax"), ValueError,
     r"activation must be one of \(None, 'relu', 'sigmoid', 'tanh'\)"),
    (lambda: F.softmax(LOGITS, dim=2), IndexError, "Dimension out of range"),
    (lambda: F.softmax("abc", dim=0), TypeError, "expected a real numeric"),
    (lambda: F.dropout(LOGITS, p=1.5), ValueError, "between 0 and 1"),
    (lambda: F.one_hot(pynn.tensor([0.5])), RuntimeError, "index tensor"),
    (lambda: F.one_hot(pynn.tensor([3]), 2), RuntimeError, "smaller than num_classes"),
])
def test_functional_on_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ---- gradcheck ----------------------------------------------------------------------------

@pytest.mark.parametrize("fn, inputs, kwargs, error, match", [
    (3, [T], {}, TypeError, "fn must be a callable.*int 3"),
    (None, [T], {}, TypeError, "fn must be a callable"),
    (lambda x: x, np.ones(3), {}, TypeError, "inputs must be a Tensor or a list or tuple.*ndarray"),
    (lambda x: x, None, {}, TypeError, "inputs must be a Tensor or a list or tuple.*NoneType"),
    (lambda x: x, {"x": T}, {}, TypeError, "inputs must be a Tensor or a list or tuple.*dict"),
    (lambda x: x, [np.ones(3)], {}, ValueError, "no input is a Tensor with requires_grad=True"),
    (lambda x: 1.0, [T], {}, TypeError, "fn must return a Tensor, got float"),
    (lambda x: x.detach().numpy(), [T], {}, TypeError, "fn must return a Tensor, got ndarray"),
    (lambda x: None, [T], {}, TypeError, "fn must return a Tensor, got NoneType"),
    (lambda x: x, [T], {"eps": 0}, ValueError, "eps must be > 0"),
    (lambda x: x, [T], {"eps": -1e-6}, ValueError, "eps must be > 0"),
    (lambda x: x, [T], {"eps": "1e-6"}, TypeError, "eps: expected a real number"),
    (lambda x: x, [T], {"atol": -1}, ValueError, "atol: expected a value >= 0"),
    (lambda x: x, [T], {"rtol": float("nan")}, ValueError, "rtol: expected a value >= 0"),
])
def test_gradcheck_on_bad_arguments(fn, inputs, kwargs, error, match):
    with pytest.raises(error, match=match):
        gradcheck(fn, inputs, **kwargs)


# ---- nn -----------------------------------------------------------------------------------

@pytest.mark.parametrize("args, error, match", [
    ((-1, 2), RuntimeError, "negative dimension.*in_features=-1"),
    ((2.5, 3), TypeError, "in_features: expected an integer, got float 2.5"),
    (("2", 3), TypeError, "in_features: expected an integer, got str '2'"),
    ((None, 3), TypeError, "in_features: expected an integer, got NoneType"),
    ((2, -3), RuntimeError, "negative dimension.*out_features=-3"),
    ((2, np.float64(3)), TypeError, "out_features: expected an integer, got float64"),
])
def test_linear_sizes(args, error, match):
    with pytest.raises(error, match=match):
        nn.Linear(*args)


@pytest.mark.parametrize("x, error, match", [
    (np.ones((4, 5), np.float32), RuntimeError, r"4x5 and 3x2"),
    (np.ones(5, np.float32), RuntimeError, r"1x5 and 3x2"),
    (Tensor(1.0), RuntimeError, "at least 1 dimension"),
    ("abc", TypeError, "expected a real numeric array.*str"),
    (None, TypeError, "expected a real numeric array.*NoneType"),
    (np.ones((2, 3)) * 1j, TypeError, "expected a real numeric array.*complex128"),
    (np.ones((2, 3)), RuntimeError, "same dtype"),
    (np.ones((2, 3), np.int64), RuntimeError, "same dtype"),
])
def test_linear_call_names_both_shapes(x, error, match):
    with pytest.raises(error, match=match):
        nn.Linear(3, 2)(x)


def test_linear_takes_what_pytorch_takes():
    layer = nn.Linear(3, 2)
    assert layer(pynn.ones(3)).shape == (2,)  # one sample without the batch axis
    assert layer(pynn.ones(2, 4, 3)).shape == (2, 4, 2)
    assert layer(pynn.ones(0, 3)).shape == (0, 2)
    assert nn.Linear(0, 2)(pynn.ones(4, 0)).shape == (4, 2)  # as torch allows in_features=0


@pytest.mark.parametrize("state, error, match", [
    (None, TypeError, "Expected state_dict to be dict-like, got NoneType"),
    ([("weight", np.ones((2, 3)))], TypeError, "got list"),
    ({"weight": np.ones((2, 3))}, RuntimeError, r'Missing key\(s\) in state_dict: "bias"'),
    ({"weight": np.ones((2, 3)), "bias": np.ones(2), "scale": 1.0}, RuntimeError,
     r'Unexpected key\(s\) in state_dict: "scale"'),
    ({0: np.ones((2, 3)), "bias": np.ones(2)}, RuntimeError, r"Unexpected key.*0"),
    ({"weight": np.ones((3, 2)), "bias": np.ones(2)}, RuntimeError,
     r"size mismatch for weight: copying a param with shape pynn.Size\(\[3, 2\]\) from "
     r"checkpoint, the shape in current model is pynn.Size\(\[2, 3\]\)"),
    ({"weight": np.float32(1), "bias": np.ones(2)}, ValueError, r"with shape pynn.Size\(\[\]\)"),
    ({"weight": "ab", "bias": np.ones(2)}, TypeError, r"state_dict\['weight'\]: expected a real"),
    ({"weight": None, "bias": np.ones(2)}, TypeError, r"state_dict\['weight'\]"),
    ({"weight": np.ones((2, 3)) * 1j, "bias": np.ones(2)}, TypeError, "complex"),
])
def test_load_state_dict_refuses_and_changes_nothing(state, error, match):
    layer = nn.Linear(3, 2)
    before = copy.deepcopy(layer.state_dict())
    with pytest.raises(error, match=match):
        layer.load_state_dict(state)
    for name, value in layer.state_dict().items():
        np.testing.assert_array_equal(value, before[name])


# ---- optim --------------------------------------------------------------------------------

def params():
    return [nn.Parameter(np.ones(3)), nn.Parameter(np.ones((2, 2)))]


@pytest.mark.parametrize("make, error, match", [
    (lambda p: optim.SGD([], lr=0.1), ValueError, "empty parameter list"),
    (lambda p: optim.Adam(iter([])), ValueError, "empty parameter list"),
    (lambda p: optim.Adam(None), TypeError, "iterable of Tensors or dicts, but got NoneType"),
    (lambda p: optim.Adam(nn.Linear(2, 2)), TypeError, "but got Linear"),
    (lambda p: optim.Adam([1, 2]), TypeError, "can only optimize Tensors.*int"),
    (lambda p: optim.Adam("ab"), TypeError, "can only optimize Tensors.*str"),
    (lambda p: optim.Adam([np.ones(3)]), TypeError, "can only optimize Tensors.*ndarray"),
    (lambda p: optim.Adam([p[0] * 2]), ValueError, "can't optimize a non-leaf Tensor"),
    (lambda p: optim.Adam([{"lr": 0.1}]), TypeError, "a dict with a 'params' entry"),
    (lambda p: optim.SGD(p, lr=-0.1), ValueError, "lr: expected a value >= 0, got -0.1"),
    (lambda p: optim.SGD(p, lr=None), TypeError, "lr: expected a real number, got NoneType"),
    (lambda p: optim.SGD(p, lr=True), TypeError, "lr: expected a real number, got bool"),
    (lambda p: optim.Adam(p, lr=-1e-3), ValueError, "lr: expected a value >= 0"),
    (lambda p: optim.Adam(p, betas=(1.0, 0.999)), ValueError,
     r"beta parameter at index 0.*\[0, 1\)"),
    (lambda p: optim.Adam(p, betas=(0.9, 1.5)), ValueError, "beta parameter at index 1.*1.5"),
    (lambda p: optim.Adam(p, betas=(-0.1, 0.9)), ValueError,
     "beta parameter at index 0: expected a value >= 0"),
    (lambda p: optim.Adam(p, betas=(float("nan"), 0.9)), ValueError, "index 0"),
    (lambda p: optim.Adam(p, betas=(0.9,)), ValueError, r"a pair \(beta1, beta2\)"),
    (lambda p: optim.Adam(p, betas=("a", "b")), TypeError, "index 0: expected a real"),
    (lambda p: optim.RMSprop(p, alpha=-0.1), ValueError, "alpha"),
    (lambda p: optim.RMSprop(p, centered=1), TypeError, "centered: expected True or False"),
])
def test_optimizer_construction(make, error, match):
    with pytest.raises(error, match=match):
        make(params())


OPTIMIZERS = {"SGD": lambda p: optim.SGD(p, lr=0.1),
              "SGD momentum": lambda p: optim.SGD(p, lr=0.1, momentum=0.9),
              "Adam": lambda p: optim.Adam(p), "RMSprop": lambda p: optim.RMSprop(p)}


@pytest.mark.parametrize("grad, error, match", [
    (np.ones(3), TypeError, "expected to be a Tensor or None but got ndarray"),
    (pynn.ones(5, dtype=pynn.float64), RuntimeError, "different size"),
    (pynn.ones(3), RuntimeError, "different type"),
    ("abc", TypeError, "Tensor or None but got str"),
])
def test_a_gradient_is_checked_when_it_is_set(grad, error, match):
    p = nn.Parameter(np.ones(3))
    with pytest.raises(error, match=match):
        p.grad = grad


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("data", [
    "np.ones(6)[::2]", "np.ones(4)", "np.frombuffer(bytearray(25), np.float64, 3, 1)",
    "np.ones(3, np.float32)"])
def test_step_survives_parameter_data_the_user_replaced(name, data, tmp_path):
    """p.data replaced behind the optimizer's back (strided, resized, misaligned, of another
    dtype): each would reach C with a wrong size, type or layout; in a fresh interpreter the
    step either updates correctly or raises, never crashes."""
    code = f"""
        import numpy as np
        import pynn
        from pynn import nn, optim
        p = nn.Parameter(np.ones(3))
        opt = {{"SGD": lambda p: optim.SGD(p, lr=0.1),
                "SGD momentum": lambda p: optim.SGD(p, lr=0.1, momentum=0.9),
                "Adam": lambda p: optim.Adam(p),
                "RMSprop": lambda p: optim.RMSprop(p)}}[{name!r}]([p])
        p.grad = pynn.ones(3, dtype=pynn.float64)
        opt.step()  # the state now holds 3 elements
        p.data = pynn.from_numpy({data})
        p.grad = pynn.ones(p.shape, dtype=p.dtype)
        try:
            opt.step()
            print("stepped", np.isfinite(p.detach().numpy()).all())
        except (TypeError, ValueError, RuntimeError) as e:
            print("refused", type(e).__name__)
        """
    result = run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() in ("stepped True", "refused ShapeError", "refused ValueError"), \
        result.stdout


# ---- Keras (what test_keras_errors.py leaves out) -----------------------------------------

def model(compiled=True):
    m = Sequential([Dense(4, input_dim=2, activation="relu"), Dense(1, activation="sigmoid")])
    if compiled:
        m.compile(optimizer="adam", loss="binary_crossentropy")
    return m


@pytest.mark.parametrize("compile_args, error, match", [
    (dict(optimizer=None), ValueError, "Could not interpret optimizer identifier: None"),
    (dict(optimizer=3), ValueError, "Could not interpret optimizer identifier: 3"),
    (dict(optimizer="adamm"), ValueError, r"valid names are \['adadelta', 'adagrad', 'adam'"),
    (dict(optimizer=optim.Adam([nn.Parameter([1.0])])), TypeError,
     "pynn.keras.optimizers object"),
    (dict(loss=["mse"]), ValueError, r"Could not interpret loss identifier: \['mse'\]"),
    (dict(loss="crossentropy"), ValueError, "Could not interpret loss identifier: 'crossentropy'"),
    (dict(loss="mse", metrics=[None]), ValueError, "Could not interpret metric identifier: None"),
    (dict(loss="mse", metrics=["aucc"]), ValueError, r"valid names are \['AUC', 'Accuracy'"),
])
def test_compile_arguments(compile_args, error, match):
    with pytest.raises(error, match=match):
        model(compiled=False).compile(**compile_args)


@pytest.mark.parametrize("make, error, match", [
    (lambda: optimizers.SGD(momentum=2.0), ValueError, r"momentum` must be a float between"),
    (lambda: optimizers.SGD(momentum=-0.5), ValueError, "momentum"),
    (lambda: optimizers.Adam(learning_rate=-1.0), ValueError,
     "learning_rate: expected a value >= 0"),
    (lambda: optimizers.Adam(learning_rate="0.1"), ValueError,
     "`learning_rate` should be float"),
    (lambda: Dense(4, input_shape=(0,)), ValueError, "input_shape: expected a positive integer"),
])
def test_keras_optimizer_and_layer_arguments(make, error, match):
    with pytest.raises(error, match=match):
        make()


@pytest.mark.parametrize("x, y, error, match", [
    (np.array([["1", "0"]] * 4), Y, TypeError, "x: expected a real numeric array.*<U1"),
    (X, np.array(["a", "b", "a", "b"]), TypeError, "y: expected a real numeric array.*<U1"),
    (X, Y * 1j, TypeError, "y: expected a real numeric array.*complex"),
    (X, Y.astype(object), TypeError, "y: expected a real numeric array.*object"),
    (X, Y.reshape(1, 4), ValueError, r"y has shape \(1, 4\).*expected shape \(1, 1\)"),
    (X, Y.reshape(4, 1, 1), ValueError, r"y has shape \(4, 1, 1\)"),
    (X, np.zeros(0), ValueError, "y is empty"),
    ({"a": X}, Y, ValueError, r"input dict must have one entry per input name.*unknown keys \['a'\]"),
    ([[0, 1], [1]], Y, TypeError, "x: expected a real numeric array"),
])
@pytest.mark.parametrize("method", ["fit", "evaluate"])
def test_fit_and_evaluate_refuse_bad_data(x, y, error, match, method):
    with pytest.raises(error, match=match):
        getattr(model(), method)(x, y, verbose=0)


@pytest.mark.parametrize("batch_size, error", [(0, ValueError), (-1, ValueError),
                                               (2.5, TypeError), ("2", TypeError),
                                               (True, TypeError)])
@pytest.mark.parametrize("method", ["fit", "evaluate", "predict"])
def test_batch_size_everywhere(batch_size, error, method):
    m = model()
    args = (X,) if method == "predict" else (X, Y)
    with pytest.raises(error, match="batch_size: expected a positive integer"):
        getattr(m, method)(*args, batch_size=batch_size, verbose=0)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(epochs=None), TypeError, "epochs must be a non-negative integer, got None"),
    (dict(epochs="3"), TypeError, "epochs must be a non-negative integer"),
    (dict(epochs=True), TypeError, "epochs must be a non-negative integer"),
    (dict(initial_epoch=-1), ValueError, "initial_epoch must be a non-negative integer"),
    (dict(validation_split=-0.1), ValueError, r"validation_split must be in \[0, 1\), got -0.1"),
    (dict(validation_split=float("nan")), ValueError, r"validation_split must be in \[0, 1\)"),
    (dict(validation_split=True), TypeError, "validation_split: expected a real number"),
    (dict(callbacks="x"), TypeError, "callbacks: expected Callback objects, got str"),
    (dict(callbacks=3), TypeError, "callbacks: expected Callback objects, got int"),
    (dict(callbacks=[None]), TypeError, "callbacks: expected Callback objects, got NoneType"),
    (dict(callbacks=[callbacks.EarlyStopping]), TypeError, "got type"),
    (dict(validation_data=(np.ones((2, 3)), np.ones(2))), ValueError,
     r"validation_data x has shape \(2, 3\), but the model expects inputs of shape \(None, 2\)"),
    (dict(validation_data=(X, Y, Y, Y)), ValueError, r"validation_data must be a tuple \(x_val"),
    (dict(validation_data=(X, Y[:3])), ValueError, "same number of samples"),
])
def test_more_bad_fit_arguments(kwargs, error, match):
    m = model()
    before = m.get_weights()
    with pytest.raises(error, match=match):
        m.fit(X, Y, verbose=0, **kwargs)
    for a, b in zip(before, m.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_a_single_callback_is_taken_as_in_keras():
    seen = []

    class Count(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(epoch)
    model().fit(X, Y, epochs=3, verbose=0, callbacks=Count())
    assert seen == [0, 1, 2]


@pytest.mark.parametrize("x, error, match", [
    ("abc", TypeError, "x: expected a real numeric array.*str"),
    (None, ValueError, r"x: expected an array, got None"),
    (np.ones(2), ValueError, r"x has shape \(2,\), but the model expects inputs of shape \(None, 2\)"),
    (np.ones((0, 2)), ValueError, "x is empty"),
    (np.ones((4, 2)) * 1j, TypeError, "complex"),
])
def test_predict_refuses_bad_x(x, error, match):
    with pytest.raises(error, match=match):
        model(compiled=False).predict(x, verbose=0)


@pytest.mark.parametrize("y_true, match", [
    ([0, 1, 2, -1], r"class ids must lie in \[0, 3\), got -1"),
    ([0, 1, 2, 3], r"class ids must lie in \[0, 3\), got 3"),
    ([0, 1, 2], r"y_true of shape \(3,\) does not fit y_pred of shape \(4, 3\)"),
    (np.zeros((4, 2)), r"y_true of shape \(4, 2\) does not fit y_pred of shape \(4, 3\)"),
    ([0.5, 1, 2, 0], "integer class ids"),
])
@pytest.mark.parametrize("from_logits", [False, True])
def test_sparse_categorical_loss_called_directly_checks_its_class_ids(y_true, match,
                                                                     from_logits):
    loss = pynn.keras.losses.SparseCategoricalCrossentropy(from_logits=from_logits)
    with pytest.raises(ValueError, match=match):
        loss(y_true, Tensor(np.full((4, 3), 1 / 3), requires_grad=True))


# ---- model files (what test_saving.py leaves out) ---------------------------------------------

@pytest.mark.parametrize("save, load, name", [
    (lambda m, path: pynn.save(nn.Linear(2, 1).state_dict(), path), pynn.load, "state.npz"),
    (lambda m, path: m.save(path), pynn.keras.models.load_model, "model.pynn"),
    (lambda m, path: m.save_weights(path), lambda path: model().load_weights(path),
     "model.weights.npz"),
])
def test_a_directory_is_not_a_model_file(save, load, name, tmp_path):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "keep").write_text("mine")
    with pytest.raises(IsADirectoryError, match=name):
        save(model(), folder)
    with pytest.raises(IsADirectoryError, match=name):
        load(folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no temporary file left
    assert (folder / "keep").read_text() == "mine"


# ---- what could reach C with a bad pointer or size: in a fresh interpreter ---------------------

def test_misaligned_arrays_reach_c_only_as_aligned_copies(tmp_path):
    """np.frombuffer at an odd offset gives float arrays C cannot read as float[] (undefined
    behaviour, which UBSan reports): tensors sharing them go through every op that calls a
    kernel, and every pointer handed to C must be aligned, the results those of aligned
    copies."""
    assert_exits_cleanly("""
        import numpy as np
        import pynn
        from pynn import _kernels, functional as F, nn, optim

        pointers = []
        plain_buffer = _kernels._buffer
        def checked_buffer(ctype, arr):
            pointers.append(arr.ctypes.data % arr.itemsize == 0)
            return plain_buffer(ctype, arr)
        _kernels._buffer = checked_buffer

        def misaligned(values):
            raw = bytearray(values.nbytes + 1)
            arr = np.frombuffer(raw, values.dtype, values.size, 1).reshape(values.shape)
            arr[...] = values
            assert not arr.flags.aligned
            return arr

        rng = np.random.default_rng(0)
        for dtype in (np.float32, np.float64):
            a_, b_ = (rng.standard_normal((5, 7)).astype(dtype) for _ in range(2))
            bias_ = rng.standard_normal(5).astype(dtype)
            def run(a, b, bias):
                ts = [pynn.from_numpy(v).requires_grad_() for v in (a, b, bias)]
                x, w, c = ts
                out = (F.linear(x, w, c).relu().sigmoid().tanh().sum()
                       + F.binary_cross_entropy_with_logits(x, pynn.from_numpy(b).detach())
                       + (x @ w.T).sum())
                out.backward()
                return [out.item()] + [t.grad.numpy() for t in ts]
            got = run(misaligned(a_), misaligned(b_), misaligned(bias_))
            want = run(a_, b_, bias_)
            for g, w in zip(got, want):
                np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)
            p = nn.Parameter(np.ones(3, dtype))
            opt = optim.Adam([p])
            p.grad = pynn.from_numpy(misaligned(np.ones(3, dtype)))
            opt.step()
        print(len(pointers) > 50, all(pointers))
        """, tmp_path, ["True True"])


def test_tensor_data_replaced_by_the_user(tmp_path):
    """.data replaced between forward and backward, or by another shape: a clear Python error
    or the right values, never a bad read in C."""
    assert_exits_cleanly("""
        import numpy as np
        import pynn
        from pynn.keras.layers import Dense
        from pynn.keras.models import Sequential

        def attempt(label, fn):
            try:
                fn()
                print(label, "ok")
            except (TypeError, ValueError, RuntimeError) as e:
                print(label, type(e).__name__)

        def replaced(data):
            t = pynn.ones(2, 3, requires_grad=True)
            t.data = data
            return t
        attempt("array", lambda: replaced(np.ones((2, 3))))
        attempt("int tensor", lambda: replaced(pynn.ones(2, 3, dtype=pynn.int64)).relu())
        attempt("strided", lambda: replaced(pynn.ones(4, 6)[::2, ::2]) @ pynn.ones(3, 2))

        x = pynn.ones(2, 3, requires_grad=True)
        w = pynn.ones(3, 4, requires_grad=True)
        y = (x @ w).relu()
        w.data = pynn.ones(5, 5)  # between forward and backward: backward uses what it saved
        attempt("backward after resize", lambda: y.sum().backward())

        m = Sequential([Dense(3, input_dim=2), Dense(1)])
        m.layers[0].kernel.data = pynn.ones(5, 5)
        attempt("keras kernel resized", lambda: m.predict(np.ones((4, 2)), verbose=0))
        """, tmp_path, ["array TypeError", "int tensor ok", "strided ok",
                        "backward after resize ShapeError", "keras kernel resized ShapeError"])


def test_sizes_too_big_to_allocate_are_python_errors(tmp_path):
    """Weights whose element count passes 2**32 (or 2**64): NumPy refuses them as it allocates,
    and the process goes on."""
    assert_exits_cleanly("""
        import pynn
        from pynn.keras.layers import Dense
        from pynn.keras.models import Sequential

        for label, make in [("Linear 2**20", lambda: pynn.nn.Linear(2**20, 2**20)),
                            ("Linear 2**40", lambda: pynn.nn.Linear(2**40, 2**40)),
                            ("Dense 2**40", lambda: Sequential([Dense(2**40, input_dim=2**40)]))]:
            try:
                make()
                print(label, "allocated")
            except (MemoryError, ValueError) as e:
                print(label, "refused")
        """, tmp_path, ["Linear 2**20 refused", "Linear 2**40 refused", "Dense 2**40 refused"],
        huge_allocations=True)


# ---- sizes past 32 bits (the kernels' own test is in test_kernels.py) -------------------------

def test_dense_output_shapes_past_32_bits_are_known_before_allocating():
    layer = Dense(2**33)
    assert layer.compute_output_shape((None, 4)) == (None, 2**33)
    assert not layer.built and layer.weights == []


def test_thread_count_must_fit_the_kernels_int():
    with pytest.raises(ValueError, match="set_num_threads: expected a thread count of at "
                                         "most 2147483647, got 2147483648"):
        pynn.set_num_threads(2**31)
    with pytest.raises(TypeError, match="positive integer"):
        pynn.set_num_threads(1.5)
    assert pynn.get_num_threads() < 2**31
