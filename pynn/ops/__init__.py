"""The differentiable ops, by family, each op's forward and backward side by side. Each
family's METHODS table names the Tensor methods it provides; they are attached to Tensor here,
once, when pynn is imported (the top-level functions, pynn.exp and so on, are the same ops)."""
from ..tensor import Tensor
from . import (arithmetic, comparison, composite, conversion, creation, dense, elementwise,
               linalg, reduction, shape)



def attach(family):
    """Make the functions of a family's METHODS table Tensor methods (each name once)."""
    for name, method in family.METHODS.items():
        if name in Tensor.__dict__:
            raise RuntimeError(f"Tensor.{name} is defined twice ({family.__name__})")
        setattr(Tensor, name, method)


for _family in (arithmetic, elementwise, reduction, shape, comparison, conversion, creation,
                linalg, composite):
    attach(_family)
