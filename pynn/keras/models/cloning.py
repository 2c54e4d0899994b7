"""keras.models.clone_model: a new model of the same architecture, with fresh weights."""
from ..layers import serialize
from .loading import model_from_config


def clone_model(model, input_tensors=None, clone_function=None, call_function=None,
                recursive=False, **kwargs):
    """A model of the same architecture as `model` (Sequential or functional), its layers new
    and their weights freshly initialized, as Keras's clone_model makes it."""
    if input_tensors is not None or clone_function is not None or call_function is not None:
        raise ValueError("clone_model: pynn supports cloning a model as it is; input_tensors, "
                         "clone_function and call_function are not supported")
    if kwargs:
        raise ValueError(f"Unexpected keyword argument(s): {', '.join(kwargs)}")
    return model_from_config(serialize(model))
