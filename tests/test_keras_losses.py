"""pynn.keras losses and metrics against Keras's formulas (written out here in float64 NumPy):
cross-entropy from logits agrees with Keras's clipped probabilities wherever they lie inside
[1e-7, 1 - 1e-7], and stays exact beyond; accuracies from logits equal those from
probabilities; 'accuracy' resolves from the shapes as in Keras."""
import numpy as np
import pytest

import pynn
from pynn.keras import losses, metrics
from pynn.keras.layers import Dense
from pynn.keras.models import Sequential
from pynn.keras.utils import set_random_seed
from pynn.tensor import Tensor

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


def test_regression_losses():
    rng = np.random.default_rng(3)
    p, t = rng.standard_normal((10, 2)), rng.standard_normal((10, 2))
    assert float(losses.MeanSquaredError()(t, pynn.tensor(p)).data) == pytest.approx(
        np.mean((p - t) ** 2))
    assert float(losses.get("mae")(t, pynn.tensor(p)).data) == pytest.approx(np.mean(np.abs(p - t)))
    np.testing.assert_allclose(losses.mse(t, p).data, np.mean((p - t) ** 2, axis=-1))
    np.testing.assert_allclose(losses.mean_absolute_error(t, p).data,
                               np.mean(np.abs(p - t), axis=-1))
    column = losses.MeanSquaredError()(t[:, 0], pynn.tensor(p[:, :1]))  # (n,) against (n, 1)
    assert float(column.data) == pytest.approx(np.mean((p[:, 0] - t[:, 0]) ** 2))


def test_loss_names_objects_configs_and_functions():
    assert isinstance(losses.get("mse"), losses.MeanSquaredError)
    bce = losses.BinaryCrossentropy(from_logits=True, name="bce")
    assert losses.get(bce) is bce
    again = losses.get(losses.serialize(bce))
    assert again.get_config() == {"name": "bce", "reduction": "sum_over_batch_size",
                                  "from_logits": True}
    assert losses.serialize("mse") == "mse"

    def my_loss(y_true, y_pred):
        return ((y_pred - y_true) ** 2).sum(axis=-1)
    wrapped = losses.get(my_loss)
    assert wrapped.name == "my_loss" and losses.serialize(wrapped) == "my_loss"
    p, t = np.ones((4, 2)), np.zeros((4, 2))
    assert float(wrapped(t, pynn.tensor(p)).data) == 2.0
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


# ---- metrics --------------------------------------------------------------------------------

def test_accuracy_from_logits_equals_accuracy_from_probabilities():
    rng = np.random.default_rng(4)
    z = rng.standard_normal((300, 1)) * 3
    y = rng.integers(0, 2, (300, 1)).astype(np.float32)
    for threshold in (0.5, 0.7, 0.2):
        a, b = metrics.BinaryAccuracy(threshold=threshold), metrics.BinaryAccuracy(
            threshold=threshold)
        a.update_state_from_logits(y, z, pynn.keras.activations.sigmoid)
        b.update_state(y, sigmoid(z))
        assert a.result() == b.result() == pytest.approx(np.mean((sigmoid(z) > threshold) == y))
    z = rng.standard_normal((300, 5))
    ids = rng.integers(0, 5, 300)
    for metric, target in ((metrics.SparseCategoricalAccuracy(), ids),
                           (metrics.CategoricalAccuracy(), np.eye(5)[ids])):
        metric.update_state_from_logits(target, z, pynn.keras.activations.softmax)
        assert metric.result() == pytest.approx(np.mean(z.argmax(1) == ids))
    mse = metrics.MeanSquaredError()
    mse.update_state_from_logits(y, z[:, :1], pynn.keras.activations.sigmoid)
    assert mse.result() == pytest.approx(np.mean((sigmoid(z[:, :1]) - y) ** 2), rel=1e-6)


def test_metrics_accumulate_over_batches_weighted_by_size():
    m = metrics.BinaryAccuracy()
    m.update_state([[1], [1], [0]], [[0.9], [0.2], [0.1]])  # 2 of 3
    m.update_state([[1]], [[0.8]])  # 1 of 1
    assert m.result() == pytest.approx(0.75)
    m.reset_state()
    assert m.result() == 0.0
    wide = metrics.BinaryAccuracy()
    wide.update_state([[1, 0], [1, 1]], [[0.9, 0.9], [0.9, 0.9]])
    assert wide.result() == pytest.approx(np.mean(metrics.binary_accuracy(
        np.array([[1, 0], [1, 1]]), np.full((2, 2), 0.9))))


@pytest.mark.parametrize("y_true, y_pred, cls", [
    ((32, 1), (32, 1), metrics.BinaryAccuracy),
    ((32,), (32, 1), metrics.BinaryAccuracy),
    ((32,), (32, 10), metrics.SparseCategoricalAccuracy),
    ((32, 1), (32, 10), metrics.SparseCategoricalAccuracy),
    ((32, 10), (32, 10), metrics.CategoricalAccuracy),
])
def test_accuracy_resolves_from_shapes_as_keras(y_true, y_pred, cls):
    for name in ("accuracy", "acc"):
        metric = metrics.get(name, y_true, y_pred)
        assert type(metric) is cls and metric.name == name


def test_metric_names_and_objects():
    assert metrics.get("mse", (4, 1), (4, 1)).name == "mse"
    assert isinstance(metrics.get("mean_absolute_error", (4, 1), (4, 1)),
                      metrics.MeanAbsoluteError)
    custom = metrics.get(lambda y_true, y_pred: np.abs(y_true - y_pred).max(axis=-1),
                         (4, 1), (4, 1))
    custom.update_state(np.zeros((2, 1)), np.array([[1.0], [3.0]]))
    assert custom.result() == 2.0
    acc = metrics.BinaryAccuracy(threshold=0.3)
    assert metrics.get(metrics.serialize(acc), (4, 1), (4, 1)).get_config() == {
        "name": "binary_accuracy", "threshold": 0.3}
    assert metrics.BinaryAccuracy.direction == "up" and metrics.MeanSquaredError.direction == \
        "down"
