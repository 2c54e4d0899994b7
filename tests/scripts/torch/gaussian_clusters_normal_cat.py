# Two Gaussian clusters made with torch.normal and joined with torch.cat, cast with
# .type(torch.FloatTensor) and .type(torch.LongTensor); a two-output network with
# CrossEntropyLoss; the accuracy computed in NumPy from torch.max(out, 1)[1].
import torch
import torch.nn.functional as F

torch.manual_seed(1)    # reproducible

# make fake data
n_data = torch.ones(100, 2)
x0 = torch.normal(2 * n_data, 1)      # class0 x data (tensor), shape=(100, 2)
y0 = torch.zeros(100)                 # class0 y data (tensor), shape=(100,)
x1 = torch.normal(-2 * n_data, 1)     # class1 x data (tensor), shape=(100, 2)
y1 = torch.ones(100)                  # class1 y data (tensor), shape=(100,)
x = torch.cat((x0, x1), 0).type(torch.FloatTensor)  # shape (200, 2) FloatTensor = 32-bit floating
y = torch.cat((y0, y1), ).type(torch.LongTensor)    # shape (200,) LongTensor = 64-bit integer
print(x.shape, y.shape, x.dtype, y.dtype)


class Net(torch.nn.Module):
    def __init__(self, n_feature, n_hidden, n_output):
        super(Net, self).__init__()
        self.hidden = torch.nn.Linear(n_feature, n_hidden)   # hidden layer
        self.out = torch.nn.Linear(n_hidden, n_output)       # output layer

    def forward(self, x):
        x = F.relu(self.hidden(x))      # activation function for hidden layer
        x = self.out(x)
        return x


net = Net(n_feature=2, n_hidden=10, n_output=2)     # define the network
print(net)

optimizer = torch.optim.SGD(net.parameters(), lr=0.02)
loss_func = torch.nn.CrossEntropyLoss()  # the target label is NOT one-hotted

for t in range(100):
    out = net(x)                 # input x and predict based on x
    loss = loss_func(out, y)     # must be (1. nn output, 2. target)

    optimizer.zero_grad()   # clear gradients for next train
    loss.backward()         # backpropagation, compute gradients
    optimizer.step()        # apply gradients

    if t % 10 == 0:
        prediction = torch.max(out, 1)[1]
        pred_y = prediction.data.numpy()
        target_y = y.data.numpy()
        accuracy = float((pred_y == target_y).astype(int).sum()) / float(target_y.size)
        print('Accuracy=%.2f' % accuracy, 'loss=%.4f' % loss.data.numpy())

out = net(x)
prediction = torch.max(F.softmax(out, dim=1), 1)[1]
accuracy = float((prediction.data.numpy() == y.data.numpy()).astype(int).sum()) / float(y.size(0))
print('final accuracy', accuracy)
assert y.dtype == torch.int64
assert accuracy > 0.97
