"""Every differentiable op of the PyTorch-style API checked against central differences in
float64 (pynn.gradcheck), on shapes drawn by hypothesis where the shape matters: linear algebra,
selection and layout, reductions, elementwise functions, normalisation layers, losses (target
gradients too) and custom autograd Functions."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import array_shapes

import pynn
import pynn.functional as F
from pynn import gradcheck

SETTINGS = settings(max_examples=15, deadline=None)


def leaf(shape, seed=0, low=-2.0, high=2.0):
    rng = np.random.default_rng(seed)
    return pynn.tensor(rng.uniform(low, high, shape), requires_grad=True)


def check(fn, *shapes, seed=0, low=-2.0, high=2.0):
    inputs = [leaf(s, seed + i, low, high) for i, s in enumerate(shapes)]
    assert gradcheck(fn, inputs)


# ---- linear algebra -----------------------------------------------------------------------------

LINALG = {
    "mv": (lambda a, v: pynn.mv(a, v), [(3, 4), (4,)]),
    "outer": (lambda a, b: pynn.outer(a, b), [(3,), (4,)]),
    "addmm": (lambda c, a, b: pynn.addmm(c, a, b, beta=0.5, alpha=2.0), [(2, 3), (2, 4),
                                                                         (4, 3)]),
    "einsum_matmul": (lambda a, b: pynn.einsum("ij,jk->ik", a, b), [(2, 3), (3, 4)]),
    "einsum_batch": (lambda a, b: pynn.einsum("bij,bjk->bik", a, b), [(2, 2, 3), (2, 3, 2)]),
    "einsum_sum_out": (lambda a: pynn.einsum("ijk->k", a), [(2, 3, 4)]),
    "einsum_implicit": (lambda a, b: pynn.einsum("ij,jk", a, b), [(2, 3), (3, 2)]),
    "einsum_dot": (lambda a, b: pynn.einsum("i,i->", a, b), [(4,), (4,)]),
    "einsum_partial": (lambda a, b: pynn.einsum("ij,k->ik", a, b), [(2, 3), (4,)]),
    "einsum_three": (lambda a, w, b: pynn.einsum("ni,oij,nj->no", a, w, b),
                     [(3, 2), (4, 2, 5), (3, 5)]),
    "trace": (lambda a: pynn.trace(a), [(3, 4)]),
    "diag_of_vector": (lambda v: pynn.diag(v, 1), [(3,)]),
    "diag_of_matrix": (lambda a: a.diag(-1), [(4, 3)]),
    "diagonal": (lambda a: a.diagonal(1, 0, 2), [(3, 2, 4)]),
    "inverse": (lambda a: (a + 4 * pynn.eye(3, dtype=pynn.float64)).inverse(), [(3, 3)]),
    "det": (lambda a: pynn.det(a), [(3, 3)]),
    "solve_vector": (lambda a, b: pynn.linalg.solve(a + 4 * pynn.eye(3, dtype=pynn.float64),
                                                    b), [(3, 3), (3,)]),
    "solve_matrix": (lambda a, b: pynn.linalg.solve(a + 4 * pynn.eye(3, dtype=pynn.float64),
                                                    b), [(3, 3), (3, 2)]),
    "pinv_square": (lambda a: pynn.linalg.pinv(a), [(3, 3)]),
    "pinv_wide": (lambda a: pynn.linalg.pinv(a), [(2, 4)]),
    "pinv_tall": (lambda a: a.pinverse(), [(4, 2)]),
    "lstsq": (lambda a, b: pynn.linalg.lstsq(a, b).solution, [(5, 2), (5, 1)]),
    "cross": (lambda a, b: pynn.cross(a, b, dim=1), [(2, 3), (2, 3)]),
    "linalg_norm": (lambda a: pynn.linalg.norm(a), [(3, 4)]),
    "vector_norm_dim": (lambda a: pynn.linalg.vector_norm(a, 3, dim=1), [(3, 4)]),
    "dist": (lambda a, b: pynn.dist(a, b, 1.5), [(3, 4), (3, 4)]),
    "bilinear": (lambda a, b, w: F.bilinear(a, b, w), [(3, 2), (3, 4), (5, 2, 4)]),
}



@SETTINGS
@given(n=st.integers(1, 4), m=st.integers(1, 4), k=st.integers(1, 4), seed=st.integers(0, 99))
def test_gradcheck_einsum_products_of_any_sizes(n, m, k, seed):
    check(lambda a, b: pynn.einsum("ij,jk->ik", a, b), (n, m), (m, k), seed=seed)
    check(lambda a, b: pynn.einsum("ij,ij->i", a, b), (n, m), (n, m), seed=seed)


# ---- selection and layout ----------------------------------------------------------------------

def _index(values):
    return pynn.tensor(values)


LAYOUT = {
    "masked_select": (lambda x: x.masked_select(x > 0), [(3, 4)]),
    "masked_select_broadcast": (lambda x: pynn.masked_select(x, pynn.tensor([True, False,
                                                                            True, True])),
                                [(3, 4)]),
    "take": (lambda x: x.take(_index([[0, 5], [5, 11]])), [(3, 4)]),
    "tile": (lambda x: x.tile((2, 1, 3)), [(2, 3)]),
    "repeat_interleave": (lambda x: x.repeat_interleave(3), [(2, 2)]),
    "repeat_interleave_counts": (lambda x: x.repeat_interleave(_index([1, 0, 2]), dim=0),
                                 [(3, 2)]),
    "movedim": (lambda x: x.movedim((0, 1), (2, 0)), [(2, 3, 4)]),
    "diff": (lambda x: x.diff(n=2, dim=0), [(4, 3)]),
    "diff_prepend": (lambda x: pynn.diff(x, prepend=x[:, :1] * 2), [(3, 3)]),
    "scatter": (lambda x, s: x.scatter(0, _index([[1, 0, 2], [0, 2, 1]]), s), [(3, 3),
                                                                             (2, 3)]),
    "scatter_value": (lambda x: x.scatter(1, _index([[1], [0]]), value=2.0), [(2, 3)]),
    "scatter_add": (lambda x, s: x.scatter_add(1, _index([[0, 0, 2], [1, 1, 1]]), s),
                    [(2, 3), (2, 4)]),
    "index_add": (lambda x, s: x.index_add(0, _index([2, 0, 2]), s, alpha=2), [(3, 2),
                                                                             (3, 2)]),
    "index_fill": (lambda x: x.index_fill(1, _index([0, 2]), -1.0), [(2, 3)]),
    "broadcast_to": (lambda x: x.broadcast_to((2, 3, 4)), [(3, 1)]),
    "broadcast_tensors": (lambda a, b: sum(t.sum() for t in pynn.broadcast_tensors(a, b)),
                          [(3, 1), (1, 4)]),
    "meshgrid": (lambda a, b: sum((g * (i + 1)).sum() for i, g in enumerate(
        pynn.meshgrid(a, b, indexing="xy"))), [(3,), (2,)]),
    "column_stack": (lambda a, b: pynn.column_stack([a, b]), [(3,), (3, 2)]),
    "ravel": (lambda x: x.t().ravel(), [(2, 3)]),
    "fliplr": (lambda x: pynn.fliplr(x) * pynn.arange(6.0).reshape(2, 3), [(2, 3)]),
    "where_method": (lambda x, y: x.where(x > 0, y), [(3, 2), (3, 2)]),
    "nonzero_indexing": (lambda x: x[pynn.nonzero(x > 0, as_tuple=True)], [(3, 3)]),
    "argwhere_rows": (lambda x: x[pynn.argwhere(x[:, 0] > 0)[:, 0]], [(4, 2)]),
    "unflatten": (lambda x: pynn.unflatten(x, 1, (2, 3)), [(2, 6)]),
}



@SETTINGS
@given(shape=array_shapes(min_dims=1, max_dims=3, max_side=4), seed=st.integers(0, 99),
       data=st.data())
def test_gradcheck_masked_select_and_tile_on_any_shape(shape, seed, data):
    reps = tuple(data.draw(st.lists(st.integers(1, 3), min_size=1, max_size=3)))
    check(lambda x: x.masked_select(x > 0.5).sum() + x.tile(reps).pow(2).sum(), shape,
          seed=seed)


# ---- reductions ---------------------------------------------------------------------------------

REDUCTIONS = {
    "cumprod": (lambda x: x.cumprod(1), [(3, 4)]),
    "cumprod_dim0": (lambda x: pynn.cumprod(x, 0), [(4, 2)]),
    "median_all": (lambda x: x.median(), [(3, 5)]),
    "median_dim": (lambda x: x.median(dim=1, keepdim=True).values, [(3, 4)]),
    "mode": (lambda x: (x * 4).round().mode(0).values + x.sum(0), [(5, 2)]),
    "kthvalue": (lambda x: x.kthvalue(2, dim=1).values, [(3, 4)]),
    "nansum": (lambda x: x.nansum(1), [(3, 4)]),
    "nanmean": (lambda x: x.nanmean(0), [(3, 4)]),
    "var_mean": (lambda x: sum(pynn.var_mean(x, 1)), [(3, 4)]),
    "std_mean": (lambda x: sum(pynn.std_mean(x, 0, correction=0)), [(3, 4)]),
    "aminmax": (lambda x: sum(pynn.aminmax(x, dim=1)), [(3, 4)]),
    "logsumexp": (lambda x: x.logsumexp(0), [(3, 4)]),
    "std_unbiased_all": (lambda x: x.std(), [(3, 4)]),
}



@SETTINGS
@given(shape=array_shapes(min_dims=1, max_dims=3, max_side=4), seed=st.integers(0, 99),
       data=st.data())
def test_gradcheck_cumprod_and_median_along_any_dim(shape, seed, data):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    check(lambda x: x.cumprod(dim).sum() + x.median(dim).values.sum(), shape, seed=seed)


# ---- elementwise --------------------------------------------------------------------------------

ELEMENTWISE = {
    "erf": (pynn.erf, [(3, 4)]), "erfc": (pynn.erfc, [(3, 4)]),
    "logit": (lambda x: pynn.logit(x.sigmoid()), [(3, 4)]),
    "logit_eps": (lambda x: x.sigmoid().logit(eps=0.2), [(3, 4)]),
    "nan_to_num": (lambda x: pynn.nan_to_num(x * 2), [(3, 4)]),
    "clamp_min": (lambda x: x.clamp_min(0.3), [(3, 4)]),
    "clamp_max": (lambda x: pynn.clamp_max(x, -0.2), [(3, 4)]),
    "fmod": (lambda a, b: pynn.fmod(a, b.abs() + 0.7), [(3, 4), (3, 4)]),
    "fmod_scalar": (lambda a: a.fmod(0.7), [(3, 4)]),
    "atan2": (lambda a, b: pynn.atan2(a, b), [(3, 4), (3, 4)]),
    "lerp": (lambda a, b: a.lerp(b, 0.25), [(3, 4), (3, 4)]),
    "lerp_tensor_weight": (lambda a, b, w: pynn.lerp(a, b, w), [(3, 4), (3, 4), (4,)]),
    "addcmul": (lambda x, a, b: x.addcmul(a, b, value=-0.5), [(3, 4), (3, 4), (4,)]),
    "addcdiv": (lambda x, a, b: pynn.addcdiv(x, a, b.abs() + 1), [(3, 4), (3, 4), (3, 4)]),
    "hypot": (lambda a, b: pynn.hypot(a, b), [(3, 4), (3, 4)]),
    "float_power": (lambda a: (a.abs() + 0.5).float_power(1.5), [(3, 4)]),
    "softmax_method": (lambda x: x.softmax(0), [(3, 4)]),
    "log_softmax_top": (lambda x: pynn.log_softmax(x, dim=1), [(3, 4)]),
    "hardshrink": (lambda x: F.hardshrink(x, 0.3), [(3, 4)]),
    "softshrink": (lambda x: F.softshrink(x, 0.3), [(3, 4)]),
}



TABLES = {f"{family}.{name}": entry for family, table in [
    ("linalg", LINALG), ("layout", LAYOUT), ("reduction", REDUCTIONS),
    ("elementwise", ELEMENTWISE)] for name, entry in table.items()}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_gradcheck_ops(name):
    fn, shapes = TABLES[name]
    check(fn, *shapes, seed=len(name))


# ---- layers -------------------------------------------------------------------------------------

def test_gradcheck_batch_norm_in_training_and_evaluation():
    mean, var = pynn.zeros(3, dtype=pynn.float64), pynn.ones(3, dtype=pynn.float64)
    check(lambda x, w, b: F.batch_norm(x, mean.clone(), var.clone(), w, b, training=True),
          (5, 3), (3,), (3,))
    check(lambda x, w, b: F.batch_norm(x, mean + 0.5, var * 2, w, b, training=False),
          (5, 3), (3,), (3,))
    check(lambda x: F.batch_norm(x, None, None, training=True), (4, 3, 2))


@SETTINGS
@given(batch=st.integers(2, 5), features=st.integers(1, 4), seed=st.integers(0, 99))
def test_gradcheck_batchnorm1d_module(batch, features, seed):
    layer = pynn.nn.BatchNorm1d(features).double()
    check(lambda x: layer(x), (batch, features), seed=seed)


def test_gradcheck_layer_norm_and_embedding():
    check(lambda x, w, b: F.layer_norm(x, (4,), w, b), (3, 4), (4,), (4,))
    check(lambda x: F.layer_norm(x, (2, 3)), (2, 2, 3))
    check(lambda w: F.embedding(pynn.tensor([[0, 2], [2, 1]]), w), (3, 4))
    w = leaf((3, 4))  # the padding row gets no gradient (so no finite-difference check)
    (F.embedding(pynn.tensor([0, 2, 1, 2]), w, padding_idx=2) ** 2).sum().backward()
    assert not w.grad[2].any() and w.grad[:2].abs().min() > 0


# ---- losses, input and target -------------------------------------------------------------------

LOSSES = {
    "mse": lambda x, t: F.mse_loss(x, t),
    "l1": lambda x, t: F.l1_loss(x, t + 0.05, reduction="sum"),
    "huber": lambda x, t: F.huber_loss(x, t, delta=0.5),
    "smooth_l1": lambda x, t: F.smooth_l1_loss(x, t, beta=0.5, reduction="none"),
    "bce": lambda x, t: F.binary_cross_entropy(x.sigmoid(), t.sigmoid()),
    "bce_weighted": lambda x, t: F.binary_cross_entropy(x.sigmoid(), t.sigmoid(),
                                                        weight=pynn.tensor([1.0, 2.0, 0.5])),
    "bce_logits": lambda x, t: F.binary_cross_entropy_with_logits(x, t.sigmoid()),
    "bce_logits_pos_weight": lambda x, t: F.binary_cross_entropy_with_logits(
        x, t.sigmoid(), pos_weight=pynn.tensor([3.0, 0.5, 1.0])),
    "bce_logits_weight_sum": lambda x, t: F.binary_cross_entropy_with_logits(
        x, t.sigmoid(), weight=pynn.tensor([1.0, 2.0, 0.5]), reduction="sum"),
    "cross_entropy_probs": lambda x, t: F.cross_entropy(x, t.softmax(1)),
    "cross_entropy_probs_smoothed": lambda x, t: F.cross_entropy(x, t.softmax(1),
                                                                 label_smoothing=0.2),
    "kl_div": lambda x, t: F.kl_div(x.log_softmax(1), t.softmax(1), reduction="batchmean"),
    "kl_div_log_target": lambda x, t: F.kl_div(x.log_softmax(1), t.log_softmax(1),
                                               log_target=True),
    "soft_margin": lambda x, t: F.soft_margin_loss(x, t),
}


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_gradcheck_losses_in_input_and_target(name):
    check(LOSSES[name], (4, 3), (4, 3), seed=len(name))


@pytest.mark.parametrize("options", [{}, {"label_smoothing": 0.1}, {"ignore_index": 2},
                                     {"weight": [1.0, 0.5, 2.0]}, {"reduction": "sum"},
                                     {"reduction": "none"}])
def test_gradcheck_class_index_losses(options):
    target = pynn.tensor([0, 2, 1, 2])
    opts = dict(options)
    if "weight" in opts:
        opts["weight"] = pynn.tensor(opts["weight"], dtype=pynn.float64)
    check(lambda x: F.cross_entropy(x, target, **opts), (4, 3))
    opts.pop("label_smoothing", None)
    check(lambda x: F.nll_loss(x.log_softmax(1), target, **opts), (4, 3))


# ---- custom Functions ---------------------------------------------------------------------------

class Legendre3(pynn.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return 0.5 * (5 * x ** 3 - 3 * x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * 1.5 * (5 * x ** 2 - 1)


class ScaleAndShift(pynn.autograd.Function):
    """Two tensor inputs, a number between them and two outputs."""

    @staticmethod
    def forward(ctx, x, k, y):
        ctx.save_for_backward(x, y)
        ctx.k = k
        return x * y * k, x + y

    @staticmethod
    def backward(ctx, g_product, g_sum):
        x, y = ctx.saved_tensors
        return g_product * y * ctx.k + g_sum, None, g_product * x * ctx.k + g_sum


def test_gradcheck_custom_functions():
    check(Legendre3.apply, (5,))
    check(lambda x, y: sum(o.sum() * (i + 1) for i, o in
                           enumerate(ScaleAndShift.apply(x, 3.0, y))), (2, 3), (2, 3))


# ---- ops made of the core ones (pynn/ops/composite.py) -------------------------------------------

COMPOSITE = {
    "cdist": (lambda a, b: pynn.cdist(a, b), [(3, 4), (2, 4)]),
    "cdist_p1": (lambda a, b: pynn.cdist(a, b, p=1), [(3, 4), (2, 4)]),
    "cdist_batched": (lambda a, b: pynn.cdist(a, b, p=3), [(2, 3, 4), (2, 2, 4)]),
    "tensor_split": (lambda a: pynn.cat([p * (i + 1) for i, p in enumerate(
        pynn.tensor_split(a, 3, dim=1))], 1), [(3, 5)]),
    "dstack": (lambda a, b: pynn.dstack([a, b]), [(3, 4), (3, 4)]),
    "rot90": (lambda a: a.rot90(1, [1, 2]), [(2, 3, 4)]),
    "kron": (lambda a, b: pynn.kron(a, b), [(2, 3), (3, 2)]),
    "cartesian_prod": (lambda a, b: pynn.cartesian_prod(a, b), [(3,), (2,)]),
    "combinations": (lambda a: pynn.combinations(a, 2), [(4,)]),
    "take_along_dim": (lambda a: pynn.take_along_dim(a, a.argsort(0), 0), [(3, 4)]),
    "cummax": (lambda a: a.cummax(1).values, [(3, 4)]),
    "cummin": (lambda a: pynn.cummin(a, 0).values, [(3, 4)]),
    "logcumsumexp": (lambda a: a.logcumsumexp(1), [(3, 4)]),
    "quantile": (lambda a: a.quantile(pynn.tensor([0.1, 0.5, 0.9], dtype=pynn.float64),
                                      dim=1), [(3, 5)]),
    "quantile_all": (lambda a: pynn.quantile(a, 0.3), [(3, 5)]),
    "cov": (lambda a: pynn.cov(a), [(3, 5)]),
    "corrcoef": (lambda a: pynn.corrcoef(a), [(3, 5)]),
    "asinh": (lambda a: a.asinh(), [(3, 4)]),
    "acosh": (lambda a: (a.abs() + 1.5).acosh(), [(3, 4)]),
    "atanh": (lambda a: (a / 3).atanh(), [(3, 4)]),
    "logaddexp": (lambda a, b: pynn.logaddexp(a, b), [(3, 4), (3, 4)]),
    "logaddexp2": (lambda a, b: a.logaddexp2(b), [(3, 4), (4,)]),
    "xlogy": (lambda a, b: pynn.xlogy(a, b.abs() + 0.5), [(3, 4), (3, 4)]),
    "fmax": (lambda a, b: pynn.fmax(a, b), [(3, 4), (3, 4)]),
    "copysign": (lambda a: pynn.copysign(a, -1.0), [(3, 4)]),
    "sinc": (lambda a: a.sinc(), [(3, 4)]),
    "inner": (lambda a, b: pynn.inner(a, b), [(3, 4), (2, 4)]),
    "tensordot": (lambda a, b: pynn.tensordot(a, b, dims=([0, 2], [1, 0])),
                  [(2, 3, 4), (4, 2, 5)]),
    "deg2rad": (lambda a: a.deg2rad(), [(3,)]),
}


@pytest.mark.parametrize("name", sorted(COMPOSITE))
def test_composite_op_gradients(name):
    fn, shapes = COMPOSITE[name]
    check(fn, *shapes)


# ---- second derivatives: the gradient computed with create_graph=True, gradcheck'd -------------

SECOND_ORDER = {
    "cube": (lambda x: x ** 3, [(3, 4)]),
    "mixed": (lambda x: (x.sin() * x.exp() + (x * x + 1).log()).tanh(), [(3, 4)]),
    "sigmoid_div": (lambda x: x.sigmoid() / (x * x + 1).sqrt(), [(3, 4)]),
    "reductions": (lambda x: x.sum(1, keepdim=True) * x.mean(0) + x.norm(), [(3, 4)]),
    "matmul": (lambda x: (x @ x.t()).pow(2), [(3, 4)]),
    "shapes": (lambda x: x.t().reshape(-1)[2:9].unsqueeze(1) ** 2, [(3, 4)]),
    "linear_tanh": (lambda x: pynn.nn.functional.linear(
        x, pynn.linspace(-1, 1, 8, dtype=pynn.float64).reshape(2, 4)).tanh(), [(3, 4)]),
}


@pytest.mark.parametrize("name", sorted(SECOND_ORDER))
def test_second_derivatives_by_gradcheck_of_the_gradient(name):
    fn, shapes = SECOND_ORDER[name]

    def first_derivative(x):
        with pynn.enable_grad():  # gradcheck's numeric passes run without a graph
            x = x if x.requires_grad else x.detach().requires_grad_(True)
            out = fn(x)
            weight = pynn.tensor(np.linspace(0.5, 1.5, out.numel()).reshape(tuple(out.shape)))
            return pynn.autograd.grad(out, x, weight, create_graph=True)[0]
    check(first_derivative, *shapes)


def test_create_graph_through_an_op_without_a_rule_names_it():
    x = leaf((3,))
    with pytest.raises(NotImplementedError, match="CumsumBackward0"):
        pynn.autograd.grad(x.cumsum(0)[-1], x, create_graph=True)


MARGIN_LOSSES = {
    "margin_ranking": (lambda a, b: F.margin_ranking_loss(
        a, b, pynn.tensor([1.0, -1.0, 1.0], dtype=pynn.float64), margin=0.2), [(3,), (3,)]),
    "cosine_embedding": (lambda a, b: F.cosine_embedding_loss(
        a, b, pynn.tensor([1.0, -1.0, 1.0], dtype=pynn.float64)), [(3, 4), (3, 4)]),
    "triplet": (lambda a, p, n: F.triplet_margin_loss(a, p, n, margin=3.0, swap=True),
                [(3, 4), (3, 4), (3, 4)]),
    "multi_margin": (lambda x: F.multi_margin_loss(x, pynn.tensor([0, 2, 1]), p=2),
                     [(3, 4)]),
    "multilabel_soft_margin": (lambda x, y: F.multilabel_soft_margin_loss(x, y.sigmoid()),
                               [(3, 4), (3, 4)]),
    "poisson_nll": (lambda x, y: F.poisson_nll_loss(x, y.abs()), [(3, 4), (3, 4)]),
    "gaussian_nll": (lambda x, y, v: F.gaussian_nll_loss(x, y, v.abs() + 0.5),
                     [(3, 4), (3, 4), (3, 4)]),
}


@pytest.mark.parametrize("name", sorted(MARGIN_LOSSES))
def test_margin_loss_gradients(name):
    fn, shapes = MARGIN_LOSSES[name]
    check(fn, *shapes)


EXTRA_LAYERS = {
    "group_norm": (lambda x, w, b: F.group_norm(x, 2, w, b), [(3, 4, 2), (4,), (4,)]),
    "rms_norm": (lambda x, w: F.rms_norm(x, (2, 3), w), [(4, 2, 3), (2, 3)]),
    "rrelu_eval": (lambda x: F.rrelu(x, 0.1, 0.3), [(3, 4)]),
}


@pytest.mark.parametrize("name", sorted(EXTRA_LAYERS))
def test_extra_layer_gradients(name):
    fn, shapes = EXTRA_LAYERS[name]
    check(fn, *shapes)
