"""pynn.nn: Module bookkeeping, Linear (PyTorch's init and forward), activations, Sequential,
state_dict round trips, bad arguments, and an nn.Sequential trained by optim.Adam on XOR."""
import copy
import math

import numpy as np
import pytest

import pynn
from pynn import nn, optim

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
XOR_Y = np.array([[0], [1], [1], [0]], dtype=np.float32)


class TwoLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 5)
        self.act = nn.Tanh()
        self.fc2 = nn.Linear(5, 2, bias=False)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


def test_linear_shapes_init_and_forward():
    pynn.random.manual_seed(0)
    layer = nn.Linear(20, 7)
    assert layer.weight.shape == (7, 20) and layer.bias.shape == (7,)
    assert layer.weight.dtype == np.float32 and layer.weight.requires_grad
    bound = 1 / math.sqrt(20)
    assert np.abs(layer.weight.data).max() <= bound and np.abs(layer.bias.data).max() <= bound
    # uniform on [-bound, bound]: the sample spreads over most of the interval
    assert np.abs(layer.weight.data).max() > 0.8 * bound
    x = np.random.default_rng(1).standard_normal((4, 20)).astype(np.float32)
    out = layer(x)
    np.testing.assert_allclose(out.data, x @ layer.weight.data.T + layer.bias.data, rtol=1e-5,
                               atol=1e-6)
    assert repr(layer) == "Linear(in_features=20, out_features=7, bias=True)"


def test_linear_init_is_reproducible_from_the_seed():
    pynn.manual_seed(42)
    a = nn.Linear(3, 4)
    pynn.manual_seed(42)
    b = nn.Linear(3, 4)
    c = nn.Linear(3, 4)
    np.testing.assert_array_equal(a.weight.data, b.weight.data)
    assert not np.array_equal(b.weight.data, c.weight.data)


def test_linear_gradients_by_gradcheck():
    layer = nn.Linear(3, 2, dtype=np.float64)
    x = pynn.tensor(np.random.default_rng(2).standard_normal((5, 3)), requires_grad=True)
    assert pynn.gradcheck(pynn.functional.linear, [x, layer.weight, layer.bias])


def test_activation_modules():
    x = np.array([[-2.0, 0.5, 3.0]])
    np.testing.assert_allclose(nn.ReLU()(x).data, [[0, 0.5, 3.0]])
    np.testing.assert_allclose(nn.Sigmoid()(x).data, 1 / (1 + np.exp(-x)), rtol=1e-6)
    np.testing.assert_allclose(nn.Tanh()(x).data, np.tanh(x), rtol=1e-6)
    s = nn.Softmax(dim=1)(x).data
    np.testing.assert_allclose(s, np.exp(x) / np.exp(x).sum(), rtol=1e-6)
    np.testing.assert_allclose(nn.Softmax(dim=0)(x).data, np.ones((1, 3)))
    assert repr(nn.Softmax(dim=0)) == "Softmax(dim=0)"


def test_parameters_and_names():
    model = TwoLayer()
    names = [n for n, _ in model.named_parameters()]
    assert names == ["fc1.weight", "fc1.bias", "fc2.weight"]
    assert len(list(model.parameters())) == 3
    assert [type(m).__name__ for m in model.children()] == ["Linear", "Tanh", "Linear"]
    seq = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))
    assert list(seq.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_shared_parameters_are_listed_once():
    shared = nn.Linear(2, 2)
    model = nn.Sequential(shared, nn.ReLU(), shared)
    assert len(list(model.parameters())) == 2


def test_reassigning_an_attribute_unregisters_it():
    model = TwoLayer()
    model.fc2 = None
    assert [n for n, _ in model.named_parameters()] == ["fc1.weight", "fc1.bias"]
    del model.fc1
    assert list(model.parameters()) == []


def test_module_without_super_init_is_a_clear_error():
    class Broken(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(1, 1)

    with pytest.raises(AttributeError, match=r"super\(\)\.__init__\(\)"):
        Broken()


def test_zero_grad_and_train_eval():
    model = TwoLayer()
    out = model(np.ones((2, 3), np.float32)).sum()
    out.backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad(set_to_none=False)
    assert all(np.all(p.grad == 0) for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())
    assert model.eval() is model
    assert not model.training and not model.fc1.training
    model.train()
    assert model.training and model.act.training


def test_state_dict_is_a_copy_and_round_trips():
    a, b = TwoLayer(), TwoLayer()
    state = copy.deepcopy(a.state_dict())  # state_dict() shares the module's memory
    state["fc1.weight"][...] = 0
    assert not np.all(a.fc1.weight.data == 0)
    a.state_dict()["fc1.bias"][...] = 3  # as in PyTorch
    assert np.all(a.fc1.bias.data == 3)
    result = b.load_state_dict(a.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    for (n1, p1), (n2, p2) in zip(a.named_parameters(), b.named_parameters()):
        assert n1 == n2
        np.testing.assert_array_equal(p1.data, p2.data)
    x = np.ones((1, 3), np.float32)
    np.testing.assert_array_equal(a(x).data, b(x).data)


def test_load_state_dict_errors():
    model = TwoLayer()
    state = model.state_dict()
    del state["fc2.weight"]
    state["extra"] = np.zeros(2)
    with pytest.raises(RuntimeError, match=r'Missing key\(s\) in state_dict: "fc2.weight".*\n.*'
                       "Unexpected key"):
        model.load_state_dict(state)
    result = model.load_state_dict(state, strict=False)
    assert result.missing_keys == ["fc2.weight"] and result.unexpected_keys == ["extra"]

    before = model.fc1.weight.detach().numpy().copy()
    bad = model.state_dict()
    bad["fc1.weight"] = np.ones((5, 3), np.float32) * 7  # fits
    bad["fc2.weight"] = np.zeros((3, 5))  # does not: nothing may change
    with pytest.raises(ValueError, match="size mismatch for fc2.weight"):
        model.load_state_dict(bad)
    np.testing.assert_array_equal(model.fc1.weight.data, before)
    with pytest.raises(TypeError):
        model.load_state_dict([1, 2])
    bad = model.state_dict()
    bad["fc1.bias"] = ["a"] * 5
    with pytest.raises(TypeError, match="fc1.bias"):
        model.load_state_dict(bad)


def test_sequential_indexing():
    seq = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1), nn.Sigmoid())
    assert len(seq) == 4 and isinstance(seq[1], nn.ReLU) and isinstance(seq[-1], nn.Sigmoid)
    head = seq[:2]
    assert isinstance(head, nn.Sequential) and len(head) == 2 and head[0] is seq[0]
    assert [type(m).__name__ for m in seq] == ["Linear", "ReLU", "Linear", "Sigmoid"]
    assert seq(XOR_X).shape == (4, 1)
    assert repr(seq).splitlines()[1] == "  (0): Linear(in_features=2, out_features=4, bias=True)"
    with pytest.raises(TypeError, match="not a Module subclass"):
        nn.Sequential(nn.ReLU(), lambda x: x)


class Doubled(nn.ReLU):
    """A ReLU subclass that computes something else: it must not be fused."""

    def forward(self, input):
        return super().forward(input) * 2


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sequential_fuses_linear_and_activation_with_the_same_results(dtype):
    """Linear then ReLU or Sigmoid run as one node: outputs and gradients are those of the
    modules applied one by one, bit for bit; other modules and subclasses run as they are."""
    pynn.manual_seed(3)
    seq = nn.Sequential(nn.Linear(5, 7, dtype=dtype), nn.ReLU(), nn.Linear(7, 6, dtype=dtype),
                        nn.Sigmoid(), nn.Linear(6, 4, dtype=dtype), Doubled(), nn.Tanh(),
                        nn.Linear(4, 3, dtype=dtype), nn.ReLU())
    x = pynn.tensor(np.random.default_rng(0).standard_normal((9, 5)).astype(dtype))
    fused = seq(x)
    assert fused._parents[1] is seq[7].weight  # the last ReLU is in the Linear's node
    fused.sum().backward()
    want = {name: p.grad.clone() for name, p in seq.named_parameters()}
    seq.zero_grad()
    one_by_one = x
    for module in seq:
        one_by_one = module(one_by_one)
    np.testing.assert_array_equal(fused.data, one_by_one.data)
    one_by_one.sum().backward()
    for name, p in seq.named_parameters():
        np.testing.assert_array_equal(p.grad, want[name], err_msg=name)


@pytest.mark.parametrize("make", [
    lambda: [nn.ReLU(), nn.Linear(5, 4), nn.Linear(4, 4), nn.Sigmoid()],
    lambda: [nn.Linear(5, 4), nn.Tanh(), nn.Linear(4, 3)],
    lambda: [nn.Sigmoid(), nn.ReLU(), nn.Linear(5, 2), nn.ReLU(), nn.ReLU()],
], ids=["activation first, two Linears in a row", "unfused between", "activations in a row"])
def test_sequential_of_any_order_is_its_modules_one_by_one(make):
    pynn.manual_seed(4)
    seq = nn.Sequential(*make())
    x = pynn.tensor(np.random.default_rng(1).standard_normal((6, 5)).astype(np.float32))
    one_by_one = x
    for module in seq:
        one_by_one = module(one_by_one)
    np.testing.assert_array_equal(seq(x).data, one_by_one.data)


@pytest.mark.parametrize("args, error, match", [
    ((2, -1), ValueError, "negative dimension"), ((-2, 3), RuntimeError, "negative dimension"),
    ((2.0, 3), TypeError, "integer"), ((True, 3), TypeError, "integer"),
    (("2", 3), TypeError, "integer")])
def test_linear_refuses_bad_sizes(args, error, match):
    with pytest.raises(error, match=match):
        nn.Linear(*args)


def test_linear_refuses_bad_input_width_and_dtype():
    with pytest.raises(ValueError, match="cannot be multiplied"):
        nn.Linear(3, 2)(np.ones((4, 5), np.float32))
    with pytest.raises(RuntimeError, match="same dtype"):
        nn.Linear(3, 2)(pynn.ones(4, 3, dtype=pynn.float64))
    with pytest.raises(TypeError, match="float32 or float64"):
        nn.Linear(3, 2, dtype=np.int32)
    with pytest.raises(TypeError, match="dim"):
        nn.Softmax(dim="last")(pynn.ones(2, 2))


def test_sequential_with_adam_learns_xor():
    pynn.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
    opt = optim.Adam(model.parameters(), lr=0.05)
    for _ in range(300):
        opt.zero_grad()
        loss = pynn.functional.binary_cross_entropy_with_logits(model(XOR_X), XOR_Y)
        loss.backward()
        opt.step()
    with pynn.no_grad():
        probs = nn.Sigmoid()(model(XOR_X)).data
    np.testing.assert_array_equal(probs.round(), XOR_Y)
    assert float(loss.data) < 0.05
