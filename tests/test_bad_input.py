"""Bad input at every public entry point, as a new user would try it: each gets a TypeError,
ValueError or RuntimeError whose message says what was expected, and nothing changes on the way.
Cases that could reach C with a bad pointer or size run in a fresh interpreter, which must exit
normally with the Python error, not die of a signal. (The kernels' own bad arguments are in
test_kernels.py, the Keras ones the Keras author wrote in test_keras_errors.py, model files in
test_saving.py: here is what those leave out.)"""
import os
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import pynn
from pynn import Tensor, functional as F, gradcheck, kernels, nn, optim, reference, validate
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
def test_tensor_refuses_what_is_not_real_numbers(data, named):
    with pytest.raises(TypeError, match=f"Tensor: expected a real numeric array.*{named}"):
        Tensor(data)


@pytest.mark.parametrize("dtype, error, match", [
    (np.int32, TypeError, "float32 or float64, got int32"),
    (complex, TypeError, "float32 or float64, got complex128"),
    ("float16", TypeError, "float32 or float64, got float16"),
    ("bogus", TypeError, "bogus"),
])
def test_tensor_dtype_argument(dtype, error, match):
    with pytest.raises(error, match=match):
        Tensor([1.0], dtype=dtype)


@pytest.mark.parametrize("data, shape", [([], (0,)), (np.empty((0, 3)), (0, 3)), (2.5, ()),
                                         (np.float64(1), ()), (np.ones((3, 0, 2)), (3, 0, 2))])
def test_empty_and_0d_tensors_are_ordinary_tensors(data, shape):
    t = Tensor(data, requires_grad=True)
    assert t.shape == shape
    (t * 2 + 1).relu().sum().backward()
    assert t.grad.shape == shape


# ---- Tensor ops -----------------------------------------------------------------------------

T = Tensor(np.ones((2, 3)), requires_grad=True)


@pytest.mark.parametrize("other, named", [("a", "str"), (None, "NoneType"), (object(), "object"),
                                          (1j, "complex"), (np.ones(3) * 1j, "complex128"),
                                          ([["a"]], "list")])
@pytest.mark.parametrize("op", ["+", "-", "*", "/", "@", "r+", "r*"])
def test_ops_refuse_operands_that_are_not_real_numbers(other, named, op):
    with pytest.raises(TypeError, match=f"expected a real numeric array.*{named}"):
        {"+": lambda: T + other, "-": lambda: T - other, "*": lambda: T * other,
         "/": lambda: T / other, "@": lambda: T @ other, "r+": lambda: other + T,
         "r*": lambda: other * T}[op]()


@pytest.mark.parametrize("other, shape", [(np.ones(4), "(4,)"), (np.ones((3, 3)), "(3,3)"),
                                          ([1.0, 2.0], "(2,)")])
def test_broadcast_mismatch_names_both_shapes(other, shape):
    with pytest.raises(ValueError, match=re.escape(f"shapes (2,3) {shape}")):
        T * other


@pytest.mark.parametrize("a, b", [((2, 3), ()), ((2, 3), (3,)), ((3,), (3, 2)), ((), ()),
                                  ((2, 3), (4, 3)), ((2, 2, 3), (3, 3, 1)),
                                  ((2, 2, 3, 4), (4, 1))])
def test_matmul_refuses_shapes_naming_both(a, b):
    with pytest.raises(ValueError, match=rf"matmul: shapes {a} and {b} do not fit".replace(
            "(", r"\(").replace(")", r"\)")):
        Tensor(np.ones(a)) @ Tensor(np.ones(b))


@pytest.mark.parametrize("exponent", [Tensor([2.0]), "2", None, [2], 2j])
def test_pow_needs_a_real_scalar(exponent):
    with pytest.raises(TypeError, match="exponent: expected a real number"):
        T ** exponent


@pytest.mark.parametrize("call, error, match", [
    (lambda: T.reshape(5), ValueError, r"size 6 into shape \(5,\)"),
    (lambda: T.transpose(0, 2), ValueError, "axis 2 is out of range for a tensor with 2"),
    (lambda: T.sum(axis=(0, 0)), ValueError, "repeated axis"),
    (lambda: T.mean(axis=1.0), TypeError, "expected an int or a tuple of ints"),
    (lambda: Tensor(np.ones((0, 3))).max(), ValueError, "zero-size array"),
    (lambda: len(Tensor(1.0)), TypeError, "0-d"),
    (lambda: T.item(), ValueError, "size 1"),
    (lambda: (T * 2).backward(), RuntimeError, r"shape \(2, 3\); pass gradient="),
    (lambda: (T * 2).backward(gradient="a"), TypeError, "gradient: expected a real numeric"),
    (lambda: (T * 2).backward(gradient=np.ones(3)), ValueError,
     r"gradient of shape \(3,\) does not match the tensor's shape \(2, 3\)"),
    (lambda: Tensor([1.0]).backward(), RuntimeError, "does not require grad"),
    (lambda: Tensor([1.0], requires_grad="yes"), TypeError, "requires_grad: expected True"),
])
def test_tensor_methods_on_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ---- functional ---------------------------------------------------------------------------

LOGITS = Tensor(np.zeros((4, 3)), requires_grad=True)
LOSSES = ["mse_loss", "l1_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits"]


@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize("target, error, match", [
    (np.zeros((4, 1)), ValueError, r"input of shape \(4, 3\) and target of shape \(4, 1\)"),
    (np.zeros(12), ValueError, r"target of shape \(12,\)"),
    ("abc", TypeError, "target: expected a real numeric array.*str"),
    (None, TypeError, "target: expected a real numeric array.*NoneType"),
    (np.zeros((4, 3)) * 1j, TypeError, "target: expected a real numeric array.*complex"),
    (np.array([[object()] * 3] * 4), TypeError, "target: expected a real numeric.*object"),
])
def test_losses_refuse_bad_targets(name, target, error, match):
    with pytest.raises(error, match=match):
        getattr(F, name)(LOGITS.sigmoid(), target)


@pytest.mark.parametrize("target, error, match", [
    (np.array([0.0, 1.0, 2.0, 0.0]), TypeError, "integer class indices.*float64"),
    (np.array([True, False, True, False]), TypeError, "integer class indices.*bool"),
    (np.array([0, 1, 3, 0]), ValueError, r"lie in \[0, 3\), got 3"),
    (np.array([0, -1, 2, 0]), ValueError, r"lie in \[0, 3\), got -1"),
    (np.array([0, 2**63, 1, 0], dtype=np.uint64), ValueError, "got 9223372036854775808"),
    (np.array([0, 1, 2]), ValueError, r"needs target of shape \(4,\), got target of shape \(3,"),
    (np.zeros((4, 1), int), ValueError, r"needs target of shape \(4,\)"),
    (["a", "b", "c", "d"], TypeError, "target: expected a real numeric"),
    (Tensor([0.0, 1.0, 2.0, 0.0]), TypeError, "got a Tensor"),
])
def test_cross_entropy_refuses_bad_class_ids(target, error, match):
    with pytest.raises(error, match=match):
        F.cross_entropy(LOGITS, target)


@pytest.mark.parametrize("call, error, match", [
    (lambda: F.cross_entropy(Tensor(np.zeros(3)), [0]), ValueError, r"shape \(N, C\)"),
    (lambda: F.mse_loss(LOGITS, np.zeros((4, 3)), reduction="avg"), ValueError,
     r"reduction must be one of \('mean', 'sum', 'none'\), got 'avg'"),
    (lambda: F.linear(LOGITS, np.ones(3)), ValueError, r"weight must be 2-D, got shape \(3,\)"),
    (lambda: F.linear(LOGITS, np.ones((2, 5))), ValueError,
     r"input of shape \(4, 3\) does not fit weight of shape \(2, 5\)"),
    (lambda: F.linear(LOGITS, np.ones((2, 3)), np.ones(3)), ValueError,
     r"bias must have shape \(2,\)"),
    (lambda: F.dense(LOGITS, np.ones((3, 2)), activation="tanh"), ValueError,
     r"activation must be one of \(None, 'relu', 'sigmoid'\)"),
    (lambda: F.softmax(LOGITS, dim=2), ValueError, "axis 2 is out of bounds"),
    (lambda: F.softmax("abc"), TypeError, "expected a real numeric"),
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
    (lambda x: x.data, [T], {}, TypeError, "fn must return a Tensor, got ndarray"),
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
    ((0, 3), ValueError, "in_features: expected a positive integer, got 0"),
    ((-1, 2), ValueError, "in_features: expected a positive integer, got -1"),
    ((2.5, 3), TypeError, "in_features: expected a positive integer, got float 2.5"),
    (("2", 3), TypeError, "in_features: expected a positive integer, got str '2'"),
    ((None, 3), TypeError, "in_features: expected a positive integer, got NoneType"),
    ((2, 0), ValueError, "out_features: expected a positive integer, got 0"),
    ((2, np.float64(3)), TypeError, "out_features: expected a positive integer, got float64"),
])
def test_linear_sizes(args, error, match):
    with pytest.raises(error, match=match):
        nn.Linear(*args)


@pytest.mark.parametrize("x, error, match", [
    (np.ones((4, 5)), ValueError,
     r"input of shape \(4, 5\) does not fit weight of shape \(2, 3\): expected 3 input features"),
    (np.ones(5), ValueError, r"input of shape \(5,\) does not fit weight of shape \(2, 3\)"),
    (Tensor(1.0), ValueError, r"input of shape \(\) does not fit"),
    ("abc", TypeError, "expected a real numeric array.*str"),
    (None, TypeError, "expected a real numeric array.*NoneType"),
    (np.ones((2, 3)) * 1j, TypeError, "expected a real numeric array.*complex128"),
])
def test_linear_call_names_both_shapes(x, error, match):
    with pytest.raises(error, match=match):
        nn.Linear(3, 2)(x)


def test_linear_takes_what_pytorch_takes():
    layer = nn.Linear(3, 2)
    assert layer(np.ones(3)).shape == (2,)  # one sample without the batch axis
    assert layer(np.ones((2, 4, 3))).shape == (2, 4, 2)
    assert layer(np.ones((0, 3))).shape == (0, 2)
    assert layer(np.ones((2, 3), dtype=np.int64)).shape == (2, 2)


@pytest.mark.parametrize("state, error, match", [
    (None, TypeError, "expected a dict of name -> array, got NoneType"),
    ([("weight", np.ones((2, 3)))], TypeError, "got list"),
    ({"weight": np.ones((2, 3))}, ValueError, r"missing keys \['bias'\]"),
    ({"weight": np.ones((2, 3)), "bias": np.ones(2), "scale": 1.0}, ValueError,
     r"unexpected keys \['scale'\]; the model's keys are \['weight', 'bias'\]"),
    ({0: np.ones((2, 3)), "bias": np.ones(2)}, ValueError, r"unexpected keys \[0\]"),
    ({"weight": np.ones((3, 2)), "bias": np.ones(2)}, ValueError,
     r"size mismatch for weight: the checkpoint has shape \(3, 2\), the model's parameter has "
     r"shape \(2, 3\)"),
    ({"weight": np.float32(1), "bias": np.ones(2)}, ValueError, r"checkpoint has shape \(\)"),
    ({"weight": "ab", "bias": np.ones(2)}, TypeError, r"state_dict\['weight'\]: expected a real"),
    ({"weight": None, "bias": np.ones(2)}, TypeError, r"state_dict\['weight'\]"),
    ({"weight": np.ones((2, 3)) * 1j, "bias": np.ones(2)}, TypeError, "complex"),
])
def test_load_state_dict_refuses_and_changes_nothing(state, error, match):
    layer = nn.Linear(3, 2)
    before = layer.state_dict()
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
    (lambda p: optim.Adam(None), TypeError, "iterable of Tensors or of dicts, got NoneType"),
    (lambda p: optim.Adam(nn.Linear(2, 2)), TypeError, "got Linear"),
    (lambda p: optim.Adam([1, 2]), TypeError, "can only optimize Tensors, got int"),
    (lambda p: optim.Adam("ab"), TypeError, "can only optimize Tensors, got str"),
    (lambda p: optim.Adam([np.ones(3)]), TypeError, "can only optimize Tensors, got ndarray"),
    (lambda p: optim.Adam([p[0] * 2]), ValueError, "leaf Tensors that require grad"),
    (lambda p: optim.Adam([{"lr": 0.1}]), TypeError, "a dict with a 'params' entry"),
    (lambda p: optim.SGD(p, lr=-0.1), ValueError, "lr: expected a value >= 0, got -0.1"),
    (lambda p: optim.SGD(p, lr=None), TypeError, "lr: expected a real number, got NoneType"),
    (lambda p: optim.SGD(p, lr=True), TypeError, "lr: expected a real number, got bool"),
    (lambda p: optim.Adam(p, lr=-1e-3), ValueError, "lr: expected a value >= 0"),
    (lambda p: optim.Adam(p, betas=(1.0, 0.999)), ValueError, r"betas\[0\].*\[0, 1\), got 1.0"),
    (lambda p: optim.Adam(p, betas=(0.9, 1.5)), ValueError, r"betas\[1\].*got 1.5"),
    (lambda p: optim.Adam(p, betas=(-0.1, 0.9)), ValueError, r"betas\[0\]: expected a value >= 0"),
    (lambda p: optim.Adam(p, betas=(float("nan"), 0.9)), ValueError, r"betas\[0\]"),
    (lambda p: optim.Adam(p, betas=(0.9,)), ValueError, r"a pair \(beta1, beta2\)"),
    (lambda p: optim.Adam(p, betas=("a", "b")), TypeError, r"betas\[0\]: expected a real"),
    (lambda p: optim.RMSprop(p, alpha=-0.1), ValueError, "alpha"),
    (lambda p: optim.RMSprop(p, centered=1), TypeError, "centered: expected True or False"),
])
def test_optimizer_construction(make, error, match):
    with pytest.raises(error, match=match):
        make(params())


OPTIMIZERS = {"SGD": lambda p: optim.SGD(p, lr=0.1),
              "SGD momentum": lambda p: optim.SGD(p, lr=0.1, momentum=0.9),
              "Adam": lambda p: optim.Adam(p), "RMSprop": lambda p: optim.RMSprop(p)}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("grad, error, match", [
    (np.ones(5), ValueError, r"grad of shape \(5,\) does not match param of shape \(3,\)"),
    (np.ones(1), ValueError, r"grad of shape \(1,\) does not match param of shape \(3,\)"),
    (np.ones((3, 1)), ValueError, r"grad of shape \(3, 1\) does not match"),
    ("abc", TypeError, "grad: expected a real numeric array.*str"),
    (np.ones(3) * 1j, TypeError, "grad: expected a real numeric array.*complex"),
])
def test_step_refuses_a_gradient_the_user_set_wrongly(name, grad, error, match):
    p = nn.Parameter(np.ones(3))
    opt = OPTIMIZERS[name]([p])
    p.grad = grad
    with pytest.raises(error, match=match):
        opt.step()
    np.testing.assert_array_equal(p.data, np.ones(3))


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("data, error, match", [
    ("np.ones(3, dtype=np.int64)", "TypeError", "param: expected a float32 or float64"),
    ("np.ones(6)[::2]", "ValueError", "param: expected a C-contiguous array"),
    ("np.ones(4)", "ValueError", r"(m|buf|v|shape).*\(4,\)|\(3,\).*\(4,\)"),
    ("np.frombuffer(bytearray(25), np.float64, 3, 1)", "ValueError",
     "param: expected an array aligned"),
])
def test_step_refuses_parameter_data_the_user_replaced(name, data, error, match, tmp_path):
    """Each of these would reach C with a wrong size, type or layout: in a fresh interpreter."""
    code = f"""
        import numpy as np
        from pynn import nn, optim
        p = nn.Parameter(np.ones(3))
        opt = {{"SGD": lambda p: optim.SGD(p, lr=0.1),
                "SGD momentum": lambda p: optim.SGD(p, lr=0.1, momentum=0.9),
                "Adam": lambda p: optim.Adam(p),
                "RMSprop": lambda p: optim.RMSprop(p)}}[{name!r}]([p])
        p.grad = np.ones(3)
        opt.step()  # the state now holds 3 elements
        p.data = {data}
        p.grad = np.ones(p.data.shape)
        try:
            opt.step()
        except Exception as e:
            print(type(e).__name__, e)
        """
    result = run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    if name == "SGD" and data == "np.ones(4)":  # no state to mismatch: it steps, as in PyTorch
        assert result.stdout == ""
        return
    assert result.stdout.startswith(error), result.stdout
    assert re.search(match, result.stdout), result.stdout


# ---- Keras (what test_keras_errors.py leaves out) -----------------------------------------

def model(compiled=True):
    m = Sequential([Dense(4, input_dim=2, activation="relu"), Dense(1, activation="sigmoid")])
    if compiled:
        m.compile(optimizer="adam", loss="binary_crossentropy")
    return m


@pytest.mark.parametrize("compile_args, error, match", [
    (dict(optimizer=None), TypeError, "optimizer: expected a name or an optimizer object"),
    (dict(optimizer=3), TypeError, "optimizer: expected a name or an optimizer object, got int"),
    (dict(optimizer="adamw"), ValueError, r"valid names are \['adam', 'rmsprop', 'sgd'\]"),
    (dict(optimizer=optim.Adam([nn.Parameter([1.0])])), TypeError,
     "pynn.keras.optimizers object"),
    (dict(loss=["mse"]), TypeError, "loss: expected a name, a Loss or a function, got list"),
    (dict(loss="crossentropy"), ValueError, r"valid names are \['binary_crossentropy'"),
    (dict(loss="mse", metrics=[None]), TypeError, "metrics: expected names"),
    (dict(loss="mse", metrics=["auc"]), ValueError, r"valid names are \['acc', 'accuracy'"),
])
def test_compile_arguments(compile_args, error, match):
    with pytest.raises(error, match=match):
        model(compiled=False).compile(**compile_args)


@pytest.mark.parametrize("make, error, match", [
    (lambda: optimizers.SGD(momentum=2), ValueError, r"momentum must be a float in \[0, 1\]"),
    (lambda: optimizers.SGD(momentum=-0.5), ValueError, "momentum"),
    (lambda: optimizers.Adam(learning_rate=-1), ValueError, "learning_rate: expected a value >= 0"),
    (lambda: optimizers.Adam(learning_rate="0.1"), TypeError, "learning_rate: expected a real"),
    (lambda: optimizers.Adam(beta_1=1.0), ValueError, r"\[0, 1\), got 1.0"),
    (lambda: optimizers.RMSprop(rho=2), ValueError, r"\[0, 1\], got 2.0"),
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
    ({"a": X}, Y, TypeError, "x: expected a real numeric array.*dict"),
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
    (dict(epochs=None), ValueError, "epochs must be a non-negative integer, got None"),
    (dict(epochs="3"), ValueError, "epochs must be a non-negative integer"),
    (dict(epochs=True), ValueError, "epochs must be a non-negative integer"),
    (dict(initial_epoch=-1), ValueError, "initial_epoch must be a non-negative integer"),
    (dict(validation_split=-0.1), ValueError, r"validation_split must be in \[0, 1\), got -0.1"),
    (dict(validation_split=float("nan")), ValueError, r"validation_split must be in \[0, 1\)"),
    (dict(validation_split=True), TypeError, "validation_split: expected a real number"),
    (dict(callbacks="x"), TypeError, "callbacks: expected a list of Callback objects, got str"),
    (dict(callbacks=3), TypeError, "callbacks: expected a list of Callback objects, got int"),
    (dict(callbacks=[None]), TypeError, "callbacks: expected Callback objects, got NoneType"),
    (dict(callbacks=[callbacks.EarlyStopping]), TypeError, "got type"),
    (dict(validation_data=(np.ones((2, 3)), np.ones(2))), ValueError, "expects 2 features"),
    (dict(validation_data=(X, Y, Y)), ValueError, r"validation_data must be a tuple \(x_val"),
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
    (None, ValueError, r"x: expected an array of shape \(samples, features\), got None"),
    (np.ones(2), ValueError, r"got shape \(2,\) \(reshape it with x.reshape\(-1, 1\)"),
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
    behaviour, which UBSan reports): every kernel, a Tensor and an optimizer get them, and every
    pointer handed to C must be aligned, with the reference's results."""
    assert_exits_cleanly("""
        import numpy as np
        import pynn
        from pynn import kernels, reference, nn, optim

        pointers = []
        plain_buffer = kernels._buffer
        def checked_buffer(ctype, arr):
            pointers.append(arr.ctypes.data % arr.itemsize == 0)
            return plain_buffer(ctype, arr)
        kernels._buffer = checked_buffer

        def misaligned(values):
            raw = bytearray(values.nbytes + 1)
            arr = np.frombuffer(raw, values.dtype, values.size, 1).reshape(values.shape)
            arr[...] = values
            assert not arr.flags.aligned
            return arr

        rng = np.random.default_rng(0)
        for dtype in (np.float32, np.float64):
            a, b = (misaligned(rng.standard_normal((5, 7)).astype(dtype)) for _ in range(2))
            bias = misaligned(rng.standard_normal(5).astype(dtype))
            calls = [("matmul", (a, b), dict(trans_b=True)),
                     ("linear", (a, b, bias), dict(activation="relu", trans_w=True)),
                     ("relu", (a,), {}), ("relu_backward", (a, b), {}), ("sigmoid", (a,), {}),
                     ("sigmoid_backward", (a, b), {}), ("sum_rows", (a,), {}),
                     ("bce_with_logits", (a, b), {})]
            for name, args, kwargs in calls:
                got = getattr(kernels, name)(*args, **kwargs)
                want = getattr(reference, name)(*args, **kwargs)
                for g, w in zip(got if name == "bce_with_logits" else [got],
                                want if name == "bce_with_logits" else [want]):
                    np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)
            t = pynn.Tensor(a, requires_grad=True)
            assert t.data.flags.aligned
            ((t @ b.T).relu().sigmoid().sum()).backward()
            p = nn.Parameter(np.ones(3, dtype))
            opt = optim.Adam([p])
            p.grad = misaligned(np.ones(3, dtype))
            opt.step()
            for out_name in ("relu", "sigmoid"):
                try:
                    getattr(kernels, out_name)(np.ones(3, dtype), out=misaligned(np.ones(3, dtype)))
                except ValueError as e:
                    assert "aligned" in str(e)
        print(len(pointers) > 50, all(pointers))
        """, tmp_path, ["True True"])


def test_tensor_data_replaced_by_the_user(tmp_path):
    """Writing .data directly skips Tensor's checks: the kernels' own checks catch what follows,
    in forward and in backward."""
    assert_exits_cleanly("""
        import numpy as np
        from pynn import Tensor, functional as F
        from pynn.keras.layers import Dense
        from pynn.keras.models import Sequential

        def attempt(label, fn):
            try:
                fn()
                print(label, "ok")
            except (TypeError, ValueError) as e:
                print(label, type(e).__name__)

        def replaced(data):
            t = Tensor(np.ones((2, 3)), requires_grad=True)
            t.data = data
            return t
        attempt("str", lambda: replaced("abc").relu())
        attempt("None", lambda: replaced(None).sigmoid())
        attempt("int array", lambda: replaced(np.ones((2, 3), int)).relu())
        attempt("strided", lambda: replaced(np.ones((4, 6))[::2, ::2]) @ np.ones((3, 2)))

        x = Tensor(np.ones((2, 3)), requires_grad=True)
        w = Tensor(np.ones((3, 4)), requires_grad=True)
        y = (x @ w).relu()
        w.data = np.ones((5, 5))  # between forward and backward
        attempt("backward after resize", lambda: y.sum().backward())

        m = Sequential([Dense(3, input_dim=2), Dense(1)])
        m.layers[0].kernel.data = np.ones((5, 5), np.float32)
        attempt("keras kernel resized", lambda: m.predict(np.ones((4, 2)), verbose=0))
        """, tmp_path, ["str TypeError", "None TypeError", "int array ok", "strided ok",
                        "backward after resize ValueError", "keras kernel resized ValueError"])


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


# ---- sizes past 32 bits, at the validation level (nothing allocated) ---------------------------

BIG = 2**16 + 1  # BIG * BIG > 2**32: the element count of a square matrix overflows 32 bits


def sparse(tmp_path, name, shape, mode="r"):
    """A float32 array of `shape` mapped from a sparse file: no memory or disk is used."""
    path = tmp_path / name
    with open(path, "wb") as f:
        f.truncate(4 * int(np.prod(shape, dtype=np.int64)))
    return np.memmap(path, np.float32, mode, shape=shape)


def test_linear_validation_keeps_sizes_past_32_bits(tmp_path):
    x, w = sparse(tmp_path, "x", (BIG, BIG)), sparse(tmp_path, "w", (BIG, 2))
    x2, w2, bias, out, m, n, k, trans_w, _ = validate.linear(x, w, None, "relu", False, None)
    assert (m, n, k) == (BIG, 2, BIG) and out.shape == (BIG, 2)
    assert x2.size == BIG * BIG > 2**32 and np.may_share_memory(x2, x)  # the mapping, no copy
    with pytest.raises(ValueError, match=rf"x of shape \({BIG}, {BIG}\) does not fit w of shape "
                                         rf"\({BIG}, 2\) \(transposed\): {BIG} != 2"):
        validate.linear(x, w, None, None, True, None)


def test_elementwise_validation_keeps_sizes_past_32_bits(tmp_path):
    x = sparse(tmp_path, "x", (BIG, BIG))
    out = sparse(tmp_path, "out", (BIG, BIG), "r+")
    x2, out2 = validate.unary(x, out)
    assert x2.size == out2.size == BIG * BIG and out2 is out
    a, g, out3 = validate.binary(x, sparse(tmp_path, "g", (BIG, BIG)), out, ("x", "grad"))
    assert a.size == g.size == out3.size == BIG * BIG
    with pytest.raises(ValueError, match=rf"same shape, got \({BIG}, {BIG}\) and \({BIG}, 1\)"):
        validate.binary(x, sparse(tmp_path, "g1", (BIG, 1)), out, ("x", "grad"))
    logits, target = validate.bce_with_logits(x, sparse(tmp_path, "t", (BIG, BIG)))
    assert logits.size == target.size == BIG * BIG


def test_optimizer_validation_keeps_sizes_past_32_bits(tmp_path):
    param, grad, m, v = (sparse(tmp_path, name, (BIG, BIG), "r+") for name in "pgmv")
    checked = validate.StepArrays([param], m=[m], v=[v])
    assert checked.params[0] is param and checked.params[0].size == BIG * BIG
    assert checked.grads([grad])[0].size == BIG * BIG
    checked = validate.StepArrays([param], buf=[m])
    assert checked.states["buf"][0] is m and checked.states["buf"][0].size == BIG * BIG


def test_dense_weight_shapes_past_32_bits_are_known_before_allocating():
    layer = Dense(2**33)
    assert layer.weight_shapes((None, 4)) == [(4, 2**33), (2**33,)]
    assert not layer.built


def test_thread_count_must_fit_the_kernels_int():
    for mod in (kernels, reference):
        with pytest.raises(ValueError, match="set_num_threads: expected a thread count of at "
                                             "most 2147483647, got 2147483648"):
            mod.set_num_threads(2**31)
    assert pynn.get_num_threads() < 2**31
