"""pynn's modules import one another without a cycle: every module of the package is read, each
of its imports (at the top and inside functions) becomes an edge to the pynn module it names,
and the graph must have no cycle. A layer may only import the ones below it."""
import ast
import pathlib

import pynn

ROOT = pathlib.Path(pynn.__file__).resolve().parent


def modules():
    """{dotted name: (path, is a package)} of every module of pynn."""
    found = {}
    for path in ROOT.rglob("*.py"):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def imports(name, path, is_package, known):
    """The pynn modules the module `name` imports: `from X import y` names X.y when that is a
    module, else X; a parent package loaded on the way is no edge of its own."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "pynn")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "pynn":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in known else target)
    return found & set(known)


def cycles(graph):
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph[v]:
                found.append(sorted(component))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_package_has_no_import_cycle():
    known = modules()
    graph = {name: imports(name, path, is_package, known)
             for name, (path, is_package) in known.items()}
    assert len(graph) > 50 and "pynn.keras.models.model" in graph
    assert cycles(graph) == []


def test_a_cycle_is_found():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_saving_is_below_the_models():
    known = modules()
    saving = imports("pynn.keras.saving", *known["pynn.keras.saving"], known)
    assert not any(name.startswith("pynn.keras.models") for name in saving)
    loading = imports("pynn.keras.models.loading", *known["pynn.keras.models.loading"], known)
    assert "pynn.keras.saving" in loading
