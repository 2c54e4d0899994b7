"""The normalization layers with Keras 3's names, arguments, defaults and weights:
BatchNormalization, LayerNormalization and UnitNormalization.

BatchNormalization and LayerNormalization are each one graph node, forward and backward in
NumPy: the backward of a normalization through its mean and variance is a few whole-array
operations, far fewer than the elementwise graph would record.
"""
import numpy as np

from ... import validate
from ...tensor import Tensor, unbroadcast
from .. import constraints, initializers, regularizers
from .layer import Layer


def _normalize(x, reduce, gamma, beta, epsilon, stats=None):
    """gamma * (x - mean) / sqrt(variance + epsilon) + beta, the moments over the axes
    `reduce` (biased variance) or given as stats = (mean, variance), as one graph node whose
    backward follows the moments when they were computed here. gamma and beta are Tensors of
    the normalized shape broadcast against x (None when absent). Returns (output, mean,
    variance)."""
    data = x._data
    if stats is None:
        mean = data.mean(axis=reduce, keepdims=True)
        variance = np.square(data - mean).mean(axis=reduce, keepdims=True)
    else:
        mean, variance = stats
    inv = 1.0 / np.sqrt(variance + epsilon)
    xhat = (data - mean) * inv
    scale = 1.0 if gamma is None else gamma._data
    out = xhat * scale + (0.0 if beta is None else beta._data)
    parents = tuple(t for t in (x, gamma, beta) if t is not None)

    def backward(g):
        dxhat = g * scale
        if stats is None:  # the moments depend on x
            dx = inv * (dxhat - dxhat.mean(axis=reduce, keepdims=True)
                        - xhat * (dxhat * xhat).mean(axis=reduce, keepdims=True))
        else:
            dx = dxhat * inv
        grads = [dx.astype(data.dtype)]
        if gamma is not None:
            grads.append(unbroadcast(g * xhat, gamma._data.shape))
        if beta is not None:
            grads.append(unbroadcast(g, beta._data.shape))
        return tuple(grads)
    return Tensor.from_op(out.astype(data.dtype), parents, backward), mean, variance


def _axes(axis, ndim, owner):
    axes = [axis] if isinstance(axis, (int, np.integer)) else list(axis)
    found = []
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(f"{owner}: axis {a} is out of bounds for inputs of rank {ndim}. "
                             f"Received: axis={axis}")
        found.append(int(a) % ndim)
    return tuple(sorted(set(found)))


class _Affine(Layer):
    """A normalization followed by a learned scale gamma and offset beta (each optional), with
    their initializers, regularizers and constraints, as Keras's normalization layers take
    them."""

    def __init__(self, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None,
                 beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.center = validate.flag(center, "center")
        self.scale = validate.flag(scale, "scale")
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.gamma = self.beta = None

    def _add_gamma_and_beta(self, shape):
        if self.scale:
            self.gamma = self.add_weight(shape=shape, name="gamma",
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_weight(shape=shape, name="beta",
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint)

    def _gamma_and_beta(self, shape):
        """gamma and beta reshaped to broadcast against the inputs (None when absent)."""
        return tuple(None if w is None else w.reshape(shape) for w in (self.gamma, self.beta))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "center": self.center, "scale": self.scale,
                "beta_initializer": initializers.serialize(self.beta_initializer),
                "gamma_initializer": initializers.serialize(self.gamma_initializer),
                "beta_regularizer": regularizers.serialize(self.beta_regularizer),
                "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
                "beta_constraint": constraints.serialize(self.beta_constraint),
                "gamma_constraint": constraints.serialize(self.gamma_constraint)}


class BatchNormalization(_Affine):
    """BatchNormalization(axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
    beta_initializer='zeros', gamma_initializer='ones', moving_mean_initializer='zeros',
    moving_variance_initializer='ones', beta_regularizer=None, gamma_regularizer=None,
    beta_constraint=None, gamma_constraint=None): in training (fit), each feature of `axis`
    normalized by the batch's mean and (biased) variance, and the moving statistics updated as
    moving = moving * momentum + batch * (1 - momentum); in inference (predict, evaluate, a
    frozen layer), normalized by the moving statistics. Weights, in Keras's order: gamma, beta
    (trainable), moving_mean, moving_variance (not)."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, synchronized=False, **kwargs):
        super().__init__(center, scale, beta_initializer, gamma_initializer, beta_regularizer,
                         gamma_regularizer, beta_constraint, gamma_constraint, **kwargs)
        self.axis = int(axis) if isinstance(axis, (int, np.integer)) else list(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.synchronized = synchronized
        self.moving_mean = self.moving_variance = None

    def build(self, input_shape):
        self._kept = _axes(self.axis, len(input_shape), self.name)
        for a in self._kept:
            if input_shape[a] is None:
                raise ValueError(f"{self.name}: axis {a} of the input shape {input_shape} must "
                                 "be known")
        shape = tuple(input_shape[a] for a in self._kept)
        self._add_gamma_and_beta(shape)
        self.moving_mean = self.add_weight(shape=shape, name="moving_mean",
                                           initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight(shape=shape, name="moving_variance",
                                               initializer=self.moving_variance_initializer,
                                               trainable=False)
        self.built = True

    def call(self, inputs, training=None):
        reduce = tuple(i for i in range(inputs.ndim) if i not in self._kept)
        full = [inputs.shape[i] if i in self._kept else 1 for i in range(inputs.ndim)]
        gamma, beta = self._gamma_and_beta(full)
        moving_mean = self.moving_mean._data.reshape(full).astype(inputs.dtype)
        moving_variance = self.moving_variance._data.reshape(full).astype(inputs.dtype)
        if training and self.trainable:
            out, mean, variance = _normalize(inputs, reduce, gamma, beta, self.epsilon)
            m = self.momentum
            self.moving_mean._data[...] = (self.moving_mean._data * m
                                           + mean.reshape(self.moving_mean.shape) * (1 - m))
            self.moving_variance._data[...] = (
                self.moving_variance._data * m
                + variance.reshape(self.moving_variance.shape) * (1 - m))
            return out
        return _normalize(inputs, reduce, gamma, beta, self.epsilon,
                          stats=(moving_mean, moving_variance))[0]

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum,
                "epsilon": self.epsilon,
                "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
                "moving_variance_initializer": initializers.serialize(
                    self.moving_variance_initializer),
                "synchronized": self.synchronized}


class LayerNormalization(_Affine):
    """LayerNormalization(axis=-1, epsilon=1e-3, center=True, scale=True,
    beta_initializer='zeros', gamma_initializer='ones', ...): each sample normalized by the
    mean and variance of its entries along `axis`, then scaled by gamma and shifted by beta
    (one per entry of those axes), in training and inference alike."""

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, rms_scaling=False,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(center, scale, beta_initializer, gamma_initializer, beta_regularizer,
                         gamma_regularizer, beta_constraint, gamma_constraint, **kwargs)
        if rms_scaling:
            raise ValueError("LayerNormalization: rms_scaling=True is not supported by "
                             "pynn.keras (use the mean-and-variance form)")
        self.axis = int(axis) if isinstance(axis, (int, np.integer)) else list(axis)
        self.epsilon = float(epsilon)
        self.rms_scaling = False

    def build(self, input_shape):
        self._normalized = _axes(self.axis, len(input_shape), self.name)
        self._add_gamma_and_beta(tuple(input_shape[a] for a in self._normalized))
        self.built = True

    def call(self, inputs):
        full = [inputs.shape[i] if i in self._normalized else 1 for i in range(inputs.ndim)]
        gamma, beta = self._gamma_and_beta(full)
        return _normalize(inputs, self._normalized, gamma, beta, self.epsilon)[0]

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon,
                "rms_scaling": self.rms_scaling}


class UnitNormalization(Layer):
    """UnitNormalization(axis=-1): each sample scaled to unit L2 norm along axis
    (x / max(||x||, 1e-12), as Keras normalizes)."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.built = True

    def call(self, inputs):
        axis = tuple(self.axis) if isinstance(self.axis, (list, tuple)) else self.axis
        return inputs * (inputs * inputs).sum(axis=axis, keepdims=True).rsqrt().clamp(max=1e12)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
