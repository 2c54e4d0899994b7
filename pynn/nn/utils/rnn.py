"""torch.nn.utils.rnn: pad_sequence, the padding of variable-length sequences into one batch
that custom collate functions use (the packed-sequence helpers need recurrent layers, which
pynn.nn does not have yet)."""
from ... import validate
from ...ops.shape import pad, stack
from ...tensor import Tensor


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Tensors of shape (L_i, *) padded with padding_value to the longest L and stacked:
    (L, B, *), or (B, L, *) when batch_first; differentiable in each sequence."""
    if isinstance(sequences, Tensor):
        sequences = list(sequences.unbind(0))
    sequences = list(sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    if not all(isinstance(s, Tensor) for s in sequences):
        raise TypeError("pad_sequence: expected a list of Tensors")
    if padding_side not in ("left", "right"):
        raise ValueError(f"Expected padding_side to be one of left or right, but got "
                         f"{padding_side}.")
    batch_first = validate.flag(batch_first, "batch_first")
    trailing = sequences[0].shape[1:]
    if any(s.dim() == 0 or s.shape[1:] != trailing for s in sequences):
        raise RuntimeError("pad_sequence: every sequence must have the same trailing "
                           f"dimensions {tuple(trailing)} (and at least one dimension)")
    longest = max(s.shape[0] for s in sequences)
    padded = []
    for s in sequences:
        missing = longest - s.shape[0]
        widths = [0, 0] * (s.dim() - 1) + ([missing, 0] if padding_side == "left"
                                           else [0, missing])
        padded.append(pad(s, widths, value=padding_value) if missing else s)
    return stack(padded, 0 if batch_first else 1)


def _needs_recurrent_layers(name):
    def refuse(*args, **kwargs):
        raise NotImplementedError(f"torch.nn.utils.rnn.{name} needs recurrent layers, which "
                                  "pynn.nn does not have yet; pad with pad_sequence instead")
    refuse.__name__ = name
    return refuse


pack_padded_sequence = _needs_recurrent_layers("pack_padded_sequence")
pad_packed_sequence = _needs_recurrent_layers("pad_packed_sequence")
pack_sequence = _needs_recurrent_layers("pack_sequence")
