"""keras.preprocessing, as Keras 3 keeps it for old code: sequence.pad_sequences."""
from . import sequence
from .sequence import pad_sequences
