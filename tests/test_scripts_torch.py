"""The corpus of PyTorch beginner scripts (tests/scripts/torch/) runs on pynn with only its import
lines changed, and each script's own closing assertions (that it learned) hold.

Each script is written in the idioms of public beginner code (XOR trainers, PyTorch's tutorials,
regression and classification on scikit-learn's bundled data sets) and passes on PyTorch itself.
Here its imports are rewritten by `torch_to_pynn` and it runs in a fresh interpreter, in an empty
folder, with `torch` made unimportable so that nothing reaches PyTorch by a path the rewrite
missed.
"""
import glob
import importlib.util
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from script_imports import torch_to_pynn  # noqa: E402

SCRIPTS = sorted(glob.glob(os.path.join(HERE, "scripts", "torch", "*.py")))
TIMEOUT = 60

# Runs the rewritten script as `python script.py` would, torch blocked.
# torch is refused by a finder rather than a None in sys.modules, so libraries that probe for it
# (scikit-learn, SciPy) see an ImportError as on a machine without it.
BOOT = """\
import runpy, sys

class NoTorch:
    def find_spec(self, name, path=None, target=None):
        if name == "torch" or name.startswith("torch."):
            raise ModuleNotFoundError(f"No module named {name!r} (blocked by the test)")

sys.meta_path.insert(0, NoTorch())
script = sys.argv[1]
sys.argv = sys.argv[1:]
runpy.run_path(script, run_name="__main__")
"""


def _tail(text, n=60):
    lines = text.splitlines()
    return "\n".join(lines[-n:])


def test_the_corpus_is_there():
    assert len(SCRIPTS) >= 40


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: os.path.basename(p)[:-3])
def test_script_runs_on_pynn(path, tmp_path):
    with open(path, encoding="utf-8") as f:
        source = f.read()
    for module, name in (("sklearn", "scikit-learn"), ("pandas", "pandas")):
        if module in source and importlib.util.find_spec(module) is None:
            pytest.skip(f"needs {name} (pip install '.[examples]')")
    rewritten = torch_to_pynn(source)
    script = tmp_path / os.path.basename(path)
    script.write_text(rewritten, encoding="utf-8")
    env = dict(os.environ, PYTHONHASHSEED="0", MPLBACKEND="Agg")
    env.pop("PYTHONPATH", None)
    try:
        done = subprocess.run([sys.executable, "-c", BOOT, str(script)], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"{os.path.basename(path)} ran over {TIMEOUT} s\n"
                    f"--- stdout ---\n{_tail(e.stdout or '')}")
    assert done.returncode == 0, (
        f"{os.path.basename(path)} exited {done.returncode}\n"
        f"--- stderr ---\n{_tail(done.stderr)}\n--- stdout ---\n{_tail(done.stdout, 20)}")


# torch_to_pynn on each import form the public scripts use.
FORMS = [
    ("import torch", "import pynn as torch"),
    ("import torch as T", "import pynn as T"),
    ("import torch as t", "import pynn as t"),
    ("import torch.nn as nn", "import pynn.nn as nn"),
    ("import torch.nn.functional as F", "import pynn.functional as F"),
    ("import torch.optim as optim", "import pynn.optim as optim"),
    ("import torch.optim.lr_scheduler as lr_scheduler",
     "import pynn.optim.lr_scheduler as lr_scheduler"),
    ("import torch.utils.data as data", "import pynn.utils.data as data"),
    ("import torch.utils.data as Data", "import pynn.utils.data as Data"),
    ("import torch.nn.init as init", "import pynn.nn.init as init"),
    ("import torch.autograd", "import pynn.autograd, pynn as torch"),
    ("import torch.nn", "import pynn.nn, pynn as torch"),
    ("import torch.utils.data", "import pynn.utils.data, pynn as torch"),
    ("import torch, numpy as np", "import pynn as torch, numpy as np"),
    ("from torch import nn", "from pynn import nn"),
    ("from torch import nn, optim", "from pynn import nn, optim"),
    ("from torch import autograd, nn, optim", "from pynn import autograd, nn, optim"),
    ("from torch import manual_seed, Tensor, FloatTensor",
     "from pynn import manual_seed, Tensor, FloatTensor"),
    ("from torch.nn import functional as F", "from pynn import functional as F"),
    ("from torch.nn import functional", "from pynn import functional"),
    ("from torch.nn import init", "from pynn.nn import init"),
    ("from torch.nn import Sequential, Linear, Sigmoid, BCELoss",
     "from pynn.nn import Sequential, Linear, Sigmoid, BCELoss"),
    ("from torch.nn import Linear, functional as F",
     "from pynn.nn import Linear; from pynn import functional as F"),
    ("from torch.optim import Adam", "from pynn.optim import Adam"),
    ("from torch.optim import SGD, Adagrad, Adam, AdamW, RMSprop",
     "from pynn.optim import SGD, Adagrad, Adam, AdamW, RMSprop"),
    ("from torch.optim.lr_scheduler import StepLR", "from pynn.optim.lr_scheduler import StepLR"),
    ("from torch.optim import lr_scheduler", "from pynn.optim import lr_scheduler"),
    ("from torch.utils.data import DataLoader, TensorDataset, Dataset, random_split",
     "from pynn.utils.data import DataLoader, TensorDataset, Dataset, random_split"),
    ("from torch.utils.data.dataset import random_split",
     "from pynn.utils.data.dataset import random_split"),
    ("from torch.utils import data", "from pynn.utils import data"),
    ("from torch.autograd import Variable", "from pynn.autograd import Variable"),
    ("from torch.autograd import Variable as V", "from pynn.autograd import Variable as V"),
    ("from torch.nn import *", "from pynn.nn import *"),
]


@pytest.mark.parametrize("torch_line, pynn_line", FORMS)
def test_torch_to_pynn_rewrites_each_import_form(torch_line, pynn_line):
    assert torch_to_pynn(torch_line + "\n") == pynn_line + "\n"
    assert torch_to_pynn(torch_line) == pynn_line


def test_torch_to_pynn_leaves_everything_else_alone():
    source = ('import numpy as np\nimport torchvision\nimport torchaudio as ta\n'
              's = "import torch"  # import torch.nn as nn\n'
              'from sklearn.datasets import load_iris\nx = torch.tensor([1.0])\n')
    assert torch_to_pynn(source) == source


def test_torch_to_pynn_keeps_the_line_count_and_indentation():
    source = ("import numpy as np\n"
              "from torch import (\n"
              "    nn,\n"
              "    optim,\n"
              ")\n"
              "def f():\n"
              "    import torch.nn.functional as F\n"
              "    return F\n"
              "try:\n"
              "    from torch.nn import functional as F, init\n"
              "except ImportError:\n"
              "    pass\n"
              "import torch; import numpy\n"
              "x = 1\n")
    out = torch_to_pynn(source)
    assert out.splitlines() == [
        "import numpy as np",
        "from pynn import (nn, optim",
        "",
        "",
        ")",
        "def f():",
        "    import pynn.functional as F",
        "    return F",
        "try:",
        "    from pynn import functional as F; from pynn.nn import init",
        "except ImportError:",
        "    pass",
        "import pynn as torch; import numpy",
        "x = 1",
    ]
    compile(out, "<rewritten>", "exec")


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: os.path.basename(p)[:-3])
def test_the_rewritten_script_names_no_torch_module(path):
    import ast
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(torch_to_pynn(f.read()))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            assert not any(a.name == "torch" or a.name.startswith("torch.") for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert not (node.module == "torch" or node.module.startswith("torch."))
