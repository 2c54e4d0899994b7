# Two iris species told apart by a single nn.Linear(4, 1) and BCEWithLogitsLoss; the logits
# reshaped with view_as, the probability from nn.functional.sigmoid.
import torch
from torch import nn, optim
from sklearn.datasets import load_iris

iris = load_iris()

# setosa and versicolor only: the first 100 rows
X = iris.data[:100]
y = iris.target[:100]

X = torch.tensor(X, dtype=torch.float32)
y = torch.tensor(y, dtype=torch.float32)

torch.manual_seed(0)
net = nn.Linear(4, 1)

loss_fn = nn.BCEWithLogitsLoss()
optimizer = optim.SGD(net.parameters(), lr=0.25)

losses = []
for epoc in range(100):
    optimizer.zero_grad()

    y_pred = net(X)
    if epoc == 0:
        print(y_pred.size(), y.size())
    loss = loss_fn(y_pred.view_as(y), y)
    loss.backward()

    optimizer.step()

    losses.append(loss.item())

h = net(X)
prob = nn.functional.sigmoid(h)
y_pred = prob > 0.5

correct = (y.byte() == y_pred.view_as(y)).sum().item()
print(correct, "of", len(y))
print(losses[0], losses[-1])

assert y_pred.dtype == torch.bool
assert correct == 100
assert losses[-1] < 0.1
