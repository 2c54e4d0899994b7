"""Rewrite the import lines of a public-style script so that it runs on pynn.

Only import statements change; every other line is left exactly as written, and the number of
lines stays the same (a traceback from the rewritten script points at the script's own lines).

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
"""
import ast

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
    comments that mention torch are not touched, and the line count is kept: a statement that
    spanned several lines becomes one line followed by blank ones.
    """
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    edits = sorted(_torch_imports(tree), key=lambda e: (e[0].lineno, e[0].col_offset),
                   reverse=True)
    for node, text in edits:
        first, last = node.lineno - 1, node.end_lineno - 1
        # ast offsets count UTF-8 bytes; slice the lines as bytes.
        head = lines[first].encode()[:node.col_offset].decode()
        tail = lines[last].encode()[node.end_col_offset:].decode()
        if not tail.endswith("\n") and last + 1 < len(lines):
            tail += "\n"
        lines[first:last + 1] = [head + text + tail] + ["\n"] * (last - first)
    return "".join(lines)
