# The cubic fit with torch.nn: the features (x, x^2, x^3) from broadcasting pow, a Linear(3, 1)
# followed by Flatten(0, 1), MSELoss(reduction='sum') and a hand-written parameter update.
import math

import torch

torch.manual_seed(0)

x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)

# x.unsqueeze(-1) has shape (2000, 1) and p has shape (3,): broadcasting gives (2000, 3)
p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)
print(p.dtype, xx.shape, xx.dtype)

model = torch.nn.Sequential(
    torch.nn.Linear(3, 1),
    torch.nn.Flatten(0, 1)
)
loss_fn = torch.nn.MSELoss(reduction='sum')

learning_rate = 1e-6
for t in range(2000):
    y_pred = model(xx)
    loss = loss_fn(y_pred, y)
    if t % 100 == 99:
        print(t, loss.item())

    model.zero_grad()
    loss.backward()

    with torch.no_grad():
        for param in model.parameters():
            param -= learning_rate * param.grad

linear_layer = model[0]
print(f'Result: y = {linear_layer.bias.item()} + {linear_layer.weight[:, 0].item()} x + '
      f'{linear_layer.weight[:, 1].item()} x^2 + {linear_layer.weight[:, 2].item()} x^3')

assert p.dtype == torch.int64 and xx.dtype == torch.float32
assert y_pred.shape == (2000,)
assert loss.item() < 50
assert 0.6 < linear_layer.weight[0, 0].item() < 1.1
assert -0.15 < linear_layer.weight[:, 2].item() < -0.05
