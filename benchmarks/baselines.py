"""The benchmarks' yardsticks: the same training work written by hand in NumPy, and in PyTorch.

The NumPy versions are what a competent person writes without a framework: buffers allocated
once and reused through `out=`, the weights in one flat array (views give each layer its
matrix) so that Adam is a handful of whole-array operations, the loss computed from the logits.
Nothing cleverer than plain NumPy: no numba, no hand-made C.

Each factory takes the initial weights as (in, out) kernels and biases and returns a function
that trains: `train(epochs) -> last loss` for XOR (full batch), `step(x, labels) -> loss` for
the MLP. Weights are float32, as in Keras and PyTorch.
"""
import math

import numpy as np


def glorot_weights(sizes, rng, dtype=np.float32):
    """[kernel, bias, kernel, bias, ...] for a stack of dense layers of these sizes (e.g.
    (2, 4, 1)): glorot-uniform kernels of shape (in, out), zero biases, as Keras initialises."""
    weights = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        weights.append(rng.uniform(-limit, limit, (fan_in, fan_out)).astype(dtype))
        weights.append(np.zeros(fan_out, dtype))
    return weights


def _flat(weights, dtype):
    """One flat array holding copies of `weights`, and views of it shaped like each of them."""
    theta = np.concatenate([np.asarray(w, dtype).ravel() for w in weights])
    return theta, _views(theta, weights)


def _views(flat, shapes_like):
    views, start = [], 0
    for w in shapes_like:
        views.append(flat[start:start + w.size].reshape(w.shape))
        start += w.size
    return views


class _Adam:
    """Adam over one flat parameter array, in place. keras=True is Keras's form (eps added to
    the uncorrected sqrt(v)), else PyTorch's (eps added to the bias-corrected sqrt(v))."""

    def __init__(self, theta, grad, lr=1e-3, beta1=0.9, beta2=0.999, eps=None, keras=False):
        self.theta, self.grad = theta, grad
        self.m, self.v, self.tmp = (np.zeros_like(theta) for _ in range(3))
        self.lr, self.beta1, self.beta2, self.keras = lr, beta1, beta2, keras
        self.eps = eps if eps is not None else (1e-7 if keras else 1e-8)
        self.t = 0

    def step(self):
        self.t += 1
        b1, b2, m, v, tmp = self.beta1, self.beta2, self.m, self.v, self.tmp
        m *= b1
        np.multiply(self.grad, 1 - b1, out=tmp)
        m += tmp
        v *= b2
        np.multiply(self.grad, self.grad, out=tmp)
        tmp *= 1 - b2
        v += tmp
        np.sqrt(v, out=tmp)
        if self.keras:
            step_size = self.lr * math.sqrt(1 - b2 ** self.t) / (1 - b1 ** self.t)
        else:
            step_size = self.lr / (1 - b1 ** self.t)
            tmp *= 1 / math.sqrt(1 - b2 ** self.t)
        tmp += self.eps
        np.divide(m, tmp, out=tmp)
        tmp *= step_size
        self.theta -= tmp


def numpy_xor(X, y, weights, lr=1e-3, keras=True):
    """The tutorial's network (2-H-1, ReLU, sigmoid output, binary cross-entropy, Adam) trained
    on the full batch by hand in NumPy. Returns train(epochs) -> the last epoch's mean loss."""
    X = np.ascontiguousarray(X, np.float32)
    y = np.ascontiguousarray(y, np.float32).reshape(len(X), 1)
    theta, (W1, b1, W2, b2) = _flat(weights, np.float32)
    grad = np.zeros_like(theta)
    gW1, gb1, gW2, gb2 = _views(grad, weights)
    adam = _Adam(theta, grad, lr=lr, keras=keras)
    n = len(X)
    h = np.empty((n, W1.shape[1]), np.float32)
    dh = np.empty_like(h)
    z, e, p, dz = (np.empty((n, 1), np.float32) for _ in range(4))
    Xt = X.T

    def train(epochs):
        loss = math.nan
        for _ in range(epochs):
            np.matmul(X, W1, out=h)
            np.add(h, b1, out=h)
            np.maximum(h, 0, out=h)
            np.matmul(h, W2, out=z)
            np.add(z, b2, out=z)
            # Mean BCE of sigmoid(z) from the logits: max(z,0) - z y + log1p(exp(-|z|)).
            np.abs(z, out=e)
            np.negative(e, out=e)
            np.exp(e, out=e)
            np.maximum(z, 0, out=p)
            np.subtract(p, z * y, out=p)
            loss = float(np.mean(p + np.log1p(e)))
            # d loss / dz = (sigmoid(z) - y) / n, sigmoid from the same exp(-|z|).
            np.divide(np.where(z >= 0, 1, e), 1 + e, out=p)
            np.subtract(p, y, out=dz)
            np.multiply(dz, 1 / n, out=dz)
            np.matmul(h.T, dz, out=gW2)
            np.sum(dz, axis=0, out=gb2)
            np.matmul(dz, W2.T, out=dh)
            np.multiply(dh, h > 0, out=dh)
            np.matmul(Xt, dh, out=gW1)
            np.sum(dh, axis=0, out=gb1)
            adam.step()
        return loss

    return train


def numpy_mlp(weights, lr=1e-3):
    """A dense ReLU network ending in logits, trained by softmax cross-entropy and Adam
    (PyTorch's form) by hand in NumPy. Returns step(x, labels) -> the batch's mean loss."""
    theta, layers = _flat(weights, np.float32)
    grad = np.zeros_like(theta)
    grads = _views(grad, weights)
    adam = _Adam(theta, grad, lr=lr)
    Ws, bs, gWs, gbs = layers[0::2], layers[1::2], grads[0::2], grads[1::2]
    buffers = {}

    def step(x, labels):
        n = len(x)
        if n not in buffers:  # activations and their gradients, allocated once per batch size
            buffers[n] = ([np.empty((n, W.shape[1]), np.float32) for W in Ws],
                          [np.empty((n, W.shape[1]), np.float32) for W in Ws])
        acts, dacts = buffers[n]
        rows = np.arange(n)
        a = x
        for W, b, out in zip(Ws, bs, acts):
            np.matmul(a, W, out=out)
            out += b
            if out is not acts[-1]:
                np.maximum(out, 0, out=out)
            a = out
        # Softmax cross-entropy from the logits, and its gradient (softmax - onehot) / n.
        z = acts[-1]
        z -= z.max(axis=1, keepdims=True)
        dz = dacts[-1]
        np.exp(z, out=dz)
        total = dz.sum(axis=1, keepdims=True)
        loss = float(np.mean(np.log(total[:, 0]) - z[rows, labels]))
        dz /= total
        dz[rows, labels] -= 1
        dz *= 1 / n
        for i in range(len(Ws) - 1, -1, -1):
            below = acts[i - 1] if i else x
            np.matmul(below.T, dacts[i], out=gWs[i])
            np.sum(dacts[i], axis=0, out=gbs[i])
            if i:
                np.matmul(dacts[i], Ws[i].T, out=dacts[i - 1])
                dacts[i - 1] *= below > 0
        adam.step()
        return loss

    return step


def torch_xor(X, y, weights, lr=1e-3):
    """The XOR job in PyTorch: nn.Sequential, BCEWithLogitsLoss, torch.optim.Adam."""
    import torch
    net = torch.nn.Sequential(torch.nn.Linear(*weights[0].shape), torch.nn.ReLU(),
                              torch.nn.Linear(*weights[2].shape))
    _load_torch(net, weights)
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    X = torch.as_tensor(np.asarray(X, np.float32))
    y = torch.as_tensor(np.asarray(y, np.float32).reshape(len(X), 1))

    def train(epochs):
        loss = None
        for _ in range(epochs):
            opt.zero_grad()
            loss = loss_fn(net(X), y)
            loss.backward()
            opt.step()
        return loss.item()

    return train


def torch_mlp(weights, lr=1e-3):
    """The MLP step in PyTorch: nn.Sequential of Linear/ReLU, cross_entropy, torch.optim.Adam."""
    import torch
    mods = []
    for W in weights[0::2]:
        mods += [torch.nn.Linear(*W.shape), torch.nn.ReLU()]
    net = torch.nn.Sequential(*mods[:-1])
    _load_torch(net, weights)
    opt = torch.optim.Adam(net.parameters(), lr=lr)

    def step(x, labels):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(net(torch.from_numpy(x)),
                                                 torch.from_numpy(labels))
        loss.backward()
        opt.step()
        return loss.item()

    return step


def _load_torch(net, weights):
    """Copy (in, out) kernels and biases into a torch Sequential's Linear layers."""
    import torch
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    with torch.no_grad():
        for lin, W, b in zip(linears, weights[0::2], weights[1::2]):
            lin.weight.copy_(torch.from_numpy(np.ascontiguousarray(W.T)))
            lin.bias.copy_(torch.from_numpy(b))
