"""A ``gcli`` for the docs' shell sessions that starts in milliseconds: a shim on PATH and a fork server behind it.

tests/test_readme.py reruns about a hundred ``$ gcli …`` lines; a fresh ``gcli`` process spends most of its time
importing numpy, galois, scipy and jsonschema and compiling galois' fields, again for every line. Here a *server*
(a fresh interpreter started with ``subprocess``, one thread per numerical library like tests/fuzzrun.py's, so
that forking it is safe) imports gcli's commands once and forks one child per command. The ``gcli`` that bash finds
first on PATH is a small client script: it connects to the server's Unix socket and hands over its arguments,
working folder, environment and its standard input, output and error *file descriptors* (``SCM_RIGHTS``), then
exits with the child's status (or dies of the child's signal). The child runs exactly what the ``gcli`` script
runs, ``gcli.cli.main(ARGS, prog_name="gcli")``, writing straight into bash's pipes and redirections, so pipes
(``| head -1``), redirections (``2>/dev/null``, ``> report.txt``), ``$?``, environment assignments
(``GCLI_MAX_FILE_BYTES=1000 gcli …``) and the interleaving of stdout and stderr behave as with a real process.

What it skips is the installed script itself and its supervising parent (:mod:`gcli.cli._supervisor`): the README
still runs through the real script (tests/test_readme.py), and .ci/smoke.py, tests/test_packaging.py and
tests/test_runtime_hardening.py test those.

``python`` blocks run in a child of the server too (``exec`` of the block as ``__main__``).

Example::

    server = SessionServer()
    env = {**os.environ, **server.env()}   # PATH starts with the shim's folder
    subprocess.run(["bash", "-c", "gcli design crc -n 8 -s 2 -o crc.json"], env=env, cwd=folder)
    server.close()
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import select
import socket
import struct
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

# the same fork-server environment, start and shutdown
from fuzzrun import SINGLE_THREADED, as_from_a_terminal, log_tail, stop_server

__all__ = ["SessionServer"]

TESTS = Path(__file__).resolve().parent

SOCKET_VARIABLE = "GCLI_TEST_SESSION_SOCKET"
WARM_MODULES = ("numpy", "scipy.linalg", "scipy.sparse", "galois", "jsonschema", "networkx", "sympy",
                "gcli.cli.design", "gcli.cli.verify", "gcli.cli.compare", "gcli.cli.bound", "gcli.cli.export",
                "gcli.certification.certificate", "gcli.io.exports")
"""Imported once by the server, so that no child imports them again."""
WARM_COMMANDS = (("design", "reed-solomon", "-n", "10", "-s", "3", "--field", "GF(2^8)", "-o", "rs.json"),
                 ("verify", "rs.json"),
                 ("design", "reed-solomon", "-n", "12", "-s", "2", "-m", "2", "-a", "1", "--field", "GF(65537)",
                  "-o", "rs-adv.json"),
                 ("verify", "rs-adv.json"),
                 ("design", "crc", "-n", "8", "-s", "2", "-o", "crc.json"),
                 ("verify", "crc.json"))
"""Run once by the server (in a folder of its own, output discarded), so that its children start with galois'
fields GF(2^8) and GF(65537) and gcli's kernels compiled, as tests/fuzzrun.py's ``warm`` does: compiling them
would cost seconds in every child that uses them."""

CLIENT = '''\
import os, pickle, signal, socket, struct, sys
connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
connection.connect(os.environ[{variable!r}])
message = pickle.dumps((sys.argv[0], sys.argv[1:], os.getcwd(), dict(os.environ)))
socket.send_fds(connection, [struct.pack("<Q", len(message)) + message], [0, 1, 2])
answer = b""
while len(answer) < 8:
    chunk = connection.recv(8 - len(answer))
    if not chunk:
        os.write(2, b"gcli test shim: the session server went away\\n")
        os._exit(97)
    answer += chunk
status, signum = struct.unpack("<ii", answer)
if signum:
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)
os._exit(status)
'''


class SessionServer:
    """The fork server and the folder holding its socket and the ``gcli`` shim (see the module docstring)."""

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="gcli-sessions-")
        self.socket = os.path.join(self.folder, "server.sock")
        self.bin = os.path.join(self.folder, "bin")
        os.mkdir(self.bin)
        for name in ("gcli", "python-block"):
            path = os.path.join(self.bin, name)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(f"#!{sys.executable} -IS\n" + CLIENT.format(variable=SOCKET_VARIABLE))
            os.chmod(path, 0o755)
        self.log = open(os.path.join(self.folder, "server.log"), "wb")
        code = (f"import sys; sys.path[:0] = [{str(TESTS)!r}]; import sessionrun; "
                f"sessionrun._serve({self.socket!r})")
        self.process = subprocess.Popen([sys.executable, "-P", "-c", code], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.log,
                                        env={**os.environ, **SINGLE_THREADED}, cwd=str(TESTS),
                                        preexec_fn=as_from_a_terminal)
        assert self.process.stdout is not None
        if self.process.stdout.readline() != b"ready\n":
            log = self.tail()
            self.close()
            raise RuntimeError(f"the session server did not start:\n{log}")

    def env(self) -> dict[str, str]:
        """Variables that send the ``gcli`` of a shell session (and ``python-block``) to this server."""
        return {"PATH": f"{self.bin}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
                SOCKET_VARIABLE: self.socket}

    def tail(self) -> str:
        return log_tail(self.log.name)

    def close(self) -> None:
        stop_server(self.process, self.log)
        for name in ("gcli", "python-block", "server.sock", "server.log"):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(self.bin if name in ("gcli", "python-block") else self.folder, name))
        with contextlib.suppress(OSError):
            os.rmdir(self.bin)
            os.rmdir(self.folder)


# ---------------------------------------------------------------------------------------------------------------
# the server's side
# ---------------------------------------------------------------------------------------------------------------
def _serve(path: str) -> None:
    """Accept one connection per command until the test process closes our stdin."""
    import importlib

    from gcli.cli import main  # noqa: F401 - imported once, for every child

    control = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # a stray print goes to the log
    for module in WARM_MODULES:
        importlib.import_module(module)
    _warm()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    control.write(b"ready\n")
    control.flush()
    handlers: set[int] = set()
    while True:
        ready = select.select([listener, 0], [], [], 0.5)[0]
        for pid in list(handlers):  # reaped here, so that their CPU time counts in ours (``time pytest``)
            if os.waitpid(pid, os.WNOHANG)[0]:
                handlers.discard(pid)
        if 0 in ready and not os.read(0, 1 << 16):
            for pid in handlers:
                os.waitpid(pid, 0)
            return
        if listener not in ready:
            continue
        connection, _ = listener.accept()
        pid = os.fork()
        if pid == 0:  # a handler per command: forks the command's child, reports how it ended
            try:
                listener.close()
                control.close()
                _handle(connection)
            finally:
                os._exit(0)
        handlers.add(pid)
        connection.close()


def _warm() -> None:
    from gcli.cli import main

    home = os.getcwd()
    with tempfile.TemporaryDirectory() as folder, open(os.devnull, "w", encoding="utf-8") as sink:
        os.chdir(folder)
        try:
            for args in WARM_COMMANDS:
                with contextlib.suppress(SystemExit), contextlib.redirect_stdout(sink), \
                        contextlib.redirect_stderr(sink):
                    main(list(args), prog_name="gcli")
        finally:
            os.chdir(home)


def _handle(connection: socket.socket) -> None:
    data, fds, _, _ = socket.recv_fds(connection, 1 << 20, 3)
    while len(data) < 8 or len(data) < 8 + struct.unpack("<Q", data[:8])[0]:
        chunk = connection.recv(1 << 20)
        if not chunk:
            return
        data += chunk
    program, args, cwd, env = pickle.loads(data[8:])
    pid = os.fork()
    if pid == 0:
        connection.close()
        _child(program, args, cwd, env, fds)
    for fd in fds:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        answer = struct.pack("<ii", 0, os.WTERMSIG(status))
    else:
        answer = struct.pack("<ii", os.WEXITSTATUS(status), 0)
    with contextlib.suppress(OSError):
        connection.sendall(answer)


def _child(program: str, args: list[str], cwd: str, env: dict[str, str], fds: list[int]) -> None:
    """Run one command (or one python block) in this forked process, as a fresh process would; never returns."""
    status = 98
    try:
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        sys.stdin = open(0, encoding="utf-8", errors="surrogateescape", closefd=False)
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
        sys.stderr = io.TextIOWrapper(open(2, "wb", buffering=0, closefd=False), encoding="utf-8",
                                      errors="backslashreplace", line_buffering=True, write_through=True)
        if os.path.basename(program) == "python-block":
            sys.argv = ["-c"]
            try:
                exec(compile(args[0], "<string>", "exec"), {"__name__": "__main__", "__builtins__": __builtins__})
                status = 0
            except SystemExit as exc:
                code = exc.code
                status = code if isinstance(code, int) else (0 if code is None else 1)
            except BaseException:
                traceback.print_exc()
                status = 1
        else:
            from gcli.cli import main

            sys.argv = ["gcli", *args]
            try:
                main(list(args), prog_name="gcli")
                status = 0
            except SystemExit as exc:
                code = exc.code
                status = code if isinstance(code, int) else (0 if code is None else 1)
    except BaseException as exc:  # anything escaping the CLI is a failure
        with contextlib.suppress(OSError):
            os.write(2, f"\nescaped the CLI: {exc.__class__.__name__}: {exc}\n".encode())
        status = 97
    finally:
        try:
            with contextlib.suppress(BaseException):
                sys.stdout.flush()
            with contextlib.suppress(BaseException):
                sys.stderr.flush()
        finally:
            os._exit(status)


def _main() -> Any:  # pragma: no cover - a manual check: python tests/sessionrun.py gcli --version
    server = SessionServer()
    try:
        return subprocess.run(sys.argv[1:], env={**os.environ, **server.env()}, check=False).returncode
    finally:
        server.close()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main())
