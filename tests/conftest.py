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


# CI runs the suite once without the optional extras, then once more, with them installed, on
# what was skipped: PYNN_SKIPPED_LOG names the file where each skipped test's id is written.
_SKIPPED_LOG = os.environ.get("PYNN_SKIPPED_LOG")


def _log_skip(report):
    if _SKIPPED_LOG and report.skipped:
        with open(_SKIPPED_LOG, "a", encoding="utf-8") as f:
            f.write(report.nodeid + "\n")


def pytest_runtest_logreport(report):
    _log_skip(report)


def pytest_collectreport(report):
    _log_skip(report)
