"""The Keras script corpus (tests/scripts/keras/): small beginner programs that each run to
the end on real Keras 3 and assert that they learned. Each one is run here on pynn, with
only its imports changed by keras_to_pynn, in a subprocess in a fresh directory.

Plus unit tests of keras_to_pynn itself, one per import form that Keras scripts use."""
import ast
import importlib.util
import os
import re
import pathlib
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from script_imports import keras_to_pynn, map_module  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
SCRIPTS = sorted((HERE / "scripts" / "keras").glob("*.py"))
TIMEOUT = 60
# What some scripts import beside Keras, and the extra that installs it.
OPTIONAL = [("sklearn", "examples"), ("pandas", "examples"), ("matplotlib", "plot")]


def _env():
    """The environment a script runs in: it imports the pynn these tests import (an installed
    one in CI, the source tree under `pip install -e .`), never the bare source folder."""
    import pynn
    env = dict(os.environ)
    home = str(pathlib.Path(pynn.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [home, env.get("PYTHONPATH")]))
    return env


def _tail(text, lines=40):
    return "\n".join(text.splitlines()[-lines:])


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_script_runs_on_pynn(script, tmp_path):
    original = script.read_text(encoding="utf-8")
    for module, extra in OPTIONAL:
        if re.search(rf"^\s*(from|import)\s+{module}\b", original, re.M) \
                and importlib.util.find_spec(module) is None:
            pytest.skip(f"needs {module} (pip install '.[{extra}]')")
    source = keras_to_pynn(original)
    target = tmp_path / script.name
    target.write_text(source, encoding="utf-8")
    env = _env()
    env.setdefault("MPLBACKEND", "Agg")
    try:
        result = subprocess.run([sys.executable, str(target)], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"{script.name} did not finish in {TIMEOUT} s\n--- stdout ---\n"
                    f"{_tail(e.stdout or '')}\n--- stderr ---\n{_tail(e.stderr or '')}")
    if result.returncode != 0:
        pytest.fail(f"{script.name} exited with {result.returncode}\n--- stdout ---\n"
                    f"{_tail(result.stdout, 15)}\n--- stderr ---\n{_tail(result.stderr)}",
                    pytrace=False)


def test_corpus_is_there():
    assert len(SCRIPTS) >= 40


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_rewritten_script_imports_nothing_from_keras(script):
    source = script.read_text(encoding="utf-8")
    rewritten = keras_to_pynn(source)
    assert len(rewritten.splitlines()) == len(source.splitlines())
    for node in ast.walk(ast.parse(rewritten)):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            assert name.split(".")[0] not in ("keras", "tensorflow", "tf_keras"), name


# --- keras_to_pynn, one test per import form ---

FORMS = [
    ("import keras", "import pynn.keras as keras"),
    ("import keras as k", "import pynn.keras as k"),
    ("import keras.layers as kl", "import pynn.keras.layers as kl"),
    ("import keras.layers", "import pynn.keras as keras, pynn.keras.layers"),
    ("from keras import layers", "from pynn.keras import layers"),
    ("from keras import Sequential, Input", "from pynn.keras import Sequential, Input"),
    ("from keras import layers, models, optimizers",
     "from pynn.keras import layers, models, optimizers"),
    ("from keras.models import Sequential", "from pynn.keras.models import Sequential"),
    ("from keras.models import Sequential, load_model",
     "from pynn.keras.models import Sequential, load_model"),
    ("from keras.layers import Dense, Dropout", "from pynn.keras.layers import Dense, Dropout"),
    ("from keras.layers import *", "from pynn.keras.layers import *"),
    ("from keras.utils import to_categorical", "from pynn.keras.utils import to_categorical"),
    ("from keras.optimizers import SGD, Adam", "from pynn.keras.optimizers import SGD, Adam"),
    ("from keras.callbacks import EarlyStopping",
     "from pynn.keras.callbacks import EarlyStopping"),
    ("from keras.regularizers import l2", "from pynn.keras.regularizers import l2"),
    ("from keras.src.layers import Dense", "from pynn.keras.layers import Dense"),
    ("from keras import backend as K", "from pynn.keras import backend as K"),
    ("import tensorflow as tf", "import pynn as tf, pynn.keras"),
    ("import tensorflow", "import pynn as tensorflow, pynn.keras"),
    ("from tensorflow import keras", "from pynn import keras"),
    ("import tensorflow.keras as keras", "import pynn.keras as keras"),
    ("import tensorflow.keras", "import pynn as tensorflow, pynn.keras"),
    ("from tensorflow.keras import layers", "from pynn.keras import layers"),
    ("from tensorflow.keras import Sequential", "from pynn.keras import Sequential"),
    ("from tensorflow.keras.models import Sequential",
     "from pynn.keras.models import Sequential"),
    ("from tensorflow.keras.models import Model", "from pynn.keras.models import Model"),
    ("from tensorflow.keras.layers import Dense, Input",
     "from pynn.keras.layers import Dense, Input"),
    ("from tensorflow.keras.utils import to_categorical",
     "from pynn.keras.utils import to_categorical"),
    ("from tensorflow.keras.optimizers import Adam", "from pynn.keras.optimizers import Adam"),
    ("from tensorflow.keras.callbacks import EarlyStopping, ModelCheckpoint",
     "from pynn.keras.callbacks import EarlyStopping, ModelCheckpoint"),
    ("from tensorflow.keras import regularizers", "from pynn.keras import regularizers"),
    ("from tensorflow.python.keras.layers import Dense", "from pynn.keras.layers import Dense"),
    ("import tf_keras as keras", "import pynn.keras as keras"),
    ("import numpy as np, tensorflow as tf", "import numpy as np, pynn as tf, pynn.keras"),
    ("import os, keras", "import os, pynn.keras as keras"),
]


@pytest.mark.parametrize("before, after", FORMS, ids=[f[0] for f in FORMS])
def test_keras_to_pynn_form(before, after):
    assert keras_to_pynn(before + "\n") == after + "\n"


@pytest.mark.parametrize("source", [
    "import numpy as np\n",
    "import keras_tuner\n",
    "from tensorflow_datasets import load\n",
    "import kerasplus.layers as kl\n",
    "from . import keras\n",
    "from .keras import layers\n",
    "x = 'import keras'  # from tensorflow import keras\n",
    "model.keras = 1\nprint(tf.keras.layers.Dense)\n",
])
def test_keras_to_pynn_leaves_other_code_alone(source):
    assert keras_to_pynn(source) == source


def test_keras_to_pynn_keeps_every_other_line_and_the_line_count():
    source = ("import numpy as np\n"
              "from tensorflow.keras.layers import (Dense,\n"
              "                                     Dropout)  # the layers\n"
              "import tensorflow as tf\n"
              "tf.random.set_seed(42)\n"
              "if True:\n"
              "    from keras import layers; x = 'tensorflow.keras'\n"
              "model = tf.keras.Sequential([layers.Dense(1)])\n")
    out = keras_to_pynn(source)
    assert out == ("import numpy as np\n"
                   "from pynn.keras.layers import (Dense, Dropout\n"
                   ")  # the layers\n"
                   "import pynn as tf, pynn.keras\n"
                   "tf.random.set_seed(42)\n"
                   "if True:\n"
                   "    from pynn.keras import layers; x = 'tensorflow.keras'\n"
                   "model = tf.keras.Sequential([layers.Dense(1)])\n")
    compile(out, "rewritten", "exec")


def test_keras_to_pynn_backslash_continued_import():
    source = "import os, \\\n    tensorflow as tf\nprint(tf)\n"
    out = keras_to_pynn(source)
    assert len(out.splitlines()) == 3
    assert out.splitlines()[-1] == "print(tf)"
    compile(out, "rewritten", "exec")


def test_keras_to_pynn_non_ascii_before_an_import():
    source = "s = 'é'; import keras\nprint('ü'); from keras import layers\n"
    assert keras_to_pynn(source) == ("s = 'é'; import pynn.keras as keras\n"
                                     "print('ü'); from pynn.keras import layers\n")


def test_map_module():
    assert map_module("keras") == "pynn.keras"
    assert map_module("keras.src.layers.core") == "pynn.keras.layers.core"
    assert map_module("tensorflow") == "pynn"
    assert map_module("tensorflow.keras.layers") == "pynn.keras.layers"
    assert map_module("tensorflow.python.keras") == "pynn.keras"
    assert map_module("numpy") is None
    assert map_module("keras_tuner") is None


def test_rewritten_names_resolve_in_pynn(tmp_path):
    """The rewritten imports bind what the script then uses: tf.keras.X and keras.X are
    pynn.keras.X."""
    source = ("import tensorflow as tf\n"
              "import keras\n"
              "from tensorflow import keras as tk\n"
              "from tensorflow.keras.layers import Dense\n"
              "import pynn.keras\n"
              "assert tf.keras.layers.Dense is Dense is pynn.keras.layers.Dense\n"
              "assert keras.Sequential is tk.Sequential is pynn.keras.Sequential\n")
    target = tmp_path / "resolve.py"
    target.write_text(keras_to_pynn(source))
    env = _env()
    result = subprocess.run([sys.executable, str(target)], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
