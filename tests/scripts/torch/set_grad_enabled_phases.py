# A loop over 'train' and 'val' phases with a dict of DataLoaders, the autograd switch flipped
# by torch.set_grad_enabled(phase == 'train'), running loss and correct counts per phase
# (torch.sum of a comparison), StepLR, and the best weights kept with copy.deepcopy.
import copy

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset, random_split

np.random.seed(0)
torch.manual_seed(0)

# three classes in five dimensions
means = np.random.randn(3, 5) * 2.5
features = np.concatenate([m + np.random.randn(200, 5) for m in means]).astype(np.float32)
targets = np.repeat(np.arange(3), 200)
full = TensorDataset(torch.from_numpy(features), torch.from_numpy(targets))

n_val = int(0.2 * len(full))
train_part, val_part = random_split(full, [len(full) - n_val, n_val])
loaders = {
    'train': DataLoader(train_part, batch_size=32, shuffle=True),
    'val': DataLoader(val_part, batch_size=64, shuffle=False),
}
sizes = {phase: len(loaders[phase].dataset) for phase in ['train', 'val']}
print(sizes)

device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
model = nn.Sequential(nn.Linear(5, 32), nn.ReLU(), nn.Linear(32, 3)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=7, gamma=0.1)

best_weights = copy.deepcopy(model.state_dict())
best_acc = 0.0
for epoch in range(10):
    print(f'epoch {epoch}')
    for phase in ['train', 'val']:
        model.train() if phase == 'train' else model.eval()
        running_loss, running_correct = 0.0, 0
        for inputs, labels in loaders[phase]:
            inputs, labels = inputs.to(device), labels.to(device)
            optimizer.zero_grad()
            with torch.set_grad_enabled(phase == 'train'):
                outputs = model(inputs)
                _, preds = torch.max(outputs, 1)
                loss = criterion(outputs, labels)
                if phase == 'train':
                    loss.backward()
                    optimizer.step()
                else:
                    assert not outputs.requires_grad
            running_loss += loss.item() * inputs.size(0)
            running_correct += torch.sum(preds == labels.data)
        if phase == 'train':
            scheduler.step()

        epoch_loss = running_loss / sizes[phase]
        epoch_acc = running_correct.double() / sizes[phase]
        print(f'  {phase}: loss {epoch_loss:.4f} acc {epoch_acc:.4f}')
        if phase == 'val' and epoch_acc > best_acc:
            best_acc = epoch_acc
            best_weights = copy.deepcopy(model.state_dict())

print(f'best val acc: {best_acc:4f}')
model.load_state_dict(best_weights)

assert torch.is_grad_enabled()
assert sizes == {'train': 480, 'val': 120}
assert running_correct.dtype == torch.int64 and epoch_acc.dtype == torch.float64
assert best_acc > 0.95
