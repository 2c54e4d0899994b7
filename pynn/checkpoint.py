"""Checkpoints: nested dicts, lists and tuples of tensors, arrays and plain values (a model's
and an optimizer's state_dict, the epoch, the last loss), as scripts pass them to torch.save,
written in pynn's pickle-free file of named arrays; and whole modules (torch.save(model, path)).

pack() turns such an object into named arrays: each tensor or array under a name of its own
("checkpoint/0", ...), and the object's skeleton, with the plain values (numbers, strings,
booleans, None) in it, as UTF-8 JSON in one uint8 array named SKELETON. unpack() rebuilds the
object from them. Nothing in a file is executed when it is read: the skeleton is data, and
only the node kinds below are rebuilt.

A whole module is stored as its class's name (module and qualified name), its parameters,
buffers and submodules, and its other attributes (plain values, tensors, and functions named by
module and name). As PyTorch 2.6 and later, pynn.load refuses such a file unless called with
weights_only=False, or the classes are allowed by serialization.add_safe_globals: rebuilding
imports the classes named in the file, which runs their modules' code. Only subclasses of
nn.Module are rebuilt, created without calling their __init__, as unpickling does.
"""
import importlib
import json
import math
import pickle
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
    from .nn.module import Module
    if isinstance(obj, Module):
        return _pack_module(obj, arrays, where)
    if callable(obj) and _global_name(obj) is not None:
        return {"function": _global_name(obj)}
    hint = (" (save its state_dict() instead: pynn files hold no pickled objects)"
            if hasattr(obj, "state_dict") else "")
    raise TypeError(f"save: {where} is a {type(obj).__name__}, which a pynn file cannot hold: "
                    f"it holds tensors, arrays, numbers, strings, None, and dicts, lists and "
                    f"tuples of them{hint}")


def unpack(arrays, path, objects=None):
    """The object pack() stored in these arrays (read from path); a whole module only when
    objects is True (load's weights_only=False) or its classes are allowed."""
    try:
        skeleton = json.loads(arrays[SKELETON].tobytes().decode("utf-8"))
        return _unpack(skeleton, arrays, path, objects)
    except (UnicodeDecodeError, RecursionError) as exc:
        raise ValueError(f"{path}: corrupt checkpoint skeleton ({type(exc).__name__})") \
            from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: corrupt checkpoint skeleton ({exc})") from None


def _unpack(node, arrays, path, objects=None):
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
            out[item[0]] = _unpack(item[1], arrays, path, objects)
        return out
    if kind in ("list", "tuple") and isinstance(value, list):
        items = [_unpack(v, arrays, path, objects) for v in value]
        return tuple(items) if kind == "tuple" else items
    if kind == "module":
        return _unpack_module(value, arrays, path, objects)
    if kind == "function" and isinstance(value, str):
        return _resolve(value, path, objects)
    raise ValueError(f"{path}: corrupt checkpoint skeleton (node kind {kind!r:.20})")


# ---- whole modules ----------------------------------------------------------------------------

_MODULE_INTERNALS = ("_parameters", "_buffers", "_modules", "_forward_hooks",
                     "_forward_pre_hooks", "training")
_SAFE_GLOBALS = set()  # classes and functions serialization.add_safe_globals allowed


def _global_name(obj):
    """'module:qualified.name' of a class or function importable by that name, else None."""
    module, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
    if not module or not qualname or "<" in qualname:
        return None
    return f"{module}:{qualname}"


def _pack_module(module, arrays, where):
    name = _global_name(type(module))
    if name is None:
        raise TypeError(f"save: {where} is a {type(module).__name__} defined inside a function; "
                        "only a class defined at a module's top level can be saved whole "
                        "(or save its state_dict())")
    entries = []
    for key, value in module.__dict__.items():
        if key in _MODULE_INTERNALS:
            continue
        at = f"{where}.{key}"
        if key in module._parameters:
            node = {"v": None} if value is None else {
                "parameter": [_pack(value._data, arrays, at)["array"], bool(value.requires_grad)]}
            entries.append([key, "parameter", node])
        elif key in module._buffers:
            entries.append([key, "buffer", _pack(value, arrays, at)])
        elif key in module._modules:
            entries.append([key, "module", _pack(value, arrays, at)])
        else:
            entries.append([key, "attribute", _pack(value, arrays, at)])
    return {"module": {"class": name, "training": bool(module.training), "entries": entries}}


def _resolve(name, path, objects):
    """The class or function named 'module:qualname' in a file, if loading may import it."""
    allowed = {_global_name(g) for g in _SAFE_GLOBALS}
    if objects is not True and name not in allowed:
        raise pickle.UnpicklingError(
            f"Weights only load failed. This file can still be loaded, to do so you have two "
            f"options, do those steps only if you trust the source of the checkpoint. \n\t(1) "
            f"In PyTorch 2.6, we changed the default value of the `weights_only` argument in "
            f"`torch.load` from `False` to `True`. Re-running `torch.load` with `weights_only` "
            f"set to `False` will likely succeed, but it can result in arbitrary code "
            f"execution. Do it only if you got the file from a trusted source.\n\t(2) "
            f"Alternatively, to load with `weights_only=True` please check the recommended "
            f"steps in the following error message.\n\tWeightsUnpickler error: Unsupported "
            f"global: GLOBAL {name.replace(':', '.')} was not an allowed global by default. "
            f"Please use `torch.serialization.add_safe_globals([{name.split(':')[1]}])` or "
            f"the `torch.serialization.safe_globals([{name.split(':')[1]}])` context manager "
            f"to allowlist this global if you trust this class/function. ({path})")
    module_name, _, qualname = name.partition(":")
    try:
        found = importlib.import_module(module_name)
        for part in qualname.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError):
        raise AttributeError(f"{path}: Can't get attribute {qualname!r} on module "
                             f"{module_name!r} (define the class before loading the model)") \
            from None
    return found


def _unpack_module(value, arrays, path, objects):
    from .nn.module import Module, Parameter
    from .tensor import Tensor
    if not (isinstance(value, dict) and isinstance(value.get("class"), str)
            and isinstance(value.get("entries"), list)):
        raise ValueError(f"{path}: corrupt checkpoint skeleton (module {value!r:.60})")
    cls = _resolve(value["class"], path, objects)
    if not (isinstance(cls, type) and issubclass(cls, Module)):
        raise ValueError(f"{path}: {value['class']} is not an nn.Module; only modules are "
                         "rebuilt")
    module = cls.__new__(cls)
    Module.__init__(module)
    for entry in value["entries"]:
        if not (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)):
            raise ValueError(f"{path}: corrupt checkpoint skeleton (entry {entry!r:.60})")
        key, kind, node = entry
        if kind == "parameter":
            if node == {"v": None}:
                module.register_parameter(key, None)
                continue
            name, requires_grad = node["parameter"]
            data = _unpack({"array": name}, arrays, path, objects)
            module.register_parameter(key, Parameter(Tensor._make(data),
                                                     requires_grad=bool(requires_grad)))
        elif kind == "buffer":
            transient = module.__dict__.get("_non_persistent_buffers", {})
            module.register_buffer(key, _unpack(node, arrays, path, objects),
                                   persistent=key not in transient)
        elif kind == "module":
            module.add_module(key, _unpack(node, arrays, path, objects))
        elif kind == "attribute":
            object.__setattr__(module, key, _unpack(node, arrays, path, objects))
        else:
            raise ValueError(f"{path}: corrupt checkpoint skeleton (entry kind {kind!r:.20})")
    object.__setattr__(module, "training", bool(value.get("training", True)))
    return module
