"""The Layer base that every Keras-style layer builds on: names, dtype, add_weight, trainable and
non-trainable weights, losses (add_loss, activity and weight regularizers), the training flag,
configs; custom layers written the way scripts write them."""
import numpy as np
import pytest

import pynn
from pynn import keras
from pynn.keras import layers, regularizers
from pynn.keras.naming import reset as reset_names

X = np.random.default_rng(0).standard_normal((16, 3)).astype(np.float32)
Y = (X.sum(axis=1) > 0).astype(np.float32)


class Counting(layers.Layer):
    """A custom layer as scripts write one: a scale (trainable), a call count (not trainable,
    updated in training only), and the `training` value each call received."""

    def __init__(self, units=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.seen = []

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones",
                                     name="scale")
        self.calls = self.add_weight(shape=(), initializer="zeros", trainable=False,
                                     name="calls")

    def call(self, inputs, training=None):
        self.seen.append(training)
        if training:
            self.calls.assign(self.calls.numpy() + 1)
        return inputs * self.scale


class NoTraining(layers.Layer):
    def call(self, inputs):
        return inputs * 2.0


def test_automatic_names_count_per_class_and_start_again():
    reset_names()
    assert [layers.Dense(1).name, layers.Dense(1).name, Counting().name] == [
        "dense", "dense_1", "counting"]
    assert layers.Layer(name="mine").name == "mine"
    reset_names()
    assert layers.Dense(1).name == "dense"
    for bad in ("", "a/b", 3):
        with pytest.raises(ValueError, match="`name` must be a string"):
            layers.Dense(1, name=bad)


def test_add_weight_makes_variables_in_keras_order():
    layer = Counting()
    out = layer(np.ones((2, 3)))
    assert isinstance(out, pynn.Tensor) and layer.built and layer.dtype == "float32"
    assert [w.name for w in layer.weights] == ["scale", "calls"]
    assert [w.path for w in layer.weights] == [f"{layer.name}/scale", f"{layer.name}/calls"]
    assert layer.trainable_weights == [layer.scale] and layer.non_trainable_weights == [
        layer.calls]
    assert layer.scale.shape == (3,) and layer.count_params() == 4
    assert isinstance(layer.scale, pynn.nn.Parameter) and layer.scale.trainable
    with pytest.raises(ValueError, match="`name` must be passed as a keyword"):
        layer.add_weight("w", (2,))
    w = layer.add_weight((2, 2), "zeros")  # Keras 3's positional form: shape, initializer
    assert w.shape == (2, 2) and not w.numpy().any()
    with pytest.raises(ValueError, match="`shape` was passed both"):
        layer.add_weight((2,), shape=(2,))


def test_trainable_freezes_every_weight_and_sublayer():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(4), Counting()])
    assert len(model.trainable_weights) == 3 and len(model.non_trainable_weights) == 1
    model.trainable = False
    assert model.trainable_weights == [] and len(model.non_trainable_weights) == 4
    assert not any(w.requires_grad for w in model.weights)
    model.trainable = True
    assert len(model.trainable_weights) == 3  # the call count stays non-trainable
    model.layers[0].trainable = False
    assert len(model.trainable_weights) == 1


def test_non_trainable_weights_are_updated_by_the_layer_saved_and_never_trained(tmp_path):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), Counting(), layers.Dense(1,
                                                                          activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(X, Y, epochs=3, batch_size=8, verbose=0)
    counting = model.layers[0]
    assert counting.calls.numpy() == 6  # 2 batches a epoch, in training only
    model.predict(X, verbose=0)
    model.evaluate(X, Y, verbose=0)
    assert counting.calls.numpy() == 6
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras",
                                     custom_objects={"Counting": Counting})
    assert loaded.layers[0].calls.numpy() == 6
    np.testing.assert_array_equal(loaded.predict(X, verbose=0), model.predict(X, verbose=0))


def test_training_reaches_call_only_where_call_takes_it():
    layer = Counting()
    model = keras.Sequential([keras.Input((3,)), layer, NoTraining(), layers.Dense(1)])
    layer.seen.clear()  # building traced call() on zeros, with training=False
    model.compile(optimizer="sgd", loss="mse")
    model.fit(X, Y, epochs=1, batch_size=16, verbose=0)
    model.predict(X, verbose=0)
    model(X)
    model(X, training=True)
    layer(X, training=False)
    assert layer.seen == [True, False, None, True, False]


def test_losses_added_in_a_forward_pass_reach_the_reported_loss():
    class Penalized(layers.Layer):
        def call(self, inputs):
            self.add_loss((inputs * inputs).mean() * 0.5)
            return inputs

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), Penalized(), layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")
    loss = model.evaluate(X, Y, verbose=0, batch_size=16)
    kernel, bias = model.layers[1].get_weights()
    mse = np.mean(((X @ kernel + bias)[:, 0] - Y) ** 2)
    assert loss == pytest.approx(mse + 0.5 * np.mean(X * X), rel=1e-5)
    assert len(model.losses) == 1  # the last forward pass's, cleared by the next


@pytest.mark.parametrize("regularizer", [regularizers.L2(0.01), regularizers.L1(0.02),
                                         "l2"])
def test_weight_and_activity_penalties_are_added_as_keras_adds_them(regularizer):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)),
                              layers.Dense(4, kernel_regularizer=regularizer,
                                           activity_regularizer=regularizers.L2(0.1)),
                              layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")
    loss = model.evaluate(X, Y, verbose=0, batch_size=16)
    (k1, b1), (k2, b2) = model.layers[0].get_weights(), model.layers[1].get_weights()
    h = X @ k1 + b1
    mse = np.mean(((h @ k2 + b2)[:, 0] - Y) ** 2)
    reg = regularizers.get(regularizer)
    l1, l2 = getattr(reg, "l1", 0.0), getattr(reg, "l2", 0.0)
    weight_penalty = l1 * np.abs(k1).sum() + l2 * (k1 ** 2).sum()
    activity = 0.1 * (h ** 2).sum() / len(X)  # divided by the batch size, as Keras 3 does
    assert loss == pytest.approx(mse + weight_penalty + activity, rel=1e-5)
    history = model.fit(X, Y, epochs=1, batch_size=16, verbose=0, shuffle=False)
    assert history.history["loss"][0] == pytest.approx(loss, rel=1e-5)


def test_get_and_set_weights_in_keras_layouts():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2), Counting()])
    weights = [np.arange(6, dtype=np.float32).reshape(3, 2), np.array([0.5, -1], np.float32),
               np.array([2.0, 3.0], np.float32), np.array(7.0, np.float32)]
    model.set_weights(weights)
    for got, want in zip(model.get_weights(), weights):
        np.testing.assert_array_equal(got, want)
    np.testing.assert_allclose(model.predict(X, verbose=0), (X @ weights[0] + weights[1]) *
                               weights[2], rtol=1e-6)
    with pytest.raises(ValueError, match="expecting 4 weights"):
        model.set_weights(weights[:3])
    with pytest.raises(ValueError, match="not compatible"):
        model.layers[0].set_weights([np.zeros((2, 2)), np.zeros(2)])


def test_configs_rebuild_layers():
    dense = layers.Dense(3, activation="tanh", use_bias=False, name="d",
                         kernel_regularizer=regularizers.L2(0.5))
    again = layers.Dense.from_config(dense.get_config())
    assert again.get_config() == dense.get_config() and again.name == "d"
    custom = Counting(units=5, name="c")  # no get_config: its constructor's arguments
    assert custom.get_config() == {"name": "c", "trainable": True, "dtype": "float32",
                                   "units": 5}
    assert Counting.from_config(custom.get_config()).units == 5
    with pytest.raises(ValueError, match="Unrecognized keyword arguments passed to Dense"):
        layers.Dense(3, colour="red")


def test_float64_layers_cast_their_inputs():
    layer = layers.Dense(2, dtype="float64")
    out = layer(X)
    assert out.dtype == np.float64 and layer.kernel.dtype == np.float64
    assert layers.Dense(2)(X.astype(np.float64)).dtype == np.float32
    with pytest.raises(ValueError, match="dtype must be one of"):
        layers.Dense(2, dtype="float16")


def test_input_and_output_shapes_of_layers():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(4), layers.Dense(1)])
    first = model.layers[0]
    assert first.input_shape == (None, 3) and first.output_shape == (None, 4)
    assert first.input.shape == (None, 3) and first.output.shape == (None, 4)
    with pytest.raises(AttributeError, match="never been called"):
        layers.Dense(2).input_shape


def test_a_registered_layer_class_loads_without_custom_objects(tmp_path):
    @keras.saving.register_keras_serializable(package="tests")
    class Doubling(layers.Layer):
        def call(self, x):
            return x * 2.0

    assert keras.saving.get_registered_name(Doubling) == "tests>Doubling"
    assert keras.utils.get_custom_objects()["tests>Doubling"] is Doubling
    model = keras.Sequential([keras.Input((2,)), Doubling(), layers.Dense(1)])
    model.save(tmp_path / "d.keras")
    loaded = keras.saving.load_model(tmp_path / "d.keras")
    assert type(loaded.layers[0]) is Doubling
    x = np.ones((3, 2), np.float32)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    with pytest.raises(ValueError, match="get_config"):
        keras.saving.register_keras_serializable()(type("NoConfig", (), {}))


def test_custom_object_scope_makes_a_name_known_inside_only():
    class Tripling(layers.Layer):
        def call(self, x):
            return x * 3.0

    config = keras.Sequential([keras.Input((2,)), Tripling()]).to_json()
    with pytest.raises(ValueError, match="Unknown layer: 'Tripling'"):
        keras.models.model_from_json(config)
    with keras.utils.custom_object_scope({"Tripling": Tripling}):
        assert type(keras.models.model_from_json(config).layers[0]) is Tripling
    with pytest.raises(ValueError, match="Unknown layer: 'Tripling'"):
        keras.models.model_from_json(config)
