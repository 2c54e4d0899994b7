"""Idioms of a second round of public beginner PyTorch scripts (course notebooks exported to
.py, Kaggle-style tabular notebooks, d2l's sequence chapter), each run on pynn with only the
imports changed.
"""
import numpy as np
import pytest

import pynn as torch
import pynn.nn as nn
from pynn import gradcheck


def test_resize_reshapes_in_place_as_the_intro_notebooks_use_it():
    torch.manual_seed(7)
    features = torch.randn((1, 5))
    weights = torch.randn_like(features)
    before = weights.tolist()[0]
    same = weights.resize_(5, 1)
    assert same is weights and tuple(weights.shape) == (5, 1)
    assert [row[0] for row in weights.tolist()] == before
    assert tuple(torch.mm(features, weights).shape) == (1, 1)
    w = torch.arange(6.0)
    assert w.resize_((2, 3)).tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    assert w.resize_(4).tolist() == [0.0, 1.0, 2.0, 3.0]  # shrinking keeps the first values
    assert w.resize_(2, 3).tolist() == [[0.0, 1.0, 2.0], [3.0, 0.0, 0.0]]
    assert tuple(torch.ones(2, 2).resize_as_(torch.zeros(4)).shape) == (4,)


def test_resize_refuses_what_pytorch_refuses():
    with pytest.raises(RuntimeError, match="require grad"):
        torch.ones(3, requires_grad=True).resize_(3, 1)
    with pytest.raises(RuntimeError, match="negative dimension"):
        torch.ones(3).resize_(-1, 3)


def test_in_place_draws_take_their_arguments_by_keyword():
    torch.manual_seed(0)
    layer = nn.Linear(784, 256)
    layer.bias.data.fill_(0)
    layer.weight.data.normal_(std=0.01)
    assert abs(layer.weight.data.std().item() - 0.01) < 0.001
    assert abs(layer.weight.data.mean().item()) < 0.001
    w = torch.empty(1000).normal_(mean=3.0, std=0.5)
    assert abs(w.mean().item() - 3.0) < 0.1
    x = torch.empty(1000).exponential_(lambd=2.0)
    assert abs(x.mean().item() - 0.5) < 0.1


def test_a_one_by_one_output_is_written_into_one_element():
    # d2l's multi-step prediction: preds[i] = net(preds[i - tau:i].reshape((1, -1)))
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(4, 10), nn.ReLU(), nn.Linear(10, 1))
    preds = torch.zeros(12)
    preds[:4] = torch.arange(4.0)
    for i in range(4, 12):
        preds[i] = net(preds[i - 4:i].reshape((1, -1)))
    with torch.no_grad():
        row = net(preds[7:11].reshape((1, -1)))
    assert preds[11].item() == pytest.approx(row.item(), abs=1e-6)
    grid = torch.zeros(3, 2)
    grid[1] = torch.tensor([[5.0, 6.0]])
    assert grid.tolist() == [[0.0, 0.0], [5.0, 6.0], [0.0, 0.0]]
    with pytest.raises(ValueError):
        grid[1] = torch.ones(2, 2)  # only leading 1s are dropped


def test_the_gradient_of_a_one_by_one_value_written_into_one_element():
    def fill(x, v):
        y = x * 1.0
        y[2] = v
        return y * torch.arange(1.0, 6.0, dtype=torch.float64)
    x = torch.randn(5, dtype=torch.float64, requires_grad=True)
    v = torch.randn(1, 1, dtype=torch.float64, requires_grad=True)
    assert gradcheck(fill, (x, v))


def test_a_pandas_column_keeps_its_dtype_as_in_pytorch():
    pd = pytest.importorskip("pandas", reason="needs pandas (pip install '.[examples]')")
    df = pd.DataFrame({"Fare": [7.25, 71.3, 8.05], "Pclass": [3, 1, 3],
                       "Survived": [0, 1, 1]})
    assert torch.tensor(df["Fare"]).dtype == torch.float64
    assert torch.tensor(df["Pclass"]).dtype == torch.int64
    y = torch.tensor(df["Survived"].astype(np.float32)).view(-1, 1)
    assert y.dtype == torch.float32 and tuple(y.shape) == (3, 1)
    assert torch.tensor(df["Fare"], dtype=torch.float32).dtype == torch.float32
    assert torch.as_tensor(df["Fare"]).dtype == torch.float64
    assert torch.FloatTensor(df["Fare"]).dtype == torch.float32
    assert torch.tensor(df[["Fare", "Pclass"]].values).dtype == torch.float64


def test_pdist_is_differentiable():
    x = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
    assert gradcheck(lambda a: torch.nn.functional.pdist(a), (x,))
    assert gradcheck(lambda a: torch.nn.functional.pdist(a, p=1.5), (x,))
    assert tuple(torch.pdist(x).shape) == (10,)
    with pytest.raises(RuntimeError, match="2D"):
        torch.pdist(torch.ones(3))


def test_gumbel_softmax_samples_and_passes_the_soft_gradient_through():
    F = torch.nn.functional
    torch.manual_seed(0)
    logits = torch.tensor([[0.0, 3.0, 0.0]] * 200, requires_grad=True)
    soft = F.gumbel_softmax(logits, tau=0.5)
    assert torch.allclose(soft.sum(1), torch.ones(200))
    hard = F.gumbel_softmax(logits, tau=0.5, hard=True)
    assert set(hard.detach().flatten().tolist()) == {0.0, 1.0}
    assert hard.sum(1).tolist() == [1.0] * 200
    assert hard[:, 1].mean().item() > 0.7  # the largest logit wins most draws
    (hard * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert logits.grad is not None and logits.grad.abs().sum().item() > 0


def test_in_place_functional_activations_and_top_level_aliases():
    F = torch.nn.functional
    x = torch.tensor([-2.0, -0.5, 0.5, 2.0])
    y = x.clone()
    assert F.leaky_relu_(y, 0.1) is y and y.tolist() == pytest.approx([-0.2, -0.05, 0.5, 2.0])
    F.hardtanh_(y)
    assert y.tolist() == pytest.approx([-0.2, -0.05, 0.5, 1.0])
    F.threshold_(y, 0.6, 0.0)
    assert y.tolist() == pytest.approx([0.0, 0.0, 0.0, 1.0])
    z = x.clone()
    F.elu_(z)
    assert z.tolist() == pytest.approx(F.elu(x).tolist())
    for fn in (F.selu_, F.celu_):
        w = x.clone()
        fn(w)
        assert w.tolist() == pytest.approx(getattr(F, fn.__name__[:-1])(x).tolist())
    a, b = torch.randn(4, 3), torch.randn(4, 3)
    assert torch.allclose(torch.cosine_similarity(a, b, dim=1), F.cosine_similarity(a, b))
    assert torch.allclose(torch.pairwise_distance(a, b), F.pairwise_distance(a, b))
    assert torch.greater_equal(x, 0.5).tolist() == [False, False, True, True]
    assert torch.less_equal(x, -0.5).tolist() == [True, True, False, False]
    assert not torch.is_complex(x)
    torch.set_float32_matmul_precision("high")
    assert torch.get_float32_matmul_precision() == "high"
    torch.set_float32_matmul_precision("highest")
    with pytest.raises(RuntimeError, match="precision"):
        torch.set_float32_matmul_precision("fast")
