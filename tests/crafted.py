"""The crafted-file corpus of issue 22: one builder per reproducer, the expected outcome, and an independent judge.

Not mutations of valid files chosen at random (tests/test_fuzz_files.py does that) but files and command lines
crafted to reach what the first hardening round did not cover: duplicate and extreme compressed-row entries,
overflow to inf, NaN-producing claims, huge derived sizes, empty huge dimensions, lossy integer classes, huge
edge lists and placements, the environment's files and a full standard output.

Each :class:`Case` has a name, the reproducer it stands for (``issue``), a builder that writes its files into a
folder and returns the :class:`Invocation` (argv, environment overrides, what standard output is), and the
expected outcome (``expect``):

* ``"refuse"``: exit 2 with exactly one stderr line ``gcli: error: …``;
* ``"reject"``: not certified: exit 1 (a failing set is named) or exit 2 (one line);
* ``"judge"``: exit 2 (one line), or a verdict — exit 0 (certified) or 1 (a failing set) — that agrees with
  :func:`independent_verdict`, a numpy / exact GF(p) check written here without gcli's decoding code;
* ``"bounded"``: any of exit 0, 1 or 2 (a well-behaved answer; what matters is that it ends within the limits).

Every case, whatever its expectation, must end without exit 3, a signal, a traceback, and (for exit 2) with one
line: :func:`problems` lists what an outcome gets wrong. ``forbid`` lists texts stdout must not contain (e.g.
``CERTIFIED`` for a structure rebuilt from NaN). The corpus is run by tests/test_crafted.py (forked children of
tests/fuzzrun.py under 500 MB) and by ``python benchmarks/fuzz_bench.py --crafted`` (whole processes: exit
status, wall time, peak memory, verdicts, and the totals line of issue 22's "Done when").

Example:
    >>> [case.name for case in CASES][:2]
    ['csr-duplicate-1e308-verify', 'csr-duplicate-1e308-export']
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "CASES",
    "Case",
    "Invocation",
    "base_design",
    "build",
    "independent_verdict",
    "problems",
    "stdout_closed",
    "stdout_full",
    "wrong_verdict",
]

Expect = str  # "refuse" | "reject" | "judge" | "bounded"


@dataclass(frozen=True)
class Invocation:
    """What to run: ``gcli ARGV`` with ``ENV`` added to the environment and standard output as ``stdout``
    (``"file"``: an ordinary file, ``"full"``: ``/dev/full``, ``"closed"``: file descriptor 1 closed)."""

    argv: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)
    stdout: str = "file"
    code: Path | None = None
    """The code file a verdict is about (``judge`` cases): :func:`independent_verdict` reads it."""


@dataclass(frozen=True)
class Case:
    """One crafted reproducer (module docstring)."""

    name: str
    issue: str
    build: Callable[[Path], Invocation]
    expect: Expect
    fix: str
    """The branch of issue 22 whose fix this case judges (harden-readers, harden-verdicts, harden-runtime)."""
    forbid: tuple[str, ...] = ()
    big: bool = False
    """The builder writes tens of MB (generated once per session, never committed)."""


# ---------------------------------------------------------------------------------------------------------------
# base designs: real files gcli writes, which the builders mutate
# ---------------------------------------------------------------------------------------------------------------
BASES: dict[str, tuple[str, ...]] = {
    "frc": ("design", "frc", "-n", "4", "-s", "1"),
    "crc": ("design", "crc", "-n", "4", "-s", "1"),
    "rs7": ("design", "reed-solomon", "-n", "5", "-s", "1", "--field", "GF(7)"),
    "rs17": ("design", "reed-solomon", "-n", "5", "-s", "1", "--field", "GF(17)"),
    "rs251": ("design", "reed-solomon", "-n", "5", "-s", "1", "--field", "GF(251)"),
    "bibd-polynomial": ("design", "bibd", "-v", "7", "--block-size", "3", "--method", "polynomial"),
    "graph400": ("design", "graph", "-n", "400", "--degree", "4", "-s", "1", "--encoding", "csr"),
    "hcode65537": ("design", "hierarchical", "--relays", "2", "--cluster-sizes", "3", "--field", "GF(65537)"),
}


def base_design(folder: Path, name: str) -> dict[str, Any]:
    """The parsed file of base design ``name`` (:data:`BASES`), written by gcli into ``folder`` once."""
    path = folder / f"base-{name}.json"
    if not path.exists():
        from gcli.cli import main

        sink = io.StringIO()
        with contextlib.suppress(SystemExit), contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            main([*BASES[name], "-o", str(path)], prog_name="gcli")
        if not path.exists():
            raise RuntimeError(f"gcli {' '.join(BASES[name])} wrote nothing: {sink.getvalue()[-500:]}")
    return json.loads(path.read_text(encoding="utf-8"))


def _write(folder: Path, name: str, obj: Any) -> Path:
    path = folder / name
    path.write_text(json.dumps(obj), encoding="utf-8")
    return path


def _dense(encoding: Any) -> list[list[Any]]:
    """Dense rows of a file's encoding (plain rows, or compressed rows expanded)."""
    if isinstance(encoding, list):
        return [list(row) for row in encoding]
    rows, cols = encoding["shape"]
    out = [[0] * cols for _ in range(rows)]
    ptr = encoding["indptr"]
    for i in range(rows):
        for at in range(ptr[i], ptr[i + 1]):
            out[i][encoding["indices"][at]] += encoding["data"][at]
    return out


def _csr(rows: list[list[Any]]) -> dict[str, Any]:
    indptr, indices, data = [0], [], []
    for row in rows:
        for j, value in enumerate(row):
            if value != 0:
                indices.append(j)
                data.append(value)
        indptr.append(len(indices))
    return {"format": "csr", "shape": [len(rows), len(rows[0])], "indptr": indptr, "indices": indices, "data": data}


# ---------------------------------------------------------------------------------------------------------------
# the builders
# ---------------------------------------------------------------------------------------------------------------
def _csr_duplicate(folder: Path, base: str, row: int, values: tuple[Any, Any]) -> Path:
    """The base code in compressed rows, row ``row`` holding its first column twice with ``values``."""
    obj = base_design(folder, base)
    rows = _dense(obj["encoding"])
    csr = _csr(rows)
    start = csr["indptr"][row]
    column = csr["indices"][start]
    csr["indices"][start:start + 1] = [column, column]
    csr["data"][start:start + 1] = list(values)
    csr["indptr"][row + 1:] = [p + 1 for p in csr["indptr"][row + 1:]]
    obj["encoding"] = csr
    return _write(folder, f"duplicate-{base}.json", obj)


def _duplicate_real_verify(folder: Path) -> Invocation:
    return Invocation(("verify", "-q", str(_csr_duplicate(folder, "frc", 0, (1e308, 1e308)))))


def _duplicate_real_export(folder: Path) -> Invocation:
    return Invocation(("export", "--format", "json", str(_csr_duplicate(folder, "frc", 0, (1e308, 1e308)))))


def _duplicate_gf(folder: Path) -> Invocation:
    # row 0 of the GF(7) code starts with 1: held twice as 5 and 5, an integer sum of 10 (out of range; 3 in GF(7)):
    # read either way the row is no longer a polynomial code's row and the code is not decodable (checked by
    # independent_verdict on the field-sum reading), so no reading certifies it
    return Invocation(("verify", "-q", str(_csr_duplicate(folder, "rs7", 0, (5, 5)))))


def _csr_extreme(folder: Path) -> Invocation:
    """Distinct entries of ±1.7e308 in one compressed row: finite, but their squares and sums overflow to inf."""
    obj = base_design(folder, "frc")
    rows = _dense(obj["encoding"])
    rows[0] = [1.7e308, -1.7e308, 0.0, 0.0]
    rows[1] = [1.7e308, 1.7e308, 0.0, 0.0]
    obj["encoding"] = _csr(rows)
    path = _write(folder, "csr-extreme.json", obj)
    return Invocation(("verify", "-q", str(path)), code=path)


def _dense_extreme(folder: Path) -> Invocation:
    obj = base_design(folder, "frc")
    obj["encoding"][0][0] = 1.7e308
    path = _write(folder, "dense-1.7e308.json", obj)
    return Invocation(("verify", "-q", str(path)), code=path)


def _dense_overflow_rows(folder: Path) -> Invocation:
    """Every entry 1e308: a scaled copy of a valid code (X = 1e-308·…), whose norms and products overflow."""
    obj = base_design(folder, "frc")
    obj["encoding"] = [[1e308 * value for value in row] for row in obj["encoding"]]
    path = _write(folder, "dense-1e308-scaled.json", obj)
    return Invocation(("verify", "-q", str(path)), code=path)


def _bibd_nan_points(folder: Path) -> Invocation:
    obj = base_design(folder, "bibd-polynomial")
    obj["construction"]["points"] = [1e300 * i for i in range(len(obj["construction"]["points"]))]
    obj["encoding"] = [[0.5 if value != 0 else 0.0 for value in row] for row in obj["encoding"]]  # arbitrary
    path = _write(folder, "bibd-nan-points.json", obj)
    return Invocation(("verify", str(path)), code=path)


def _crc_inexact_zero(scheme: str) -> Callable[[Path], Invocation]:
    """The crc code marked ``"exact": false`` with an all-zero encoding, its scheme spelled ``scheme``."""

    def build(folder: Path) -> Invocation:
        obj = base_design(folder, "crc")
        obj["exact"] = False
        obj["scheme"] = scheme
        obj["encoding"] = [[0.0] * len(row) for row in obj["encoding"]]
        path = _write(folder, f"crc-inexact-zero-{scheme.strip() or 'blank'}-{len(scheme)}.json", obj)
        return Invocation(("verify", str(path)), code=path)

    return build


def _fixed_decoder_nan(folder: Path) -> Invocation:
    """n = k = 400 (n·k = 160,000 > 10⁵: the fixed-decoder path), every entry 1/n — a valid code whose documented
    decoder n/|F|·1 is exact — except that every row holds column 0 twice, as 1e308 and 1e308: the column sum and
    each missing row's contribution overflow to inf, and inf − inf makes every residual NaN."""
    n = 400
    indptr, indices, data = [0], [], []
    for _ in range(n):
        indices += [0, *range(n)]
        data += [1e308, 1e308, *([1 / n] * (n - 1))]
        indptr.append(len(indices))
    obj = {"format": "gcli.code", "format_version": 1, "scheme": "graph", "exact": True, "field": {"kind": "real"},
           "n": n, "k": n, "s": 1, "m": 1, "a": 0, "d": n, "assignment": [list(range(n))] * n,
           "encoding": {"format": "csr", "shape": [n, n], "indptr": indptr, "indices": indices, "data": data},
           "construction": {"n": n, "s": 1, "decoder": {"kind": "fixed", "weight": n / (n - 1)}},
           "provenance": {"gcli_version": "0.1.0"}}
    path = _write(folder, "fixed-decoder-nan.json", obj)
    return Invocation(("verify", str(path)))


def _fixed_decoder_nan_distinct(folder: Path) -> Invocation:
    """The same without duplicate entries: n = k = 320 (n·k = 102,400), s = 2, every entry 1/n except column 0,
    1e308 in every row. Column 0 sums to inf, and so do the two missing rows of every set (2·10³⁰⁸): inf − inf."""
    n = 320
    indptr, indices, data = [0], [], []
    for _ in range(n):
        indices += list(range(n))
        data += [1e308, *([1 / n] * (n - 1))]
        indptr.append(len(indices))
    obj = {"format": "gcli.code", "format_version": 1, "scheme": "graph", "exact": True, "field": {"kind": "real"},
           "n": n, "k": n, "s": 2, "m": 1, "a": 0, "d": n, "assignment": [list(range(n))] * n,
           "encoding": {"format": "csr", "shape": [n, n], "indptr": indptr, "indices": indices, "data": data},
           "construction": {"n": n, "s": 2, "decoder": {"kind": "fixed", "weight": n / (n - 2)}},
           "provenance": {"gcli_version": "0.1.0"}}
    path = _write(folder, "fixed-decoder-nan-distinct.json", obj)
    return Invocation(("verify", str(path)))


def _duplicate_gf_export(folder: Path) -> Invocation:
    return Invocation(("export", "--format", "json", str(_csr_duplicate(folder, "rs7", 0, (5, 5)))))


def _huge_m(m: int) -> Callable[[Path], Invocation]:
    def build(folder: Path) -> Invocation:
        obj = base_design(folder, "frc")
        obj.update(n=4, k=1, m=m, s=1, d=1, assignment=[[0]] * 4)
        obj["encoding"] = {"format": "csr", "shape": [4, m], "indptr": [0, 1, 2, 3, 4], "indices": [0, 1, 2, 3],
                           "data": [1.0, 1.0, 1.0, 1.0]}
        obj["construction"] = {"n": 4, "k": 1, "s": 1, "m": m}
        return Invocation(("verify", "-q", str(_write(folder, f"huge-m-{m}.json", obj))))

    return build


def _million_workers(folder: Path) -> Path:
    """n = k = 10⁶, the identity encoding claimed to tolerate s = 1 (false: no worker is redundant)."""
    path = folder / "million-workers.json"
    if path.exists():
        return path
    n = 10**6
    head = {"format": "gcli.code", "format_version": 1, "scheme": "frc", "exact": True, "field": {"kind": "real"},
            "n": n, "k": n, "s": 1, "m": 1, "a": 0, "d": 1}
    text = json.dumps(head)[:-1]
    assignment = ",".join(f"[{i}]" for i in range(n))
    encoding = {"format": "csr", "shape": [n, n]}
    parts = [text, f', "assignment": [{assignment}]', ', "encoding": ', json.dumps(encoding)[:-1],
             ', "indptr": [', ",".join(map(str, range(n + 1))), '], "indices": [', ",".join(map(str, range(n))),
             '], "data": [', ",".join(["1.0"] * n), ']}, "construction": {"n": 1000000, "k": 1000000, "s": 1}, ',
             '"provenance": {"gcli_version": "0.1.0"}}']
    path.write_text("".join(parts), encoding="utf-8")
    return path


def _million(*command: str) -> Callable[[Path], Invocation]:
    def build(folder: Path) -> Invocation:
        return Invocation((*command, str(_million_workers(folder))))

    return build


def _npz_empty(rows: int) -> Callable[[Path], Invocation]:
    def build(folder: Path) -> Invocation:
        obj = base_design(folder, "frc")
        meta = {k: v for k, v in obj.items() if k not in ("encoding", "assignment")}
        path = folder / f"empty-{rows}.npz"
        np.savez(path, format=np.asarray("gcli.code"), format_version=np.asarray(1, dtype=np.int64),
                 meta=np.asarray(json.dumps(meta)), encoding=np.zeros((rows, 0)),
                 assignment=np.zeros((rows, 0), dtype=np.uint8))
        return Invocation(("verify", "-q", str(path)))

    return build


# MAT 5 files written here byte by byte (not by scipy): a matrix's class and its data type are independent fields
_MI = {"int8": 1, "uint8": 2, "int32": 5, "uint32": 6, "double": 9, "int64": 12, "utf8": 16}
_MX = {"char": 4, "double": 6, "uint8": 9, "int64": 14}


def _mat_element(kind: int, payload: bytes) -> bytes:
    return struct.pack("<II", kind, len(payload)) + payload + b"\0" * (-len(payload) % 8)


def _mat_matrix(name: str, cls: str, dims: Sequence[int], data_type: str, payload: bytes) -> bytes:
    body = _mat_element(_MI["uint32"], struct.pack("<II", _MX[cls], 0))
    body += _mat_element(_MI["int32"], struct.pack(f"<{len(dims)}i", *dims))
    body += _mat_element(_MI["int8"], name.encode("ascii"))
    body += _mat_element(_MI[data_type], payload)
    return _mat_element(14, body)


def _mat_text(name: str, text: str) -> bytes:
    data = text.encode("utf-8")
    return _mat_matrix(name, "char", (1, len(data)), "utf8", data)


def mat_file(meta: dict[str, Any], encoding: tuple[str, Sequence[int], str, bytes],
             assignment: np.ndarray | None) -> bytes:
    """A MAT 5 file as gcli's exports lay it out (``format``, ``format_version``, ``meta``, ``encoding``,
    ``assignment``), the encoding given as (class, dims, data type, column-major payload)."""
    header = b"MATLAB 5.0 MAT-file, crafted for gcli's tests".ljust(116, b" ") + b"\0" * 8 + struct.pack("<H", 0x0100)
    out = header + b"IM"
    out += _mat_text("format", "gcli.code")
    out += _mat_matrix("format_version", "int64", (1, 1), "int64", struct.pack("<q", 1))
    out += _mat_text("meta", json.dumps(meta))
    out += _mat_matrix("encoding", *encoding)
    if assignment is not None:
        out += _mat_matrix("assignment", "uint8", assignment.shape, "uint8",
                           np.asarray(assignment, dtype=np.uint8).tobytes(order="F"))
    return out


def _support(obj: dict[str, Any]) -> np.ndarray:
    support = np.zeros((obj["n"], obj["k"]), dtype=np.uint8)
    for i, row in enumerate(obj["assignment"]):
        support[i, row] = 1
    return support


def _mat_lossy(base: str, cls: str, tamper: Callable[[np.ndarray], None]) -> Callable[[Path], Invocation]:
    """A GF code whose MAT class is integer (``cls``) while its values are stored as doubles that the class cannot
    hold exactly (``tamper`` edits them)."""

    def build(folder: Path) -> Invocation:
        obj = base_design(folder, base)
        meta = {k: v for k, v in obj.items() if k not in ("encoding", "assignment")}
        values = np.asarray(obj["encoding"], dtype=np.float64)
        tamper(values)
        payload = values.tobytes(order="F")
        data = mat_file(meta, (cls, values.shape, "double", payload), _support(obj))
        path = folder / f"lossy-{base}-{cls}{tamper.__name__}.mat"
        path.write_bytes(data)
        return Invocation(("verify", "-q", str(path)))

    return build


def _plus_fraction(values: np.ndarray) -> None:
    i, j = np.argwhere(values != 0)[0]
    values[i, j] += 0.7  # e.g. 16 → 16.7, read as 16 by a truncating cast


def _plus_256(values: np.ndarray) -> None:
    i, j = np.argwhere(values != 0)[0]
    values[i, j] += 256  # read back modulo 256 by a wrapping uint8 cast


def _nan(values: np.ndarray) -> None:
    values[0, 0] = np.nan


def _mat_empty(rows: int) -> Callable[[Path], Invocation]:
    def build(folder: Path) -> Invocation:
        obj = base_design(folder, "frc")
        meta = {k: v for k, v in obj.items() if k not in ("encoding", "assignment")}
        path = folder / f"empty-{rows}.mat"
        path.write_bytes(mat_file(meta, ("double", (rows, 0), "double", b""), None))
        return Invocation(("verify", "-q", str(path)))

    return build


def _npz_lossy(folder: Path) -> Invocation:
    """The npz counterpart: a GF(17) code whose encoding is stored as float64 with 16.7 (never truncated)."""
    obj = base_design(folder, "rs17")
    meta = {k: v for k, v in obj.items() if k not in ("encoding", "assignment")}
    values = np.asarray(obj["encoding"], dtype=np.float64)
    _plus_fraction(values)
    path = folder / "lossy-rs17.npz"
    np.savez(path, format=np.asarray("gcli.code"), format_version=np.asarray(1, dtype=np.int64),
             meta=np.asarray(json.dumps(meta)), encoding=values, assignment=_support(obj))
    return Invocation(("verify", "-q", str(path)))


LOWERED_DENSE = "400"
"""GCLI_MAX_DENSE_ENTRIES for the dense-over-limit cases: a 24 × 24 file (576 entries) is beyond it."""


def _dense_frc_rows(n: int) -> list[list[float]]:
    """frc with groups of two workers holding two partitions each (n even): a valid code with s = 1."""
    rows = []
    for i in range(n):
        group = i // 2
        rows.append([1.0 if j // 2 == group else 0.0 for j in range(n)])
    return rows


def _dense_over_limit_json(folder: Path) -> Invocation:
    obj = base_design(folder, "frc")
    n = 24
    rows = _dense_frc_rows(n)
    obj.update(n=n, k=n, assignment=[[j for j in range(n) if rows[i][j]] for i in range(n)], encoding=rows)
    obj["construction"] = {"n": n, "k": n, "s": 1}
    path = _write(folder, "dense-over-limit.json", obj)
    return Invocation(("verify", "-q", str(path)), env={"GCLI_MAX_DENSE_ENTRIES": LOWERED_DENSE}, code=path)


def _dense_over_limit_csv(folder: Path) -> Invocation:
    obj = base_design(folder, "frc")
    n = 24
    rows = _dense_frc_rows(n)
    meta = {k: v for k, v in obj.items() if k not in ("encoding",)}
    meta.update(n=n, k=n, assignment=[[j for j in range(n) if rows[i][j]] for i in range(n)])
    meta["construction"] = {"n": n, "k": n, "s": 1}
    lines = ["# gcli.code csv 1", "# " + json.dumps(meta)] + [",".join(map(repr, row)) for row in rows]
    path = folder / "dense-over-limit.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code = _write(folder, "dense-over-limit-csv.json", {**meta, "encoding": rows})
    return Invocation(("verify", "-q", str(path)), env={"GCLI_MAX_DENSE_ENTRIES": LOWERED_DENSE}, code=code)


def _dense_rows_30m(kind: str) -> Callable[[Path], Invocation]:
    """A dense encoding of 1,000 × 30,000 = 3·10⁷ entries (over the default GCLI_MAX_DENSE_ENTRIES of 2·10⁷, n × n
    well within it): worker i holds partitions 30i … 30i + 29 (a valid code with s = 0), about 60 MB of text."""

    def build(folder: Path) -> Invocation:
        n, k = 1000, 30_000
        path = folder / f"dense-30M.{kind}"
        if path.exists():
            return Invocation(("verify", "-q", str(path)))
        meta = {"format": "gcli.code", "format_version": 1, "scheme": "frc", "exact": True,
                "field": {"kind": "real"}, "n": n, "k": k, "s": 0, "m": 1, "a": 0, "d": 30,
                "assignment": [list(range(30 * i, 30 * i + 30)) for i in range(n)],
                "construction": {"n": n, "k": k, "s": 0}, "provenance": {"gcli_version": "0.1.0"}}
        rows = (b",".join([b"0"] * (30 * i) + [b"1"] * 30 + [b"0"] * (k - 30 * i - 30)) for i in range(n))
        with open(path, "wb") as handle:
            if kind == "csv":
                handle.write(b"# gcli.code csv 1\n# " + json.dumps(meta).encode() + b"\n")
                for row in rows:
                    handle.write(row + b"\n")
            else:
                handle.write(json.dumps(meta)[:-1].encode() + b', "encoding": [')
                for i, row in enumerate(rows):
                    handle.write((b"," if i else b"") + b"[" + row + b"]")
                handle.write(b"]}")
        return Invocation(("verify", "-q", str(path)))

    return build


def _edge_list(folder: Path) -> Invocation:
    path = folder / "repeated-edges.txt"
    if not path.exists():
        block = b"0 1\n1 2\n2 0\n" * 4096
        with open(path, "wb") as handle:
            for _ in range(60 * 2**20 // len(block)):
                handle.write(block)
    return Invocation(("design", "graph", "--from", str(path), "-s", "1", "-o", str(folder / "edges-code.json")))


def _hcode_points(*command: str) -> Callable[[Path], Invocation]:
    def build(folder: Path) -> Invocation:
        obj = base_design(folder, "hcode65537")
        obj["clusters"][0]["worker_points"][0] = 10**30
        return Invocation((*command, str(_write(folder, "hcode-huge-point.json", obj))))

    return build


def _placement(name: str, placement: Any, *options: str) -> Callable[[Path], Invocation]:
    def build(folder: Path) -> Invocation:
        path = folder / f"placement-{name}.json"
        if not path.exists():
            path.write_text(json.dumps(placement), encoding="utf-8")
        return Invocation(("design", "hierarchical", "--placement", str(path), *options,
                           "-o", str(folder / f"placement-{name}-code.json")))

    return build


def _brouwer(content: str, name: str) -> Callable[[Path], Invocation]:
    def build(folder: Path) -> Invocation:
        path = folder / f"brouwer-{name}.json"
        path.write_text(content, encoding="utf-8")
        # srg(75, 32, 10, 16) is feasible and neither built by gcli nor in its list of known graphs: the table is read
        return Invocation(("bound", "exists", "srg", "75", "32", "10", "16"), env={"GCLI_BROUWER_TABLE": str(path)})

    return build


def _deep_json(folder: Path) -> Invocation:
    path = folder / "nested-2MB.json"
    if not path.exists():
        path.write_bytes(b"[" * 2**20 + b"]" * 2**20)
    return Invocation(("verify", "-q", str(path)), env={"GCLI_MAX_JSON_DEPTH": "10000000"})


def _stdout(kind: str) -> Callable[[Path], Invocation]:
    def build(folder: Path) -> Invocation:
        return Invocation(("design", "frc", "-n", "4", "-s", "1"), stdout=kind)

    return build


def _command(*argv: str) -> Callable[[Path], Invocation]:
    def build(folder: Path) -> Invocation:
        return Invocation(tuple(argv))

    return build


CASES: list[Case] = [
    Case("csr-duplicate-1e308-verify", "CSR duplicate (row, column) entry of 1e308 sums to inf after the finiteness "
         "check; LAPACK's SVD never returns, signals ignored", _duplicate_real_verify, "reject", "harden-readers"),
    Case("csr-duplicate-1e308-export", "the same file hangs export --format json", _duplicate_real_export, "refuse",
         "harden-readers"),
    Case("csr-duplicate-gf", "over GF(q) a duplicate entry sums to a value >= q (exit 3)", _duplicate_gf, "reject",
         "harden-readers"),
    Case("csr-duplicate-gf-export", "the GF(7) duplicate (5 + 5 = 10 >= 7) through export --format json",
         _duplicate_gf_export, "refuse", "harden-readers"),
    Case("csr-extreme-1.7e308", "extreme distinct CSR entries: products and norms overflow to inf", _csr_extreme,
         "judge", "harden-readers"),
    Case("dense-1.7e308", "a dense entry of 1.7e308 (finite) makes the SVD fail to converge (exit 3)",
         _dense_extreme, "judge", "harden-readers"),
    Case("dense-1e308-scaled", "every entry 1e308: norms overflow to inf", _dense_overflow_rows, "bounded",
         "harden-readers"),
    Case("bibd-polynomial-points-1e300", "bibd --method polynomial with construction.points 1e300·i: NaN rule, "
         "structure CERTIFIED for an arbitrary encoding", _bibd_nan_points, "reject", "harden-verdicts",
         forbid=("CERTIFIED",)),
    *[Case(f"crc-exact-false-zero{label}", f"crc file (scheme {scheme!r}) with \"exact\": false and an all-zero "
           "encoding is certified", _crc_inexact_zero(scheme), "reject", "harden-verdicts")
      for label, scheme in (("", "crc"), ("-CRC", "CRC"), ("-crc-space", "crc "))],
    Case("fixed-decoder-nan-residuals", "fixed-decoder path (m = 1, n·k > 1e5): weight 0 and column sums of inf "
         "give NaN residuals counted as decoded", _fixed_decoder_nan, "reject", "harden-verdicts",
         forbid=("400 decode exactly",)),
    Case("fixed-decoder-nan-distinct", "the NaN residuals without duplicate entries: s = 2 missing rows of 1e308 "
         "against a column sum of inf", _fixed_decoder_nan_distinct, "reject", "harden-verdicts",
         forbid=("51040 decode exactly",)),
    *[Case(f"sparse-n4-k1-m{m}", f"400-byte sparse file n = 4, k = 1, m = {m} allocates the m × k·m target",
           _huge_m(m), "reject", "harden-readers") for m in (10**4, 10**5, 10**6)],
    Case("million-workers-verify", "7 MB file with n = 10⁶: 35 s then MemoryError", _million("verify", "-q"),
         "reject", "harden-readers", big=True),
    Case("million-workers-sample", "n = 10⁶ with --sample 5: 19 s and 757 MB",
         _million("verify", "-q", "--sample", "5"), "reject", "harden-readers", big=True),
    Case("million-workers-simulate", "n = 10⁶ through simulate: refused only after 15 s",
         _million("simulate", "-T", "2"), "bounded", "harden-readers", big=True),
    Case("npz-empty-2^31-1", "npz encoding of shape (2³¹−1, 0): a billion empty rows", _npz_empty(2**31 - 1),
         "refuse", "harden-readers"),
    Case("mat-empty-1e9", "MAT encoding of shape (10⁹, 0)", _mat_empty(10**9), "refuse", "harden-readers"),
    Case("dense-json-over-limit", "dense JSON encoding not checked against GCLI_MAX_DENSE_ENTRIES (lowered to "
         f"{LOWERED_DENSE})", _dense_over_limit_json, "refuse", "harden-readers"),
    Case("dense-csv-over-limit", "dense CSV encoding not checked against GCLI_MAX_DENSE_ENTRIES (lowered to "
         f"{LOWERED_DENSE})", _dense_over_limit_csv, "refuse", "harden-readers"),
    Case("dense-json-30M", "a 30M-entry dense JSON file (default limit 2·10⁷) reaches LAPACK",
         _dense_rows_30m("json"), "refuse", "harden-readers", big=True),
    Case("dense-csv-30M", "a 30M-entry dense CSV file (default limit 2·10⁷) reaches LAPACK", _dense_rows_30m("csv"),
         "refuse", "harden-readers", big=True),
    Case("mat-int64-16.7", "MAT int64 class holding 16.7 read as 16, then certified",
         _mat_lossy("rs17", "int64", _plus_fraction), "reject", "harden-readers"),
    Case("mat-uint8-261", "MAT uint8 class holding 261 read as 5 (wrap), then certified",
         _mat_lossy("rs251", "uint8", _plus_256), "reject", "harden-readers"),
    Case("mat-int64-nan", "MAT int64 class holding NaN read as INT64_MIN", _mat_lossy("rs17", "int64", _nan),
         "reject", "harden-readers"),
    Case("npz-float-16.7", "npz GF code stored as float64 with 16.7 (control: refused on main)", _npz_lossy,
         "reject", "harden-readers"),
    Case("edge-list-60MB", "design graph --from a 60 MB edge list (3 edges repeated): MemoryError at 1.8 GB",
         _edge_list, "bounded", "harden-readers", big=True),
    Case("hcode-point-1e30-verify", "hcode worker_points 10³⁰ over GF(65537): OverflowError",
         _hcode_points("verify", "-q"), "refuse", "harden-readers"),
    Case("hcode-point-1e30-simulate", "the same hcode through verify --simulate",
         _hcode_points("verify", "-q", "--simulate", "2"), "refuse", "harden-readers"),
    Case("placement-1000-relays", "--placement with 1,000 relays of 1 worker: MemoryError",
         _placement("1000x1", [[[i]] for i in range(1000)]), "bounded", "harden-readers"),
    Case("placement-5000-relays-real", "--placement with 5,000 relays over the reals: LAPACK failure after 23 s",
         _placement("5000x1", [[[i]] for i in range(5000)]), "bounded", "harden-readers"),
    Case("placement-5000-relays-gf", "--placement with 5,000 relays over GF(65537): no answer in 40 s",
         _placement("5000x1", [[[i]] for i in range(5000)], "--field", "GF(65537)"), "bounded", "harden-readers"),
    Case("placement-2x5000x200", "2 clusters × 5,000 workers × 200 partitions: a 37 GiB request",
         _placement("2x5000x200", [[list(range(c * 200, c * 200 + 200))] * 5000 for c in range(2)]), "bounded",
         "harden-readers"),
    Case("brouwer-table-deep", "GCLI_BROUWER_TABLE nested 100,000 deep: RecursionError (exit 3)",
         _brouwer("[" * 100_000 + "]" * 100_000, "deep"), "refuse", "harden-readers"),
    Case("brouwer-table-1e999", "GCLI_BROUWER_TABLE with 1e999: OverflowError (exit 3)",
         _brouwer('[[1e999, 32, 10, 16, "open", ""]]', "1e999"), "refuse", "harden-readers"),
    Case("json-depth-raised-2MB", "GCLI_MAX_JSON_DEPTH raised, 2 MB nested file: quadratic depth check, over 30 s",
         _deep_json, "refuse", "harden-readers"),
    Case("bound-hierarchical-300", "bound hierarchical --relays 300 --workers 300 --load 1/2: over 40 s",
         _command("bound", "hierarchical", "--relays", "300", "--cluster-sizes", "300", "--load-fraction", "1/2"),
         "bounded", "harden-runtime"),
    Case("stdout-dev-full", "stdout on /dev/full: exit 3 (README promises exit 2)", _stdout("full"), "refuse",
         "harden-runtime"),
    Case("stdout-closed", "stdout closed: design exits 0 having written nothing", _stdout("closed"), "refuse",
         "harden-runtime"),
]
"""The corpus, in the order of issue 22."""


def build(case: Case, folder: Path) -> Invocation:
    """Write ``case``'s files into ``folder`` (shared by the cases of one run: base designs are reused)."""
    folder.mkdir(parents=True, exist_ok=True)
    return case.build(folder)


# ---------------------------------------------------------------------------------------------------------------
# how a child's standard output is set up (module-level: fuzzrun pickles them by name)
# ---------------------------------------------------------------------------------------------------------------
def stdout_full() -> None:
    """In a forked child: standard output on /dev/full (every write fails with ENOSPC)."""
    fd = os.open("/dev/full", os.O_WRONLY)
    os.dup2(fd, 1)
    os.close(fd)


def stdout_closed() -> None:
    """In a forked child: file descriptor 1 closed."""
    import sys

    os.close(1)
    sys.stdout = None  # what Python sets when it starts with descriptor 1 closed


# ---------------------------------------------------------------------------------------------------------------
# the independent judge
# ---------------------------------------------------------------------------------------------------------------
def _gf_prime_in_span(rows: list[list[int]], target: list[int], p: int) -> bool:
    """Whether ``target`` is a GF(p)-combination of ``rows`` (Gaussian elimination mod p, p prime)."""
    basis: list[tuple[int, list[int]]] = []  # (pivot column, row with 1 there)
    def reduce(vector: list[int]) -> list[int]:
        vector = [x % p for x in vector]
        for pivot, row in basis:
            factor = vector[pivot]
            if factor:
                vector = [(a - factor * b) % p for a, b in zip(vector, row, strict=True)]
        return vector

    for row in rows:
        reduced = reduce(row)
        pivot = next((j for j, x in enumerate(reduced) if x), None)
        if pivot is None:
            continue
        inverse = pow(reduced[pivot], p - 2, p)
        reduced = [x * inverse % p for x in reduced]
        basis = [(q, [(a - r[pivot] * b) % p for a, b in zip(r, reduced, strict=True)]) for q, r in basis]
        basis.append((pivot, reduced))
    return not any(reduce(target))


def _real_in_span(rows: np.ndarray, target: np.ndarray, tolerance: float = 1e-7) -> bool:
    """Whether ``target`` is (to ``tolerance``, relative) a real combination of ``rows``: each row is first scaled by
    a power of two (exact) so that its largest entry lies in [0.5, 1), then numpy's least squares."""
    if not np.all(np.isfinite(rows)):
        return False
    peaks = np.max(np.abs(rows), axis=1)
    keep = peaks > 0
    if not np.any(keep):
        return not np.any(target)
    _, exponents = np.frexp(peaks[keep])
    scaled = np.ldexp(rows[keep], -exponents[:, None])
    solution, *_ = np.linalg.lstsq(scaled.T, target, rcond=None)
    residual = np.linalg.norm(scaled.T @ solution - target)
    return bool(residual <= tolerance * max(1.0, float(np.linalg.norm(target))))


def independent_verdict(path: Path) -> bool:
    """Whether the code in JSON file ``path`` (m = 1, a = 0, prime field or reals) recovers the sum of all k
    partitions from every n − s workers: the all-ones row lies in the span of their encoding rows. Written with
    numpy and Python integers only (no gcli code), for the small codes of the ``judge`` cases."""
    obj = json.loads(Path(path).read_text(encoding="utf-8"))
    n, k, s = int(obj["n"]), int(obj["k"]), int(obj["s"])
    if int(obj.get("m", 1)) != 1 or int(obj.get("a", 0)) != 0 or n > 40:
        raise ValueError(f"{path}: the independent check covers small codes with m = 1 and a = 0")
    rows = _dense(obj["encoding"])
    real = obj["field"]["kind"] == "real"
    for survivors in itertools.combinations(range(n), n - s):
        chosen = [rows[i] for i in survivors]
        if real:
            if not _real_in_span(np.asarray(chosen, dtype=np.float64), np.ones(k)):
                return False
        else:
            p = int(obj["field"]["order"])
            if int(obj["field"]["degree"]) != 1:
                raise ValueError("the independent check covers prime fields only")
            if not _gf_prime_in_span([[int(x) for x in row] for row in chosen], [1] * k, p):
                return False
    return True


def problems(case: Case, invocation: Invocation, status: int | None, signal: int | None, stdout: str,
             stderr: str) -> list[str]:
    """What an outcome gets wrong for ``case`` (empty: as expected). Never looks at time or memory (the callers
    measure those)."""
    out: list[str] = []
    if signal is not None:
        return [f"killed by signal {signal}"]
    if "Traceback" in stderr:
        out.append("a traceback on stderr")
    if status == 3:
        out.append("exit 3 (internal error)")
    elif status not in (0, 1, 2):
        out.append(f"exit {status}")
    if status == 2:
        lines = stderr.strip("\n").split("\n")
        if len(lines) != 1 or not lines[0].startswith("gcli: error: "):
            out.append(f"exit 2 with {len(lines)} stderr lines (one 'gcli: error:' line expected)")
    for text in case.forbid:
        if text in stdout:
            out.append(f"stdout says {text!r}")
    if out or status not in (0, 1, 2):
        return out
    if case.expect == "refuse" and status != 2:
        out.append(f"exit {status}, a refusal (exit 2) expected")
    elif case.expect == "reject" and status == 0:
        out.append("exit 0: certified, but the file must not be")
    elif case.expect == "judge" and status in (0, 1):
        assert invocation.code is not None
        truth = independent_verdict(invocation.code)
        if truth != (status == 0):
            out.append(f"wrong verdict: exit {status}, the independent check says "
                       f"{'valid' if truth else 'not decodable'}")
    if status == 1 and case.expect in ("reject", "judge") and "failing" not in stdout + stderr:
        out.append("exit 1 without naming a failing set")
    return out


def wrong_verdict(problem_list: list[str]) -> bool:
    """Whether the problems include a wrong verdict (a certificate the file must not get, or a wrong exit 0/1)."""
    return any(p.startswith(("wrong verdict", "exit 0: certified", "stdout says")) for p in problem_list)

