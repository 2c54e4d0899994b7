"""pynn.linalg, as torch.linalg: norms, inverse, determinant, solve, least squares, eigh, svd."""
from .ops.arithmetic import matmul
from .ops.decompositions import eigh, eigvalsh, svd, svdvals
from .ops.linalg import (cross, det, inverse as inv, linalg_norm as norm, lstsq, pinv, solve,
                         vector_norm)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    """The Frobenius norm of each matrix (the last two dimensions)."""
    return norm(A, ord, dim, keepdim, dtype=dtype)


__all__ = ["cross", "det", "eigh", "eigvalsh", "inv", "lstsq", "matmul", "matrix_norm", "norm",
           "pinv", "solve", "svd", "svdvals", "vector_norm"]
