# Digits with nn.Dropout between the layers, model.train()/model.eval() around evaluation, and a
# StepLR learning-rate schedule stepped once an epoch; the learning rate read back from the
# optimizer's param_groups and from scheduler.get_last_lr().
import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader, TensorDataset
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

torch.manual_seed(0)
np.random.seed(0)

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

X_train_t = torch.from_numpy(X_train).float()
y_train_t = torch.from_numpy(y_train).long()
X_test_t = torch.from_numpy(X_test).float()
y_test_t = torch.from_numpy(y_test).long()

train_loader = DataLoader(TensorDataset(X_train_t, y_train_t), batch_size=64, shuffle=True)


class MLP(nn.Module):
    def __init__(self, in_dim=64, hidden=128, n_classes=10, p=0.3):
        super().__init__()
        self.fc1 = nn.Linear(in_dim, hidden)
        self.drop1 = nn.Dropout(p)
        self.fc2 = nn.Linear(hidden, hidden)
        self.drop2 = nn.Dropout(p)
        self.out = nn.Linear(hidden, n_classes)

    def forward(self, x):
        x = self.drop1(torch.relu(self.fc1(x)))
        x = self.drop2(torch.relu(self.fc2(x)))
        return self.out(x)


model = MLP()
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = StepLR(optimizer, step_size=5, gamma=0.5)

lrs = []
for epoch in range(15):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
    lrs.append(optimizer.param_groups[0]['lr'])
    scheduler.step()

    model.eval()
    with torch.no_grad():
        out = model(X_test_t)
        acc = (out.argmax(dim=1) == y_test_t).float().mean().item()
    print(f"epoch {epoch + 1:2d}  lr {lrs[-1]:.4f}  loss {loss.item():.4f}  test acc {acc:.4f}")

print(scheduler.get_last_lr())

# dropout is random in train mode and off in eval mode
model.train()
a = model(X_test_t[:5])
b = model(X_test_t[:5])
model.eval()
c = model(X_test_t[:5])
d = model(X_test_t[:5])
assert not torch.equal(a, b)
assert torch.equal(c, d)

assert lrs[0] == 0.1 and lrs[5] == 0.05 and lrs[10] == 0.025
assert abs(scheduler.get_last_lr()[0] - 0.0125) < 1e-12
assert acc > 0.95
