"""fit's compiled training step: one batch of a stack of Dense layers as a fixed list of kernel
calls on arrays allocated once.

Keras compiles its train step into a graph (tf.function) unless compile(run_eagerly=True); this
is pynn's counterpart, for the models it can compile: Dense layers only, each activation fused
into its kernel call (none, relu or sigmoid; the last one's may be absorbed by the loss, as in
the eager path). It is built once per fit call and batch size: every activation, gradient and
scratch array is allocated then, and every kernel call is bound to its arrays
(backend.bind_*), so a batch costs a copy of its rows, one C call per layer each way, the loss
(one C call for binary cross-entropy from the logits; other losses run on a one-node Tensor
graph) and the optimizer's update.

The values are the eager path's (functional.dense_stack and the loss on the Tensor graph): the
same kernels on the same values in the same order, so both give bit-identical weights
(tests/test_train_step.py checks it).
"""
import numpy as np

from .. import backend, validate
from ..tensor import Tensor
from .layers import Dense
from .losses import BinaryCrossentropy


def compilable(model, fused):
    """Whether fit can train `model` with a TrainStep: every layer a Dense whose activation
    fuses into its kernel call (or, for the last, is absorbed by the loss when `fused`), and
    every weight trainable, a layer's own (the graph adds up the gradients of a shared one) and
    a C-contiguous float32 array, as Dense makes them (one the user replaced by another dtype
    or layout is trained eagerly, as the Tensor graph converts it)."""
    last = len(model.layers) - 1
    weights = model.weights
    return (all(type(layer) is Dense and layer.stacked(fused and i == last) is not None
                for i, layer in enumerate(model.layers))
            and len(model.trainable_weights) == len({id(w) for w in weights}) == len(weights)
            and all(w.data.dtype == np.float32 and validate.is_plain(w.data) for w in weights))


class TrainStep:
    """The compiled step of `model` for batches of `rows` rows: forward(xb, yb) gives the loss,
    then backward() leaves each weight's gradient in its .grad, for the optimizer to apply.
    `output` holds the last forward's output (the logits when `fused`), overwritten by the
    next."""

    def __init__(self, model, rows, y_like, fused):
        self.model, self.fused = model, fused
        layers = model.layers
        self.weights = model.weights
        self.datas = [w.data for w in self.weights]
        self.x = np.empty((rows,) + model.input_shape[1:], np.float32)
        self.y = np.empty((rows,) + y_like.shape[1:], y_like.dtype)
        self.forward_calls, saved, h = [], [], self.x
        for i, layer in enumerate(layers):
            kernel, bias, activation = layer.stacked(fused and i == len(layers) - 1)
            out = np.empty((rows, layer.units), np.float32)
            self.forward_calls.append(backend.bind_linear(
                h, kernel.data, None if bias is None else bias.data, out, activation))
            saved.append((h, kernel, bias, out, activation))
            h = out
        self.output = h
        self.output_grad = np.empty_like(h)  # d loss / d output
        self.grads = []  # (weight, its gradient array)
        self.backward_calls, g = [], self.output_grad
        for i, (h_in, kernel, bias, out, activation) in reversed(list(enumerate(saved))):
            dx = np.empty_like(h_in) if i else None  # the inputs need no gradient
            dw = np.empty_like(kernel.data)
            db = None if bias is None else np.empty_like(bias.data)
            self.backward_calls.append(backend.bind_linear_backward(
                h_in, kernel.data, out, g, dx, dw, db, activation))
            self.grads += [(kernel, dw)] + ([] if bias is None else [(bias, db)])
            g = dx
        # Binary cross-entropy from the logits is one kernel call, the one logits_loss makes;
        # any other loss runs on the Tensor graph, from the output (see _graph_loss).
        self._bce = (backend.bind_bce_with_logits(h, self.y, self.output_grad)
                     if fused and type(model._loss) is BinaryCrossentropy else None)
        self._loss_graph = None  # (the loss Tensor, the output leaf) of a graph loss

    def current(self):
        """Whether the weights still hold the arrays the calls are bound to (a callback could
        have replaced one)."""
        for w, data in zip(self.weights, self.datas):
            if w.data is not data:
                return False
        return True

    def forward(self, xb, yb):
        """The batch's loss as a float, its output computed into self.output."""
        self.x[...] = xb
        self.y[...] = yb
        for call in self.forward_calls:
            call()
        if self._bce is not None:
            return float(np.float32(self._bce()))  # rounded as the eager float32 loss Tensor
        return self._graph_loss()

    def _graph_loss(self):
        output = Tensor(self.output, requires_grad=True)
        loss_fn = self.model._loss
        loss = loss_fn.logits_loss(self.y, output) if self.fused else loss_fn(self.y, output)
        self._loss_graph = (loss, output)
        return float(loss.data)

    def backward(self):
        """The gradients of the last forward's loss, left in each weight's .grad."""
        if self._loss_graph is not None:
            loss, output = self._loss_graph
            self._loss_graph = None
            loss.backward()
            self.output_grad[...] = output.grad
        for call in self.backward_calls:
            call()
        for w, grad in self.grads:
            w.grad = grad

    def outputs(self):
        """The last forward's output, as an array of the caller's own (for the metrics)."""
        return self.output.copy()


class EagerStep:
    """A batch on the Tensor graph, with TrainStep's interface: what fit runs when the model
    cannot be compiled, or compile(run_eagerly=True) asked for it."""

    def __init__(self, model, fused):
        self.model, self.fused = model, fused
        self.weights = model.trainable_weights
        self._loss = self._output = None

    def forward(self, xb, yb):
        self._loss, self._output = self.model._batch_loss(xb, yb, self.fused)
        return float(self._loss.data)

    def backward(self):
        for w in self.weights:
            w.grad = None
        self._loss.backward()

    def outputs(self):
        return self._output.data

    def current(self):
        return True


def steps(model, fused):
    """rows -> the step fit runs a batch of that many rows with: a TrainStep, kept per batch
    size (and made again when a weight's array was replaced), while the model can be compiled
    and run_eagerly is off; else the EagerStep."""
    eager = EagerStep(model, fused)
    if model.run_eagerly:
        return lambda rows, y_like: eager
    kept = {}

    def step(rows, y_like):
        found = kept.get(rows)
        if found is None or not found.current():
            found = kept[rows] = (TrainStep(model, rows, y_like, fused)
                                  if compilable(model, fused) else eager)
        return found
    return step
