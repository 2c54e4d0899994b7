# Saving and loading: a small trained model's state_dict through torch.save/torch.load, a
# checkpoint dictionary holding the optimizer's state too, and training resumed from it.
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, n_input_features):
        super(Model, self).__init__()
        self.linear = nn.Linear(n_input_features, 1)

    def forward(self, x):
        y_pred = torch.sigmoid(self.linear(x))
        return y_pred


torch.manual_seed(0)
X = torch.randn(200, 6)
true_w = torch.tensor([[1.5, -2.0, 0.5, 0.0, 1.0, -1.0]])
y = (X @ true_w.t() > 0).float()

model = Model(n_input_features=6)
learning_rate = 0.5
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate, momentum=0.9)
criterion = nn.BCELoss()


def train(model, optimizer, epochs):
    for epoch in range(epochs):
        loss = criterion(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return loss.item()


loss_a = train(model, optimizer, 50)
for param in model.parameters():
    print(param)

# save only the state dict
FILE = "model.pth"
torch.save(model.state_dict(), FILE)
print(model.state_dict())

loaded_model = Model(n_input_features=6)
loaded_model.load_state_dict(torch.load(FILE))  # it takes the loaded dictionary, not the path
loaded_model.eval()
print(loaded_model.state_dict())
for p, q in zip(model.parameters(), loaded_model.parameters()):
    assert torch.equal(p, q)
assert list(model.state_dict().keys()) == ['linear.weight', 'linear.bias']

# a checkpoint: model and optimizer state, epoch
checkpoint = {
    "epoch": 50,
    "model_state": model.state_dict(),
    "optim_state": optimizer.state_dict(),
}
print(optimizer.state_dict())
FILE = "checkpoint.pth"
torch.save(checkpoint, FILE)

model2 = Model(n_input_features=6)
optimizer2 = torch.optim.SGD(model2.parameters(), lr=0)

checkpoint = torch.load(FILE)
model2.load_state_dict(checkpoint['model_state'])
optimizer2.load_state_dict(checkpoint['optim_state'])
epoch = checkpoint['epoch']
print(epoch, optimizer2.state_dict()['param_groups'][0]['lr'])
assert optimizer2.param_groups[0]['lr'] == learning_rate

# resuming gives exactly what continuing would have given
model2.train()
loss_b = train(model, optimizer, 50)
loss_c = train(model2, optimizer2, 50)
print(loss_a, loss_b, loss_c)
assert abs(loss_b - loss_c) < 1e-6
assert loss_b < loss_a < 0.3

with torch.no_grad():
    acc = ((model(X) > 0.5).float() == y).float().mean().item()
print("accuracy", acc)
assert acc > 0.95

# a whole tensor can be saved too
torch.save(X[:3], "x.pt")
assert torch.equal(torch.load("x.pt"), X[:3])
