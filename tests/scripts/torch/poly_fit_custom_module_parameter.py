# The cubic fit as a Module of its own: four scalar nn.Parameters registered by assignment, a
# forward that evaluates the polynomial, and an extra method that formats the result.
import math

import torch


class Cubic(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.w0 = torch.nn.Parameter(torch.randn(()))
        self.w1 = torch.nn.Parameter(torch.randn(()))
        self.w2 = torch.nn.Parameter(torch.randn(()))
        self.w3 = torch.nn.Parameter(torch.randn(()))

    def forward(self, x):
        return self.w0 + self.w1 * x + self.w2 * x ** 2 + self.w3 * x ** 3

    def describe(self):
        return ' + '.join(f'{p.item():.4f} x^{i}' for i, p in enumerate(self.parameters()))


torch.manual_seed(0)

xs = torch.linspace(-math.pi, math.pi, 2000)
ys = torch.sin(xs)

cubic = Cubic()
print(cubic)
print(list(cubic.parameters()))

loss_fn = torch.nn.MSELoss(reduction='sum')
sgd = torch.optim.SGD(cubic.parameters(), lr=1e-6)
for it in range(2000):
    loss = loss_fn(cubic(xs), ys)
    if it % 250 == 249:
        print(it, loss.item())
    sgd.zero_grad()
    loss.backward()
    sgd.step()

print('sin(x) ~', cubic.describe())
names = [name for name, _ in cubic.named_parameters()]
print(names)

assert names == ['w0', 'w1', 'w2', 'w3']
assert len(list(cubic.parameters())) == 4
assert loss.item() < 50
assert 0.6 < cubic.w1.item() < 1.1
