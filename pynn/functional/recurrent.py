"""One step of an LSTM or a GRU from its gates' pre-activations, the math torch.nn's and Keras's
recurrent layers share (each lays its weights out and orders its gates its own way)."""
from .activation import sigmoid, tanh


def lstm_step(z, c, activation=tanh, recurrent_activation=sigmoid):
    """z (batch, 4 * units) with the gates input, forget, cell, output (PyTorch's i, f, g, o):
    the new (h, c)."""
    u = z.shape[-1] // 4
    i = recurrent_activation(z[..., :u])
    f = recurrent_activation(z[..., u:2 * u])
    c = f * c + i * activation(z[..., 2 * u:3 * u])
    o = recurrent_activation(z[..., 3 * u:])
    return o * activation(c), c


def gru_step(x_parts, h_parts, h, activation=tanh, recurrent_activation=sigmoid):
    """x_parts and h_parts, the input's and the state's (reset, update, new) pre-activations
    (biases included): the new h, with the reset gate applied after the state's product
    (PyTorch's GRU, Keras's reset_after=True)."""
    r = recurrent_activation(x_parts[0] + h_parts[0])
    z = recurrent_activation(x_parts[1] + h_parts[1])
    n = activation(x_parts[2] + r * h_parts[2])
    return z * h + (1.0 - z) * n
