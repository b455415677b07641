"""Issue 14's file and output reproducers, one test each: ``-o`` onto devices, FIFOs, symlinks and full disks,
permissions, interrupts, concurrent writers; files too large, too deep, with numbers gcli cannot hold, odd paths.

Every CLI run goes through :func:`fuzzrun.run_forked` (a child of a single-threaded fork server, under a wall and a
memory limit) and :func:`fuzzrun.assert_well_behaved` (exit 0/1/2, one line for 2, no traceback).
"""

from __future__ import annotations

import io
import json
import os
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fuzzrun import Outcome, assert_well_behaved, run_forked
from hypothesis import given, settings
from hypothesis import strategies as st

from gcli.errors import InputError
from gcli.io.reading import json_depth, load_npy, parse_json, read_bounded
from gcli.io.writing import write_atomic

FRC = ["design", "frc", "-n", "8", "-s", "1"]


def refused(outcome: Outcome, *words: str) -> None:
    """Exit 2 with one clean line mentioning every word (within the memory limit of :func:`run_forked`; a hang
    is caught by its wall limit: no assertion on time, which depends on the machine)."""
    assert_well_behaved(outcome)
    assert outcome.status == 2, outcome.describe()
    for word in words:
        assert word in outcome.stderr, outcome.describe()


def no_temporaries(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("hostile")
    rs = ["design", "reed-solomon", "-n", "8", "-s", "2", "--field", "GF(17)"]
    for name, args in {"frc": [*FRC, "--encoding", "csr"], "rs": [*rs, "--encoding", "csr"],
                       "graph": ["design", "graph", "-n", "10", "--degree", "3", "-s", "1"],
                       "frc-dense": FRC, "rs-dense": rs}.items():
        outcome = run_forked([*args, "-o", str(folder / f"{name}.json")])
        assert outcome.status == 0, outcome.describe()
    return {"folder": folder, **{name: json.loads((folder / f"{name}.json").read_text())
                                 for name in ("frc", "rs", "graph", "frc-dense", "rs-dense")}}


# ---------------------------------------------------------------------------------------------------------------
# class 0: -o
# ---------------------------------------------------------------------------------------------------------------
def test_dev_null_stays_a_device() -> None:
    """As root the old writer renamed a regular file over /dev/null; now the bytes are written through."""
    before = os.stat("/dev/null")
    outcome = run_forked([*FRC, "-o", "/dev/null"])
    assert outcome.status == 0, outcome.describe()
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino


def test_dev_full_is_one_line() -> None:
    refused(run_forked([*FRC, "-o", "/dev/full"]), "/dev/full", "No space left")


def test_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    refused(run_forked([*FRC, "-o", str(fifo)]), "no process is reading")  # nobody reads: no waiting forever
    received: list[bytes] = []

    def reader() -> None:
        with open(fifo, "rb") as handle:
            received.append(handle.read())

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for _ in range(200):  # the reader must have opened its end, or the writer gets ENXIO
            outcome = run_forked([*FRC, "-o", str(fifo)])
            if outcome.status == 0:
                break
    finally:
        thread.join(10)
    assert outcome.status == 0 and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert json.loads(received[0])["scheme"] == "frc"
    no_temporaries(tmp_path)


def test_symlink_is_kept_and_its_target_written(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "code.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert run_forked([*FRC, "-o", str(link)]).status == 0
    assert link.is_symlink() and json.loads(target.read_text())["scheme"] == "frc"
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "real" / "new.json")
    assert run_forked([*FRC, "-o", str(dangling)]).status == 0
    assert dangling.is_symlink() and (tmp_path / "real" / "new.json").is_file()
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    refused(run_forked([*FRC, "-o", str(tmp_path / "a")]), "symbolic links")
    no_temporaries(tmp_path)
    no_temporaries(tmp_path / "real")


def test_odd_output_paths(tmp_path: Path) -> None:
    long = "a" * 250  # the temporary name must not be longer than the file system allows
    assert run_forked([*FRC, "-o", long], cwd=str(tmp_path)).status == 0
    assert (tmp_path / long).is_file()
    refused(run_forked([*FRC, "-o", "b" * 300], cwd=str(tmp_path)), "too long")
    refused(run_forked([*FRC, "-o", str(tmp_path / "missing" / "x.json")]), "does not exist")
    refused(run_forked([*FRC, "-o", str(tmp_path / long / "x.json")]), "Not a directory")
    (tmp_path / "folder").mkdir()
    refused(run_forked(["export", str(tmp_path / long), "-o", str(tmp_path / "folder")]), "directory")
    no_temporaries(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_unwritable_folder(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    refused(run_forked([*FRC, "-o", str(locked / "x.json")]), "Permission denied")


def test_permissions_follow_the_umask_and_existing_modes(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.json", "{}\n")
        assert stat.S_IMODE(os.stat(tmp_path / "new.json").st_mode) == 0o640
        os.umask(0o022)
        write_atomic(tmp_path / "other.json", b"{}\n")
        assert stat.S_IMODE(os.stat(tmp_path / "other.json").st_mode) == 0o644
        (tmp_path / "kept.json").write_text("x")
        os.chmod(tmp_path / "kept.json", 0o604)
        write_atomic(tmp_path / "kept.json", "{}\n")
        assert stat.S_IMODE(os.stat(tmp_path / "kept.json").st_mode) == 0o604
        assert (tmp_path / "kept.json").read_text() == "{}\n"
    finally:
        os.umask(old)


def _interrupt_during(signum: int, where: str) -> None:
    """In the child (a ``run_forked`` setup): send ourselves ``signum`` during the write (``where``: in the middle
    of writing the bytes, or just before the rename, inside the deferred section)."""
    import gcli.io.writing as writing

    saved = writing._write_all, os.replace

    def write_all(fd: int, payload: bytes) -> None:
        saved[0](fd, payload[: len(payload) // 2])
        os.kill(os.getpid(), signum)
        saved[0](fd, payload[len(payload) // 2:])

    def replace(a: Any, b: Any) -> None:
        os.kill(os.getpid(), signum)
        saved[1](a, b)

    if where == "write":
        writing._write_all = write_all  # type: ignore[assignment]
    else:
        os.replace = replace  # type: ignore[assignment]


def _interrupted_write(tmp_path: Path, signum: int, where: str) -> Outcome:
    """Run design -o in a forked child that sends itself ``signum`` during the write."""
    return run_forked([*FRC, "-o", str(tmp_path / "code.json")], setup=_interrupt_during, setup_args=(signum, where))


@pytest.mark.parametrize("signum, status", [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)])
def test_interrupts_leave_no_partial_file(tmp_path: Path, signum: int, status: int) -> None:
    outcome = _interrupted_write(tmp_path, signum, "write")
    assert outcome.status == status, outcome.describe()
    assert len(outcome.stderr.strip().splitlines()) == 1 and outcome.stderr.startswith("gcli: error: ")
    assert not (tmp_path / "code.json").exists()
    no_temporaries(tmp_path)
    outcome = _interrupted_write(tmp_path, signum, "rename")  # deferred: the rename completes, then the exit
    assert outcome.status == status, outcome.describe()
    assert json.loads((tmp_path / "code.json").read_text())["scheme"] == "frc"
    no_temporaries(tmp_path)


def test_sigterm_from_outside(tmp_path: Path) -> None:
    """A real gcli process terminated at random moments: a complete file or none, never a .tmp file."""
    gcli = str(Path(sys.executable).with_name("gcli"))
    rng = np.random.default_rng(0)
    for attempt in range(3):
        target = tmp_path / f"code{attempt}.json"
        process = subprocess.Popen([gcli, "design", "crc", "-n", "300", "-s", "2", "-o", str(target)],
                                   stderr=subprocess.PIPE)
        try:
            process.wait(timeout=float(rng.uniform(0.3, 1.0)))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
        assert process.returncode in (0, 143, -signal.SIGTERM), err
        lines = err.decode().strip().splitlines()
        wrote = [line for line in lines if line.startswith(f"wrote {target}: ")]
        if process.returncode == 143:
            # The signal may land before the write (no file) or after it (the file is complete and was announced):
            # either way the last line says why gcli stopped, and nothing else is printed.
            assert lines[-1] == "gcli: error: terminated by SIGTERM", err
            assert lines[:-1] == wrote, err
        if wrote:
            assert target.exists(), err
        if target.exists():
            assert json.loads(target.read_text())["n"] == 300
        no_temporaries(tmp_path)


def test_concurrent_writers_leave_one_complete_file(tmp_path: Path) -> None:
    target = tmp_path / "same.json"
    payloads = [json.dumps({"writer": i, "pad": "x" * (1 << 20)}) for i in range(4)]
    errors: list[BaseException] = []

    def writer(i: int) -> None:
        try:
            for _ in range(5):
                write_atomic(target, payloads[i])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and target.read_text() in payloads
    no_temporaries(tmp_path)


# ---------------------------------------------------------------------------------------------------------------
# class 3: files that claim or contain too much
# ---------------------------------------------------------------------------------------------------------------
def test_huge_files_are_refused_before_parsing(tmp_path: Path) -> None:
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as handle:  # sparse: 200 MB without using the disk
        handle.truncate(200 * 2**20)
    for args in (["verify", str(huge)], ["compare", str(huge)], ["export", str(huge)], ["simulate", str(huge)]):
        refused(run_forked(args), "larger than the limit", "GCLI_MAX_FILE_BYTES")
    with open(huge, "rb") as handle:
        refused(run_forked(["verify", "-"], stdin=handle.read(70 * 2**20)), "standard input", "larger")


def test_file_limit_is_configurable(files: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(files["folder"] / "frc.json")
    monkeypatch.setenv("GCLI_MAX_FILE_BYTES", "100")
    refused(run_forked(["verify", path]), "limit of 100 bytes")
    monkeypatch.setenv("GCLI_MAX_FILE_BYTES", "10000000")
    assert run_forked(["verify", path]).status == 0


def test_generators_from_streams_and_npy_headers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generator = ["design", "mds", "-n", "6", "-d", "3", "--generator"]
    monkeypatch.setenv("GCLI_MAX_FILE_BYTES", str(2**20))  # /dev/zero is refused after a MiB, not 64
    refused(run_forked([*generator, "/dev/zero"]), "/dev/zero", "larger than the limit")
    monkeypatch.delenv("GCLI_MAX_FILE_BYTES")
    claim = io.BytesIO()
    np.lib.format.write_array_header_1_0(claim, {"descr": "<f8", "fortran_order": False,
                                                 "shape": (10**6, 10**6)})
    (tmp_path / "claim.npy").write_bytes(claim.getvalue())
    refused(run_forked([*generator, str(tmp_path / "claim.npy")]), "claims 1000000000000 entries")
    np.save(tmp_path / "complex.npy", np.array([[1, 2j, 0], [0, 1, 1j]]))
    refused(run_forked([*generator, str(tmp_path / "complex.npy")]), "complex")
    np.save(tmp_path / "good.npy", np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 2.0]]))
    assert run_forked([*generator, str(tmp_path / "good.npy")]).status == 0
    (tmp_path / "deep.json").write_text("[" * 5000 + "]" * 5000)
    refused(run_forked([*generator, str(tmp_path / "deep.json")]), "nested deeper")


def test_claimed_sizes(files: dict[str, Any], tmp_path: Path) -> None:
    claims = dict(files["frc"], n=100000)
    (tmp_path / "claims.json").write_text(json.dumps(claims))
    for extra in ([], ["--sample", "7"]):
        refused(run_forked(["verify", *extra, str(tmp_path / "claims.json")]))
    claims = dict(files["frc"], n=10**30)
    (tmp_path / "claims.json").write_text(json.dumps(claims))
    refused(run_forked(["verify", str(tmp_path / "claims.json")]), "exceeds the limit")


# ---------------------------------------------------------------------------------------------------------------
# class 4: numbers JSON allows but gcli cannot hold
# ---------------------------------------------------------------------------------------------------------------
def test_numbers_out_of_range(files: dict[str, Any], tmp_path: Path) -> None:
    real = json.loads(json.dumps(files["frc"]))
    real["encoding"]["data"][0] = 10**400
    gf = json.loads(json.dumps(files["rs"]))
    gf["encoding"]["data"][0] = 10**30
    gf_q = json.loads(json.dumps(files["rs"]))
    gf_q["encoding"]["data"][0] = 17
    text = json.dumps(files["frc"])
    cases = {"real": json.dumps(real), "gf": json.dumps(gf), "q": json.dumps(gf_q),
             "digits": text.replace('"data": [1.0', '"data": [' + "9" * 5000, 1),
             "nan": text.replace('"data": [1.0', '"data": [NaN', 1),
             "inf": text.replace('"data": [1.0', '"data": [-Infinity', 1),
             "1e999": text.replace('"data": [1.0', '"data": [1e999', 1),
             "claim 1e999": text.replace('"construction": {', '"construction": {"bound": 1e999, ', 1),
             "long mantissa": text.replace('"construction": {', '"construction": {"x": 4' + "9" * 400 + 'e-16, ', 1),
             "deep": text[:-1] + ', "construction": ' + "[" * 100 + "]" * 100 + "}",
             "deeper": text[:-1] + ', "x": ' + "[" * 100000 + "]" * 100000 + "}"}
    dense = {}  # the same numbers in dense rows (the default form of small codes)
    for name, value in (("real", 10**400), ("gf", 10**30), ("q", 17), ("fraction", 16.7), ("negative", -1)):
        obj = json.loads(json.dumps(files["frc-dense" if name == "real" else "rs-dense"]))
        obj["encoding"][0][obj["encoding"][0].index(next(x for x in obj["encoding"][0] if x))] = value
        dense[f"dense {name}"] = json.dumps(obj)
    dense["dense nan"] = json.dumps(files["frc-dense"]).replace('"encoding": [[1.0', '"encoding": [[NaN', 1)
    assert all(text != json.dumps(files["frc-dense"]) for text in dense.values())
    for name, content in {**cases, **dense}.items():
        (tmp_path / f"{name}.json").write_text(content)
        refused(run_forked(["verify", str(tmp_path / f"{name}.json")]))


# ---------------------------------------------------------------------------------------------------------------
# class 6: odd paths and values
# ---------------------------------------------------------------------------------------------------------------
def test_odd_input_paths(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    refused(run_forked(["verify", str(tmp_path / "folder")]))
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    refused(run_forked(["verify", str(tmp_path / "a")]), "symbolic links")
    refused(run_forked(["verify", "/proc/self/mem"]), "/proc/self/mem")
    os.mkfifo(tmp_path / "fifo")
    refused(run_forked(["verify", str(tmp_path / "fifo")]))  # no writer: read as empty, not waited for
    refused(run_forked(["verify", str(tmp_path / "missing.json")]), "no such file")
    refused(run_forked(["compare", "/dev/null"]))


def test_directory_on_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CPython refuses to start with a directory on stdin; gcli's own check, for an embedding program."""
    from types import SimpleNamespace

    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        monkeypatch.setattr(sys, "stdin", SimpleNamespace(fileno=lambda: fd, buffer=io.BytesIO()))
        with pytest.raises(InputError, match="directory"):
            read_bounded("-")
    finally:
        os.close(fd)


def test_duplicate_keys_and_coerced_structures(files: dict[str, Any], tmp_path: Path) -> None:
    text = (files["folder"] / "frc.json").read_text()
    (tmp_path / "dup.json").write_text(text[:-2] + ',\n  "n": 8\n}\n')
    refused(run_forked(["verify", str(tmp_path / "dup.json")]), 'duplicate key "n"')
    edge = files["graph"]["graph"]["edges"][0]
    for bad in ([str(edge[0]), edge[1]], [0.5, edge[1]], [edge[0], True], [edge[0]], [-1, edge[1]]):
        graph = json.loads(json.dumps(files["graph"]))
        graph["graph"]["edges"][0] = bad
        (tmp_path / "g.json").write_text(json.dumps(graph))
        refused(run_forked(["verify", str(tmp_path / "g.json")]), "graph/edges/0")
    graph = json.loads(json.dumps(files["graph"]))
    graph["graph"]["v"] = 10**12
    (tmp_path / "g.json").write_text(json.dumps(graph))
    refused(run_forked(["verify", str(tmp_path / "g.json")]), "graph/v")
    empty = dict(files["frc"], encoding=[])
    (tmp_path / "e.json").write_text(json.dumps(empty))
    refused(run_forked(["verify", str(tmp_path / "e.json")]), "encoding")


def test_graph_files_claiming_too_much(tmp_path: Path) -> None:
    (tmp_path / "big.g6").write_bytes(b"~~~~~~~~\n")
    refused(run_forked(["design", "graph", "--from", str(tmp_path / "big.g6"), "-s", "1"]), "adjacency")
    (tmp_path / "wide.txt").write_text("".join(f"{i} {i + 1}\n" for i in range(0, 20000, 2)))
    refused(run_forked(["design", "graph", "--from", str(tmp_path / "wide.txt"), "-s", "1"]), "adjacency")


# ---------------------------------------------------------------------------------------------------------------
# the loader itself
# ---------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, depth", [(b"1", 0), (b"[]", 1), (b'{"a": [[1], [2, "]]]\\"["]]}', 3),
                                         (b"[[[]]][]", 3), (b'"[[[["', 0), (b"[{}]", 2), (b"[[]", 2)])
def test_json_depth(text: bytes, depth: int) -> None:
    assert json_depth(text, 32) == depth


def test_parse_json_bounds() -> None:
    assert parse_json(b'{"a": [1, 2.5, "x"]}') == {"a": [1, 2.5, "x"]}
    assert parse_json(b"[1e-999, 1e+99, 1E300]") == [0.0, 1e99, 1e300]
    for bad, message in ((b'{"a": 1, "a": 2}', "duplicate"), (b"[NaN]", "NaN"), (b"[Infinity]", "Infinity"),
                         (b"[1e999]", "beyond the range"), (b"[2E+308]", "beyond the range"),
                         (b"[" + b"9" * 400 + b".5]", "beyond the range"),
                         (b"[" + b"1" * 5000 + b"]", "too long"), (b"[" * 33 + b"]" * 33, "deeper"),
                         (b"\xff", "UTF-8"), (b"[1,", "malformed")):
        with pytest.raises(InputError, match=message):
            parse_json(bad)


def test_load_npy_checks_the_header() -> None:
    buffer = io.BytesIO()
    np.save(buffer, np.arange(6, dtype=np.int64).reshape(2, 3))
    assert load_npy(buffer.getvalue()).tolist() == [[0, 1, 2], [3, 4, 5]]
    with pytest.raises(InputError, match="truncated"):
        load_npy(buffer.getvalue()[:-8])
    with pytest.raises(InputError, match="not a readable"):
        load_npy(b"not numpy")


_SCALAR = st.none() | st.booleans() | st.integers(-3, 10**20) | st.floats(allow_nan=False) | st.text(max_size=2)
_JSONISH = st.lists(st.integers(0, 9), min_size=1, max_size=3) | st.recursive(
    _SCALAR, lambda inner: st.lists(inner, max_size=3), max_leaves=8)


@settings(max_examples=300)
@given(st.lists(_JSONISH, max_size=6), st.sampled_from(["graph", "design"]))
def test_fast_structure_item_check_agrees_with_the_explaining_loop(items, key):
    """The C-speed check of design blocks / graph edges accepts exactly what the item-by-item loop accepts."""
    from gcli.errors import BadFile
    from gcli.io.json import _explain_items, _plain_items

    try:
        _explain_items(key, items)
        slow = True
    except BadFile:
        slow = False
    assert _plain_items(items, 2 if key == "graph" else None) == slow
