# A parabola with noise, fitted by one hidden layer: x made a column with torch.unsqueeze,
# noise from torch.rand(x.size()), a Net(n_feature, n_hidden, n_output) using F.relu, SGD,
# and the loss printed through '%.4f' % loss.data.numpy().
import torch
import torch.nn.functional as F

torch.manual_seed(1)

x = torch.unsqueeze(torch.linspace(-1, 1, 100), dim=1)   # (100, 1)
y = 1 - x.pow(2) + 0.2 * torch.rand(x.size())             # (100, 1)


class Net(torch.nn.Module):
    def __init__(self, n_feature, n_hidden, n_output):
        super(Net, self).__init__()
        self.hidden = torch.nn.Linear(n_feature, n_hidden)
        self.predict = torch.nn.Linear(n_hidden, n_output)

    def forward(self, x):
        return self.predict(F.relu(self.hidden(x)))


net = Net(n_feature=1, n_hidden=20, n_output=1)
print(net)

optimizer = torch.optim.SGD(net.parameters(), lr=0.2)
loss_func = torch.nn.MSELoss()

for t in range(1000):
    prediction = net(x)
    loss = loss_func(prediction, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if t % 200 == 0:
        print('step %d loss %.4f' % (t, loss.data.numpy()))

print(x.size(), y.size(), prediction.size())
print('final loss %.4f' % loss.item())
# uniform noise on [0, 0.2) has variance 0.2^2 / 12 ~ 0.0033
assert loss.item() < 0.006
assert x.shape == (100, 1)
