# A tour of autograd as the tutorials give it: requires_grad, grad_fn, backward on a scalar and
# with a vector argument, requires_grad_(), detach(), torch.no_grad(), gradients accumulating
# until zeroed, and torch.autograd.grad for first and second derivatives.
import torch

torch.manual_seed(0)

x = torch.randn(3, requires_grad=True)
y = x + 2
print(x)          # created by the user -> grad_fn is None
print(y)
print(y.grad_fn)
assert x.grad_fn is None and y.grad_fn is not None
assert x.is_leaf and not y.is_leaf

z = y * y * 3
print(z)
z = z.mean()
print(z)

z.backward()
print(x.grad)  # dz/dx = 6 (x + 2) / 3
assert torch.allclose(x.grad, 2 * (x.detach() + 2))

# a non-scalar output needs a vector for the vector-Jacobian product
x = torch.randn(3, requires_grad=True)
y = x * 2
for _ in range(10):
    y = y * 2
print(y, y.shape)
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float32)
y.backward(v)
print(x.grad)
assert torch.allclose(x.grad, v * 2048)

# calling backward on a non-scalar without a gradient is an error
try:
    (x * 2).backward()
    raise AssertionError("expected an error")
except RuntimeError as e:
    print("RuntimeError:", e)

# stopping a tensor from tracking history
a = torch.randn(2, 2)
print(a.requires_grad)
b = ((a * 3) / (a - 1))
print(b.grad_fn)
a.requires_grad_(True)
print(a.requires_grad)
b = (a * a).sum()
print(b.grad_fn)
assert b.requires_grad

a = torch.randn(2, 2, requires_grad=True)
b = a.detach()
print(b.requires_grad)
assert not b.requires_grad

with torch.no_grad():
    print((x ** 2).requires_grad)
    assert not (x ** 2).requires_grad
print((x ** 2).requires_grad)

# gradients accumulate until zeroed
weights = torch.ones(4, requires_grad=True)
for epoch in range(3):
    model_output = (weights * 3).sum()
    model_output.backward()
    print(weights.grad)
assert weights.grad.tolist() == [9.0, 9.0, 9.0, 9.0]   # 3 + 3 + 3: never zeroed
weights.grad.zero_()
for epoch in range(3):
    model_output = (weights * 3).sum()
    model_output.backward()
    print(weights.grad)
    assert weights.grad.tolist() == [3.0, 3.0, 3.0, 3.0]
    weights.grad.zero_()
assert weights.grad.sum().item() == 0

# the same with an optimizer
optimizer = torch.optim.SGD([weights], lr=0.1)
(weights * 3).sum().backward()
optimizer.step()
optimizer.zero_grad()
print(weights)
assert torch.allclose(weights, torch.full((4,), 0.7))

# torch.autograd.grad: dy/dx and d2y/dx2 of y = x^3 at x = 2
x = torch.tensor([2.], requires_grad=True)
y = torch.pow(x, 3)
grad_1 = torch.autograd.grad(y, x, create_graph=True)
print(grad_1)
grad_2 = torch.autograd.grad(grad_1[0], x)
print(grad_2)
assert isinstance(grad_1, tuple)
assert grad_1[0].item() == 12.0 and grad_2[0].item() == 12.0

# d(x . x)/dx = 2x
x = torch.arange(4.0, requires_grad=True)
y = 2 * torch.dot(x, x)
y.backward()
print(x.grad)
assert x.grad.tolist() == [0.0, 4.0, 8.0, 12.0]
