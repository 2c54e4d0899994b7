# Handwritten digits (8x8) with a Sequential 64-32-16-10, Adam at its default learning rate and
# a DataLoader over a TensorDataset; accuracy from torch.max(net(X), 1) on held-out digits.
import torch
from torch import nn, optim
from torch.utils.data import TensorDataset, DataLoader
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

digits = load_digits()

X = digits.data
Y = digits.target
X_train, X_test, Y_train, Y_test = train_test_split(X, Y, test_size=0.3, random_state=0)

X_train = torch.tensor(X_train, dtype=torch.float32)
Y_train = torch.tensor(Y_train, dtype=torch.int64)
X_test = torch.tensor(X_test, dtype=torch.float32)
Y_test = torch.tensor(Y_test, dtype=torch.int64)
print(X_train.size(), Y_train.size())

torch.manual_seed(0)
ds = TensorDataset(X_train, Y_train)
loader = DataLoader(ds, batch_size=64, shuffle=True)

net = nn.Sequential(
    nn.Linear(64, 32),
    nn.ReLU(),
    nn.Linear(32, 16),
    nn.ReLU(),
    nn.Linear(16, 10)
)

loss_fn = nn.CrossEntropyLoss()
optimizer = optim.Adam(net.parameters())

losses = []
for epoch in range(40):
    running_loss = 0.0
    for xx, yy in loader:
        y_pred = net(xx)
        loss = loss_fn(y_pred, yy)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running_loss += loss.item()
    losses.append(running_loss)
    if epoch % 10 == 0:
        print(epoch, running_loss)

net.eval()
_, y_pred = torch.max(net(X_test), 1)
acc = (y_pred == Y_test).sum().item() / len(Y_test)
print("test accuracy:", acc)

_, y_pred_train = torch.max(net(X_train), 1)
train_acc = (y_pred_train == Y_train).sum().item() / len(Y_train)
print("train accuracy:", train_acc)

assert len(loader) == 20
assert losses[-1] < losses[0] / 5
assert acc > 0.92
