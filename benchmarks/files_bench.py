"""Hostile files and outputs (issue 14, classes 0, 3, 4 and 6): every reproducer, its exit status, time and memory.

Each reproducer runs ``gcli …`` (the console script of this environment) in a fresh process; the wall time and
the peak resident memory of that process (``os.wait4``'s rusage) are reported next to the exit status expected
(2 for refused input, 0 where the documented behaviour is to succeed).
The target of the issue: every refusal under 2 s and under 500 MB.

    python benchmarks/files_bench.py            # a table, and exit 1 if any reproducer misses its target
    python benchmarks/files_bench.py --json     # the same as JSON

The 200 MB code file is created sparse (no disk space used): it is refused from its size before a byte is read.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

GCLI = str(Path(sys.executable).with_name("gcli"))
"""The installed console script next to this interpreter."""
SECONDS = 2.0
MEGABYTES = 500.0


def _run(args: list[str], cwd: str, stdin: str | None = None, shell_stdin: int | None = None) -> tuple[int, float,
                                                                                                      float, str]:
    """(exit status, seconds, peak MB, stderr) of ``gcli ARGS``."""
    source = open(stdin, "rb") if stdin is not None else None
    start = time.perf_counter()
    process = subprocess.Popen([GCLI, *args], cwd=cwd,
                               stdin=source if source is not None else (shell_stdin or subprocess.DEVNULL),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    err = process.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if source is not None:
        source.close()
    return process.returncode, seconds, usage.ru_maxrss / 1024, err.strip().splitlines()[-1] if err.strip() else ""


def _reproducers(folder: Path) -> list[tuple[str, list[str], int, dict[str, object]]]:
    """(name, arguments, expected exit status, extra: stdin path, check) for every reproducer."""
    def design(path: str) -> list[str]:
        return ["design", "frc", "-n", "8", "-s", "1", "-o", path]

    subprocess.run([GCLI, *design("frc.json")], cwd=folder, check=True, capture_output=True)
    subprocess.run([GCLI, "design", "graph", "-n", "10", "--degree", "3", "-s", "1", "-o",
                    "graph.json"], cwd=folder, check=True, capture_output=True)
    subprocess.run([GCLI, "design", "reed-solomon", "-n", "8", "-s", "2", "--field",
                    "GF(17)", "-o", "rs.json"], cwd=folder, check=True, capture_output=True)
    frc = json.loads((folder / "frc.json").read_text())
    rs = json.loads((folder / "rs.json").read_text())
    graph = json.loads((folder / "graph.json").read_text())
    text = (folder / "frc.json").read_text()

    def write(name: str, content: str | bytes) -> str:
        path = folder / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return name

    with open(folder / "huge.json", "wb") as handle:  # 200 MB, sparse: refused from its size
        handle.truncate(200 * 2**20)
    os.mkfifo(folder / "fifo")
    os.mkfifo(folder / "fifo-in")
    os.mkdir(folder / "folder")
    os.symlink("loop-b", folder / "loop-a")
    os.symlink("loop-a", folder / "loop-b")
    claims = dict(frc, n=100000)
    real_big = json.loads(text)
    real_big["encoding"]["data"][0] = 10**400
    gf_big = dict(rs)
    gf_big["encoding"] = dict(rs["encoding"], data=[10**30] * len(rs["encoding"]["data"]))
    digits = text.replace('"data": [1.0', '"data": [' + "9" * 5000, 1)
    nested = '{"a": ' + "[" * 100000 + "]" * 100000 + "}"
    nan = text.replace('"data": [1.0', '"data": [NaN', 1)
    duplicate = text[:-2] + ',\n  "n": 8\n}\n'
    string_edge = json.loads(json.dumps(graph))
    string_edge["graph"]["edges"][0] = ["0", string_edge["graph"]["edges"][0][1]]
    half_edge = json.loads(json.dumps(graph))
    half_edge["graph"]["edges"][0] = [0.5, half_edge["graph"]["edges"][0][1]]
    empty = dict(frc, encoding=[])
    claim = io.BytesIO()
    np.lib.format.write_array_header_1_0(claim, {"descr": "<f8", "fortran_order": False,
                                                 "shape": (1_000_000, 1_000_000)})
    header = claim.getvalue()
    np.save(folder / "complex.npy", np.array([[1 + 2j, 1], [0, 1j]]))
    generator = ["design", "mds", "-n", "6", "-d", "3", "-o", "out.json", "--generator"]
    return [
        ("-o /dev/null stays a device", design("/dev/null"), 0, {"check": lambda: stat.S_ISCHR(
            os.stat("/dev/null").st_mode)}),
        ("-o /dev/full", design("/dev/full"), 2, {}),
        ("-o FIFO without a reader", design("fifo"), 2, {"check": lambda: stat.S_ISFIFO(
            os.stat(folder / "fifo").st_mode)}),
        ("-o 250-character name", design("a" * 250), 0, {}),
        ("-o 300-character name", design("a" * 300), 2, {}),
        ("-o symlink loop", design("loop-a"), 2, {}),
        ("-o missing folder", design("no/such/folder.json"), 2, {}),
        ("verify 200 MB file", ["verify", "huge.json"], 2, {}),
        ("compare 200 MB file", ["compare", "huge.json"], 2, {}),
        ("verify - < 200 MB file", ["verify", "-"], 2, {"stdin": "huge.json"}),
        ("verify claims n = 100000", ["verify", write("claims.json", json.dumps(claims))], 2, {}),
        ("verify --sample 7 claims n = 100000", ["verify", "--sample", "7", "claims.json"], 2, {}),
        ("--generator /dev/zero", [*generator, "/dev/zero"], 2, {}),
        ("--generator .npy claims 10^12 entries", [*generator, write("huge.npy", header)], 2, {}),
        ("--generator complex .npy", [*generator, "complex.npy"], 2, {}),
        ("real entry 10^400", ["verify", write("realbig.json", json.dumps(real_big))], 2, {}),
        ("GF(17) entry 10^30", ["verify", write("gfbig.json", json.dumps(gf_big))], 2, {}),
        ("5000-digit integer", ["verify", write("digits.json", digits)], 2, {}),
        ("nested 100000 deep", ["verify", write("nested.json", nested)], 2, {}),
        ("nested generator", [*generator, write("nested-gen.json", "[" * 100000 + "]" * 100000)], 2, {}),
        ("NaN literal", ["verify", write("nan.json", nan)], 2, {}),
        ("duplicate key", ["verify", write("duplicate.json", duplicate)], 2, {}),
        ('string edge "0"', ["verify", write("string-edge.json", json.dumps(string_edge))], 2, {}),
        ("edge 0.5", ["verify", write("half-edge.json", json.dumps(half_edge))], 2, {}),
        ("empty encoding", ["verify", write("empty.json", json.dumps(empty))], 2, {}),
        ("directory as FILE", ["verify", "folder"], 2, {}),
        # CPython itself refuses to start with a directory on stdin ("Fatal Python error: init_sys_streams",
        # exit 1) before gcli runs; gcli's own check is exercised by tests/test_fuzz_files.py in a forked child
        ("directory on stdin (CPython refuses)", ["verify", "-"], 1, {"stdin": "folder"}),
        ("symlink loop as FILE", ["verify", "loop-a"], 2, {}),
        ("/proc/self/mem", ["verify", "/proc/self/mem"], 2, {}),
        ("FIFO without a writer", ["verify", "fifo-in"], 2, {}),
        ("export 200 MB file", ["export", "huge.json"], 2, {}),
        ("simulate 200 MB file", ["simulate", "huge.json"], 2, {}),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    options = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for label, args, expected, extra in _reproducers(folder):
            stdin = extra.get("stdin")
            shell_stdin = None
            if stdin == "folder":  # a directory on standard input, as `gcli verify - < folder` gives
                shell_stdin = os.open(folder / "folder", os.O_RDONLY)
                stdin = None
            status, seconds, megabytes, err = _run(args, str(folder), str(folder / stdin) if stdin else None,
                                                   shell_stdin)
            if shell_stdin is not None:
                os.close(shell_stdin)
            check: Callable[[], bool] | None = extra.get("check")  # type: ignore[assignment]
            ok = status == expected and seconds < SECONDS and megabytes < MEGABYTES and (check is None or check())
            rows.append({"reproducer": label, "exit": status, "expected": expected, "seconds": round(seconds, 3),
                         "peak_mb": round(megabytes, 1), "ok": ok, "stderr": err[:100]})
    if options.json:
        print(json.dumps(rows, indent=1))
    else:
        print(f"{'reproducer':40s} {'exit':>4s} {'want':>4s} {'seconds':>8s} {'peak MB':>8s}  ok  message")
        for row in rows:
            print(f"{row['reproducer']:40s} {row['exit']:4d} {row['expected']:4d} {row['seconds']:8.3f} "
                  f"{row['peak_mb']:8.1f}  {'yes' if row['ok'] else 'NO ':3s} {row['stderr']}")
        print(f"max {max(r['seconds'] for r in rows):.3f} s, max {max(r['peak_mb'] for r in rows):.1f} MB "
              f"(targets {SECONDS} s, {MEGABYTES} MB)")
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
