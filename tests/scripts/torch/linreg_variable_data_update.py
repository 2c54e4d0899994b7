# Linear regression one sample at a time, in the style of the early PyTorch courses: data as
# Python lists, the weight a Variable, its update written on .data.
import torch
from torch.autograd import Variable

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]

w = Variable(torch.Tensor([1.0]), requires_grad=True)  # any random value


# our model forward pass
def forward(x):
    return x * w


# Loss function
def loss(x, y):
    y_pred = forward(x)
    return (y_pred - y) * (y_pred - y)


# Before training
print("predict (before training)", 4, forward(4).data[0])

# Training loop
for epoch in range(50):
    for x_val, y_val in zip(x_data, y_data):
        l = loss(x_val, y_val)
        l.backward()
        print("\tgrad: ", x_val, y_val, w.grad.data[0])
        w.data = w.data - 0.01 * w.grad.data

        # Manually zero the gradients after updating weights
        w.grad.data.zero_()

    if epoch % 10 == 0:
        print("progress:", epoch, l.item())

# After training
print("predict (after training)", 4, forward(4).data[0])
print(w.data, type(w.data), w.data.shape)

assert abs(forward(4).item() - 8.0) < 0.05
assert l.item() < 1e-3
assert isinstance(w, torch.Tensor) and w.requires_grad
