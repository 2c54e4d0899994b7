# Four Gaussian blobs as four classes: make_blobs, labels cast with .type(torch.LongTensor),
# a Sequential stack inside a Module, CrossEntropyLoss on the logits, predictions through
# torch.softmax(logits, dim=1).argmax(dim=1), SGD on the full batch.
import torch
from torch import nn
from sklearn.datasets import make_blobs
from sklearn.model_selection import train_test_split

N_CLASSES = 4
N_FEATURES = 2
SEED = 42

X, y = make_blobs(n_samples=1000, n_features=N_FEATURES, centers=N_CLASSES,
                  cluster_std=1.5, random_state=SEED)
X = torch.from_numpy(X).type(torch.float)
y = torch.from_numpy(y).type(torch.LongTensor)
print(X[:3], y[:3])

X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=SEED)

device = "cuda" if torch.cuda.is_available() else "cpu"


class BlobClassifier(nn.Module):
    def __init__(self, n_in, n_out, hidden=8):
        super().__init__()
        self.stack = nn.Sequential(
            nn.Linear(in_features=n_in, out_features=hidden),
            nn.ReLU(),
            nn.Linear(in_features=hidden, out_features=hidden),
            nn.ReLU(),
            nn.Linear(in_features=hidden, out_features=n_out),
        )

    def forward(self, x):
        return self.stack(x)


def accuracy(y_true, y_pred):
    return torch.eq(y_true, y_pred).sum().item() / len(y_pred) * 100


torch.manual_seed(SEED)
clf = BlobClassifier(N_FEATURES, N_CLASSES).to(device)
loss_fn = nn.CrossEntropyLoss()
opt = torch.optim.SGD(clf.parameters(), lr=0.1)

# untrained: the probabilities of each row still sum to one
clf.eval()
with torch.inference_mode():
    probs = torch.softmax(clf(X_te.to(device)), dim=1)
print(probs[:3], torch.sum(probs[0]))

X_tr, y_tr, X_te, y_te = X_tr.to(device), y_tr.to(device), X_te.to(device), y_te.to(device)
for epoch in range(300):
    clf.train()
    logits = clf(X_tr)
    preds = torch.softmax(logits, dim=1).argmax(dim=1)
    loss = loss_fn(logits, y_tr)
    acc = accuracy(y_tr, preds)
    opt.zero_grad()
    loss.backward()
    opt.step()

    clf.eval()
    with torch.inference_mode():
        test_logits = clf(X_te)
        test_preds = torch.softmax(test_logits, dim=1).argmax(dim=1)
        test_loss = loss_fn(test_logits, y_te)
        test_acc = accuracy(y_te, test_preds)
    if epoch % 50 == 0:
        print(f"epoch {epoch} | loss {loss:.5f} acc {acc:.2f}% | "
              f"test loss {test_loss:.5f} test acc {test_acc:.2f}%")

print(test_preds[:10], y_te[:10])
assert y.dtype == torch.int64 and X.dtype == torch.float32
assert abs(torch.sum(probs[0]).item() - 1.0) < 1e-6
assert test_acc > 97
assert test_loss.item() < 0.15
