# A line through data with outliers, fitted under four losses (MSELoss, L1Loss, HuberLoss,
# SmoothL1Loss) with AdamW; the robust losses land closer to the true line.
import numpy as np
import torch
import torch.nn as nn

np.random.seed(0)
torch.manual_seed(0)

n = 200
x = np.random.uniform(-3, 3, size=(n, 1)).astype(np.float32)
y = 2.0 * x + 1.0 + np.random.normal(0, 0.3, size=(n, 1)).astype(np.float32)
outliers = np.random.choice(n, 20, replace=False)
y[outliers] += 15.0   # one-sided outliers pull a least-squares line up

X = torch.from_numpy(x)
Y = torch.from_numpy(y)

losses = {
    "mse": nn.MSELoss(),
    "l1": nn.L1Loss(),
    "huber": nn.HuberLoss(delta=1.0),
    "smooth_l1": nn.SmoothL1Loss(beta=1.0),
}

results = {}
for name, criterion in losses.items():
    torch.manual_seed(0)
    model = nn.Linear(1, 1)
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.05, weight_decay=1e-4)
    for epoch in range(600):
        optimizer.zero_grad()
        loss = criterion(model(X), Y)
        loss.backward()
        optimizer.step()
    w, b = model.weight.item(), model.bias.item()
    results[name] = (w, b)
    print(f"{name:10s} loss={loss.item():.4f}  w={w:.3f}  b={b:.3f}")

# Huber with delta 1 and SmoothL1 with beta 1 are the same function
a = torch.randn(10)
t = torch.randn(10)
assert torch.allclose(nn.HuberLoss()(a, t), nn.SmoothL1Loss()(a, t))
assert torch.allclose(nn.L1Loss()(a, t), (a - t).abs().mean())

print(results)
assert abs(results["mse"][1] - 1.0) > 1.0                 # pulled up by the outliers
for name in ("l1", "huber", "smooth_l1"):
    w, b = results[name]
    assert abs(w - 2.0) < 0.15 and abs(b - 1.0) < 0.4, (name, w, b)
