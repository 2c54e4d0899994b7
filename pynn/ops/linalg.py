"""Linear algebra beyond the matrix product: mv, outer, addmm, einsum, trace, diag, inverse,
det, solve, lstsq, pinv and the norms of torch.linalg, each with its gradient where PyTorch has
one (lstsq's solution is differentiated through the pseudo-inverse)."""
from collections import namedtuple

import numpy as np

from .. import validate
from ..tensor import Tensor, operand
from ..validate import ShapeError
from .arithmetic import add, matmul, mul
from .reduction import norm, sqrt_sum_squares


def float_matrices(a, name, square=False):
    """a (a tensor or what converts to one) checked as a float matrix or a batch of them
    (square ones if square), with PyTorch's errors for linalg.<name>."""
    a = a if isinstance(a, Tensor) else operand(a, None)
    if a._data.ndim < 2:
        raise ShapeError(f"linalg.{name}: The input tensor A must have at least 2 dimensions.")
    if square and a._data.shape[-1] != a._data.shape[-2]:
        raise ShapeError(f"linalg.{name}: A must be batches of square matrices, but they are "
                         f"{' by '.join(map(str, a._data.shape[-2:]))} matrices")
    if a._data.dtype.kind != "f":
        raise RuntimeError(f"linalg.{name}: Expected a floating point tensor as input. Got "
                           f"{a._data.dtype}")
    return a


def mv(input, vec):
    """The product of a matrix (n, m) and a vector (m,), as torch.mv."""
    vec = operand(vec, input)
    if input._data.ndim != 2 or vec._data.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {input._data.ndim}, "
                           f"{vec._data.ndim}")
    return matmul(input, vec)


def outer(input, vec2):
    """The outer product of two vectors: (n,) and (m,) give (n, m)."""
    vec2 = operand(vec2, input)
    if input._data.ndim != 1 or vec2._data.ndim != 1:
        raise RuntimeError(f"outer: expected 1-D tensors, got {input._data.ndim}-D and "
                           f"{vec2._data.ndim}-D")
    return mul(input.reshape(-1, 1), vec2.reshape(1, -1))


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """beta * input + alpha * (mat1 @ mat2), as torch.addmm."""
    product = matmul(mat1, mat2)
    if alpha != 1:
        product = mul(product, alpha)
    return add(mul(input, beta) if beta != 1 else input, product)


def einsum(equation, *operands):
    """Einstein summation, as torch.einsum ('ij,jk->ik', a, b); each operand's gradient is the
    einsum of the output's gradient with the other operands."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not isinstance(equation, str):
        raise TypeError(f"einsum(): the equation must be a string, got {type(equation).__name__}")
    tensors = tuple(t if isinstance(t, Tensor) else operand(t, None) for t in operands)
    equation = equation.replace(" ", "")
    if "..." in equation:
        raise NotImplementedError("einsum: pynn does not support '...' in the equation")
    inputs, arrow, output = equation.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(tensors):
        raise ValueError(f"einsum(): {len(terms)} operands in the equation, {len(tensors)} "
                         "given")
    if not arrow:
        letters = "".join(terms)
        output = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    for term, t in zip(terms, tensors):
        if len(term) != t._data.ndim:
            raise ShapeError(f"einsum(): the number of subscripts in the equation ({len(term)}) "
                             f"does not match the number of dimensions ({t._data.ndim}) for "
                             "an operand")
    arrays = [t._data for t in tensors]
    try:
        out = np.einsum(f"{','.join(terms)}->{output}", *arrays)
    except ValueError as exc:
        raise ShapeError(f"einsum(): {exc}") from None
    sizes = {c: n for term, a in zip(terms, arrays) for c, n in zip(term, a.shape)}

    def backward(g):
        grads = []
        for i, (term, t) in enumerate(zip(terms, tensors)):
            if not t._requires_grad:
                grads.append(None)
                continue
            if len(set(term)) != len(term):
                raise NotImplementedError("einsum: no gradient for a repeated index within "
                                          "one operand (a diagonal)")
            others = [terms[j] for j in range(len(terms)) if j != i]
            missing = [c for c in term if c not in output and not any(c in o for o in others)]
            spec = ",".join([output] + others) + "->" + "".join(c for c in term
                                                                  if c not in missing)
            grad = np.einsum(spec, g, *[arrays[j] for j in range(len(terms)) if j != i])
            for c in missing:  # an index summed away in one operand only: broadcast back
                grad = np.expand_dims(grad, term.index(c))
            grads.append(np.broadcast_to(grad, tuple(sizes[c] for c in term)))
        return tuple(grads)
    return Tensor.from_op(np.asarray(out), tensors, backward)


def trace(input):
    """The sum of the main diagonal of a matrix."""
    if input._data.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim "
                           f"{input._data.ndim}")
    shape = input._data.shape

    def backward(g):
        return (np.eye(*shape, dtype=g.dtype) * g,)
    return Tensor.from_op(np.asarray(np.trace(input._data)), (input,), backward, saved=())


def diag(input, diagonal=0):
    """A vector's values on the diagonal of a new matrix, or a matrix's diagonal as a vector."""
    data = input._data
    k = validate.integer(diagonal, "diag: diagonal")
    if data.ndim not in (1, 2):
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {data.ndim}D")
    out = np.diag(data, k)
    if data.ndim == 1:
        return Tensor.from_op(out, (input,), lambda g: (np.diag(g, k).copy(),), saved=())

    def backward(g):
        grad = np.zeros(data.shape, g.dtype)
        rows = np.arange(len(g)) + max(-k, 0)
        grad[rows, rows + k] = g
        return (grad,)
    return Tensor.from_op(out.copy(), (input,), backward, saved=())


def inverse(input):
    """The inverse of a square matrix (or of each in a batch); gradient -A^-T G A^-T."""
    a = float_matrices(input, "inv", square=True)
    try:
        out = np.linalg.inv(a._data)
    except np.linalg.LinAlgError:
        raise RuntimeError("linalg.inv: The diagonal element 1 is zero, the inversion could "
                           "not be completed because the input matrix is singular.") from None

    def backward(g):
        t = np.swapaxes(out, -1, -2)
        return (-(t @ g @ t),)
    return Tensor.from_op(out, (a,), backward, saved=(), saves_output=True)


def det(input):
    """The determinant; gradient det(A) A^-T."""
    a = float_matrices(input, "det", square=True)
    out = np.asarray(np.linalg.det(a._data))

    def backward(g):
        return (np.asarray(g * out)[..., None, None]
                * np.swapaxes(np.linalg.pinv(a._data), -1, -2),)
    return Tensor.from_op(out, (a,), backward)


def solve(A, B, *, left=True):
    """X with A X = B (B a matrix or a vector), through the inverse of A (differentiable in
    both)."""
    if not left:
        raise NotImplementedError("linalg.solve(left=False) is not supported")
    A = float_matrices(A, "solve", square=True)
    return matmul(inverse(A), operand(B, A))


def pinv(input, rcond=None, hermitian=False, *, atol=None, rtol=None):
    """The Moore-Penrose pseudo-inverse; its gradient is Golub and Pereyra's (exact where the
    rank does not change)."""
    a = input if isinstance(input, Tensor) else operand(input, None)
    data = a._data
    out = np.linalg.pinv(data) if rtol is None and rcond is None else \
        np.linalg.pinv(data, rcond=rtol if rtol is not None else rcond)

    def backward(g):
        p, at = out, data
        pt = np.swapaxes(p, -1, -2)
        eye_m = np.eye(at.shape[-2], dtype=g.dtype)
        eye_n = np.eye(at.shape[-1], dtype=g.dtype)
        gt = np.swapaxes(g, -1, -2)
        return (-(pt @ g @ pt) + (eye_m - at @ p) @ gt @ p @ pt
                + pt @ p @ gt @ (eye_n - p @ at),)
    return Tensor.from_op(out, (a,), backward, saves_output=True)


_Lstsq = namedtuple("lstsq", ["solution", "residuals", "rank", "singular_values"])


def lstsq(A, B, rcond=None, *, driver=None):
    """The least-squares solution X of A X = B, as torch.linalg.lstsq (a named tuple whose
    .solution is differentiable, through the pseudo-inverse)."""
    A = A if isinstance(A, Tensor) else operand(A, None)
    B = operand(B, A)
    if A._data.ndim != 2:
        raise NotImplementedError("linalg.lstsq: pynn solves one system (A a matrix)")
    solution = matmul(pinv(A), B)
    _, residuals, rank, sv = np.linalg.lstsq(A._data, B._data, rcond=rcond)
    return _Lstsq(solution, Tensor._make(np.asarray(residuals, A._data.dtype)),
                  Tensor._make(np.asarray(rank, np.int64)),
                  Tensor._make(np.asarray(sv, A._data.dtype)))


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    """The vector norm of all elements (or along dim), as torch.linalg.vector_norm."""
    x = x if dtype is None else x.to(dtype)
    if ord == 2:
        return sqrt_sum_squares(x, dim, keepdim)
    return norm(x, ord, dim, keepdim)


def linalg_norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    """torch.linalg.norm: the 2-norm of a vector, the Frobenius norm of a matrix (ord None),
    or the vector norm of order ord."""
    if ord in (None, "fro"):
        return vector_norm(A, 2, dim, keepdim, dtype=dtype)
    if A._data.ndim == 2 and dim is None and ord in (1, -1, float("inf"), float("-inf")):
        raise NotImplementedError("linalg.norm: matrix norms other than 'fro' are not "
                                  "supported; use linalg.vector_norm")
    return vector_norm(A, ord, dim, keepdim, dtype=dtype)


def cross(input, other, dim=None):
    """The cross product of 3-vectors along dim (the first of size 3 when None)."""
    other = operand(other, input)
    if dim is None:
        dim = next((i for i, n in enumerate(input._data.shape) if n == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    d = validate.axis(dim, input._data.ndim)
    a, b = input.unbind(d), other.unbind(d)
    from .shape import stack
    return stack([a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2],
                  a[0] * b[1] - a[1] * b[0]], d)


METHODS = {"mv": mv, "outer": outer, "ger": outer, "addmm": addmm, "trace": trace,
           "diag": diag, "inverse": inverse, "det": det, "pinverse": pinv, "cross": cross}
