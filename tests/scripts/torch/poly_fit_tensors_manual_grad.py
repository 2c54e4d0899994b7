# sin(x) approximated by a cubic, trained with tensors and nothing else: the derivative of the
# summed squared error is worked out by hand for each coefficient (no autograd at all).
import math

import torch

dtype = torch.float
device = torch.device("cpu")          # torch.device("cuda:0") on a GPU machine

torch.manual_seed(0)

xs = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
ys = torch.sin(xs)

# four scalar coefficients, drawn at random
c0 = torch.randn((), device=device, dtype=dtype)
c1 = torch.randn((), device=device, dtype=dtype)
c2 = torch.randn((), device=device, dtype=dtype)
c3 = torch.randn((), device=device, dtype=dtype)

lr = 1e-6
for it in range(2000):
    pred = c0 + c1 * xs + c2 * xs ** 2 + c3 * xs ** 3

    sse = (pred - ys).pow(2).sum().item()
    if it % 250 == 249:
        print(it, sse)

    # d(sse)/d(pred), then the chain rule by hand
    d_pred = 2.0 * (pred - ys)
    g0 = d_pred.sum()
    g1 = (d_pred * xs).sum()
    g2 = (d_pred * xs ** 2).sum()
    g3 = (d_pred * xs ** 3).sum()

    c0 -= lr * g0
    c1 -= lr * g1
    c2 -= lr * g2
    c3 -= lr * g3

print(f'sin(x) ~ {c0.item():.4f} + {c1.item():.4f} x + {c2.item():.4f} x^2 + {c3.item():.4f} x^3')

assert isinstance(sse, float)
assert c0.shape == () and c0.dtype == torch.float32
assert sse < 50, sse
assert 0.6 < c1.item() < 1.1 and -0.15 < c3.item() < -0.05
