# XOR the old way: each sample wrapped in a Variable, trained one sample at a time.
import torch
from torch.autograd import Variable
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim


class Xor(nn.Module):
    def __init__(self):
        super(Xor, self).__init__()
        self.fc1 = nn.Linear(in_features=2, out_features=8)
        self.fc2 = nn.Linear(in_features=8, out_features=1)

    def forward(self, x):
        x = self.fc1(x)
        x = torch.tanh(x)
        return self.fc2(x)


torch.manual_seed(0)
net = Xor()

inputs = list(map(lambda s: Variable(torch.Tensor([s])), [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
]))
targets = list(map(lambda s: Variable(torch.Tensor([s])), [
    [0],
    [1],
    [1],
    [0],
]))

criterion = nn.MSELoss()
optimizer = optim.SGD(net.parameters(), lr=0.05)

print("Training loop:")
for idx in range(0, 1000):
    for input, target in zip(inputs, targets):
        optimizer.zero_grad()
        output = net(input)
        loss = criterion(output, target)
        loss.backward()
        optimizer.step()
    if idx % 200 == 0:
        print("Epoch {: >8} Loss: {}".format(idx, loss.data.numpy()))

print("")
print("Final results:")
total = 0.0
for input, target in zip(inputs, targets):
    output = net(input)
    total += F.mse_loss(output, target).item()
    print("Input:[{},{}] Target:[{}] Predicted:[{}] Error:[{}]".format(
        int(input.data.numpy()[0][0]),
        int(input.data.numpy()[0][1]),
        int(target.data.numpy()[0][0]),
        round(float(output.data.numpy()[0][0]), 4),
        round(float(abs(target.data.numpy()[0][0] - output.data.numpy()[0][0])), 4)
    ))
    assert abs(output.item() - target.item()) < 0.2

print("mean squared error:", total / 4)
assert total / 4 < 0.01
