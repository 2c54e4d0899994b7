# The cubic fit handed to an optimizer: RMSprop steps the Sequential model's parameters, the
# loss history is kept as Python floats, and the optimizer prints its settings.
import math

import torch

torch.manual_seed(0)

xs = torch.linspace(-math.pi, math.pi, 2000)
ys = torch.sin(xs)
features = xs.unsqueeze(-1).pow(torch.tensor([1, 2, 3]))

net = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
criterion = torch.nn.MSELoss(reduction='sum')
opt = torch.optim.RMSprop(net.parameters(), lr=5e-3)

history = []
for it in range(2000):
    loss = criterion(net(features), ys)
    history.append(loss.item())
    if it % 250 == 249:
        print(it, loss.item())

    opt.zero_grad()
    loss.backward()
    opt.step()

lin = net[0]
print('bias', lin.bias.item(), 'weights', lin.weight.detach().numpy())
print(opt)

assert history[-1] < history[0]
assert history[-1] < 20, history[-1]
assert abs(lin.bias.item()) < 0.1
