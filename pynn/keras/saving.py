"""Model and weights files, as Keras's saving API writes them, in pynn's own format: a checked
record of a JSON header and arrays. This module reads and writes records; making a model from
one is the models' (pynn.keras.models.load_model, through each class's from_config).

model.save(path) accepts the names Keras takes, '.keras' and '.h5', and pynn's '.pynn';
model.save_weights(path) '.weights.h5' and pynn's '.weights.npz'. Whatever the name, the file is
pynn's format (Keras's own .keras and HDF5 files are neither written nor read): an uncompressed
.npz written atomically and read without pickle (pynn.serialization), holding
    header           JSON: format name and version, the architecture ({'class_name', 'config'}
                     of the model), the compile arguments, and the state of the model's
                     shuffling generator
    weights/<i>      model.get_weights(), in order
    optimizer/<key>  the optimizer's get_state(): its step counts and moments
so `fit` on a loaded model continues exactly as it would have without the save. A weights file
holds a header and weights/<i> only.

Reading trusts nothing in the file: every field is checked for its type, numbers no float
holds are refused, and anything wrong is a ValueError naming the file.
"""
import json
import math
import os
import sys
import warnings
from collections import namedtuple

import numpy as np

from .. import __version__, serialization
from . import layers, losses, metrics as metrics_module, optimizers

MODEL_FORMAT = "pynn.keras.model"
WEIGHTS_FORMAT = "pynn.keras.weights"
VERSION = 2
MODEL_SUFFIXES = (".keras", ".h5", ".pynn")
WEIGHTS_SUFFIXES = (".weights.h5", ".weights.npz")

# What a class's constructor raises for a bad config value, and json for a too deeply nested one.
BAD_CONFIG = (TypeError, ValueError, RecursionError, KeyError, IndexError, AttributeError,
              OverflowError)

ModelRecord = namedtuple("ModelRecord", ["path", "architecture", "compile", "weights",
                                         "optimizer_state", "rng_state"])


def save_model(model, filepath, overwrite=True):
    """Save the architecture, the weights and (if compiled) the compile arguments and the
    optimizer's state to one file, atomically."""
    path = _target(filepath, MODEL_SUFFIXES, overwrite, "model.save", "`.keras`")
    _check_reloadable(model)
    architecture = {"class_name": model._class_name(), "config": model.get_config()}
    compiled = _reloadable_compile(model.compile_config)
    state = model.optimizer.get_state() if compiled else {}
    arrays = {f"weights/{i}": w for i, w in enumerate(model.get_weights())}
    arrays.update({f"optimizer/{key}": value for key, value in state.items()})
    header = {"format": MODEL_FORMAT, "version": VERSION, "pynn_version": __version__,
              "model": architecture, "compile": compiled, "weights": len(model.weights),
              "optimizer": sorted(state), "rng_state": model._rng.bit_generator.state}
    serialization.write_arrays(path, {"header": _encode(header), **arrays})


def read_model(filepath):
    """The ModelRecord of a model file: its fields checked for their types, its arrays for
    their names (the architecture and the weights' shapes are the loader's to check)."""
    path = serialization.as_path(filepath)
    arrays = _read(path)
    header = _header(path, arrays, MODEL_FORMAT, {
        "model": dict, "compile": (dict, type(None)), "weights": int, "optimizer": list,
        "rng_state": dict})
    check(path, all(isinstance(key, str) for key in header["optimizer"]),
          "optimizer entries must be names")
    optimizer_keys = [f"optimizer/{key}" for key in header["optimizer"]]
    _check_members(path, arrays, header["weights"], optimizer_keys)
    architecture = header["model"]
    check(path, set(architecture) == {"class_name", "config"}
          and isinstance(architecture["class_name"], str)
          and isinstance(architecture["config"], dict),
          f"expected a model {{'class_name', 'config'}}, got {short(architecture)}")
    return ModelRecord(path, architecture, header["compile"],
                       [arrays[f"weights/{i}"] for i in range(header["weights"])],
                       {key[len("optimizer/"):]: arrays[key] for key in optimizer_keys},
                       header["rng_state"])


def save_weights(model, filepath, overwrite=True):
    """Save the model's weights (get_weights()) to a weights file, atomically."""
    path = _target(filepath, WEIGHTS_SUFFIXES, overwrite, "save_weights", "`.weights.h5`")
    weights = model.get_weights()
    header = {"format": WEIGHTS_FORMAT, "version": VERSION, "pynn_version": __version__,
              "weights": len(weights)}
    serialization.write_arrays(path, {"header": _encode(header),
                                      **{f"weights/{i}": w for i, w in enumerate(weights)}})


def load_weights(model, filepath):
    """Set the model's weights from a weights file (or a model file) saved from a model of the
    same architecture; nothing changes unless every weight fits."""
    path = serialization.as_path(filepath)
    if not model.built:
        raise ValueError(f"load_weights: the model is not built, so it has no weights to set "
                         f"from {path}; give it an Input (or the first layer input_shape), or "
                         "call model.build() first")
    arrays = _read(path)
    header = arrays.get("header")
    is_model = _format_of(header) == MODEL_FORMAT
    if is_model:
        weights = read_model(path).weights
    else:
        header = _header(path, arrays, WEIGHTS_FORMAT, {"weights": int})
        _check_members(path, arrays, header["weights"], [])
        weights = [arrays[f"weights/{i}"] for i in range(header["weights"])]
    check_weights(path, [(tuple(w.shape), w.dtype) for w in model.weights], weights)
    model.set_weights(weights)


def restore_rng(path, model, rng_state):
    """The model's shuffling generator, as it was: a resumed fit shuffles as it would have."""
    generator = model._rng.bit_generator
    check(path, rng_state.get("bit_generator") == type(generator).__name__,
          f"rng_state is not a {type(generator).__name__} state: {short(rng_state)}")
    try:
        generator.state = rng_state  # NumPy checks it (KeyError for a missing entry)
    except (*BAD_CONFIG, KeyError, OverflowError) as exc:
        raise ValueError(f"{path}: invalid rng_state ({exc})") from None


# ---- saving -------------------------------------------------------------------------------------

def _target(filepath, suffixes, overwrite, what, keras_name):
    path = serialization.as_path(filepath)
    if not path.endswith(suffixes):
        raise ValueError(f"Invalid filepath extension for {what}: {path!r}. The filename must end "
                         f"in {keras_name}, as Keras asks (pynn writes its own format under "
                         f"that name; it also takes {' or '.join(map(repr, suffixes[1:]))})")
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"{path} exists and overwrite=False")
    return path


def _check_reloadable(model):
    """Refuse to write a file load_model could not read: a layer configured with a custom
    function (an activation, say) has no config that rebuilds it, as a file holds no code."""
    for layer in model._flatten_layers(include_self=False):
        try:
            json.dumps(layers.serialize(layer), allow_nan=False, default=_plain)
            layers.deserialize(layers.serialize(layer), {type(layer).__name__: type(layer)})
        except (*BAD_CONFIG, NotImplementedError) as exc:
            raise ValueError(f"This model cannot be saved: layer {layer.name!r} cannot be made "
                             f"again from its config ({exc}). A pynn file holds no code, only "
                             "layers, activations and initializers by name.") from None


def _plain(value):
    """NumPy scalars in a config (SGD(momentum=np.float32(0.9))) as the Python numbers they
    hold, so that the header is JSON."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _encode(header):
    """The header as a 0-d str array: np.load shows it as readable JSON."""
    return np.array(json.dumps(header, allow_nan=False, default=_plain))


def _reloadable_compile(config):
    """The compile arguments (JSON-able) if load_model can restore them, else None with a
    warning (a custom loss or metric function cannot be stored in a file)."""
    if not config:
        return None
    try:
        config = json.loads(json.dumps(config, allow_nan=False, default=_plain))
        optimizers.get(config["optimizer"])
        for loss in _leaves(config["loss"]):
            if loss is not None and not _custom(loss):
                losses.get(loss)
        for metric in _leaves(config["metrics"] or []):
            if not _custom(metric):
                metrics_module.check(metric)
    except BAD_CONFIG as exc:
        warnings.warn(f"The model is saved without its compile arguments and optimizer state "
                      f"({exc}): after load_model, call compile() again.", stacklevel=4)
        return None
    return config


def _custom(identifier):
    """Whether a loss or metric entry is the name of a script's own function or class (stored
    by name, found again in load_model's custom_objects or the registered objects)."""
    name = identifier.get("class_name") if isinstance(identifier, dict) else identifier
    return isinstance(name, str) and name.isidentifier() and name not in losses.NAMES \
        and name not in metrics_module.VALID_NAMES and name not in metrics_module.CLASSES


def custom_compile(config, custom_objects):
    """The compile arguments with each custom loss or metric name replaced by the object
    custom_objects holds under it; a name found nowhere is refused, as Keras refuses it."""
    def resolve(entry, kind):
        if isinstance(entry, dict) and "class_name" not in entry:
            return {k: resolve(v, kind) for k, v in entry.items()}
        if isinstance(entry, list):
            return [resolve(v, kind) for v in entry]
        if entry is None or not _custom(entry):
            return entry
        name = entry["class_name"] if isinstance(entry, dict) else entry
        found = custom_objects.get(name)
        if found is None:
            raise ValueError(f"Could not interpret {kind} identifier: {name!r}: the model was "
                             f"compiled with a {kind} of the script's own, which load_model "
                             f"finds by name in custom_objects={{{name!r}: ...}} or among the "
                             "objects registered with keras.saving.register_keras_serializable "
                             "(or load with compile=False and compile again)")
        if isinstance(entry, dict) and isinstance(found, type):
            settings = entry.get("config") or {}
            return (found.from_config(settings) if hasattr(found, "from_config")
                    else found(**settings))
        return found

    return {**config, "loss": resolve(config["loss"], "loss"),
            "metrics": resolve(config["metrics"], "metric")}


def _leaves(value):
    """The entries of a loss or metrics argument: one, a list, a dict, or nested lists."""
    if isinstance(value, dict) and "class_name" not in value:
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, (list, tuple)):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


# ---- loading ------------------------------------------------------------------------------------

def check(path, condition, message):
    if not condition:
        raise ValueError(f"{path}: {message}")


def short(value, limit=120):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def configured(path, what, make, config):
    """make(config), a class of pynn.keras checking the config it is given; its complaint
    becomes a ValueError naming the file."""
    try:
        return make(config)
    except BAD_CONFIG as exc:
        raise ValueError(f"{path}: invalid {what}: {exc}") from None


def _read(path):
    """The arrays of a file, refusing Keras's own formats with a clear word."""
    if os.path.isfile(path):
        with open(path, "rb") as f:
            magic = f.read(4)
    if os.path.isfile(path) and magic == b"\x89HDF":
        raise ValueError(f"{path} is an HDF5 file written by Keras (or h5py), not by pynn: pynn "
                         "reads only the files it writes (model.save and save_weights). Train "
                         "the model with pynn, or rebuild it and set its weights with "
                         "set_weights.")
    return serialization.read_arrays(path, kinds="biufU")


def _format_of(header):
    """The format name a header array declares, or None if it is no pynn header."""
    try:
        return json.loads(str(header)).get("format") if header is not None else None
    except (ValueError, AttributeError, RecursionError):
        return None


def _header(path, arrays, expected_format, fields):
    """The file's JSON header, checked: the expected format, a version this pynn reads, and
    exactly the expected fields, each of its expected type."""
    header = arrays.get("header")
    check(path, header is not None and header.dtype.kind == "U" and header.shape == (),
           "not a pynn model or weights file (it has no header)")
    try:
        header = json.loads(str(header), parse_float=_finite_float, parse_int=_float_sized_int,
                            parse_constant=_no_constant)
    except BAD_CONFIG as exc:
        raise ValueError(f"{path}: corrupt header ({exc})") from None
    check(path, isinstance(header, dict), "corrupt header (not a JSON object)")
    kinds = {MODEL_FORMAT: "a model file: load it with pynn.keras.models.load_model",
             WEIGHTS_FORMAT: "a weights file: load it with model.load_weights"}
    fmt = header.get("format")
    if fmt != expected_format:
        known = isinstance(fmt, str) and fmt in kinds
        raise ValueError(f"{path}: " + (kinds[fmt] if known else f"unknown format "
                                        f"{short(fmt)}, expected {expected_format!r}"))
    version = header.get("version")
    check(path, type(version) is int and version >= 1,
           f"invalid format version {short(version)}")
    check(path, version <= VERSION, f"format version {version} was written by a newer pynn "
                                     f"(this pynn {__version__} reads version {VERSION})")
    fields = {"format": str, "version": int, "pynn_version": str, **fields}
    check(path, set(header) == set(fields),
           f"the header has fields {sorted(header)}, expected {sorted(fields)}")
    for name, kind in fields.items():
        check(path, isinstance(header[name], kind) and not isinstance(header[name], bool),
               f"header field {name!r} has the wrong type: {short(header[name])}")
    return header


def _finite_float(text):
    """A JSON number with a fraction or exponent; refused if no float holds it (1e999 is inf)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {short(text)} is out of range")
    return value


def _float_sized_int(text):
    """A JSON integer; refused past the largest float, since configs take numbers as floats and
    float() of a larger int raises OverflowError."""
    value = int(text)
    if abs(value) > sys.float_info.max:
        raise ValueError(f"the number {short(text)} is out of range")
    return value


def _no_constant(name):
    """NaN and Infinity: Python's json reads them, but they are not JSON and pynn never writes
    them."""
    raise ValueError(f"{name} is not a JSON number")


def check_metrics(path, metrics):
    """Build each metric config now, as fit would: compile() checks only the class names, and a
    bad config must fail at load, naming the file, not at the first fit."""
    for i, metric in enumerate(m for m in _leaves(metrics or []) if m is not None):
        if not isinstance(metric, dict):
            continue  # a name: compile() checked it fully
        check(path, set(metric) <= {"class_name", "config"},
               f"metric {i} must be {{'class_name', 'config'}}, got {short(metric)}")
        # None shapes: a config names its class, the shapes only pick the kind of 'accuracy'
        built = configured(path, f"metric {i}", lambda m: metrics_module.get(m, None, None),
                            metric)
        check(path, isinstance(built.name, str),
               f"metric {i} has the name {short(built.name)}, expected a str")


def _check_members(path, arrays, n_weights, optimizer_keys):
    check(path, 0 <= n_weights <= len(arrays), f"invalid weight count {n_weights}")
    expected = {"header", *(f"weights/{i}" for i in range(n_weights)), *optimizer_keys}
    missing, extra = sorted(expected - set(arrays)), sorted(set(arrays) - expected)
    check(path, not missing and not extra,
           f"the file's arrays do not match its header: missing {missing}, unexpected {extra}")


def check_weights(path, expected, weights):
    """Every weight array of the expected (shape, dtype), and as many as expected."""
    check(path, len(weights) == len(expected),
           f"the model has {len(expected)} weights, the file holds {len(weights)}")
    for i, ((shape, dtype), w) in enumerate(zip(expected, weights)):
        check(path, w.shape == tuple(shape) and w.dtype == dtype,
               f"weight {i} is {w.dtype} of shape {w.shape}, the model expects {dtype} of "
               f"shape {tuple(shape)}")


def check_optimizer_state(path, model, state):
    """Step counts are integer scalars; every other entry has its variable's dtype (set_state
    then checks the shapes)."""
    variables = model.trainable_weights
    for key, value in state.items():
        index, _, name = key.partition("/")
        if key == "iterations" or name == "step":
            check(path, value.shape == () and value.dtype.kind in "iu",
                   f"optimizer entry {key!r} must be an integer scalar, got {value.dtype} of "
                   f"shape {value.shape}")
        else:
            check(path, index.isascii() and index.isdigit() and int(index) < len(variables),
                   f"optimizer entry {key!r} names no variable of the model")
            check(path, value.dtype == variables[int(index)].dtype,
                   f"optimizer entry {key!r} is {value.dtype}, expected "
                   f"{variables[int(index)].dtype}")




from .object_registration import (CustomObjectScope, custom_object_scope,  # noqa: E402,F401
                                  get_custom_objects, get_registered_name, get_registered_object,
                                  register_keras_serializable)

