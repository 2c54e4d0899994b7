"""Loss modules, as torch.nn has them: each holds its arguments and calls its function of
pynn.functional, so module and function cannot disagree."""
from .. import functional as F
from ..functional.loss import reduction_of
from .module import Module


class _Loss(Module):
    """A loss module: reduction (and weight, for the weighted ones) kept, forward(input,
    target) computed by `function`."""

    function = None

    def __init__(self, size_average=None, reduce=None, reduction="mean", **options):
        super().__init__()
        self.reduction = reduction_of(reduction, size_average, reduce, type(self).__name__)
        self.options = options

    def forward(self, input, target):
        return type(self).function(input, target, reduction=self.reduction, **self.options)


class MSELoss(_Loss):
    function = F.mse_loss


class L1Loss(_Loss):
    function = F.l1_loss


class HuberLoss(_Loss):
    function = F.huber_loss

    def __init__(self, reduction="mean", delta=1.0):
        super().__init__(reduction=reduction, delta=delta)


class SmoothL1Loss(_Loss):
    function = F.smooth_l1_loss

    def __init__(self, size_average=None, reduce=None, reduction="mean", beta=1.0):
        super().__init__(size_average, reduce, reduction, beta=beta)


class BCELoss(_Loss):
    function = F.binary_cross_entropy

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction, weight=weight)


class BCEWithLogitsLoss(_Loss):
    function = F.binary_cross_entropy_with_logits

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean",
                 pos_weight=None):
        super().__init__(size_average, reduce, reduction, weight=weight, pos_weight=pos_weight)


class CrossEntropyLoss(_Loss):
    function = F.cross_entropy

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean", label_smoothing=0.0):
        super().__init__(size_average, reduce, reduction, weight=weight,
                         ignore_index=ignore_index, label_smoothing=label_smoothing)


class NLLLoss(_Loss):
    function = F.nll_loss

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None,
                 reduction="mean"):
        super().__init__(size_average, reduce, reduction, weight=weight,
                         ignore_index=ignore_index)


class KLDivLoss(_Loss):
    function = F.kl_div

    def __init__(self, size_average=None, reduce=None, reduction="mean", log_target=False):
        if reduction == "batchmean":
            super().__init__(log_target=log_target)
            self.reduction = "batchmean"
        else:
            super().__init__(size_average, reduce, reduction, log_target=log_target)


class SoftMarginLoss(_Loss):
    function = F.soft_margin_loss


class _PairLoss(_Loss):
    """A loss of two inputs and a target: forward(input1, input2, target)."""

    def forward(self, input1, input2, target):
        return type(self).function(input1, input2, target, reduction=self.reduction,
                                   **self.options)


class MarginRankingLoss(_PairLoss):
    function = F.margin_ranking_loss

    def __init__(self, margin=0.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction, margin=margin)
        self.margin = margin


class CosineEmbeddingLoss(_PairLoss):
    function = F.cosine_embedding_loss

    def __init__(self, margin=0.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction, margin=margin)
        self.margin = margin


class HingeEmbeddingLoss(_Loss):
    function = F.hinge_embedding_loss

    def __init__(self, margin=1.0, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction, margin=margin)
        self.margin = margin


class TripletMarginLoss(_Loss):
    function = F.triplet_margin_loss

    def __init__(self, margin=1.0, p=2.0, eps=1e-6, swap=False, size_average=None,
                 reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction, margin=margin, p=p, eps=eps,
                         swap=swap)
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap

    def forward(self, anchor, positive, negative):
        return F.triplet_margin_loss(anchor, positive, negative, reduction=self.reduction,
                                     **self.options)


class MultiMarginLoss(_Loss):
    function = F.multi_margin_loss

    def __init__(self, p=1, margin=1.0, weight=None, size_average=None, reduce=None,
                 reduction="mean"):
        super().__init__(size_average, reduce, reduction, p=p, margin=margin, weight=weight)
        self.p, self.margin = p, margin


class MultiLabelSoftMarginLoss(_Loss):
    function = F.multilabel_soft_margin_loss

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction, weight=weight)


class PoissonNLLLoss(_Loss):
    function = F.poisson_nll_loss

    def __init__(self, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None,
                 reduction="mean"):
        super().__init__(size_average, reduce, reduction, log_input=log_input, full=full,
                         eps=eps)
        self.log_input, self.full, self.eps = log_input, full, eps


class GaussianNLLLoss(_Loss):
    function = F.gaussian_nll_loss

    def __init__(self, *, full=False, eps=1e-6, reduction="mean"):
        super().__init__(reduction=reduction, full=full, eps=eps)
        self.full, self.eps = full, eps

    def forward(self, input, target, var):
        return F.gaussian_nll_loss(input, target, var, reduction=self.reduction,
                                   **self.options)
