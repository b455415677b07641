"""gcli against its runtime: signals during computations Python cannot interrupt, standard output that fails,
peers that are not Dask schedulers (issue 22, items 3 and 5).

Real processes (the ``gcli`` script, supervised by :mod:`gcli.cli._supervisor`); no timing is asserted: a
process must end with the promised status before a generous kill deadline, which only catches a hang.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from fuzzrun import as_from_a_terminal

GCLI = str(Path(sys.executable).with_name("gcli"))
DEADLINE = 30.0
"""Seconds after the signal before a process counts as hung (the promise is about 2 s; this only guards)."""

STUCK = """
import sys
import gcli.certification.certificate as certificate
def stuck(*args, **kwargs):
    print("computing", file=sys.stderr, flush=True)
    return sum(range(10**14))  # one C call that holds the interpreter, like LAPACK, numba or galois
certificate.certify = stuck
from gcli.cli import main
sys.argv = ["gcli", "verify", sys.argv[1]]
main()
"""


_DESIGNED: dict[str, bytes] = {}


def _design(tmp_path: Path) -> Path:
    """A small exact code in ``tmp_path`` (designed once per session)."""
    if "crc" not in _DESIGNED:
        _DESIGNED["crc"] = subprocess.run([GCLI, "design", "crc", "-n", "6", "-s", "1"], check=True,
                                          capture_output=True).stdout
    target = tmp_path / "crc.json"
    target.write_bytes(_DESIGNED["crc"])
    return target


def _start(script: str, code: Path, **options: Any) -> subprocess.Popen[bytes]:
    """``python -c script code`` as a terminal would start it (SIGINT at its default, whatever the test runner
    inherited), in a session of its own so that a hang guard can kill every process of it: a stuck supervised
    child left alive would keep the pipes open and ``communicate`` waiting for ever."""
    return subprocess.Popen([sys.executable, "-c", script, str(code)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=as_from_a_terminal, start_new_session=True, **options)


def _kill_all(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


def _signal_when_computing(process: subprocess.Popen[bytes], signum: int) -> tuple[int, str]:
    assert process.stderr is not None
    before = b""
    while (line := process.stderr.readline()).strip() != b"computing":
        assert line, before  # the process ended before it computed
        before += line
    time.sleep(0.2)
    process.send_signal(signum)
    try:
        _, err = process.communicate(timeout=DEADLINE)
    except subprocess.TimeoutExpired:  # pragma: no cover - the failure this test is for
        _kill_all(process)
        pytest.fail(f"gcli ignored signal {signum} for {DEADLINE} s")
    return process.returncode, (before + err).decode()


@pytest.mark.parametrize(("signum", "status", "line"), [
    (signal.SIGTERM, 143, "gcli: error: terminated by SIGTERM"),
    (signal.SIGINT, 130, "gcli: error: interrupted"),
])
def test_signal_ends_a_computation_that_holds_the_interpreter(tmp_path: Path, signum: int, status: int,
                                                              line: str) -> None:
    code = _design(tmp_path)
    before = set(os.listdir(tmp_path))
    process = _start(STUCK, code, cwd=tmp_path)
    returncode, err = _signal_when_computing(process, signum)
    assert returncode == status, err
    assert err.strip().splitlines() == [line]
    assert set(os.listdir(tmp_path)) == before  # no stray file


PROGRESSING = """
import sys, time
import gcli.certification.certificate as certificate
def slow(*args, progress=None, **kwargs):
    progress(0, 10**6)
    for done in range(1, 10**6):
        time.sleep(0.01)
        progress(done, 10**6)
        if done == 100:
            print("computing", file=sys.stderr, flush=True)
certificate.certify = slow
from gcli.cli import main
sys.argv = ["gcli", "verify", sys.argv[1]]
main()
"""


@pytest.mark.parametrize("supervised", ["1", "0"])
def test_the_error_line_comes_after_the_progress_bar(tmp_path: Path, supervised: str) -> None:
    code = _design(tmp_path)
    process = _start(PROGRESSING, code, env={**os.environ, "GCLI_SUPERVISOR": supervised})
    returncode, err = _signal_when_computing(process, signal.SIGTERM)
    lines = [line for line in err.replace("\r", "\n").splitlines() if line.strip()]
    assert returncode == 143, err
    assert lines[-1] == "gcli: error: terminated by SIGTERM", err
    assert sum(line.startswith("gcli: error:") for line in lines) == 1, err


def test_without_the_supervisor_the_same_computation_holds_the_signal(tmp_path: Path) -> None:
    """The test above can fail: in one process, the signal waits for the C call (killed here after 3 s)."""
    code = _design(tmp_path)
    process = _start(STUCK, code, env={**os.environ, "GCLI_SUPERVISOR": "0"})
    assert process.stderr is not None
    assert process.stderr.readline().strip() == b"computing"
    time.sleep(1.0)
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=3)
    except subprocess.TimeoutExpired:
        _kill_all(process)
    else:  # pragma: no cover - a loaded machine: the signal came before the C call started
        pytest.skip("the signal arrived before the C call started")


def test_the_exit_status_of_the_command_passes_through(tmp_path: Path) -> None:
    code = _design(tmp_path)
    ok = subprocess.run([GCLI, "verify", str(code), "-q"], capture_output=True)
    assert ok.returncode == 0, ok.stderr
    failed = subprocess.run([GCLI, "verify", str(code), "-q", "-s", "3"], capture_output=True)
    assert failed.returncode == 1, failed.stderr
    refused = subprocess.run([GCLI, "verify", str(tmp_path / "missing.json")], capture_output=True)
    assert refused.returncode == 2 and len(refused.stderr.decode().strip().splitlines()) == 1


# ------------------------------------------------------------------------------------------------------------
# standard output that cannot be written
# ------------------------------------------------------------------------------------------------------------
PRINTING = [
    ["design", "crc", "-n", "6", "-s", "1"],
    ["verify", "{code}", "-q"],
    ["export", "{code}", "--format", "npz"],
    ["bound", "tradeoff", "-n", "6", "-s", "1"],
    ["compare", "{code}", "{code}"],
    ["--help"],
]


def _args(args: list[str], code: Path) -> list[str]:
    return [a.replace("{code}", str(code)) for a in args]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", PRINTING, ids=lambda a: " ".join(a[:2]))
def test_stdout_on_dev_full_is_one_line_and_exit_2(tmp_path: Path, args: list[str]) -> None:
    code = _design(tmp_path)
    with open("/dev/full", "w") as full:
        result = subprocess.run([GCLI, *_args(args, code)], stdout=full, stderr=subprocess.PIPE)
    lines = result.stderr.decode().strip().splitlines()
    assert result.returncode == 2, result.stderr
    assert lines == ["gcli: error: cannot write to standard output: No space left on device"]


def test_closed_stdout_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code = _design(tmp_path)
    for args in (PRINTING[0], PRINTING[2], PRINTING[-1]):
        result = subprocess.run([GCLI, *_args(args, code)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                preexec_fn=lambda: os.close(1))
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.decode().strip().splitlines() == [
            "gcli: error: cannot write to standard output: it is closed"], args


def test_closed_stdout_and_stderr_exit_2_quietly(tmp_path: Path) -> None:
    def close_both() -> None:
        os.close(1)
        os.close(2)

    result = subprocess.run([GCLI, "design", "crc", "-n", "6", "-s", "1"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, preexec_fn=close_both)
    assert result.returncode == 2


def test_a_command_that_prints_nothing_ignores_a_closed_stdout(tmp_path: Path) -> None:
    target = tmp_path / "crc.json"
    result = subprocess.run([GCLI, "design", "crc", "-n", "6", "-s", "1", "-o", str(target)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1))
    assert result.returncode == 0, result.stderr
    assert target.exists()


# ------------------------------------------------------------------------------------------------------------
# peers at --scheduler that are not Dask schedulers
# ------------------------------------------------------------------------------------------------------------
def _frames(*frames: bytes) -> bytes:
    """A message framed as distributed.comm's TCP transport frames it (see gcli.certification.scheduler)."""
    prelude = struct.pack(f"<Q{len(frames)}Q", len(frames), *(len(f) for f in frames))
    body = prelude + b"".join(frames)
    return struct.pack("<Q", len(body)) + body


@contextlib.contextmanager
def _peer(kind: str) -> Iterator[str]:
    """A local TCP server in a thread: ``http`` answers a request like a web server, ``random`` sends random
    bytes at once, ``silent`` accepts and never speaks, ``dask`` sends a well-framed handshake."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    stop = threading.Event()
    connections: list[socket.socket] = []

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except (TimeoutError, OSError):
                continue
            connections.append(connection)
            with contextlib.suppress(OSError):
                if kind == "random":
                    connection.sendall(random.Random(0).randbytes(4096))
                elif kind == "http":
                    connection.settimeout(5)
                    if connection.recv(1 << 16):
                        connection.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                elif kind == "dask":
                    connection.sendall(_frames(b"\x80", b"\x81\xa6python\x93\x03\x0c\x00"))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in connections:
            connection.close()
        server.close()


@pytest.mark.parametrize(("kind", "timeout", "reason"), [
    ("random", 10.0, "not a Dask scheduler"),  # refused as soon as its bytes arrive: a long wait costs nothing
    ("http", 0.5, "no Dask handshake within 0.5 s"),
    ("silent", 0.5, "no Dask handshake within 0.5 s"),
])
def test_a_peer_that_is_not_dask_is_refused(kind: str, timeout: float, reason: str) -> None:
    from gcli.certification.scheduler import check_scheduler
    from gcli.errors import InputError

    with _peer(kind) as address, pytest.raises(InputError, match=reason):
        check_scheduler(address, timeout=timeout)


def test_a_well_framed_handshake_passes_and_other_transports_are_left_to_dask() -> None:
    from gcli.certification.scheduler import check_scheduler, tcp_endpoint

    with _peer("dask") as address:
        check_scheduler(address, timeout=5)
    check_scheduler("tls://127.0.0.1:1", timeout=0.1)
    assert tcp_endpoint("[::1]:9") == ("::1", 9) and tcp_endpoint("host") == ("host", 8786)


@pytest.mark.parametrize("total", [0, 7, 2**62, 2**64 - 1])
def test_frame_lengths_from_the_peer_are_never_trusted(total: int) -> None:
    """A peer announcing absurd sizes is refused before anything is allocated for them."""
    from gcli.certification.scheduler import check_scheduler
    from gcli.errors import InputError

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def serve() -> None:
        connection, _ = server.accept()
        with connection:
            connection.sendall(struct.pack("<QQ", total, 1))
            connection.recv(1)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    with pytest.raises(InputError, match="not a Dask scheduler"):
        check_scheduler(f"tcp://127.0.0.1:{server.getsockname()[1]}", timeout=5)
    thread.join(timeout=10)
    server.close()


@pytest.mark.parametrize("command", [["verify", "{code}", "-q"], ["run", "{code}", "-T", "1", "--timeout", "1"]])
@pytest.mark.parametrize("kind", ["random", "silent"])
def test_the_command_line_refuses_a_peer_that_is_not_dask(tmp_path: Path, command: list[str], kind: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    from click.testing import CliRunner

    import gcli.certification.engine as engine
    from gcli.cli import cli

    monkeypatch.setattr(engine, "SCHEDULER_TIMEOUT", 1.0)  # verify's handshake wait (10 s), as run's --timeout 1

    code = _design(tmp_path)
    with _peer(kind) as address:
        result = CliRunner().invoke(cli, [*_args(command, code), "--scheduler", address])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gcli: error:") and "Dask" in lines[0], result.stderr


# ------------------------------------------------------------------------------------------------------------
# a run that stops for lack of workers
# ------------------------------------------------------------------------------------------------------------
def test_a_run_that_stopped_exits_1_with_the_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    import gcli.training.runtime as runtime
    from gcli.cli import cli

    def fake_run(code: Any, client: Any, **kwargs: Any) -> Any:
        coded = SimpleNamespace(loss=[0.7, 0.6], stopped="the surviving workers cannot decode")
        return SimpleNamespace(coded=coded, summary=lambda: "coded (crc) 2 iterations",
                               to_json=lambda: {"stopped": coded.stopped})

    monkeypatch.setattr(runtime, "connect", lambda *args, **kwargs: contextlib.nullcontext(None))
    monkeypatch.setattr(runtime, "run", fake_run)
    code = _design(tmp_path)
    result = CliRunner().invoke(cli, ["run", str(code), "-T", "5"])
    assert result.exit_code == 1, result.output
    assert result.stderr.strip() == ("gcli: the coded run stopped after 2 of 5 iterations: the surviving workers "
                                     "cannot decode")
    finished = SimpleNamespace(loss=[0.7] * 5, stopped=None)
    monkeypatch.setattr(runtime, "run", lambda *a, **k: SimpleNamespace(coded=finished, summary=lambda: "ok"))
    assert CliRunner().invoke(cli, ["run", str(code), "-T", "5"]).exit_code == 0


# ------------------------------------------------------------------------------------------------------------
# progress of the certification inside gcli design
# ------------------------------------------------------------------------------------------------------------
def test_design_reports_the_progress_of_its_certification(monkeypatch: pytest.MonkeyPatch) -> None:
    """design's certification (long over large prime fields) reports to a progress bar, closed afterwards."""
    from click.testing import CliRunner

    import gcli.progress as progress
    from gcli.cli import cli

    seen: list[tuple[int, int]] = []
    closed: list[bool] = []
    monkeypatch.setattr(progress.ProgressReporter, "__call__", lambda self, done, total: seen.append((done, total)))
    monkeypatch.setattr(progress.ProgressReporter, "close", lambda self: closed.append(True))
    result = CliRunner().invoke(cli, ["design", "reed-solomon", "-n", "8", "-s", "2", "--field", "GF(257)"])
    assert result.exit_code == 0, result.output
    assert seen and seen[-1] == (28, 28) and closed == [True]
    assert progress.ambient() is None


def test_ambient_progress_is_scoped() -> None:
    from gcli.progress import ambient, reporting

    calls: list[tuple[int, int]] = []
    with reporting(lambda done, total: calls.append((done, total))):
        callback = ambient()
        assert callback is not None
        callback(1, 2)
        with reporting(None):
            assert ambient() is None
    assert ambient() is None and calls == [(1, 2)]
