# Softmax and cross-entropy by hand in NumPy and with torch: nn.CrossEntropyLoss on raw logits
# and class indices, torch.max for predictions, and the same loss as LogSoftmax + NLLLoss.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def softmax(x):
    return np.exp(x) / np.sum(np.exp(x), axis=0)


def cross_entropy(actual, predicted):
    EPS = 1e-15
    predicted = np.clip(predicted, EPS, 1 - EPS)
    return -np.sum(actual * np.log(predicted))


x = np.array([2.0, 1.0, 0.1])
outputs = softmax(x)
print('softmax numpy:', outputs)

x = torch.tensor([2.0, 1.0, 0.1])
outputs = torch.softmax(x, dim=0)
print('softmax torch:', outputs)
assert np.allclose(outputs.numpy(), softmax(np.array([2.0, 1.0, 0.1])))
assert torch.allclose(nn.Softmax(dim=0)(x), F.softmax(x, dim=0))

Y = np.array([1, 0, 0])
Y_pred_good = np.array([0.7, 0.2, 0.1])
Y_pred_bad = np.array([0.1, 0.3, 0.6])
l1 = cross_entropy(Y, Y_pred_good)
l2 = cross_entropy(Y, Y_pred_bad)
print(f'Loss1 numpy: {l1:.4f}')
print(f'Loss2 numpy: {l2:.4f}')

loss = nn.CrossEntropyLoss()
# target: class indices; input: raw logits of shape (n_samples, n_classes)
Y = torch.tensor([0])
Y_pred_good = torch.tensor([[2.0, 1.0, 0.1]])
Y_pred_bad = torch.tensor([[0.5, 2.0, 0.3]])
l1 = loss(Y_pred_good, Y)
l2 = loss(Y_pred_bad, Y)
print(f'PyTorch Loss1: {l1.item():.4f}')
print(f'PyTorch Loss2: {l2.item():.4f}')
assert l1.item() < l2.item()
assert abs(l1.item() - 0.4170) < 1e-4

_, predictions1 = torch.max(Y_pred_good, 1)
_, predictions2 = torch.max(Y_pred_bad, 1)
print(f'Actual class: {Y.item()}, Y_pred1: {predictions1.item()}, Y_pred2: {predictions2.item()}')
assert predictions1.item() == 0 and predictions2.item() == 1

# a batch of three
Y = torch.tensor([2, 0, 1])
Y_pred_good = torch.tensor(
    [[0.1, 0.2, 3.9],   # predict class 2
     [1.2, 0.1, 0.3],   # predict class 0
     [0.3, 2.2, 0.2]])  # predict class 1
Y_pred_bad = torch.tensor(
    [[0.9, 0.2, 0.1],
     [0.1, 0.3, 1.5],
     [1.2, 0.2, 0.5]])
l1 = loss(Y_pred_good, Y)
l2 = loss(Y_pred_bad, Y)
print(f'Batch Loss1:  {l1.item():.4f}')
print(f'Batch Loss2: {l2.item():.4f}')
_, predictions1 = torch.max(Y_pred_good, 1)
_, predictions2 = torch.max(Y_pred_bad, 1)
print(f'Actual class: {Y}, Y_pred1: {predictions1}, Y_pred2: {predictions2}')
assert torch.equal(predictions1, Y)

# the same numbers from log_softmax + NLLLoss, and from F.cross_entropy
log_probs = nn.LogSoftmax(dim=1)(Y_pred_good)
nll = nn.NLLLoss()(log_probs, Y)
assert torch.allclose(nll, l1)
assert torch.allclose(F.nll_loss(F.log_softmax(Y_pred_good, dim=1), Y), l1)
assert torch.allclose(F.cross_entropy(Y_pred_good, Y), l1)
sum_loss = nn.CrossEntropyLoss(reduction='sum')(Y_pred_good, Y)
assert torch.allclose(sum_loss, 3 * l1)
none_loss = nn.CrossEntropyLoss(reduction='none')(Y_pred_good, Y)
assert none_loss.shape == (3,)

# cross-entropy's gradient is softmax minus one-hot
logits = Y_pred_bad.clone().requires_grad_(True)
F.cross_entropy(logits, Y, reduction='sum').backward()
expected = torch.softmax(Y_pred_bad, dim=1) - F.one_hot(Y, num_classes=3).float()
assert torch.allclose(logits.grad, expected, atol=1e-6)
print(logits.grad)
