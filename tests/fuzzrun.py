"""Run ``gcli`` commands in forked children with a wall and a memory limit, for the hostile-input fuzz tests.

A fresh ``python -m gcli`` costs a second of imports per invocation, too slow for hypothesis' hundreds of inputs;
forking a process that has already imported gcli costs milliseconds. The test process itself must not be forked:
it is multithreaded (OpenBLAS, numba, pytest's helpers) and a forked copy of a multithreaded process may inherit a
lock another thread held, and hang. So the tests talk to a *fork server*: a fresh interpreter started with
``subprocess`` and one thread per library (``OPENBLAS_NUM_THREADS=1``, ``NUMBA_NUM_THREADS=1``,
``OMP_NUM_THREADS=1``, ``MKL_NUM_THREADS=1``; numba's fork-safe ``workqueue`` layer), which imports gcli once
(:func:`warm` makes it import or compile more) and forks one child per request.

The child redirects stdin/stdout/stderr to files, takes the caller's environment and working folder, lowers
``RLIMIT_DATA`` (heap and anonymous mappings, where numpy's large arrays live) to what it uses now plus ``memory``
bytes, runs an optional ``setup`` (a module-level function, pickled by name: how a test patches gcli inside the
child) and then the CLI. The server waits for it at most ``seconds`` of wall time (:data:`SECONDS`, generous: it
only catches hangs, a slow but correct run must not fail) and kills it after; no alarm is armed in the child.

:func:`assert_well_behaved` states gcli's contract for any input: exit 0, 1 or 2 (never 3, an internal error,
nor a signal); for exit 2 exactly one line on stderr, starting ``gcli: error:``; never a traceback.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import os
import pickle
import resource
import select
import signal
import struct
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

__all__ = ["MEMORY", "SECONDS", "Outcome", "assert_well_behaved", "run_forked", "warm"]

MEMORY = 500 * 2**20
SECONDS = 60
"""Wall-time limit of one invocation: only a hang reaches it."""
SINGLE_THREADED = {"OPENBLAS_NUM_THREADS": "1", "NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                   "MKL_NUM_THREADS": "1", "NUMBA_THREADING_LAYER": "workqueue"}
"""The fork server's environment on top of the caller's: one thread per numerical library, so nothing but the
main thread exists when it forks."""
TESTS = Path(__file__).resolve().parent


def as_from_a_terminal() -> None:
    """``preexec_fn`` for a child that must start as a command typed at a terminal does: SIGINT and SIGQUIT at
    their defaults. A job that a non-interactive shell starts with ``&`` (a CI script, ``nohup``) inherits them
    ignored, and gcli rightly keeps an inherited SIG_IGN, so the tests that send SIGINT would see nothing happen."""
    for signum in (signal.SIGINT, signal.SIGQUIT):
        signal.signal(signum, signal.SIG_DFL)


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
    """Wall time, for benchmarks and messages only: tests never assert on it (it depends on the machine)."""
    max_rss: int = 0
    """Peak resident memory of the child in bytes (``ru_maxrss``; pages shared with the server count too)."""

    def describe(self) -> str:
        end = f"exit {self.status}" if self.status is not None else f"signal {self.signal}"
        return f"gcli {' '.join(self.args)} → {end} after {self.seconds:.2f} s\nstderr:\n{self.stderr[-2000:]}"


@dataclass(frozen=True)
class _Run:
    args: tuple[str, ...]
    paths: tuple[str, str, str]  # stdin, stdout, stderr files (written and read by the caller)
    env: dict[str, str]
    cwd: str | None
    seconds: float
    memory: int
    setup: bytes | None = None  # a pickled (function, arguments), loaded in the child only


@dataclass(frozen=True)
class _Warm:
    modules: tuple[str, ...] = ()
    commands: tuple[tuple[str, ...], ...] = ()
    calls: tuple[Callable[[], Any], ...] = field(default=())


# ---------------------------------------------------------------------------------------------------------------
# the test process's side
# ---------------------------------------------------------------------------------------------------------------
def _send(stream: IO[bytes], message: Any) -> None:
    data = pickle.dumps(message)
    stream.write(struct.pack("<Q", len(data)) + data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError
    (size,) = struct.unpack("<Q", head)
    return pickle.loads(stream.read(size))


class _Server:
    """The fork server process and its pipes."""

    def __init__(self) -> None:
        self.log = tempfile.NamedTemporaryFile(prefix="fuzzrun-server-", suffix=".log", delete=False)
        env = {**os.environ, **SINGLE_THREADED}
        code = f"import sys; sys.path[:0] = [{str(TESTS)!r}]; import fuzzrun; fuzzrun._serve()"
        self.process = subprocess.Popen([sys.executable, "-P", "-c", code], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.log, env=env, cwd=str(TESTS),
                                        preexec_fn=as_from_a_terminal)

    def ask(self, request: Any) -> Any:
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            _send(self.process.stdin, request)
            kind, value = _receive(self.process.stdout)
        except (EOFError, BrokenPipeError) as exc:
            raise RuntimeError(f"the fork server died:\n{self.tail()}") from exc
        if kind == "error":
            raise RuntimeError(f"the fork server failed:\n{value}")
        return value

    def tail(self) -> str:
        return log_tail(self.log.name)

    def close(self) -> None:
        stop_server(self.process, self.log)
        with contextlib.suppress(OSError):
            os.unlink(self.log.name)


def log_tail(path: str) -> str:
    """The last 3,000 characters of a fork server's log (for the error that says it died)."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        return handle.read()[-3000:]


def stop_server(process: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    """End a fork server: close its stdin (its signal to stop), wait 10 s, then kill; close its log."""
    with contextlib.suppress(OSError):
        assert process.stdin is not None
        process.stdin.close()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


_server: _Server | None = None


def _the_server() -> _Server:
    global _server
    if _server is None or _server.process.poll() is not None:
        _server = _Server()
        atexit.register(_server.close)
    return _server


def warm(commands: Sequence[Sequence[str]] = (), modules: Sequence[str] = (),
         calls: Sequence[Callable[[], Any]] = ()) -> None:
    """Make the fork server import ``modules``, run ``commands`` (output discarded) and ``calls`` (module-level
    functions) itself, once, so that its children start with them loaded and compiled (galois fields, numba
    kernels, schemas) instead of spending their time on it."""
    _the_server().ask(_Warm(tuple(modules), tuple(tuple(c) for c in commands), tuple(calls)))


def run_forked(args: Sequence[str], stdin: bytes = b"", *, seconds: float = SECONDS, memory: int = MEMORY,
               cwd: str | None = None, setup: Callable[..., Any] | None = None,
               setup_args: tuple[Any, ...] = ()) -> Outcome:
    """Run ``gcli ARGS`` in a child of the fork server with ``seconds`` of wall time and ``memory`` bytes of new
    memory, in this process's environment (``os.environ`` as it is now) and ``cwd`` (default: this process's
    working folder). ``setup(*setup_args)``, a module-level function, runs in the child first (a test's patch of
    gcli)."""
    with tempfile.TemporaryDirectory() as folder:
        paths = tuple(os.path.join(folder, name) for name in ("in", "out", "err"))
        for path, content in zip(paths, (stdin, b"", b""), strict=True):
            with open(path, "wb") as handle:
                handle.write(content)
        request = _Run(tuple(args), (paths[0], paths[1], paths[2]), dict(os.environ), cwd or os.getcwd(), seconds,
                       memory, None if setup is None else pickle.dumps((setup, tuple(setup_args))))
        status, signum, elapsed, rss = _the_server().ask(request)
        with open(paths[1], encoding="utf-8", errors="replace") as out, \
                open(paths[2], encoding="utf-8", errors="replace") as err:
            stdout, stderr = out.read(), err.read()
    return Outcome(tuple(args), status, signum, stdout, stderr, elapsed, rss)


def assert_well_behaved(outcome: Outcome, allowed: Sequence[int] = (0, 1, 2)) -> None:
    """gcli's contract for any input: an allowed exit status, one clean line on stderr for exit 2."""
    assert outcome.signal is None, f"killed (signal {outcome.signal}, {signal.Signals(outcome.signal).name}): " \
        + outcome.describe()
    assert outcome.status in allowed, outcome.describe()
    assert "Traceback" not in outcome.stderr, outcome.describe()
    if outcome.status == 2:
        lines = outcome.stderr.strip("\n").split("\n")
        assert len(lines) == 1 and lines[0].startswith("gcli: error: "), outcome.describe()


# ---------------------------------------------------------------------------------------------------------------
# the fork server's side
# ---------------------------------------------------------------------------------------------------------------
def _vm_data() -> int:
    """Bytes of this process's data segment (VmData), what RLIMIT_DATA counts."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    return 0  # pragma: no cover - not Linux


def _serve() -> None:
    """The server's loop: one request at a time from stdin, one answer each on stdout, until stdin closes."""
    requests = os.fdopen(os.dup(0), "rb")
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(2, 1)  # a stray print of gcli's goes to the server's log, not into the protocol
    from gcli.cli import main  # noqa: F401 - imported once, for every child

    while True:
        try:
            request = _receive(requests)
        except EOFError:
            return
        try:
            if isinstance(request, _Warm):
                _warm(request)
                answer: Any = None
            else:
                answer = _fork(request, (requests.fileno(), replies.fileno()))
            _send(replies, ("ok", answer))
        except Exception:
            _send(replies, ("error", traceback.format_exc()))


def _warm(request: _Warm) -> None:
    import importlib

    from gcli.cli import main

    for module in request.modules:
        importlib.import_module(module)
    sink = io.StringIO()
    for args in request.commands:
        with contextlib.suppress(SystemExit), contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            main(list(args), prog_name="gcli")
    for call in request.calls:
        call()


def _fork(request: _Run, protocol: tuple[int, int]) -> tuple[int | None, int | None, float, int]:
    """Fork one child for ``request``; (exit status, signal, seconds, peak RSS) once it ended or was killed."""
    sys.stdout.flush()
    sys.stderr.flush()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        for fd in protocol:
            os.close(fd)
        _child(request)
    killed = not _ended_within(pid, request.seconds)
    if killed:
        os.kill(pid, signal.SIGKILL)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.monotonic() - start
    if killed:
        with open(request.paths[2], "a", encoding="utf-8") as err:
            err.write(f"\n[fuzzrun: killed after the wall limit of {request.seconds:g} s]\n")
    rss = usage.ru_maxrss * 1024  # kilobytes on Linux
    if os.WIFSIGNALED(status):
        return None, os.WTERMSIG(status), elapsed, rss
    return os.WEXITSTATUS(status), None, elapsed, rss


def _ended_within(pid: int, seconds: float) -> bool:
    """Wait up to ``seconds`` for the child to end (without reaping it); whether it did."""
    try:
        ready = os.pidfd_open(pid)
    except (AttributeError, OSError):  # pragma: no cover - Linux < 5.3: poll
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
                return True
            time.sleep(0.002)
        return False
    try:
        return bool(select.select([ready], [], [], seconds)[0])
    finally:
        os.close(ready)


def _child(request: _Run) -> None:
    """Run the request's command line in this (forked) process, then exit with its status."""
    status = 98
    try:
        for fd, path, flags in zip((0, 1, 2), request.paths, (os.O_RDONLY, os.O_WRONLY, os.O_WRONLY), strict=True):
            os.dup2(os.open(path, flags), fd)
        if request.cwd is not None:
            os.chdir(request.cwd)
        os.environ.clear()
        os.environ.update(request.env)
        limit = _vm_data() + request.memory
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
        sys.stdin = open(0, encoding="utf-8", errors="surrogateescape", closefd=False)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
        if request.setup is not None:
            function, arguments = pickle.loads(request.setup)
            function(*arguments)
        from gcli.cli import main

        try:
            main(list(request.args), prog_name="gcli")
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
