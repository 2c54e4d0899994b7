# Twenty noisy points, two wide Sequential nets, one with nn.Dropout(0.5) after its hidden
# layers; every so often both are put in eval() mode to score the test points and then back in
# train() mode.
import torch

torch.manual_seed(1)

N = 20
WIDTH = 300

x = torch.unsqueeze(torch.linspace(-1, 1, N), 1)
y = x + 0.3 * torch.normal(torch.zeros(N, 1), torch.ones(N, 1))
x_test = torch.unsqueeze(torch.linspace(-1, 1, N), 1)
y_test = x_test + 0.3 * torch.normal(torch.zeros(N, 1), torch.ones(N, 1))

plain = torch.nn.Sequential(
    torch.nn.Linear(1, WIDTH),
    torch.nn.ReLU(),
    torch.nn.Linear(WIDTH, WIDTH),
    torch.nn.ReLU(),
    torch.nn.Linear(WIDTH, 1),
)
dropped = torch.nn.Sequential(
    torch.nn.Linear(1, WIDTH),
    torch.nn.Dropout(0.5),
    torch.nn.ReLU(),
    torch.nn.Linear(WIDTH, WIDTH),
    torch.nn.Dropout(0.5),
    torch.nn.ReLU(),
    torch.nn.Linear(WIDTH, 1),
)
print(plain)
print(dropped)

opt_plain = torch.optim.Adam(plain.parameters(), lr=0.01)
opt_drop = torch.optim.Adam(dropped.parameters(), lr=0.01)
mse = torch.nn.MSELoss()

for t in range(500):
    loss_plain = mse(plain(x), y)
    loss_drop = mse(dropped(x), y)
    opt_plain.zero_grad()
    opt_drop.zero_grad()
    loss_plain.backward()
    loss_drop.backward()
    opt_plain.step()
    opt_drop.step()

    if t % 100 == 0:
        plain.eval()
        dropped.eval()
        print('step', t,
              'plain test %.4f' % mse(plain(x_test), y_test).data.numpy(),
              'dropout test %.4f' % mse(dropped(x_test), y_test).data.numpy())
        plain.train()
        dropped.train()

plain.eval()
dropped.eval()
with torch.no_grad():
    train_plain = mse(plain(x), y).item()
    test_plain = mse(plain(x_test), y_test).item()
    test_drop = mse(dropped(x_test), y_test).item()
print(train_plain, test_plain, test_drop)

assert dropped.training is False and dropped[1].training is False
assert train_plain < 0.09        # below the noise level: it has fitted the noise
assert test_drop < 0.3           # the noise variance is 0.09
assert test_plain > train_plain
