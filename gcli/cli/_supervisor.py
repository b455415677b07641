"""A supervising parent for the ``gcli`` process, so that SIGINT, SIGTERM and SIGHUP end any command in time.

Python runs signal handlers only between bytecodes of the main thread: while LAPACK computes an SVD, a numba
kernel runs or galois multiplies large matrices, a signal waits until the call returns (an SVD on a matrix with
an ``inf`` may never return). So the command line forks once, at start-up (before numpy, numba or any thread
exists): the child runs the command as usual, the parent only waits for it. A signal reaching the parent is
passed on to the child, whose handlers (:func:`gcli.io.writing.install_signal_handlers`) normally end it at once
with the promised status (130 interrupted, 143 SIGTERM, 129 SIGHUP). If the child has not ended
:data:`GRACE` seconds later, it is stuck in compiled code: the parent kills it and its descendants (Dask's
worker processes) with SIGKILL, prints the same line ``gcli: error: terminated by SIGTERM`` and exits with the
same status. Nothing else changes: the child inherits standard input, output and error, the parent exits with
the child's status (or, if a signal killed the child, dies of the same signal).

No partial output file is left either way: output files are written only after the computation (a stuck child
is never inside a write) and :mod:`gcli.io.writing` defers signals while it renames.

Only the ``gcli`` script and ``python -m gcli`` are supervised (``main()`` called without arguments, on POSIX,
in the main thread); ``GCLI_SUPERVISOR=0`` runs the command in the process itself.

Example (a shell session)::

    $ gcli verify big.json & sleep 5; kill $!; wait $!; echo $?
    gcli: error: terminated by SIGTERM
    143
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from types import FrameType
from typing import Final

__all__ = ["GRACE", "supervise"]

GRACE: Final[float] = 1.5
"""Seconds a signalled child has to end on its own before the parent kills it."""

_STATUS: Final[dict[int, int]] = {int(signal.SIGINT): 130, int(signal.SIGTERM): 143}
if hasattr(signal, "SIGHUP"):
    _STATUS[int(signal.SIGHUP)] = 129


def _message(signum: int) -> str:
    """The line :func:`gcli.io.writing.install_signal_handlers` prints for ``signum``."""
    return "interrupted" if signum == signal.SIGINT else f"terminated by {signal.Signals(signum).name}"


def _descendants(root: int) -> list[int]:
    """Process ids below ``root`` (Linux ``/proc``; empty elsewhere), children before their own children."""
    children: dict[int, list[int]] = {}
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
            except (OSError, IndexError):
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found: list[int] = []
    queue = [root]
    while queue:
        below = children.get(queue.pop(), [])
        found.extend(below)
        queue.extend(below)
    return found


def _kill_tree(pid: int) -> None:
    """Stop ``pid`` (so it starts nothing new), then SIGKILL it and every process below it."""
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGSTOP)
    for target in [pid, *_descendants(pid)]:
        with contextlib.suppress(OSError):
            os.kill(target, signal.SIGKILL)


def _enabled() -> bool:
    return (os.name == "posix" and hasattr(os, "fork") and os.environ.get("GCLI_SUPERVISOR", "1") != "0"
            and threading.current_thread() is threading.main_thread())


def supervise() -> None:
    """Fork; return in the child (which runs the command), never return in the parent (see the module docstring).

    Signals the parent ignores (``nohup``) or that someone else handles stay as they are in both processes. When
    forking fails the command runs unsupervised.
    """
    if not _enabled():
        return
    signals = []
    for signum in _STATUS:
        current = signal.getsignal(signum)
        if current is signal.SIG_IGN or current is None:
            continue
        if signum == signal.SIGINT and current is not signal.default_int_handler:
            return  # an embedding program handles Ctrl-C: leave everything to it
        signals.append(signum)
    blocked = set(signals)
    signal.pthread_sigmask(signal.SIG_BLOCK, blocked)  # a signal during the fork waits for the right handler
    try:
        child = os.fork()
    except OSError:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, blocked)
        return
    if child == 0:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, blocked)
        return
    received: list[int] = []
    forced: list[bool] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        if not received:
            received.append(signum)
            signal.setitimer(signal.ITIMER_REAL, GRACE)
        with contextlib.suppress(OSError):
            os.kill(child, signum)

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        forced.append(True)
        _kill_tree(child)

    signal.signal(signal.SIGALRM, on_alarm)
    for signum in signals:
        signal.signal(signum, on_signal)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, blocked)
    while True:
        try:
            _, status = os.waitpid(child, 0)
            break
        except ChildProcessError:  # pragma: no cover - someone else reaped it
            status = 3 << 8
            break
    signal.setitimer(signal.ITIMER_REAL, 0)
    if forced and received:
        _exit_line(_message(received[0]), _STATUS[received[0]])
    if os.WIFEXITED(status):
        _exit_line(None, os.WEXITSTATUS(status))
    signum = os.WTERMSIG(status)
    if signum in _STATUS:  # the default action, before gcli's handlers were installed
        _exit_line(_message(signum), _STATUS[signum])
    for sig in signals:  # die of the same signal as the child (SIGKILL of the OOM killer, SIGSEGV)
        signal.signal(sig, signal.SIG_DFL)
    with contextlib.suppress(OSError):
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
    _exit_line(None, 128 + signum)


def _exit_line(message: str | None, status: int) -> None:
    if message is not None:
        with contextlib.suppress(Exception):
            sys.stderr.write(f"gcli: error: {message}\n")
            sys.stderr.flush()
    os._exit(status)
