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
