# Overfitting against dropout: two Sequential nets on 20 noisy points, one with nn.Dropout(0.5);
# both switched to eval() to measure the test loss and back to train() to go on.
import torch

torch.manual_seed(1)    # reproducible

N_SAMPLES = 20
N_HIDDEN = 300

# training data
x = torch.unsqueeze(torch.linspace(-1, 1, N_SAMPLES), 1)
y = x + 0.3 * torch.normal(torch.zeros(N_SAMPLES, 1), torch.ones(N_SAMPLES, 1))

# test data
test_x = torch.unsqueeze(torch.linspace(-1, 1, N_SAMPLES), 1)
test_y = test_x + 0.3 * torch.normal(torch.zeros(N_SAMPLES, 1), torch.ones(N_SAMPLES, 1))

net_overfitting = torch.nn.Sequential(
    torch.nn.Linear(1, N_HIDDEN),
    torch.nn.ReLU(),
    torch.nn.Linear(N_HIDDEN, N_HIDDEN),
    torch.nn.ReLU(),
    torch.nn.Linear(N_HIDDEN, 1),
)

net_dropped = torch.nn.Sequential(
    torch.nn.Linear(1, N_HIDDEN),
    torch.nn.Dropout(0.5),  # drop 50% of the neurons
    torch.nn.ReLU(),
    torch.nn.Linear(N_HIDDEN, N_HIDDEN),
    torch.nn.Dropout(0.5),
    torch.nn.ReLU(),
    torch.nn.Linear(N_HIDDEN, 1),
)

print(net_overfitting)  # net architecture
print(net_dropped)

optimizer_ofit = torch.optim.Adam(net_overfitting.parameters(), lr=0.01)
optimizer_drop = torch.optim.Adam(net_dropped.parameters(), lr=0.01)
loss_func = torch.nn.MSELoss()

for t in range(500):
    pred_ofit = net_overfitting(x)
    pred_drop = net_dropped(x)
    loss_ofit = loss_func(pred_ofit, y)
    loss_drop = loss_func(pred_drop, y)

    optimizer_ofit.zero_grad()
    optimizer_drop.zero_grad()
    loss_ofit.backward()
    loss_drop.backward()
    optimizer_ofit.step()
    optimizer_drop.step()

    if t % 100 == 0:
        # change to eval mode in order to fix the dropout effect
        net_overfitting.eval()
        net_dropped.eval()
        test_pred_ofit = net_overfitting(test_x)
        test_pred_drop = net_dropped(test_x)
        print('overfitting loss=%.4f' % loss_func(test_pred_ofit, test_y).data.numpy(),
              'dropout loss=%.4f' % loss_func(test_pred_drop, test_y).data.numpy())
        # change back to train mode
        net_overfitting.train()
        net_dropped.train()

net_overfitting.eval()
net_dropped.eval()
with torch.no_grad():
    train_ofit = loss_func(net_overfitting(x), y).item()
    test_ofit = loss_func(net_overfitting(test_x), test_y).item()
    test_drop = loss_func(net_dropped(test_x), test_y).item()
print(train_ofit, test_ofit, test_drop)

assert net_dropped.training is False and net_dropped[1].training is False
assert train_ofit < 0.09                   # below the noise: it fits the noise itself
assert test_drop < 0.3                     # noise variance is 0.09
assert test_ofit > train_ofit
