# Logistic regression written out by hand: weights as tensors with requires_grad_(), the sigmoid
# as the tensor method, binary cross-entropy from torch.log with clamp, updates with sub_ under
# torch.no_grad(), then the same model checked against nn.BCELoss.
import torch
import torch.nn as nn

torch.manual_seed(0)

# two Gaussian blobs
n = 200
x0 = torch.randn(n, 2) + torch.tensor([2.0, 2.0])
x1 = torch.randn(n, 2) + torch.tensor([-2.0, -2.0])
X = torch.cat([x0, x1], dim=0)
y = torch.cat([torch.zeros(n), torch.ones(n)]).view(-1, 1)
print(X.shape, y.shape)

w = torch.zeros(2, 1)
w.requires_grad_()
b = torch.zeros(1, requires_grad=True)


def model(x):
    return (x @ w + b).sigmoid()


def bce(p, t):
    p = torch.clamp(p, 1e-7, 1 - 1e-7)
    return -(t * torch.log(p) + (1 - t) * torch.log(1 - p)).mean()


lr = 0.5
for epoch in range(200):
    p = model(X)
    loss = bce(p, y)
    loss.backward()
    with torch.no_grad():
        w.sub_(lr * w.grad)
        b.sub_(lr * b.grad)
        w.grad.zero_()
        b.grad.zero_()
    if epoch % 40 == 0:
        acc = ((p > 0.5).float() == y).float().mean()
        print(f"epoch {epoch}: loss {loss.item():.4f} acc {acc.item():.3f}")

with torch.no_grad():
    p = model(X)
    acc = ((p >= 0.5) == y.bool()).float().mean().item()
    builtin = nn.BCELoss()(p, y).item()
    mine = bce(p, y).item()
print(w.view(-1).tolist(), b.item(), acc, builtin, mine)

assert abs(builtin - mine) < 1e-5
assert acc > 0.98
assert w[0].item() < 0 and w[1].item() < 0   # class 1 is down and to the left
