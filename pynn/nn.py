"""Layers as PyTorch writes them: Module, Parameter, Linear, activations and Sequential.

A Module finds its parameters and sub-modules from its attributes (assigning a Parameter or a
Module registers it under the attribute's name), so `parameters()`, `state_dict()` and
`zero_grad()` need no bookkeeping from the user.
"""
import math
from collections import namedtuple

import numpy as np

from . import functional as F, random, validate
from .tensor import Tensor

_IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


class Parameter(Tensor):
    """A Tensor that is a learnable weight of a Module: it always requires grad."""

    __slots__ = ()

    def __init__(self, data, dtype=None):
        super().__init__(data, requires_grad=True, dtype=dtype)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()


class Module:
    """Base class of every layer and model: subclasses set Parameters and Modules as attributes
    in __init__ (after calling super().__init__()) and define forward()."""

    def __init__(self):
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "training", True)

    def __setattr__(self, name, value):
        registry = self.__dict__.get("_parameters")
        if registry is None:
            raise AttributeError(f"cannot assign {name!r} before Module.__init__() is called: "
                                 f"call super().__init__() first in {type(self).__name__}")
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        if isinstance(value, Parameter):
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        object.__delattr__(self, name)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} has no forward()")

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    # ---- structure ----------------------------------------------------------------------------

    def children(self):
        """The direct sub-modules, in the order they were assigned."""
        return iter(self._modules.values())

    def named_modules(self, prefix=""):
        """(name, module) for this module and every sub-module below it, each once."""
        seen = set()
        stack = [(prefix, self)]
        while stack:
            name, module = stack.pop(0)
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            stack[:0] = [(f"{name}.{child}" if name else child, m)
                         for child, m in module._modules.items()]

    def modules(self):
        return (m for _, m in self.named_modules())

    def named_parameters(self):
        """(dotted name, Parameter) for every parameter, each once even if shared."""
        seen = set()
        for prefix, module in self.named_modules():
            for name, p in module._parameters.items():
                if id(p) not in seen:
                    seen.add(id(p))
                    yield (f"{prefix}.{name}" if prefix else name), p

    def parameters(self):
        return (p for _, p in self.named_parameters())

    def zero_grad(self, set_to_none=True):
        """Clear every parameter's gradient: None (the default, as PyTorch), or zeros."""
        for p in self.parameters():
            if set_to_none:
                p.grad = None
            elif p.grad is not None:
                p.grad[...] = 0

    def train(self, mode=True):
        """Set training mode here and in every sub-module; returns self."""
        mode = validate.flag(mode, "mode")
        for m in self.modules():
            object.__setattr__(m, "training", mode)
        return self

    def eval(self):
        """Set evaluation mode (training=False) everywhere; returns self."""
        return self.train(False)

    # ---- state --------------------------------------------------------------------------------

    def state_dict(self):
        """{dotted parameter name: copy of its values as an ndarray}, e.g. {'0.weight': ...}."""
        return {name: p.data.copy() for name, p in self.named_parameters()}

    def load_state_dict(self, state_dict, strict=True):
        """Copy the arrays of state_dict into the parameters of the same names, in place.

        strict: missing or unexpected names are an error (else they are only reported back).
        A shape mismatch is always an error, and nothing is changed unless every array fits.
        Returns (missing_keys, unexpected_keys), as PyTorch does."""
        if not isinstance(state_dict, dict):
            raise TypeError(f"load_state_dict: expected a dict of name -> array, "
                            f"got {type(state_dict).__name__}")
        strict = validate.flag(strict, "strict")
        own = dict(self.named_parameters())
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        if strict and (missing or unexpected):
            parts = ([f"missing keys {missing}"] if missing else []) + \
                    ([f"unexpected keys {unexpected}"] if unexpected else [])
            raise ValueError(f"load_state_dict for {type(self).__name__}: " + " and ".join(parts)
                           + f"; the model's keys are {list(own)}")
        arrays = {}
        for name, p in own.items():
            if name in state_dict:
                arr = validate.as_array(state_dict[name], f"state_dict[{name!r}]")
                if arr.shape != p.shape:
                    raise ValueError(f"load_state_dict: size mismatch for {name}: the checkpoint "
                                     f"has shape {arr.shape}, the model's parameter has shape "
                                     f"{p.shape}")
                arrays[name] = arr
        for name, arr in arrays.items():
            own[name].data[...] = arr
        return _IncompatibleKeys(missing, unexpected)

    # ---- printing -----------------------------------------------------------------------------

    def extra_repr(self):
        """The text between the parentheses of this module's repr."""
        return ""

    def __repr__(self):
        lines = [f"({name}): " + repr(m).replace("\n", "\n  ") for name, m in self._modules.items()]
        if not lines:
            return f"{type(self).__name__}({self.extra_repr()})"
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"


class Linear(Module):
    """y = x @ weight.T + bias, weight of shape (out_features, in_features), as torch.nn.Linear.

    Initialised as PyTorch does (kaiming_uniform with a = sqrt(5), which comes to
    U(-1/sqrt(in_features), 1/sqrt(in_features)) for weight and bias), from pynn's generator.
    """

    def __init__(self, in_features, out_features, bias=True, dtype=np.float32):
        super().__init__()
        self.in_features = validate.positive_int(in_features, "in_features")
        self.out_features = validate.positive_int(out_features, "out_features")
        dtype = np.dtype(dtype)
        if dtype not in validate.FLOAT_DTYPES:
            raise TypeError(f"dtype: expected float32 or float64, got {dtype}")
        bound = 1 / math.sqrt(self.in_features)
        rng = random.generator()
        self.weight = Parameter(rng.uniform(-bound, bound, (self.out_features, self.in_features))
                                .astype(dtype))
        self.bias = (Parameter(rng.uniform(-bound, bound, self.out_features).astype(dtype))
                     if validate.flag(bias, "bias") else None)

    def forward(self, input):
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class ReLU(Module):
    def forward(self, input):
        return F.relu(input)


class Sigmoid(Module):
    def forward(self, input):
        return F.sigmoid(input)


class Tanh(Module):
    def forward(self, input):
        return F.tanh(input)


class Softmax(Module):
    """softmax along `dim` (the last axis by default)."""

    def __init__(self, dim=-1):
        super().__init__()
        if isinstance(dim, (bool, np.bool_)) or not isinstance(dim, (int, np.integer)):
            raise TypeError(f"dim: expected an int, got {type(dim).__name__} {dim!r}")
        self.dim = int(dim)

    def forward(self, input):
        return F.softmax(input, dim=self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class Sequential(Module):
    """Modules applied one after the other: Sequential(Linear(2, 4), ReLU(), Linear(4, 1)).
    Indexing gives a module (or a Sequential for a slice); len() counts them."""

    def __init__(self, *modules):
        super().__init__()
        for m in modules:
            self.append(m)

    def append(self, module):
        """Add a module at the end; returns self."""
        if not isinstance(module, Module):
            raise TypeError(f"Sequential: expected Modules, got {type(module).__name__}")
        setattr(self, str(len(self)), module)
        return self

    def forward(self, input):
        """The modules applied in turn. A run of Linear layers, each maybe followed by a ReLU or
        a Sigmoid, is one graph node (functional.linear_stack, the activations fused into the
        kernel calls): the values and gradients of the modules applied one by one, for one
        kernel call per layer each way."""
        run, linear = [], None  # linear: the last Linear met, until its activation is known
        for module in self._modules.values():
            kind = type(module)
            if linear is not None:
                activation = _FUSED.get(kind)
                run.append((linear.weight, linear.bias, activation))
                linear = None
                if activation is not None:  # fused: the module is applied already
                    continue
            if kind is Linear:
                linear = module
                continue
            if run:
                input, run = F.linear_stack(input, run), []
            input = module(input)
        if linear is not None:
            run.append((linear.weight, linear.bias, None))
        return F.linear_stack(input, run) if run else input

    def __getitem__(self, index):
        modules = list(self._modules.values())
        if isinstance(index, slice):
            return Sequential(*modules[index])
        return modules[index]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())


# The activation modules Sequential fuses into the Linear before them (exact types: a Linear or
# an activation subclass may compute something else).
_FUSED = {ReLU: "relu", Sigmoid: "sigmoid"}
