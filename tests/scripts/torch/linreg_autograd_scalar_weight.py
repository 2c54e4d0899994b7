# Fitting y = 3x with a single scalar weight: the prediction and the loss are plain Python
# functions, autograd gives the gradient, the step happens inside torch.no_grad(), and the
# gradient is zeroed in place afterwards.
import torch

xs = torch.tensor([1, 2, 3, 4, 5], dtype=torch.float32)
ys = torch.tensor([3, 6, 9, 12, 15], dtype=torch.float32)

w = torch.tensor(0.0, dtype=torch.float32, requires_grad=True)


def predict(x):
    return w * x


def mse(target, output):
    return ((output - target) ** 2).mean()


print(f'before training: predict(6) = {predict(6).item():.3f}')

lr = 0.01
for epoch in range(80):
    loss = mse(ys, predict(xs))
    loss.backward()

    with torch.no_grad():
        w -= lr * w.grad
    w.grad.zero_()

    if epoch % 10 == 0:
        print(f'epoch {epoch + 1}: w = {w.item():.3f}, loss = {loss.item():.8f}')

print(f'after training: predict(6) = {predict(6):.3f}')
print(w)

assert abs(predict(6).item() - 18.0) < 0.01
assert loss.item() < 1e-4
assert w.grad.item() == 0.0
