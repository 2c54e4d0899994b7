"""pynn.linalg, as torch.linalg: norms, inverse, determinant, solve, least squares."""
from .ops.arithmetic import matmul
from .ops.linalg import (cross, det, inverse as inv, linalg_norm as norm, lstsq, pinv, solve,
                         vector_norm)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    """The Frobenius norm of each matrix (the last two dimensions)."""
    return norm(A, ord, dim, keepdim, dtype=dtype)


__all__ = ["cross", "det", "inv", "lstsq", "matmul", "matrix_norm", "norm", "pinv", "solve",
           "vector_norm"]
