# Derivatives of derivatives with autograd: torch.autograd.grad(..., create_graph=True) gives a
# gradient that is itself in a graph, so it can be differentiated again (y = x^3: 3x^2, 6x, 6),
# backward(create_graph=True) leaves such a gradient in .grad, a gradient penalty is added to a
# loss, and a small network is fitted to the ODE y' = -y, y(0) = 1 from its own derivative.
import math

import torch
import torch.nn as nn

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x ** 3
dy, = torch.autograd.grad(y, x, grad_outputs=torch.ones_like(y), create_graph=True)
print("dy/dx", dy)
assert dy.requires_grad and dy.grad_fn is not None
d2y, = torch.autograd.grad(dy, x, grad_outputs=torch.ones_like(dy), create_graph=True)
d3y, = torch.autograd.grad(d2y.sum(), x)
print("d2y/dx2", d2y, "d3y/dx3", d3y)
assert dy.tolist() == [3.0, 12.0, 27.0]
assert d2y.tolist() == [6.0, 12.0, 18.0] and d3y.tolist() == [6.0, 6.0, 6.0]

# backward(create_graph=True): x.grad carries a graph of its own
w = torch.tensor(0.5, requires_grad=True)
(torch.sin(w) * w).backward(create_graph=True)
slope = w.grad
curvature, = torch.autograd.grad(slope, w)
print("f'(w)", slope.item(), "f''(w)", curvature.item())
assert abs(slope.item() - (math.cos(0.5) * 0.5 + math.sin(0.5))) < 1e-6
assert abs(curvature.item() - (2 * math.cos(0.5) - 0.5 * math.sin(0.5))) < 1e-6

# a loss plus the squared norm of its own gradient
v = torch.tensor([5.0], requires_grad=True)
loss = v ** 3
g, = torch.autograd.grad(loss, v, create_graph=True)
total = loss + torch.norm(g, p=2) ** 2
total.backward()
print("penalised gradient", v.grad)
assert v.grad.item() == 75.0 + 2 * 75.0 * 30.0

# y' = -y with y(0) = 1 on [0, 2], learned from the residual of the network's own derivative
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(1, 20), nn.Tanh(), nn.Linear(20, 20), nn.Tanh(), nn.Linear(20, 1))
optimizer = torch.optim.Adam(net.parameters(), lr=0.01)
t = torch.linspace(0, 2, 40).reshape(-1, 1).requires_grad_(True)
t0 = torch.zeros(1, 1)
for step in range(1500):
    u = net(t)
    du, = torch.autograd.grad(u, t, torch.ones_like(u), create_graph=True)
    loss = ((du + u) ** 2).mean() + ((net(t0) - 1.0) ** 2).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 500 == 0:
        print(f"step {step}: residual loss {loss.item():.5f}")
with torch.no_grad():
    grid = torch.tensor([[0.0], [1.0], [2.0]])
    learned = net(grid).squeeze(1)
exact = torch.exp(-grid).squeeze(1)
print("learned", learned, "exact", exact)
assert loss.item() < 1e-3
assert torch.allclose(learned, exact, atol=0.02)
