"""Every pynn benchmark in one command, printed as one Markdown table set (for the README):

    python benchmarks/run.py            # the full run (a few minutes)
    python benchmarks/run.py --quick    # small sizes and few repeats (< 60 s): a smoke test

Contenders are measured side by side in one process, their repeats interleaved, medians
reported. NumPy is measured at its best: this machine sets OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE, which make OpenBLAS pick a slower kernel, so the script re-runs itself with
both unset before NumPy is imported. Each thread count runs in its own process, started with
PYNN_NUM_THREADS, OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and MKL_NUM_THREADS set, so every library
sees it from its first import and no idle thread pool of one run competes with the next.
"""
import os
import sys

SLOW_BLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
if __name__ == "__main__" and any(var in os.environ for var in SLOW_BLAS_VARS):
    # Nothing has imported NumPy yet: start again without the variables.
    env = {k: v for k, v in os.environ.items() if k not in SLOW_BLAS_VARS}
    os.execve(sys.executable, [sys.executable, *sys.argv], env)

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

import bench_matmul  # noqa: E402  (imports nothing heavy: NumPy only in its own workers)

HERE = os.path.dirname(os.path.abspath(__file__))
THREAD_VARS = ("PYNN_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
# Between two contenders' turns in a threaded run: let the last one's idle workers go to sleep
# (OpenBLAS's spin about 0.1 s after a call; 0.05 s measurably slows the next contender).
THREADED_PAUSE = 0.2


def measure(threads, quick):
    """The training and Tensor-op measurements at one thread count, as a list of row dicts (run
    in a worker)."""
    import bench_ops
    import bench_train

    torch = bench_train.torch_or_none()
    if torch:
        torch.set_num_threads(threads)
    pause = THREADED_PAUSE if threads > 1 else 0.0
    rows = []
    mlp = bench_train.mlp(repeat=3 if quick else 15, number=3 if quick else 10, pause=pause)
    rows.append({"kind": "train", "job": "MLP step 784-256-256-10, batch 128", "unit": "ms",
                 "scale": 1e3, "threads": threads, "seconds": mlp})
    if threads == max(thread_counts()):
        # Tiny work, single-threaded in every library: measured once, in the default setting.
        xor = bench_train.xor(repeat=3 if quick else 15)
        rows.append({"kind": "train", "job": "XOR, 1000 epochs (2-4-1, full batch of 4)",
                     "unit": "ms", "scale": 1e3, "threads": threads, "seconds": xor})
        for row in bench_ops.run(repeat=3 if quick else 15, number=300 if quick else 2000,
                                 chains=5 if quick else 20):
            rows.append(dict(row, kind="op"))
    return rows


def thread_counts():
    """1 and every core (1 alone on a single-core machine)."""
    return sorted({1, os.cpu_count() or 1})


def run_worker(threads, quick):
    """measure() in a fresh process whose thread variables are set before any import."""
    env = dict(os.environ, **{var: str(threads) for var in THREAD_VARS})
    cmd = [sys.executable, os.path.abspath(__file__), "--worker", str(threads)]
    out = subprocess.run(cmd + (["--quick"] if quick else []), env=env, check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.splitlines()[-1])


def import_seconds(repeat):
    """Median seconds of `import numpy`, then of `import pynn` on top of it, each timed inside a
    fresh interpreter (so its own start-up is left out). It runs in benchmarks/, so that the
    installed pynn is imported even when the command is given from the repository's root."""
    code = ("import time; t0 = time.perf_counter(); import numpy; t1 = time.perf_counter(); "
            "import pynn; print(t1 - t0, time.perf_counter() - t1)")
    times = [subprocess.run([sys.executable, "-c", code], check=True, cwd=HERE, text=True,
                            stdout=subprocess.PIPE).stdout.split() for _ in range(repeat)]
    return tuple(statistics.median(float(t[i]) for t in times) for i in (0, 1))


def machine():
    """CPU, cores, and the versions that matter, as one Markdown paragraph."""
    import numpy
    import pynn

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    blas = "unknown (pip install '.[bench]', or threadpoolctl, to see it)"
    try:
        from threadpoolctl import threadpool_info
        info = [i for i in threadpool_info() if i.get("user_api") == "blas"]
        if info:
            blas = ", ".join(f"{i['internal_api']} {i['version']} (kernel {i['architecture']})"
                             for i in info)
    except ImportError:
        pass
    torch = "not installed"
    try:
        import torch as torch_module
        torch = torch_module.__version__
    except ImportError:
        pass
    commit = subprocess.run(["git", "-C", HERE, "rev-parse", "--short", "HEAD"], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.strip()
    return (f"Machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"NumPy {numpy.__version__} with {blas}, PyTorch {torch}, "
            f"pynn {pynn.__version__}" + (f" (commit {commit})" if commit else "") + ".")


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def matmul_table(rows):
    rows = [r for r in rows if r["kind"] == "matmul"]
    rows.sort(key=lambda r: (r["dtype"], r["threads"], r["n"]))
    has_torch = any("torch" in r for r in rows)
    header = ["n", "dtype", "threads", "pynn GFLOP/s", "NumPy GFLOP/s", "pynn / NumPy"]
    header += ["PyTorch GFLOP/s"] if has_torch else []
    body = []
    for r in rows:
        line = [r["n"], r["dtype"], r["threads"], f"{r['pynn']:.1f}", f"{r['numpy']:.1f}",
                f"{r['ratio']:.2f}"]
        body.append(line + ([f"{r['torch']:.1f}" if "torch" in r else ""] if has_torch else []))
    return _table(header, body)


def train_table(rows):
    rows = [r for r in rows if r["kind"] == "train"]
    contenders = ["pynn fit", "pynn Tensor/optim", "PyTorch"]
    present = [c for c in contenders if any(c in r["seconds"] for r in rows)]
    header = ["work", "threads", "NumPy (by hand)"]
    for c in present:
        header += [c, "÷ NumPy"]
    body = []
    for r in rows:
        sec, unit, scale = r["seconds"], r["unit"], r["scale"]
        line = [r["job"], r["threads"], f"{sec['NumPy'] * scale:.3g} {unit}"]
        for c in present:
            line += ([f"{sec[c] * scale:.3g} {unit}", f"{sec[c] / sec['NumPy']:.2f}"]
                     if c in sec else ["", ""])
        body.append(line)
    return _table(header, body)


def ops_table(rows):
    rows = [r for r in rows if r["kind"] == "op"]
    body = [[r["op"], f"{r['forward_us']:.2f}", f"{r['numpy_us']:.2f}", f"{r['backward_us']:.2f}"]
            for r in rows]
    return _table(["op (32x32 float32)", "forward µs", "NumPy µs", "backward µs per node"], body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="small sizes and few repeats: a smoke test under a minute")
    parser.add_argument("--worker", type=int, metavar="THREADS", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        rows = measure(args.worker, args.quick)
        print(json.dumps(rows))
        return

    started = time.perf_counter()
    load = os.getloadavg()[0]
    if load > 0.5:
        print(f"warning: the machine is busy (load average {load:.1f}): every row is noisier, "
              "and threaded rows can be several times too slow", file=sys.stderr)
    sizes = (64, 128, 256) if args.quick else (64, 128, 256, 512, 1024)
    # bench_matmul starts its own clean process per thread count.
    rows = [dict(row, kind="matmul") for row in bench_matmul.run(
        sizes=sizes, threads=thread_counts(), repeat=3 if args.quick else 9)]
    for threads in thread_counts():
        rows += run_worker(threads, args.quick)
    numpy_import, pynn_import = import_seconds(3 if args.quick else 9)

    print(machine())
    print("Medians of repeats (training and op rows interleave their contenders' repeats; "
          "matmul rows time each library in its own block, see bench_matmul.py). ÷ NumPy is the "
          "time ratio (below 1.00: pynn is faster), pynn / NumPy the speed ratio (above 1.00: "
          "pynn is faster).\n")
    print("Matrix product C = A @ B, n x n:\n")
    print(matmul_table(rows), "\n")
    print("Training, float32, Adam (NumPy and PyTorch do the same work from the same weights):\n")
    print(train_table(rows), "\n")
    print("Tensor ops (inputs require grad, so the graph is recorded):\n")
    print(ops_table(rows), "\n")
    print(f"`import pynn`: {(numpy_import + pynn_import) * 1e3:.0f} ms in a fresh interpreter: "
          f"{numpy_import * 1e3:.0f} ms for NumPy, {pynn_import * 1e3:.0f} ms for pynn itself.")
    print(f"\n(benchmarks ran for {time.perf_counter() - started:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
