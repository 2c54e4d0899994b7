# The cubic fit of sin(x) again, this time letting autograd find the gradients: the four
# coefficients are leaf tensors with requires_grad=True, stepped inside torch.no_grad() and
# their .grad cleared by setting it to None.
import math

import torch

torch.manual_seed(0)

device = "cuda" if torch.cuda.is_available() else "cpu"
xs = torch.linspace(-math.pi, math.pi, 2000, dtype=torch.float, device=device)
ys = torch.sin(xs)

coef = [torch.randn((), dtype=torch.float, device=device, requires_grad=True) for _ in range(4)]
k0, k1, k2, k3 = coef

step_size = 1e-6
for it in range(2000):
    guess = k0 + k1 * xs + k2 * xs ** 2 + k3 * xs ** 3
    err = (guess - ys).pow(2).sum()          # a 0-dimensional tensor
    if it % 250 == 249:
        print(it, err.item())

    err.backward()

    with torch.no_grad():
        for k in coef:
            k -= step_size * k.grad
            k.grad = None

print('fit:', [round(k.item(), 4) for k in coef])

assert k0.requires_grad and k0.is_leaf and k0.grad is None
assert err.item() < 50
assert 0.6 < k1.item() < 1.1 and -0.15 < k3.item() < -0.05
