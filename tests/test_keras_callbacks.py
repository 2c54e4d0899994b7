"""Keras's callbacks as scripts use them: ModelCheckpoint, ReduceLROnPlateau,
LearningRateScheduler, CSVLogger, LambdaCallback, TerminateOnNaN, EarlyStopping's arguments,
and the ones pynn does not have."""
import csv
import math
import os
import re

import numpy as np
import pytest

from pynn import keras
from pynn.keras import callbacks, layers
from pynn.keras.models import load_model

rng = np.random.default_rng(0)
X = rng.standard_normal((64, 4)).astype(np.float32)
Y = (X[:, 0] - X[:, 1] > 0).astype(np.float32)


def model(lr=0.01):
    keras.utils.set_random_seed(0)
    m = keras.Sequential([keras.Input((4,)), layers.Dense(8, activation="relu"),
                          layers.Dense(1, activation="sigmoid")])
    m.compile(optimizer=keras.optimizers.Adam(lr), loss="binary_crossentropy",
              metrics=["accuracy"])
    return m


def test_model_checkpoint_formats_the_name_from_the_epoch_and_the_logs(tmp_path):
    m = model()
    path = str(tmp_path / "ckpt" / "model-{epoch:02d}-{val_loss:.2f}.keras")
    history = m.fit(X, Y, epochs=3, verbose=0, validation_split=0.25,
                    callbacks=[callbacks.ModelCheckpoint(path)])
    names = sorted(os.listdir(tmp_path / "ckpt"))
    assert names == [f"model-{e + 1:02d}-{v:.2f}.keras"
                     for e, v in enumerate(history.history["val_loss"])]
    last = load_model(tmp_path / "ckpt" / names[-1])
    np.testing.assert_array_equal(last.predict(X, verbose=0), m.predict(X, verbose=0))


def test_model_checkpoint_save_best_only_keeps_the_best(tmp_path, capsys):
    m = model(lr=0.05)
    best = str(tmp_path / "best.h5")
    seen = []

    class Record(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append((logs["val_accuracy"], self.model.get_weights()))
    m.fit(X, Y, epochs=8, verbose=0, validation_data=(X[:16], Y[:16]),
          callbacks=[Record(), callbacks.ModelCheckpoint(best, monitor="val_accuracy",
                                                         save_best_only=True, verbose=1)])
    out = capsys.readouterr().out
    assert "val_accuracy improved from None to" in out and "saving model to" in out
    first_best = max(range(len(seen)), key=lambda i: (seen[i][0], -i))
    for got, want in zip(load_model(best).get_weights(), seen[first_best][1]):
        np.testing.assert_array_equal(got, want)


def test_model_checkpoint_weights_only_and_keras_file_names(tmp_path):
    m = model()
    m.fit(X, Y, epochs=2, verbose=0, callbacks=[callbacks.ModelCheckpoint(
        str(tmp_path / "w-{epoch}.weights.h5"), save_weights_only=True, monitor="loss")])
    other = model()
    other.load_weights(tmp_path / "w-2.weights.h5")
    np.testing.assert_array_equal(other.predict(X, verbose=0), m.predict(X, verbose=0))
    with pytest.raises(ValueError, match="must end in `.weights.h5`"):
        callbacks.ModelCheckpoint("w.h5", save_weights_only=True)
    with pytest.raises(ValueError, match="must end in `.keras`"):
        callbacks.ModelCheckpoint("m.hdf5")
    with pytest.raises(ValueError, match="save_freq"):
        callbacks.ModelCheckpoint("m.keras", save_freq="often")


def test_reduce_lr_on_plateau_lowers_the_rate_and_logs_it(capsys):
    m = model(lr=0.01)
    history = m.fit(X, Y, epochs=6, verbose=0, callbacks=[callbacks.ReduceLROnPlateau(
        monitor="loss", factor=0.5, patience=1, min_delta=10.0, min_lr=0.003, verbose=1)])
    # logged at each epoch's end, before that epoch's reduction, as Keras logs it
    assert history.history["learning_rate"][:4] == pytest.approx([0.01, 0.01, 0.005, 0.003])
    assert m.optimizer.learning_rate == pytest.approx(0.003)
    # 0.005, or float32's nearest value, as Keras prints it from its float32 variable
    assert re.search(r"Epoch 2: ReduceLROnPlateau reducing learning rate to 0\.00(5|49999)",
                     capsys.readouterr().out)
    with pytest.raises(ValueError, match="factor >= 1.0"):
        callbacks.ReduceLROnPlateau(factor=1.5)


@pytest.mark.parametrize("schedule", [lambda epoch: 0.1 / (epoch + 1),
                                      lambda epoch, lr: 0.1 if epoch == 0 else lr / 2])
def test_learning_rate_scheduler_takes_both_forms(schedule):
    m = model()
    history = m.fit(X, Y, epochs=3, verbose=0,
                    callbacks=[callbacks.LearningRateScheduler(schedule)])
    assert history.history["learning_rate"] == pytest.approx(
        [0.1, 0.05, 0.1 / 3] if schedule.__code__.co_argcount == 1 else [0.1, 0.05, 0.025])
    with pytest.raises(ValueError, match="should be a float"):
        m.fit(X, Y, verbose=0, callbacks=[callbacks.LearningRateScheduler(lambda e: "fast")])


def test_csv_logger_writes_a_row_per_epoch(tmp_path):
    path = tmp_path / "log.csv"
    history = model().fit(X, Y, epochs=3, verbose=0, validation_split=0.25,
                          callbacks=[callbacks.CSVLogger(str(path))])
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["epoch", "accuracy", "loss", "val_accuracy", "val_loss"]
    assert [int(r["epoch"]) for r in rows] == [0, 1, 2]
    assert [float(r["loss"]) for r in rows] == pytest.approx(history.history["loss"])
    model().fit(X, Y, epochs=2, verbose=0, callbacks=[callbacks.CSVLogger(str(path),
                                                                          append=True)])
    with open(path, newline="") as f:
        assert len(list(csv.DictReader(f))) == 5


def test_lambda_callback_calls_the_functions_given():
    seen = []
    cb = callbacks.LambdaCallback(
        on_train_begin=lambda logs: seen.append("begin"),
        on_epoch_end=lambda epoch, logs: seen.append((epoch, round(logs["loss"], 9))),
        on_train_batch_end=lambda batch, logs: seen.append(batch),
        on_train_end=lambda logs: seen.append("end"))
    history = model().fit(X, Y, epochs=2, batch_size=32, verbose=0, callbacks=[cb])
    assert seen == ["begin", 0, 1, (0, round(history.history["loss"][0], 9)), 0, 1,
                    (1, round(history.history["loss"][1], 9)), "end"]


def test_terminate_on_nan_can_raise():
    def loss(y_true, y_pred):
        return (y_pred - y_true.reshape(-1, 1)).mean(axis=-1) * math.inf
    m = keras.Sequential([keras.Input((4,)), layers.Dense(1)])
    m.compile(optimizer="sgd", loss=loss)
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 0"):
        with pytest.warns(RuntimeWarning):
            m.fit(X, Y, verbose=0, callbacks=[callbacks.TerminateOnNaN(raise_error=True)])


def test_early_stopping_baseline_and_start_from_epoch():
    m = model(lr=0.0)  # a loss that never moves
    history = m.fit(X, Y, epochs=10, verbose=0, shuffle=False, callbacks=[
        callbacks.EarlyStopping(monitor="loss", baseline=0.0, patience=2)])
    assert len(history.epoch) == 2  # the baseline is never beaten: stops after patience
    history = m.fit(X, Y, epochs=10, verbose=0, shuffle=False, callbacks=[
        callbacks.EarlyStopping(monitor="loss", patience=2, start_from_epoch=4)])
    assert len(history.epoch) == 7  # counts from epoch 4 on


@pytest.mark.parametrize("name", ["RemoteMonitor", "BackupAndRestore"])
def test_callbacks_pynn_does_not_have_say_so(name):
    with pytest.raises(NotImplementedError, match=f"keras.callbacks.{name} is not supported"):
        getattr(callbacks, name)(log_dir="logs")


def test_callbacks_see_evaluate_and_predict():
    seen = []

    class Spy(callbacks.Callback):
        def on_test_begin(self, logs=None):
            seen.append("test")

        def on_predict_batch_end(self, batch, logs=None):
            seen.append(("predict", batch))
    m = model()
    m.evaluate(X, Y, verbose=0, callbacks=[Spy()])
    m.predict(X, batch_size=32, verbose=0, callbacks=[Spy()])
    m.fit(X, Y, verbose=0, validation_split=0.5, callbacks=[Spy()])
    assert seen == ["test", ("predict", 0), ("predict", 1), "test"]


def _read_events(path):
    """The (step, {tag: value}) scalars of an event file, read back frame by frame, every
    frame's CRC-32C checked."""
    import struct

    from pynn.keras.callbacks.tensorboard import _masked, crc32c

    def varint(buf, i):
        n = shift = 0
        while True:
            b = buf[i]
            n |= (b & 0x7F) << shift
            i, shift = i + 1, shift + 7
            if not b & 0x80:
                return n, i

    def fields(buf):
        i, out = 0, []
        while i < len(buf):
            key, i = varint(buf, i)
            number, wire = key >> 3, key & 7
            if wire == 0:
                value, i = varint(buf, i)
            elif wire == 1:
                value, i = buf[i:i + 8], i + 8
            elif wire == 5:
                value, i = buf[i:i + 4], i + 4
            else:
                size, i = varint(buf, i)
                value, i = buf[i:i + size], i + size
            out.append((number, value))
        return out

    data, i, events = open(path, "rb").read(), 0, []
    while i < len(data):
        (length,) = struct.unpack("<Q", data[i:i + 8])
        assert struct.unpack("<I", data[i + 8:i + 12])[0] == _masked(crc32c(data[i:i + 8]))
        body = data[i + 12:i + 12 + length]
        assert struct.unpack("<I", data[i + 12 + length:i + 16 + length])[0] == \
            _masked(crc32c(body))
        i += 16 + length
        ev = dict(fields(body))
        scalars = {}
        for number, summary in fields(body):
            if number == 5:
                for _, value in fields(summary):
                    v = dict(fields(value))
                    scalars[v[1].decode()] = struct.unpack("<f", v[2])[0]
        events.append((ev.get(2, 0), ev.get(3), scalars))
    return events


def test_tensorboard_writes_the_epoch_scalars_keras_writes(tmp_path):
    from pynn.keras.callbacks.tensorboard import crc32c
    assert crc32c(b"123456789") == 0xE3069283  # the CRC-32C check value
    m = model()
    history = m.fit(X, Y, epochs=3, verbose=0, validation_split=0.25,
                    callbacks=[callbacks.TensorBoard(log_dir=tmp_path / "logs")])
    (train,) = os.listdir(tmp_path / "logs" / "train")
    assert train.startswith("events.out.tfevents.")
    events = _read_events(tmp_path / "logs" / "train" / train)
    assert events[0][1] == b"brain.Event:2"
    assert [e[0] for e in events[1:]] == [0, 1, 2]
    assert events[2][2]["epoch_loss"] == pytest.approx(history.history["loss"][1], rel=1e-6)
    assert events[1][2]["epoch_learning_rate"] == pytest.approx(0.01)
    (val,) = os.listdir(tmp_path / "logs" / "validation")
    last = _read_events(tmp_path / "logs" / "validation" / val)[-1][2]
    assert last["epoch_accuracy"] == pytest.approx(history.history["val_accuracy"][-1])
    with pytest.warns(UserWarning, match="no histograms"):
        callbacks.TensorBoard(log_dir=tmp_path, histogram_freq=1)
    with pytest.raises(ValueError, match="Unrecognized update_freq"):
        callbacks.TensorBoard(update_freq="sometimes")
