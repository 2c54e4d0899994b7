"""The recurrent layers SimpleRNN, LSTM and GRU: each step against the equations written out in
NumPy here (Keras's gate order, unit_forget_bias, GRU's reset_after), float64 gradient checks
through time, Keras's parameter counts and output shapes, return_state, go_backwards, dropout
in training only, the errors, a model file, and a model that learns from sequences."""
import numpy as np
import pytest

import pynn
from pynn import keras
from pynn.keras import layers

RNG = np.random.default_rng(0)
X = RNG.normal(size=(3, 5, 4))


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def run(step, x, units, states, backwards=False):
    outs = []
    for t in (range(x.shape[1] - 1, -1, -1) if backwards else range(x.shape[1])):
        states = step(x[:, t], *states)
        outs.append(states[0])
    return np.stack(outs, axis=1), states


@pytest.fixture
def float64():
    keras.backend.set_floatx("float64")
    yield
    keras.backend.set_floatx("float32")


def randomize(layer):
    layer.set_weights([RNG.normal(size=w.shape) * 0.5 for w in layer.get_weights()])
    return [w for w in layer.get_weights()]


def test_simple_rnn_and_lstm_follow_the_equations(float64):
    rnn = layers.SimpleRNN(6, return_sequences=True)
    rnn(X)
    k, u, b = randomize(rnn)
    expected, _ = run(lambda x, h: [np.tanh(x @ k + h @ u + b)], X, 6, [np.zeros((3, 6))])
    np.testing.assert_allclose(rnn(X).numpy(), expected, rtol=1e-10)

    lstm = layers.LSTM(6, return_sequences=True, return_state=True)
    lstm(X)
    k, u, b = randomize(lstm)

    def step(x, h, c):
        z = x @ k + h @ u + b
        i, f, g, o = sigmoid(z[:, :6]), sigmoid(z[:, 6:12]), np.tanh(z[:, 12:18]), \
            sigmoid(z[:, 18:])
        c = f * c + i * g
        return [o * np.tanh(c), c]
    seq, (h, c) = run(step, X, 6, [np.zeros((3, 6)), np.zeros((3, 6))])
    out, h_out, c_out = lstm(X)
    np.testing.assert_allclose(out.numpy(), seq, rtol=1e-10)
    np.testing.assert_allclose(h_out.numpy(), h, rtol=1e-10)
    np.testing.assert_allclose(c_out.numpy(), c, rtol=1e-10)
    backwards = layers.LSTM(6, go_backwards=True)
    backwards(X)
    backwards.set_weights([k, u, b])
    _, (h_back, _) = run(step, X, 6, [np.zeros((3, 6)), np.zeros((3, 6))], backwards=True)
    np.testing.assert_allclose(backwards(X).numpy(), h_back, rtol=1e-10)
    fresh = layers.LSTM(3)
    fresh(X)
    assert fresh.get_weights()[2].tolist() == [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_follows_the_equations(float64, reset_after):
    gru = layers.GRU(5, return_sequences=True, reset_after=reset_after)
    gru(X)
    k, u, b = randomize(gru)
    assert b.shape == ((2, 15) if reset_after else (15,))

    def step(x, h):
        xb = x @ k + (b[0] if reset_after else b)
        if reset_after:
            hu = h @ u + b[1]
            z, r = sigmoid(xb[:, :5] + hu[:, :5]), sigmoid(xb[:, 5:10] + hu[:, 5:10])
            cand = np.tanh(xb[:, 10:] + r * hu[:, 10:])
        else:
            z = sigmoid(xb[:, :5] + h @ u[:, :5])
            r = sigmoid(xb[:, 5:10] + h @ u[:, 5:10])
            cand = np.tanh(xb[:, 10:] + (r * h) @ u[:, 10:])
        return [z * h + (1 - z) * cand]
    expected, _ = run(step, X, 5, [np.zeros((3, 5))])
    np.testing.assert_allclose(gru(X).numpy(), expected, rtol=1e-10)


@pytest.mark.parametrize("make", [lambda: layers.SimpleRNN(3), lambda: layers.LSTM(3),
                                  lambda: layers.GRU(3, return_sequences=True)])
def test_gradients_through_time(float64, make):
    layer = make()
    layer(X[:2, :3])
    x = pynn.tensor(X[:2, :3], requires_grad=True)
    assert pynn.gradcheck(lambda x_, *w: layer(x_), [x] + list(layer.trainable_weights))


def test_parameter_counts_shapes_dropout_and_errors():
    model = keras.Sequential([keras.Input((8, 16)), layers.LSTM(32, return_sequences=True),
                              layers.GRU(16, dropout=0.2, recurrent_dropout=0.2),
                              layers.Dense(10)])
    assert [layer.count_params() for layer in model.layers] == [6272, 2400, 170]
    assert [layer.output.shape for layer in model.layers] == [(None, 8, 32), (None, 16),
                                                               (None, 10)]
    x = RNG.normal(size=(4, 8, 16)).astype("float32")
    np.testing.assert_array_equal(model.predict(x, verbose=0), model.predict(x, verbose=0))
    gru = model.layers[1]
    inner = model.layers[0](x)
    assert not np.allclose(gru(inner, training=True).numpy(), gru(inner).numpy())
    outputs = layers.SimpleRNN(4, return_state=True)(keras.Input((5, 2)))
    assert [t.shape for t in outputs] == [(None, 4), (None, 4)]
    with pytest.raises(ValueError, match="no stateful recurrent layers"):
        layers.LSTM(4, stateful=True)
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=2"):
        layers.SimpleRNN(4)(np.zeros((2, 3), "float32"))


def test_a_recurrent_model_learns_and_is_saved(tmp_path):
    keras.utils.set_random_seed(2)
    x = RNG.uniform(-1, 1, size=(400, 6, 1)).astype("float32")
    y = x[:, :, 0].sum(axis=1, keepdims=True)  # the running sum of the sequence
    model = keras.Sequential([keras.Input((6, 1)), layers.SimpleRNN(16), layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    history = model.fit(x, y, epochs=20, batch_size=32, verbose=0)
    assert history.history["loss"][-1] < 0.05 * history.history["loss"][0]
    model.save(tmp_path / "rnn.keras")
    again = keras.models.load_model(tmp_path / "rnn.keras")
    np.testing.assert_allclose(again.predict(x[:5], verbose=0), model.predict(x[:5], verbose=0),
                               rtol=1e-6)


def test_bidirectional_merges_a_forward_and_a_backward_run(float64):
    bi = layers.Bidirectional(layers.LSTM(3, return_sequences=True))
    out = bi(X)
    assert out.shape == (3, 5, 6) and bi.count_params() == 2 * 4 * 3 * (4 + 3 + 1)
    forward, backward = bi.forward_layer, bi.backward_layer
    assert backward.go_backwards and not forward.go_backwards
    assert forward.name.startswith("forward_") and backward.name.startswith("backward_")
    np.testing.assert_allclose(out.numpy()[..., :3], forward(X).numpy(), rtol=1e-12)
    np.testing.assert_allclose(out.numpy()[..., 3:], backward(X).numpy()[:, ::-1], rtol=1e-12)
    summed = layers.Bidirectional(layers.GRU(2), merge_mode="sum")
    total = summed(X).numpy()
    np.testing.assert_allclose(total, summed.forward_layer(X).numpy()
                               + summed.backward_layer(X).numpy(), rtol=1e-12)
    pair = layers.Bidirectional(layers.SimpleRNN(2), merge_mode=None)(keras.Input((5, 4)))
    assert [t.shape for t in pair] == [(None, 2), (None, 2)]
    with_states = layers.Bidirectional(layers.LSTM(2, return_state=True))(keras.Input((5, 4)))
    assert [t.shape for t in with_states] == [(None, 4)] + [(None, 2)] * 4
    x = pynn.tensor(X[:2, :3], requires_grad=True)
    small = layers.Bidirectional(layers.SimpleRNN(2, return_sequences=True))
    small(X[:2, :3])
    assert pynn.gradcheck(lambda x_, *w: small(x_), [x] + small.trainable_weights)
    with pytest.raises(ValueError, match="with a recurrent layer"):
        layers.Bidirectional(layers.Dense(3))
    with pytest.raises(ValueError, match="Invalid merge mode"):
        layers.Bidirectional(layers.LSTM(3), merge_mode="max")


def test_time_distributed_applies_a_layer_at_every_step(tmp_path):
    keras.utils.set_random_seed(4)
    model = keras.Sequential([keras.Input((5, 4)),
                              layers.Bidirectional(layers.GRU(3, return_sequences=True)),
                              layers.TimeDistributed(layers.Dense(2, activation="relu"))])
    assert model.output_shape == (None, 5, 2) and model.layers[1].count_params() == 14
    x = RNG.normal(size=(2, 5, 4)).astype("float32")
    dense = model.layers[1].layer
    inner = model.layers[0](x).numpy()
    np.testing.assert_allclose(model.predict(x, verbose=0),
                               np.maximum(inner @ dense.kernel.numpy() + dense.bias.numpy(), 0),
                               rtol=1e-5, atol=1e-6)
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, np.zeros((2, 5, 2)), epochs=1, verbose=0)
    model.save(tmp_path / "wrapped.keras")
    again = keras.models.load_model(tmp_path / "wrapped.keras")
    np.testing.assert_allclose(again.predict(x, verbose=0), model.predict(x, verbose=0),
                               rtol=1e-6)
    with pytest.raises(ValueError, match="at least 3 dimensions"):
        layers.TimeDistributed(layers.Dense(2))(np.zeros((2, 3), "float32"))
