# Iris served by a Dataset subclass (__getitem__ and __len__), cut by random_split with its own
# seeded generator, batched by DataLoaders; the test pass counts correct answers with
# torch.max(outputs.data, 1); the weights go through torch.save/torch.load and back.
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader, random_split
from sklearn.datasets import load_iris


class IrisData(Dataset):
    def __init__(self):
        raw = load_iris()
        x = raw.data.astype(np.float32)
        x = (x - x.mean(axis=0)) / x.std(axis=0)
        self.x = torch.from_numpy(x)
        self.y = torch.from_numpy(raw.target)      # int64
        self.n = x.shape[0]

    def __getitem__(self, i):
        return self.x[i], self.y[i]

    def __len__(self):
        return self.n


class Classifier(nn.Module):
    def __init__(self, n_in, n_hidden, n_classes):
        super(Classifier, self).__init__()
        self.fc_in = nn.Linear(n_in, n_hidden)
        self.act = nn.ReLU()
        self.fc_out = nn.Linear(n_hidden, n_classes)

    def forward(self, x):
        # raw scores: CrossEntropyLoss does the softmax
        return self.fc_out(self.act(self.fc_in(x)))


torch.manual_seed(0)
data = IrisData()
xs, ys = data[0]
print(xs, ys, len(data))

train_part, test_part = random_split(data, [120, 30], generator=torch.Generator().manual_seed(42))
train_loader = DataLoader(dataset=train_part, batch_size=10, shuffle=True)
test_loader = DataLoader(dataset=test_part, batch_size=10, shuffle=False)

first_batch = next(iter(train_loader))
inputs, targets = first_batch
print(inputs.shape, targets.shape, targets.dtype)

clf = Classifier(4, 10, 3)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(clf.parameters(), lr=0.05, momentum=0.9)

steps_per_epoch = len(train_loader)
for epoch in range(30):
    for i, (inputs, targets) in enumerate(train_loader):
        loss = criterion(clf(inputs), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if (i + 1) == steps_per_epoch and epoch % 10 == 0:
            print(f'epoch {epoch + 1}, step {i + 1}/{steps_per_epoch}, loss {loss.item():.4f}')

with torch.no_grad():
    right, seen = 0, 0
    for inputs, targets in test_loader:
        outputs = clf(inputs)
        _, guess = torch.max(outputs.data, 1)
        seen += targets.size(0)
        right += (guess == targets).sum().item()
    acc = 100.0 * right / seen
    print(f'test accuracy on {seen} flowers: {acc} %')

torch.save(clf.state_dict(), "iris_classifier.pth")
clone = Classifier(4, 10, 3)
clone.load_state_dict(torch.load("iris_classifier.pth"))
clone.eval()
with torch.no_grad():
    same = torch.equal(clone(data.x), clf(data.x))

assert seen == 30 and steps_per_epoch == 12
assert same
assert acc >= 90
