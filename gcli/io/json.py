"""The JSON contract (format ``gcli.code``, version 1): reading, writing and validating codes.

Files carry no timestamps, so the same construction and seed give byte-identical output. Real entries are
written with Python's shortest round-trip ``repr`` of float64, so reading a file back gives the same bits.

The encoding is written in one of two forms (``encoding=`` of :func:`dumps`, ``--encoding`` on the command line):

* ``dense``: rows of numbers, ``"encoding": [[…], …]``, n rows of k·m numbers — what ``json.load`` in Python,
  ``jsondecode`` in MATLAB, ``JSON3.read`` in Julia or ``jsonlite::fromJSON`` in R turn into a matrix as it is;
* ``csr``: compressed rows,
  ``"encoding": {"format": "csr", "shape": [n, k·m], "indptr": […], "indices": […], "data": […]}`` — row i holds
  ``data[indptr[i]:indptr[i+1]]`` at the columns ``indices[indptr[i]:indptr[i+1]]`` (sorted, no zeros), the
  arrays of ``scipy.sparse.csr_matrix((data, indices, indptr), shape)``;
* ``auto`` (the default) chooses: dense rows while n·k·m ≤ ``dense_export_entries`` (:mod:`gcli.io.limits`,
  10⁶ by default, ``GCLI_DENSE_EXPORT_ENTRIES``), beyond it compressed rows when they take fewer numbers
  (2·nnz + n + 1 < n·k·m) — a ``bibd -v 777`` code (78 million entries, 301,476 non-zeros) is a few MB.

Both read back into an equal :class:`~gcli.code.Code` (a CSR file gives a sparse code). The schema tells the two
apart (``oneOf``: an array of rows, or an object with ``"format": "csr"``) and validates both. ``format_version``
stays 1: readers need nothing more than the form of ``encoding`` itself, every file written before is still valid
and reads back the same, and a gcli that predates the CSR form rejects a CSR file with a schema error at
``/encoding`` (it never misreads it; ``--encoding dense`` writes a file it reads).
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from typing import Any

import numpy as np

from gcli._gc import collector_paused
from gcli._version import __version__
from gcli.code import Code
from gcli.errors import BadFile, NotSupported, OverLimit
from gcli.fields import field_info_from_json, field_name, field_to_json, is_real
from gcli.io.limits import check, check_entries

__all__ = [
    "ENCODINGS",
    "FORMAT",
    "FORMAT_VERSION",
    "code_from_dict",
    "code_schema",
    "code_to_dict",
    "dumps",
    "encoding_form",
    "loads",
    "meta_json",
    "writes_sparse",
]

FORMAT = "gcli.code"
FORMAT_VERSION = 1
ENCODINGS = ("auto", "dense", "csr")
"""The forms of ``--encoding`` (module docstring)."""
EXTRA_KEYS = ("design", "graph")


@cache
def code_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of format version 1."""
    text = files("gcli").joinpath("io/schemas/code.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


_MATRIX_KEYS = {"assignment": True, "encoding": False}  # name → entries must be integers


def _check_matrix(name: str, rows: list[Any], integral: bool) -> None:
    """The schema's rules for a list of rows of numbers (JSON booleans are not numbers): in a few passes over all
    entries at once (a million assignment rows took seconds row by row), row by row only to name a violation."""
    from itertools import chain

    allowed = {int} if integral else {int, float}
    typed = set(map(type, chain.from_iterable(rows))) <= allowed
    if typed and not integral:
        return
    if typed:
        try:
            sizes = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
            flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=int(sizes.sum()))
        except OverflowError:  # an entry beyond int64: the row-by-row pass below
            flat = None
        if flat is not None:
            owner = np.repeat(np.arange(len(rows), dtype=np.int64), sizes)
            order = np.lexsort((flat, owner))
            ordered, owners = flat[order], owner[order]
            repeated = (ordered[1:] == ordered[:-1]) & (owners[1:] == owners[:-1])
            if not (flat.size and flat.min() < 0) and not repeated.any():
                return
    _check_matrix_rows(name, rows, integral)


def _check_matrix_rows(name: str, rows: list[Any], integral: bool) -> None:
    """:func:`_check_matrix` row by row, raising for the first row that breaks a rule."""
    allowed = {int} if integral else {int, float}
    for i, row in enumerate(rows):
        if not set(map(type, row)) <= allowed:
            bad = next(x for x in row if type(x) not in allowed)
            kind = "an integer" if integral else "a number"
            raise BadFile(f"invalid code file at {name}/{i}: {json.dumps(bad)} is not {kind}")
        if integral and row and min(row) < 0:
            raise BadFile(f"invalid code file at {name}/{i}: entries must be non-negative")
        if integral and len(set(row)) != len(row):
            raise BadFile(f"invalid code file at {name}/{i}: has non-unique elements")


def encoding_form(code: Code, encoding: str = "auto", *, sparse: bool | None = None) -> str:
    """``"dense"`` or ``"csr"``: the form in which ``code``'s encoding is written for ``encoding`` (``auto``,
    ``dense`` or ``csr``; module docstring). ``sparse`` (True/False), when given, is the older spelling of
    ``csr``/``dense``. InputError when dense rows are asked of a sparse code too large to hold them densely."""
    from gcli import code as code_module
    from gcli.io.limits import limit

    if sparse is not None:
        encoding = "csr" if sparse else "dense"
    if encoding not in ENCODINGS:
        raise BadFile(f"unknown encoding form {encoding!r}: use {', '.join(ENCODINGS)}")
    entries = code.n * code.k * code.m
    if encoding == "csr":
        return "csr"
    if encoding == "dense":
        if entries > code_module.MAX_DENSE_ENTRIES:
            raise OverLimit(f"--encoding dense: this code's encoding would have {code.n:,} × {code.k * code.m:,} "
                            f"= {entries:,} entries, beyond the limit of {code_module.MAX_DENSE_ENTRIES:,}; "
                            f"write it as compressed rows (--encoding csr, {code.nnz:,} non-zeros)")
        return "dense"
    if entries > code_module.MAX_DENSE_ENTRIES:
        return "csr"
    if entries <= limit("dense_export_entries") or 2 * code.nnz + code.n + 1 >= entries:
        return "dense"
    return "csr"


def writes_sparse(code: Code, sparse: bool | None = None, encoding: str = "auto") -> bool:
    """Whether the encoding is written as CSR (:func:`encoding_form`)."""
    return encoding_form(code, encoding, sparse=sparse) == "csr"


def _csr_values(code: Code) -> tuple[Any, np.ndarray]:
    csr = code.sparse_encoding
    data = np.asarray(csr.data, dtype=np.float64) if is_real(code.field) else np.asarray(csr.data, dtype=np.int64)
    return csr, data


def code_to_dict(code: Code, encoding: str = "auto", *, sparse: bool | None = None,
                 without: tuple[str, ...] = ()) -> dict[str, Any]:
    """The JSON object for a code (plain Python types only); ``encoding`` and ``sparse`` as in
    :func:`encoding_form`; the keys in ``without`` (``encoding``, ``assignment``) are left out, and not built."""
    if "encoding" in without:
        rows: Any = None
    elif writes_sparse(code, sparse, encoding):
        csr, data = _csr_values(code)
        rows = {"format": "csr", "shape": [code.n, code.k * code.m], "indptr": csr.indptr.tolist(),
                "indices": csr.indices.tolist(), "data": data.tolist()}
    elif is_real(code.field):
        rows = np.asarray(code.encoding).astype(np.float64).tolist()
    else:
        rows = np.asarray(code.encoding).view(np.ndarray).astype(np.int64).tolist()
    obj: dict[str, Any] = {
        **_header(code),
        "assignment": None if "assignment" in without else [list(row) for row in code.assignment],
        "encoding": rows,
        "construction": _plain(dict(code.construction)),
        "provenance": {"gcli_version": __version__},
    }
    for key in EXTRA_KEYS:
        if key in code.extras:
            obj[key] = _plain(code.extras[key])
    for key in without:
        obj.pop(key, None)
    return obj


def meta_json(code: Code, without: tuple[str, ...] = ("encoding", "assignment")) -> str:
    """``json.dumps(code_to_dict(code, without=without))`` on one ASCII line, through json's C encoder (the
    ``meta`` entry of npz, mat and csv exports: a large design block costs milliseconds, not seconds)."""
    obj: dict[str, Any] = {**_header(code)}
    if "assignment" not in without:
        obj["assignment"] = [list(row) for row in code.assignment]
    if "encoding" not in without:
        obj["encoding"] = code_to_dict(code, without=("assignment",))["encoding"]
    obj["construction"] = dict(code.construction)
    obj["provenance"] = {"gcli_version": __version__}
    for key in EXTRA_KEYS:
        if key in code.extras:
            obj[key] = code.extras[key]
    return _json(obj)


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
        raise BadFile("a gcli code file must hold one JSON object")
    if obj.get("format") != FORMAT:
        raise BadFile(f"not a gcli code file (format is {obj.get('format')!r}, expected {FORMAT!r})")
    version = obj.get("format_version")
    if version != FORMAT_VERSION:
        raise NotSupported(
            f"unsupported format_version {version!r}: this gcli reads version {FORMAT_VERSION}"
        )
    # The two matrices can hold millions of entries: jsonschema would walk them in Python for seconds, so the
    # schema sees them with their rows elided and _check_matrix applies the same rules to the entries.
    shallow = dict(obj)
    for key in _MATRIX_KEYS:  # (rows that are all lists validate as no rows: jsonschema walks a million in 30 s)
        rows = obj.get(key)
        if isinstance(rows, list):
            shallow[key] = [] if all(isinstance(row, list) for row in rows) else \
                [[] if isinstance(row, list) else row for row in rows]
    sparse = isinstance(obj.get("encoding"), dict)
    if sparse:
        shallow["encoding"] = {key: [] if key in _CSR_ARRAYS and isinstance(value, list) else value
                               for key, value in obj["encoding"].items()}
    import jsonschema  # only readers validate: writing a code never pays for importing it

    validator = jsonschema.Draft202012Validator(code_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(shallow))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise BadFile(f"invalid code file at {where}: {error.message}")
    for key in ("n", "k", "m", "d"):
        check("max_workers", obj[key], key)
    check_entries(obj["m"], obj["k"] * obj["m"], "the decoding target T (m × k·m)")
    for key in _MATRIX_KEYS:
        if isinstance(obj[key], list) and len(obj[key]) != obj["n"]:
            raise BadFile(f"invalid code file at {key}: {len(obj[key])} rows, expected n = {obj['n']}")
    _check_matrix("assignment", obj["assignment"], True)
    _check_structures(obj)
    field = field_info_from_json(obj["field"])  # no galois class until its arithmetic is needed
    try:
        encoding = _csr_from_json(obj["encoding"], field) if sparse else _dense_from_json(obj["encoding"], field)
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
            encoding=encoding,
            exact=obj["exact"],
            construction=obj["construction"],
            extras=extras,
        )
    except OverflowError:  # an integer beyond int64 (indices, GF entries) or beyond float64 (real entries)
        what = "float64" if is_real(field) else f"the entries of {field_name(field)} (integers in [0, q))"
        raise BadFile(f"invalid code file: a number is out of range for {what}") from None


def _is_int(value: Any) -> bool:
    return type(value) is int


def _check_structures(obj: dict[str, Any]) -> None:
    """The ``design`` and ``graph`` blocks: vertices and edges are plain non-negative integers (a string ``"3"``
    or ``0.5`` is refused, never coerced), and the sizes they claim fit the code (v ≤ max(n, k)), so the
    certificate's dense adjacency cannot be asked for more than the code's own size."""
    size = max(obj["n"], obj["k"])
    for key in EXTRA_KEYS:
        block = obj.get(key)
        if key not in obj:
            continue
        if not isinstance(block, dict):
            raise BadFile(f"invalid code file at {key}: must be an object")
        for name in ("v", "k", "lambda", "b", "r", "partitions", "degree", "replication"):
            value = block.get(name)
            if name in block and (not _is_int(value) or value < 0):
                raise BadFile(f"invalid code file at {key}/{name}: {json.dumps(value)} is not a non-negative "
                              "integer")
        for name in ("v", "partitions"):
            if name in block and block[name] > size:
                raise BadFile(f"invalid code file at {key}/{name}: {block[name]} is more than the code's "
                              f"max(n, k) = {size}")
        items = block.get("blocks" if key == "design" else "edges")
        if items is None:
            continue
        if not isinstance(items, list):
            raise BadFile(f"invalid code file at {key}: {'blocks' if key == 'design' else 'edges'} must be a list")
        if not _plain_items(items, 2 if key == "graph" else None):
            _explain_items(key, items)
        if key == "graph" and _is_int(block.get("v")):
            v = block["v"]
            check_entries(v, block.get("partitions", v) if _is_int(block.get("partitions")) else v,
                          "the graph block's adjacency")


def _plain_items(items: list[Any], width: int | None) -> bool:
    """True when every item is a list (of ``width`` entries, when given) of plain non-negative ints: the check of
    :func:`_explain_items` at C speed (``type(x) is int`` refuses bools, floats and strings alike).

    >>> _plain_items([[0, 1], [2, 3]], 2), _plain_items([[0, True]], 2), _plain_items([[0, -1]], None)
    (True, False, False)
    """
    import itertools

    if not set(map(type, items)) <= {list}:
        return False
    if width is not None and not set(map(len, items)) <= {width}:
        return False
    flat = list(itertools.chain.from_iterable(items))
    return set(map(type, flat)) <= {int} and (not flat or min(flat) >= 0)


def _explain_items(key: str, items: list[Any]) -> None:
    """Raise the BadFile naming the first block or edge that is not a list of non-negative integers."""
    for i, item in enumerate(items):
        where = f"{key}/{'blocks' if key == 'design' else 'edges'}/{i}"
        if not isinstance(item, list) or not all(_is_int(x) and x >= 0 for x in item):
            raise BadFile(f"invalid code file at {where}: {json.dumps(item)[:60]} is not a list of "
                          "non-negative integers")
        if key == "graph" and len(item) != 2:
            raise BadFile(f"invalid code file at {where}: an edge is a pair of vertices")


_CSR_ARRAYS = ("indptr", "indices", "data")


def _dense_from_json(rows: list[Any], field: Any) -> np.ndarray:
    """The dense encoding rows (already schema-checked apart from their entries) as an array."""
    if not rows:
        raise BadFile("invalid code file at encoding: no rows (expected n rows of k·m entries)")
    if len({len(row) for row in rows}) > 1:
        raise BadFile("encoding rows have different lengths")
    check_entries(len(rows), len(rows[0]), "the file's dense encoding")  # before any conversion
    _check_matrix("encoding", rows, False)
    if not is_real(field):
        if any(isinstance(x, float) and not float(x).is_integer() for row in rows for x in row):
            raise BadFile("encoding entries over a finite field must be integers")
        rows = [[int(x) for x in row] for row in rows]
        return np.asarray(rows, dtype=np.int64).reshape(len(rows), -1)
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), -1)


def _csr_from_json(block: dict[str, Any], field: Any) -> Any:
    """The CSR encoding object (already schema-checked apart from its arrays) as a scipy matrix."""
    from gcli.code import csr_encoding

    arrays = {}
    for key in _CSR_ARRAYS:
        values = block[key]
        integral = key != "data" or not is_real(field)
        allowed = {int} if integral else {int, float}
        if not set(map(type, values)) <= allowed:
            bad = next(x for x in values if type(x) not in allowed)
            raise BadFile(f"invalid code file at encoding/{key}: {json.dumps(bad)} is not "
                          f"{'an integer' if integral else 'a number'}")
        arrays[key] = values
    check("max_nonzeros", len(arrays["data"]), "the non-zeros of the compressed rows")
    data = np.asarray(arrays["data"], dtype=np.float64 if is_real(field) else np.int64)
    return csr_encoding(tuple(block["shape"]), arrays["indptr"], arrays["indices"], data)


@collector_paused()
def dumps(code: Code, encoding: str = "auto", *, sparse: bool | None = None) -> str:
    """Serialise to the canonical text: two-space indent, one matrix row per line, trailing newline.

    The text is the same as formatting :func:`code_to_dict` (that is the definition), produced without walking the
    matrices entry by entry in Python: real encodings with few distinct values are written by mapping each value
    to its ``repr`` once. The encoding is written as dense rows (one per line) or as one line of compressed rows,
    as :func:`encoding_form` decides for ``encoding`` (``auto``, ``dense``, ``csr``; ``sparse`` True/False is the
    older spelling of ``csr``/``dense``).
    """
    lines = ["{"]
    obj = _header(code)
    obj["assignment"] = _Rows([json.dumps(row) for row in code.assignment])
    dense = encoding_form(code, encoding, sparse=sparse) == "dense"
    obj["encoding"] = _Rows(_encoding_rows(code)) if dense else _Raw(_csr_text(code))
    obj["construction"] = code.construction
    obj["provenance"] = {"gcli_version": __version__}
    for key in EXTRA_KEYS:
        if key in code.extras:
            obj[key] = code.extras[key]
    items = list(obj.items())
    for idx, (key, value) in enumerate(items):
        comma = "," if idx < len(items) - 1 else ""
        if isinstance(value, _Rows):
            lines.append(f"  {json.dumps(key)}: [\n    " + ",\n    ".join(value) + f"\n  ]{comma}")
        elif isinstance(value, _Raw):
            lines.append(f"  {json.dumps(key)}: {value.text}{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {_json(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


class _Rows(list[str]):
    """Already formatted matrix rows, written one per line."""


class _Raw:
    """An already formatted JSON value, written as it is."""

    def __init__(self, text: str) -> None:
        self.text = text


def _csr_text(code: Code) -> str:
    """The CSR encoding object on one line, as ``json.dumps`` writes it (values through the repr table)."""
    csr, data = _csr_values(code)
    if is_real(code.field):
        if not np.all(np.isfinite(data)):
            raise ValueError("Out of range float values are not JSON compliant")
        values, inverse = np.unique(data, return_inverse=True)
        if len(values) <= 4096:
            table = np.array([repr(float(x)) for x in values], dtype=object)
            text = "[" + ", ".join(table[inverse].tolist()) + "]"
        else:
            text = json.dumps(data.tolist())
    else:
        text = json.dumps(data.tolist())
    head = json.dumps({"format": "csr", "shape": [code.n, code.k * code.m]})[:-1]
    return (f"{head}, \"indptr\": {_int_list(csr.indptr)}, \"indices\": {_int_list(csr.indices)}, "
            f"\"data\": {text}}}")


def _int_list(values: np.ndarray) -> str:
    return "[" + ", ".join(map(str, values.tolist())) + "]"


def _header(code: Code) -> dict[str, Any]:
    """The scalar fields every code object starts with, in the contract's order."""
    return {
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
    }


def _json_default(value: Any) -> Any:
    """numpy values inside construction and structure blocks, as :func:`_plain` converts them."""
    if isinstance(value, np.ndarray | np.generic):
        return value.tolist() if isinstance(value, np.ndarray) else value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _json(value: Any) -> str:
    """One-line JSON of a block: json's C encoder, numpy values converted as code_to_dict converts them."""
    try:
        return json.dumps(value, allow_nan=False, default=_json_default)
    except TypeError:  # keys json cannot take (numpy integers): the slow, general path
        return json.dumps(_plain(value), allow_nan=False)


def _encoding_rows(code: Code) -> list[str]:
    """The encoding's rows as JSON text, each value written as ``repr(float)`` (reals) or as an integer."""
    enc = np.asarray(code.encoding)
    if not is_real(code.field):
        return [json.dumps(row) for row in enc.view(np.ndarray).astype(np.int64).tolist()]
    enc = enc.astype(np.float64)
    if not np.all(np.isfinite(enc)):
        raise ValueError("Out of range float values are not JSON compliant")
    values, inverse = np.unique(enc, return_inverse=True)
    if len(values) > 4096 or np.signbit(enc[enc == 0]).any():
        return [json.dumps(row) for row in enc.tolist()]  # many distinct values (or ±0): json's own float repr
    table = np.array([repr(float(x)) for x in values], dtype=object)
    return ["[" + ", ".join(row) + "]" for row in table[inverse.reshape(enc.shape)].tolist()]


_DENSE_START = re.compile(rb'(?<!\\)"encoding"\s*:\s*\[\s*\[')
_ROWS_END = re.compile(rb"\]\s*\]")


def _dense_entries_before_parsing(raw: bytes) -> None:
    """Refuse a dense encoding beyond ``max_dense_entries`` from the raw bytes, before json builds a Python number
    per entry (a 60 MB file of 30 M entries took 9 s and 400 MB to parse only to be refused). Rows of numbers
    hold no brackets, so the rows run from ``"encoding": [[`` to the first ``]]``, and r rows of c numbers are
    separated by exactly r·c − 1 commas. Files with fewer commas in all than the limit are not searched."""
    from gcli.io.limits import limit

    bound = limit("max_dense_entries")
    if raw.count(b",") < bound:
        return
    start = _DENSE_START.search(raw)
    end = _ROWS_END.search(raw, start.end()) if start else None
    if start is None or end is None:
        return
    entries = raw.count(b",", start.end(), end.start()) + 1
    if entries > bound:
        raise OverLimit(f"the file's dense encoding holds {entries} entries, beyond the limit of {bound} "
                        "(GCLI_MAX_DENSE_ENTRIES raises it)")


def _parse(text: str | bytes, where: str = "code file") -> Any:
    """JSON within the bounds of :func:`gcli.io.reading.parse_json` (depth, duplicate keys, NaN, long integers),
    a dense encoding within ``max_dense_entries`` (counted before parsing)."""
    from gcli.io.reading import parse_json

    _dense_entries_before_parsing(text if isinstance(text, bytes) else text.encode("utf-8", "surrogateescape"))
    return parse_json(text, where)


def loads(text: str) -> Code:
    """Parse a code from JSON text; InputError for malformed JSON or schema violations."""
    return code_from_dict(_parse(text))
