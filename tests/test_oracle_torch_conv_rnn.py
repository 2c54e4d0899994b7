"""pynn.nn's convolution, pooling and recurrent modules against PyTorch's: with torch's weights
copied in (state_dict), the same outputs, input gradients and weight gradients, in float64, and
the same printed text.

Runs only where torch is installed (pip install '.[oracle]').
"""
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import pynn  # noqa: E402
import pynn.nn as nn  # noqa: E402

LIBS = {"pynn": pynn, "torch": torch}


def _weighted_sum(t, outs):
    """A fixed weighting of every output element, so that each gradient entry counts."""
    return sum((o * t.tensor(np.linspace(0.5, 1.5, o.numel()).reshape(tuple(o.shape)),
                             dtype=o.dtype)).sum() for o in outs)


def _flat(out):
    if isinstance(out, (tuple, list)):
        return [o for part in out for o in _flat(part)]
    return [out]


def assert_module_same(make, shapes, call=None, atol=1e-9):
    """make(nn) for torch.nn and pynn.nn with torch's weights in both; call(module, *inputs)
    (default module(*inputs)) on the same float64 inputs: outputs and gradients agree."""
    call = call or (lambda module, *inputs: module(*inputs))
    theirs = make(torch.nn).double()
    ours = make(nn).double()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: pynn.tensor(v.detach().numpy().copy())
                          for k, v in theirs.state_dict().items()})
    rng = np.random.default_rng(0)
    arrays = [rng.uniform(-2, 2, shape) for shape in shapes]
    results = {}
    for name, module, t in (("pynn", ours, pynn), ("torch", theirs, torch)):
        inputs = [t.tensor(a.copy(), dtype=t.float64, requires_grad=True) for a in arrays]
        outs = _flat(call(module, *inputs))
        _weighted_sum(t, outs).backward()
        results[name] = ([o.detach().numpy() for o in outs],
                         [x.grad.numpy() for x in inputs],
                         {k: p.grad.numpy() for k, p in module.named_parameters()})
    (got, got_in, got_w), (want, want_in, want_w) = results["pynn"], results["torch"]
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g.shape == w.shape
        np.testing.assert_allclose(g, w, atol=atol, rtol=1e-7)
    for g, w in zip(got_in, want_in):
        np.testing.assert_allclose(g, w, atol=atol, rtol=1e-7)
    assert list(got_w) == list(want_w)
    for k in want_w:
        np.testing.assert_allclose(got_w[k], want_w[k], atol=atol, rtol=1e-7, err_msg=k)


@pytest.mark.parametrize("kwargs", [{}, {"padding": 1}, {"stride": 2, "padding": (2, 1)},
                                    {"padding": "same"}, {"padding": "valid", "bias": False},
                                    {"kernel_size": (2, 3), "stride": (1, 2)}])
def test_conv2d_matches_torch(kwargs):
    kwargs = {"kernel_size": 3, **kwargs}
    assert_module_same(lambda lib: lib.Conv2d(2, 3, **kwargs), [(2, 2, 7, 6)])


@pytest.mark.parametrize("kwargs", [{}, {"padding": 2}, {"stride": 2}, {"padding": "same"},
                                    {"bias": False, "kernel_size": 2}])
def test_conv1d_matches_torch(kwargs):
    kwargs = {"kernel_size": 3, **kwargs}
    assert_module_same(lambda lib: lib.Conv1d(2, 4, **kwargs), [(3, 2, 9)])


def test_unbatched_conv_matches_torch():
    assert_module_same(lambda lib: lib.Conv2d(2, 3, 3, padding=1), [(2, 5, 5)])
    assert_module_same(lambda lib: lib.Conv1d(2, 3, 3), [(2, 6)])


@pytest.mark.parametrize("make", [
    lambda lib: lib.MaxPool2d(2), lambda lib: lib.MaxPool2d(3, stride=2, padding=1),
    lambda lib: lib.MaxPool2d((2, 3), stride=(1, 2)), lambda lib: lib.AvgPool2d(2),
    lambda lib: lib.AvgPool2d(3, stride=1, padding=1), lambda lib: lib.AdaptiveAvgPool2d(1),
    lambda lib: lib.AdaptiveAvgPool2d((3, 2)), lambda lib: lib.AdaptiveAvgPool2d((None, 1))])
def test_pool2d_matches_torch(make):
    assert_module_same(make, [(2, 3, 6, 4)])


@pytest.mark.parametrize("make", [
    lambda lib: lib.MaxPool1d(2), lambda lib: lib.MaxPool1d(3, stride=2, padding=1),
    lambda lib: lib.AvgPool1d(3), lambda lib: lib.AvgPool1d(2, stride=1, padding=1),
    lambda lib: lib.AdaptiveAvgPool1d(1), lambda lib: lib.AdaptiveAvgPool1d(4)])
def test_pool1d_matches_torch(make):
    assert_module_same(make, [(2, 3, 8)])


def test_functional_conv_and_pool_match_torch():
    def run(t, x, w, b):
        F = t.nn.functional
        y = F.conv2d(x, w, b, stride=1, padding=1)
        return (F.max_pool2d(y, 2), F.avg_pool2d(y, 2, padding=1),
                F.adaptive_avg_pool2d(y, 1), F.conv1d(x[:, :, 0], w[:, :, 0], None, padding=1),
                F.max_pool1d(x[:, :, 0], 2), F.avg_pool1d(x[:, :, 0], 2),
                F.adaptive_avg_pool1d(x[:, :, 0], 2))
    rng = np.random.default_rng(1)
    arrays = [rng.normal(size=s) for s in ((2, 3, 6, 6), (4, 3, 3, 3), (4,))]
    got = [o.detach().numpy() for o in run(pynn, *(pynn.tensor(a) for a in arrays))]
    want = [o.numpy() for o in run(torch, *(torch.tensor(a) for a in arrays))]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, atol=1e-10)


REPRS = [
    ("Conv2d", (1, 8, 3), {"padding": 1}), ("Conv2d", (3, 4, (3, 2)), {"stride": 2}),
    ("Conv2d", (3, 4, 3), {"padding": "same", "bias": False}), ("Conv1d", (2, 5, 3), {}),
    ("Conv1d", (2, 5, 3), {"padding": 1, "stride": 2}), ("MaxPool2d", (2,), {}),
    ("MaxPool2d", (3, 2, 1), {}), ("MaxPool1d", (2,), {}), ("AvgPool2d", (2,), {}),
    ("AvgPool1d", (3,), {}), ("AdaptiveAvgPool2d", ((1, 1),), {}),
    ("AdaptiveAvgPool2d", (1,), {}), ("AdaptiveAvgPool1d", (4,), {})]


@pytest.mark.parametrize("name, args, kwargs", REPRS, ids=[r[0] for r in REPRS])
def test_conv_rnn_reprs_match_torch(name, args, kwargs):
    assert repr(getattr(nn, name)(*args, **kwargs)) == \
        repr(getattr(torch.nn, name)(*args, **kwargs))


def test_a_cnn_prints_as_in_torch():
    def make(lib):
        return lib.Sequential(lib.Conv2d(1, 8, 3, padding=1), lib.ReLU(), lib.MaxPool2d(2),
                              lib.Flatten(), lib.Linear(8 * 4 * 4, 10))
    assert repr(make(nn)) == repr(make(torch.nn))


RNN_KINDS = ["RNN", "LSTM", "GRU"]


@pytest.mark.parametrize("kind", RNN_KINDS)
@pytest.mark.parametrize("kwargs", [{}, {"num_layers": 2}, {"batch_first": True},
                                    {"bias": False}, {"num_layers": 2, "batch_first": True}])
def test_recurrent_layers_match_torch(kind, kwargs):
    shape = (3, 5, 4) if kwargs.get("batch_first") else (5, 3, 4)
    assert_module_same(lambda lib: getattr(lib, kind)(4, 6, **kwargs), [shape])


def test_relu_rnn_matches_torch():
    assert_module_same(lambda lib: lib.RNN(3, 5, num_layers=2, nonlinearity="relu"), [(4, 2, 3)])


@pytest.mark.parametrize("kind", RNN_KINDS)
def test_recurrent_layers_with_an_initial_state_match_torch(kind):
    shapes = [(5, 3, 4), (2, 3, 6)] + ([(2, 3, 6)] if kind == "LSTM" else [])

    def call(module, x, h, c=None):
        return module(x, h if c is None else (h, c))
    assert_module_same(lambda lib: getattr(lib, kind)(4, 6, num_layers=2), shapes, call)


@pytest.mark.parametrize("kind", RNN_KINDS)
def test_unbatched_recurrent_layers_match_torch(kind):
    assert_module_same(lambda lib: getattr(lib, kind)(4, 6, num_layers=2), [(5, 4)])


@pytest.mark.parametrize("kind", ["RNNCell", "LSTMCell", "GRUCell"])
def test_cells_match_torch(kind):
    shapes = [(3, 4), (3, 6)] + ([(3, 6)] if kind == "LSTMCell" else [])

    def call(module, x, h, c=None):
        return module(x, h if c is None else (h, c))
    assert_module_same(lambda lib: getattr(lib, kind)(4, 6), shapes, call)
    assert_module_same(lambda lib: getattr(lib, kind)(4, 6, bias=False), [(3, 4)])
    assert_module_same(lambda lib: getattr(lib, kind)(4, 6), [(4,)])


RNN_REPRS = [("LSTM", (1, 8), {"batch_first": True}), ("GRU", (2, 3, 2), {"dropout": 0.1}),
             ("RNN", (2, 3), {"nonlinearity": "relu", "bias": False}), ("LSTMCell", (2, 3), {}),
             ("RNNCell", (2, 3), {"nonlinearity": "relu"}), ("GRUCell", (2, 3), {"bias": False})]


@pytest.mark.parametrize("name, args, kwargs", RNN_REPRS, ids=[r[0] for r in RNN_REPRS])
def test_recurrent_reprs_match_torch(name, args, kwargs):
    assert repr(getattr(nn, name)(*args, **kwargs)) == \
        repr(getattr(torch.nn, name)(*args, **kwargs))
