# make_circles (an inner and an outer ring) split by a three-layer ReLU net: from_numpy(...)
# .type(torch.float) for float32, train_test_split on tensors, BCEWithLogitsLoss on squeezed
# logits, an accuracy helper built on torch.eq, .to(device), evaluation in inference_mode.
import torch
from torch import nn
from sklearn.datasets import make_circles
from sklearn.model_selection import train_test_split

X, y = make_circles(1000, noise=0.03, random_state=42)
print(f"X[:5]:\n{X[:5]}\ny[:5]: {y[:5]}")

X = torch.from_numpy(X).type(torch.float)     # float64 -> float32
y = torch.from_numpy(y).type(torch.float)
print(X.dtype, y.dtype)

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
print(len(X_train), len(X_test))

device = "cuda" if torch.cuda.is_available() else "cpu"


class RingNet(nn.Module):
    def __init__(self, hidden=16):
        super().__init__()
        self.fc1 = nn.Linear(in_features=2, out_features=hidden)
        self.fc2 = nn.Linear(in_features=hidden, out_features=hidden)
        self.fc3 = nn.Linear(in_features=hidden, out_features=1)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.fc3(self.relu(self.fc2(self.relu(self.fc1(x)))))


def accuracy_fn(y_true, y_pred):
    return torch.eq(y_true, y_pred).sum().item() / len(y_pred) * 100


torch.manual_seed(42)
model = RingNet().to(device)
print(model)

loss_fn = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)

X_train, y_train = X_train.to(device), y_train.to(device)
X_test, y_test = X_test.to(device), y_test.to(device)

for epoch in range(600):
    model.train()
    logits = model(X_train).squeeze()
    labels = torch.round(torch.sigmoid(logits))     # logits -> probabilities -> 0/1
    loss = loss_fn(logits, y_train)
    acc = accuracy_fn(y_true=y_train, y_pred=labels)

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    model.eval()
    with torch.inference_mode():
        test_logits = model(X_test).squeeze()
        test_labels = torch.round(torch.sigmoid(test_logits))
        test_loss = loss_fn(test_logits, y_test)
        test_acc = accuracy_fn(y_true=y_test, y_pred=test_labels)

    if epoch % 100 == 0:
        print(f"epoch {epoch} | loss {loss:.5f}, acc {acc:.2f}% | "
              f"test loss {test_loss:.5f}, test acc {test_acc:.2f}%")

model.eval()
with torch.inference_mode():
    final = torch.round(torch.sigmoid(model(X_test))).squeeze()
print(final[:10], y_test[:10])

assert logits.shape == (800,) and final.shape == (200,)
assert test_acc > 95, test_acc
assert loss.item() < 0.1
