"""pynn.nn's convolution, pooling and recurrent modules without PyTorch: float64 gradients
checked by central differences, shapes, PyTorch's initialisation bounds, and clear errors for
arguments pynn does not support."""
import math

import numpy as np
import pytest

import pynn
import pynn.functional as F
import pynn.nn as nn


def _inputs(*shapes, seed=0):
    rng = np.random.default_rng(seed)
    return [pynn.tensor(rng.normal(size=s), dtype=pynn.float64, requires_grad=True)
            for s in shapes]


@pytest.mark.parametrize("kwargs", [{}, {"padding": 1}, {"stride": 2, "padding": (1, 2)},
                                    {"padding": "same"}])
def test_conv2d_gradients(kwargs):
    x, w, b = _inputs((2, 2, 5, 4), (3, 2, 3, 2), (3,))
    assert pynn.gradcheck(lambda x, w, b: F.conv2d(x, w, b, **kwargs), [x, w, b])


@pytest.mark.parametrize("kwargs", [{}, {"padding": 1, "stride": 2}, {"padding": "same"}])
def test_conv1d_gradients(kwargs):
    x, w, b = _inputs((2, 2, 7), (3, 2, 3), (3,))
    assert pynn.gradcheck(lambda x, w, b: F.conv1d(x, w, b, **kwargs), [x, w, b])


@pytest.mark.parametrize("fn", [
    lambda x: F.max_pool2d(x, 2), lambda x: F.max_pool2d(x, 3, stride=1, padding=1),
    lambda x: F.avg_pool2d(x, 2), lambda x: F.avg_pool2d(x, 3, stride=2, padding=1),
    lambda x: F.adaptive_avg_pool2d(x, 1), lambda x: F.adaptive_avg_pool2d(x, (2, 3)),
    lambda x: F.max_pool1d(x[:, :, 0], 2), lambda x: F.avg_pool1d(x[:, :, 0], 3, 1, 1),
    lambda x: F.adaptive_avg_pool1d(x[:, :, 0], 3)])
def test_pool_gradients(fn):
    (x,) = _inputs((2, 2, 6, 6))
    assert pynn.gradcheck(fn, [x])


def test_conv_and_pool_shapes():
    x = pynn.randn(4, 1, 8, 8)
    assert nn.Conv2d(1, 8, 3)(x).shape == (4, 8, 6, 6)
    assert nn.Conv2d(1, 8, 3, padding=1)(x).shape == (4, 8, 8, 8)
    assert nn.Conv2d(1, 8, 3, stride=2, padding=1)(x).shape == (4, 8, 4, 4)
    assert nn.Conv2d(1, 8, 4, padding="same")(x).shape == (4, 8, 8, 8)
    assert nn.Conv2d(1, 8, 3)(x[0]).shape == (8, 6, 6)
    assert nn.Conv1d(3, 5, 3)(pynn.randn(2, 3, 10)).shape == (2, 5, 8)
    assert nn.MaxPool2d(2)(x).shape == (4, 1, 4, 4)
    assert nn.MaxPool2d((2, 2), dilation=(1, 1))(x).shape == (4, 1, 4, 4)
    assert nn.MaxPool2d(3, stride=2, padding=1)(x).shape == (4, 1, 4, 4)
    assert nn.AvgPool1d(2)(pynn.randn(2, 3, 10)).shape == (2, 3, 5)
    assert nn.AdaptiveAvgPool2d(1)(x).shape == (4, 1, 1, 1)
    assert nn.AdaptiveAvgPool1d(5)(pynn.randn(2, 3, 10)).shape == (2, 3, 5)


def test_conv_init_is_pytorchs():
    conv = nn.Conv2d(4, 16, 3)
    bound = 1 / math.sqrt(4 * 9)
    assert conv.weight.shape == (16, 4, 3, 3) and conv.bias.shape == (16,)
    for p in (conv.weight, conv.bias):
        assert float(p.detach().abs().max()) <= bound
    assert float(conv.weight.detach().abs().max()) > 0.8 * bound
    assert [k for k, _ in conv.named_parameters()] == ["weight", "bias"]
    assert nn.Conv1d(2, 3, 3, bias=False).bias is None


@pytest.mark.parametrize("make, match", [
    (lambda: nn.Conv2d(1, 2, 3, dilation=2), "only dilation="),
    (lambda: nn.Conv2d(2, 2, 3, groups=2), "groups=1"),
    (lambda: nn.Conv2d(1, 2, 3, padding_mode="reflect"), "padding_mode='zeros'"),
    (lambda: nn.Conv2d(1, 2, 3, padding="full"), "Invalid padding string"),
    (lambda: nn.Conv2d(1, 2, 3, stride=2, padding="same"), "strided convolutions"),
    (lambda: nn.Conv2d(1, 2, (3, 3, 3)), "kernel_size must be"),
    (lambda: nn.Conv1d(1, 2, 3, padding=-1), "negative padding"),
    (lambda: nn.MaxPool2d(2, ceil_mode=True), "ceil_mode=False"),
    (lambda: nn.MaxPool2d(2, return_indices=True), "return_indices=False"),
    (lambda: nn.MaxPool1d(2, dilation=2), "only dilation="),
    (lambda: nn.AvgPool2d(2, count_include_pad=False), "count_include_pad=True"),
    (lambda: nn.AvgPool2d(2, divisor_override=3), "divisor_override=None")])
def test_unsupported_arguments_are_clear_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_inputs_are_clear_errors():
    with pytest.raises(ValueError, match="to have 1 channels, but got 3"):
        nn.Conv2d(1, 2, 3)(pynn.randn(2, 3, 8, 8))
    with pytest.raises(ValueError, match="Expected 3D .* or 4D"):
        nn.Conv2d(1, 2, 3)(pynn.randn(8, 8))
    with pytest.raises(ValueError, match="larger than the padded input"):
        nn.Conv2d(1, 2, 5)(pynn.randn(1, 1, 3, 3))
    with pytest.raises(ValueError, match="output sizes that divide"):
        nn.AdaptiveAvgPool2d(3)(pynn.randn(1, 1, 8, 8))
    with pytest.raises(ValueError, match="at most half"):
        nn.MaxPool2d(2, padding=2)(pynn.randn(1, 1, 8, 8))


def test_the_modules_are_under_torch_nn_modules_names():
    import pynn.nn.modules.conv as conv
    import pynn.nn.modules.pooling as pooling
    assert conv.Conv2d is nn.Conv2d and pooling.MaxPool2d is nn.MaxPool2d
    assert nn.modules.Conv1d is nn.Conv1d and nn.modules.AdaptiveAvgPool2d is \
        nn.AdaptiveAvgPool2d


def test_layers_pynn_nn_lacks_do_not_exist():
    for name in ("Conv3d", "ConvTranspose2d", "MaxPool3d", "LPPool2d", "Transformer"):
        assert not hasattr(nn, name)


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
def test_recurrent_layer_gradients(kind):
    layer = getattr(nn, kind)(3, 2, num_layers=2, batch_first=True).double()
    names = [name for name, _ in layer.named_parameters()]
    x, h = _inputs((2, 4, 3), (2, 2, 2))
    weights = [p for _, p in layer.named_parameters()]

    def fn(x, h, *ws):
        state = (h, h * 0.5) if kind == "LSTM" else h
        output, h_n = pynn.func.functional_call(layer, dict(zip(names, ws)), (x, state))
        return output.sum() + sum(s.sum() for s in (h_n if kind == "LSTM" else (h_n,)))
    assert pynn.gradcheck(fn, [x, h, *weights])


@pytest.mark.parametrize("kind", ["RNNCell", "LSTMCell", "GRUCell"])
def test_cell_gradients(kind):
    cell = getattr(nn, kind)(3, 2).double()
    x, h = _inputs((2, 3), (2, 2))

    def fn(x, h):
        out = cell(x, (h, h) if kind == "LSTMCell" else h)
        return out[0] + 2 * out[1] if kind == "LSTMCell" else out
    assert pynn.gradcheck(fn, [x, h])


def test_recurrent_shapes_and_names():
    lstm = nn.LSTM(3, 5, num_layers=2, batch_first=True)
    output, (h_n, c_n) = lstm(pynn.randn(4, 7, 3))
    assert output.shape == (4, 7, 5) and h_n.shape == c_n.shape == (2, 4, 5)
    assert list(lstm.state_dict()) == [f"{kind}_l{k}" for k in range(2) for kind in
                                       ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
    assert lstm.weight_ih_l0.shape == (20, 3) and lstm.weight_hh_l1.shape == (20, 5)
    output, h_n = nn.GRU(3, 5)(pynn.randn(7, 4, 3))
    assert output.shape == (7, 4, 5) and h_n.shape == (1, 4, 5)
    output, h_n = nn.RNN(3, 5)(pynn.randn(7, 3))
    assert output.shape == (7, 5) and h_n.shape == (1, 5)
    assert nn.GRUCell(3, 5)(pynn.randn(4, 3)).shape == (4, 5)
    h, c = nn.LSTMCell(3, 5)(pynn.randn(3))
    assert h.shape == c.shape == (5,)
    bound = 1 / math.sqrt(5)
    assert all(float(p.detach().abs().max()) <= bound for p in lstm.parameters())
    assert not any(name.startswith("bias") for name, _ in nn.GRU(3, 5, bias=False)
                   .named_parameters())


def test_dropout_between_layers_only_in_training():
    gru = nn.GRU(3, 4, num_layers=2, dropout=0.5)
    x = pynn.randn(5, 2, 3)
    gru.eval()
    assert pynn.equal(gru(x)[0], gru(x)[0])
    gru.train()
    assert not pynn.equal(gru(x)[0], gru(x)[0])
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        nn.LSTM(3, 4, dropout=0.2)


@pytest.mark.parametrize("make, error, match", [
    (lambda: nn.LSTM(3, 4, bidirectional=True), ValueError, "bidirectional"),
    (lambda: nn.LSTM(3, 4, proj_size=2), ValueError, "proj_size=0"),
    (lambda: nn.GRU(3, 4, dropout=1.5), ValueError, "dropout should be a number"),
    (lambda: nn.RNN(3, 4, nonlinearity="sigmoid"), ValueError, "Unknown nonlinearity"),
    (lambda: nn.RNNCell(3, 4, nonlinearity="gelu"), ValueError, "Unknown nonlinearity"),
    (lambda: nn.LSTM(3, 0), ValueError, "hidden_size"),
    (lambda: nn.LSTM(3, 4)(pynn.randn(5, 2, 2)), ValueError, "Expected 3, got 2"),
    (lambda: nn.LSTM(3, 4)(pynn.randn(5)), ValueError, "Expected input to be 2D or 3D"),
    (lambda: nn.GRU(3, 4)(pynn.randn(5, 2, 3), pynn.zeros(1, 3, 4)), ValueError,
     "Expected hidden size"),
    (lambda: nn.LSTMCell(3, 4)(pynn.randn(2, 5)), ValueError, "inconsistent input_size")])
def test_bad_recurrent_arguments_are_clear_errors(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_recurrent_modules_are_under_torch_nn_modules_names():
    from pynn.nn.modules.rnn import LSTM, RNNCellBase
    assert LSTM is nn.LSTM and RNNCellBase is nn.RNNCellBase and nn.modules.GRUCell is \
        nn.GRUCell
