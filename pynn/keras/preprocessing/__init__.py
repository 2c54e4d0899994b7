"""keras.preprocessing, as Keras 3 keeps it for old code (sequence.pad_sequences), and what
TensorFlow's tf.keras.preprocessing still has: text.Tokenizer and its helpers."""
from . import sequence, text
from .sequence import pad_sequences
