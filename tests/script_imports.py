"""Turn a PyTorch or Keras script into a pynn script by changing its import statements only.

Only import statements change; every other line is left exactly as written, and the number of
lines stays the same (a traceback from the rewritten script points at the script's own lines).
Module names are matched whole, and strings, comments and attribute uses are not touched.

`torch_to_pynn` maps PyTorch's module paths to pynn's:

    torch                      -> pynn
    torch.nn                   -> pynn.nn
    torch.nn.functional        -> pynn.functional
    torch.nn.init              -> pynn.nn.init
    torch.optim                -> pynn.optim
    torch.optim.lr_scheduler   -> pynn.optim.lr_scheduler
    torch.utils.data           -> pynn.utils.data
    torch.autograd             -> pynn.autograd

and any other `torch.X.Y` to `pynn.X.Y` under the longest of those prefixes
(`torch.utils.data.dataset` -> `pynn.utils.data.dataset`). The names a script binds do not
change: `import torch` becomes `import pynn as torch`, `from torch.nn import functional as F`
becomes `from pynn import functional as F`.

`keras_to_pynn` rewrites every import of `keras`, `tensorflow` (and the `tf_keras` package)
so that the names a script binds point into pynn:

    import keras                                -> import pynn.keras as keras
    import keras as k                           -> import pynn.keras as k
    import keras.layers as kl                   -> import pynn.keras.layers as kl
    import keras.layers                         -> import pynn.keras as keras, pynn.keras.layers
    from keras import layers, Input             -> from pynn.keras import layers, Input
    from keras.models import Sequential         -> from pynn.keras.models import Sequential
    from keras.src.layers import Dense          -> from pynn.keras.layers import Dense
    from tensorflow import keras                -> from pynn import keras
    from tensorflow.keras.layers import Dense   -> from pynn.keras.layers import Dense
    from tensorflow.python.keras import layers  -> from pynn.keras import layers
    import tensorflow.keras as keras            -> import pynn.keras as keras
    import tensorflow as tf                     -> import pynn as tf, pynn.keras
    import tensorflow                           -> import pynn as tensorflow, pynn.keras

The `tf` name of `import tensorflow as tf` is bound to the pynn package itself (with
pynn.keras loaded), so the code after it needs no change: `tf.keras.layers.Dense` is
`pynn.keras.layers.Dense`; every other `tf.` use is looked up in pynn as well:
`tf.random.set_seed(42)`, the most common one in Keras scripts, calls
`pynn.random.set_seed(42)`, and `tf.__version__` is pynn's. pynn has TensorFlow's names for
what Keras scripts use beside Keras (`tf.constant`, `tf.reduce_mean`, `tf.math.*`, `tf.nn.relu`,
`tf.data.Dataset`, `tf.GradientTape`, `tf.Variable`: pynn/tensorflow_names.py and its
neighbours); a `tf.` name pynn does not have (`tf.config`, `tf.io`, `tf.image`...) fails with an
AttributeError naming it, as a missing feature should. `keras_tuner` and
`tensorflow_datasets` are other modules, and are not touched.
"""
import ast

__all__ = ["torch_to_pynn", "keras_to_pynn", "map_module"]

# Longest prefix first is found by sorting in `_map_module`; a value is the pynn module path.
TORCH_MODULES = {
    "torch": "pynn",
    "torch.nn": "pynn.nn",
    "torch.nn.functional": "pynn.functional",
    "torch.nn.init": "pynn.nn.init",
    "torch.optim": "pynn.optim",
    "torch.optim.lr_scheduler": "pynn.optim.lr_scheduler",
    "torch.utils": "pynn.utils",
    "torch.utils.data": "pynn.utils.data",
    "torch.autograd": "pynn.autograd",
}


def _is_torch(module):
    return module == "torch" or module.startswith("torch.")


def _map_module(module):
    """pynn's path for the torch module path `module` (its longest known prefix replaced)."""
    for prefix in sorted(TORCH_MODULES, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return TORCH_MODULES[prefix] + module[len(prefix):]
    raise ValueError(f"not a torch module: {module!r}")


def _alias(name, asname):
    return name if asname is None or asname == name else f"{name} as {asname}"


def _rewrite_import(node):
    """`import torch, torch.nn as nn, numpy as np` -> `import pynn as torch, pynn.nn as nn, ...`"""
    parts = []
    for a in node.names:
        if not _is_torch(a.name):
            parts.append(_alias(a.name, a.asname))
        elif a.asname is not None:
            parts.append(f"{_map_module(a.name)} as {a.asname}")
        elif a.name == "torch":
            parts.append("pynn as torch")
        else:
            # `import torch.nn` binds `torch` (the package) and loads torch.nn under it.
            parts.append(_map_module(a.name))
            parts.append("pynn as torch")
    return "import " + ", ".join(parts)


def _rewrite_import_from(node):
    """`from torch.nn import functional as F, init` -> `from pynn import functional as F; ...`"""
    target = _map_module(node.module)
    groups = {}  # pynn module to import from -> its names, in the script's order
    for a in node.names:
        if a.name == "*":
            groups.setdefault(target, []).append("*")
            continue
        full = f"{node.module}.{a.name}"
        mapped = TORCH_MODULES.get(full)
        if mapped is not None and mapped != f"{target}.{a.name}":
            # A submodule pynn keeps elsewhere (torch.nn.functional is pynn.functional).
            parent, _, leaf = mapped.rpartition(".")
            groups.setdefault(parent, []).append(_alias(leaf, a.asname or a.name))
        else:
            groups.setdefault(target, []).append(_alias(a.name, a.asname))
    return "; ".join(f"from {module} import {', '.join(names)}"
                     for module, names in groups.items())


def _torch_imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(_is_torch(a.name) for a in node.names):
            yield node, _rewrite_import(node)
        elif (isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
              and _is_torch(node.module)):
            yield node, _rewrite_import_from(node)


def torch_to_pynn(source: str) -> str:
    """`source` with its torch import statements rewritten to pynn's modules.

    Statements anywhere (at top level, in a function, under `try:`) are rewritten; strings and
    comments that mention torch are not touched, and every other line keeps its number.
    """
    return _replace_statements(source, _torch_imports(ast.parse(source)))


_KERAS_ROOTS = ("keras", "tf_keras")


def map_module(name):
    """The pynn module for the dotted module `name` of a Keras program, or None if `name`
    is not a Keras or TensorFlow module."""
    parts = name.split(".")
    root, rest = parts[0], parts[1:]
    if root in _KERAS_ROOTS:
        if rest[:1] == ["src"]:             # keras.src.layers: Keras 3's private tree
            rest = rest[1:]
        return ".".join(["pynn", "keras"] + rest)
    if root == "tensorflow":
        if rest[:1] == ["keras"]:
            return map_module(".".join(["keras"] + rest[1:]))
        if rest[:2] == ["python", "keras"]:
            return map_module(".".join(["keras"] + rest[2:]))
        return ".".join(["pynn"] + rest)
    return None


def _import_aliases(node):
    """The `a as b` parts of a rewritten `import` statement, or None if it needs none."""
    changed = False
    parts = []
    for alias in node.names:
        new = map_module(alias.name)
        if new is None:
            parts.append(alias.name + (f" as {alias.asname}" if alias.asname else ""))
            continue
        changed = True
        extra = []
        if alias.asname:
            parts.append(f"{new} as {alias.asname}")
        else:
            # `import keras.layers` binds the name `keras` to the top package
            root = alias.name.split(".")[0]
            top = map_module(root)
            parts.append(f"{top} as {root}")
            if new != top:
                extra.append(new)           # and loads the submodule it names
        if new == "pynn":
            extra.append("pynn.keras")      # so that tf.keras.X resolves
        parts.extend(e for e in extra if e not in parts)
    return parts if changed else None


def _keras_statement(node):
    """The new text of an import statement `node`, or None to keep it."""
    if isinstance(node, ast.Import):
        parts = _import_aliases(node)
        return None if parts is None else "import " + ", ".join(parts)
    if node.level or node.module is None:   # relative imports are the script's own
        return None
    new = map_module(node.module)
    if new is None:
        return None
    names = ", ".join(a.name + (f" as {a.asname}" if a.asname else "") for a in node.names)
    return f"from {new} import {names}"


def _fit(text, node):
    """`text` spread over as many lines as `node` takes in the source."""
    extra = node.end_lineno - node.lineno
    if not extra:
        return text
    if text.startswith("from ") and "; " not in text and not text.endswith("*"):
        head, names = text.split(" import ", 1)
        return f"{head} import ({names}" + "\n" * extra + ")"
    return text + " \\\n" * extra


def keras_to_pynn(source):
    """`source` with its keras/tensorflow imports pointed at pynn.keras (see the module
    docstring for each form); every other line is kept as it is."""
    return _replace_statements(source, ((node, _keras_statement(node))
                                        for node in ast.walk(ast.parse(source))
                                        if isinstance(node, (ast.Import, ast.ImportFrom))))


def _replace_statements(source, edits):
    """`source` with each (statement node, new text or None) edit made, the new text spread over
    the lines the statement took, so that every other line keeps its number."""
    lines = source.splitlines(keepends=True)
    # offsets are in UTF-8 bytes per line: edit the encoded lines, last edit first
    encoded = [line.encode("utf-8") for line in lines]
    edits = [(node, _fit(text, node)) for node, text in edits if text is not None]
    for node, text in sorted(edits, key=lambda e: (e[0].lineno, e[0].col_offset), reverse=True):
        first, last = node.lineno - 1, node.end_lineno - 1
        before = encoded[first][:node.col_offset]
        after = encoded[last][node.end_col_offset:]
        new = (before + text.encode("utf-8") + after).splitlines(keepends=True)
        encoded[first:last + 1] = new
    return b"".join(encoded).decode("utf-8")
