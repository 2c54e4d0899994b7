"""The layer families on the Layer base (activations, regularization, normalization, reshaping,
preprocessing, core's Identity, Lambda and Embedding): Keras 3's formulas (written out here in
NumPy), weights and their order, training-only behaviour (on in fit, off in predict and
evaluate), float64 gradchecks, argument checks, configs that rebuild the layer, and small
programs in Keras's idioms."""
import warnings

import numpy as np
import pytest

import pynn
from pynn import keras
from pynn.keras import layers

RNG = np.random.default_rng(0)
X = (RNG.standard_normal((16, 5)) * 2 + 0.5).astype(np.float32)


def values(t):
    return t.detach().numpy() if isinstance(t, pynn.Tensor) else np.asarray(t)


@pytest.fixture
def float64():
    keras.backend.set_floatx("float64")
    yield
    keras.backend.set_floatx("float32")


# ---- activation layers ---------------------------------------------------------------------------

def test_activation_layers_are_keras_formulas():
    x = X.astype(np.float64)
    np.testing.assert_allclose(values(layers.ReLU()(x)), np.maximum(x, 0))
    np.testing.assert_allclose(values(layers.ReLU(max_value=1.0, threshold=0.5)(x)),
                               np.clip(np.where(x > 0.5, x, 0), 0, 1), rtol=1e-6)
    np.testing.assert_allclose(values(layers.LeakyReLU()(x)), np.where(x >= 0, x, 0.3 * x),
                               rtol=1e-6)
    np.testing.assert_allclose(values(layers.ELU(alpha=0.5)(x)),
                               np.where(x > 0, x, 0.5 * np.expm1(x)), rtol=1e-6, atol=1e-7)
    e = np.exp(x - x.max(axis=1, keepdims=True))
    np.testing.assert_allclose(values(layers.Softmax()(x)), e / e.sum(1, keepdims=True),
                               rtol=1e-5)
    prelu = layers.PReLU(alpha_initializer=keras.initializers.Constant(0.25))
    np.testing.assert_allclose(values(prelu(x)), np.where(x > 0, x, 0.25 * x), rtol=1e-6)
    assert [w.name for w in prelu.weights] == ["alpha"] and prelu.alpha.shape == (5,)


def test_leaky_relu_takes_keras_2_alpha_with_keras_3_warning():
    with pytest.warns(UserWarning, match="Argument `alpha` is deprecated"):
        layer = layers.LeakyReLU(alpha=0.05)
    assert layer.negative_slope == 0.05 and layer.get_config()["negative_slope"] == 0.05


@pytest.mark.parametrize("make, match", [
    (lambda: layers.ReLU(max_value=-1.0), "max_value"),
    (lambda: layers.ReLU(negative_slope=-0.1), "negative_slope"),
    (lambda: layers.ReLU(threshold=-1.0), "threshold"),
    (lambda: layers.LeakyReLU(negative_slope=-0.1), "negative_slope"),
    (lambda: layers.Dropout(1.5), "rate"),
    (lambda: layers.Dropout(0.5, noise_shape="x"), "noise_shape"),
    (lambda: layers.GaussianNoise(-0.1), "stddev"),
    (lambda: layers.Reshape((2, -1, -1)), "target_shape"),
    (lambda: layers.Permute((1, 3)), "dims"),
    (lambda: layers.Normalization(mean=1.0), "both `mean` and `variance`"),
])
def test_bad_arguments_as_keras_refuses_them(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_prelu_learns_a_slope_per_feature_or_shared_and_gradchecks(float64):
    prelu = layers.PReLU(alpha_initializer=keras.initializers.RandomUniform(0.1, 0.3, seed=1),
                         shared_axes=[1])
    x3 = RNG.standard_normal((4, 3, 2))
    x3 = np.where(np.abs(x3) < 1e-3, 0.5, x3)
    prelu(x3)
    assert prelu.alpha.shape == (1, 2)
    assert pynn.gradcheck(prelu, [pynn.tensor(x3, requires_grad=True)])
    assert pynn.gradcheck(lambda a: layers.PReLU()(pynn.tensor(x3)) * 0 + a.sum(),
                          [prelu.alpha])


def test_a_layer_object_as_a_dense_activation_and_softmax_as_the_output():
    keras.utils.set_random_seed(0)
    x = RNG.standard_normal((90, 2)).astype(np.float32)
    ids = (x[:, 0] > 0).astype(int) + (x[:, 1] > 0).astype(int)
    model = keras.Sequential([keras.Input((2,)),
                              layers.Dense(16, activation=layers.LeakyReLU(negative_slope=0.1)),
                              layers.Dense(3), layers.Softmax()])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x, ids, epochs=60, verbose=0)
    assert history.history["accuracy"][-1] > 0.9
    np.testing.assert_allclose(model.predict(x, verbose=0).sum(axis=1), 1, rtol=1e-5)


# ---- regularization layers -------------------------------------------------------------------------

def test_dropout_only_in_training_with_keras_scaling():
    ones = np.ones((200, 50), np.float32)
    drop = layers.Dropout(0.4, seed=3)
    np.testing.assert_array_equal(values(drop(ones)), ones)  # not training: identity
    out = values(drop(ones, training=True))
    kept = out != 0
    assert abs(kept.mean() - 0.6) < 0.02
    np.testing.assert_allclose(out[kept], 1 / 0.6, rtol=1e-6)
    shared = values(layers.Dropout(0.5, noise_shape=(None, 1), seed=1)(ones, training=True))
    assert all(len(set(row)) == 1 for row in shared)  # a whole row kept or dropped
    again = [values(layers.Dropout(0.5, seed=7)(ones, training=True)) for _ in range(2)]
    np.testing.assert_array_equal(*again)  # a seed makes it repeatable
    spatial = values(layers.SpatialDropout1D(0.5, seed=2)(np.ones((4, 6, 8), np.float32),
                                                          training=True))
    assert (spatial == spatial[:, :1, :]).all()  # whole channels, the same at every step


def test_noise_layers_statistics_and_gradients():
    ones = np.ones((400, 100), np.float32)
    noisy = values(layers.GaussianNoise(0.3, seed=1)(ones, training=True))
    assert abs(noisy.mean() - 1) < 0.01 and abs(noisy.std() - 0.3) < 0.01
    dropped = values(layers.GaussianDropout(0.2, seed=1)(ones, training=True))
    assert abs(dropped.mean() - 1) < 0.01 and abs(dropped.std() - np.sqrt(0.25)) < 0.01
    x = RNG.standard_normal((400, 100)).astype(np.float32)
    alpha = values(layers.AlphaDropout(0.2, seed=1)(x, training=True))
    assert abs(alpha.mean() - x.mean()) < 0.02 and abs(alpha.std() - x.std()) < 0.03
    for layer in (layers.GaussianNoise(0.3), layers.GaussianDropout(0.2),
                  layers.AlphaDropout(0.2), layers.Dropout(0.3)):
        np.testing.assert_array_equal(values(layer(x)), x)


def test_activity_regularization_adds_its_penalty_to_the_loss():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((5,)), layers.Dense(3, kernel_initializer="ones"),
                              layers.ActivityRegularization(l1=0.01, l2=0.02), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    y = np.zeros(16, np.float32)
    loss = model.evaluate(X, y, verbose=0, batch_size=16)
    h = X @ np.ones((5, 3))
    k, b = model.layers[2].get_weights()
    mse = np.mean((h @ k + b) ** 2)
    penalty = (0.01 * np.abs(h).sum() + 0.02 * (h ** 2).sum()) / 16
    assert loss == pytest.approx(mse + penalty, rel=1e-4)


# ---- normalization layers ----------------------------------------------------------------------------

def keras_batch_norm(x, gamma, beta, mean, variance, epsilon=1e-3):
    return gamma * (x - mean) / np.sqrt(variance + epsilon) + beta


def test_batch_normalization_training_inference_and_moving_statistics(float64):
    x = X.astype(np.float64)
    bn = layers.BatchNormalization(momentum=0.9)
    bn.build((None, 5))
    assert [w.name for w in bn.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert [w.name for w in bn.trainable_weights] == ["gamma", "beta"]
    gamma, beta = RNG.uniform(0.5, 2, 5), RNG.standard_normal(5)
    mm, mv = RNG.standard_normal(5), RNG.uniform(0.5, 2, 5)
    bn.set_weights([gamma, beta, mm, mv])  # Keras's order
    np.testing.assert_allclose(values(bn(x)), keras_batch_norm(x, gamma, beta, mm, mv),
                               rtol=1e-12)
    out = values(bn(x, training=True))
    mean, var = x.mean(0), x.var(0)
    np.testing.assert_allclose(out, keras_batch_norm(x, gamma, beta, mean, var), rtol=1e-12)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.9 * mm + 0.1 * mean, rtol=1e-12)
    np.testing.assert_allclose(bn.moving_variance.numpy(), 0.9 * mv + 0.1 * var, rtol=1e-12)


@pytest.mark.parametrize("training", [True, False])
def test_gradcheck_batch_normalization(float64, training):
    bn = layers.BatchNormalization(axis=1)
    x = RNG.standard_normal((6, 3, 2))
    bn.build((None, 3, 2))
    bn.set_weights([RNG.uniform(0.5, 2, 3), RNG.standard_normal(3), RNG.standard_normal(3),
                    RNG.uniform(0.5, 2, 3)])
    saved = bn.get_weights()

    def run(t, gamma, beta):
        bn.set_weights(saved)  # the moving statistics as they were, at every evaluation
        return bn(t, training=training)
    assert pynn.gradcheck(run, [pynn.tensor(x, requires_grad=True), bn.gamma, bn.beta])


def test_a_frozen_batch_normalization_runs_in_inference_mode():
    bn = layers.BatchNormalization(trainable=False)
    before = None
    bn(X)
    before = [w.copy() for w in bn.get_weights()]
    np.testing.assert_allclose(values(bn(X, training=True)), X / np.sqrt(1 + 1e-3), rtol=1e-6)
    for a, b in zip(bn.get_weights(), before):
        np.testing.assert_array_equal(a, b)


def test_layer_and_unit_normalization(float64):
    x = X.astype(np.float64)
    ln = layers.LayerNormalization()
    ln.build((None, 5))
    gamma, beta = RNG.uniform(0.5, 2, 5), RNG.standard_normal(5)
    ln.set_weights([gamma, beta])
    mean, var = x.mean(1, keepdims=True), x.var(1, keepdims=True)
    np.testing.assert_allclose(values(ln(x)), gamma * (x - mean) / np.sqrt(var + 1e-3) + beta,
                               rtol=1e-12)
    assert pynn.gradcheck(ln, [pynn.tensor(x, requires_grad=True)])
    unit = values(layers.UnitNormalization()(x))
    np.testing.assert_allclose(np.linalg.norm(unit, axis=1), 1, rtol=1e-12)


# ---- reshaping ------------------------------------------------------------------------------------------

def test_reshaping_layers():
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    np.testing.assert_array_equal(values(layers.Flatten()(x)), x.reshape(2, 12))
    np.testing.assert_array_equal(values(layers.Reshape((4, 3))(x)), x.reshape(2, 4, 3))
    np.testing.assert_array_equal(values(layers.Reshape((-1, 2))(x)), x.reshape(2, 6, 2))
    np.testing.assert_array_equal(values(layers.Permute((2, 1))(x)), x.transpose(0, 2, 1))
    v = x[:, 0]
    np.testing.assert_array_equal(values(layers.RepeatVector(3)(v)),
                                  np.repeat(v[:, None], 3, axis=1))
    assert layers.Flatten().compute_output_shape((None, 3, 4)) == (None, 12)
    assert layers.Reshape((-1, 2)).compute_output_shape((None, 3, 4)) == (None, 6, 2)
    with pytest.raises(ValueError, match="total size"):
        layers.Reshape((5,))(x)


def test_flatten_first_in_a_sequential_model_of_images():
    keras.utils.set_random_seed(0)
    x = RNG.standard_normal((30, 4, 4)).astype(np.float32)
    y = (x.mean(axis=(1, 2)) > 0).astype(np.float32)
    model = keras.Sequential([keras.Input((4, 4)), layers.Flatten(),
                              layers.Dense(8, activation="relu"),
                              layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(x, y, epochs=2, verbose=0)
    assert model.predict(x, verbose=0).shape == (30, 1)


# ---- preprocessing ----------------------------------------------------------------------------------------

def test_normalization_adapts_and_standardizes():
    norm = layers.Normalization()
    norm.adapt(X)
    np.testing.assert_allclose(norm.adapt_mean.numpy(), X.mean(0), rtol=1e-5)
    np.testing.assert_allclose(norm.adapt_variance.numpy(), X.var(0), rtol=1e-5)
    out = values(norm(X))
    np.testing.assert_allclose(out.mean(0), 0, atol=1e-5)
    np.testing.assert_allclose(out.std(0), 1, rtol=1e-4)
    assert [w.name for w in norm.weights] == ["mean", "variance"]
    given = layers.Normalization(mean=2.0, variance=4.0)
    np.testing.assert_allclose(values(given(X)), (X - 2) / 2, rtol=1e-6)
    back = layers.Normalization(mean=2.0, variance=4.0, invert=True)
    np.testing.assert_allclose(values(back(values(given(X)))), X, rtol=1e-5, atol=1e-6)
    batches = layers.Normalization()
    batches.adapt([X[:8], X[8:]])
    np.testing.assert_allclose(batches.adapt_mean.numpy(), X.mean(0), rtol=1e-5)
    # Keras's mean and variance attributes: shaped to broadcast against the inputs
    np.testing.assert_allclose(norm.mean.numpy(), X.mean(0, keepdims=True), rtol=1e-5)
    np.testing.assert_allclose(norm.variance.numpy(), X.var(0, keepdims=True), rtol=1e-5)
    assert given.mean.numpy().tolist() == [[2.0] * X.shape[1]]
    with pytest.raises(AttributeError, match="until it is built"):
        layers.Normalization().mean


def test_normalization_first_in_a_regression_model():
    keras.utils.set_random_seed(0)
    x = (RNG.standard_normal((200, 3)) * [100, 0.01, 5] + [1000, 0, -3]).astype(np.float32)
    y = (x - [1000, 0, -3]) / [100, 0.01, 5] @ np.array([1.0, -2.0, 0.5])
    norm = layers.Normalization()
    norm.adapt(x)
    model = keras.Sequential([keras.Input((3,)), norm, layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    model.fit(x, y, epochs=100, verbose=0)
    assert model.evaluate(x, y, verbose=0) < 1e-3


def test_rescaling():
    np.testing.assert_allclose(values(layers.Rescaling(1 / 255, offset=-1)(X)), X / 255 - 1,
                               rtol=1e-6)


# ---- core ---------------------------------------------------------------------------------------------------

def test_identity_lambda_and_embedding(float64):
    np.testing.assert_array_equal(values(layers.Identity()(X)), X.astype(np.float64))
    double = layers.Lambda(lambda x, k: x * k, arguments={"k": 2.0})
    np.testing.assert_allclose(values(double(X)), 2 * X, rtol=1e-12)
    emb = layers.Embedding(10, 4)
    ids = np.array([[1, 2], [2, 9]])
    out = emb(ids)
    assert out.shape == (2, 2, 4) and emb.embeddings.shape == (10, 4)
    np.testing.assert_array_equal(values(out)[1, 0], emb.embeddings.numpy()[2])
    assert np.abs(emb.embeddings.numpy()).max() <= 0.05  # 'uniform': U(-0.05, 0.05)
    assert pynn.gradcheck(lambda w: emb(ids) * 0 + w[ids], [emb.embeddings])
    with pytest.raises(ValueError, match="ids must lie in"):
        emb(np.array([[10]]))


def test_lambda_in_the_functional_api_traces_or_takes_its_output_shape():
    from pynn import keras
    inputs = keras.Input((3,))
    plus_one = keras.Model(inputs, layers.Lambda(lambda x: x + 1)(inputs))  # traced
    assert plus_one.output.shape == (None, 3)
    np.testing.assert_allclose(plus_one.predict_on_batch(np.ones((2, 3))), 2.0)
    tripled = layers.Lambda(lambda x: pynn.cat([x, x, x], dim=1),
                            lambda shape: (shape[0], 3 * shape[1]))(inputs)
    assert tripled.shape == (None, 9)
    assert layers.Lambda(lambda x: x[:, :2], output_shape=(2,))(inputs).shape == (None, 2)


# ---- configs and programs -------------------------------------------------------------------------------------

FAMILIES = [layers.ReLU(max_value=6.0), layers.LeakyReLU(0.1), layers.ELU(0.5),
            layers.PReLU(shared_axes=[1]), layers.Softmax(axis=-1), layers.Dropout(0.2, seed=1),
            layers.SpatialDropout1D(0.1), layers.GaussianNoise(0.1), layers.GaussianDropout(0.1),
            layers.AlphaDropout(0.1), layers.ActivityRegularization(0.1, 0.2),
            layers.BatchNormalization(momentum=0.9, epsilon=1e-5),
            layers.LayerNormalization(epsilon=1e-5), layers.UnitNormalization(),
            layers.Flatten(), layers.Reshape((2, -1)), layers.Permute((2, 1)),
            layers.RepeatVector(3), layers.Normalization(mean=1.0, variance=2.0),
            layers.Rescaling(0.5, 1.0), layers.Identity(), layers.Embedding(5, 2)]


@pytest.mark.parametrize("layer", FAMILIES, ids=lambda l: type(l).__name__)
def test_configs_rebuild_the_layer(layer):
    again = layers.deserialize(layers.serialize(layer))
    assert type(again) is type(layer)
    assert again.get_config() == layer.get_config()


def test_a_dropout_and_batch_normalization_classifier_learns_and_predicts_deterministically():
    keras.utils.set_random_seed(1)
    centers = np.array([[0, 0, 0, 0], [3, 3, 0, 0], [0, 3, 3, 3]], np.float32)
    ids = RNG.integers(0, 3, 300)
    x = centers[ids] + RNG.standard_normal((300, 4)).astype(np.float32)
    y = keras.utils.to_categorical(ids, 3)
    model = keras.Sequential([keras.Input((4,)), layers.Dense(32, activation="relu"),
                              layers.BatchNormalization(), layers.Dropout(0.3),
                              layers.Dense(16, activation="relu"), layers.Dropout(0.3),
                              layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(x, y, epochs=40, batch_size=32, verbose=0, validation_split=0.2)
    _, accuracy = model.evaluate(x, y, verbose=0)
    assert accuracy > 0.9
    np.testing.assert_array_equal(model.predict(x, verbose=0), model.predict(x, verbose=0))


def test_a_model_of_the_families_saves_and_loads(tmp_path):
    """A layer object as a Dense activation, the moving statistics of BatchNormalization and
    the adapted Normalization come back from a model file."""
    keras.utils.set_random_seed(0)
    norm = layers.Normalization()
    norm.adapt(X)
    model = keras.Sequential([keras.Input((5,)), norm,
                              layers.Dense(8, activation=layers.LeakyReLU(negative_slope=0.1)),
                              layers.BatchNormalization(), layers.Dropout(0.2),
                              layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, X.sum(axis=1), epochs=3, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert type(loaded.layers[1].activation) is layers.LeakyReLU
    np.testing.assert_array_equal(loaded.predict(X, verbose=0), model.predict(X, verbose=0))


def test_pad_sequences_pads_and_cuts_as_keras_does():
    from pynn.keras.preprocessing.sequence import pad_sequences as legacy
    from pynn.keras.utils import pad_sequences
    assert legacy is pad_sequences
    seqs = [[1, 2, 3], [4, 5], [6]]
    assert pad_sequences(seqs).tolist() == [[1, 2, 3], [0, 4, 5], [0, 0, 6]]
    assert pad_sequences(seqs, padding="post").tolist() == [[1, 2, 3], [4, 5, 0], [6, 0, 0]]
    assert pad_sequences(seqs, maxlen=2).tolist() == [[2, 3], [4, 5], [0, 6]]
    assert pad_sequences(seqs, maxlen=2, truncating="post", value=-1).tolist() == \
        [[1, 2], [4, 5], [-1, 6]]
    assert pad_sequences(seqs).dtype == np.int32
    assert pad_sequences([[0.5], []], maxlen=2, dtype="float32").tolist() == [[0, 0.5], [0, 0]]
    with pytest.raises(ValueError, match='Padding type "middle" not understood'):
        pad_sequences(seqs, padding="middle")


def test_embedding_takes_keras_2s_input_length_with_keras_3s_warning():
    with pytest.warns(UserWarning, match="`input_length` is deprecated"):
        emb = layers.Embedding(50, 4, input_length=10)
    assert emb(np.array([[1, 2]])).shape == (1, 2, 4)


def _spatial(shape):
    return np.arange(np.prod(shape), dtype=np.float32).reshape(shape)


def test_upsampling_padding_cropping_2d_as_keras_computes_them():
    x = _spatial((2, 2, 3, 2))
    up = layers.UpSampling2D((2, 3))
    np.testing.assert_array_equal(up(x), x.repeat(2, axis=1).repeat(3, axis=2))
    np.testing.assert_array_equal(layers.UpSampling2D(2, data_format="channels_first")(x),
                                  x.repeat(2, axis=2).repeat(2, axis=3))
    padded = layers.ZeroPadding2D(((1, 0), (2, 1)))
    np.testing.assert_array_equal(padded(x), np.pad(x, ((0, 0), (1, 0), (2, 1), (0, 0))))
    np.testing.assert_array_equal(layers.ZeroPadding2D(1)(x),
                                  np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0))))
    np.testing.assert_array_equal(layers.Cropping2D(((1, 0), (0, 1)))(x), x[:, 1:, :2])
    assert up.compute_output_shape((None, 2, 3, 2)) == (None, 4, 9, 2)
    assert padded.get_config()["padding"] == ((1, 0), (2, 1))
    rebuilt = layers.ZeroPadding2D.from_config(padded.get_config())
    np.testing.assert_array_equal(rebuilt(x), padded(x))
    with pytest.raises(ValueError, match="smaller than the corresponding spatial dimension"):
        layers.Cropping2D(((1, 1), (0, 0)))(x)
    with pytest.raises(ValueError, match="tuple of 2 tuples"):
        layers.ZeroPadding2D((1, 2, 3))
    with pytest.raises(NotImplementedError, match="nearest"):
        layers.UpSampling2D(interpolation="bilinear")


def test_upsampling_padding_cropping_1d_as_keras_computes_them():
    s = _spatial((2, 5, 3))
    np.testing.assert_array_equal(layers.UpSampling1D(3)(s), s.repeat(3, axis=1))
    np.testing.assert_array_equal(layers.ZeroPadding1D((1, 2))(s),
                                  np.pad(s, ((0, 0), (1, 2), (0, 0))))
    np.testing.assert_array_equal(layers.Cropping1D((1, 2))(s), s[:, 1:3])
    assert layers.UpSampling1D(3).compute_output_shape((None, 5, 3)) == (None, 15, 3)
    with pytest.raises(ValueError, match="expected ndim=3"):
        layers.UpSampling1D()(_spatial((2, 5)))


@pytest.mark.parametrize("layer", [lambda: layers.UpSampling2D((2, 3)),
                                   lambda: layers.ZeroPadding2D(((1, 0), (2, 1))),
                                   lambda: layers.Cropping2D(((1, 0), (0, 1)))])
def test_spatial_reshaping_gradcheck_float64(layer):
    t = pynn.tensor(np.random.default_rng(0).standard_normal((2, 3, 4, 2)), dtype=pynn.float64,
                    requires_grad=True)
    assert pynn.gradcheck(layer().call, [t])  # call: __call__ would cast to float32, as Keras


def test_a_small_convolutional_autoencoder_learns():
    keras.utils.set_random_seed(0)
    inputs = keras.Input((8, 8, 1))
    h = layers.Conv2D(4, 3, padding="same", activation="relu")(inputs)
    h = layers.MaxPooling2D(2)(h)
    h = layers.UpSampling2D(2)(h)
    outputs = layers.Conv2D(1, 3, padding="same", activation="sigmoid")(h)
    model = keras.Model(inputs, outputs)
    assert model.output_shape == (None, 8, 8, 1)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    x = np.random.default_rng(1).uniform(size=(32, 8, 8, 1)).astype(np.float32)
    history = model.fit(x, x, epochs=15, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < 0.8 * history.history["loss"][0]
