# Stochastic gradient descent on one sample at a time, as the early PyTorch courses wrote it:
# the data in Python lists, the weight a Variable, its value replaced through .data and its
# gradient zeroed through .grad.data.
import torch
from torch.autograd import Variable

hours = [1.0, 2.0, 3.0, 4.0]
scores = [1.5, 3.0, 4.5, 6.0]

w = Variable(torch.Tensor([0.5]), requires_grad=True)


def model(x):
    return x * w


def sq_error(x, y):
    return (model(x) - y) * (model(x) - y)


print("before training:", 5, model(5).data[0])

for epoch in range(40):
    for x, y in zip(hours, scores):
        err = sq_error(x, y)
        err.backward()
        if epoch == 0:
            print("\tgrad:", x, y, w.grad.data[0])
        w.data = w.data - 0.01 * w.grad.data
        w.grad.data.zero_()
    if epoch % 10 == 0:
        print("epoch", epoch, "error", err.item())

print("after training:", 5, model(5).data[0])
print(w.data, type(w.data), w.data.shape)

assert abs(model(5).item() - 7.5) < 0.05
assert err.item() < 1e-3
assert isinstance(w, torch.Tensor) and w.requires_grad
