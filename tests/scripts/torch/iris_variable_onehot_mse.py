# Iris with one-hot targets built in NumPy and an MSE loss, the inputs wrapped as
# Variable(..., requires_grad=True) the way older tutorials did (so they get a .grad too);
# accuracy compares the argmax of the outputs with the argmax of the one-hot rows.
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.autograd import Variable
from sklearn import datasets
from sklearn.model_selection import train_test_split


class ThreeLayer(nn.Module):
    def __init__(self):
        super(ThreeLayer, self).__init__()
        self.a = nn.Linear(4, 16)
        self.b = nn.Linear(16, 12)
        self.c = nn.Linear(12, 3)

    def forward(self, x):
        return self.c(F.relu(self.b(F.relu(self.a(x)))))


np.random.seed(0)
torch.manual_seed(0)

iris = datasets.load_iris()
onehot = np.eye(3, dtype=int)[iris.target]
X_tr, X_te, Y_tr, Y_te = train_test_split(iris.data, onehot, test_size=0.25, random_state=0)

inputs = Variable(torch.from_numpy(X_tr).float(), requires_grad=True)
targets = Variable(torch.from_numpy(Y_tr).float())

net = ThreeLayer()
opt = optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
mse = nn.MSELoss()

for epoch in range(1000):
    opt.zero_grad()
    loss = mse(net(inputs), targets)
    loss.backward()
    opt.step()
    if epoch % 200 == 0:
        print("epoch", epoch, "loss", loss.data.item())

print(inputs.grad.shape)

scores = net(Variable(torch.from_numpy(X_te).float())).data.numpy()
accuracy = np.mean(np.argmax(scores, axis=1) == np.argmax(Y_te, axis=1))
print("test accuracy", accuracy)

assert inputs.grad is not None and inputs.grad.shape == (112, 4)
assert loss.item() < 0.05
assert accuracy > 0.9
