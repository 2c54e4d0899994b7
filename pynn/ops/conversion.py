"""Conversions: to another dtype (float(), long(), to(dtype), type(...)), clone, contiguous, and
the device moves (to('cpu'), cpu(); cuda() is a clear error: pynn runs on the CPU).

A cast between float dtypes is differentiable: the gradient is cast back.
"""
import numpy as np

from .. import dtypes, validate
from ..tensor import Tensor, check_device, device, inplace_method

# torch's legacy type names, as x.type() returns them and x.type('torch.FloatTensor') takes them
_TYPE_NAMES = {dtypes.float32: "FloatTensor", dtypes.float64: "DoubleTensor",
               dtypes.float16: "HalfTensor", dtypes.int64: "LongTensor",
               dtypes.int32: "IntTensor", dtypes.int16: "ShortTensor",
               dtypes.int8: "CharTensor", dtypes.uint8: "ByteTensor", dtypes.bool: "BoolTensor"}
_BY_TYPE_NAME = {name: dtype for dtype, name in _TYPE_NAMES.items()}


def cast(input, dtype, copy=False):
    """input in dtype: itself when it already is (unless copy), else a converted copy."""
    dtype = dtypes.as_dtype(dtype)
    x = input
    if x._data.dtype == dtype and not copy:
        return x
    if x._requires_grad and dtype.kind != "f":
        return Tensor._make(x._data.astype(dtype))  # integers carry no gradient
    with np.errstate(invalid="ignore", over="ignore"):
        out = x._data.astype(dtype)
    return Tensor.from_op(out, (x,), lambda g: (g.astype(x._data.dtype),), saved=())


def to(input, *args, dtype=None, device=None, copy=False, non_blocking=False):
    """x.to(dtype), x.to('cpu'), x.to(device, dtype), x.to(other) (its dtype), as in PyTorch."""
    for arg in args:
        if isinstance(arg, Tensor):
            dtype = arg._data.dtype
        elif isinstance(arg, (str, _Device)):
            device = arg
        else:
            dtype = arg
    check_device(device)
    return input if dtype is None and not copy else cast(input, dtype or input._data.dtype,
                                                         copy=validate.flag(copy, "copy"))


_Device = device


def type(input, dtype=None, non_blocking=False):
    """x.type() names the tensor's type ('torch.FloatTensor'); x.type(dtype) converts."""
    if dtype is None:
        return "torch." + _TYPE_NAMES[input._data.dtype]
    name = dtype if isinstance(dtype, str) else getattr(dtype, "__name__", None)
    if isinstance(name, str) and name.split(".")[-1] in _BY_TYPE_NAME:  # x.type(pynn.LongTensor)
        dtype = _BY_TYPE_NAME[name.split(".")[-1]]
    return cast(input, dtype)


def copy(input, src):
    """src's values in input's dtype: input.copy_(src) writes them into input."""
    src = src if isinstance(src, Tensor) else Tensor._make(validate.as_array(src, "copy_: src"))
    return cast(src, input._data.dtype, copy=True)


def clone(input, memory_format=None):
    """A copy in new memory, in the graph (its gradient flows to input)."""
    return Tensor.from_op(input._data.copy(), (input,), lambda g: (g,), saved=())


def contiguous(input, memory_format=None):
    """input itself when its memory is C-contiguous, else a contiguous copy."""
    if input._data.flags.c_contiguous:
        return input
    return Tensor.from_op(np.ascontiguousarray(input._data), (input,), lambda g: (g,), saved=())


def is_contiguous(input, memory_format=None):
    return bool(input._data.flags.c_contiguous)


def cpu(input, memory_format=None):
    return input


def cuda(input, device=None, non_blocking=False):
    raise RuntimeError("pynn runs on the CPU only: there is no CUDA device (pynn.cuda."
                       "is_available() is False); leave the tensor where it is, or use "
                       ".to('cpu')")


def _as(dtype):
    def method(input, memory_format=None):
        return cast(input, dtype)
    method.__name__ = str(dtype)
    return method


def stride(input, dim=None):
    """The step in elements between neighbours along each dimension (as PyTorch counts it)."""
    steps = tuple(s // input._data.itemsize for s in input._data.strides)
    return steps if dim is None else steps[validate.axis(dim, input._data.ndim)]


def apply_(input, callable):
    """Each element replaced by callable(element), in place (outside the graph)."""
    if input._requires_grad:
        raise RuntimeError("apply_ is only implemented on tensors that don't require grad")
    flat = input._data.reshape(-1)
    flat[...] = [callable(v) for v in flat.tolist()]
    input._version.value += 1
    return input


def new_tensor(input, data, dtype=None, requires_grad=False):
    from ..tensor import tensor
    return tensor(data, dtype=input._data.dtype if dtype is None else dtype,
                  requires_grad=requires_grad)


def _new(fill):
    def method(input, *size, dtype=None, requires_grad=False, device=None):
        check_device(device)
        dtype = input._data.dtype if dtype is None else dtypes.as_dtype(dtype)
        out = Tensor._make(fill(validate.shape(size, "new tensor"), dtype))
        return out.requires_grad_(requires_grad) if requires_grad else out
    return method


def new_full(input, size, fill_value, dtype=None, requires_grad=False, device=None):
    check_device(device)
    dtype = input._data.dtype if dtype is None else dtypes.as_dtype(dtype)
    out = Tensor._make(np.full(validate.shape(size, "new_full"), fill_value, dtype))
    return out.requires_grad_(requires_grad) if requires_grad else out


METHODS = {
    "to": to, "type": type, "clone": clone, "contiguous": contiguous,
    "is_contiguous": is_contiguous, "cpu": cpu, "cuda": cuda,
    "get_device": lambda input: -1, "pin_memory": cpu, "is_pinned": lambda input: False,
    "share_memory_": cpu, "ndimension": lambda input: input._data.ndim,
    "data_ptr": lambda input: input._data.ctypes.data, "stride": stride, "apply_": apply_,
    "storage_offset": lambda input: 0 if input._base is None else
    (input._data.ctypes.data - input._base._data.ctypes.data) // input._data.itemsize,
    "float": _as(dtypes.float32), "double": _as(dtypes.float64), "half": _as(dtypes.float16),
    "long": _as(dtypes.int64), "int": _as(dtypes.int32), "short": _as(dtypes.int16),
    "char": _as(dtypes.int8), "byte": _as(dtypes.uint8), "bool": _as(dtypes.bool),
    "type_as": lambda input, other: cast(input, other._data.dtype),
    "new_tensor": new_tensor, "new_zeros": _new(np.zeros), "new_ones": _new(np.ones),
    "new_empty": _new(np.zeros), "new_full": new_full,
    "copy_": inplace_method(copy),
}
