"""Differentiable functions beyond the Tensor methods, with PyTorch's names, argument order and
defaults (torch.nn.functional): activations, the dense layer's product, dropout, losses,
distances, and a few tensor functions scripts reach for through F."""
from ..ops import attach
from ..ops.creation import one_hot
from ..ops.shape import pad
from .activation import (celu, elu, gelu, glu, hardshrink, hardsigmoid, hardswish, hardtanh,
                         leaky_relu, log_softmax, logsigmoid, mish, prelu, relu, relu_, relu6,
                         selu, sigmoid, silu, softmax, softmin, softplus, softshrink, softsign,
                         tanh, tanhshrink, threshold)
from .activation import (celu_, elu_, gumbel_softmax, hardtanh_, leaky_relu_, selu_,
                         threshold_)
from .conv import conv1d, conv2d
from .distance import cosine_similarity, normalize, pairwise_distance, pdist
from .dropout import alpha_dropout, dropout, gaussian_dropout, gaussian_noise
from .linear import bilinear, dense, linear
from .pooling import (adaptive_avg_pool1d, adaptive_avg_pool2d, avg_pool1d, avg_pool2d,
                      max_pool1d, max_pool2d)
from .normalization import batch_norm, embedding, layer_norm
from .embedding_bag import embedding_bag
from .loss import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy,
                   huber_loss, kl_div, l1_loss, mse_loss, nll_loss, smooth_l1_loss,
                   soft_margin_loss)
from .extra_layers import (dropout1d, dropout2d, dropout3d, group_norm, rms_norm, rrelu)
from .margin_loss import (cosine_embedding_loss, gaussian_nll_loss, hinge_embedding_loss,
                          margin_ranking_loss, multi_margin_loss, multilabel_soft_margin_loss,
                          poisson_nll_loss, triplet_margin_loss)
from . import activation as _activation

attach(_activation)
