"""Layers as PyTorch writes them (torch.nn): Module, Parameter, containers, Linear, activations,
dropout, losses and init."""
from . import functional, init
from .activation import (CELU, ELU, GELU, GLU, LeakyReLU, LogSigmoid, LogSoftmax, Mish, PReLU,
                         ReLU, ReLU6, SELU, Hardsigmoid, Hardswish, Hardtanh, Sigmoid, SiLU,
                         Softmax, Softmin, Softplus, Softsign, Tanh, Tanhshrink, Threshold)
from .container import ModuleDict, ModuleList, Sequential
from .dropout import AlphaDropout, Dropout
from .flatten import Flatten, Unflatten
from .linear import Bilinear, Identity, Linear
from .loss import (BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, KLDivLoss, L1Loss,
                   MSELoss, NLLLoss, SmoothL1Loss, SoftMarginLoss)
from .module import Module, Parameter
