# Control flow and weight sharing: a module whose forward picks a random number of extra terms
# each call and reuses the same parameter for each of them; SGD with momentum.
import math
import random

import torch


class DynamicNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.a = torch.nn.Parameter(torch.randn(()))
        self.b = torch.nn.Parameter(torch.randn(()))
        self.c = torch.nn.Parameter(torch.randn(()))
        self.d = torch.nn.Parameter(torch.randn(()))
        self.e = torch.nn.Parameter(torch.randn(()))

    def forward(self, x):
        y = self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3
        for exp in range(4, random.randint(4, 6)):
            y = y + self.e * x ** exp
        return y

    def string(self):
        return (f'y = {self.a.item()} + {self.b.item()} x + {self.c.item()} x^2 + '
                f'{self.d.item()} x^3 + {self.e.item()} x^4 ? + {self.e.item()} x^5 ?')


random.seed(0)
torch.manual_seed(0)

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)

model = DynamicNet()

criterion = torch.nn.MSELoss(reduction='sum')
optimizer = torch.optim.SGD(model.parameters(), lr=1e-8, momentum=0.9)
history = []
for t in range(2000):
    y_pred = model(x)

    loss = criterion(y_pred, y)
    history.append(loss.item())
    if t % 500 == 499:
        print(t, loss.item())

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

print(f'Result: {model.string()}')

# e is shared between the x^4 and x^5 terms; its gradient is the sum of both uses
model.zero_grad()
xs = torch.tensor([0.5, 1.0])
out = model.e * xs ** 4 + model.e * xs ** 5
out.sum().backward()
print(model.e.grad)
assert abs(model.e.grad.item() - (0.5 ** 4 + 0.5 ** 5 + 2.0)) < 1e-5

assert min(history[-100:]) < history[0]
assert sum(history[-100:]) / 100 < 5000
assert abs(model.e.item()) < 0.01
