"""Matrix decompositions of torch.linalg that PCA and linear-algebra demos use: eigh and
eigvalsh (symmetric matrices, differentiable), svdvals (differentiable), and svd and
torch.svd (their values; a gradient through U or V is refused with a clear error)."""
from collections import namedtuple

import numpy as np

from ..tensor import Tensor, is_grad_enabled, operand
from ..validate import ShapeError
from .linalg import float_matrices

_Eigh = namedtuple("linalg_eigh", ["eigenvalues", "eigenvectors"])
_Svd = namedtuple("linalg_svd", ["U", "S", "Vh"])
_OldSvd = namedtuple("svd", ["U", "S", "V"])


def _t(x):
    return np.swapaxes(x, -1, -2)


def eigh(A, UPLO="L"):
    """The eigenvalues (ascending) and eigenvectors (columns) of symmetric matrices, read from
    the lower (UPLO='L') or upper triangle, as torch.linalg.eigh. The gradient is finite where
    the eigenvalues are distinct: A's = V (diag(g_w) + (V^T g_V) / (w_j - w_i)) V^T."""
    a = float_matrices(A, "eigh", square=True)
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    w, v = np.linalg.eigh(a._data, UPLO=UPLO)
    w, v = w.astype(a._data.dtype), v.astype(a._data.dtype)
    values = Tensor._make(w)
    vectors = Tensor._make(v)
    if not (is_grad_enabled() and a._requires_grad):
        return _Eigh(values, vectors)
    gap = w[..., None, :] - w[..., :, None]  # w_j - w_i
    with np.errstate(divide="ignore"):
        inverse_gap = np.where(gap == 0, 0.0, 1.0 / np.where(gap == 0, 1.0, gap))

    def backward(g):  # g: the gradient of the packed output (row 0 values, then vectors)
        g_w, g_v = g[..., 0, :], g[..., 1:, :]
        inner = (_t(v) @ g_v) * inverse_gap + g_w[..., None] * np.eye(w.shape[-1],
                                                                     dtype=v.dtype)
        return (v @ inner @ _t(v),)
    # one op with two outputs: both are parts of one packed result, so the gradient of either
    # (or both) reaches backward
    packed = Tensor.from_op(np.concatenate([w[..., None, :], v], axis=-2), (a,), backward,
                            saved=())
    return _Eigh(packed[..., 0, :], packed[..., 1:, :])


def eigvalsh(A, UPLO="L"):
    """The eigenvalues (ascending) of symmetric matrices, differentiable."""
    return eigh(A, UPLO).eigenvalues


def svdvals(A):
    """The singular values (descending), differentiable: A's gradient is U diag(g) V^T."""
    a = float_matrices(A, "svdvals")
    u, s, vh = np.linalg.svd(a._data, full_matrices=False)
    u, s, vh = (x.astype(a._data.dtype) for x in (u, s, vh))

    def backward(g):
        return ((u * g[..., None, :]) @ vh,)
    return Tensor.from_op(s, (a,), backward, saved=())


def _refuse_grad(a, name):
    if is_grad_enabled() and a._requires_grad:
        raise NotImplementedError(
            f"{name}: pynn has no gradient through the singular vectors; call it on "
            f"A.detach() (or under no_grad), or use linalg.svdvals for differentiable "
            f"singular values")


def svd(A, full_matrices=True, *, driver=None):
    """U, S, Vh with A = U diag(S) Vh, as torch.linalg.svd (S descending)."""
    a = float_matrices(A, "svd")
    _refuse_grad(a, "linalg.svd")
    u, s, vh = np.linalg.svd(a._data, full_matrices=full_matrices)
    dtype = a._data.dtype
    return _Svd(*(Tensor._make(x.astype(dtype)) for x in (u, s, vh)))


def svd_old(input, some=True, compute_uv=True):
    """torch.svd: U, S, V (V, not its transpose), reduced unless some=False."""
    a = float_matrices(input, "svd")
    _refuse_grad(a, "torch.svd")
    u, s, vh = np.linalg.svd(a._data, full_matrices=not some)
    dtype = a._data.dtype
    if not compute_uv:
        u, vh = np.zeros_like(u), np.zeros_like(vh)
    return _OldSvd(*(Tensor._make(np.ascontiguousarray(x).astype(dtype))
                     for x in (u, s, _t(vh))))
