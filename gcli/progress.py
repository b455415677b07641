"""Progress on stderr for long verifications: an up-front estimate, then a bar with rate and ETA.

Nothing is printed for runs expected to take under ``delay`` seconds. Long computations deep inside a command
that takes no ``progress`` argument (the certification every ``gcli design`` runs before writing) report to
the callback the command line installed with :func:`reporting` and :func:`ambient` finds.

The estimate comes from the rate after ``settle`` seconds (the first units include thread and kernel start-up):
after ``done`` of ``total`` patterns in t seconds, the run should take about t · total / done.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any, TextIO

__all__ = ["ProgressReporter", "ambient", "reporting"]

_AMBIENT: list[Callable[[int, int], None]] = []


@contextlib.contextmanager
def reporting(callback: Callable[[int, int], None] | None) -> Iterator[None]:
    """Within the block, :func:`ambient` returns ``callback`` (None: no progress), e.g.

    >>> with reporting(print):
    ...     ambient()(1, 2)
    1 2
    """
    _AMBIENT.append(callback if callback is not None else _silent)
    try:
        yield
    finally:
        _AMBIENT.pop()


def _silent(done: int, total: int) -> None:
    return None


def ambient() -> Callable[[int, int], None] | None:
    """The ``progress(done, total)`` callback of the innermost :func:`reporting` block, or None."""
    callback = _AMBIENT[-1] if _AMBIENT else None
    return None if callback is _silent else callback


class ProgressReporter:
    """A ``progress(done, total)`` callback for :func:`gcli.verify` that draws a rich progress bar."""

    def __init__(
        self, what: str = "surviving sets", delay: float = 2.0, stream: TextIO | None = None, settle: float = 0.5,
        label: str = "verify",
    ) -> None:
        self.what = what
        self.label = label
        self.delay = delay
        self.settle = settle
        self.stream = stream if stream is not None else sys.stderr
        self.start = time.perf_counter()
        self._progress: Any = None
        self._task: Any = None
        self._closed = False

    def __call__(self, done: int, total: int) -> None:
        if self._closed:  # work still finishing after close() (threads of an interrupted run) draws nothing more
            return
        if done == 0 and self._progress is None:
            self.start = time.perf_counter()  # the work starts now (after loading the kernels)
            return
        elapsed = time.perf_counter() - self.start
        if self._progress is None:
            if done >= total:
                return
            if elapsed < self.settle:
                return  # the first units include thread start-up: estimate from a steadier rate
            rate = done / max(elapsed, 1e-9)
            estimate = total / rate
            if estimate < self.delay:
                return
            self._begin(total, rate, estimate)
        rate = done / max(elapsed, 1e-9)
        self._progress.update(self._task, completed=done, rate=f"{rate:,.0f}/s")

    def _begin(self, total: int, rate: float, estimate: float) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        console = Console(file=self.stream, stderr=self.stream is sys.stderr)
        console.print(
            f"gcli: checking {total:,} {self.what}: about {estimate:,.0f} s at {rate:,.0f} patterns/s",
            highlight=False,
        )
        self._progress = Progress(
            TextColumn(self.label), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
            TextColumn("ETA"), TimeRemainingColumn(), console=console, transient=False,
        )
        self._task = self._progress.add_task(self.label, total=total, rate="")
        self._progress.start()

    def close(self) -> None:
        """Stop the bar (if one was drawn); later calls draw nothing."""
        self._closed = True
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
