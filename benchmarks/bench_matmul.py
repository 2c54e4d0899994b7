"""Matrix product speed: pynn's C kernel against NumPy (OpenBLAS) and, if installed, PyTorch.

    python benchmarks/bench_matmul.py [--sizes 64 128 ...] [--threads 1 2] [--repeat 7]

Each thread count is measured in a child process started with a clean environment:
OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed (they make OpenBLAS pick a slower kernel than
its best for this CPU) and OPENBLAS_NUM_THREADS is set, all before NumPy is imported. Inside the
child, pynn, NumPy and torch run the same products one after the other, and each reports the
median over `repeat` timings of C = A @ B (square n x n, contiguous, a new array for C).
With several threads each library gets a pause before its turn: the threads of the one before
spin idle for a while after their last call, on the cores the next one needs.
"""
import argparse
import json
import os
import subprocess
import sys
import time

# Set by the environment of the machine this was written on; see the module docstring.
OPENBLAS_SLOW_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
SETTLE_SECONDS = 0.3


def run(sizes=(64, 128, 256, 512, 1024), dtypes=("float32", "float64"), threads=(1, 2),
        repeat=7):
    """Rows of {n, dtype, threads, pynn, numpy, ratio[, torch]} (GFLOP/s medians), measured in
    one clean child process per thread count."""
    rows = []
    for t in threads:
        env = {k: v for k, v in os.environ.items() if k not in OPENBLAS_SLOW_VARS}
        env["OPENBLAS_NUM_THREADS"] = str(t)
        cmd = [sys.executable, os.path.abspath(__file__), "--worker", "--threads", str(t),
               "--repeat", str(repeat), "--sizes", *map(str, sizes), "--dtypes", *dtypes]
        out = subprocess.run(cmd, env=env, check=True, stdout=subprocess.PIPE, text=True).stdout
        rows += json.loads(out)
    return rows


def _time_per_call(fn, min_seconds=0.02):
    """Seconds per call of fn, over enough calls to last about min_seconds."""
    calls, start = 1, time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    if elapsed < min_seconds:
        calls = max(1, int(min_seconds / max(elapsed, 1e-7)))
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        elapsed = time.perf_counter() - start
    return elapsed / calls


def _measure(sizes, dtypes, nthreads, repeat):
    """The rows for one thread count, in this process (whose environment run() has cleaned)."""
    import numpy as np

    import pynn

    try:
        import torch
    except ImportError:
        torch = None
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        threadpool_limits = None
    pynn.set_num_threads(nthreads)
    if torch is not None:
        torch.set_num_threads(nthreads)
    limits = threadpool_limits(nthreads) if threadpool_limits else None

    rng = np.random.default_rng(0)
    rows = []
    for dtype in dtypes:
        for n in sizes:
            a = rng.standard_normal((n, n)).astype(dtype)
            b = rng.standard_normal((n, n)).astype(dtype)
            # The call as users write it: each allocates its result.
            pa, pb = pynn.from_numpy(a), pynn.from_numpy(b)
            contenders = {"pynn": lambda: pa @ pb, "numpy": lambda: a @ b}
            if torch is not None:
                ta, tb = torch.from_numpy(a), torch.from_numpy(b)
                contenders["torch"] = lambda: ta @ tb
            row = {"n": n, "dtype": dtype, "threads": nthreads}
            for name, fn in contenders.items():
                if nthreads > 1:
                    # The idle threads of the library timed before spin for a while (OpenBLAS's
                    # for about 0.1 s) and would take the core this one's second thread needs.
                    time.sleep(SETTLE_SECONDS)
                fn()  # warm up: threads started, caches and pages touched
                times = sorted(_time_per_call(fn) for _ in range(repeat))
                row[name] = 2.0 * n ** 3 / times[len(times) // 2] / 1e9
            row["ratio"] = row["pynn"] / row["numpy"]
            rows.append(row)
    if limits is not None:
        limits.restore_original_limits()
    return rows


def openblas_kernel():
    """Which OpenBLAS kernel NumPy runs with a clean environment (needs threadpoolctl)."""
    env = {k: v for k, v in os.environ.items() if k not in OPENBLAS_SLOW_VARS}
    code = ("import numpy\nfrom threadpoolctl import threadpool_info\n"
            "print(', '.join(i.get('architecture') or '?' for i in threadpool_info() "
            "if i['internal_api'] == 'openblas'))")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    return result.stdout.strip() or "unknown (pip install threadpoolctl to see it)"


def format_table(rows):
    """The rows as a fixed-width text table."""
    has_torch = any("torch" in r for r in rows)
    head = f"{'n':>5} {'dtype':>8} {'thr':>3} {'pynn':>8} {'numpy':>8} {'ratio':>6}"
    head += f" {'torch':>8}" if has_torch else ""
    lines = [head + "   (GFLOP/s, medians)"]
    for r in rows:
        line = (f"{r['n']:>5} {r['dtype']:>8} {r['threads']:>3} {r['pynn']:>8.1f} "
                f"{r['numpy']:>8.1f} {r['ratio']:>6.2f}")
        if has_torch:
            line += f" {r['torch']:>8.1f}" if "torch" in r else f" {'-':>8}"
        lines.append(line)
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[64, 128, 256, 512, 1024])
    parser.add_argument("--dtypes", nargs="+", default=["float32", "float64"])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(_measure(args.sizes, args.dtypes, args.threads[0], args.repeat)))
        return
    print(f"OpenBLAS kernel: {openblas_kernel()}; cpu: {os.cpu_count()} logical cores")
    print(format_table(run(args.sizes, args.dtypes, args.threads, args.repeat)))


if __name__ == "__main__":
    main()
