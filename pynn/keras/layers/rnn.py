"""The recurrent layers SimpleRNN, LSTM and GRU over (batch, timesteps, features), with Keras 3's
weights, gate order, defaults and outputs: the last output, or every step's
(return_sequences=True), and the final states after it (return_state=True).

Each step is written with pynn's Tensor operations (a matrix product with the kernel, one with
the recurrent kernel, the gates), so the gradient through time is autograd's: no op of their
own. Weights: kernel (features, gates * units), recurrent_kernel (units, gates * units), bias
(gates * units,), gates ordered as Keras orders them (LSTM: input, forget, cell, output; GRU:
update, reset, candidate, and with reset_after=True a bias of shape (2, 3 * units): one for the
inputs, one for the recurrent part). dropout masks the inputs and recurrent_dropout the state,
one mask per sequence, in training only."""
import numpy as np

from ... import random, validate
from ...functional.dropout import _masked
from ...functional.recurrent import gru_step, lstm_step
from ...ops.shape import stack
from ...tensor import Tensor
from .. import activations, constraints, initializers, regularizers
from .layer import Layer
from .regularization import _rate


class _RNN(Layer):
    GATES = 1

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, seed=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        kind = type(self).__name__
        self.units = validate.positive_int(units, f"{kind}: units")
        self.activation = activations.get(activation)
        self.use_bias = validate.flag(use_bias, "use_bias")
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = min(1.0, max(0.0, _rate(dropout, "dropout")))
        self.recurrent_dropout = _rate(recurrent_dropout, "recurrent_dropout")
        self.return_sequences = validate.flag(return_sequences, "return_sequences")
        self.return_state = validate.flag(return_state, "return_state")
        self.go_backwards = validate.flag(go_backwards, "go_backwards")
        if stateful:
            raise ValueError(f"{kind}: pynn has no stateful recurrent layers (stateful=True): "
                             "each batch starts from zero states")
        self.stateful, self.unroll, self.seed = False, bool(unroll), seed
        self._rng = None if seed is None else np.random.default_rng(random.check_seed(seed))
        self.kernel = self.recurrent_kernel = self.bias = None

    # ---- weights ------------------------------------------------------------------------------

    def _bias_shape(self):
        return (self.GATES * self.units,)

    def _bias_initializer(self):
        return self.bias_initializer

    def build(self, input_shape):
        if len(input_shape) != 3 or input_shape[-1] is None:
            raise ValueError(f"Input 0 of layer \"{self.name}\" is incompatible with the layer: "
                             f"expected ndim=3, found ndim={len(input_shape)}. Full shape "
                             f"received: {tuple(input_shape)} ({type(self).__name__} takes "
                             "(batch, timesteps, features))")
        width = self.GATES * self.units
        self.kernel = self._configured_weight("kernel", (input_shape[-1], width))
        self.recurrent_kernel = self._configured_weight("recurrent_kernel", (self.units, width),
                                                        options="recurrent")
        if self.use_bias:
            self.bias = self._configured_weight("bias", self._bias_shape(),
                                                initializer=self._bias_initializer())
        self.built = True

    # ---- the loop over time -------------------------------------------------------------------

    def _mask(self, shape, rate, dtype):
        gen = random.generator() if self._rng is None else self._rng
        keep = gen.random(shape) >= rate
        return keep, (0.0 if rate == 1 else 1.0 / (1.0 - rate))

    def call(self, inputs, training=False):
        if inputs.ndim != 3:
            raise ValueError(f"Input 0 of layer \"{self.name}\" is incompatible with the layer: "
                             f"expected ndim=3, found ndim={inputs.ndim}. Full shape received: "
                             f"{tuple(inputs.shape)}")
        dtype = self.kernel.dtype
        x = inputs.to(dtype)
        batch, steps = x.shape[0], x.shape[1]
        if training and self.dropout > 0:
            keep, scale = self._mask((batch, 1, x.shape[2]), self.dropout, dtype)
            x = _masked(x, np.broadcast_to(keep, tuple(x.shape)), scale)
        recurrent_mask = None
        if training and self.recurrent_dropout > 0:
            recurrent_mask = self._mask((batch, self.units), self.recurrent_dropout, dtype)
        # the input's part of every step at once: (batch, steps, gates * units)
        projected = x.reshape(batch * steps, -1).matmul(self.kernel).reshape(batch, steps, -1)
        states = [Tensor._make(np.zeros((batch, self.units), dtype)) for _ in self._state_names()]
        order = range(steps - 1, -1, -1) if self.go_backwards else range(steps)
        outputs = []
        for t in order:
            h = states[0]  # the state as the recurrent product sees it (dropped out in training)
            if recurrent_mask is not None:
                keep, scale = recurrent_mask
                h = _masked(h, keep, scale)
            states = self._step(projected[:, t], h, states)
            outputs.append(states[0])
        if self.return_sequences:
            output = stack(outputs, dim=1)
        else:
            output = outputs[-1]
        return [output, *states] if self.return_state else output

    def _state_names(self):
        return ("h",)

    def compute_output_shape(self, input_shape):
        output = ((input_shape[0], input_shape[1], self.units) if self.return_sequences
                  else (input_shape[0], self.units))
        if self.return_state:
            return [output] + [(input_shape[0], self.units) for _ in self._state_names()]
        return output

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout,
                "return_sequences": self.return_sequences, "return_state": self.return_state,
                "go_backwards": self.go_backwards, "stateful": False, "unroll": self.unroll,
                "seed": self.seed}


class SimpleRNN(_RNN):
    """SimpleRNN(units, activation='tanh', ...): h_t = activation(x_t @ kernel + h_{t-1} @
    recurrent_kernel + bias)."""
    GATES = 1

    def _step(self, xw, h, states):
        z = xw + h.matmul(self.recurrent_kernel)
        if self.bias is not None:
            z = z + self.bias
        return [self.activation(z)]


class LSTM(_RNN):
    """LSTM(units, activation='tanh', recurrent_activation='sigmoid', unit_forget_bias=True,
    ...): Keras's long short-term memory, gates (input, forget, cell, output); return_state
    gives [output, h, c]."""
    GATES = 4

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 unit_forget_bias=True, **kwargs):
        super().__init__(units, activation=activation, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = validate.flag(unit_forget_bias, "unit_forget_bias")

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        base, units = self.bias_initializer, self.units

        def forget_ones(shape, dtype=None):
            """Keras's unit_forget_bias: the forget gate's bias starts at 1."""
            first, rest = np.asarray(base((units,), dtype)), np.asarray(base((2 * units,), dtype))
            return np.concatenate([first, np.ones(units, first.dtype), rest])
        return forget_ones

    def _state_names(self):
        return ("h", "c")

    def _step(self, xw, h, states):
        z = xw + h.matmul(self.recurrent_kernel)
        if self.bias is not None:
            z = z + self.bias
        return list(lstm_step(z, states[1], self.activation, self.recurrent_activation))

    def get_config(self):
        return {**super().get_config(),
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "unit_forget_bias": self.unit_forget_bias}


class GRU(_RNN):
    """GRU(units, activation='tanh', recurrent_activation='sigmoid', reset_after=True, ...):
    Keras's gated recurrent unit, gates (update, reset, candidate); with reset_after the reset
    gate multiplies the recurrent part after its product, and the bias is (2, 3 * units)."""
    GATES = 3

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 reset_after=True, **kwargs):
        super().__init__(units, activation=activation, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = validate.flag(reset_after, "reset_after")

    def _bias_shape(self):
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def _step(self, xw, h, states):
        u = self.units
        if self.bias is not None:
            xw = xw + (self.bias[0] if self.reset_after else self.bias)
        if self.reset_after:
            hu = h.matmul(self.recurrent_kernel)
            if self.bias is not None:
                hu = hu + self.bias[1]
            # Keras orders the gates (update, reset, candidate)
            parts = [(p[:, u:2 * u], p[:, :u], p[:, 2 * u:]) for p in (xw, hu)]
            return [gru_step(*parts, states[0], self.activation, self.recurrent_activation)]
        hu = h.matmul(self.recurrent_kernel[:, :2 * u])
        z = self.recurrent_activation(xw[:, :u] + hu[:, :u])
        r = self.recurrent_activation(xw[:, u:2 * u] + hu[:, u:])
        candidate = self.activation(xw[:, 2 * u:]
                                    + (r * h).matmul(self.recurrent_kernel[:, 2 * u:]))
        return [z * states[0] + (1.0 - z) * candidate]

    def get_config(self):
        return {**super().get_config(),
                "recurrent_activation": activations.serialize(self.recurrent_activation),
                "reset_after": self.reset_after}
