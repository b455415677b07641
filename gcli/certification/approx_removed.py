"""Approximation errors of every set of n − s responders from the *removed* side: an s × s problem per set.

For a real code whose encoding B (n × k·m) has full row rank, let M = B·Bᵀ (invertible), W = M⁻¹ (once),
C = B·Tᵀ and x₀ = W·C, the coefficients (n × m) of the least-squares decoder of all n workers, with residual
R₀ = Bᵀx₀ − Tᵀ and error E₀ = ‖R₀‖². For the set F of responders that misses the s workers S, every decoder is
x₀ + y with y_S = −x₀[S], and since B·R₀ = M·x₀ − C = 0,

    ‖Bᵀ(x₀ + y) − Tᵀ‖² = E₀ + yᵀ·M·y.

The smallest yᵀMy under y_S = −x₀[S] is reached at y = W[:, S]·Λ, Λ = −W_SS⁻¹·x₀[S] (M·y then vanishes off S,
the Lagrange condition), so the **optimal error** is

    E*(F) = E₀ + tr(x₀[S]ᵀ · W_SS⁻¹ · x₀[S])

(the inverse of the principal submatrix M_FF is the Schur complement W_FF − W_FS·W_SS⁻¹·W_SF: the same
formula), and the optimal decoder's residual is R₀ + Bᵀ·W[:, S]·Λ. A **fixed decoder** w·X_F (X m × n, weight w
for |F| = n − s) has X_F·B_F = X·B − X_S·B_S, so with P = w·X·B − T, q_i = x_iᵀ·P·b_i and H = (XᵀX) ∘ M,

    ε(F) = ‖P‖² − 2w·Σ_{i∈S} q_i + w²·Σ_{i,j∈S} H_ij.

Each is O(s³) per set from data computed once; with a verified cyclic group (:mod:`gcli.certification.orbits`)
only one S per orbit is evaluated and orbit sizes weight the means. Every term of E*(F) − E₀ is a quadratic form
in x₀[S] with the well-conditioned W_SS (κ(W_SS) ≤ κ(M)): the path applies only when κ(M) ≤
:data:`GRAM_CONDITION_LIMIT`, and the engine checks everything else.

The expected optimal error under i.i.d. failures is estimated on the same seeded failure patterns as
:func:`gcli.certification.approx_expectation.expected_error` draws (each pattern an r × r problem, r the failed
workers), and the exact straggler counts below s come from the same formula over the sets of s' < s removed.

Example (the Fano plane: every set of 6 of the 7 blocks has the optimal error 1/4):
    >>> from gcli.constructions import bibd_code
    >>> factor = RemovedFactor.of(bibd_code(7, 3, 1, s=1))
    >>> [round(float(e), 12) for e in factor.optimal_errors(np.array([[0], [3]]))]
    [0.25, 0.25]
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from gcli.code import Code

__all__ = ["GRAM_CONDITION_LIMIT", "RemovedApprox", "RemovedFactor", "removed_approximation"]

GRAM_CONDITION_LIMIT = 1e8
"""The removed-side approximation path needs κ₁(B·Bᵀ) ≥ κ(B)² up to this (so κ(B) ≤ 10⁴); else the engine runs."""

_MAX_N = 4000  # n × n work arrays (W, H)
_CHUNK = 1 << 16  # removed sets per vectorised step
_EXPECTATION_WORK = 5e8  # Σ r³ over the Monte Carlo failure patterns the removed side takes on


@dataclass(frozen=True)
class RemovedFactor:
    """What every set shares: M = B·Bᵀ (``gram``), W = M⁻¹ (from a Cholesky factor), x₀ = W·B·Tᵀ (n × m),
    E₀ = ‖Bᵀx₀ − Tᵀ‖², B, T and ``condition`` κ₁(B·Bᵀ) = ‖B·Bᵀ‖₁·‖W‖₁, an upper bound on κ₂(B·Bᵀ) = κ(B)²
    (both matrices are symmetric, so ‖·‖₂ ≤ ‖·‖₁)."""

    enc: np.ndarray
    target: np.ndarray
    w: np.ndarray
    x0: np.ndarray
    e0: float
    condition: float
    gram: np.ndarray

    @classmethod
    def of(cls, code: Code) -> RemovedFactor | None:
        """The factor of a real code with n ≤ k·m and κ₁(B·Bᵀ) ≤ :data:`GRAM_CONDITION_LIMIT`, else None."""
        n = code.n
        if not code.is_real or n > code.k * code.m or n > _MAX_N:
            return None
        enc = np.ascontiguousarray(code.encoding, dtype=np.float64)
        target = np.asarray(code.target, dtype=np.float64)
        if not np.all(np.isfinite(enc)):
            return None
        from scipy.linalg import lapack

        gram = enc @ enc.T
        factor, info = lapack.dpotrf(gram, lower=1)
        if info != 0:  # not positive definite: B has no full row rank (in float64)
            return None
        w, info = lapack.dpotri(factor, lower=1)
        if info != 0:
            return None
        w = np.tril(w) + np.tril(w, -1).T
        condition = float(np.abs(gram).sum(axis=0).max() * np.abs(w).sum(axis=0).max())  # κ₁ ≥ κ₂
        if not np.all(np.isfinite(w)) or not condition <= GRAM_CONDITION_LIMIT:
            return None
        x0 = w @ (enc @ target.T)
        r0 = enc.T @ x0 - target.T
        return cls(enc, target, w, x0, float(np.sum(r0 * r0)), condition, gram)

    def optimal_errors(self, sets: np.ndarray) -> np.ndarray:
        """E*(F) for the complement F of each removed set S (rows of ``sets``)."""
        out = np.empty(sets.shape[0])
        for lo in range(0, sets.shape[0], _CHUNK):
            part = sets[lo : lo + _CHUNK]
            if part.shape[1] == 0:
                out[lo : lo + part.shape[0]] = self.e0
                continue
            wss = self.w[part[:, :, None], part[:, None, :]]
            xs = self.x0[part]
            sol = np.linalg.solve(wss, xs)
            out[lo : lo + part.shape[0]] = self.e0 + np.einsum("ksm,ksm->k", xs, sol)
        return out

    def fixed_errors(self, sets: np.ndarray, columns: np.ndarray, weight: float) -> np.ndarray:
        """ε(F) of the fixed decoder w·X_F (``columns`` = Xᵀ, n × m) for the complement of each removed set."""
        x = columns.T
        p = weight * (x @ self.enc) - self.target
        q = np.einsum("ui,ui->i", x, p @ self.enc.T)
        h = (columns @ x) * self.gram
        base = float(np.sum(p * p))
        rows, cols = sets[:, :, None], sets[:, None, :]
        return base - 2 * weight * q[sets].sum(axis=1) + weight * weight * h[rows, cols].sum(axis=(1, 2))

    def residual_sum(self, sets: list[np.ndarray]) -> np.ndarray:
        """Σ over the removed sets of T − X*_F·B_F (m × k·m), the engine's ``residual_sum`` (sets grouped by
        size, one array per size)."""
        n, m = self.x0.shape
        z = np.zeros((n, m))
        count = 0
        for part in sets:
            count += part.shape[0]
            if part.shape[1] == 0:
                continue
            for lo in range(0, part.shape[0], _CHUNK):
                chunk = part[lo : lo + _CHUNK]
                lam = -np.linalg.solve(self.w[chunk[:, :, None], chunk[:, None, :]], self.x0[chunk])
                np.add.at(z, chunk.ravel(), lam.reshape(-1, m))
        r0 = self.enc.T @ self.x0 - self.target.T
        return -(count * r0 + self.enc.T @ (self.w @ z)).T


@dataclass(frozen=True)
class RemovedApprox:
    """The removed-side approximation pass at s stragglers: per decoder [Σε, Σε², max ε, lexicographic rank of its
    surviving set] over all C(n, s) sets (``optimal`` first, then the spec's fixed decoders in order), the inexact
    sets (relative residual above the tolerance) with the rank of the first, and how."""

    factor: RemovedFactor
    stragglers: int
    total: int
    rows: list[list[float]]
    inexact: int
    first_inexact: int | None
    group_order: int | None
    orbits: int
    seconds: float

    @property
    def path(self) -> str:
        return "removed-side approximation" + ("" if self.group_order is None else ", one set per orbit")

    def block(self) -> dict[str, Any]:
        """The certificate's ``removed_side`` block (the keys of the exact codes' block, and κ(B·Bᵀ))."""
        return {"path": self.path, "group_order": self.group_order, "orbits": self.orbits if self.group_order
                else None, "fallback_sets": 0, "patterns": self.total,
                "exhaustive_figures": ["decodable", "failures_found", "approximation errors (every decoder)"],
                "sampled_figures": [], "sampled_sets": None, "sample_seed": None,
                "gram_condition": self.factor.condition}


    def as_pass(self, n: int) -> Any:
        """The :class:`~gcli.certification.verification.Pass` the reports read (one unit holding the tallies)."""
        from gcli.certification.engine import ApproxTally, UnitResult
        from gcli.certification.verification import Pass

        tally = ApproxTally(checked=self.total, inexact=self.inexact, first_inexact=self.first_inexact,
                            optimal=np.array(self.rows[0]), decoders=np.array(self.rows[1:]).reshape(-1, 4))
        unit = UnitResult(start=0, checked=self.total, first_failure=self.first_inexact, failures=self.inexact,
                          approx=tally)
        return Pass(n=n, stragglers=self.stragglers, adversaries=0, size=n - self.stragglers, total=self.total,
                    exhaustive=True, checked=self.total, first_failure=self.first_inexact, failures=self.inexact,
                    drawn=None, results=[unit], seconds=self.seconds, sample_seed=None)


def _sets(n: int, r: int, group: Any) -> tuple[np.ndarray, np.ndarray]:
    from gcli.certification.removed import _sets as removed_sets

    return removed_sets(n, r, group)


def _group(factor: RemovedFactor, code: Code, columns: np.ndarray | None = None) -> Any:
    """The verified cyclic group of B and T (None when trivial), kept only when every fixed decoder's Xᵀ
    (``columns``, W × n × m) is invariant under its worker shift too (to round-off: X₀ = T·B⁺ is computed)."""
    from gcli.certification.orbits import cyclic_group

    group = cyclic_group(factor.enc, factor.target, m=code.m, k=code.k)
    if group is None or group.order == 1:
        return None
    for x in [] if columns is None else columns:
        scale = float(np.max(np.abs(x))) if x.size else 0.0
        if not float(np.max(np.abs(np.roll(x, group.step, axis=0) - x), initial=0.0)) <= 1e-12 * scale:
            return None
    return group


def _first_complement_rank(reps: np.ndarray, n: int, group: Any) -> tuple[int, list[int]]:
    """The lexicographically first surviving set among the complements of the members of the orbits of ``reps``
    (the complement of the lexicographically last member S) and its rank.

    Under all n rotations (step 1) the last member of an orbit puts an element at n − 1: any other rotation is
    below the one shifted up by one. With a_i at n − 1 the set reads (g_i − 1, g_i − 1 + g_{i+1}, …, n − 1), g the
    cyclic gaps, so the last member starts its gaps at the lexicographically largest rotation of g: r rotations
    per orbit instead of n shifts."""
    from gcli.certification.engine import rank_combination
    from gcli.certification.removed import _first_failure

    r = reps.shape[1]
    if group is None or group.step != 1 or r == 0:
        return _first_failure(reps, n, r, group)
    gaps = np.diff(np.hstack([reps, reps[:, :1] + n]), axis=1)
    best = gaps.copy()
    for j in range(1, r):
        rotated = np.roll(gaps, -j, axis=1)
        diff = rotated - best
        nonzero = diff != 0
        first = np.argmax(nonzero, axis=1)
        larger = nonzero.any(axis=1) & (diff[np.arange(diff.shape[0]), first] > 0)
        best[larger] = rotated[larger]
    members = np.hstack([np.cumsum(best[:, :-1], axis=1) - 1, np.full((reps.shape[0], 1), n - 1)])
    last = members[np.lexsort(members.T[::-1])[-1]]
    survivors = sorted(set(range(n)) - {int(x) for x in last})
    return rank_combination(survivors, n), survivors


def removed_approximation(code: Code, s: int, columns: np.ndarray, weights: np.ndarray, tolerance: float,
                          factor: RemovedFactor | None = None) -> RemovedApprox | None:
    """The optimal and fixed decoders' errors on every set of n − s responders (module docstring), or None when
    the path does not apply (B without full row rank, κ(B·Bᵀ) too large, n beyond 4000)."""
    start = time.perf_counter()
    factor = factor or RemovedFactor.of(code)
    if factor is None or not 1 <= s < code.n:
        return None
    n = code.n
    group = _group(factor, code, columns)
    sets, sizes = _sets(n, s, group)
    weight = sizes.astype(np.float64)
    norm_t = float(np.linalg.norm(factor.target)) or 1.0
    errors = [factor.optimal_errors(sets)]
    errors += [factor.fixed_errors(sets, columns[i], float(weights[i])) for i in range(len(weights))]
    rows = []
    for e in errors:
        j = int(np.argmax(e))  # NaN never wins: argmax returns the first NaN; checked below
        finite = bool(np.all(np.isfinite(e)))
        rank = _first_complement_rank(sets[j : j + 1], n, group)[0] if finite else -1
        rows.append([float(weight @ e), float(weight @ (e * e)), float(e[j]) if finite else math.nan, float(rank)])
    failing = ~(np.sqrt(np.clip(errors[0], 0.0, None)) / norm_t <= tolerance)
    inexact = int(sizes[failing].sum())
    first = _first_complement_rank(sets[failing], n, group)[0] if inexact else None
    return RemovedApprox(factor, s, math.comb(n, s), rows, inexact, first, None if group is None else group.order,
                         int(sets.shape[0]), round(time.perf_counter() - start, 6))


def exact_counts_below(result: RemovedApprox, code: Code, tolerance: float) -> Any:
    """The :class:`~gcli.certification.approx_expectation.ExactFor` of a code that is inexact at s (result):
    the counts s' = 0, 1, … < s where every set of n − s' responders is exact, by the same formula."""
    from gcli.certification.approx_pass import ExactFor

    limit = int(code.replication().min()) - code.m if code.k else -1
    factor = result.factor
    norm_t = float(np.linalg.norm(factor.target)) or 1.0
    group = _group(factor, code)
    counts: list[int] = []
    for t in range(0, min(limit, result.stragglers - 1) + 1):
        sets = _sets(code.n, t, group)[0] if t else np.zeros((1, 0), dtype=np.int64)
        errors = factor.optimal_errors(sets)
        if not np.all(np.sqrt(np.clip(errors, 0.0, None)) / norm_t <= tolerance):
            break
        counts.append(t)
    return ExactFor(counts, None, limit)


def failed_workers(seed: int, count: int, n: int, p: float, chunk: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """``np.nonzero(rng.random((count, n)) < p)`` for ``rng = default_rng(seed)`` (the complement of the engine's
    alive = draws ≥ p), drawn ``chunk`` patterns at a time into one reused buffer: the same draws in the same order
    (the generator's stream does not depend on how it is split) without a count × n float array in memory.

    >>> rows, cols = failed_workers(1, 3, 4, 0.5, chunk=2)
    >>> one_shot = np.nonzero(np.random.default_rng(1).random((3, 4)) < 0.5)
    >>> bool(np.array_equal(rows, one_shot[0]) and np.array_equal(cols, one_shot[1]))
    True
    """
    rng = np.random.default_rng(seed)
    buffer = np.empty((max(1, min(chunk, count)), n), dtype=np.float64)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    for start in range(0, count, buffer.shape[0]):
        draws = buffer[: min(buffer.shape[0], count - start)]
        rng.random(out=draws)
        r, c = np.nonzero(draws < p)  # row-major: each pattern's failed workers in increasing order
        rows.append(r + start)
        cols.append(c)
    if not rows:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    return np.concatenate(rows), np.concatenate(cols)


def removed_expectation(factor: RemovedFactor, code: Code, p: float, *, samples: int | None, seed: int,
                        confidence: float, budget: int) -> Any:
    """The optimal decoder's expected error under i.i.d. failures, on the seeded Monte Carlo failure patterns of
    :func:`gcli.certification.approx_expectation.expected_error` (the same draws, the same estimator), each an
    r × r problem; None when those patterns would cost more than a few seconds this way."""
    from gcli.certification.approx_decoders import DEFAULT_EXPECTATION_SAMPLES
    from gcli.certification.approx_pass import Expectation, _Stats
    from gcli.errors import ImpossibleParameters

    n = code.n
    count = DEFAULT_EXPECTATION_SAMPLES if samples is None else int(samples)
    if count < 2:
        raise ImpossibleParameters("the Monte Carlo estimate needs at least 2 failure patterns")
    if 2**n <= budget and samples is None:
        return None  # the exact sum over every pattern is the engine's
    rows, cols = failed_workers(seed, count, n, p)
    failed = np.bincount(rows, minlength=count)
    if float(np.sum(failed.astype(np.float64) ** 3)) > _EXPECTATION_WORK:
        return None
    starts = np.concatenate([[0], np.cumsum(failed)[:-1]])
    total = squares = 0.0
    groups = []
    for r in np.unique(failed):
        r = int(r)
        first = starts[failed == r]
        sets = cols[first[:, None] + np.arange(r)[None, :]]
        errors = factor.optimal_errors(sets)
        total += float(errors.sum())
        squares += float(np.sum(errors * errors))
        groups.append(sets)
    merged = _Stats(count, total, squares, 0.0, -1)
    mean_residual = factor.residual_sum(groups) / count
    bias = float(np.sum(mean_residual * mean_residual))
    return Expectation("optimal", p, merged.mean, bias, float(max(merged.mean - bias, 0.0)), "monte carlo",
                       interval=merged.interval(confidence), samples=count, seed=seed)
