# A line y = 0.4x + 0.6 learned by a Module holding two nn.Parameters, with nn.L1Loss and SGD;
# the held-out loss computed under torch.inference_mode(); the state_dict saved to a Path and
# loaded into a fresh model that must give the same predictions.
from pathlib import Path

import torch
from torch import nn

true_w, true_b = 0.4, 0.6
X = torch.arange(0, 1, 0.02).unsqueeze(dim=1)
y = true_w * X + true_b
print(X[:5], y[:5], len(X))

cut = int(0.8 * len(X))
X_train, y_train = X[:cut], y[:cut]
X_test, y_test = X[cut:], y[cut:]


class LineModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(1, requires_grad=True, dtype=torch.float))
        self.b = nn.Parameter(torch.randn(1, requires_grad=True, dtype=torch.float))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.w * x + self.b


torch.manual_seed(42)
model = LineModel()
print(list(model.parameters()))
print(model.state_dict())

loss_fn = nn.L1Loss()
optimizer = torch.optim.SGD(params=model.parameters(), lr=0.01)

log = []
for epoch in range(2000):
    model.train()
    loss = loss_fn(model(X_train), y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    model.eval()
    with torch.inference_mode():
        test_loss = loss_fn(model(X_test), y_test.type(torch.float))

    if epoch % 200 == 0:
        log.append((epoch, loss.detach().numpy(), test_loss.detach().numpy()))
        print(f"epoch {epoch} | train MAE {loss} | test MAE {test_loss}")

print(model.state_dict())

folder = Path("checkpoints")
folder.mkdir(parents=True, exist_ok=True)
path = folder / "line_model.pth"
torch.save(obj=model.state_dict(), f=path)

restored = LineModel()
restored.load_state_dict(torch.load(f=path))
restored.eval()
with torch.inference_mode():
    a = model(X_test)
    b = restored(X_test)
print(a == b)

assert X.shape == (50, 1) and X.dtype == torch.float32
assert torch.equal(a, b)
assert abs(model.w.item() - true_w) < 0.05 and abs(model.b.item() - true_b) < 0.05
assert test_loss.item() < 0.05
assert len(log) == 10
