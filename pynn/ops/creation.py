"""Making tensors: zeros, ones, full, eye, arange, linspace, rand, randn, randint, randperm,
normal, the *_like forms, and the in-place fills (zero_, fill_, normal_, uniform_, ...).

Each takes PyTorch's keywords (dtype, device, requires_grad). Random values come from pynn's
own generator, seeded by pynn.manual_seed.
"""
import math

import numpy as np

from .. import dtypes, random, validate
from ..tensor import Tensor, check_device, inplace_method


def _made(array, requires_grad, device):
    check_device(device)
    out = Tensor._make(array)
    return out.requires_grad_(requires_grad) if requires_grad else out


def _float_dtype(dtype):
    return dtypes.get_default_dtype() if dtype is None else dtypes.as_dtype(dtype)


def _filled(name, fill):
    def make(*sizes, size=None, dtype=None, device=None, requires_grad=False, out=None,
             shape=None):
        if shape is not None:  # TensorFlow's name: tf.ones(shape=(2, 3))
            if size is not None:
                raise TypeError("give the sizes as size= or shape=, not both")
            size = shape
        shape = validate.shape(_sizes_or(sizes, size), name)
        return _made(fill(shape, _float_dtype(dtype)), requires_grad, device)
    make.__name__ = make.__qualname__ = name
    return make


zeros = _filled("zeros", np.zeros)
ones = _filled("ones", np.ones)
empty = _filled("empty", np.zeros)  # torch leaves it uninitialised; zeros are safer


def full(size, fill_value, dtype=None, device=None, requires_grad=False):
    if dtype is None:
        category = dtypes.scalar_category(fill_value)
        dtype = dtypes.bool if category == 0 else dtypes.int64 if category == 1 else None
    return _made(np.full(validate.shape(size, "full"), fill_value, _float_dtype(dtype)),
                 requires_grad, device)


def eye(n, m=None, dtype=None, device=None, requires_grad=False):
    n = validate.integer(n, "eye: n")
    m = n if m is None else validate.integer(m, "eye: m")
    return _made(np.eye(n, m, dtype=_float_dtype(dtype)), requires_grad, device)


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False):
    """start, start + step, ... below end (arange(5) is 0..4): int64 if all three are ints,
    else the default float dtype, as in PyTorch."""
    if end is None:
        start, end = 0, start
    values = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    if dtype is None:
        integral = all(dtypes.scalar_category(v) in (0, 1) for v in values)
        dtype = dtypes.int64 if integral else dtypes.get_default_dtype()
    start, end, step = values
    if step == 0:
        raise RuntimeError("arange: step must be nonzero")
    count = max(0, math.ceil((end - start) / step))
    array = (start + step * np.arange(count, dtype=np.float64)).astype(dtypes.as_dtype(dtype))
    return _made(array, requires_grad, device)


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False):
    steps = validate.integer(steps, "linspace: steps")
    if steps < 0:
        raise RuntimeError("linspace: number of steps must be non-negative")
    array = np.linspace(float(start), float(end), steps).astype(_float_dtype(dtype))
    return _made(array, requires_grad, device)


def logspace(start, end, steps, base=10.0, dtype=None, device=None, requires_grad=False):
    array = np.logspace(float(start), float(end), validate.integer(steps, "logspace: steps"),
                        base=base).astype(_float_dtype(dtype))
    return _made(array, requires_grad, device)


def _sizes_or(sizes, size):
    """The sizes given positionally (zeros(2, 3)) or as size= (zeros(size=(2, 3)))."""
    if size is not None:
        if sizes:
            raise TypeError("give the sizes positionally or as size=, not both")
        return size
    return sizes


def rand(*sizes, size=None, dtype=None, device=None, requires_grad=False, generator=None):
    """Uniform values in [0, 1)."""
    array = random.generator(generator).random(validate.shape(_sizes_or(sizes, size), "rand"))
    array = array.astype(_float_dtype(dtype))
    return _made(array, requires_grad, device)


def randn(*sizes, size=None, dtype=None, device=None, requires_grad=False, generator=None):
    """Standard normal values."""
    array = random.generator(generator).standard_normal(
        validate.shape(_sizes_or(sizes, size), "randn"))
    return _made(array.astype(_float_dtype(dtype)), requires_grad, device)


def randint(low, high=None, size=None, dtype=None, device=None, requires_grad=False,
            generator=None):
    """Integers in [low, high) (randint(high, size) means low = 0), int64 by default."""
    if size is None:  # randint(high, size)
        if high is None:
            raise TypeError("randint() missing the size argument, e.g. randint(0, 10, (3,))")
        low, high, size = 0, low, high
    elif high is None:
        low, high = 0, low
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"randint(): size must be a tuple of ints, such as (3,), got "
                        f"{type(size).__name__} {size!r}")
    array = random.generator(generator).integers(low, high, validate.shape(tuple(size), "randint"))
    return _made(array.astype(dtypes.int64 if dtype is None else dtypes.as_dtype(dtype)),
                 requires_grad, device)


def randperm(n, dtype=None, device=None, requires_grad=False, generator=None):
    array = random.generator(generator).permutation(validate.integer(n, "randperm: n"))
    return _made(array.astype(dtypes.int64 if dtype is None else dtypes.as_dtype(dtype)),
                 requires_grad, device)


def normal(mean=0.0, std=1.0, size=None, dtype=None, device=None, requires_grad=False,
           generator=None):
    """Normal values: of `size`, or of the shape of mean or std when those are tensors."""
    m = mean._data if isinstance(mean, Tensor) else mean
    s = std._data if isinstance(std, Tensor) else std
    shape = validate.shape(tuple(size), "normal") if size is not None else \
        np.broadcast_shapes(np.shape(m), np.shape(s))
    like = mean if isinstance(mean, Tensor) else std if isinstance(std, Tensor) else None
    dtype = like._data.dtype if like is not None and dtype is None else _float_dtype(dtype)
    array = random.generator(generator).normal(m, s, shape).astype(dtype)
    return _made(array, requires_grad, device)


def bernoulli(input, p=None, *, generator=None):
    """1 with probability input (or p) for each element, else 0, in input's dtype."""
    probs = input._data if p is None else np.full(input._data.shape, p)
    if np.any((probs < 0) | (probs > 1)):
        raise RuntimeError("bernoulli: all probabilities must be in [0, 1]")
    draw = random.generator(generator).random(input._data.shape) < probs
    return Tensor._make(draw.astype(input._data.dtype))


def multinomial(input, num_samples, replacement=False, *, generator=None):
    """num_samples class indices drawn from the weights in each row of input (int64)."""
    weights = np.asarray(input._data, np.float64)
    if weights.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if np.any(weights < 0) or not np.all(np.isfinite(weights)):
        raise RuntimeError("invalid multinomial distribution (encountering probability entry "
                           "< 0)")
    rows = weights.reshape(-1, weights.shape[-1])
    num_samples = validate.positive_int(num_samples, "multinomial: num_samples")
    if not replacement and num_samples > rows.shape[1]:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    rng = random.generator(generator)
    out = []
    for row in rows:
        if row.sum() <= 0:
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        out.append(rng.choice(len(row), num_samples, replace=bool(replacement),
                              p=row / row.sum()))
    result = np.asarray(out, np.int64)
    return Tensor._make(result if weights.ndim == 2 else result[0])


def poisson(input, generator=None):
    return Tensor._make(random.generator(generator).poisson(input._data)
                        .astype(input._data.dtype))


def _like(make):
    def like(input, dtype=None, device=None, requires_grad=False, memory_format=None):
        dtype = input._data.dtype if dtype is None else dtype
        return make(input._data.shape, dtype=dtype, device=device, requires_grad=requires_grad)
    like.__name__ = like.__qualname__ = f"{make.__name__}_like"
    return like


zeros_like, ones_like, empty_like = _like(zeros), _like(ones), _like(empty)
rand_like, randn_like = _like(rand), _like(randn)


def full_like(input, fill_value, dtype=None, device=None, requires_grad=False):
    dtype = input._data.dtype if dtype is None else dtype
    return full(input._data.shape, fill_value, dtype, device, requires_grad)


def randint_like(input, low, high=None, dtype=None, device=None, requires_grad=False):
    return randint(low, high, input._data.shape, dtype or input._data.dtype, device,
                   requires_grad)


def one_hot(tensor, num_classes=-1):
    """Class indices as one-hot rows (int64), as F.one_hot: a new last dimension of
    num_classes (the largest index + 1 when -1)."""
    t = tensor._data
    if t.dtype.kind not in "iu":
        raise RuntimeError("one_hot is only applicable to index tensor (int64)")
    n = int(t.max()) + 1 if num_classes == -1 and t.size else validate.integer(num_classes,
                                                                                 "num_classes")
    if t.size and (t.min() < 0 or t.max() >= n):
        raise RuntimeError("Class values must be smaller than num_classes and non-negative.")
    return Tensor._make(np.eye(n, dtype=dtypes.int64)[t])


# ---- in-place fills: x.fill_(v), x.normal_(mean, std), ... -------------------------------------

def _constant(input, value):
    return Tensor._make(np.full(input._data.shape, value._data if isinstance(value, Tensor)
                                else value, input._data.dtype))


def _draw(draw):
    def fill(input, *args, generator=None, **kwargs):
        return Tensor._make(np.asarray(draw(random.generator(generator), input._data.shape, *args,
                                            **kwargs), input._data.dtype))
    fill.__name__ = draw.__name__
    return fill


def _normal(rng, shape, mean=0.0, std=1.0):
    return rng.normal(mean, std, shape)


def _uniform(rng, shape, a=0.0, b=1.0):
    return rng.uniform(a, b, shape)


def _bernoulli(rng, shape, p=0.5):
    return rng.random(shape) < p


def _exponential(rng, shape, lambd=1.0):
    return rng.exponential(1 / lambd, shape)


def _geometric(rng, shape, p):
    return rng.geometric(p, shape)


def _log_normal(rng, shape, mean=1.0, std=2.0):
    return rng.lognormal(mean, std, shape)


def _cauchy(rng, shape, median=0.0, sigma=1.0):
    return median + sigma * rng.standard_cauchy(shape)


def _random_integers(rng, shape, low=0, high=None):
    if high is None:
        low, high = 0, low if low else 2**24
    return rng.integers(low, high, shape)


METHODS = {
    "bernoulli": bernoulli, "multinomial": multinomial,
    "fill_": inplace_method(_constant),
    "zero_": inplace_method(lambda x: _constant(x, 0)),
    "normal_": inplace_method(_draw(_normal)),
    "uniform_": inplace_method(_draw(_uniform)),
    "bernoulli_": inplace_method(_draw(_bernoulli)),
    "exponential_": inplace_method(_draw(_exponential)),
    "random_": inplace_method(_draw(_random_integers)),
    "geometric_": inplace_method(_draw(_geometric)),
    "log_normal_": inplace_method(_draw(_log_normal)),
    "cauchy_": inplace_method(_draw(_cauchy)),
}
