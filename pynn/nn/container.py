"""Containers of modules, as torch.nn has them: Sequential, ModuleList and ModuleDict."""
from collections import OrderedDict

from ..backend import FUSED
from ..ops.dense import dense_stack
from .linear import Linear
from ..tensor import Tensor
from .module import Module, Parameter, _addindent


class Sequential(Module):
    """Modules applied one after the other: Sequential(Linear(2, 4), ReLU(), Linear(4, 1)), or
    Sequential(OrderedDict(name=module, ...)). Indexing gives a module (a Sequential for a
    slice); len() counts them."""

    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], OrderedDict):
            for name, module in args[0].items():
                self.add_module(name, module)
        else:
            for module in args:
                self.append(module)

    def append(self, module):
        """Add a module at the end; returns self."""
        if not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        self.add_module(str(len(self)), module)
        return self

    def forward(self, input):
        """The modules applied in turn. A run of Linear layers, each maybe followed by an
        activation the kernel fuses (ReLU, Sigmoid, Tanh: exact types, as a subclass may compute
        something else), is one graph node (ops.dense.dense_stack): the values and gradients of
        the modules applied one by one, for one kernel call per layer each way. A module with
        forward hooks is called as it is, so that its hooks run."""
        run, linear = [], None  # linear: the last Linear met, until its activation is known
        for module in self._modules.values():
            kind = type(module)
            hooked = module._forward_hooks or module._forward_pre_hooks  # run as called
            if linear is not None:
                activation = None if hooked else kind.__dict__.get("fused_activation")
                activation = activation if activation in FUSED else None
                run.append((linear.weight, linear.bias, activation))
                linear = None
                if activation is not None:  # fused: the module is applied already
                    continue
            if kind is Linear and not hooked:
                linear = module
                continue
            if run:
                input, run = dense_stack(input, run, trans_w=True, name="Sequential"), []
            input = module(input)
        if linear is not None:
            run.append((linear.weight, linear.bias, None))
        return dense_stack(input, run, trans_w=True, name="Sequential") if run else input

    def __getitem__(self, index):
        modules = list(self._modules.values())
        if isinstance(index, slice):
            return Sequential(OrderedDict(list(self._modules.items())[index]))
        return modules[index]

    def __setitem__(self, index, module):
        key = list(self._modules)[index]
        setattr(self, key, module)

    def __delitem__(self, index):
        keys = list(self._modules)
        for key in (keys[index] if isinstance(index, slice) else [keys[index]]):
            delattr(self, key)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def insert(self, index, module):
        modules = list(self._modules.values())
        modules.insert(index, module)
        for key in list(self._modules):
            delattr(self, key)
        for m in modules:
            self.append(m)
        return self

    def extend(self, modules):
        for m in modules:
            self.append(m)
        return self


class ModuleList(Module):
    """A list of modules whose parameters the owner sees: ModuleList([Linear(2, 4), ...])."""

    def __init__(self, modules=None):
        super().__init__()
        for m in modules or []:
            self.append(m)

    def append(self, module):
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules):
        for m in modules:
            self.append(m)
        return self

    def insert(self, index, module):
        modules = list(self._modules.values())
        modules.insert(index, module)
        for key in list(self._modules):
            delattr(self, key)
        self.extend(modules)

    def __getitem__(self, index):
        modules = list(self._modules.values())
        return ModuleList(modules[index]) if isinstance(index, slice) else modules[index]

    def __setitem__(self, index, module):
        setattr(self, list(self._modules)[index], module)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def forward(self, *args, **kwargs):
        raise NotImplementedError("ModuleList has no forward(): iterate over it in yours")

    def __repr__(self):
        """As PyTorch prints it: runs of identical modules as `(0-2): 3 x Linear(...)`."""
        reprs = [repr(m) for m in self]
        if not reprs:
            return self._get_name() + "()"
        runs = []  # [first index, last index, repr]
        for i, r in enumerate(reprs):
            if runs and runs[-1][2] == r:
                runs[-1][1] = i
            else:
                runs.append([i, i, r])
        lines = [_addindent(f"({a}): {r}" if a == b else f"({a}-{b}): {b - a + 1} x {r}", 2)
                 for a, b, r in runs]
        return self._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"


class _Mapping:
    """The dict methods of ModuleDict and ParameterDict, over the registry `_entries` names."""

    _entries = "_modules"

    def __getitem__(self, key):
        return getattr(self, self._entries)[key]

    def __delitem__(self, key):
        delattr(self, key)

    def __len__(self):
        return len(getattr(self, self._entries))

    def __iter__(self):
        return iter(getattr(self, self._entries))

    def __contains__(self, key):
        return key in getattr(self, self._entries)

    def keys(self):
        return getattr(self, self._entries).keys()

    def values(self):
        return getattr(self, self._entries).values()

    def items(self):
        return getattr(self, self._entries).items()

    def update(self, entries):
        for name, value in dict(entries).items():
            self[name] = value


class ModuleDict(_Mapping, Module):
    """A dict of modules whose parameters the owner sees."""

    def __init__(self, modules=None):
        super().__init__()
        for name, m in (modules or {}).items():
            self.add_module(name, m)

    def __setitem__(self, key, module):
        self.add_module(key, module)


class ParameterList(Module):
    """A list of Parameters that the owner sees: ParameterList([Parameter(...), ...])."""

    def __init__(self, values=None):
        super().__init__()
        for v in values or []:
            self.append(v)

    def append(self, value):
        value = value if isinstance(value, Parameter) else Parameter(value) \
            if isinstance(value, Tensor) else value
        self.register_parameter(str(len(self)), value)
        return self

    def extend(self, values):
        for v in values:
            self.append(v)
        return self

    def __getitem__(self, index):
        params = list(self._parameters.values())
        return ParameterList(params[index]) if isinstance(index, slice) else params[index]

    def __setitem__(self, index, value):
        key = list(self._parameters)[index]
        self.register_parameter(key, value if isinstance(value, Parameter) else
                                Parameter(value))

    def __len__(self):
        return len(self._parameters)

    def __iter__(self):
        return iter(self._parameters.values())

    def extra_repr(self):
        return _parameters_repr(self, lambda p: f"pynn.{p.dtype}")


class ParameterDict(_Mapping, Module):
    """A dict of Parameters that the owner sees."""

    _entries = "_parameters"

    def __init__(self, parameters=None):
        super().__init__()
        for name, p in (parameters or {}).items():
            self[name] = p

    def __setitem__(self, key, value):
        self.register_parameter(key, value if isinstance(value, Parameter) else
                                Parameter(value))

    def extra_repr(self):
        return _parameters_repr(self, lambda p: p.type())


def _parameters_repr(module, type_name):
    """One line per parameter, as PyTorch prints ParameterList (type_name: the dtype) and
    ParameterDict (the tensor type)."""
    return "\n".join(f"  ({k}): Parameter containing: [{type_name(p)} of size "
                     f"{'x'.join(map(str, p.shape))}]" for k, p in module._parameters.items())
