# What autograd does, checked step by step: grad_fn on results but not on leaves, backward on a
# scalar, backward on a vector with an explicit gradient, requires_grad_(), detach(),
# torch.no_grad(), gradients piling up until zeroed, an optimizer over a raw tensor, and
# torch.autograd.grad for a first and a second derivative.
import torch

torch.manual_seed(0)

a = torch.randn(3, requires_grad=True)
b = a * 2 + 1
print(a)
print(b)
print(b.grad_fn)
assert a.grad_fn is None and b.grad_fn is not None
assert a.is_leaf and not b.is_leaf

c = (b ** 2).mean()
print(c)
c.backward()
print(a.grad)                 # dc/da = 2 * b * 2 / 3
assert torch.allclose(a.grad, 4 * (2 * a.detach() + 1) / 3)

# a vector output takes the vector of the vector-Jacobian product
a = torch.randn(3, requires_grad=True)
out = a * 3
for _ in range(4):
    out = out * 2
v = torch.tensor([1.0, 0.5, 0.001])
out.backward(v)
print(a.grad)
assert torch.allclose(a.grad, v * 48)

# ... and without it, backward on a non-scalar is an error
try:
    (a * 2).backward()
    raise AssertionError("expected an error")
except RuntimeError as e:
    print("RuntimeError:", e)

# switching tracking on and off
m = torch.randn(2, 2)
print(m.requires_grad, ((m + 1) * 2).grad_fn)
m.requires_grad_(True)
s = (m * m).sum()
print(m.requires_grad, s.grad_fn)
assert s.requires_grad

d = torch.randn(2, 2, requires_grad=True).detach()
print(d.requires_grad)
assert not d.requires_grad

with torch.no_grad():
    q = a ** 2
    print(q.requires_grad)
    assert not q.requires_grad
assert (a ** 2).requires_grad

# gradients add up across backward calls until someone zeroes them
p = torch.ones(4, requires_grad=True)
for _ in range(3):
    (p * 2).sum().backward()
    print(p.grad)
assert p.grad.tolist() == [6.0, 6.0, 6.0, 6.0]
p.grad.zero_()
for _ in range(3):
    (p * 2).sum().backward()
    assert p.grad.tolist() == [2.0, 2.0, 2.0, 2.0]
    p.grad.zero_()
assert p.grad.sum().item() == 0

# an optimizer over a plain tensor
opt = torch.optim.SGD([p], lr=0.1)
(p * 2).sum().backward()
opt.step()
opt.zero_grad()
print(p)
assert torch.allclose(p, torch.full((4,), 0.8))

# torch.autograd.grad: f(t) = t^3 at t = 2, f' = 12, and t.grad is left alone
t = torch.tensor([2.], requires_grad=True)
f = torch.pow(t, 3)
first = torch.autograd.grad(f, t)
print(first)
assert isinstance(first, tuple)
assert first[0].item() == 12.0 and t.grad is None

# d(2 x . x)/dx = 4x
x = torch.arange(4.0, requires_grad=True)
(2 * torch.dot(x, x)).backward()
print(x.grad)
assert x.grad.tolist() == [0.0, 4.0, 8.0, 12.0]
