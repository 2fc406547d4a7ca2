"""A dependency-free text progress bar on stderr (used by ``jyyz`` on long runs).

Jobs report progress through a plain callable ``progress(done, total, label)``
so the xlwings one-click scripts can pass their own (status bar) callback.
:class:`TextBar` draws ``[########            ] 40% 认定资格`` on a terminal
and stays silent when stderr is not a terminal (logs, tests) unless forced.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 28


class TextBar:
    def __init__(self, stream: TextIO | None = None, *, force: bool = False, min_interval=0.1):
        self.stream = stream or sys.stderr
        self.enabled = force or bool(getattr(self.stream, "isatty", lambda: False)())
        self.min_interval = min_interval
        self._last = 0.0
        self._drawn = False

    def __call__(self, done: float, total: float, label: str = "") -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        finished = total and done >= total
        if not finished and now - self._last < self.min_interval:
            return
        self._last = now
        frac = 0.0 if not total else max(0.0, min(1.0, done / total))
        filled = int(round(frac * WIDTH))
        bar = "#" * filled + " " * (WIDTH - filled)
        self.stream.write(f"\r[{bar}] {frac * 100:3.0f}% {label}\033[K")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self.enabled and self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


def noop(done: float, total: float, label: str = "") -> None:
    """A progress callback that does nothing."""
