# Points inside or outside the unit circle: data from torch.randn, labels from a comparison
# turned to float and unsqueezed, TensorDataset + DataLoader, a Module with Sigmoid and BCELoss.
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset

# data
torch.manual_seed(42)
X = torch.randn(1000, 2)
y = (X[:, 0]**2 + X[:, 1]**2 < 1).float().unsqueeze(1)
print(X.shape, y.shape, y.mean())

dataset = TensorDataset(X, y)
dataloader = DataLoader(dataset, batch_size=32, shuffle=True)


class BinaryClassifier(nn.Module):
    def __init__(self):
        super(BinaryClassifier, self).__init__()
        self.fc1 = nn.Linear(2, 16)
        self.fc2 = nn.Linear(16, 8)
        self.fc3 = nn.Linear(8, 1)
        self.relu = nn.ReLU()
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        x = self.relu(self.fc1(x))
        x = self.relu(self.fc2(x))
        x = self.sigmoid(self.fc3(x))
        return x


model = BinaryClassifier()
criterion = nn.BCELoss()
optimizer = optim.Adam(model.parameters(), lr=0.01)

# train
for epoch in range(40):
    for X_batch, y_batch in dataloader:
        y_pred = model(X_batch)
        loss = criterion(y_pred, y_batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    if (epoch + 1) % 10 == 0:
        print(f"Epoch {epoch+1}, Loss: {loss.item():.4f}")

# evaluate on fresh points
with torch.no_grad():
    X_new = torch.randn(500, 2)
    y_new = (X_new[:, 0]**2 + X_new[:, 1]**2 < 1).float().unsqueeze(1)
    predicted = (model(X_new) > 0.5).float()
    accuracy = (predicted == y_new).sum().item() / y_new.size(0)
print(f"Accuracy: {accuracy * 100:.2f}%")
assert len(dataloader) == 32
assert accuracy > 0.95
