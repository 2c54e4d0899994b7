# y = 0.5 + 3x learned from NumPy data through the data utilities: a hand-written Dataset, then
# a TensorDataset, random_split into 80/20, two DataLoaders, a closure that performs one
# training step, and the validation loss under torch.no_grad() with model.eval().
import numpy as np
import torch
import torch.optim as optim
import torch.nn as nn
from torch.utils.data import Dataset, TensorDataset, DataLoader
from torch.utils.data.dataset import random_split


class PairDataset(Dataset):
    def __init__(self, inputs, targets):
        self.inputs = inputs
        self.targets = targets

    def __getitem__(self, i):
        return (self.inputs[i], self.targets[i])

    def __len__(self):
        return len(self.inputs)


class TwoParamLine(nn.Module):
    def __init__(self):
        super().__init__()
        # nn.Parameter makes them show up in parameters() and state_dict()
        self.intercept = nn.Parameter(torch.randn(1, requires_grad=True, dtype=torch.float))
        self.slope = nn.Parameter(torch.randn(1, requires_grad=True, dtype=torch.float))

    def forward(self, x):
        return self.intercept + self.slope * x


def build_step(model, loss_fn, optimizer):
    def step(xb, yb):
        model.train()
        loss = loss_fn(yb, model(xb))
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        return loss.item()
    return step


np.random.seed(3)
x = np.random.rand(100, 1)
y = 0.5 + 3 * x + .1 * np.random.randn(100, 1)

device = 'cuda' if torch.cuda.is_available() else 'cpu'
x_t = torch.from_numpy(x).float()
y_t = torch.from_numpy(y).float()

print(PairDataset(x_t, y_t)[0])
dataset = TensorDataset(x_t, y_t)
print(dataset[0], len(dataset))

torch.manual_seed(3)
train_ds, val_ds = random_split(dataset, [80, 20])
print(len(train_ds), len(val_ds))
train_loader = DataLoader(dataset=train_ds, batch_size=16, shuffle=True)
val_loader = DataLoader(dataset=val_ds, batch_size=20)

model = TwoParamLine().to(device)
print(model.state_dict())

loss_fn = nn.MSELoss(reduction='mean')
optimizer = optim.SGD(model.parameters(), lr=0.1)
step = build_step(model, loss_fn, optimizer)

train_hist, val_hist = [], []
for epoch in range(150):
    batch_losses = []
    for xb, yb in train_loader:
        batch_losses.append(step(xb.to(device), yb.to(device)))
    train_hist.append(np.mean(batch_losses))

    with torch.no_grad():
        for xv, yv in val_loader:
            model.eval()
            val_hist.append(loss_fn(yv.to(device), model(xv.to(device))).item())

print(model.state_dict())
print(f"train {train_hist[-1]:.5f}  validation {val_hist[-1]:.5f}")

assert len(train_loader) == 5 and len(val_loader) == 1
assert abs(model.intercept.item() - 0.5) < 0.1 and abs(model.slope.item() - 3.0) < 0.15
assert train_hist[-1] < 0.02 and val_hist[-1] < 0.03
