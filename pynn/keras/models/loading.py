"""Making models from records: keras.models.load_model (a file pynn.keras.saving wrote),
model_from_json, model_from_config and clone_model's rebuild, each through the model class's
from_config. Only pynn.keras's classes (and those the caller passes as custom_objects) can be
made: a name from a file selects a class, never imports one."""
import json

from .. import saving
from ..object_registration import custom_objects as registered
from ..variables import allocation_limit
from .model import Model
from .sequential import Sequential

MODEL_CLASSES = {"Sequential": Sequential, "Functional": Model, "Model": Model}


def model_from_config(config, custom_objects=None):
    """The model a {'class_name', 'config'} dict describes (as to_json writes it), unbuilt or
    built as its config says, with fresh weights."""
    if not isinstance(config, dict) or not isinstance(config.get("config"), dict):
        raise ValueError(f"Expected a model config {{'class_name': ..., 'config': {{...}}}}, got "
                         f"{saving.short(config)}")
    classes = {**MODEL_CLASSES, **registered(custom_objects)}
    cls = classes.get(config.get("class_name"))
    if cls is None:
        raise ValueError(f"Unknown model class {saving.short(config.get('class_name'))}: "
                         f"pynn.keras knows {sorted(MODEL_CLASSES)} (pass your own in "
                         "custom_objects)")
    if cls in (Sequential, Model):
        return cls.from_config(config["config"], custom_objects=custom_objects)
    return cls.from_config(config["config"])


def model_from_json(json_string, custom_objects=None):
    """The model model.to_json() describes, with fresh weights."""
    return model_from_config(json.loads(json_string), custom_objects)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """The model saved in a file by model.save(filepath) (pynn's format, whatever its name:
    '.keras', '.h5', '.pynn'): its architecture and weights, and, unless compile=False, compiled
    as it was with the optimizer's state restored."""
    record = saving.read_model(filepath)
    path = record.path
    with allocation_limit(sum(w.size for w in record.weights)):
        model = saving.configured(path, "the architecture",
                                  lambda c: model_from_config(c, custom_objects),
                                  record.architecture)
    saving.check_weights(path, [(tuple(w.shape), w.dtype) for w in model.weights],
                         record.weights)
    model.set_weights(record.weights)
    saving.restore_rng(path, model, record.rng_state)
    if compile and record.compile is not None:
        config = record.compile
        saving.check(path, set(config) == {"optimizer", "loss", "loss_weights", "metrics"},
                     f"compile arguments must be optimizer, loss, loss_weights and metrics, got "
                     f"{saving.short(config)}")
        config = saving.configured(path, "the compile arguments", lambda c: saving.custom_compile(
            c, registered(custom_objects)), config)
        saving.configured(path, "the compile arguments", lambda c: model.compile(**c), config)
        saving.check_metrics(path, config["metrics"])
        saving.check_optimizer_state(path, model, record.optimizer_state)
        saving.configured(path, "the optimizer state", _restore_optimizer(model),
                          record.optimizer_state)
    return model


def _restore_optimizer(model):
    def restore(state):
        if model.built:  # an unbuilt model's optimizer is built by its first fit
            model._build_optimizer()
        model.optimizer.set_state(state)
    return restore
