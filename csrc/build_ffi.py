"""cffi builder for pynn._C, run by setup.py at build time only (it never imports pynn).

The declarations come from csrc/pynn.h, the one header, and kernels.h, which it includes once
per dtype: a kernel is declared once. Paths are relative to setup.py's folder, which is where
pip and `python -m build` run the build.
"""
import glob
import os
import re

from cffi import FFI

HEADER = os.path.join("csrc", "pynn.h")
KERNELS = os.path.join("csrc", "kernels.h")
DTYPES = {"float": "_f32", "double": "_f64"}  # as pynn.h includes kernels.h
SOURCES = sorted(glob.glob(os.path.join("csrc", "*.c")))

# -O3 without -ffast-math: NaN and infinity keep their meaning and no flush-to-zero is set for
# the process. No -std=c99 (it switches off FMA contraction) and no -march=native (the wheel
# must run on any x86-64; the matmul micro-kernel is compiled for AVX2 and AVX-512 with target
# attributes and picked at run time with __builtin_cpu_supports). No OpenMP either: the kernels
# thread on pynn's own pool (csrc/pool.c), which a forked child can use.
COMPILE_ARGS = ["-O3", "-fno-math-errno", "-fno-trapping-math", "-Wall", "-Wextra", "-pthread"]
LINK_ARGS = ["-pthread"]
# PYNN_EXTRA_CFLAGS adds flags to both, e.g. the sanitizer build in .ci/run.
EXTRA = os.environ.get("PYNN_EXTRA_CFLAGS", "").split()


def declarations(path):
    """A header's declarations as cffi's cdef wants them: no comments, no preprocessor lines."""
    with open(path) as f:
        text = f.read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def cdef_source():
    """pynn.h's declarations, then kernels.h's for each dtype, as the C compiler sees them."""
    generic = declarations(KERNELS)
    kernels = [re.sub(r"\breal\b", ctype, re.sub(r"SUFFIX\((\w+)\)", rf"\1{suffix}", generic))
               for ctype, suffix in DTYPES.items()]
    return "\n".join([declarations(HEADER), *kernels])


ffibuilder = FFI()
ffibuilder.cdef(cdef_source())
ffibuilder.set_source(
    "pynn._C",
    '#include "pynn.h"',
    sources=SOURCES,
    include_dirs=["csrc"],
    extra_compile_args=COMPILE_ARGS + EXTRA,
    extra_link_args=LINK_ARGS + EXTRA,
    depends=sorted(glob.glob(os.path.join("csrc", "*.h"))),
)
