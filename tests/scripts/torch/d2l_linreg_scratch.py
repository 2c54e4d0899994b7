# Linear regression with every piece written by hand: data made with torch.normal and
# torch.matmul, a generator that shuffles indices with random.shuffle and picks each batch with
# a tensor of indices, a squared loss, and a minibatch SGD that divides by the batch size.
import random

import torch


def make_data(w, b, n):
    X = torch.normal(0, 1, (n, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


random.seed(0)
torch.manual_seed(0)

w_true = torch.tensor([1.5, -2.5, 0.7])
b_true = 3.0
X_all, y_all = make_data(w_true, b_true, 1000)
print('first row:', X_all[0], y_all[0])


def batches(size, X, y):
    order = list(range(len(X)))
    random.shuffle(order)
    for i in range(0, len(X), size):
        idx = torch.tensor(order[i:min(i + size, len(X))])
        yield X[idx], y[idx]


for Xb, yb in batches(8, X_all, y_all):
    print(Xb.shape, yb.shape)
    break

w = torch.normal(0, 0.01, size=(3, 1), requires_grad=True)
b = torch.zeros(1, requires_grad=True)


def linear(X, w, b):
    return torch.matmul(X, w) + b


def half_squared(pred, y):
    return (pred - y.reshape(pred.shape)) ** 2 / 2


def minibatch_sgd(params, lr, size):
    with torch.no_grad():
        for prm in params:
            prm -= lr * prm.grad / size
            prm.grad.zero_()


lr, size = 0.03, 10
for epoch in range(3):
    for Xb, yb in batches(size, X_all, y_all):
        loss = half_squared(linear(Xb, w, b), yb)   # shape (size, 1)
        loss.sum().backward()
        minibatch_sgd([w, b], lr, size)
    with torch.no_grad():
        full = half_squared(linear(X_all, w, b), y_all)
        print(f'epoch {epoch + 1}, loss {float(full.mean()):f}')

print('w error:', w_true - w.reshape(w_true.shape))
print('b error:', b_true - b)

assert X_all.shape == (1000, 3) and y_all.shape == (1000, 1)
assert (w_true - w.reshape(w_true.shape)).abs().max().item() < 0.01
assert abs((b_true - b).item()) < 0.01
assert float(full.mean()) < 1e-4
