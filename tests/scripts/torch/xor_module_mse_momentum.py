# XOR with an nn.Module subclass, torch.sigmoid in forward, MSE loss and SGD with momentum.
import torch
import torch.nn as nn
import torch.optim as optim


class XORNet(nn.Module):
    def __init__(self):
        super(XORNet, self).__init__()
        self.hidden = nn.Linear(2, 4)
        self.output = nn.Linear(4, 1)

    def forward(self, x):
        x = torch.sigmoid(self.hidden(x))
        x = torch.sigmoid(self.output(x))
        return x


torch.manual_seed(0)

inputs = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
labels = torch.tensor([[0.], [1.], [1.], [0.]])

net = XORNet()
criterion = nn.MSELoss()
optimizer = optim.SGD(net.parameters(), lr=0.5, momentum=0.9)

EPOCHS = 3000
for epoch in range(EPOCHS):
    outputs = net(inputs)
    loss = criterion(outputs, labels)

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    if epoch % 500 == 0:
        print(f"Epoch {epoch}, Loss: {loss.item():.4f}")

print("Final loss:", loss.item())
for x, y in zip(inputs, labels):
    out = net(x)
    print(f"{x.tolist()} -> {out.item():.3f} (target {y.item():.0f})")

pred = net(inputs).round().squeeze()
print(pred)
assert pred.tolist() == [0.0, 1.0, 1.0, 0.0]
assert loss.item() < 0.02
