"""How a save treats the file it overwrites, as np.save would: mode bits, owner, symlinks and
hard links kept; and the temporary files of killed saves cleaned up by a later save, never a
running save's."""
import os
import signal
import stat
import subprocess
import sys
import time

import numpy as np
import pytest

import pynn
from pynn import serialization
from pynn.keras.layers import Dense
from pynn.keras.models import Sequential, load_model

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX modes, owners and links")
as_root = pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0,
                             reason="giving a file another owner needs root")


def save_model(path, units=2):
    Sequential([Dense(units, input_dim=3)]).save(path)


def units(path):
    return load_model(path).get_weights()[0].shape[1]


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask():
    """Sets the process's umask for the test, then restores it."""
    old = os.umask(0o022)
    yield os.umask
    os.umask(old)


# --- modes ---------------------------------------------------------------------------------------

@posix_only
@pytest.mark.parametrize("private", [0o600, 0o640, 0o444], ids=oct)
def test_a_save_keeps_the_file_mode(tmp_path, umask, private):
    umask(0o022)
    path = tmp_path / "m.pynn"
    save_model(path)
    os.chmod(path, private)
    save_model(path, units=5)
    assert mode(path) == private and units(path) == 5
    pynn.save({"w": np.zeros(2)}, tmp_path / "sd.npz")
    os.chmod(tmp_path / "sd.npz", private)
    pynn.save({"w": np.ones(2)}, tmp_path / "sd.npz")
    assert mode(tmp_path / "sd.npz") == private


@posix_only
@pytest.mark.parametrize("mask", [0o022, 0o027, 0o077, 0o002], ids=oct)
def test_a_new_file_gets_the_mode_open_gives(tmp_path, umask, mask):
    """0o666 & ~umask, as open(path, 'w') makes it: not the 0o600 of a mkstemp file."""
    umask(mask)
    pynn.save({"w": np.zeros(2)}, tmp_path / "sd.npz")
    with open(tmp_path / "by_open", "w"):
        pass
    assert mode(tmp_path / "sd.npz") == 0o666 & ~mask == mode(tmp_path / "by_open")


@as_root
def test_a_save_keeps_the_owner_and_group(tmp_path):
    path = tmp_path / "sd.npz"
    pynn.save({"w": np.zeros(2)}, path)
    os.chown(path, 65534, 65534)
    os.chmod(path, 0o640)
    pynn.save({"w": np.ones(2)}, path)
    info = os.stat(path)
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (65534, 65534, 0o640)
    np.testing.assert_array_equal(pynn.load(path)["w"], np.ones(2))


@as_root
def test_another_users_file_is_written_in_place(tmp_path, monkeypatch):
    """A process that may not give a new file the old one's owner (any but root) overwrites the
    file itself, as np.save does, rather than taking it over."""
    path = tmp_path / "sd.npz"
    pynn.save({"w": np.zeros(2)}, path)
    os.chown(path, 65534, 65534)
    inode = os.stat(path).st_ino

    def refuse(fd, uid, gid):
        raise PermissionError("not permitted")
    monkeypatch.setattr(os, "fchown", refuse)
    pynn.save({"w": np.ones(2)}, path)
    info = os.stat(path)
    assert (info.st_ino, info.st_uid, info.st_gid) == (inode, 65534, 65534)
    np.testing.assert_array_equal(pynn.load(path)["w"], np.ones(2))
    assert os.listdir(tmp_path) == ["sd.npz"]


# --- links ---------------------------------------------------------------------------------------

@posix_only
def test_a_save_writes_through_a_symlink(tmp_path):
    """The link stays a link, the file it names gets the new model, and the temporary file is
    made beside that file (so the rename is atomic), not beside the link."""
    (tmp_path / "links").mkdir()
    (tmp_path / "models").mkdir()
    real = tmp_path / "models" / "v1.pynn"
    save_model(real)
    os.chmod(real, 0o600)
    link = tmp_path / "links" / "latest.pynn"
    os.symlink("../models/v1.pynn", link)
    hop = tmp_path / "links" / "current.pynn"  # a link to the link
    os.symlink("latest.pynn", hop)

    save_model(link, units=5)
    assert os.readlink(link) == "../models/v1.pynn" and os.readlink(hop) == "latest.pynn"
    assert units(real) == 5 and mode(real) == 0o600
    save_model(hop, units=7)
    assert os.path.islink(hop) and os.path.islink(link) and units(real) == 7
    assert sorted(os.listdir(tmp_path / "links")) == ["current.pynn", "latest.pynn"]
    assert os.listdir(tmp_path / "models") == ["v1.pynn"]


@posix_only
def test_a_dangling_symlink_gets_its_file(tmp_path):
    link = tmp_path / "sd.npz"
    os.symlink("real.npz", link)
    pynn.save({"w": np.ones(2)}, link)
    assert os.path.islink(link) and (tmp_path / "real.npz").is_file()
    np.testing.assert_array_equal(pynn.load(tmp_path / "real.npz")["w"], np.ones(2))


@posix_only
def test_every_hard_link_sees_the_new_content(tmp_path):
    """A rename cannot update both names of a hard-linked file: it is written in place."""
    a, b = tmp_path / "a.pynn", tmp_path / "b.pynn"
    save_model(a)
    os.link(a, b)
    os.chmod(a, 0o600)
    save_model(a, units=5)
    assert units(a) == units(b) == 5
    assert os.path.samefile(a, b) and os.stat(a).st_nlink == 2 and mode(b) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["a.pynn", "b.pynn"]


# --- temporaries of killed saves -----------------------------------------------------------------

# A save that stops, alive, once its first array (40 MB) is in its temporary file: it prints
# "writing" and waits to be killed.
PAUSED_SAVE = """
import sys, time
import numpy as np
import pynn
write_array = np.lib.format.write_array
def pause_on_second(*args, calls=[], **kwargs):
    calls.append(1)
    if len(calls) == 2:
        print("writing", flush=True)
        time.sleep(60)
    return write_array(*args, **kwargs)
np.lib.format.write_array = pause_on_second
pynn.save({"big": np.ones(5_000_000), "small": np.ones(2)}, sys.argv[1])
"""


def start_paused_save(path):
    child = subprocess.Popen([sys.executable, "-c", PAUSED_SAVE, str(path)],
                             stdout=subprocess.PIPE, text=True, cwd=os.path.dirname(path))
    assert child.stdout.readline() == "writing\n"
    return child


def kill(child):
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()


def temporaries(folder):
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


@posix_only
def test_a_save_removes_what_killed_saves_left_and_spares_a_running_one(tmp_path):
    path = tmp_path / "sd.npz"
    pynn.save({"w": np.zeros(2)}, path)
    kill(start_paused_save(path))  # killed mid-write: its 40 MB temporary stays behind
    left = temporaries(tmp_path)
    assert len(left) == 1 and os.path.getsize(tmp_path / left[0]) > 40_000_000
    for _ in range(3):  # each later save removes the one before: the leftovers do not pile up
        kill(start_paused_save(path))
        assert len(temporaries(tmp_path)) == 1 and temporaries(tmp_path) != left
        left = temporaries(tmp_path)

    running = start_paused_save(path)
    try:
        assert temporaries(tmp_path) != left
        mine = temporaries(tmp_path)
        pynn.save({"w": np.ones(2)}, path)
        assert temporaries(tmp_path) == mine  # the running save's file is untouched
    finally:
        kill(running)
    pynn.save({"w": np.full(2, 2.0)}, path)
    assert temporaries(tmp_path) == []
    np.testing.assert_array_equal(pynn.load(path)["w"], np.full(2, 2.0))


def test_temporaries_that_cannot_be_checked_are_removed_after_12_hours(tmp_path):
    """A temporary from another host (a shared folder) or from an older pynn, without a
    writer in its name: removed once untouched for 12 hours. Other files are never touched."""
    path = tmp_path / "sd.npz"
    pynn.save({"w": np.zeros(2)}, path)
    host = serialization._host()
    other_host = "0123abcd" if host != "0123abcd" else "fedcba98"
    candidates = [f".sd.npz.{other_host}-1.0123456789ab.tmp", ".sd.npz.0123456789ab.tmp"]
    others = [".sd.npz.notes.tmp", "sd.npz.0123456789ab.tmp", f".sd.npz.{host}-1.xyz.tmp",
              f".other.npz.{other_host}-1.0123456789ab.tmp", ".other.npz.0123456789ab.tmp"]
    for name in candidates + others:
        (tmp_path / name).write_bytes(b"x")
    pynn.save({"w": np.ones(2)}, path)
    assert temporaries(tmp_path) == sorted(candidates + others)  # all fresh: kept

    day_ago = time.time() - 13 * 3600
    for name in candidates + others:
        os.utime(tmp_path / name, (day_ago, day_ago))
    pynn.save({"w": np.ones(2)}, path)
    assert temporaries(tmp_path) == sorted(others)
