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
