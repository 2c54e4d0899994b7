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

DTYPES = [np.float32, np.float64]

# The raw kernels with their outputs allocated: each test (and each fresh interpreter a test
# starts) defines these from this text.
HELPERS = """
import numpy as np
from pynn import _kernels as kernels


def matmul(a, b, trans_a=False, trans_b=False, out=None, accumulate=False):
    m = a.shape[1] if trans_a else a.shape[0]
    n = b.shape[0] if trans_b else b.shape[1]
    out = np.empty((m, n), a.dtype) if out is None else out
    kernels.matmul(a, b, out, trans_a, trans_b, accumulate)
    return out


def linear(x, w, bias=None, act=None, trans_w=False):
    out = np.empty((x.shape[0], w.shape[0] if trans_w else w.shape[1]), x.dtype)
    kernels.matmul(x, w, out, False, trans_w, False, bias, act)
    return out


def linear_backward(x, w, y, grad, act=None):
    dx, dw, db = np.empty(x.shape, x.dtype), np.empty(w.shape, x.dtype), np.empty(y.shape[1], x.dtype)
    kernels.linear_backward(x, w, y, grad, np.empty(y.shape, x.dtype), dx, dw, db, act)
    return dx, dw, db


def sum_rows(x):
    out = np.empty(x.shape[1], x.dtype)
    kernels.sum_rows(x, out)
    return out
"""
exec(HELPERS)


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
    out = run_python(HELPERS + """
big = 2**40
for dtype in (np.float32, np.float64):
    e = lambda *shape: np.empty(shape, dtype)
    assert matmul(e(big, 0), e(0, 0)).shape == (big, 0)
    assert matmul(e(0, big), e(0, 0), trans_a=True).shape == (big, 0)
    assert matmul(e(0, big), e(big, 0)).shape == (0, 0)
    assert linear(e(big, 0), e(0, 0), e(0), "sigmoid").shape == (big, 0)
    dx, dw, db = linear_backward(e(big, 0), e(0, 0), e(big, 0), e(big, 0), "relu")
    assert dx.shape == (big, 0) and dw.shape == (0, 0) and db.shape == (0,)
    assert sum_rows(e(big, 0)).shape == (0,)
print("ok")
""", tmp_path, timeout=30)
    assert out.split() == ["ok"]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("activation", [None, "relu", "sigmoid", "tanh"])
def test_a_product_over_k_0_is_the_epilogue_of_zeros(dtype, activation):
    """With k = 0 the product is 0: the output is act(bias), or act(C + 0) when accumulating."""
    for m, n in [(1, 1), (5, 3), (300, 70)]:
        bias = np.linspace(-2, 2, n).astype(dtype)
        got = linear(np.empty((m, 0), dtype), np.empty((0, n), dtype), bias, activation)
        act = {None: lambda z: z, "relu": lambda z: np.maximum(z, 0),
               "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh}[activation]
        np.testing.assert_allclose(got, np.broadcast_to(act(bias), (m, n)),
                                   rtol=4 * np.finfo(dtype).eps)
        c = np.arange(m * n, dtype=dtype).reshape(m, n)
        out = matmul(np.empty((m, 0), dtype), np.empty((0, n), dtype), out=c.copy(),
                     accumulate=True)
        np.testing.assert_array_equal(out, c)
        np.testing.assert_array_equal(matmul(np.empty((0, m), dtype), np.empty((n, 0), dtype),
                                             True, True), np.zeros((m, n), dtype))


# ---------------------------------------------------------------------------------- activations

def test_activations_are_the_headers_enum():
    """The fused activation is pynn_act, an enum of pynn.h that cffi hands to Python by name;
    matmul and linear_backward take it as that type, not as a bare int."""
    from pynn._C import ffi, lib
    assert (lib.PYNN_ACT_NONE, lib.PYNN_ACT_RELU, lib.PYNN_ACT_SIGMOID,
            lib.PYNN_ACT_TANH) == (0, 1, 2, 3)
    enum = ffi.typeof("pynn_act")
    assert enum.kind == "enum"
    assert enum.elements == {0: "PYNN_ACT_NONE", 1: "PYNN_ACT_RELU", 2: "PYNN_ACT_SIGMOID",
                             3: "PYNN_ACT_TANH"}
    for kernel in ("matmul", "linear_backward"):
        for suffix in ("_f32", "_f64"):
            args = ffi.typeof(getattr(lib, f"pynn_{kernel}{suffix}")).args
            assert sum(arg is enum for arg in args) == 1, (kernel, args)


# ---------------------------------------------------------------------------------- threads

# Products of several sizes (the plain loop, the blocked kernel, edge tiles, several B panels),
# every transpose: a worker function checks them against NumPy, in float64, and prints "ok".
CHECK_PRODUCTS = HELPERS + """

def check_products(seed=0):
    rng = np.random.default_rng(seed)
    for dtype in (np.float32, np.float64):
        for m, n, k in [(32, 32, 32), (4, 2, 3), (8, 8, 8), (100, 37, 300), (256, 256, 256),
                        (129, 520, 260)]:
            a = rng.standard_normal((m, k)).astype(dtype)
            b = rng.standard_normal((k, n)).astype(dtype)
            want = a.astype(np.float64) @ b.astype(np.float64)
            tol = dict(rtol=0, atol=8 * k * np.finfo(dtype).eps)
            np.testing.assert_allclose(matmul(a, b), want, **tol)
            np.testing.assert_allclose(matmul(a.T.copy(), b.T.copy(), True, True), want, **tol)
            bias = rng.standard_normal(n).astype(dtype)
            y = linear(a, b, bias, "relu")
            np.testing.assert_allclose(y, np.maximum(want + bias, 0), **tol)
            dx, dw, db = linear_backward(a, b, y, np.ones_like(y), "relu")
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


def test_a_fork_pool_after_a_threaded_product_works(tmp_path):
    """A multiprocessing pool of forked workers runs threaded products after the parent ran
    one (with OpenMP's GNU runtime, the children hung forever in their first)."""
    out = run_python(CHECK_PRODUCTS + """
import multiprocessing
kernels.set_num_threads(2)
check_products()
with multiprocessing.get_context("fork").Pool(2) as workers:
    print(*workers.map(check_products, range(4)))
print(check_products())
""", tmp_path)
    assert out.split() == ["ok"] * 5


def test_a_bare_fork_after_a_threaded_product_works(tmp_path):
    """os.fork() after a threaded product: the child's products run on a pool of its own, with
    the parent's thread count, and the parent's pool still works. A call bound in the parent
    (to the parent's pool, whose workers the child does not have) runs alone in the child."""
    out = run_python(CHECK_PRODUCTS + """
import os
kernels.set_num_threads(3)
check_products()
x, w = np.ones((256, 300)), np.ones((300, 200))
y = np.empty((256, 200))
bound = kernels.matmul(x, w, y, run=kernels.bind)
bound()
pid = os.fork()
if pid == 0:
    try:
        y[:] = 0
        bound()
        ok = check_products() == "ok" and kernels.get_num_threads() == 3 and (y == 300).all()
        pid = os.fork()  # a grandchild, from a child whose own pool has run
        if pid == 0:
            os._exit(0 if check_products() == "ok" else 1)
        ok = ok and os.waitpid(pid, 0)[1] == 0
    finally:
        os._exit(0 if ok else 1)
_, status = os.waitpid(pid, 0)
print(os.waitstatus_to_exitcode(status), check_products())
""", tmp_path)
    assert out.split() == ["0", "ok"]


def test_a_fork_while_another_thread_multiplies(tmp_path):
    """Forks made while another thread is inside a threaded product (so the child's copy of
    the pool may be locked, mid-run, by a thread the child does not have): each child gets
    NumPy's answer on 2 threads and exits."""
    out = run_python(HELPERS + textwrap.dedent("""
        import os, threading
        kernels.set_num_threads(2)
        a = np.random.default_rng(0).standard_normal((300, 300))
        want = a @ a
        stop = threading.Event()

        def multiply():
            while not stop.is_set():
                matmul(a, a)

        busy = threading.Thread(target=multiply)
        busy.start()
        statuses = []
        for _ in range(20):
            pid = os.fork()
            if pid == 0:
                ok = all(np.allclose(matmul(a, a), want) for _ in range(3))
                os._exit(0 if ok else 1)
            statuses.append(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
        stop.set()
        busy.join()
        print(*statuses)
    """), tmp_path, timeout=120)
    assert out.split() == ["0"] * 20


def test_two_threads_sharing_the_pool_get_the_one_thread_results(tmp_path):
    """Two Python threads multiplying at once on the same 2-thread pool: one gets the workers,
    the other runs alone, and both get exactly what one thread gets (no deadlock, no race)."""
    out = run_python(HELPERS + textwrap.dedent("""
        import threading
        rng = np.random.default_rng(0)
        jobs = []
        for dtype in (np.float32, np.float64):
            for m, n, k in [(300, 200, 150), (64, 500, 128), (257, 129, 260)]:
                x = rng.standard_normal((m, k)).astype(dtype)
                w = rng.standard_normal((k, n)).astype(dtype)
                jobs.append((x, w, rng.standard_normal(n).astype(dtype)))

        def run_all(repeat):
            results = []
            for _ in range(repeat):
                for x, w, bias in jobs:
                    y = linear(x, w, bias, "sigmoid")
                    results.append((y, *linear_backward(x, w, y, y, "sigmoid")))
            return results

        kernels.set_num_threads(1)
        alone = run_all(1)
        kernels.set_num_threads(2)
        got = [None, None]
        start = threading.Barrier(2)

        def worker(i):
            start.wait()
            got[i] = run_all(30)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        same = all(np.array_equal(a, b) for r in got for one, want in zip(r, alone * 30)
                   for a, b in zip(one, want))
        print("same" if same else "differ")
    """), tmp_path, timeout=120)
    assert out.split() == ["same"]


@pytest.mark.parametrize("dtype", DTYPES)
def test_products_are_bit_identical_on_any_number_of_threads(dtype):
    """The pool splits C into slabs whose elements are computed as on one thread: the same
    bits on 1 to 5 threads, for every transpose, with bias, activation and accumulation."""
    rng = np.random.default_rng(1)
    before = kernels.get_num_threads()
    try:
        for m, n, k in [(301, 203, 157), (17, 1000, 300), (1000, 9, 300), (130, 130, 700)]:
            for trans_a in (False, True):
                for trans_b in (False, True):
                    a = rng.standard_normal((k, m) if trans_a else (m, k)).astype(dtype)
                    b = rng.standard_normal((n, k) if trans_b else (k, n)).astype(dtype)
                    c = rng.standard_normal((m, n)).astype(dtype)
                    results = []
                    for threads in (1, 2, 3, 5):
                        kernels.set_num_threads(threads)
                        results.append([
                            matmul(a, b, trans_a, trans_b),
                            matmul(a, b, trans_a, trans_b, out=c.copy(), accumulate=True)])
                        if not trans_a:
                            results[-1].append(linear(a, b, c[0], "relu", trans_b))
                    for other in results[1:]:
                        for got, want in zip(other, results[0]):
                            np.testing.assert_array_equal(got, want, strict=True)
    finally:
        kernels.set_num_threads(before)


def test_thread_count_from_the_environment(tmp_path):
    """PYNN_NUM_THREADS, else OMP_NUM_THREADS, sets the count at import; set_num_threads changes
    it, and a count far past the cores works (the pool starts the threads the work needs)."""
    code = HELPERS + """
import pynn
a = np.random.default_rng(0).standard_normal((400, 400))
print(pynn.get_num_threads(), np.allclose(matmul(a, a), a @ a))
pynn.set_num_threads(10**6)
print(pynn.get_num_threads(), np.allclose(matmul(a, a), a @ a))
"""
    out = run_python(code, tmp_path, PYNN_NUM_THREADS="3", OMP_NUM_THREADS="5")
    assert out.split() == ["3", "True", "1000000", "True"]
    out = run_python(code, tmp_path, PYNN_NUM_THREADS="", OMP_NUM_THREADS="5")  # "": unset
    assert out.split()[:2] == ["5", "True"]


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs Linux's /proc")
def test_the_pool_starts_its_workers_when_needed_and_joins_them_when_dropped(tmp_path):
    """A new pool has no threads until a product needs them; a dropped pool's threads exit;
    an idle pool's workers sleep instead of spinning."""
    out = run_python(HELPERS + textwrap.dedent("""
        import os, time
        threads = lambda: len(os.listdir("/proc/self/task"))
        a = np.random.default_rng(0).standard_normal((300, 300))
        first = threads()
        kernels.set_num_threads(4)
        made = threads()
        matmul(a[:4, :4].copy(), a[:4, :4].copy())  # too small to thread
        small = threads()
        matmul(a, a)
        used = threads()
        time.sleep(0.05)  # past the workers' spin
        cpu = time.process_time()
        time.sleep(0.3)
        idle_cpu = time.process_time() - cpu
        kernels.set_num_threads(1)  # the 4-thread pool is dropped: its workers are joined
        print(made - first, small - first, used - first, threads() - first, idle_cpu < 0.05)
    """), tmp_path)
    assert out.split() == ["0", "0", "3", "0", "True"]
