"""Small programs written as PyTorch beginners write them, run in-process on pynn with only the
imports changed, each asserting that it learned (or computed what PyTorch computes).

The idioms are those of public beginner code: XOR trainers, the polynomial and sine fits of
PyTorch's tutorial, hand-written autograd, linear and logistic regression, two moons, iris,
custom Datasets, schedulers, checkpoints. Those on scikit-learn's datasets are in
test_pytorch_idioms_datasets.py.
"""
import math

import numpy as np
import pytest

import pynn as torch
import pynn.functional as F
import pynn.nn as nn
import pynn.optim as optim
from pynn.utils.data import DataLoader, TensorDataset, random_split


def test_xor_sequential_with_bce_and_sgd():
    torch.manual_seed(0)
    X = torch.tensor([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=torch.float32)
    Y = torch.tensor([[0], [1], [1], [0]], dtype=torch.float32)
    model = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1), nn.Sigmoid())
    criterion = nn.BCELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    for step in range(2001):
        optimizer.zero_grad()
        hypothesis = model(X)
        cost = criterion(hypothesis, Y)
        cost.backward()
        optimizer.step()
    with torch.no_grad():
        predicted = (model(X) > 0.5).float()
        accuracy = (predicted == Y).float().mean()
    assert accuracy.item() == 1.0 and cost.item() < 0.05
    assert str(model).startswith("Sequential(\n  (0): Linear(in_features=2, out_features=8")


def test_xor_module_with_functional_relu_and_adam_printing_progress(capsys):
    torch.manual_seed(1)

    class XOR(nn.Module):
        def __init__(self):
            super(XOR, self).__init__()
            self.fc1 = nn.Linear(2, 4)
            self.fc2 = nn.Linear(4, 1)

        def forward(self, x):
            x = F.relu(self.fc1(x))
            return torch.sigmoid(self.fc2(x))

    net = XOR()
    inputs = torch.Tensor([[0, 0], [0, 1], [1, 0], [1, 1]])
    targets = torch.Tensor([0, 1, 1, 0]).view(-1, 1)
    loss_fn = nn.MSELoss()
    opt = optim.Adam(net.parameters(), lr=0.05)
    for epoch in range(1500):
        opt.zero_grad()
        out = net(inputs)
        loss = loss_fn(out, targets)
        loss.backward()
        opt.step()
        if epoch % 500 == 0:
            print(f"Epoch: {epoch}, Loss: {loss.item():.4f}", loss)
    assert torch.all(net(inputs).round() == targets)
    printed = capsys.readouterr().out
    assert "grad_fn=<MseLossBackward0>" in printed and "Epoch: 0, Loss: 0." in printed


def test_xor_hand_written_weights_updated_under_no_grad():
    torch.manual_seed(3)
    x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = torch.tensor([0.0, 1.0, 1.0, 0.0])
    W1 = torch.randn(2, 8, requires_grad=True)
    b1 = torch.zeros(8, requires_grad=True)
    W2 = torch.randn(8, requires_grad=True)
    b2 = torch.zeros(1, requires_grad=True)
    lr = 0.5
    for epoch in range(3000):
        h = torch.tanh(x.mm(W1) + b1)
        out = torch.sigmoid(h.mv(W2) + b2)
        loss = -(y * torch.log(out) + (1 - y) * torch.log(1 - out)).mean()
        loss.backward()
        with torch.no_grad():
            for p in [W1, b1, W2, b2]:
                p -= lr * p.grad
                p.grad.zero_()
    assert loss.item() < 0.05
    assert W1.grad is not None and W1.is_leaf and W1.requires_grad


def test_xor_per_sample_variables_and_data_updates():
    from pynn.autograd import Variable
    torch.manual_seed(2)
    inputs = [Variable(torch.Tensor([s])) for s in [[0, 0], [0, 1], [1, 0], [1, 1]]]
    targets = [Variable(torch.Tensor([[t]])) for t in [0, 1, 1, 0]]
    fc1, fc2 = nn.Linear(2, 6), nn.Linear(6, 1)
    params = list(fc1.parameters()) + list(fc2.parameters())
    for epoch in range(1500):
        for x, t in zip(inputs, targets):
            out = torch.sigmoid(fc2(torch.sigmoid(fc1(x))))
            loss = F.binary_cross_entropy(out, t)
            for p in params:
                p.grad = None
            loss.backward()
            for p in params:
                p.data -= 0.5 * p.grad.data
    answers = [round(torch.sigmoid(fc2(torch.sigmoid(fc1(x)))).item()) for x in inputs]
    assert answers == [0, 1, 1, 0]


def test_tutorial_polynomial_fit_with_tensors_and_manual_gradients():
    dtype = torch.float
    device = torch.device("cpu")
    x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
    y = torch.sin(x)
    torch.manual_seed(0)
    a = torch.randn((), device=device, dtype=dtype)
    b = torch.randn((), device=device, dtype=dtype)
    c = torch.randn((), device=device, dtype=dtype)
    d = torch.randn((), device=device, dtype=dtype)
    learning_rate = 1e-6
    for t in range(2000):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = (y_pred - y).pow(2).sum().item()
        grad_y_pred = 2.0 * (y_pred - y)
        a -= learning_rate * grad_y_pred.sum()
        b -= learning_rate * (grad_y_pred * x).sum()
        c -= learning_rate * (grad_y_pred * x ** 2).sum()
        d -= learning_rate * (grad_y_pred * x ** 3).sum()
    assert loss < 50
    assert f"Result: y = {a.item()} + {b.item()} x".startswith("Result: y = ")


def test_tutorial_polynomial_fit_with_nn_flatten_and_optim():
    x = torch.linspace(-math.pi, math.pi, 2000)
    y = torch.sin(x)
    p = torch.tensor([1, 2, 3])
    xx = x.unsqueeze(-1).pow(p)
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
    loss_fn = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    for t in range(2000):
        y_pred = model(xx)
        loss = loss_fn(y_pred, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    linear_layer = model[0]
    assert loss.item() < 20
    text = (f"Result: y = {linear_layer.bias.item()} + {linear_layer.weight[:, 0].item()} x + "
            f"{linear_layer.weight[:, 1].item()} x^2 + {linear_layer.weight[:, 2].item()} x^3")
    assert text.count("x") == 3


def test_tutorial_custom_module_with_scalar_parameters_and_string():
    class Polynomial3(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = torch.nn.Parameter(torch.randn(()))
            self.b = torch.nn.Parameter(torch.randn(()))
            self.c = torch.nn.Parameter(torch.randn(()))
            self.d = torch.nn.Parameter(torch.randn(()))

        def forward(self, x):
            return self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3

        def string(self):
            return f"y = {self.a.item()} + {self.b.item()} x + {self.c.item()} x^2"

    torch.manual_seed(0)
    x = torch.linspace(-math.pi, math.pi, 2000)
    y = torch.sin(x)
    model = Polynomial3()
    criterion = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)
    for t in range(2000):
        loss = criterion(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    assert loss.item() < 50 and model.string().startswith("y = ")
    assert len(list(model.parameters())) == 4


def test_autograd_demo_of_gradients_and_graph_introspection():
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    z = y * y * 3
    out = z.mean()
    assert y.grad_fn is not None and x.grad_fn is None
    assert repr(out) == "tensor(27., grad_fn=<MeanBackward0>)"
    out.backward()
    assert torch.allclose(x.grad, torch.full((2, 2), 4.5))
    x = torch.randn(3, requires_grad=True)
    y = x * 2
    while y.data.norm() < 1000:
        y = y * 2
    v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
    y.backward(v)
    assert x.grad.shape == (3,)
    print(x.requires_grad, (x ** 2).requires_grad)
    with torch.no_grad():
        assert not (x ** 2).requires_grad
    assert not x.detach().requires_grad
    assert x.eq(x.detach()).all()
    a = torch.tensor([2.0, 3.0], requires_grad=True)
    b = torch.tensor([6.0, 4.0], requires_grad=True)
    Q = 3 * a ** 3 - b ** 2
    Q.backward(gradient=torch.tensor([1.0, 1.0]))
    assert (9 * a ** 2 == a.grad).all() and (-2 * b == b.grad).all()








def test_training_with_multiple_param_groups_and_lr_lookup():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    optimizer = optim.SGD([{"params": model[0].parameters()},
                           {"params": model[2].parameters(), "lr": 1e-3}], lr=1e-2,
                          momentum=0.9)
    scheduler = optim.lr_scheduler.LambdaLR(optimizer, lr_lambda=lambda epoch: 0.9 ** epoch)
    x, y = torch.randn(32, 3), torch.randn(32, 1)
    for epoch in range(3):
        optimizer.zero_grad()
        F.mse_loss(model(x), y).backward()
        optimizer.step()
        scheduler.step()
    assert [round(g["lr"], 8) for g in optimizer.param_groups] == [round(1e-2 * 0.9 ** 3, 8),
                                                                   round(1e-3 * 0.9 ** 3, 8)]
    for name, param in model.named_parameters():
        assert param.grad is not None, name
    optimizer.zero_grad(set_to_none=True)
    assert all(p.grad is None for p in model.parameters())


def test_freezing_layers_and_counting_trainable_parameters():
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    for param in model[0].parameters():
        param.requires_grad = False
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    assert trainable == 8 * 2 + 2
    optimizer = optim.Adam(filter(lambda p: p.requires_grad, model.parameters()), lr=0.1)
    before = model[0].weight.clone()
    F.cross_entropy(model(torch.randn(5, 4)), torch.tensor([0, 1, 1, 0, 1])).backward()
    optimizer.step()
    assert torch.equal(before, model[0].weight) and model[0].weight.grad is None


def test_numpy_round_trips_and_plotting_data():
    a = np.linspace(0, 1, 5)
    t = torch.from_numpy(a)
    a[0] = 7.0
    assert t[0].item() == 7.0  # from_numpy shares memory
    w = torch.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="detach"):
        w.numpy()
    assert np.array(w.detach()).tolist() == [1.0, 1.0, 1.0]
    assert isinstance(torch.tensor([1.0, 2.0]).tolist()[0], float)
    x = torch.linspace(-1, 1, 10)
    xs, ys = x.numpy(), (x ** 2).numpy()
    assert np.allclose(ys, xs ** 2)
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    ax.plot(x, x ** 2)
    ax.scatter(x, torch.sigmoid(x))
    plt.close(fig)


def test_manual_seed_reproduces_weights_shuffles_and_dropout():
    def run():
        torch.manual_seed(123)
        model = nn.Sequential(nn.Linear(3, 5), nn.Dropout(0.5))
        order = [b[0].tolist() for b in DataLoader(TensorDataset(torch.arange(6.0)),
                                                   batch_size=2, shuffle=True)]
        return model[0].weight.tolist(), model(torch.ones(2, 3)).tolist(), order
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    assert run() == run()


def test_custom_autograd_function_in_a_training_loop():
    class MyReLU(torch.autograd.Function):
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

    torch.manual_seed(0)
    x = torch.randn(64, 10)
    y = x.sum(dim=1, keepdim=True).abs()
    w1 = torch.randn(10, 32, requires_grad=True)
    w2 = torch.randn(32, 1, requires_grad=True)
    first = None
    for t in range(300):
        y_pred = MyReLU.apply(x.mm(w1)).mm(w2)
        loss = (y_pred - y).pow(2).mean()
        first = loss.item() if first is None else first
        loss.backward()
        with torch.no_grad():
            w1 -= 1e-3 * w1.grad
            w2 -= 1e-3 * w2.grad
            w1.grad.zero_()
            w2.grad.zero_()
    assert loss.item() < first / 5


def test_hooks_print_shapes_and_can_be_removed():
    seen = []
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    handles = [m.register_forward_hook(lambda mod, inp, out: seen.append(tuple(out.shape)))
               for m in model]
    model(torch.ones(4, 2))
    for h in handles:
        h.remove()
    model(torch.ones(4, 2))
    assert seen == [(4, 3), (4, 3), (4, 1)]


def test_one_hot_targets_mse_and_accuracy_by_argmax():
    torch.manual_seed(0)
    X = torch.randn(90, 2)
    labels = (X[:, 0] > 0).long() + (X[:, 1] > 0).long()
    targets = F.one_hot(labels, num_classes=3).float()
    model = nn.Sequential(nn.Linear(2, 16), nn.Sigmoid(), nn.Linear(16, 3), nn.Softmax(dim=1))
    optimizer = optim.Adam(model.parameters(), lr=0.05)
    for epoch in range(300):
        optimizer.zero_grad()
        loss = F.mse_loss(model(X), targets)
        loss.backward()
        optimizer.step()
    accuracy = (model(X).argmax(1) == labels).float().mean()
    assert accuracy > 0.9


def test_sine_regression_with_scheduler_and_plateau_style_logging():
    torch.manual_seed(0)
    x = torch.unsqueeze(torch.linspace(-3, 3, 200), dim=1)
    y = torch.sin(x) + 0.05 * torch.randn(x.size())
    net = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(),
                        nn.Linear(32, 1))
    optimizer = torch.optim.Adam(net.parameters(), lr=0.01)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=500)
    loss_func = torch.nn.MSELoss()
    history = []
    for t in range(500):
        prediction = net(x)
        loss = loss_func(prediction, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
        history.append(loss.item())
    assert history[-1] < 0.01
    assert min(history) == pytest.approx(history[-1], rel=0.5)


def test_the_generator_manual_seed_returns_drives_shuffling_and_splits():
    ds = TensorDataset(torch.arange(8.0))

    def run():
        g = torch.manual_seed(7)
        order = [b[0].tolist() for b in DataLoader(ds, batch_size=4, shuffle=True,
                                                   generator=g)]
        train, val = random_split(ds, [6, 2], generator=torch.manual_seed(7))
        return order, train.indices, val.indices
    assert run() == run()
    assert sorted(v for batch in run()[0] for v in batch) == list(range(8))
