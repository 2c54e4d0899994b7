"""The named tuples some ops return, as torch.return_types: max(dim), min(dim), sort, topk,
median, mode... each unpacks like a tuple, reads by field, and prints as PyTorch prints it."""
from collections import namedtuple

_RETURN_TYPES = {}


def returned(name, *values, fields=("values", "indices")):
    """values as the named tuple PyTorch returns from op `name` (torch.return_types.max):
    unpacked like a tuple, read by field, printed as PyTorch prints it."""
    kind = _RETURN_TYPES.get(name)
    if kind is None:
        def __repr__(self):
            body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
            return f"pynn.return_types.{name}(\n{body})"
        kind = type(name, (namedtuple(name, fields),), {"__slots__": (), "__repr__": __repr__})
        _RETURN_TYPES[name] = kind
    return kind(*values)
