# XOR as two-class classification: two output logits, integer labels, nn.CrossEntropyLoss.
import torch
from torch import nn, optim


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear1 = nn.Linear(2, 16)
        self.linear2 = nn.Linear(16, 2)
        self.relu = nn.ReLU()

    def forward(self, x):
        x = self.linear1(x)
        x = self.relu(x)
        x = self.linear2(x)
        return x


torch.manual_seed(0)

X = torch.FloatTensor([[0, 0], [0, 1], [1, 0], [1, 1]])
Y = torch.LongTensor([0, 1, 1, 0])
print(X.dtype, Y.dtype, X.shape, Y.shape)

model = MLP()
criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(model.parameters(), lr=0.02)

for epoch in range(1000):
    output = model(X)
    loss = criterion(output, Y)

    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    if epoch % 200 == 0:
        print(epoch, loss.item())

with torch.no_grad():
    output = model(X)
    _, predicted = torch.max(output, 1)
    probs = torch.softmax(output, dim=1)

print("probabilities:\n", probs)
print("predicted:", predicted)
correct = (predicted == Y).sum().item()
print(f"accuracy: {correct}/{len(Y)}")

assert predicted.tolist() == [0, 1, 1, 0]
assert correct == 4
assert loss.item() < 0.05
assert torch.allclose(probs.sum(dim=1), torch.ones(4))
