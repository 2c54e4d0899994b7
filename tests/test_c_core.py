"""The C core beyond its arithmetic: sizes at the edge of int64, the activation enum, threads
with small stacks, forked children and the thread pool.

A case that would crash or hang the interpreter if it failed (a stack overflow, a deadlock, a
loop over 2^40 empty rows) runs in a fresh interpreter with a timeout, so that it fails as a
test instead of taking the whole run down with it.
"""
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from pynn import kernels

DTYPES = [np.float32, np.float64]


def run_python(code, cwd, timeout=60, **env):
    """Run code in a fresh interpreter in cwd (not the repository root, whose source folder
    would shadow the installed pynn); its stdout. A crash, an error or a hang past the timeout
    fails the test, with what the interpreter printed."""
    environ = {k: v for k, v in os.environ.items() if k != "PYNN_BACKEND"}
    environ.update(env)
    try:
        proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=environ,
                              capture_output=True, text=True, cwd=cwd, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"no answer after {timeout} s (a hang); it printed:\n{exc.stdout}\n"
                    f"{exc.stderr}")
    assert proc.returncode == 0, (f"exit status {proc.returncode}\nstdout:\n{proc.stdout}\n"
                                  f"stderr:\n{proc.stderr}")
    return proc.stdout


# ---------------------------------------------------------------------------------- sizes

def test_empty_products_with_a_huge_side_return_at_once(tmp_path):
    """(2^40, 0) @ (0, 0) has nothing to write: it returns at once, as do the dense layer and
    its backward pass on such shapes (they used to loop over 2^40 empty rows for minutes)."""
    out = run_python("""
        import numpy as np
        from pynn import kernels
        big = 2**40
        for dtype in (np.float32, np.float64):
            e = lambda *shape: np.empty(shape, dtype)
            assert kernels.matmul(e(big, 0), e(0, 0)).shape == (big, 0)
            assert kernels.matmul(e(0, big), e(0, 0), trans_a=True).shape == (big, 0)
            assert kernels.matmul(e(0, big), e(big, 0)).shape == (0, 0)
            assert kernels.linear(e(big, 0), e(0, 0), e(0), "sigmoid").shape == (big, 0)
            dx, dw, db = kernels.linear_backward(e(big, 0), e(0, 0), e(big, 0), e(big, 0), "relu")
            assert dx.shape == (big, 0) and dw.shape == (0, 0) and db.shape == (0,)
            assert kernels.sum_rows(e(big, 0)).shape == (0,)
        print("ok")
    """, tmp_path, timeout=30)
    assert out.split() == ["ok"]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("activation", [None, "relu", "sigmoid"])
def test_a_product_over_k_0_is_the_epilogue_of_zeros(dtype, activation):
    """With k = 0 the product is 0: the output is act(bias), or act(C + 0) when accumulating."""
    for m, n in [(1, 1), (5, 3), (300, 70)]:
        bias = np.linspace(-2, 2, n).astype(dtype)
        got = kernels.linear(np.empty((m, 0), dtype), np.empty((0, n), dtype), bias, activation)
        act = {None: lambda z: z, "relu": lambda z: np.maximum(z, 0),
               "sigmoid": lambda z: 1 / (1 + np.exp(-z))}[activation]
        np.testing.assert_allclose(got, np.broadcast_to(act(bias), (m, n)),
                                   rtol=4 * np.finfo(dtype).eps)
        c = np.arange(m * n, dtype=dtype).reshape(m, n)
        out = kernels.matmul(np.empty((m, 0), dtype), np.empty((0, n), dtype), out=c.copy(),
                             accumulate=True)
        np.testing.assert_array_equal(out, c)
        np.testing.assert_array_equal(kernels.matmul(np.empty((0, m), dtype),
                                                     np.empty((n, 0), dtype), True, True),
                                      np.zeros((m, n), dtype))


# ---------------------------------------------------------------------------------- activations

def test_activations_are_the_headers_enum():
    """The fused activation is pynn_act, an enum of pynn.h that cffi hands to Python by name;
    matmul and linear_backward take it as that type, not as a bare int."""
    from pynn._C import ffi, lib
    assert (lib.PYNN_ACT_NONE, lib.PYNN_ACT_RELU, lib.PYNN_ACT_SIGMOID) == (0, 1, 2)
    enum = ffi.typeof("pynn_act")
    assert enum.kind == "enum"
    assert enum.elements == {0: "PYNN_ACT_NONE", 1: "PYNN_ACT_RELU", 2: "PYNN_ACT_SIGMOID"}
    for kernel in ("matmul", "linear_backward"):
        for suffix in ("_f32", "_f64"):
            args = ffi.typeof(getattr(lib, f"pynn_{kernel}{suffix}")).args
            assert sum(arg is enum for arg in args) == 1, (kernel, args)


# ---------------------------------------------------------------------------------- threads

# Products of several sizes (the plain loop, the blocked kernel, edge tiles, several B panels),
# every transpose: a worker function checks them against NumPy, in float64, and prints "ok".
CHECK_PRODUCTS = """
import numpy as np
from pynn import kernels

def check_products(seed=0):
    rng = np.random.default_rng(seed)
    for dtype in (np.float32, np.float64):
        for m, n, k in [(32, 32, 32), (4, 2, 3), (8, 8, 8), (100, 37, 300), (256, 256, 256),
                        (129, 520, 260)]:
            a = rng.standard_normal((m, k)).astype(dtype)
            b = rng.standard_normal((k, n)).astype(dtype)
            want = a.astype(np.float64) @ b.astype(np.float64)
            tol = dict(rtol=0, atol=8 * k * np.finfo(dtype).eps)
            np.testing.assert_allclose(kernels.matmul(a, b), want, **tol)
            np.testing.assert_allclose(kernels.matmul(a.T.copy(), b.T.copy(), True, True), want,
                                       **tol)
            bias = rng.standard_normal(n).astype(dtype)
            y = kernels.linear(a, b, bias, "relu")
            np.testing.assert_allclose(y, np.maximum(want + bias, 0), **tol)
            dx, dw, db = kernels.linear_backward(a, b, y, np.ones_like(y), "relu")
            g = (y > 0).astype(np.float64)
            np.testing.assert_allclose(dw, a.T.astype(np.float64) @ g, rtol=0,
                                       atol=8 * m * np.finfo(dtype).eps * np.abs(a).max())
    return "ok"
"""


def test_threads_with_128_kib_stacks_run_every_kernel(tmp_path):
    """A thread with a 128 KiB stack (musl's default; threading.stack_size) runs products of
    every size, on 1 and 2 threads: the packing buffers are not on the stack."""
    out = run_python(CHECK_PRODUCTS + """
import threading
threading.stack_size(128 * 1024)
results = []
for threads in (1, 2):
    kernels.set_num_threads(threads)
    worker = threading.Thread(target=lambda: results.append(check_products()))
    worker.start()
    worker.join()
print(*results)
""", tmp_path)
    assert out.split() == ["ok", "ok"]
