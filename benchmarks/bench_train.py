"""Training benchmarks: the tutorial's XOR job and an MLP step, pynn against hand-written NumPy
(benchmarks/baselines.py) and, when it is importable, PyTorch.

Every contender starts from the same weights and does the same work in float32; they take
turns (benchmarks/timing.py) in one process. Thread counts are set by the caller (run.py starts
one process per count, with the *_NUM_THREADS variables set before anything is imported).
"""
import numpy as np

import baselines
import pynn
import pynn.functional as F
from pynn import nn, optim
from pynn.keras.layers import Dense
from pynn.keras.models import Sequential
from timing import interleaved

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], np.float32)
XOR_Y = np.array([[0], [1], [1], [0]], np.float32)
MLP_SIZES = (784, 256, 256, 10)
MLP_BATCH = 128


def torch_or_none():
    """The torch module, or None when it is not installed (its rows are then skipped)."""
    try:
        import torch
    except ImportError:
        return None
    return torch


def _load_nn(model, weights):
    """Copy (in, out) kernels and biases into the Linear layers of an nn.Sequential."""
    linears = [m for m in model if isinstance(m, nn.Linear)]
    for lin, W, b in zip(linears, weights[0::2], weights[1::2]):
        lin.weight.data[...] = W.T
        lin.bias.data[...] = b


def _nn_mlp(sizes, weights):
    """nn.Sequential of Linear/ReLU for these layer sizes, ending in logits, with `weights`."""
    mods = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        mods += [nn.Linear(fan_in, fan_out), nn.ReLU()]
    model = nn.Sequential(*mods[:-1])
    _load_nn(model, weights)
    return model


def pynn_xor_loop(weights, lr=1e-3):
    """The XOR job as a PyTorch-style pynn loop: nn.Sequential, BCE from logits, optim.Adam."""
    model = _nn_mlp((2, 4, 1), weights)
    opt = optim.Adam(model.parameters(), lr=lr)
    X = pynn.Tensor(XOR_X)

    def train(epochs):
        loss = None
        for _ in range(epochs):
            opt.zero_grad()
            loss = F.binary_cross_entropy_with_logits(model(X), XOR_Y)
            loss.backward()
            opt.step()
        return loss.item()

    return train


def pynn_xor_fit(weights):
    """The tutorial's code: Sequential of Dense, compile('adam', 'binary_crossentropy',
    ['accuracy']), then fit(X, y, epochs=..., verbose=0)."""
    model = Sequential([Dense(4, input_dim=2, activation='relu'), Dense(1, activation='sigmoid')])
    model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
    model.set_weights(weights)

    def train(epochs):
        return model.fit(XOR_X, XOR_Y, epochs=epochs, verbose=0).history["loss"][-1]

    return train


def pynn_mlp_loop(weights, lr=1e-3):
    """The MLP step as a pynn loop: nn.Sequential, cross_entropy, optim.Adam."""
    model = _nn_mlp(MLP_SIZES, weights)
    opt = optim.Adam(model.parameters(), lr=lr)

    def step(x, labels):
        opt.zero_grad()
        loss = F.cross_entropy(model(pynn.Tensor(x)), labels)
        loss.backward()
        opt.step()
        return loss.item()

    return step


def pynn_mlp_fit(weights, x, labels):
    """The MLP through Keras: fit one epoch over x in batches of 128 (shuffle=False, so that a
    batch is the same work as the other contenders' step). Returns run() -> batches done."""
    layers = [Dense(MLP_SIZES[1], input_dim=MLP_SIZES[0], activation='relu')]
    layers += [Dense(units, activation='relu') for units in MLP_SIZES[2:-1]]
    layers += [Dense(MLP_SIZES[-1], activation='softmax')]
    model = Sequential(layers)
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
    model.set_weights(weights)

    def run():
        model.fit(x, labels, batch_size=MLP_BATCH, epochs=1, shuffle=False, verbose=0)

    return run


def xor(epochs=1000, repeat=15, pause=0.0, seed=0):
    """Seconds per `epochs` epochs of the tutorial's XOR job for each contender."""
    weights = baselines.glorot_weights((2, 4, 1), np.random.default_rng(seed))
    jobs = {"NumPy": baselines.numpy_xor(XOR_X, XOR_Y, weights),
            "pynn Tensor/optim": pynn_xor_loop(weights),
            "pynn fit": pynn_xor_fit(weights)}
    if torch_or_none():
        jobs["PyTorch"] = baselines.torch_xor(XOR_X, XOR_Y, weights)
    return interleaved({name: (lambda f=f: f(epochs)) for name, f in jobs.items()},
                       repeat=repeat, pause=pause)


def mlp(repeat=15, number=10, fit_batches=8, pause=0.0, seed=0):
    """Seconds per training step (784-256-256-10, batch 128, softmax cross-entropy, Adam) for
    each contender."""
    rng = np.random.default_rng(seed)
    weights = baselines.glorot_weights(MLP_SIZES, rng)
    x = rng.standard_normal((MLP_BATCH, MLP_SIZES[0])).astype(np.float32)
    labels = rng.integers(0, MLP_SIZES[-1], MLP_BATCH)
    steps = {"NumPy": baselines.numpy_mlp(weights), "pynn Tensor/optim": pynn_mlp_loop(weights)}
    if torch_or_none():
        steps["PyTorch"] = baselines.torch_mlp(weights)
    jobs = {name: (lambda f=f: f(x, labels)) for name, f in steps.items()}
    # fit's time is per call of `fit_batches` batches: it joins the others' turns as one call.
    xs = np.tile(x, (fit_batches, 1))
    ys = np.tile(labels, fit_batches)
    jobs["pynn fit"] = pynn_mlp_fit(weights, xs, ys)
    seconds = interleaved(jobs, repeat=repeat, number=number, pause=pause)
    seconds["pynn fit"] /= fit_batches
    return seconds
