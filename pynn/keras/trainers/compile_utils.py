"""compile()'s loss and metrics, resolved against a model's outputs, as Keras 3's CompileLoss
and CompileMetrics.

A model with one output has one loss and a list of metrics, logged by their names ('loss',
'accuracy', 'acc', ...). A model with several outputs takes a loss per output (one for all, a
list in output order or a dict by output name) and loss_weights, and metrics per output (a list
of lists, or a dict); it logs each output's loss as '<output>_loss' and each metric as
'<output>_<metric>', and 'loss' is the weighted sum, as Keras logs them.
"""
from .. import losses as losses_module, metrics as metrics_module
from ..metrics.metric import logged


def _per_output(value, names, what, default):
    """value spread over the outputs: a dict by output name, a list in output order, or one
    value (a config dict {'class_name', 'config'} included) for every output."""
    if isinstance(value, dict) and "class_name" not in value:
        unknown = sorted(set(value) - set(names))
        if unknown:
            raise ValueError(f"In the dict argument `{what}`, keys {unknown} do not correspond to "
                             f"any model output. Received: {what}={value}; the outputs are "
                             f"{names}")
        return [value.get(name, default) for name in names]
    if isinstance(value, (list, tuple)) and len(names) > 1:
        if len(value) != len(names):
            raise ValueError(f"For a model with multiple outputs, when providing the `{what}` "
                             f"argument as a list, it should have as many entries as the model "
                             f"has outputs. Received:\n{what}={value}\nof length {len(value)} "
                             f"whereas the model has {len(names)} outputs.")
        return list(value)
    return [value] * len(names)


class CompileLoss:
    """The loss of each output (None for an output without one) and its weight."""

    def __init__(self, loss, loss_weights, output_names):
        self.output_names = list(output_names)
        self.identifiers = _per_output(loss, output_names, "loss", None)
        self.losses = [None if ident is None else losses_module.get(ident)
                       for ident in self.identifiers]
        if all(loss is None for loss in self.losses):
            self.losses = []
        weights = _per_output(1.0 if loss_weights is None else loss_weights, output_names,
                              "loss_weights", 1.0)
        self.weights = [float(w) for w in weights]

    @property
    def names(self):
        """The log names of the outputs' own losses (none for a single output)."""
        if len(self.output_names) == 1:
            return []
        return [f"{name}_loss" for name, loss in zip(self.output_names, self.losses)
                if loss is not None]


class CompileMetrics:
    """compile()'s metrics per output, made into Metric objects from the first data (which
    picks the kind of 'accuracy'), named as Keras names them."""

    def __init__(self, metrics, output_names):
        self.output_names = list(output_names)
        if metrics is None:
            metrics = []
        elif not isinstance(metrics, (list, tuple, dict)):
            raise ValueError(f"Expected `metrics` argument to be a list, tuple, or dict. "
                             f"Received instead: metrics={metrics} of type {type(metrics)}")
        if len(output_names) == 1:
            listed = metrics[output_names[0]] if isinstance(metrics, dict) else metrics
            per = [list(listed) if isinstance(listed, (list, tuple)) else [listed]]
        else:
            if isinstance(metrics, (list, tuple)) and metrics and not any(
                    isinstance(m, (list, tuple)) for m in metrics) \
                    and len(metrics) != len(output_names):
                raise ValueError(f"Invalid `metrics`. `metrics` should contain metrics objects "
                                 f"and either be a dict or a list matching the output names of "
                                 f"the functional model {output_names} or match the output "
                                 f"structure of the model. Received: metrics={metrics}")
            spread = _per_output(metrics, output_names, "metrics", []) if metrics else \
                [[] for _ in output_names]
            per = [list(m) if isinstance(m, (list, tuple)) else ([] if m is None else [m])
                   for m in spread]
        for identifiers in per:
            for m in identifiers:
                metrics_module.check(m)
        self.identifiers = per
        self.metrics = None  # [(output index, Metric)], from build()

    def __bool__(self):
        return any(self.identifiers)

    @property
    def names(self):
        """The log names, in compile's order (once built, the Metric objects' own: a metric
        object given to compile is renamed '<output>_<name>' by build)."""
        if self.metrics is not None:
            return [metric.name for _, metric in self.metrics]
        return [self._name(i, metrics_module.name_of(m))
                for i, identifiers in enumerate(self.identifiers) for m in identifiers]

    def _name(self, output, name):
        return name if len(self.output_names) == 1 else f"{self.output_names[output]}_{name}"

    def build(self, y_shapes, output_shapes):
        """Make the Metric objects for targets and outputs of these shapes."""
        if self.metrics is not None:
            return
        built, used = [], set()
        for i, identifiers in enumerate(self.identifiers):
            for m in identifiers:
                metric = metrics_module.get(m, y_shapes[i], output_shapes[i])
                name = base = self._name(i, metric.name)
                count = 0
                while name in used:  # two metrics of one name log as name, name_1, ... (Keras)
                    count += 1
                    name = f"{base}_{count}"
                metric.name = name
                used.add(name)
                built.append((i, metric))
        self.metrics = built

    def reset(self):
        for _, metric in self.metrics or []:
            metric.reset_state()

    def update(self, ys, outputs):
        """Update every metric with a batch's targets and outputs (arrays, one per output)."""
        for i, metric in self.metrics:
            metric.update_state(ys[i], outputs[i])

    def results(self):
        return {metric.name: logged(metric.result()) for _, metric in self.metrics or []}
