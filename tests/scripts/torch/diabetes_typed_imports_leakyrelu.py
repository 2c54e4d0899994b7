# Diabetes regression with names imported straight from torch, torch.nn and torch.optim,
# type-annotated tensors made with FloatTensor, a LeakyReLU Sequential, Adam and
# ReduceLROnPlateau stepped on the validation loss.
import numpy as np
from numpy import ndarray
from sklearn.datasets import load_diabetes
from sklearn.model_selection import train_test_split
from torch import manual_seed, no_grad, Tensor, FloatTensor
from torch.nn import Sequential, Linear, LeakyReLU, MSELoss
from torch.optim import Adam
from torch.optim.lr_scheduler import ReduceLROnPlateau

datasets = load_diabetes()
inputs: ndarray = datasets.data
targets: ndarray = datasets.target.reshape(-1, 1)
print(f'inputs: {inputs.shape}, targets: {targets.shape}')

x_tr, x_va, y_tr, y_va = train_test_split(inputs, targets, test_size=0.2, random_state=0)
mu, sigma = x_tr.mean(axis=0), x_tr.std(axis=0)
y_mu, y_sigma = y_tr.mean(), y_tr.std()

manual_seed(1)
X: Tensor = FloatTensor((x_tr - mu) / sigma)
y: Tensor = FloatTensor((y_tr - y_mu) / y_sigma)
X_val: Tensor = FloatTensor((x_va - mu) / sigma)
y_val: Tensor = FloatTensor((y_va - y_mu) / y_sigma)

model = Sequential(
    Linear(10, 64),
    LeakyReLU(),
    Linear(64, 32),
    LeakyReLU(negative_slope=0.1),
    Linear(32, 1)
)

epochs: int = 300
optimizer = Adam(model.parameters(), lr=0.01)
scheduler = ReduceLROnPlateau(optimizer, mode='min', factor=0.5, patience=10)
loss_fn = MSELoss()

best = float('inf')
for epoch in range(epochs):
    model.train()
    optimizer.zero_grad()
    loss: Tensor = loss_fn(model(X), y)
    loss.backward()
    optimizer.step()

    model.eval()
    with no_grad():
        val_loss = loss_fn(model(X_val), y_val).item()
    scheduler.step(val_loss)
    best = min(best, val_loss)
    if epoch % 50 == 0:
        print(f'epoch {epoch}: train {loss.item():.4f}  val {val_loss:.4f}  '
              f'lr {optimizer.param_groups[0]["lr"]:.5f}')

final_lr = optimizer.param_groups[0]['lr']
print('best validation MSE (standardised):', best, 'final lr:', final_lr)
assert isinstance(X, Tensor)
assert final_lr < 0.01            # the plateau scheduler lowered it
assert best < 0.62                # predicting the mean scores about 1.0
assert loss.item() < 0.45
