# Breast cancer classification with mini-batches: TensorDataset and DataLoader, a Sequential
# ending in one logit, BCEWithLogitsLoss, Adam with weight decay, model.train()/model.eval().
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch.utils.data import TensorDataset, DataLoader

np.random.seed(0)
torch.manual_seed(0)

data = load_breast_cancer()
print(data.keys())
print(data.data.shape)

X_train, X_test, y_train, y_test = train_test_split(data.data, data.target, test_size=0.33,
                                                    random_state=42)
N, D = X_train.shape

scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

X_train = torch.tensor(X_train, dtype=torch.float32)
X_test = torch.tensor(X_test, dtype=torch.float32)
y_train = torch.tensor(y_train, dtype=torch.float32).unsqueeze(1)
y_test = torch.tensor(y_test, dtype=torch.float32).reshape(-1, 1)

train_ds = TensorDataset(X_train, y_train)
train_loader = DataLoader(train_ds, batch_size=32, shuffle=True)

model = nn.Sequential(
    nn.Linear(D, 16),
    nn.ReLU(),
    nn.Linear(16, 1)
)

# BCE with logits: no sigmoid at the end of the model
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.001, weight_decay=1e-4)

n_epochs = 40
train_losses = np.zeros(n_epochs)
for it in range(n_epochs):
    model.train()
    batch_losses = []
    for inputs, targets in train_loader:
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = criterion(outputs, targets)
        loss.backward()
        optimizer.step()
        batch_losses.append(loss.item())
    train_losses[it] = np.mean(batch_losses)

    model.eval()
    with torch.no_grad():
        test_loss = criterion(model(X_test), y_test)
    if (it + 1) % 10 == 0:
        print(f'Epoch {it+1}/{n_epochs}, Train Loss: {train_losses[it]:.4f}, '
              f'Test Loss: {test_loss.item():.4f}')

with torch.no_grad():
    p_train = model(X_train)
    p_train = (p_train.numpy() > 0)
    train_acc = np.mean(y_train.numpy() == p_train)

    p_test = torch.sigmoid(model(X_test))
    p_test = (p_test > 0.5).float()
    test_acc = (p_test == y_test).float().mean().item()

print(f"Train acc: {train_acc:.4f}, Test acc: {test_acc:.4f}")
assert len(train_loader) == int(np.ceil(N / 32))
assert train_acc > 0.97 and test_acc > 0.94
assert train_losses[-1] < train_losses[0]
