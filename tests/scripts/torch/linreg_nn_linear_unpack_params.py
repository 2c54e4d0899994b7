# y = 2x + 1 learned by a Module wrapping nn.Linear: inputs as an (n, 1) column, the loss called
# as loss(target, prediction), and the parameters unpacked as [w, b] to watch the slope.
import torch
import torch.nn as nn

torch.manual_seed(0)

X = torch.tensor([[1], [2], [3], [4], [5]], dtype=torch.float32)
Y = torch.tensor([[3], [5], [7], [9], [11]], dtype=torch.float32)
n_samples, n_features = X.shape
print(f'samples: {n_samples}, features: {n_features}')

x_new = torch.tensor([6], dtype=torch.float32)   # one sample, 1-D


class Line(nn.Module):
    def __init__(self, n_in, n_out):
        super(Line, self).__init__()
        self.fc = nn.Linear(n_in, n_out)

    def forward(self, x):
        return self.fc(x)


model = Line(n_features, 1)
print(f'before: f(6) = {model(x_new).item():.3f}')

criterion = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.03)

for epoch in range(600):
    pred = model(X)
    l = criterion(Y, pred)
    l.backward()
    optimizer.step()
    optimizer.zero_grad()

    if epoch % 100 == 0:
        [w, b] = model.parameters()
        print('epoch', epoch + 1, ': w =', w[0][0].item(), 'loss =', l)

print(f'after: f(6) = {model(x_new).item():.3f}')
[w, b] = model.parameters()
print(w, b)
print(model.state_dict())

assert w.shape == (1, 1) and b.shape == (1,)
assert abs(w[0][0].item() - 2.0) < 0.05 and abs(b.item() - 1.0) < 0.1
assert abs(model(x_new).item() - 13.0) < 0.1
assert l < 1e-3
