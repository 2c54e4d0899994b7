"""pynn: a small reverse-mode autograd engine with a C core, a PyTorch-style API (pynn, nn,
optim, functional, utils.data) and a Keras-style one (pynn.keras). `import pynn as torch` runs
beginner PyTorch scripts; the names below are PyTorch's."""
import builtins
import math as _math

import numpy as np

from . import dtypes, ops
from .backend import kernels as _kernels
from .dtypes import (bool, double, float, float16, float32, float64, get_default_dtype, half, int,
                     int8, int16, int32, int64, long, set_default_dtype, short, uint8)
from .dtypes import bfloat16, cdouble, cfloat, complex64, complex128  # names only: no tensors
from .ops.arithmetic import (add, addcdiv, addcmul, atan2, bmm, div, divide, dot, float_power,
                             floor_divide, fmod, hypot, lerp, matmul, mm, mul, multiply, neg,
                             negative, pow, remainder, sub, subtract, true_divide)
from .ops.comparison import (allclose, argsort, bitwise_and, bitwise_not, bitwise_or, eq, equal,
                             ge, greater, gt, isclose, isfinite, isinf, isnan, le, less,
                             logical_and, logical_not, logical_or, logical_xor, lt, maximum,
                             minimum, ne, not_equal, sort, topk, unique, bincount, isin,
                             searchsorted, kthvalue)
from .ops.composite import (acosh, asinh, atanh, atleast_1d, atleast_2d, atleast_3d, bucketize,
                            cartesian_prod, cdist, combinations, copysign, corrcoef, cov,
                            cummax, cummin, deg2rad, diagflat, dsplit, dstack, fmax, fmin,
                            heaviside, histc, hsplit, inner, kron, logaddexp, logaddexp2,
                            logcumsumexp, nanquantile, quantile, rad2deg, range, rot90, sinc,
                            take_along_dim, tensor_split, tensordot, tril_indices, triu_indices,
                            vsplit, xlogy)
from .ops.composite import acosh as arccosh, asinh as arcsinh, atanh as arctanh
from .ops.conversion import clone
from .ops.creation import (arange, bernoulli, empty, empty_like, eye, full, full_like, linspace,
                           logspace, multinomial, normal, ones, ones_like, poisson, rand,
                           rand_like, randint, randint_like, randn, randn_like, randperm, zeros,
                           zeros_like)
from .ops.elementwise import (abs, absolute, acos, asin, atan, ceil, clamp, clip, cos, cosh, exp,
                              exp2, expm1, floor, frac, log, log1p, log2, log10, reciprocal, relu,
                              round, rsqrt, sigmoid, sign, sin, sinh, sqrt, square, tan, tanh,
                              trunc, erf, erfc, logit, nan_to_num, clamp_min, clamp_max,
                              signbit, sign as sgn)
from .ops.linalg import addmm, cross, det, diag, einsum, inverse, mv, outer, pinv, trace
from .ops.linalg import outer as ger, pinv as pinverse
from .ops.decompositions import svd_old as svd
from .ops.reduction import (all, amax, amin, aminmax, any, argmax, argmin, count_nonzero,
                            cumprod, cumsum, dist, logsumexp, max, mean, median, min, mode,
                            nanmean, nansum, norm, prod, std, std_mean, sum, var, var_mean)
from .ops.shape import (argwhere, broadcast_tensors, broadcast_to, cat, chunk, column_stack,
                        diagonal, diff, flatten, flip, fliplr, flipud, gather, hstack, index_add,
                        index_select, masked_fill, masked_select, meshgrid, movedim, narrow,
                        nonzero, permute, ravel, repeat_interleave, reshape, roll, scatter,
                        scatter_add, select, split, squeeze, stack, t, take, tile, tril, triu,
                        unbind, unflatten, unsqueeze, vstack, where)
from .ops.shape import movedim as moveaxis
from .ops.shape import cat as concat, cat as concatenate, transpose, transpose as swapaxes
from .ops.shape import vstack as row_stack, transpose as swapdims
from .ops.elementwise import acos as arccos, asin as arcsin, atan as arctan
from .ops.arithmetic import atan2 as arctan2
from .tensor import (Size, Tensor, as_tensor, device, enable_grad, from_numpy, inference_mode,
                     is_grad_enabled, no_grad, set_grad_enabled, tensor)
from .tensor import CPU as _CPU, check_device as _check_device
from .validate import num_threads as _num_threads
from . import autograd, cuda, functional, nn, optim, utils  # noqa: E402  (built on the above)
from . import accelerator, backends, distributions, linalg, mps, special, testing  # noqa: E402
from . import amp, func, multiprocessing  # noqa: E402
from .amp import autocast  # noqa: E402
from .functional import dropout, log_softmax, softmax  # noqa: E402
from .functional import (celu, cosine_similarity, hardshrink, layer_norm,  # noqa: E402
                         pairwise_distance, pdist, prelu, rrelu, selu)
from .ops.comparison import ge as greater_equal, le as less_equal  # noqa: E402
from .printing import get_printoptions, printoptions, set_printoptions  # noqa: E402
from .random import Generator  # noqa: E402
from .gradcheck import GradcheckError, gradcheck  # noqa: E402
from .random import manual_seed, seed, initial_seed  # noqa: E402
from .random import get_rng_state, set_rng_state  # noqa: E402
from .serialization import load, save  # noqa: E402
from . import data, math  # noqa: E402  (tf.data's Dataset, tf.math's names)
from .gradient_tape import GradientTape  # noqa: E402  (tf.GradientTape)
from . import config, test  # noqa: E402  (tf.config, tf.test: the devices)
from .tensorflow_names import executing_eagerly, shape, size  # noqa: E402
from .tensorflow_names import tf_print as print  # noqa: E402  (tf.print)
from . import random  # noqa: E402
from .tensorflow_names import normal as _normal, shuffle as _shuffle, uniform as _uniform  # noqa
random.uniform, random.normal, random.shuffle = _uniform, _normal, _shuffle  # tf.random's
from .tensorflow_names import (cast, clip_by_value, constant, convert_to_tensor,  # noqa: E402
                               expand_dims, one_hot, reduce_all, reduce_any,
                               reduce_logsumexp, reduce_max, reduce_mean, reduce_min,
                               reduce_prod, reduce_std, reduce_sum, reduce_variance)

__version__ = "0.2.0"

from .out import NAMES as _OUT_NAMES, with_out as _with_out  # noqa: E402
for _name in _OUT_NAMES:  # torch.matmul(a, b, out=c) and its kin
    globals()[_name] = _with_out(globals()[_name])
del _name


def get_num_threads():
    """How many threads a large matrix product may use (PYNN_NUM_THREADS, else
    OMP_NUM_THREADS, else every core)."""
    return _kernels.get_num_threads()


def set_num_threads(n):
    """Set how many threads a large matrix product may use; 1 keeps every kernel on the calling
    thread."""
    _kernels.set_num_threads(_num_threads(n))


pi, e, inf, nan, newaxis = _math.pi, _math.e, _math.inf, _math.nan, None
dtype = np.dtype  # isinstance(x.dtype, pynn.dtype)


class memory_format:
    """A memory layout, as torch.contiguous_format names one: pynn's tensors are NumPy arrays,
    so every layout is accepted and changes nothing."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"pynn.{self.name}"


contiguous_format = memory_format("contiguous_format")
preserve_format = memory_format("preserve_format")
channels_last = memory_format("channels_last")
channels_last_3d = memory_format("channels_last_3d")
legacy_contiguous_format = contiguous_format


def set_default_device(device):
    """Where new tensors go: the CPU ('cpu', torch.device('cpu') or None), the only device pynn
    has; naming another is a clear error, as putting a tensor there would be."""
    _check_device(device)


def get_default_device():
    return _CPU


def is_tensor(obj):
    return isinstance(obj, Tensor)


def is_nonzero(input):
    """The truth of a one-element tensor."""
    return builtins.bool(input)


def typename(obj):
    """'torch.FloatTensor' and its kin for a tensor, the type's name for anything else."""
    return obj.type() if isinstance(obj, Tensor) else type(obj).__qualname__


def finfo(type=None):
    """The limits of a floating-point dtype (eps, max, min, tiny), as torch.finfo."""
    return np.finfo(get_default_dtype() if type is None else dtypes.as_dtype(type))


def iinfo(type):
    """The limits of an integer dtype (max, min, bits), as torch.iinfo."""
    return np.iinfo(dtypes.as_dtype(type))


_deterministic = [False]


def use_deterministic_algorithms(mode, *, warn_only=False):
    """Accepted, as scripts set it for reproducibility: pynn's results depend on the seed
    only."""
    _deterministic[0] = builtins.bool(mode)


def are_deterministic_algorithms_enabled():
    return _deterministic[0]


def set_default_tensor_type(t):
    """The old way to choose the default float dtype: 'torch.DoubleTensor' or a legacy type."""
    name = getattr(t, "__name__", t)
    set_default_dtype(float64 if "Double" in str(name) else float32)


def compile(model=None, **kwargs):
    """The model (or function) itself: pynn has no compiler, and runs it as it is."""
    if model is None:
        return lambda m: m
    return model


def numel(input):
    return input.numel()


def is_floating_point(input):
    return input.is_floating_point()


def is_complex(input):
    """False: pynn has no complex dtypes."""
    return False


_matmul_precision = ["highest"]


def set_float32_matmul_precision(precision):
    """Accepted, as scripts set it for GPUs ('highest', 'high' or 'medium'): pynn's float32
    products are always computed in float32."""
    if precision not in ("highest", "high", "medium"):
        raise RuntimeError(f"Invalid precision {precision!r}; expected 'highest', 'high' or "
                           f"'medium'")
    _matmul_precision[0] = precision


def get_float32_matmul_precision():
    return _matmul_precision[0]


class _LegacyType(type):
    """The type of torch.FloatTensor and its kin: calling one makes a tensor of its dtype, and
    isinstance(x, pynn.FloatTensor) asks whether x is a tensor of that dtype."""

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj.dtype == cls.dtype


def _legacy(name, dtype):
    """torch.FloatTensor and its kin: a tensor of this dtype from data, or of these sizes."""
    def __new__(cls, *data, device=None):
        return Tensor(*data, dtype=dtype, device=device)
    return _LegacyType(name, (), {"__new__": __new__, "dtype": dtype, "__module__": "pynn",
                                  "__doc__": f"A {dtype} tensor from data or sizes."})


FloatTensor = _legacy("FloatTensor", float32)
DoubleTensor = _legacy("DoubleTensor", float64)
LongTensor = _legacy("LongTensor", int64)
IntTensor = _legacy("IntTensor", int32)
BoolTensor = _legacy("BoolTensor", bool)
ByteTensor = _legacy("ByteTensor", uint8)


def function(func=None, **kwargs):
    """tf.function: the function itself (pynn runs Python eagerly, nothing to trace); as a
    decorator with or without arguments."""
    if func is None:
        return lambda f: f
    return func


def _accept_arrays():
    """TensorFlow's functions take NumPy arrays: so do these of pynn's, for `import tensorflow
    as tf` scripts (tf.argmax(model.predict(x), axis=1)); tf.transpose(a) reverses the axes."""
    from .tensorflow_names import ACCEPT_ARRAYS, accepts_arrays, transpose_or_reverse
    names = globals()
    names["transpose"] = transpose_or_reverse(names["transpose"])
    for name in ACCEPT_ARRAYS:
        names[name] = accepts_arrays(names[name])
    for name in ACCEPT_ARRAYS + ["transpose"]:
        names[name].__module__ = __name__  # found again by this name (a model saved whole)


_accept_arrays()
