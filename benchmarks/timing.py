"""Side-by-side timing for the benchmarks.

The contenders of one comparison take turns repeat by repeat (the one that goes first rotates),
so that the noise of a shared 2-core machine falls on all of them alike; each reports the median
of its repeats.

Each turn starts with one untimed call, after an optional pause. Both are there for threaded
work: the previous contender's idle worker threads go on spinning for a while after its last
call (OpenBLAS's for about 0.1 s), and would otherwise take a core from whoever runs next.
"""
import statistics
import time


def interleaved(contenders, repeat, number=1, pause=0.0):
    """Median seconds per call of each contender, a dict name -> callable taking no argument.

    Each repeat gives every contender a turn: sleep `pause` seconds, one untimed call, then
    `number` timed calls. The garbage collector stays on, as it is in the user's program.
    """
    names = list(contenders)
    times = {name: [] for name in names}
    for r in range(repeat):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            fn = contenders[name]
            if pause:
                time.sleep(pause)
            fn()
            start = time.perf_counter()
            for _ in range(number):
                fn()
            times[name].append((time.perf_counter() - start) / number)
    return {name: statistics.median(t) for name, t in times.items()}
