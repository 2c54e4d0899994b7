"""Microseconds per Tensor op: the forward call (graph recorded: the inputs require grad) next to
the same NumPy expression, and the backward cost per graph node.

The backward cost is measured on a chain of NODES applications of the op ending in one sum:
(time of forward + backward) - (time of forward), divided by NODES, so that the fixed cost of a
backward() call spreads over many nodes.
"""
import numpy as np

import pynn
import pynn.functional as F
from timing import interleaved

NODES = 100


def _ops(n, rng):
    """name -> (pynn op on a Tensor, the same op in NumPy on an ndarray); each maps an (n, n)
    array to one of the same shape except sum, whose chain continues on (1, n) rows."""
    def leaf():
        return rng.uniform(0.5, 1.0, (n, n)).astype(np.float32)

    b, c, w, bias = leaf(), leaf(), leaf() / n, leaf()[0]
    tb, tc, tw, tbias = (pynn.Tensor(v, requires_grad=True) for v in (b, c, w, bias))
    return {
        "add": (lambda t: t + tb, lambda a: a + b),
        "mul": (lambda t: t * tc, lambda a: a * c),
        f"matmul {n}x{n}": (lambda t: t @ tw, lambda a: a @ w),
        "relu": (lambda t: t.relu(), lambda a: np.maximum(a, 0)),
        "sigmoid": (lambda t: t.sigmoid(), lambda a: 1 / (1 + np.exp(-a))),
        "sum (axis 0)": (lambda t: t.sum(axis=0, keepdims=True),
                         lambda a: a.sum(axis=0, keepdims=True)),
        "dense+relu (fused)": (lambda t: F.dense(t, tw, tbias, activation="relu"),
                               lambda a: np.maximum(a @ w + bias, 0)),
    }


def run(n=32, repeat=15, number=2000, chains=20, seed=0):
    """Rows {op, forward_us, numpy_us, backward_us} for (n, n) float32 operands."""
    rng = np.random.default_rng(seed)
    x_np = rng.uniform(0.5, 1.0, (n, n)).astype(np.float32)
    x = pynn.Tensor(x_np, requires_grad=True)
    rows = []
    for name, (op, np_op) in _ops(n, rng).items():
        fwd = interleaved({"pynn": lambda: op(x), "NumPy": lambda: np_op(x_np)},
                          repeat=repeat, number=number)

        def chain(op=op):
            y = x
            for _ in range(NODES):
                y = op(y)
            return y.sum()

        both = interleaved({"forward": chain, "forward+backward": lambda: chain().backward()},
                           repeat=repeat, number=chains)
        rows.append({"op": name, "forward_us": fwd["pynn"] * 1e6, "numpy_us": fwd["NumPy"] * 1e6,
                     "backward_us": (both["forward+backward"] - both["forward"]) / NODES * 1e6})
    return rows
