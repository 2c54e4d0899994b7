"""pynn.keras models: Keras's defaults, fit/evaluate/predict and their return forms, History,
validation, callbacks, summary, weights and configs, the progress output."""
import io

import numpy as np
import pytest

import pynn
from pynn.keras import callbacks, initializers, layers, metrics, optimizers
from pynn.keras.layers import Activation, Dense, Input
from pynn.keras.models import Sequential
from pynn.keras.models.summary import summary_lines
from pynn.keras.utils import set_random_seed
from pynn.tensor import Tensor, is_grad_enabled

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
XOR_Y = np.array([[0], [1], [1], [0]])


def xor_model(units=4, optimizer="adam", metrics=("accuracy",)):
    model = Sequential([Dense(units, input_dim=2, activation="relu"),
                        Dense(1, activation="sigmoid")])
    model.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=list(metrics))
    return model


def blobs(n=60, seed=0):
    """Three separable classes in 2-D: (x, class ids)."""
    rng = np.random.default_rng(seed)
    ids = np.arange(n) % 3
    centres = np.array([[0, 3], [3, 0], [-3, -3]])
    return (centres[ids] + rng.standard_normal((n, 2))).astype(np.float32), ids


class Recorder(callbacks.Callback):
    """Records the hooks fit calls, and the batch sizes."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def on_train_begin(self, logs=None):
        self.calls.append("train_begin")

    def on_epoch_begin(self, epoch, logs=None):
        self.calls.append(("epoch_begin", epoch))

    def on_train_batch_begin(self, batch, logs=None):
        self.calls.append(("batch_begin", batch))

    def on_train_batch_end(self, batch, logs=None):
        self.calls.append(("batch_end", batch, sorted(logs)))

    def on_epoch_end(self, epoch, logs=None):
        self.calls.append(("epoch_end", epoch, sorted(logs)))

    def on_train_end(self, logs=None):
        self.calls.append("train_end")


# ---- defaults -----------------------------------------------------------------------------------

def test_keras_defaults():
    dense = Dense(3)
    assert isinstance(dense.kernel_initializer, initializers.GlorotUniform)
    assert isinstance(dense.bias_initializer, initializers.Zeros)
    assert dense.use_bias and dense.activation is pynn.keras.activations.linear
    adam = optimizers.Adam()
    assert (adam.learning_rate, adam.beta_1, adam.beta_2, adam.epsilon) == (0.001, 0.9, 0.999,
                                                                            1e-7)
    sgd = optimizers.SGD()
    assert (sgd.learning_rate, sgd.momentum, sgd.nesterov) == (0.01, 0.0, False)
    rms = optimizers.RMSprop()
    assert (rms.learning_rate, rms.rho, rms.momentum, rms.epsilon, rms.centered) == (
        0.001, 0.9, 0.0, 1e-7, False)
    model = Sequential([Dense(1, input_dim=2)])
    model.compile(loss="mse")
    assert isinstance(model.optimizer, optimizers.RMSprop)  # compile's default


def test_glorot_uniform_kernel_and_zero_bias():
    set_random_seed(0)
    model = Sequential([Dense(300, input_dim=200)])
    kernel, bias = model.get_weights()
    limit = np.sqrt(6 / (200 + 300))
    assert kernel.shape == (200, 300) and kernel.dtype == np.float32
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.99 * limit
    assert abs(kernel.mean()) < 0.01 * limit and abs(kernel.std() - limit / np.sqrt(3)) < 0.01
    np.testing.assert_array_equal(bias, np.zeros(300))


def test_set_random_seed_makes_init_and_training_reproducible():
    runs = []
    for _ in range(2):
        set_random_seed(7)
        model = xor_model()
        history = model.fit(XOR_X, XOR_Y, epochs=20, batch_size=2, verbose=0)
        runs.append((model.get_weights(), history.history))
    for a, b in zip(runs[0][0], runs[1][0]):
        np.testing.assert_array_equal(a, b)
    assert runs[0][1] == runs[1][1]


def test_set_random_seed_seeds_numpy_and_python_too():
    import random
    set_random_seed(3)
    a = (np.random.rand(), random.random())
    set_random_seed(3)
    assert (np.random.rand(), random.random()) == a
    with pytest.raises(TypeError):
        set_random_seed(1.5)
    with pytest.raises(ValueError):
        set_random_seed(-1)


# ---- fit ----------------------------------------------------------------------------------------

def test_history_keys_lengths_and_epochs():
    set_random_seed(0)
    model = xor_model()
    history = model.fit(XOR_X, XOR_Y, epochs=5, verbose=0, validation_data=(XOR_X, XOR_Y))
    # sorted by name, as Keras 3 logs them
    assert list(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert all(len(v) == 5 for v in history.history.values())
    assert history.epoch == [0, 1, 2, 3, 4] and model.history is history
    assert all(isinstance(v, float) for v in history.history["loss"])
    more = model.fit(XOR_X, XOR_Y, epochs=8, initial_epoch=5, verbose=0)
    assert more.epoch == [5, 6, 7] and len(more.history["loss"]) == 3


def test_the_epoch_loss_is_the_mean_over_its_batches_before_each_update():
    set_random_seed(0)
    model = xor_model(optimizer=optimizers.SGD(learning_rate=0.0))  # nothing moves
    history = model.fit(XOR_X, XOR_Y, epochs=1, batch_size=3, verbose=0)
    assert history.history["loss"][0] == pytest.approx(model.evaluate(XOR_X, XOR_Y, verbose=0)[0],
                                                       rel=1e-6)


def test_default_batch_size_is_32_and_hooks_run_in_keras_order():
    x = np.random.default_rng(0).standard_normal((70, 2))
    y = (x[:, 0] > 0).astype(int)
    model = xor_model()
    rec = Recorder()
    model.fit(x, y, epochs=2, verbose=0, callbacks=[rec])
    batches = [c for c in rec.calls if c[0] == "batch_end"]
    assert [c[1] for c in batches] == [0, 1, 2, 0, 1, 2]  # ceil(70 / 32) batches per epoch
    assert rec.calls[0] == "train_begin" and rec.calls[-1] == "train_end"
    assert rec.calls[1] == ("epoch_begin", 0) and rec.calls[2] == ("batch_begin", 0)
    assert batches[0][2] == ["accuracy", "loss"]
    assert rec.calls[-2] == ("epoch_end", 1, ["accuracy", "loss"])
    assert rec.params == {"epochs": 2, "steps": 3, "verbose": 0} and rec.model is model


def seen_targets(model, x, y, **fit_args):
    """The target rows of every training batch, in order: y holds row numbers, read back by a
    loss function that records them (validation batches run without a graph: not recorded)."""
    seen = []

    def loss(y_true, y_pred):
        if is_grad_enabled():
            seen.append(y_true[:, 0].astype(int).tolist())
        return ((y_pred - y_true) ** 2).mean(axis=-1)
    model.compile(optimizer="sgd", loss=loss)
    model.fit(x, y, verbose=0, **fit_args)
    return seen


def test_shuffle_reorders_rows_every_epoch_and_shuffle_false_keeps_them():
    x = np.random.default_rng(1).standard_normal((10, 2))
    rows = np.arange(10).reshape(-1, 1)
    set_random_seed(0)
    shuffled = seen_targets(Sequential([Dense(1, input_dim=2)]), x, rows, epochs=2,
                            batch_size=5)
    assert sorted(shuffled[0] + shuffled[1]) == list(range(10))
    assert shuffled[0] + shuffled[1] != list(range(10))
    assert shuffled[:2] != shuffled[2:]
    kept = seen_targets(Sequential([Dense(1, input_dim=2)]), x, rows, epochs=2, batch_size=5,
                        shuffle=False)
    assert kept == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]] * 2


def test_validation_split_takes_the_last_rows_before_shuffling():
    x = np.random.default_rng(2).standard_normal((10, 2))
    rows = np.arange(10).reshape(-1, 1)
    set_random_seed(0)
    model = Sequential([Dense(1, input_dim=2)])
    seen = seen_targets(model, x, rows, epochs=3, batch_size=4, validation_split=0.2)
    assert sorted(sum(seen[:2], [])) == list(range(8))  # rows 8 and 9 never train
    history = model.history.history
    assert history["val_loss"][-1] == pytest.approx(model.evaluate(x[8:], rows[8:], verbose=0),
                                                    rel=1e-6)


def test_validation_data_gives_val_metrics():
    set_random_seed(0)
    x, ids = blobs()
    model = Sequential([Dense(8, input_dim=2, activation="relu"), Dense(3, activation="softmax")])
    model.compile(optimizer=optimizers.Adam(0.05), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x, ids, epochs=30, batch_size=16, verbose=0,
                        validation_data=(x[:20], ids[:20]))
    assert isinstance(model.metrics[0], metrics.SparseCategoricalAccuracy)
    assert history.history["val_accuracy"][-1] == pytest.approx(
        model.evaluate(x[:20], ids[:20], verbose=0)[1])
    assert history.history["accuracy"][-1] > 0.9


def test_early_stopping_stops_and_restores_the_best_weights():
    scores = [5.0, 4.0, 3.0, 3.5, 3.6, 3.7, 3.8, 3.9]
    snapshots = []

    class Score(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["score"] = scores[epoch]
            snapshots.append(self.model.get_weights())

    set_random_seed(0)
    model = xor_model(optimizer=optimizers.Adam(0.05))
    stop = callbacks.EarlyStopping(monitor="score", patience=2, mode="min",
                                   restore_best_weights=True)
    history = model.fit(XOR_X, XOR_Y, epochs=8, verbose=0, callbacks=[Score(), stop])
    assert history.epoch == [0, 1, 2, 3, 4]  # no improvement in epochs 3 and 4
    assert stop.stopped_epoch == 4 and stop.best_epoch == 2 and stop.best == 3.0
    for restored, best in zip(model.get_weights(), snapshots[2]):
        np.testing.assert_array_equal(restored, best)
    assert not np.array_equal(snapshots[2][0], snapshots[4][0])


def test_early_stopping_min_delta_and_auto_mode():
    set_random_seed(0)
    model = xor_model(optimizer=optimizers.SGD(learning_rate=0.0))  # the loss never changes
    stop = callbacks.EarlyStopping(monitor="loss", patience=1)
    history = model.fit(XOR_X, XOR_Y, epochs=10, verbose=0, callbacks=[stop])
    assert len(history.epoch) == 2
    model = xor_model(optimizer=optimizers.Adam(0.01))
    stop = callbacks.EarlyStopping(monitor="accuracy")
    model.fit(XOR_X, XOR_Y, epochs=1, verbose=0, callbacks=[stop])
    assert stop.maximise is True
    stop = callbacks.EarlyStopping(monitor="loss", min_delta=10.0, patience=0)
    history = model.fit(XOR_X, XOR_Y, epochs=5, verbose=0, callbacks=[stop])
    assert len(history.epoch) == 2  # no change of more than 10 counts as an improvement


def test_early_stopping_on_a_missing_or_undirected_monitor():
    model = xor_model()
    with pytest.warns(UserWarning, match="val_loss.*not available"):
        model.fit(XOR_X, XOR_Y, epochs=1, verbose=0, callbacks=[callbacks.EarlyStopping()])

    class Extra(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["mystery"] = 1.0
    with pytest.raises(ValueError, match="mode='max'"):
        model.fit(XOR_X, XOR_Y, epochs=1, verbose=0,
                  callbacks=[Extra(), callbacks.EarlyStopping(monitor="mystery")])
    with pytest.warns(UserWarning, match="mode 'up' is unknown, fallback to auto mode"):
        assert callbacks.EarlyStopping(mode="up").mode == "auto"


def test_fit_builds_an_unbuilt_model_from_the_data():
    model = Sequential()
    model.add(Dense(3, activation="tanh"))
    model.add(Dense(1))
    assert not model.built
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.ones((5, 6)), np.zeros(5), verbose=0)
    assert model.built and model.layers[0].kernel.shape == (6, 3)
    # as Keras: the iteration count, the learning rate, and Adam's two moments of each weight
    assert model.optimizer.built and len(model.optimizer.variables) == 2 + 2 * 4


def test_inputs_in_every_form_train_the_same():
    """Keras takes ints, bools, nested lists, Fortran-ordered and strided arrays; y as (n,) or
    (n, 1): all become the same float32 data."""
    base = np.array([[0, 0], [0, 1], [1, 0], [1, 1]] * 3)
    target = np.array([0, 1, 1, 0] * 3)
    wide = np.zeros((12, 4), dtype=np.int64)
    wide[:, ::2] = base
    forms = [(base, target), (base.tolist(), target.reshape(-1, 1).tolist()),
             (base.astype(bool), target.astype(bool)), (np.asfortranarray(base), target),
             (wide[:, ::2], target[:, None]), (base.astype(np.float64), target.astype(np.int8))]
    results = []
    for x, y in forms:
        set_random_seed(5)
        model = xor_model()
        history = model.fit(x, y, epochs=3, batch_size=5, verbose=0)
        results.append((history.history["loss"], model.predict(x, verbose=0)))
    for losses, predictions in results[1:]:
        assert losses == results[0][0]
        np.testing.assert_array_equal(predictions, results[0][1])


def test_weights_do_not_move_when_trainable_is_false():
    set_random_seed(0)
    model = xor_model()
    model.layers[0].trainable = False
    model.compile(optimizer="adam", loss="binary_crossentropy")
    frozen = model.layers[0].get_weights()
    model.fit(XOR_X, XOR_Y, epochs=3, verbose=0)
    for a, b in zip(frozen, model.layers[0].get_weights()):
        np.testing.assert_array_equal(a, b)
    assert len(model.trainable_weights) == 2 and len(model.non_trainable_weights) == 2


# ---- evaluate and predict -----------------------------------------------------------------------

class Scaled(Dense):
    """A Dense subclass computing something else: the model must call it as it is."""

    def call(self, inputs):
        return super().call(inputs) * 2


def test_runs_of_dense_layers_are_one_node_with_the_layers_results():
    """A run of Dense layers whose activations fuse is one graph node (logits of the last one
    for the loss): outputs and gradients are those of the layers called one by one, bit for
    bit; other activations and layer subclasses break the runs."""
    set_random_seed(4)
    model = Sequential([Dense(5, input_dim=3, activation="relu"), Dense(4, activation="sigmoid"),
                        Dense(4, activation="tanh"), Dense(3), Scaled(3, activation="relu"),
                        Dense(2, activation="relu"), Dense(1, activation="sigmoid")])
    # an input that requires grad: the layers called one by one record their graph
    x = Tensor(np.random.default_rng(0).standard_normal((6, 3)).astype(np.float32),
               requires_grad=True)
    for logits in (False, True):
        out = model._forward([x], True, (0,) if logits else ())[0]
        assert out._parents[1] is model.layers[-1].kernel  # the last two layers: one node
        assert out._parents[3] is model.layers[-2].kernel
        out.sum().backward()
        grads = [w.grad for w in model.weights]
        for w in model.weights:
            w.grad = None
        one_by_one = x
        for layer in model.layers[:-1]:
            one_by_one = layer(one_by_one)
        last = model.layers[-1]
        one_by_one = last.logits(one_by_one) if logits else last(one_by_one)
        np.testing.assert_array_equal(out.data, one_by_one.data)
        one_by_one.sum().backward()
        for got, w in zip(grads, model.weights):
            np.testing.assert_array_equal(got, w.grad)
            w.grad = None


def test_evaluate_return_forms():
    set_random_seed(0)
    plain = xor_model(metrics=())
    loss = plain.evaluate(XOR_X, XOR_Y, verbose=0)
    assert isinstance(loss, float)
    model = xor_model(metrics=("accuracy", "mse"))
    model.set_weights(plain.get_weights())
    result = model.evaluate(XOR_X, XOR_Y, verbose=0)
    assert isinstance(result, list) and len(result) == 3 and result[0] == pytest.approx(loss)
    p = model.predict(XOR_X, verbose=0)
    assert result[1] == pytest.approx(np.mean((p > 0.5) == XOR_Y))
    assert result[2] == pytest.approx(np.mean((p - XOR_Y) ** 2), rel=1e-5)
    assert model.metrics_names == ["loss", "compile_metrics"]  # as Keras 3 names them
    logs = model.evaluate(XOR_X, XOR_Y, verbose=0, return_dict=True)
    assert list(logs) == ["accuracy", "loss", "mse"] and logs["loss"] == result[0]


def test_evaluate_in_batches_equals_one_batch():
    x, ids = blobs(n=100)
    model = Sequential([Dense(5, input_dim=2, activation="relu"), Dense(3, activation="softmax")])
    model.compile(loss="sparse_categorical_crossentropy", metrics=["acc"])
    whole = model.evaluate(x, ids, batch_size=100, verbose=0)
    parts = model.evaluate(x, ids, batch_size=7, verbose=0)
    np.testing.assert_allclose(parts, whole, rtol=1e-6)
    assert model.metrics_names == ["loss", "compile_metrics"]


def test_predict_batches_dtype_and_no_compile_needed():
    set_random_seed(0)
    model = Sequential([Dense(4, input_dim=3, activation="tanh"), Dense(2, activation="softmax")])
    x = np.random.default_rng(0).standard_normal((70, 3))
    p = model.predict(x, verbose=0)
    assert p.shape == (70, 2) and p.dtype == np.float32
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-6)
    np.testing.assert_allclose(model.predict(x, batch_size=7, verbose=0), p, rtol=1e-6)
    np.testing.assert_allclose(model(x).data, p, rtol=1e-6)
    assert isinstance(model(Tensor(x, dtype=np.float32)), Tensor)


def test_models_ending_in_activation_layers():
    set_random_seed(0)
    x, ids = blobs()
    model = Sequential([Input(shape=(2,)), Dense(8), Activation("relu"), Dense(3),
                        Activation("softmax")])
    assert model.built and [type(la).__name__ for la in model.layers] == [
        "Dense", "Activation", "Dense", "Activation"]
    model.compile(optimizer=optimizers.Adam(0.05), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    assert model._fused_outputs(False) == (0,)
    history = model.fit(x, ids, epochs=30, batch_size=20, verbose=0)
    assert history.history["accuracy"][-1] > 0.9


def test_categorical_targets_and_accuracy():
    set_random_seed(0)
    x, ids = blobs()
    one_hot = np.eye(3)[ids]
    model = Sequential([Dense(8, input_dim=2, activation="relu"), Dense(3, activation="softmax")])
    model.compile(optimizer=optimizers.Adam(0.05), loss="categorical_crossentropy",
                  metrics=["accuracy"])
    model.fit(x, one_hot, epochs=30, batch_size=20, verbose=0)
    assert isinstance(model.metrics[0], metrics.CategoricalAccuracy)
    loss, acc = model.evaluate(x, one_hot, verbose=0)
    p = model.predict(x, verbose=0)
    assert acc == pytest.approx(np.mean(p.argmax(1) == ids)) and acc > 0.9
    assert loss == pytest.approx(-np.mean(np.log(p[np.arange(len(ids)), ids])), rel=1e-4)


# ---- structure, weights, configs ------------------------------------------------------------

def test_summary_counts_parameters():
    set_random_seed(0)
    model = xor_model()
    texts = []
    model.summary(print_fn=texts.append)  # once, with the whole text, as Keras 3 calls it
    text, = texts
    lines = text.splitlines()
    assert lines[0] == f'Model: "{model.name}"'
    assert "Layer (type)" in text and "Output Shape" in text and "Param #" in text
    assert f"{model.layers[0].name} (Dense)" in text and "(None, 4)" in text
    assert " Total params: 17 (68.00 B)" in lines and " Trainable params: 17 (68.00 B)" in lines
    assert " Non-trainable params: 0 (0.00 B)" in lines
    assert model.count_params() == 17
    rows = [line for line in lines if "(Dense)" in line]
    assert rows[0].split()[-2] == "12" and rows[1].split()[-2] == "5"


def test_summary_in_ascii_and_of_an_unbuilt_model(capsys):
    model = Sequential([Dense(5), Dense(1)])
    lines = summary_lines(model, fancy=False)
    assert all(line.isascii() for line in lines)
    assert any("0 (unbuilt)" in line and "?" in line for line in lines)
    assert " Total params: 0 (0.00 B)" in lines
    model.summary()
    assert "Total params: 0" in capsys.readouterr().out
    big = Sequential([Dense(2000, input_dim=1000)])
    assert " Total params: 2,002,000 (7.64 MB)" in summary_lines(big)


def test_add_pop_names_and_layers():
    model = Sequential(name="net")
    model.add(Input(shape=(3,)))
    model.add(Dense(4, name="hidden"))
    model.add(Dense(2))
    assert model.name == "net" and [la.name for la in model.layers][0] == "hidden"
    assert model.output_shape == (None, 2) and model.input_shape == (None, 3)
    with pytest.raises(ValueError, match="unique names"):
        model.add(Dense(2, name="hidden"))
    with pytest.raises(ValueError, match="already been configured to use input shape"):
        model.add(Input(shape=(3,)))
    popped = model.pop()
    assert isinstance(popped, Dense) and len(model.layers) == 1
    with pytest.raises(ValueError, match="Only instances"):
        model.add(pynn.nn.Linear(2, 2))
    assert [n for n, _ in model.named_parameters()] == ["hidden.kernel", "hidden.bias"]


def test_automatic_names_count_up():
    a, b = Dense(1), Dense(1)
    assert a.name.startswith("dense") and b.name != a.name
    assert Sequential().name != Sequential().name


def test_get_and_set_weights():
    set_random_seed(0)
    model = xor_model()
    weights = model.get_weights()
    assert [w.shape for w in weights] == [(2, 4), (4,), (4, 1), (1,)]
    weights[0][...] = 1.0
    assert not np.all(model.get_weights()[0] == 1.0)  # copies
    model.set_weights(weights)
    np.testing.assert_array_equal(model.get_weights()[0], np.ones((2, 4)))
    with pytest.raises(ValueError, match="4 weights"):
        model.set_weights(weights[:3])
    before = model.get_weights()
    with pytest.raises(ValueError, match="shape"):
        model.set_weights([np.zeros((2, 4)), np.zeros(4), np.zeros((4, 2)), np.zeros(1)])
    np.testing.assert_array_equal(model.get_weights()[0], before[0])  # nothing changed
    layer = model.layers[1]
    layer.set_weights([np.full((4, 1), 2.0), np.zeros(1)])
    assert layer.count_params() == 5
    with pytest.raises(ValueError, match="not compatible"):
        layer.set_weights([np.zeros((1, 4)), np.zeros(1)])


def test_config_round_trip_rebuilds_the_same_model():
    set_random_seed(0)
    model = Sequential([Input(shape=(3,)), Dense(4, activation="tanh", use_bias=False,
                                                 kernel_initializer="he_uniform"),
                        Dense(2), Activation("softmax")])
    config = model.get_config()
    import json
    config = json.loads(json.dumps(config))  # JSON-able
    again = Sequential.from_config(config)
    again.set_weights(model.get_weights())
    x = np.random.default_rng(0).standard_normal((5, 3))
    np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))
    assert [type(la) for la in again.layers] == [type(la) for la in model.layers]
    assert again.layers[0].get_config() == model.layers[0].get_config()
    dense = Dense(3, input_dim=7, name="d")
    assert Dense.from_config(dense.get_config()).get_config() == dense.get_config()
    with pytest.raises(ValueError, match="Unknown layer: 'NoSuchLayer'"):
        Sequential.from_config({"layers": [{"class_name": "NoSuchLayer", "config": {}}]})


def test_compile_config_recompiles_the_same_way():
    model = xor_model(optimizer=optimizers.Adam(learning_rate=0.02), metrics=("accuracy",))
    config = model.compile_config
    assert config["optimizer"] == {"class_name": "Adam", "config": {
        "name": "adam", "learning_rate": float(np.float32(0.02)), "weight_decay": None,
        "clipnorm": None, "global_clipnorm": None, "clipvalue": None, "use_ema": False,
        "ema_momentum": 0.99, "ema_overwrite_frequency": None, "loss_scale_factor": None,
        "gradient_accumulation_steps": None, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7,
        "amsgrad": False}}  # Keras's config: its learning rate is a float32 variable
    assert config["loss"] == "binary_crossentropy" and config["metrics"] == ["accuracy"]
    other = Sequential.from_config(model.get_config())
    other.compile(**config)
    assert other.optimizer.learning_rate == np.float32(0.02)
    assert other.metrics_names == ["loss", "compile_metrics"]
    model.compile(optimizer="sgd", loss=pynn.keras.losses.BinaryCrossentropy(),
                  metrics=[metrics.BinaryAccuracy(threshold=0.7)])
    config = model.compile_config
    assert config["loss"]["class_name"] == "BinaryCrossentropy"
    other.compile(**config)
    other.evaluate(XOR_X, XOR_Y, verbose=0)
    assert [m.name for m in other.metrics] == ["binary_accuracy"]


def test_layers_work_as_nn_modules():
    layer = Dense(3, input_dim=2)
    out = layer(np.ones((4, 2)))
    assert isinstance(out, Tensor) and out.shape == (4, 3) and out.dtype == np.float32
    assert [n for n, _ in layer.named_parameters()] == ["kernel", "bias"]
    chain = pynn.nn.Sequential(Dense(3), pynn.nn.ReLU())
    assert chain(np.ones((2, 5))).shape == (2, 3)
    assert layers.get("Dense") is Dense


def test_a_model_called_outside_fit_records_no_graph_as_keras():
    """Keras computes gradients only where training asks for them: model(x) on data gives a
    tensor outside the graph, so scripts' model(x).numpy() works; on a tensor that requires
    grad, the graph is kept (pynn's autograd through a Keras layer)."""
    model = xor_model()
    out = model(XOR_X)
    assert not out.requires_grad and out.numpy().shape == (4, 1)
    np.testing.assert_allclose(out.numpy(), model.predict(XOR_X, verbose=0), rtol=1e-6)
    x = pynn.tensor(XOR_X, dtype=pynn.float32, requires_grad=True)
    model(x).sum().backward()
    assert x.grad.shape == (4, 2)


# ---- progress output ----------------------------------------------------------------------------

class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_verbose_2_prints_one_line_per_epoch(capsys):
    model = xor_model()
    model.fit(XOR_X, XOR_Y, epochs=3, verbose=2)
    lines = capsys.readouterr().out.splitlines()
    assert lines[::2] == ["Epoch 1/3", "Epoch 2/3", "Epoch 3/3"]
    for line in lines[1::2]:
        assert line.startswith("1/1 - 0s - ") and "/step - accuracy: " in line
        assert " - loss: " in line  # the logs sorted by name, as Keras 3 prints them


def test_verbose_1_off_a_terminal_prints_plain_lines(capsys):
    model = xor_model()
    model.fit(XOR_X, XOR_Y, epochs=2, batch_size=2)  # verbose='auto'
    out = capsys.readouterr().out
    assert "\r" not in out
    lines = out.splitlines()
    assert lines[0] == "Epoch 1/2" and lines[1].startswith("2/2 ") and "loss: " in lines[1]
    model.evaluate(XOR_X, XOR_Y)
    assert "loss: " in capsys.readouterr().out
    model.predict(XOR_X, verbose=0)
    assert capsys.readouterr().out == ""


def test_verbose_1_on_a_terminal_redraws_in_place(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr("sys.stdout", terminal)
    model = xor_model()
    model.fit(XOR_X, XOR_Y, epochs=1, batch_size=1)
    out = terminal.getvalue()
    assert out.count("\r") >= 1 and out.endswith("\n")
    final = out.split("\r")[-1]
    assert final.startswith("4/4 ") and "loss: " in final and "accuracy: " in final


def test_progbar_shows_eta_while_running():
    terminal = Terminal()
    bar = pynn.keras.utils.Progbar(10, stream=terminal, interval=0)
    bar.update(3, {"loss": 0.5})
    line = terminal.getvalue()
    assert line.startswith("\r 3/10 ") and "ETA" in line and "loss: 0.5000" in line
    bar.update(10, {"loss": 0.0001})
    assert terminal.getvalue().endswith("loss: 1.0000e-04\n")
