"""Model files, as Keras's saving API: `model.save(path)` / `load_model(path)`, and
`model.save_weights(path)` / `model.load_weights(path)`.

A model file ends in `.pynn` (pynn's own format: Keras's `.keras` files are not read or written).
It is an uncompressed .npz written atomically and read without pickle (pynn.serialization):
    header           JSON: format name and version, the architecture (Sequential.get_config()),
                     the compile arguments, and the state of the model's shuffling generator
    weights/<i>      model.get_weights(), in order (kernel, then bias, layer by layer)
    optimizer/<key>  the optimizer's get_state(): its step counts and moments
so `fit` on a loaded model continues exactly as it would have without the save.
A weights file ends in `.weights.npz` and holds a header and weights/<i> only.

Loading trusts nothing in the file: it builds only layer, optimizer and loss classes pynn.keras
knows, by name (no name from the file is ever imported or evaluated), has every config value
checked by the class it configures, and checks the weights' count, shapes and dtypes against the
architecture before any weight is created. Anything wrong gets a ValueError naming the file.
"""
import json
import math
import os
import sys
import warnings

import numpy as np

from .. import __version__, serialization
from . import layers as layers_module, losses, metrics as metrics_module, optimizers
from .models import Sequential

MODEL_FORMAT = "pynn.keras.model"
WEIGHTS_FORMAT = "pynn.keras.weights"
VERSION = 1
MODEL_SUFFIX = ".pynn"
WEIGHTS_SUFFIX = ".weights.npz"

# What a class's constructor raises for a bad config value, and json for a too deeply nested one.
_BAD_CONFIG = (TypeError, ValueError, RecursionError)


def save_model(model, filepath, overwrite=True):
    """Save the architecture, the weights and (if compiled) the compile arguments and the
    optimizer's state to one `.pynn` file, atomically."""
    path = _target(filepath, MODEL_SUFFIX, overwrite)
    architecture = {"class_name": "Sequential", "config": model.get_config()}
    _check_reloadable(architecture, model)
    compiled = _reloadable_compile(model.compile_config)
    state = model.optimizer.get_state() if compiled else {}
    arrays = {f"weights/{i}": w for i, w in enumerate(model.get_weights())}
    arrays.update({f"optimizer/{key}": value for key, value in state.items()})
    header = {"format": MODEL_FORMAT, "version": VERSION, "pynn_version": __version__,
              "model": architecture, "compile": compiled, "weights": len(model.weights),
              "optimizer": sorted(state), "rng_state": model._rng.bit_generator.state}
    serialization.write_arrays(path, {"header": _encode(header), **arrays})


def load_model(filepath, compile=True):
    """The model saved in a `.pynn` file: its architecture and weights, and, unless
    compile=False, compiled as it was with the optimizer's state restored."""
    path = serialization.as_path(filepath)
    arrays = serialization.read_arrays(path, kinds="biufU")
    header = _header(path, arrays, MODEL_FORMAT, {
        "model": dict, "compile": (dict, type(None)), "weights": int, "optimizer": list,
        "rng_state": dict})
    _check(path, all(isinstance(key, str) for key in header["optimizer"]),
           "optimizer entries must be names")
    optimizer_keys = [f"optimizer/{key}" for key in header["optimizer"]]
    _check_members(path, arrays, header["weights"], optimizer_keys)

    weights = [arrays[f"weights/{i}"] for i in range(header["weights"])]
    architecture = header["model"]
    _check(path, set(architecture) == {"class_name", "config"}
           and architecture["class_name"] == "Sequential",
           f"expected a Sequential model {{'class_name', 'config'}}, got {_short(architecture)}")
    _check_weights(path, _declared_shapes(path, architecture["config"]), weights)
    model = _configured(path, "the architecture", Sequential.from_config, architecture["config"])
    model.set_weights(weights)
    _restore_rng(path, model, header["rng_state"])
    if compile and header["compile"] is not None:
        _check(path, set(header["compile"]) == {"optimizer", "loss", "metrics"},
               f"compile arguments must be optimizer, loss and metrics, got "
               f"{_short(header['compile'])}")
        _configured(path, "the compile arguments", lambda c: model.compile(**c), header["compile"])
        _check_metrics(path, header["compile"]["metrics"])
        state = {key[len("optimizer/"):]: arrays[key] for key in optimizer_keys}
        _check_optimizer_state(path, model, state)
        _configured(path, "the optimizer state", model.optimizer.set_state, state)
    return model


def save_weights(model, filepath, overwrite=True):
    """Save the model's weights (get_weights()) to a `.weights.npz` file, atomically."""
    path = _target(filepath, WEIGHTS_SUFFIX, overwrite)
    weights = model.get_weights()
    header = {"format": WEIGHTS_FORMAT, "version": VERSION, "pynn_version": __version__,
              "weights": len(weights)}
    serialization.write_arrays(path, {"header": _encode(header),
                                      **{f"weights/{i}": w for i, w in enumerate(weights)}})


def load_weights(model, filepath):
    """Set the model's weights from a `.weights.npz` file saved from a model of the same
    architecture; nothing changes unless every weight fits."""
    path = serialization.as_path(filepath)
    if not model.built:
        raise ValueError(f"load_weights: the model is not built, so it has no weights to set "
                         f"from {path}; give the first layer input_dim or call model.build()")
    arrays = serialization.read_arrays(path, kinds="biufU")
    header = _header(path, arrays, WEIGHTS_FORMAT, {"weights": int})
    _check_members(path, arrays, header["weights"], [])
    weights = [arrays[f"weights/{i}"] for i in range(header["weights"])]
    _check_weights(path, [(tuple(w.shape), w.dtype) for w in model.weights], weights)
    model.set_weights(weights)


# ---- saving -------------------------------------------------------------------------------------

def _target(filepath, suffix, overwrite):
    path = serialization.as_path(filepath)
    if not path.endswith(suffix):
        kind = "model files" if suffix == MODEL_SUFFIX else "weights files"
        raise ValueError(f"Invalid filepath extension for saving: {path!r}. pynn {kind} end in "
                         f"{suffix!r} (pynn's own format; it does not write Keras's .keras or "
                         ".h5 files)")
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"{path} exists and overwrite=False")
    return path


def _encode(header):
    """The header as a 0-d str array: np.load shows it as readable JSON."""
    return np.array(json.dumps(header, allow_nan=False))


def _check_reloadable(architecture, model):
    """Refuse to write a file load_model could not read: a layer configured with a custom
    function has no config that rebuilds it (a file holds no code)."""
    config = json.loads(json.dumps(architecture["config"], allow_nan=False))
    try:
        _check_weights("model", _declared_shapes("model", config), model.get_weights())
    except ValueError as exc:
        raise ValueError(f"This model cannot be saved: {exc}. A pynn file holds no code, only "
                         "built-in layers, activations and initializers by name.") from None


def _reloadable_compile(config):
    """The compile arguments if load_model can restore them, else None with a warning (a custom
    loss or metric function cannot be stored in a file)."""
    if not config:
        return None
    try:
        optimizers.get(config["optimizer"])
        if config["loss"] is not None:
            losses.get(config["loss"])
        for metric in config["metrics"]:
            metrics_module.check(metric)
    except _BAD_CONFIG as exc:
        warnings.warn(f"The model is saved without its compile arguments and optimizer state "
                      f"({exc}): after load_model, call compile() again.", stacklevel=3)
        return None
    return config


# ---- loading ------------------------------------------------------------------------------------

def _check(path, condition, message):
    if not condition:
        raise ValueError(f"{path}: {message}")


def _short(value, limit=120):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def _configured(path, what, make, config):
    """make(config), a class of pynn.keras checking the config it is given; its complaint
    becomes a ValueError naming the file."""
    try:
        return make(config)
    except _BAD_CONFIG as exc:
        raise ValueError(f"{path}: invalid {what}: {exc}") from None


def _header(path, arrays, expected_format, fields):
    """The file's JSON header, checked: the expected format, a version this pynn reads, and
    exactly the expected fields, each of its expected type."""
    header = arrays.get("header")
    _check(path, header is not None and header.dtype.kind == "U" and header.shape == (),
           "not a pynn model or weights file (it has no header)")
    try:
        header = json.loads(str(header), parse_float=_finite_float, parse_int=_float_sized_int,
                            parse_constant=_no_constant)
    except _BAD_CONFIG as exc:
        raise ValueError(f"{path}: corrupt header ({exc})") from None
    _check(path, isinstance(header, dict), "corrupt header (not a JSON object)")
    kinds = {MODEL_FORMAT: "a model file: load it with pynn.keras.models.load_model",
             WEIGHTS_FORMAT: "a weights file: load it with model.load_weights"}
    fmt = header.get("format")
    if fmt != expected_format:
        known = isinstance(fmt, str) and fmt in kinds
        raise ValueError(f"{path}: " + (kinds[fmt] if known else f"unknown format "
                                        f"{_short(fmt)}, expected {expected_format!r}"))
    version = header.get("version")
    _check(path, type(version) is int and version >= 1,
           f"invalid format version {_short(version)}")
    _check(path, version <= VERSION, f"format version {version} was written by a newer pynn "
                                     f"(this pynn {__version__} reads version {VERSION})")
    fields = {"format": str, "version": int, "pynn_version": str, **fields}
    _check(path, set(header) == set(fields),
           f"the header has fields {sorted(header)}, expected {sorted(fields)}")
    for name, kind in fields.items():
        _check(path, isinstance(header[name], kind) and not isinstance(header[name], bool),
               f"header field {name!r} has the wrong type: {_short(header[name])}")
    return header


def _finite_float(text):
    """A JSON number with a fraction or exponent; refused if no float holds it (1e999 is inf)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {_short(text)} is out of range")
    return value


def _float_sized_int(text):
    """A JSON integer; refused past the largest float, since configs take numbers as floats and
    float() of a larger int raises OverflowError."""
    value = int(text)
    if abs(value) > sys.float_info.max:
        raise ValueError(f"the number {_short(text)} is out of range")
    return value


def _no_constant(name):
    """NaN and Infinity: Python's json reads them, but they are not JSON and pynn never writes
    them."""
    raise ValueError(f"{name} is not a JSON number")


def _check_metrics(path, metrics):
    """Build each metric config now, as fit would: compile() checks only the class names, and a
    bad config must fail at load, naming the file, not at the first fit."""
    for i, metric in enumerate(metrics or []):
        if not isinstance(metric, dict):
            continue  # a name: compile() checked it fully
        _check(path, set(metric) <= {"class_name", "config"},
               f"metric {i} must be {{'class_name', 'config'}}, got {_short(metric)}")
        # None shapes: a config names its class, the shapes only pick the kind of 'accuracy'
        built = _configured(path, f"metric {i}", lambda m: metrics_module.get(m, None, None),
                            metric)
        _check(path, isinstance(built.name, str),
               f"metric {i} has the name {_short(built.name)}, expected a str")


def _check_members(path, arrays, n_weights, optimizer_keys):
    _check(path, 0 <= n_weights <= len(arrays), f"invalid weight count {n_weights}")
    expected = {"header", *(f"weights/{i}" for i in range(n_weights)), *optimizer_keys}
    missing, extra = sorted(expected - set(arrays)), sorted(set(arrays) - expected)
    _check(path, not missing and not extra,
           f"the file's arrays do not match its header: missing {missing}, unexpected {extra}")


def _declared_shapes(path, config):
    """The (shape, dtype) of each weight a Sequential config declares, found without creating
    any weight: each layer is made from its config (layers create weights only when built) and
    asked for the shapes it would build, along the model's input shape."""
    _check(path, isinstance(config, dict) and isinstance(config.get("layers"), list),
           f"expected a Sequential config with a 'layers' list, got {_short(config)}")
    shape, declared = None, []
    for i, entry in enumerate(config["layers"]):
        _check(path, isinstance(entry, dict) and set(entry) == {"class_name", "config"}
               and isinstance(entry["config"], dict),
               f"layer {i} must be {{'class_name', 'config'}}, got {_short(entry)}")
        cls = _configured(path, f"layer {i}", layers_module.get, entry["class_name"])
        layer = _configured(path, f"layer {i} ({entry['class_name']})", cls.from_config,
                            entry["config"])
        if isinstance(layer, layers_module.InputLayer):
            shape = (None,) + tuple(layer.shape)
            continue
        if shape is None and layer._input_shape_arg is not None:  # Sequential's own rule
            shape = (None,) + tuple(layer._input_shape_arg)
        if shape is not None:
            declared += [(s, np.dtype(np.float32)) for s in _configured(
                path, f"layer {i} ({entry['class_name']})", layer.weight_shapes, shape)]
            shape = layer.compute_output_shape(shape)
    return declared


def _check_weights(path, expected, weights):
    """Every weight array of the expected (shape, dtype), and as many as expected."""
    _check(path, len(weights) == len(expected),
           f"the model has {len(expected)} weights, the file holds {len(weights)}")
    for i, ((shape, dtype), w) in enumerate(zip(expected, weights)):
        _check(path, w.shape == tuple(shape) and w.dtype == dtype,
               f"weight {i} is {w.dtype} of shape {w.shape}, the model expects {dtype} of "
               f"shape {tuple(shape)}")


def _check_optimizer_state(path, model, state):
    """Step counts are integer scalars; every other entry has its variable's dtype (set_state
    then checks the shapes)."""
    variables = model.trainable_weights
    for key, value in state.items():
        index, _, name = key.partition("/")
        if key == "iterations" or name == "step":
            _check(path, value.shape == () and value.dtype.kind in "iu",
                   f"optimizer entry {key!r} must be an integer scalar, got {value.dtype} of "
                   f"shape {value.shape}")
        else:
            _check(path, index.isascii() and index.isdigit() and int(index) < len(variables),
                   f"optimizer entry {key!r} names no variable of the model")
            _check(path, value.dtype == variables[int(index)].dtype,
                   f"optimizer entry {key!r} is {value.dtype}, expected "
                   f"{variables[int(index)].dtype}")


def _restore_rng(path, model, rng_state):
    """The model's shuffling generator, as it was: a resumed fit shuffles as it would have."""
    generator = model._rng.bit_generator
    _check(path, rng_state.get("bit_generator") == type(generator).__name__,
           f"rng_state is not a {type(generator).__name__} state: {_short(rng_state)}")
    try:
        generator.state = rng_state  # NumPy checks it (KeyError for a missing entry)
    except (*_BAD_CONFIG, KeyError, OverflowError) as exc:
        raise ValueError(f"{path}: invalid rng_state ({exc})") from None
