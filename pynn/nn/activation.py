"""Activations as modules, as torch.nn has them. ReLU, Sigmoid and Tanh name the activation a
Linear before them can fuse into its kernel call (fused_activation), which nn.Sequential does."""
from .. import functional as F, validate
from .module import Module, Parameter
from ..tensor import Tensor


class ReLU(Module):
    fused_activation = "relu"

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = validate.flag(inplace, "inplace")

    def forward(self, input):
        return input.relu_() if self.inplace else F.relu(input)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class Sigmoid(Module):
    fused_activation = "sigmoid"

    def forward(self, input):
        return F.sigmoid(input)


class Tanh(Module):
    fused_activation = "tanh"

    def forward(self, input):
        return F.tanh(input)


def _module(name, fn, params=(), doc=None, bare=False):
    """An activation module whose forward is fn(input, **its params), as torch.nn's are: its
    constructor takes the params (name, default) in order, and its repr shows them."""
    def __init__(self, *args, **kwargs):
        Module.__init__(self)
        names = [p for p, _ in params]
        if len(args) > len(names):
            raise TypeError(f"{name}() takes {len(names)} arguments, got {len(args)}")
        values = dict(params)
        values.update(zip(names, args))
        for key, value in kwargs.items():
            if key not in values:
                raise TypeError(f"{name}.__init__() got an unexpected keyword argument {key!r}")
            values[key] = value
        for key, value in values.items():
            object.__setattr__(self, key, value)

    def forward(self, input):
        return fn(input, **{p: getattr(self, p) for p, _ in params})

    def extra_repr(self):
        if bare:  # PyTorch prints some modules' values without names: Softshrink(0.5)
            return ", ".join(str(getattr(self, p)) for p, _ in params)
        return ", ".join(f"{p}={getattr(self, p)!r}" if isinstance(getattr(self, p), str) else
                         f"{p}={getattr(self, p)}" for p, default in params
                         if p != "inplace" or getattr(self, p))
    return type(name, (Module,), {"__init__": __init__, "forward": forward,
                                  "extra_repr": extra_repr, "__doc__": doc})


LeakyReLU = _module("LeakyReLU", F.leaky_relu, [("negative_slope", 0.01), ("inplace", False)])
ELU = _module("ELU", F.elu, [("alpha", 1.0), ("inplace", False)])
CELU = _module("CELU", F.celu, [("alpha", 1.0), ("inplace", False)])
SELU = _module("SELU", F.selu, [("inplace", False)])
GELU = _module("GELU", F.gelu, [("approximate", "none")])
SiLU = _module("SiLU", F.silu, [("inplace", False)])
Mish = _module("Mish", F.mish, [("inplace", False)])
Softplus = _module("Softplus", F.softplus, [("beta", 1.0), ("threshold", 20.0)])
Softsign = _module("Softsign", F.softsign)
Hardtanh = _module("Hardtanh", F.hardtanh, [("min_val", -1.0), ("max_val", 1.0),
                                            ("inplace", False)])
ReLU6 = _module("ReLU6", F.relu6, [("inplace", False)])
Hardsigmoid = _module("Hardsigmoid", F.hardsigmoid, [("inplace", False)])
Hardswish = _module("Hardswish", F.hardswish, [("inplace", False)])
LogSigmoid = _module("LogSigmoid", F.logsigmoid)
Tanhshrink = _module("Tanhshrink", F.tanhshrink)
Threshold = _module("Threshold", F.threshold, [("threshold", None), ("value", None),
                                               ("inplace", False)])
Softmax = _module("Softmax", F.softmax, [("dim", None)])
LogSoftmax = _module("LogSoftmax", F.log_softmax, [("dim", None)])
Softmin = _module("Softmin", F.softmin, [("dim", None)])
GLU = _module("GLU", F.glu, [("dim", -1)])
Hardshrink = _module("Hardshrink", F.hardshrink, [("lambd", 0.5)], bare=True)
Softshrink = _module("Softshrink", F.softshrink, [("lambd", 0.5)], bare=True)


class PReLU(Module):
    """max(0, x) + a * min(0, x) with a learnable a (one, or one per channel)."""

    def __init__(self, num_parameters=1, init=0.25, device=None, dtype=None):
        super().__init__()
        self.num_parameters = num_parameters
        self.weight = Parameter(Tensor(num_parameters).fill_(init))

    def forward(self, input):
        return F.prelu(input, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"
