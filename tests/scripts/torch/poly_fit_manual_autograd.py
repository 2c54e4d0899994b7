# The same cubic fit to sin(x), gradients from autograd: requires_grad=True weights, updates
# under torch.no_grad(), gradients reset with .grad = None.
import math

import torch

torch.manual_seed(0)

dtype = torch.float
device = "cuda" if torch.cuda.is_available() else "cpu"

x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype, device=device)
y = torch.sin(x)

a = torch.randn((), dtype=dtype, device=device, requires_grad=True)
b = torch.randn((), dtype=dtype, device=device, requires_grad=True)
c = torch.randn((), dtype=dtype, device=device, requires_grad=True)
d = torch.randn((), dtype=dtype, device=device, requires_grad=True)

learning_rate = 1e-6
for t in range(2000):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3

    # loss is a 0-dimensional tensor; loss.item() is its value as a Python number
    loss = (y_pred - y).pow(2).sum()
    if t % 100 == 99:
        print(t, loss.item())

    loss.backward()

    with torch.no_grad():
        a -= learning_rate * a.grad
        b -= learning_rate * b.grad
        c -= learning_rate * c.grad
        d -= learning_rate * d.grad

        # Manually zero the gradients after updating weights
        a.grad = None
        b.grad = None
        c.grad = None
        d.grad = None

print(f'Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3')

assert a.requires_grad and a.is_leaf and a.grad is None
assert loss.item() < 50
assert 0.6 < b.item() < 1.1 and -0.15 < d.item() < -0.05
