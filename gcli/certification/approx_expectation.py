"""Expectations under i.i.d. failures (exact sums over the failure counts, or seeded Monte Carlo for the
optimal decoder) and the straggler counts at which a code recovers the sum exactly."""

from __future__ import annotations

import itertools
import math
from concurrent.futures import Executor
from typing import Any

import numpy as np

from gcli.certification.approx_decoders import (
    _NO_DECODERS,
    DEFAULT_EXPECTATION_SAMPLES,
    MIN_EXPECTATION_SAMPLES,
    WORK_LIMIT,
    _check_p,
    _decoders,
    _require,
    _work,
)
from gcli.certification.approx_pass import ExactFor, Expectation, _merge, _Stats, approx_spec
from gcli.certification.verification import run_pass
from gcli.code import Code
from gcli.defaults import DEFAULT_BUDGET, DEFAULT_CONFIDENCE, DEFAULT_TOLERANCE
from gcli.errors import ImpossibleParameters, OverLimit

__all__ = ["ExactFor", "Expectation", "exact_straggler_counts", "expected_error", "mean_fixed_error"]

# ---------------------------------------------------------------------------------------------------------
# expectations under i.i.d. failures
# ---------------------------------------------------------------------------------------------------------
def _binomial_pmf(n: int, p: float) -> np.ndarray:
    """P(|F| = r) for r = 0..n responders, each alive with probability 1 − p (log space: any n)."""
    r = np.arange(n + 1, dtype=np.float64)
    logs = np.array([math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) for k in range(n + 1)])
    with np.errstate(divide="ignore"):
        return np.exp(logs + r * math.log1p(-p) + (n - r) * math.log(p))


def _fixed_moments(code: Code, x: np.ndarray) -> tuple[float, float, float, float]:
    """(Σ_d = Σ_i ‖x_i‖²‖b_i‖², ‖S‖², ⟨S, T⟩, ‖T‖²) with S = X·B."""
    enc = np.asarray(code.encoding, dtype=np.float64)
    target = np.asarray(code.target, dtype=np.float64)
    diag = float(np.sum(np.sum(x * x, axis=0) * np.sum(enc * enc, axis=1)))
    s = x @ enc
    return diag, float(np.sum(s * s)), float(np.sum(s * target)), float(np.sum(target * target))


def mean_fixed_error(code: Code, x: np.ndarray, weight: float, size: int) -> float:
    """The exact mean of ‖w·X_F B_F − T‖² over all sets F of ``size`` responders (closed form, module docstring)."""
    diag, s2, st, t2 = _fixed_moments(code, x)
    n, r = code.n, size
    if r == 0:
        return t2
    off = (r * (r - 1)) / (n * (n - 1)) if n > 1 else 0.0
    return weight * weight * ((r / n) * diag + off * (s2 - diag)) - 2 * weight * (r / n) * st + t2


def _fixed_expectation(code: Code, name: str, x: np.ndarray, weight_of: Any, p: float) -> Expectation:
    diag, s2, st, t2 = _fixed_moments(code, x)
    n = code.n
    pmf = _binomial_pmf(n, p)
    expected, gamma = pmf[0] * t2, 0.0
    for r in range(1, n + 1):
        if pmf[r] == 0.0:
            continue
        w = weight_of(r)
        off = (r * (r - 1)) / (n * (n - 1)) if n > 1 else 0.0
        expected += pmf[r] * (w * w * ((r / n) * diag + off * (s2 - diag)) - 2 * w * (r / n) * st + t2)
        gamma += pmf[r] * w * r / n
    bias = max(0.0, gamma * gamma * s2 - 2 * gamma * st + t2)
    expected = max(expected, bias)
    return Expectation(name, p, float(expected), float(bias), float(expected - bias), "closed form")


def expected_error(
    code: Code,
    decoder: str = "optimal",
    failure_prob: float = 0.1,
    *,
    budget: int = DEFAULT_BUDGET,
    samples: int | None = None,
    seed: int = 0,
    confidence: float = DEFAULT_CONFIDENCE,
    tolerance: float = DEFAULT_TOLERANCE,
    executor: Executor | None = None,
) -> Expectation:
    """E[ε], bias and variance of a decoder when every worker fails independently with probability p.

    Fixed-form decoders: closed form (module docstring). Optimal decoder: one engine pass per size |F| over all
    2ⁿ patterns when 2ⁿ ≤ ``budget``, else ``samples`` (default 20 000) seeded Monte Carlo failure patterns with a
    normal confidence interval at ``confidence`` (the bias is then estimated from the same patterns).

    Example (Charles et al. 2017 [Charles2017]: FRC, n = 12, d = 3, p = 0.3 ⇒ n·p^d = 0.324):
        >>> from gcli.constructions import fractional_repetition
        >>> round(expected_error(fractional_repetition(12, 2), "optimal", 0.3).expected_error, 10)
        0.324
    """
    p = _check_p(failure_prob)
    assert p is not None
    decoders = _decoders(code, tolerance)
    _require(code, decoders, decoder, p)
    if decoder == "fixed":
        fixed = decoders.fixed
        assert fixed is not None
        return _fixed_expectation(code, "fixed", fixed.matrix, lambda r: fixed.weight(code.n, r), p)
    if decoder == "unbiased":
        assert decoders.unbiased is not None
        return _fixed_expectation(code, "unbiased", decoders.unbiased, lambda r: 1.0 / (1.0 - p), p)
    return _optimal_expectation(code, p, budget=budget, samples=samples, seed=seed, confidence=confidence,
                                tolerance=tolerance, executor=executor)


def _optimal_expectation(code: Code, p: float, *, budget: int, samples: int | None, seed: int, confidence: float,
                         tolerance: float, executor: Executor | None) -> Expectation:
    n = code.n
    target = np.asarray(code.target, dtype=np.float64)
    t2 = float(np.sum(target * target))
    decoders = _NO_DECODERS
    pmf = _binomial_pmf(n, p)
    if 2**n <= budget and samples is None and _work(2**n, n, code.k * code.m) <= WORK_LIMIT:
        expected = pmf[0] * t2
        mean_residual = pmf[0] * target
        for r in range(1, n + 1):
            spec, _ = approx_spec(code, decoders, r, None, tolerance, residual_sum=True, only=True)
            run = run_pass(code, stragglers=n - r, adversaries=0, all_failures=True, approx=spec, executor=executor,
                           force=True)
            stats, rsum = _merge(run, [])
            expected += pmf[r] * stats["optimal"].mean
            assert rsum is not None
            mean_residual = mean_residual + pmf[r] * rsum / stats["optimal"].count
        bias = float(np.sum(mean_residual * mean_residual))
        return Expectation("optimal", p, float(expected), bias, float(max(expected - bias, 0.0)), "exact",
                           patterns=2**n)
    if samples is None:
        affordable = WORK_LIMIT / _work(1, round(n * (1 - p)), code.k * code.m)
        if affordable < MIN_EXPECTATION_SAMPLES:
            raise OverLimit(f"the optimal decoder's expected error needs least squares on ~{n * (1 - p):.0f} "
                            f"responders per failure pattern: too costly for a Monte Carlo estimate by default "
                            f"(pass a number of samples)")
        count = int(min(DEFAULT_EXPECTATION_SAMPLES, affordable))
    else:
        count = int(samples)
    if count < 2:
        raise ImpossibleParameters("the Monte Carlo estimate needs at least 2 failure patterns")
    from gcli.certification.approx_removed import RemovedFactor, removed_expectation

    factor = RemovedFactor.of(code)
    if factor is not None:
        # the same seeded patterns and estimator, each an r × r problem on the r failed workers instead of a
        # least-squares walk over the n − r responders (the count stays the one above: the figure does not
        # depend on the path); None when that would cost more than the engine
        removed = removed_expectation(factor, code, p, samples=count, seed=seed, confidence=confidence,
                                      budget=budget)
        if removed is not None:
            return removed
    rng = np.random.default_rng(seed)
    alive = rng.random((count, n)) >= p
    sizes = alive.sum(axis=1)
    total, squares = float(np.sum(sizes == 0)) * t2, float(np.sum(sizes == 0)) * t2 * t2
    residual = float(np.sum(sizes == 0)) * target
    for r in np.unique(sizes):
        r = int(r)
        if r == 0:
            continue
        rows = alive[sizes == r]
        patterns = np.nonzero(rows)[1].reshape(-1, r)
        order = np.lexsort(patterns.T[::-1])
        spec, _ = approx_spec(code, decoders, r, None, tolerance, residual_sum=True, only=True)
        run = run_pass(code, stragglers=n - r, adversaries=0, all_failures=True, approx=spec, executor=executor,
                       patterns=patterns[order])
        stats, rsum = _merge(run, [])
        total += stats["optimal"].total
        squares += stats["optimal"].squares
        assert rsum is not None
        residual = residual + rsum
    merged = _Stats(count, total, squares, 0.0, -1)
    mean_residual = residual / count
    bias = float(np.sum(mean_residual * mean_residual))
    return Expectation("optimal", p, merged.mean, bias, float(max(merged.mean - bias, 0.0)), "monte carlo",
                       interval=merged.interval(confidence), samples=count, seed=seed)


# ---------------------------------------------------------------------------------------------------------
# exactness
# ---------------------------------------------------------------------------------------------------------
def exact_straggler_counts(
    code: Code, *, budget: int = DEFAULT_BUDGET, tolerance: float = DEFAULT_TOLERANCE,
    executor: Executor | None = None, known_exact: int | None = None, known_inexact: int | None = None,
) -> ExactFor:
    """The straggler counts s for which the least-squares decoder is exact on every set of n − s responders.

    Checks s = 0, 1, … up to the structural limit min_j r_j − m: first by exhibiting a decoder that avoids each
    removed set (:func:`_every_set_decodes`, a proof of exactness at a few operations per set), else with the
    approximation engine (stopping at the first inexact set); a count whose C(n, s) sets exceed ``budget`` (or
    :data:`WORK_LIMIT` operations) is left undecided either way. ``known_exact`` /
    ``known_inexact`` are counts already settled by an exhaustive pass (exactness is monotone in s).
    """
    limit = int(code.replication().min()) - code.m if code.k else -1
    stop = limit if known_inexact is None else min(limit, known_inexact - 1)
    counts: list[int] = []
    undecided = None
    decoders = _NO_DECODERS
    space: _Space | None = None
    screened = False  # the decoder space is computed at the first count that needs it
    for s in range(0, max(stop, -1) + 1):
        if s >= code.n:
            break
        if known_exact is not None and s <= known_exact:
            counts.append(s)
            continue
        if math.comb(code.n, s) > budget or _work(math.comb(code.n, s), code.n - s, code.k * code.m) > WORK_LIMIT:
            undecided = s
            break
        if not screened:
            space, screened = _decoder_space(code), True
        if _every_set_decodes(space, s, tolerance):
            counts.append(s)
            continue
        spec, _ = approx_spec(code, decoders, code.n - s, None, tolerance, only=True)
        run = run_pass(code, stragglers=s, adversaries=0, approx=spec, executor=executor, force=True)
        if run.first_failure is not None:
            break
        counts.append(s)
    return ExactFor(counts, undecided, limit)


SCREEN_ENTRIES = 1_000_000
"""Codes with n·(k·m) entries up to this are screened by :func:`_every_set_decodes` (one SVD of B)."""

SCREEN_MARGIN = 1e-2
"""The screen accepts a set when its residual bound is below this fraction of the engine's tolerance."""

SCREEN_RCOND = 1e-10
"""Singular values of N[S] below this fraction of the largest are dropped (a rank-deficient N[S] with a consistent
right-hand side, as when two workers hold the same rows modulo the others, would otherwise give a huge C)."""

_SCREEN_CHUNK = 8192


_Space = tuple[np.ndarray, np.ndarray, np.ndarray, float, float, float]


def _decoder_space(code: Code) -> _Space | None:
    """(B, X₀, N, ‖E₀‖, ‖E₁‖, SCREEN_MARGIN·‖T‖) of :func:`_every_set_decodes` from one SVD of B, or None when the
    code is beyond :data:`SCREEN_ENTRIES` or B is zero or not finite."""
    if code.n * code.k * code.m > SCREEN_ENTRIES:
        return None
    b = np.asarray(code.encoding, dtype=np.float64)
    t = np.asarray(code.target, dtype=np.float64)
    if not (b.size and np.all(np.isfinite(b))):
        return None
    # u must be square (its last columns span the left null space); v only to the rank: full matrices only when
    # n > k·m, where V is the small factor (a full V of a 97 × 3104 B alone cost 2.5 CPU-s)
    u, sv, vt = np.linalg.svd(b, full_matrices=b.shape[0] > b.shape[1])
    if sv.size == 0 or sv[0] == 0.0:
        return None
    rank = int(np.sum(sv > sv[0] * max(b.shape) * np.finfo(np.float64).eps))
    x0 = ((t @ vt[:rank].T) / sv[:rank]) @ u[:, :rank].T  # m × n
    null = u[:, rank:]  # n × d
    return (b, x0, null, float(np.linalg.norm(x0 @ b - t)), float(np.linalg.norm(null.T @ b)),
            SCREEN_MARGIN * float(np.linalg.norm(t)))


def _every_set_decodes(space: _Space | None, s: int, tolerance: float) -> bool:
    """True when every set of n − s responders provably recovers T within ``tolerance`` (relative); False when
    this screen cannot show it (some set may be inexact: the engine then decides).

    The decoders of all n workers form the affine space X₀ + Cᵀ·Nᵀ (X₀ = T·B⁺, the columns of N an orthonormal
    basis of the left null space of B, C any d × m matrix, d = n − rank B). For a removed set S, the least-squares
    C of N[S]·C = −X₀[:, S]ᵀ leaves r_S = X₀[:, S]ᵀ + N[S]·C (s × m); zeroing the columns S of X = X₀ + Cᵀ·Nᵀ gives
    a decoder X_F of the responders F with X_F·B − T = E₀ + Cᵀ·E₁ − r_Sᵀ·B[S], where E₀ = X₀·B − T and
    E₁ = Nᵀ·B vanish up to round-off. So ‖X_F·B − T‖ ≤ ‖E₀‖ + ‖C‖·‖E₁‖ + ‖r_S‖·‖B[S]‖ (Frobenius norms), and
    the optimal (least-squares) error of F is at most that bound: when it is below SCREEN_MARGIN · tolerance ·
    ‖T‖ for every S, each set is exact — an s × d system per set instead of an (n − s) × k factorisation.

    >>> from gcli.constructions import bibd_code
    >>> _every_set_decodes(_decoder_space(bibd_code(9, 3, 1)), 2, 1e-8)  # AG(2, 3): a parallel class survives
    True

    ``space`` is :func:`_decoder_space` of the code (None: nothing is shown).
    """
    if space is None:
        return False
    b, x0, null, e0, e1, limit = space
    n = b.shape[0]
    if s >= n:
        return False
    if not e0 <= limit * tolerance:
        return False
    limit *= tolerance
    if s == 0:
        return True
    row_norms = np.einsum("ij,ij->i", b, b)
    d = null.shape[1]
    subsets = itertools.combinations(range(n), s)
    while True:
        flat = np.fromiter(itertools.chain.from_iterable(itertools.islice(subsets, _SCREEN_CHUNK)), dtype=np.int64)
        if not flat.size:
            return True
        sets = flat.reshape(-1, s)
        rhs = -x0.T[sets]  # count × s × m
        if d:
            ns = null[sets]  # count × s × d
            c = np.linalg.pinv(ns, rcond=SCREEN_RCOND) @ rhs  # count × d × m (any C gives a valid bound)
            r = ns @ c - rhs
            c_norm = np.sqrt(np.einsum("kdm,kdm->k", c, c))
        else:
            r = -rhs
            c_norm = np.zeros(len(sets))
        bound = e0 + c_norm * e1 + np.sqrt(np.einsum("ksm,ksm->k", r, r) * row_norms[sets].sum(axis=1))
        if not np.all(bound <= limit):  # NaN fails too
            return False

