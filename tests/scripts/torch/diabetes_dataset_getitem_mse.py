# Diabetes regression through a Dataset that builds its tensors per item (torch.tensor(row)
# .float(), a 0-dimensional target), next(iter(loader)) to look at a batch, F.mse_loss on the
# unsqueezed target, and an R^2 score at the end.
import numpy as np
import torch
import torch.nn.functional as F
from sklearn.datasets import load_diabetes
from torch.utils.data import DataLoader, Dataset


class DiabetesDataset(Dataset):
    def __init__(self):
        super().__init__()
        X, y = load_diabetes(return_X_y=True)
        self.X = (X - X.mean(axis=0)) / X.std(axis=0)
        self.y = (y - y.mean()) / y.std()

    def __getitem__(self, idx):
        return (torch.tensor(self.X[idx]).float(), torch.tensor(self.y[idx]).float())

    def __len__(self):
        return len(self.X)


dataset = DiabetesDataset()
torch.manual_seed(0)
train_loader = DataLoader(dataset, shuffle=True, batch_size=32)

example = next(iter(train_loader))
features, labels = example
print(features.shape, labels.shape, features.dtype, labels.dtype)


class LinearRegression(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.linear_layer = torch.nn.Linear(10, 1)   # initialise parameters

    def forward(self, features):
        return self.linear_layer(features)            # make prediction


model = LinearRegression()


def train(model, epochs=10):
    optimiser = torch.optim.SGD(model.parameters(), lr=0.01)
    for epoch in range(epochs):
        for batch in train_loader:
            features, labels = batch
            prediction = model(features)
            loss = F.mse_loss(prediction, labels.unsqueeze(1))
            loss.backward()
            optimiser.step()
            optimiser.zero_grad()
        if epoch % 10 == 0:
            print(epoch, loss.item())
    return loss


train(model, epochs=60)

with torch.no_grad():
    X_all = torch.tensor(dataset.X, dtype=torch.float32)
    y_all = torch.tensor(dataset.y, dtype=torch.float32)
    pred = model(X_all).squeeze(1)
    ss_res = ((y_all - pred) ** 2).sum()
    ss_tot = ((y_all - y_all.mean()) ** 2).sum()
    r2 = 1 - ss_res / ss_tot
print("R^2:", r2.item())

assert features.shape == (32, 10) and labels.shape == (32,)
assert labels.dtype == torch.float32
# ordinary least squares reaches R^2 = 0.518 on this data
assert r2.item() > 0.49
