"""The Keras-style Sequential model: layers in a row, compile, fit, evaluate, predict, summary.

Training runs on pynn's engine: a batch goes forward through the layers as Tensors, the loss
goes backward through the graph, and a Keras-style optimizer (pynn.optim underneath) updates the
weights. A model of Dense layers runs the same kernel calls as a compiled step instead
(pynn.keras.train_step), unless compile(run_eagerly=True). Inputs are converted and checked once
at the start of fit; per batch, only slices of them are used.

Where the model ends in a sigmoid (softmax) and the loss is binary (categorical) cross-entropy,
the loss is computed from the last layer's logits, which is exact where probabilities would
round to 0 or 1; predict() still returns probabilities.
"""
import math
import sys
import warnings

import numpy as np

from .. import random, validate
from ..ops.dense import dense_stack
from ..nn import Module
from ..tensor import Tensor, no_grad
from . import activations, data, layers as layers_module, losses, metrics as metrics_module, \
    optimizers, train_step
from .callbacks import Callback, CallbackList, History, ProgbarLogger
from .layers import Dense, InputLayer, Layer, unique_name
from .progbar import Progbar, can_encode

DEFAULT_BATCH_SIZE = 32


def _verbosity(verbose):
    if verbose == "auto":
        return 1
    if verbose not in (0, 1, 2) or isinstance(verbose, bool):
        raise ValueError(f"verbose must be 'auto', 0, 1 or 2, got {verbose!r}")
    return verbose


def _batch_size(batch_size):
    if batch_size is None:
        return DEFAULT_BATCH_SIZE
    return validate.positive_int(batch_size, "batch_size")


def _count(value, name):
    """A non-negative integer argument (epochs, initial_epoch)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


class Sequential(Module):
    """A stack of layers, each feeding the next: Sequential([Dense(4, input_dim=2,
    activation='relu'), Dense(1, activation='sigmoid')]), or Sequential() and add()."""

    def __init__(self, layers=None, name=None, trainable=True):
        super().__init__()
        if name is not None and (not isinstance(name, str) or not name):
            raise TypeError(f"name: expected a non-empty str, got {name!r}")
        self.name = name or unique_name("sequential")
        self.trainable = validate.flag(trainable, "trainable")
        self._layers = []
        self._input_shape = None  # the shape of one sample, once known
        self.built = False
        self.compiled = False
        self.optimizer = self.loss = self._loss = None
        self.run_eagerly = False
        self.history = None
        self.stop_training = False
        self._metric_ids = []  # what compile() was given
        self.metrics = []  # the Metric objects, resolved from the first data seen
        self._rng = random.spawn()  # the model's own stream for shuffling
        if layers is not None:
            if isinstance(layers, Layer) or not isinstance(layers, (list, tuple)):
                raise TypeError(f"Sequential: expected a list of layers, got "
                                f"{type(layers).__name__}")
            for layer in layers:
                self.add(layer)

    # ---- structure ----------------------------------------------------------------------------

    @property
    def layers(self):
        return list(self._layers)

    def add(self, layer):
        """Append a layer; with the input shape known, its weights are created at once."""
        if isinstance(layer, InputLayer):
            if self._layers or self._input_shape is not None:
                raise ValueError("An InputLayer (or Input) can only be the first layer of a "
                                 "Sequential model")
            self._input_shape = layer.shape
            return
        if not isinstance(layer, Layer):
            raise TypeError(f"Only instances of pynn.keras layers can be added to a Sequential "
                            f"model. Received: {layer!r} (of type {type(layer).__name__})")
        if layer.name in self._modules:
            raise ValueError(f"All layers added to a Sequential model should have unique names. "
                             f"Name {layer.name!r} is already the name of a layer in this model. "
                             "Update the `name` argument to pass a unique name.")
        self._layers.append(layer)
        self._modules[layer.name] = layer
        if len(self._layers) == 1 and self._input_shape is None:
            self._input_shape = layer._input_shape_arg
        if self._input_shape is not None:
            self.build((None,) + self._input_shape)

    def pop(self):
        """Remove and return the last layer."""
        if not self._layers:
            raise IndexError("There are no layers in the model to pop")
        layer = self._layers.pop()
        del self._modules[layer.name]
        self.built = bool(self._layers) and self._input_shape is not None
        return layer

    def build(self, input_shape=None):
        """Create every layer's weights for inputs of input_shape, e.g. (None, 2)."""
        if input_shape is None:
            if self._input_shape is None:
                raise ValueError("build: the input shape is unknown; pass it, e.g. "
                                 "model.build((None, 2)), or give the first layer input_dim")
            input_shape = (None,) + self._input_shape
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 2:
            raise ValueError(f"build: expected an input shape (batch, features) such as "
                             f"(None, 2), got {input_shape!r}")
        sample = (validate.positive_int(input_shape[1], "build: features"),)
        if self._input_shape is not None and sample != tuple(self._input_shape):
            raise ValueError(f"build: the model takes inputs of shape (None, "
                             f"{self._input_shape[0]}), got {tuple(input_shape)}")
        self._input_shape = sample
        shape = (None,) + sample
        for layer in self._layers:
            if not layer.built:
                layer.build(shape)
            shape = layer.compute_output_shape(shape)
        self.built = bool(self._layers)

    @property
    def input_shape(self):
        return None if self._input_shape is None else (None,) + tuple(self._input_shape)

    @property
    def output_shape(self):
        shape = self.input_shape
        if shape is None or not self._layers:
            return None
        for layer in self._layers:
            shape = layer.compute_output_shape(shape)
        return shape

    def _ensure_built(self, x):
        """Build from the width of x, or check that x fits the model."""
        if not self._layers:
            raise ValueError("The model has no layers: add some before using it")
        if not self.built:
            self.build((None, x.shape[1]))
        elif x.shape[1] != self._input_shape[0]:
            raise ValueError(f"Input of shape {tuple(x.shape)} does not fit the model: its first layer "
                             f"{self._layers[0].name!r} expects {self._input_shape[0]} features "
                             f"per sample, got {x.shape[1]}")

    # ---- forward ------------------------------------------------------------------------------

    def _outputs(self, x, logits=False):
        """The model's output for a batch Tensor; with logits, the last layer's pre-activation.
        A run of Dense layers of one dtype whose activations fuse into the kernel calls is one
        graph node (ops.dense.dense_stack): the values and gradients of the layers one by one.
        A run's input is cast to its weights' dtype, as Keras casts a layer's inputs."""
        run, last = [], len(self._layers) - 1
        for i, layer in enumerate(self._layers):
            as_logits = logits and i == last
            entry = layer.stacked(as_logits) if type(layer) is Dense else None
            if entry is not None and run and entry[0].dtype != run[0][0].dtype:
                x, run = self._stack(x, run), []
            if entry is not None:
                run.append(entry)
                continue
            if run:
                x, run = self._stack(x, run), []
            x = layer.logits(x) if as_logits else layer.call(x)
        return self._stack(x, run) if run else x

    def _stack(self, x, run):
        dtype = run[0][0].dtype
        run = [(k, b if b is None else b.to(dtype), act) for k, b, act in run]
        return dense_stack(x.to(dtype), run, trans_w=False, name=self.name)

    def __call__(self, inputs):
        """The output Tensor for inputs (a Tensor, or an array converted to float32)."""
        x = inputs if isinstance(inputs, Tensor) else Tensor(inputs, dtype=np.float32)
        if x.ndim != 2:
            raise ValueError(f"expected inputs of shape (samples, features), got {tuple(x.shape)}")
        self._ensure_built(x)
        return self._outputs(x)

    # ---- weights ------------------------------------------------------------------------------

    @property
    def weights(self):
        return [w for layer in self._layers for w in layer.weights]

    @property
    def trainable_weights(self):
        return [w for layer in self._layers for w in layer.trainable_weights] \
            if self.trainable else []

    @property
    def non_trainable_weights(self):
        trainable = {id(w) for w in self.trainable_weights}
        return [w for w in self.weights if id(w) not in trainable]

    def get_weights(self):
        """Copies of all weights, layer by layer (kernel, then bias), as ndarrays."""
        return [w._data.copy() for w in self.weights]

    def set_weights(self, weights):
        """Set all weights from arrays as get_weights returns them; nothing changes unless
        every array has the right shape."""
        own, weights = self.weights, list(weights)
        if len(weights) != len(own):
            raise ValueError(f"set_weights: the model has {len(own)} weights, got a list of "
                             f"{len(weights)}")
        arrays = [validate.as_array(v, f"weight {i}") for i, v in enumerate(weights)]
        for i, (w, arr) in enumerate(zip(own, arrays)):
            if arr.shape != w.shape:
                raise ValueError(f"set_weights: weight {i} has shape {tuple(w.shape)}, got an array of "
                                 f"shape {arr.shape}")
        for w, arr in zip(own, arrays):
            w._data[...] = arr

    def count_params(self):
        if not self.built:
            raise ValueError("count_params: the model is not built yet (give the first layer "
                             "input_dim, or call build())")
        return sum(w.numel() for w in self.weights)

    # ---- compile ------------------------------------------------------------------------------

    def compile(self, optimizer="rmsprop", loss=None, metrics=None, run_eagerly=False):
        """Choose the optimizer (a name or an object), the loss (a name, a Loss or a function
        (y_true, y_pred) -> Tensor) and the metrics (names, Metric objects or functions).

        fit runs a model of Dense layers as a compiled step (pynn.keras.train_step: a fixed
        list of kernel calls on arrays allocated once), as Keras compiles its train step;
        run_eagerly=True runs every batch on the Tensor graph instead, with the same results."""
        self.run_eagerly = validate.flag(run_eagerly, "run_eagerly")
        self.optimizer = optimizers.get(optimizer)
        self._loss = None if loss is None else losses.get(loss)
        self.loss = loss
        if metrics is None:
            metrics = []
        elif isinstance(metrics, (str, dict)) or not isinstance(metrics, (list, tuple)):
            raise TypeError(f"metrics: expected a list such as ['accuracy'], got {metrics!r}")
        for m in metrics:
            metrics_module.check(m)
        self._metric_ids = list(metrics)
        self.metrics = []
        if self.built:
            self.optimizer.build(self.trainable_weights)
        self.compiled = True
        self.stop_training = False

    @property
    def metrics_names(self):
        """['loss', then each metric's name]: the order of evaluate()'s list."""
        return ["loss"] + [metrics_module.name_of(m) for m in self._metric_ids]

    @property
    def compile_config(self):
        """compile()'s arguments in JSON-able form: model.compile(**model.compile_config)
        compiles a rebuilt model the same way."""
        if not self.compiled:
            return {}
        return {"optimizer": optimizers.serialize(self.optimizer),
                "loss": None if self.loss is None else losses.serialize(self.loss),
                "metrics": [metrics_module.serialize(m) for m in self._metric_ids]}

    def _require_compiled(self, method):
        if not self.compiled:
            raise RuntimeError(f"You must call `compile()` before using the model: "
                               f"{method}() needs an optimizer and a loss")
        if self._loss is None:
            raise RuntimeError(f"No loss to compute: provide a `loss` argument in `compile()` "
                               f"before calling {method}()")

    def _fused(self):
        """Whether the loss is computed from the logits of the last layer's activation."""
        last = self._layers[-1]
        return (self._loss.fuses is not None and not getattr(self._loss, "from_logits", False)
                and hasattr(last, "logits")
                and activations.serialize(last.activation) == self._loss.fuses)

    # ---- data ---------------------------------------------------------------------------------

    def _prepare(self, x, y, names=("x", "y")):
        """x and y converted and checked: finite, same rows, x fitting the model, y fitting its
        output and loss."""
        x = data.features(x, names[0])
        self._ensure_built(x)
        y = data.targets(y, names[1], self.output_shape[-1], self._loss.sparse)
        data.same_rows(x, y, names)
        return x, y

    def _resolve_metrics(self, y):
        if len(self.metrics) != len(self._metric_ids):
            y_pred_shape = self.output_shape
            self.metrics = [metrics_module.get(m, y.shape, y_pred_shape)
                            for m in self._metric_ids]

    def _logs(self, loss):
        logs = {"loss": loss}
        for m in self.metrics:
            logs[m.name] = m.result()
        return logs

    def _batch_loss(self, xb, yb, fused):
        """(loss Tensor, output Tensor) of one batch; the output holds the logits when fused.
        xb holds rows of the float32 C-contiguous array _prepare made: a Tensor as it is."""
        out = self._outputs(Tensor._make(xb), logits=fused)
        return (self._loss.logits_loss(yb, out) if fused else self._loss(yb, out)), out

    def _update_metrics(self, yb, outputs, fused):
        """Update the metrics with a batch's outputs (an array; the logits when fused)."""
        if fused:
            activation = self._layers[-1].activation
            for m in self.metrics:
                m.update_state_from_logits(yb, outputs, activation)
        else:
            for m in self.metrics:
                m.update_state(yb, outputs)

    # ---- training -----------------------------------------------------------------------------

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, initial_epoch=0):
        """Train for `epochs` epochs (counting from initial_epoch) in batches of batch_size (32),
        the rows reshuffled every epoch unless shuffle=False. Returns a History whose .history
        holds the per-epoch 'loss', metrics and 'val_' values.

        A batch whose loss is NaN or inf is not applied: training stops there with a warning,
        the weights as they were before it, and the History records the epoch's NaN loss."""
        self._require_compiled("fit")
        batch_size = _batch_size(batch_size)
        epochs, initial_epoch = _count(epochs, "epochs"), _count(initial_epoch, "initial_epoch")
        verbose = _verbosity(verbose)
        shuffle = validate.flag(shuffle, "shuffle")
        if isinstance(callbacks, Callback):  # Keras takes a single callback as a list of one
            callbacks = [callbacks]
        elif callbacks is not None and not isinstance(callbacks, (list, tuple)):
            raise TypeError(f"callbacks: expected a list of Callback objects, "
                            f"got {type(callbacks).__name__} {callbacks!r}")
        x, y = self._prepare(x, y)
        val = None
        if validation_data is not None:
            if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
                raise ValueError("validation_data must be a tuple (x_val, y_val)")
            val = self._prepare(*validation_data, names=("validation_data x",
                                                         "validation_data y"))
        elif validation_split:
            x, y, *val = data.split_last(x, y, validation_split)
        self.optimizer.build(self.trainable_weights)
        self._resolve_metrics(y)
        step_for = train_step.steps(self, self._fused())

        steps = math.ceil(len(x) / batch_size)
        history = History()
        defaults = [ProgbarLogger(verbose)] if verbose else []
        cbs = CallbackList(defaults + list(callbacks or []) + [history], self,
                           {"epochs": epochs, "steps": steps, "verbose": verbose})
        self.stop_training = False
        cbs.on_train_begin()
        logs = {}
        for epoch in range(initial_epoch, epochs):
            cbs.on_epoch_begin(epoch)
            logs = self._train_epoch(x, y, batch_size, shuffle, epoch, cbs, step_for)
            if val is not None:
                val_logs = self._test(val[0], val[1], batch_size)
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

    def _weights_finite(self):
        return all(np.isfinite(w._data).all() for w in self.weights)

    def _train_epoch(self, x, y, batch_size, shuffle, epoch, cbs, step_for):
        n = len(x)
        # A single batch is left as it is: its mean gradient does not depend on the row order.
        if shuffle and n > batch_size:
            order = self._rng.permutation(n)
            x, y = x[order], y[order]
        metrics = self.metrics
        for m in metrics:
            m.reset_state()
        loss_sum, seen = 0.0, 0
        for batch, start in enumerate(range(0, n, batch_size)):
            if cbs.batch_callbacks:
                cbs.on_train_batch_begin(batch)
            xb, yb = (x, y) if n <= batch_size else (x[start:start + batch_size],
                                                    y[start:start + batch_size])
            step = step_for(len(xb), y)
            value = step.forward(xb, yb)
            if math.isfinite(value):
                step.backward()
                self.optimizer.apply()
            else:
                weights = ("so the weights are those from before it" if self._weights_finite()
                           else "but the weights are already inf or NaN: an earlier update "
                           "overflowed them")
                warnings.warn(f"Epoch {epoch + 1}, batch {batch + 1}: the loss is {value}. "
                              f"Training stopped, and this batch's update was not applied, "
                              f"{weights} (TerminateOnNaN is on by default). Try a lower "
                              "learning rate, or scale the inputs.", RuntimeWarning, stacklevel=3)
                self.stop_training = True
            loss_sum += value * len(xb)
            seen += len(xb)
            if metrics:
                self._update_metrics(yb, step.outputs(), step.fused)
            if cbs.batch_callbacks:
                cbs.on_train_batch_end(batch, self._logs(loss_sum / seen))
            if self.stop_training:
                break
        return self._logs(loss_sum / seen)

    def _test(self, x, y, batch_size, progbar=None):
        """The loss and metrics over (x, y), in batches, without recording a graph."""
        fused, metrics = self._fused(), self.metrics
        for m in metrics:
            m.reset_state()
        loss_sum = 0.0
        with no_grad():
            for step, start in enumerate(range(0, len(x), batch_size), start=1):
                xb, yb = x[start:start + batch_size], y[start:start + batch_size]
                loss, out = self._batch_loss(xb, yb, fused)
                loss_sum += float(loss._data) * len(xb)
                if metrics:
                    self._update_metrics(yb, out._data, fused)
                if progbar is not None:
                    progbar.update(step, self._logs(loss_sum / min(len(x), start + batch_size)))
        return self._logs(loss_sum / len(x))

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", return_dict=False):
        """The loss on (x, y), or [loss, *metrics] in compile's order when there are metrics
        (a dict with return_dict=True), as Keras returns them."""
        self._require_compiled("evaluate")
        batch_size = _batch_size(batch_size)
        verbose = _verbosity(verbose)
        x, y = self._prepare(x, y)
        self._resolve_metrics(y)
        progbar = Progbar(math.ceil(len(x) / batch_size), verbose=verbose) if verbose else None
        logs = self._test(x, y, batch_size, progbar)
        if validate.flag(return_dict, "return_dict"):
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=None, verbose="auto"):
        """The model's outputs for x as a float32 NumPy array (probabilities after a sigmoid or
        softmax), computed in batches of batch_size (32)."""
        batch_size = _batch_size(batch_size)
        verbose = _verbosity(verbose)
        x = data.features(x, "x", finite=False)
        self._ensure_built(x)
        steps = math.ceil(len(x) / batch_size)
        progbar = Progbar(steps, verbose=verbose) if verbose else None
        outputs = []
        with no_grad():
            for step, start in enumerate(range(0, len(x), batch_size), start=1):
                outputs.append(self._outputs(Tensor._make(x[start:start + batch_size]))._data)
                if progbar is not None:
                    progbar.update(step)
        return outputs[0] if len(outputs) == 1 else np.concatenate(outputs)

    # ---- summary ------------------------------------------------------------------------------

    def summary(self, print_fn=None):
        """Print the Keras-style table of layers, output shapes and parameter counts; print_fn,
        if given, receives each line instead of print."""
        print_fn = print_fn or print
        for line in _summary_lines(self, fancy=print_fn is not print or can_encode(
                _BOX_HEAVY, sys.stdout)):
            print_fn(line)

    # ---- config and files ---------------------------------------------------------------------

    def get_config(self):
        """{'name', 'trainable', 'layers': [{'class_name', 'config'}, ...]}, JSON-able; an
        InputLayer entry comes first once the input shape is known."""
        entries = []
        if self._input_shape is not None:
            entries.append({"class_name": "InputLayer",
                            "config": {"shape": list(self._input_shape), "batch_size": None,
                                       "name": f"{self.name}_input"}})
        entries += [{"class_name": type(layer).__name__, "config": layer.get_config()}
                    for layer in self._layers]
        return {"name": self.name, "trainable": self.trainable, "layers": entries}

    @classmethod
    def from_config(cls, config):
        """The model get_config() describes, with fresh weights."""
        if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
            raise ValueError("Sequential.from_config: expected a dict with a 'layers' list, as "
                             "get_config() returns")
        built = []
        for entry in config["layers"]:
            if not isinstance(entry, dict) or not isinstance(entry.get("config"), dict):
                raise ValueError(f"Sequential.from_config: each layer must be a dict with "
                                 f"'class_name' and 'config', got {entry!r}")
            built.append(layers_module.get(entry.get("class_name")).from_config(entry["config"]))
        return cls(built, name=config.get("name"), trainable=config.get("trainable", True))

    def save(self, filepath, overwrite=True):
        """Save architecture, weights and optimizer state to one file (pynn.keras.saving)."""
        from . import saving
        saving.save_model(self, filepath, overwrite=overwrite)

    def save_weights(self, filepath, overwrite=True):
        from . import saving
        saving.save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath):
        from . import saving
        saving.load_weights(self, filepath)


def load_model(filepath, **kwargs):
    """A model saved by model.save(filepath), compiled as it was (see pynn.keras.saving)."""
    from . import saving
    return saving.load_model(filepath, **kwargs)


# ---- the summary table --------------------------------------------------------------------------

_BOX_HEAVY = "┏━┳┓┃┡╇┩"
_WIDTHS = (33, 24, 15)


def _size(count):
    """Bytes of `count` float32 values, as Keras writes them: 68.00 B, 19.53 KB, ..."""
    size = count * 4.0
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.2f} {unit}"
        size /= 1024


def _summary_lines(model, fancy):
    def row(cells, bar):
        texts = [cells[0].ljust(_WIDTHS[0] - 2), cells[1].ljust(_WIDTHS[1] - 2),
                 cells[2].rjust(_WIDTHS[2] - 2)]
        return bar + bar.join(f" {t} " for t in texts) + bar

    def rule(left, fill, cross, right):
        return left + cross.join(fill * w for w in _WIDTHS) + right

    if fancy:
        top, head, sep, bottom = (rule("┏", "━", "┳", "┓"), rule("┡", "━", "╇", "┩"),
                                  rule("├", "─", "┼", "┤"), rule("└", "─", "┴", "┘"))
        head_bar, bar = "┃", "│"
    else:
        top = head = bottom = rule("+", "=", "+", "+")
        sep, head_bar, bar = rule("+", "-", "+", "+"), "|", "|"
    lines = [f'Model: "{model.name}"', top,
             row(("Layer (type)", "Output Shape", "Param #"), head_bar), head]
    shape = model.input_shape
    for i, layer in enumerate(model.layers):
        if shape is not None:
            shape = layer.compute_output_shape(shape)
        shape_text = "?" if shape is None else str(shape)
        params = f"{layer.count_params():,}" if layer.built else "0 (unbuilt)"
        lines.append(row((f"{layer.name} ({type(layer).__name__})", shape_text, params), bar))
        if i < len(model.layers) - 1:
            lines.append(sep)
    lines.append(bottom)
    trainable = sum(w.numel() for w in model.trainable_weights)
    total = sum(w.numel() for w in model.weights)
    lines += [f" Total params: {total:,} ({_size(total)})",
              f" Trainable params: {trainable:,} ({_size(trainable)})",
              f" Non-trainable params: {total - trainable:,} ({_size(total - trainable)})"]
    return lines
