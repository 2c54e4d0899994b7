# Digits trained with separate train() and test() functions in the shape of PyTorch's
# quickstart: a Dataset of 8x8 images, a model with nn.Flatten and a Sequential stack,
# len(loader.dataset) and len(loader), enumerate over batches, right-aligned loss printing and
# (pred.argmax(1) == y).type(torch.float).sum().item() for the count of correct answers.
import torch
from torch import nn
from torch.utils.data import Dataset, DataLoader
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split


class Digits(Dataset):
    def __init__(self, images, labels):
        self.images = torch.tensor(images / 16.0, dtype=torch.float32)   # (N, 8, 8) in [0, 1]
        self.labels = torch.tensor(labels, dtype=torch.long)

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        return self.images[i], self.labels[i]


d = load_digits()
img_tr, img_te, lab_tr, lab_te = train_test_split(d.images, d.target, test_size=0.25,
                                                  random_state=42)
train_loader = DataLoader(Digits(img_tr, lab_tr), batch_size=32, shuffle=True)
test_loader = DataLoader(Digits(img_te, lab_te), batch_size=32)

for X, y in test_loader:
    print(f"X: {X.shape}  y: {y.shape} {y.dtype}")
    break

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"device: {device}")


class DigitNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.layers = nn.Sequential(
            nn.Linear(8 * 8, 64),
            nn.ReLU(),
            nn.Linear(64, 64),
            nn.ReLU(),
            nn.Linear(64, 10),
        )

    def forward(self, x):
        return self.layers(self.flatten(x))


torch.manual_seed(0)
model = DigitNet().to(device)
print(model)

loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)


def train(loader, model, loss_fn, optimizer):
    size = len(loader.dataset)
    model.train()
    for batch, (X, y) in enumerate(loader):
        X, y = X.to(device), y.to(device)
        loss = loss_fn(model(X), y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        if batch % 20 == 0:
            loss, seen = loss.item(), (batch + 1) * len(X)
            print(f"loss: {loss:>7f}  [{seen:>5d}/{size:>5d}]")


def test(loader, model, loss_fn):
    size = len(loader.dataset)
    n_batches = len(loader)
    model.eval()
    total_loss, correct = 0, 0
    with torch.no_grad():
        for X, y in loader:
            X, y = X.to(device), y.to(device)
            pred = model(X)
            total_loss += loss_fn(pred, y).item()
            correct += (pred.argmax(1) == y).type(torch.float).sum().item()
    total_loss /= n_batches
    correct /= size
    print(f"Test: accuracy {(100 * correct):>0.1f}%, avg loss {total_loss:>8f}\n")
    return correct, total_loss


for t in range(10):
    print(f"Epoch {t + 1}\n-------------------------------")
    train(train_loader, model, loss_fn, optimizer)
    correct, test_loss = test(test_loader, model, loss_fn)
print("Done!")

assert X.shape == (32, 8, 8) and y.dtype == torch.int64
assert correct > 0.93
assert test_loss < 0.3
