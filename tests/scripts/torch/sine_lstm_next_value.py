# Next-value prediction on a sine wave with an nn.LSTM: sliding windows of 20 samples as
# (batch, seq_len, 1) with batch_first=True, the last time step's hidden output through a Linear
# head, full-batch Adam on the mean squared error, then a short autoregressive rollout.
import math

import torch
import torch.nn as nn

torch.manual_seed(0)

t = torch.linspace(0, 8 * math.pi, 400)
wave = torch.sin(t)
window = 20
X = torch.stack([wave[i:i + window] for i in range(len(wave) - window)]).unsqueeze(-1)
y = wave[window:].unsqueeze(-1)
print("inputs", tuple(X.shape), "targets", tuple(y.shape))


class SineLSTM(nn.Module):
    def __init__(self, hidden_size=16):
        super().__init__()
        self.lstm = nn.LSTM(input_size=1, hidden_size=hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, 1)

    def forward(self, x):
        out, (h_n, c_n) = self.lstm(x)  # out: (batch, seq_len, hidden)
        return self.head(out[:, -1, :])


model = SineLSTM()
print(model)
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
criterion = nn.MSELoss()

losses = []
for epoch in range(80):
    optimizer.zero_grad()
    loss = criterion(model(X), y)
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
    if epoch % 20 == 0:
        print(f"epoch {epoch:3d}  mse {loss.item():.5f}")
print(f"first mse {losses[0]:.4f}, last mse {losses[-1]:.5f}")

# feed the model its own predictions for a few steps
model.eval()
with torch.no_grad():
    seq = X[-1:].clone()
    preds = []
    for _ in range(10):
        nxt = model(seq)
        preds.append(nxt.item())
        seq = torch.cat([seq[:, 1:, :], nxt.view(1, 1, 1)], dim=1)
truth = torch.sin(t[-1] + (t[1] - t[0]) * torch.arange(1, 11))
rollout_error = (torch.tensor(preds) - truth).abs().max().item()
print("rollout max error", round(rollout_error, 4))

assert list(dict(model.lstm.named_parameters())) == [
    "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
assert losses[-1] < 0.05 * losses[0], (losses[0], losses[-1])
assert rollout_error < 0.5
