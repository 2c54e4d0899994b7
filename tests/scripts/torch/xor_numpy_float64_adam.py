# XOR with float64 tensors made from NumPy arrays, raw weight tensors handed to torch.optim.Adam,
# and the network written with the @ operator.
import numpy as np
import torch

np.random.seed(0)
torch.manual_seed(0)

X = np.array([[0, 0], [1, 0], [0, 1], [1, 1]])   # inputs
Y = np.array([[1, 0], [0, 1], [0, 1], [1, 0]])   # one-hot outputs (class 1 = "xor is true")
print('numpy:', X, Y)

X = torch.tensor(X, dtype=torch.float64)
Y = torch.tensor(Y, dtype=torch.float64)
print('torch:', X, Y)

w1 = torch.tensor(np.random.normal(size=(2, 4)), requires_grad=True)
b1 = torch.tensor(np.random.normal(size=(1, 4)), requires_grad=True)
print('w1:', w1)
assert w1.dtype == torch.float64 and w1.requires_grad

w2 = torch.tensor(np.random.normal(size=(4, 2)))
b2 = torch.tensor(np.random.normal(size=(1, 2)))
print(w2.requires_grad)   # False
w2.requires_grad_(True)

try:
    b2.requires_grad(True)   # requires_grad is an attribute, not a method
except Exception as e:
    print("error:", e)
b2.requires_grad_(True)
print('b2:', b2)

opt = torch.optim.Adam([w1, b1, w2, b2], lr=0.05)

for i in range(1500):
    opt.zero_grad()
    hidden = torch.sigmoid(X @ w1 + b1)
    output = torch.sigmoid(hidden @ w2 + b2)
    loss = torch.mean((output - Y) ** 2)
    loss.backward()
    opt.step()
    if i % 300 == 0:
        print(f'loss:{loss.item()}')

with torch.no_grad():
    hidden = torch.sigmoid(X @ w1 + b1)
    result = torch.sigmoid(hidden @ w2 + b2)

print('result:', result)
print(result.dtype)
assert result.dtype == torch.float64
assert result.argmax(dim=1).tolist() == [0, 1, 1, 0]
assert loss.item() < 0.01
