"""Custom objects known by name when a model is rebuilt from a file or a config, as Keras 3's
keras.saving (and keras.utils) registers them: @register_keras_serializable() on a custom layer
or model class, get_custom_objects() (a global dict scripts may add to), and
custom_object_scope({...}) for a with-block. load_model, model_from_json and model_from_config
look a class name up here after pynn.keras's own classes and before their custom_objects
argument. Nothing is ever imported by name: only objects the script itself registered."""

_GLOBAL_CUSTOM_OBJECTS = {}
_GLOBAL_CUSTOM_NAMES = {}
_SCOPES = []


def get_custom_objects():
    """The global dict of registered custom objects, by name (scripts may add to it)."""
    return _GLOBAL_CUSTOM_OBJECTS


def register_keras_serializable(package="Custom", name=None):
    """A decorator registering a class or function under `package>name` and its own name (name
    defaults to the object's __name__), so that a saved model using it loads without
    custom_objects."""
    def decorator(obj):
        registered = name if name is not None else getattr(obj, "__name__", None)
        if not isinstance(registered, str) or not registered:
            raise ValueError(f"Cannot register {obj!r}: it has no __name__; pass name=")
        if isinstance(obj, type) and not hasattr(obj, "get_config"):
            raise ValueError("Cannot register a class that does not have a get_config() method.")
        key = f"{package}>{registered}"
        if key in _GLOBAL_CUSTOM_OBJECTS and _GLOBAL_CUSTOM_OBJECTS[key] is not obj:
            raise ValueError(f"{key} has already been registered to "
                             f"{_GLOBAL_CUSTOM_OBJECTS[key]}")
        _GLOBAL_CUSTOM_OBJECTS[key] = obj
        _GLOBAL_CUSTOM_OBJECTS[registered] = obj
        _GLOBAL_CUSTOM_NAMES[obj] = key
        return obj
    return decorator


def get_registered_name(obj):
    """The name obj is registered under ('package>name'), else its __name__."""
    return _GLOBAL_CUSTOM_NAMES.get(obj, getattr(obj, "__name__", None))


def get_registered_object(name, custom_objects=None, module_objects=None):
    """The object called name in the active scopes, the global registry, custom_objects or
    module_objects, in that order; None if none holds it."""
    for table in (*reversed(_SCOPES), _GLOBAL_CUSTOM_OBJECTS, custom_objects or {},
                  module_objects or {}):
        if name in table:
            return table[name]
    return None


def custom_objects(extra=None):
    """The registered objects (global, then the active scopes) merged with extra."""
    merged = dict(_GLOBAL_CUSTOM_OBJECTS)
    for scope in _SCOPES:
        merged.update(scope)
    merged.update(extra or {})
    return merged


class CustomObjectScope:
    """with custom_object_scope({'MyLayer': MyLayer}): ... makes the names known inside."""

    def __init__(self, custom_objects):
        if not isinstance(custom_objects, dict):
            raise TypeError(f"custom_objects must be a dict of name -> object, got "
                            f"{type(custom_objects).__name__}")
        self.custom_objects = dict(custom_objects)

    def __enter__(self):
        _SCOPES.append(self.custom_objects)
        return self

    def __exit__(self, *exc):
        _SCOPES.remove(self.custom_objects)


custom_object_scope = CustomObjectScope
