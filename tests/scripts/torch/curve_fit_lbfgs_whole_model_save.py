# Fitting a decaying oscillation with a small nn.Module whose parameters are the curve's own
# (amplitude, decay, frequency, offset), by L-BFGS with a closure and a strong-Wolfe line
# search; then the whole model is saved with torch.save(model, path) and loaded back with
# weights_only=False (as PyTorch 2.6 asks for a whole model), and gives the same predictions.
import math
import os
import tempfile

import torch
import torch.nn as nn


class DampedWave(nn.Module):
    def __init__(self):
        super().__init__()
        self.amplitude = nn.Parameter(torch.tensor(1.0))
        self.decay = nn.Parameter(torch.tensor(0.5))
        self.frequency = nn.Parameter(torch.tensor(2.5))
        self.offset = nn.Parameter(torch.tensor(0.0))

    def forward(self, t):
        return self.amplitude * torch.exp(-self.decay * t) * torch.cos(self.frequency * t) \
            + self.offset


torch.manual_seed(0)
t = torch.linspace(0, 4, 200)
y = 2.0 * torch.exp(-0.7 * t) * torch.cos(3.0 * t) + 0.25 + 0.02 * torch.randn(200)

model = DampedWave()
optimizer = torch.optim.LBFGS(model.parameters(), lr=1, max_iter=50,
                              line_search_fn="strong_wolfe")
loss_fn = nn.MSELoss()


def closure():
    optimizer.zero_grad()
    loss = loss_fn(model(t), y)
    loss.backward()
    return loss


for step in range(10):
    loss = optimizer.step(closure)
    print(f"step {step}: loss {loss.item():.6f}")

for name, p in model.named_parameters():
    print(f"{name}: {p.item():.4f}")
final = loss_fn(model(t), y).item()
assert final < 1e-3, final
assert abs(model.frequency.item() - 3.0) < 0.05 and abs(model.decay.item() - 0.7) < 0.05

with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "wave.pth")
    torch.save(model, path)
    loaded = torch.load(path, weights_only=False)
print(loaded)
loaded.eval()
with torch.no_grad():
    same = torch.allclose(loaded(t), model(t))
print("same predictions:", same)
assert same and isinstance(loaded, DampedWave)
assert math.isclose(loaded.frequency.item(), model.frequency.item())
