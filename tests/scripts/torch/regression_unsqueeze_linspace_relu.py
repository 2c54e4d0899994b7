# Curve fitting with a one-hidden-layer net: x from torch.unsqueeze(torch.linspace(...)),
# noisy y = x^2, a Net(n_feature, n_hidden, n_output) with F.relu, SGD and MSELoss.
import torch
import torch.nn.functional as F

torch.manual_seed(1)    # reproducible

x = torch.unsqueeze(torch.linspace(-1, 1, 100), dim=1)  # x data (tensor), shape=(100, 1)
y = x.pow(2) + 0.2 * torch.rand(x.size())                 # noisy y data (tensor), shape=(100, 1)


class Net(torch.nn.Module):
    def __init__(self, n_feature, n_hidden, n_output):
        super(Net, self).__init__()
        self.hidden = torch.nn.Linear(n_feature, n_hidden)   # hidden layer
        self.predict = torch.nn.Linear(n_hidden, n_output)   # output layer

    def forward(self, x):
        x = F.relu(self.hidden(x))      # activation function for hidden layer
        x = self.predict(x)             # linear output
        return x


net = Net(n_feature=1, n_hidden=20, n_output=1)     # define the network
print(net)  # net architecture

optimizer = torch.optim.SGD(net.parameters(), lr=0.2)
loss_func = torch.nn.MSELoss()  # this is for regression mean squared loss

for t in range(1000):
    prediction = net(x)     # input x and predict based on x

    loss = loss_func(prediction, y)     # must be (1. nn output, 2. target)

    optimizer.zero_grad()   # clear gradients for next train
    loss.backward()         # backpropagation, compute gradients
    optimizer.step()        # apply gradients

    if t % 100 == 0:
        print('Loss=%.4f' % loss.data.numpy())

print(x.size(), y.size(), prediction.size())
print('final loss %.4f' % loss.item())
# the noise is uniform on [0, 0.2): its variance is 0.2^2 / 12 ~ 0.0033
assert loss.item() < 0.006
assert torch.unsqueeze(torch.linspace(-1, 1, 100), dim=1).shape == (100, 1)
