"""Files of named arrays, without pickle: `pynn.save(state_dict, path)` and `pynn.load(path)`,
and the reader and writer under pynn.keras's model files.

A file is a NumPy .npz archive (a zip of uncompressed .npy members), so `np.load` opens it too.
Writing is atomic: the archive goes to a temporary file `.<name>.<host>-<pid>.<random>.tmp` in
the file's folder, is flushed to disk, then renamed over the file, so a crash mid-save leaves the
old file, never half of a new one. Otherwise a save overwrites as np.save does: through a symlink
it writes the file the link names (the link stays a link); the file keeps its mode bits, owner
and group; a new file gets 0o666 & ~umask. A file with other hard links is written in place
(truncated, written, flushed), so that every name sees the new content: not atomic, but a rename
would leave the other names on the old content. So is a file whose owner or group this process
cannot give a new file (another user's). A save also removes what killed saves to the same file
left behind: temporaries whose writer, on this host, is gone, and any untouched for 12 hours.
Array names the archive could not give back identically are refused.
Reading trusts nothing in the file: arrays of Python objects (pickles) are refused, and every
size the file declares is checked against the bytes it holds before anything is allocated, so a
hostile or damaged file gets a ValueError, never code execution or a huge allocation.
"""
import os
import re
import reprlib
import stat
import struct
import time
import uuid
import zipfile
import zlib

import numpy as np

from . import checkpoint
from .tensor import Tensor

NUMERIC_KINDS = "biuf"  # bool, signed and unsigned integers, floats: what a state dict holds

# After `.<name>.`, a temporary file's name: writer (CRC of the host name, pid), random part.
# Temporaries of earlier pynn versions have no writer.
_TEMPORARY = re.compile(r"(?:(?P<host>[0-9a-f]{8})-(?P<pid>[0-9]{1,10})\.)?[0-9a-f]{12}\.tmp")
# Seconds untouched after which any temporary is a leftover: a running save writes without pause,
# and a writer on another host (a shared folder) cannot be asked whether it runs.
_STALE_AFTER = 12 * 3600

# What a damaged archive makes zipfile or numpy raise (OSError: a seek to a corrupt offset;
# NotImplementedError: a zip feature or version number zipfile does not know).
_CORRUPT = (zipfile.BadZipFile, EOFError, OSError, ValueError, struct.error, OverflowError,
            NotImplementedError)


class _Refused(ValueError):
    """A fault found by the checks here: its message already names the file and the fault."""


def save(obj, f, **kwargs):
    """Save obj to the file path f, atomically, as torch.save does: a state_dict (a dict of
    name -> tensor or array, e.g. `model.state_dict()`), a tensor, or a checkpoint: nested
    dicts, lists and tuples of tensors, arrays and plain values ({"epoch": 5, "model":
    model.state_dict(), "optimizer": opt.state_dict()}), stored as named arrays by
    pynn.checkpoint; or a whole module (torch.save(model, path)), stored as its class's name,
    its attributes and its arrays. Other objects (an optimizer) are refused: no pickles.

    The file is an uncompressed .npz: `pynn.load(path)` or `np.load(path)` reads it back.
    """
    if checkpoint.is_flat_state_dict(obj):
        write_arrays(f, {name: value._data if isinstance(value, Tensor) else value
                         for name, value in obj.items()})
    else:
        write_arrays(f, checkpoint.pack(obj))


def load(f, map_location=None, weights_only=None, **kwargs):
    """Load what `pynn.save` wrote: a dict of name -> tensor (e.g. for `load_state_dict`), or
    the checkpoint as it was saved; map_location is accepted as torch.load takes it (everything
    is on the CPU). A whole module saved by torch.save(model, path) is rebuilt only with
    weights_only=False (or its classes allowed by add_safe_globals), as PyTorch 2.6 and later:
    rebuilding imports the classes the file names."""
    arrays = read_arrays(f)
    if checkpoint.SKELETON in arrays:
        return checkpoint.unpack(arrays, as_path(f), objects=weights_only is False)
    return {name: Tensor._make(arr) for name, arr in arrays.items()}


def add_safe_globals(safe_globals):
    """Allow load (weights_only=True, the default) to rebuild modules of these classes, and
    these functions, as torch.serialization.add_safe_globals."""
    for item in safe_globals:
        checkpoint._SAFE_GLOBALS.add(item[0] if isinstance(item, tuple) else item)


def get_safe_globals():
    return list(checkpoint._SAFE_GLOBALS)


def clear_safe_globals():
    checkpoint._SAFE_GLOBALS.clear()


class safe_globals:
    """A context manager allowing these classes and functions while it is active."""

    def __init__(self, safe_globals):
        self.items = [g[0] if isinstance(g, tuple) else g for g in safe_globals]

    def __enter__(self):
        self.added = [g for g in self.items if g not in checkpoint._SAFE_GLOBALS]
        checkpoint._SAFE_GLOBALS.update(self.added)
        return self

    def __exit__(self, *exc):
        checkpoint._SAFE_GLOBALS.difference_update(self.added)
        return False


def write_arrays(path, arrays):
    """Write name -> ndarray to path as an uncompressed .npz: atomically, through symlinks,
    keeping the file's mode and owner; in place if it has other hard links (see the module doc).
    """
    path = as_path(path)
    if not path:
        raise ValueError("save: expected a file path, got an empty string")
    if os.path.isdir(path):
        raise IsADirectoryError(f"save: {path} is a directory; expected a file path")
    for name in arrays:
        fault = _name_fault(name, arrays)
        if fault:
            raise ValueError(f"save: cannot store the array name {reprlib.repr(name)}: {fault}")
    target = os.path.realpath(path)  # a symlink's file: the link stays a link
    folder, base = os.path.split(target)
    _remove_stale_temporaries(folder, base)
    try:
        old = os.stat(target)
    except FileNotFoundError:
        old = None
    if old is not None and old.st_nlink > 1:
        _write_in_place(target, arrays)
        return
    tmp = os.path.join(folder, f".{base}.{_host()}-{os.getpid()}.{uuid.uuid4().hex[:12]}.tmp")
    # A new file: 0o666 & ~umask, as open() makes it. Replacing one: private until given its mode.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                 0o666 if old is None else 0o600)
    try:
        with open(fd, "wb") as f:
            atomic = old is None or _take_owner_and_mode(f.fileno(), old)
            if atomic:
                _write_zip(f, arrays)
        if atomic:
            os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    if atomic:
        _sync_folder(folder)
    else:
        os.remove(tmp)
        _write_in_place(target, arrays)


def read_arrays(path, kinds=NUMERIC_KINDS):
    """Read every array of an .npz written by `write_arrays`, refusing anything else.

    kinds: the dtype kinds accepted (NumPy's dtype.kind letters); object arrays never are.
    Raises FileNotFoundError for a missing path and ValueError, naming the path and the fault,
    for a file that is not such an archive or is corrupt, truncated or hostile.
    """
    path = as_path(path)
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if not zipfile.is_zipfile(f):
            raise ValueError(f"{path}: not a pynn file (it is not an .npz archive)")
        try:
            with zipfile.ZipFile(f) as zf:
                return {_array_name(path, info, size): _read_member(path, zf, info, kinds)
                        for info in _members(path, f, zf)}
        except _Refused:
            raise
        except _CORRUPT as exc:
            raise ValueError(f"{path}: corrupt or truncated file ({exc})") from exc


def as_path(path):
    """path as a str, from a str or an os.PathLike such as pathlib.Path."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"expected a file path (str or os.PathLike), got {type(path).__name__}")
    return os.fspath(path)


def _sync_folder(folder):
    """Flush the folder's entry for the renamed file to disk too (POSIX; Windows has no need)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_zip(f, arrays):
    """The archive of arrays written to the open file f and flushed to disk."""
    with zipfile.ZipFile(f, "w", zipfile.ZIP_STORED) as zf:
        for name, arr in arrays.items():
            # force_zip64: the member's size is not known before it is written
            with zf.open(name + ".npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.asarray(arr), allow_pickle=False)
    f.flush()
    os.fsync(f.fileno())


def _write_in_place(target, arrays):
    """Overwrite the file itself, as np.save does: every hard link sees the new content, but a
    crash mid-save leaves a truncated file."""
    with open(target, "wb") as f:
        _write_zip(f, arrays)


def _take_owner_and_mode(fd, old):
    """Give the new file (fd) the owner, group and mode bits of the file it replaces (os.stat
    result old); False if this process may not (the file is another user's)."""
    if os.name != "posix":
        return True
    new = os.fstat(fd)
    try:
        if (new.st_uid, new.st_gid) != (old.st_uid, old.st_gid):
            os.fchown(fd, old.st_uid, old.st_gid)
        if stat.S_IMODE(new.st_mode) != stat.S_IMODE(old.st_mode):
            os.fchmod(fd, stat.S_IMODE(old.st_mode))  # after fchown, which clears set-id bits
    except OSError:
        return False
    return True


def _name_fault(name, names):
    """Why the archive could not give back the array name identically, or None."""
    if "\0" in name:
        return "it holds a NUL character, where zip readers cut the name"
    if "\\" in name:
        return "it holds a backslash, which zip readers on Windows turn into '/'"
    try:
        size = len(name.encode("utf-8"))
    except UnicodeEncodeError:
        return "it is not valid Unicode (it holds a lone surrogate)"
    if size > 0xFFFF - len(".npy"):
        return f"it is {size} bytes in UTF-8, over the 65531 a zip member name has beside '.npy'"
    if name.endswith(".npy") and name[:-len(".npy")] in names:
        return f"np.load would read it as {name[:-len('.npy')]!r}, also a name in this file"
    return None


def _host():
    """This host's name as 8 hex digits (a CRC): with the pid, a temporary file's writer."""
    node = os.uname().nodename if hasattr(os, "uname") else ""
    return f"{zlib.crc32(os.fsencode(node)):08x}"


def _remove_stale_temporaries(folder, base):
    """Remove the temporaries that killed saves to folder/base left behind: those whose writer
    ran on this host and is gone, and any untouched for _STALE_AFTER seconds. Best effort: a
    file another process removes first, or may not be removed, is left to it."""
    prefix, host, now = f".{base}.", _host(), time.time()
    try:
        with os.scandir(folder) as scan:
            entries = [entry for entry in scan if entry.name.startswith(prefix)]
    except OSError:
        return
    for entry in entries:
        match = _TEMPORARY.fullmatch(entry.name, len(prefix))
        if match is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            gone = match["host"] == host and not _running(int(match["pid"]))
            if gone or now - entry.stat(follow_symlinks=False).st_mtime > _STALE_AFTER:
                os.remove(entry.path)
        except OSError:
            pass


def _running(pid):
    """Whether a process pid runs on this host (POSIX; elsewhere it is assumed to run, since
    Windows' os.kill ends the process)."""
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):  # PermissionError: it runs, as another user
        pass
    return True


def _members(path, f, zf):
    """The archive's members, once checked to fill it end to end: each begins where the one
    before ended and the last ends where the zip's directory begins. A damaged directory can
    otherwise hide members from zipfile without an error."""
    infos = sorted(zf.infolist(), key=lambda info: info.header_offset)
    end = 0
    for info in infos:
        if info.header_offset != end:
            raise _Refused(f"{path}: corrupt file (member {info.filename!r} starts at byte "
                           f"{info.header_offset}, expected {end})")
        f.seek(info.header_offset + 26)  # a zip local header: 26 bytes, 2 lengths, name, extra
        name_length, extra_length = struct.unpack("<HH", f.read(4))
        end = info.header_offset + 30 + name_length + extra_length + info.compress_size
    if end != zf.start_dir:
        raise _Refused(f"{path}: corrupt file (its members end at byte {end}, its directory "
                       f"starts at byte {zf.start_dir})")
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise _Refused(f"{path}: corrupt file (an archive member name appears twice)")
    return infos


def _array_name(path, info, size):
    """The array's name, once the member's zip entry is checked: a plain stored .npy member,
    no bigger than the whole file."""
    if not info.filename.endswith(".npy"):
        raise _Refused(f"{path}: unexpected member {info.filename!r} (only .npy arrays belong)")
    if info.flag_bits & 0x1:
        raise _Refused(f"{path}: member {info.filename!r} is encrypted")
    if info.compress_type != zipfile.ZIP_STORED:
        raise _Refused(f"{path}: member {info.filename!r} is compressed; pynn files are "
                       "written uncompressed (np.savez, not np.savez_compressed)")
    if info.file_size > size:
        raise _Refused(f"{path}: member {info.filename!r} declares {info.file_size} bytes, "
                       f"more than the file's {size}: truncated or corrupt")
    return info.filename[:-len(".npy")]


def _read_member(path, zf, info, kinds):
    """One .npy member: its header is checked (dtype kind, declared size == stored size) before
    NumPy reads the data, with allow_pickle=False."""
    where = f"{path}: array {info.filename[:-4]!r}"
    with zf.open(info) as member:
        version = np.lib.format.read_magic(member)
        if version not in ((1, 0), (2, 0)):
            raise _Refused(f"{where} has .npy format version {version}, expected 1.0 or 2.0")
        read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                       else np.lib.format.read_array_header_2_0)
        try:
            shape, _, dtype = read_header(member)  # (shape, fortran_order, dtype)
        except Exception as exc:  # NumPy parses the header as a Python literal: any error
            raise _Refused(f"{where} has a corrupt .npy header ({type(exc).__name__})") from None
        if dtype.hasobject:
            raise _Refused(f"{where} holds Python objects (pickled data): refused, a pynn "
                           "file only holds numbers")
        if dtype.kind not in kinds or dtype.fields is not None:
            raise _Refused(f"{where} has dtype {dtype}, expected one of kinds {kinds!r}")
        declared = member.tell() + int(np.prod(shape, dtype=object)) * dtype.itemsize
        if declared != info.file_size:
            raise _Refused(f"{where} declares shape {shape} of {dtype} ({declared} bytes with "
                           f"its header) but holds {info.file_size} bytes: truncated or corrupt")
    with zf.open(info) as member:
        arr = np.lib.format.read_array(member, allow_pickle=False)
        member.read()  # to the end of the member, so zipfile checks its CRC
    return arr.astype(arr.dtype.newbyteorder("="), copy=False)
