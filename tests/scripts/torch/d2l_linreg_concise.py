# The same regression with the library doing the work: data.TensorDataset(*arrays) and
# data.DataLoader (torch.utils imported as `from torch.utils import data`), a one-layer
# nn.Sequential whose weights are set in place through .data.normal_ and .data.fill_,
# nn.MSELoss and SGD.
import numpy as np
import torch
from torch.utils import data
from torch import nn

torch.manual_seed(0)
w_true = torch.tensor([1.5, -2.5, 0.7])
b_true = 3.0
X = torch.normal(0, 1, (1000, 3))
y = (torch.matmul(X, w_true) + b_true + torch.normal(0, 0.01, (1000,))).reshape(-1, 1)


def make_loader(arrays, batch_size, train=True):
    return data.DataLoader(data.TensorDataset(*arrays), batch_size, shuffle=train)


loader = make_loader((X, y), 10)
print(next(iter(loader)))

net = nn.Sequential(nn.Linear(3, 1))
net[0].weight.data.normal_(0, 0.01)
net[0].bias.data.fill_(0)

loss = nn.MSELoss()
trainer = torch.optim.SGD(net.parameters(), lr=0.03)

for epoch in range(3):
    for Xb, yb in loader:
        l = loss(net(Xb), yb)
        trainer.zero_grad()
        l.backward()
        trainer.step()
    l = loss(net(X), y)
    print(f'epoch {epoch + 1}, loss {l:f}')

w = net[0].weight.data
b = net[0].bias.data
print('w error:', w_true - w.reshape(w_true.shape), 'b error:', b_true - b)

assert len(loader) == 100
assert np.abs((w_true - w.reshape(w_true.shape)).numpy()).max() < 0.01
assert abs(b_true - b.item()) < 0.01
assert l.item() < 2e-4
