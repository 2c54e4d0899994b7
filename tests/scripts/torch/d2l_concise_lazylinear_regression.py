# Linear regression in the concise style of the d2l book: synthetic data y = Xw + b + noise, a
# model whose only layer is nn.LazyLinear(1) (its input size found on the first batch), weights
# re-initialised through .data, a DataLoader over a TensorDataset, SGD, and the learned w and b
# compared with the true ones.
import torch
from torch import nn
from torch.utils import data

torch.manual_seed(0)
true_w = torch.tensor([2.0, -3.4])
true_b = 4.2


def synthetic_data(w, b, num_examples):
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


features, labels = synthetic_data(true_w, true_b, 1000)
print("features:", features[0], "\nlabel:", labels[0])


def load_array(data_arrays, batch_size, is_train=True):
    dataset = data.TensorDataset(*data_arrays)
    return data.DataLoader(dataset, batch_size, shuffle=is_train)


batch_size = 10
data_iter = load_array((features, labels), batch_size)
print(next(iter(data_iter)))

net = nn.Sequential(nn.LazyLinear(1))
print(net)
net(features[:2])  # the dry run that fixes the input size
print(net)
net[0].weight.data.normal_(0, 0.01)
net[0].bias.data.fill_(0)
loss = nn.MSELoss()
trainer = torch.optim.SGD(net.parameters(), lr=0.03)

num_epochs = 3
for epoch in range(num_epochs):
    for X, y in data_iter:
        l = loss(net(X), y)
        trainer.zero_grad()
        l.backward()
        trainer.step()
    l = loss(net(features), labels)
    print(f"epoch {epoch + 1}, loss {l:f}")

w = net[0].weight.data
print("error in estimating w:", true_w - w.reshape(true_w.shape))
b = net[0].bias.data
print("error in estimating b:", true_b - b)
assert type(net[0]).__name__ == "Linear" and net[0].in_features == 2
assert torch.allclose(w.reshape(-1), true_w, atol=0.01) and abs(b.item() - true_b) < 0.01
assert l.item() < 2e-4
