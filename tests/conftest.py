"""Make the tests import the *installed* pynn, with its compiled core.

pynn has a flat layout: run from the repository root, `python -m pytest` puts the root on
sys.path and `import pynn` would find the source folder, which has no compiled pynn._C. The
root is taken off sys.path here so the package `pip install .` built is the one tested.
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != ROOT]

import pynn  # noqa: E402,F401  (fails here, saying why, if only the source folder is found)
