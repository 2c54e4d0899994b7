# XOR from scratch: weight matrices as plain tensors with requires_grad, the forward pass written
# with mm/mv, and the update done on .data with the gradients zeroed by hand.
import torch

torch.manual_seed(0)

# data
x = torch.tensor([[0., 0.], [1., 0.], [0., 1.], [1., 1.]])
t = torch.tensor([0., 1., 1., 0.])

# parameters: 2 inputs -> 4 hidden -> 1 output
W = torch.randn(2, 4, requires_grad=True, dtype=torch.float)
b = torch.zeros(4, requires_grad=True, dtype=torch.float)
W2 = torch.randn(4, requires_grad=True, dtype=torch.float)
b2 = torch.tensor([0.], requires_grad=True, dtype=torch.float)

mu = 2.0  # learning rate

for iteration in range(3000):
    # forward computation
    s = x.mm(W) + b
    h = torch.nn.Sigmoid()(s)
    z = h.mv(W2) + b2
    y = torch.nn.Sigmoid()(z)

    error = 1/2 * (t - y) ** 2
    mean_error = error.mean()

    # backward computation
    mean_error.backward()

    W.data = W.data - mu * W.grad.data
    b.data = b.data - mu * b.grad.data
    W2.data = W2.data - mu * W2.grad.data
    b2.data = b2.data - mu * b2.grad.data

    W.grad.data.zero_()
    b.grad.data.zero_()
    W2.grad.data.zero_()
    b2.grad.data.zero_()

    if iteration % 500 == 0:
        print(iteration, mean_error)

print("final error:", mean_error.item())

for i in range(4):
    s = W.t().mv(x[i]) + b
    h = torch.sigmoid(s)
    z = torch.dot(W2, h) + b2
    out = torch.sigmoid(z)
    print(x[i].tolist(), "->", out.detach().numpy())
    assert round(out.item()) == int(t[i].item())

assert mean_error.item() < 0.01
assert W.grad.abs().sum().item() == 0
