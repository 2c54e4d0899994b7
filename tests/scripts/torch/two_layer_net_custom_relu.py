# One hidden ReLU layer, no biases, fitted to random targets three times from the same start:
# (1) backprop written out with mm, t(), clone() and a boolean-mask assignment; (2) autograd;
# (3) autograd through a ReLU defined as a custom autograd.Function. All three must agree.
import torch


class ClampReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return input.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        input, = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[input < 0] = 0
        return grad_input


dtype = torch.float
device = torch.device("cpu")

batch, n_in, n_hidden, n_out = 64, 100, 50, 5

torch.manual_seed(0)
x = torch.randn(batch, n_in, device=device, dtype=dtype)
y = torch.randn(batch, n_out, device=device, dtype=dtype)
w1_init = torch.randn(n_in, n_hidden, device=device, dtype=dtype)
w2_init = torch.randn(n_hidden, n_out, device=device, dtype=dtype)

learning_rate = 1e-5

# (1) by hand
w1 = w1_init.clone()
w2 = w2_init.clone()
for t in range(300):
    h = x.mm(w1)
    h_relu = h.clamp(min=0)
    y_pred = h_relu.mm(w2)

    loss = (y_pred - y).pow(2).sum().item()
    if t % 100 == 99:
        print(t, loss)

    grad_y_pred = 2.0 * (y_pred - y)
    grad_w2 = h_relu.t().mm(grad_y_pred)
    grad_h_relu = grad_y_pred.mm(w2.t())
    grad_h = grad_h_relu.clone()
    grad_h[h < 0] = 0
    grad_w1 = x.t().mm(grad_h)

    w1 -= learning_rate * grad_w1
    w2 -= learning_rate * grad_w2
manual_loss = loss

# (2) autograd
w1 = w1_init.clone().requires_grad_(True)
w2 = w2_init.clone().requires_grad_(True)
for t in range(300):
    y_pred = x.mm(w1).clamp(min=0).mm(w2)
    loss = (y_pred - y).pow(2).sum()
    if t % 100 == 99:
        print(t, loss.item())
    loss.backward()
    with torch.no_grad():
        w1 -= learning_rate * w1.grad
        w2 -= learning_rate * w2.grad
        w1.grad.zero_()
        w2.grad.zero_()
autograd_loss = loss.item()

# (3) the custom Function
w1 = torch.tensor(w1_init.numpy(), requires_grad=True)
w2 = torch.tensor(w2_init.numpy(), requires_grad=True)
for t in range(300):
    relu = ClampReLU.apply
    y_pred = relu(x.mm(w1)).mm(w2)
    loss = (y_pred - y).pow(2).sum()
    if t % 100 == 99:
        print(t, loss.item())
    loss.backward()
    with torch.no_grad():
        w1 -= learning_rate * w1.grad
        w2 -= learning_rate * w2.grad
        w1.grad.zero_()
        w2.grad.zero_()
custom_loss = loss.item()

start = (x.mm(w1_init).clamp(min=0).mm(w2_init) - y).pow(2).sum().item()
print(start, manual_loss, autograd_loss, custom_loss)
assert manual_loss < start / 20
assert abs(manual_loss - autograd_loss) / manual_loss < 1e-3
assert abs(custom_loss - autograd_loss) / autograd_loss < 1e-3
