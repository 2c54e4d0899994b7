# Linear regression on scikit-learn's make_regression: NumPy float64 cast to float32 before
# torch.from_numpy, the target reshaped with view, predictions back to NumPy.
import numpy as np
import torch
import torch.nn as nn
from sklearn import datasets

# 0) Prepare data
X_numpy, y_numpy = datasets.make_regression(n_samples=100, n_features=1, noise=20, random_state=4)

# cast to float Tensor
X = torch.from_numpy(X_numpy.astype(np.float32))
y = torch.from_numpy(y_numpy.astype(np.float32))
y = y.view(y.shape[0], 1)

n_samples, n_features = X.shape
print(n_samples, n_features, X.dtype, y.shape)

torch.manual_seed(0)

# 1) Model: f = wx + b
input_size = n_features
output_size = 1
model = nn.Linear(input_size, output_size)

# 2) Loss and optimizer
learning_rate = 0.01

criterion = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)

# 3) Training loop
num_epochs = 500
for epoch in range(num_epochs):
    # Forward pass and loss
    y_predicted = model(X)
    loss = criterion(y_predicted, y)

    # Backward pass and update
    loss.backward()
    optimizer.step()

    # zero grad before new step
    optimizer.zero_grad()

    if (epoch + 1) % 50 == 0:
        print(f'epoch: {epoch+1}, loss = {loss.item():.4f}')

# Plot
predicted = model(X).detach().numpy()
if False:
    import matplotlib.pyplot as plt
    plt.plot(X_numpy, y_numpy, 'ro')
    plt.plot(X_numpy, predicted, 'b')
    plt.show()

# compare with the least-squares line
slope, intercept = np.polyfit(X_numpy[:, 0], y_numpy, 1)
print(slope, intercept, model.weight.item(), model.bias.item())
assert predicted.shape == (100, 1) and predicted.dtype == np.float32
assert abs(model.weight.item() - slope) < 0.5
assert abs(model.bias.item() - intercept) < 0.5
assert loss.item() < 420
