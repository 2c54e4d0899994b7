"""pynn: a small reverse-mode autograd engine with a C core, a PyTorch-style API (pynn, nn,
optim, functional, utils.data) and a Keras-style one (pynn.keras). `import pynn as torch` runs
beginner PyTorch scripts; the names below are PyTorch's."""
from . import dtypes, ops
from .backend import kernels as _kernels
from .dtypes import (bool, double, float, float16, float32, float64, get_default_dtype, half, int,
                     int8, int16, int32, int64, long, set_default_dtype, short, uint8)
from .ops.arithmetic import (add, bmm, div, divide, dot, floor_divide, matmul, mm, mul, multiply,
                             neg, negative, pow, remainder, sub, subtract, true_divide)
from .ops.comparison import (allclose, argsort, bitwise_and, bitwise_not, bitwise_or, eq, equal,
                             ge, greater, gt, isclose, isfinite, isinf, isnan, le, less,
                             logical_and, logical_not, logical_or, logical_xor, lt, maximum,
                             minimum, ne, not_equal, sort, topk)
from .ops.conversion import clone
from .ops.creation import (arange, empty, empty_like, eye, full, full_like, linspace, logspace,
                           normal, ones, ones_like, rand, rand_like, randint, randint_like, randn,
                           randn_like, randperm, zeros, zeros_like)
from .ops.elementwise import (abs, absolute, acos, asin, atan, ceil, clamp, clip, cos, cosh, exp,
                              exp2, expm1, floor, frac, log, log1p, log2, log10, reciprocal, relu,
                              round, rsqrt, sigmoid, sign, sin, sinh, sqrt, square, tan, tanh,
                              trunc)
from .ops.reduction import (all, amax, amin, any, argmax, argmin, count_nonzero, cumsum,
                            logsumexp, max, mean, min, norm, prod, std, sum, var)
from .ops.shape import (cat, chunk, flatten, flip, gather, hstack, index_select, masked_fill,
                        narrow, permute, reshape, roll, select, split, squeeze, stack, t, tril,
                        triu, unbind, unsqueeze, vstack, where)
from .ops.shape import cat as concat, transpose, transpose as swapaxes
from .tensor import (Size, Tensor, as_tensor, device, enable_grad, from_numpy, inference_mode,
                     is_grad_enabled, no_grad, set_grad_enabled, tensor)
from .validate import num_threads as _num_threads
from . import autograd, cuda, functional, nn, optim, utils  # noqa: E402  (built on the above)
from .gradcheck import GradcheckError, gradcheck  # noqa: E402
from .random import manual_seed, seed, initial_seed  # noqa: E402
from .serialization import load, save  # noqa: E402

__version__ = "0.2.0"


def get_num_threads():
    """How many threads a large matrix product may use (PYNN_NUM_THREADS, else
    OMP_NUM_THREADS, else every core)."""
    return _kernels.get_num_threads()


def set_num_threads(n):
    """Set how many threads a large matrix product may use; 1 keeps every kernel on the calling
    thread."""
    _kernels.set_num_threads(_num_threads(n))


def is_tensor(obj):
    return isinstance(obj, Tensor)


def numel(input):
    return input.numel()


def is_floating_point(input):
    return input.is_floating_point()


def _legacy(name, dtype):
    """torch.FloatTensor and its kin: a tensor of this dtype from data, or of these sizes."""
    def make(*data, device=None):  # noqa: F811 (torch's keyword)
        return Tensor(*data, dtype=dtype, device=device)
    make.__name__ = make.__qualname__ = name
    return make


FloatTensor = _legacy("FloatTensor", float32)
DoubleTensor = _legacy("DoubleTensor", float64)
LongTensor = _legacy("LongTensor", int64)
IntTensor = _legacy("IntTensor", int32)
BoolTensor = _legacy("BoolTensor", bool)
ByteTensor = _legacy("ByteTensor", uint8)
