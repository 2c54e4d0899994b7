"""PyTorch beginner programs on scikit-learn's datasets (iris, digits, breast cancer, two
moons), run in-process on pynn with only the imports changed, each asserting that it learned.
scikit-learn comes with the examples extra: pip install '.[examples]'."""
import copy

import numpy as np
import pytest

import pynn as torch
import pynn.functional as F
import pynn.nn as nn
import pynn.optim as optim
from pynn.utils.data import DataLoader, Dataset, TensorDataset, random_split

pytest.importorskip("sklearn", reason="needs scikit-learn: pip install '.[examples]'")
from sklearn.datasets import (load_breast_cancer, load_digits, load_iris,  # noqa: E402
                              make_moons, make_regression)
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402


def test_linear_regression_closed_form_and_gradient_descent_agree():
    X_numpy, y_numpy = make_regression(n_samples=100, n_features=1, noise=20, random_state=4)
    X = torch.from_numpy(X_numpy.astype(np.float32))
    y = torch.from_numpy(y_numpy.astype(np.float32)).view(-1, 1)
    n_samples, n_features = X.shape
    model = nn.Linear(n_features, 1)
    criterion = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(200):
        y_predicted = model(X)
        loss = criterion(y_predicted, y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    A = torch.cat([X, torch.ones(n_samples, 1)], dim=1)
    solution = torch.linalg.lstsq(A, y).solution
    normal = torch.inverse(A.T @ A) @ A.T @ y
    assert torch.allclose(solution, normal, atol=1e-2)
    assert abs(model.weight.item() - solution[0].item()) < 0.1
    predicted = model(X).detach().numpy()
    assert predicted.shape == (100, 1)


def test_logistic_regression_on_breast_cancer_from_numpy():
    bc = load_breast_cancer()
    X, y = bc.data, bc.target
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=1234)
    sc = StandardScaler()
    X_train = torch.from_numpy(sc.fit_transform(X_train).astype(np.float32))
    X_test = torch.from_numpy(sc.transform(X_test).astype(np.float32))
    y_train = torch.from_numpy(y_train.astype(np.float32)).view(-1, 1)
    y_test = torch.from_numpy(y_test.astype(np.float32))
    y_test = y_test.view(y_test.shape[0], 1)

    class Model(nn.Module):
        def __init__(self, n_input_features):
            super(Model, self).__init__()
            self.linear = nn.Linear(n_input_features, 1)

        def forward(self, x):
            return torch.sigmoid(self.linear(x))

    torch.manual_seed(0)
    model = Model(X_train.shape[1])
    criterion = nn.BCELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(100):
        loss = criterion(model(X_train), y_train)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    with torch.no_grad():
        y_predicted_cls = model(X_test).round()
        acc = y_predicted_cls.eq(y_test).sum() / float(y_test.shape[0])
    assert acc.item() > 0.9


def test_breast_cancer_with_logits_pos_weight_dataloader_and_plateau():
    data = load_breast_cancer()
    X_train, X_test, y_train, y_test = train_test_split(data.data, data.target, test_size=0.3,
                                                        random_state=0)
    scaler = StandardScaler()
    X_train = torch.tensor(scaler.fit_transform(X_train), dtype=torch.float32)
    X_test = torch.tensor(scaler.transform(X_test), dtype=torch.float32)
    y_train = torch.tensor(y_train, dtype=torch.float32).unsqueeze(1)
    y_test = torch.tensor(y_test, dtype=torch.float32).unsqueeze(1)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 1))
    pos_weight = (y_train == 0).sum() / (y_train == 1).sum()
    criterion = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
    optimizer = optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    scheduler = optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", patience=2)
    loader = DataLoader(TensorDataset(X_train, y_train), batch_size=32, shuffle=True)
    for epoch in range(20):
        model.train()
        running_loss = 0.0
        for inputs, labels in loader:
            optimizer.zero_grad()
            loss = criterion(model(inputs), labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
            optimizer.step()
            running_loss += loss.item() * inputs.size(0)
        epoch_loss = running_loss / len(loader.dataset)
        model.eval()
        with torch.no_grad():
            val_loss = criterion(model(X_test), y_test).item()
        scheduler.step(val_loss)
    with torch.inference_mode():
        probs = torch.sigmoid(model(X_test))
        preds = (probs >= 0.5).float()
        accuracy = (preds == y_test).sum().item() / y_test.size(0)
    assert accuracy > 0.9 and epoch_loss < 0.3
    assert scheduler.get_last_lr()[0] <= 1e-3


def test_two_moons_with_custom_dataset_random_split_and_accuracy_loop():
    X, y = make_moons(n_samples=600, noise=0.15, random_state=0)

    class MoonsDataset(Dataset):
        def __init__(self, X, y):
            self.X = torch.from_numpy(X).float()
            self.y = torch.from_numpy(y).long()

        def __len__(self):
            return len(self.X)

        def __getitem__(self, idx):
            return self.X[idx], self.y[idx]

    dataset = MoonsDataset(X, y)
    generator = torch.Generator().manual_seed(42)
    train_set, val_set = random_split(dataset, [480, 120], generator=generator)
    train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
    val_loader = DataLoader(val_set, batch_size=64)
    torch.manual_seed(0)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.Sequential(nn.Linear(2, 32), nn.ReLU(), nn.Linear(32, 32),
                                        nn.ReLU(), nn.Linear(32, 2))

        def forward(self, x):
            return self.layers(x)

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = Net().to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=0.01)
    for epoch in range(30):
        model.train()
        for xb, yb in train_loader:
            xb, yb = xb.to(device), yb.to(device)
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for xb, yb in val_loader:
            outputs = model(xb)
            _, predicted = torch.max(outputs.data, 1)
            total += yb.size(0)
            correct += (predicted == yb).sum().item()
    assert correct / total > 0.95
    assert len(train_loader) == 15 and len(val_set) == 120


def test_iris_with_softmax_probabilities_and_confusion_matrix():
    iris = load_iris()
    X_train, X_test, y_train, y_test = train_test_split(iris.data, iris.target, test_size=0.2,
                                                        random_state=42, stratify=iris.target)
    scaler = StandardScaler()
    X_train = torch.FloatTensor(scaler.fit_transform(X_train))
    X_test = torch.FloatTensor(scaler.transform(X_test))
    y_train = torch.LongTensor(y_train)
    y_test = torch.LongTensor(y_test)
    torch.manual_seed(0)

    class IrisNet(nn.Module):
        def __init__(self, input_dim=4, hidden=16, classes=3):
            super(IrisNet, self).__init__()
            self.fc1 = nn.Linear(input_dim, hidden)
            self.fc2 = nn.Linear(hidden, hidden)
            self.out = nn.Linear(hidden, classes)

        def forward(self, x):
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            return self.out(x)

    model = IrisNet()
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    losses = []
    for epoch in range(100):
        y_pred = model.forward(X_train)
        loss = criterion(y_pred, y_train)
        losses.append(loss.detach().numpy())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert np.array(losses).shape == (100,) and losses[-1] < losses[0]
    with torch.no_grad():
        probabilities = F.softmax(model(X_test), dim=1)
        predicted = torch.argmax(probabilities, dim=1)
    confusion = torch.zeros(3, 3, dtype=torch.int64)
    for t, p in zip(y_test, predicted):
        confusion[t, p] += 1
    assert confusion.trace().item() >= 28 and confusion.sum().item() == 30
    assert torch.allclose(probabilities.sum(dim=1), torch.ones(30))
    assert predicted.eq(y_test).sum().item() / len(y_test) > 0.9


def test_digits_with_batchnorm_dropout_scheduler_early_stopping_and_checkpoint(tmp_path):
    digits = load_digits()
    X = digits.data / 16.0
    X_train, X_val, y_train, y_val = train_test_split(X, digits.target, test_size=0.2,
                                                      random_state=0)
    train_ds = TensorDataset(torch.tensor(X_train, dtype=torch.float32),
                             torch.tensor(y_train))
    val_x = torch.tensor(X_val, dtype=torch.float32)
    val_y = torch.tensor(y_val)
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(64, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Dropout(0.3),
                          nn.Linear(128, 10))

    def init_weights(m):
        if isinstance(m, nn.Linear):
            torch.nn.init.xavier_uniform_(m.weight)
            m.bias.data.fill_(0.01)
    model.apply(init_weights)
    n_params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    assert n_params == 64 * 128 + 128 + 128 * 2 + 128 * 10 + 10
    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=5, gamma=0.5)
    loader = DataLoader(train_ds, batch_size=64, shuffle=True, drop_last=True)
    best_acc, best_state, patience = 0.0, None, 0
    for epoch in range(15):
        model.train()
        for xb, yb in loader:
            optimizer.zero_grad()
            F.cross_entropy(model(xb), yb).backward()
            optimizer.step()
        scheduler.step()
        model.eval()
        with torch.no_grad():
            acc = (model(val_x).argmax(dim=1) == val_y).float().mean().item()
        if acc > best_acc:
            best_acc, best_state, patience = acc, copy.deepcopy(model.state_dict()), 0
        else:
            patience += 1
            if patience >= 4:
                break
    assert best_acc > 0.95
    path = tmp_path / "best_model.pth"
    torch.save(best_state, path)
    restored = nn.Sequential(nn.Linear(64, 128), nn.BatchNorm1d(128), nn.ReLU(),
                             nn.Dropout(0.3), nn.Linear(128, 10))
    print(restored.load_state_dict(torch.load(path)))
    restored.eval()
    with torch.no_grad():
        again = (restored(val_x).argmax(1) == val_y).float().mean().item()
    assert again == pytest.approx(best_acc)
    torch.save(model, tmp_path / "whole_model.pth")  # loads with weights_only=False only
    whole = torch.load(tmp_path / "whole_model.pth", weights_only=False)
    assert type(whole) is type(model) and whole.training == model.training
