"""How a save treats the file it overwrites, as np.save would: mode bits, owner, symlinks and
hard links kept."""
import os
import stat

import numpy as np
import pytest

import pynn
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
