# A straight line through scikit-learn's make_regression points: float64 arrays cast with
# astype(np.float32) before torch.from_numpy, the target given a column shape with view, and
# the fitted line compared with NumPy's least squares.
import numpy as np
import torch
import torch.nn as nn
from sklearn import datasets

x_np, y_np = datasets.make_regression(n_samples=150, n_features=1, noise=15, random_state=7)

x = torch.from_numpy(x_np.astype(np.float32))
y = torch.from_numpy(y_np.astype(np.float32))
y = y.view(y.shape[0], 1)
print(x.shape, y.shape, x.dtype)

torch.manual_seed(0)
model = nn.Linear(x.shape[1], 1)
loss_fn = nn.MSELoss()
opt = torch.optim.SGD(model.parameters(), lr=0.02)

for epoch in range(400):
    out = model(x)
    loss = loss_fn(out, y)
    loss.backward()
    opt.step()
    opt.zero_grad()
    if (epoch + 1) % 50 == 0:
        print(f'epoch {epoch + 1}: loss {loss.item():.4f}')

fitted = model(x).detach().numpy()
if False:  # plotting, off in tests
    import matplotlib.pyplot as plt
    plt.scatter(x_np, y_np)
    plt.plot(x_np, fitted, 'r')
    plt.show()

slope, intercept = np.polyfit(x_np[:, 0], y_np, 1)
print('least squares', slope, intercept, 'model', model.weight.item(), model.bias.item())
assert fitted.shape == (150, 1) and fitted.dtype == np.float32
assert abs(model.weight.item() - slope) < 0.5
assert abs(model.bias.item() - intercept) < 0.5
assert loss.item() < 300
