"""RNN, LSTM and GRU (and their one-step cells), as torch.nn has them: weights weight_ih_l{k}
(gates * hidden, in), weight_hh_l{k} (gates * hidden, hidden), biases bias_ih_l{k} and
bias_hh_l{k}, gates ordered as PyTorch orders them (LSTM: i, f, g, o; GRU: r, z, n), all
initialised U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)). The loop over time is written with
Tensor operations, so autograd carries the gradient through it."""
import math
import numbers
import warnings

from .. import dtypes, functional as F, validate
from ..functional.recurrent import gru_step, lstm_step
from ..ops.creation import zeros
from ..ops.shape import stack
from ..tensor import check_device
from ..validate import ShapeError
from .linear import _uniform
from .module import Module, Parameter

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def _step(mode, xw, state, weight_hh, bias_hh):
    """One step from the input's part xw (x @ weight_ih.T + bias_ih): the new h (for an LSTM,
    the new (h, c))."""
    h = state[0] if mode == "LSTM" else state
    hw = h.matmul(weight_hh.t())
    if bias_hh is not None:
        hw = hw + bias_hh
    if mode == "LSTM":
        return lstm_step(xw + hw, state[1])
    if mode == "GRU":
        return gru_step(xw.chunk(3, -1), hw.chunk(3, -1), h)
    return (F.tanh if mode == "RNN_TANH" else F.relu)(xw + hw)


def _init(module, mode, input_size, hidden_size, bias, device, dtype, suffixes):
    """The checks and the weights the layers and the cells share: (weight_ih, weight_hh,
    bias_ih, bias_hh) for each suffix, registered in PyTorch's order."""
    check_device(device)
    module.input_size = validate.positive_int(input_size, "input_size")
    module.hidden_size = validate.positive_int(hidden_size, "hidden_size")
    module.bias = validate.flag(bias, "bias")
    dtype = dtypes.get_default_dtype() if dtype is None else dtypes.as_dtype(dtype)
    if dtype not in dtypes.FLOATS:
        raise TypeError(f"{type(module).__name__}: dtype must be float32 or float64, got {dtype}")
    gates, bound = _GATES[mode] * module.hidden_size, 1 / math.sqrt(module.hidden_size)
    for k, suffix in enumerate(suffixes):
        inputs = module.input_size if k == 0 else module.hidden_size
        setattr(module, f"weight_ih{suffix}", Parameter(_uniform(bound, (gates, inputs), dtype)))
        setattr(module, f"weight_hh{suffix}",
                Parameter(_uniform(bound, (gates, module.hidden_size), dtype)))
        if module.bias:
            setattr(module, f"bias_ih{suffix}", Parameter(_uniform(bound, (gates,), dtype)))
            setattr(module, f"bias_hh{suffix}", Parameter(_uniform(bound, (gates,), dtype)))


class RNNBase(Module):
    """The multi-layer recurrent layers over (L, N, H_in), or (N, L, H_in) with batch_first."""

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, proj_size=0, device=None,
                 dtype=None):
        super().__init__()
        name = type(self).__name__
        if (not isinstance(dropout, numbers.Number) or isinstance(dropout, bool)
                or not 0 <= dropout <= 1):
            raise ValueError("dropout should be a number in range [0, 1] representing the "
                             "probability of an element being zeroed")
        if bidirectional:
            raise ValueError(f"{name}: pynn has no bidirectional recurrent layers "
                             "(bidirectional=True)")
        if proj_size:
            raise ValueError(f"{name}: pynn supports only proj_size=0, got {proj_size!r}")
        self.mode = mode
        self.num_layers = validate.positive_int(num_layers, "num_layers")
        if dropout > 0 and self.num_layers == 1:
            warnings.warn("dropout option adds dropout after all but last recurrent layer, so "
                          "non-zero dropout expects num_layers greater than 1, but got "
                          f"dropout={dropout} and num_layers={num_layers}", stacklevel=3)
        self.batch_first = validate.flag(batch_first, "batch_first")
        self.dropout, self.bidirectional, self.proj_size = float(dropout), False, 0
        _init(self, mode, input_size, hidden_size, bias, device, dtype,
              [f"_l{k}" for k in range(self.num_layers)])

    def _layer_weights(self, k):
        return [getattr(self, f"{kind}_l{k}", None)
                for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]

    def _initial(self, hx, batch, dtype, batched):
        """The initial state of each layer: (N, H) (for an LSTM, a pair of them)."""
        shape = (self.num_layers, batch, self.hidden_size)
        if hx is None:
            given = [None, None] if self.mode == "LSTM" else [None]
        else:
            given = list(hx) if self.mode == "LSTM" else [hx]
        states = []
        for h in given:
            if h is None:
                h = zeros(shape, dtype=dtype)
            elif not batched:
                h = h.unsqueeze(1)
            if tuple(h.shape) != shape:
                raise ShapeError(f"Expected hidden size {shape}, got {tuple(h.shape)}")
            states.append(h)
        if self.mode == "LSTM":
            return [(states[0][k], states[1][k]) for k in range(self.num_layers)]
        return [states[0][k] for k in range(self.num_layers)]

    def forward(self, input, hx=None):
        name = type(self).__name__
        if input.ndim not in (2, 3):
            raise ShapeError(f"{name}: Expected input to be 2D or 3D, got {input.ndim}D "
                             "instead")
        batched = input.ndim == 3
        x = input if batched else input.unsqueeze(1)
        if batched and self.batch_first:
            x = x.transpose(0, 1)
        if x.shape[-1] != self.input_size:
            raise ShapeError(f"input.size(-1) must be equal to input_size. Expected "
                             f"{self.input_size}, got {x.shape[-1]}")
        steps, batch = x.shape[0], x.shape[1]
        finals = []
        for k, state in enumerate(self._initial(hx, batch, x.dtype, batched)):
            w_ih, w_hh, b_ih, b_hh = self._layer_weights(k)
            if k > 0 and self.dropout > 0:
                x = F.dropout(x, self.dropout, training=self.training)
            # the input's part of every step at once: (L, N, gates * H)
            xw = x.reshape(steps * batch, -1).matmul(w_ih.t()).reshape(steps, batch, -1)
            if b_ih is not None:
                xw = xw + b_ih
            outputs = []
            for t in range(steps):
                state = _step(self.mode, xw[t], state, w_hh, b_hh)
                outputs.append(state[0] if self.mode == "LSTM" else state)
            x = stack(outputs, dim=0)
            finals.append(state)
        if self.mode == "LSTM":
            h_n = stack([s[0] for s in finals], dim=0), stack([s[1] for s in finals], dim=0)
        else:
            h_n = stack(finals, dim=0)
        if not batched:
            x = x.squeeze(1)
            h_n = tuple(h.squeeze(1) for h in h_n) if self.mode == "LSTM" else h_n.squeeze(1)
        elif self.batch_first:
            x = x.transpose(0, 1)
        return x, h_n

    def extra_repr(self):
        text = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        if self.bias is not True:
            text += f", bias={self.bias}"
        if self.batch_first is not False:
            text += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            text += f", dropout={self.dropout}"
        return text


class RNN(RNNBase):
    """The Elman RNN: h_t = tanh (or relu) of x_t @ weight_ih.T + bias_ih + h_{t-1} @
    weight_hh.T + bias_hh; returns (output, h_n)."""

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, device=None, dtype=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or "
                             "'relu'.")
        super().__init__(f"RNN_{nonlinearity.upper()}", input_size, hidden_size, num_layers,
                         bias, batch_first, dropout, bidirectional, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity


class LSTM(RNNBase):
    """Long short-term memory; returns (output, (h_n, c_n)) and takes an initial (h_0, c_0)."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, proj_size, device, dtype)


class GRU(RNNBase):
    """The gated recurrent unit (gates r, z, n; n = tanh(W_in x + b_in + r * (W_hn h +
    b_hn))); returns (output, h_n)."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, device=None, dtype=None):
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, device=device, dtype=dtype)


class RNNCellBase(Module):
    """One step of a recurrent layer: weight_ih, weight_hh, bias_ih, bias_hh."""

    def __init__(self, mode, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__()
        self.mode = mode
        _init(self, mode, input_size, hidden_size, bias, device, dtype, [""])

    def forward(self, input, hx=None):
        name = type(self).__name__
        if input.ndim not in (1, 2):
            raise ShapeError(f"{name}: Expected input to be 1D or 2D, got {input.ndim}D "
                             "instead")
        batched = input.ndim == 2
        x = input if batched else input.unsqueeze(0)
        if x.shape[-1] != self.input_size:
            raise ShapeError(f"input has inconsistent input_size: got {x.shape[-1]} expected "
                             f"{self.input_size}")
        shape = (x.shape[0], self.hidden_size)
        given = [None, None] if hx is None else list(hx) if self.mode == "LSTM" else [hx]
        states = []
        for h in given:
            h = zeros(shape, dtype=x.dtype) if h is None else h if batched else h.unsqueeze(0)
            if tuple(h.shape) != shape:
                raise ShapeError(f"Expected hidden size {shape}, got {tuple(h.shape)}")
            states.append(h)
        xw = x.matmul(self.weight_ih.t())
        if self.bias:
            xw = xw + self.bias_ih
        out = _step(self.mode, xw, tuple(states) if self.mode == "LSTM" else states[0],
                    self.weight_hh, self.bias_hh if self.bias else None)
        if batched:
            return out
        return tuple(o.squeeze(0) for o in out) if self.mode == "LSTM" else out.squeeze(0)

    def extra_repr(self):
        text = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            text += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            text += f", nonlinearity={self.nonlinearity}"
        return text


class RNNCell(RNNCellBase):
    """One Elman step: h' = tanh (or relu) of x @ weight_ih.T + bias_ih + h @ weight_hh.T +
    bias_hh."""

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None,
                 dtype=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity: {nonlinearity}")
        super().__init__(f"RNN_{nonlinearity.upper()}", input_size, hidden_size, bias, device,
                         dtype)
        self.nonlinearity = nonlinearity


class LSTMCell(RNNCellBase):
    """One LSTM step: (h, c) from input and (h, c) (zeros when omitted)."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__("LSTM", input_size, hidden_size, bias, device, dtype)


class GRUCell(RNNCellBase):
    """One GRU step: h from input and h (zeros when omitted)."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__("GRU", input_size, hidden_size, bias, device, dtype)
