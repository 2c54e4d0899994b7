# XOR with nn.Sequential, sigmoid output and binary cross-entropy, trained with plain SGD.
import torch
import torch.nn as nn

torch.manual_seed(0)

# the four XOR cases
X = torch.FloatTensor([[0, 0], [0, 1], [1, 0], [1, 1]])
Y = torch.FloatTensor([[0], [1], [1], [0]])

model = nn.Sequential(
    nn.Linear(2, 8, bias=True),
    nn.Tanh(),
    nn.Linear(8, 1, bias=True),
    nn.Sigmoid(),
)
print(model)

criterion = nn.BCELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=1)

for step in range(2001):
    optimizer.zero_grad()
    hypothesis = model(X)
    cost = criterion(hypothesis, Y)
    cost.backward()
    optimizer.step()

    if step % 400 == 0:
        print(step, cost.item())

# accuracy
with torch.no_grad():
    hypothesis = model(X)
    predicted = (hypothesis > 0.5).float()
    accuracy = (predicted == Y).float().mean()
    print('\nHypothesis: ', hypothesis.detach().cpu().numpy(),
          '\nCorrect: ', predicted.detach().cpu().numpy(),
          '\nAccuracy: ', accuracy.item())

print(model(X).round())
print("Predictions:", (model(X) > 0.5).int().view(-1).tolist())

assert (model(X) > 0.5).int().view(-1).tolist() == [0, 1, 1, 0]
assert accuracy.item() == 1.0
assert cost.item() < 0.1
