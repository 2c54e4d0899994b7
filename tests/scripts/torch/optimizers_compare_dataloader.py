# The same small regression net trained side by side under six optimizers (SGD, SGD with
# momentum, RMSprop, Adam, Adagrad, AdamW) on identical mini-batches from a DataLoader, with
# torch.utils.data imported as Data.
import torch
import torch.utils.data as Data
import torch.nn.functional as F

torch.manual_seed(1)

LR = 0.01
BATCH = 32
EPOCHS = 12

x = torch.unsqueeze(torch.linspace(-1, 1, 1000), dim=1)
y = x.pow(2) + 0.1 * torch.normal(torch.zeros(*x.size()))

loader = Data.DataLoader(dataset=Data.TensorDataset(x, y), batch_size=BATCH, shuffle=True)


class SmallNet(torch.nn.Module):
    def __init__(self):
        super(SmallNet, self).__init__()
        self.hidden = torch.nn.Linear(1, 20)
        self.head = torch.nn.Linear(20, 1)

    def forward(self, x):
        return self.head(F.relu(self.hidden(x)))


if __name__ == '__main__':
    names = ['SGD', 'Momentum', 'RMSprop', 'Adam', 'Adagrad', 'AdamW']
    nets = [SmallNet() for _ in names]
    opts = [
        torch.optim.SGD(nets[0].parameters(), lr=LR),
        torch.optim.SGD(nets[1].parameters(), lr=LR, momentum=0.8),
        torch.optim.RMSprop(nets[2].parameters(), lr=LR, alpha=0.9),
        torch.optim.Adam(nets[3].parameters(), lr=LR, betas=(0.9, 0.99)),
        torch.optim.Adagrad(nets[4].parameters(), lr=0.1),
        torch.optim.AdamW(nets[5].parameters(), lr=LR, weight_decay=0.01),
    ]
    mse = torch.nn.MSELoss()
    curves = [[] for _ in names]

    for epoch in range(EPOCHS):
        print('epoch', epoch)
        for step, (bx, by) in enumerate(loader):
            for net, opt, curve in zip(nets, opts, curves):
                loss = mse(net(bx), by)
                opt.zero_grad()
                loss.backward()
                opt.step()
                curve.append(loss.data.numpy())

    with torch.no_grad():
        finals = [F.mse_loss(net(x), y).item() for net in nets]
    for name, curve, final in zip(names, curves, finals):
        print(f"{name:8s} steps {len(curve)}  last batch {float(curve[-1]):.4f}  all data {final:.4f}")

    assert len(curves[0]) == EPOCHS * len(loader) == 12 * 32
    # the noise variance is 0.01; plain SGD at this rate is the slowest
    for name, final in zip(names[1:], finals[1:]):
        assert final < 0.03, (name, final)
    assert finals[0] < 0.1
