"""Exporting codes for other runtimes, reading them back, and graphs in the formats graph tools use.

Code formats (:func:`export_code`; :func:`gcli.load_code` reads every one back into an equal :class:`gcli.Code`,
recognising the file by its first bytes):

* ``json`` — the canonical format ``gcli.code`` (:mod:`gcli.io.json`), validated by the JSON Schema shipped at
  ``gcli/io/schemas/code.schema.json`` (``gcli export --schema`` prints the same file);
* ``npz`` — a NumPy zip archive (``numpy.load``): ``encoding`` (n × k·m; float64 over the reals, int64 in galois'
  integer representation over GF(q)), ``assignment`` (n × k, uint8, 1 where worker i holds partition j),
  ``meta`` (the JSON object without the two matrices, ASCII text: field, n, k, s, m, a, d, construction …),
  ``format`` and ``format_version``;
* ``mat`` — a MATLAB 5 file (``scipy.io.loadmat``; MATLAB's ``load``) with the same variables (``assignment`` as
  uint8); indices in ``meta`` and ``decoder_sets`` are 0-based, as everywhere in gcli;
* ``csv`` — the encoding matrix, one worker per row, values that read back bit for bit
  (``numpy.loadtxt(path, delimiter=",")`` or ``pandas.read_csv(path, comment="#", header=None)``), after two
  comment lines: ``# gcli.code csv 1`` and ``# {JSON object without the encoding}``.

Sparse exports. ``encoding`` (``gcli export --encoding``, :func:`gcli.io.json.encoding_form`) chooses between a plain
matrix (``dense``) and compressed rows (``csr``); ``auto``, the default, gives a plain matrix up to
``dense_export_entries`` = 10⁶ entries (:mod:`gcli.io.limits`) and compressed rows beyond it when smaller, so a
``bibd -v 777`` code (78 million entries, 301,476 non-zeros) exports without ever being densified:

* npz: the file ``scipy.sparse.save_npz`` writes, read by ``scipy.sparse.load_npz`` into a CSR matrix
  (members ``format`` = ``csr``, ``shape``, ``data``, ``indices``, ``indptr``; data int64 over GF(q)), plus
  ``meta`` as above and the worker × partition support in compressed rows: worker i holds the partitions
  ``assignment_indices[assignment_indptr[i]:assignment_indptr[i+1]]``;
* mat: ``encoding`` a MATLAB sparse double matrix (``scipy.io.loadmat`` gives a scipy.sparse CSC matrix; GF(q)
  elements are integers, exact in double up to 2⁵³, and the field is in ``meta``), ``assignment`` a MATLAB sparse
  logical matrix, and the other variables as above;
* csv holds dense rows only: beyond ``max_dense_entries`` (and with ``encoding="csr"``) it is refused in one line
  naming npz, mat and json, which hold compressed rows.

Reading MAT files. gcli reads MAT 5 files with its own reader (:func:`_read_mat`), not ``scipy.io.loadmat``: scipy
trusts the sizes in the tags (a 1 MB compressed file can make it allocate gigabytes) and crashes the interpreter
with a segmentation fault on some damaged files (``tests/data/hostile/scipy-loadmat-segfault.mat``, a 1,010-byte
export with three bytes changed; scipy 1.17). Every export gcli writes, dense or sparse, and MATLAB's own files of
numeric, character and sparse matrices are read.

With ``decoders=True`` (json, npz, mat) the file also holds a decoder for every surviving set F of the code's
size r = n − s − 2a: ``decoder_sets`` (N × r, the workers of each F in lexicographic order) and ``decoders``
(N × m × r, X_F with X_F·B_F = T; least squares T·B_F⁺ for approximate codes). That is C(n, r) sets; above
:data:`DECODER_CAP` the export is refused. In JSON they sit under the optional key ``decoders`` (``sets``,
``matrices``, ``surviving_size``, ``kind``). The estimate of block u of the gradient sum is
Σ_{i ∈ F} X_F[u, i] f_i.

Structure formats (codes built on a design or a graph, :func:`structure_graph`): ``graph6`` (simple graphs),
``sparse6`` (also multigraphs and loops) and ``edgelist`` (one ``u v`` line per edge), written by networkx. The
graph is the code's graph (vertices 0..v−1) for ``srg`` and ``regular`` graph blocks; the worker × partition
graph (workers 0..n−1, partition j is vertex n + j) for ``bipartite-regular`` blocks; and the incidence (Levi)
graph of a design (points 0..v−1, block i is vertex v + i). :func:`read_graph` reads a user's graph6, sparse6 or
edge-list file into an adjacency matrix.

Binary files are byte-identical for the same code (no timestamps): the zip entries carry a fixed date and the
MAT header a fixed text.

Example:
    >>> from gcli.constructions import fractional_repetition
    >>> code = fractional_repetition(4, 1)
    >>> load_export(export_code(code, "npz")) == code
    True
"""

from __future__ import annotations

import io
import itertools
import json
import math
import os
import re
import zipfile
from typing import Any

import numpy as np

from gcli.code import Code
from gcli.errors import BadFile, InputError, NotSupported, OverLimit

__all__ = [
    "CODE_FORMATS",
    "DECODER_CAP",
    "EXPORT_FORMATS",
    "STRUCTURE_FORMATS",
    "export_code",
    "load_decoders",
    "load_export",
    "read_graph",
    "structure_graph",
    "surviving_decoders",
]

CODE_FORMATS = ("json", "npz", "mat", "csv")
STRUCTURE_FORMATS = ("graph6", "sparse6", "edgelist")
EXPORT_FORMATS = CODE_FORMATS + STRUCTURE_FORMATS
DECODER_CAP = 5000
"""Most surviving sets whose decoders ``--decoders`` writes (C(n, n − s − 2a) must not exceed it)."""

CSV_MAGIC = "# gcli.code csv 1"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_MAT_HEADER = "MATLAB 5.0 MAT-file, written by gcli (gcli.code format version 1)"


# ---------------------------------------------------------------------------------------------------------
# decoders for every surviving set
# ---------------------------------------------------------------------------------------------------------
def surviving_decoders(code: Code, cap: int = DECODER_CAP) -> tuple[np.ndarray, np.ndarray, str]:
    """(sets N × r, decoders N × m × r, kind) for every surviving set of size r = n − s − 2a (module docstring).

    kind is ``exact`` (X_F·B_F = T on every set: over GF(q) by elimination, which raises InputError on a set
    that cannot decode) or ``least-squares`` (approximate real codes). InputError above ``cap`` sets."""
    r = code.responders
    total = math.comb(code.n, r)
    if total > cap:
        raise OverLimit(f"{total:,} surviving sets of size {r}: decoders are exported for at most {cap:,} sets")
    sets = np.asarray(list(itertools.combinations(range(code.n), r)), dtype=np.int64).reshape(total, r)
    if code.is_real:
        blocks = np.asarray(code.encoding, dtype=np.float64)[sets]
        decoders = code.target @ np.linalg.pinv(blocks)
        return sets, decoders, "exact" if code.exact else "least-squares"
    from gcli.decoding.matrices import decoding_matrix

    decoders = np.stack([np.asarray(decoding_matrix(code, row).view(np.ndarray), dtype=np.int64) for row in sets])
    return sets, decoders.reshape(total, code.m, r), "exact"


def _meta(code: Code, without: tuple[str, ...]) -> str:
    """The ``meta`` text: the code's JSON object without ``without``, on one ASCII line."""
    from gcli.io.json import meta_json

    return meta_json(code, without)


def _matrices(code: Code) -> tuple[np.ndarray, np.ndarray]:
    if code.is_real:
        encoding = np.ascontiguousarray(code.encoding, dtype=np.float64)
    else:
        encoding = np.ascontiguousarray(code.encoding.view(np.ndarray), dtype=np.int64)
    support = np.zeros((code.n, code.k), dtype=np.uint8)
    for i, row in enumerate(code.assignment):
        support[i, list(row)] = 1
    return encoding, support


def _index_dtype(*bounds: int) -> type:
    """int32 when every index and offset fits (as scipy.sparse stores them), else int64."""
    return np.int32 if max(bounds) < 2**31 else np.int64


def _sparse_matrices(code: Code) -> tuple[Any, Any]:
    """(B, support) as scipy CSR matrices: B float64 over the reals, int64 over GF(q); the n × k support bool."""
    import scipy.sparse as sp

    csr = code.sparse_encoding
    index = _index_dtype(csr.nnz, code.k * code.m)
    encoding = sp.csr_matrix((np.asarray(csr.data, dtype=np.float64 if code.is_real else np.int64),
                              np.asarray(csr.indices, dtype=index), np.asarray(csr.indptr, dtype=index)),
                             shape=(code.n, code.k * code.m))
    sizes = np.fromiter((len(row) for row in code.assignment), dtype=np.int64, count=code.n)
    held = np.fromiter((j for row in code.assignment for j in row), dtype=np.int64, count=int(sizes.sum()))
    index = _index_dtype(int(sizes.sum()), code.k)
    support = sp.csr_matrix((np.ones(len(held), dtype=bool), held.astype(index),
                             np.concatenate(([0], np.cumsum(sizes))).astype(index)), shape=(code.n, code.k))
    return encoding, support


# ---------------------------------------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------------------------------------
def export_code(code: Code, fmt: str, *, decoders: bool = False, encoding: str = "auto") -> str | bytes:
    """The code in format ``fmt`` (module docstring): text for json, csv and the structure formats, bytes for
    npz and mat. ``encoding`` (``auto``, ``dense``, ``csr``; :func:`gcli.io.json.encoding_form`) chooses between a
    plain matrix and compressed rows in json, npz and mat; csv is always dense rows."""
    if fmt not in EXPORT_FORMATS:
        raise NotSupported(f"unknown export format {fmt!r}: use {', '.join(EXPORT_FORMATS)}")
    if fmt in STRUCTURE_FORMATS:
        if decoders:
            raise NotSupported(f"--decoders applies to code formats ({', '.join(CODE_FORMATS)}), not {fmt}")
        return _structure_text(code, fmt)
    from gcli.io.json import encoding_form

    if fmt == "csv":
        if decoders:
            raise NotSupported("a csv file holds one matrix: export decoders as json, npz or mat")
        if encoding == "csr":
            raise NotSupported("csv holds the encoding as dense rows only: for compressed rows export npz or mat "
                               "(sparse matrices) or json --encoding csr")
        from gcli.code import MAX_DENSE_ENTRIES

        entries = code.n * code.k * code.m
        if entries > MAX_DENSE_ENTRIES:
            raise OverLimit(f"csv holds the dense encoding matrix, which for this code would have {entries:,} "
                            f"entries (beyond the limit of {MAX_DENSE_ENTRIES:,}): export it as npz or mat (sparse "
                            f"matrices) or json (compressed rows), {code.nnz:,} non-zeros")
        return _csv(code)
    form = encoding_form(code, encoding)
    table = surviving_decoders(code) if decoders else None
    if fmt == "json":
        return _json(code, table, form)
    if fmt == "npz":
        return _npz(code, table, form)
    return _mat(code, table, form)


def _json(code: Code, table: tuple[np.ndarray, np.ndarray, str] | None, form: str = "auto") -> str:
    from gcli.io.json import dumps

    text = dumps(code, form)
    if table is None:
        return text
    sets, matrices, kind = table
    plain = (lambda x: [float(v) for v in x]) if code.is_real else (lambda x: [int(v) for v in x])
    set_lines = ",\n".join("      " + json.dumps(row) for row in sets.tolist())
    matrix_lines = ",\n".join("      " + json.dumps([plain(row) for row in mat]) for mat in matrices)
    block = (
        f'  "decoders": {{\n    "kind": {json.dumps(kind)},\n    "surviving_size": {code.responders},\n'
        f'    "sets": [\n{set_lines}\n    ],\n    "matrices": [\n{matrix_lines}\n    ]\n  }}'
    )
    body = text.rstrip()
    return body[:-1].rstrip() + ",\n" + block + "\n}\n"


def _csv(code: Code) -> str:
    meta = _meta(code, ("encoding",))
    encoding, _ = _matrices(code)
    if code.is_real:
        rows = [",".join(repr(float(x)) for x in row) for row in encoding]
    else:
        rows = [",".join(str(int(x)) for x in row) for row in encoding]
    return "\n".join([CSV_MAGIC, "# " + meta, *rows]) + "\n"


def _decoder_arrays(arrays: dict[str, Any], table: tuple[np.ndarray, np.ndarray, str] | None, dtype: Any) -> None:
    if table is not None:
        sets, matrices, kind = table
        arrays["decoder_sets"] = sets
        arrays["decoders"] = np.asarray(matrices, dtype=dtype)
        arrays["decoders_kind"] = np.asarray(kind)


def _arrays(code: Code, table: tuple[np.ndarray, np.ndarray, str] | None) -> dict[str, np.ndarray]:
    """The members of a dense npz (and the variables of a dense mat) file."""
    encoding, support = _matrices(code)
    meta = _meta(code, ("encoding", "assignment"))
    arrays = {"format": np.asarray("gcli.code"), "format_version": np.asarray(1, dtype=np.int64),
              "meta": np.asarray(meta), "encoding": encoding, "assignment": support}
    _decoder_arrays(arrays, table, encoding.dtype)
    return arrays


def _sparse_npz_arrays(code: Code, table: tuple[np.ndarray, np.ndarray, str] | None) -> dict[str, np.ndarray]:
    """The members of a sparse npz file: scipy.sparse.save_npz's (``format`` = ``csr``, ``shape``, ``data``,
    ``indices``, ``indptr``: B, read by ``scipy.sparse.load_npz``), then ``meta`` and the worker × partition support
    as ``assignment_indptr`` / ``assignment_indices``."""
    encoding, support = _sparse_matrices(code)
    meta = _meta(code, ("encoding", "assignment"))
    arrays = {"indices": encoding.indices, "indptr": encoding.indptr, "format": np.asarray("csr"),
              "shape": np.asarray(encoding.shape, dtype=np.int64), "data": encoding.data, "meta": np.asarray(meta),
              "assignment_indptr": support.indptr, "assignment_indices": support.indices}
    _decoder_arrays(arrays, table, encoding.dtype)
    return arrays


def _npz(code: Code, table: tuple[np.ndarray, np.ndarray, str] | None, form: str = "dense") -> bytes:
    arrays = _sparse_npz_arrays(code, table) if form == "csr" else _arrays(code, table)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w") as handle:
                np.lib.format.write_array(handle, np.asanyarray(array), allow_pickle=False)
    return buffer.getvalue()


def _mat(code: Code, table: tuple[np.ndarray, np.ndarray, str] | None, form: str = "dense") -> bytes:
    from scipy.io import savemat

    arrays: dict[str, Any] = dict(_arrays_without_matrices(code, table) if form == "csr" else _arrays(code, table))
    if form == "csr":
        if not code.is_real and code.field.order > 2**53:
            raise NotSupported(f"MATLAB sparse matrices hold doubles, which cannot hold every element of "
                               f"{code.field_name} exactly: export it as npz or json")
        encoding, support = _sparse_matrices(code)
        arrays["encoding"] = encoding.astype(np.float64)  # MATLAB sparse: double (GF(q) integers stay exact)
        arrays["assignment"] = support  # MATLAB sparse logical
    arrays = {name: (str(a) if isinstance(a, np.ndarray) and a.dtype.kind == "U" else a)
              for name, a in arrays.items()}
    buffer = io.BytesIO()
    savemat(buffer, arrays, format="5", do_compression=False, oned_as="row")
    data = bytearray(buffer.getvalue())
    data[:116] = _MAT_HEADER.ljust(116).encode("ascii")  # the descriptive text: scipy writes the date there
    return bytes(data)


def _arrays_without_matrices(code: Code, table: tuple[np.ndarray, np.ndarray, str] | None) -> dict[str, Any]:
    """The variables of a sparse mat file before its two sparse matrices (same names and order as dense)."""
    meta = _meta(code, ("encoding", "assignment"))
    arrays: dict[str, Any] = {"format": np.asarray("gcli.code"), "format_version": np.asarray(1, dtype=np.int64),
                              "meta": np.asarray(meta), "encoding": None, "assignment": None}
    _decoder_arrays(arrays, table, np.float64 if code.is_real else np.int64)
    return arrays


# ---------------------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------------------
def export_kind(data: bytes) -> str | None:
    """``npz``, ``mat`` or ``csv`` from a file's first bytes; None for anything else (JSON)."""
    if data.startswith(b"PK\x03\x04"):
        return "npz"
    if data.startswith(b"MATLAB 5.0 MAT-file"):
        return "mat"
    if data.startswith(CSV_MAGIC.encode()):
        return "csv"
    return None


def _read_arrays(data: bytes, kind: str) -> dict[str, Any]:
    if kind == "npz":
        from gcli.io.limits import limit
        from gcli.io.reading import load_npy

        bound = 8 * limit("max_dense_entries") + 4096  # the largest member a dense matrix within the limit needs
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                out: dict[str, Any] = {}
                claimed = sum(info.file_size for info in archive.infolist())
                if claimed > 4 * bound:
                    raise OverLimit(f"the npz file's members claim {claimed} bytes in all, beyond the limit of "
                                    f"{4 * bound} (GCLI_MAX_DENSE_ENTRIES raises it)")
                for info in archive.infolist():
                    if info.file_size > bound:
                        raise OverLimit(f"npz member {info.filename} claims {info.file_size} bytes, beyond the "
                                        f"limit of {bound} (GCLI_MAX_DENSE_ENTRIES raises it)")
                    name = info.filename.removesuffix(".npy")
                    member = archive.open(info).read(bound + 1)
                    out[name] = load_npy(member, f"npz member {info.filename}", kinds="biufU")
                return out
        except InputError:
            raise
        except Exception as exc:  # numpy's and zipfile's many ways of saying "corrupt"
            raise BadFile(f"unreadable npz file: {exc.__class__.__name__}: {exc}") from None
    return _read_mat(data)


_MAT_TYPES: dict[int, str] = {1: "i1", 2: "u1", 3: "i2", 4: "u2", 5: "i4", 6: "u4", 7: "f4", 9: "f8", 12: "i8",
                              13: "u8", 16: "u1", 17: "u2", 18: "u4"}
"""MAT 5 data types (miINT8 … miUTF32) → numpy's letters (the UTF types as code units)."""
_MAT_CLASSES: dict[int, str] = {6: "f8", 7: "f4", 8: "i1", 9: "u1", 10: "i2", 11: "u2", 12: "i4", 13: "u4",
                                14: "i8", 15: "u8"}
"""MAT 5 numeric array classes (mxDOUBLE_CLASS … mxUINT64_CLASS) → numpy's letters; 4 is mxCHAR_CLASS."""


class _MatReader:
    """The elements of a MAT 5 file, each tag checked against the bytes that are really there."""

    def __init__(self, data: bytes, order: str | None = None) -> None:
        if order is None:
            if len(data) < 128 or data[126:128] not in (b"IM", b"MI"):
                raise BadFile("unreadable MAT file: no MAT 5 header")
            order = "<" if data[126:128] == b"IM" else ">"
        self.data = data
        self.order = order

    def element(self, position: int, end: int) -> tuple[int, bytes, int]:
        """(type, payload, next position) of the data element at ``position``, which must end by ``end``."""
        import struct

        if position + 8 > end:
            raise BadFile("unreadable MAT file: an element is cut short")
        kind, size = struct.unpack_from(f"{self.order}II", self.data, position)
        if kind >> 16:  # small data element: the size in the upper half, up to 4 bytes of data in the tag
            size, kind = kind >> 16, kind & 0xFFFF
            if size > 4:
                raise BadFile("unreadable MAT file: a small element claims more than 4 bytes")
            return kind, self.data[position + 4:position + 4 + size], position + 8
        stop = position + 8 + size
        if stop > end:
            raise BadFile(f"unreadable MAT file: an element claims {size} bytes, more than the file holds")
        return kind, self.data[position + 8:stop], stop + (0 if kind == 15 else -size % 8)  # compressed: unpadded

    def values(self, kind: int, payload: bytes) -> np.ndarray:
        letters = _MAT_TYPES.get(kind)
        if letters is None:
            raise BadFile(f"unreadable MAT file: data type {kind} is not supported")
        dtype = np.dtype(self.order + letters)
        if len(payload) % dtype.itemsize:
            raise BadFile("unreadable MAT file: a data element is not a whole number of values")
        return np.frombuffer(payload, dtype=dtype)


def _read_mat(data: bytes) -> dict[str, Any]:
    """The variables of a MAT 5 file (numeric and character matrices, also compressed as MATLAB writes them), read
    by gcli itself: every size is checked against the file's bytes and ``max_dense_entries`` (sparse matrices:
    ``max_workers`` rows and ``max_nonzeros`` non-zeros), anything else (cells, structs, complex matrices) is
    refused. scipy's reader is not used (module docstring: it trusts the tags, and a damaged file crashes it)."""
    from gcli.io.limits import limit

    reader = _MatReader(data)
    out: dict[str, Any] = {}
    _read_mat_elements(reader, 128, out, limit("max_dense_entries"), compressed=False)
    out.pop("__entries__", None)  # the running count of entries, bounded by 4 · max_dense_entries in all
    return out


def _read_mat_elements(reader: _MatReader, position: int, out: dict[str, Any], bound: int, compressed: bool) -> None:
    """Read the matrices from ``position`` to the end of ``reader.data`` into ``out``; a compressed element (as
    MATLAB writes by default) is inflated, at most as many bytes as a matrix within ``bound`` entries needs."""
    import zlib

    data = reader.data
    while position + 8 <= len(data):
        kind, payload, position = reader.element(position, len(data))
        if kind == 15:
            if compressed:
                raise BadFile("unreadable MAT file: a compressed element inside a compressed element")
            inflate = zlib.decompressobj()
            try:
                inner = inflate.decompress(payload, 8 * bound + 4096)
            except zlib.error as exc:
                raise BadFile(f"unreadable MAT file: {exc}") from None
            if inflate.unconsumed_tail:
                raise OverLimit(f"a compressed matrix in the MAT file expands beyond {8 * bound + 4096} bytes "
                                "(GCLI_MAX_DENSE_ENTRIES raises the limit)")
            _read_mat_elements(_MatReader(inner, reader.order), 0, out, bound, compressed=True)
            continue
        if kind != 14:
            raise BadFile(f"unreadable MAT file: a top-level element of type {kind}, not a matrix")
        base = position - len(payload) - (-len(payload) % 8)
        inner, end = base, base + len(payload)
        parts = []
        while inner < end and len(parts) < 7:
            sub_kind, sub, inner = reader.element(inner, end)
            parts.append((sub_kind, sub))
        if len(parts) < 4:
            raise BadFile("unreadable MAT file: a matrix lacks its flags, dimensions, name or values")
        flags = reader.values(parts[0][0], parts[0][1])
        dims = reader.values(parts[1][0], parts[1][1]).astype(np.int64)
        name = bytes(reader.values(parts[2][0], parts[2][1]).astype(np.uint8)).decode("ascii", "replace")
        if flags.size < 1 or dims.size < 2 or dims.min() < 0:
            raise BadFile(f"unreadable MAT file: variable {name!r} has malformed flags or dimensions")
        cls, complex_ = int(flags[0]) & 0xFF, bool(int(flags[0]) & 0x800)
        if cls == 5:  # mxSPARSE_CLASS: row indices, column offsets, values
            if complex_ or len(parts) != 6:
                raise BadFile(f"variable {name!r} of the MAT file is a complex or malformed sparse matrix: gcli "
                              "reads real matrices only")
            matrix = _mat_sparse(reader, name, dims, parts[3:])
            total = out.get("__entries__", 0) + matrix.nnz
            if total > 4 * bound:
                raise OverLimit(f"the MAT file's matrices hold {total} entries in all, beyond the limit of "
                                f"{4 * bound} (GCLI_MAX_DENSE_ENTRIES raises it)")
            out["__entries__"] = total
            out[name] = matrix
            continue
        if len(parts) > 5:
            raise BadFile(f"unreadable MAT file: variable {name!r} has more elements than a matrix")
        entries = int(np.prod(dims.astype(object)))
        total = out.get("__entries__", 0) + entries
        if int(dims.max()) > bound:  # (10⁹, 0) holds no entry, yet .tolist() builds 10⁹ rows
            raise OverLimit(f"variable {name!r} of the MAT file claims dimensions {tuple(dims.tolist())}, one beyond "
                            f"the limit of {bound} (GCLI_MAX_DENSE_ENTRIES raises it)")
        if entries > bound or total > 4 * bound:
            raise OverLimit(f"a matrix in the MAT file claims {entries} entries, beyond the limit of {bound} "
                            "(GCLI_MAX_DENSE_ENTRIES raises it)")
        if complex_ or len(parts) > 4:
            raise BadFile(f"variable {name!r} of the MAT file is complex: gcli reads real matrices only")
        values = reader.values(*parts[3])
        if values.size != entries and cls != 4:  # (UTF-8 and UTF-16 text: code units, not characters)
            raise BadFile(f"unreadable MAT file: variable {name!r} has {values.size} values for dimensions "
                          f"{tuple(dims.tolist())}")
        out["__entries__"] = total
        if cls == 4:  # characters
            codec = {16: "utf-8", 17: "utf-16-le" if reader.order == "<" else "utf-16-be"}.get(parts[3][0])
            try:
                text = parts[3][1].decode(codec) if codec else "".join(map(chr, values.tolist()))
            except (UnicodeDecodeError, ValueError):
                raise BadFile(f"unreadable MAT file: variable {name!r} is not text") from None
            out[name] = np.asarray(text)
        elif cls in _MAT_CLASSES:
            out[name] = _as_class(values, np.dtype(_MAT_CLASSES[cls]), name).reshape(tuple(dims.tolist()), order="F")
        else:
            raise BadFile(f"variable {name!r} of the MAT file is not a numeric or character matrix (class {cls})")


def _as_class(values: np.ndarray, dtype: np.dtype, name: str) -> np.ndarray:
    """The values of a MAT variable (stored in the file's data type) as its class ``dtype``, refused unless every
    value is held exactly: MATLAB stores, say, a double matrix of small integers as int8, but a class uint8
    variable whose data are 261 or 16.7 (or an int64 one holding NaN) would be read as 5, 16 or −2⁶³."""
    if values.dtype == dtype:
        return values
    with np.errstate(invalid="ignore", over="ignore"):
        converted = values.astype(dtype)
        mismatch = converted.astype(values.dtype) != values  # NaN never equals itself: refused unless kept as float
    if dtype.kind == "f" and values.dtype.kind == "f":
        mismatch &= ~np.isnan(values)
    if mismatch.any():
        raise BadFile(f"variable {name!r} of the MAT file is of class {dtype.name} but holds "
                      f"{values[np.argmax(mismatch)].item()!r}, which that class cannot hold exactly")
    return converted


def _mat_sparse(reader: _MatReader, name: str, dims: np.ndarray, parts: list[tuple[int, bytes]]) -> Any:
    """A MATLAB sparse matrix (compressed columns: row indices ``ir``, column offsets ``jc``, values ``pr``) as a
    scipy CSR matrix, after checking every offset and index against the dimensions: at most ``max_workers`` rows
    and ``max_nonzeros`` non-zeros, the columns backed by the offsets the file holds."""
    import scipy.sparse as sp

    from gcli.io.limits import limit

    if dims.size != 2:
        raise BadFile(f"unreadable MAT file: sparse variable {name!r} is not a matrix")
    rows, cols = (int(x) for x in dims)
    if rows > limit("max_workers"):
        raise OverLimit(f"sparse variable {name!r} of the MAT file has {rows} rows, beyond the limit of "
                        f"{limit('max_workers')} (GCLI_MAX_WORKERS raises it)")
    ir, jc, pr = (reader.values(kind, payload) for kind, payload in parts)
    if ir.dtype.kind not in "iu" or jc.dtype.kind not in "iu" or pr.dtype.kind not in "biuf":
        raise BadFile(f"unreadable MAT file: sparse variable {name!r} has indices or values of the wrong type")
    jc = jc.astype(np.int64)
    if len(jc) != cols + 1 or jc[0] != 0 or np.any(np.diff(jc) < 0):
        raise BadFile(f"unreadable MAT file: sparse variable {name!r} has malformed column offsets")
    nnz = int(jc[-1])
    if nnz > limit("max_nonzeros"):
        raise OverLimit(f"sparse variable {name!r} of the MAT file has {nnz} non-zeros, beyond the limit of "
                        f"{limit('max_nonzeros')} (GCLI_MAX_NONZEROS raises it)")
    if len(ir) < nnz or len(pr) < nnz:
        raise BadFile(f"unreadable MAT file: sparse variable {name!r} claims {nnz} non-zeros and holds fewer")
    ir = ir[:nnz].astype(np.int64)
    if nnz and (ir.min() < 0 or ir.max() >= rows):
        raise BadFile(f"unreadable MAT file: sparse variable {name!r} has a row index outside 0..{rows - 1}")
    values = pr[:nnz].astype(np.float64) if pr.dtype.kind == "b" else pr[:nnz]
    return sp.csc_matrix((values, ir, jc), shape=(rows, cols)).tocsr()


def _exact_values(values: np.ndarray, real: bool, where: str) -> list[Any]:
    """The entries as JSON-like numbers: floats over the reals; over GF(q) integers, refusing any entry that is not
    one exactly (16.7, NaN, ±inf, beyond int64) rather than truncating it."""
    values = np.asarray(values)
    if values.dtype.kind not in "biuf":
        raise BadFile(f"{where}: holds {values.dtype}, not numbers")
    if real:
        return values.astype(np.float64).tolist()
    if values.dtype.kind == "f":
        if not np.all(np.isfinite(values)) or np.any(values != np.floor(values)) or np.any(np.abs(values) >= 2**63):
            raise BadFile(f"{where}: encoding entries over a finite field must be integers")
    if values.dtype.kind == "u" and values.size and int(values.max()) >= 2**63:  # would wrap to a negative int64
        raise BadFile(f"{where}: an entry is beyond the range of int64")
    return values.astype(np.int64).tolist()


def _support_rows(indptr: np.ndarray, indices: np.ndarray) -> list[list[int]]:
    """The assignment (row i: the sorted partitions of worker i) from compressed rows of the support."""
    flat = indices.tolist()
    offsets = indptr.tolist()
    return [sorted(flat[offsets[i]:offsets[i + 1]]) for i in range(len(offsets) - 1)]


def _scalar_text(arrays: dict[str, Any], name: str) -> str:
    value = arrays.get(name)
    if value is None:
        raise BadFile(f"not a gcli code file: no {name!r} entry")
    return str(np.asarray(value).reshape(-1)[0]) if np.asarray(value).size else ""


def load_export(data: bytes) -> Code:
    """A code from the bytes of an npz, mat or csv export (validated like a JSON file)."""
    from gcli.io.json import code_from_dict

    kind = export_kind(data)
    if kind == "csv":
        return code_from_dict(_csv_object(data))
    if kind is None:
        raise BadFile("not an npz, MAT or gcli csv file")
    arrays = _read_arrays(data, kind)
    sparse_npz = kind == "npz" and _scalar_text(arrays, "format") == "csr"
    if not sparse_npz and _scalar_text(arrays, "format") != "gcli.code":
        raise BadFile("not a gcli code file (its format entry is not 'gcli.code')")
    from gcli.io.reading import parse_json

    obj = parse_json(_scalar_text(arrays, "meta"), "the meta entry")
    if not isinstance(obj, dict):
        raise BadFile("malformed meta entry: not a JSON object")
    real = isinstance(obj.get("field"), dict) and obj["field"].get("kind") == "real"
    if sparse_npz:  # scipy.sparse.save_npz's members, then the support as compressed rows
        try:
            shape = [int(x) for x in np.asarray(arrays["shape"]).reshape(-1)]
            indptr, indices, values = (np.asarray(arrays[key]).reshape(-1) for key in ("indptr", "indices", "data"))
            support = (np.asarray(arrays["assignment_indptr"]).reshape(-1),
                       np.asarray(arrays["assignment_indices"]).reshape(-1))
        except KeyError as exc:
            raise BadFile(f"not a gcli sparse npz file: no {exc.args[0]!r} entry") from None
        if any(a.dtype.kind not in "iu" for a in (indptr, indices, *support)) or len(shape) != 2:
            raise BadFile("the npz file's shape, indptr and indices entries must be integers")
        _check_offsets(*support, "assignment")
        obj["encoding"] = {"format": "csr", "shape": shape, "indptr": indptr.tolist(), "indices": indices.tolist(),
                           "data": _exact_values(values, real, "the npz file's data entry")}
        obj["assignment"] = _support_rows(*support)
        return code_from_dict(obj)
    encoding, support = arrays.get("encoding"), arrays.get("assignment")
    from gcli.io.limits import check

    for what, matrix in (("encoding", encoding), ("assignment", support)):  # rows before .tolist() builds them
        if matrix is not None and np.ndim(matrix) >= 1:
            check("max_workers", int(np.shape(matrix)[0]), f"the rows of the {what} matrix (n)")
    if _is_scipy_sparse(encoding):  # a MATLAB sparse matrix
        obj["encoding"] = {"format": "csr", "shape": list(encoding.shape), "indptr": encoding.indptr.tolist(),
                           "indices": encoding.indices.tolist(),
                           "data": _exact_values(encoding.data, real, "the MAT file's encoding")}
    else:
        encoding = np.asarray(encoding)
        if encoding.ndim != 2:
            raise BadFile("the encoding and assignment entries must be matrices")
        obj["encoding"] = encoding.tolist()
    if _is_scipy_sparse(support):
        support.eliminate_zeros()
        obj["assignment"] = _support_rows(support.indptr, support.indices)
    else:
        support = np.asarray(support)
        if support.ndim != 2:
            raise BadFile("the encoding and assignment entries must be matrices")
        obj["assignment"] = [np.flatnonzero(row).tolist() for row in support]
    return code_from_dict(obj)


def _is_scipy_sparse(value: Any) -> bool:
    return type(value).__module__.startswith("scipy.sparse")


def _check_offsets(indptr: np.ndarray, indices: np.ndarray, what: str) -> None:
    """Compressed-row offsets that rise from 0 to the number of indices (else InputError naming ``what``)."""
    if len(indptr) < 1 or indptr[0] != 0 or np.any(np.diff(indptr.astype(np.int64)) < 0) or indptr[-1] != len(indices):
        raise BadFile(f"malformed {what} entries in the npz file: offsets must rise from 0 to {len(indices)}")


def _csv_object(data: bytes) -> dict[str, Any]:
    from gcli.io.limits import check, check_entries

    check("max_workers", data.count(b"\n") - 2, "the lines of the csv file (one per worker)")  # before splitting
    try:
        lines = data.decode("ascii").splitlines()
    except UnicodeDecodeError:
        raise BadFile("a gcli csv file is ASCII text") from None
    if len(lines) < 2 or not lines[1].startswith("# "):
        raise BadFile("a gcli csv file needs its JSON line after the first line")
    from gcli.io.reading import parse_json

    obj = parse_json(lines[1][2:], "the JSON line of the csv file")
    if not isinstance(obj, dict):
        raise BadFile("malformed JSON line in the csv file: not an object")
    real = isinstance(obj.get("field"), dict) and obj["field"].get("kind") == "real"
    kept = [line for line in lines[2:] if line.strip() and not line.startswith("#")]
    check_entries(len(kept), kept[0].count(",") + 1 if kept else 0, "the csv file's encoding")  # before converting
    rows: list[list[Any]] = []
    for number, line in enumerate(lines[2:], start=3):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            rows.append([float(x) if real else int(x) for x in line.split(",")])
        except ValueError:
            raise BadFile(f"line {number} of the csv file is not a row of numbers") from None
    obj["encoding"] = rows
    return obj


def load_decoders(path: str | os.PathLike[str]) -> tuple[np.ndarray, np.ndarray, str]:
    """(sets, decoders, kind) written by ``gcli export --decoders`` into a json, npz or mat file."""
    from gcli.io.reading import read_bounded

    data = read_bounded(path)
    kind = export_kind(data)
    if kind in ("npz", "mat"):
        arrays = _read_arrays(data, kind)
        if "decoders" not in arrays:
            raise BadFile(f"{path} holds no decoders (export with --decoders)")
        sets = np.asarray(arrays["decoder_sets"], dtype=np.int64)
        matrices = np.asarray(arrays["decoders"])
        return sets.reshape(matrices.shape[0], -1), matrices.reshape(sets.shape[0], -1, sets.shape[-1]), \
            _scalar_text(arrays, "decoders_kind")
    from gcli.io.reading import parse_json

    obj = parse_json(data, os.fspath(path))
    block = obj.get("decoders") if isinstance(obj, dict) else None
    if not isinstance(block, dict):
        raise BadFile(f"{path} holds no decoders (export with --decoders)")
    return np.asarray(block["sets"], dtype=np.int64), np.asarray(block["matrices"]), str(block["kind"])


# ---------------------------------------------------------------------------------------------------------
# structures as graphs
# ---------------------------------------------------------------------------------------------------------
def structure_graph(code: Code) -> Any:
    """The networkx graph behind a code's ``graph`` or ``design`` block (module docstring); InputError when the
    code has neither. A ``MultiGraph`` when the graph has loops or multiple edges, else a ``Graph``."""
    import networkx as nx

    edges: list[tuple[int, int]]
    if "graph" in code.extras:
        block = code.extras["graph"]
        v = int(block["v"])
        pairs = [(int(a), int(b)) for a, b in block["edges"]]
        if block.get("kind") == "bipartite-regular":
            nodes = 2 * v
            edges = [(a, v + b) for a, b in pairs]
        else:
            nodes = v
            edges = pairs
    elif "design" in code.extras:
        block = code.extras["design"]
        v = int(block["v"])
        blocks = block["blocks"]
        nodes = v + len(blocks)
        edges = [(int(p), v + i) for i, members in enumerate(blocks) for p in members]
    else:
        raise NotSupported(f"the {code.scheme} code has no design or graph block to export as a graph")
    keys = [tuple(sorted(e)) for e in edges]
    multi = len(set(keys)) != len(keys) or any(a == b for a, b in edges)
    graph = nx.MultiGraph() if multi else nx.Graph()
    graph.add_nodes_from(range(nodes))
    graph.add_edges_from(edges)
    return graph


def _structure_text(code: Code, fmt: str) -> str:
    import networkx as nx

    graph = structure_graph(code)
    if fmt == "graph6":
        if graph.is_multigraph():
            raise NotSupported("graph6 holds simple graphs and this one has loops or multiple edges: use sparse6")
        return nx.to_graph6_bytes(graph, header=False).decode("ascii")
    if fmt == "sparse6":
        return nx.to_sparse6_bytes(graph, header=False).decode("ascii")
    lines = list(nx.generate_edgelist(graph, data=False))
    head = f"# {graph.number_of_nodes()} vertices, {len(lines)} edges: the {code.scheme} code's structure (gcli)"
    return "\n".join([head, *lines]) + "\n"


def read_graph(source: str | os.PathLike[str] | bytes, fmt: str | None = None) -> np.ndarray:
    """The adjacency matrix (int64, symmetric; multiple edges counted, a loop adds 2 on the diagonal) of a graph
    in graph6, sparse6 or edge-list format (``fmt`` None: recognised from the content).

    Edge lists have one ``u v`` pair of integers per line (``#`` comments and blank lines skipped, further
    columns ignored); their vertices are the integers that occur, numbered in increasing order. At most
    ``max_edges`` edges are read (``GCLI_MAX_EDGES``). For graph6 and
    sparse6 the optional ``>>graph6<<`` / ``>>sparse6<<`` header is accepted; a file with several graphs is
    refused.

    Example:
        >>> read_graph(b"0 1\\n1 2\\n2 0\\n").tolist()
        [[0, 1, 1], [1, 0, 1], [1, 1, 0]]
    """
    if isinstance(source, bytes):
        data = source
    else:
        from gcli.io.reading import read_bounded

        data = read_bounded(source, "graph file")
    text = data.strip()
    printable = bool(text) and all(63 <= c <= 126 or c in b"\r\n" for c in text.lstrip(b":"))
    if fmt is None:
        if text.startswith(b">>sparse6<<") or (text.startswith(b":") and printable):
            fmt = "sparse6"
        elif text.startswith(b">>graph6<<") or printable:
            fmt = "graph6"
        else:
            fmt = "edgelist"
    if fmt in ("graph6", "sparse6"):
        import networkx as nx  # (edge lists need no networkx)

        body = text.removeprefix(f">>{fmt}<<".encode()).strip()
        if b"\n" in body:
            raise BadFile(f"the {fmt} file holds several graphs: give one")
        if not body or not all(63 <= c <= 126 for c in body.removeprefix(b":")):
            raise BadFile(f"malformed {fmt} data: characters outside '?'..'~'")
        from gcli.io.limits import check_entries

        try:
            from networkx.readwrite.graph6 import data_to_n

            claimed, _ = data_to_n([c - 63 for c in body.removeprefix(b":")[:8]])
        except (ValueError, IndexError, TypeError) as exc:
            raise BadFile(f"malformed {fmt} data: {exc}") from None
        check_entries(claimed, claimed, f"the {fmt} graph's adjacency")  # before networkx builds its nodes
        try:
            graph = nx.from_graph6_bytes(body) if fmt == "graph6" else nx.from_sparse6_bytes(body)
        except (nx.NetworkXError, ValueError, IndexError, TypeError) as exc:
            raise BadFile(f"malformed {fmt} data: {exc}") from None
        v = graph.number_of_nodes()
        edges = [(int(a), int(b)) for a, b in graph.edges()]
    elif fmt == "edgelist":
        v, edges = _edge_list(data)
    else:
        raise NotSupported(f"unknown graph format {fmt!r}: use graph6, sparse6 or edgelist")
    from gcli.io.limits import check_entries

    check_entries(v, v, "the graph's adjacency")
    ends = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    adjacency = np.zeros((v, v), dtype=np.int64)
    np.add.at(adjacency, (ends[:, 0], ends[:, 1]), 1)  # a loop adds 2 on the diagonal: once from each end
    np.add.at(adjacency, (ends[:, 1], ends[:, 0]), 1)
    return adjacency


_PLAIN_EDGES = re.compile(rb"(?:[ \t]*-?[0-9]+[ \t]+-?[0-9]+[ \t]*\n)*(?:[ \t]*-?[0-9]+[ \t]+-?[0-9]+[ \t]*)?")
"""Lines of exactly two integers (the last line may lack its newline)."""


def _plain_edge_list(data: bytes, bound: int) -> tuple[int, np.ndarray] | None:
    """:func:`_edge_list` for the plain form ``u v`` per line (no comments, blank lines or further columns), a
    megabyte of lines at a time through numpy; None when a chunk is not of that form (the line-by-line reader
    then reads the file and names the line)."""
    parts: list[np.ndarray] = []
    edges = 0
    start = 0
    while start < len(data):
        stop = data.find(b"\n", start + (1 << 20))
        stop = len(data) if stop < 0 else stop + 1
        chunk = data[start:stop]
        start = stop
        if _PLAIN_EDGES.fullmatch(chunk) is None:
            return None
        tokens = chunk.split()
        lines = len(tokens) // 2
        try:
            parts.append(np.array(tokens).astype(np.int64))
        except (ValueError, OverflowError):
            return None
        edges += lines
        if edges > bound:
            raise OverLimit(f"the edge list has more than {bound} edges, the limit (set GCLI_MAX_EDGES to raise it)")
    if not edges:
        return None
    labels, inverse = np.unique(np.concatenate(parts), return_inverse=True)
    return len(labels), inverse.reshape(-1, 2)


def _edge_list(data: bytes) -> tuple[int, np.ndarray]:
    """(v, edges as a k × 2 array of vertex numbers 0..v−1) of an edge list (:func:`read_graph`), read line by line
    without a copy of the text, refused once it passes ``max_edges`` edges (:mod:`gcli.io.limits`)."""
    from array import array

    from gcli.io.limits import limit

    bound = limit("max_edges")
    if b"#" not in data and b"," not in data and b"\r" not in data:
        fast = _plain_edge_list(data, bound)
        if fast is not None:
            return fast
    ends = array("q")
    for number, raw in enumerate(io.BytesIO(data), start=1):
        line = raw.split(b"#", 1)[0].strip()
        if not line:
            continue
        parts = line.replace(b",", b" ").split(None, 2)
        try:
            a, b = int(parts[0]), int(parts[1])
            ends.append(a)
            ends.append(b)
        except (ValueError, IndexError, OverflowError):
            raise BadFile(f"line {number} of the edge list is not a pair of integer vertices") from None
        if len(ends) > 2 * bound:
            raise OverLimit(f"the edge list has more than {bound} edges, the limit (set GCLI_MAX_EDGES to raise it)")
    if not ends:
        raise BadFile("the edge list has no edges")
    labels, inverse = np.unique(np.frombuffer(ends, dtype=np.int64), return_inverse=True)
    return len(labels), inverse.reshape(-1, 2)
