"""tf.GradientTape, tf.Variable and tf.function on pynn, for `import tensorflow as tf` scripts
with a custom training loop: gradients as pynn's autograd computes them (checked against
finite differences in float64), Keras layers recording inside a tape, one set of gradients
per tape unless persistent, and a loop that learns."""
import numpy as np
import pytest

import pynn as tf
import pynn.keras  # noqa: F401
from pynn.tensor import TENSORFLOW_STYLE


@pytest.fixture(autouse=True)
def pytorch_style_after():
    yield
    TENSORFLOW_STYLE[0] = False  # a tape switches the whole process; the other tests expect not


def test_gradients_of_variables_and_watched_constants():
    x = tf.constant(3.0)
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
    assert g.gradient(y, x).item() == pytest.approx(6.0)
    w, b = tf.Variable(2.0, name="w"), tf.Variable(np.zeros(3), dtype="float64")
    data = np.array([1.0, 2.0, 3.0])
    with tf.GradientTape(persistent=True) as tape:
        loss = tf.reduce_mean(tf.square(w * data + b - 1.0))
    dw, db = tape.gradient(loss, [w, b])
    r = 2.0 * data - 1.0
    assert dw.item() == pytest.approx(np.mean(2 * r * data), rel=1e-6)
    np.testing.assert_allclose(db.numpy(), 2 * r / 3, rtol=1e-6)
    assert tape.gradient(loss, {"w": w})["w"].item() == pytest.approx(dw.item())  # persistent
    unused = tf.Variable(1.0)
    assert tape.gradient(loss, unused) is None
    assert tape.gradient(loss, unused, unconnected_gradients="zero").item() == 0.0


def test_a_tape_computes_one_set_of_gradients_and_sums_a_vector_target():
    w = tf.Variable(np.array([1.0, 2.0]))
    with tf.GradientTape() as tape:
        y = w * w
    np.testing.assert_allclose(tape.gradient(y, w).numpy(), [2.0, 4.0])  # of y's sum
    with pytest.raises(RuntimeError, match="non-persistent GradientTape"):
        tape.gradient(y, w)
    with pytest.raises(ValueError, match="expected a Tensor"):
        tf.GradientTape().watch(3.0)


def test_tape_gradients_match_finite_differences_through_a_keras_model():
    from pynn import keras
    keras.backend.set_floatx("float64")
    try:
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="tanh"),
                                  keras.layers.Dense(2)])
        x = np.random.default_rng(1).normal(size=(5, 3))
        y = np.array([0, 1, 1, 0, 1])
        loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_weights)
        kernel = model.trainable_weights[0]
        eps, i, j = 1e-6, 1, 2
        base = kernel.numpy()
        values = []
        for sign in (1, -1):
            bumped = base.copy()
            bumped[i, j] += sign * eps
            kernel.assign(bumped)
            values.append(loss_fn(y, model(x)).item())
        kernel.assign(base)
        assert grads[0].numpy()[i, j] == pytest.approx((values[0] - values[1]) / (2 * eps),
                                                       rel=1e-5)
        assert model(x).requires_grad is False  # outside a tape, no graph is recorded
    finally:
        keras.backend.set_floatx("float32")


def test_a_custom_training_loop_learns():
    from pynn import keras
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 2)).astype("float32")
    y = (x[:, 0] * x[:, 1] > 0).astype("int64")
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(2)])
    optimizer = keras.optimizers.Adam(0.02)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    accuracy = keras.metrics.SparseCategoricalAccuracy()
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(256).batch(32)

    @tf.function
    def train_step(xb, yb):
        with tf.GradientTape() as tape:
            logits = model(xb, training=True)
            loss = loss_fn(yb, logits)
        grads = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.trainable_weights))
        accuracy.update_state(yb, logits)
        return loss

    for _ in range(30):
        accuracy.reset_state()
        for xb, yb in dataset:
            train_step(xb, yb)
    assert float(accuracy.result()) > 0.9


def test_variables_take_tensorflow_and_keras_arguments():
    v = tf.Variable(0.5)
    assert v.dtype == np.float32 and v.trainable and v.name == "Variable"
    v.assign_add(1.0)
    v.assign_sub(0.25)
    assert v.numpy() == pytest.approx(1.25)
    z = tf.Variable("zeros", shape=(2, 3))
    assert z.shape == (2, 3) and not z.numpy().any()
    assert not tf.Variable(1.0, trainable=False).trainable
    with pytest.raises(ValueError, match="`shape` argument should be specified"):
        tf.Variable("ones")
    with pytest.raises(TypeError, match="unexpected arguments"):
        tf.Variable(1.0, colour="red")
    assert tf.function(lambda a: a + 1)(1) == 2 and tf.function(jit_compile=True)(abs)(-1) == 1


def test_once_a_tape_is_opened_tensors_that_require_grad_convert_to_numpy():
    w = tf.Variable(np.array([1.0, 2.0]))
    y = w * 3.0
    with pytest.raises(RuntimeError, match="Can't call numpy"):  # PyTorch's rule until then
        y.numpy()
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(w * w)
    tape.gradient(loss, w)
    assert loss.numpy() == pytest.approx(5.0)
    np.testing.assert_allclose(np.array(w * 3.0), [3.0, 6.0])
