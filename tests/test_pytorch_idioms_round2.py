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


def test_pad_sequence_batches_variable_length_sequences():
    from pynn.nn.utils.rnn import pad_sequence
    a, b = torch.tensor([1, 2, 3]), torch.tensor([4])
    assert pad_sequence([a, b]).tolist() == [[1, 4], [2, 0], [3, 0]]
    assert pad_sequence([a, b], batch_first=True, padding_value=-1).tolist() == \
        [[1, 2, 3], [4, -1, -1]]
    assert pad_sequence([a, b], batch_first=True, padding_side="left").tolist() == \
        [[1, 2, 3], [0, 0, 4]]
    rows = [torch.randn(n, 2, dtype=torch.float64, requires_grad=True) for n in (3, 1, 2)]
    assert tuple(pad_sequence(rows).shape) == (3, 3, 2)
    assert gradcheck(lambda *r: pad_sequence(list(r), batch_first=True), rows)
    with pytest.raises(RuntimeError, match="trailing"):
        pad_sequence([torch.ones(2, 3), torch.ones(2, 4)])
    with pytest.raises(NotImplementedError, match="recurrent"):
        torch.nn.utils.rnn.pack_padded_sequence(torch.ones(2, 2), [2, 1])


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_reduces_each_bag_and_is_differentiable(mode):
    F = torch.nn.functional
    weight = torch.randn(10, 3, dtype=torch.float64, requires_grad=True)
    text, offsets = torch.tensor([1, 2, 4, 5, 4, 3, 2, 9]), torch.tensor([0, 4, 4])
    out = F.embedding_bag(text, weight, offsets, mode=mode)
    assert tuple(out.shape) == (3, 3)
    assert out[1].tolist() == [0.0, 0.0, 0.0]  # the empty bag
    rows = weight.detach()[torch.tensor([1, 2, 4, 5])]
    want = {"sum": rows.sum(0), "mean": rows.mean(0), "max": rows.max(0).values}[mode]
    assert torch.allclose(out[0], want)
    assert gradcheck(lambda w: F.embedding_bag(text, w, offsets, mode=mode), (weight,))
    two_d = F.embedding_bag(torch.tensor([[1, 2], [4, 5]]), weight, mode=mode)
    assert torch.allclose(two_d[0], F.embedding_bag(torch.tensor([1, 2]), weight,
                                                    torch.tensor([0]), mode=mode)[0])


def test_embedding_bag_weights_padding_and_errors():
    F = torch.nn.functional
    weight = torch.randn(6, 2, dtype=torch.float64, requires_grad=True)
    text, offsets = torch.tensor([1, 2, 3, 4]), torch.tensor([0, 2])
    psw = torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=torch.float64, requires_grad=True)
    assert gradcheck(lambda w, p: F.embedding_bag(text, w, offsets, mode="sum",
                                                  per_sample_weights=p), (weight, psw))
    padded = F.embedding_bag(torch.tensor([[0, 2], [0, 0]]), weight, mode="mean", padding_idx=0)
    assert torch.allclose(padded[0], weight.detach()[2]) and padded[1].tolist() == [0.0, 0.0]
    last = F.embedding_bag(text, weight, torch.tensor([0, 2, 4]), include_last_offset=True)
    assert tuple(last.shape) == (2, 2)
    with pytest.raises(NotImplementedError, match="per_sample_weights"):
        F.embedding_bag(text, weight, offsets, mode="mean", per_sample_weights=psw)
    with pytest.raises(ValueError, match="offsets"):
        F.embedding_bag(text, weight)
    with pytest.raises(ValueError, match="offsets has to be None"):
        F.embedding_bag(torch.tensor([[1, 2]]), weight, torch.tensor([0]))
    with pytest.raises(ValueError, match="mode"):
        nn.EmbeddingBag(6, 2, mode="median")


def test_the_text_classification_tutorials_embedding_bag_model_learns():
    torch.manual_seed(0)
    rng = np.random.RandomState(1)
    docs = [(int(label), torch.tensor(rng.randint(0, 10, rng.randint(2, 6)) + 10 * label))
            for label in rng.randint(0, 2, 200)]

    def collate_batch(batch):
        labels, texts, offsets = [], [], [0]
        for label, text in batch:
            labels.append(label)
            texts.append(text)
            offsets.append(text.size(0))
        return (torch.tensor(labels, dtype=torch.int64), torch.cat(texts),
                torch.tensor(offsets[:-1]).cumsum(dim=0))

    class TextClassificationModel(nn.Module):
        def __init__(self, vocab_size, embed_dim, num_class):
            super().__init__()
            self.embedding = nn.EmbeddingBag(vocab_size, embed_dim, sparse=False)
            self.fc = nn.Linear(embed_dim, num_class)
            self.embedding.weight.data.uniform_(-0.5, 0.5)

        def forward(self, text, offsets):
            return self.fc(self.embedding(text, offsets))

    model = TextClassificationModel(20, 8, 2)
    assert repr(model.embedding) == "EmbeddingBag(20, 8, mode='mean')"
    opt = torch.optim.SGD(model.parameters(), lr=5)
    loader = torch.utils.data.DataLoader(docs, batch_size=16, shuffle=True,
                                         collate_fn=collate_batch)
    for _ in range(5):
        correct = 0
        for label, text, offsets in loader:
            opt.zero_grad()
            predicted = model(text, offsets)
            torch.nn.CrossEntropyLoss()(predicted, label).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 0.1)
            opt.step()
            correct += (predicted.argmax(1) == label).sum().item()
    assert correct / len(docs) > 0.9


def test_schedulers_take_a_float_period_as_pytorch_does():
    # the text-classification tutorial: StepLR(optimizer, 1.0, gamma=0.1)
    p = nn.Parameter(torch.ones(1))
    opt = torch.optim.SGD([p], lr=1.0)
    sched = torch.optim.lr_scheduler.StepLR(opt, 1.0, gamma=0.5)
    lrs = []
    for _ in range(3):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    assert lrs == [0.5, 0.25, 0.125]
    opt = torch.optim.SGD([p], lr=1.0)
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20 / 2)
    for _ in range(10):
        opt.step()
        cosine.step()
    assert opt.param_groups[0]["lr"] == pytest.approx(0.0, abs=1e-12)
    for bad in (0, -1.0, 0.0, float("inf")):
        with pytest.raises(ValueError):
            torch.optim.lr_scheduler.StepLR(opt, bad)
    with pytest.raises(TypeError):
        torch.optim.lr_scheduler.StepLR(opt, "1")


class _Scaled(nn.Module):  # at the top level, so that torch.save(model) can name it
    def __init__(self):
        super().__init__()
        self.scale = nn.Buffer(torch.tensor([2.0, 3.0]))
        self.noise = nn.Buffer(torch.ones(2), persistent=False)
        self.register_buffer("mask", torch.ones(2), persistent=False)
        self.register_buffer("count", torch.zeros(1))
        self.fc = nn.Linear(2, 1)

    def forward(self, x):
        return self.fc(x * self.scale * self.mask)


def test_nn_buffer_and_non_persistent_buffers_as_pytorch(tmp_path):
    import copy
    model = _Scaled()
    assert [n for n, _ in model.named_buffers()] == ["scale", "noise", "mask", "count"]
    assert type(model.scale) is torch.Tensor and not model.scale.requires_grad
    assert list(model.state_dict()) == ["scale", "count", "fc.weight", "fc.bias"]
    assert tuple(model(torch.ones(4, 2)).shape) == (4, 1)
    result = model.load_state_dict(_Scaled().state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert list(copy.deepcopy(model).state_dict()) == ["scale", "count", "fc.weight", "fc.bias"]
    torch.save(model, tmp_path / "whole.pt")
    again = torch.load(tmp_path / "whole.pt", weights_only=False)
    assert list(again.state_dict()) == ["scale", "count", "fc.weight", "fc.bias"]
    assert again.mask.tolist() == [1.0, 1.0]
    model.register_buffer("mask", torch.zeros(2))  # registered again, persistent
    assert "mask" in model.state_dict()


def test_bfloat16_is_a_name_autocast_takes_but_no_tensor_dtype():
    # dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    assert not torch.cuda.is_bf16_supported()
    model = nn.Linear(3, 1)
    with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
        out = model(torch.ones(2, 3))
    assert out.dtype == torch.float32
    assert repr(torch.bfloat16) == "pynn.bfloat16" and torch.bfloat16 != torch.float32
    assert torch.bfloat16.is_floating_point and torch.complex64.is_complex
    for dtype in (torch.bfloat16, torch.complex64, torch.cfloat):
        with pytest.raises(TypeError, match="no .* tensors"):
            torch.zeros(2, dtype=dtype)
    with pytest.raises(TypeError, match="bfloat16"):
        torch.ones(2).to(torch.bfloat16)


def test_layers_pynn_nn_lacks_do_not_exist_and_isinstance_checks_on_conv_layers_work():
    for name in ("Conv3d", "MultiheadAttention", "Nonsense"):
        with pytest.raises(AttributeError, match=name):
            getattr(nn, name)

    # an MLP script's init function that also covers convolutions
    def init_weights(m):
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_normal_(m.weight)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm1d) or type(m) == nn.LSTM:  # noqa: E721 (as scripts write it)
            nn.init.ones_(m.weight)
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(8, 4), nn.BatchNorm1d(4),
                          nn.ReLU(), nn.Linear(4, 1))
    model.apply(init_weights)
    assert model[0].bias.abs().sum().item() == 0 and model[2].bias.abs().sum().item() == 0


def test_the_old_import_paths_of_variable_and_the_data_helpers():
    from pynn.autograd.variable import Variable
    from pynn.utils.data.sampler import SubsetRandomSampler
    from pynn.utils.data.dataset import TensorDataset
    from pynn.autograd.function import Function
    from pynn.nn.utils.clip_grad import clip_grad_norm_
    from pynn.nn.modules import Conv2d, Linear
    from pynn.optim.adamw import AdamW
    assert AdamW is torch.optim.AdamW
    assert clip_grad_norm_ is nn.utils.clip_grad_norm_ and Conv2d is nn.Conv2d
    x = Variable(torch.ones(2), requires_grad=True)
    (x * 3).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]
    loader = torch.utils.data.DataLoader(TensorDataset(torch.arange(6.0)), batch_size=2,
                                         sampler=SubsetRandomSampler([0, 2, 4]))
    assert sorted(v for (batch,) in loader for v in batch.tolist()) == [0.0, 2.0, 4.0]
    assert issubclass(Function, torch.autograd.Function)


def test_collate_keeps_string_fields_as_tuples_and_batch_size_none_gives_lists():
    from pynn.utils.data import DataLoader, TensorDataset
    batches = list(DataLoader([(torch.ones(2), "cat"), (torch.zeros(2), "dog")], batch_size=2))
    assert batches[0][1] == ("cat", "dog")  # as PyTorch: the zip of the samples' fields
    assert list(DataLoader(["a", "b", "c"], batch_size=2)) == [["a", "b"], ["c"]]
    first = next(iter(DataLoader(TensorDataset(torch.arange(3.0)), batch_size=None)))
    assert isinstance(first, list) and first[0].item() == 0.0


def test_rng_state_round_trips_through_a_checkpoint(tmp_path):
    torch.manual_seed(0)
    torch.rand(2)
    torch.save({"epoch": 3, "rng_state": torch.get_rng_state()}, tmp_path / "ckpt.pt")
    first = torch.rand(4)
    torch.set_rng_state(torch.load(tmp_path / "ckpt.pt")["rng_state"])
    assert torch.equal(torch.rand(4), first)
    g = torch.Generator().manual_seed(1)
    state = g.get_state()
    draw = torch.randn(3, generator=g)
    g.set_state(state)
    assert torch.equal(torch.randn(3, generator=g), draw)
    with pytest.raises(RuntimeError, match="get_rng_state"):
        torch.set_rng_state(torch.zeros(5, dtype=torch.uint8))


def test_swapdims_and_the_in_place_comparison_aliases():
    x = torch.arange(6.0).view(2, 3)
    assert tuple(x.swapdims(0, 1).shape) == (3, 2)
    y = torch.tensor([1.0, 2.0, 3.0])
    assert y.greater_(1.5) is y and y.tolist() == [0.0, 1.0, 1.0]
    z = torch.tensor([1.0, 2.0])
    z.less_equal_(1)
    assert z.tolist() == [1.0, 0.0]
    w = torch.tensor([1.0, 2.0])
    w.not_equal_(2.0)
    assert w.tolist() == [1.0, 0.0]


def test_pca_by_svd_and_eigh_as_the_linear_algebra_demos_do():
    rng = np.random.RandomState(0)
    X = torch.tensor(rng.randn(50, 3) @ np.diag([3.0, 1.0, 0.1]), dtype=torch.float32)
    Xc = X - X.mean(dim=0)
    U, S, Vh = torch.linalg.svd(Xc, full_matrices=False)
    assert tuple(U.shape) == (50, 3) and tuple(Vh.shape) == (3, 3)
    assert torch.allclose(U @ torch.diag(S) @ Vh, Xc, atol=1e-4)
    assert S[0] > S[1] > S[2]
    assert tuple(torch.linalg.svd(Xc).U.shape) == (50, 50)
    u, s, v = torch.svd(Xc)
    assert torch.allclose(u @ torch.diag(s) @ v.T, Xc, atol=1e-4)
    cov = Xc.T @ Xc / (len(Xc) - 1)
    values, vectors = torch.linalg.eigh(cov)
    assert values[0] < values[1] < values[2]
    assert torch.allclose(cov @ vectors, vectors * values, atol=1e-3)
    assert torch.allclose(torch.linalg.eigvalsh(cov), values)
    assert torch.allclose(values.flip(0), S ** 2 / (len(Xc) - 1), rtol=1e-3)
    with pytest.raises(NotImplementedError, match="svdvals"):
        torch.linalg.svd(Xc.clone().requires_grad_())


def test_eigh_and_svdvals_are_differentiable():
    a = torch.randn(4, 4, dtype=torch.float64, requires_grad=True)
    weights = torch.arange(1.0, 17.0, dtype=torch.float64).view(4, 4)

    def through_eigh(m):
        w, v = torch.linalg.eigh(m + m.T)
        return w * torch.arange(1.0, 5.0, dtype=torch.float64) + (v ** 2 * weights).sum(0)
    assert gradcheck(through_eigh, (a,))
    b = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
    assert gradcheck(lambda m: torch.linalg.svdvals(m), (b,))
