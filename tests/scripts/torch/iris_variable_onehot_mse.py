# Iris with one-hot targets and MSELoss, inputs wrapped in Variable(..., requires_grad=True)
# as older tutorials did; accuracy by comparing argmax of outputs and targets.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.autograd import Variable
from sklearn import datasets
from sklearn.model_selection import train_test_split


class Net(nn.Module):

    def __init__(self):
        super(Net, self).__init__()
        self.fc1 = nn.Linear(4, 16)
        self.fc2 = nn.Linear(16, 12)
        self.fc3 = nn.Linear(12, 3)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x


np.random.seed(0)
torch.manual_seed(0)

iris = datasets.load_iris()
y = np.zeros((len(iris.target), 1 + iris.target.max()), dtype=int)
y[np.arange(len(iris.target)), iris.target] = 1
X_train, X_test, y_train, y_test = train_test_split(iris.data, y, test_size=0.25, random_state=0)

x = Variable(torch.from_numpy(X_train).float(), requires_grad=True)
y = Variable(torch.from_numpy(y_train).float())

net = Net()
optimizer = optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
criterion = nn.MSELoss()

for epoch in range(1000):
    optimizer.zero_grad()
    output = net(x)
    loss = criterion(output, y)
    loss.backward()
    optimizer.step()
    if epoch % 200 == 0:
        print("epoch", epoch, "loss", loss.data.item())

print(x.grad.shape)   # the inputs required grad, so they have one too

# test
x_test = Variable(torch.from_numpy(X_test).float())
pred = net(x_test)
pred = pred.data.numpy()
accuracy = np.mean(np.argmax(pred, axis=1) == np.argmax(y_test, axis=1))
print("prediction accuracy", accuracy)

assert x.grad is not None and x.grad.shape == (112, 4)
assert loss.item() < 0.05
assert accuracy > 0.9
