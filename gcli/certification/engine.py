"""The verification engine: split the surviving sets into work units and check each unit.

A *unit* is either a range of lexicographic ranks of r-subsets of {0..n−1} (exhaustive checks) or a slice of
an explicit list of patterns (sampling). Units are independent, so they can run in this process or on any
:class:`concurrent.futures.Executor` (threads, processes, a Dask ``Client.get_executor()``); results are
merged by index, so the report does not depend on how the work was split.

Ranks use the combinatorial number system in lexicographic order: for F = (c_0 < … < c_{r−1}) ⊆ {0..n−1},

    rank(F) = C(n, r) − 1 − Σ_i C(n − 1 − c_i, r − i),

and :func:`unrank_combination` inverts it greedily (the number of r-subsets whose element i is x, after the
previous element, is C(n − 1 − x, r − 1 − i)).

Backends: over GF(p) with p < 2^31 and GF(p^e) with q ≤ 2^20 the compiled kernels of :mod:`gcli.certification._kernels`
(depth-first with prefix reuse: the quotient walk over GF(p), the row walk over GF(p^e)); over larger fields the
batched numpy elimination of :mod:`gcli.fields.linalg`; over the reals one compiled walk per unit
(:func:`gcli.certification._real_kernels.real_walk`: residual, condition number, float64 decoding error and
approximation tallies from one factorisation per set), the sets it flags (κ beyond :func:`kappa_limit`, doubtful
rank) by the SVD route of :func:`gcli.fields.linalg.batched_real_report`; passes over fewer than
:data:`WALK_THRESHOLD` sets by that batched QR/SVD (no compiled kernel to load). ``backend="numpy"`` forces the
batched numpy path everywhere (the reference implementation the tests compare against: the SVD route over the reals,
the approximation kernel in its own walk).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import math
import multiprocessing
import os
import threading
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from gcli.errors import NotSupported
from gcli.fields import Field, is_real
from gcli.fields.arithmetic import arithmetic_applies, exp_log_tables

__all__ = [
    "ApproxSpec",
    "ApproxTally",
    "FieldSpec",
    "Task",
    "Unit",
    "UnitResult",
    "field_spec",
    "rank_combination",
    "run_unit",
    "unrank_combination",
    "warm_up",
]

_SATURATE = 2**62


# ---------------------------------------------------------------------------------------------------------
# combinatorial number system
# ---------------------------------------------------------------------------------------------------------
SCHEDULER_TIMEOUT = 10.0  # seconds to wait for a Dask scheduler's handshake and connection (``--scheduler``)
PARALLEL_THRESHOLD = 20_000  # below this many surviving sets, handing work to threads costs more than it saves


def default_jobs(patterns: int | None = None) -> int:
    """The cores this process may run on (its CPU affinity where the platform tells it); 1 for jobs of fewer
    than :data:`PARALLEL_THRESHOLD` patterns (measured: 1,820 sets ran faster on one thread)."""
    if patterns is not None and patterns < PARALLEL_THRESHOLD:
        return 1
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


@contextlib.contextmanager
def blas_threads(limit: int) -> Iterator[None]:
    """Run the block with at most ``limit`` BLAS/OpenMP threads (threadpoolctl, imported here only).

    OpenBLAS starts one thread per core by default, even when gcli was asked for ``--jobs 1``; on a shared,
    loaded machine its spinning threads made a 998 × 1000 SVD about ten times slower than on one thread, and
    its rounding depends on its thread count. ``gcli verify`` runs with ``blas_threads(1)``: its parallelism is
    the ``--jobs`` threads, and its report is the same for every ``--jobs``.

    Example:
        >>> with blas_threads(1):
        ...     pass
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=max(1, limit)):
        yield


@contextlib.contextmanager
def local_executor(jobs: int, processes: bool = False) -> Iterator[Executor | None]:
    """An executor for ``verify(..., executor=...)`` on this machine, or None for ``jobs <= 1``.

    Threads by default: the compiled GF kernels are ``nogil`` and LAPACK releases the GIL, so threads scale
    without the start-up cost of processes (each of which must load the kernels again). ``processes=True``
    gives a spawn-based process pool instead.
    """
    if jobs <= 1:
        yield None
        return
    pool: Executor = (
        ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))
        if processes
        else ThreadPoolExecutor(max_workers=jobs)
    )
    with pool:
        yield pool


@contextlib.contextmanager
def dask_executor(address: str) -> Iterator[Executor]:
    """A :class:`concurrent.futures.Executor` view of a Dask distributed cluster (extra ``dask``).

    InputError when Dask is not installed or the scheduler cannot be reached."""
    from gcli.errors import InputError

    try:
        from distributed import Client
    except ImportError:
        raise NotSupported("--scheduler needs Dask: pip install 'gradcode[dask]'") from None
    from gcli.certification.scheduler import check_scheduler

    check_scheduler(address, timeout=SCHEDULER_TIMEOUT)  # one line for a peer that is not Dask (bytes never trusted)
    try:
        client = Client(address, timeout=SCHEDULER_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        yield client.get_executor()
    finally:
        client.close()


def rank_combination(combination: tuple[int, ...] | list[int] | np.ndarray, n: int) -> int:
    """Lexicographic rank of a sorted r-subset of {0..n−1} among all r-subsets."""
    items = [int(x) for x in combination]
    r = len(items)
    return math.comb(n, r) - 1 - sum(math.comb(n - 1 - c, r - i) for i, c in enumerate(items))


def unrank_combination(rank: int, n: int, r: int) -> tuple[int, ...]:
    """The r-subset of {0..n−1} with the given lexicographic rank (inverse of :func:`rank_combination`)."""
    if not 0 <= rank < math.comb(n, r):
        raise ValueError(f"rank {rank} outside 0..C({n},{r})−1")
    out: list[int] = []
    x = 0
    for i in range(r):
        while True:
            below = math.comb(n - 1 - x, r - 1 - i)
            if rank < below:
                break
            rank -= below
            x += 1
        out.append(x)
        x += 1
    return tuple(out)


COMPILED_PATTERNS = 1 << 16
"""From this many r-subsets in the whole enumeration on, :func:`_patterns_of` generates them with the compiled kernel
(``fill_combinations``, ≈ 0.2 µs a pattern); below it, with :func:`combinations_from` in plain Python (≈ 1–2 µs a
pattern), which never imports numba: loading numba and a cached kernel costs ≈ 1 s a process, compiling it ≈ 2 s
on a cold cache — more than generating tens of thousands of patterns."""


def combinations_from(start: int, count: int, n: int, r: int) -> np.ndarray:
    """The ``count`` r-subsets of ranks start, start+1, … as a (count, r) int64 array (fewer at the end).

    Pure Python and numpy (no numba). In lexicographic order the subsets after F = (c_0 < … < c_{r−1}) are, for
    i = r−1 down to 0 and each v = c_i + 1, …, n − r + i: the prefix (c_0, …, c_{i−1}, v) followed by every
    (r−i−1)-subset of {v+1..n−1} in lexicographic order — one block of C(n−1−v, r−i−1) rows, whose tails
    ``itertools.combinations`` produces.

    >>> combinations_from(2, 3, 4, 2).tolist()
    [[0, 3], [1, 2], [1, 3]]
    """
    count = max(0, min(count, math.comb(n, r) - start))
    out = np.empty((count, r), dtype=np.int64)
    if count == 0:
        return out
    first = unrank_combination(start, n, r)
    out[0] = first
    row = 1
    for i in range(r - 1, -1, -1):
        k = r - i - 1
        for v in range(first[i] + 1, n - k):
            if row >= count:
                return out
            size = min(math.comb(n - 1 - v, k), count - row)
            block = out[row : row + size]
            block[:, :i] = first[:i]
            block[:, i] = v
            if k:
                tails = itertools.islice(itertools.combinations(range(v + 1, n), k), size)
                flat = np.fromiter(itertools.chain.from_iterable(tails), dtype=np.int64, count=size * k)
                block[:, i + 1 :] = flat.reshape(size, k)
            row += size
    return out[:row]


# ---------------------------------------------------------------------------------------------------------
# fields as plain data (picklable for process pools and Dask workers)
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldSpec:
    """A field described by numbers only (those of :class:`gcli.fields.FieldInfo`) plus the kernel it runs on.
    ``kind``: 0 GF(p) small, 1 GF(2^e), 2 GF(p^e) odd p (the cases of
    :func:`gcli.fields.arithmetic.arithmetic_applies`), −1 a finite field the kernels cannot handle (numpy path),
    3 the reals."""

    kind: int
    order: int
    characteristic: int
    degree: int
    irreducible_poly: int
    primitive_element: int = 0

    @property
    def is_real(self) -> bool:
        return self.kind == 3

    def galois_field(self) -> Any:
        from gcli.fields import FieldInfo

        return FieldInfo(self.order, self.characteristic, self.degree, self.irreducible_poly).galois()


def field_spec(field: Field) -> FieldSpec:
    """Describe a field for the kernels."""
    if is_real(field):
        return FieldSpec(3, 0, 0, 1, 0)
    p, e, q = int(field.characteristic), int(field.degree), int(field.order)
    poly = int(field.irreducible_poly)
    alpha = int(field.primitive_element) if e > 1 else 0
    if not arithmetic_applies(p, e):
        kind = -1
    elif e == 1:
        kind = 0
    else:
        kind = 1 if p == 2 else 2
    return FieldSpec(kind, q, p, e, poly, alpha)


def _tables(spec: FieldSpec) -> tuple[np.ndarray, np.ndarray]:
    """The kernels' exp/log tables (:func:`gcli.fields.arithmetic.exp_log_tables`; placeholders for other kinds)."""
    if spec.kind not in (1, 2):
        return np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64)
    return exp_log_tables(spec.characteristic, spec.degree, spec.irreducible_poly, spec.primitive_element)


@functools.lru_cache(maxsize=16)
def _binomials(n: int, r: int) -> np.ndarray:
    """C(a, j) for 0 ≤ a ≤ n, 0 ≤ j ≤ r, saturated at 2^62 (int64)."""
    table = np.zeros((n + 1, r + 1), dtype=np.int64)
    for a in range(n + 1):
        for j in range(min(a, r) + 1):
            table[a, j] = min(math.comb(a, j), _SATURATE)
    return table


# ---------------------------------------------------------------------------------------------------------
# tasks and units
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ApproxSpec:
    """What the approximation kernels (:mod:`gcli.certification._approx_kernels`) tally for every set F of a real task.

    ``columns`` (W × n × m, float64: the transposes X_dᵀ) and ``weights`` (W) describe W fixed linear decoders
    w_d·(X_d)_F for the task's size of F. ``exact_tolerance`` is the
    relative residual ‖X*B_F − T‖/‖T‖ up to which a set counts as exact; ``residual_sum`` asks for
    Σ_F (T − T·P_F) (the bias of the optimal decoder); ``only`` skips the stability figures of the real pass
    (condition numbers, float64 errors: the approximation kernel alone).
    """

    columns: np.ndarray
    weights: np.ndarray
    exact_tolerance: float
    residual_sum: bool = False
    only: bool = False


@dataclass(frozen=True)
class ApproxTally:
    """What one unit's approximation kernel found: counts, and for the optimal decoder and each fixed decoder
    the sum of the errors, the sum of their squares, the largest error and its global index (row [sum, sumsq,
    max, index]); ``residual_sum`` is Σ_F (T − T·P_F) when asked for."""

    checked: int
    inexact: int
    first_inexact: int | None
    optimal: np.ndarray
    decoders: np.ndarray
    residual_sum: np.ndarray | None = None


@dataclass(frozen=True)
class Task:
    """Everything a worker needs: B and T as plain arrays (int64 over GF(q), float64 over the reals).

    Over the reals a task can also carry the messages f = B·g of seeded random gradients (n × L) and their true
    sum (m × L): each pattern is then also decoded in float64 and its relative error measured, in the same pass.
    ``stride`` > 0 asks every unit to return the condition numbers and errors of the patterns whose global index
    is a multiple of ``stride`` (for medians); 0 returns none. ``approx`` (reals) also tallies the approximation
    errors of every set (:class:`ApproxSpec`).
    """

    spec: FieldSpec
    encoding: np.ndarray
    target: np.ndarray
    size: int
    tolerance: float
    stop_at_failure: bool
    backend: str = "auto"
    messages: np.ndarray | None = None
    truth: np.ndarray | None = None
    stride: int = 0
    approx: ApproxSpec | None = None


@dataclass(frozen=True)
class Unit:
    """Patterns start..start+count−1: lexicographic ranks, or rows of ``patterns`` (then start is the index of
    its first row in the whole sample)."""

    start: int
    count: int
    patterns: np.ndarray | None = None


@dataclass(frozen=True)
class UnitResult:
    """What one unit found. Indices are global (rank, or position in the sample).

    Over the reals also: the worst condition number and its pattern, the largest relative residual
    ‖X B_F − T‖/‖T‖ and its pattern, the sum of squared residuals (Σ_F ‖X B_F − T‖²/‖T‖²), the worst relative
    decoding error and its pattern (when the task carries messages), and the sampled condition numbers and errors
    (every ``stride``-th pattern)."""

    start: int
    checked: int
    first_failure: int | None
    failures: int
    worst_condition: float | None = None
    worst_index: int | None = None
    max_residual: float | None = None
    max_residual_index: int | None = None
    residual_square_sum: float = 0.0
    worst_error: float | None = None
    worst_error_index: int | None = None
    condition_samples: np.ndarray | None = None
    error_samples: np.ndarray | None = None
    approx: ApproxTally | None = None


def _patterns_of(task: Task, unit: Unit) -> np.ndarray:
    if unit.patterns is not None:
        return unit.patterns
    n = task.encoding.shape[0]
    if math.comb(n, task.size) < COMPILED_PATTERNS:
        return combinations_from(unit.start, unit.count, n, task.size)
    from gcli.certification import _kernels

    start = np.asarray(unrank_combination(unit.start, n, task.size), dtype=np.int64)
    return _kernels.fill_combinations(start, unit.count, n)


def warm_up(task: Task, unit: Unit) -> None:
    """Load (or compile) every kernel a unit like ``unit`` will call, in this process: the engine's kernels and
    the combination generator, by running a short unit of at least 64 patterns where there are that many."""
    n = task.encoding.shape[0]
    if task.spec.is_real and task.approx is None and not _walks(task):
        return  # the batched route compiles nothing: a warm-up would only check its first sets twice
    if unit.patterns is not None:
        run_unit(task, Unit(unit.start, min(unit.count, 64), unit.patterns[:64]))
        return
    count = min(64, unit.count, math.comb(n, task.size) - unit.start)  # never more sets than a unit holds
    run_unit(task, Unit(unit.start, count))
    if (count < 64 and task.spec.is_real) or (task.approx is not None and task.approx.only):
        return  # the approximation kernels walk their ranges themselves: no combination generator to load
    if not task.spec.is_real and task.backend != "numpy" and task.spec.kind >= 0:
        return  # so do the GF kernels (and small GF tasks need no compiled generator: see COMPILED_PATTERNS)
    if unit.count >= 64 and math.comb(n, task.size) >= COMPILED_PATTERNS:
        from gcli.certification import _kernels

        _kernels.fill_combinations(np.arange(task.size, dtype=np.int64), 1, n)


SMALL_GF_WORK = 1 << 22
"""Over GF(q), an enumeration of at most this much work (C(n, r) subsets × r pivots × k rows × (r + m) columns, the
operations of eliminating each system [B_Fᵀ | Tᵀ]) is checked by
the batched numpy elimination with gcli's int64 arithmetic instead of the compiled kernels: it finishes in a
fraction of a second, while importing numba and loading the kernels costs ≈ 1 s a process and compiling them on
a cold cache (the first run after an install) several seconds. The verdicts are the same exact elimination."""


def small_gf_task(task: Task) -> bool:
    """Is this finite-field task small enough for the numpy elimination (:data:`SMALL_GF_WORK`)?"""
    n, k = task.encoding.shape
    r = task.size
    work = math.comb(n, r) * r * k * (r + task.target.shape[0])
    return task.backend == "auto" and task.spec.kind >= 0 and work <= SMALL_GF_WORK


def run_unit(task: Task, unit: Unit) -> UnitResult:
    """Check one unit (a top-level function, so executors can pickle it)."""
    if task.spec.is_real:
        return _run_real(task, unit)
    if task.backend == "numpy" or task.spec.kind < 0 or small_gf_task(task):
        return _run_numpy_gf(task, unit)
    return _run_kernel(task, unit)


def _run_kernel(task: Task, unit: Unit) -> UnitResult:
    from gcli.certification import _kernels

    spec = task.spec
    exp, log = _tables(spec)
    p = spec.characteristic
    kind = spec.kind
    if kind == 0 and (p - 1) + task.size * (p - 1) ** 2 < 2**63:
        kind = 3  # delayed modular reduction cannot overflow int64
    if unit.patterns is not None:
        done, first, fails = _kernels.check_list(
            kind, p, spec.order, task.encoding, task.target, unit.patterns, task.stop_at_failure,
            exp, log,
        )
    elif spec.kind == 0 and _quotient_fits(task):
        # GF(p): the quotient walk (one fraction-free elimination step per added worker, O(1) per last worker)
        n = task.encoding.shape[0]
        start = np.asarray(unrank_combination(unit.start, n, task.size), dtype=np.int64)
        done, first, fails = _kernels.quotient_range(
            p, _quotient_matrix(task), n, task.target.shape[0], start, unit.count, task.stop_at_failure,
            _binomials(n, task.size),
        )
    else:
        n = task.encoding.shape[0]
        start = np.asarray(unrank_combination(unit.start, n, task.size), dtype=np.int64)
        done, first, fails = _kernels.check_range(
            kind, p, spec.order, task.encoding, task.target, start, unit.count, task.stop_at_failure,
            _binomials(n, task.size), exp, log,
        )
    return UnitResult(
        start=unit.start,
        checked=int(done),
        first_failure=None if first < 0 else unit.start + int(first),
        failures=int(fails),
    )


def _quotient_matrix(task: Task) -> np.ndarray:
    """The level-0 matrix of :func:`gcli.certification._kernels.quotient_range` for a GF(p) task (rref of
    [Bᵀ | Tᵀ] mod p, zero rows dropped), computed once per task and process."""
    key = id(task)
    cached = _QUOTIENT_CACHE.get(key)
    if cached is not None and cached[0] is task:
        return cached[1]
    from gcli.certification import _kernels

    matrix = _kernels.quotient_start(task.spec.characteristic, task.encoding, task.target)
    _QUOTIENT_CACHE.clear()
    _QUOTIENT_CACHE[key] = (task, matrix)
    return matrix


_QUOTIENT_CACHE: dict[int, tuple[Task, np.ndarray]] = {}

QUOTIENT_ENTRIES = 1 << 22
"""Largest stack of the quotient walk (r levels × k rows × (n + m) columns, int64: 32 MB per thread); larger
tasks take the row walk (:func:`gcli.certification._kernels.check_range`), whose stack is r × (m + 1) × k."""


def _quotient_fits(task: Task) -> bool:
    n, k = task.encoding.shape
    return task.size * k * (n + task.target.shape[0]) <= QUOTIENT_ENTRIES


def _run_numpy_gf(task: Task, unit: Unit) -> UnitResult:
    """The batched numpy elimination (:func:`gcli.fields.linalg.batched_consistent`): with galois' arithmetic for
    ``backend="numpy"`` (the independent reference the tests compare the kernels against) and fields beyond the
    kernels, with gcli's int64 arithmetic (no galois) for small tasks (:func:`small_gf_task`)."""
    from gcli.fields import FieldInfo
    from gcli.fields.linalg import batched_consistent

    spec = task.spec
    field: Any
    if task.backend == "numpy" or spec.kind < 0:
        field = spec.galois_field()
        elements: Any = field
    else:
        field = FieldInfo(spec.order, spec.characteristic, spec.degree, spec.irreducible_poly)
        elements = np.asarray
    enc = elements(task.encoding)
    tt = elements(task.target).T
    patterns = _patterns_of(task, unit)
    r = task.size
    per = r * enc.shape[1] + tt.size
    chunk = max(1, min(8192, (1 << 21) // max(per, 1)))
    checked, failures, first = 0, 0, None
    for lo in range(0, patterns.shape[0], chunk):
        batch = patterns[lo : lo + chunk]
        blocks = enc[batch]
        systems = np.concatenate(
            [np.swapaxes(blocks, 1, 2), np.broadcast_to(tt, (batch.shape[0], *tt.shape))], axis=2
        )
        ok = batched_consistent(field, elements(systems), r)
        bad = np.flatnonzero(~ok)
        if bad.size and first is None:
            first = unit.start + lo + int(bad[0])
        if bad.size and task.stop_at_failure:
            checked += int(bad[0]) + 1
            failures += 1
            break
        checked += batch.shape[0]
        failures += int(bad.size)
    return UnitResult(start=unit.start, checked=checked, first_failure=first, failures=failures)


APPROX_DEPENDENCE = 1e-10
"""A row whose component orthogonal to the earlier responders' rows is below this fraction of its norm adds nothing
to the span in the approximation kernels."""


def _approx_unit(task: Task, unit: Unit, stop_at_inexact: bool) -> ApproxTally:
    """Run the approximation kernel over a unit (its lexicographic range or its explicit patterns)."""
    from gcli.certification import _approx_kernels

    spec = task.approx
    assert spec is not None
    target = task.target
    tol2 = spec.exact_tolerance**2 * float(np.sum(target * target))
    args = (task.encoding, target, spec.columns, spec.weights)
    if unit.patterns is not None:
        done, first, inexact, opt, dec, rsum = _approx_kernels.approx_list(
            *args, unit.patterns, APPROX_DEPENDENCE, tol2, stop_at_inexact, spec.residual_sum)
    else:
        n = task.encoding.shape[0]
        start = np.asarray(unrank_combination(unit.start, n, task.size), dtype=np.int64)
        done, first, inexact, opt, dec, rsum = _approx_kernels.approx_range(
            *args, start, unit.count, APPROX_DEPENDENCE, tol2, stop_at_inexact, spec.residual_sum)
    opt = opt.copy()
    dec = dec.copy()
    if opt[3] >= 0:
        opt[3] += unit.start
    dec[:, 3] = np.where(dec[:, 3] >= 0, dec[:, 3] + unit.start, -1.0)
    return ApproxTally(
        checked=int(done), inexact=int(inexact), first_inexact=None if first < 0 else unit.start + int(first),
        optimal=opt, decoders=dec, residual_sum=rsum if spec.residual_sum else None,
    )


class _RealTally:
    """The pattern-level figures of a real unit, accumulated chunk by chunk in enumeration order: failures (relative
    residual above the tolerance) and the first of them, the worst condition number, the largest residual, the sum
    of squared residuals, the worst float64 decoding error (each with its global index) and every ``stride``-th
    pattern's condition number and error."""

    def __init__(self, task: Task, unit: Unit) -> None:
        self.task, self.unit = task, unit
        self.checked, self.failures, self.first = 0, 0, None
        self.worst, self.worst_index, self.max_res, self.max_res_index, self.square_sum = -1.0, None, -1.0, None, 0.0
        self.worst_err, self.worst_err_index = -1.0, None
        self.cond_samples: list[np.ndarray] = []
        self.err_samples: list[np.ndarray] = []

    def add(self, lo: int, res: np.ndarray, cond: np.ndarray, error: np.ndarray | None) -> bool:
        """Add patterns lo, lo+1, … of the unit (relative residuals, condition numbers, relative errors); True when
        the check stops here (a failure while stopping at the first)."""
        task = self.task
        ok = res <= task.tolerance
        bad = np.flatnonzero(~ok)
        used = res.shape[0]
        if bad.size and self.first is None:
            self.first = self.unit.start + lo + int(bad[0])
        stop = bool(bad.size) and task.stop_at_failure
        if stop:
            used = int(bad[0]) + 1
            self.failures += 1
        else:
            self.failures += int(bad.size)
        if used == 0:
            return stop
        base = self.unit.start + lo
        j = int(np.argmax(cond[:used]))
        if self.worst_index is None or cond[j] > self.worst:
            self.worst, self.worst_index = float(cond[j]), base + j
        j = int(np.argmax(res[:used]))
        if self.max_res_index is None or res[j] > self.max_res:
            self.max_res, self.max_res_index = float(res[j]), base + j
        self.square_sum += float(np.sum(res[:used] ** 2))
        if error is not None:
            j = int(np.argmax(error[:used]))
            if self.worst_err_index is None or error[j] > self.worst_err:
                self.worst_err, self.worst_err_index = float(error[j]), base + j
        if task.stride > 0:
            offset = (-base) % task.stride
            self.cond_samples.append(cond[offset:used : task.stride])
            if error is not None:
                self.err_samples.append(error[offset:used : task.stride])
        self.checked += used
        return stop

    def result(self, approx: ApproxTally | None) -> UnitResult:
        return UnitResult(
            start=self.unit.start, checked=self.checked, first_failure=self.first, failures=self.failures,
            worst_condition=self.worst, worst_index=self.worst_index, max_residual=self.max_res,
            max_residual_index=self.max_res_index, residual_square_sum=self.square_sum,
            worst_error=self.worst_err if self.worst_err_index is not None else None,
            worst_error_index=self.worst_err_index,
            condition_samples=np.concatenate(self.cond_samples) if self.cond_samples else None,
            error_samples=np.concatenate(self.err_samples) if self.err_samples else None,
            approx=approx,
        )


def _run_real(task: Task, unit: Unit) -> UnitResult:
    if task.approx is not None and task.approx.only:
        tally = _approx_unit(task, unit, task.stop_at_failure)
        return UnitResult(start=unit.start, checked=tally.checked, first_failure=tally.first_inexact,
                          failures=tally.inexact, approx=tally)
    if task.backend == "numpy":
        return _run_real_batched(task, unit, "svd")
    if not _walks(task):
        return _run_real_batched(task, unit, "auto")
    return _run_real_walk(task, unit)


def _walks(task: Task) -> bool:
    """Whether a real task's units take the compiled walk: ``backend="auto"``, at least :data:`WALK_THRESHOLD`
    surviving sets, and the walk's n × n Gram matrix B·Bᵀ within ``max_dense_entries`` (n ≤ 4,472 by default;
    larger codes take the batched route, whose memory is a chunk of sets)."""
    from gcli.io.limits import limit

    n = task.encoding.shape[0]
    return (task.backend != "numpy" and math.comb(n, task.size) >= WALK_THRESHOLD
            and n * n <= limit("max_dense_entries"))


WALK_THRESHOLD = 20_000
"""Real passes over fewer surviving sets (C(n, n − s − 2a)) take the batched route, which needs no compiled kernel:
for them numba's first compilation of the walk (tens of seconds on a cold cache) would cost more than it saves."""


_GRAM: list[tuple[np.ndarray, np.ndarray]] = []


def _gram(enc: np.ndarray) -> np.ndarray:
    """B·Bᵀ of the task's encoding (kept for the last encoding seen: every unit of a pass shares it)."""
    cached = _GRAM[:1]
    if cached and cached[0][0] is enc:
        return cached[0][1]
    gram = enc @ enc.T
    _GRAM[:] = [(enc, gram)]
    return gram


ORBIT_MAX_SETS = 5_000_000
"""A real walk looks up the condition numbers of its sets per orbit (:func:`orbit_conditions`) over at most this
many surviving sets (a few tens of bytes per set while the orbits are listed)."""

_ORBITS: list[tuple[np.ndarray, int, np.ndarray | None]] = []
_ORBITS_LOCK = threading.Lock()


def orbit_conditions(task: Task) -> np.ndarray | None:
    """κ(B_F) of every surviving set of a real walk task, by lexicographic rank, computed once per orbit of the
    code's verified group of digit translations (:func:`gcli.certification.orbits.digit_translations`), or None
    (no such group, more than 62 workers or :data:`ORBIT_MAX_SETS` sets).

    An automorphism (π, π) maps F to π(F) with B_{π(F)} = B_F with its rows and columns permuted: the same
    singular values, so κ is the same on the whole orbit. It is computed on the orbit's lexicographically first
    member, by the walk's eigenvalue step (the SVD for the sets it flags), and the walk of every set reads it
    instead of reducing its own Gram matrix. Everything else (residual, float64 error, approximation tallies) is
    still computed per set. Cached for the last (encoding, size) seen: every unit of a pass shares it.

    Example:
        >>> from gcli.certification.engine import FieldSpec, Task, orbit_conditions
        >>> a = np.array([[0., 1, 0, 1], [1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 1, 0]]) + np.eye(4)  # C_4 + I
        >>> task = Task(FieldSpec(3, 0, 0, 1, 0), a, np.ones((1, 4)), 3, 1e-8, False)
        >>> orbit_conditions(task).round(6).tolist()  # the 3-subsets form one orbit of Z_2²: κ = √7
        [2.645751, 2.645751, 2.645751, 2.645751]
    """
    from gcli.certification.orbits import digit_translations, set_orbits

    enc, target, r = task.encoding, task.target, task.size
    n, c = enc.shape
    m = target.shape[0]
    with _ORBITS_LOCK:
        cached = _ORBITS[:1]
        if cached and cached[0][0] is enc and cached[0][1] == r:
            return cached[0][2]
        result = None
        if n <= 62 and 1 <= r and math.comb(n, r) <= ORBIT_MAX_SETS and c % m == 0:
            group = digit_translations(enc, target, m=m, k=c // m)
            if group is not None:
                reps, _, orbit = set_orbits(group, n, r)
                result = _representative_conditions(task, reps)[orbit]
        _ORBITS[:] = [(enc, r, result)]
        return result


def _representative_conditions(task: Task, reps: np.ndarray) -> np.ndarray:
    """κ(B_F) of the sets ``reps`` (sorted rows): the walk's eigenvalue step, the SVD for the sets it flags."""
    from gcli.certification import _real_kernels
    from gcli.fields.linalg import batched_real_report

    enc, target = task.encoding, task.target
    n, c = enc.shape
    m = target.shape[0]
    count, r = reps.shape
    res2, cond, err = np.zeros(count), np.zeros(count), np.zeros(count)
    flag = np.zeros(count, dtype=np.bool_)
    opt = np.array([0.0, 0.0, 0.0, -1.0])
    _real_kernels.real_walk(
        enc, _gram(enc), target, np.zeros((0, n, m)), np.zeros(0), np.zeros((n, 0)), np.zeros((m, 0)),
        np.zeros(r, dtype=np.int64), np.ascontiguousarray(reps), count, APPROX_DEPENDENCE, 0.0, False, False,
        kappa_limit(r, c), opt, np.zeros((0, 4)), np.zeros((m, c)), res2, cond, err, flag, np.zeros(0))
    flagged = np.flatnonzero(flag)
    for lo in range(0, flagged.size, 4096):
        part = flagged[lo : lo + 4096]
        cond[part] = batched_real_report(enc[reps[part]], target).condition
    return cond


def kappa_limit(rows: int, columns: int) -> float:
    """Above this κ the walk's Gram-matrix condition numbers are recomputed by the SVD: (2·10⁻⁸/((r + c)·ε))^{1/2}
    (:mod:`gcli.certification._real_kernels`, accuracy of κ)."""
    return math.sqrt(2e-8 / ((rows + columns) * float(np.finfo(np.float64).eps)))


def _run_real_walk(task: Task, unit: Unit) -> UnitResult:
    """A real unit from one walk of :func:`gcli.certification._real_kernels.real_walk` (one factorisation per set:
    residual, κ, float64 error and the approximation tallies); the sets it flags take the SVD route of
    :func:`gcli.fields.linalg.batched_real_report`."""
    from gcli.certification import _real_kernels
    from gcli.fields.linalg import batched_real_report

    enc, target = task.encoding, task.target
    n, c = enc.shape
    m = target.shape[0]
    r = task.size
    norm_t2 = float(np.sum(target * target))
    norm_t = math.sqrt(norm_t2)
    spec = task.approx
    if spec is not None:
        xcols, weights, with_rsum = spec.columns, spec.weights, spec.residual_sum
        tol2 = spec.exact_tolerance**2 * norm_t2
    else:
        xcols, weights, with_rsum = np.zeros((0, n, m)), np.zeros(0), False
        tol2 = task.tolerance**2 * norm_t2
    with_messages = task.messages is not None and task.truth is not None
    messages = task.messages if with_messages else np.zeros((n, 0))
    truth = task.truth if with_messages else np.zeros((m, 0))
    norm_truth = (float(np.linalg.norm(truth)) or 1.0) if with_messages else 1.0
    limit = kappa_limit(r, c)
    gram = _gram(enc)
    # the walk runs in the coordinates of an orthonormal basis of rowspan(B) when B is wide (module docstring of
    # _row_space): the flags and κ still come from B·Bᵀ and the limit of B's shape
    walk_enc, walk_target, offset, basis = _row_space(enc, target)
    tally = _RealTally(task, unit)
    opt = np.array([0.0, 0.0, 0.0, -1.0])
    dec = np.zeros((weights.shape[0], 4))
    dec[:, 3] = -1.0
    rsum = np.zeros((m, walk_enc.shape[1]))
    inexact, first_inexact, walked = 0, None, 0
    chunk = 4096 if task.stop_at_failure and spec is None else max(unit.count, 1)
    no_patterns = np.zeros((0, r), dtype=np.int64)
    no_lookup = np.zeros(0)
    known = orbit_conditions(task) if unit.patterns is None else None
    for lo in range(0, unit.count, chunk):
        count = min(chunk, unit.count - lo)
        if unit.patterns is not None:
            listed = np.ascontiguousarray(unit.patterns[lo : lo + count])
            start = np.zeros(r, dtype=np.int64)
        else:
            listed = no_patterns
            start = np.asarray(unrank_combination(unit.start + lo, n, r), dtype=np.int64)
        res2, cond, err = np.zeros(count), np.zeros(count), np.zeros(count)
        flag = np.zeros(count, dtype=np.bool_)
        lookup = no_lookup if known is None else known[unit.start + lo : unit.start + lo + count]
        part_opt = np.array([0.0, 0.0, 0.0, -1.0])
        part_dec = np.zeros_like(dec)
        part_dec[:, 3] = -1.0
        bad, first = _real_kernels.real_walk(
            walk_enc, gram, walk_target, xcols, weights, messages, truth, start, listed, count, APPROX_DEPENDENCE,
            tol2 - offset, with_rsum, with_messages, limit, part_opt, part_dec, rsum, res2, cond, err, flag, lookup)
        if offset:  # every squared error of the walk misses ‖T⊥‖²
            res2 += offset
            _shift_tally(part_opt, count, offset)
            for w in range(part_dec.shape[0]):
                _shift_tally(part_dec[w], count, offset)
        _merge_tally(opt, part_opt, lo)
        for w in range(dec.shape[0]):
            _merge_tally(dec[w], part_dec[w], lo)
        inexact += int(bad)
        if first >= 0 and first_inexact is None:
            first_inexact = unit.start + lo + int(first)
        walked += count
        res = np.sqrt(res2) / norm_t
        error = err / norm_truth if with_messages else None
        flagged = np.flatnonzero(flag)
        if flagged.size:
            patterns = listed if unit.patterns is not None else _patterns_of(task, Unit(unit.start + lo, count))
            sets = patterns[flagged]
            # in the walk's coordinates too (the same figures, _row_space), with the rank rule of B's shape
            report = batched_real_report(walk_enc[sets], walk_target, rtol=max(r, c) * np.finfo(np.float64).eps,
                                         messages=None if not with_messages else messages[sets],
                                         truth=truth if with_messages else None)
            res[flagged] = np.sqrt(report.residual * report.residual + offset) / norm_t
            cond[flagged] = report.condition
            if error is not None and report.error is not None:
                error[flagged] = report.error
        if tally.add(lo, res, cond, error) and spec is None:
            break
    approx = None
    if with_rsum and basis is not None:  # back to the columns of B: R·Qᵀ + (sets walked)·T⊥
        rsum = rsum @ basis.T + walked * (target - (target @ basis) @ basis.T)
    if spec is not None:
        opt[3] = opt[3] + unit.start if opt[3] >= 0 else -1.0
        dec[:, 3] = np.where(dec[:, 3] >= 0, dec[:, 3] + unit.start, -1.0)
        approx = ApproxTally(checked=walked, inexact=inexact, first_inexact=first_inexact, optimal=opt,
                             decoders=dec, residual_sum=rsum if with_rsum else None)
    return tally.result(approx)


ROW_SPACE_RATIO = 2
"""The real walk works in the coordinates of rowspan(B) when B has at least this many times more columns than rows
(:func:`_row_space`)."""

_ROW_SPACE: list[tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray, float, np.ndarray | None]]] = []


def _row_space(enc: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray, float, np.ndarray | None]:
    """The walk's coordinates: (B·Q, T·Q, ‖T⊥‖², Q) of :func:`gcli.fields.linalg.row_space_coordinates` when B
    (n × c) has c ≥ :data:`ROW_SPACE_RATIO`·n columns, else (B, T, 0, None). Every set's residual splits into
    ‖T·Q − T·Q·P'_F‖² + ‖T⊥‖², every fixed decoder's error likewise, κ(B_F) = κ(B_F·Q), and the decoded
    messages (T·q_t) are the same; the walk then costs O(r²·n) per set instead of O(r²·c) (a 95-row set of a
    100 × 1600 code, m = 16: 16× fewer operations). Kept for the last encoding seen.

    Example:
        >>> b = np.array([[1.0, 0, 1, 0, 0, 0], [0.0, 1, 0, 1, 0, 0]])
        >>> walk_b, walk_t, outside, basis = _row_space(b, np.ones((1, 6)))
        >>> walk_b.shape, round(outside, 12)
        ((2, 2), 2.0)
    """
    from gcli.fields.linalg import row_space_coordinates

    n, c = enc.shape
    if c < ROW_SPACE_RATIO * n or n == 0:
        return enc, target, 0.0, None
    cached = _ROW_SPACE[:1]
    if cached and cached[0][0] is enc and cached[0][1] is target:
        return cached[0][2]
    result = row_space_coordinates(enc, target)
    _ROW_SPACE[:] = [(enc, target, result)]
    return result


def _shift_tally(part: np.ndarray, count: int, offset: float) -> None:
    """Add ``offset`` to each of the ``count`` errors of a [sum, sum of squares, max, index of max] row."""
    if part[3] < 0:
        return
    part[1] += 2.0 * offset * part[0] + count * offset * offset
    part[0] += count * offset
    part[2] += offset


def _merge_tally(total: np.ndarray, part: np.ndarray, offset: int) -> None:
    """Add a chunk's [sum, sum of squares, max, index of max] row (indices from ``offset``) to a unit's."""
    total[0] += part[0]
    total[1] += part[1]
    if part[3] >= 0 and (total[3] < 0 or part[2] > total[2]):
        total[2], total[3] = part[2], part[3] + offset


def _run_real_batched(task: Task, unit: Unit, method: str) -> UnitResult:
    """A real unit by :func:`gcli.fields.linalg.batched_real_report` on batches of patterns (``method="svd"``: the
    reference of ``backend="numpy"``; ``"auto"``: its QR fast path, for passes below :data:`WALK_THRESHOLD`), and the
    approximation kernel in its own walk."""
    from gcli.fields.linalg import FAST_CONDITION_LIMIT, batched_real_report

    patterns = _patterns_of(task, unit)
    enc, target = task.encoding, task.target
    norm_t = math.sqrt(float(np.sum(target * target)))
    per = task.size * (enc.shape[1] + (0 if task.messages is None else task.messages.shape[1]))  # B_F and f_F
    chunk = max(1, min(8192, (1 << 21) // max(per, 1)))
    tally = _RealTally(task, unit)
    if method == "auto" and patterns.shape[0] > 256:
        # ill-conditioned codes (κ > FAST_CONDITION_LIMIT) take the SVD route anyway: skip the QR attempt
        probe = batched_real_report(enc[patterns[:64]], target).condition
        if np.mean(probe <= FAST_CONDITION_LIMIT) < 0.5:
            method = "svd"
    for lo in range(0, patterns.shape[0], chunk):
        batch = patterns[lo : lo + chunk]
        sent = None if task.messages is None else task.messages[batch]
        report = batched_real_report(enc[batch], target, method=method, messages=sent, truth=task.truth)
        if tally.add(lo, report.residual / norm_t, report.condition, report.error):
            break
    return tally.result(None if task.approx is None else _approx_unit(task, unit, False))
