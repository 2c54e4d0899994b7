"""Module and Parameter, as PyTorch writes them.

A Module finds its parameters, buffers and sub-modules from its attributes (assigning a
Parameter or a Module registers it under the attribute's name), so `parameters()`,
`state_dict()` and `zero_grad()` need no bookkeeping from the user.
"""
from collections import OrderedDict, namedtuple

import numpy as np

from .. import dtypes, validate
from ..validate import ShapeError
from ..tensor import Tensor, check_device, init_leaf, no_grad, tensor

class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What load_state_dict returns: the names it missed and the ones it did not know."""

    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


class RemovableHandle:
    """What register_*_hook returns: handle.remove() takes the hook away again."""

    _next = [0]

    def __init__(self, hooks):
        self.hooks_dict_ref, self.id = hooks, RemovableHandle._next[0]
        RemovableHandle._next[0] += 1

    def remove(self):
        self.hooks_dict_ref.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.remove()


def _addindent(text, spaces):
    """Every line of text after the first indented by `spaces` (blank lines left empty), as
    PyTorch indents a child module's repr."""
    first, *rest = text.split("\n")
    if not rest:
        return text
    return "\n".join([first] + [" " * spaces + line if line.strip() else "" for line in rest])


class Parameter(Tensor):
    """A Tensor that is a learnable weight of a Module: it requires grad unless told not to.
    Parameter(tensor) shares the tensor's memory and keeps its dtype."""

    __slots__ = ()

    def __init__(self, data=None, requires_grad=True):
        if data is None:
            data = np.empty(0, np.float32)
        array = data._data if isinstance(data, Tensor) else tensor(data)._data
        init_leaf(self, array, validate.flag(requires_grad, "requires_grad"))

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()


class Buffer(Tensor):
    """A tensor that becomes a buffer of the Module it is assigned to (self.mask =
    nn.Buffer(t) is self.register_buffer('mask', t)), as torch.nn.Buffer; it shares t's memory."""

    __slots__ = ("persistent",)

    def __init__(self, data=None, *, persistent=True):
        if data is None:
            data = np.empty(0, np.float32)
        array = data._data if isinstance(data, Tensor) else tensor(data)._data
        init_leaf(self, array, False)
        self.persistent = validate.flag(persistent, "persistent")


def _size(shape):
    from ..tensor import Size
    return repr(Size(shape))


class Module:
    """Base class of every layer and model: subclasses set Parameters and Modules as attributes
    in __init__ (after calling super().__init__()) and define forward()."""

    def __init__(self, *args, **kwargs):
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_forward_hooks", OrderedDict())
        object.__setattr__(self, "_forward_pre_hooks", OrderedDict())

    def __setattr__(self, name, value):
        registry = self.__dict__.get("_parameters")
        if registry is None:
            raise AttributeError(f"cannot assign {name!r} before Module.__init__() call: call "
                                 f"super().__init__() first in {type(self).__name__}.__init__")
        if isinstance(value, Buffer):
            self._parameters.pop(name, None)
            self._modules.pop(name, None)
            self.register_buffer(name, value.detach(), value.persistent)
            return
        if isinstance(value, Parameter):
            self._buffers.pop(name, None)
            self._modules.pop(name, None)
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._parameters.pop(name, None)
            self._buffers.pop(name, None)
            self._modules[name] = value
        elif name in self._buffers and (value is None or isinstance(value, Tensor)):
            self._buffers[name] = value
        else:
            if name in self._parameters:
                if value is not None:
                    raise TypeError(f"cannot assign '{type(value).__name__}' as parameter "
                                    f"'{name}' (torch.nn.Parameter or None expected)")
                self._parameters[name] = None
            self._modules.pop(name, None)
        object.__setattr__(self, name, value)

    def __delattr__(self, name):
        for registry in (self._parameters, self._buffers, self._modules):
            registry.pop(name, None)
        object.__delattr__(self, name)

    def register_buffer(self, name, tensor, persistent=True):
        """A tensor of the module's state that is not a parameter (e.g. running statistics):
        saved in state_dict, moved with the module, not trained."""
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign '{type(tensor).__name__}' object to buffer '{name}' "
                            "(torch Tensor or None required)")
        self._buffers[name] = tensor
        # non-persistent buffers are left out of state_dict, as PyTorch leaves them (a dict of
        # names, not a set, so that torch.save(model) can hold it)
        if validate.flag(persistent, "persistent"):
            self.__dict__.get("_non_persistent_buffers", {}).pop(name, None)
        else:
            self.__dict__.setdefault("_non_persistent_buffers", {})[name] = True
        object.__setattr__(self, name, tensor)

    def _persistent_buffers(self, prefix=""):
        """(dotted name, buffer) for the buffers state_dict holds."""
        for module_prefix, module in self.named_modules(prefix=prefix, remove_duplicate=False):
            dotted = f"{module_prefix}." if module_prefix else ""
            transient = module.__dict__.get("_non_persistent_buffers", ())
            for name, t in module._buffers.items():
                if t is not None and name not in transient:
                    yield dotted + name, t

    def register_parameter(self, name, param):
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"cannot assign '{type(param).__name__}' object to parameter "
                            f"'{name}' (torch.nn.Parameter or None required)")
        self._parameters[name] = param
        object.__setattr__(self, name, param)

    def add_module(self, name, module):
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        self._modules[name] = module
        object.__setattr__(self, name, module)

    register_module = add_module

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required '
                                  '"forward" function')

    def __call__(self, *args, **kwargs):
        if not (self._forward_pre_hooks or self._forward_hooks):
            return self.forward(*args, **kwargs)
        for hook in list(self._forward_pre_hooks.values()):
            changed = hook(self, args)
            if changed is not None:
                args = changed if isinstance(changed, tuple) else (changed,)
        output = self.forward(*args, **kwargs)
        for hook in list(self._forward_hooks.values()):
            changed = hook(self, args, output)
            if changed is not None:
                output = changed
        return output

    def register_forward_hook(self, hook, *, prepend=False, with_kwargs=False,
                              always_call=False):
        """hook(module, args, output) after each forward; a value it returns replaces the
        output. Returns a handle whose remove() takes the hook away."""
        return self._add_hook(self._forward_hooks, hook, prepend)

    def register_forward_pre_hook(self, hook, *, prepend=False, with_kwargs=False):
        """hook(module, args) before each forward; a value it returns replaces the args."""
        return self._add_hook(self._forward_pre_hooks, hook, prepend)

    @staticmethod
    def _add_hook(hooks, hook, prepend):
        if not callable(hook):
            raise TypeError(f"hook must be callable, got {type(hook).__name__}")
        handle = RemovableHandle(hooks)
        hooks[handle.id] = hook
        if prepend:
            hooks.move_to_end(handle.id, last=False)
        return handle

    # ---- structure ----------------------------------------------------------------------------

    def children(self):
        """The direct sub-modules, in the order they were assigned."""
        return (m for _, m in self.named_children())

    def named_children(self):
        seen = set()
        for name, m in self._modules.items():
            if m is not None and id(m) not in seen:
                seen.add(id(m))
                yield name, m

    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """(name, module) for this module and every sub-module below it, depth first."""
        memo = set() if memo is None else memo
        if remove_duplicate and id(self) in memo:
            return
        memo.add(id(self))
        yield prefix, self
        for name, m in self._modules.items():
            if m is not None:
                yield from m.named_modules(memo, f"{prefix}.{name}" if prefix else name,
                                           remove_duplicate)

    def modules(self):
        return (m for _, m in self.named_modules())

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        """(dotted name, Parameter) for every parameter, each once even if shared."""
        seen = set()
        modules = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for module_prefix, module in modules:
            for name, p in module._parameters.items():
                if p is not None and (id(p) not in seen or not remove_duplicate):
                    seen.add(id(p))
                    yield (f"{module_prefix}.{name}" if module_prefix else name), p

    def parameters(self, recurse=True):
        return (p for _, p in self.named_parameters(recurse=recurse))

    def named_buffers(self, prefix="", recurse=True):
        modules = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for module_prefix, module in modules:
            for name, b in module._buffers.items():
                if b is not None:
                    yield (f"{module_prefix}.{name}" if module_prefix else name), b

    def buffers(self, recurse=True):
        return (b for _, b in self.named_buffers(recurse=recurse))

    def get_submodule(self, target):
        module = self
        for part in target.split(".") if target else []:
            if part not in module._modules:
                raise AttributeError(f"{type(module).__name__} has no attribute `{part}`")
            module = module._modules[part]
        return module

    def get_parameter(self, target):
        return self._registered(target, "_parameters", "an nn.Parameter")

    def get_buffer(self, target):
        return self._registered(target, "_buffers", "a buffer")

    def _registered(self, target, registry, what):
        """The entry `target` ("layer.sub.name") of a sub-module's registry of that name."""
        module_path, _, name = target.rpartition(".")
        entries = getattr(self.get_submodule(module_path), registry)
        if name not in entries:
            raise AttributeError(f"`{name}` is not {what}")
        return entries[name]

    def apply(self, fn):
        """fn(module) for every sub-module (children first) and then self; returns self."""
        for m in self.children():
            m.apply(fn)
        fn(self)
        return self

    def zero_grad(self, set_to_none=True):
        """Clear every parameter's gradient: None (the default, as PyTorch), or zeros."""
        for p in self.parameters():
            if set_to_none:
                p.grad = None
            elif p.grad is not None:
                p.grad._data[...] = 0

    def requires_grad_(self, requires_grad=True):
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def train(self, mode=True):
        """Set training mode here and in every sub-module; returns self."""
        mode = validate.flag(mode, "mode")
        for m in self.modules():
            object.__setattr__(m, "training", mode)
        return self

    def eval(self):
        """Set evaluation mode (training=False) everywhere; returns self."""
        return self.train(False)

    def to(self, *args, **kwargs):
        """Move to a device (the CPU is the only one) or convert the floating-point parameters
        and buffers to a dtype; returns self."""
        from ..ops.conversion import to as tensor_to
        dtype = kwargs.get("dtype")
        for arg in args:
            if isinstance(arg, Tensor):
                dtype = arg.dtype
            elif isinstance(arg, np.dtype) or isinstance(arg, type) or \
                    isinstance(arg, str) and arg in dtypes._NAMES:
                dtype = arg  # torch.float64, np.float64, float, 'float64'
            else:
                check_device(arg)  # 'cpu', torch.device('cpu'), 0 (a CUDA index)
        check_device(kwargs.get("device"))
        if dtype is not None:
            with no_grad():
                for t in list(self.parameters()) + list(self.buffers()):
                    if t._data.dtype.kind == "f":
                        t._data = tensor_to(t, dtype)._data
        return self

    def cpu(self):
        return self

    def cuda(self, device=None):
        check_device("cuda")

    def float(self):
        return self.to(np.float32)

    def double(self):
        return self.to(np.float64)

    def half(self):
        return self.to(np.float16)

    def share_memory(self):
        return self

    def type(self, dst_type):
        return self.to(dst_type)

    # ---- state --------------------------------------------------------------------------------

    def state_dict(self, destination=None, prefix="", keep_vars=False):
        """{dotted name: tensor} for every parameter and buffer, e.g. {'0.weight': ...}, each
        module's parameters then its buffers, as PyTorch orders them: the module's own memory,
        outside the graph (deepcopy it to keep a snapshot)."""
        state = OrderedDict() if destination is None else destination
        for module_prefix, module in self.named_modules(prefix=prefix, remove_duplicate=False):
            dotted = f"{module_prefix}." if module_prefix else ""
            transient = module.__dict__.get("_non_persistent_buffers", ())
            for registry in (module._parameters, module._buffers):
                for name, t in registry.items():
                    if t is not None and not (registry is module._buffers and name in transient):
                        state[dotted + name] = t if keep_vars else t.detach()
        return state

    def load_state_dict(self, state_dict, strict=True, assign=False):
        """Copy the tensors (or arrays) of state_dict into the parameters and buffers of the
        same names, in place.

        strict: missing or unexpected names are an error (else they are only reported back).
        A shape mismatch is always an error, and nothing is changed unless every entry fits.
        Returns (missing_keys, unexpected_keys), as PyTorch does."""
        if not isinstance(state_dict, dict):
            raise TypeError(f"Expected state_dict to be dict-like, got "
                            f"{type(state_dict).__name__}.")
        strict = validate.flag(strict, "strict")
        own = dict(self.named_parameters(remove_duplicate=False))
        own.update(self._persistent_buffers())
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        quoted = lambda keys: ", ".join(f'"{k}"' for k in keys)  # noqa: E731 (as torch)
        errors = []
        if strict and missing:
            errors.append(f"Missing key(s) in state_dict: {quoted(missing)}. ")
        if strict and unexpected:
            errors.append(f"Unexpected key(s) in state_dict: {quoted(unexpected)}. ")
        arrays = {}
        for name, t in own.items():
            if name in state_dict:
                value = state_dict[name]
                arr = value._data if isinstance(value, Tensor) else \
                    validate.as_array(value, f"state_dict[{name!r}]")
                if arr.shape != t._data.shape:
                    errors.append(f"size mismatch for {name}: copying a param with shape "
                                  f"{_size(arr.shape)} from checkpoint, the shape in current "
                                  f"model is {_size(t._data.shape)}.")
                arrays[name] = arr
        if errors:  # nothing is changed unless every entry fits
            raise ShapeError(f"Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                             + "\n\t".join(errors))
        for name, arr in arrays.items():
            own[name]._data[...] = arr
        return _IncompatibleKeys(missing, unexpected)

    # ---- printing -----------------------------------------------------------------------------

    def extra_repr(self):
        """The text between the parentheses of this module's repr."""
        return ""

    def _get_name(self):
        return type(self).__name__

    def __repr__(self):
        """As PyTorch prints a module: its extra_repr, then each child as `(name): repr`."""
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({name}): " + _addindent(repr(m), 2)
                       for name, m in self._modules.items()]
        lines = extra_lines + child_lines
        text = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                text += extra_lines[0]
            else:
                text += "\n  " + "\n  ".join(lines) + "\n"
        return text + ")"
