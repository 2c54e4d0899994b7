# Logistic regression on scikit-learn's breast cancer set: features standardised, float32
# tensors from NumPy, labels made a column with view, a Module applying torch.sigmoid to one
# Linear, BCELoss and SGD (step, then zero_grad); accuracy from round() and eq().
import numpy as np
import torch
import torch.nn as nn
from sklearn import datasets
from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split

data = datasets.load_breast_cancer()
X, y = data.data, data.target
n_samples, n_features = X.shape
print(n_samples, n_features)

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=1234)

scaler = StandardScaler()
X_train = scaler.fit_transform(X_train)
X_test = scaler.transform(X_test)

X_train = torch.from_numpy(X_train.astype(np.float32))
X_test = torch.from_numpy(X_test.astype(np.float32))
y_train = torch.from_numpy(y_train.astype(np.float32)).view(-1, 1)
y_test = torch.from_numpy(y_test.astype(np.float32))
y_test = y_test.view(y_test.shape[0], 1)


class LogReg(nn.Module):
    def __init__(self, n_in):
        super(LogReg, self).__init__()
        self.linear = nn.Linear(n_in, 1)

    def forward(self, x):
        return torch.sigmoid(self.linear(x))


torch.manual_seed(0)
model = LogReg(n_features)
criterion = nn.BCELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

for epoch in range(1000):
    probs = model(X_train)
    loss = criterion(probs, y_train)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    if (epoch + 1) % 100 == 0:
        print(f'epoch {epoch + 1}: loss = {loss.item():.4f}')

with torch.no_grad():
    predicted = model(X_test).round()
    acc = predicted.eq(y_test).sum() / float(y_test.shape[0])
    print(f'test accuracy: {acc.item():.4f}')
    print(f'as a tensor in an f-string: {acc:.4f}')

assert X_train.dtype == torch.float32 and y_test.shape == (114, 1)
assert acc.item() > 0.9
assert loss.item() < 0.3
