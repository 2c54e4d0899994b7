"""pynn.keras losses against Keras 3's formulas (written out here in float64 NumPy), with
sample weights and every reduction, gradchecked in float64: cross-entropy from logits agrees
with Keras's clipped probabilities wherever they lie inside [1e-7, 1 - 1e-7] and stays exact
beyond; names, aliases and configs as Keras 3 has them."""
import numpy as np
import pytest

import pynn
from pynn.keras import losses
from pynn.keras.layers import Dense
from pynn.keras.models import Sequential
from pynn.keras.utils import set_random_seed

EPS = 1e-7


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def keras_bce(t, p):
    """Keras's binary cross-entropy of probabilities: clipped, mean over the last axis."""
    p = np.clip(p, EPS, 1 - EPS)
    return np.mean(-(t * np.log(p) + (1 - t) * np.log(1 - p)), axis=-1)


def keras_cce(t, p):
    p = p / p.sum(axis=-1, keepdims=True)
    return -np.sum(t * np.log(np.clip(p, EPS, 1 - EPS)), axis=-1)


def test_bce_from_logits_agrees_with_keras_inside_the_clip_range():
    rng = np.random.default_rng(0)
    z = rng.uniform(-15, 15, (200, 3))  # sigmoid(+-15) lies inside [1e-7, 1 - 1e-7]
    t = rng.integers(0, 2, (200, 3)).astype(np.float64)
    want = keras_bce(t, sigmoid(z)).mean()
    fused = losses.BinaryCrossentropy().logits_loss(t, pynn.tensor(z))
    np.testing.assert_allclose(float(fused.data), want, rtol=1e-10)
    assert float(losses.BinaryCrossentropy(from_logits=True)(t, pynn.tensor(z)).data) == float(
        fused.data)
    clipped = losses.BinaryCrossentropy()(t, pynn.tensor(sigmoid(z)))
    np.testing.assert_allclose(float(clipped.data), want, rtol=1e-10)
    np.testing.assert_allclose(losses.binary_crossentropy(t, sigmoid(z)).data,
                               keras_bce(t, sigmoid(z)), rtol=1e-10)


def test_bce_from_logits_stays_exact_where_probabilities_saturate():
    z, t = np.array([[30.0], [-40.0]]), np.array([[0.0], [1.0]])
    exact = float(losses.BinaryCrossentropy().logits_loss(t, pynn.tensor(z)).data)
    assert exact == pytest.approx(35.0, rel=1e-9)  # log(1 + e^30) and log(1 + e^40)
    assert keras_bce(t, sigmoid(z)).mean() == pytest.approx(-np.log(EPS), rel=1e-6)


def test_a_sigmoid_model_trains_on_the_stable_loss_and_reports_keras_values():
    """The model computes BCE from its logits; evaluated, it equals Keras's formula on the
    probabilities predict() returns."""
    set_random_seed(0)
    rng = np.random.default_rng(1)
    x = rng.standard_normal((50, 3)).astype(np.float32)
    y = (x[:, :1] > 0).astype(np.float32)
    model = Sequential([Dense(5, input_dim=3, activation="tanh"), Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    assert model._fused_outputs(False) == (0,)
    loss, accuracy = model.evaluate(x, y, verbose=0)
    p = model.predict(x, verbose=0).astype(np.float64)
    assert loss == pytest.approx(keras_bce(y, p).mean(), rel=1e-5)
    assert accuracy == pytest.approx(np.mean((p > 0.5) == y))


def test_cross_entropies_from_logits_agree_with_keras():
    rng = np.random.default_rng(2)
    z = rng.uniform(-5, 5, (100, 4))
    ids = rng.integers(0, 4, 100)
    one_hot = np.eye(4)[ids]
    want = keras_cce(one_hot, softmax(z)).mean()
    for loss in (losses.CategoricalCrossentropy(), losses.SparseCategoricalCrossentropy()):
        target = ids if loss.sparse else one_hot
        np.testing.assert_allclose(float(loss.logits_loss(target, pynn.tensor(z)).data), want,
                                   rtol=1e-10)
        np.testing.assert_allclose(float(loss(target, pynn.tensor(softmax(z))).data), want,
                                   rtol=1e-10)
    np.testing.assert_allclose(losses.sparse_categorical_crossentropy(ids, softmax(z)).data,
                               keras_cce(one_hot, softmax(z)), rtol=1e-10)
    np.testing.assert_allclose(
        losses.categorical_crossentropy(one_hot, z, from_logits=True).data,
        keras_cce(one_hot, softmax(z)), rtol=1e-10)


def test_probability_losses_clip_and_pass_no_gradient_through_clipped_values():
    p = pynn.tensor(np.array([[0.0, 1.0, 0.5]]), requires_grad=True)
    t = np.array([[1.0, 0.0, 0.0]])
    loss = losses.CategoricalCrossentropy()(t, p)
    assert float(loss.data) == pytest.approx(-np.log(EPS), rel=1e-9)
    loss.backward()
    assert np.isfinite(p.grad).all()


def keras_ops_bce(t, p):
    p = np.clip(p, EPS, 1 - EPS)
    return -(t * np.log(p) + (1 - t) * np.log(1 - p))


def signed(t):
    return 2 * t - 1 if np.isin(t, (0, 1)).all() else t


RNG = np.random.default_rng(5)
P = RNG.uniform(0.02, 0.98, (6, 3))
P2 = P / P.sum(axis=1, keepdims=True)
Z = RNG.standard_normal((6, 3)) * 3
YB = (RNG.uniform(size=(6, 3)) > 0.5).astype(float)
Y1 = np.eye(3)[RNG.integers(0, 3, 6)]
IDS = RNG.integers(0, 3, 6)
R, RT = RNG.standard_normal((6, 3)), RNG.standard_normal((6, 3))
W = RNG.uniform(0.5, 2, 6)


def log_cosh(x):
    return np.log(np.cosh(x))


def huber(e, d):
    return np.where(np.abs(e) <= d, 0.5 * e * e, d * np.abs(e) - 0.5 * d * d)


def unit(x, axis=-1):
    return x / np.sqrt((x * x).sum(axis=axis, keepdims=True))


# Keras 3's per-sample formulas (keras/src/losses/losses.py and the backend's ops), in NumPy
PER_SAMPLE = [
    ("BinaryCrossentropy", {}, YB, P, lambda t, p: keras_ops_bce(t, p).mean(-1)),
    ("BinaryCrossentropy", dict(from_logits=True), YB, Z,
     lambda t, z: keras_ops_bce(t, sigmoid(z)).mean(-1)),
    ("BinaryCrossentropy", dict(label_smoothing=0.2), YB, P,
     lambda t, p: keras_ops_bce(t * 0.8 + 0.1, p).mean(-1)),
    ("CategoricalCrossentropy", {}, Y1, P, keras_cce),
    ("CategoricalCrossentropy", dict(from_logits=True, label_smoothing=0.1), Y1, Z,
     lambda t, z: keras_cce(t * 0.9 + 0.1 / 3, softmax(z))),
    ("SparseCategoricalCrossentropy", {}, IDS, P2, lambda i, p: keras_cce(np.eye(3)[i], p)),
    ("SparseCategoricalCrossentropy", dict(from_logits=True), IDS, Z,
     lambda i, z: keras_cce(np.eye(3)[i], softmax(z))),
    ("SparseCategoricalCrossentropy", dict(from_logits=True, ignore_class=1), IDS, Z,
     lambda i, z: keras_cce(np.eye(3)[i], softmax(z)) * (i != 1)),
    ("BinaryFocalCrossentropy", {}, YB, P,
     lambda t, p: ((1 - (t * p + (1 - t) * (1 - p))) ** 2 * keras_ops_bce(t, p)).mean(-1)),
    ("BinaryFocalCrossentropy", dict(apply_class_balancing=True, gamma=1.5, from_logits=True),
     YB, Z, lambda t, z: ((t * 0.25 + (1 - t) * 0.75) * (1 - (t * sigmoid(z) + (1 - t) * (
         1 - sigmoid(z)))) ** 1.5 * keras_ops_bce(t, sigmoid(z))).mean(-1)),
    ("CategoricalFocalCrossentropy", {}, Y1, P2,
     lambda t, p: (0.25 * (1 - p) ** 2 * -t * np.log(p)).sum(-1)),
    ("MeanSquaredError", {}, RT, R, lambda t, p: ((p - t) ** 2).mean(-1)),
    ("MeanAbsoluteError", {}, RT, R, lambda t, p: np.abs(p - t).mean(-1)),
    ("MeanAbsolutePercentageError", {}, RT, R,
     lambda t, p: 100 * np.abs((t - p) / np.maximum(np.abs(t), EPS)).mean(-1)),
    ("MeanSquaredLogarithmicError", {}, np.abs(RT), R, lambda t, p: (
        (np.log(np.maximum(p, EPS) + 1) - np.log(np.maximum(t, EPS) + 1)) ** 2).mean(-1)),
    ("CosineSimilarity", {}, RT, R, lambda t, p: -(unit(t) * unit(p)).sum(-1)),
    ("Huber", {}, RT, 2 * R, lambda t, p: huber(p - t, 1.0).mean(-1)),
    ("Huber", dict(delta=0.5), RT, R, lambda t, p: huber(p - t, 0.5).mean(-1)),
    ("LogCosh", {}, RT, 5 * R, lambda t, p: log_cosh(p - t).mean(-1)),
    ("Hinge", {}, YB, Z, lambda t, p: np.maximum(1 - signed(t) * p, 0).mean(-1)),
    ("Hinge", {}, 2 * YB - 1, Z, lambda t, p: np.maximum(1 - t * p, 0).mean(-1)),
    ("SquaredHinge", {}, YB, Z, lambda t, p: np.maximum(1 - signed(t) * p, 0).mean(-1) * 0
     + (np.maximum(1 - signed(t) * p, 0) ** 2).mean(-1)),
    ("CategoricalHinge", {}, Y1, Z, lambda t, p: np.maximum(
        ((1 - t) * p).max(-1) - (t * p).sum(-1) + 1, 0)),
    ("KLDivergence", {}, P2, P2[::-1], lambda t, p: (np.clip(t, EPS, 1) * np.log(
        np.clip(t, EPS, 1) / np.clip(p, EPS, 1))).sum(-1)),
    ("Poisson", {}, np.abs(RT), P, lambda t, p: (p - t * np.log(p + EPS)).mean(-1)),
]


@pytest.mark.parametrize("name, kwargs, y_true, y_pred, formula", PER_SAMPLE,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(PER_SAMPLE)])
def test_losses_are_keras_formulas_with_sample_weights_and_reductions(name, kwargs, y_true,
                                                                       y_pred, formula):
    per_sample = formula(y_true, y_pred)
    cls = getattr(losses, name)
    x = pynn.tensor(y_pred)
    np.testing.assert_allclose(cls(**kwargs)(y_true, x).item(), per_sample.mean(), rtol=1e-10)
    np.testing.assert_allclose(cls(**kwargs)(y_true, x, sample_weight=W).item(),
                               (per_sample * W).mean(), rtol=1e-10)  # not over sum(W)
    np.testing.assert_allclose(cls(**kwargs, reduction="sum")(y_true, x, sample_weight=W).item(),
                               (per_sample * W).sum(), rtol=1e-10)
    np.testing.assert_allclose(
        cls(**kwargs, reduction="mean_with_sample_weight")(y_true, x, sample_weight=W).item(),
        (per_sample * W).sum() / W.sum(), rtol=1e-10)
    np.testing.assert_allclose(cls(**kwargs, reduction="none")(y_true, x).numpy(), per_sample,
                               rtol=1e-10, atol=1e-12)
    assert cls(**kwargs, reduction=None)(y_true, x).shape == (6,)


@pytest.mark.parametrize("name, kwargs, y_true, y_pred, formula", PER_SAMPLE,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(PER_SAMPLE)])
def test_gradcheck_losses_float64(name, kwargs, y_true, y_pred, formula):
    loss = getattr(losses, name)(**kwargs)
    assert pynn.gradcheck(lambda p: loss(y_true, p, sample_weight=W),
                          [pynn.tensor(y_pred, requires_grad=True)])


def test_functions_names_and_aliases_as_keras_3():
    """Each function gives one loss per sample, under its Keras name and aliases."""
    for name, fn in [("mse", losses.mean_squared_error), ("MSE", losses.mean_squared_error),
                     ("mae", losses.mean_absolute_error), ("mape",
                                                           losses.mean_absolute_percentage_error),
                     ("msle", losses.mean_squared_logarithmic_error),
                     ("kld", losses.kl_divergence), ("KLD", losses.kl_divergence)]:
        assert getattr(losses, name) is fn
        assert type(losses.get(name)) is losses.get(fn).__class__
    for name, cls in [("bce", losses.BinaryCrossentropy), ("huber", losses.Huber),
                      ("log_cosh", losses.LogCosh), ("poisson", losses.Poisson),
                      ("categorical_hinge", losses.CategoricalHinge),
                      ("cosine_similarity", losses.CosineSimilarity),
                      ("binary_focal_crossentropy", losses.BinaryFocalCrossentropy),
                      ("Huber", losses.Huber), ("KLDivergence", losses.KLDivergence)]:
        assert type(losses.get(name)) is cls
    assert losses.Huber().name == "huber_loss" and losses.KLDivergence().name == "kl_divergence"
    out = losses.huber(RT, R)
    assert out.shape == (6,)
    np.testing.assert_allclose(out.numpy(), huber(R - RT, 1.0).mean(-1), rtol=1e-12)
    with pytest.raises(ValueError, match="Could not interpret loss identifier"):
        losses.get("huber_loss")  # the class's name, not a name Keras takes


def test_regression_losses_and_shapes():
    rng = np.random.default_rng(3)
    p, t = rng.standard_normal((10, 2)), rng.standard_normal((10, 2))
    assert float(losses.MeanSquaredError()(t, pynn.tensor(p)).data) == pytest.approx(
        np.mean((p - t) ** 2))
    assert float(losses.get("mae")(t, pynn.tensor(p)).data) == pytest.approx(np.mean(np.abs(p - t)))
    np.testing.assert_allclose(losses.mse(t, p).data, np.mean((p - t) ** 2, axis=-1))
    column = losses.MeanSquaredError()(t[:, 0], pynn.tensor(p[:, :1]))  # (n,) against (n, 1)
    assert float(column.data) == pytest.approx(np.mean((p[:, 0] - t[:, 0]) ** 2))
    assert losses.MeanSquaredError()(t, p).dtype == pynn.float32  # arrays in floatx, as Keras
    assert losses.mean_squared_error(t, p).dtype == pynn.float64  # functions keep the dtype


def test_categorical_crossentropy_warns_for_one_class_as_keras():
    with pytest.warns(SyntaxWarning, match="binary_crossentropy"):
        losses.categorical_crossentropy(np.ones((2, 1)), np.full((2, 1), 0.5))


def test_sample_weights_of_a_column_output():
    t, p = YB[:, :1], P[:, :1]
    got = losses.BinaryCrossentropy()(t, pynn.tensor(p), sample_weight=W.reshape(-1, 1))
    assert got.item() == pytest.approx((keras_ops_bce(t, p)[:, 0] * W).mean(), rel=1e-10)
    fused = losses.BinaryCrossentropy().logits_loss(t, pynn.tensor(Z[:, :1]), sample_weight=W)
    assert fused.item() == pytest.approx((keras_ops_bce(t, sigmoid(Z[:, :1]))[:, 0] * W).mean(),
                                         rel=1e-9)


def test_bad_reductions_and_arguments():
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`"):
        losses.MeanSquaredError(reduction="avg")
    with pytest.raises(ValueError, match="label_smoothing"):
        losses.BinaryCrossentropy(label_smoothing=2.0)
    with pytest.raises(ValueError, match="class ids must lie in"):
        losses.SparseCategoricalCrossentropy()(np.array([3]), np.full((1, 3), 1 / 3))


def test_loss_names_objects_configs_and_functions():
    assert isinstance(losses.get("mse"), losses.MeanSquaredError)
    bce = losses.BinaryCrossentropy(from_logits=True, name="bce")
    assert losses.get(bce) is bce
    again = losses.get(losses.serialize(bce))
    assert again.get_config() == {"name": "bce", "reduction": "sum_over_batch_size",
                                  "from_logits": True, "label_smoothing": 0.0, "axis": -1}
    assert losses.SparseCategoricalCrossentropy().get_config() == {
        "name": "sparse_categorical_crossentropy", "reduction": "sum_over_batch_size",
        "from_logits": False, "ignore_class": None}
    assert losses.serialize("mse") == "mse"
    for cls in losses.CLASSES.values():
        loss = cls(name="mine", reduction="sum")
        again = losses.get(losses.serialize(loss))
        assert type(again) is cls and again.get_config() == loss.get_config()

    def my_loss(y_true, y_pred):
        return ((y_pred - y_true) ** 2).sum(axis=-1)
    wrapped = losses.get(my_loss)
    assert wrapped.name == "my_loss" and losses.serialize(wrapped) == "my_loss"
    p, t = np.ones((4, 2)), np.zeros((4, 2))
    assert float(wrapped(t, pynn.tensor(p)).data) == 2.0
    assert float(wrapped(t, pynn.tensor(p), sample_weight=[1, 1, 0, 0]).data) == 1.0
    with pytest.raises(TypeError, match="must return a pynn Tensor"):
        losses.get(lambda y_true, y_pred: 1.0)(t, pynn.tensor(p))


def test_a_custom_loss_function_trains_a_model():
    set_random_seed(0)
    x = np.linspace(-1, 1, 32).reshape(-1, 1)
    y = 3 * x + 1
    model = Sequential([Dense(1, input_dim=1)])
    model.compile(optimizer=pynn.keras.optimizers.SGD(0.1),
                  loss=lambda y_true, y_pred: ((y_pred - y_true) ** 2).mean(axis=-1))
    model.fit(x, y, epochs=200, verbose=0)
    kernel, bias = model.get_weights()
    np.testing.assert_allclose([kernel[0, 0], bias[0]], [3, 1], atol=1e-2)
