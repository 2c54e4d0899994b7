# Weight initialisation with model.apply(init_fn) and nn.init, the model inspected through
# print(model), named_parameters(), a parameter count and model.modules(); trained on a
# synthetic two-class problem with Adagrad and an ExponentialLR schedule.
import torch
import torch.nn as nn
import torch.optim as optim
from torch.optim import lr_scheduler


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight)
        m.bias.data.fill_(0.01)


class Classifier(nn.Module):
    def __init__(self, n_in, n_hidden, n_out):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(n_in, n_hidden),
            nn.Tanh(),
            nn.Linear(n_hidden, n_hidden),
            nn.Tanh(),
            nn.Linear(n_hidden, n_out),
        )

    def forward(self, x):
        return self.net(x)


torch.manual_seed(0)
model = Classifier(4, 32, 2)
model.apply(init_weights)
print(model)

for name, param in model.named_parameters():
    print(name, tuple(param.shape), param.requires_grad)

total_params = sum(p.numel() for p in model.parameters())
trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
print(f"Total parameters: {total_params}, trainable: {trainable}")

n_linear = sum(1 for m in model.modules() if isinstance(m, nn.Linear))
print("linear layers:", n_linear)

# the init function ran on every Linear
for m in model.modules():
    if type(m) == nn.Linear:
        assert torch.allclose(m.bias, torch.full_like(m.bias, 0.01))
        bound = (6.0 / (m.in_features + m.out_features)) ** 0.5
        assert m.weight.abs().max().item() <= bound

# other initialisers a script may call
w = torch.empty(3, 5)
nn.init.normal_(w, mean=0.0, std=0.02)
nn.init.kaiming_uniform_(w, nonlinearity='relu')
nn.init.constant_(w, 0.5)
assert torch.all(w == 0.5)
nn.init.ones_(w)
nn.init.uniform_(w, -0.1, 0.1)
assert w.abs().max() <= 0.1

# data: the class is whether the sum of the first two features exceeds the last two
X = torch.randn(400, 4)
y = (X[:, 0] + X[:, 1] > X[:, 2] + X[:, 3]).long()

criterion = nn.CrossEntropyLoss()
optimizer = optim.Adagrad(model.parameters(), lr=0.1)
scheduler = lr_scheduler.ExponentialLR(optimizer, gamma=0.98)

for epoch in range(100):
    optimizer.zero_grad()
    loss = criterion(model(X), y)
    loss.backward()
    optimizer.step()
    scheduler.step()
    if epoch % 20 == 0:
        print(f"epoch {epoch:3d} loss {loss.item():.4f} lr {scheduler.get_last_lr()[0]:.4f}")

with torch.no_grad():
    acc = (model(X).argmax(dim=1) == y).float().mean().item()
print("accuracy:", acc)

assert total_params == 4 * 32 + 32 + 32 * 32 + 32 + 32 * 2 + 2 == 1282
assert trainable == total_params and n_linear == 3
assert [n for n, _ in model.named_parameters()][:2] == ['net.0.weight', 'net.0.bias']
assert abs(optimizer.param_groups[0]['lr'] - 0.1 * 0.98 ** 100) < 1e-9
assert acc > 0.97
