# The device idiom of PyTorch's current tutorials: ask torch.accelerator for a GPU, fall back to
# the CPU, make that the default device for every tensor created afterwards (also inside a
# `with torch.device(...)` block), then fit a cubic to sin(x) with autograd and plain gradient
# steps, and check the result against the least-squares cubic.
import math

import torch

dtype = torch.float
device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() \
    else "cpu"
print(f"Using {device} device")
torch.set_default_device(device)
print("default device:", torch.get_default_device())

x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)
y = torch.sin(x)
assert x.device.type == device and x.is_cpu == (device == "cpu")

torch.manual_seed(1)
with torch.device(device):
    a, b, c, d = (torch.randn((), dtype=dtype, requires_grad=True) for _ in range(4))

learning_rate = 1e-6
for t in range(4000):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = (y_pred - y).pow(2).sum()
    if t % 1000 == 999:
        print(t, loss.item())
    loss.backward()
    with torch.no_grad():
        for p in (a, b, c, d):
            p -= learning_rate * p.grad
            p.grad = None

print(f"Result: y = {a.item():.4f} + {b.item():.4f} x + {c.item():.4f} x^2 + {d.item():.4f} x^3")
# the best cubic by least squares, for comparison
X = torch.stack([torch.ones_like(x), x, x ** 2, x ** 3], dim=1).double()
best = torch.linalg.lstsq(X, y.double().unsqueeze(1)).solution.squeeze(1)
best_loss = ((X @ best - y.double()) ** 2).sum().item()
print("least squares:", best.tolist(), best_loss)
assert loss.item() < 15.0 and best_loss < 10.0
assert abs(b.item() - best[1].item()) < 0.05 and abs(d.item() - best[3].item()) < 0.01
