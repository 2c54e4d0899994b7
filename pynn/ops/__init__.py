"""The differentiable ops, by family, each op's forward and backward side by side. Each
family's METHODS table names the Tensor methods it provides; they are attached to Tensor here,
once, when pynn is imported (the top-level functions, pynn.exp and so on, are the same ops)."""
from ..tensor import Tensor
from . import arithmetic, comparison, conversion, creation, dense, elementwise, reduction, shape

for _family in (arithmetic, elementwise, reduction, shape, comparison, conversion, creation):
    for _name, _method in _family.METHODS.items():
        if _name in Tensor.__dict__:
            raise RuntimeError(f"Tensor.{_name} is defined twice ({_family.__name__})")
        setattr(Tensor, _name, _method)
