"""Helpers shared by the constructions: parameter checks, placements, seeded randomness and certification.

**The promise.** Every exact construction returns through :func:`certified`, which runs :func:`gcli.verify`
on the code before it is handed back (and so before ``gcli design`` writes it): ``design`` never writes a
code that its own ``verify`` rejects. The check is exhaustive when it is estimated to take at most
:data:`CERTIFY_SECONDS` (:func:`certification_plan`: most codes up to n ≈ 30), otherwise a seeded sample of at
most :data:`CERTIFY_SAMPLE` sets, and then the promise holds for the sampled sets only (verify's bound on the
failing fraction is recorded); the ``checked`` block of the construction record says which, how many sets,
and (over the reals) the worst condition number and the largest residual found. A code that fails is
refused with :class:`gcli.InputError` naming the condition number and the residual — the user gets one line
(exit status 2), never a file that does not verify.

**One tolerance policy.** Over the reals a surviving set F decodes when the least-squares residual
‖X B_F − T‖_F / ‖T‖_F is at most :data:`gcli.defaults.DEFAULT_TOLERANCE` (1e-8): design certifies with that
same number, so a code written by ``design`` passes ``verify`` with its defaults. Rounding B to float64 alone
perturbs that residual by about ε·κ(B_F) (ε = 2.2e-16), so a surviving set whose condition number exceeds
:func:`condition_limit` = tolerance/ε ≈ 4.5e7 cannot be relied on; constructions that must decide a numerical
rank (the minimum distance of a real generator) treat such column sets as dependent. Over GF(q) every check
is exact and the tolerance plays no part.

Example:
    >>> from gcli.constructions import fractional_repetition
    >>> fractional_repetition(6, 2).construction["checked"]["exhaustive"]
    True
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import numpy as np

from gcli.code import Code
from gcli.errors import ImpossibleParameters
from gcli.fields import Field, as_field
from gcli.fields.distance import condition_limit

__all__ = [
    "CERTIFY_SAMPLE",
    "CERTIFY_SECONDS",
    "balanced_placement",
    "certification_cost",
    "certification_plan",
    "certified",
    "check_basic",
    "check_size",
    "checked_block",
    "condition_limit",
    "cyclic_windows",
    "deferred_certification",
    "finite_figures",
    "resolve_field",
    "rng",
    "sampled_too_close",
]

# Certification budget. Each surviving set costs about PER_SET + r²·c / RATE seconds (r = n − s − 2a
# responders, c = k·m columns): a conservative fit to the engine's single-thread throughput on verified codes
# (benchmarks/conditioning_bench.py --rates: measured/estimated throughput 1.2–3.7 over the reals, about 1–2.6
# over GF(q); e.g. crc n = 40, s = 3: ~75 µs per set). A check estimated within CERTIFY_SECONDS is exhaustive;
# above it a seeded sample of between CERTIFY_MIN_SAMPLE and CERTIFY_SAMPLE sets that fits the same time.
CERTIFY_SECONDS = 1.0
CERTIFY_SAMPLE = 2_000
CERTIFY_MIN_SAMPLE = 8
_REAL_PER_SET, _REAL_RATE = 20e-6, 5e8
_GF_PER_SET, _GF_RATE = 15e-6, 5e9


def resolve_field(field: str | Field) -> Field:
    """Accept a field object or its text form (``"real"``, ``"GF(7)"``, ``"GF(2^8)"``)."""
    return as_field(field)


def check_size(scheme: str, *, n: int, k: int | None = None, m: int = 1, dense: bool = True) -> None:
    """Refuse a request beyond the limits of :mod:`gcli.io.limits` before anything is allocated, in one line.

    n (workers) and k (partitions) are at most ``max_workers``; a dense encoding n × k·m has at most
    ``max_dense_entries`` entries, and so does n × n (a dense code's decoding systems are up to n × n, so dense
    codes stop at n = 4472 by default; ``dense=False``: sparse codes, which count their non-zeros themselves).
    Every builder calls it at its entry (``check_basic`` does for the codes that use it), so a hostile
    ``-n 10**18`` costs microseconds, not a MemoryError.

    >>> check_size("crc", n=10**6, k=10**6)
    Traceback (most recent call last):
    ...
    gcli.errors.OverLimit: crc: the encoding matrix would have 1000000 × 1000000 = 1000000000000 entries, \
beyond the limit of 20000000 (GCLI_MAX_DENSE_ENTRIES raises it)
    """
    from gcli.io.limits import check, check_entries

    check("max_workers", n, f"{scheme}: n")
    if k is not None:
        check("max_workers", k, f"{scheme}: k")
        if dense and m >= 1:
            check_entries(n, k * m, f"{scheme}: the encoding matrix")
            check_entries(n, n, f"{scheme}: the decoding systems (n − s responders × n)")


def check_basic(
    scheme: str, n: int, s: int, k: int | None, a: int = 0, *, any_k: bool = False, m: int = 1
) -> int:
    """Validate n, s, a (and k) and return k (default n). ``any_k=False``: the scheme needs k = n. Also
    refuses a dense n × k·m encoding beyond the limits (:func:`check_size`)."""
    if n < 1:
        raise ImpossibleParameters(f"{scheme}: need at least one worker (n={n})")
    if s < 0 or a < 0:
        raise ImpossibleParameters(f"{scheme}: s and a must be non-negative (s={s}, a={a})")
    if s + 2 * a >= n:
        raise ImpossibleParameters(f"{scheme}: s + 2a = {s + 2 * a} must be smaller than n = {n}")
    if k is not None and k < 1:
        raise ImpossibleParameters(f"{scheme}: need at least one partition (k={k})")
    if k is not None and k != n and not any_k:
        raise ImpossibleParameters(f"{scheme}: this construction has k = n partitions (got k={k}, n={n})")
    check_size(scheme, n=n, k=n if k is None else k, m=m)
    return n if k is None else k


def rng(seed: int) -> np.random.Generator:
    """The seeded generator every randomised construction draws from (PCG64 via numpy)."""
    if seed < 0:
        raise ImpossibleParameters(f"seed must be non-negative (got {seed})")
    return np.random.default_rng(seed)


def cyclic_windows(n: int, width: int) -> tuple[tuple[int, ...], ...]:
    """Worker i holds partitions i, i+1, …, i+width−1 (mod n), sorted."""
    return tuple(tuple(sorted((i + t) % n for t in range(width))) for i in range(n))


def balanced_placement(n: int, k: int, r: int) -> tuple[tuple[tuple[int, ...], ...], list[list[int]]]:
    """Each of k partitions on r cyclically consecutive workers, loads balanced: (assignment, holders).

    Partition j is held by workers c_j, c_j − 1, …, c_j − r + 1 (mod n) with anchor c_j = ⌊j·n/k⌋, so worker w
    holds the partitions whose anchor lies in w, …, w + r − 1. The anchors are spread evenly, so every worker
    holds ⌊kr/n⌋ or ⌈kr/n⌉ partitions and the load is d = ⌈kr/n⌉, the trade-off bound ⌈k(s + 2a + m)/n⌉ when
    r = s + 2a + m (checked for every n ≤ 40, k ≤ 80, r ≤ n). For k = n this is :func:`cyclic_windows`
    (worker w holds w, …, w + r − 1).

    >>> balanced_placement(4, 2, 2)[1]
    [[0, 3], [1, 2]]
    """
    if not 1 <= r <= n:
        raise ImpossibleParameters(f"each partition needs 1 ≤ r ≤ n holders (r={r}, n={n})")
    holders = [sorted((j * n // k - t) % n for t in range(r)) for j in range(k)]
    rows: list[list[int]] = [[] for _ in range(n)]
    for j, workers in enumerate(holders):
        for w in workers:
            rows[w].append(j)
    return tuple(tuple(sorted(row)) for row in rows), holders


def _significant(value: float | None, digits: int = 4) -> float | str | None:
    """Round to a few significant digits (the record should not depend on the last bits of a BLAS)."""
    if value is None:
        return None
    if not math.isfinite(value):
        return "inf"
    return float(f"{value:.{digits}g}")


def certification_cost(code: Code) -> float:
    """Estimated seconds per surviving set for :func:`gcli.verify` on one thread (module constants)."""
    size = code.n - code.s - 2 * code.a
    per_set, rate = (_REAL_PER_SET, _REAL_RATE) if code.is_real else (_GF_PER_SET, _GF_RATE)
    return per_set + size * size * code.k * code.m / rate


REMOVED_SIDE_SETS = 2_000_000
"""Real codes that :func:`gcli.verify` checks on the removed side (n ≥ 100, s + 2a ≤ 3, dense) are certified
exhaustively up to this many surviving sets: one SVD of B and an r × r problem per set (crc n = 1000, s = 2:
499,500 sets in a few seconds, where the engine needs about a second per set)."""


def certification_plan(code: Code) -> tuple[int, int]:
    """(surviving sets, sets to check): all of them when the estimated time fits :data:`CERTIFY_SECONDS` or the
    removed side applies (:data:`REMOVED_SIDE_SETS`), else a sample (deterministic: the estimate depends only on
    the code's shape and field)."""
    from gcli.certification.removed import removed_side_applies
    from gcli.certification.verification import REMOVED_SIDE_MIN_N

    total = math.comb(code.n, code.n - code.s - 2 * code.a)
    removed = code.s + 2 * code.a
    if (code.is_real and code.n >= REMOVED_SIDE_MIN_N and 1 <= removed <= 3 and total <= REMOVED_SIDE_SETS
            and removed_side_applies(code, removed)):
        return total, total
    cost = certification_cost(code)
    if total * cost <= CERTIFY_SECONDS:
        return total, total
    return total, min(total, CERTIFY_SAMPLE, max(CERTIFY_MIN_SAMPLE, int(CERTIFY_SECONDS / cost)))


_DEFERRED: ContextVar[list[Code] | None] = ContextVar("gcli_certification_deferred", default=None)
"""Inside :func:`deferred_certification`: the list of codes :func:`certified` handed back unchecked."""


@contextmanager
def deferred_certification() -> Iterator[list[Code]]:
    """Builders called inside hand their codes back *without* the check of :func:`certified` (and so without a
    ``checked`` block): for a caller that certifies the code itself, once (``gcli advise`` runs
    :func:`gcli.certify` exactly as ``gcli verify`` would and then records the check with :func:`checked_block`).
    The registry enters it for ``SCHEMES[name](certify=False, ...)``; nothing else changes (``gcli design``
    always certifies). Per thread/context (a :class:`contextvars.ContextVar`). It yields the list of the codes
    whose check was skipped (empty for builders that never call :func:`certified`, e.g. approximate codes).

    >>> from gcli.constructions import fractional_repetition
    >>> with deferred_certification() as skipped:
    ...     "checked" in fractional_repetition(6, 2).construction, len(skipped)
    (False, 1)
    """
    skipped: list[Code] = []
    token = _DEFERRED.set(skipped)
    try:
        yield skipped
    finally:
        _DEFERRED.reset(token)


def certified(code: Code, *, seed: int = 0, check: bool | None = None) -> Code:
    """Verify ``code`` (exhaustively, or a seeded sample: :func:`certification_plan`) and record the check.

    Returns a copy whose construction block gains ``checked``: ``exhaustive``, ``sets`` (checked), ``of``
    (all surviving sets); for a sample also ``seed`` and the bound verify gives on the failing fraction
    (``failure_fraction_bound`` at ``confidence``); over the reals ``tolerance``, ``worst_condition_number``
    and ``max_residual`` (4 and 2 significant digits). Raises InputError — the failing set, its condition
    number and residual in the message — when a surviving set does not decode, for a real code whose worst
    condition number or largest residual is not finite (inf or NaN certifies nothing), and, for a real code checked on a
    sample, when the sampled residuals come within :data:`SAMPLED_MARGIN` of the tolerance (unchecked sets may
    then fail). This is the single place where constructions call the verifier.

    ``check=None`` (default) checks unless inside :func:`deferred_certification`; True always checks, False never
    (the code is returned as built, without a ``checked`` block).
    """
    from gcli.certification.verification import verify
    from gcli.defaults import DEFAULT_TOLERANCE

    deferred = _DEFERRED.get()
    if check is False:
        return code
    if check is None and deferred is not None:
        deferred.append(code)
        return code
    total, count = certification_plan(code)
    exhaustive = count == total
    from gcli.progress import ambient

    report = verify(code, sample=None if exhaustive else count, seed=seed, budget=max(total, 1), force=exhaustive,
                    tolerance=DEFAULT_TOLERANCE, progress=ambient())
    if not report.decodable:
        raise ImpossibleParameters(_refusal(code, report))
    if code.is_real and not finite_figures(report.worst_condition_number, report.max_residual):
        raise ImpossibleParameters(_unconditioned_refusal(code, report))
    if sampled_too_close(code, report):
        raise ImpossibleParameters(_sampled_refusal(code, report, total))
    return checked_block(code, exhaustive=report.exhaustive, sets=report.patterns_checked, total=total, seed=seed,
                         failure_fraction_bound=report.failure_fraction_bound, confidence=report.confidence,
                         worst_condition_number=report.worst_condition_number, max_residual=report.max_residual)


def sampled_too_close(code: Code, report: Any) -> bool:
    """A real code checked on a sample whose largest sampled residual is within :data:`SAMPLED_MARGIN` of the
    tolerance: :func:`certified` refuses it (sets not drawn may fail)."""
    from gcli.defaults import DEFAULT_TOLERANCE

    limit = DEFAULT_TOLERANCE / SAMPLED_MARGIN
    return bool(code.is_real and not report.exhaustive and not report.max_residual <= limit)


def checked_block(
    code: Code, *, exhaustive: bool, sets: int, total: int, seed: int, failure_fraction_bound: float | None,
    confidence: float | None, worst_condition_number: float | None, max_residual: float | None,
) -> Code:
    """A copy of ``code`` whose construction block records a passed check (the ``checked`` block of
    :func:`certified`, from a verify report or a certificate of the same sets)."""
    from gcli.defaults import DEFAULT_TOLERANCE

    checked: dict[str, Any] = {"exhaustive": exhaustive, "sets": sets, "of": total}
    if not exhaustive:
        checked["seed"] = seed
        checked["failure_fraction_bound"] = _significant(failure_fraction_bound, 3)
        checked["confidence"] = confidence
    if code.is_real:
        checked["tolerance"] = DEFAULT_TOLERANCE
        checked["worst_condition_number"] = _significant(worst_condition_number)
        checked["max_residual"] = _significant(max_residual, 2)
    return Code(
        scheme=code.scheme, field=code.field, n=code.n, k=code.k, s=code.s, m=code.m, a=code.a, d=code.d,
        assignment=code.assignment, encoding=code.encoding, exact=code.exact,
        construction={**dict(code.construction), "checked": checked}, extras=dict(code.extras),
    )


SAMPLED_MARGIN = 100.0
"""A real code certified on a sample must keep its largest sampled residual this many times below the tolerance:
the sets not drawn may be worse conditioned than any drawn (Gautschi 1975 [Gautschi1975]: κ grows fast over subsets)."""


def finite_figures(worst_condition_number: float | None, max_residual: float | None) -> bool:
    """Whether a real code's worst condition number and largest residual are finite numbers: an infinite or NaN
    κ (σ_min lost to rounding, an overflow) certifies nothing, whatever the residuals say; :func:`certified`
    refuses such a code (and ``gcli advise`` rejects it).

    Example:
        >>> finite_figures(1.5e7, 3e-15), finite_figures(float("inf"), 3e-15), finite_figures(2.0, float("nan"))
        (True, False, False)
    """
    return all(value is not None and math.isfinite(value) for value in (worst_condition_number, max_residual))


def _unconditioned_refusal(code: Code, report: Any) -> str:
    """Why a real code whose worst condition number (or residual) is not finite is refused."""
    from gcli.defaults import set_text

    where = f"{code.scheme} (n={code.n}, k={code.k}, s={code.s}, m={code.m}, a={code.a}, {code.field_name})"
    worst, residual = report.worst_condition_number, report.max_residual
    return (
        f"{where}: float64 decoding is not exact: the surviving set "
        f"{set_text(report.worst_condition_set, code.n)} has condition number "
        f"{'unknown' if worst is None else format(worst, '.3g')} (largest residual "
        f"{'unknown' if residual is None else format(residual, '.2g')}); use a finite field, fewer workers or a "
        "better-conditioned family (crc or mds with --code fourier)"
    )


def _sampled_refusal(code: Code, report: Any, total: int) -> str:
    """Why a real code checked on a sample is refused: its sampled sets come too close to the tolerance."""
    where = f"{code.scheme} (n={code.n}, k={code.k}, s={code.s}, m={code.m}, a={code.a}, {code.field_name})"
    return (
        f"{where}: too ill-conditioned to certify on a sample: the {report.patterns_checked:,} of {total:,} "
        f"surviving sets checked reach condition number {report.worst_condition_number:.3g} and residual "
        f"{report.max_residual:.2g}, within {SAMPLED_MARGIN:g}x of the tolerance {report.tolerance:g}, so sets not "
        "checked may fail; use a finite field, fewer workers or a better-conditioned family (crc or mds with "
        "--code fourier)"
    )


def _refusal(code: Code, report: Any) -> str:
    """The one-line reason a code is refused: the failing set, its condition number and residual."""
    where = f"{code.scheme} (n={code.n}, k={code.k}, s={code.s}, m={code.m}, a={code.a}, {code.field_name})"
    from gcli.defaults import set_text

    if not code.is_real:
        return (f"{where}: the surviving set {set_text(report.failing_set, code.n)} cannot decode; refusing to "
                "write the code")
    from gcli.certification.stability import condition_numbers

    rows = list(report.failing_set)
    kappa = float(condition_numbers(np.asarray(code.encoding)[rows][None])[0])
    residual = report.max_residual  # every set checked before the failing one passed: the largest is its own
    eps = float(np.finfo(np.float64).eps)
    return (
        f"{where}: float64 decoding is not exact: the surviving set {set_text(rows, code.n)} has condition number "
        f"{kappa:.3g} and residual {residual:.2g} above the tolerance {report.tolerance:g} (rounding alone can cost "
        f"ε·κ = {eps * kappa:.2g}); use a finite field, fewer workers or a better-conditioned family "
        "(crc or mds with --code fourier)"
    )
