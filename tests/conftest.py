"""Make the tests import the *installed* pynn, with its compiled core.

pynn has a flat layout: run from the repository root, `python -m pytest` puts the root on
sys.path and `import pynn` would find the source folder, which has no compiled pynn._C. The
root is taken off sys.path here so the package `pip install .` built is the one tested.
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != ROOT]

import pynn  # noqa: E402

if pynn.backend.NAME == "c":
    try:
        import pynn._C  # noqa: F401
    except ImportError as exc:  # pragma: no cover - a set-up error, not a test result
        raise ImportError(f"pynn at {os.path.dirname(pynn.__file__)} has no compiled core "
                          f"({exc}); install it first with: pip install '.[test]'") from exc
