# A small convolutional network on scikit-learn's 8x8 digits: the flat rows reshaped to images
# of one channel, two Conv2d layers with padding, a MaxPool2d halving the image, then Flatten and
# a Linear classifier; Adam, mini-batches from a DataLoader, accuracy on a held-out split.
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

torch.manual_seed(0)

digits = load_digits()
images = digits.images / 16.0  # pixel values 0..16 scaled to 0..1
X_train, X_test, y_train, y_test = train_test_split(images, digits.target, test_size=0.25,
                                                    random_state=42, stratify=digits.target)

# (N, 8, 8) -> (N, 1, 8, 8): channels first, as PyTorch's convolutions want
X_train = torch.tensor(X_train, dtype=torch.float32).unsqueeze(1)
X_test = torch.tensor(X_test, dtype=torch.float32).reshape(-1, 1, 8, 8)
y_train = torch.tensor(y_train, dtype=torch.long)
y_test = torch.tensor(y_test, dtype=torch.long)
loader = DataLoader(TensorDataset(X_train, y_train), batch_size=32, shuffle=True)


class DigitCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.Conv2d(16, 32, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # 8x8 -> 4x4
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(32 * 4 * 4, 10))

    def forward(self, x):
        return self.classifier(self.features(x))


model = DigitCNN()
print(model)
n_params = sum(p.numel() for p in model.parameters())
print("parameters:", n_params)
assert n_params == (16 * 9 + 16) + (32 * 16 * 9 + 32) + (512 * 10 + 10)

loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(6):
    model.train()
    total = 0.0
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        total += loss.item() * xb.size(0)
    model.eval()
    with torch.no_grad():
        accuracy = (model(X_test).argmax(1) == y_test).float().mean().item()
    print(f"epoch {epoch}: train loss {total / len(X_train):.4f}, test accuracy {accuracy:.3f}")

assert model.features[0].weight.shape == (16, 1, 3, 3)
assert model.features(X_test[:2]).shape == (2, 32, 4, 4)
assert accuracy > 0.9, accuracy
