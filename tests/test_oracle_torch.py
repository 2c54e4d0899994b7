"""pynn against PyTorch itself: the same calls on the same values give the same values, the
same gradients, the same optimizer steps, schedules, batches, printed text and error types.

Runs only where torch is installed (pip install '.[oracle]'); everything is compared in float64
unless a test is about another dtype.
"""
import math
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import pynn  # noqa: E402
import pynn.functional as F  # noqa: E402
import pynn.nn as nn  # noqa: E402

LIBS = {"pynn": (pynn, nn, F), "torch": (torch, torch.nn, torch.nn.functional)}


def _arrays(shapes, seed, domain):
    rng = np.random.default_rng(seed)
    low, high = domain
    return [rng.uniform(low, high, shape) for shape in shapes]


def _run(lib, fn, arrays, grad=True):
    """fn on tensors of lib made from arrays: (output arrays, gradient arrays)."""
    t = LIBS[lib][0]
    inputs = [t.tensor(a.copy(), dtype=t.float64, requires_grad=grad) for a in arrays]
    out = fn(lib, *inputs)
    outs = out if isinstance(out, (tuple, list)) else (out,)
    grads = []
    if grad:
        floats = [o for o in outs if o.is_floating_point() and o.requires_grad]
        if floats:  # a fixed weighting of every output element, so each gradient entry counts
            sum(((o * t.tensor(np.linspace(0.5, 1.5, o.numel()).reshape(tuple(o.shape)),
                               dtype=o.dtype)).sum() for o in floats)).backward()
        grads = [None if x.grad is None else np.asarray(x.grad.numpy()) for x in inputs]
    return [np.asarray(o.detach().numpy()) for o in outs], grads


def assert_same(fn, shapes, seed=0, domain=(-2, 2), atol=1e-7, grad=True):
    arrays = _arrays(shapes, seed, domain)
    got, got_grads = _run("pynn", fn, arrays, grad)
    want, want_grads = _run("torch", fn, arrays, grad)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g.shape == w.shape
        np.testing.assert_allclose(g, w, atol=atol, rtol=1e-6)
    for g, w in zip(got_grads, want_grads):
        if w is None or not np.any(w):
            assert g is None or np.allclose(g, 0, atol=atol)
        else:
            np.testing.assert_allclose(g, w, atol=atol, rtol=1e-6)


def lib_of(lib):
    return LIBS[lib][0]


# ---- ops: values and gradients ------------------------------------------------------------------

UNARY = {
    "exp": lambda L, x: lib_of(L).exp(x), "log": lambda L, x: x.abs().add(0.1).log(),
    "sqrt": lambda L, x: (x * x + 0.1).sqrt(), "sin": lambda L, x: lib_of(L).sin(x),
    "cos": lambda L, x: x.cos(), "tanh": lambda L, x: lib_of(L).tanh(x),
    "sigmoid": lambda L, x: lib_of(L).sigmoid(x), "relu": lambda L, x: lib_of(L).relu(x),
    "abs": lambda L, x: lib_of(L).abs(x), "neg": lambda L, x: -x,
    "pow2": lambda L, x: x.pow(2), "pow3": lambda L, x: x ** 3, "rpow": lambda L, x: 2 ** x,
    "square": lambda L, x: lib_of(L).square(x), "reciprocal": lambda L, x: (x + 3).reciprocal(),
    "rsqrt": lambda L, x: (x + 3).rsqrt(), "log1p": lambda L, x: (x + 3).log1p(),
    "expm1": lambda L, x: x.expm1(), "log2": lambda L, x: (x + 3).log2(),
    "log10": lambda L, x: (x + 3).log10(), "atan": lambda L, x: x.atan(),
    "asin": lambda L, x: (x / 3).asin(), "sinh": lambda L, x: x.sinh(),
    "clamp": lambda L, x: x.clamp(-0.5, 0.7), "clamp_min": lambda L, x: x.clamp(min=0.1),
    "clamp_max": lambda L, x: lib_of(L).clamp(x, max=0.3), "erf": lambda L, x: lib_of(L).erf(x),
    "logit": lambda L, x: lib_of(L).sigmoid(x).logit(), "sign": lambda L, x: x.sign() * x,
    "round": lambda L, x: x.round() + x, "floor": lambda L, x: x.floor() + x,
    "softmax0": lambda L, x: lib_of(L).softmax(x, dim=0),
    "softmax-1": lambda L, x: x.softmax(-1), "log_softmax": lambda L, x: x.log_softmax(1),
    "sum": lambda L, x: x.sum(), "sum1": lambda L, x: x.sum(1),
    "sum_keep": lambda L, x: x.sum(dim=0, keepdim=True), "mean": lambda L, x: x.mean(),
    "mean1": lambda L, x: lib_of(L).mean(x, 1), "std": lambda L, x: x.std(),
    "std0": lambda L, x: x.std(0), "var_biased": lambda L, x: x.var(1, unbiased=False),
    "var_correction": lambda L, x: x.var(dim=0, correction=0),
    "max": lambda L, x: x.max(), "max1": lambda L, x: lib_of(L).max(x, 1)[0],
    "min0": lambda L, x: x.min(dim=0).values, "amax": lambda L, x: x.amax(1),
    "norm": lambda L, x: x.norm(), "norm1": lambda L, x: x.norm(p=1, dim=1),
    "prod": lambda L, x: x.prod(1), "cumsum": lambda L, x: x.cumsum(1),
    "cumprod": lambda L, x: x.cumprod(0), "logsumexp": lambda L, x: x.logsumexp(1),
    "median": lambda L, x: x.median(), "median1": lambda L, x: x.median(1).values,
    "t": lambda L, x: x.t() * 2, "T": lambda L, x: x.T * 2,
    "view": lambda L, x: x.view(-1) * 2, "reshape": lambda L, x: x.reshape(2, -1),
    "flatten": lambda L, x: lib_of(L).flatten(x), "unsqueeze": lambda L, x: x.unsqueeze(1),
    "squeeze": lambda L, x: x[:1].squeeze(), "permute": lambda L, x: x.permute(1, 0),
    "transpose": lambda L, x: x.transpose(0, 1), "index": lambda L, x: x[1],
    "slice": lambda L, x: x[:, 1:3], "fancy": lambda L, x: x[[0, 2, 2]],
    "mask": lambda L, x: x[x > 0], "masked_fill": lambda L, x: x.masked_fill(x > 0.5, 0.0),
    "where": lambda L, x: lib_of(L).where(x > 0, x, x * 0.1),
    "repeat": lambda L, x: x.repeat(2, 1), "expand": lambda L, x: x[:1].expand(3, 4),
    "flip": lambda L, x: x.flip(0), "roll": lambda L, x: x.roll(1, 1),
    "chunk": lambda L, x: x.chunk(2, 1), "split": lambda L, x: x.split(1, 0),
    "unbind": lambda L, x: x.unbind(1), "narrow": lambda L, x: x.narrow(1, 1, 2),
    "tril": lambda L, x: x.tril(), "triu": lambda L, x: x.triu(1),
    "diag": lambda L, x: x[:, :3].diag(), "diagonal": lambda L, x: x.diagonal(1),
    "trace": lambda L, x: x[:, :3].trace(), "tile": lambda L, x: x.tile((2,)),
    "repeat_interleave": lambda L, x: x.repeat_interleave(2, dim=1),
    "diff": lambda L, x: x.diff(dim=1), "movedim": lambda L, x: x.movedim(0, 1),
    "masked_select": lambda L, x: x.masked_select(x > 0), "take": lambda L, x: x.take(
        lib_of(L).tensor([0, 5, 5])),
    "outer": lambda L, x: lib_of(L).outer(x[0], x[1]), "mv": lambda L, x: x[:, :3].mv(x[0, :3]),
    "gather": lambda L, x: x.gather(1, lib_of(L).tensor([[0, 1], [2, 0], [3, 3]])),
    "index_select": lambda L, x: x.index_select(1, lib_of(L).tensor([3, 0])),
    "scatter": lambda L, x: x.scatter(1, lib_of(L).tensor([[0], [2], [1]]), x[:, :1] * 5),
    "nan_to_num": lambda L, x: lib_of(L).nan_to_num(x), "sort": lambda L, x: x.sort(1)[0],
    "topk": lambda L, x: x.topk(2, dim=1)[0], "clone": lambda L, x: x.clone() * 2,
    "contiguous": lambda L, x: x.t().contiguous(), "float_cast": lambda L, x: x.float().double(),
    "einsum": lambda L, x: lib_of(L).einsum("ij,kj->ik", x, x),
    "einsum_trace_free": lambda L, x: lib_of(L).einsum("ij->i", x),
    "pinv": lambda L, x: lib_of(L).linalg.pinv(x), "linalg_norm": lambda L, x: lib_of(
        L).linalg.norm(x), "inverse": lambda L, x: lib_of(L).inverse(x[:, :3] + 3 * lib_of(
            L).eye(3, dtype=x.dtype)),
    "det": lambda L, x: lib_of(L).det(x[:, :3]),
    "cosine_similarity": lambda L, x: LIBS[L][2].cosine_similarity(x[:1], x[1:]),
    "normalize": lambda L, x: LIBS[L][2].normalize(x, dim=1),
    "pairwise_distance": lambda L, x: LIBS[L][2].pairwise_distance(x[:1], x[1:]),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_ops_match_torch(name):
    assert_same(UNARY[name], [(3, 4)], seed=hash(name) % 1000)


BINARY = {
    "add": lambda L, a, b: a + b, "sub": lambda L, a, b: a - b, "mul": lambda L, a, b: a * b,
    "div": lambda L, a, b: a / (b.abs() + 0.5), "pow": lambda L, a, b: (a.abs() + 0.5) ** b,
    "add_alpha": lambda L, a, b: lib_of(L).add(a, b, alpha=0.3),
    "matmul": lambda L, a, b: a @ b.t(), "mm": lambda L, a, b: lib_of(L).mm(a, b.T),
    "maximum": lambda L, a, b: lib_of(L).maximum(a, b), "minimum": lambda L, a, b: a.minimum(b),
    "max_pair": lambda L, a, b: lib_of(L).max(a, b), "atan2": lambda L, a, b: lib_of(L).atan2(
        a, b), "fmod": lambda L, a, b: lib_of(L).fmod(a, b.abs() + 0.5),
    "remainder": lambda L, a, b: a % (b.abs() + 0.5), "lerp": lambda L, a, b: a.lerp(b, 0.3),
    "addcmul": lambda L, a, b: a.addcmul(a, b, value=0.5),
    "addcdiv": lambda L, a, b: a.addcdiv(a, b.abs() + 1, value=2),
    "hypot": lambda L, a, b: lib_of(L).hypot(a, b), "cat0": lambda L, a, b: lib_of(L).cat(
        [a, b]), "cat1": lambda L, a, b: lib_of(L).cat((a, b), dim=1),
    "stack": lambda L, a, b: lib_of(L).stack([a, b], 1), "hstack": lambda L, a, b: lib_of(
        L).hstack([a, b]), "vstack": lambda L, a, b: lib_of(L).vstack([a, b]),
    "broadcast": lambda L, a, b: a * b[:1], "broadcast_col": lambda L, a, b: a - b[:, :1],
    "dist": lambda L, a, b: lib_of(L).dist(a, b), "cross": lambda L, a, b: lib_of(L).cross(
        a[:, :3], b[:, :3], dim=1),
    "addmm": lambda L, a, b: lib_of(L).addmm(a[:, :3], a, b.t()[:, :3], beta=0.5, alpha=2.0),
    "linear": lambda L, a, b: LIBS[L][2].linear(a, b, b[0, :3]),
    "bilinear": lambda L, a, b: LIBS[L][2].bilinear(a, b, lib_of(L).ones(2, 4, 4,
                                                                            dtype=a.dtype)),
}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_ops_match_torch(name):
    assert_same(BINARY[name], [(3, 4), (3, 4)], seed=hash(name) % 1000)


ACTIVATIONS = ["relu", "sigmoid", "tanh", "leaky_relu", "elu", "selu", "celu", "gelu", "silu",
               "mish", "softplus", "softsign", "hardtanh", "relu6", "hardsigmoid", "hardswish",
               "logsigmoid", "tanhshrink", "hardshrink", "softshrink"]


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activation_functions_match_torch(name):
    assert_same(lambda L, x: getattr(LIBS[L][2], name)(x), [(4, 5)], domain=(-3, 3))


MODULE_ACTIVATIONS = [("ReLU", ()), ("LeakyReLU", (0.2,)), ("ELU", (0.5,)), ("GELU", ()),
                      ("GELU", ("tanh",)), ("SiLU", ()), ("Softplus", (2.0,)), ("Tanh", ()),
                      ("Sigmoid", ()), ("Hardtanh", (-2.0, 2.0)), ("LogSoftmax", (1,)),
                      ("Softmax", (0,)), ("PReLU", ()), ("Softmin", (1,)),
                      ("Threshold", (0.1, 20.0)), ("GLU", ()), ("Mish", ()), ("SELU", ()),
                      ("CELU", (0.7,)), ("ReLU6", ()), ("Identity", ()), ("Flatten", ()),
                      ("Softshrink", (0.3,)), ("Hardshrink", ())]


@pytest.mark.parametrize("name,args", MODULE_ACTIVATIONS)
def test_activation_modules_match_torch_and_print_alike(name, args):
    def fn(L, x):
        module = getattr(LIBS[L][1], name)(*args)
        if name == "PReLU":
            module = module.double()
        return module(x)
    assert_same(fn, [(4, 6)], domain=(-3, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert repr(getattr(nn, name)(*args)) == repr(getattr(torch.nn, name)(*args))


# ---- losses -------------------------------------------------------------------------------------

def _loss_case(name, reduction):
    """(fn(L, input, target-ish), shapes, domain) for a loss with this reduction."""
    def regression(L, x, y):
        return getattr(LIBS[L][1], name)(reduction=reduction)(x, y)
    return regression


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", ["MSELoss", "L1Loss", "HuberLoss", "SmoothL1Loss"])
def test_regression_losses_match_torch(name, reduction):
    assert_same(_loss_case(name, reduction), [(5, 3), (5, 3)], domain=(-2, 2))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_bce_losses_match_torch(reduction):
    def bce(L, x, y):
        t = lib_of(L)
        return LIBS[L][1].BCELoss(reduction=reduction)(t.sigmoid(x), (y > 0).double())

    def bce_logits(L, x, y):
        return LIBS[L][1].BCEWithLogitsLoss(reduction=reduction)(x, y.sigmoid())

    def bce_weighted(L, x, y):
        t = lib_of(L)
        return LIBS[L][1].BCEWithLogitsLoss(
            reduction=reduction, pos_weight=t.tensor([2.0, 0.5, 1.0], dtype=t.float64))(x, y.sigmoid())
    for fn in (bce, bce_logits, bce_weighted):
        assert_same(fn, [(6, 3), (6, 3)], domain=(-3, 3))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("options", [{}, {"label_smoothing": 0.1}, {"ignore_index": 1},
                                     {"weight": [1.0, 2.0, 0.5, 1.5]}])
def test_cross_entropy_and_nll_match_torch(reduction, options):
    targets = [0, 3, 1, 1, 2]

    def ce(L, x):
        t = lib_of(L)
        opts = dict(options)
        if "weight" in opts:
            opts["weight"] = t.tensor(opts["weight"], dtype=t.float64)
        return LIBS[L][1].CrossEntropyLoss(reduction=reduction, **opts)(x, t.tensor(targets))

    def nll(L, x):
        t = lib_of(L)
        opts = {k: v for k, v in options.items() if k != "label_smoothing"}
        if "weight" in opts:
            opts["weight"] = t.tensor(opts["weight"], dtype=t.float64)
        return LIBS[L][1].NLLLoss(reduction=reduction, **opts)(x.log_softmax(1),
                                                               t.tensor(targets))
    assert_same(ce, [(5, 4)], domain=(-3, 3))
    assert_same(nll, [(5, 4)], domain=(-3, 3))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_and_nll_on_other_ranks_match_torch(reduction):
    """Classes along dim 1 of (N, C, d): a target per position, some ignored; and one sample
    of C logits with a 0-d target."""
    targets = [[0, 3, -100, 1, 2], [1, 1, 0, -100, 3], [2, 0, 3, 3, 1]]

    def ce(L, x):
        t = lib_of(L)
        return LIBS[L][2].cross_entropy(x, t.tensor(targets), reduction=reduction)

    def nll(L, x):
        t = lib_of(L)
        return LIBS[L][2].nll_loss(x.log_softmax(1), t.tensor(targets), reduction=reduction,
                                   weight=t.tensor([1.0, 2.0, 0.5, 1.5], dtype=t.float64))

    def one(L, x):
        return LIBS[L][2].cross_entropy(x, lib_of(L).tensor(2), reduction=reduction)
    assert_same(ce, [(3, 4, 5)], domain=(-3, 3))
    assert_same(nll, [(3, 4, 5)], domain=(-3, 3))
    assert_same(one, [(4,)], domain=(-3, 3))


def test_cross_entropy_with_class_probabilities_matches_torch():
    assert_same(lambda L, x, p: LIBS[L][2].cross_entropy(x, p.softmax(1)), [(5, 4), (5, 4)])


def test_kl_div_matches_torch():
    assert_same(lambda L, x, p: LIBS[L][2].kl_div(x.log_softmax(1), p.softmax(1),
                                                  reduction="batchmean"), [(5, 4), (5, 4)])


def test_loss_modules_print_as_torch_and_name_their_grad_fn():
    for name in ["MSELoss", "L1Loss", "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss",
                 "NLLLoss", "HuberLoss", "SmoothL1Loss"]:
        assert repr(getattr(nn, name)()) == repr(getattr(torch.nn, name)())
    x = np.array([[0.2, 0.7], [0.9, 0.4]])
    pairs = [
        (lambda L: LIBS[L][1].MSELoss()(lib_of(L).tensor(x, requires_grad=True),
                                         lib_of(L).tensor(x * 0))),
        (lambda L: LIBS[L][1].BCELoss()(lib_of(L).tensor(x, requires_grad=True),
                                         lib_of(L).tensor(x.round()))),
        (lambda L: LIBS[L][1].BCEWithLogitsLoss()(lib_of(L).tensor(x, requires_grad=True),
                                                   lib_of(L).tensor(x.round()))),
        (lambda L: LIBS[L][1].CrossEntropyLoss()(lib_of(L).tensor(x, requires_grad=True),
                                                  lib_of(L).tensor([0, 1]))),
        (lambda L: LIBS[L][1].L1Loss()(lib_of(L).tensor(x, requires_grad=True),
                                        lib_of(L).tensor(x * 0))),
    ]
    for make in pairs:
        assert repr(make("pynn")).replace("pynn.", "torch.") == repr(make("torch"))


# ---- modules ------------------------------------------------------------------------------------

def _copy_into(ours, theirs):
    """Give a pynn module the weights of a torch module of the same structure."""
    ours.load_state_dict({k: v.detach().numpy().copy() for k, v in theirs.state_dict().items()})


def test_sequential_mlp_forward_backward_matches_torch():
    torch.manual_seed(0)
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.ReLU(), torch.nn.Linear(8, 8),
                                 torch.nn.Tanh(), torch.nn.Linear(8, 2), torch.nn.Sigmoid())
    ours = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 2),
                         nn.Sigmoid())
    _copy_into(ours, theirs)
    x = np.random.default_rng(1).normal(size=(5, 3)).astype(np.float32)
    out_t = theirs(torch.tensor(x))
    out_p = ours(pynn.tensor(x))
    np.testing.assert_allclose(out_p.detach().numpy(), out_t.detach().numpy(), atol=1e-6)
    out_t.sum().backward()
    out_p.sum().backward()
    for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), atol=1e-5, err_msg=name)
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("training", [True, False])
def test_batchnorm_matches_torch_in_both_modes(training):
    torch.manual_seed(0)
    theirs = torch.nn.BatchNorm1d(4).double()
    ours = nn.BatchNorm1d(4).double()
    x = np.random.default_rng(2).normal(2.0, 3.0, (8, 4))
    for _ in range(3):  # running statistics move the same way
        theirs(torch.tensor(x))
        ours(pynn.tensor(x))
    theirs.train(training)
    ours.train(training)
    xt, xp = torch.tensor(x, requires_grad=True), pynn.tensor(x, requires_grad=True)
    out_t, out_p = theirs(xt), ours(xp)
    np.testing.assert_allclose(out_p.detach().numpy(), out_t.detach().numpy(), atol=1e-10)
    (out_t * torch.tensor(x)).sum().backward()
    (out_p * pynn.tensor(x)).sum().backward()
    np.testing.assert_allclose(xp.grad.numpy(), xt.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), atol=1e-10)
    for name, value in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[name].numpy(), value.numpy(), atol=1e-12,
                                   err_msg=name)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)


def test_layernorm_and_embedding_match_torch():
    torch.manual_seed(0)
    for ours, theirs, x in [
            (nn.LayerNorm(5).double(), torch.nn.LayerNorm(5).double(),
             np.random.default_rng(3).normal(size=(3, 5))),
            (nn.LayerNorm((2, 5)).double(), torch.nn.LayerNorm((2, 5)).double(),
             np.random.default_rng(4).normal(size=(3, 2, 5)))]:
        with torch.no_grad():
            theirs.weight.uniform_(0.5, 1.5)
            theirs.bias.uniform_(-1, 1)
        _copy_into(ours, theirs)
        xt, xp = torch.tensor(x, requires_grad=True), pynn.tensor(x, requires_grad=True)
        (theirs(xt) ** 2).sum().backward()
        (ours(xp) ** 2).sum().backward()
        np.testing.assert_allclose(xp.grad.numpy(), xt.grad.numpy(), atol=1e-10)
        np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(),
                                   atol=1e-10)
        assert repr(ours) == repr(theirs)
    theirs, ours = torch.nn.Embedding(6, 3, padding_idx=0), nn.Embedding(6, 3, padding_idx=0)
    _copy_into(ours, theirs)
    index = [[0, 2, 2], [5, 1, 0]]
    (theirs(torch.tensor(index)) ** 2).sum().backward()
    (ours(pynn.tensor(index)) ** 2).sum().backward()
    np.testing.assert_allclose(ours.weight.grad.numpy(), theirs.weight.grad.numpy(), atol=1e-6)
    assert repr(ours) == repr(theirs)


def test_custom_module_prints_and_names_its_state_as_torch():
    def build(lib_nn, t):
        class Net(lib_nn.Module):
            def __init__(self):
                super().__init__()
                self.hidden = lib_nn.Linear(4, 6)
                self.blocks = lib_nn.ModuleList([lib_nn.Linear(6, 6) for _ in range(3)]
                                                + [lib_nn.Linear(6, 2)])
                self.norm = lib_nn.BatchNorm1d(6)
                self.drop = lib_nn.Dropout(0.25)
                self.act = lib_nn.LeakyReLU(0.1)
                self.head = lib_nn.Sequential(lib_nn.Linear(2, 1), lib_nn.Sigmoid())
                self.scale = lib_nn.Parameter(t.ones(1))

            def forward(self, x):
                return x
        return Net()
    ours, theirs = build(nn, pynn), build(torch.nn, torch)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [type(m).__name__ for m in ours.children()] == \
        [type(m).__name__ for m in theirs.children()]
    assert repr(ours.load_state_dict(ours.state_dict())) == \
        repr(theirs.load_state_dict(theirs.state_dict()))


def test_linear_initialisation_follows_torch_bounds():
    layer = nn.Linear(50, 30)
    bound = 1 / math.sqrt(50)
    assert np.abs(layer.weight.detach().numpy()).max() <= bound
    assert np.abs(layer.weight.detach().numpy()).max() > 0.9 * bound
    assert layer.weight.shape == torch.nn.Linear(50, 30).weight.shape


# ---- optimizers, step for step ------------------------------------------------------------------

OPTIMIZERS = [
    ("SGD", {"lr": 0.1}), ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.05, "momentum": 0.5, "dampening": 0.3}),
    ("SGD", {"lr": 0.1, "maximize": True}),
    ("Adam", {"lr": 0.01}), ("Adam", {"lr": 0.01, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.01, "amsgrad": True}), ("Adam", {"lr": 0.01, "betas": (0.8, 0.9)}),
    ("AdamW", {"lr": 0.01}), ("AdamW", {"lr": 0.01, "weight_decay": 0.3, "amsgrad": True}),
    ("RMSprop", {"lr": 0.01}), ("RMSprop", {"lr": 0.01, "momentum": 0.9, "centered": True}),
    ("Adagrad", {"lr": 0.1}), ("Adagrad", {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.1}),
    ("Adadelta", {}), ("Adadelta", {"lr": 0.5, "rho": 0.8, "weight_decay": 0.01}),
    ("Adamax", {}), ("Adamax", {"lr": 0.01, "weight_decay": 0.1}),
    ("NAdam", {}), ("NAdam", {"lr": 0.01, "weight_decay": 0.1}),
    ("NAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}),
    ("RAdam", {}), ("RAdam", {"lr": 0.01, "weight_decay": 0.1}),
    ("RAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}),
    ("Rprop", {}), ("Rprop", {"lr": 0.05, "etas": (0.3, 1.5), "step_sizes": (1e-4, 1.0)}),
    ("ASGD", {}), ("ASGD", {"lr": 0.1, "lambd": 0.01, "t0": 2, "weight_decay": 0.1}),
]


@pytest.mark.parametrize("name,options", OPTIMIZERS)
def test_optimizer_steps_match_torch(name, options):
    rng = np.random.default_rng(5)
    w0, b0 = rng.normal(size=(3, 2)), rng.normal(size=2)
    x, y = rng.normal(size=(8, 3)), rng.normal(size=(8, 2))
    trajectories = {}
    for lib in LIBS:
        t = lib_of(lib)
        w = t.tensor(w0.copy(), requires_grad=True)
        b = t.tensor(b0.copy(), requires_grad=True)
        opt = getattr(t.optim, name)([{"params": [w]}, {"params": [b]}], **options)
        seen = []
        for _ in range(12):
            opt.zero_grad()
            loss = ((t.tensor(x) @ w + b - t.tensor(y)) ** 2).mean() + (w ** 4).sum() * 0.01
            loss.backward()
            opt.step()
            seen.append(np.concatenate([w.detach().numpy().ravel(), b.detach().numpy()]))
        trajectories[lib] = np.array(seen)
    # NAdam's two momentum terms are summed in another order than PyTorch's: 1e-9 apart
    rtol = 1e-8 if name == "NAdam" else 1e-9
    np.testing.assert_allclose(trajectories["pynn"], trajectories["torch"], rtol=rtol,
                               atol=1e-12)


def test_optimizer_state_dict_layout_matches_torch():
    for lib in LIBS:
        t = lib_of(lib)
        w = t.zeros(2, requires_grad=True)
        opt = t.optim.Adam([w], lr=0.1)
        w.sum().backward()
        opt.step()
        state = opt.state_dict()
        assert list(state) == ["state", "param_groups"]
        assert sorted(state["state"][0]) == ["exp_avg", "exp_avg_sq", "step"]
        assert state["param_groups"][0]["params"] == [0]
        assert state["param_groups"][0]["lr"] == 0.1


# ---- schedulers ---------------------------------------------------------------------------------

SCHEDULERS = [
    ("StepLR", {"step_size": 3, "gamma": 0.5}), ("MultiStepLR", {"milestones": [2, 5]}),
    ("ExponentialLR", {"gamma": 0.9}), ("CosineAnnealingLR", {"T_max": 5, "eta_min": 0.001}),
    ("LinearLR", {"start_factor": 0.25, "total_iters": 4}),
    ("ConstantLR", {"factor": 0.5, "total_iters": 3}),
    ("PolynomialLR", {"total_iters": 6, "power": 2.0}),
    ("CosineAnnealingWarmRestarts", {"T_0": 3, "T_mult": 2, "eta_min": 0.01}),
    ("CyclicLR", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 3}),
    ("CyclicLR", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 2, "mode": "triangular2"}),
    ("CyclicLR", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 2, "mode": "exp_range",
                  "gamma": 0.9}),
    ("OneCycleLR", {"max_lr": 0.1, "total_steps": 14}),
    ("OneCycleLR", {"max_lr": 0.1, "epochs": 2, "steps_per_epoch": 7,
                    "anneal_strategy": "linear"}),
    ("OneCycleLR", {"max_lr": 0.1, "total_steps": 14, "three_phase": True}),
    ("OneCycleLR", {"max_lr": 0.1, "total_steps": 14, "three_phase": True, "pct_start": 0.25,
                    "anneal_strategy": "linear", "div_factor": 10.0}),
]


@pytest.mark.parametrize("name,options", SCHEDULERS)
def test_schedulers_match_torch(name, options):
    seen = {}
    for lib in LIBS:
        t = lib_of(lib)
        w = t.zeros(2, requires_grad=True)
        opt = t.optim.SGD([w], lr=0.1, momentum=0.9)
        scheduler = getattr(t.optim.lr_scheduler, name)(opt, **options)
        rates = [scheduler.get_last_lr()[0]]
        momenta = [opt.param_groups[0]["momentum"]]
        for _ in range(13):
            opt.step()
            scheduler.step()
            rates.append(scheduler.get_last_lr()[0])
            momenta.append(opt.param_groups[0]["momentum"])
        seen[lib] = (rates, momenta)
    np.testing.assert_allclose(seen["pynn"][0], seen["torch"][0], rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(seen["pynn"][1], seen["torch"][1], rtol=1e-9)


def test_lambda_sequential_and_plateau_schedulers_match_torch():
    seen = {}
    for lib in LIBS:
        t = lib_of(lib)
        sched = t.optim.lr_scheduler
        w = t.zeros(1, requires_grad=True)
        opt = t.optim.SGD([w], lr=0.1)
        chain = sched.SequentialLR(opt, [sched.LinearLR(opt, 0.1, total_iters=3),
                                         sched.ExponentialLR(opt, 0.5)], milestones=[3])
        rates = []
        for _ in range(7):
            opt.step()
            chain.step()
            rates.append(opt.param_groups[0]["lr"])
        opt2 = t.optim.SGD([w], lr=0.1)
        lam = sched.LambdaLR(opt2, lambda e: 1 / (e + 1))
        for _ in range(4):
            opt2.step()
            lam.step()
            rates.append(opt2.param_groups[0]["lr"])
        opt3 = t.optim.Adam([w], lr=0.1)
        plateau = sched.ReduceLROnPlateau(opt3, patience=1, factor=0.5, cooldown=1)
        for metric in [1, 0.9, 0.95, 0.96, 0.97, 0.5, 0.6, 0.7, 0.8, 0.9]:
            plateau.step(metric)
            rates.append(opt3.param_groups[0]["lr"])
        seen[lib] = rates
    np.testing.assert_allclose(seen["pynn"], seen["torch"], rtol=1e-12)


# ---- data ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("batch_size,drop_last", [(1, False), (3, False), (3, True), (10, False),
                                                  (16, True)])
def test_dataloader_batches_as_torch(batch_size, drop_last):
    x = np.arange(20, dtype=np.float32).reshape(10, 2)
    y = np.arange(10)
    shapes = {}
    for lib in LIBS:
        t = lib_of(lib)
        data = t.utils.data
        loader = data.DataLoader(data.TensorDataset(t.tensor(x), t.tensor(y)),
                                 batch_size=batch_size, drop_last=drop_last)
        batches = list(loader)
        shapes[lib] = (len(loader), [tuple(b[0].shape) for b in batches],
                       [b[1].tolist() for b in batches], type(batches[0]).__name__ if batches
                       else None)
    assert shapes["pynn"] == shapes["torch"]


def test_custom_dataset_collates_as_torch():
    class Points:
        def __init__(self, data, t):
            self.t = t

        def __len__(self):
            return 5

        def __getitem__(self, i):
            return (np.array([i, i + 0.5], dtype=np.float32), i, float(i) / 2,
                    {"weight": np.float64(i)})
    seen = {}
    for lib in LIBS:
        t = lib_of(lib)
        loader = t.utils.data.DataLoader(Points(None, t), batch_size=2)
        batch = next(iter(loader))
        seen[lib] = (len(loader), [str(b.dtype).split(".")[-1] for b in batch[:3]],
                     str(batch[3]["weight"].dtype).split(".")[-1], batch[0].tolist(),
                     type(batch).__name__)
    assert seen["pynn"] == seen["torch"]


def test_random_split_lengths_and_samplers_match_torch():
    for lib in LIBS:
        t = lib_of(lib)
        data = t.utils.data
        ds = data.TensorDataset(t.arange(10).float())
        parts = data.random_split(ds, [0.7, 0.3], generator=t.Generator().manual_seed(0))
        assert [len(p) for p in parts] == [7, 3]
        assert sorted(int(ds[i][0]) for p in parts for i in p.indices) == list(range(10))
        loader = data.DataLoader(ds, batch_size=4, sampler=data.SubsetRandomSampler([1, 3, 5]))
        assert sorted(v for b in loader for v in b[0].tolist()) == [1.0, 3.0, 5.0]
        assert len(data.DataLoader(ds, batch_size=3, shuffle=True)) == 4
        weighted = data.WeightedRandomSampler([0.0, 1.0, 0.0], 5)
        assert list(weighted) == [1] * 5 and len(weighted) == 5
        assert list(data.BatchSampler(range(7), 3, drop_last=False)) == \
            [[0, 1, 2], [3, 4, 5], [6]]


# ---- printing -----------------------------------------------------------------------------------

PRINTED = [
    "t.tensor([1.0, 2.0, 3.0])", "t.tensor([1.5, 2.25, 3.0])",
    "t.tensor([[0.1234567, 100.5], [3.0, -4.0]])", "t.tensor([1e-5, 1.0])",
    "t.tensor([1e10, 1.0])", "t.tensor([0.0001, 1.0, 123.0])", "t.tensor([1, 2, 3])",
    "t.tensor([True, False])", "t.tensor([True])", "t.tensor(3.5)", "t.tensor(3)",
    "t.zeros(2, 3)", "t.tensor([1.0, 2.0], requires_grad=True)",
    "t.arange(2000.0)", "t.arange(3000)", "t.tensor([float('nan'), 1.0, float('inf')])",
    "t.tensor([-0.5, 0.25])", "t.empty(0)", "t.empty(0, 3)", "t.tensor([123456.0, 1.0])",
    "t.tensor([12345678.0, 1.0])", "t.ones(2, 2, 2)", "t.linspace(0, 1, 7)",
    "t.arange(40.0).reshape(2, 20) / 7", "t.arange(30).reshape(3, 10) * 1000",
    "t.ones(40, 40)", "t.tensor([[1e-8, 1.0], [2.0, 3.0]])", "t.tensor([-1.0, -2.0])",
    "t.tensor([0.1, -0.0])", "t.tensor([[-1, 20], [300, 4]])",
    "t.tensor([1.0, 2.0], dtype=t.float64)", "t.tensor([1, 2], dtype=t.int32)",
    "t.tensor([0.5], dtype=t.float16)", "t.tensor(2.0, requires_grad=True) * 3",
]


@pytest.mark.parametrize("expression", PRINTED)
def test_tensors_print_as_torch(expression):
    ours = repr(eval(expression, {"t": pynn}))
    theirs = repr(eval(expression, {"t": torch}))
    assert ours.replace("pynn.", "torch.") == theirs


def test_set_printoptions_as_torch():
    try:
        for options in [{"precision": 2}, {"threshold": 5}, {"sci_mode": True},
                        {"profile": "short"}, {"edgeitems": 1, "threshold": 3},
                        {"linewidth": 30}]:
            pynn.set_printoptions(**options)
            torch.set_printoptions(**options)
            for expression in ["t.arange(10.0) / 3", "t.arange(12)", "t.tensor([1.123456])"]:
                assert repr(eval(expression, {"t": pynn})) == \
                    repr(eval(expression, {"t": torch}))
            pynn.set_printoptions(profile="default")
            torch.set_printoptions(profile="default")
    finally:
        pynn.set_printoptions(profile="default")
        torch.set_printoptions(profile="default")


def test_format_and_item_as_torch():
    for lib in LIBS:
        t = lib_of(lib)
        loss = t.tensor(0.693147, requires_grad=True) * 1
        assert f"{loss:.4f}" == "0.6931"
        assert f"{t.tensor(3):d}" == "3"
        assert t.tensor([2.5]).item() == 2.5 and isinstance(t.tensor([2]).item(), int)


# ---- dtypes and promotion -----------------------------------------------------------------------

DTYPE_CASES = [
    "t.tensor([1, 2]) + 1.5", "t.tensor([1, 2]) / 2", "t.tensor([1, 2]) // 2",
    "t.tensor([1.0]) + t.tensor([1], dtype=t.float64)", "t.tensor([True]) + 1",
    "t.tensor([1, 2]).float() * 2", "t.tensor([1, 2], dtype=t.int32) + t.tensor(5)",
    "t.tensor([1.0], dtype=t.float64) + t.tensor(2.0)", "t.tensor([1, 2]).sum()",
    "t.tensor([True, False]).sum()", "t.arange(5)", "t.arange(0, 1, 0.25)",
    "t.tensor([1, 2]) > 1", "t.zeros(2, dtype=t.long)", "t.full((2,), 7)",
    "t.full((2,), 7.0)", "t.tensor(np.array([1.0, 2.0]))",
    "t.from_numpy(np.array([1, 2], dtype=np.int32))", "t.tensor([1, 2]).mean(dtype=t.float64)",
    "t.randint(0, 5, (3,))", "t.tensor([3, 1]).argmax()", "t.eye(2)", "t.linspace(0, 1, 3)",
    "t.tensor([1.5]).long()", "t.ones(2).bool()", "t.tensor([[1, 2]]).T",
    "t.tensor([1.0, 2.0]).type(t.LongTensor)",
]


@pytest.mark.parametrize("expression", DTYPE_CASES)
def test_dtypes_follow_torch(expression):
    ours = eval(expression, {"t": pynn, "np": np})
    theirs = eval(expression, {"t": torch, "np": np})
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    assert tuple(ours.shape) == tuple(theirs.shape)
    if "rand" not in expression:
        np.testing.assert_allclose(ours.numpy(), theirs.numpy())


def test_type_names_as_torch():
    for expression in ["t.tensor([1.0]).type()", "t.tensor([1]).type()",
                       "t.tensor([True]).type()", "t.tensor([1.0]).double().type()"]:
        assert eval(expression, {"t": pynn}) == eval(expression, {"t": torch})


# ---- errors: the same exception types -----------------------------------------------------------

ERRORS = [
    "t.ones(2, 3) @ t.ones(2, 3)", "t.ones(3).view(2, 2)", "t.ones(2).item()",
    "t.ones(2, requires_grad=True).numpy()", "t.tensor([1, 2]).requires_grad_()",
    "t.cat([t.ones(2, 3), t.ones(2, 2)])", "t.ones(2)[5]", "t.ones(2, 2).sum(dim=3)",
    "bool(t.ones(2))", "t.ones(2, requires_grad=True).sum().backward() or "
    "t.ones(2, requires_grad=True).add_(1)", "t.nn.Linear(2, 3)(t.ones(4, 5))",
    "t.nn.CrossEntropyLoss()(t.ones(2, 3), t.ones(2, 3).long())",
    "t.nn.CrossEntropyLoss()(t.ones(2, 3), t.tensor([0, 5]))",
    "t.nn.BCELoss()(t.full((2,), 2.0), t.ones(2))", "t.optim.SGD([], lr=0.1)",
    "t.optim.Adam([t.ones(1, requires_grad=True)], lr=-1)", "t.stack([t.ones(2), t.ones(3)])",
    "t.tensor([1, 2]).mean()", "t.device('gpu')", "t.zeros(2).unsqueeze(5)", "t.ones(2).backward()",
    "t.nn.functional.softmax(t.ones(2, 2), dim=2)", "t.ones(2, 3).permute(0, 0)",
    "t.ones(4).reshape(3, -1)", "t.ones(2, 3).expand(3, 3)", "t.nn.Dropout(1.5)",
]


@pytest.mark.parametrize("expression", ERRORS)
def test_errors_are_torch_types(expression):
    def caught(t):
        try:
            eval(expression, {"t": t})
        except Exception as exc:  # noqa: BLE001 (the type is what is compared)
            return exc
        return None
    ours, theirs = caught(pynn), caught(torch)
    assert theirs is not None and ours is not None, expression
    assert isinstance(ours, type(theirs)) or isinstance(ours, (RuntimeError, ValueError)) \
        and isinstance(theirs, (RuntimeError, ValueError)) and type(theirs) in (
            RuntimeError, ValueError) and issubclass(type(ours), type(theirs)), \
        f"{expression}: pynn raised {type(ours).__name__}, torch {type(theirs).__name__}"


def test_cuda_can_be_named_but_not_used_as_on_a_machine_without_a_gpu():
    for t in (pynn, torch):
        where = t.device("cuda" if t.cuda.is_available() else "cpu")
        assert str(where) == "cpu" and t.ones(2).to(where).device == where
        assert str(t.device("cuda:0")) == "cuda:0"
        with pytest.raises((RuntimeError, AssertionError)):
            t.ones(2).to("cuda")
        with pytest.raises((RuntimeError, AssertionError)):
            t.nn.Linear(2, 2).to(t.device("cuda"))
    with pytest.raises(RuntimeError, match="CPU only"):
        pynn.zeros(2, device="cuda")


# ---- autograd -----------------------------------------------------------------------------------

def test_custom_function_and_autograd_grad_match_torch():
    def run(t):
        class Cube(t.autograd.Function):
            @staticmethod
            def forward(ctx, x, k):
                ctx.save_for_backward(x)
                ctx.k = k
                return x ** 3 * k

            @staticmethod
            def backward(ctx, grad_output):
                x, = ctx.saved_tensors
                return grad_output * 3 * x ** 2 * ctx.k, None
        x = t.tensor([0.5, -1.0, 2.0], dtype=t.float64, requires_grad=True)
        y = Cube.apply(x, 2.0)
        (g,) = t.autograd.grad(y.sum(), x, retain_graph=True)
        y.sum().backward()
        jac = t.autograd.functional.jacobian(lambda v: v.sin() * v, x.detach())
        return y.detach().numpy(), g.numpy(), x.grad.numpy(), jac.numpy()
    for ours, theirs in zip(run(pynn), run(torch)):
        np.testing.assert_allclose(ours, theirs)


def test_inplace_version_errors_match_torch():
    for t in (pynn, torch):
        x = t.ones(3, requires_grad=True)
        y = x.sigmoid()
        y.mul_(2)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            y.sum().backward()
        w = t.ones(2, requires_grad=True)
        with pytest.raises(RuntimeError, match="leaf Variable"):
            w -= 1
        with t.no_grad():
            w -= 1
        assert w.tolist() == [0.0, 0.0]


def test_hand_written_training_matches_torch_exactly():
    """The same loop of tensor ops, step for step: the weights agree to float64 precision."""
    finals = {}
    for lib in LIBS:
        t = lib_of(lib)
        rng = np.random.default_rng(0)
        x = t.tensor(rng.normal(size=(16, 2)))
        y = (x[:, :1] * x[:, 1:] > 0).double()
        w1 = t.tensor(rng.normal(size=(2, 8)), requires_grad=True)
        b1 = t.zeros(8, dtype=t.float64, requires_grad=True)
        w2 = t.tensor(rng.normal(size=(8, 1)), requires_grad=True)
        for _ in range(30):
            h = (x @ w1 + b1).tanh()
            p = (h @ w2).sigmoid()
            loss = -(y * p.log() + (1 - y) * (1 - p).log()).mean()
            loss.backward()
            with t.no_grad():
                for param in (w1, b1, w2):
                    param -= 0.5 * param.grad
                    param.grad.zero_()
        finals[lib] = [param.detach().numpy().copy() for param in (w1, b1, w2)]
    for ours, theirs in zip(finals["pynn"], finals["torch"]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10)


def test_tensor_hooks_match_torch():
    def run(t):
        seen = []
        x = t.tensor([1.0, -2.0, 3.0], dtype=t.float64, requires_grad=True)
        handle = x.register_hook(lambda g: seen.append(g.clone()))
        y = x * x
        y.register_hook(lambda g: g * 2)
        z = (y.exp() * 0.1).sum()
        z.backward(retain_graph=True)
        handle.remove()
        x.register_hook(lambda g: g.clamp(max=1.0))
        z.backward()
        (g_only,) = t.autograd.grad((x * 4).sum(), x)
        return [s.numpy() for s in seen] + [x.grad.numpy(), g_only.numpy()]
    for ours, theirs in zip(run(pynn), run(torch)):
        np.testing.assert_allclose(ours, theirs)


def test_a_user_written_optimizer_runs_as_on_torch():
    def run(t):
        class MomentumSGD(t.optim.Optimizer):
            def __init__(self, params, lr=0.01, momentum=0.9):
                super().__init__(params, dict(lr=lr, momentum=momentum))

            @t.no_grad()
            def step(self, closure=None):
                for group in self.param_groups:
                    for p in group["params"]:
                        if p.grad is None:
                            continue
                        state = self.state[p]
                        if len(state) == 0:
                            state["step"] = 0
                            state["buf"] = t.zeros_like(p)
                        state["step"] += 1
                        state["buf"].mul_(group["momentum"]).add_(p.grad)
                        p.add_(state["buf"], alpha=-group["lr"])
        from importlib import import_module
        Parameter = import_module(f"{t.__name__}.nn.parameter").Parameter
        w = Parameter(t.tensor([3.0, -2.0], dtype=t.float64))
        opt = MomentumSGD([w], lr=0.1)
        for _ in range(20):
            opt.zero_grad()
            (w ** 2).sum().backward()
            opt.step()
        saved = opt.state_dict()
        fresh = MomentumSGD([w], lr=0.5)
        fresh.load_state_dict(saved)
        return w.detach().numpy(), saved["state"][0]["step"], fresh.state[w]["step"], \
            fresh.param_groups[0]["lr"]
    ours, theirs = run(pynn), run(torch)
    np.testing.assert_allclose(ours[0], theirs[0])
    assert ours[1:] == theirs[1:]


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta",
                                  "Adamax", "NAdam", "RAdam", "Rprop"])
def test_optimizer_groups_and_repr_as_torch(name):
    seen = {}
    for lib in LIBS:
        t = lib_of(lib)
        w = [t.zeros(2, requires_grad=True)]
        b = [t.zeros(1, requires_grad=True)]
        opt = getattr(t.optim, name)([{"params": w}, {"params": b, "lr": 0.5}], lr=0.1)
        seen[lib] = ([{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups],
                     repr(opt), opt.state_dict()["param_groups"][1]["params"])
    assert seen["pynn"] == seen["torch"]


def test_legacy_types_and_tensor_layout_queries_as_torch():
    for t in (pynn, torch):
        x = t.FloatTensor([1, 2])
        assert isinstance(x, t.FloatTensor) and not isinstance(x, t.LongTensor)
        assert isinstance(t.LongTensor([1]), t.LongTensor) and x.type(t.LongTensor).tolist() == [1, 2]
        y = t.arange(12.0).reshape(3, 4)
        assert (y.stride(), y.t().stride(), y[1:].storage_offset(), y.get_device(),
                y.ndimension()) == ((4, 1), (1, 4), 4, -1, 2)
        assert t.tensor([1.0, 2.0]).apply_(lambda v: v * 10).tolist() == [10.0, 20.0]


DISTRIBUTIONS = [
    ("Normal", lambda t: (t.tensor([0.5, -1.0], dtype=t.float64, requires_grad=True),
                          t.tensor([1.5, 0.3], dtype=t.float64, requires_grad=True)),
     [0.2, -0.7]),
    ("Uniform", lambda t: (t.tensor([0.0, -1.0], dtype=t.float64, requires_grad=True),
                           t.tensor([2.0, 1.0], dtype=t.float64, requires_grad=True)),
     [0.5, 0.25]),
    ("Bernoulli", lambda t: (t.tensor([0.2, 0.9], dtype=t.float64, requires_grad=True),),
     [1.0, 0.0]),
    ("Categorical", lambda t: (t.tensor([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]], dtype=t.float64,
                                        requires_grad=True),), [2, 0]),
]


@pytest.mark.parametrize("name,params,value", DISTRIBUTIONS)
def test_distributions_score_as_torch(name, params, value):
    seen = {}
    for lib in LIBS:
        t = lib_of(lib)
        args = params(t)
        dist = getattr(t.distributions, name)(*args)
        v = t.tensor(value, dtype=t.float64 if name != "Categorical" else t.int64)
        score = dist.log_prob(v).sum() + dist.entropy().sum()
        score.backward()
        sample = dist.sample((5,))
        seen[lib] = ([score.item()] + [a.grad.numpy().tolist() for a in args],
                     tuple(sample.shape), str(sample.dtype).split(".")[-1],
                     dist.mean.detach().numpy().tolist() if name != "Categorical" else None)
    np.testing.assert_allclose(seen["pynn"][0][0], seen["torch"][0][0])
    for ours, theirs in zip(seen["pynn"][0][1:], seen["torch"][0][1:]):
        np.testing.assert_allclose(ours, theirs, atol=1e-12)
    assert seen["pynn"][1:] == seen["torch"][1:]


def test_normal_rsample_is_differentiable_and_seeded():
    pynn.manual_seed(3)
    loc = pynn.tensor(2.0, requires_grad=True)
    draws = pynn.distributions.Normal(loc, 0.5).rsample((4000,))
    draws.mean().backward()
    assert loc.grad.item() == pytest.approx(1.0) and draws.mean().item() == pytest.approx(2, abs=0.05)
    pynn.manual_seed(3)
    again = pynn.distributions.Normal(loc, 0.5).sample((4000,))
    assert pynn.equal(again, draws.detach()) and not again.requires_grad


def test_grad_mode_switches_as_torch():
    def run(t):
        @t.no_grad
        def bare(x):
            return x * 2

        @t.inference_mode()
        def inferred(x):
            return x * 2

        @t.enable_grad()
        def enabled(x):
            return x * 2
        x = t.ones(2, requires_grad=True)
        seen = [bare(x).requires_grad, inferred(x).requires_grad]
        with t.no_grad():
            seen.append(enabled(x).requires_grad)
        with t.set_grad_enabled(False):
            seen += [(x * 2).requires_grad, t.is_grad_enabled()]
        t.set_grad_enabled(False)
        seen.append((x * 2).requires_grad)
        t.set_grad_enabled(True)
        with t.inference_mode(mode=False):
            seen.append((x * 2).requires_grad)
        with t.autograd.set_grad_enabled(False):
            seen.append((x * 2).requires_grad)
        return seen + [t.is_grad_enabled()]
    assert run(pynn) == run(torch)


def test_accelerator_default_device_and_device_context_as_on_a_cpu_machine():
    def run(t):
        device = t.accelerator.current_accelerator().type if t.accelerator.is_available() \
            else "cpu"
        t.set_default_device(device)
        try:
            with t.device("cpu"):
                x = t.linspace(0, 1, 3)
            seen = [device, str(t.get_default_device()), str(x.device), x.is_cpu, x.is_cuda,
                    t.accelerator.device_count(), t.mps.is_available(),
                    t.backends.mps.is_available()]
        finally:
            t.set_default_device(None)
        return seen
    assert run(pynn) == run(torch)


def test_tensor_membership_and_sizes_as_torch():
    def run(t):
        x = t.tensor([[1.0, 2.0], [3.0, 4.0]])
        y = x * 2
        y.requires_grad_(False)
        w = t.ones(2, requires_grad=True)
        z = w * 2
        z.retain_grad()
        return [3.0 in x, 5 in x, t.tensor([1.0, 2.0]) in x, t.tensor(9.0) in x, x.nbytes,
                x.itemsize, t.arange(3).nbytes, z.retains_grad, w.retains_grad]
    assert run(pynn) == run(torch)
    for t in (pynn, torch):
        with pytest.raises(RuntimeError, match="only supports Tensor or scalar"):
            "a" in t.ones(2)


# ---- ops made of the core ones (pynn/ops/composite.py) -------------------------------------------

COMPOSITE = {
    "cdist": lambda L, x: lib_of(L).cdist(x, x[:2] + 0.5),
    "cdist_self": lambda L, x: lib_of(L).cdist(x[:2], x[1:3] * 1.5),
    "cdist_p1": lambda L, x: lib_of(L).cdist(x, x[:2] + 0.5, p=1),
    "cdist_p3": lambda L, x: lib_of(L).cdist(x, x[:2] + 0.5, p=3),
    "tensor_split": lambda L, x: lib_of(L).tensor_split(x, 3, dim=1),
    "tensor_split_idx": lambda L, x: x.tensor_split([1, 3], dim=1),
    "hsplit": lambda L, x: lib_of(L).hsplit(x, 2), "vsplit": lambda L, x: x.vsplit([1]),
    "dsplit": lambda L, x: lib_of(L).dsplit(x.reshape(3, 2, 2), 2),
    "atleast_3d": lambda L, x: lib_of(L).atleast_3d(x) * 2,
    "dstack": lambda L, x: lib_of(L).dstack([x, x[0] * 2 + x]),
    "rot90": lambda L, x: lib_of(L).rot90(x), "rot90_3": lambda L, x: x.rot90(3, [1, 0]),
    "rot90_2": lambda L, x: x.rot90(2),
    "kron": lambda L, x: lib_of(L).kron(x[:2, :2], x[1:, 2:]),
    "kron_1d": lambda L, x: lib_of(L).kron(x[0], x[1, :2]),
    "cartesian_prod": lambda L, x: lib_of(L).cartesian_prod(x[0], x[1, :2]),
    "combinations": lambda L, x: lib_of(L).combinations(x[0], 2),
    "combinations_rep": lambda L, x: lib_of(L).combinations(x[0, :3], 3,
                                                            with_replacement=True),
    "take_along_dim": lambda L, x: lib_of(L).take_along_dim(x, x.argsort(1), dim=1),
    "take_along_flat": lambda L, x: lib_of(L).take_along_dim(x, x.reshape(-1).argsort()),
    "cummax": lambda L, x: lib_of(L).cummax(x, 1)[0], "cummin": lambda L, x: x.cummin(0)[0],
    "logcumsumexp": lambda L, x: lib_of(L).logcumsumexp(x * 30, 1),
    "quantile": lambda L, x: lib_of(L).quantile(x, 0.3),
    "quantile_dim": lambda L, x: x.quantile(lib_of(L).tensor([0.25, 0.5, 1.0],
                                                             dtype=x.dtype), dim=1),
    "quantile_keep": lambda L, x: x.quantile(0.7, dim=0, keepdim=True),
    "quantile_lower": lambda L, x: x.quantile(0.4, dim=1, interpolation="lower"),
    "quantile_midpoint": lambda L, x: x.quantile(0.4, dim=1, interpolation="midpoint"),
    "quantile_nearest": lambda L, x: x.quantile(0.4, dim=1, interpolation="nearest"),
    "nanquantile": lambda L, x: x.nanquantile(0.5),
    "cov": lambda L, x: lib_of(L).cov(x), "cov_1d": lambda L, x: x[0].cov(correction=0),
    "corrcoef": lambda L, x: lib_of(L).corrcoef(x),
    "asinh": lambda L, x: lib_of(L).asinh(x), "acosh": lambda L, x: (x.abs() + 1.5).acosh(),
    "atanh": lambda L, x: lib_of(L).arctanh(x / 3), "deg2rad": lambda L, x: x.deg2rad(),
    "rad2deg": lambda L, x: lib_of(L).rad2deg(x),
    "logaddexp": lambda L, x: lib_of(L).logaddexp(x * 400, x.flip(0) * 400),
    "logaddexp2": lambda L, x: x.logaddexp2(x.flip(1)),
    "xlogy": lambda L, x: lib_of(L).xlogy(x.relu(), x.abs() + 0.5),
    "fmax": lambda L, x: lib_of(L).fmax(x, x.flip(0)), "fmin": lambda L, x: x.fmin(x.flip(1)),
    "copysign": lambda L, x: lib_of(L).copysign(x, x.flip(0)),
    "sinc": lambda L, x: lib_of(L).sinc(x), "inner": lambda L, x: lib_of(L).inner(x, x[:2]),
    "tensordot": lambda L, x: lib_of(L).tensordot(x, x, dims=([1], [1])),
    "tensordot_2": lambda L, x: lib_of(L).tensordot(x.reshape(2, 3, 2), x.reshape(3, 2, 2),
                                                     dims=2),
    "diagflat": lambda L, x: lib_of(L).diagflat(x[:2, :2], 1),
}


@pytest.mark.parametrize("name", sorted(COMPOSITE))
def test_composite_ops_match_torch(name):
    assert_same(COMPOSITE[name], [(3, 4)])


def test_composite_integer_results_match_torch():
    def run(t):
        x = t.tensor([[0.5, -1.0, 2.0], [3.0, 3.0, -2.0]])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            made = [t.range(1, 4), t.range(0, 1, 0.25), t.range(5, 1, -2)]
        out = made + [
            t.cummax(x, 1).indices, t.cummin(x, 0).indices,
            t.cummax(t.tensor([1.0, 1.0, 0.0, 1.0]), 0).indices,
            t.histc(x, bins=4, min=-2, max=3), t.histc(x, bins=3),
            t.bucketize(t.tensor([1, 5, 9]), t.tensor([1, 3, 5, 7])),
            t.bucketize(t.tensor([1, 5, 9]), t.tensor([1, 3, 5, 7]), right=True),
            t.tril_indices(3, 3), t.triu_indices(3, 4, 1), t.tril_indices(4, 3, -1),
            t.heaviside(x, t.tensor(0.5)), t.heaviside(t.tensor([0.0, -1.0]),
                                                      t.tensor([7.0, 7.0])),
            t.atleast_2d(t.tensor(3.0)), t.atleast_1d(t.tensor(3.0)),
            t.cartesian_prod(t.tensor([1, 2]), t.tensor([3, 4]), t.tensor([5])),
            t.combinations(t.tensor([1, 2, 3])), t.kron(t.eye(2), t.ones(2, 2)),
            t.tensor_split(t.arange(7), 3)[0], t.tensor_split(t.arange(7), 3)[2],
            t.tensor_split(t.arange(7), [-2, 9])[1], t.hsplit(t.arange(6), 3)[1],
            t.row_stack([t.ones(2), t.zeros(2)]), t.concatenate([t.ones(2), t.zeros(2)]),
            t.arctan2(t.ones(2), t.ones(2)), t.arccos(t.zeros(1)), t.sinc(t.zeros(1)),
            t.xlogy(t.zeros(2), t.tensor([0.0, float("nan")])),
            t.fmax(t.tensor([1.0, float("nan")]), t.tensor([float("nan"), 2.0])),
            t.copysign(t.tensor([1.0, 2.0]), t.tensor([-0.0, 0.0])),
            t.logaddexp(t.tensor([-float("inf")]), t.tensor([0.0])),
            t.quantile(t.tensor([[1.0, 2.0], [3.0, 4.0]]), 0.5, dim=None, keepdim=True),
            t.rad2deg(t.tensor([1, 2])), t.deg2rad(t.tensor([180])),
        ]
        return [(tuple(o.shape), str(o.dtype).split(".")[-1], o.tolist()) for o in out]
    ours, theirs = run(pynn), run(torch)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert a[:2] == b[:2], (i, a, b)
        np.testing.assert_allclose(np.asarray(a[2], dtype=float), np.asarray(b[2], dtype=float),
                                   rtol=1e-6, err_msg=str(i))


@pytest.mark.parametrize("expression", [
    "t.cdist(t.ones(2, 3), t.ones(2, 4))", "t.cdist(t.ones(3), t.ones(2, 3))",
    "t.quantile(t.ones(3), 1.5)", "t.quantile(t.arange(3), 0.5)",
    "t.quantile(t.ones(3), 0.5, interpolation='cubic')", "t.rot90(t.ones(2, 2), 1, [0, 0])",
    "t.hsplit(t.ones(2, 4), 3)", "t.vsplit(t.ones(4), 2)", "t.tensor_split(t.ones(4), 0)",
    "t.cartesian_prod(t.ones(2, 2))", "t.range(0, 5, 0)", "t.range(0, 5, -1)",
    "t.histc(t.ones(3), bins=0)", "t.bucketize(t.ones(2), t.ones(2, 2))",
    "t.take_along_dim(t.ones(2, 2), t.zeros(2, dtype=t.long), dim=1)",
])
def test_composite_errors_are_torch_types(expression):
    def raised(t):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                eval(expression, {"t": t})
        except Exception as e:
            return e
        return None
    ours, theirs = raised(pynn), raised(torch)
    assert theirs is not None and ours is not None, expression
    assert type(ours) is type(theirs), f"{expression}: {ours!r} vs {theirs!r}"


def test_range_warns_as_torch():
    for t in (pynn, torch):
        with pytest.warns(UserWarning, match="torch.range is deprecated"):
            t.range(0, 2)


# ---- second derivatives (create_graph=True, pynn/higher_order.py) --------------------------------

SECOND_ORDER = {
    "pow3": lambda L, x, y: x ** 3, "pow_tensor": lambda L, x, y: (x.abs() + 0.5) ** y,
    "rpow": lambda L, x, y: 2 ** x, "mul": lambda L, x, y: x * y * x,
    "div": lambda L, x, y: x / (y * y + 1), "add_sub": lambda L, x, y: (x + y) * (x - 2 * y),
    "neg": lambda L, x, y: -(x * x), "sum_dim": lambda L, x, y: (x * x).sum(1) * y[:, 0],
    "mean": lambda L, x, y: (x ** 3).mean(0, keepdim=True) * y,
    "exp_log": lambda L, x, y: x.exp() + (x * x + 1).log(),
    "trig": lambda L, x, y: x.sin() * y.cos() + (x / 4).tan(),
    "tanh_sigmoid": lambda L, x, y: x.tanh() * y.sigmoid(),
    "relu": lambda L, x, y: x.relu() * x, "sqrt_abs": lambda L, x, y: (x * x + 1).sqrt() *
    y.abs(), "matmul": lambda L, x, y: (x @ y.t()) ** 2,
    "shapes": lambda L, x, y: (x.reshape(-1) ** 2).unsqueeze(0).t().squeeze(1).view(3, 4)
    .transpose(0, 1).permute(1, 0) * y,
    "slice": lambda L, x, y: (x[:, 1:3] ** 2 * y[0, 0]).sum(1, keepdim=True) + x[1] ** 3,
    "index": lambda L, x, y: x[[0, 2]] ** 3 * y[x[:, 0] > -1].sum(),
    "expand_where": lambda L, x, y: lib_of(L).where(x > 0, x ** 2, y * x)[:1].expand(3, 4),
    "norm": lambda L, x, y: x.norm() * y + lib_of(L).norm(x * y, dim=1, keepdim=True),
    "cat_stack": lambda L, x, y: lib_of(L).cat([x ** 2, y * x], 1).sum() +
    lib_of(L).stack([x * y, x]).pow(2).sum(),
    "clone": lambda L, x, y: x.clone() ** 2,
    "more_unary": lambda L, x, y: (x * x + 1).rsqrt() * (x.abs() + 1).reciprocal() +
    (x.abs()).log1p() * (x.abs() + 1).log2() + x.expm1() * (x / 3).asin() + (x / 3).acos() *
    x.atan() + x.sinh() * x.cosh() + x.asinh() + (x.abs() + 1.5).acosh() + (x / 3).atanh() +
    (x.abs() + 1).log10() + x.exp2(),
    "clamp": lambda L, x, y: x.clamp(-0.5, 1.0) ** 2 * y,
    "softmax": lambda L, x, y: (x * y).softmax(1) + x.log_softmax(0) * y,
    "matmul_vectors": lambda L, x, y: lib_of(L).dot(x[0], y[0]) ** 2 + (x @ y[1]) ** 2 +
    (x[1] @ y.t()) ** 3,
    "matmul_batched": lambda L, x, y: x.reshape(3, 2, 2).matmul(y.reshape(3, 2, 2)) ** 2,
    "mse_loss": lambda L, x, y: LIBS[L][2].mse_loss(x.tanh(), y * y) * (x * y).sum(),
    "mse_loss_none": lambda L, x, y: LIBS[L][2].mse_loss(x ** 2, y, reduction="none"),
    "l1_loss": lambda L, x, y: LIBS[L][2].l1_loss(x ** 3, y, reduction="sum") * x.sum(),
    "cross_entropy": lambda L, x, y: LIBS[L][2].cross_entropy(
        x * y, lib_of(L).tensor([0, 3, 1])) * y.sum(),
    "cross_entropy_weighted": lambda L, x, y: LIBS[L][2].cross_entropy(
        x.sin() * 2, lib_of(L).tensor([2, 3, 1]), weight=lib_of(L).tensor(
            [1.0, 2.0, 0.5, 1.5], dtype=lib_of(L).float64), reduction="none") * y[:, 0],
    "nll_loss": lambda L, x, y: LIBS[L][2].nll_loss(
        (x * y).log_softmax(1), lib_of(L).tensor([0, 3, 1]), reduction="sum"),
    "linear_stack": lambda L, x, y: LIBS[L][1].Sequential(
        *_fixed(L, LIBS[L][1].Linear(4, 5)), LIBS[L][1].Tanh(),
        *_fixed(L, LIBS[L][1].Linear(5, 3), 0.3), LIBS[L][1].Sigmoid(),
        *_fixed(L, LIBS[L][1].Linear(3, 2, bias=False), -0.2), LIBS[L][1].ReLU())(x * y),
}


def _fixed(L, layer, shift=0.0):
    """layer with float64 weights set to fixed values, so both libraries hold the same."""
    with lib_of(L).no_grad():
        for p in layer.parameters():
            p.data = lib_of(L).linspace(-1, 1, p.numel(), dtype=lib_of(L).float64).reshape(
                p.shape) + shift
    return [layer]


@pytest.mark.parametrize("name", sorted(SECOND_ORDER))
def test_second_derivatives_match_torch(name):
    arrays = _arrays([(3, 4), (3, 4)], 7, (-2, 2))

    def run(lib):
        t = lib_of(lib)
        x, y = (t.tensor(a.copy(), dtype=t.float64, requires_grad=True) for a in arrays)
        out = SECOND_ORDER[name](lib, x, y) * (1 + 0.1 * y.sum())  # y in every expression
        weight = t.tensor(np.linspace(0.5, 1.5, out.numel()).reshape(tuple(out.shape)))
        gx, gy = t.autograd.grad(out, (x, y), weight, create_graph=True)
        assert gx.requires_grad
        (gx.pow(2).sum() + (gx * gy).sum()).backward()
        return [gx.detach().numpy(), gy.detach().numpy(), x.grad.numpy(), y.grad.numpy()]
    for ours, theirs in zip(run("pynn"), run("torch")):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-9)


def test_backward_create_graph_keeps_a_graph_in_grad_as_torch():
    def run(t):
        x = t.tensor([1.0, 2.0, 3.0], requires_grad=True)
        (x ** 3).sum().backward(create_graph=True)
        first = x.grad
        seen = [first.tolist(), first.requires_grad, type(first.grad_fn).__name__ != "NoneType"]
        d2, = t.autograd.grad(first.sum(), x)
        third, = t.autograd.grad(t.autograd.grad((x ** 4).sum(), x, create_graph=True)[0].sum(),
                                 x, create_graph=True)
        return seen + [d2.tolist(), t.autograd.grad(third.sum(), x)[0].tolist()]
    assert run(pynn) == run(torch)


# ---- L-BFGS ------------------------------------------------------------------------------------

@pytest.mark.parametrize("options", [{}, {"line_search_fn": "strong_wolfe"},
                                     {"line_search_fn": "strong_wolfe", "history_size": 3,
                                      "max_iter": 5}, {"lr": 0.5, "max_eval": 8}])
def test_lbfgs_steps_match_torch(options):
    inputs = np.linspace(-2, 2, 32).reshape(-1, 1)

    def run(t, nn):
        x = t.tensor(inputs)
        y = (2 * x).sin() + 0.3 * x ** 2
        net = nn.Sequential(nn.Linear(1, 6), nn.Tanh(), nn.Linear(6, 1)).double()
        with t.no_grad():
            for i, p in enumerate(net.parameters()):
                p.copy_(t.linspace(-1, 1, p.numel(), dtype=t.float64).reshape(p.shape) *
                        (0.7 + 0.2 * i))
        opt = t.optim.LBFGS(net.parameters(), **options)
        losses = []
        for _ in range(3):
            def closure():
                opt.zero_grad()
                loss = ((net(x) - y) ** 2).mean()
                loss.backward()
                return loss
            losses.append(opt.step(closure).item())
        state = opt.state[opt.param_groups[0]["params"][0]]
        return losses, state["func_evals"], state["n_iter"], \
            [p.detach().numpy().copy() for p in net.parameters()]
    ours, theirs = run(pynn, nn), run(torch, torch.nn)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-7)
    assert ours[1:3] == theirs[1:3]
    for a, b in zip(ours[3], theirs[3]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_lbfgs_prints_and_refuses_as_torch():
    for t in (pynn, torch):
        w = t.nn.Parameter(t.ones(2))
        opt = t.optim.LBFGS([w])
        assert repr(opt) == repr(torch.optim.LBFGS([torch.nn.Parameter(torch.ones(2))]))
        with pytest.raises(TypeError):
            opt.step()
        searching = t.optim.LBFGS([w], line_search_fn="backtracking")

        def closure():
            searching.zero_grad()
            loss = (w ** 2).sum()
            loss.backward()
            return loss
        with pytest.raises(RuntimeError, match="only 'strong_wolfe' is supported"):
            searching.step(closure)
        with pytest.raises(ValueError, match="per-parameter options"):
            t.optim.LBFGS([{"params": [w]}, {"params": [t.nn.Parameter(t.ones(1))]}])


def test_lazy_linear_prints_and_materializes_as_torch():
    def run(t):
        net = t.nn.Sequential(t.nn.LazyLinear(8), t.nn.ReLU(), t.nn.LazyLinear(1, bias=False))
        seen = [repr(net), repr(net[0].weight), type(net[0].weight).__name__]
        out = net(t.ones(4, 3))
        seen += [repr(net), tuple(out.shape), type(net[0]).__name__,
                 type(net[0].weight).__name__, [tuple(p.shape) for p in net.parameters()],
                 list(net.state_dict())]
        return seen
    assert run(pynn) == run(torch)


# ---- ranking, margin and likelihood losses (pynn/functional/margin_loss.py) ---------------------

def _signs(L, n):
    return lib_of(L).tensor([1.0, -1.0, 1.0, -1.0][:n], dtype=lib_of(L).float64)


MARGIN_LOSSES = {
    "margin_ranking": lambda L, r, x, y: LIBS[L][2].margin_ranking_loss(
        x[:, 0], y[:, 0], _signs(L, 3), margin=0.3, reduction=r),
    "hinge_embedding": lambda L, r, x, y: LIBS[L][2].hinge_embedding_loss(
        x, _signs(L, 4).expand(3, 4), margin=1.5, reduction=r),
    "cosine_embedding": lambda L, r, x, y: LIBS[L][2].cosine_embedding_loss(
        x, y, _signs(L, 3), margin=0.1, reduction=r),
    "triplet_margin": lambda L, r, x, y: LIBS[L][2].triplet_margin_loss(
        x, y, x.flip(0) * 0.5, margin=2.0, reduction=r),
    "triplet_swap_p1": lambda L, r, x, y: LIBS[L][2].triplet_margin_loss(
        x, y, y.flip(1), p=1, swap=True, reduction=r),
    "multi_margin": lambda L, r, x, y: LIBS[L][2].multi_margin_loss(
        x, lib_of(L).tensor([0, 3, 1]), reduction=r),
    "multi_margin_p2_weight": lambda L, r, x, y: LIBS[L][2].multi_margin_loss(
        x, lib_of(L).tensor([2, 2, 1]), p=2, margin=0.5,
        weight=lib_of(L).tensor([1.0, 2.0, 0.5, 1.0], dtype=lib_of(L).float64), reduction=r),
    "multilabel_soft_margin": lambda L, r, x, y: LIBS[L][2].multilabel_soft_margin_loss(
        x, (y > 0).double(), reduction=r),
    "poisson_nll": lambda L, r, x, y: LIBS[L][2].poisson_nll_loss(x, y.abs() * 2,
                                                                  reduction=r),
    "poisson_nll_full_rate": lambda L, r, x, y: LIBS[L][2].poisson_nll_loss(
        x.abs() + 0.1, (y.abs() * 3).round(), log_input=False, full=True, reduction=r),
    "gaussian_nll": lambda L, r, x, y: LIBS[L][2].gaussian_nll_loss(
        x, y, x.abs() + 0.2, reduction=r),
    "gaussian_nll_full_one_var": lambda L, r, x, y: LIBS[L][2].gaussian_nll_loss(
        x, y, (y[:, 0].abs() + 0.5), full=True, reduction=r),
}


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", sorted(MARGIN_LOSSES))
def test_margin_and_likelihood_losses_match_torch(name, reduction):
    assert_same(lambda L, x, y: MARGIN_LOSSES[name](L, reduction, x, y), [(3, 4), (3, 4)])


def test_margin_loss_modules_print_and_compute_as_torch():
    def run(t):
        nn = t.nn
        x = t.tensor([[0.5, -1.0], [2.0, 0.3]], dtype=t.float64)
        y = t.tensor([[1.0, 0.0], [0.0, 1.0]], dtype=t.float64)
        modules = [nn.MarginRankingLoss(margin=0.5), nn.HingeEmbeddingLoss(),
                   nn.CosineEmbeddingLoss(), nn.TripletMarginLoss(margin=0.5),
                   nn.MultiMarginLoss(), nn.MultiLabelSoftMarginLoss(), nn.PoissonNLLLoss(),
                   nn.GaussianNLLLoss()]
        signs = t.tensor([1.0, -1.0], dtype=t.float64)
        values = [modules[0](x[:, 0], x[:, 1], signs), modules[1](x, y * 2 - 1),
                  modules[2](x, y, signs), modules[3](x, y, -x), modules[4](x, t.tensor([1, 0])),
                  modules[5](x, y), modules[6](x, y), modules[7](x, y, x.abs())]
        return [repr(m) for m in modules] + [round(v.item(), 10) for v in values]
    assert run(pynn) == run(torch)


def test_more_distributions_and_kl_divergence_match_torch():
    def run(t):
        t.manual_seed(0)
        out = []
        loc = t.tensor([0.5, -1.0], dtype=t.float64, requires_grad=True)
        L = t.tensor([[1.0, 0.0], [0.3, 0.7]], dtype=t.float64, requires_grad=True)
        cov = t.tensor([[2.0, 0.3], [0.3, 0.5]], dtype=t.float64, requires_grad=True)
        v = t.tensor([[0.2, 0.1], [1.0, -2.0]], dtype=t.float64)
        for d in [
            t.distributions.MultivariateNormal(loc, scale_tril=L),
            t.distributions.MultivariateNormal(loc, covariance_matrix=cov),
            t.distributions.MultivariateNormal(loc, precision_matrix=cov),
        ]:
            s = d.log_prob(v).sum() + d.entropy()
            g = t.autograd.grad(s, [loc, L, cov], allow_unused=True)
            out.append(
                [round(s.item(), 10)]
                + [None if x is None else [round(y, 8) for y in x.reshape(-1).tolist()] for x in g]
            )
            out.append(
                [
                    tuple(d.sample((3,)).shape),
                    tuple(d.batch_shape),
                    tuple(d.event_shape),
                    [round(y, 8) for y in d.variance.tolist()],
                    [round(y, 8) for y in d.covariance_matrix.reshape(-1).tolist()],
                ]
            )
        for d, val in [
            (
                t.distributions.Exponential(
                    t.tensor([0.5, 2.0], dtype=t.float64, requires_grad=True)
                ),
                t.tensor([1.0, 0.3], dtype=t.float64),
            ),
            (
                t.distributions.Laplace(
                    t.tensor([0.5, 2.0], dtype=t.float64, requires_grad=True),
                    t.tensor(1.5, dtype=t.float64),
                ),
                t.tensor([1.0, 0.3], dtype=t.float64),
            ),
            (
                t.distributions.Poisson(t.tensor([0.5, 2.0], dtype=t.float64, requires_grad=True)),
                t.tensor([1.0, 3.0], dtype=t.float64),
            ),
        ]:
            s = d.log_prob(val).sum()
            if not isinstance(d, t.distributions.Poisson):
                s = s + d.entropy().sum()
            out.append(
                [
                    round(s.item(), 10),
                    tuple(d.sample((4,)).shape),
                    [round(y, 8) for y in d.mean.tolist()],
                    [round(y, 8) for y in d.variance.tolist()],
                ]
            )
        base = t.distributions.Normal(
            t.zeros(3, 2, dtype=t.float64), t.ones(3, 2, dtype=t.float64) * 2
        )
        ind = t.distributions.Independent(base, 1)
        out.append(
            [
                tuple(ind.batch_shape),
                tuple(ind.event_shape),
                [round(y, 8) for y in ind.log_prob(t.ones(3, 2, dtype=t.float64)).tolist()],
                [round(y, 8) for y in ind.entropy().tolist()],
            ]
        )
        p, q = (
            t.distributions.Normal(t.tensor([0.0, 1.0]), t.tensor([1.0, 2.0])),
            t.distributions.Normal(t.tensor([1.0, 0.0]), t.tensor([0.5, 1.0])),
        )
        out.append([round(y, 6) for y in t.distributions.kl_divergence(p, q).tolist()])
        out.append(
            round(
                t.distributions.kl_divergence(
                    t.distributions.Independent(p, 1), t.distributions.Independent(q, 1)
                ).item(),
                6,
            )
        )
        out.append(
            [
                round(y, 6)
                for y in t.distributions.kl_divergence(
                    t.distributions.Bernoulli(t.tensor([0.2, 0.7])),
                    t.distributions.Bernoulli(logits=t.tensor([0.3, -1.0])),
                ).tolist()
            ]
        )
        out.append(
            [
                round(y, 6)
                for y in t.distributions.kl_divergence(
                    t.distributions.Categorical(logits=t.tensor([[0.2, 0.7, 0.1]])),
                    t.distributions.Categorical(probs=t.tensor([[0.3, 0.3, 0.4]])),
                ).tolist()
            ]
        )
        out.append(
            [
                round(y, 6)
                for y in t.distributions.kl_divergence(
                    t.distributions.Exponential(t.tensor([0.5, 2.0])),
                    t.distributions.Exponential(t.tensor([1.5, 1.0])),
                ).tolist()
            ]
        )
        out.append(
            [
                round(y, 6)
                for y in t.distributions.kl_divergence(
                    t.distributions.Laplace(t.tensor([0.5, 2.0]), t.tensor([1.0, 0.3])),
                    t.distributions.Laplace(t.tensor([0.0, 1.0]), t.tensor([2.0, 1.0])),
                ).tolist()
            ]
        )
        m1 = t.distributions.MultivariateNormal(
            t.tensor([0.5, -1.0], dtype=t.float64),
            covariance_matrix=t.tensor([[2.0, 0.3], [0.3, 0.5]], dtype=t.float64),
        )
        m2 = t.distributions.MultivariateNormal(
            t.tensor([0.0, 1.0], dtype=t.float64),
            scale_tril=t.tensor([[1.0, 0.0], [0.3, 0.7]], dtype=t.float64),
        )
        out.append(round(t.distributions.kl_divergence(m1, m2).item(), 8))
        out.append(
            [
                round(y, 6)
                for y in t.distributions.Normal(0.0, 1.0).cdf(t.tensor([0.0, 1.0])).tolist()
            ]
        )
        return out

    assert run(pynn) == run(torch)
    from pynn.distributions.kl import kl_divergence  # the submodules torch has
    from pynn.distributions.normal import Normal

    assert kl_divergence(Normal(0.0, 1.0), Normal(0.0, 1.0)).item() == 0.0


def test_out_arguments_as_torch():
    def run(t):
        a = t.tensor([[1.0, 2.0], [3.0, 4.0]])
        seen = []
        y3 = t.rand_like(a)
        r = t.matmul(a, a.T, out=y3)
        seen += [r is y3, y3.tolist()]
        z3 = t.zeros(0)
        seen += [t.mul(a, a, out=z3).tolist(), tuple(z3.shape)]
        wide = t.zeros(2, 2, dtype=t.float64)
        t.add(a, 1, out=wide)
        seen += [str(wide.dtype).split(".")[-1], wide.tolist()]
        seen.append(t.sum(a, 0, out=t.zeros(2)).tolist())
        values, indices = t.zeros(2), t.zeros(2, dtype=t.long)
        t.max(a, 1, out=(values, indices))
        seen += [values.tolist(), indices.tolist()]
        seen.append(t.cat([a, a], out=t.empty(0)).shape[0])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            t.exp(a, out=t.zeros(3))
        seen.append(any("was resized" in str(w.message) for w in caught))
        for bad in (lambda: t.mul(a, a, out=t.zeros(2, 2, dtype=t.long)),
                    lambda: t.mul(t.ones(2, requires_grad=True), 2.0, out=t.zeros(2))):
            try:
                bad()
                seen.append(None)
            except RuntimeError as e:
                seen.append(str(e).split(":")[-1][:40])
        with t.no_grad():
            seen.append(t.mul(t.ones(2, requires_grad=True), 2.0, out=t.zeros(2)).tolist())
        return seen
    assert run(pynn) == run(torch)


def test_grad_fn_names_and_next_functions_as_torch():
    def walk(fn, depth=0):
        if fn is None or depth > 6:
            return None
        return (fn.name(), [walk(f, depth + 1) for f, _ in fn.next_functions])

    def run(t):
        nn = t.nn
        x = t.ones(2, requires_grad=True)
        w = t.tensor([3.0, 4.0], requires_grad=True)
        y = ((x * 2 + 1) * w).sum()
        leaf = y.grad_fn.next_functions[0][0].next_functions[1][0]
        seen = [walk(y.grad_fn), type(leaf.variable).__name__, leaf.variable is w]
        t.manual_seed(0)
        for layer in (nn.Linear(3, 2), nn.Linear(3, 2, bias=False)):
            seen.append(layer(t.ones(4, 3)).grad_fn.name())
            seen.append(layer(t.ones(2, 4, 3)).grad_fn.name())
        for act in (nn.ReLU(), nn.Sigmoid(), nn.Tanh()):
            seen.append(nn.Sequential(nn.Linear(3, 2), act)(t.ones(4, 3)).grad_fn.name())
        return seen
    assert run(pynn) == run(torch)


def test_tensor_basics_methods_as_torch():
    def run(t):
        x = t.arange(12.0).reshape(3, 4)
        i = t.tensor([[1, 2], [3, 4]])
        seen = [x.unfold(1, 2, 1).tolist(), x.unfold(0, 2, 1).shape, t.arange(7).unfold(0, 3, 2)
                .tolist(), t.ones(2, 3).sum_to_size(1, 3).tolist(),
                t.tensor([[3, 1], [2, 5]]).msort().tolist(),
                t.tensor([1.0, float("nan"), 3.0, 2.0]).nanmedian().item(),
                [v.tolist() for v in t.tensor([1, 1, 2, 2, 3, 1]).unique_consecutive(
                    return_inverse=True, return_counts=True)],
                x.new(2, 3).shape, x.new([1, 2]).tolist(), str(x.new([1, 2]).dtype).split(".")[-1],
                t.tensor([0.0]).is_nonzero(), t.tensor([2]).is_signed(),
                t.tensor([True]).is_signed(), x.mH.shape, x.adjoint().shape,
                i.bitwise_and(t.tensor([[3, 3], [3, 3]])).tolist(), i.bitwise_xor(1).tolist(),
                i.bitwise_not().tolist(), i.bitwise_or(8).tolist()]
        y = t.zeros(3, 3)
        y.fill_diagonal_(5.0)
        seen.append(y.tolist())
        tall = t.zeros(5, 2)
        tall.fill_diagonal_(1.0, wrap=True)
        seen.append(tall.tolist())
        seen.append(t.zeros(3, 2).index_copy(0, t.tensor([2, 0]), t.ones(2, 2)).tolist())
        z = t.zeros(5)
        z.index_put_((t.tensor([0, 0, 3]),), t.tensor(1.0), accumulate=True)
        seen.append(z.tolist())
        z.index_put_((t.tensor([1]),), t.tensor(7.0))
        seen.append(z.tolist())
        seen.append(t.zeros(2, 3).masked_scatter(t.tensor([[True, False, True],
                                                           [False, True, False]]),
                                                 t.arange(1.0, 7.0)).tolist())
        w = t.ones(3, 3)
        w.tril_()
        w.mul_(3).cumsum_(1)
        seen.append(w.tolist())
        b = t.tensor([True, False])
        b.logical_xor_(t.tensor([True, True]))
        seen.append(b.tolist())
        v = t.tensor([1.0, 2.0])
        v.divide_(2).multiply_(6).subtract_(1).true_divide_(2)
        seen.append(v.tolist())
        return seen
    assert run(pynn) == run(torch)


def test_tensor_basics_method_gradients_as_torch():
    assert_same(lambda L, x: x.unfold(1, 2, 1) * 2, [(3, 4)])
    assert_same(lambda L, x: x.sum_to_size(1, 4), [(3, 4)])
    assert_same(lambda L, x: x.index_copy(0, lib_of(L).tensor([2, 0]), x[:2] * 3), [(3, 4)])
    assert_same(lambda L, x: x.masked_scatter(x > 0, x.flip(0) * 2), [(3, 4)])
    assert_same(lambda L, x: x.msort(), [(3, 4)])


# ---- more layers (pynn/nn/extra_layers.py) -------------------------------------------------------

EXTRA_LAYERS = {
    "group_norm": lambda L, x: LIBS[L][2].group_norm(
        x.reshape(2, 6, 1), 3, x.reshape(-1)[:6] * 0 + 1.5, x.reshape(-1)[6:] * 0.5),
    "group_norm_module": lambda L, x: _fixed_module(L, LIBS[L][1].GroupNorm(2, 4))(
        x.reshape(3, 4)),
    "rms_norm": lambda L, x: LIBS[L][2].rms_norm(x, (4,), x[0] + 2, 1e-5),
    "rms_norm_module": lambda L, x: _fixed_module(L, LIBS[L][1].RMSNorm([3, 4]))(x),
    "rrelu_eval": lambda L, x: LIBS[L][2].rrelu(x, 0.1, 0.3),
    "softmax2d": lambda L, x: LIBS[L][1].Softmax2d()(x.reshape(3, 2, 2)),
    "zero_pad": lambda L, x: LIBS[L][1].ZeroPad2d((1, 0, 2, 1))(x),
    "constant_pad": lambda L, x: LIBS[L][1].ConstantPad1d(2, 3.5)(x),
    "reflection_pad": lambda L, x: LIBS[L][1].ReflectionPad1d((2, 1))(x.unsqueeze(0)),
    "replication_pad": lambda L, x: LIBS[L][1].ReplicationPad2d(1)(x.unsqueeze(0)),
    "dropout2d_eval": lambda L, x: LIBS[L][1].Dropout2d(0.5).eval()(x.reshape(1, 3, 2, 2)),
    "dropout1d_p1": lambda L, x: LIBS[L][2].dropout1d(x, 1.0),
}


def _fixed_module(L, module):
    """module (float64) with its parameters set to fixed values."""
    module = module.double()
    with lib_of(L).no_grad():
        for i, p in enumerate(module.parameters()):
            p.copy_(lib_of(L).linspace(0.5, 1.5, p.numel(), dtype=lib_of(L).float64).reshape(
                p.shape) * (i + 1))
    return module


@pytest.mark.parametrize("name", sorted(EXTRA_LAYERS))
def test_extra_layers_match_torch(name):
    assert_same(EXTRA_LAYERS[name], [(3, 4)])


def test_channel_dropout_and_rrelu_in_training_as_torch():
    for t in (pynn, torch):
        t.manual_seed(0)
        x = t.ones(200, 8, 5)
        out = t.nn.Dropout1d(0.25)(x)
        per_channel = out.sum(-1)
        assert {round(v, 4) for v in per_channel.unique().tolist()} <= {0.0, round(5 / 0.75, 4)}
        assert abs((per_channel == 0).float().mean().item() - 0.25) < 0.03
        y = t.nn.RReLU(0.1, 0.3)(-t.ones(1000))
        assert -0.3 <= y.min().item() and y.max().item() <= -0.1 and y.std().item() > 0.03
        with pytest.raises(RuntimeError, match="Expected 2D or 3D input"):
            t.nn.functional.dropout1d(t.ones(2, 3, 4, 5), 0.5)


def test_autograd_functional_hessian_and_products_as_torch():
    def run(t):
        fn = t.autograd.functional
        x = t.tensor([1.0, 2.0], dtype=t.float64)
        y = t.tensor([3.0, -4.0], dtype=t.float64)
        w = t.tensor([[0.3, -0.2]], dtype=t.float64)

        def cubic(a):
            return (a ** 3).sum()

        def mixed(a, b):
            return (a ** 2 * b).sum() + (a * b).sin().sum()
        out = [fn.hessian(cubic, x), fn.hessian(mixed, (x, y)),
               fn.hessian(lambda v: ((v @ t.tensor([[1.0], [2.0]], dtype=t.float64)).tanh() ** 2)
                          .sum(), w),
               fn.vjp(lambda a: a ** 2, x, t.ones(2, dtype=t.float64)),
               fn.jvp(lambda a: a.exp() * a, x, t.ones(2, dtype=t.float64)),
               fn.hvp(cubic, x, t.tensor([1.0, -1.0], dtype=t.float64)),
               fn.vhp(mixed, (x, y), (t.ones(2, dtype=t.float64), t.ones(2, dtype=t.float64))),
               fn.jacobian(lambda a, b: (a * b, a.sin()), (x, y))]
        flat = []

        def collect(v):
            if isinstance(v, (tuple, list)):
                for item in v:
                    collect(item)
            else:
                flat.append(np.round(v.detach().numpy(), 10).tolist())
        collect(out)
        return flat
    assert run(pynn) == run(torch)
    from pynn.autograd.functional import hessian  # as `from torch.autograd.functional import`
    assert hessian(lambda a: (a * a).sum(), pynn.ones(2)).tolist() == [[2.0, 0.0], [0.0, 2.0]]


def test_schedulers_carry_on_from_the_current_rate_as_torch():
    def run(t):
        model = t.nn.Linear(2, 1)
        seen = []
        opt = t.optim.SGD(model.parameters(), lr=0.1)
        step = t.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
        for epoch in range(5):
            opt.step()
            step.step()
            if epoch == 2:  # a rate changed by hand carries on
                for group in opt.param_groups:
                    group["lr"] = 0.03
            seen.append(round(opt.param_groups[0]["lr"], 12))
        cosine = t.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4, eta_min=0.001)
        seen.append(cosine.get_last_lr())
        for _ in range(6):
            opt.step()
            cosine.step()
            seen.append(round(opt.param_groups[0]["lr"], 12))
        opt = t.optim.SGD(model.parameters(), lr=1.0)
        chain = t.optim.lr_scheduler.ChainedScheduler([
            t.optim.lr_scheduler.ConstantLR(opt, factor=0.1, total_iters=2),
            t.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)])
        for _ in range(5):
            opt.step()
            chain.step()
            seen.append([round(v, 12) for v in chain.get_last_lr()])
        opt = t.optim.SGD(model.parameters(), lr=1.0)
        warm = t.optim.lr_scheduler.LinearLR(opt, start_factor=0.25, total_iters=3)
        poly = t.optim.lr_scheduler.PolynomialLR(opt, total_iters=6, power=2.0)
        multi = t.optim.lr_scheduler.MultiStepLR(opt, milestones=[2, 2, 4], gamma=0.5)
        for _ in range(7):
            opt.step()
            for s in (warm, poly, multi):
                s.step()
            seen.append(round(opt.param_groups[0]["lr"], 12))
        return seen
    assert run(pynn) == run(torch)


def test_custom_functions_twice_differentiable_and_named_as_torch():
    def run(t):
        from_function = __import__(f"{t.__name__}.autograd.function",
                                   fromlist=["once_differentiable"])

        class Cube(t.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x ** 3

            @staticmethod
            def backward(ctx, g):
                x, = ctx.saved_tensors
                return g * 3 * x ** 2

        class Twice(t.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            @from_function.once_differentiable
            def backward(ctx, g):
                return g * 2
        x = t.tensor([2.0, -1.0], dtype=t.float64, requires_grad=True)
        y = Cube.apply(x)
        g, = t.autograd.grad(y.sum(), x, create_graph=True)
        g2, = t.autograd.grad(g.sum(), x)
        z = Twice.apply(x)
        return [repr(y).replace("torch.", "pynn."), g.tolist(), g2.tolist(), z.grad_fn.name(),
                t.autograd.gradgradcheck(lambda a: (a.sin() * a).sum(), (x,)),
                t.autograd.gradgradcheck(lambda a: Cube.apply(a).sum(), (x,))]
    assert run(pynn) == run(torch)


def test_module_to_a_dtype_and_state_dict_errors_as_torch():
    def run(t):
        t.manual_seed(0)
        m = t.nn.Sequential(t.nn.Linear(2, 3), t.nn.ReLU(), t.nn.Linear(3, 1))
        seen = [str(m.to(t.float64)[0].weight.dtype).split(".")[-1],
                str(m.to("cpu", t.float32)[0].weight.dtype).split(".")[-1],
                str(m.type(t.float64)[2].bias.dtype).split(".")[-1],
                str(m.to(t.device("cpu"), dtype=t.float32)(t.ones(1, 2)).dtype).split(".")[-1]]
        for bad in ({"0.weight": t.zeros(3, 2)}, {"0.weight": t.zeros(2, 2)}):
            try:
                m.load_state_dict(bad)
            except RuntimeError as e:
                seen.append(str(e).replace("torch.", "pynn."))
        return seen
    assert run(pynn) == run(torch)


def test_tensor_of_a_list_with_numpy_float_scalars_as_torch():
    cases = [[np.float64(1.0), 2.0], [np.float32(1.0), 2.0], [np.float64(1), np.float32(2)],
             [np.int32(1), 2], [np.int32(1), 2.5], [np.float16(1), 2], [[np.float64(1)], [2.0]],
             [1, np.float64(2)], [np.float16(1), 2.5], [np.float64(0.5)] * 3]
    for data in cases:
        assert str(pynn.tensor(data).dtype) == str(torch.tensor(data).dtype).split(".")[-1], data


def test_optimizer_of_named_parameters_as_torch():
    def run(t):
        t.manual_seed(0)
        m = t.nn.Linear(2, 1)
        with t.no_grad():
            m.weight.copy_(t.tensor([[0.5, -0.5]]))
            m.bias.fill_(0.1)
        opt = t.optim.Adam(m.named_parameters(), lr=0.1)
        for _ in range(3):
            opt.zero_grad()
            (m(t.ones(4, 2)) ** 2).sum().backward()
            opt.step()
        return [opt.param_groups[0]["param_names"], repr(opt),
                sorted(opt.state_dict()["param_groups"][0].items()),
                [round(v, 6) for v in m.weight.detach().reshape(-1).tolist()]]
    assert run(pynn) == run(torch)



def test_torch_func_transforms_as_torch():
    def run(t):
        grad, vmap = t.func.grad, t.func.vmap

        def f(x):
            return t.sin(x) * x ** 2
        x = t.tensor(1.3)
        seen = [grad(f)(x), grad(grad(f))(x), grad(grad(grad(f)))(x),
                vmap(grad(f))(t.tensor([0.5, 1.0, 2.0])),
                t.func.grad_and_value(lambda a, b: (a * b).sum(), argnums=(0, 1))(
                    t.ones(2), t.tensor([2.0, 3.0])),
                t.func.jacrev(lambda v: v.exp() * v.sum())(t.tensor([0.1, 0.2])),
                t.func.hessian(lambda v: (v ** 3).sum())(t.tensor([1.0, 2.0])),
                vmap(lambda a, b: a @ b, in_dims=(0, None))(t.ones(3, 2), t.tensor([1.0, 2.0])),
                grad(lambda v: ((v ** 2).sum(), v.mean()), has_aux=True)(t.tensor([1.0, 2.0]))]
        out, vjp_fn = t.func.vjp(lambda v: v ** 2, t.tensor([1.0, 3.0]))
        seen += [out, vjp_fn(t.ones(2))]
        t.manual_seed(0)
        model = t.nn.Sequential(t.nn.Linear(2, 3), t.nn.Tanh(), t.nn.Linear(3, 1))
        params = {k: v.detach() * 0 + 0.5 for k, v in model.named_parameters()}
        xb = t.tensor([[1.0, 2.0], [0.5, -1.0]])

        def loss(p, x):
            return t.func.functional_call(model, p, (x,)).pow(2).sum()
        seen += [t.func.functional_call(model, params, (xb,)), model[0].weight.abs().sum() > 0,
                 grad(loss)(params, xb), vmap(grad(loss), in_dims=(None, 0))(params, xb)]
        return repr(seen).replace("torch.", "pynn.")
    assert run(pynn) == run(torch)


def test_setitem_drops_the_values_leading_ones_as_torch():
    def fn(lib, x, v, row):
        y = x * 1.0
        y[1, 2] = v
        y[0] = row
        return y
    assert_same(fn, [(3, 4), (1, 1), (1, 1, 4)])


@pytest.mark.parametrize("p", [1.0, 2.0, 3.0])
def test_pdist_matches_torch(p):
    assert_same(lambda lib, x: LIBS[lib][2].pdist(x, p=p), [(5, 3)])


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_matches_torch(mode):
    def fn(lib, weight):
        t = lib_of(lib)
        text, offsets = t.tensor([1, 2, 4, 5, 4, 3, 2, 9]), t.tensor([0, 4, 4, 6])
        flat = LIBS[lib][2].embedding_bag(text, weight, offsets, mode=mode)
        rows = LIBS[lib][2].embedding_bag(t.tensor([[0, 2], [7, 0]]), weight, mode=mode,
                                          padding_idx=0)
        return flat, rows
    assert_same(fn, [(10, 3)])


def test_embedding_bag_per_sample_weights_match_torch():
    def fn(lib, weight, psw):
        t = lib_of(lib)
        return LIBS[lib][2].embedding_bag(t.tensor([1, 2, 4, 5]), weight, t.tensor([0, 1]),
                                          mode="sum", per_sample_weights=psw)
    assert_same(fn, [(6, 2), (4,)])


def test_pad_sequence_matches_torch():
    def fn(lib, a, b, c):
        pad = (pynn.nn.utils.rnn if lib == "pynn" else torch.nn.utils.rnn).pad_sequence
        return pad([a, b, c]), pad([a, b, c], batch_first=True, padding_value=-1.0)
    assert_same(fn, [(3, 2), (1, 2), (2, 2)])


def test_eigh_and_svdvals_match_torch():
    def fn(lib, a, b):
        linalg = lib_of(lib).linalg
        w, v = linalg.eigh(a @ a.T)
        return w, v ** 2, linalg.svdvals(b)  # v ** 2: the same whatever each vector's sign
    assert_same(fn, [(4, 4), (5, 3)], atol=1e-6)
