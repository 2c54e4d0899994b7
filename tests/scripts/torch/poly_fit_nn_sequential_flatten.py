# The cubic fit with torch.nn doing the model: powers of x built by broadcasting pow against an
# integer tensor, Linear(3, 1) then Flatten(0, 1) so the output matches y's shape, a summed MSE,
# and the parameters stepped by hand.
import math

import torch

torch.manual_seed(0)

xs = torch.linspace(-math.pi, math.pi, 2000)
ys = torch.sin(xs)

powers = torch.tensor([1, 2, 3])              # int64
features = xs.unsqueeze(-1).pow(powers)      # (2000, 1) ** (3,) -> (2000, 3), float32
print(powers.dtype, features.shape, features.dtype)

net = torch.nn.Sequential(
    torch.nn.Linear(3, 1),
    torch.nn.Flatten(0, 1),
)
sum_mse = torch.nn.MSELoss(reduction='sum')

eta = 1e-6
for it in range(2000):
    out = net(features)
    loss = sum_mse(out, ys)
    if it % 250 == 249:
        print(it, loss.item())

    net.zero_grad()
    loss.backward()

    with torch.no_grad():
        for param in net.parameters():
            param -= eta * param.grad

layer = net[0]
print('intercept', layer.bias.item())
print('x, x^2, x^3:', layer.weight[:, 0].item(), layer.weight[:, 1].item(), layer.weight[:, 2].item())

assert powers.dtype == torch.int64 and features.dtype == torch.float32
assert out.shape == (2000,)
assert loss.item() < 50
assert 0.6 < layer.weight[0, 0].item() < 1.1
assert -0.15 < layer.weight[:, 2].item() < -0.05
