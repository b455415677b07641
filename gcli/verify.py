"""Certifying gradient codes: exact decodability over every surviving set, and numerical stability.

A code with parameters (n, s, a) must let the server recover the target T (see :mod:`gcli.code`) from every set F
of n − s − 2a responding workers: over GF(q) exactly (T ∈ rowspan(B_F), checked by exact elimination), over the
reals numerically (least-squares residual ‖X B_F − T‖_F / ‖T‖_F below a tolerance). With a adversaries the
n − s − 2a condition is the linear-scheme criterion: two codewords agreeing on n − s − a responders differ on at
most the a adversarial rows, so unique decoding needs every (n − s − 2a)-subset to determine the sum
(Jahani-Nezhad & Maddah-Ali 2021).

Patterns are enumerated in lexicographic order (``itertools.combinations``) and checked in batches, so the first
failing set reported is the lexicographically first one. Above a budget the check refuses unless sampling
(``sample=N``) or forced.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import galois
import numpy as np

from gcli.code import Code
from gcli.errors import InputError
from gcli.linalg import batched_consistent, batched_real_report

__all__ = [
    "DEFAULT_BUDGET",
    "DEFAULT_TOLERANCE",
    "VerificationReport",
    "decode",
    "decoding_matrix",
    "surviving_sets",
    "verify",
]

DEFAULT_BUDGET = 10**6
DEFAULT_TOLERANCE = 1e-8
DEFAULT_CONFIDENCE = 0.99
_BATCH_ENTRIES = 1 << 21  # entries of the 3-D stack handled at once (bounded memory)


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
        if self.failing_set is not None:
            kind += ", stopped at the first failure"
        head = (
            f"{'DECODABLE' if self.decodable else 'NOT DECODABLE'} over {self.field}: "
            f"n={self.n}, s={self.stragglers}, a={self.adversaries}, "
            f"{self.patterns_checked}/{self.patterns_total} surviving sets of size {self.surviving_size} "
            f"checked ({kind})"
        )
        lines = [head]
        if self.failing_set is not None:
            lines.append(f"failing surviving set: {self.failing_set}")
        if self.worst_condition_number is not None:
            lines.append(
                f"worst condition number {self.worst_condition_number:.4g} at {self.worst_condition_set}; "
                f"max residual {self.max_residual:.3g} (tolerance {self.tolerance:g})"
            )
        if self.failure_fraction_bound is not None:
            lines.append(
                f"with confidence {self.confidence:g}: at most a fraction {self.failure_fraction_bound:.3g} "
                f"of the surviving sets fail"
            )
        return "\n".join(lines)


def surviving_sets(n: int, size: int) -> Iterator[tuple[int, ...]]:
    """All surviving sets of the given size, in lexicographic order."""
    return itertools.combinations(range(n), size)


def _chunks(patterns: Iterator[tuple[int, ...]], chunk: int, size: int) -> Iterator[np.ndarray]:
    while True:
        block = list(itertools.islice(patterns, chunk))
        if not block:
            return
        yield np.asarray(block, dtype=np.int64).reshape(len(block), size)


def _sampled(n: int, size: int, count: int, seed: int) -> np.ndarray:
    """``count`` independent uniformly random surviving sets (rows sorted), from a seeded generator."""
    rng = np.random.default_rng(seed)
    keys = rng.random((count, n))
    return np.sort(np.argsort(keys, axis=1)[:, :size], axis=1)


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
) -> VerificationReport:
    """Check that the target is recoverable from every set of n − s − 2a responders.

    Args:
        code: the code to certify.
        stragglers, adversaries: override the code's own s and a.
        budget: refuse (InputError) when the number of surviving sets exceeds it, unless ``sample`` or ``force``.
        sample: check this many seeded uniformly random surviving sets instead of all of them.
        tolerance: over the reals, a pattern decodes when ‖X B_F − T‖_F / ‖T‖_F ≤ tolerance.
        confidence: for sampling, the 1 − δ of the reported bound on the failing fraction.
    """
    s = code.s if stragglers is None else stragglers
    a = code.a if adversaries is None else adversaries
    if s < 0 or a < 0:
        raise InputError("stragglers and adversaries must be non-negative")
    size = code.n - s - 2 * a
    if size < 1:
        raise InputError(f"n − s − 2a = {size}: no worker would respond (n={code.n}, s={s}, a={a})")
    total = math.comb(code.n, size)
    if sample is not None and sample < 1:
        raise InputError("--sample needs a positive number of patterns")
    exhaustive = sample is None or sample >= total
    if exhaustive and total > budget and not force:
        rate = _estimate_rate(code, size)
        raise InputError(
            f"{total:,} surviving sets exceed the budget of {budget:,} (about {total / rate:,.0f} s at "
            f"{rate:,.0f} patterns/s): use --sample N or --force"
        )
    start = time.perf_counter()
    per_pattern = size * code.k * code.m + code.m * code.k * code.m
    chunk = max(1, min(8192, _BATCH_ENTRIES // max(per_pattern, 1)))
    if exhaustive:
        batches: Iterator[np.ndarray] = _chunks(surviving_sets(code.n, size), chunk, size)
    else:
        assert sample is not None
        drawn = _sampled(code.n, size, sample, seed)
        batches = (drawn[i : i + chunk] for i in range(0, sample, chunk))

    checked = 0
    failing: list[int] | None = None
    worst_cond, worst_set, max_res = 0.0, None, 0.0
    for patterns in batches:
        if code.is_real:
            ok, cond, res = _check_real(code, patterns, tolerance)
            checked_here = patterns.shape[0]
            if not ok.all():
                first = int(np.argmin(ok))
                failing = patterns[first].tolist()
                checked_here = first + 1
            cond, res = cond[:checked_here], res[:checked_here]
            j = int(np.argmax(cond))
            if worst_set is None or cond[j] > worst_cond:
                worst_cond, worst_set = float(cond[j]), patterns[j].tolist()
            max_res = max(max_res, float(res.max()))
            checked += checked_here
        else:
            ok = _check_gf(code, patterns)
            if ok.all():
                checked += patterns.shape[0]
            else:
                first = int(np.argmin(ok))
                failing = patterns[first].tolist()
                checked += first + 1
        if failing is not None:
            break
    elapsed = time.perf_counter() - start
    bound = None
    if not exhaustive and failing is None:
        # If a fraction ε of sets failed, n i.i.d. draws all miss them with probability (1 − ε)^N ≤ δ.
        bound = 1.0 - (1.0 - confidence) ** (1.0 / checked)
    return VerificationReport(
        decodable=failing is None,
        field=code.field_name,
        n=code.n,
        stragglers=s,
        adversaries=a,
        surviving_size=size,
        patterns_checked=checked,
        patterns_total=total,
        exhaustive=exhaustive,
        failing_set=failing,
        worst_condition_number=worst_cond if code.is_real else None,
        worst_condition_set=worst_set if code.is_real else None,
        max_residual=max_res if code.is_real else None,
        tolerance=tolerance if code.is_real else None,
        sample_seed=None if exhaustive else seed,
        failure_fraction_bound=bound,
        confidence=None if bound is None else confidence,
        seconds=round(elapsed, 6),
    )


def _estimate_rate(code: Code, size: int) -> float:
    probe = _chunks(surviving_sets(code.n, size), 256, size)
    patterns = next(probe)
    start = time.perf_counter()
    if code.is_real:
        _check_real(code, patterns, DEFAULT_TOLERANCE)
    else:
        _check_gf(code, patterns)
    return patterns.shape[0] / max(time.perf_counter() - start, 1e-9)


def _check_gf(code: Code, patterns: np.ndarray) -> np.ndarray:
    """Exact test T ∈ rowspan(B_F) for a batch: solve B_Fᵀ Y = Tᵀ by batched elimination."""
    enc = code.encoding
    blocks = enc[patterns]  # (b, r, km)
    t = code.target
    systems = np.concatenate(
        [np.swapaxes(blocks, 1, 2), np.broadcast_to(t.T, (patterns.shape[0], *t.T.shape))], axis=2
    )
    return batched_consistent(code.field, code.field(systems), patterns.shape[1])


def _check_real(code: Code, patterns: np.ndarray, tolerance: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    blocks = np.asarray(code.encoding)[patterns]
    report = batched_real_report(blocks, code.target)
    relative = report.residual / math.sqrt(code.k * code.m)  # ‖T‖_F = √(k·m)
    return relative <= tolerance, report.condition, relative


def decoding_matrix(code: Code, surviving: Sequence[int]) -> np.ndarray:
    """The decoder A_F (shape m × |F|) with A_F · B_F = T, for the given responding workers.

    Over GF(q): a particular solution of B_Fᵀ A_Fᵀ = Tᵀ by Gauss–Jordan elimination (galois ``row_reduce``);
    InputError when none exists. Over the reals: the least-squares decoder T · B_F⁺ (always returned; check the
    residual, or use :func:`verify`, to know whether it is exact).
    """
    rows = _surviving_rows(code, surviving)
    block = code.encoding[rows]
    t = code.target
    if code.is_real:
        return t @ np.linalg.pinv(np.asarray(block))
    field = code.field
    r = len(rows)
    system = np.concatenate([block.T, t.T], axis=1).view(field)
    reduced = system.row_reduce(ncols=r)
    solution = field.Zeros((r, code.m))
    for row in reduced:
        nz = np.flatnonzero(np.asarray(row[:r].view(np.ndarray)))
        if nz.size == 0:
            if np.any(np.asarray(row[r:].view(np.ndarray))):
                raise InputError(f"the target is not recoverable from workers {list(rows)}")
            continue
        solution[nz[0]] = row[r:]
    return solution.T


def decode(code: Code, surviving: Sequence[int], messages: np.ndarray) -> np.ndarray:
    """Recover Σ_j g_j from the messages of the responding workers (shape (|F|, ℓ/m)); returns length ℓ."""
    decoder = decoding_matrix(code, surviving)
    received = np.asarray(messages) if code.is_real else galois_view(code, messages)
    blocks = decoder @ received  # (m, ℓ/m): block u is Σ_j g_j^(u)
    return blocks.reshape(-1)


def galois_view(code: Code, values: np.ndarray) -> galois.FieldArray:
    """Interpret an integer array as elements of the code's field."""
    if isinstance(values, galois.FieldArray):
        return values
    return code.field(np.asarray(values, dtype=np.int64))


def _surviving_rows(code: Code, surviving: Sequence[int]) -> list[int]:
    rows = sorted(int(i) for i in surviving)
    if len(set(rows)) != len(rows) or (rows and (rows[0] < 0 or rows[-1] >= code.n)):
        raise InputError(f"surviving workers must be distinct indices in 0..{code.n - 1}")
    return rows
