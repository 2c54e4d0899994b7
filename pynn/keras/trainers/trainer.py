"""Trainer: compile, fit, evaluate, predict and the *_on_batch methods, as Keras 3's Trainer,
which every Model is.

A batch goes forward through the model as Tensors (inside a call context, so that layers see
training=True in fit and training=False in evaluate and predict), the loss (compile's, per
output, plus the losses the layers added) goes backward through the graph, and the optimizer
updates the trainable weights. A Sequential model of Dense layers runs the same kernel calls as
a compiled step instead (trainers.train_step), unless compile(run_eagerly=True).

Where an output ends in a sigmoid (softmax) and its loss is binary (categorical) cross-entropy,
the loss is computed from that layer's logits, which is exact where probabilities would round to
0 or 1; the metrics see the probabilities predict() returns, computed from those logits by the
same kernel.
"""
import math
import warnings

import numpy as np

from ... import random, validate
from ...tensor import Tensor, no_grad
from .. import (activations, losses as losses_module, metrics as metrics_module,
               optimizers as optimizers_module, tree)
from ..callbacks import CallbackList, History, ProgbarLogger
from ..layers.layer import call_context
from ..progbar import Progbar
from . import data_adapter, train_step
from .compile_utils import CompileLoss, CompileMetrics

DEFAULT_BATCH_SIZE = 32


def _verbosity(verbose):
    """0 (silent), 1 (progress bar), 2 (a line per epoch), or more (only 'Epoch i/N')."""
    if verbose == "auto" or verbose is True:
        return 1
    if verbose is False:
        return 0
    if isinstance(verbose, (int, np.integer)) and verbose >= 0:
        return int(verbose)
    raise ValueError(f"verbose must be 'auto', True, False or a non-negative integer (0 silent, 1 "
                     f"progress bar, 2 one line per epoch), got {verbose!r}")


def _batch_size(batch_size):
    if batch_size is None:
        return DEFAULT_BATCH_SIZE
    return validate.positive_int(batch_size, "batch_size")


def _count(value, name):
    """A non-negative integer argument (epochs, initial_epoch)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a non-negative integer, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


class _Data:
    """The arrays of one fit/evaluate call: inputs (one per model input), targets (one per
    output, None where the output has no loss) and per-sample weights (or None)."""

    def __init__(self, xs, ys, weights):
        self.xs, self.ys, self.weights = xs, ys, weights
        self.rows = len(xs[0])

    def rows_of(self, index):
        """The data of the rows at index (a slice or an array of row numbers)."""
        return _Data([x[index] for x in self.xs],
                     [None if y is None else y[index] for y in self.ys],
                     None if self.weights is None else self.weights[index])

    def split(self, at):
        return self.rows_of(slice(0, at)), self.rows_of(slice(at, self.rows))


class Trainer:
    """The training half of a Model: compile() chooses the optimizer, loss and metrics; fit()
    trains; evaluate() and predict() run the model without training it."""

    def __init__(self):
        self.compiled = False
        self.optimizer = self.loss = None
        self._compile_loss = self._compile_metrics = None
        self._compile_config = {}
        self._compiled_trainable_state = None
        self._optimizer_built_for = None  # (optimizer, ids of the weights it was built for)
        self.run_eagerly = False
        self.stop_training = False
        self.history = None
        self._rng = random.spawn()  # the model's own stream for shuffling

    # ---- compile ------------------------------------------------------------------------------

    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1,
                jit_compile="auto", auto_scale_loss=True):
        """Choose the optimizer (a name or an object), the loss (a name, a Loss or a function
        (y_true, y_pred) -> Tensor; per output for several), loss_weights, and the metrics
        (names, Metric objects or functions). fit runs a Sequential model of Dense layers as a
        compiled step (trainers.train_step), as Keras compiles its train step;
        run_eagerly=True runs every batch on the Tensor graph instead, with the same results.
        steps_per_execution and jit_compile are accepted and have no effect."""
        if weighted_metrics:
            raise ValueError("weighted_metrics are not supported by pynn; use metrics")
        self.run_eagerly = validate.flag(run_eagerly, "run_eagerly")
        self.optimizer = optimizers_module.get(optimizer)
        names = self.output_names
        self._compile_loss = CompileLoss(loss, loss_weights, names)
        self._compile_metrics = CompileMetrics(metrics, names)
        self.loss = loss
        self._compile_config = {"loss": loss, "loss_weights": loss_weights, "metrics": metrics}
        self._compiled_trainable_state = self._trainable_state()
        self.compiled = True
        self.stop_training = False

    def _trainable_state(self):
        return {id(layer): (layer.name, layer.trainable) for layer in self._flatten_layers()}

    @property
    def metrics_names(self):
        """'loss', then 'compile_metrics' when compile was given metrics, then each output's
        loss for a model of several outputs, as Keras 3 names them."""
        if not self.compiled:
            return []
        return (["loss"] + (["compile_metrics"] if self._compile_metrics else [])
                + self._compile_loss.names)

    @property
    def metrics(self):
        """The compile metrics, as Metric objects (made by the first fit or evaluate)."""
        if not self.compiled or self._compile_metrics.metrics is None:
            return []
        return [metric for _, metric in self._compile_metrics.metrics]

    def _require_compiled(self):
        if not self.compiled:
            raise ValueError("You must call `compile()` before using the model.")
        if not self._compile_loss.losses and not self._has_losses():
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")

    def _has_losses(self):
        return any(w.regularizer is not None for w in self.trainable_weights) or any(
            layer.activity_regularizer is not None for layer in self._flatten_layers())

    def _check_trainable_state(self):
        """Keras's warning when a layer's trainable flag changed since compile()."""
        now = self._trainable_state()
        before = self._compiled_trainable_state
        changed = [name for key, (name, flag) in now.items()
                   if key in before and before[key][1] != flag]
        if changed:
            warnings.warn("A layer's `trainable` state has changed since the model was "
                          "compiled. This can result in unexpected behavior, as the compiled "
                          "optimizer and loss functions may not track the correct variables. "
                          "Please recompile your model (e.g. `model.compile(...)`) before "
                          "calling `fit()` or `evaluate()` so the change takes effect. "
                          f"Changed layers: {changed}", stacklevel=3)
            self._compiled_trainable_state = now

    def _build_optimizer(self):
        """Bind the optimizer to the trainable weights at the first fit (as Keras builds it at
        the first step). One this model built for other weights (a layer's `trainable` changed
        since) is refused, as Keras refuses it: it holds state for those weights."""
        weights = self.trainable_weights
        ids = [id(w) for w in weights]
        built_for = self._optimizer_built_for
        if built_for is not None and built_for[0] is self.optimizer:
            if built_for[1] != ids:
                raise ValueError(
                    f"The trainable weights changed since optimizer '{self.optimizer.name}' was "
                    "built for this model (a layer's `trainable` was set): call "
                    "`model.compile(...)` again with a new optimizer (a name such as 'adam', or "
                    "a new Adam(...)) before fit(), as Keras requires: an optimizer keeps state "
                    "for the weights it was built for.")
            return
        self.optimizer.build(weights)  # refuses an optimizer built for another model
        self._optimizer_built_for = (self.optimizer, ids)

    # ---- data ---------------------------------------------------------------------------------

    def _input_arrays(self, x, finite=True, what="x"):
        """x as a list of arrays, one per model input, of the model's dtype; builds an unbuilt
        model from the shape of the data. what: x's name in error messages."""
        names = self.input_names
        xs = data_adapter.structure(x, names, "input")
        shapes = self._input_sample_shapes()
        xs = [data_adapter.features(v, what if len(xs) == 1 else f"{what}[{name!r}]",
                                    None if shapes is None else shapes[i], self.dtype,
                                    finite=finite)
              for i, (v, name) in enumerate(zip(xs, names))]
        data_adapter.same_rows(xs, names if len(xs) > 1 else [what])
        if not self.built:
            self._build_from_data(xs)
        return xs

    def _input_sample_shapes(self):
        if self._graph is not None:
            return [t.shape[1:] for t in self._graph.inputs]
        return None

    def _build_from_data(self, xs):
        if not self.layers and type(self).__name__ == "Sequential":
            raise ValueError("The model has no layers: add some before using it")
        shapes = [(None,) + x.shape[1:] for x in xs]
        self.build(shapes[0] if len(shapes) == 1 else shapes)

    def _output_shapes(self, xs):
        if self._graph is not None:
            return [t.shape for t in self._graph.outputs]
        with no_grad(), call_context(self, False):
            outs = self._forward([Tensor._make(x[:1]) for x in xs], False)
        return [(None,) + tuple(o.shape[1:]) for o in outs]

    def _prepare(self, x, y, sample_weight=None, class_weight=None, names=("x", "y")):
        """(inputs, targets, sample weights) converted and checked, as a _Data."""
        xs = self._input_arrays(x, what=names[0])
        shapes = self._output_shapes(xs)
        losses = self._compile_loss.losses or [None] * len(shapes)
        if y is None:
            if any(loss is not None for loss in losses):
                raise ValueError(f"{names[1]}: expected the targets, got None (the loss needs "
                                 "them)")
            ys = [None] * len(shapes)
        else:
            ys = data_adapter.structure(y, self.output_names, "output")
            ys = [data_adapter.targets(v, names[1] if len(ys) == 1 else
                                       f"{names[1]}[{name!r}]", shape,
                                       loss is not None and loss.sparse)
                  for v, name, shape, loss in zip(ys, self.output_names, shapes, losses)]
        data_adapter.same_rows(xs + [v for v in ys if v is not None],
                               [names[0]] * len(xs) + [names[1]] * len(ys))
        weights = None
        if sample_weight is not None:
            weights = data_adapter.sample_weights(sample_weight, len(xs[0]))
        if class_weight is not None:
            if len(ys) != 1:
                raise ValueError("`class_weight` is only supported for models with a single "
                                 "output.")
            by_class = data_adapter.class_weights(class_weight, ys[0], losses[0] is not None
                                                  and losses[0].sparse)
            weights = by_class if weights is None else weights * by_class
        self._check_output_activations(shapes, losses)
        self._compile_metrics.build([None if v is None else v.shape for v in ys], shapes)
        return _Data(xs, ys, weights)

    def _check_output_activations(self, shapes, losses):
        """Warn about an output that cannot learn: a softmax, or a categorical cross-entropy,
        over a single unit is always 1 (its loss 0), whatever the weights."""
        for i, (shape, loss) in enumerate(zip(shapes, losses)):
            if shape[-1] != 1:
                continue
            layer = self._output_layer(i)
            softmax = layer is not None and getattr(layer, "activation", None) \
                is activations.get("softmax")
            categorical = loss is not None and type(loss).__name__ == "CategoricalCrossentropy"
            if softmax or categorical:
                what = "a softmax" if softmax else "categorical_crossentropy"
                warnings.warn(f"The model's output has 1 unit and uses {what}: over a single "
                              "value it is constant, so the loss does not change and the model "
                              "learns nothing. For two classes, use Dense(1, "
                              "activation='sigmoid') with loss='binary_crossentropy' (or "
                              "Dense(2, activation='softmax') with one-hot or sparse targets).",
                              UserWarning, stacklevel=4)

    # ---- the loss -----------------------------------------------------------------------------

    def _fused_outputs(self, weighted):
        """The outputs whose loss is computed from their layer's logits: a sigmoid (softmax)
        output with binary (categorical) cross-entropy, when no sample weights apply."""
        if weighted:
            return ()
        fused = []
        for i, loss in enumerate(self._compile_loss.losses):
            layer = self._output_layer(i)
            if (loss is not None and loss.fuses is not None
                    and not getattr(loss, "from_logits", False) and hasattr(layer, "logits")
                    and getattr(layer, "activity_regularizer", None) is None
                    and activations.serialize(layer.activation) == loss.fuses):
                fused.append(i)
        return tuple(fused)

    def _batch_loss(self, data, training, fused):
        """(total loss Tensor, per-output loss Tensors, output Tensors) of one batch; a fused
        output holds its logits."""
        xs = [Tensor._make(x) for x in data.xs]
        with call_context(self, training):
            outputs = self._forward(xs, training, fused)
            extra = self.losses
        compile_loss = self._compile_loss
        per_output, total = [], None
        for i, loss in enumerate(compile_loss.losses):
            if loss is None:
                continue
            y, out = data.ys[i], outputs[i]
            if i in fused:
                value = loss.logits_loss(y, out)
            elif data.weights is not None:
                value = loss(y, out, sample_weight=data.weights)
            else:
                value = loss(y, out)
            per_output.append(value)
            weighted = value if compile_loss.weights[i] == 1.0 else value * compile_loss.weights[i]
            total = weighted if total is None else total + weighted
        for value in extra:
            total = value if total is None else total + value
        return total, per_output, outputs

    def _predictions(self, outputs, fused):
        """The outputs as predict() returns them (arrays): a fused output's activation is
        applied to its logits here, by the kernel predict's forward pass applies it with."""
        arrays = []
        for i, out in enumerate(outputs):
            data = out._data if isinstance(out, Tensor) else out
            if i in fused:
                with no_grad():
                    data = self._output_layer(i).activation(Tensor._make(data))._data
            arrays.append(data)
        return arrays

    # ---- training -----------------------------------------------------------------------------

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
        """Train for `epochs` epochs (counting from initial_epoch) in batches of batch_size (32),
        the rows reshuffled every epoch unless shuffle is false. Returns a History whose
        .history holds the per-epoch 'loss', metrics and 'val_' values.

        A batch whose loss is NaN or inf is not applied: training stops there with a warning,
        the weights as they were before it, and the History records the epoch's NaN loss."""
        self._require_compiled()
        self._check_trainable_state()
        if data_adapter.is_dataset(x):
            x, y, sample_weight, batch_size, shuffle = data_adapter.from_dataset(
                x, y, sample_weight, steps=steps_per_epoch)
        batch_size = _batch_size(batch_size)
        epochs, initial_epoch = _count(epochs, "epochs"), _count(initial_epoch, "initial_epoch")
        verbose = _verbosity(verbose)
        validation_freq = validate.positive_int(validation_freq, "validation_freq")
        callbacks = self._callback_list(callbacks)
        data = self._prepare(x, y, sample_weight, class_weight)
        val = None
        if validation_data is not None:
            val = self._validation(validation_data, validation_steps)
        elif validation_split:
            data, val = data.split(data_adapter.split_at(validation_split, data.rows))
        val_batch_size = batch_size if validation_batch_size is None else _batch_size(
            validation_batch_size)
        self._build_optimizer()
        fused = self._fused_outputs(data.weights is not None)
        step_for = train_step.steps(self, fused, data)
        constrained = [w for w in self.trainable_weights if w.constraint is not None]
        steps = math.ceil(data.rows / batch_size)
        if steps_per_epoch is not None:
            steps = min(steps, validate.positive_int(steps_per_epoch, "steps_per_epoch"))
        history = History()
        defaults = [ProgbarLogger(verbose)] if verbose else []
        cbs = CallbackList(defaults + callbacks + [history], self,
                           {"epochs": epochs, "steps": steps, "verbose": verbose})
        self.stop_training = False
        cbs.on_train_begin()
        logs = {}
        for epoch in range(initial_epoch, epochs):
            cbs.on_epoch_begin(epoch)
            logs = self._train_epoch(data, batch_size, steps, bool(shuffle), epoch, cbs, step_for,
                                     constrained)
            if val is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self._test(val, val_batch_size, cbs=cbs, steps=validation_steps)
                logs.update({f"val_{k}": v for k, v in val_logs.items()})
            cbs.on_epoch_end(epoch, logs)
            if self.stop_training:
                break
        # An update can overflow the weights while every loss stays finite (a relu or tanh hides
        # an inf): one check per fit call, so that it is never silent.
        if math.isfinite(logs.get("loss", 0.0)) and not self._weights_finite():
            warnings.warn("fit: some weights are inf or NaN after training, although every loss "
                          "was finite: an update overflowed them. Try a lower learning rate, or "
                          "scale the inputs.", RuntimeWarning, stacklevel=2)
        cbs.on_train_end(logs)
        return history

    def _callback_list(self, callbacks):
        if callbacks is None:
            return []
        if isinstance(callbacks, (list, tuple)):
            return list(callbacks)
        return [callbacks]  # Keras takes a single callback as a list of one

    def _validation(self, validation_data, steps=None):
        if data_adapter.is_dataset(validation_data):
            x, y, weights, _, _ = data_adapter.from_dataset(validation_data, None, None,
                                                            "validation_data", steps)
            validation_data = (x, y, weights)
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
            raise ValueError("validation_data must be a tuple (x_val, y_val) or (x_val, y_val, "
                             f"val_sample_weight), got {type(validation_data).__name__}"
                             + (f" of length {len(validation_data)}"
                                if isinstance(validation_data, (tuple, list)) else ""))
        return self._prepare(*validation_data[:2], sample_weight=(
            validation_data[2] if len(validation_data) == 3 else None),
            names=("validation_data x", "validation_data y"))

    def _weights_finite(self):
        return all(np.isfinite(w._data).all() for w in self.weights)

    def _train_epoch(self, data, batch_size, steps, shuffle, epoch, cbs, step_for, constrained):
        n = data.rows
        # A single batch is left as it is: its mean gradient does not depend on the row order.
        if shuffle and n > batch_size:
            data = data.rows_of(self._rng.permutation(n))
        self._compile_metrics.reset()
        metrics = self._compile_metrics if self._compile_metrics.metrics else None
        totals = _Totals(self._compile_loss.names)
        for batch in range(steps):
            start = batch * batch_size
            if cbs.batch_callbacks:
                cbs.on_train_batch_begin(batch)
            part = data if n <= batch_size else data.rows_of(slice(start, start + batch_size))
            rows = part.rows
            step = step_for(rows)
            value = step.forward(part)
            if math.isfinite(value):
                step.backward()
                self.optimizer.apply()
                if constrained:
                    _apply_constraints(constrained)
            else:
                weights = ("so the weights are those from before it" if self._weights_finite()
                           else "but the weights are already inf or NaN: an earlier update "
                           "overflowed them")
                warnings.warn(f"Epoch {epoch + 1}, batch {batch + 1}: the loss is {value}. "
                              f"Training stopped, and this batch's update was not applied, "
                              f"{weights} (TerminateOnNaN is on by default). Try a lower "
                              "learning rate, or scale the inputs.", RuntimeWarning, stacklevel=3)
                self.stop_training = True
            totals.add(value, step.output_losses(), rows)
            if metrics is not None:
                metrics.update(part.ys, step.outputs())
            if cbs.batch_callbacks:
                cbs.on_train_batch_end(batch, self._logs(totals))
            if self.stop_training:
                break
        return self._logs(totals)

    def _logs(self, totals):
        """The logs of the batches so far, sorted by name as Keras 3 sorts them."""
        logs = totals.means()
        logs.update(self._compile_metrics.results())
        return dict(sorted(logs.items()))

    # ---- evaluation ---------------------------------------------------------------------------

    def _test(self, data, batch_size, cbs=None, progbar=None, steps=None):
        """The loss and metrics over data, in batches, without recording a graph."""
        fused = self._fused_outputs(data.weights is not None)
        self._compile_metrics.reset()
        totals = _Totals(self._compile_loss.names)
        batches = math.ceil(data.rows / batch_size)
        if steps is not None:
            batches = min(batches, validate.positive_int(steps, "steps"))
        if cbs is not None:
            cbs.on_test_begin()
        with no_grad():
            for batch in range(batches):
                start = batch * batch_size
                if cbs is not None and cbs.batch_callbacks:
                    cbs.on_test_batch_begin(batch)
                part = data.rows_of(slice(start, start + batch_size))
                loss, per_output, outputs = self._batch_loss(part, False, fused)
                totals.add(float(loss._data), [float(v._data) for v in per_output], part.rows)
                if self._compile_metrics.metrics:
                    self._compile_metrics.update(part.ys, self._predictions(outputs, fused))
                logs = self._logs(totals)
                if cbs is not None and cbs.batch_callbacks:
                    cbs.on_test_batch_end(batch, logs)
                if progbar is not None:
                    progbar.update(batch + 1, logs)
        logs = self._logs(totals)
        if cbs is not None:
            cbs.on_test_end(logs)
        return logs

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False, **kwargs):
        """The loss on (x, y), or [loss, *per-output losses, *metrics] (a dict with
        return_dict=True), as Keras returns them."""
        if kwargs:
            raise ValueError(f"Arguments not recognized: {kwargs}")
        self._require_compiled()
        self._check_trainable_state()
        if data_adapter.is_dataset(x):
            x, y, sample_weight, batch_size, _ = data_adapter.from_dataset(x, y, sample_weight,
                                                                           steps=steps)
        batch_size = _batch_size(batch_size)
        verbose = _verbosity(verbose)
        data = self._prepare(x, y, sample_weight)
        batches = math.ceil(data.rows / batch_size)
        progbar = Progbar(batches, verbose=verbose) if verbose else None
        cbs = CallbackList(self._callback_list(callbacks), self,
                           {"steps": batches, "verbose": verbose})
        logs = self._test(data, batch_size, cbs=cbs, progbar=progbar, steps=steps)
        if validate.flag(return_dict, "return_dict"):
            return logs
        return self._in_order(logs)

    def _in_order(self, logs):
        """The logs as evaluate's list: the loss, the outputs' losses, then the metrics in
        compile's order; a scalar when there is only the loss."""
        order = ["loss"] + self._compile_loss.names + self._compile_metrics.names
        values = [logs[name] for name in order if name in logs]
        values += [logs[name] for name in sorted(logs) if name not in order]
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs for x (float32 arrays: probabilities after a sigmoid or softmax),
        computed in batches of batch_size (32); a list (or dict) for several outputs."""
        if data_adapter.is_dataset(x):
            x, _, _, batch_size, _ = data_adapter.from_dataset(x, None, None, steps=steps)
        batch_size = _batch_size(batch_size)
        verbose = _verbosity(verbose)
        xs = self._input_arrays(x, finite=False)
        rows = len(xs[0])
        batches = math.ceil(rows / batch_size)
        if steps is not None:
            batches = min(batches, validate.positive_int(steps, "steps"))
        progbar = Progbar(batches, verbose=verbose) if verbose else None
        cbs = CallbackList(self._callback_list(callbacks), self,
                           {"steps": batches, "verbose": verbose})
        cbs.on_predict_begin()
        parts = []
        with no_grad(), call_context(self, False):
            for batch in range(batches):
                start = batch * batch_size
                if cbs.batch_callbacks:
                    cbs.on_predict_batch_begin(batch)
                outs = self._forward([Tensor._make(x[start:start + batch_size]) for x in xs],
                                     False)
                parts.append([o._data for o in outs])
                if cbs.batch_callbacks:
                    cbs.on_predict_batch_end(batch, {"outputs": parts[-1]})
                if progbar is not None:
                    progbar.update(batch + 1)
        cbs.on_predict_end()
        outputs = [p[0] if len(parts) == 1 else np.concatenate(p) for p in zip(*parts)]
        return self._pack_outputs(outputs)

    def _pack_outputs(self, outputs):
        if self._graph is not None:
            return tree.pack_sequence_as(self._graph.outputs_struct, outputs)
        return outputs[0] if len(outputs) == 1 else outputs

    # ---- one batch ----------------------------------------------------------------------------

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict=False):
        """One update on the batch (x, y); returns its loss (and metrics), as evaluate does."""
        self._require_compiled()
        self._check_trainable_state()
        data = self._prepare(x, y, sample_weight, class_weight)
        self._build_optimizer()
        fused = self._fused_outputs(data.weights is not None)
        self._compile_metrics.reset()
        loss, per_output, outputs = self._batch_loss(data, True, fused)
        for w in self.trainable_weights:
            w._grad = None
        loss.backward()
        self.optimizer.apply()
        _apply_constraints([w for w in self.trainable_weights if w.constraint is not None])
        totals = _Totals(self._compile_loss.names)
        totals.add(float(loss._data), [float(v._data) for v in per_output], data.rows)
        if self._compile_metrics.metrics:
            self._compile_metrics.update(data.ys, self._predictions(outputs, fused))
        logs = self._logs(totals)
        return logs if validate.flag(return_dict, "return_dict") else self._in_order(logs)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """The loss (and metrics) on the batch (x, y), without training."""
        self._require_compiled()
        data = self._prepare(x, y, sample_weight)
        logs = self._test(data, data.rows)
        return logs if validate.flag(return_dict, "return_dict") else self._in_order(logs)

    def predict_on_batch(self, x):
        """The model's outputs for the batch x, as predict returns them."""
        return self.predict(x, batch_size=max(1, len(self._input_arrays(x, False)[0])),
                            verbose=0)

    # ---- state for model files ----------------------------------------------------------------

    @property
    def compile_config(self):
        """compile()'s arguments in JSON-able form: model.compile(**model.compile_config)
        compiles a rebuilt model the same way."""
        if not self.compiled:
            return {}
        config = self._compile_config

        def loss(value):
            return None if value is None else losses_module.serialize(value)

        def metric(value):
            return None if value is None else metrics_module.serialize(value)
        return {"optimizer": optimizers_module.serialize(self.optimizer),
                "loss": tree.map_structure(loss, config["loss"]),
                "loss_weights": config["loss_weights"],
                "metrics": tree.map_structure(metric, config["metrics"])}


def _apply_constraints(weights):
    """Each weight set to its constraint's projection of it, after an update, as Keras does."""
    with no_grad():
        for w in weights:
            w._data[...] = w.constraint(w)._data


class _Totals:
    """Running sums of the loss and each output's loss, weighted by batch rows."""

    def __init__(self, names):
        self.names = names
        self.loss, self.outputs, self.rows = 0.0, [0.0] * len(names), 0

    def add(self, value, per_output, rows):
        self.loss += value * rows
        self.rows += rows
        if self.names:
            for i, v in enumerate(per_output):
                self.outputs[i] += v * rows

    def means(self):
        rows = self.rows or 1
        logs = {"loss": self.loss / rows}
        logs.update((name, total / rows) for name, total in zip(self.names, self.outputs))
        return logs
