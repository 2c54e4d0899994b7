"""The progress line of fit/evaluate/predict, as keras.utils.Progbar draws it.

verbose=1 on a terminal redraws one line in place (carriage return) with the step count, a bar,
the ETA (or the time taken, once done), the time per step and the metrics; when the output is
not a terminal (a log file, a CI run) it writes one plain line when done instead of redrawing.
verbose=2 writes one plain line when done.
"""
import sys
import time

import numpy as np


def can_encode(text, stream):
    """Whether stream can print text (box-drawing characters need a Unicode encoding)."""
    try:
        text.encode(getattr(stream, "encoding", None) or "ascii")
        return True
    except (UnicodeEncodeError, LookupError):
        return False


def format_value(value):
    """A metric as Keras prints it: 4 decimals, or scientific notation for small values (the
    mean of a metric of several values, such as F1Score's per-class scores)."""
    if getattr(value, "ndim", 0):
        value = float(np.mean(value))
    return f"{value:.4f}" if abs(value) > 1e-3 else f"{value:.4e}"


def format_duration(seconds, unit_name="step"):
    if seconds >= 1 or seconds == 0:
        return f"{seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/{unit_name}"
    return f"{seconds * 1e6:.0f}us/{unit_name}"


class Progbar:
    """Progbar(target, width=20, verbose=1, interval=0.05, unit_name='step'); call
    update(current, values) with the number of steps done and a dict of values to show."""

    def __init__(self, target, width=20, verbose=1, interval=0.05, unit_name="step",
                 stream=None):
        self.target, self.width, self.verbose = target, width, verbose
        self.interval, self.unit_name = interval, unit_name
        self.stream = stream or sys.stdout
        isatty = getattr(self.stream, "isatty", None)
        self.dynamic = bool(isatty and isatty())
        # the done and to-do parts of the bar
        self.bar_chars = ("━", "─") if can_encode("━─", self.stream) else ("=", ".")
        self.start = time.perf_counter()
        self.last_draw = 0.0
        self.previous_width = 0

    def update(self, current, values=None, finalize=None):
        if finalize is None:
            finalize = current >= self.target
        now = time.perf_counter()
        if self.verbose == 1 and self.dynamic:
            if finalize or now - self.last_draw >= self.interval:
                self._draw(current, values, now, finalize)
        elif finalize and self.verbose in (1, 2):
            self._write(self._line(current, values, now, finalize) + "\n")

    def _line(self, current, values, now, finalize):
        elapsed = now - self.start
        per_step = elapsed / current if current else 0.0
        digits = len(str(self.target))
        count = f"{current:>{digits}}/{self.target}"
        if self.verbose == 2:
            parts = [count, f"{elapsed:.0f}s", format_duration(per_step, self.unit_name)]
        else:
            filled = int(self.width * current / self.target) if self.target else self.width
            bar = self.bar_chars[0] * filled + self.bar_chars[1] * (self.width - filled)
            timing = (f"{elapsed:.0f}s" if finalize
                      else f"ETA {per_step * (self.target - current):.0f}s")
            parts = [f"{count} {bar} {timing} {format_duration(per_step, self.unit_name)}"]
        parts += [f"{k}: {format_value(v)}" for k, v in (values or {}).items()]
        return " - ".join(parts)

    def _draw(self, current, values, now, finalize):
        line = self._line(current, values, now, finalize)
        padding = " " * max(0, self.previous_width - len(line))
        self.previous_width = len(line)
        self.last_draw = now
        self._write("\r" + line + padding + ("\n" if finalize else ""))

    def _write(self, text):
        self.stream.write(text)
        self.stream.flush()
