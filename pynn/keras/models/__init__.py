"""Keras-style models: Model (functional and subclassed), Sequential, and making them from
configs and files (load_model, model_from_json, clone_model), a module each."""
from ..saving import save_model
from .cloning import clone_model
from .loading import load_model, model_from_config, model_from_json
from .model import Model
from .sequential import Sequential

__all__ = ["Model", "Sequential", "clone_model", "load_model", "model_from_config",
           "model_from_json", "save_model"]
