"""fit, evaluate and predict take data and arguments as Keras 3 takes them: lists, pandas
DataFrames and Series, 1-D x, sample_weight, class_weight, validation_data with weights,
validation_freq, steps_per_epoch, verbose and shuffle as scripts pass them, train_on_batch."""
import numpy as np
import pytest

from pynn import keras
from pynn.keras import layers

rng = np.random.default_rng(0)
X = rng.standard_normal((40, 2)).astype(np.float32)
Y = (X[:, 0] > X[:, 1]).astype(np.float32)


def model(units=1, activation="sigmoid", loss="binary_crossentropy", inputs=2, **kwargs):
    keras.utils.set_random_seed(0)
    m = keras.Sequential([keras.Input((inputs,)), layers.Dense(4, activation="tanh"),
                          layers.Dense(units, activation=activation)])
    m.compile(optimizer=keras.optimizers.SGD(0.1), loss=loss, metrics=["accuracy"], **kwargs)
    return m


def weights_after(x, y, shuffle=False, **fit_args):
    m = model()
    m.fit(x, y, epochs=2, batch_size=8, verbose=0, shuffle=shuffle, **fit_args)
    return m.get_weights()


def assert_same(a, b):
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)


def test_lists_of_numbers_train_as_the_array_does():
    assert_same(weights_after(X.tolist(), Y.tolist()), weights_after(X, Y))


def test_pandas_dataframes_and_series():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(X, columns=["a", "b"])
    assert_same(weights_after(frame, pd.Series(Y)), weights_after(X, Y))
    assert_same(weights_after(frame, pd.DataFrame({"label": Y})), weights_after(X, Y))
    m = model()
    np.testing.assert_array_equal(m.predict(frame, verbose=0), m.predict(X, verbose=0))


def test_dataframe_columns_of_mixed_kinds_train_as_floats():
    # pd.get_dummies makes bool columns beside the int and float ones: to_numpy() gives objects
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": X[:, 0], "b": X[:, 1] > 0})
    assert frame.to_numpy().dtype == object
    as_floats = frame.astype("float64").to_numpy()
    assert_same(weights_after(frame, Y), weights_after(as_floats, Y))
    assert_same(weights_after(X, pd.Series(Y > 0.5)), weights_after(X, Y))


def test_a_dataframe_column_of_strings_is_named_in_the_error():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": X[:, 0], "Sex": np.where(X[:, 1] > 0, "male", "female")})
    with pytest.raises(TypeError, match="'Sex'.*LabelEncoder"):
        model().fit(frame, Y, verbose=0)
    with_missing = pd.DataFrame({"a": X[:, 0], "b": pd.array([1] * 39 + [None], dtype="Int64")})
    with pytest.raises(ValueError, match="NaN at row 39, column 1"):
        model().fit(with_missing, Y, verbose=0)


def test_a_1d_x_is_one_feature_per_sample():
    x = np.linspace(-1, 1, 30)
    m = keras.Sequential([layers.Dense(1)])
    m.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    m.fit(x, 3 * x + 1, epochs=200, batch_size=10, verbose=0)
    assert m.input_shape == (None, 1)
    np.testing.assert_allclose(m.predict(np.array([0.0, 1.0]), verbose=0)[:, 0], [1, 4],
                               atol=1e-2)


def test_sample_weight_weighs_each_samples_loss():
    m = model()
    w = rng.uniform(0, 2, len(X)).astype(np.float32)
    p = m.predict(X, verbose=0)[:, 0].astype(np.float64)
    bce = -(Y * np.log(p) + (1 - Y) * np.log(1 - p))
    loss = m.evaluate(X, Y, sample_weight=w, verbose=0, batch_size=len(X))[0]
    assert loss == pytest.approx(np.mean(w * bce), rel=1e-5)
    # a weight of 0 takes a sample out of training
    half = np.where(np.arange(len(X)) < 20, 1.0, 0.0)
    changed = weights_after(np.concatenate([X[:20], X[:20] * 50]), Y, sample_weight=half)
    doubled = weights_after(np.concatenate([X[:20], X[:20] * -7]), Y, sample_weight=half)
    for a, b in zip(changed, doubled):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_class_weight_is_the_sample_weight_of_each_class():
    by_class = np.where(Y == 1, 3.0, 0.5)
    assert_same(weights_after(X, Y, class_weight={0: 0.5, 1: 3.0}),
                weights_after(X, Y, sample_weight=by_class))
    ids = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0).astype(int)
    m = model(units=3, activation="softmax", loss="sparse_categorical_crossentropy")
    m.fit(X, ids, class_weight={0: 1.0, 1: 2.0, 2: 1.0}, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="class_weight"):
        m.fit(X, ids, class_weight=[1, 2, 1], verbose=0)


def test_validation_data_with_sample_weights_and_validation_freq():
    m = model()
    w = np.ones(len(X), np.float32)
    history = m.fit(X, Y, epochs=4, verbose=0, validation_data=(X, Y, w), validation_freq=2)
    assert len(history.history["loss"]) == 4 and len(history.history["val_loss"]) == 2
    assert history.history["val_loss"][-1] == pytest.approx(m.evaluate(X, Y, verbose=0)[0])


def test_steps_per_epoch_and_initial_epoch():
    m = model()
    seen = []

    class Batches(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(batch)
    history = m.fit(X, Y, epochs=3, initial_epoch=1, batch_size=8, steps_per_epoch=2,
                    verbose=0, callbacks=[Batches()])
    assert history.epoch == [1, 2] and seen == [0, 1, 0, 1]


@pytest.mark.parametrize("verbose", [True, False, 2, 3, "auto"])
def test_verbose_as_scripts_pass_it(verbose, capsys):
    model().fit(X, Y, epochs=2, verbose=verbose)
    out = capsys.readouterr().out
    assert ("Epoch 2/2" in out) == (verbose not in (False, 0))
    assert ("loss:" in out) == (verbose in (True, 2, "auto"))


def test_shuffle_takes_truthy_values_as_keras_does():
    assert_same(weights_after(X, Y, shuffle=0), weights_after(X, Y, shuffle=False))
    shuffled = weights_after(X, Y, shuffle=True)  # the seed model() sets orders the rows
    assert_same(weights_after(X, Y, shuffle="true"), shuffled)  # a string, as scripts pass it


def test_train_test_and_predict_on_batch():
    m = model()
    first = m.train_on_batch(X, Y)
    assert isinstance(first, list) and len(first) == 2
    second = m.train_on_batch(X, Y, return_dict=True)
    assert sorted(second) == ["accuracy", "loss"] and second["loss"] < first[0]
    loss, accuracy = m.test_on_batch(X, Y)
    assert [loss, accuracy] == m.evaluate(X, Y, batch_size=len(X), verbose=0)
    np.testing.assert_array_equal(m.predict_on_batch(X), m.predict(X, verbose=0))


def test_evaluate_returns_a_scalar_without_metrics_and_a_dict_on_request():
    m = keras.Sequential([keras.Input((2,)), layers.Dense(1)])
    m.compile(optimizer="sgd", loss="mse")
    assert isinstance(m.evaluate(X, Y, verbose=0), float)
    assert list(m.evaluate(X, Y, verbose=0, return_dict=True)) == ["loss"]
    with pytest.raises(ValueError, match="Arguments not recognized"):
        m.evaluate(X, Y, verbose=0, colour="red")


class _Batches(keras.utils.PyDataset):
    def __init__(self, x, y, batch_size, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size = x, y, batch_size
        self.epochs_ended = 0

    def __len__(self):
        return -(-len(self.x) // self.batch_size)

    def __getitem__(self, i):
        part = slice(i * self.batch_size, (i + 1) * self.batch_size)
        return self.x[part], self.y[part]

    def on_epoch_end(self):
        self.epochs_ended += 1


def test_a_pydataset_trains_as_its_arrays_do():
    batches = _Batches(X, Y, 8, workers=2)
    assert_same(weights_after(batches, None), weights_after(X, Y))
    assert batches.epochs_ended == 1 and isinstance(batches, keras.utils.Sequence)
    m = model()
    np.testing.assert_array_equal(m.predict(_Batches(X, Y, 8), verbose=0),
                                  m.predict(X, verbose=0))
    assert m.evaluate(_Batches(X, Y, 8), verbose=0) == m.evaluate(X, Y, verbose=0,
                                                                  batch_size=8)
    history = m.fit(X, Y, validation_data=_Batches(X, Y, 8), epochs=1, verbose=0)
    assert "val_loss" in history.history
    with pytest.raises(ValueError, match="`y` should not be passed"):
        m.fit(_Batches(X, Y, 8), Y, verbose=0)


def test_a_generator_gives_steps_per_epoch_batches():
    def forever():
        while True:
            for i in range(0, len(X), 8):
                yield X[i:i + 8], Y[i:i + 8]

    assert_same(weights_after(forever(), None, steps_per_epoch=5),
                weights_after(X, Y))
    m = model()
    finite = ((X[i:i + 10],) for i in range(0, len(X), 10))
    assert m.predict(finite, verbose=0).shape == (len(X), 1)


def test_timeseries_generator_windows_as_tf_keras_makes_them():
    from pynn.keras.preprocessing.sequence import TimeseriesGenerator
    series = np.arange(200, dtype=np.float32).reshape(-1, 1)
    gen = TimeseriesGenerator(series, series, length=10, batch_size=16)
    assert len(gen) == 12
    x0, y0 = gen[0]
    assert x0.shape == (16, 10, 1) and gen[11][0].shape == (14, 10, 1)
    np.testing.assert_array_equal(x0[1, :, 0], np.arange(1, 11))
    assert y0[1, 0] == 11
    strided = TimeseriesGenerator(series, series, length=4, sampling_rate=2, stride=3,
                                  batch_size=2, reverse=True)
    xs, ys = strided[1]
    np.testing.assert_array_equal(xs[0, :, 0], [8, 6])
    assert ys[0, 0] == 10
    with pytest.raises(ValueError, match="same length"):
        TimeseriesGenerator(series, series[:5], length=3)
    with pytest.raises(ValueError, match="disallowed"):
        TimeseriesGenerator(series[:5], series[:5], length=10)
    m = keras.Sequential([keras.Input((10, 1)), layers.Flatten(), layers.Dense(1)])
    m.compile(optimizer="sgd", loss="mse")
    m.fit(TimeseriesGenerator(series / 200, series / 200, length=10, batch_size=16), epochs=1,
          verbose=0)


def test_timeseries_dataset_from_array_windows_as_keras_makes_them():
    data = np.arange(100, dtype=np.float32).reshape(50, 2)
    ds = keras.utils.timeseries_dataset_from_array(
        data, data[:, 0] * 10, sequence_length=5, sequence_stride=3, sampling_rate=2,
        batch_size=4, start_index=2, end_index=45)
    batches = list(ds)
    assert len(batches) == 3
    x, y = (np.asarray(t) for t in batches[0])
    assert x.shape == (4, 5, 2)
    np.testing.assert_array_equal(x[1, :, 0], [10, 14, 18, 22, 26])  # values Keras gives
    np.testing.assert_array_equal(y, [40, 100, 160, 220])
    windows = list(keras.utils.timeseries_dataset_from_array(data, None, sequence_length=10,
                                                             batch_size=None))
    assert len(windows) == 41 and np.asarray(windows[0]).shape == (10, 2)
    with pytest.raises(ValueError, match="`sampling_rate` must be higher than 0"):
        keras.utils.timeseries_dataset_from_array(data, None, 3, sampling_rate=0)
    with pytest.raises(ValueError, match="`end_index` must be lower than the length"):
        keras.utils.timeseries_dataset_from_array(data, None, 3, end_index=50)
    series = np.sin(np.arange(300) * 0.1).astype(np.float32)
    train = keras.utils.timeseries_dataset_from_array(series[:-10], series[10:], 10,
                                                      batch_size=32, shuffle=True, seed=1)
    m = keras.Sequential([keras.Input((10,)), layers.Dense(1)])
    m.compile(optimizer="adam", loss="mse")
    assert len(m.fit(train, epochs=2, verbose=0).history["loss"]) == 2
