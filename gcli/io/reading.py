"""Reading input files within bounds: the one loader behind every file gcli reads.

Code files (``verify``, ``compare``, ``export``, ``simulate``), hierarchical codes, ``--generator`` matrices,
``--placement`` files and graphs (``design graph --from``) all come through :func:`read_bounded`, and the JSON
among them through :func:`parse_json`, so a hostile or mistaken file costs at most a bounded amount of time and
memory and is answered with one :class:`~gcli.errors.InputError` line:

* **what is read**: a regular file, standard input (``-``), a pipe or a character device; directories, block
  devices, sockets, symbolic-link loops and unreadable files are refused with the system's reason. A named FIFO
  is read like standard input (gcli waits for its writer; one that has no writer at all reads as empty);
* **how much**: at most ``max_file_bytes`` (:mod:`gcli.io.limits`, default 64 MiB, ``GCLI_MAX_FILE_BYTES`` raises
  it). A regular file is refused from its size before a byte is read; a stream (``/dev/zero``, ``yes |``) is
  refused once it passes the limit;
* **JSON**: nesting at most ``max_json_depth`` deep (checked on the raw bytes before parsing, so no recursion
  error), no duplicate keys, no ``NaN``/``Infinity`` literals nor numbers beyond float64 (``1e999``), no
  integers longer than Python converts (4300 digits);
* **.npy**: the header's dtype (real numbers only: a complex matrix is refused rather than losing its imaginary
  part) and shape (at most ``max_dense_entries`` entries, and as many bytes as the shape claims) are checked
  before the array is read.

Example:
    >>> parse_json(b'{"n": 4, "rows": [[1, 2], [3, 4]]}', "example")
    {'n': 4, 'rows': [[1, 2], [3, 4]]}
    >>> parse_json(b'{"n": 4, "n": 5}', "example")
    Traceback (most recent call last):
    ...
    gcli.errors.BadFile: example: duplicate key "n" in a JSON object
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from typing import Any

from gcli.errors import BadFile, InputError, OverLimit
from gcli.io.limits import limit

__all__ = ["REAL_ENTRY_BOUND", "check_real_entries", "json_depth", "load_npy", "parse_json", "read_bounded",
           "read_json"]

REAL_ENTRY_BOUND = 1e150
"""Largest magnitude of a real matrix entry gcli reads. Verification forms sums of products of entries (B_F·B_Fᵀ,
X·B_F, norms) over up to ``max_dense_entries`` terms: with entries within ±10¹⁵⁰ they stay below float64's
1.8·10³⁰⁸, while a single finite entry of 1.7·10³⁰⁸ makes LAPACK's SVD fail to converge. Decodability and
condition numbers do not depend on the scale, so a file that needs larger entries can be rescaled."""

_CHUNK = 1 << 20
_KEEP = b'"[]{}'
_DELETE = bytes(c for c in range(256) if c not in _KEEP)
_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_STRING = re.compile(rb'"[^"]*"')
_DIGITS = bytes.maketrans(b"123456789", b"000000000")
_LONG_RUN = b"0" * 309  # 309 digits before the point reach past float64's 1.8e308
_BIG_EXPONENT = re.compile(rb"[eE]\+?[0-9]{3}")
_BRACKET_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")


def _name(path: str | os.PathLike[str]) -> str:
    return "standard input" if str(path) == "-" else os.fspath(path)  # type: ignore[return-value]


def _too_large(where: str, size: int | None, bound: int) -> OverLimit:
    told = f"{size} bytes; " if size is not None else ""
    return OverLimit(f"{where} is larger than the limit of {bound} bytes ({told}set GCLI_MAX_FILE_BYTES to raise "
                      "it)")


def _read_fd(fd: int, where: str, size_hint: int | None) -> bytes:
    """Up to ``max_file_bytes`` bytes from ``fd``; InputError past it."""
    bound = limit("max_file_bytes")
    if size_hint is not None and size_hint > bound:
        raise _too_large(where, size_hint, bound)
    chunks: list[bytes] = []
    total = 0
    while True:
        try:
            chunk = os.read(fd, min(_CHUNK, bound + 1 - total))
        except BlockingIOError:
            import select

            select.select([fd], [], [])
            continue
        except OSError as exc:
            raise BadFile(f"cannot read {where}: {exc.strerror or exc.__class__.__name__}") from None
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > bound:
            raise _too_large(where, None, bound)
    return b"".join(chunks)


def _check_kind(mode: int, where: str) -> None:
    if stat.S_ISDIR(mode):
        raise BadFile(f"cannot read {where}: it is a directory")
    if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
        raise BadFile(f"cannot read {where}: not a regular file, a pipe or a character device")


def read_bounded(path: str | os.PathLike[str], what: str = "") -> bytes:
    """The bytes of ``path`` (``-``: standard input), at most ``max_file_bytes`` of them (module docstring).

    ``what`` names the file in messages (``generator file x.npy``); by default the path itself.
    """
    where = (f"{what} {_name(path)}" if what else _name(path)).strip()
    if str(path) == "-":
        stream = getattr(sys.stdin, "buffer", None)
        try:
            fd = sys.stdin.fileno()
        except (AttributeError, OSError, ValueError):
            fd = -1
        if fd < 0 or stream is None:  # an in-memory stdin (tests, embedding): still bounded
            raw = (stream or sys.stdin).read(limit("max_file_bytes") + 1)
            data = raw.encode("utf-8") if isinstance(raw, str) else raw
            if len(data) > limit("max_file_bytes"):
                raise _too_large(where, None, limit("max_file_bytes"))
            return data
        try:
            info = os.fstat(fd)
        except OSError as exc:
            raise BadFile(f"cannot read {where}: {exc.strerror}") from None
        _check_kind(info.st_mode, where)
        return _read_fd(fd, where, info.st_size if stat.S_ISREG(info.st_mode) else None)
    name = os.fspath(path)
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise BadFile(f"no such {what or 'file'}: {_name(path)}") from None
    except OSError as exc:
        raise BadFile(f"cannot read {where}: {exc.strerror or exc.__class__.__name__}") from None
    try:
        info = os.fstat(fd)
        _check_kind(info.st_mode, where)
        os.set_blocking(fd, True)  # a FIFO opened without a writer then reads as empty instead of waiting
        return _read_fd(fd, where, info.st_size if stat.S_ISREG(info.st_mode) else None)
    except OSError as exc:
        raise BadFile(f"cannot read {where}: {exc.strerror or exc.__class__.__name__}") from None
    finally:
        os.close(fd)


def json_depth(data: bytes, bound: int) -> int:
    """The nesting depth of the arrays and objects in JSON ``data``, counted up to ``bound + 1`` (then it stops).

    One linear pass: strings are dropped, brackets kept, and the depth is the largest running sum of +1 for an
    opening and −1 for a closing bracket (numpy's cumulative sum over chunks of a million brackets), so a raised
    ``max_json_depth`` costs no more than the default. Unbalanced brackets are the parser's to report.

    Example:
        >>> json_depth(b'{"a": [[1], [2, "]]]"]]}', 32)
        3
    """
    import numpy as np

    if b"\\" in data:
        data = _ESCAPE.sub(b"", data)
    kept = data.translate(None, _DELETE)
    if b'"' in kept:
        kept = _STRING.sub(b"", kept)
    kept = kept.translate(_BRACKET_STEPS)  # opening brackets → 1, closing → 255 (−1 as int8)
    depth = level = 0
    for start in range(0, len(kept), _CHUNK):
        steps = np.frombuffer(kept, dtype=np.int8, count=min(_CHUNK, len(kept) - start), offset=start)
        running = np.cumsum(steps, dtype=np.int64) + level
        depth = max(depth, int(running.max()))
        level = int(running[-1])
        if depth > bound:
            break
    return min(depth, bound + 1)


def check_real_entries(values: Any, where: str) -> None:
    """Refuse real matrix entries (an array, or a list of rows of numbers) that are not finite or whose magnitude
    exceeds :data:`REAL_ENTRY_BOUND`, naming ``where`` and the first such entry.

    Example:
        >>> check_real_entries([[1.0, -2.5e149]], "encoding")
        >>> check_real_entries([[1.0, 1.7e308]], "encoding")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        gcli.errors.BadFile: encoding: entry 1.7e+308 at (0, 1) is beyond ±1e+150 (the products verify forms ...
    """
    import numpy as np

    try:
        array = np.asarray(values, dtype=np.float64)
    except OverflowError:  # an integer beyond float64
        raise BadFile(f"{where}: an entry is beyond the range of float64") from None
    except (ValueError, TypeError):
        raise BadFile(f"{where}: the entries are not a matrix of numbers") from None
    with np.errstate(invalid="ignore"):
        bad = ~(np.abs(array) <= REAL_ENTRY_BOUND)  # NaN fails the comparison, so it is bad too
    if bad.any():
        at = tuple(int(i) for i in np.unravel_index(int(np.argmax(bad)), array.shape))
        value = float(array[at])
        raise BadFile(f"{where}: entry {value!r} at {at if len(at) > 1 else at[0]} is "
                      + ("not a finite number" if not np.isfinite(value) else
                         f"beyond ±{REAL_ENTRY_BOUND:.0e} (the products verify forms would overflow float64; "
                         "rescale the matrix, which changes neither decodability nor condition numbers)"))


def _pairs(where: str) -> Any:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    raise BadFile(f"{where}: duplicate key {json.dumps(key)} in a JSON object")
                seen.add(key)
        return obj

    return hook


def _constant(where: str) -> Any:
    def hook(name: str) -> Any:
        raise BadFile(f"{where}: {name} is not a JSON number (write a finite number)")

    return hook


def _finite(where: str) -> Any:
    import math

    def hook(text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            raise BadFile(f"{where}: the number {text[:24]}{'…' if len(text) > 24 else ''} is beyond the range "
                          "of float64")
        return value

    return hook


def _may_overflow(raw: bytes) -> bool:
    """Whether a number in ``raw`` could overflow float64 (a three-digit exponent or 309 digits in a row): only
    then are the floats parsed one by one through a check, so ordinary files keep json's fast path."""
    if _LONG_RUN in raw.translate(_DIGITS):
        return True
    if raw.count(b"e") + raw.count(b"E") > 100_000:  # many exponents (or words): one regular-expression pass
        return _BIG_EXPONENT.search(raw) is not None
    for letter in (b"e", b"E"):  # few: look behind each one (much faster than a regex over every byte)
        at = raw.find(letter)
        while at >= 0:
            if _BIG_EXPONENT.match(raw, at):
                return True
            at = raw.find(letter, at + 1)
    return False


def parse_json(data: bytes | str, where: str = "file") -> Any:
    """Parse JSON ``data`` within the bounds of the module docstring; InputError naming ``where`` otherwise."""
    raw = data.encode("utf-8", errors="surrogateescape") if isinstance(data, str) else data
    bound = limit("max_json_depth")
    if json_depth(raw, bound) > bound:
        raise OverLimit(f"{where}: JSON nested deeper than the limit of {bound} levels (set GCLI_MAX_JSON_DEPTH "
                        "to raise it)")
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise BadFile(f"cannot read {where}: not UTF-8 text (nor an npz, mat or csv export)") from None
    from gcli._gc import collector_paused

    try:
        with collector_paused():
            return json.loads(data, object_pairs_hook=_pairs(where), parse_constant=_constant(where),
                              parse_float=_finite(where) if _may_overflow(raw) else None)
    except json.JSONDecodeError as exc:
        raise BadFile(f"malformed JSON in {where}: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise BadFile(f"{where}: JSON nested too deeply") from None
    except InputError:
        raise
    except ValueError as exc:  # Python's limit on the digits of an integer
        raise BadFile(f"{where}: a number is too long ({str(exc).split(';')[0]})") from None


def read_json(path: str | os.PathLike[str], what: str = "") -> Any:
    """:func:`read_bounded` then :func:`parse_json`."""
    where = (f"{what} {_name(path)}" if what else _name(path)).strip()
    return parse_json(read_bounded(path, what), where)


def load_npy(data: bytes, where: str = "npy file", kinds: str = "biuf") -> Any:
    """The real matrix in the bytes of a ``.npy`` file, its header checked before the array is read: its dtype
    kind must be one of ``kinds`` (numpy's letters; by default booleans, integers and floats)."""
    import io

    import numpy as np

    buffer = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(buffer)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(buffer)
        else:
            shape, _, dtype = np.lib.format.read_array_header_2_0(buffer)
    except (ValueError, TypeError, SyntaxError, OSError, EOFError) as exc:
        raise BadFile(f"{where}: not a readable .npy file ({exc})") from None
    if dtype.hasobject or dtype.kind not in kinds:
        kind = "complex numbers" if dtype.kind == "c" else f"dtype {dtype}"
        raise BadFile(f"{where}: holds {kind}; gcli reads real or integer matrices only")
    entries = 1
    for side in shape:
        entries *= int(side)
    bound = limit("max_dense_entries")
    if any(int(side) > bound for side in shape):  # (10⁹, 0) holds no entry, yet .tolist() builds 10⁹ rows
        raise OverLimit(f"{where}: its header claims shape {tuple(shape)}, a dimension beyond the limit of {bound} "
                        "(GCLI_MAX_DENSE_ENTRIES raises it)")
    if entries > bound:
        raise OverLimit(f"{where}: its header claims {entries} entries, beyond the limit of {bound} "
                        "(GCLI_MAX_DENSE_ENTRIES raises it)")
    if len(data) - buffer.tell() < entries * dtype.itemsize:
        raise BadFile(f"{where}: truncated (the header claims shape {tuple(shape)})")
    try:
        return np.load(buffer.__class__(data), allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise BadFile(f"{where}: not a readable .npy file ({exc})") from None
