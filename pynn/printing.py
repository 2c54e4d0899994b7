"""How tensors print, as PyTorch prints them (torch/_tensor_str.py): 4 decimals, scientific
notation when the values span more than 1000x (or are above 1e8 or below 1e-4), whole floats
as `1.`, every element padded to one width, `...` past 1000 elements, and the dtype, grad_fn
or requires_grad named after the values. set_printoptions changes the precision, threshold,
edge items, line width and scientific mode, for every tensor printed afterwards."""
import contextlib
import math

import numpy as np

from . import dtypes


class _Options:
    """The print options in force (PyTorch's defaults)."""

    def __init__(self):
        self.precision, self.threshold, self.edgeitems, self.linewidth = 4, 1000, 3, 80
        self.sci_mode = None


OPTIONS = _Options()


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None):
    """Set how tensors print, as torch.set_printoptions: profile 'default', 'short' or 'full',
    then any of the options given."""
    if profile is not None:
        if profile not in ("default", "short", "full"):
            raise ValueError(f"set_printoptions: profile must be 'default', 'short' or 'full', "
                             f"got {profile!r}")
        OPTIONS.precision = 2 if profile == "short" else 4
        OPTIONS.threshold = math.inf if profile == "full" else 1000
        OPTIONS.edgeitems = 2 if profile == "short" else 3
        OPTIONS.linewidth = 80
    for name, value in (("precision", precision), ("threshold", threshold),
                        ("edgeitems", edgeitems), ("linewidth", linewidth)):
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"set_printoptions: {name} must be a non-negative number, "
                                 f"got {value!r}")
            setattr(OPTIONS, name, value)
    OPTIONS.sci_mode = sci_mode


def get_printoptions():
    return dict(vars(OPTIONS))


@contextlib.contextmanager
def printoptions(**kwargs):
    """The print options changed inside a `with` block only."""
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


class _Formatter:
    """One width and notation for all the values printed (torch's _Formatter)."""

    def __init__(self, values):
        self.floating = values.dtype.kind == "f"
        self.int_mode, self.sci_mode, self.width = True, False, 1
        p = OPTIONS.precision
        if not self.floating:
            if values.size:
                self.width = max(len(str(v)) for v in values.tolist())
            return
        finite = values[np.isfinite(values) & (values != 0)]
        if not finite.size:
            return
        absolute = np.abs(finite).astype(np.float64)
        top, bottom = absolute.max(), absolute.min()
        self.int_mode = bool(np.all(finite == np.ceil(finite)))
        self.sci_mode = (top / bottom > 1000.0 or top > 1.0e8 or bottom < 1.0e-4) \
            if OPTIONS.sci_mode is None else bool(OPTIONS.sci_mode)
        numbers = finite.tolist()
        if self.sci_mode:
            self.width = max(len(f"{v:.{p}e}") for v in numbers)
        elif self.int_mode:
            self.width = max(len(f"{v:.0f}") + 1 for v in numbers)
        else:
            self.width = max(len(f"{v:.{p}f}") for v in numbers)

    def format(self, value):
        p = OPTIONS.precision
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.width}.{p}e}"
        elif self.int_mode:
            text = f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
        else:
            text = f"{value:.{p}f}"
        return " " * (self.width - len(text)) + text


def _summarized(data):
    """The values that will be shown when the tensor is summarised (edge items only)."""
    edge = OPTIONS.edgeitems
    if data.ndim == 0:
        return data
    if data.shape[0] > 2 * edge:
        data = np.concatenate([data[:edge], data[-edge:]]) if edge else data[:0]
    if data.ndim == 1:
        return data
    return np.stack([_summarized(row) for row in data]) if len(data) else data


def _body(data, indent, summarize, formatter):
    edge = OPTIONS.edgeitems
    if data.ndim == 0:
        return formatter.format(data.item())
    cut = summarize and data.shape[0] > 2 * edge
    if data.ndim == 1:
        per_line = max(1, math.floor((OPTIONS.linewidth - indent) / (formatter.width + 2)))
        if summarize and not edge:
            items = ["..."]
        elif cut:
            items = ([formatter.format(v) for v in data[:edge].tolist()] + [" ..."]
                     + [formatter.format(v) for v in data[-edge:].tolist()])
        else:
            items = [formatter.format(v) for v in data.tolist()]
        lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    rows = range(data.shape[0])
    if cut:
        parts = ([_body(data[i], indent + 1, summarize, formatter) for i in rows[:edge]]
                 + ["..."]
                 + [_body(data[i], indent + 1, summarize, formatter) for i in rows[-edge:]])
    else:
        parts = [_body(data[i], indent + 1, summarize, formatter) for i in rows]
    return "[" + ("," + "\n" * (data.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def _with_suffixes(text, suffixes, indent):
    out = [text]
    last = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last + len(suffix) + 2 > OPTIONS.linewidth:
            out.append(",\n" + " " * indent + suffix)
            last = indent + len(suffix)
        else:
            out.append(", " + suffix)
            last += len(suffix) + 2
    return "".join(out) + ")"


def format_tensor(t, grad_fn=None):
    """repr(t), as PyTorch prints a tensor: tensor([...], dtype=..., grad_fn=<...>)."""
    data = t._data
    prefix = "tensor("
    indent = len(prefix)
    suffixes = []
    if data.size == 0:
        if data.ndim != 1:
            suffixes.append(f"size={tuple(data.shape)}")
        if data.dtype != dtypes.get_default_dtype():
            suffixes.append(f"dtype=pynn.{data.dtype}")
        body = "[]"
    else:
        if not OPTIONS.edgeitems:
            suffixes.append(f"size={tuple(data.shape)}")
        if data.dtype not in (dtypes.get_default_dtype(), dtypes.int64, dtypes.bool):
            suffixes.append(f"dtype=pynn.{data.dtype}")
        summarize = data.size > OPTIONS.threshold
        shown = _summarized(data) if summarize else data
        body = _body(data, indent, summarize, _Formatter(shown.reshape(-1)))
    if grad_fn is not None:
        suffixes.append(f"grad_fn=<{grad_fn.name}>")
    elif t._requires_grad:
        suffixes.append("requires_grad=True")
    return _with_suffixes(prefix + body, suffixes, indent)
