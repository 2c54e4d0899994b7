# Two heads on one shared trunk: backward(retain_graph=True) through the first loss, then the
# second, the gradients adding up in the shared layer; checked against one backward of the sum.
# Also torch.cat/torch.stack/torch.where on the way.
import torch
import torch.nn as nn


class TwoHeads(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = nn.Linear(3, 8)
        self.head_a = nn.Linear(8, 1)
        self.head_b = nn.Linear(8, 1)

    def forward(self, x):
        h = torch.tanh(self.trunk(x))
        return self.head_a(h), self.head_b(h)


torch.manual_seed(0)
x = torch.randn(64, 3)
target_a = x.sum(dim=1, keepdim=True)
target_b = torch.where(x[:, :1] > 0, torch.ones(64, 1), -torch.ones(64, 1))

model = TwoHeads()
mse = nn.MSELoss()

# two backward passes through the same graph
out_a, out_b = model(x)
loss_a = mse(out_a, target_a)
loss_b = mse(out_b, target_b)
loss_a.backward(retain_graph=True)
grad_after_a = model.trunk.weight.grad.clone()
loss_b.backward()
two_pass = model.trunk.weight.grad.clone()

# one backward of the sum
model.zero_grad()
out_a, out_b = model(x)
(mse(out_a, target_a) + mse(out_b, target_b)).backward()
one_pass = model.trunk.weight.grad.clone()
print(two_pass - one_pass)
assert torch.allclose(two_pass, one_pass, atol=1e-6)
assert not torch.allclose(grad_after_a, two_pass)

# a second backward through a freed graph is an error
out_a, _ = model(x)
loss = mse(out_a, target_a)
loss.backward()
try:
    loss.backward()
    raise AssertionError("expected an error")
except RuntimeError as e:
    print("RuntimeError:", str(e)[:60])

# train both heads together
optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
history = []
for step in range(300):
    optimizer.zero_grad()
    out_a, out_b = model(x)
    losses = torch.stack([mse(out_a, target_a), mse(out_b, target_b)])
    total = losses.sum()
    total.backward()
    optimizer.step()
    history.append(losses.detach())

history = torch.stack(history)
print(history.shape, history[0], history[-1])
both = torch.cat([out_a, out_b], dim=1)
print(both.shape)

assert both.shape == (64, 2) and history.shape == (300, 2)
assert history[-1, 0] < 0.05 and history[-1, 1] < 0.2
