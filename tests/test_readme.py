"""The README's Python examples run, in order, in one namespace (as a reader pastes them into
one session), in a scratch folder; what they say they print is what they print. A block that
draws pictures runs only where matplotlib is installed (pip install '.[plot]')."""
import contextlib
import importlib.util
import io
import os
import re
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def blocks(fence):
    """The README's code blocks fenced as `fence`, in order."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    return re.findall(rf"```{fence}\n(.*?)```", text, re.S)


def test_the_python_examples_run_and_print_what_the_readme_shows(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace, printed = {"__name__": "__readme__"}, {}
    has_matplotlib = importlib.util.find_spec("matplotlib") is not None
    for i, code in enumerate(blocks("python")):
        if "pynn.plot" in code and not has_matplotlib:
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(code, f"README.md python block {i}", "exec"), namespace)
        printed[i] = out.getvalue()
    torch_xor = [out for i, out in printed.items() if "import pynn as torch" in blocks("python")[i]]
    assert torch_xor == [blocks("text")[1]]  # the PyTorch XOR trainer prints what the README shows
    assert namespace["accuracy"] == 1.0  # the Keras example learned XOR
    assert namespace["w"].grad.tolist() == [[4.0, 0.0], [6.0, 0.0]]
