"""TensorFlow's names on pynn, for Keras scripts whose `import tensorflow as tf` becomes
`import pynn as tf, pynn.keras`: tf.constant, tf.cast, tf.reduce_*, tf.math.*, tf.nn.*,
tf.random.uniform/normal, tf.one_hot and tf.losses; values as NumPy gives them, gradients as
pynn's own ops give them."""
import numpy as np
import pytest

import pynn as tf
import pynn.keras  # noqa: F401

A = np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]])


def values(t):
    assert isinstance(t, tf.Tensor)
    return t.detach().numpy()


def test_constants_and_casts_take_tensorflow_dtypes():
    assert tf.constant([1.0, 2.0]).dtype == tf.float32
    assert tf.constant([1, 2]).dtype == tf.int32
    assert tf.constant(A).dtype == tf.float64
    assert values(tf.constant(0.5, shape=(2, 2))).tolist() == [[0.5, 0.5], [0.5, 0.5]]
    assert tf.convert_to_tensor(A, dtype=tf.float32).dtype == tf.float32
    assert values(tf.cast([1.7, -0.2], tf.int32)).tolist() == [1, 0]
    assert values(tf.one_hot([0, 2], 3)).tolist() == [[1, 0, 0], [0, 0, 1]]
    with pytest.raises(TypeError, match="indices must be integers"):
        tf.one_hot([0.5], 3)
    assert tf.expand_dims(A, -1).shape == (2, 3, 1)
    assert tf.ones(shape=(2, 3)).shape == (2, 3) and tf.zeros(shape=[4]).shape == (4,)
    with pytest.raises(TypeError, match="size= or shape="):
        tf.ones(size=(2,), shape=(2,))


def test_reductions_match_numpy():
    for fn, ref in [(tf.reduce_mean, np.mean), (tf.reduce_sum, np.sum), (tf.reduce_max, np.max),
                    (tf.reduce_min, np.min), (tf.reduce_prod, np.prod),
                    (tf.reduce_std, np.std), (tf.reduce_variance, np.var),
                    (tf.math.reduce_mean, np.mean)]:
        for axis in (None, 0, -1, [0, 1]):
            for keepdims in (False, True):
                np.testing.assert_allclose(
                    values(fn(A, axis=axis, keepdims=keepdims)),
                    ref(A, axis=tuple(axis) if isinstance(axis, list) else axis,
                        keepdims=keepdims), rtol=1e-6, err_msg=fn.__name__)
    assert values(tf.reduce_mean(tf.constant([1, 2]))) == 1.5  # integers averaged as floats
    np.testing.assert_allclose(values(tf.reduce_logsumexp(A, axis=1)),
                               np.log(np.exp(A).sum(axis=1)), rtol=1e-6)


def test_math_nn_and_random():
    np.testing.assert_allclose(values(tf.math.squared_difference(A, 1.0)), (A - 1) ** 2)
    np.testing.assert_allclose(values(tf.math.maximum(A, 0.0)), np.maximum(A, 0))
    np.testing.assert_allclose(values(tf.math.sqrt(np.abs(A))), np.sqrt(np.abs(A)))
    assert values(tf.math.argmax(A, axis=1)).tolist() == [2, 1]
    np.testing.assert_allclose(values(tf.nn.relu(A)), np.maximum(A, 0))
    np.testing.assert_allclose(values(tf.nn.softmax(A)).sum(axis=-1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(values(tf.nn.leaky_relu(A)), np.where(A > 0, A, 0.2 * A))
    np.testing.assert_allclose(
        values(tf.nn.sigmoid_cross_entropy_with_logits(labels=[1.0], logits=[0.3])),
        [np.log1p(np.exp(-0.3))], rtol=1e-6)
    tf.random.set_seed(3)
    u = tf.random.uniform((500, 2), minval=-1, maxval=2)
    assert u.dtype == tf.float32 and -1 <= values(u).min() and values(u).max() < 2
    tf.random.set_seed(3)
    assert values(tf.random.uniform((500, 2), minval=-1, maxval=2)).tolist() == values(u).tolist()
    n = values(tf.random.normal((4000,), mean=1.0, stddev=2.0))
    assert abs(n.mean() - 1.0) < 0.15 and abs(n.std() - 2.0) < 0.15
    assert tf.random.uniform((3,), maxval=5, dtype=tf.int32).dtype == tf.int32
    assert tf.losses.mse is pynn.keras.losses.mse and tf.optimizers.Adam


def test_gradients_through_a_tensorflow_style_loss():
    target = np.array([[0.5, -1.0], [2.0, 0.0]])

    def loss(y_pred):
        return tf.reduce_mean(tf.square(target - y_pred), axis=-1) + \
            tf.math.reduce_sum(tf.nn.softplus(y_pred) * 0.1)

    x = tf.tensor([[0.1, 0.4], [1.0, -0.2]], dtype=tf.float64, requires_grad=True)
    assert tf.gradcheck(loss, [x])
    assert tf.gradcheck(lambda t: tf.reduce_logsumexp(t, axis=1) + tf.reduce_std(t), [x])


def test_a_model_trains_on_tensorflow_style_data_and_loss():
    tf.random.set_seed(0)
    x = tf.random.uniform(shape=(512, 3), minval=0, maxval=1)
    y = tf.reduce_sum(x, axis=-1) * 2.0

    def custom_mse(y_true, y_pred):
        return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)

    model = tf.keras.Sequential([tf.keras.Input((3,)),
                                 tf.keras.layers.Dense(16, activation=tf.nn.relu),
                                 tf.keras.layers.Dense(1)])
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss=custom_mse)
    history = model.fit(x, y, epochs=30, verbose=0)
    assert history.history["loss"][-1] < 0.01


def test_devices_shapes_printing_and_versions(capsys):
    assert len(tf.config.list_physical_devices("GPU")) == 0
    assert tf.config.list_physical_devices()[0].device_type == "CPU"
    tf.config.experimental.set_memory_growth(tf.config.list_physical_devices()[0], True)
    assert tf.test.is_gpu_available() is False and tf.test.gpu_device_name() == ""
    assert tf.executing_eagerly()
    assert values(tf.shape(A)).tolist() == [2, 3] and tf.shape(A).dtype == tf.int32
    assert values(tf.size(A)) == 6
    tf.print("loss:", tf.constant(0.5))
    assert "loss: 0.5" in capsys.readouterr().err  # TensorFlow prints to stderr
    assert pynn.keras.__version__.startswith("3.")
    tf.random.set_seed(0)
    shuffled = values(tf.random.shuffle(np.arange(10)))
    assert sorted(shuffled.tolist()) == list(range(10)) and shuffled.tolist() != list(range(10))


def test_confusion_matrix_counts_label_prediction_pairs():
    cm = tf.math.confusion_matrix([0, 1, 2, 2], [0, 2, 2, 1])
    assert cm.dtype == tf.int32
    assert values(cm).tolist() == [[1, 0, 0], [0, 0, 1], [0, 1, 1]]
    assert values(tf.math.confusion_matrix([1], [1], num_classes=3)).shape == (3, 3)
    with pytest.raises(ValueError, match="differ in length"):
        tf.math.confusion_matrix([0, 1], [0])
    with pytest.raises(ValueError, match="not below num_classes"):
        tf.math.confusion_matrix([0, 3], [0, 1], num_classes=2)


def test_pynn_functions_take_numpy_arrays_as_tensorflow_does():
    probabilities = np.array([[0.1, 0.9], [0.8, 0.2]], dtype=np.float32)
    assert values(tf.argmax(probabilities, axis=1)).tolist() == [1, 0]
    assert values(tf.round(probabilities)).tolist() == [[0, 1], [1, 0]]
    assert values(tf.concat([probabilities, probabilities], axis=1)).shape == (2, 4)
    assert tf.transpose(np.zeros((2, 3, 4))).shape == (4, 3, 2)          # TensorFlow's
    assert tf.transpose(np.zeros((2, 3, 4)), perm=[1, 0, 2]).shape == (3, 2, 4)
    assert tf.transpose(tf.zeros(2, 3, 4), 0, 2).shape == (4, 3, 2)     # PyTorch's


def test_more_of_tf_math():
    np.testing.assert_allclose(values(tf.math.softmax(A)).sum(axis=1), 1.0, rtol=1e-6)
    assert values(tf.math.count_nonzero(np.array([[0, 1], [2, 0]]))) == 2
    assert values(tf.math.cumsum(np.array([1.0, 2.0, 3.0]))).tolist() == [1.0, 3.0, 6.0]
    top = tf.math.top_k(A, k=2)
    assert values(top.indices).tolist() == [[2, 0], [1, 0]]
    assert values(top.values).tolist() == [[3.0, 1.0], [4.0, 0.5]]
    assert tf.nn.top_k is tf.math.top_k
