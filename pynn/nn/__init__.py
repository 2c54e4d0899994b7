"""Layers as PyTorch writes them (torch.nn): Module, Parameter, containers, Linear, activations,
dropout, losses and init."""
from . import functional, init, utils
from .activation import (CELU, ELU, GELU, GLU, LeakyReLU, LogSigmoid, LogSoftmax, Mish, PReLU,
                         ReLU, ReLU6, SELU, Hardshrink, Hardsigmoid, Hardswish, Hardtanh,
                         Sigmoid, SiLU, Softmax, Softmin, Softplus, Softshrink, Softsign, Tanh,
                         Tanhshrink, Threshold)
from .container import ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential
from .distance import CosineSimilarity, PairwiseDistance
from .dropout import AlphaDropout, Dropout
from .flatten import Flatten, Unflatten
from .extra_layers import (ConstantPad1d, ConstantPad2d, Dropout1d, Dropout2d, Dropout3d,
                           GroupNorm, ReflectionPad1d, ReflectionPad2d, ReplicationPad1d,
                           ReplicationPad2d, RMSNorm, RReLU, Softmax2d, ZeroPad1d, ZeroPad2d)
from .lazy import LazyLinear, UninitializedParameter
from .linear import Bilinear, Identity, Linear
from .loss import (BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, KLDivLoss, L1Loss,
                   MSELoss, NLLLoss, SmoothL1Loss, SoftMarginLoss)
from .loss import (CosineEmbeddingLoss, GaussianNLLLoss, HingeEmbeddingLoss, MarginRankingLoss,
                   MultiLabelSoftMarginLoss, MultiMarginLoss, PoissonNLLLoss, TripletMarginLoss)
from .module import Buffer, Module, Parameter
from .normalization import BatchNorm1d, BatchNorm2d, Embedding, LayerNorm
from .embedding_bag import EmbeddingBag


def _modules_package():
    """torch.nn.modules and its submodules (from torch.nn.modules.loss import _Loss): pynn.nn's
    own modules under PyTorch's names."""
    import sys
    import types
    from . import activation, container, dropout, flatten, linear, loss, module, normalization
    package = types.ModuleType(f"{__name__}.modules")
    package.__dict__.update({k: v for k, v in globals().items() if not k.startswith("__")})
    package.__path__ = []
    sys.modules[package.__name__] = package
    for name, value in (("activation", activation), ("container", container),
                        ("dropout", dropout), ("flatten", flatten), ("linear", linear),
                        ("loss", loss), ("module", module), ("normalization", normalization),
                        ("batchnorm", normalization)):
        sys.modules[f"{package.__name__}.{name}"] = value
        setattr(package, name, value)
    return package


# tf.nn's activations (tf.nn.relu, tf.nn.softmax...) for `import tensorflow as tf` scripts.
from ..tensorflow_names import NN as _TF_NN  # noqa: E402

globals().update(_TF_NN)

# Layers PyTorch has and pynn.nn does not yet: each is a class, so that the init functions of
# MLP scripts (isinstance(m, (nn.Linear, nn.Conv2d))) run, and making one says it is missing.
_NOT_YET = {
    "convolution": ("Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d",
                    "ConvTranspose3d", "LazyConv1d", "LazyConv2d", "LazyConv3d", "Unfold", "Fold"),
    "pooling": ("MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d",
                "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d",
                "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool3d", "LPPool1d",
                "LPPool2d", "MaxUnpool1d", "MaxUnpool2d"),
    "recurrent": ("RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell"),
    "attention": ("MultiheadAttention", "Transformer", "TransformerEncoder",
                  "TransformerEncoderLayer", "TransformerDecoder", "TransformerDecoderLayer"),
    "upsampling": ("Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d", "PixelShuffle"),
}


def _not_yet(name, family):
    keras = " (pynn.keras has them)" if family in ("convolution", "pooling", "recurrent") else ""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(f"nn.{name}: pynn.nn has no {family} layers yet{keras}")
    return type(name, (Module,), {"__init__": __init__, "__module__": __name__,
                                  "__doc__": f"Not in pynn.nn yet ({family} layers)."})


for _family, _names in _NOT_YET.items():
    for _name in _names:
        globals()[_name] = _not_yet(_name, _family)
del _family, _names, _name

modules = _modules_package()  # last, so that it holds every name above
