# A train/validation loop over a dict of DataLoaders, the gradient switched on and off with
# torch.set_grad_enabled(phase == 'train'), running loss and correct counts per phase, and the
# best model's weights kept by deepcopy.
import copy

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset, random_split

np.random.seed(0)
torch.manual_seed(0)

# three Gaussian classes in 5 dimensions
centers = np.random.randn(3, 5) * 2.5
X = np.concatenate([c + np.random.randn(200, 5) for c in centers]).astype(np.float32)
y = np.repeat(np.arange(3), 200)
dataset = TensorDataset(torch.from_numpy(X), torch.from_numpy(y))

n_val = int(0.2 * len(dataset))
train_set, val_set = random_split(dataset, [len(dataset) - n_val, n_val])
dataloaders = {
    'train': DataLoader(train_set, batch_size=32, shuffle=True),
    'val': DataLoader(val_set, batch_size=64, shuffle=False),
}
dataset_sizes = {x: len(dataloaders[x].dataset) for x in ['train', 'val']}
print(dataset_sizes)

device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")

model = nn.Sequential(nn.Linear(5, 32), nn.ReLU(), nn.Linear(32, 3)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
exp_lr_scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=7, gamma=0.1)

best_model_wts = copy.deepcopy(model.state_dict())
best_acc = 0.0
num_epochs = 10
for epoch in range(num_epochs):
    print(f'Epoch {epoch}/{num_epochs - 1}')
    print('-' * 10)
    for phase in ['train', 'val']:
        if phase == 'train':
            model.train()
        else:
            model.eval()

        running_loss = 0.0
        running_corrects = 0
        for inputs, labels in dataloaders[phase]:
            inputs = inputs.to(device)
            labels = labels.to(device)

            optimizer.zero_grad()

            # track history only in train
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
            running_corrects += torch.sum(preds == labels.data)
        if phase == 'train':
            exp_lr_scheduler.step()

        epoch_loss = running_loss / dataset_sizes[phase]
        epoch_acc = running_corrects.double() / dataset_sizes[phase]
        print(f'{phase} Loss: {epoch_loss:.4f} Acc: {epoch_acc:.4f}')

        if phase == 'val' and epoch_acc > best_acc:
            best_acc = epoch_acc
            best_model_wts = copy.deepcopy(model.state_dict())

print(f'Best val Acc: {best_acc:4f}')
model.load_state_dict(best_model_wts)

assert torch.is_grad_enabled()
assert dataset_sizes == {'train': 480, 'val': 120}
assert running_corrects.dtype == torch.int64 and epoch_acc.dtype == torch.float64
assert best_acc > 0.95
