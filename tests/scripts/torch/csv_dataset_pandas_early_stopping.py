# A Kaggle-style tabular notebook: a CSV written and read back with pandas (missing ages filled
# with the median, a categorical column mapped to numbers, one-hot columns from get_dummies), a
# Dataset whose __getitem__ reads rows with .iloc, torch.tensor of a pandas column (keeping its
# float64), a DataLoader with num_workers, hand-written early stopping that keeps
# copy.deepcopy(model.state_dict()) of the best epoch, and a confusion matrix from sklearn on
# preds.numpy().
import copy
import random

import numpy as np
import pandas as pd
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.metrics import classification_report, confusion_matrix
from torch.utils.data import DataLoader, Dataset, random_split

random.seed(0)
np.random.seed(0)
torch.manual_seed(0)

# A small "passengers" table: survival depends on sex, class and age.
n = 600
rng = np.random.RandomState(0)
sex = rng.choice(["male", "female"], n)
pclass = rng.choice([1, 2, 3], n, p=[0.3, 0.3, 0.4])
age = rng.uniform(1, 70, n).round(1)
score = 1.8 * (sex == "female") + 0.9 * (pclass == 1) - 0.8 * (pclass == 3) - 0.02 * age
survived = (score + rng.normal(0, 0.4, n) > 0).astype(int)
age[rng.rand(n) < 0.1] = np.nan
pd.DataFrame({"PassengerId": np.arange(1, n + 1), "Survived": survived, "Pclass": pclass,
              "Sex": sex, "Age": age, "Fare": rng.uniform(5, 80, n).round(2)}
             ).to_csv("passengers.csv", index=False)

df = pd.read_csv("passengers.csv")
print(df.head())
print(df.isnull().sum())
df["Age"] = df["Age"].fillna(df["Age"].median())
df["Sex"] = df["Sex"].map({"female": 0, "male": 1})
df = pd.get_dummies(df, columns=["Pclass"], prefix="Pclass", dtype=float)
for col in ["Age", "Fare"]:
    df[col] = (df[col] - df[col].mean()) / df[col].std()
features = [c for c in df.columns if c not in ("PassengerId", "Survived")]
df[["Survived"] + features].to_csv("clean.csv", index=False)

fares = torch.tensor(df["Fare"])
print(fares.dtype, fares.shape)
assert fares.dtype == torch.float64


class PassengerDataset(Dataset):
    def __init__(self, csv_file):
        self.data = pd.read_csv(csv_file)

    def __len__(self):
        return len(self.data)

    def __getitem__(self, idx):
        if torch.is_tensor(idx):
            idx = idx.tolist()
        x = torch.tensor(self.data.iloc[idx, 1:].values, dtype=torch.float32)
        y = torch.tensor(self.data.iloc[idx, 0], dtype=torch.long)
        return x, y


dataset = PassengerDataset("clean.csv")
train_set, val_set, test_set = random_split(dataset, [420, 90, 90],
                                            generator=torch.Generator().manual_seed(42))
train_loader = DataLoader(train_set, batch_size=32, shuffle=True, num_workers=2)
val_loader = DataLoader(val_set, batch_size=64, shuffle=False, num_workers=2)
test_loader = DataLoader(test_set, batch_size=64, shuffle=False)


class Net(nn.Module):
    def __init__(self, n_in):
        super(Net, self).__init__()
        self.fc1 = nn.Linear(n_in, 32)
        self.fc2 = nn.Linear(32, 16)
        self.out = nn.Linear(16, 2)
        self.dropout = nn.Dropout(0.2)

    def forward(self, x):
        x = self.dropout(F.relu(self.fc1(x)))
        x = F.relu(self.fc2(x))
        return self.out(x)


device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = Net(len(features)).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)

best_loss, best_state, patience, bad_epochs = float("inf"), None, 6, 0
for epoch in range(100):
    model.train()
    running_loss, correct, total = 0.0, 0, 0
    for inputs, labels in train_loader:
        inputs, labels = inputs.to(device), labels.to(device)
        optimizer.zero_grad(set_to_none=True)
        outputs = model(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item() * inputs.size(0)
        _, predicted = torch.max(outputs.data, 1)
        total += labels.size(0)
        correct += (predicted == labels).sum().item()
    model.eval()
    val_loss = 0.0
    with torch.no_grad():
        for inputs, labels in val_loader:
            val_loss += criterion(model(inputs), labels).item() * len(labels)
    val_loss /= len(val_loader.dataset)
    if epoch % 5 == 0:
        print(f"Epoch {epoch + 1:3d} | loss {running_loss / total:.4f} | "
              f"acc {100 * correct / total:.1f}% | val {val_loss:.4f}")
    if val_loss < best_loss:
        best_loss, bad_epochs = val_loss, 0
        best_state = copy.deepcopy(model.state_dict())
    else:
        bad_epochs += 1
        if bad_epochs >= patience:
            print(f"Early stopping at epoch {epoch + 1}")
            break

model.load_state_dict(best_state)
model.eval()
y_true, y_pred = [], []
with torch.no_grad():
    for inputs, labels in test_loader:
        preds = model(inputs).argmax(dim=1)
        y_pred.extend(preds.numpy())
        y_true.extend(labels.numpy())
print(confusion_matrix(y_true, y_pred))
print(classification_report(y_true, y_pred, target_names=["died", "survived"]))
accuracy = np.mean(np.array(y_true) == np.array(y_pred))
print(f"test accuracy {accuracy:.3f}")
assert accuracy > 0.75, accuracy
