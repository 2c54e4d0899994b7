# One small regression net per optimizer (SGD, SGD with momentum, RMSprop, Adam, Adagrad,
# AdamW), all fed the same mini-batches from a DataLoader imported as torch.utils.data as Data.
import torch
import torch.utils.data as Data
import torch.nn.functional as F

torch.manual_seed(1)    # reproducible

LR = 0.01
BATCH_SIZE = 32
EPOCH = 12

# fake dataset
x = torch.unsqueeze(torch.linspace(-1, 1, 1000), dim=1)
y = x.pow(2) + 0.1 * torch.normal(torch.zeros(*x.size()))

torch_dataset = Data.TensorDataset(x, y)
loader = Data.DataLoader(dataset=torch_dataset, batch_size=BATCH_SIZE, shuffle=True)


class Net(torch.nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.hidden = torch.nn.Linear(1, 20)   # hidden layer
        self.predict = torch.nn.Linear(20, 1)  # output layer

    def forward(self, x):
        x = F.relu(self.hidden(x))      # activation function for hidden layer
        x = self.predict(x)             # linear output
        return x


if __name__ == '__main__':
    net_SGD = Net()
    net_Momentum = Net()
    net_RMSprop = Net()
    net_Adam = Net()
    net_Adagrad = Net()
    net_AdamW = Net()
    nets = [net_SGD, net_Momentum, net_RMSprop, net_Adam, net_Adagrad, net_AdamW]

    opt_SGD = torch.optim.SGD(net_SGD.parameters(), lr=LR)
    opt_Momentum = torch.optim.SGD(net_Momentum.parameters(), lr=LR, momentum=0.8)
    opt_RMSprop = torch.optim.RMSprop(net_RMSprop.parameters(), lr=LR, alpha=0.9)
    opt_Adam = torch.optim.Adam(net_Adam.parameters(), lr=LR, betas=(0.9, 0.99))
    opt_Adagrad = torch.optim.Adagrad(net_Adagrad.parameters(), lr=0.1)
    opt_AdamW = torch.optim.AdamW(net_AdamW.parameters(), lr=LR, weight_decay=0.01)
    optimizers = [opt_SGD, opt_Momentum, opt_RMSprop, opt_Adam, opt_Adagrad, opt_AdamW]

    loss_func = torch.nn.MSELoss()
    losses_his = [[], [], [], [], [], []]   # record loss

    for epoch in range(EPOCH):
        print('Epoch: ', epoch)
        for step, (b_x, b_y) in enumerate(loader):          # for each training step
            for net, opt, l_his in zip(nets, optimizers, losses_his):
                output = net(b_x)              # get output for every net
                loss = loss_func(output, b_y)  # compute loss for every net
                opt.zero_grad()                # clear gradients for next train
                loss.backward()                # backpropagation, compute gradients
                opt.step()                     # apply gradients
                l_his.append(loss.data.numpy())     # loss recorder

    labels = ['SGD', 'Momentum', 'RMSprop', 'Adam', 'Adagrad', 'AdamW']
    with torch.no_grad():
        finals = [F.mse_loss(net(x), y).item() for net in nets]
    for label, l_his, final in zip(labels, losses_his, finals):
        print(f"{label:8s} steps {len(l_his)}  last batch {float(l_his[-1]):.4f}  full {final:.4f}")

    assert len(losses_his[0]) == EPOCH * len(loader) == 12 * 32
    # noise variance is 0.01; plain SGD at this rate is the slowest of the six
    for label, final in zip(labels[1:], finals[1:]):
        assert final < 0.03, (label, final)
    assert finals[0] < 0.1
