"""Certifying gradient codes: exact decodability over every surviving set, and numerical stability.

A code with parameters (n, s, a) must let the server recover the target T (see :mod:`gcli.code`) from every
set F of n − s − 2a responding workers: over GF(q) exactly (T ∈ rowspan(B_F), checked by exact elimination),
over the reals numerically (least-squares residual ‖X B_F − T‖_F / ‖T‖_F below a tolerance). With a
adversaries the n − s − 2a condition is the linear-scheme criterion: two codewords agreeing on n − s − a
responders differ on at most the a adversarial rows, so unique decoding needs every (n − s − 2a)-subset to
determine the sum (Jahani-Nezhad & Maddah-Ali 2021).

Patterns are ranked in lexicographic order (the combinatorial number system, :mod:`gcli.certification.engine`) and split
into ranges checked by the compiled engine, in this process or on an executor. The report keeps the
lexicographically first failing set and counts every pattern up to and including it as checked, however the
work was split. Above a budget the check refuses unless sampling (``sample=N``) or forced.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from gcli.certification.engine import (
    ApproxSpec,
    Task,
    Unit,
    UnitResult,
    field_spec,
    run_unit,
    unrank_combination,
    warm_up,
)
from gcli.certification.options import CertifyOptions, ProgressCallback
from gcli.code import Code, target_matrix
from gcli.defaults import DEFAULT_BUDGET, DEFAULT_CONFIDENCE, DEFAULT_TOLERANCE, set_text
from gcli.errors import ImpossibleParameters, NotSupported, OverLimit
from gcli.fields import REAL

if TYPE_CHECKING:
    from gcli.certification.removed import RemovedReport

__all__ = [
    "DEFAULT_BUDGET",
    "DEFAULT_TOLERANCE",
    "Pass",
    "VerificationReport",
    "check_budget",
    "estimate_rate",
    "failure_fraction_bound",
    "report_from_pass",
    "run_pass",
    "sampled_statement",
    "surviving_sets",
    "verify",
]



@dataclass(frozen=True)
class VerificationReport:
    """The outcome of :func:`verify`. ``failing_set`` lists the surviving workers of a failing pattern."""

    decodable: bool
    field: str
    n: int
    stragglers: int
    adversaries: int
    surviving_size: int
    patterns_checked: int
    patterns_total: int
    exhaustive: bool  # every surviving set enumerated in order (not sampled); stops at the first failure
    failing_set: list[int] | None
    worst_condition_number: float | None = None
    worst_condition_set: list[int] | None = None
    max_residual: float | None = None
    tolerance: float | None = None
    sample_seed: int | None = None
    failure_fraction_bound: float | None = None
    confidence: float | None = None
    seconds: float = 0.0
    failures_found: int | None = None
    path: str | None = None  # None: the engine over every surviving set; else how (see removed.py)
    group_order: int | None = None
    orbits: int | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (infinite condition numbers become the string ``"inf"``)."""
        out = asdict(self)
        for key in ("worst_condition_number", "max_residual"):
            value = out[key]
            if value is not None and not math.isfinite(value):
                out[key] = "inf"
        return out

    def summary(self) -> str:
        """A short human-readable account."""
        kind = "exhaustive" if self.exhaustive else "sampled"
        if self.path is not None:
            kind += f", {self.path}"
            if self.group_order is not None:
                kind += f": cyclic group of order {self.group_order}, {self.orbits} orbits"
        elif self.failing_set is not None:
            kind += ", stopped at the first failure"
        head = (
            f"{'DECODABLE' if self.decodable else 'NOT DECODABLE'} over {self.field}: "
            f"n={self.n}, s={self.stragglers}, a={self.adversaries}, "
            f"{self.patterns_checked}/{self.patterns_total} surviving sets of size {self.surviving_size} "
            f"checked ({kind})"
        )
        lines = [head]
        if self.failing_set is not None:
            lines.append(f"failing surviving set: {set_text(self.failing_set, self.n)}")
            if self.failures_found is not None and self.patterns_checked == self.patterns_total:
                lines.append(f"{self.failures_found} of {self.patterns_total} surviving sets fail")
        if self.worst_condition_number is not None:
            lines.append(
                f"worst condition number {self.worst_condition_number:.4g} at "
                f"{set_text(self.worst_condition_set, self.n)}; "
                f"max residual {self.max_residual:.3g} (tolerance {self.tolerance:g})"
            )
        if self.failure_fraction_bound is not None and self.confidence is not None:
            lines.append(sampled_statement(self.patterns_checked, self.patterns_total, self.failure_fraction_bound,
                                           self.confidence))
        return "\n".join(lines)


def failure_fraction_bound(exhaustive: bool, failures: int, checked: int, confidence: float) -> float | None:
    """The bound ε on the fraction of failing surviving sets that a sample without failures gives.

    If a fraction ε of the sets failed, N independent uniform draws would all miss them with probability
    (1 − ε)^N; requiring (1 − ε)^N ≤ δ = 1 − confidence gives ε ≤ 1 − δ^{1/N}. None when the check was
    exhaustive (nothing to bound), found a failure (the code fails) or drew nothing."""
    if exhaustive or failures or checked == 0:
        return None
    return 1.0 - (1.0 - confidence) ** (1.0 / checked)


def sampled_statement(checked: int, total: int, bound: float, confidence: float) -> str:
    """The sentence every sampled certificate prints: N sets of M drawn, none failed, and the bound
    :func:`failure_fraction_bound` on the failing fraction at this confidence."""
    return (f"no failure in {checked:,} sampled sets of {total:,}; with confidence {confidence:g} the failing "
            f"fraction is below {bound:.3g}")


def surviving_sets(n: int, size: int) -> Iterator[tuple[int, ...]]:
    """All surviving sets of the given size, in lexicographic order."""
    return itertools.combinations(range(n), size)


def sampled_surviving_sets(n: int, size: int, count: int, seed: int) -> np.ndarray:
    """``count`` independent uniformly random surviving sets (rows sorted), from a seeded generator.

    Shared by :func:`verify` and :func:`gcli.certification.stability.stability_report`, so one seed means the same
    sets.

    Each set is the ``size`` workers of smallest uniform keys: the workers whose key is at most the size-th smallest
    (a partition, O(n) a row, already in increasing order), or by a full argsort for a row where keys tie there.
    """
    rng = np.random.default_rng(seed)
    out = np.empty((count, size), dtype=np.int64)
    step = max(1, (1 << 20) // max(n, 1))  # rows of keys at a time: the same stream as one (count, n) draw
    for lo in range(0, count, step):
        keys = rng.random((min(step, count - lo), n))
        chosen = keys <= np.partition(keys, size - 1, axis=1)[:, size - 1 : size]
        if np.all(np.count_nonzero(chosen, axis=1) == size):
            out[lo : lo + keys.shape[0]] = np.nonzero(chosen)[1].reshape(-1, size)
        else:  # a tie at the threshold: the stable argsort decides, as it always did
            out[lo : lo + keys.shape[0]] = np.sort(np.argsort(keys, axis=1)[:, :size], axis=1)
    return out




def patterns_to_check(
    code: Code, *, stragglers: int | None = None, adversaries: int | None = None, sample: int | None = None
) -> int:
    """How many surviving sets :func:`verify` would examine: C(n, n − s − 2a), or the sample size if smaller."""
    s = code.s if stragglers is None else stragglers
    a = code.a if adversaries is None else adversaries
    size = code.n - s - 2 * a
    if s < 0 or a < 0 or size < 1:
        raise ImpossibleParameters(f"no surviving sets: n={code.n}, s={s}, a={a}")
    total = math.comb(code.n, size)
    return total if sample is None else min(sample, total)


@dataclass(frozen=True)
class Pass:
    """One engine pass over the surviving sets, merged across work units (what :func:`verify`,
    :func:`gcli.stability_report` and :func:`gcli.certify` report from).

    ``results`` are the units the report needs, sorted by start (when stopping at the first failure, only the
    units that start at or before it). Real codes: the pattern-level extremes and sampled values come from the
    units (see :class:`gcli.certification.engine.UnitResult`)."""

    n: int
    stragglers: int
    adversaries: int
    size: int
    total: int
    exhaustive: bool
    checked: int
    first_failure: int | None
    failures: int
    drawn: np.ndarray | None
    results: list[UnitResult]
    seconds: float
    sample_seed: int | None

    def pattern(self, index: int) -> list[int]:
        """The surviving set with this global index (lexicographic rank, or position in the sample)."""
        return _pattern_at(index, self.n, self.size, self.drawn)

    @property
    def failing_set(self) -> list[int] | None:
        """The lexicographically first failing set (the first failing draw when sampling), or None."""
        return None if self.first_failure is None else self.pattern(self.first_failure)

    def extreme(self, value: str, index: str) -> tuple[float | None, list[int] | None]:
        """The largest ``value`` over the units and its set (e.g. ``("worst_condition", "worst_index")``)."""
        best, where = None, None
        for r in self.results:
            v, i = getattr(r, value), getattr(r, index)
            if v is None or i is None:
                continue
            if best is None or v > best:
                best, where = v, i
        return best, None if where is None else self.pattern(where)

    def samples(self, name: str) -> np.ndarray:
        """The sampled per-pattern values ``condition_samples`` / ``error_samples`` of every unit, in order."""
        parts = [getattr(r, name) for r in self.results if getattr(r, name) is not None]
        return np.concatenate(parts) if parts else np.zeros(0)

    def failure_fraction_bound(self, confidence: float) -> float | None:
        """Sampling without failures: if a fraction ε of sets failed, N i.i.d. draws all miss them with
        probability (1 − ε)^N ≤ 1 − confidence, so ε ≤ 1 − (1 − confidence)^{1/N}."""
        return failure_fraction_bound(self.exhaustive, int(self.first_failure is not None), self.checked, confidence)


def run_pass(
    code: Code,
    options: CertifyOptions | None = None,
    *,
    messages: np.ndarray | None = None,
    truth: np.ndarray | None = None,
    stride: int = 0,
    approx: ApproxSpec | None = None,
    patterns: np.ndarray | None = None,
    **changes: Any,
) -> Pass:
    """Run the engine once over the surviving sets of size n − s − 2a, as ``options`` say (with ``changes``: fields
of :class:`~gcli.certification.options.CertifyOptions` by name, e.g. ``run_pass(code, stragglers=2)``).

    Over the reals, ``messages`` (n × L) and ``truth`` (m × L) make every pattern also decode those messages in
    float64 and report its relative error; ``stride`` > 0 keeps every stride-th pattern's condition number and
    error for medians; ``approx`` also tallies the approximation errors of every set
    (:mod:`gcli.certification.approximation`).
    ``patterns`` (rows: sorted surviving sets of size n − s − 2a) replaces the enumeration or the sample by an
    explicit list (indices are then row numbers).
    """
    opts = (options or CertifyOptions()).but(**changes)
    stragglers, adversaries, budget, sample, seed = (opts.stragglers, opts.adversaries, opts.budget, opts.sample,
                                                     opts.seed)
    force, tolerance, executor, all_failures = opts.force, opts.tolerance, opts.executor, opts.all_failures
    progress, backend, unit_size = opts.progress, opts.backend, opts.unit_size
    s = code.s if stragglers is None else stragglers
    a = code.a if adversaries is None else adversaries
    if s < 0 or a < 0:
        raise ImpossibleParameters("stragglers and adversaries must be non-negative")
    if backend not in ("auto", "compiled", "numpy"):
        raise NotSupported(f"unknown verification backend {backend!r}: use 'auto', 'compiled' or 'numpy'")
    size = code.n - s - 2 * a
    if size < 1:
        raise ImpossibleParameters(f"n − s − 2a = {size}: no worker would respond (n={code.n}, s={s}, a={a})")
    total = math.comb(code.n, size)
    if sample is not None and sample < 1:
        raise ImpossibleParameters("--sample needs a positive number of patterns")
    exhaustive = patterns is None and (sample is None or sample >= total)
    if approx is not None and not code.is_real:
        raise NotSupported("approximation errors are defined for real codes")
    if patterns is None:  # before anything is allocated: the budget, and one set's system within the limit
        _check_budget(code, s, a, total if exhaustive else 0, budget, force, backend)
    task = _task(code, size, tolerance, not all_failures, backend, messages, truth, stride, approx)
    if patterns is not None:
        patterns = np.ascontiguousarray(patterns, dtype=np.int64).reshape(-1, size)
        if patterns.size and (patterns.min() < 0 or patterns.max() >= code.n):
            raise ImpossibleParameters(f"patterns must list workers in 0..{code.n - 1}")
    start = time.perf_counter()
    if patterns is not None:
        to_check, drawn = patterns.shape[0], patterns
    else:
        to_check = total if exhaustive else int(sample)  # type: ignore[arg-type]
        if not exhaustive:
            from gcli.io.limits import check_entries

            check_entries(to_check, size, f"--sample {to_check}: the sampled surviving sets (N × (n − s − 2a))")
        drawn = None if exhaustive else sampled_surviving_sets(code.n, size, to_check, seed)
    workers = getattr(executor, "_max_workers", 4) if executor is not None else 1
    compiled = (not code.is_real and backend != "numpy") or (approx is not None and approx.only)
    if unit_size is None:
        low, high = (1024, 1 << 20) if compiled else (256, 1 << 14)
        unit_size = max(low, min(high, -(-to_check // (100 * max(1, workers)))))
    if not compiled:  # these units list their sets (and slice their rows of B and messages): within the limit
        unit_size = min(unit_size, unit_sets(size, code.k * code.m + (0 if messages is None else messages.shape[1])))
    units = (
        Unit(lo, min(unit_size, to_check - lo), None if drawn is None else drawn[lo : lo + unit_size])
        for lo in range(0, to_check, unit_size)
    )
    results = _run_units(task, units, executor, progress, to_check, window=4 * max(1, workers))
    first = min((r.first_failure for r in results if r.first_failure is not None), default=None)
    if first is not None and not all_failures:
        results = [r for r in results if r.start <= first]
        checked = first + 1
    else:
        checked = sum(r.checked for r in results)
    return Pass(
        n=code.n, stragglers=s, adversaries=a, size=size, total=total, exhaustive=exhaustive, checked=checked,
        first_failure=first, failures=sum(r.failures for r in results), drawn=drawn, results=results,
        seconds=round(time.perf_counter() - start, 6),
        sample_seed=None if exhaustive or patterns is not None else seed,
    )


def verify(
    code: Code,
    *,
    stragglers: int | None = None,
    adversaries: int | None = None,
    budget: int = DEFAULT_BUDGET,
    sample: int | None = None,
    seed: int = 0,
    force: bool = False,
    tolerance: float = DEFAULT_TOLERANCE,
    confidence: float = DEFAULT_CONFIDENCE,
    executor: Executor | None = None,
    all_failures: bool = False,
    progress: ProgressCallback | None = None,
    backend: str = "auto",
    unit_size: int | None = None,
) -> VerificationReport:
    """Check that the target is recoverable from every set of n − s − 2a responders.

    This is the exact-decodability part of :func:`gcli.certify` (which adds numerical stability, the
    structure certificate and approximation errors in the same pass).

    Args:
        code: the code to certify.
        stragglers, adversaries: override the code's own s and a.
        budget: refuse (InputError) when the number of surviving sets exceeds it, unless ``sample`` or
            ``force``.
        sample: check this many seeded uniformly random surviving sets instead of all of them.
        tolerance: over the reals, a pattern decodes when ‖X B_F − T‖_F / ‖T‖_F ≤ tolerance.
        confidence: for sampling, the 1 − δ of the reported bound on the failing fraction.
        executor: run the work units on this :class:`concurrent.futures.Executor` (processes, threads, a Dask
            ``Client.get_executor()``); the report is the same as without it.
        all_failures: do not stop at the first failing set; count every failing set (``failures_found``).
        progress: called as ``progress(patterns_done, patterns_to_check)`` after each work unit.
        backend: ``"auto"`` (compiled kernels, numpy elimination for small finite-field checks; over the reals one
            compiled walk per unit, the batched QR/SVD route for small passes), ``"compiled"`` (the compiled kernels
            over GF(q) whatever the size) or ``"numpy"`` (the batched numpy reference implementation).
        unit_size: patterns per work unit (default: chosen from the total and the executor).

    Example:
        >>> from gcli.constructions import fractional_repetition
        >>> verify(fractional_repetition(6, 2)).decodable
        True
    """
    options = CertifyOptions(
        stragglers=stragglers, adversaries=adversaries, budget=budget, sample=sample, seed=seed, force=force,
        tolerance=tolerance, confidence=confidence, executor=executor, all_failures=all_failures, progress=progress,
        backend=backend, unit_size=unit_size,
    )
    removed = _removed_side(code, options)
    if removed is not None:
        return removed
    return report_from_pass(code, run_pass(code, options), options.tolerance, options.confidence)


REMOVED_SIDE_MIN_N = 100
"""From this many workers on, with at most 3 removed (s + 2a ≤ 3), :func:`verify` works on the removed side."""


def removed_side_pass(code: Code, options: CertifyOptions, messages: np.ndarray | None = None,
                      truth: np.ndarray | None = None) -> RemovedReport | None:
    """The removed-side pass (:mod:`gcli.certification.removed`) when it applies: exhaustive, the default
    backend, n ≥ :data:`REMOVED_SIDE_MIN_N` and s + 2a ≤ 3 (within the budget unless forced); else None.
    :func:`verify` and :func:`gcli.certify` take it under the same conditions. ``messages`` and ``truth`` (real
    codes): also the float64 decoding errors and the sampled median κ (without them neither: :func:`verify` does
    not report them; :func:`gcli.certification.removed.removed_side_verify`)."""
    s = code.s if options.stragglers is None else options.stragglers
    a = code.a if options.adversaries is None else options.adversaries
    r = s + 2 * a
    if (options.sample is not None or options.backend != "auto" or options.unit_size is not None
            or code.n < REMOVED_SIDE_MIN_N or not 1 <= r <= 3 or s < 0 or a < 0
            or (math.comb(code.n, r) > options.budget and not options.force)):
        return None
    from gcli.certification.removed import removed_side_applies, removed_side_verify

    if not removed_side_applies(code, r):
        return None
    return removed_side_verify(code, stragglers=s, adversaries=a, tolerance=options.tolerance, messages=messages,
                               truth=truth, seed=options.seed, median_sample=None if messages is not None else 0)


def _removed_side(code: Code, options: CertifyOptions) -> VerificationReport | None:
    """The removed-side report when :func:`removed_side_pass` applies; else None."""
    rep = removed_side_pass(code, options)
    if rep is None:
        return None
    s = code.s if options.stragglers is None else options.stragglers
    a = code.a if options.adversaries is None else options.adversaries
    return VerificationReport(
        decodable=rep.decodable, field=code.field_name, n=code.n, stragglers=s, adversaries=a,
        surviving_size=code.n - rep.removed, patterns_checked=rep.patterns_total, patterns_total=rep.patterns_total,
        exhaustive=True, failing_set=rep.failing_set, worst_condition_number=rep.worst_condition_number,
        worst_condition_set=rep.worst_condition_set, max_residual=rep.max_residual,
        tolerance=options.tolerance if code.is_real else None, seconds=rep.seconds, failures_found=rep.failures,
        path=rep.path, group_order=rep.group_order, orbits=rep.orbits,
    )


def report_from_pass(code: Code, run: Pass, tolerance: float, confidence: float) -> VerificationReport:
    """The :class:`VerificationReport` of a pass."""
    worst_cond, worst_set, max_res = None, None, None
    if code.is_real:
        worst_cond, worst_set = run.extreme("worst_condition", "worst_index")
        max_res = max((r.max_residual or 0.0 for r in run.results), default=0.0)
    bound = run.failure_fraction_bound(confidence)
    return VerificationReport(
        decodable=run.first_failure is None,
        field=code.field_name,
        n=code.n,
        stragglers=run.stragglers,
        adversaries=run.adversaries,
        surviving_size=run.size,
        patterns_checked=run.checked,
        patterns_total=run.total,
        exhaustive=run.exhaustive,
        failing_set=run.failing_set,
        worst_condition_number=worst_cond if code.is_real else None,
        worst_condition_set=worst_set if code.is_real else None,
        max_residual=max_res if code.is_real else None,
        tolerance=tolerance if code.is_real else None,
        sample_seed=run.sample_seed,
        failure_fraction_bound=bound,
        confidence=None if bound is None else confidence,
        seconds=run.seconds,
        failures_found=run.failures,
    )


_MAX_EXHAUSTIVE = 2**62
_PROBE = 4096  # sets :func:`estimate_rate` times for the refusal's estimate

WORK_ROWS = 1000
"""The exhaustive budget also bounds the work: C(n, r) surviving sets of r = n − s − 2a rows each are at most
``budget`` × WORK_ROWS rows in all (10⁹ by default; n = 10⁶ workers with s = 1 would be 10¹²). ``--budget`` raises
both."""


def unit_sets(size: int, width: int) -> int:
    """Sets per work unit that keep a unit within ``max_dense_entries`` (:mod:`gcli.io.limits`): a unit holds its
    sets' worker indices and slices their rows of B (and of the messages, when the pass decodes them: ``width`` is
    k·m plus the messages' length), ``units × size × (width + 1)`` entries, down to one set per unit
    (:func:`check_set` refuses a single set whose B_F is beyond the limit).

    >>> unit_sets(999_999, 2)  # n = 10⁶ workers, s = 1, k·m = 2: six sets (18 M entries) per unit
    6
    """
    from gcli.io.limits import limit

    return max(1, limit("max_dense_entries") // max(1, size * (width + 1)))


def check_set(size: int, width: int) -> None:
    """Refuse (OverLimit, one line naming ``GCLI_MAX_DENSE_ENTRIES``) a surviving set whose decoding system B_F
    (size × width) is beyond ``max_dense_entries``."""
    from gcli.io.limits import check_entries

    check_entries(size, width, "one surviving set's decoding system B_F ((n − s − 2a) × k·m)")


def _check_budget(code: Code, s: int, a: int, total: int, budget: int, force: bool, backend: str) -> None:
    """The checks :func:`run_pass` makes before it allocates anything: one set's system within the limit, and an
    exhaustive enumeration (``total`` sets, 0 when sampling) within the budget of sets and of work
    (:data:`WORK_ROWS`) unless forced, and within what can be enumerated at all."""
    size = code.n - s - 2 * a
    check_set(size, code.k * code.m)
    if not total:
        return
    if total > _MAX_EXHAUSTIVE:
        raise OverLimit(f"{total:,} surviving sets are too many to enumerate: use --sample N")
    if force:
        return
    if total > budget:
        timing = ""
        if min(total, _PROBE) <= unit_sets(size, code.k * code.m):  # a probe of the rate fits in one unit
            rate = estimate_rate(code, stragglers=s, adversaries=a, backend=backend, probe=_PROBE)
            timing = f" (about {total / rate:,.0f} s at {rate:,.0f} patterns/s)"
        raise OverLimit(f"{total:,} surviving sets exceed the budget of {budget:,}{timing}: use --sample N or --force")
    work = total * size
    if work > budget * WORK_ROWS:
        raise OverLimit(
            f"the exhaustive check of {total:,} surviving sets of {size:,} workers is {work:,} rows of work, "
            f"beyond the budget of {budget * WORK_ROWS:,} ({budget:,} sets × {WORK_ROWS:,} rows; --budget raises "
            "it): use --sample N or --force"
        )


def check_budget(code: Code, options: CertifyOptions | None = None) -> None:
    """What :func:`run_pass` refuses before allocating (:func:`_check_budget`), for callers that prepare other
    arrays first (:func:`gcli.certify` draws the messages of the stability report)."""
    opts = options or CertifyOptions()
    s = code.s if opts.stragglers is None else opts.stragglers
    a = code.a if opts.adversaries is None else opts.adversaries
    size = code.n - s - 2 * a
    if s < 0 or a < 0 or size < 1:
        return  # run_pass names the impossible parameters
    total = math.comb(code.n, size)
    exhaustive = opts.sample is None or opts.sample >= total
    _check_budget(code, s, a, total if exhaustive else 0, opts.budget, opts.force, opts.backend)


def _task(
    code: Code, size: int, tolerance: float, stop_at_failure: bool, backend: str,
    messages: np.ndarray | None = None, truth: np.ndarray | None = None, stride: int = 0,
    approx: ApproxSpec | None = None,
) -> Task:
    """The picklable description of the check (plain arrays, the field as numbers)."""
    spec = field_spec(code.field_info)  # numbers only: no galois class is built for a code read from a file
    if code.is_real:
        enc = np.ascontiguousarray(code.encoding, dtype=np.float64)
        target = np.asarray(code.target, dtype=np.float64)
    else:
        enc = np.ascontiguousarray(code.integer_encoding(), dtype=np.int64)
        target = np.ascontiguousarray(target_matrix(REAL, code.k, code.m), dtype=np.int64)  # T is 0/1 in any field
    return Task(spec, enc, target, size, tolerance, stop_at_failure, backend, messages, truth, stride, approx)


def _pattern_at(index: int, n: int, size: int, drawn: np.ndarray | None) -> list[int]:
    if drawn is not None:
        return drawn[index].tolist()  # type: ignore[no-any-return]  # python ints
    return list(unrank_combination(index, n, size))


def _run_units(
    task: Task,
    units: Iterator[Unit],
    executor: Executor | None,
    progress: ProgressCallback | None,
    to_check: int,
    window: int = 8,
) -> list[UnitResult]:
    """Run the units (in increasing order of start) here or on the executor; return the results the report
    needs, sorted by start.

    When stopping at the first failure, no unit starting after a known failure is submitted, and those already
    submitted are cancelled: the report only needs every unit that starts at or before the earliest failure.
    At most ``window`` units are in flight on the executor at once, so memory stays bounded.
    """
    results: list[UnitResult] = []
    done = 0
    first_unit = next(units, None)
    if first_unit is None:
        return results
    # load the compiled kernels (here, and for thread pools in this process) before the clock of the progress
    # display starts, so its first estimate is not dominated by loading them. With neither a display nor an
    # executor the first unit loads them itself: a warm-up would only check its first sets twice (a sampled pass
    # of 34 sets of 95 rows × 1600 columns walked them all twice, ~0.1 CPU-s a pass)
    if executor is not None or progress is not None:
        warm_up(task, first_unit)
    if progress is not None:
        progress(0, to_check)
    queue = itertools.chain([first_unit], units)
    if executor is None:
        for unit in queue:
            result = run_unit(task, unit)
            results.append(result)
            done += result.checked
            if progress is not None:
                progress(done, to_check)
            if result.first_failure is not None and task.stop_at_failure:
                break
        return results
    pending: dict[Future[UnitResult], Unit] = {}
    best: int | None = None
    exhausted = False
    try:
        while True:
            while not exhausted and best is None and len(pending) < window:
                unit = next(queue, None)
                if unit is None:
                    exhausted = True
                    break
                pending[executor.submit(run_unit, task, unit)] = unit
            if not pending:
                break
            finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for future in finished:
                pending.pop(future)
                if future.cancelled():
                    continue
                result = future.result()
                results.append(result)
                done += result.checked
                if progress is not None:
                    progress(min(done, to_check), to_check)
                if result.first_failure is not None and task.stop_at_failure:
                    if best is None or result.first_failure < best:
                        best = result.first_failure
            if best is not None:
                for future, unit in list(pending.items()):
                    if unit.start > best:
                        future.cancel()
                        pending.pop(future)
    finally:
        for future in pending:
            future.cancel()
    results.sort(key=lambda r: r.start)
    return results


def estimate_rate(
    code: Code, *, stragglers: int | None = None, adversaries: int | None = None, backend: str = "auto",
    probe: int = 4096,
) -> float:
    """Patterns per second of this process's engine on the code, from a short probe (after a warm-up)."""
    s = code.s if stragglers is None else stragglers
    a = code.a if adversaries is None else adversaries
    size = code.n - s - 2 * a
    total = math.comb(code.n, size)
    task = _task(code, size, DEFAULT_TOLERANCE, False, backend)
    warm_up(task, Unit(0, min(total, probe)))  # compile or load the kernels
    count = min(total, probe)
    begin = time.perf_counter()
    run_unit(task, Unit((total - count) // 2, count))  # mid-space: the first subtrees are atypically cheap
    return count / max(time.perf_counter() - begin, 1e-9)
