"""The JSON contract (format ``gcli.code``, version 1): reading, writing and validating codes.

Files carry no timestamps, so the same construction and seed give byte-identical output. Real entries are
written with Python's shortest round-trip ``repr`` of float64, so reading a file back gives the same bits.
"""

from __future__ import annotations

import json
import os
import tempfile
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np

from gcli._version import __version__
from gcli.code import Code
from gcli.errors import InputError
from gcli.fields import field_from_json, field_to_json, is_real

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "code_from_dict",
    "code_schema",
    "code_to_dict",
    "dumps",
    "load_code",
    "loads",
    "write_atomic",
]

FORMAT = "gcli.code"
FORMAT_VERSION = 1
EXTRA_KEYS = ("design", "graph")


@cache
def code_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of format version 1."""
    text = files("gcli").joinpath("schemas/code.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


_MATRIX_KEYS = {"assignment": True, "encoding": False}  # name → entries must be integers


def _check_matrix(name: str, rows: list[Any], integral: bool) -> None:
    """The schema's rules for a list of rows of numbers (JSON booleans are not numbers)."""
    allowed = (int,) if integral else (int, float)
    for i, row in enumerate(rows):
        if not all(type(x) in allowed for x in row):
            bad = next(x for x in row if type(x) not in allowed)
            kind = "an integer" if integral else "a number"
            raise InputError(f"invalid code file at {name}/{i}: {json.dumps(bad)} is not {kind}")
        if integral and any(x < 0 for x in row):
            raise InputError(f"invalid code file at {name}/{i}: entries must be non-negative")
        if integral and len(set(row)) != len(row):
            raise InputError(f"invalid code file at {name}/{i}: has non-unique elements")


def code_to_dict(code: Code) -> dict[str, Any]:
    """The JSON object for a code (plain Python types only)."""
    enc = np.asarray(code.encoding)
    if is_real(code.field):
        rows = [[float(x) for x in row] for row in enc.astype(np.float64)]
    else:
        rows = [[int(x) for x in row] for row in enc.view(np.ndarray).astype(np.int64)]
    obj: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "scheme": code.scheme,
        "exact": code.exact,
        "field": field_to_json(code.field),
        "n": code.n,
        "k": code.k,
        "s": code.s,
        "m": code.m,
        "a": code.a,
        "d": code.d,
        "assignment": [list(row) for row in code.assignment],
        "encoding": rows,
        "construction": _plain(dict(code.construction)),
        "provenance": {"gcli_version": __version__},
    }
    for key in EXTRA_KEYS:
        if key in code.extras:
            obj[key] = _plain(code.extras[key])
    return obj


def _plain(value: Any) -> Any:
    """Convert numpy scalars/arrays and tuples to JSON-native values."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def code_from_dict(obj: Any) -> Code:
    """Validate a JSON object against the schema and build the Code; InputError on any violation."""
    if not isinstance(obj, dict):
        raise InputError("a gcli code file must hold one JSON object")
    if obj.get("format") != FORMAT:
        raise InputError(f"not a gcli code file (format is {obj.get('format')!r}, expected {FORMAT!r})")
    version = obj.get("format_version")
    if version != FORMAT_VERSION:
        raise InputError(
            f"unsupported format_version {version!r}: this gcli reads version {FORMAT_VERSION}"
        )
    # The two matrices can hold millions of entries: jsonschema would walk them in Python for seconds, so the
    # schema sees them with their rows elided and _check_matrix applies the same rules to the entries.
    shallow = dict(obj)
    for key in _MATRIX_KEYS:
        if isinstance(obj.get(key), list):
            shallow[key] = [[] if isinstance(row, list) else row for row in obj[key]]
    validator = jsonschema.Draft202012Validator(code_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(shallow))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise InputError(f"invalid code file at {where}: {error.message}")
    for key, integral in _MATRIX_KEYS.items():
        _check_matrix(key, obj[key], integral)
    field = field_from_json(obj["field"])
    encoding: Any = obj["encoding"]
    if not is_real(field):
        flat = [x for row in encoding for x in row]
        if any(isinstance(x, float) and not float(x).is_integer() for x in flat):
            raise InputError("encoding entries over a finite field must be integers")
        encoding = [[int(x) for x in row] for row in encoding]
    widths = {len(row) for row in encoding}
    if len(widths) > 1:
        raise InputError("encoding rows have different lengths")
    extras = {key: obj[key] for key in EXTRA_KEYS if key in obj}
    return Code(
        scheme=obj["scheme"],
        field=field,
        n=obj["n"],
        k=obj["k"],
        s=obj["s"],
        m=obj["m"],
        a=obj["a"],
        d=obj["d"],
        assignment=obj["assignment"],
        encoding=np.asarray(encoding, dtype=np.float64 if is_real(field) else np.int64).reshape(
            len(encoding), -1
        ),
        exact=obj["exact"],
        construction=obj["construction"],
        extras=extras,
    )


def dumps(code: Code) -> str:
    """Serialise to the canonical text: two-space indent, one matrix row per line, trailing newline."""
    return _format(code_to_dict(code)) + "\n"


def _format(obj: dict[str, Any]) -> str:
    lines = ["{"]
    items = list(obj.items())
    for idx, (key, value) in enumerate(items):
        comma = "," if idx < len(items) - 1 else ""
        if isinstance(value, list) and value and all(isinstance(row, list) for row in value):
            inner = ",\n".join("    " + json.dumps(row, allow_nan=False) for row in value)
            lines.append(f"  {json.dumps(key)}: [\n{inner}\n  ]{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, allow_nan=False)}{comma}")
    lines.append("}")
    return "\n".join(lines)


def loads(text: str) -> Code:
    """Parse a code from JSON text; InputError for malformed JSON or schema violations."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    return code_from_dict(obj)


def load_code(path: str | os.PathLike[str]) -> Code:
    """Read a code file (JSON, or an npz, mat or csv export of :mod:`gcli.formats`); ``-`` reads standard input."""
    if str(path) == "-":
        import sys

        return loads(sys.stdin.read())
    try:
        data = Path(path).read_bytes()
        if data[:4] in (b"PK\x03\x04", b"MATL", b"# gc"):  # npz, mat and csv exports (gcli.formats)
            from gcli.formats import load_export

            return load_export(data)
        text = data.decode("utf-8")
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc.__class__.__name__}") from None
    return loads(text)


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write a file atomically: a temporary file in the same folder, fsync, then rename over the target."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"cannot write {target}: folder {folder} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
