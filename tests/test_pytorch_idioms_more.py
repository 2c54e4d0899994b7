"""More idioms of public beginner PyTorch scripts, each run on pynn with only the imports
changed: PyTorch's tutorials picking a device with torch.accelerator and set_default_device,
tensor-basics demos (membership, sizes in bytes), and the ops and modules added for them.
"""
import math

import numpy as np
import pytest

import pynn as torch


def test_the_tutorials_device_idiom_picks_the_cpu_and_the_fit_runs():
    dtype = torch.float
    device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() \
        else "cpu"
    assert device == "cpu"
    torch.set_default_device(device)
    torch.manual_seed(0)
    x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)
    y = torch.sin(x)
    a, b, c, d = (torch.randn((), dtype=dtype, requires_grad=True) for _ in range(4))
    first = None
    for t in range(500):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = (y_pred - y).pow(2).sum()
        first = loss.item() if first is None else first
        loss.backward()
        with torch.no_grad():
            for p in (a, b, c, d):
                p -= 1e-6 * p.grad
                p.grad = None
    assert loss.item() < first / 2
    assert str(torch.get_default_device()) == "cpu"


def test_device_context_manager_and_default_device_errors():
    with torch.device("cpu") as where:
        assert torch.zeros(2).device == where
    torch.set_default_device(torch.device("cpu"))
    torch.set_default_device(None)
    with pytest.raises(RuntimeError, match="CPU only"):
        torch.set_default_device("cuda")
    with pytest.raises(RuntimeError, match="CPU only"):
        with torch.device("cuda"):
            pass
    assert not torch.mps.is_available() and torch.accelerator.device_count() == 0
    torch.cuda.empty_cache()
    torch.mps.manual_seed(0)


def test_membership_and_sizes():
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert 3.0 in x and 4 in x and 7 not in x
    assert torch.tensor([1.0, 2.0]) in x
    assert x.nbytes == 16 and x.itemsize == 4 and x.double().nbytes == 32
    w = torch.ones(2, requires_grad=True)
    h = w * 3
    h.retain_grad()
    assert h.retains_grad and not w.retains_grad
    with pytest.raises(RuntimeError, match="only supports Tensor or scalar"):
        [1] in x


def test_kmeans_with_cdist_argmin_and_index_mean():
    torch.manual_seed(0)
    centres_true = torch.tensor([[0.0, 0.0], [5.0, 5.0], [0.0, 6.0]])
    X = torch.cat([c + 0.5 * torch.randn(50, 2) for c in centres_true])
    centres = X[torch.randperm(len(X))[:3]].clone()
    for _ in range(20):
        labels = torch.cdist(X, centres).argmin(dim=1)
        centres = torch.stack([X[labels == k].mean(dim=0) if (labels == k).any()
                               else centres[k] for k in range(3)])
    found = torch.cdist(centres_true, centres).min(dim=1).values
    assert (found < 0.5).all()
    assert torch.bincount(labels, minlength=3).tolist() == [50, 50, 50]


def test_tensor_basics_demo_of_splits_stats_and_ranges():
    with pytest.warns(UserWarning, match="deprecated"):
        r = torch.range(1, 10)
    assert r.dtype == torch.float32 and r.shape == (10,) and r[-1].item() == 10
    x = torch.arange(12.0).reshape(3, 4)
    a, b = torch.hsplit(x, 2)
    assert a.shape == (3, 2) and torch.equal(torch.hstack([a, b]), x)
    parts = torch.tensor_split(torch.arange(10), 3)
    assert [len(p) for p in parts] == [4, 3, 3]
    assert torch.dstack([x, x]).shape == (3, 4, 2)
    assert torch.atleast_2d(torch.tensor(1.0)).shape == (1, 1)
    assert torch.rot90(torch.tensor([[1, 2], [3, 4]])).tolist() == [[2, 4], [1, 3]]
    values, indices = torch.cummax(torch.tensor([1.0, 3.0, 2.0, 5.0]), dim=0)
    assert values.tolist() == [1.0, 3.0, 3.0, 5.0] and indices.tolist() == [0, 1, 1, 3]
    data = torch.linspace(0, 1, 101)
    assert math.isclose(torch.quantile(data, 0.9).item(), 0.9, rel_tol=1e-6)
    low, high = torch.quantile(x, torch.tensor([0.25, 0.75]), dim=1)
    assert low.shape == (3,) and (high > low).all()
    assert torch.histc(torch.tensor([1.0, 2.0, 1.0]), bins=4, min=0, max=3).tolist() == \
        [0.0, 2.0, 1.0, 0.0]
    assert torch.bucketize(torch.tensor([0.5, 2.5]), torch.tensor([1.0, 2.0, 3.0])).tolist() \
        == [0, 2]
    assert torch.kron(torch.eye(2), torch.ones(1, 2)).tolist() == [[1, 1, 0, 0], [0, 0, 1, 1]]
    assert torch.cartesian_prod(torch.tensor([1, 2]), torch.tensor([3, 4])).tolist() == \
        [[1, 3], [1, 4], [2, 3], [2, 4]]
    assert torch.tril_indices(3, 3).shape == (2, 6)
    corr = torch.corrcoef(torch.stack([data, 2 * data + 1, -data]))
    assert torch.allclose(corr, torch.tensor([[1.0, 1, -1], [1, 1, -1], [-1, -1, 1]]),
                          atol=1e-5)
    assert torch.allclose(torch.logaddexp(torch.tensor(1000.0), torch.tensor(1000.0)),
                          torch.tensor(1000.0 + math.log(2)))
    assert torch.rad2deg(torch.tensor(math.pi)).item() == pytest.approx(180.0)


def test_second_derivative_demos_with_create_graph():
    x = torch.tensor([3.0], requires_grad=True)
    y = torch.pow(x, 2)
    first = torch.autograd.grad(y, x, create_graph=True)
    second = torch.autograd.grad(first[0], x)
    assert first[0].item() == 6.0 and second[0].item() == 2.0
    assert "grad_fn=<MulBackward0>" in repr(first[0])
    x = torch.rand(3, 4)
    x.requires_grad_()
    y = x ** 2
    g = torch.autograd.grad(outputs=y, inputs=x, grad_outputs=torch.ones_like(y),
                            create_graph=True)[0]
    g2 = torch.autograd.grad(outputs=g, inputs=x, grad_outputs=torch.ones_like(g))[0]
    assert torch.equal(g2, torch.full((3, 4), 2.0))
    z = torch.tensor([3.0], requires_grad=True)
    grad, = torch.autograd.grad((z ** 2).mean(), z, create_graph=True)
    grad.mean().backward()
    assert z.grad.item() == 2.0


def test_curve_fit_with_lbfgs_and_a_closure():
    torch.manual_seed(0)
    x = torch.linspace(0, 3, 50)
    y = 2.5 * torch.exp(-1.3 * x) + 0.5 + 0.01 * torch.randn(50)
    a = torch.tensor(1.0, requires_grad=True)
    b = torch.tensor(1.0, requires_grad=True)
    c = torch.tensor(0.0, requires_grad=True)
    optimizer = torch.optim.LBFGS([a, b, c], lr=1, max_iter=50, line_search_fn="strong_wolfe")

    def closure():
        optimizer.zero_grad()
        loss = ((a * torch.exp(-b * x) + c - y) ** 2).mean()
        loss.backward()
        return loss
    for _ in range(5):
        loss = optimizer.step(closure)
    assert loss.item() < 2e-4
    assert abs(a.item() - 2.5) < 0.05 and abs(b.item() - 1.3) < 0.05
    assert abs(c.item() - 0.5) < 0.05
    assert "func_evals" in optimizer.state_dict()["state"][0]


def test_d2l_style_concise_regression_with_lazy_linear():
    import pynn.nn as nn
    torch.manual_seed(0)
    true_w, true_b = torch.tensor([2.0, -3.4]), 4.2
    X = torch.randn(1000, 2)
    y = (X @ true_w + true_b + 0.01 * torch.randn(1000)).reshape(-1, 1)
    net = nn.LazyLinear(1)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.03)  # the same objects, materialized
    net(X[:1])
    net.weight.data.normal_(0, 0.01)
    net.bias.data.fill_(0)
    for epoch in range(3):
        for i in range(0, 1000, 10):
            loss = nn.MSELoss()(net(X[i:i + 10]), y[i:i + 10])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    assert type(net).__name__ == "Linear" and net.in_features == 2
    assert torch.allclose(net.weight.data.reshape(-1), true_w, atol=0.01)
    assert abs(net.bias.item() - true_b) < 0.01


def test_vae_style_kl_and_gaussian_mixture_scoring():
    import pynn.distributions as D
    from pynn.distributions.kl import kl_divergence
    torch.manual_seed(0)
    mu = torch.zeros(4, 2, requires_grad=True)
    log_var = torch.zeros(4, 2, requires_grad=True)
    posterior = D.Independent(D.Normal(mu + 1.0, (0.5 * log_var).exp()), 1)
    prior = D.Independent(D.Normal(torch.zeros(4, 2), torch.ones(4, 2)), 1)
    kl = kl_divergence(posterior, prior)
    assert kl.shape == (4,) and torch.allclose(kl, torch.full((4,), 1.0))
    kl.sum().backward()
    assert torch.allclose(mu.grad, torch.ones(4, 2))
    mvn = D.MultivariateNormal(torch.tensor([1.0, -1.0]),
                               covariance_matrix=torch.tensor([[1.0, 0.8], [0.8, 1.0]]))
    draws = mvn.sample((5000,))
    assert torch.allclose(draws.mean(0), torch.tensor([1.0, -1.0]), atol=0.05)
    assert abs(torch.corrcoef(draws.T)[0, 1].item() - 0.8) < 0.03
    assert mvn.log_prob(torch.tensor([1.0, -1.0])) > mvn.log_prob(torch.tensor([2.0, 0.0]))


def test_the_tensors_tutorial_out_arguments_and_numpy_bridge():
    tensor = torch.ones(4, 4)
    tensor[:, 1] = 0
    y1 = tensor @ tensor.T
    y3 = torch.rand_like(tensor)
    torch.matmul(tensor, tensor.T, out=y3)
    z3 = torch.rand_like(tensor)
    torch.mul(tensor, tensor, out=z3)
    assert torch.equal(y1, y3) and torch.equal(tensor * tensor, z3)
    t = torch.ones(5)
    n = t.numpy()
    t.add_(1)
    assert n.tolist() == [2.0] * 5
    n = np.ones(5)
    t = torch.from_numpy(n)
    np.add(n, 1, out=n)
    assert t.tolist() == [2.0] * 5


def test_old_init_names_and_sparse_init():
    import pynn.nn as nn
    torch.manual_seed(0)
    w = torch.empty(10, 4)
    nn.init.sparse_(w, sparsity=0.3)
    assert (w == 0).sum(0).tolist() == [3, 3, 3, 3]
    q = torch.empty(3, 3)
    nn.init.orthogonal(q)
    assert torch.allclose(q @ q.T, torch.eye(3), atol=1e-5)
    e = torch.empty(2, 3)
    nn.init.eye(e)
    assert e.tolist() == [[1, 0, 0], [0, 1, 0]]
    d = torch.empty(2, 2, 3)
    nn.init.dirac_(d)
    assert d[:, :, 1].tolist() == [[1, 0], [0, 1]]


def test_asgd_and_chained_schedulers_train_a_regression():
    import pynn.nn as nn
    torch.manual_seed(0)
    X = torch.randn(200, 3)
    y = X @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.3
    model = nn.Linear(3, 1)
    optimizer = torch.optim.ASGD(model.parameters(), lr=0.05, t0=50)
    scheduler = torch.optim.lr_scheduler.ChainedScheduler([
        torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.5, total_iters=10),
        torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.99)])
    for epoch in range(200):
        loss = nn.functional.mse_loss(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
    assert loss.item() < 1e-3
    assert scheduler.get_last_lr()[0] == pytest.approx(0.05 * 0.99 ** 200, rel=1e-6)


class SavedWhole(__import__("pynn").nn.Module):
    """A model saved whole, as scripts do with torch.save(model, path)."""

    def __init__(self, hidden=8):
        super().__init__()
        import pynn.nn as nn
        self.fc1 = nn.Linear(2, hidden)
        self.fc2 = nn.Linear(hidden, 1)
        self.threshold = 0.5
        self.act = torch.relu
        self.register_buffer("shift", torch.tensor([0.5, 0.5]))

    def forward(self, x):
        return torch.sigmoid(self.fc2(self.act(self.fc1(x - self.shift))))


def test_torch_save_of_a_whole_model_and_load_with_weights_only_false(tmp_path):
    import pickle
    torch.manual_seed(0)
    model = SavedWhole()
    x = torch.tensor([[0.0, 1.0], [1.0, 1.0]])
    torch.save(model, tmp_path / "model.pth")
    with pytest.raises(pickle.UnpicklingError, match="weights_only"):
        torch.load(tmp_path / "model.pth")
    loaded = torch.load(tmp_path / "model.pth", weights_only=False)
    loaded.eval()
    assert type(loaded) is SavedWhole and loaded.threshold == 0.5 and loaded.act is torch.relu
    assert torch.equal(loaded(x), model(x))
    assert list(loaded.state_dict()) == list(model.state_dict())
    with torch.serialization.safe_globals([SavedWhole, torch.nn.Linear, torch.relu]):
        assert type(torch.load(tmp_path / "model.pth")) is SavedWhole
    checkpoint = {"epoch": 3, "model": model}
    torch.save(checkpoint, tmp_path / "ckpt.pth")
    assert torch.load(tmp_path / "ckpt.pth", weights_only=False)["epoch"] == 3


def test_random_fills_and_format_of_a_vector():
    torch.manual_seed(0)
    x = torch.empty(20000)
    assert abs(x.geometric_(0.25).mean().item() - 4.0) < 0.1 and x.min().item() >= 1
    assert abs(x.log_normal_(0.0, 0.5).median().item() - 1.0) < 0.03
    assert abs(x.cauchy_().median().item()) < 0.05
    assert f"{torch.tensor(0.25):.2f}" == "0.25" and f"{torch.ones(2)}" == "tensor([1., 1.])"
    with pytest.raises(TypeError, match="unsupported format string"):
        f"{torch.ones(2):.2f}"


def test_gpu_minded_imports_and_an_amp_training_loop_run_on_the_cpu():
    import warnings
    import pynn.backends.cudnn as cudnn
    import pynn.nn as nn
    from pynn.cuda.amp import GradScaler, autocast
    from pynn.nn.modules.loss import _Loss
    cudnn.benchmark, cudnn.deterministic = True, True
    assert pynn_backends_flag() and not cudnn.is_available()

    class RootMeanSquare(_Loss):
        def forward(self, input, target):
            return ((input - target) ** 2).mean().sqrt()
    torch.manual_seed(0)
    X = torch.randn(64, 3)
    y = X.sum(1, keepdim=True)
    model = nn.Linear(3, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scaler = GradScaler()
    assert "CUDA is not available" in str(caught[0].message)
    for _ in range(100):
        optimizer.zero_grad()
        with autocast():
            loss = RootMeanSquare()(model(X), y)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
    assert loss.item() < 0.2  # from about 1.9: an RMS loss at a fixed rate hovers near 0
    with torch.autocast(device_type="cpu", dtype=torch.float16):
        assert model(X).dtype == torch.float32


def pynn_backends_flag():
    return torch.backends.cudnn.benchmark is True


def test_stack_and_chain_datasets_and_memory_formats():
    from pynn.utils.data import ChainDataset, DataLoader, StackDataset, TensorDataset
    a = TensorDataset(torch.arange(6.0).reshape(3, 2))
    b = TensorDataset(torch.arange(3))
    pairs = StackDataset(a, b)
    assert len(pairs) == 3 and pairs[1][1][0].item() == 1
    named = StackDataset(x=a, y=b)
    batch = next(iter(DataLoader(named, batch_size=2)))
    assert batch["x"][0].shape == (2, 2) and batch["y"][0].tolist() == [0, 1]
    assert [x.item() for x in ChainDataset([[torch.tensor(1)], [torch.tensor(2)]])] == [1, 2]
    x = torch.ones(2, 3)
    assert x.clone(memory_format=torch.contiguous_format).is_contiguous()
    assert repr(torch.channels_last) == "pynn.channels_last"


def test_torch_func_derivatives_of_a_function_demo():
    from pynn.func import grad, vmap

    def f(x):
        return x ** 3 - 2 * x
    assert grad(f)(torch.tensor(2.0)).item() == 10.0
    assert grad(grad(f))(torch.tensor(2.0)).item() == 12.0
    xs = torch.linspace(-1, 1, 5)
    assert torch.allclose(vmap(grad(f))(xs), 3 * xs ** 2 - 2)


def test_maml_style_inner_step_differentiated_through():
    import pynn.nn.functional as F
    torch.manual_seed(0)
    w = torch.randn(3, 2, requires_grad=True)
    b = torch.zeros(2, requires_grad=True)
    x, y = torch.randn(8, 3), torch.tensor([0, 1, 1, 0, 1, 0, 0, 1])
    inner = F.cross_entropy(x @ w + b, y)
    gw, gb = torch.autograd.grad(inner, (w, b), create_graph=True)
    w2, b2 = w - 0.5 * gw, b - 0.5 * gb  # one step of the inner loop, kept in the graph
    outer = F.cross_entropy(x @ w2 + b2, y) + F.mse_loss(w2, torch.zeros(3, 2))
    outer.backward()
    assert w.grad.shape == (3, 2) and torch.isfinite(w.grad).all() and b.grad.abs().sum() > 0
