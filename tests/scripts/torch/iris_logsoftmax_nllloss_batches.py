# Iris with the log-probabilities made inside the model (nn.LogSoftmax(dim=1)) and scored with
# nn.NLLLoss; mini-batches sliced from the training tensors at start positions taken from
# torch.arange; the best epoch's state_dict kept with copy.deepcopy and restored at the end.
import copy

import torch
import torch.nn as nn
import torch.optim as optim
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split

iris = load_iris()
features = torch.tensor(iris["data"], dtype=torch.float32)
species = torch.tensor(iris["target"], dtype=torch.long)

# train_test_split accepts tensors as well as arrays
X_tr, X_te, y_tr, y_te = train_test_split(features, species, train_size=0.7, shuffle=True,
                                          random_state=7)


class IrisLogProbs(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(4, 8)
        self.act = nn.ReLU()
        self.out = nn.Linear(8, 3)
        self.log_softmax = nn.LogSoftmax(dim=1)

    def forward(self, x):
        return self.log_softmax(self.out(self.act(self.hidden(x))))


torch.manual_seed(0)
net = IrisLogProbs()
nll = nn.NLLLoss()
opt = optim.Adam(net.parameters(), lr=0.01)

size = 5
starts = torch.arange(0, len(X_tr), size)

best_acc, best_state = -1.0, None
for epoch in range(100):
    net.train()
    for s in starts:
        xb, yb = X_tr[s:s + size], y_tr[s:s + size]
        loss = nll(net(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    net.eval()
    acc = float((torch.argmax(net(X_te), 1) == y_te).float().mean())
    if acc > best_acc:
        best_acc = acc
        best_state = copy.deepcopy(net.state_dict())
    if epoch % 20 == 0:
        print(f"epoch {epoch}: last batch loss {loss.item():.4f}, test accuracy {acc * 100:.1f}%")

net.load_state_dict(best_state)
net.eval()
with torch.no_grad():
    log_p = net(X_te)
    acc = (log_p.argmax(dim=1) == y_te).float().mean().item()
print("best accuracy: %.2f" % best_acc, acc)

assert torch.allclose(log_p.exp().sum(dim=1), torch.ones(len(X_te)), atol=1e-5)
assert abs(acc - best_acc) < 1e-6
assert best_acc >= 0.95
