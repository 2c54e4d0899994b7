"""The functional API (keras.Input, layers called on KerasTensors, keras.Model(inputs,
outputs)), the merging layers, and subclassed models, in the idioms of real scripts."""
import json

import numpy as np
import pytest

import pynn
from pynn import keras
from pynn.keras import layers
from pynn.keras.models import clone_model, load_model, model_from_json

rng = np.random.default_rng(0)
A = rng.standard_normal((60, 3)).astype(np.float32)
B = rng.standard_normal((60, 2)).astype(np.float32)
Y_CLASS = (A[:, 0] + B[:, 0] > 0).astype(np.float32)
Y_REG = (A.sum(axis=1) - B.sum(axis=1)).astype(np.float32)


def two_heads():
    """Two inputs, merged, two outputs: a classifier head and a regression head."""
    keras.utils.set_random_seed(0)
    a, b = keras.Input(shape=(3,), name="a"), keras.Input(shape=(2,), name="b")
    merged = layers.concatenate([layers.Dense(8, activation="relu")(a),
                                 layers.Dense(8, activation="relu")(b)])
    cls = layers.Dense(1, activation="sigmoid", name="cls")(merged)
    reg = layers.Dense(1, name="reg")(merged)
    return keras.Model(inputs=[a, b], outputs=[cls, reg])


def test_input_is_a_symbolic_tensor():
    x = keras.Input(shape=(2,))
    assert x.shape == (None, 2) and x.dtype == "float32" and x.ndim == 2
    h = layers.Dense(5)(x)
    assert h.shape == (None, 5)
    assert keras.Input(batch_shape=(8, 3)).shape == (8, 3)
    with pytest.raises(TypeError, match="symbolic"):
        np.asarray(x)
    with pytest.raises(ValueError, match="shape"):
        keras.Input()


def test_two_inputs_two_outputs_train_with_lists_and_dicts():
    model = two_heads()
    assert model.output_names == ["cls", "reg"] and [t.shape for t in model.inputs] == [
        (None, 3), (None, 2)]
    model.compile(optimizer=keras.optimizers.Adam(0.01),
                  loss={"cls": "binary_crossentropy", "reg": "mse"},
                  loss_weights={"cls": 1.0, "reg": 0.5},
                  metrics={"cls": ["accuracy"], "reg": ["mae"]})
    history = model.fit({"a": A, "b": B}, {"cls": Y_CLASS, "reg": Y_REG}, epochs=40,
                        batch_size=16, verbose=0)
    assert list(history.history) == ["cls_accuracy", "cls_loss", "loss", "reg_loss", "reg_mae"]
    logs = {k: v[-1] for k, v in history.history.items()}
    assert logs["loss"] == pytest.approx(logs["cls_loss"] + 0.5 * logs["reg_loss"], rel=1e-5)
    assert history.history["loss"][-1] < history.history["loss"][0]
    values = model.evaluate([A, B], [Y_CLASS, Y_REG], verbose=0)
    assert len(values) == 5  # loss, the outputs' losses, then the metrics, as Keras orders them
    cls, reg = model.predict([A, B], verbose=0)
    assert cls.shape == (60, 1) and reg.shape == (60, 1)
    assert values[3] == pytest.approx(np.mean((cls[:, 0] > 0.5) == Y_CLASS))
    assert values[4] == pytest.approx(np.mean(np.abs(reg[:, 0] - Y_REG)), rel=1e-5)
    assert model.metrics_names == ["loss", "compile_metrics", "cls_loss", "reg_loss"]


def test_evaluate_orders_metric_objects_by_output():
    # the metrics dict names the outputs in another order and holds a Metric object, which
    # compile renames '<output>_<name>': evaluate's list still follows the outputs
    model = two_heads()
    model.compile(optimizer="sgd", loss={"reg": "mse", "cls": "binary_crossentropy"},
                  metrics={"reg": keras.metrics.RootMeanSquaredError(), "cls": "accuracy"})
    for _ in range(2):
        values = model.evaluate([A, B], [Y_CLASS, Y_REG], verbose=0)
        logs = model.evaluate([A, B], [Y_CLASS, Y_REG], verbose=0, return_dict=True)
        names = ["loss", "cls_loss", "reg_loss", "cls_accuracy", "reg_root_mean_squared_error"]
        assert values == [logs[name] for name in names]


def test_one_loss_for_every_output_and_lists_of_metrics():
    model = two_heads()
    model.compile(optimizer="adam", loss="mse", metrics=[["mse"], ["mae"]])
    history = model.fit([A, B], [Y_CLASS, Y_REG], epochs=2, verbose=0)
    assert sorted(history.history) == ["cls_loss", "cls_mse", "loss", "reg_loss", "reg_mae"]
    with pytest.raises(ValueError, match="as many entries as the model has outputs"):
        model.compile(loss=["mse"])
    with pytest.raises(ValueError, match="do not correspond to any model output"):
        model.compile(loss={"nope": "mse"})
    with pytest.raises(ValueError, match="2 inputs"):
        model.fit(A, [Y_CLASS, Y_REG], verbose=0)


def test_a_functional_model_is_a_layer_of_another():
    inputs = keras.Input(shape=(3,))
    encoder = keras.Model(inputs, layers.Dense(4, activation="tanh")(inputs), name="encoder")
    x = keras.Input(shape=(3,))
    outer = keras.Model(x, layers.Dense(1)(encoder(x)))
    assert encoder in outer.layers and len(outer.weights) == 4
    expected = encoder.predict(A, verbose=0) @ outer.layers[-1].get_weights()[0] + \
        outer.layers[-1].get_weights()[1]
    np.testing.assert_allclose(outer.predict(A, verbose=0), expected, rtol=1e-5)
    # sub-models joined by their .input and .output, as scripts do
    left, right = keras.Sequential([keras.Input((3,)), layers.Dense(2)]), \
        keras.Sequential([keras.Input((2,)), layers.Dense(2)])
    joined = layers.concatenate([left.output, right.output])
    both = keras.Model(inputs=[left.input, right.input], outputs=layers.Dense(1)(joined))
    assert both.predict([A, B], verbose=0).shape == (60, 1)


def test_a_feature_extractor_from_a_sequential_models_layers():
    model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(5, activation="relu"),
                              layers.Dense(1)])
    features = keras.Model(inputs=model.inputs, outputs=model.layers[0].output)
    kernel, bias = model.layers[0].get_weights()
    np.testing.assert_allclose(features.predict(A, verbose=0),
                               np.maximum(A @ kernel + bias, 0), rtol=1e-5, atol=1e-6)


def test_config_json_clone_and_file_round_trips(tmp_path):
    model = two_heads()
    model.compile(optimizer="adam", loss=["binary_crossentropy", "mse"])
    model.fit([A, B], [Y_CLASS, Y_REG], epochs=1, verbose=0)
    expected = model.predict([A, B], verbose=0)
    again = model_from_json(model.to_json())
    assert json.loads(model.to_json())["class_name"] == "Functional"
    assert [la.name for la in again.layers] == [la.name for la in model.layers]
    again.set_weights(model.get_weights())
    for got, want in zip(again.predict([A, B], verbose=0), expected):
        np.testing.assert_array_equal(got, want)
    clone = clone_model(model)
    assert [w.shape for w in clone.weights] == [w.shape for w in model.weights]
    assert not np.array_equal(clone.get_weights()[0], model.get_weights()[0])  # fresh weights
    model.save(tmp_path / "heads.keras")
    loaded = load_model(tmp_path / "heads.keras")
    for got, want in zip(loaded.predict([A, B], verbose=0), expected):
        np.testing.assert_array_equal(got, want)
    assert loaded.fit([A, B], [Y_CLASS, Y_REG], epochs=1, verbose=0, shuffle=False).history == \
        model.fit([A, B], [Y_CLASS, Y_REG], epochs=1, verbose=0, shuffle=False).history


def test_graphs_keras_refuses():
    a, b = keras.Input(shape=(3,)), keras.Input(shape=(3,))
    out = layers.Dense(1)(layers.add([a, b]))
    with pytest.raises(ValueError, match="not connected to `inputs`"):
        keras.Model(a, out)
    with pytest.raises(ValueError, match="KerasTensors"):
        keras.Model(a, np.zeros(3))
    with pytest.raises(ValueError, match="both `inputs` and `outputs`"):
        keras.Model(inputs=a)
    dense = layers.Dense(2, name="same")
    with pytest.raises(ValueError, match="used 2 times"):
        keras.Model(a, layers.Dense(2, name="same")(dense(a)))
    with pytest.raises(ValueError, match="mix of symbolic"):
        layers.concatenate([a, pynn.ones(2, 3)])


# ---- merging layers -----------------------------------------------------------------------------

X1, X2, X3 = (rng.standard_normal((4, 3)) for _ in range(3))


@pytest.mark.parametrize("layer, expected", [
    (layers.Add(), X1 + X2 + X3), (layers.Multiply(), X1 * X2 * X3),
    (layers.Average(), (X1 + X2 + X3) / 3), (layers.Maximum(), np.maximum(np.maximum(X1, X2), X3)),
    (layers.Minimum(), np.minimum(np.minimum(X1, X2), X3)),
    (layers.Concatenate(), np.concatenate([X1, X2, X3], axis=-1)),
    (layers.Concatenate(axis=0), np.concatenate([X1, X2, X3], axis=0)),
])
def test_merges_compute_what_keras_computes(layer, expected):
    out = layer([X1, X2, X3])
    np.testing.assert_allclose(out.detach().numpy(), expected.astype(np.float32), rtol=1e-6)
    shape = layer.compute_output_shape([(None, 3)] * 3)
    assert shape == ((None, 9) if layer.get_config().get("axis") == -1 else (None, 3))


def test_subtract_and_dot():
    np.testing.assert_allclose(layers.subtract([X1, X2]).detach().numpy(),
                               (X1 - X2).astype(np.float32), rtol=1e-6)
    np.testing.assert_allclose(layers.Dot(axes=1)([X1, X2]).detach().numpy(),
                               (X1 * X2).sum(1, keepdims=True).astype(np.float32), rtol=1e-5)
    unit = lambda x: x / np.linalg.norm(x, axis=1, keepdims=True)  # noqa: E731
    np.testing.assert_allclose(layers.Dot(axes=-1, normalize=True)([X1, X2]).detach().numpy(),
                               (unit(X1) * unit(X2)).sum(1, keepdims=True), rtol=1e-5)
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        layers.Subtract()([X1, X2, X3])


@pytest.mark.parametrize("make", [layers.Add, layers.Subtract, layers.Multiply, layers.Average,
                                  layers.Maximum, layers.Minimum, layers.Concatenate,
                                  lambda dtype: layers.Dot(axes=1, normalize=True, dtype=dtype)],
                         ids=lambda m: getattr(m, "__name__", "Dot"))
def test_merges_gradcheck_in_float64(make):
    layer = make(dtype="float64")
    a, b = (pynn.Tensor(rng.standard_normal((3, 4)), requires_grad=True) for _ in range(2))
    assert pynn.gradcheck(lambda a, b: layer([a, b]), [a, b])


@pytest.mark.parametrize("shapes, match", [
    ([(None, 3)], None), ([(None, 3), (None, 4)], "incompatible shapes"),
])
def test_merge_shape_checks(shapes, match):
    if match is None:
        assert layers.Add().compute_output_shape(shapes) == (None, 3)
        return
    with pytest.raises(ValueError, match=match):
        layers.Add().build(shapes)
    with pytest.raises(ValueError, match="requires inputs with matching shapes"):
        layers.Concatenate()(  # the joined axis may differ, no other
            [keras.Input(shape=(2, 3)), keras.Input(shape=(4, 3))])
    with pytest.raises(ValueError, match="list of inputs"):
        layers.Add()(keras.Input(shape=(3,)))


# ---- subclassed models --------------------------------------------------------------------------

class TwoLayer(keras.Model):
    def __init__(self, units=8, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(units, activation="relu")
        self.out = layers.Dense(1, activation="sigmoid")
        self.seen_training = []

    def call(self, inputs, training=None):
        self.seen_training.append(training)
        return self.out(self.hidden(inputs))


def test_a_subclassed_model_trains_and_gets_training_as_keras_passes_it():
    keras.utils.set_random_seed(0)
    model = TwoLayer()
    assert model.name == "two_layer"
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="binary_crossentropy",
                  metrics=["accuracy"])
    y = (A.sum(axis=1) > 0).astype(np.float32)
    history = model.fit(A, y, epochs=30, batch_size=20, verbose=0)
    assert history.history["accuracy"][-1] > 0.9
    assert True in model.seen_training
    model.seen_training.clear()
    model.predict(A, verbose=0)
    model.evaluate(A, Y_CLASS, verbose=0)
    assert set(model.seen_training) == {False}
    model.seen_training.clear()
    model(A)
    model(A, training=True)
    assert model.seen_training == [None, True]
    assert [w.path for w in model.weights] == [f"{model.hidden.name}/kernel",
                                               f"{model.hidden.name}/bias",
                                               f"{model.out.name}/kernel", f"{model.out.name}/bias"]
    assert model.count_params() == 3 * 8 + 8 + 8 + 1


def test_a_subclassed_model_builds_from_a_shape_and_keeps_its_weights_in_a_weights_file(
        tmp_path):
    model = TwoLayer(units=4)
    with pytest.raises(ValueError, match="isn't built"):
        model.count_params()
    model.build((None, 3))
    assert model.count_params() == 3 * 4 + 4 + 4 + 1
    model.save_weights(tmp_path / "two.weights.h5")
    other = TwoLayer(units=4)
    other.build((None, 3))
    other.load_weights(tmp_path / "two.weights.h5")
    np.testing.assert_array_equal(other.predict(A, verbose=0), model.predict(A, verbose=0))


def test_a_subclassed_model_file_loads_with_its_class_given(tmp_path):
    model = TwoLayer(units=3)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(A, Y_CLASS, epochs=1, verbose=0)
    assert model.get_config() == {"name": model.name, "trainable": True, "dtype": "float32",
                                  "units": 3, "build_input_shape": (None, 3)}
    model.save(tmp_path / "two.keras")
    with pytest.raises(ValueError, match="Unknown model class 'TwoLayer'.*custom_objects"):
        load_model(tmp_path / "two.keras")
    loaded = load_model(tmp_path / "two.keras", custom_objects={"TwoLayer": TwoLayer})
    assert isinstance(loaded, TwoLayer) and loaded.hidden.units == 3
    np.testing.assert_array_equal(loaded.predict(A, verbose=0), model.predict(A, verbose=0))


def test_a_model_without_call_says_so():
    with pytest.raises(NotImplementedError, match="call"):
        keras.Model()(A)
