"""TensorBoard: write each epoch's logs as TensorBoard scalars, as Keras 3 writes them
(log_dir/train and log_dir/validation, tags 'epoch_loss', 'epoch_accuracy'..., step = the
epoch), so that `tensorboard --logdir logs` plots the curves. The event files are written here
in TensorBoard's format (TFRecord frames of Event protocol buffers with scalar summaries),
without TensorFlow. Histograms, graphs, images, embeddings and profiles are not written."""
import os
import socket
import struct
import time
import warnings

import numpy as np

from .callback import Callback

# ---- CRC-32C (Castagnoli), which frames every TFRecord ------------------------------------------


def _crc_table():
    table = []
    for i in range(256):
        crc = i
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_TABLE = _crc_table()


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def _masked(crc):
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def record(data):
    """One TFRecord frame: length, its masked CRC, the data, its masked CRC."""
    length = struct.pack("<Q", len(data))
    return (length + struct.pack("<I", _masked(crc32c(length))) + data
            + struct.pack("<I", _masked(crc32c(data))))


# ---- the protocol buffers: Event{wall_time, step, file_version | summary} ------------------------

def _varint(n):
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(number, wire_type):
    return _varint((number << 3) | wire_type)


def _bytes_field(number, data):
    return _field(number, 2) + _varint(len(data)) + data


def event(wall_time, step=0, file_version=None, scalars=None):
    """An Event message: the file's version header, or {tag: value} scalars at step."""
    out = _field(1, 1) + struct.pack("<d", wall_time) + _field(2, 0) + _varint(int(step))
    if file_version is not None:
        out += _bytes_field(3, file_version.encode())
    if scalars:
        values = b"".join(
            _bytes_field(1, _bytes_field(1, tag.encode()) + _field(2, 5)
                         + struct.pack("<f", float(value)))
            for tag, value in scalars.items())
        out += _bytes_field(5, values)
    return out


class EventWriter:
    """Appends Events to a new events.out.tfevents.* file in `directory`."""

    def __init__(self, directory):
        os.makedirs(directory, exist_ok=True)
        name = (f"events.out.tfevents.{time.time():.6f}.{socket.gethostname()}."
                f"{os.getpid()}.0.v2")
        self.path = os.path.join(directory, name)
        with open(self.path, "wb") as f:
            f.write(record(event(time.time(), file_version="brain.Event:2")))

    def scalars(self, step, values):
        with open(self.path, "ab") as f:
            f.write(record(event(time.time(), step=step, scalars=values)))


class TensorBoard(Callback):
    """TensorBoard(log_dir='logs', histogram_freq=0, write_graph=True, write_images=False,
    write_steps_per_second=False, update_freq='epoch', profile_batch=0, embeddings_freq=0,
    embeddings_metadata=None): each epoch's training logs to log_dir/train and its 'val_' logs
    to log_dir/validation, as scalars 'epoch_<name>' at step epoch. Only scalars are written:
    asking for histograms, images or embeddings warns once."""

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0,
                 embeddings_freq=0, embeddings_metadata=None):
        super().__init__()
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq, self.write_graph = histogram_freq, write_graph
        self.write_images, self.update_freq = write_images, update_freq
        self.write_steps_per_second = write_steps_per_second
        self.profile_batch, self.embeddings_freq = profile_batch, embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        if update_freq != "epoch" and (isinstance(update_freq, bool)
                                       or not isinstance(update_freq, int) or update_freq < 1):
            raise ValueError(f"Unrecognized update_freq: {update_freq!r}")
        skipped = [name for name, asked in [
            ("histograms", histogram_freq), ("images", write_images),
            ("embeddings", embeddings_freq), ("profiles", profile_batch)] if asked]
        if skipped:
            warnings.warn(f"TensorBoard: pynn writes the epoch scalars only, no "
                          f"{', '.join(skipped)}.", stacklevel=2)
        self._writers = {}

    def _writer(self, kind):
        if kind not in self._writers:
            self._writers[kind] = EventWriter(os.path.join(self.log_dir, kind))
        return self._writers[kind]

    def on_train_begin(self, logs=None):
        self._writers = {}

    def on_epoch_end(self, epoch, logs=None):
        train, val = {}, {}
        for name, value in (logs or {}).items():
            try:
                number = float(np.asarray(value))
            except (TypeError, ValueError):
                continue
            if name.startswith("val_"):
                val[f"epoch_{name[4:]}"] = number
            else:
                train[f"epoch_{name}"] = number
        lr = getattr(getattr(self.model, "optimizer", None), "learning_rate", None)
        if lr is not None:
            try:
                train["epoch_learning_rate"] = float(np.asarray(lr))
            except (TypeError, ValueError):
                pass
        if train:
            self._writer("train").scalars(epoch, train)
        if val:
            self._writer("validation").scalars(epoch, val)
