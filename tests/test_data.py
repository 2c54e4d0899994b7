"""pynn.data (tf.data for `import tensorflow as tf` scripts): Dataset.from_tensor_slices and
its transformations, iteration as Tensors, and Keras models' fit, evaluate and predict on a
Dataset (its rows read once, trained in its batch size)."""
import numpy as np
import pytest

import pynn as tf
import pynn.keras  # noqa: F401
from pynn.data import Dataset

X = np.arange(20, dtype=np.float32).reshape(10, 2)
Y = np.arange(10)


def rows(ds):
    return [tuple(np.asarray(v).tolist() for v in e) if isinstance(e, tuple)
            else np.asarray(e).tolist() for e in ds.as_numpy_iterator()]


def test_slices_batches_and_their_lengths():
    ds = tf.data.Dataset.from_tensor_slices((X, Y))
    assert len(ds) == 10 and ds.cardinality() == 10
    first = next(iter(ds))
    assert isinstance(first[0], tf.Tensor) and first[0].numpy().tolist() == [0.0, 1.0]
    batches = list(ds.batch(4))
    assert [b[0].shape[0] for b in batches] == [4, 4, 2] and len(ds.batch(4)) == 3
    assert len(ds.batch(4, drop_remainder=True)) == 2
    assert [len(b[1]) for b in ds.batch(4, drop_remainder=True)] == [4, 4]
    features = Dataset.from_tensor_slices({"a": X[:, 0], "b": X[:, 1]}).batch(5)
    assert list(next(iter(features))) == ["a", "b"]
    assert Dataset.from_tensor_slices([1.0, 2.0]).as_numpy_iterator().__next__().dtype \
        == np.float32
    assert rows(Dataset.range(3)) == [0, 1, 2]
    with pytest.raises(ValueError, match="same number of rows"):
        Dataset.from_tensor_slices((X, Y[:3]))
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        ds.batch(0)


def test_shuffle_take_skip_map_filter_repeat():
    tf.random.set_seed(1)
    ds = Dataset.from_tensor_slices(Y).shuffle(10)
    once, twice = rows(ds), rows(ds)
    assert sorted(once) == list(range(10)) and once != twice  # reshuffled each iteration
    assert rows(Dataset.from_tensor_slices(Y).shuffle(10, seed=3)) != list(range(10))
    small = rows(Dataset.from_tensor_slices(Y).shuffle(2))      # a buffer of 2 moves little
    assert sorted(small) == list(range(10)) and abs(small.index(0)) <= 2
    assert rows(Dataset.from_tensor_slices(Y).take(3)) == [0, 1, 2]
    assert rows(Dataset.from_tensor_slices(Y).skip(8)) == [8, 9]
    doubled = Dataset.from_tensor_slices((X, Y)).map(lambda x, y: (x * 2, y))
    assert rows(doubled)[1] == ([4.0, 6.0], 1)
    assert rows(Dataset.from_tensor_slices(Y).filter(lambda v: v % 3 == 0)) == [0, 3, 6, 9]
    assert rows(Dataset.from_tensor_slices(Y[:2]).repeat(3)) == [0, 1] * 3
    forever = Dataset.from_tensor_slices(Y[:2]).repeat()
    assert forever.cardinality() == -1 and rows(forever.take(5)) == [0, 1, 0, 1, 0]
    with pytest.raises(TypeError, match="infinite"):
        len(forever)
    assert Dataset.from_tensor_slices(Y).prefetch(tf.data.AUTOTUNE).cache() is not None
    zipped = Dataset.zip((Dataset.from_tensor_slices(X), Dataset.from_tensor_slices(Y)))
    assert rows(zipped.batch(10))[0][1] == list(range(10))


def _model():
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(3)])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.001),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def test_fit_on_a_dataset_equals_fit_on_its_arrays():
    y = Y % 3
    on_arrays = _model()
    on_arrays.fit(X, y, batch_size=4, epochs=3, shuffle=False, verbose=0)
    on_dataset = _model()
    ds = Dataset.from_tensor_slices((X, y)).batch(4).prefetch(tf.data.AUTOTUNE)
    history = on_dataset.fit(ds, epochs=3, verbose=0, validation_data=ds)
    for a, b in zip(on_arrays.get_weights(), on_dataset.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert on_dataset.evaluate(ds, verbose=0) == on_arrays.evaluate(X, y, batch_size=4,
                                                                    verbose=0)
    np.testing.assert_array_equal(on_dataset.predict(ds, verbose=0),
                                  on_arrays.predict(X, verbose=0))
    on_dataset.fit(ds.shuffle(10).repeat(), epochs=1, steps_per_epoch=2, verbose=0)


def test_fit_refuses_what_keras_refuses():
    model = _model()
    with pytest.raises(ValueError, match=r"call \.batch\(batch_size\)"):
        model.fit(Dataset.from_tensor_slices((X, Y % 3)), verbose=0)
    with pytest.raises(ValueError, match="`y` should not be passed"):
        model.fit(Dataset.from_tensor_slices((X, Y % 3)).batch(2), Y, verbose=0)
    with pytest.raises(ValueError, match="Dataset is empty"):
        model.fit(Dataset.from_tensor_slices((X, Y % 3)).take(0).batch(2), verbose=0)


def test_a_dataset_repeated_forever_trains_steps_per_epoch_batches():
    model = _model()
    ds = Dataset.from_tensor_slices((X, Y % 3)).batch(5).repeat()
    with pytest.raises(ValueError, match="specify a `steps_per_epoch`"):
        model.fit(ds, epochs=1, verbose=0)
    seen = []

    class Count(tf.keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(batch)
    model.fit(ds, epochs=1, steps_per_epoch=7, verbose=0, callbacks=[Count()],
              validation_data=ds, validation_steps=2)
    assert seen == list(range(7))  # 7 batches of 5 from 10 rows: the rows repeated
    assert len(model.evaluate(ds, steps=3, verbose=0)) == 2
    assert model.predict(ds, steps=3, verbose=0).shape == (15, 3)
