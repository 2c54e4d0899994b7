"""Model and state-dict files: round trips, resumed training, and refusal of every damaged or
hostile file with a clear error (never a crash, never code execution)."""
import io
import os
import pickle
import zipfile

import numpy as np
import pytest

import pynn
from pynn import serialization


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


def write_zip(path, members, compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression) as zf:
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


def test_non_native_byte_order_is_read_as_native(tmp_path):
    np.savez(tmp_path / "big.npz", w=np.arange(3, dtype=">f4"))
    w = pynn.load(tmp_path / "big.npz")["w"]
    assert w.dtype == np.float32 and w.dtype.isnative
    np.testing.assert_array_equal(w, [0, 1, 2])


@pytest.mark.parametrize("bad, match", [
    ([np.zeros(2)], "expected a dict"),
    ({1: np.zeros(2)}, "keys must be str"),
    ({"w": np.array([object()], dtype=object)}, r"state_dict\['w'\]"),
    ({"w": "text"}, r"state_dict\['w'\]"),
])
def test_save_refuses_what_is_not_a_state_dict(tmp_path, bad, match):
    with pytest.raises(TypeError, match=match):
        pynn.save(bad, tmp_path / "x.npz")
    assert not os.listdir(tmp_path)


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
