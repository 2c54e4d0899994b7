# Two moons with a small Sequential network (ELU), BCELoss and Adam; the accuracy worked out in
# NumPy from the detached predictions, losses kept in lists.
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import make_moons
from sklearn.model_selection import train_test_split

np.random.seed(0)
torch.manual_seed(0)
X, Y = make_moons(500, noise=0.2, random_state=0)

# Split into test and training data
X_train, X_test, Y_train, Y_test = train_test_split(X, Y, test_size=0.25, random_state=73)

# Define network dimensions
n_input_dim = X_train.shape[1]
n_hidden = 16  # number of hidden nodes
n_output = 1   # number of output nodes for a binary classifier

net = nn.Sequential(
    nn.Linear(n_input_dim, n_hidden),
    nn.ELU(),
    nn.Linear(n_hidden, n_output),
    nn.Sigmoid())
print(net)

loss_func = nn.BCELoss()
learning_rate = 0.01
optimizer = torch.optim.Adam(net.parameters(), lr=learning_rate)

train_loss = []
train_accuracy = []
iters = 1000
Y_train_t = torch.FloatTensor(Y_train).reshape(-1, 1)
for i in range(iters):
    X_train_t = torch.FloatTensor(X_train)
    y_hat = net(X_train_t)
    loss = loss_func(y_hat, Y_train_t)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    y_hat_class = np.where(y_hat.detach().numpy() < 0.5, 0, 1)
    accuracy = np.sum(Y_train.reshape(-1, 1) == y_hat_class) / len(Y_train)
    train_accuracy.append(accuracy)
    train_loss.append(loss.item())

# pass test data
X_test_t = torch.FloatTensor(X_test)
y_hat_test = net(X_test_t)
y_hat_test_class = np.where(y_hat_test.detach().numpy() < 0.5, 0, 1)
test_accuracy = np.sum(Y_test.reshape(-1, 1) == y_hat_test_class) / len(Y_test)
print("Test Accuracy {:.2f}".format(test_accuracy))
print("Train Accuracy {:.2f}, loss {:.4f}".format(train_accuracy[-1], train_loss[-1]))

if False:
    import matplotlib.pyplot as plt
    plt.plot(train_loss)
    plt.show()

assert test_accuracy > 0.9
assert train_accuracy[-1] > 0.93
assert train_loss[-1] < train_loss[0] / 4
