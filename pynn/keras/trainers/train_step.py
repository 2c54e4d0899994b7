"""fit's compiled training step: one batch of a stack of Dense layers as a fixed list of kernel
calls on arrays allocated once.

Keras compiles its train step into a graph (tf.function) unless compile(run_eagerly=True); this
is pynn's counterpart, for the models it can compile: a Sequential model of Dense layers only,
each activation fused into its kernel call (the last one's may be absorbed by the loss, as in
the eager path), without weight penalties, constraints or sample weights. It is
built once per fit call and batch size: the layers' calls are those of ops.dense.DenseStack,
the object the eager graph node runs too, bound once to arrays allocated for the batch size
(run=kernels.bind), so a batch costs a copy of its rows, one C call per layer each way, the
loss (one C call for binary cross-entropy from the logits; other losses run on a one-node
Tensor graph) and the optimizer's update, and the weights come out as the eager path's, bit
for bit (tests/test_train_step.py checks it).
"""
import numpy as np

from ...backend import kernels as K
from ...ops.dense import DenseStack
from ...tensor import Tensor, no_grad
from .. import activations
from ..layers import Dense
from ..losses import BinaryCrossentropy


def compilable(model, fused, weighted=False):
    """Whether fit can train `model` with a TrainStep: a Sequential model whose every layer is
    a Dense whose activation fuses into its kernel call (or, for the last, is absorbed by the
    loss when `fused`), with no penalty, constraint or sample weight (`weighted`) to apply, and
    every
    weight trainable, a layer's own (the graph adds up the gradients of a shared one) and a
    C-contiguous float32 array, as Dense makes them (one the user replaced by another dtype or
    layout is trained eagerly, as the Tensor graph converts it)."""
    last = len(model.layers) - 1
    weights = model.weights
    return (model._runs_in_a_row and not weighted
            and all(type(layer) is Dense and layer.stacked(fused and i == last) is not None
                    for i, layer in enumerate(model.layers))
            and all(w.regularizer is None and w.constraint is None for w in weights)
            and len(model.trainable_weights) == len({id(w) for w in weights}) == len(weights)
            and all(w._data.dtype == np.float32 and w._data.flags.c_contiguous
                    for w in weights))


class TrainStep:
    """The compiled step of `model` for batches of `rows` rows: forward(xb, yb) gives the loss,
    then backward() leaves each weight's gradient in its .grad, for the optimizer to apply.
    outputs() gives the last forward's output (the logits when `fused`)."""

    def __init__(self, model, rows, y_like, fused):
        self.model, self.fused = model, fused
        self.loss = model._compile_loss.losses[0]
        self.weights = model.weights
        self.datas = [w._data for w in self.weights]
        self.x = np.empty((rows,) + model.input_shape[1:], np.float32)
        self.y = np.empty((rows,) + y_like.shape[1:], y_like.dtype)
        layers = model.layers
        stacked = [layer.stacked(fused and i == len(layers) - 1) for i, layer in enumerate(layers)]
        stack = DenseStack(self.x, [(k._data, None if b is None else b._data, act)
                                    for k, b, act in stacked], trans_w=False)
        grads = stack.gradients([(i > 0, True, True) for i in range(len(stacked))])
        self.output = stack.outputs[-1]
        self.output_grad = np.empty_like(self.output)  # d loss / d output
        self.gradients = [(w, Tensor._make(g))
                          for (kernel, bias, _), (_, dw, db, _) in zip(stacked, grads)
                          for w, g in ((kernel, dw), (bias, db)) if w is not None]
        self.forward_calls = stack.forward(run=K.bind)
        # What predict returns, for the metrics: when the loss absorbs the last activation, that
        # activation applied to the logits by what predict's forward pass applies it with: the
        # sigmoid kernel (its product's epilogue), or the softmax op.
        self.activation = model.layers[-1].activation
        self.predictions = np.empty_like(self.output)
        self._sigmoid = (K.sigmoid(self.output, self.predictions, run=K.bind)
                         if fused and self.activation is activations.sigmoid else None)
        self.backward_calls = stack.backward(self.output_grad, grads, run=K.bind)
        # Binary cross-entropy from the logits is one kernel call, the one the eager loss makes;
        # any other loss runs on the Tensor graph, from the output (see _graph_loss).
        self._bce = (K.bce_logits(self.output, self.y, self.output_grad, run=K.bind)
                     if fused and type(self.loss) is BinaryCrossentropy else None)
        self._loss_graph = None  # (the loss Tensor, the output leaf) of a graph loss

    def current(self):
        """Whether the weights still hold the arrays the calls are bound to (a callback could
        have replaced one)."""
        for w, data in zip(self.weights, self.datas):
            if w._data is not data:
                return False
        return True

    def forward(self, data):
        """The batch's loss as a float, its output computed into self.output."""
        self.x[...] = data.xs[0]
        self.y[...] = data.ys[0]
        for call in self.forward_calls:
            call()
        if self._bce is not None:
            return float(np.float32(self._bce()))  # rounded as the eager float32 loss Tensor
        return self._graph_loss()

    def _graph_loss(self):
        output = Tensor._make(self.output, True)
        loss = self.loss.logits_loss(self.y, output) if self.fused else self.loss(self.y, output)
        self._loss_graph = (loss, output)
        return float(loss._data)

    def backward(self):
        """The gradients of the last forward's loss, left in each weight's .grad."""
        if self._loss_graph is not None:
            loss, output = self._loss_graph
            self._loss_graph = None
            loss.backward()
            self.output_grad[...] = output._grad._data
        for call in self.backward_calls:
            call()
        for w, grad in self.gradients:
            w._grad = grad

    def outputs(self):
        """The last forward's outputs as predict would return them, as arrays of the caller's
        own (for the metrics)."""
        if self._sigmoid is not None:
            self._sigmoid()
            return [self.predictions.copy()]
        if self.fused:
            with no_grad():
                return [self.activation(Tensor._make(self.output))._data]
        return [self.output.copy()]

    def output_losses(self):
        return []


class EagerStep:
    """A batch on the Tensor graph, with TrainStep's interface: what fit runs when the model
    cannot be compiled, or compile(run_eagerly=True) asked for it."""

    def __init__(self, model, fused):
        self.model, self.fused = model, fused
        self._loss = self._per_output = self._outputs = None

    def forward(self, data):
        self._loss, self._per_output, self._outputs = self.model._batch_loss(data, True,
                                                                             self.fused)
        return float(self._loss._data)

    def backward(self):
        for w in self.model.trainable_weights:
            w._grad = None
        self._loss.backward()

    def outputs(self):
        return self.model._predictions(self._outputs, self.fused)

    def output_losses(self):
        return [float(v._data) for v in self._per_output]

    def current(self):
        return True


def steps(model, fused, data):
    """rows -> the step fit runs a batch of that many rows of data with: a TrainStep, kept per
    batch size (and made again when a weight's array was replaced), while the model can be
    compiled and run_eagerly is off; else the EagerStep. A model whose layers, loss or
    optimizer change during fit (a callback's doing) is refused: fit was set up for the one it
    started with. fused: the outputs whose loss is computed from their logits."""
    eager = EagerStep(model, fused)
    kept, started = {}, (tuple(model._sublayers), model._compile_loss, model.optimizer)

    def step(rows):
        now = (tuple(model._sublayers), model._compile_loss, model.optimizer)
        if now != started:
            raise RuntimeError("The model's layers, loss or optimizer changed during fit (a "
                               "callback added or removed a layer, or compiled it again): "
                               "fit was set up for the model it started with. Stop training "
                               "(model.stop_training = True), change the model, then call "
                               "compile() and fit() again.")
        if model.run_eagerly:
            return eager
        found = kept.get(rows)
        if found is None or not found.current():
            compiles = compilable(model, 0 in fused, data.weights is not None)
            found = kept[rows] = (TrainStep(model, rows, data.ys[0], 0 in fused) if compiles
                                  else eager)
        return found
    return step
