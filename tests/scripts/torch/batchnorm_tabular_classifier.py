# A tabular classifier with nn.BatchNorm1d after each hidden layer, trained in mini-batches;
# model.eval() switches BatchNorm to its running statistics for prediction.
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

np.random.seed(0)
torch.manual_seed(0)

# features on very different scales; the class depends on two of them
n = 1200
X = np.random.randn(n, 6) * np.array([1.0, 100.0, 0.01, 10.0, 1.0, 1000.0])
y = ((X[:, 0] + X[:, 1] / 100.0) > 0).astype(np.int64)
X = X.astype(np.float32)

X_train, X_test = torch.from_numpy(X[:1000]), torch.from_numpy(X[1000:])
y_train, y_test = torch.from_numpy(y[:1000]), torch.from_numpy(y[1000:])

train_loader = DataLoader(TensorDataset(X_train, y_train), batch_size=50, shuffle=True)


class TabularNet(nn.Module):
    def __init__(self, n_features, n_classes):
        super(TabularNet, self).__init__()
        self.input_bn = nn.BatchNorm1d(n_features)
        self.fc1 = nn.Linear(n_features, 32)
        self.bn1 = nn.BatchNorm1d(32)
        self.fc2 = nn.Linear(32, 16)
        self.bn2 = nn.BatchNorm1d(16)
        self.out = nn.Linear(16, n_classes)

    def forward(self, x):
        x = self.input_bn(x)
        x = torch.relu(self.bn1(self.fc1(x)))
        x = torch.relu(self.bn2(self.fc2(x)))
        return self.out(x)


model = TabularNet(6, 2)
print(model)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)

for epoch in range(15):
    model.train()
    total, correct = 0, 0
    for xb, yb in train_loader:
        optimizer.zero_grad()
        logits = model(xb)
        loss = criterion(logits, yb)
        loss.backward()
        optimizer.step()
        total += yb.size(0)
        correct += (logits.argmax(dim=1) == yb).sum().item()
    if epoch % 5 == 0:
        print(f"epoch {epoch}: loss {loss.item():.4f} train acc {correct / total:.3f}")

model.eval()
with torch.no_grad():
    test_acc = (model(X_test).argmax(dim=1) == y_test).float().mean().item()
    one = model(X_test[:1])   # a batch of one works in eval mode
print("test accuracy:", test_acc)
print(model.input_bn.running_mean)

assert one.shape == (1, 2)
assert model.bn1.running_mean.shape == (32,)
assert abs(model.input_bn.running_mean[5].item()) < 300   # tracked the raw feature's mean
assert test_acc > 0.95
