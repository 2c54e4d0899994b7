# Two clouds of points drawn with torch.normal around (+2, +2) and (-2, -2), stacked with
# torch.cat and cast with .type(torch.FloatTensor) / .type(torch.LongTensor); a two-output net
# with CrossEntropyLoss; accuracy counted in NumPy from torch.max(out, 1)[1].
import torch
import torch.nn.functional as F

torch.manual_seed(1)

base = torch.ones(100, 2)
blob_a = torch.normal(2 * base, 1)
blob_b = torch.normal(-2 * base, 1)
label_a = torch.zeros(100)
label_b = torch.ones(100)
x = torch.cat((blob_a, blob_b), 0).type(torch.FloatTensor)   # (200, 2) float32
y = torch.cat((label_a, label_b), ).type(torch.LongTensor)     # (200,) int64
print(x.shape, y.shape, x.dtype, y.dtype)


class TwoClassNet(torch.nn.Module):
    def __init__(self, n_feature, n_hidden, n_output):
        super(TwoClassNet, self).__init__()
        self.hidden = torch.nn.Linear(n_feature, n_hidden)
        self.out = torch.nn.Linear(n_hidden, n_output)

    def forward(self, x):
        return self.out(F.relu(self.hidden(x)))


net = TwoClassNet(n_feature=2, n_hidden=10, n_output=2)
print(net)

optimizer = torch.optim.SGD(net.parameters(), lr=0.02)
loss_func = torch.nn.CrossEntropyLoss()   # targets are class indices, not one-hot

for t in range(100):
    out = net(x)
    loss = loss_func(out, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if t % 20 == 0:
        pred_y = torch.max(out, 1)[1].data.numpy()
        target_y = y.data.numpy()
        accuracy = float((pred_y == target_y).astype(int).sum()) / float(target_y.size)
        print('step %d accuracy %.2f loss %.4f' % (t, accuracy, loss.data.numpy()))

out = net(x)
labels = torch.max(F.softmax(out, dim=1), 1)[1]
accuracy = float((labels.data.numpy() == y.data.numpy()).astype(int).sum()) / float(y.size(0))
print('final accuracy', accuracy)
assert y.dtype == torch.int64
assert accuracy > 0.97
