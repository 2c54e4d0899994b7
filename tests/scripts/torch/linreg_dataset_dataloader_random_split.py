# Linear regression step by step: NumPy data, a Dataset of our own and a TensorDataset,
# random_split into train and validation, DataLoaders, a train-step closure, and validation
# under torch.no_grad() with model.eval().
import numpy as np
import torch
import torch.optim as optim
import torch.nn as nn
from torch.utils.data import Dataset, TensorDataset, DataLoader
from torch.utils.data.dataset import random_split


class CustomDataset(Dataset):
    def __init__(self, x_tensor, y_tensor):
        self.x = x_tensor
        self.y = y_tensor

    def __getitem__(self, index):
        return (self.x[index], self.y[index])

    def __len__(self):
        return len(self.x)


class ManualLinearRegression(nn.Module):
    def __init__(self):
        super().__init__()
        # To make "a" and "b" real parameters of the model, we wrap them with nn.Parameter
        self.a = nn.Parameter(torch.randn(1, requires_grad=True, dtype=torch.float))
        self.b = nn.Parameter(torch.randn(1, requires_grad=True, dtype=torch.float))

    def forward(self, x):
        return self.a + self.b * x


def make_train_step(model, loss_fn, optimizer):
    # Builds function that performs a step in the train loop
    def train_step(x, y):
        model.train()
        yhat = model(x)
        loss = loss_fn(y, yhat)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        return loss.item()
    return train_step


# Data Generation
np.random.seed(42)
x = np.random.rand(100, 1)
y = 1 + 2 * x + .1 * np.random.randn(100, 1)

device = 'cuda' if torch.cuda.is_available() else 'cpu'

x_tensor = torch.from_numpy(x).float()
y_tensor = torch.from_numpy(y).float()

dataset = CustomDataset(x_tensor, y_tensor)
print(dataset[0])
dataset = TensorDataset(x_tensor, y_tensor)
print(dataset[0], len(dataset))

torch.manual_seed(42)
train_dataset, val_dataset = random_split(dataset, [80, 20])
print(len(train_dataset), len(val_dataset))

train_loader = DataLoader(dataset=train_dataset, batch_size=16, shuffle=True)
val_loader = DataLoader(dataset=val_dataset, batch_size=20)

model = ManualLinearRegression().to(device)
print(model.state_dict())

lr = 1e-1
n_epochs = 150

loss_fn = nn.MSELoss(reduction='mean')
optimizer = optim.SGD(model.parameters(), lr=lr)
train_step = make_train_step(model, loss_fn, optimizer)

losses = []
val_losses = []
for epoch in range(n_epochs):
    batch_losses = []
    for x_batch, y_batch in train_loader:
        x_batch = x_batch.to(device)
        y_batch = y_batch.to(device)
        loss = train_step(x_batch, y_batch)
        batch_losses.append(loss)
    losses.append(np.mean(batch_losses))

    with torch.no_grad():
        for x_val, y_val in val_loader:
            x_val = x_val.to(device)
            y_val = y_val.to(device)
            model.eval()
            yhat = model(x_val)
            val_loss = loss_fn(y_val, yhat)
            val_losses.append(val_loss.item())

print(model.state_dict())
print(f"train loss {losses[-1]:.5f}  validation loss {val_losses[-1]:.5f}")

assert len(train_loader) == 5 and len(val_loader) == 1
assert abs(model.a.item() - 1.0) < 0.1 and abs(model.b.item() - 2.0) < 0.15
assert losses[-1] < 0.02 and val_losses[-1] < 0.03
