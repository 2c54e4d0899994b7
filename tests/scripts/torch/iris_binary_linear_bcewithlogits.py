# Setosa against versicolor (the first 100 iris rows) with nothing but nn.Linear(4, 1) and
# BCEWithLogitsLoss; the logits reshaped to the labels' shape with view_as, the probabilities
# from nn.functional.sigmoid, the labels compared as bytes.
import torch
from torch import nn, optim
from sklearn.datasets import load_iris

iris = load_iris()
X = torch.tensor(iris.data[:100], dtype=torch.float32)
y = torch.tensor(iris.target[:100], dtype=torch.float32)

torch.manual_seed(0)
model = nn.Linear(4, 1)
criterion = nn.BCEWithLogitsLoss()
opt = optim.SGD(model.parameters(), lr=0.25)

history = []
for step in range(100):
    opt.zero_grad()
    logits = model(X)
    if step == 0:
        print(logits.size(), y.size())
    loss = criterion(logits.view_as(y), y)
    loss.backward()
    opt.step()
    history.append(loss.item())

probs = nn.functional.sigmoid(model(X))
is_versicolor = probs > 0.5
hits = (y.byte() == is_versicolor.view_as(y)).sum().item()
print(hits, "of", len(y), "| loss", history[0], "->", history[-1])

assert is_versicolor.dtype == torch.bool
assert hits == 100
assert history[-1] < 0.1
