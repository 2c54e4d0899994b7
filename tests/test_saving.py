"""Model and state-dict files: round trips, resumed training, and refusal of every damaged or
hostile file with a clear error (never a crash, never code execution)."""
import io
import json
import os
import pickle
import re
import reprlib
import zipfile

import numpy as np
import pytest

import pynn
from pynn import serialization
from pynn.keras import ops, optimizers
from pynn.keras.layers import Activation, Dense, Input
from pynn.keras.models import Sequential, load_model
from pynn.keras.utils import set_random_seed


def state_dict():
    rng = np.random.default_rng(0)
    return {"0.weight": rng.standard_normal((4, 2)).astype(np.float32),
            "0.bias": rng.standard_normal(4),
            "step": np.array(7, dtype=np.int64),
            "mask": np.array([True, False]),
            "empty": np.zeros((0, 3), np.float32)}


def assert_same_arrays(a, b):
    assert list(a) == list(b)
    for name in a:
        assert a[name].dtype == b[name].dtype and a[name].shape == b[name].shape, name
        np.testing.assert_array_equal(a[name], b[name])


def npy_bytes(arr):
    buf = io.BytesIO()
    np.lib.format.write_array(buf, arr)
    return buf.getvalue()


def write_zip(path, members):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


# --- pynn.save / pynn.load ----------------------------------------------------------------------

def test_state_dict_round_trip(tmp_path):
    sd = state_dict()
    pynn.save(sd, tmp_path / "sd.npz")  # a pathlib.Path works as well as a str
    assert_same_arrays(pynn.load(str(tmp_path / "sd.npz")), sd)


def test_files_are_plain_npz_both_ways(tmp_path):
    sd = state_dict()
    pynn.save(sd, tmp_path / "pynn.npz")
    with np.load(tmp_path / "pynn.npz", allow_pickle=False) as npz:
        assert_same_arrays(dict(npz), sd)
    np.savez(tmp_path / "numpy.npz", **sd)
    assert_same_arrays(pynn.load(tmp_path / "numpy.npz"), sd)


@pytest.mark.parametrize("obj", [pynn.tensor([[1.0, 2.0]]), [pynn.arange(3), 2.5],
                                 (np.eye(2), {"lr": 0.1})])
def test_save_keeps_a_tensor_or_a_list_as_torch_save_does(tmp_path, obj):
    pynn.save(obj, tmp_path / "x.pt")
    back = pynn.load(tmp_path / "x.pt")
    assert type(back) is type(obj)
    if isinstance(obj, pynn.Tensor):
        assert pynn.equal(back, obj) and back.dtype == obj.dtype
    else:
        np.testing.assert_array_equal(np.asarray(back[0]), np.asarray(obj[0]))
        assert back[1] == obj[1]


def test_non_native_byte_order_is_read_as_native(tmp_path):
    np.savez(tmp_path / "big.npz", w=np.arange(3, dtype=">f4"))
    w = pynn.load(tmp_path / "big.npz")["w"]
    assert w.dtype == np.float32 and w.dtype.isnative
    np.testing.assert_array_equal(w, [0, 1, 2])


@pytest.mark.parametrize("bad, match", [
    (pynn.optim.SGD(pynn.nn.Linear(2, 1).parameters(), lr=0.1),
     r"the object is a SGD.*save its state_dict\(\) instead"),
    ([np.zeros(2), pynn.optim], r"the object\[1\] is a module"),
    ({(1, 2): np.zeros(2)}, "keys .* must be str or int"),
    ({"w": np.array([object()], dtype=object)}, r"state_dict\['w'\]"),
    ({"w": {"a set"}}, r"state_dict\['w'\] is a set"),
])
def test_save_refuses_what_is_not_a_state_dict(tmp_path, bad, match):
    with pytest.raises(TypeError, match=match):
        pynn.save(bad, tmp_path / "x.npz")
    assert not os.listdir(tmp_path)


@pytest.mark.parametrize("names, bad", [
    (["w\0evil"], "NUL"),
    (["x" * 65_532], "65532 bytes in UTF-8, over the 65531"),
    (["é" * 32_766], "65532 bytes"),  # 2 bytes each in UTF-8
    (["\ud800"], "surrogate"),
    (["layer\\weight"], "backslash"),
    (["w", "w.npy"], "np.load would read it as 'w'"),
])
def test_save_refuses_names_it_cannot_give_back(tmp_path, names, bad):
    """Refused before the file is touched, naming the key (shortened), rather than written in
    a file that then fails to load or loads under other names."""
    pynn.save({"old": np.zeros(1)}, tmp_path / "sd.npz")
    shortened = re.escape(reprlib.repr(names[-1]))
    with pytest.raises(ValueError, match=f"array name {shortened}.*{bad}"):
        pynn.save({name: np.ones(1) for name in names}, tmp_path / "sd.npz")
    assert list(pynn.load(tmp_path / "sd.npz")) == ["old"] and os.listdir(tmp_path) == ["sd.npz"]


def test_unusual_names_that_round_trip_are_kept(tmp_path):
    sd = {name: np.full(1, i) for i, name in enumerate(
        ["", ".", "/", "a/b", "/abs", "../up", "w.npy", "x.npy.npy", "tab\tnew\nline", "日本",
         "x" * 65_531, "é" * 32_765])}
    pynn.save(sd, tmp_path / "sd.npz")
    assert_same_arrays(pynn.load(tmp_path / "sd.npz"), sd)
    with np.load(tmp_path / "sd.npz", allow_pickle=False) as npz:
        assert_same_arrays(dict(npz), sd)


def test_save_and_load_refuse_a_non_path(tmp_path):
    with pytest.raises(TypeError, match="file path"):
        pynn.save({}, io.BytesIO())
    with pytest.raises(TypeError, match="file path"):
        pynn.load(3)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        pynn.load(tmp_path / "nothing.npz")


def test_not_an_archive(tmp_path):
    (tmp_path / "text.npz").write_text("hello")
    with pytest.raises(ValueError, match="not a pynn file"):
        pynn.load(tmp_path / "text.npz")
    np.save(tmp_path / "single.npy", np.zeros(3))  # an .npy, not an .npz
    with pytest.raises(ValueError, match="not a pynn file"):
        pynn.load(tmp_path / "single.npy")


def test_every_truncation_is_refused(tmp_path):
    pynn.save(state_dict(), tmp_path / "sd.npz")
    raw = (tmp_path / "sd.npz").read_bytes()
    for length in range(len(raw)):
        (tmp_path / "cut.npz").write_bytes(raw[:length])
        with pytest.raises(ValueError):
            pynn.load(tmp_path / "cut.npz")


def test_every_flipped_byte_is_refused_or_harmless(tmp_path):
    """A damaged byte is caught (zip CRC, sizes, layout), or it lies in a field that does not
    change the content (a timestamp): loading never returns different arrays."""
    sd = state_dict()
    pynn.save(sd, tmp_path / "sd.npz")
    raw = (tmp_path / "sd.npz").read_bytes()
    refused = 0
    for i in range(len(raw)):
        damaged = bytearray(raw)
        damaged[i] ^= 0xFF
        (tmp_path / "bad.npz").write_bytes(bytes(damaged))
        try:
            loaded = pynn.load(tmp_path / "bad.npz")
        except ValueError:
            refused += 1
            continue
        assert_same_arrays(loaded, sd)
    assert refused > len(raw) / 2  # most bytes matter: this is not a vacuous pass


def test_pickled_object_array_is_refused_and_never_unpickled(tmp_path):
    class Boom:
        def __reduce__(self):
            return (os.system, ("echo pwned > " + str(tmp_path / "pwned"),))
    payload = np.array([Boom()], dtype=object)
    np.savez(tmp_path / "evil.npz", w=payload)  # NumPy pickles object arrays by default
    assert b"system" in (tmp_path / "evil.npz").read_bytes()
    with pytest.raises(ValueError, match="pickled"):
        pynn.load(tmp_path / "evil.npz")
    assert not (tmp_path / "pwned").exists()


def test_raw_pickle_file_is_refused(tmp_path):
    (tmp_path / "evil.npz").write_bytes(pickle.dumps({"w": np.zeros(2)}))
    with pytest.raises(ValueError, match="not a pynn file"):
        pynn.load(tmp_path / "evil.npz")


def test_huge_declared_shape_is_refused_before_allocating(tmp_path):
    buf = io.BytesIO()  # an .npy header declaring 8 petabytes, followed by 8 bytes of data
    np.lib.format.write_array_header_1_0(
        buf, {"descr": "<f8", "fortran_order": False, "shape": (10**15,)})
    write_zip(tmp_path / "huge.npz", {"w.npy": buf.getvalue() + b"\0" * 8})
    with pytest.raises(ValueError, match="declares shape"):
        pynn.load(tmp_path / "huge.npz")


@pytest.mark.parametrize("member, data, match", [
    ("w.txt", b"hello", "unexpected member"),
    ("w.npy", b"not an npy file", "corrupt"),
    ("w.npy", npy_bytes(np.array([1 + 2j])), "dtype complex128"),
    ("w.npy", npy_bytes(np.array(["text"])), "dtype <U4"),
    ("w.npy", npy_bytes(np.zeros(2, [("a", "f4")])), "dtype"),
])
def test_unexpected_members_are_refused(tmp_path, member, data, match):
    write_zip(tmp_path / "bad.npz", {member: data})
    with pytest.raises(ValueError, match=match):
        pynn.load(tmp_path / "bad.npz")


def test_compressed_members_are_refused(tmp_path):
    np.savez_compressed(tmp_path / "small.npz", w=np.zeros(1000))
    with pytest.raises(ValueError, match="compressed"):
        pynn.load(tmp_path / "small.npz")


# --- atomic writes ------------------------------------------------------------------------------

def test_interrupted_rename_leaves_the_old_file(tmp_path, monkeypatch):
    old = state_dict()
    pynn.save(old, tmp_path / "sd.npz")

    def crash(src, dst):
        raise OSError("power cut")
    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        pynn.save({"other": np.ones(5)}, tmp_path / "sd.npz")
    monkeypatch.undo()
    assert_same_arrays(pynn.load(tmp_path / "sd.npz"), old)
    assert os.listdir(tmp_path) == ["sd.npz"]  # no temporary file left behind


def test_crash_midway_through_writing_leaves_the_old_file(tmp_path, monkeypatch):
    old = state_dict()
    pynn.save(old, tmp_path / "sd.npz")
    write_array = np.lib.format.write_array
    calls = []

    def crash_on_second_array(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return write_array(*args, **kwargs)
    monkeypatch.setattr(np.lib.format, "write_array", crash_on_second_array)
    with pytest.raises(KeyboardInterrupt):
        pynn.save({"a": np.ones(3), "b": np.ones(4)}, tmp_path / "sd.npz")
    monkeypatch.undo()
    assert_same_arrays(pynn.load(tmp_path / "sd.npz"), old)
    assert os.listdir(tmp_path) == ["sd.npz"]


def test_save_into_a_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError):
        pynn.save({}, tmp_path / "no" / "such" / "folder.npz")


def test_serialization_module_is_the_one_exported():
    assert pynn.save is serialization.save and pynn.load is serialization.load


# --- nn: state_dict files ------------------------------------------------------------------------

def test_nn_state_dict_round_trip(tmp_path):
    pynn.manual_seed(0)
    net = pynn.nn.Sequential(pynn.nn.Linear(3, 5), pynn.nn.ReLU(), pynn.nn.Linear(5, 2))
    x = pynn.Tensor(np.random.default_rng(1).standard_normal((7, 3)))
    pynn.save(net.state_dict(), tmp_path / "net.npz")
    pynn.manual_seed(1)
    other = pynn.nn.Sequential(pynn.nn.Linear(3, 5), pynn.nn.ReLU(), pynn.nn.Linear(5, 2))
    assert not np.array_equal(other(x).detach().numpy(), net(x).detach().numpy())
    other.load_state_dict(pynn.load(tmp_path / "net.npz"))
    np.testing.assert_array_equal(other(x).detach().numpy(), net(x).detach().numpy())


def test_nn_state_dict_of_another_architecture_is_refused(tmp_path):
    pynn.save(pynn.nn.Linear(3, 5).state_dict(), tmp_path / "net.npz")
    with pytest.raises(ValueError, match="shape"):
        pynn.nn.Linear(3, 4).load_state_dict(pynn.load(tmp_path / "net.npz"))


# --- pynn.keras: model files ---------------------------------------------------------------------

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
XOR_Y = np.array([0, 1, 1, 0])


def blobs(n=120, classes=3, seed=0):
    """A small classification set: more rows than a batch, so fit shuffles."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, classes, n)
    x = rng.standard_normal((n, 4)).astype(np.float32) + y[:, None]
    return x, y


def digits_like_model(optimizer="adam"):
    model = Sequential([Input(shape=(4,)), Dense(16, activation="relu"),
                        Dense(8, activation="tanh", use_bias=False), Dense(3),
                        Activation("softmax")])
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def xor_model():
    model = Sequential([Dense(4, input_dim=2, activation="relu"), Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def header_of(path):
    """A model or weights file's header, as a dict, and all its arrays, the header included."""
    with np.load(path, allow_pickle=False) as npz:
        return json.loads(str(npz["header"])), dict(npz)


def rewrite(path, header=None, arrays=None):
    """Write a model file again with its header dict and/or arrays changed by the functions
    given: how the hostile-file tests forge their files."""
    h, content = header_of(path)
    if header is not None:
        header(h)
        content["header"] = np.array(json.dumps(h))
    if arrays is not None:
        arrays(content)
    serialization.write_arrays(path, content)


def test_model_round_trip_gives_identical_predictions(tmp_path):
    set_random_seed(0)
    x, y = blobs()
    model = digits_like_model()
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    model.save(tmp_path / "m.pynn")
    loaded = load_model(tmp_path / "m.pynn")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.get_config() == model.get_config()
    assert loaded.compile_config == model.compile_config
    assert loaded.evaluate(x, y, verbose=0) == model.evaluate(x, y, verbose=0)
    lines, loaded_lines = [], []
    model.summary(print_fn=lines.append)
    loaded.summary(print_fn=loaded_lines.append)
    assert loaded_lines == lines


@pytest.mark.parametrize("optimizer", [
    "adam", "rmsprop", "sgd",
    lambda: optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True),
    lambda: optimizers.Adam(learning_rate=0.01, weight_decay=0.01),
    lambda: optimizers.RMSprop(momentum=0.5, centered=True),
])
def test_training_resumes_exactly_after_load(tmp_path, optimizer):
    """fit, save, fit again == fit, save, load, fit again: same weights and history, bit for
    bit, with shuffling on (the file holds the optimizer state and the shuffling stream)."""
    optimizer = optimizer() if callable(optimizer) else optimizer
    set_random_seed(1)
    x, y = blobs()
    model = digits_like_model(optimizer)
    model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    model.save(tmp_path / "m.pynn")
    uninterrupted = model.fit(x, y, epochs=3, batch_size=16, verbose=0, validation_split=0.2)

    set_random_seed(99)  # the loaded model's future must not depend on the global seed
    resumed_model = load_model(tmp_path / "m.pynn")
    resumed = resumed_model.fit(x, y, epochs=3, batch_size=16, verbose=0, validation_split=0.2)
    assert resumed.history == uninterrupted.history
    for a, b in zip(resumed_model.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert resumed_model.optimizer.iterations == model.optimizer.iterations


def test_the_tutorial_model_resumes(tmp_path):
    set_random_seed(0)
    model = xor_model()
    model.fit(XOR_X, XOR_Y, epochs=50, verbose=0)
    model.save(tmp_path / "xor.pynn")
    model.fit(XOR_X, XOR_Y, epochs=50, verbose=0)
    loaded = load_model(tmp_path / "xor.pynn")
    loaded.fit(XOR_X, XOR_Y, epochs=50, verbose=0)
    np.testing.assert_array_equal(loaded.predict(XOR_X, verbose=0),
                                  model.predict(XOR_X, verbose=0))


def test_load_without_compile(tmp_path):
    model = xor_model()
    model.save(tmp_path / "xor.pynn")
    loaded = load_model(tmp_path / "xor.pynn", compile=False)
    assert not loaded.compiled
    np.testing.assert_array_equal(loaded.predict(XOR_X, verbose=0),
                                  model.predict(XOR_X, verbose=0))
    with pytest.raises(ValueError, match="compile"):
        loaded.fit(XOR_X, XOR_Y, verbose=0)


def test_uncompiled_and_unbuilt_models(tmp_path):
    Sequential([Dense(3, input_dim=2)]).save(tmp_path / "uncompiled.pynn")
    assert not load_model(tmp_path / "uncompiled.pynn").compiled
    unbuilt = Sequential([Dense(3), Dense(1)])
    unbuilt.compile(optimizer="sgd", loss="mse")
    unbuilt.save(tmp_path / "unbuilt.pynn")
    loaded = load_model(tmp_path / "unbuilt.pynn")
    assert not loaded.built and loaded.get_weights() == [] and loaded.compiled
    loaded.fit(XOR_X, XOR_Y, verbose=0)  # builds from the data, as the original would
    assert [w.shape for w in loaded.get_weights()] == [(2, 3), (3,), (3, 1), (1,)]


def test_model_file_is_a_readable_npz(tmp_path):
    xor_model().save(tmp_path / "xor.pynn")
    with np.load(tmp_path / "xor.pynn", allow_pickle=False) as npz:
        header = json.loads(str(npz["header"]))
        assert header["format"] == "pynn.keras.model" and header["version"] == 2
        assert header["model"]["config"]["layers"][1]["config"]["units"] == 4
        assert [n for n in npz.files if n.startswith("weights/")] == [f"weights/{i}" for i in
                                                                      range(4)]


def test_weights_round_trip(tmp_path):
    model = xor_model()
    model.save_weights(tmp_path / "xor.weights.npz")
    other = xor_model()
    other.load_weights(tmp_path / "xor.weights.npz")
    for a, b in zip(other.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_weights_of_another_architecture_are_refused_and_nothing_changes(tmp_path):
    xor_model().save_weights(tmp_path / "xor.weights.npz")
    wider = Sequential([Dense(5, input_dim=2, activation="relu"), Dense(1)])
    before = wider.get_weights()
    with pytest.raises(ValueError, match=r"weight 0 is float32 of shape \(2, 4\), the model "
                                         r"expects float32 of shape \(2, 5\)"):
        wider.load_weights(tmp_path / "xor.weights.npz")
    for a, b in zip(wider.get_weights(), before):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="the model has 2 weights, the file holds 4"):
        Sequential([Dense(4, input_dim=2)]).load_weights(tmp_path / "xor.weights.npz")
    with pytest.raises(ValueError, match="not built"):
        Sequential([Dense(4)]).load_weights(tmp_path / "xor.weights.npz")


def test_model_and_weights_files_are_not_confused(tmp_path):
    model = xor_model()
    model.save(tmp_path / "xor.pynn")
    model.save_weights(tmp_path / "xor.weights.npz")
    with pytest.raises(ValueError, match="a weights file: load it with model.load_weights"):
        load_model(tmp_path / "xor.weights.npz")
    model.load_weights(tmp_path / "xor.pynn")  # a model file's weights, as Keras reads them
    pynn.save({"w": np.zeros(2)}, tmp_path / "state.npz")
    with pytest.raises(ValueError, match="no header"):
        load_model(tmp_path / "state.npz")


def test_file_names(tmp_path):
    model = xor_model()
    with pytest.raises(ValueError, match=r"must end in `\.keras`, as Keras asks"):
        model.save(tmp_path / "xor.txt")
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`, as Keras asks"):
        model.save_weights(tmp_path / "xor.h5")
    for name in ("xor.keras", "xor.h5"):  # the names Keras takes, in pynn's format
        model.save(tmp_path / name)
        np.testing.assert_array_equal(load_model(tmp_path / name).predict(XOR_X, verbose=0),
                                      model.predict(XOR_X, verbose=0))
    model.save_weights(tmp_path / "xor.weights.h5")
    model.load_weights(tmp_path / "xor.weights.h5")
    model.save(str(tmp_path / "xor.pynn"))
    model.save(tmp_path / "xor.pynn")  # overwrite=True, as Keras
    with pytest.raises(FileExistsError):
        model.save(tmp_path / "xor.pynn", overwrite=False)
    with pytest.raises(FileNotFoundError):
        load_model(tmp_path / "missing.pynn")


def test_a_custom_activation_cannot_be_saved(tmp_path):
    model = Sequential([Dense(2, input_dim=2, activation=lambda t: t * 2)])
    with pytest.raises(ValueError, match="cannot be saved.*activation"):
        model.save(tmp_path / "m.pynn")
    assert not os.listdir(tmp_path)


def _my_loss(y_true, y_pred):
    return ops.mean(ops.square(y_pred - y_true))


def _my_metric(y_true, y_pred):
    return ops.mean(ops.abs(y_pred - y_true))


def test_a_custom_loss_is_saved_by_name_and_found_in_custom_objects(tmp_path):
    model = Sequential([Dense(1, input_dim=2)])
    model.compile(optimizer="adam", loss=_my_loss, metrics=[_my_metric, "mae"])
    model.fit(XOR_X, XOR_Y, epochs=2, verbose=0)
    model.save(tmp_path / "m.h5")
    with pytest.raises(ValueError, match="Could not interpret loss identifier: '_my_loss'.*"
                                         "custom_objects"):
        load_model(tmp_path / "m.h5")
    loaded = load_model(tmp_path / "m.h5",
                        custom_objects={"_my_loss": _my_loss, "_my_metric": _my_metric})
    assert loaded.compiled and loaded.loss is _my_loss
    np.testing.assert_allclose(loaded.evaluate(XOR_X, XOR_Y, verbose=0),
                               model.evaluate(XOR_X, XOR_Y, verbose=0), rtol=1e-6)
    loaded.fit(XOR_X, XOR_Y, epochs=1, verbose=0)
    assert not load_model(tmp_path / "m.h5", compile=False).compiled
    lam = Sequential([Dense(1, input_dim=2)])
    lam.compile(optimizer="adam", loss=lambda t, p: ((p - t) ** 2).mean())
    with pytest.warns(UserWarning, match="without its compile arguments"):
        lam.save(tmp_path / "lam.pynn")  # '<lambda>' names nothing a script could pass
    assert not load_model(tmp_path / "lam.pynn").compiled


def test_interrupted_model_save_leaves_the_old_file(tmp_path, monkeypatch):
    set_random_seed(0)
    model = xor_model()
    model.save(tmp_path / "xor.pynn")
    expected = model.predict(XOR_X, verbose=0)
    model.fit(XOR_X, XOR_Y, epochs=20, verbose=0)

    def crash(src, dst):
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        model.save(tmp_path / "xor.pynn")
    monkeypatch.undo()
    np.testing.assert_array_equal(load_model(tmp_path / "xor.pynn").predict(XOR_X, verbose=0),
                                  expected)
    assert os.listdir(tmp_path) == ["xor.pynn"]


# --- hostile and damaged model files -------------------------------------------------------------

@pytest.fixture
def saved(tmp_path):
    """A trained model's file, to be forged by each test."""
    set_random_seed(0)
    x, y = blobs()
    model = digits_like_model()
    model.fit(x, y, epochs=1, batch_size=32, verbose=0)
    path = tmp_path / "m.pynn"
    model.save(path)
    return path


def layer(h, i):
    return h["model"]["config"]["layers"][i]


@pytest.mark.parametrize("forge, match", [
    (lambda h: layer(h, 1).update(class_name="NoSuchLayer"), "Unknown layer: 'NoSuchLayer'"),
    (lambda h: layer(h, 1).update(class_name="__import__('os').system('ls')"),
     "Unknown layer"),
    (lambda h: layer(h, 1).update(class_name="Sequential"), "Unknown layer: 'Sequential'"),
    (lambda h: layer(h, 1)["config"].update(units="16"), "units: expected a positive integer"),
    (lambda h: layer(h, 1)["config"].update(units=-3), "units"),
    (lambda h: layer(h, 1)["config"].update(activation="os.system"),
     "Could not interpret activation"),
    (lambda h: layer(h, 1)["config"].update(kernel_initializer={"class_name": "eval"}),
     "Could not interpret initializer identifier"),
    (lambda h: layer(h, 1)["config"].update(evil=1),
     "Unrecognized keyword arguments passed to Dense: {'evil': 1}"),
    (lambda h: layer(h, 1).update(config=[1, 2]), "Expected a layer config"),
    (lambda h: layer(h, 1)["config"].update(units=10**12),
     r"weight of shape \(4, 1000000000000\), more values than the file's weights hold"),
    (lambda h: layer(h, 0)["config"].update(batch_shape=[None, 10**12]),
     "more values than the file's weights hold"),
    (lambda h: layer(h, 2)["config"].update(use_bias=True),
     "more values than the file's weights hold"),
    (lambda h: layer(h, 3)["config"].update(use_bias=False),
     "the model has 4 weights, the file holds 5"),
    (lambda h: h["model"].update(class_name="Functional"), "functional model config"),
    (lambda h: h["model"].update(class_name="Conv2D"), "Unknown model class 'Conv2D'"),
    (lambda h: h["model"]["config"].update(layers="dense"), "'layers' list"),
    (lambda h: h.update(version=3), "version 3 was written by a newer pynn"),
    (lambda h: h.update(version="1"), "invalid format version"),
    (lambda h: h.update(version=True), "invalid format version"),
    (lambda h: h.update(format="keras"), "unknown format 'keras'"),
    (lambda h: h.update(extra=1), "fields"),
    (lambda h: h.pop("rng_state"), "fields"),
    (lambda h: h.update(weights="6"), "'weights' has the wrong type"),
    (lambda h: h.update(weights=4), r"missing \[\], unexpected \[.weights/4.\]"),
    (lambda h: h.update(weights=10**9), "invalid weight count"),
    (lambda h: h["optimizer"].append("../../etc"), "missing \\['optimizer/../../etc'\\]"),
    (lambda h: h["optimizer"].append(3), "optimizer entries must be names"),
    (lambda h: h["compile"].update(optimizer="evil"),
     "Could not interpret optimizer identifier: 'evil'"),
    (lambda h: h["compile"].update(optimizer={"class_name": "Adam",
                                              "config": {"learning_rate": "0.1"}}),
     "learning_rate"),
    (lambda h: h["compile"].update(optimizer={"class_name": "Adam",
                                              "config": {"beta_1": "7"}}), "beta_1"),
    (lambda h: h["compile"].update(loss={"class_name": "os.system", "config": {}}),
     "Could not interpret loss identifier"),
    (lambda h: h["compile"].update(metrics=["accuracy", "exec"]), "Could not interpret metric identifier: 'exec'"),
    (lambda h: h["compile"].update(run="rm -rf"), "compile arguments must be"),
    (lambda h: h.update(rng_state={"bit_generator": "MT19937"}), "rng_state"),
    (lambda h: h["rng_state"].update(state="x"), "invalid rng_state"),
])
def test_forged_headers_are_refused(saved, forge, match):
    rewrite(saved, header=forge)
    with pytest.raises(ValueError, match=match):
        load_model(saved)


def put(name, value):
    return lambda arrays: arrays.__setitem__(name, value)


@pytest.mark.parametrize("forge, match", [
    (put("weights/0", np.zeros((4, 16))), "weight 0 is float64 of shape \\(4, 16\\)"),
    (put("weights/0", np.zeros((4, 15), np.float32)), "more values than the file's weights hold"),
    (put("weights/0", np.zeros((5, 16), np.float32)), "weight 0 is float32 of shape \\(5, 16\\)"),
    (put("weights/9", np.zeros(3, np.float32)), "unexpected \\['weights/9'\\]"),
    (lambda a: a.pop("weights/2"), "missing \\['weights/2'\\]"),
    (lambda a: a.pop("optimizer/0/exp_avg"), "missing"),
    (put("header", np.frombuffer(b'{"format": 1}', np.uint8)), "no header"),
    (put("header", np.array("{not json")), "corrupt header"),
    (put("header", np.array("[" * 100000 + "]" * 100000)), "corrupt header"),
    (put("header", np.array("[1, 2]")), "not a JSON object"),
    (put("optimizer/0/step", np.array(2.5)), "'0/step' must be an integer scalar"),
    (put("optimizer/iterations", np.array([1, 2])), "'iterations' must be an integer scalar"),
    (put("optimizer/0/exp_avg", np.zeros((4, 16))), "'0/exp_avg' is float64"),
    (put("optimizer/0/exp_avg", np.zeros((3, 16), np.float32)), "shape"),
])
def test_forged_arrays_are_refused(saved, forge, match):
    rewrite(saved, arrays=forge)
    with pytest.raises(ValueError, match=match):
        load_model(saved)


def test_unknown_optimizer_entries_are_refused(saved):
    def add_entry(h):
        h["optimizer"].append("0/evil")
    rewrite(saved, header=add_entry, arrays=put("optimizer/0/evil", np.zeros((4, 16), np.float32)))
    with pytest.raises(ValueError, match="evil"):
        load_model(saved)


def test_a_pickle_inside_a_model_file_is_refused(saved, tmp_path):
    with np.load(saved, allow_pickle=False) as npz:
        content = dict(npz)
    content["weights/0"] = np.array([{"a": 1}], dtype=object)
    with open(saved, "wb") as f:
        np.savez(f, **content)  # NumPy pickles the object array
    with pytest.raises(ValueError, match="pickled"):
        load_model(saved)


def test_damaged_model_files_are_refused(saved):
    raw = saved.read_bytes()
    rng = np.random.default_rng(0)
    for length in rng.integers(0, len(raw), 40):
        saved.write_bytes(raw[:length])
        with pytest.raises(ValueError):
            load_model(saved)
    for i in rng.integers(0, len(raw), 150):
        damaged = bytearray(raw)
        damaged[i] ^= 0x55
        saved.write_bytes(bytes(damaged))
        try:
            load_model(saved)
        except ValueError:
            pass


def forged_text(header, trail, raw):
    """The header as JSON text with the value at trail (its keys and indexes) replaced by the
    JSON text raw, which may be what json.dumps never writes: 1e999, NaN, a 400-digit integer."""
    header = json.loads(json.dumps(header))
    node = header
    for key in trail[:-1]:
        node = node[key]
    node[trail[-1]] = "@@RAW@@"
    return json.dumps(header).replace('"@@RAW@@"', raw)


def write_npz(path, content):
    """np.savez, quicker than a save (no fsync), to the path as named (np.savez adds '.npz')."""
    with open(path, "wb") as f:
        np.savez(f, **content)


HUGE_NUMBERS = ["1e999", "-1e999", "1" + "0" * 400, "-" + "9" * 400, "NaN", "Infinity",
                "-Infinity", "1" + "0" * 5000]


@pytest.mark.parametrize("trail", [
    ("compile", "optimizer", "config", "learning_rate"),
    ("compile", "optimizer", "config", "beta_2"),
    ("model", "config", "layers", 1, "config", "units"),
    ("rng_state", "state", "state"),
    ("version",),
], ids=lambda trail: ".".join(map(str, trail)))
@pytest.mark.parametrize("raw", HUGE_NUMBERS, ids=lambda raw: raw[:8])
def test_numbers_no_float_holds_are_refused(saved, trail, raw):
    """1e999 parses as inf and float() of a 400-digit integer raises OverflowError: both are a
    ValueError naming the file, as NaN and Infinity (not JSON) are."""
    header, content = header_of(saved)
    content["header"] = np.array(forged_text(header, trail, raw))
    write_npz(saved, content)
    with pytest.raises(ValueError, match=re.escape(str(saved))):
        load_model(saved)


@pytest.mark.parametrize("metric, match", [
    ({"class_name": "BinaryAccuracy", "config": {"threshold": "high"}}, "threshold"),
    ({"class_name": "BinaryAccuracy", "config": {"threshold": 0.5, "evil": 1}}, "evil"),
    ({"class_name": "SparseCategoricalAccuracy", "config": [1]}, "metric 1"),
    ({"class_name": "SparseCategoricalAccuracy", "config": None}, "metric 1"),
    ({"class_name": "SparseCategoricalAccuracy", "config": {"name": ["acc"]}},
     "name: expected a str, got \\['acc'\\]"),
    ({"class_name": "SparseCategoricalAccuracy", "config": {}, "run": "x"}, "metric 1 must be"),
])
def test_metric_configs_are_checked_at_load(saved, metric, match):
    """compile() checks only a metric's class name and fit builds it: a bad config must fail
    at load, naming the file, not at the first fit."""
    rewrite(saved, header=lambda h: h["compile"]["metrics"].append(metric))
    with pytest.raises(ValueError, match=f"{re.escape(str(saved))}: .*{match}"):
        load_model(saved)


def test_a_metric_config_loads_and_trains(saved):
    metric = {"class_name": "SparseCategoricalAccuracy", "config": {"name": "hits"}}
    rewrite(saved, header=lambda h: h["compile"]["metrics"].append(metric))
    x, y = blobs()
    history = load_model(saved).fit(x, y, epochs=1, verbose=0)
    assert history.history["hits"] == history.history["accuracy"]


NASTY = [None, True, False, 0, -1, 2**70, 1.5, float("1e308"), "", "x", "relu", "Dense", [],
         [0], [None], {}, {"class_name": "Dense"}, {"units": 2}]
HOSTILE = [json.dumps(value) for value in NASTY] + HUGE_NUMBERS + [
    '"\\ud800"', '"\\u0000"', "[" * 5000 + "]" * 5000, "[" * 800 + "]" * 800,
    '{"a": ' * 800 + "1" + "}" * 800, str(2**64), str(-2**63 - 1), "1e-400", "-0.0"]


def paths_in(node, trail=()):
    """The trail of keys and indexes to every value under node, containers included."""
    for key, value in (node.items() if isinstance(node, dict) else enumerate(node)):
        yield trail + (key,)
        if isinstance(value, (dict, list)):
            yield from paths_in(value, trail + (key,))


def assert_only_clean_refusals(path, load, tries):
    """Every value of the file's header, containers too, replaced in turn by hostile JSON
    (tries of HOSTILE each): load(path) returns or raises a ValueError naming the file, never
    another exception."""
    header, content = header_of(path)
    rng = np.random.default_rng(0)
    for trail in paths_in(header):
        for i in rng.choice(len(HOSTILE), min(tries, len(HOSTILE)), replace=False):
            content["header"] = np.array(forged_text(header, trail, HOSTILE[i]))
            write_npz(path, content)
            try:
                load(path)
            except ValueError as exc:
                assert str(path) in str(exc), (trail, HOSTILE[i][:40], exc)
            except Exception as exc:
                raise AssertionError(f"{trail} = {HOSTILE[i][:40]}: "
                                     f"{type(exc).__name__}: {exc}") from exc


def test_any_forged_header_value_is_refused_cleanly(saved):
    assert_only_clean_refusals(saved, load_model, tries=4)


def test_any_forged_weights_header_value_is_refused_cleanly(tmp_path):
    model = xor_model()
    model.save_weights(tmp_path / "xor.weights.npz")
    assert_only_clean_refusals(tmp_path / "xor.weights.npz", model.load_weights,
                               tries=len(HOSTILE))
