"""The :class:`Code` model: what flows from ``design`` to ``verify`` to ``export``.

Conventions (as in the docs' conventions page; Tandon et al. 2017 for m = 1): n workers, k data partitions with
partial gradients
g_0..g_{k-1}, each split into m sub-vectors g_j^(u). The encoding matrix B has shape n × (k·m); column
``j*m + u`` is sub-vector u of partition j, and worker i sends f_i = Σ_{j,u} B[i, j*m+u] · g_j^(u). The
server wants, for every u, Σ_j g_j^(u): the m × (k·m) *target* T with T[u, j*m+u] = 1. A decoder for the
responding set F is an m × |F| matrix X with X · B_F = T. For m = 1 this is Tandon et al.'s condition
1 ∈ rowspan(B_F).

Sparse codes. A code can be built from a compressed-row encoding (a scipy.sparse matrix, or the triple
``(indptr, indices, data)`` of :func:`csr_encoding`) and keeps it as its primary representation: validation,
equality, :meth:`Code.encode`, JSON writing (:mod:`gcli.io.json`) and the structure certificate work on the non-zeros
(O(nnz)). ``code.encoding`` still gives the dense matrix, built on first use and kept, but only while
n·k·m ≤ :data:`MAX_DENSE_ENTRIES`; beyond it InputError says to use :attr:`Code.sparse_encoding`. Designs and
graph codes have d non-zeros per row, so codes of 10⁵ workers fit in a few megabytes.

Codes without galois. A code whose ``field`` is given as a :class:`gcli.fields.FieldInfo` (what
:func:`gcli.io.files.load_code` reads from a file) keeps B over GF(q) as an int64 matrix of the integers Σ c_i p^i and
builds neither the galois class nor the FieldArray until ``code.field`` or ``code.encoding`` is asked for:
verification reads :attr:`Code.field_info` and :meth:`Code.integer_encoding` instead, so ``gcli verify`` of a
GF(2^8) file never imports galois.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gcli.errors import BadFile, ImpossibleParameters, OverLimit
from gcli.fields import REAL, Field, FieldInfo, RealField, as_array, as_field, field_name, is_real

__all__ = ["MAX_DENSE_ENTRIES", "Code", "csr_encoding", "target_matrix"]

MAX_DENSE_ENTRIES = 20_000_000
"""Largest n·k·m for which a sparse code's dense ``encoding`` is built on demand (160 MB of float64)."""


def _is_sparse(value: Any) -> bool:
    """A scipy.sparse matrix or array (recognised without importing scipy)."""
    return type(value).__module__.startswith("scipy.sparse")


def csr_encoding(shape: tuple[int, int], indptr: Any, indices: Any, data: Any) -> Any:
    """A scipy CSR matrix from plain compressed-row arrays (row i holds ``data[indptr[i]:indptr[i+1]]`` at the
    columns ``indices[indptr[i]:indptr[i+1]]``); InputError when the arrays do not describe one.

    Example:
        >>> csr_encoding((2, 3), [0, 1, 3], [2, 0, 1], [1.0, 0.5, 0.5]).toarray().tolist()
        [[0.0, 0.0, 1.0], [0.5, 0.5, 0.0]]
    """
    import scipy.sparse as sp

    rows, cols = (int(x) for x in shape)
    ptr = np.asarray(indptr, dtype=np.int64)
    idx = np.asarray(indices, dtype=np.int64)
    values = np.asarray(data)
    if ptr.ndim != 1 or len(ptr) != rows + 1 or ptr[0] != 0 or np.any(np.diff(ptr) < 0):
        raise ImpossibleParameters(f"sparse encoding: indptr must rise from 0 in {rows + 1} steps")
    if idx.ndim != 1 or values.ndim != 1 or len(idx) != ptr[-1] or len(values) != ptr[-1]:
        raise ImpossibleParameters(f"sparse encoding: indices and data need indptr[-1] = {int(ptr[-1])} entries")
    if idx.size and (idx.min() < 0 or idx.max() >= cols):
        raise ImpossibleParameters(f"sparse encoding: a column index is outside 0..{cols - 1}")
    _refuse_duplicates(ptr, idx)
    return sp.csr_matrix((values, idx, ptr), shape=(rows, cols))


def _refuse_duplicates(ptr: np.ndarray, idx: np.ndarray) -> None:
    """InputError naming the first (row, column) that compressed rows list twice: scipy would add the two values,
    after any check of them (two finite 1e308 make inf, two elements of GF(q) a number ≥ q). O(nnz) when every
    row's columns are sorted (what gcli writes), O(nnz log nnz) otherwise."""
    if idx.size < 2:
        return
    row_of = np.repeat(np.arange(len(ptr) - 1, dtype=np.int64), np.diff(ptr))
    same_row = row_of[1:] == row_of[:-1]
    step = np.diff(idx)
    if not np.any(same_row & (step <= 0)):
        return  # strictly increasing columns within every row
    order = np.lexsort((idx, row_of))
    rows_sorted, cols_sorted = row_of[order], idx[order]
    twice = (rows_sorted[1:] == rows_sorted[:-1]) & (cols_sorted[1:] == cols_sorted[:-1])
    if twice.any():
        at = int(np.argmax(twice))
        raise BadFile(f"sparse encoding: entry (row {int(rows_sorted[at])}, column {int(cols_sorted[at])}) is "
                      "given twice in the compressed rows (each entry must appear once)")

def target_matrix(field: Field, k: int, m: int) -> np.ndarray:
    """The m × (k·m) target T with T[u, j*m+u] = 1: the decoder must produce Σ_j g_j^(u) for each u."""
    t = np.zeros((m, k * m), dtype=np.int64)
    for u in range(m):
        t[u, u::m] = 1
    return t.astype(np.float64) if is_real(field) else field(t)


@dataclass(frozen=True, eq=False)
class Code:
    """A gradient code: encoding matrix, data assignment, parameters and how it was built.

    Attributes:
        scheme: registry name of the construction (``"frc"``, ``"crc"``, ``"reed-solomon"``, …).
        field: :data:`gcli.fields.REAL` or a galois field class.
        n: workers. k: data partitions. s: stragglers tolerated. m: communication-reduction factor (each
            worker sends ℓ/m symbols). a: adversarial workers tolerated. d: computation load, the largest
            number of partitions held by one worker.
        assignment: ``assignment[i]`` is the sorted tuple of partitions held by worker i.
        encoding: B, shape n × (k·m); float64 ndarray over the reals, a galois FieldArray over GF(q). A scipy
            sparse matrix (or anything with ``tocsr``) makes a sparse code (module docstring): the dense
            ``encoding`` is then built on first use, up to :data:`MAX_DENSE_ENTRIES` entries.
        exact: True when the code claims exact recovery (approximate codes say False).
        construction: the parameters used to build it, including the seed (JSON-serialisable).
        extras: optional structure blocks carried into the JSON (e.g. ``design``, ``graph``).
    """

    scheme: str
    field: Field
    n: int
    k: int
    s: int
    m: int
    a: int
    d: int
    assignment: tuple[tuple[int, ...], ...]
    encoding: np.ndarray
    exact: bool = True
    construction: Mapping[str, Any] = field(default_factory=dict)
    extras: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        info = self.field if isinstance(self.field, FieldInfo) else None
        fld: Any = info if info is not None else as_field(self.field)
        object.__setattr__(self, "field", fld)
        for name in ("n", "k", "s", "m", "a", "d"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | np.integer):
                raise ImpossibleParameters(f"code parameter {name} must be an integer, got {value!r}")
            object.__setattr__(self, name, int(value))
        if self.n < 1 or self.k < 1 or self.m < 1:
            raise ImpossibleParameters(f"need n, k, m ≥ 1 (got n={self.n}, k={self.k}, m={self.m})")
        if self.s < 0 or self.a < 0:
            raise ImpossibleParameters(f"need s, a ≥ 0 (got s={self.s}, a={self.a})")
        if self.s + 2 * self.a >= self.n:
            raise ImpossibleParameters(f"s + 2a = {self.s + 2 * self.a} must be smaller than n = {self.n}")
        if _is_sparse(self.encoding):
            self._init_sparse(fld)
            self._defer_galois(info)
            return
        enc = _integers(info, self.encoding) if info is not None else as_array(fld, self.encoding)
        if enc.shape != (self.n, self.k * self.m):
            raise ImpossibleParameters(
                f"encoding has shape {enc.shape}, expected n × k·m = {self.n} × {self.k * self.m}"
            )
        if is_real(fld) and not np.all(np.isfinite(enc)):
            raise ImpossibleParameters("encoding has non-finite entries")
        enc = enc.copy()
        enc.setflags(write=False)
        object.__setattr__(self, "encoding", enc)
        assignment = self._normalise_assignment(self.assignment)
        object.__setattr__(self, "assignment", assignment)
        sizes, flat = _assignment_arrays(assignment)
        load = int(sizes.max(initial=0))
        if self.d != load:
            raise ImpossibleParameters(f"d = {self.d} but the assignment's largest load is {load}")
        support = np.asarray(enc != 0).reshape(self.n, self.k, self.m).any(axis=2)  # n × k, like B
        support[np.repeat(np.arange(self.n, dtype=np.int64), sizes), flat] = False  # what is left is not held
        if support.any():
            i = int(np.argmax(support.any(axis=1)))
            raise ImpossibleParameters(
                f"worker {i} encodes partitions {np.flatnonzero(support[i]).tolist()} that it is not assigned"
            )
        self._defer_galois(info)

    def _defer_galois(self, info: FieldInfo | None) -> None:
        """Over a :class:`FieldInfo`, keep the field as numbers and B as integers (module docstring): ``field`` and
        ``encoding`` are then built by :meth:`__getattr__` on first use."""
        if info is None:
            return
        object.__setattr__(self, "_info", info)
        object.__delattr__(self, "field")
        if "encoding" in self.__dict__:
            object.__setattr__(self, "_integers", self.__dict__["encoding"])
            object.__delattr__(self, "encoding")

    def _init_sparse(self, fld: Field) -> None:
        """Validate and keep a compressed-row encoding (O(nnz)); the dense matrix is left to :meth:`__getattr__`."""
        csr = self.encoding.tocsr(copy=True)
        if csr.shape != (self.n, self.k * self.m):
            raise ImpossibleParameters(
                f"encoding has shape {csr.shape}, expected n × k·m = {self.n} × {self.k * self.m}")
        for _ in range(2):  # the entries as given, then again after duplicates are added (1e308 + 1e308 = inf)
            if is_real(fld):
                csr = csr.astype(np.float64)
                if not np.all(np.isfinite(csr.data)):
                    raise ImpossibleParameters("encoding has non-finite entries")
            else:
                data = np.asarray(csr.data)
                if data.size and (data.dtype.kind not in "iuf" or np.any(data != np.round(data)) or data.min() < 0
                                  or data.max() >= fld.order):
                    raise ImpossibleParameters(f"entries over {field_name(fld)} must be integers in [0, {fld.order})")
                csr = csr.astype(np.int64)
            if csr.has_canonical_format:
                break
            csr.sum_duplicates()
        csr.eliminate_zeros()
        csr.sort_indices()
        for array in (csr.data, csr.indices, csr.indptr):
            array.setflags(write=False)
        object.__setattr__(self, "_sparse", csr)
        object.__delattr__(self, "encoding")  # built on demand by __getattr__
        assignment = self._normalise_assignment(self.assignment)
        object.__setattr__(self, "assignment", assignment)
        sizes, flat = _assignment_arrays(assignment)
        load = int(sizes.max(initial=0))
        if self.d != load:
            raise ImpossibleParameters(f"d = {self.d} but the assignment's largest load is {load}")
        held = np.repeat(np.arange(self.n, dtype=np.int64), sizes) * self.k + flat  # ascending
        rows = np.repeat(np.arange(self.n, dtype=np.int64), np.diff(csr.indptr))
        used = rows * self.k + csr.indices // self.m
        found = np.minimum(np.searchsorted(held, used), max(len(held) - 1, 0))
        outside = held[found] != used if len(held) else np.ones(len(used), dtype=bool)
        if outside.any():
            i = int(rows[np.argmax(outside)])
            extra = sorted(set((csr.indices[csr.indptr[i] : csr.indptr[i + 1]] // self.m).tolist())
                           - set(assignment[i]))
            raise ImpossibleParameters(f"worker {i} encodes partitions {extra} that it is not assigned")

    def __getattr__(self, name: str) -> Any:
        """The dense ``encoding`` of a sparse code, built on first use (only below :data:`MAX_DENSE_ENTRIES`); over
        a :class:`FieldInfo`, the galois ``field`` and the FieldArray ``encoding``, built on first use."""
        info = self.__dict__.get("_info")
        if name == "field" and info is not None:
            fld = info.galois()
            object.__setattr__(self, "field", fld)
            return fld
        integers = self.__dict__.get("_integers")
        if name == "encoding" and integers is not None:
            enc = self.field(integers)
            enc.setflags(write=False)
            object.__setattr__(self, "encoding", enc)
            return enc
        sparse = self.__dict__.get("_sparse")
        if name != "encoding" or sparse is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        entries = self.n * self.k * self.m
        if entries > MAX_DENSE_ENTRIES:
            raise OverLimit(f"this code's dense encoding would have {entries} entries (more than "
                            f"{MAX_DENSE_ENTRIES}); use code.sparse_encoding ({sparse.nnz} non-zeros)")
        dense = sparse.toarray()
        enc = dense if self.is_real else self.field(dense)
        enc.setflags(write=False)
        object.__setattr__(self, "encoding", enc)
        return enc

    @property
    def field_info(self) -> RealField | FieldInfo | Field:
        """The field without building a galois class: REAL, the :class:`FieldInfo` the code was read with, or the
        galois class it was built with (all of them have ``order``, ``characteristic``, ``degree`` and
        ``irreducible_poly``)."""
        info = self.__dict__.get("_info")
        return info if info is not None else self.field

    def integer_encoding(self) -> np.ndarray:
        """B as a dense ndarray: float64 over the reals, int64 (the integers Σ c_i p^i) over GF(q), without
        building a galois class for a code read over a :class:`FieldInfo`."""
        integers = self.__dict__.get("_integers")
        if integers is not None:
            return integers  # type: ignore[no-any-return]
        if "encoding" not in self.__dict__ and self.__dict__.get("_info") is not None:  # sparse, no galois
            entries = self.n * self.k * self.m
            if entries > MAX_DENSE_ENTRIES:
                self.__getattr__("encoding")  # raises the InputError that names sparse_encoding
            return self.sparse_encoding.toarray()  # type: ignore[no-any-return]
        enc = np.asarray(self.encoding)
        return enc.astype(np.float64) if self.is_real else enc.view(np.ndarray).astype(np.int64)

    @property
    def is_sparse(self) -> bool:
        """True when the code was built from a compressed-row encoding (its primary representation)."""
        return "_sparse" in self.__dict__

    @property
    def sparse_encoding(self) -> Any:
        """B as a read-only scipy CSR matrix (float64 over the reals, galois integer codes over GF(q)).

        For a sparse code this is its own encoding (no copy); for a dense code it is built from the dense matrix.
        """
        sparse = self.__dict__.get("_sparse")
        if sparse is not None:
            return sparse
        import scipy.sparse as sp

        return sp.csr_matrix(self.integer_encoding())

    @property
    def nnz(self) -> int:
        """Number of non-zero entries of B."""
        sparse = self.__dict__.get("_sparse")
        return int(sparse.nnz) if sparse is not None else int(np.count_nonzero(self.integer_encoding()))

    def _normalise_assignment(self, assignment: Sequence[Sequence[int]]) -> tuple[tuple[int, ...], ...]:
        if len(assignment) != self.n:
            raise ImpossibleParameters(f"assignment has {len(assignment)} rows, expected n = {self.n}")
        if self.n > 1000:  # many workers: check and sort all rows at once
            fast = normalise_assignment_arrays(assignment, self.k)
            if fast is not None:
                return fast
        rows: list[tuple[int, ...]] = []
        for i, row in enumerate(assignment):
            items = sorted(int(j) for j in row)
            if len(set(items)) != len(items):
                raise ImpossibleParameters(f"worker {i} is assigned a partition twice")
            if items and (items[0] < 0 or items[-1] >= self.k):
                raise ImpossibleParameters(f"worker {i} is assigned a partition outside 0..{self.k - 1}")
            rows.append(tuple(items))
        return tuple(rows)

    # -- derived quantities -------------------------------------------------------------------------------
    @property
    def target(self) -> np.ndarray:
        """The m × (k·m) target matrix T."""
        return target_matrix(self.field, self.k, self.m)

    @property
    def field_name(self) -> str:
        """``real``, ``GF(p)`` or ``GF(p^e)``."""
        return field_name(self.field_info)

    @property
    def is_real(self) -> bool:
        """True when the code is over the reals."""
        return is_real(self.field_info)

    @property
    def responders(self) -> int:
        """How many workers the decoder must be able to use: n − s − 2a."""
        return self.n - self.s - 2 * self.a

    def replication(self) -> np.ndarray:
        """How many workers hold each partition (length-k integer array)."""
        counts = np.zeros(self.k, dtype=np.int64)
        for row in self.assignment:
            counts[list(row)] += 1
        return counts

    def encode(self, gradients: np.ndarray) -> np.ndarray:
        """What each worker sends, for partial gradients of shape (k, ℓ) with m | ℓ: shape (n, ℓ/m).

        Sub-vector u of partition j is ``gradients[j, u*ℓ/m:(u+1)*ℓ/m]``.
        """
        g = as_array(self.field, gradients)
        if g.ndim != 2 or g.shape[0] != self.k or g.shape[1] % self.m:
            raise ImpossibleParameters(f"gradients must have shape (k, ℓ) with m | ℓ; got {g.shape}")
        blocks = g.reshape(self.k * self.m, g.shape[1] // self.m)
        if self.is_sparse and self.is_real:
            return np.asarray(self.sparse_encoding @ blocks)
        if self.is_real:
            return self.encoding @ blocks
        from gcli.fields.arithmetic import field_matmul

        return field_matmul(self.field, self.encoding, blocks)

    def with_encoding(self, encoding: Any) -> Code:
        """A copy with another encoding matrix, dense or sparse (for experiments, e.g. corrupting an entry)."""
        return Code(
            scheme=self.scheme,
            field=self.field_info,
            n=self.n,
            k=self.k,
            s=self.s,
            m=self.m,
            a=self.a,
            d=self.d,
            assignment=self.assignment,
            encoding=encoding,
            exact=self.exact,
            construction=dict(self.construction),
            extras=dict(self.extras),
        )

    # -- equality -----------------------------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Code):
            return NotImplemented
        same_field = _field_key(self.field_info) == _field_key(other.field_info)
        return (
            same_field
            and (self.scheme, self.n, self.k, self.s, self.m, self.a, self.d, self.exact)
            == (other.scheme, other.n, other.k, other.s, other.m, other.a, other.d, other.exact)
            and self.assignment == other.assignment
            and self._same_encoding(other)
            and dict(self.construction) == dict(other.construction)
            and dict(self.extras) == dict(other.extras)
        )

    def _same_encoding(self, other: Code) -> bool:
        if not (self.is_sparse or other.is_sparse):
            return bool(np.array_equal(self.integer_encoding(), other.integer_encoding()))
        mine, theirs = self.sparse_encoding, other.sparse_encoding
        return bool(mine.shape == theirs.shape and np.array_equal(mine.indptr, theirs.indptr)
                    and np.array_equal(mine.indices, theirs.indices) and np.array_equal(mine.data, theirs.data))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"Code({self.scheme!r}, field={self.field_name}, n={self.n}, k={self.k}, s={self.s}, "
            f"m={self.m}, a={self.a}, d={self.d})"
        )


def _assignment_arrays(assignment: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Row sizes and all entries, row after row, of a normalised assignment (int64 arrays, O(total) Python work)."""
    from itertools import chain

    sizes = np.fromiter(map(len, assignment), dtype=np.int64, count=len(assignment))
    flat = np.fromiter(chain.from_iterable(assignment), dtype=np.int64, count=int(sizes.sum()))
    return sizes, flat


def normalise_assignment_arrays(assignment: Sequence[Sequence[int]], k: int) -> tuple[tuple[int, ...], ...] | None:
    """The rows of ``assignment`` sorted, as tuples of ints, checked in numpy: every entry in 0..k−1, none twice in
    a row. None when some row breaks a rule or holds something numpy cannot read as int64 (the row-by-row path of
    :class:`Code` then names it).

    >>> normalise_assignment_arrays([[1, 0], [1]], 2)
    ((0, 1), (1,))
    """
    from itertools import chain, islice

    try:
        sizes, flat = _assignment_arrays(assignment)
    except (TypeError, ValueError, OverflowError):
        return None
    n = len(sizes)
    owner = np.repeat(np.arange(n, dtype=np.int64), sizes)
    if (flat.size == 0 or (flat.min() >= 0 and flat.max() < k)) and np.all((np.diff(flat) > 0) | (np.diff(owner) != 0)):
        if set(map(type, chain.from_iterable(assignment))) <= {int}:  # already normalised Python ints
            return tuple(map(tuple, assignment))
    flat = flat[np.lexsort((flat, owner))]
    if flat.size and (flat.min() < 0 or flat.max() >= k or np.any((np.diff(flat) == 0) & (np.diff(owner) == 0))):
        return None
    if n and np.all(sizes == sizes[0]):  # every row the same length (the usual case): one reshape
        return tuple(map(tuple, flat.reshape(n, int(sizes[0])).tolist()))
    values = iter(flat.tolist())
    return tuple(tuple(islice(values, size)) for size in sizes.tolist())


def _field_key(field: Any) -> tuple[int, int]:
    """Fields are equal when their orders and polynomials are (the reals: (0, 0))."""
    return (0, 0) if field is REAL else (int(field.order), int(field.irreducible_poly))


def _integers(info: FieldInfo, values: Any) -> np.ndarray:
    """Entries over ``info`` as int64: integers in [0, q), else ImpossibleParameters (what :func:`as_array` checks)."""
    arr = np.asarray(values)
    bad = ImpossibleParameters(f"entries over {field_name(info)} must be integers in [0, {info.order})")
    if arr.size and arr.dtype.kind == "O":
        if not all(isinstance(x, int | np.integer) and not isinstance(x, bool) for x in arr.flat):
            raise bad
        if min(arr.flat) < 0 or max(arr.flat) >= info.order:
            raise bad
    elif arr.size and (arr.dtype.kind not in "iu" or arr.min() < 0 or arr.max() >= info.order):
        raise bad
    return arr.astype(np.int64)


def assignment_from_support(encoding: np.ndarray, k: int, m: int) -> tuple[tuple[int, ...], ...]:
    """The assignment implied by B's support: worker i holds j iff some B[i, j*m+u] ≠ 0."""
    support = np.asarray(encoding != 0).reshape(encoding.shape[0], k, m).any(axis=2)
    return tuple(tuple(np.flatnonzero(row).tolist()) for row in support)
