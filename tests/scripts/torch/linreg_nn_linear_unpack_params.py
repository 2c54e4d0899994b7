# Linear regression with nn.Linear as the whole model: samples as a column, the loss called
# with the target first, parameters unpacked as [w, b] to print the slope.
import torch
import torch.nn as nn

torch.manual_seed(0)

# 0) Training samples, watch the shape!
X = torch.tensor([[1], [2], [3], [4]], dtype=torch.float32)
Y = torch.tensor([[2], [4], [6], [8]], dtype=torch.float32)

n_samples, n_features = X.shape
print(f'#samples: {n_samples}, #features: {n_features}')
X_test = torch.tensor([5], dtype=torch.float32)

input_size = n_features
output_size = n_features


class LinearRegression(nn.Module):
    def __init__(self, input_dim, output_dim):
        super(LinearRegression, self).__init__()
        # define layers
        self.lin = nn.Linear(input_dim, output_dim)

    def forward(self, x):
        return self.lin(x)


model = LinearRegression(input_size, output_size)
print(f'Prediction before training: f(5) = {model(X_test).item():.3f}')

learning_rate = 0.05
n_iters = 500

loss = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)

for epoch in range(n_iters):
    y_predicted = model(X)
    l = loss(Y, y_predicted)
    l.backward()
    optimizer.step()
    optimizer.zero_grad()

    if epoch % 50 == 0:
        [w, b] = model.parameters()  # unpack parameters
        print('epoch ', epoch + 1, ': w = ', w[0][0].item(), ' loss = ', l)

print(f'Prediction after training: f(5) = {model(X_test).item():.3f}')
[w, b] = model.parameters()
print(w, b)
print(model.state_dict())

assert w.shape == (1, 1) and b.shape == (1,)
assert abs(w[0][0].item() - 2.0) < 0.05
assert abs(model(X_test).item() - 10.0) < 0.1
assert l < 1e-3
