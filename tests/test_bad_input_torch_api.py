"""Bad input at the edges of the PyTorch-style API added for real scripts (custom autograd
Functions, linear algebra, selection ops, random draws, samplers and DataLoader, schedulers,
normalisation layers, nn.utils, printing, devices, whole models saved): each gets the error PyTorch raises
(RuntimeError, ValueError, TypeError or IndexError) with a message that says what was
expected, and nothing is changed on the way."""
import numpy as np
import pytest

import pynn
import pynn.functional as F
from pynn import nn, optim
from pynn.optim import lr_scheduler
from pynn.utils import data


class Returns:
    """A custom Function whose forward returns `value` and whose backward returns `grads`."""

    @staticmethod
    def make(value, grads):
        class Odd(pynn.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return value(x)

            @staticmethod
            def backward(ctx, g):
                return grads(g)
        return Odd


def test_custom_function_errors():
    x = pynn.ones(3, requires_grad=True)
    with pytest.raises(TypeError, match="must return Tensors"):
        Returns.make(lambda x: 3.0, lambda g: g).apply(x)
    too_many = Returns.make(lambda x: x * 2, lambda g: (g, g, g))
    with pytest.raises(RuntimeError, match="incorrect number of gradients"):
        too_many.apply(x).sum().backward()
    wrong_shape = Returns.make(lambda x: x * 2, lambda g: pynn.ones(4))
    with pytest.raises(RuntimeError, match="invalid gradient"):
        wrong_shape.apply(x).sum().backward()
    assert x.grad is None

    class SavesANumber(pynn.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(3)
            return x

    with pytest.raises(TypeError, match="save_for_backward can only save variables"):
        SavesANumber.apply(x)
    with pytest.raises(NotImplementedError, match="forward"):
        pynn.autograd.Function.apply(x)


@pytest.mark.parametrize("call, error, match", [
    (lambda: pynn.inverse(pynn.zeros(2, 2)), RuntimeError, "singular"),
    (lambda: pynn.det(pynn.ones(2, 3)), ValueError, "square matrices"),
    (lambda: pynn.inverse(pynn.ones(2, 2, dtype=pynn.int64)), RuntimeError, "floating point"),
    (lambda: pynn.einsum("ij,jk->ik", pynn.ones(2, 3), pynn.ones(2, 3)), RuntimeError,
     "einsum"),
    (lambda: pynn.einsum("ij->i", pynn.ones(2, 3), pynn.ones(2)), ValueError, "operands"),
    (lambda: pynn.einsum("ijk->i", pynn.ones(2, 3)), RuntimeError, "subscripts"),
    (lambda: pynn.einsum(3, pynn.ones(2)), TypeError, "string"),
    (lambda: pynn.einsum("...i->i", pynn.ones(2, 3)), NotImplementedError, r"\.\.\."),
    (lambda: pynn.mv(pynn.ones(2, 3), pynn.ones(2, 3)), RuntimeError, "vector"),
    (lambda: pynn.outer(pynn.ones(2, 2), pynn.ones(2)), RuntimeError, "1-D"),
    (lambda: pynn.trace(pynn.ones(2)), RuntimeError, "matrix"),
    (lambda: pynn.diag(pynn.ones(2, 2, 2)), RuntimeError, "1D or 2D"),
    (lambda: pynn.cross(pynn.ones(2, 2), pynn.ones(2, 2)), RuntimeError, "size 3"),
    (lambda: pynn.linalg.solve(pynn.ones(2, 2), pynn.ones(2), left=False),
     NotImplementedError, "left=False"),
    (lambda: pynn.ones(2, 3) @ pynn.ones(4, 2, 2), RuntimeError, "cannot be multiplied"),
    (lambda: pynn.ones(2, 2, 3) @ pynn.ones(3, 3, 2), RuntimeError, "broadcast"),
])
def test_linear_algebra_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("call, error, match", [
    (lambda: pynn.ones(3).masked_select(pynn.ones(3)), RuntimeError, "BoolTensor"),
    (lambda: pynn.ones(3).masked_select(pynn.ones(4) > 0), RuntimeError, "must match"),
    (lambda: pynn.ones(2, 2).scatter(0, pynn.tensor([[0, 1]])), TypeError, "src"),
    (lambda: pynn.ones(2, 2).scatter(0, pynn.tensor([[0, 1]]), 1.0, reduce="add"),
     NotImplementedError, "scatter_add"),
    (lambda: pynn.ones(3).take(pynn.tensor([5])), IndexError, "out of bounds"),
    (lambda: pynn.meshgrid(pynn.ones(2), indexing="yx"), ValueError, "indexing"),
    (lambda: pynn.tensor([1.0, 2.0]).bincount(), RuntimeError, "non-negative integral"),
    (lambda: pynn.tensor([-1, 2]).bincount(), RuntimeError, "non-negative integral"),
    (lambda: pynn.ones(2, 2).unique(dim=0), NotImplementedError, "dim"),
    (lambda: pynn.ones(2, 3).movedim(0, 5), IndexError, "out of range"),
    (lambda: pynn.ones(2).repeat_interleave(2, dim=3), IndexError, "out of range"),
    (lambda: pynn.ones(2, 3, requires_grad=True).unsqueeze_(0), RuntimeError,
     "outside the graph"),
])
def test_selection_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("call, error, match", [
    (lambda: pynn.multinomial(pynn.tensor([0.5, -0.1]), 1), RuntimeError, "< 0"),
    (lambda: pynn.multinomial(pynn.tensor([0.5, 0.5]), 3), RuntimeError, "without "
     "replacement"),
    (lambda: pynn.multinomial(pynn.zeros(2), 1, replacement=True), RuntimeError, "sum"),
    (lambda: pynn.multinomial(pynn.ones(2, 2, 2), 1), RuntimeError, "1 or 2 dim"),
    (lambda: pynn.bernoulli(pynn.tensor([1.5])), RuntimeError, r"\[0, 1\]"),
    (lambda: pynn.Generator().manual_seed(-1), ValueError, "seed"),
    (lambda: pynn.Generator().manual_seed(1.5), TypeError, "integer"),
    (lambda: pynn.rand(2, generator=np.random.default_rng()), TypeError, "pynn.Generator"),
])
def test_random_draw_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


DS = data.TensorDataset(pynn.arange(10.0), pynn.arange(10))


@pytest.mark.parametrize("call, error, match", [
    (lambda: data.DataLoader(DS, batch_size=2, shuffle=True, sampler=range(10)), ValueError,
     "mutually exclusive with shuffle"),
    (lambda: data.DataLoader(DS, batch_size=2, batch_sampler=[[0, 1]]), ValueError,
     "batch_sampler option is mutually exclusive"),
    (lambda: data.DataLoader(DS, batch_size=None, drop_last=True), ValueError,
     "auto-batching"),
    (lambda: data.DataLoader(DS, batch_size=0), ValueError, "batch_size"),
    (lambda: data.TensorDataset(pynn.ones(3), pynn.ones(2)), ValueError, "Size mismatch"),
    (lambda: data.TensorDataset(pynn.ones(3), [1, 2, 3]), TypeError, "expected Tensors"),
    (lambda: data.random_split(DS, [5, 4]), ValueError, "Sum of input lengths"),
    (lambda: data.BatchSampler(range(3), 0, False), ValueError, "positive integer"),
    (lambda: data.BatchSampler(range(3), 2, "no"), ValueError, "boolean"),
    (lambda: data.RandomSampler(DS, replacement=1), TypeError, "boolean"),
    (lambda: data.WeightedRandomSampler([[1.0]], 2), ValueError, "1d sequence"),
    (lambda: data.WeightedRandomSampler([-1.0, 2.0], 2), RuntimeError, "non-negative"),
    (lambda: data.WeightedRandomSampler([1.0, 2.0], 3, replacement=False), RuntimeError,
     "without replacement"),
    (lambda: data.default_collate([object(), object()]), TypeError, "found object"),
    (lambda: data.default_collate([(1, 2), (3,)]), RuntimeError, "equal size"),
])
def test_data_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_iterable_dataset_refuses_shuffle_and_samplers():
    class Stream(data.IterableDataset):
        def __iter__(self):
            return iter(range(5))
    with pytest.raises(ValueError, match="shuffle"):
        data.DataLoader(Stream(), shuffle=True)
    with pytest.raises(ValueError, match="sampler"):
        data.DataLoader(Stream(), sampler=range(5))
    assert [b.tolist() for b in data.DataLoader(Stream(), batch_size=2)] == [[0, 1], [2, 3],
                                                                             [4]]


def _sgd():
    return optim.SGD([pynn.zeros(1, requires_grad=True)], lr=0.1)


@pytest.mark.parametrize("call, error, match", [
    (lambda: lr_scheduler.CosineAnnealingWarmRestarts(_sgd(), T_0=0), ValueError, "T_0"),
    (lambda: lr_scheduler.CosineAnnealingWarmRestarts(_sgd(), T_0=2, T_mult=0), ValueError,
     "T_mult"),
    (lambda: lr_scheduler.CyclicLR(optim.Adagrad([pynn.zeros(1, requires_grad=True)]), 0.1,
                                   1.0), ValueError, "momentum"),
    (lambda: lr_scheduler.CyclicLR(_sgd(), 0.1, 1.0, mode="sawtooth"), ValueError,
     "mode is invalid"),
    (lambda: lr_scheduler.OneCycleLR(_sgd(), 0.1), ValueError, "total_steps"),
    (lambda: lr_scheduler.OneCycleLR(_sgd(), 0.1, total_steps=5, pct_start=2), ValueError,
     "pct_start"),
    (lambda: lr_scheduler.OneCycleLR(_sgd(), 0.1, total_steps=5, anneal_strategy="exp"),
     ValueError, "anneal_strategy"),
    (lambda: lr_scheduler.PolynomialLR(_sgd(), total_iters=0), ValueError, "total_iters"),
    (lambda: lr_scheduler.SequentialLR(_sgd(), [lr_scheduler.StepLR(_sgd(), 2)], [3]),
     ValueError, "one more than the number of milestone"),
    (lambda: lr_scheduler.StepLR("optimizer", 2), TypeError, "not an Optimizer"),
])
def test_scheduler_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_one_cycle_refuses_steps_past_total_steps():
    opt = _sgd()
    schedule = lr_scheduler.OneCycleLR(opt, 0.1, total_steps=3)
    schedule.step()
    schedule.step()
    schedule.step()
    with pytest.raises(ValueError, match="Tried to step 4 times"):
        schedule.step()


@pytest.mark.parametrize("call, error, match", [
    (lambda: optim.Rprop([pynn.zeros(1, requires_grad=True)], etas=(1.5, 0.5)), ValueError,
     "eta"),
    (lambda: optim.Adamax([pynn.zeros(1, requires_grad=True)], betas=(1.5, 0.9)), ValueError,
     "beta"),
    (lambda: optim.NAdam([pynn.zeros(1, requires_grad=True)], momentum_decay=-1), ValueError,
     "momentum_decay"),
    (lambda: optim.RAdam([pynn.zeros(1, requires_grad=True)], lr=-1), ValueError, "lr"),
    (lambda: optim.NAdam([pynn.zeros(1, requires_grad=True)], eps="small"), TypeError,
     "epsilon"),
])
def test_new_optimizer_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("call, error, match", [
    (lambda: nn.BatchNorm1d(3)(pynn.ones(4, 5)), ValueError, "3"),
    (lambda: nn.BatchNorm1d(3)(pynn.ones(4, 3, 2, 2)), ValueError, "2D or 3D"),
    (lambda: nn.BatchNorm1d(3)(pynn.ones(1, 3)), ValueError, "more than 1 value"),
    (lambda: nn.BatchNorm1d(0), ValueError, "num_features"),
    (lambda: nn.LayerNorm(4)(pynn.ones(2, 3)), RuntimeError, "normalized_shape"),
    (lambda: nn.Embedding(3, 2)(pynn.tensor([3])), IndexError, "index out of range"),
    (lambda: nn.Embedding(3, 2)(pynn.tensor([1.0])), RuntimeError, "Long, Int"),
    (lambda: F.batch_norm(pynn.ones(3, 2), None, None), ValueError, "running_mean"),
    (lambda: nn.Linear(2, 2).register_forward_hook("print"), TypeError, "callable"),
    (lambda: nn.Linear(2, 2).get_parameter("weights"), AttributeError, "not an nn.Parameter"),
    (lambda: nn.Sequential(nn.Linear(2, 2)).get_submodule("3"), AttributeError, "no attribute"),
])
def test_layer_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_batchnorm_refuses_bad_input_without_moving_its_statistics():
    layer = nn.BatchNorm1d(3)
    before = layer.running_mean.clone()
    with pytest.raises(ValueError):
        layer(pynn.ones(4, 5))
    assert pynn.equal(before, layer.running_mean) and layer.num_batches_tracked.item() == 0


def test_nn_utils_errors():
    layer = nn.Linear(2, 1)
    layer(pynn.ones(1, 2)).sum().backward()
    layer.weight.grad[0, 0] = float("inf")
    with pytest.raises(RuntimeError, match="non-finite"):
        nn.utils.clip_grad_norm_(layer.parameters(), 1.0, error_if_nonfinite=True)
    with pytest.raises(TypeError, match="max_norm"):
        nn.utils.clip_grad_norm_(layer.parameters(), "1")
    with pytest.raises(ValueError, match="4 elements"):
        nn.utils.vector_to_parameters(pynn.ones(4), layer.parameters())
    with pytest.raises(TypeError, match="expected torch.Tensor"):
        nn.utils.vector_to_parameters([1.0, 2.0, 3.0], layer.parameters())


@pytest.mark.parametrize("call, error, match", [
    (lambda: pynn.set_printoptions(precision=-1), ValueError, "precision"),
    (lambda: pynn.set_printoptions(profile="long"), ValueError, "profile"),
    (lambda: pynn.device("gpu"), RuntimeError, "device type"),
    (lambda: pynn.device(3.5), TypeError, "string"),
])
def test_printing_and_device_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
    assert repr(pynn.tensor([1.5])) == "tensor([1.5000])"  # the options are untouched


def test_a_whole_model_loads_only_with_weights_only_false_and_an_optimizer_is_refused(
        tmp_path):
    import pickle
    model = nn.Linear(2, 1)
    opt = optim.SGD(model.parameters(), lr=0.1)
    pynn.save(model, tmp_path / "model.pth")
    with pytest.raises(pickle.UnpicklingError, match="weights_only"):
        pynn.load(tmp_path / "model.pth")
    assert isinstance(pynn.load(tmp_path / "model.pth", weights_only=False), nn.Linear)
    with pytest.raises(TypeError, match="save its state_dict"):
        pynn.save({"model": model, "optimizer": opt}, tmp_path / "ckpt.pth")
    with pytest.raises(TypeError, match="defined inside a function"):
        class Local(nn.Module):
            pass
        pynn.save(Local(), tmp_path / "local.pth")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.pth"]


def test_hook_errors():
    with pytest.raises(RuntimeError, match="doesn't require gradient"):
        pynn.ones(2).register_hook(print)
    x = pynn.ones(2, requires_grad=True)
    with pytest.raises(TypeError, match="callable"):
        x.register_hook("print")
    x.register_hook(lambda g: pynn.ones(3))
    with pytest.raises(RuntimeError, match="invalid gradient"):
        (x * 2).sum().backward()
    assert x.grad is None


@pytest.mark.parametrize("call, error, match", [
    (lambda: pynn.distributions.Normal(0.0, -1.0), ValueError, "scale to be positive"),
    (lambda: pynn.distributions.Normal("a", 1.0), TypeError, "loc"),
    (lambda: pynn.distributions.Uniform(1.0, 0.0), ValueError, "less than high"),
    (lambda: pynn.distributions.Bernoulli(), ValueError, "Either `probs` or `logits`"),
    (lambda: pynn.distributions.Categorical(probs=pynn.ones(3), logits=pynn.ones(3)),
     ValueError, "not both"),
    (lambda: pynn.distributions.Uniform(0.0, 1.0).log_prob("x"), TypeError, "value"),
])
def test_distribution_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()
