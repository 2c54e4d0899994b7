# The tensor facts beginner scripts lean on, each asserted: which dtype a constructor gives,
# shapes and sizes, arithmetic and its in-place form, indexing down to item(), view/reshape and
# friends, and the NumPy bridge (numpy() and from_numpy share memory, torch.tensor copies).
import numpy as np
import torch

torch.manual_seed(0)

x = torch.empty(2, 3)
print(x.size(), x.shape)
x = torch.rand(5, 3)
print(x)
assert ((x >= 0) & (x < 1)).all()
x = torch.zeros(5, 3)
print(x.size(), x.dtype)
assert x.size() == (5, 3) and x.dtype == torch.float32
x = torch.zeros(5, 3, dtype=torch.float16)
assert x.dtype == torch.float16
x = torch.ones(2, 2, dtype=torch.double)
assert x.dtype == torch.float64

# dtypes of constructed tensors
assert torch.tensor([1, 2]).dtype == torch.int64
assert torch.tensor([1., 2]).dtype == torch.float32
assert torch.tensor([5.5, 3]).dtype == torch.float32
assert torch.tensor(3).dtype == torch.int64 and torch.tensor(3).shape == ()
assert torch.tensor([True, False]).dtype == torch.bool
assert torch.Tensor([1, 2]).dtype == torch.float32
assert torch.FloatTensor([1, 2]).dtype == torch.float32
assert torch.LongTensor([1, 2]).dtype == torch.int64
assert torch.tensor(np.array([1.0, 2.0])).dtype == torch.float64
assert torch.from_numpy(np.array([1, 2])).dtype == torch.int64
assert torch.arange(5).dtype == torch.int64 and torch.arange(0, 1, 0.25).dtype == torch.float32
assert torch.linspace(0, 1, 5).dtype == torch.float32
assert torch.randn(2).dtype == torch.float32
assert torch.randint(0, 10, (3,)).dtype == torch.int64
assert (torch.tensor([1, 2]) / 2).dtype == torch.float32
assert (torch.tensor([1, 2]) * 1.5).dtype == torch.float32
assert torch.tensor([1, 2]).float().dtype == torch.float32
assert torch.tensor([1.7, 2.2]).long().tolist() == [1, 2]
assert torch.tensor([1.0]).double().dtype == torch.float64
assert torch.tensor([1, 0]).bool().tolist() == [True, False]
assert (torch.tensor([1.0, 2.0]) > 1.5).dtype == torch.bool
assert torch.tensor([1.0, 2.0]).to(torch.int32).dtype == torch.int32
print(torch.float32 == torch.float, torch.int64 == torch.long)

# operations
y = torch.rand(2, 2)
x = torch.rand(2, 2)
z = x + y
assert torch.equal(z, torch.add(x, y))
assert torch.equal(x - y, torch.sub(x, y))
assert torch.equal(x * y, torch.mul(x, y))
assert torch.allclose(x / y, torch.div(x, y))
y.add_(x)   # trailing underscore: in place
assert torch.equal(y, z)

# slicing and item()
x = torch.rand(5, 3)
print(x[:, 0])       # first column
print(x[1, :])       # second row
print(x[1, 1])       # one element, still a tensor (0-dimensional)
print(x[1, 1].item())
assert x[:, 0].shape == (5,) and x[1, 1].shape == ()
assert isinstance(x[1, 1].item(), float)

# view / reshape
x = torch.randn(4, 4)
y = x.view(16)
z = x.view(-1, 8)   # the -1 is worked out from the other sizes
print(x.size(), y.size(), z.size())
assert z.shape == (2, 8) and x.reshape(2, -1).shape == (2, 8)
assert torch.randn(3, 1).squeeze().shape == (3,)
assert torch.randn(3).unsqueeze(1).shape == (3, 1)
assert torch.randn(2, 3).t().shape == (3, 2)
assert torch.randn(2, 3).T.shape == (3, 2)
assert torch.cat([torch.ones(2, 3), torch.zeros(1, 3)]).shape == (3, 3)
assert torch.stack([torch.ones(3), torch.zeros(3)]).shape == (2, 3)
assert torch.stack([torch.ones(3), torch.zeros(3)], dim=1).shape == (3, 2)

# a CPU tensor and the array from numpy() are one buffer
a = torch.ones(5)
b = a.numpy()
print(type(b), b.dtype)
a.add_(1)
print(a, b)
assert b.tolist() == [2.0] * 5

a = np.ones(5)
b = torch.from_numpy(a)
a += 1
print(a, b)
assert b.tolist() == [2.0] * 5 and b.dtype == torch.float64

c = torch.tensor(a)  # copies
a += 1
assert c.tolist() == [2.0] * 5

# numpy() refuses a tensor that requires grad; detach() it first
w = torch.randn(3, requires_grad=True)
try:
    w.numpy()
    raise AssertionError("expected an error")
except RuntimeError as e:
    print("RuntimeError:", e)
print(w.detach().numpy(), w.data.numpy(), w.tolist())

if torch.cuda.is_available():
    device = torch.device("cuda")
    y = torch.ones_like(x, device=device)
    x = x.to(device)
    z = (x + y).to("cpu", torch.double)
print(torch.ones_like(x).shape, torch.zeros_like(x).dtype)
