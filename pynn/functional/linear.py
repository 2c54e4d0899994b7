"""The dense layer's product, as PyTorch's F.linear (weight (out, in)) and as a Keras Dense
layer computes it (kernel (in, out)): one fused C call each way (pynn.ops.dense)."""
from ..backend import FUSED
from ..ops.dense import dense_stack
from ..ops.linalg import einsum


def linear(input, weight, bias=None):
    """input @ weight.T + bias, weight of shape (out_features, in_features), as F.linear."""
    return dense_stack(input, [(weight, bias, None)], trans_w=True, name="linear")


def dense(input, kernel, bias=None, activation=None):
    """activation(input @ kernel + bias), kernel of shape (in_features, out_features), as a Keras
    Dense layer; activation one of backend.FUSED, applied in the same C call."""
    if activation not in FUSED:
        raise ValueError(f"dense: activation must be one of {FUSED}, got {activation!r}")
    return dense_stack(input, [(kernel, bias, activation)], trans_w=False, name="dense")


def bilinear(input1, input2, weight, bias=None):
    """x1^T W x2 + b for each row: weight of shape (out, in1, in2)."""
    out = einsum("ni,oij,nj->no", input1, weight, input2)
    return out if bias is None else out + bias
