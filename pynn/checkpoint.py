"""Checkpoints: nested dicts, lists and tuples of tensors, arrays and plain values (a model's
and an optimizer's state_dict, the epoch, the last loss), as scripts pass them to torch.save,
written in pynn's pickle-free file of named arrays.

pack() turns such an object into named arrays: each tensor or array under a name of its own
("checkpoint/0", ...), and the object's skeleton, with the plain values (numbers, strings,
booleans, None) in it, as UTF-8 JSON in one uint8 array named SKELETON. unpack() rebuilds the
object from them. Nothing in a file is executed when it is read: the skeleton is data, and
only the node kinds below are rebuilt.
"""
import json
import math
from collections import OrderedDict

import numpy as np

SKELETON = "pynn.checkpoint"
_PREFIX = "checkpoint/"
_KINDS = "biuf"  # the array kinds a pynn file holds


def is_flat_state_dict(obj):
    """Whether obj is a plain state_dict (str -> tensor or numeric array), the layout pynn.save
    has always written as it is."""
    from .tensor import Tensor
    return isinstance(obj, dict) and all(
        isinstance(k, str) and k != SKELETON and (
            isinstance(v, Tensor) or isinstance(v, np.ndarray) and v.dtype.kind in _KINDS)
        for k, v in obj.items())


def pack(obj):
    """{name: array} holding obj: its arrays, and its skeleton under SKELETON."""
    arrays = {}
    skeleton = _pack(obj, arrays, "state_dict" if isinstance(obj, dict) else "the object")
    text = json.dumps(skeleton, allow_nan=True)
    arrays[SKELETON] = np.frombuffer(text.encode("utf-8"), dtype=np.uint8).copy()
    return arrays


def _pack(obj, arrays, where):
    from .tensor import Tensor
    if obj is None or isinstance(obj, (bool, str)):
        return {"v": obj}
    if isinstance(obj, (int, np.integer)) and not isinstance(obj, np.bool_):
        return {"v": int(obj)}
    if isinstance(obj, (float, np.floating)):
        value = float(obj)
        return {"f": value if math.isfinite(value) else repr(value)}
    if isinstance(obj, np.bool_):
        return {"v": bool(obj)}
    if isinstance(obj, Tensor) or isinstance(obj, np.ndarray):
        data = obj._data if isinstance(obj, Tensor) else obj
        if data.dtype.kind not in _KINDS:
            raise TypeError(f"save: {where} is an array of {data.dtype}; a pynn file holds "
                            "numbers only")
        name = f"{_PREFIX}{len(arrays)}"
        arrays[name] = data
        return {"tensor" if isinstance(obj, Tensor) else "array": name}
    if isinstance(obj, dict):
        items = []
        for key, value in obj.items():
            if isinstance(key, bool) or not isinstance(key, (str, int, np.integer)):
                raise TypeError(f"save: {where} has a key of type {type(key).__name__}; "
                                "the keys of a dict saved must be str or int")
            key = key if isinstance(key, str) else int(key)
            items.append([key, _pack(value, arrays, f"{where}[{key!r}]")])
        return {"ordered" if isinstance(obj, OrderedDict) else "dict": items}
    if isinstance(obj, (list, tuple)):
        kind = "tuple" if isinstance(obj, tuple) else "list"
        return {kind: [_pack(v, arrays, f"{where}[{i}]") for i, v in enumerate(obj)]}
    hint = (" (save its state_dict() instead: pynn files hold no pickled objects)"
            if hasattr(obj, "state_dict") else "")
    raise TypeError(f"save: {where} is a {type(obj).__name__}, which a pynn file cannot hold: "
                    f"it holds tensors, arrays, numbers, strings, None, and dicts, lists and "
                    f"tuples of them{hint}")


def unpack(arrays, path):
    """The object pack() stored in these arrays (read from path)."""
    try:
        skeleton = json.loads(arrays[SKELETON].tobytes().decode("utf-8"))
        return _unpack(skeleton, arrays, path)
    except (UnicodeDecodeError, RecursionError) as exc:
        raise ValueError(f"{path}: corrupt checkpoint skeleton ({type(exc).__name__})") \
            from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: corrupt checkpoint skeleton ({exc})") from None


def _unpack(node, arrays, path):
    from .tensor import Tensor
    if not isinstance(node, dict) or len(node) != 1:
        raise ValueError(f"{path}: corrupt checkpoint skeleton (node {node!r:.60})")
    (kind, value), = node.items()
    if kind == "v" and (value is None or isinstance(value, (bool, int, str))):
        return value
    if kind == "f" and isinstance(value, (int, float, str)):
        if isinstance(value, str) and value not in ("inf", "-inf", "nan"):
            raise ValueError(f"{path}: corrupt checkpoint skeleton (float {value!r:.20})")
        return float(value)
    if kind in ("tensor", "array") and isinstance(value, str):
        if value not in arrays or not value.startswith(_PREFIX):
            raise ValueError(f"{path}: corrupt checkpoint (no array {value!r:.40})")
        return Tensor._make(arrays[value]) if kind == "tensor" else arrays[value]
    if kind in ("dict", "ordered") and isinstance(value, list):
        out = OrderedDict() if kind == "ordered" else {}
        for item in value:
            if not (isinstance(item, list) and len(item) == 2
                    and isinstance(item[0], (str, int)) and not isinstance(item[0], bool)):
                raise ValueError(f"{path}: corrupt checkpoint skeleton (entry {item!r:.60})")
            out[item[0]] = _unpack(item[1], arrays, path)
        return out
    if kind in ("list", "tuple") and isinstance(value, list):
        items = [_unpack(v, arrays, path) for v in value]
        return tuple(items) if kind == "tuple" else items
    raise ValueError(f"{path}: corrupt checkpoint skeleton (node kind {kind!r:.20})")
