# XOR with hand-set starting weights: nn.Parameter assigned over an nn.Linear's weight and bias,
# the network called through model.forward, and the error written out as 1/2 (t - y)^2.
import numpy as np
import torch


class ExampleNet(torch.nn.Module):
    def __init__(self):
        super(ExampleNet, self).__init__()
        self.layer1 = torch.nn.Linear(2, 2)
        self.layer2 = torch.nn.Linear(2, 1)
        self.layer1.weight = torch.nn.Parameter(torch.tensor([[3., 4.], [2., 3.]]))
        self.layer1.bias = torch.nn.Parameter(torch.tensor([-2., -4.]))
        self.layer2.weight = torch.nn.Parameter(torch.tensor([[5., -5.]]))
        self.layer2.bias = torch.nn.Parameter(torch.tensor([-2.]))

    def forward(self, x):
        s = self.layer1(x)
        h = torch.nn.Sigmoid()(s)
        z = self.layer2(h)
        y = torch.nn.Sigmoid()(z)
        return y


x = torch.tensor([[0., 0.], [1., 0.], [0., 1.], [1., 1.]])
t = torch.tensor([[0.], [1.], [1.], [0.]])

net = ExampleNet()
print(net)
print(net.layer1.weight)
optimizer = torch.optim.SGD(net.parameters(), lr=1.0)


def output_all_case(model, data):
    print("Results-------")
    for row in data:
        print(row, model.forward(row))


output_all_case(net, x)
start = (1 / 2 * (t - net(x)) ** 2).mean().item()

for iteration in range(1000):
    optimizer.zero_grad()
    out = net.forward(x)
    error = 1 / 2 * (t - out) ** 2
    mean_error = error.mean()
    if iteration % 200 == 0:
        print("error: ", mean_error.data)
    mean_error.backward()
    optimizer.step()

output_all_case(net, x)
final = np.round(net(x).detach().numpy()).flatten()
print(start, mean_error.item(), final)
assert mean_error.item() < start
assert mean_error.item() < 0.01
assert list(final) == [0.0, 1.0, 1.0, 0.0]
assert net.layer1.weight.shape == (2, 2)
