# Softmax and cross-entropy checked three ways: in NumPy by hand, with torch.softmax and
# nn.CrossEntropyLoss (raw logits, class-index targets), and as LogSoftmax followed by NLLLoss.
# Predictions come from torch.max(logits, 1).
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def np_softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def np_cross_entropy(one_hot, probs):
    probs = np.clip(probs, 1e-12, 1.0)
    return -np.sum(one_hot * np.log(probs))


scores = [1.5, 0.3, -0.8]
p_np = np_softmax(np.array(scores))
p_t = torch.softmax(torch.tensor(scores), dim=0)
print('numpy:', p_np, '\ntorch:', p_t)
assert np.allclose(p_t.numpy(), p_np)
assert torch.allclose(nn.Softmax(dim=0)(torch.tensor(scores)), F.softmax(torch.tensor(scores), dim=0))

print('numpy cross-entropy, right and wrong:',
      round(np_cross_entropy(np.array([1, 0, 0]), np.array([0.8, 0.15, 0.05])), 4),
      round(np_cross_entropy(np.array([1, 0, 0]), np.array([0.1, 0.2, 0.7])), 4))

ce = nn.CrossEntropyLoss()

# one sample: logits of shape (1, n_classes), target of shape (1,)
target = torch.tensor([0])
confident = torch.tensor([[2.5, 0.2, -1.0]])
confused = torch.tensor([[0.1, 1.8, 0.4]])
l_good = ce(confident, target)
l_bad = ce(confused, target)
print(f'good: {l_good.item():.4f}  bad: {l_bad.item():.4f}')
assert l_good.item() < l_bad.item()
manual = -torch.log(torch.softmax(confident, dim=1)[0, 0])
assert abs(l_good.item() - manual.item()) < 1e-6

_, guess_good = torch.max(confident, 1)
_, guess_bad = torch.max(confused, 1)
print(f'target {target.item()}  good guess {guess_good.item()}  bad guess {guess_bad.item()}')
assert guess_good.item() == 0 and guess_bad.item() == 1

# a batch of three
targets = torch.tensor([1, 2, 0])
logits = torch.tensor([[0.2, 3.1, 0.4],
                       [0.0, -0.5, 2.2],
                       [1.9, 0.3, 0.1]])
wrong = torch.tensor([[2.0, 0.1, 0.3],
                      [1.4, 0.2, 0.1],
                      [0.1, 0.2, 1.7]])
l1, l2 = ce(logits, targets), ce(wrong, targets)
_, p1 = torch.max(logits, 1)
_, p2 = torch.max(wrong, 1)
print(f'batch losses {l1.item():.4f} {l2.item():.4f}; targets {targets}, guesses {p1} and {p2}')
assert torch.equal(p1, targets) and l1 < l2

# the same number from log-softmax + negative log-likelihood, and from the functional forms
assert torch.allclose(nn.NLLLoss()(nn.LogSoftmax(dim=1)(logits), targets), l1)
assert torch.allclose(F.nll_loss(F.log_softmax(logits, dim=1), targets), l1)
assert torch.allclose(F.cross_entropy(logits, targets), l1)
assert torch.allclose(nn.CrossEntropyLoss(reduction='sum')(logits, targets), 3 * l1)
assert nn.CrossEntropyLoss(reduction='none')(logits, targets).shape == (3,)

# the gradient of cross-entropy with respect to the logits is softmax minus one-hot
z = wrong.clone().requires_grad_(True)
F.cross_entropy(z, targets, reduction='sum').backward()
expected = torch.softmax(wrong, dim=1) - F.one_hot(targets, num_classes=3).float()
print(z.grad)
assert torch.allclose(z.grad, expected, atol=1e-6)
