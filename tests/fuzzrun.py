"""Run ``gcli`` commands in forked children with a time and memory limit, for the hostile-input fuzz tests.

A fresh ``python -m gcli`` costs a second of imports per invocation; forking the test process, which has already
imported gcli, numpy and galois, costs milliseconds, so hypothesis can try hundreds of inputs in a few seconds.
The child redirects stdin/stdout/stderr to files, lowers ``RLIMIT_DATA`` (heap and anonymous mappings, where
numpy's large arrays live) to what it uses now plus ``memory`` bytes, arms ``alarm(seconds)`` and runs the CLI
with the arguments; the parent collects the exit status, or the signal that ended the child.

:func:`assert_well_behaved` states gcli's contract for any input: exit 0, 1 or 2 (never 3, an internal error,
nor a signal); for exit 2 exactly one line on stderr, starting ``gcli: error:``; never a traceback.
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Outcome", "assert_well_behaved", "run_forked"]

MEMORY = 500 * 2**20
SECONDS = 10


@dataclass(frozen=True)
class Outcome:
    """How one forked invocation ended."""

    args: tuple[str, ...]
    status: int | None
    """Exit status, or None when a signal ended the child."""
    signal: int | None
    stdout: str
    stderr: str
    seconds: float
    max_rss: int = 0
    """Peak resident memory of the child in bytes (``ru_maxrss``; pages shared with the parent count too)."""

    def describe(self) -> str:
        end = f"exit {self.status}" if self.status is not None else f"signal {self.signal}"
        return f"gcli {' '.join(self.args)} → {end} after {self.seconds:.2f} s\nstderr:\n{self.stderr[-2000:]}"


def _vm_data() -> int:
    """Bytes of this process's data segment (VmData), what RLIMIT_DATA counts."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    return 0  # pragma: no cover - not Linux


def run_forked(args: Sequence[str], stdin: bytes = b"", *, seconds: int = SECONDS, memory: int = MEMORY,
               cwd: str | None = None) -> Outcome:
    """Run ``gcli ARGS`` in a forked child with ``seconds`` of wall time and ``memory`` bytes of new memory."""
    from gcli.cli import main

    with tempfile.TemporaryDirectory() as folder:
        paths = [os.path.join(folder, name) for name in ("in", "out", "err")]
        for path, content in zip(paths, (stdin, b"", b""), strict=True):
            with open(path, "wb") as handle:
                handle.write(content)
        sys.stdout.flush()
        sys.stderr.flush()
        start = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            status = 98
            try:
                for fd, path, flags in zip((0, 1, 2), paths, (os.O_RDONLY, os.O_WRONLY, os.O_WRONLY), strict=True):
                    os.dup2(os.open(path, flags), fd)
                if cwd is not None:
                    os.chdir(cwd)
                limit = _vm_data() + memory
                resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
                signal.alarm(seconds)
                sys.stdin = open(0, encoding="utf-8", errors="surrogateescape", closefd=False)
                sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
                sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
                try:
                    main(list(args), prog_name="gcli")
                    status = 0
                except SystemExit as exc:
                    code = exc.code
                    status = code if isinstance(code, int) else (0 if code is None else 1)
            except BaseException as exc:  # anything escaping the CLI is a failure
                try:
                    os.write(2, f"\nescaped the CLI: {exc.__class__.__name__}: {exc}\n".encode())
                finally:
                    status = 97
            finally:
                try:
                    sys.stdout.flush()
                    sys.stderr.flush()
                finally:
                    os._exit(status)
        _, wait_status, usage = os.wait4(pid, 0)
        elapsed = time.perf_counter() - start
        with open(paths[1], encoding="utf-8", errors="replace") as out, \
                open(paths[2], encoding="utf-8", errors="replace") as err:
            stdout, stderr = out.read(), err.read()
    rss = usage.ru_maxrss * 1024  # kilobytes on Linux
    if os.WIFSIGNALED(wait_status):
        return Outcome(tuple(args), None, os.WTERMSIG(wait_status), stdout, stderr, elapsed, rss)
    return Outcome(tuple(args), os.WEXITSTATUS(wait_status), None, stdout, stderr, elapsed, rss)


def assert_well_behaved(outcome: Outcome, allowed: Sequence[int] = (0, 1, 2)) -> None:
    """gcli's contract for any input: an allowed exit status, one clean line on stderr for exit 2."""
    assert outcome.signal is None, f"killed (signal {outcome.signal}, {signal.Signals(outcome.signal).name}): " \
        + outcome.describe()
    assert outcome.status in allowed, outcome.describe()
    assert "Traceback" not in outcome.stderr, outcome.describe()
    if outcome.status == 2:
        lines = outcome.stderr.strip("\n").split("\n")
        assert len(lines) == 1 and lines[0].startswith("gcli: error: "), outcome.describe()
