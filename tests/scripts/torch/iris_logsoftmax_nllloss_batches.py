# Iris with nn.LogSoftmax(dim=1) at the end of the model and nn.NLLLoss; mini-batches cut by
# slicing with start positions from torch.arange; the best weights kept with copy.deepcopy of
# the state_dict.
import copy

import torch
import torch.nn as nn
import torch.optim as optim
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split

# load data into NumPy arrays
data = load_iris()
X, y = data["data"], data["target"]

# convert NumPy arrays into PyTorch tensors
X = torch.tensor(X, dtype=torch.float32)
y = torch.tensor(y, dtype=torch.long)

# split (train_test_split works on tensors too)
X_train, X_test, y_train, y_test = train_test_split(X, y, train_size=0.7, shuffle=True,
                                                    random_state=7)


class Multiclass(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(4, 8)
        self.act = nn.ReLU()
        self.output = nn.Linear(8, 3)
        self.logsoftmax = nn.LogSoftmax(dim=1)

    def forward(self, x):
        x = self.act(self.hidden(x))
        x = self.logsoftmax(self.output(x))
        return x


torch.manual_seed(0)
model = Multiclass()

loss_fn = nn.NLLLoss()
optimizer = optim.Adam(model.parameters(), lr=0.01)

n_epochs = 100
batch_size = 5
batch_start = torch.arange(0, len(X_train), batch_size)

best_acc = -1
best_weights = None
for epoch in range(n_epochs):
    model.train()
    for start in batch_start:
        X_batch = X_train[start:start + batch_size]
        y_batch = y_train[start:start + batch_size]
        y_pred = model(X_batch)
        loss = loss_fn(y_pred, y_batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    y_pred = model(X_test)
    acc = (torch.argmax(y_pred, 1) == y_test).float().mean()
    acc = float(acc)
    if acc > best_acc:
        best_acc = acc
        best_weights = copy.deepcopy(model.state_dict())
    if epoch % 20 == 0:
        print(f"epoch {epoch}: loss {loss.item():.4f}, accuracy {acc * 100:.1f}%")

model.load_state_dict(best_weights)
model.eval()
with torch.no_grad():
    log_probs = model(X_test)
    acc = (log_probs.argmax(dim=1) == y_test).float().mean().item()
print("Best accuracy: %.2f" % best_acc, acc)

assert torch.allclose(log_probs.exp().sum(dim=1), torch.ones(len(X_test)), atol=1e-5)
assert abs(acc - best_acc) < 1e-6
assert best_acc >= 0.95
