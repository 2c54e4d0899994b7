"""The program of the tutorial "Build a Simple Neural Network in Python" (Tech Empire), a Keras
2-4-1 network learning XOR, runs on pynn with its import lines changed; examples/xor.py prints
the XOR table on a fresh interpreter."""
import contextlib
import io
import os
import re
import subprocess
import sys

import numpy as np

import pynn.keras

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
XOR_TABLE = "[[0.]\n [1.]\n [1.]\n [0.]]"

# The tutorial's code, its import lines changed to pynn's (tensorflow itself is not used).
TUTORIAL_CODE = """
import numpy as np

# Inputs
X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])

# Outputs (XOR logic)
y = np.array([[0], [1], [1], [0]])

from pynn.keras.models import Sequential
from pynn.keras.layers import Dense

model = Sequential([
    Dense(4, input_dim=2, activation='relu'),
    Dense(1, activation='sigmoid')
])

model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
model.fit(X, y, epochs=1000, verbose=0)

predictions = model.predict(X)
print(predictions.round())
"""

IMPORTS = {"import tensorflow as tf": "",
           "from tensorflow.keras.models import Sequential":
               "from pynn.keras.models import Sequential",
           "from tensorflow.keras.layers import Dense": "from pynn.keras.layers import Dense"}


def run(code, seed):
    pynn.keras.utils.set_random_seed(seed)
    namespace = {}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<tutorial>", "exec"), namespace)
    return namespace, out.getvalue()


def test_tutorial_code_prints_the_xor_table():
    namespace, out = run(TUTORIAL_CODE, seed=0)
    assert out.rstrip().endswith(XOR_TABLE)
    assert re.match(r"1/1 \S+ 0s \d+us/step\n", out)  # predict's progress line, as Keras's
    predictions = namespace["predictions"]
    assert predictions.shape == (4, 1) and predictions.dtype == np.float32


def test_the_tutorials_own_lines_run_with_only_the_imports_changed():
    """The tutorial as published imports TensorFlow's Keras: the same program with those lines,
    rewritten as the README's table says, is TUTORIAL_CODE."""
    published = TUTORIAL_CODE.replace("from pynn.keras.models import Sequential",
                                      "from tensorflow.keras.models import Sequential")
    published = published.replace("from pynn.keras.layers import Dense",
                                   "from tensorflow.keras.layers import Dense")
    published = "import tensorflow as tf\n" + published
    code = published
    for line, replacement in IMPORTS.items():
        assert line in code
        code = code.replace(line, replacement)
    assert "tensorflow" not in code
    _, out = run(code, seed=0)
    assert out.rstrip().endswith(XOR_TABLE)


def test_the_example_prints_the_table_on_a_fresh_interpreter():
    example = os.path.join(ROOT, "examples", "xor.py")
    result = subprocess.run([sys.executable, example], capture_output=True, text=True,
                            timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(XOR_TABLE) == 2
    assert result.stdout.rstrip().endswith(XOR_TABLE)
    # nothing but Keras 3's own advice on input_dim, which it prints for this code too
    assert all("Do not pass an `input_shape`/`input_dim` argument to a layer" in line
               or line.startswith("  Dense(") for line in result.stderr.splitlines())
