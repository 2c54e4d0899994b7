# A custom torch.autograd.Function inside a fit: forward and backward as static methods, the
# input kept with ctx.save_for_backward and read back from ctx.saved_tensors, used through
# .apply. Here the function is a truncated sine series, S(u) = u - u^3 / 6, and the model
# y = a + b * S(c + d x) is fitted to sin(x).
import math

import torch


class SineSeries(torch.autograd.Function):
    @staticmethod
    def forward(ctx, u):
        ctx.save_for_backward(u)
        return u - u ** 3 / 6

    @staticmethod
    def backward(ctx, grad_out):
        u, = ctx.saved_tensors
        return grad_out * (1 - u ** 2 / 2)


xs = torch.linspace(-math.pi, math.pi, 2000, dtype=torch.float, device=torch.device("cpu"))
ys = torch.sin(xs)

# start near a sensible answer so the fit stays stable
a = torch.full((), 0.1, dtype=torch.float, requires_grad=True)
b = torch.full((), 0.5, dtype=torch.float, requires_grad=True)
c = torch.full((), 0.0, dtype=torch.float, requires_grad=True)
d = torch.full((), 0.5, dtype=torch.float, requires_grad=True)

lr = 2e-5
first = None
for it in range(2000):
    S = SineSeries.apply
    pred = a + b * S(c + d * xs)
    loss = (pred - ys).pow(2).sum()
    if first is None:
        first = loss.item()
    if it % 250 == 249:
        print(it, loss.item())
    loss.backward()
    with torch.no_grad():
        for p in (a, b, c, d):
            p -= lr * p.grad
            p.grad = None

print(f'y = {a.item():.4f} + {b.item():.4f} * S({c.item():.4f} + {d.item():.4f} x)')

# the hand-written backward agrees with autograd's own derivative
u = torch.linspace(-1, 1, 7, requires_grad=True)
SineSeries.apply(u).sum().backward()
by_hand = u.grad.clone()
u.grad = None
(u - u ** 3 / 6).sum().backward()
print(by_hand, u.grad)

assert torch.allclose(by_hand, u.grad)
assert loss.item() < first / 5
assert loss.item() < 20
