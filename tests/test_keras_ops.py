"""pynn.keras.ops (Keras 3's keras.ops) and tf.keras.backend's tensor functions
(`from tensorflow.keras import backend as K`): the values NumPy gives, Keras's defaults, and
gradients through custom losses, metrics and Lambda layers written with them."""
import numpy as np
import pytest

import pynn
from pynn import keras
from pynn.keras import backend as K
from pynn.keras import ops

A = np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]])


def values(t):
    assert isinstance(t, pynn.Tensor)
    return t.detach().numpy()


def test_reductions_take_keras_axis_and_keepdims():
    for op, ref in [(ops.mean, np.mean), (ops.sum, np.sum), (ops.max, np.max),
                    (ops.min, np.min), (ops.prod, np.prod), (ops.std, np.std), (ops.var, np.var)]:
        for axis in (None, 0, -1, (0, 1), [0, 1]):
            for keepdims in (False, True):
                np.testing.assert_allclose(
                    values(op(A, axis=axis, keepdims=keepdims)),
                    ref(A, axis=tuple(axis) if isinstance(axis, list) else axis,
                        keepdims=keepdims), rtol=1e-6, err_msg=f"{op.__name__} {axis}")
    assert values(ops.argmax(A)) == 4 and values(ops.argmax(A, axis=1)).tolist() == [2, 1]
    assert ops.argmax(A, axis=1).dtype == np.int32
    np.testing.assert_allclose(values(ops.logsumexp(A, axis=1)),
                               np.log(np.exp(A).sum(axis=1)), rtol=1e-6)
    np.testing.assert_allclose(values(ops.norm(A, axis=-1)), np.linalg.norm(A, axis=-1),
                               rtol=1e-6)


def test_elementwise_shapes_and_conversion():
    np.testing.assert_allclose(values(ops.square(A)), A ** 2)
    np.testing.assert_allclose(values(ops.clip(A, -1, 1)), np.clip(A, -1, 1))
    np.testing.assert_allclose(values(ops.where(A > 0, A, 0.0)), np.where(A > 0, A, 0.0))
    np.testing.assert_allclose(values(ops.maximum(A, 0.0)), np.maximum(A, 0.0))
    np.testing.assert_allclose(values(ops.subtract(1.0, A)), 1.0 - A)
    assert values(ops.greater(A, 0)).tolist() == (A > 0).tolist()
    assert ops.transpose(A).shape == (3, 2) and ops.expand_dims(A, -1).shape == (2, 3, 1)
    assert ops.concatenate([A, A], axis=1).shape == (2, 6) and ops.stack([A, A]).shape == (2, 2, 3)
    assert ops.squeeze(np.ones((2, 1))).shape == (2,)
    with pytest.raises(ValueError, match="Cannot squeeze axis 0"):
        ops.squeeze(A, axis=0)
    assert ops.convert_to_tensor([1.0, 2.0]).dtype == np.float32      # Python floats: floatx
    assert ops.convert_to_tensor([1, 2]).dtype == np.int32
    assert ops.convert_to_tensor(A).dtype == np.float64                # arrays keep theirs
    assert ops.cast(A, "int32").dtype == np.int32
    assert ops.convert_to_numpy(ops.ones_like(A)).tolist() == np.ones_like(A).tolist()
    np.testing.assert_allclose(values(ops.softmax(A)).sum(axis=-1), 1.0)
    np.testing.assert_allclose(values(ops.binary_crossentropy(np.array([1.0]), np.array([0.8]))),
                               [-np.log(0.8)], rtol=1e-6)
    np.testing.assert_allclose(
        values(ops.sparse_categorical_crossentropy(np.array([1]), np.array([[0.2, 0.8]]))),
        values(ops.categorical_crossentropy(np.array([[0.0, 1.0]]), np.array([[0.2, 0.8]]))))


def test_gradients_flow_through_a_loss_written_with_ops():
    target = np.array([[0.2, 0.7], [1.5, -0.3]])

    def loss(y_pred):
        err = ops.subtract(target, y_pred)
        return ops.mean(ops.square(err), axis=-1) + ops.sum(ops.abs(y_pred) * 0.1, axis=-1)

    x = pynn.tensor([[0.1, 0.4], [1.0, 0.2]], dtype=pynn.float64, requires_grad=True)
    assert pynn.gradcheck(loss, [x])
    assert pynn.gradcheck(lambda t: K.mean(K.square(K.clip(t, -1.0, 0.9)), axis=-1), [x])
    assert pynn.gradcheck(lambda t: ops.logsumexp(t, axis=1), [x])


def test_legacy_backend_functions_keep_keras_2_defaults():
    np.testing.assert_allclose(values(K.mean(A, axis=None)), A.mean())
    assert values(K.argmax(A)).tolist() == [2, 1]                   # the last axis
    assert K.concatenate([A, A]).shape == (2, 6)                    # the last axis
    assert values(K.sqrt(np.array([-1.0, 4.0]))).tolist() == [0.0, 2.0]
    assert K.int_shape(A) == (2, 3) and K.ndim(A) == 2
    assert K.epsilon() == 1e-7 and K.floatx() == "float32"
    assert values(K.constant(2.0, shape=(2,))).tolist() == [2.0, 2.0]
    opt = keras.optimizers.Adam(learning_rate=0.01)
    K.set_value(opt.learning_rate, 0.001)
    assert K.get_value(opt.learning_rate) == pytest.approx(0.001)
    with pytest.raises(ValueError, match="not a variable"):
        K.set_value(1.0, 2.0)


def test_custom_loss_metric_and_lambda_train_a_model():
    keras.utils.set_random_seed(0)
    X = np.random.default_rng(0).uniform(-1, 1, (256, 2)).astype("float32")
    y = (X @ np.array([[2.0], [-1.0]]) + 0.5).astype("float32")

    def rmse(y_true, y_pred):
        return K.sqrt(K.mean(K.square(y_pred - y_true), axis=-1))

    def max_error(y_true, y_pred):
        return ops.max(ops.abs(y_true - y_pred))

    inputs = keras.Input((2,))
    hidden = keras.layers.Dense(16, activation="tanh")(inputs)
    outputs = keras.layers.Lambda(lambda t: ops.multiply(t, 2.0))(keras.layers.Dense(1)(hidden))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss=rmse, metrics=[max_error])
    history = model.fit(X, y, epochs=40, batch_size=32, verbose=0)
    assert set(history.history) == {"loss", "max_error"}
    assert history.history["loss"][-1] < 0.1 < history.history["loss"][0]


def test_activation_functions_take_keras_defaults():
    x = np.array([-2.0, 0.5, 3.0, 7.0])
    assert values(K.relu(x)).tolist() == [0.0, 0.5, 3.0, 7.0]
    np.testing.assert_allclose(values(K.relu(x, alpha=0.1, max_value=5.0)), [-0.2, 0.5, 3, 5])
    assert values(K.relu(x, threshold=1.0)).tolist() == [0.0, 0.0, 3.0, 7.0]
    np.testing.assert_allclose(values(ops.leaky_relu(x)), np.where(x > 0, x, 0.2 * x))
    np.testing.assert_allclose(values(ops.elu(x, alpha=0.5)),
                               np.where(x > 0, x, 0.5 * np.expm1(x)))
    tanh_gelu = 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))
    np.testing.assert_allclose(values(ops.gelu(x)), tanh_gelu, rtol=1e-6)  # approximate=True
    np.testing.assert_allclose(values(ops.log_softmax(A)), np.log(values(ops.softmax(A))),
                               rtol=1e-6)


def test_ops_on_functional_inputs_become_layers_of_the_model():
    keras.backend.clear_session()  # automatic names count from the start
    keras.utils.set_random_seed(0)
    inputs = keras.Input((3,))
    hidden = keras.layers.Dense(4)(inputs)
    outputs = ops.sigmoid(ops.add(ops.sum(hidden, axis=1, keepdims=True), 1.0))
    both = ops.concatenate([inputs, hidden], axis=1)
    assert outputs.shape == (None, 1) and both.shape == (None, 7)
    model = keras.Model(inputs, [outputs, both])
    x = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    h = model.layers[1](x).numpy()
    got, joined = model.predict(x, verbose=0)
    np.testing.assert_allclose(got, 1 / (1 + np.exp(-(h.sum(1, keepdims=True) + 1))), rtol=1e-5)
    np.testing.assert_allclose(joined, np.concatenate([x, h], axis=1), rtol=1e-6)
    assert [layer.name for layer in model.layers][-3:] == ["add", "sigmoid", "concatenate"]


def test_more_numpy_style_ops():
    assert values(ops.one_hot(np.array([0, 2]), 3)).tolist() == [[1, 0, 0], [0, 0, 1]]
    np.testing.assert_allclose(values(ops.log2(np.array([8.0]))), [3.0])
    np.testing.assert_allclose(values(ops.log10(np.array([100.0]))), [2.0])
    assert values(ops.linspace(0, 1, 3)).tolist() == [0.0, 0.5, 1.0]
    assert values(ops.eye(2)).tolist() == [[1, 0], [0, 1]]
    assert values(ops.tile(np.array([1.0, 2.0]), 2)).tolist() == [1, 2, 1, 2]
    assert values(ops.flip(np.array([1.0, 2.0, 3.0]))).tolist() == [3, 2, 1]
    assert values(ops.argsort(A)).tolist() == [[1, 0, 2], [2, 0, 1]]
    np.testing.assert_array_equal(values(ops.sort(A)), np.sort(A, axis=-1))
    x = pynn.tensor(A, dtype=pynn.float64, requires_grad=True)
    assert pynn.gradcheck(lambda t: ops.sort(t) * ops.expm1(t), [x])
