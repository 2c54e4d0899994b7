"""Turn a Keras script into a pynn script by changing its import statements only.

`keras_to_pynn(source)` rewrites every import of `keras`, `tensorflow` (and the
`tf_keras` package) so that the names a script binds point into pynn, and leaves every
other line alone; the result has the same number of lines as the source, so a traceback
from the rewritten script points at the line of the original.

How each form is rewritten:

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
`pynn.random.set_seed(42)`, and `tf.__version__` is pynn's. A `tf.` name pynn does not have
(`tf.constant`, `tf.nn.relu`, `tf.math.exp`, `tf.data`, `tf.config`...) fails with an
AttributeError naming it, as a missing feature should. Module names are matched whole: `keras_tuner` or `tensorflow_datasets` are not
touched, and neither are strings, comments or attribute uses like `model.keras_thing`.
"""
import ast

__all__ = ["keras_to_pynn", "map_module"]

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


def _statement(node):
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
    if isinstance(node, ast.ImportFrom) and not text.endswith("*"):
        head, names = text.split(" import ", 1)
        return f"{head} import ({names}" + "\n" * extra + ")"
    return text + " \\\n" * extra


def keras_to_pynn(source):
    """`source` with its keras/tensorflow imports pointed at pynn.keras (see the module
    docstring for each form); every other line is kept as it is."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    edits = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            text = _statement(node)
            if text is not None:
                edits.append((node, _fit(text, node)))
    # offsets are in UTF-8 bytes per line: edit the encoded lines, last edit first
    encoded = [line.encode("utf-8") for line in lines]
    for node, text in sorted(edits, key=lambda e: (e[0].lineno, e[0].col_offset), reverse=True):
        first, last = node.lineno - 1, node.end_lineno - 1
        before = encoded[first][:node.col_offset]
        after = encoded[last][node.end_col_offset:]
        new = (before + text.encode("utf-8") + after).splitlines(keepends=True)
        encoded[first:last + 1] = new
    return b"".join(encoded).decode("utf-8")
