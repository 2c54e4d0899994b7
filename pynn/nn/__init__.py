"""Layers as PyTorch writes them (torch.nn): Module, Parameter, containers, Linear, convolution,
pooling, recurrent layers, activations, dropout, losses and init."""
from . import functional, init, utils
from .activation import (CELU, ELU, GELU, GLU, LeakyReLU, LogSigmoid, LogSoftmax, Mish, PReLU,
                         ReLU, ReLU6, SELU, Hardshrink, Hardsigmoid, Hardswish, Hardtanh,
                         Sigmoid, SiLU, Softmax, Softmin, Softplus, Softshrink, Softsign, Tanh,
                         Tanhshrink, Threshold)
from .container import ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential
from .conv import Conv1d, Conv2d
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
from .pooling import (AdaptiveAvgPool1d, AdaptiveAvgPool2d, AvgPool1d, AvgPool2d, MaxPool1d,
                      MaxPool2d)
from .rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNBase, RNNCell, RNNCellBase
from .normalization import BatchNorm1d, BatchNorm2d, Embedding, LayerNorm
from .embedding_bag import EmbeddingBag


def _modules_package():
    """torch.nn.modules and its submodules (from torch.nn.modules.loss import _Loss): pynn.nn's
    own modules under PyTorch's names."""
    import sys
    import types
    from . import (activation, container, conv, dropout, flatten, linear, loss, module,
                   normalization, pooling, rnn)
    package = types.ModuleType(f"{__name__}.modules")
    package.__dict__.update({k: v for k, v in globals().items() if not k.startswith("__")})
    package.__path__ = []
    sys.modules[package.__name__] = package
    for name, value in (("activation", activation), ("container", container),
                        ("dropout", dropout), ("flatten", flatten), ("linear", linear),
                        ("loss", loss), ("module", module), ("normalization", normalization),
                        ("batchnorm", normalization), ("conv", conv), ("pooling", pooling),
                        ("rnn", rnn)):
        sys.modules[f"{package.__name__}.{name}"] = value
        setattr(package, name, value)
    return package


# tf.nn's activations (tf.nn.relu, tf.nn.softmax...) for `import tensorflow as tf` scripts.
from ..tensorflow_names import NN as _TF_NN  # noqa: E402

globals().update(_TF_NN)

modules = _modules_package()  # last, so that it holds every name above
