# Python control flow inside forward and one parameter used several times: every call adds a
# random number (zero to two) of high-order terms that all share the coefficient `tail`.
# Trained with SGD and momentum on sin(x).
import math
import random

import torch


class RandomDepthPoly(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.k0 = torch.nn.Parameter(torch.randn(()))
        self.k1 = torch.nn.Parameter(torch.randn(()))
        self.k2 = torch.nn.Parameter(torch.randn(()))
        self.k3 = torch.nn.Parameter(torch.randn(()))
        self.tail = torch.nn.Parameter(torch.randn(()))

    def forward(self, x):
        out = self.k0 + self.k1 * x + self.k2 * x ** 2 + self.k3 * x ** 3
        extra = random.randint(0, 2)
        for power in range(4, 4 + extra):
            out = out + self.tail * x ** power
        return out


random.seed(0)
torch.manual_seed(0)

xs = torch.linspace(-math.pi, math.pi, 1000)
ys = torch.sin(xs)

model = RandomDepthPoly()
loss_fn = torch.nn.MSELoss(reduction='sum')
opt = torch.optim.SGD(model.parameters(), lr=1e-8, momentum=0.9)

history = []
for it in range(2000):
    loss = loss_fn(model(xs), ys)
    history.append(loss.item())
    if it % 400 == 399:
        print(it, loss.item())
    opt.zero_grad()
    loss.backward()
    opt.step()

print({name: round(p.item(), 5) for name, p in model.named_parameters()})

# `tail` appears in two terms: its gradient is the sum over both uses
model.zero_grad()
pts = torch.tensor([0.5, 1.0])
(model.tail * pts ** 4 + model.tail * pts ** 5).sum().backward()
print(model.tail.grad)
assert abs(model.tail.grad.item() - (0.5 ** 4 + 0.5 ** 5 + 2.0)) < 1e-5

assert min(history[-100:]) < history[0]
assert sum(history[-100:]) / 100 < 2500
assert abs(model.tail.item()) < 0.01
