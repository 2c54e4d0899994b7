# Iris through a Dataset subclass (__len__, __getitem__), random_split with a seeded generator,
# train and test DataLoaders, the classic correct/total loop with torch.max(outputs.data, 1),
# and the trained weights saved and reloaded.
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader, random_split
from sklearn.datasets import load_iris


class IrisDataset(Dataset):
    def __init__(self):
        iris = load_iris()
        x = iris.data.astype(np.float32)
        # standardise the features
        x = (x - x.mean(axis=0)) / x.std(axis=0)
        self.x = torch.from_numpy(x)
        self.y = torch.from_numpy(iris.target)   # int64
        self.n_samples = x.shape[0]

    def __getitem__(self, index):
        return self.x[index], self.y[index]

    def __len__(self):
        return self.n_samples


class NeuralNet(nn.Module):
    def __init__(self, input_size, hidden_size, num_classes):
        super(NeuralNet, self).__init__()
        self.l1 = nn.Linear(input_size, hidden_size)
        self.relu = nn.ReLU()
        self.l2 = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        out = self.l1(x)
        out = self.relu(out)
        out = self.l2(out)
        # no softmax at the end: CrossEntropyLoss applies it
        return out


torch.manual_seed(0)
dataset = IrisDataset()
first_data = dataset[0]
features, labels = first_data
print(features, labels, len(dataset))

train_set, test_set = random_split(dataset, [120, 30], generator=torch.Generator().manual_seed(42))
train_loader = DataLoader(dataset=train_set, batch_size=10, shuffle=True)
test_loader = DataLoader(dataset=test_set, batch_size=10, shuffle=False)

dataiter = iter(train_loader)
data = next(dataiter)
inputs, targets = data
print(inputs.shape, targets.shape, targets.dtype)

model = NeuralNet(input_size=4, hidden_size=10, num_classes=3)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

num_epochs = 30
n_total_steps = len(train_loader)
for epoch in range(num_epochs):
    for i, (inputs, labels) in enumerate(train_loader):
        outputs = model(inputs)
        loss = criterion(outputs, labels)

        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

        if (i + 1) % 12 == 0 and epoch % 10 == 0:
            print(f'epoch {epoch+1}/{num_epochs}, step {i+1}/{n_total_steps}, loss = {loss.item():.4f}')

with torch.no_grad():
    n_correct = 0
    n_samples = 0
    for inputs, labels in test_loader:
        outputs = model(inputs)
        # max returns (value, index)
        _, predicted = torch.max(outputs.data, 1)
        n_samples += labels.size(0)
        n_correct += (predicted == labels).sum().item()
    acc = 100.0 * n_correct / n_samples
    print(f'Accuracy of the network on the {n_samples} test samples: {acc} %')

FILE = "iris_model.pth"
torch.save(model.state_dict(), FILE)
loaded_model = NeuralNet(input_size=4, hidden_size=10, num_classes=3)
loaded_model.load_state_dict(torch.load(FILE))
loaded_model.eval()
with torch.no_grad():
    same = torch.equal(loaded_model(dataset.x), model(dataset.x))

assert n_samples == 30 and n_total_steps == 12
assert same
assert acc >= 90
