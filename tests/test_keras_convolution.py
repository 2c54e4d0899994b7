"""Convolution and pooling (pynn/ops/convolution.py and the Keras layers Conv1D, Conv2D and the
poolings): values against a direct loop over the windows, TensorFlow's 'same' padding, float64
gradient checks of every op, Keras's output shapes, parameter counts and errors, a model file
round trip, and a small CNN that learns sklearn's 8x8 digits."""
import numpy as np
import pytest

import pynn
from pynn import keras
from pynn.keras import layers
from pynn.ops.convolution import (avg_pool2d_nhwc, conv2d_nhwc, max_pool2d_nhwc,
                                  same_padding)

RNG = np.random.default_rng(0)


def t64(shape):
    return pynn.tensor(RNG.normal(size=shape), dtype=pynn.float64, requires_grad=True)


def direct_conv(x, k, stride, pads):
    """The cross-correlation written as the loop over output pixels."""
    x = np.pad(x, ((0, 0), pads[0], pads[1], (0, 0)))
    kh, kw = k.shape[:2]
    oh, ow = (x.shape[1] - kh) // stride + 1, (x.shape[2] - kw) // stride + 1
    out = np.zeros((x.shape[0], oh, ow, k.shape[3]))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, i, j] = np.einsum("nhwc,hwcf->nf", patch, k)
    return out


@pytest.mark.parametrize("stride", [1, 2])
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_conv2d_values_and_gradients(stride, padding):
    x, k = t64((2, 7, 6, 3)), t64((3, 2, 3, 4))
    pads = ((0, 0), (0, 0)) if padding == "valid" else (same_padding(7, 3, stride),
                                                        same_padding(6, 2, stride))
    out = conv2d_nhwc(x, k, stride, padding)
    np.testing.assert_allclose(out.detach().numpy(),
                               direct_conv(x.detach().numpy(), k.detach().numpy(), stride, pads),
                               rtol=1e-12, atol=1e-12)
    if padding == "same":
        assert out.shape[1:3] == (-(-7 // stride), -(-6 // stride))
    assert pynn.gradcheck(lambda a, b: conv2d_nhwc(a, b, stride, padding), [x, k])


def test_same_padding_puts_the_odd_pixel_last_as_tensorflow_does():
    assert same_padding(8, 3, 1) == (1, 1)
    assert same_padding(8, 2, 1) == (0, 1)
    assert same_padding(7, 3, 2) == (1, 1)
    assert same_padding(8, 3, 2) == (0, 1)


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_pooling_values_and_gradients(padding):
    x = t64((2, 5, 7, 3))
    mx = max_pool2d_nhwc(x, (2, 3), None, padding)
    av = avg_pool2d_nhwc(x, 2, 1, padding)
    data = x.detach().numpy()
    if padding == "valid":
        assert mx.shape == (2, 2, 2, 3)
        np.testing.assert_allclose(mx.detach().numpy()[:, 1, 0], data[:, 2:4, 0:3].max((1, 2)))
        np.testing.assert_allclose(av.detach().numpy()[:, 3, 5], data[:, 3:5, 5:7].mean((1, 2)))
    else:
        assert mx.shape == (2, 3, 3, 3) and av.shape == (2, 5, 7, 3)
        # the last window reaches past the image: the mean of the pixels inside only
        np.testing.assert_allclose(av.detach().numpy()[:, 4, 6], data[:, 4, 6])
    assert pynn.gradcheck(lambda a: max_pool2d_nhwc(a, (2, 3), None, padding), [x])
    assert pynn.gradcheck(lambda a: avg_pool2d_nhwc(a, 2, 1, padding), [x])


def test_conv_and_pool_errors():
    x = pynn.zeros(1, 4, 4, 2)
    with pytest.raises(ValueError, match="2 channels but the kernel expects 3"):
        conv2d_nhwc(x, pynn.zeros(3, 3, 3, 1))
    with pytest.raises(ValueError, match="larger than the padded input"):
        conv2d_nhwc(x, pynn.zeros(5, 5, 2, 1))
    with pytest.raises(ValueError, match="padding must be 'valid' or 'same'"):
        max_pool2d_nhwc(x, 2, None, "full")
    with pytest.raises(ValueError, match="`kernel_size` argument must be a tuple of 2"):
        layers.Conv2D(4, (3, 3, 3))
    with pytest.raises(ValueError, match="channels-last"):
        layers.Conv2D(4, 3, data_format="channels_first")
    with pytest.raises(ValueError, match="no 'causal' padding"):
        layers.Conv1D(4, 3, padding="causal")
    with pytest.raises(ValueError, match="expected ndim=4, found ndim=3"):
        layers.Conv2D(4, 3)(np.zeros((2, 8, 8), "float32"))


def test_keras_layers_shapes_parameters_and_names():
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(32, (3, 3), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, 3, strides=2, padding="same", activation="relu"),
        layers.AveragePooling2D(),
        layers.GlobalMaxPooling2D(),
        layers.Dense(10, activation="softmax"),
    ])
    shapes = [layer.output.shape for layer in model.layers]
    assert shapes == [(None, 26, 26, 32), (None, 13, 13, 32), (None, 7, 7, 64),
                      (None, 3, 3, 64), (None, 64), (None, 10)]
    assert model.count_params() == 320 + 18496 + 650  # Keras's summary counts
    assert model.predict(np.zeros((2, 28, 28, 1)), verbose=0).shape == (2, 10)
    seq = keras.Sequential([keras.Input((20, 3)), layers.Conv1D(8, 5, activation="relu"),
                            layers.MaxPooling1D(2), layers.Conv1D(4, 3, padding="same"),
                            layers.GlobalAveragePooling1D(keepdims=True)])
    assert [layer.output.shape for layer in seq.layers] == [
        (None, 16, 8), (None, 8, 8), (None, 8, 4), (None, 1, 4)]
    assert seq.predict(np.ones((3, 20, 3)), verbose=0).shape == (3, 1, 4)
    assert layers.MaxPool2D is layers.MaxPooling2D and layers.Convolution2D is layers.Conv2D


def test_conv_layers_gradients_and_a_model_file(tmp_path):
    keras.backend.set_floatx("float64")
    try:
        conv = layers.Conv1D(3, 2, strides=2, padding="same")
        x = RNG.normal(size=(2, 5, 4))
        conv(x)
        assert pynn.gradcheck(lambda k, b: conv(x) * 0 + conv2d_nhwc(
            pynn.tensor(x).unsqueeze(1), k.unsqueeze(0), (1, 2), "same").squeeze(1) + b,
            [conv.kernel, conv.bias])
    finally:
        keras.backend.set_floatx("float32")
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input((6, 6, 2)), layers.Conv2D(4, 3, padding="same"),
                              layers.MaxPooling2D(), layers.Flatten(), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    x = RNG.normal(size=(4, 6, 6, 2)).astype("float32")
    model.fit(x, np.ones((4, 1)), epochs=1, verbose=0)
    model.save(tmp_path / "cnn.keras")
    loaded = keras.models.load_model(tmp_path / "cnn.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)
    assert loaded.layers[0].get_config()["padding"] == "same"


def test_a_small_cnn_learns_the_digits():
    datasets = pytest.importorskip("sklearn.datasets",
                                   reason="needs scikit-learn (pip install '.[examples]')")
    load_digits = datasets.load_digits
    keras.utils.set_random_seed(1)
    digits = load_digits()
    X = (digits.images[:1200] / 16.0).astype("float32")[..., None]
    y = digits.target[:1200]
    model = keras.Sequential([
        keras.Input((8, 8, 1)),
        layers.Conv2D(8, 3, activation="relu", padding="same"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(X[:1000], y[:1000], epochs=15, batch_size=32, verbose=0)
    assert history.history["accuracy"][-1] > 0.9
    assert model.evaluate(X[1000:], y[1000:], verbose=0)[1] > 0.85


def _naive_transpose(x, k, stride, padding):
    """Each input pixel's kernel-weighted patch added into the output, cropped as TensorFlow
    crops 'same'."""
    n, h, w, _ = x.shape
    kh, kw, filters, _ = k.shape
    full = np.zeros((n, (h - 1) * stride + kh, (w - 1) * stride + kw, filters))
    for i in range(h):
        for j in range(w):
            full[:, i * stride:i * stride + kh, j * stride:j * stride + kw] += np.einsum(
                "nc,abfc->nabf", x[:, i, j], k)
    if padding == "valid":
        return full
    out = np.zeros((n, h * stride, w * stride, filters))
    top = max(kh - stride, 0) // 2
    left = max(kw - stride, 0) // 2
    rows, cols = min(h * stride, full.shape[1] - top), min(w * stride, full.shape[2] - left)
    out[:, :rows, :cols] = full[:, top:top + rows, left:left + cols]
    return out


@pytest.mark.parametrize("stride,padding", [(1, "valid"), (2, "valid"), (2, "same"),
                                            (3, "same"), (1, "same")])
def test_conv2d_transpose_matches_a_naive_loop_and_gradchecks(stride, padding):
    from pynn.ops.convolution import conv2d_transpose_nhwc
    rng = np.random.default_rng(stride)
    x = rng.standard_normal((2, 3, 4, 2))
    k = rng.standard_normal((2, 3, 5, 2))
    out = conv2d_transpose_nhwc(pynn.tensor(x), pynn.tensor(k), stride, padding)
    np.testing.assert_allclose(out.numpy(), _naive_transpose(x, k, stride, padding), atol=1e-12)
    xt = pynn.tensor(x, requires_grad=True)
    kt = pynn.tensor(k, requires_grad=True)
    assert pynn.gradcheck(lambda a, b: conv2d_transpose_nhwc(a, b, stride, padding), [xt, kt])


def test_conv_transpose_layers_shapes_configs_and_a_decoder():
    layer = layers.Conv2DTranspose(5, (2, 3), strides=2, padding="same", activation="relu")
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 2)).astype(np.float32)
    y = layer(x)
    assert layer.kernel.shape == (2, 3, 5, 2) and tuple(y.shape) == (2, 6, 8, 5)
    assert layer.compute_output_shape((None, 3, 4, 2)) == (None, 6, 8, 5)
    config = layer.get_config()
    assert config["output_padding"] is None and config["filters"] == 5
    again = layers.Conv2DTranspose.from_config(config)
    again.build((None, 3, 4, 2))
    again.set_weights(layer.get_weights())
    np.testing.assert_array_equal(again(x), y)
    one = layers.Conv1DTranspose(4, 3, strides=2)
    assert tuple(one(x[:, 0]).shape) == (2, 9, 4) and one.kernel.shape == (3, 4, 2)
    with pytest.raises(ValueError, match="output_padding"):
        layers.Conv2DTranspose(2, 3, output_padding=1)
    keras.utils.set_random_seed(0)
    code = keras.Input((16,))
    h = layers.Reshape((4, 4, 1))(code)
    h = layers.Conv2DTranspose(8, 3, strides=2, padding="same", activation="relu")(h)
    image = layers.Conv2DTranspose(1, 3, padding="same", activation="sigmoid")(h)
    decoder = keras.Model(code, image)
    assert decoder.output_shape == (None, 8, 8, 1)
    decoder.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    codes = np.random.default_rng(1).standard_normal((32, 16)).astype(np.float32)
    targets = np.repeat(codes[:, :8, None, None] > 0, 8, axis=2).astype(np.float32)
    history = decoder.fit(codes, targets, epochs=20, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < 0.95 * history.history["loss"][0]
