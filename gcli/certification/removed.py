"""Few stragglers among many workers: certify every surviving set from the *removed* side.

With n workers and r = n − |F| removed rows S (r = s + 2a, small), the usual check factors an (n − r) × k·m
matrix B_F per set. Here everything is computed once for the full B and each set costs an r × r problem.

**Over GF(q)** (exact). The decoders of the full set are X = X₀ + C·Nᵀ (X₀ B = T, N an n × d basis of the null
space of Bᵀ, d = n − rank B). F decodes iff some decoder vanishes on S, i.e. iff N[S]·Y = −X₀ᵀ[S] is solvable
(an r × (d + m) system, exact elimination by :func:`gcli.fields.linalg.batched_consistent`). If the full set does
not decode, no set does.

**Over the reals.** Let B = U Σ Vᵀ (rank ρ, U n × ρ) and N an orthonormal basis of null(Bᵀ), so
[U N] is orthogonal and C_S := I_r − U_S U_Sᵀ = N_S N_Sᵀ. Then rank B_F = ρ − r + rank N_S. When N_S has full row
rank (C_S invertible; "rank-keeping" sets) rowspan(B_F) = rowspan(B), so

* the residual ‖T(I − P_F)‖ equals the full set's, and F decodes iff the full set does;
* the singular values of B_F are those of U_F Σ, and with the Woodbury identity
  σ_min(B_F)⁻² = λ_max(Σ⁻² + L Lᵀ), L = Σ⁻¹ U_Sᵀ C_S^{−1/2} (ρ × r), and σ_max(B_F)² = λ_max(Σ² − Z Zᵀ),
  Z = Σ U_Sᵀ: the largest eigenvalue of a diagonal plus or minus a rank-r term. Both are found to full
  precision from the r × r secular matrix (Newton from the left for the first, which is convex and decreasing;
  bisection on Sylvester's inertia count for the second), and both sit at the well-conditioned end of their
  spectrum (no squaring of κ).

So κ(B_F) = σ_max/σ_min is *the same quantity* the normal path reports (σ_max/σ_rank of B_F). It is not computed
for every set; the worst one is found exactly (:class:`_Kappa`):

* bounds from r × r data (closed forms for r ≤ 2): with x_F = σ_min(B_F)⁻², d = σ_ρ(B)⁻², H = (BBᵀ)⁺ and
  ℓ = λ_max(C_S⁻¹ H_SS), Weyl gives max(d, ℓ) ≤ x_F ≤ d + ℓ; with y_F = σ_max(B_F)², interlacing and a
  Rayleigh quotient at B Bᵀ's top eigenvector give max(σ_{r+1}(B)², ρ₁) ≤ y_F ≤ σ_1(B)²;
* the sets with the largest upper bounds are solved exactly, the best value found is a lower bound of the worst
  κ, and every set whose bound falls below it is done;
* an exact *threshold test* for the others: for τ > d, x_F > τ iff G(τ)_SS − C_S has a positive eigenvalue,
  G(τ) = U diag(1/(σ_i² τ − 1)) Uᵀ (Sylvester's inertia on the secular matrix Lᵀ(τ − Σ⁻²)⁻¹L): one n × n
  product tests every set at once. At τ = (best κ)²/σ_1² it discards every set that cannot beat the best;
  while too many remain, a bisection of τ isolates a few sets of largest x_F, solved exactly to raise the best;
* the remaining candidates are solved exactly (Newton for x_F, inertia bisection for y_F).

The float64 decoding error of random gradients is computed for every examined set without factoring B_F: the
least-squares decoder of F is X = X₀ − X₀[:, S] C_S⁻¹ (N Nᵀ)[S, :] (X₀ = T B⁺; :func:`_decoding_errors`), so
decoding the messages f costs an r × r solve per set after X₀ f and N Nᵀ f. The median κ is the median of the
exact κ of :data:`MEDIAN_SAMPLE` seeded random sets. Sets that are not rank-keeping (λ_min(C_S) ≤ 10⁻¹³),
whose κ bound exceeds :data:`FALLBACK_CONDITION`, or all sets when κ(B) itself does, are checked by the normal
path (:func:`gcli.fields.linalg.batched_real_report`) — the report counts them.

The sets S are enumerated in lexicographic order; the complement map reverses it (the first difference of two
r-subsets is a worker one of them removes), so the lexicographically first failing surviving set is the
complement of the lexicographically *last* failing S.

With a verified cyclic group (:mod:`gcli.certification.orbits`) only one S per orbit is examined; orbit sizes give
the counts, and a failing set is named from its orbit.

Example:
    >>> from gcli.constructions import cyclic_repetition
    >>> rep = removed_side_verify(cyclic_repetition(11, 2))
    >>> rep.decodable, rep.patterns_total, rep.path
    (True, 55, 'removed-side')
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from gcli.certification.orbits import CyclicGroup, cyclic_group, lex_subsets
from gcli.code import Code, target_matrix
from gcli.fields import REAL

__all__ = ["FALLBACK_CONDITION", "RemovedReport", "removed_side_applies", "removed_side_verify"]

FALLBACK_CONDITION = 1e8
"""Sets whose κ(B_F) may exceed this are handed to the normal path (its residual is then the one to trust); the
same limit as :data:`gcli.fields.linalg.FAST_CONDITION_LIMIT`, up to which the normal path trusts its QR route."""
_RANK_KEEPING = 1e-13  # smallest eigenvalue of C_S = N_S N_Sᵀ (in [0, 1]) for the rank-keeping route
_MAX_N = 4000  # n × n work arrays (H and N Nᵀ)


@dataclass(frozen=True)
class RemovedReport:
    """What the removed-side pass found (the fields of a :class:`~gcli.certification.verification.VerificationReport`
    it fills), plus how: ``path``, ``group_order`` and ``orbits`` (None without a group), ``fallback_sets``
    (sets checked by the normal path)."""

    decodable: bool
    n: int
    removed: int
    patterns_total: int
    failures: int
    first_failure_rank: int | None  # lexicographic rank of the first failing surviving set
    failing_set: list[int] | None
    worst_condition_number: float | None
    worst_condition_set: list[int] | None
    max_residual: float | None
    path: str
    group_order: int | None
    orbits: int | None
    fallback_sets: int
    seconds: float
    max_residual_set: list[int] | None = None  # a surviving set with the largest residual
    median_condition_number: float | None = None  # over median_sample seeded random surviving sets (exact κ each)
    median_sample: int | None = None
    worst_relative_error: float | None = None  # float64 decoding errors over the examined sets (with messages)
    worst_relative_error_set: list[int] | None = None
    median_relative_error: float | None = None
    condition_samples: np.ndarray | None = field(default=None, repr=False, compare=False)  # the sample's exact κ
    error_samples: np.ndarray | None = field(default=None, repr=False, compare=False)  # every examined set's


def removed_side_applies(code: Code, removed: int) -> bool:
    """Whether :func:`removed_side_verify` handles this code and number of removed workers (dense B, n ≤ 4000)."""
    return 1 <= removed < code.n and code.n <= _MAX_N and not code.is_sparse


def _sets(n: int, r: int, group: CyclicGroup | None) -> tuple[np.ndarray, np.ndarray]:
    """The removed sets to examine (lexicographic order) and the number of sets each stands for."""
    if group is not None:
        return group.orbits(r)
    total = math.comb(n, r)
    return lex_subsets(n, r), np.ones(total, dtype=np.int64)


def _first_failure(fail_sets: np.ndarray, n: int, r: int, group: CyclicGroup | None) -> tuple[int, list[int]]:
    """The lexicographically first failing surviving set (complement of the lexicographically last failing S,
    over whole orbits when a group is used) and its rank among the surviving sets."""
    from gcli.certification.engine import rank_combination

    if group is not None:
        members = np.vstack([group.apply(fail_sets, j) for j in range(group.order)])
    else:
        members = fail_sets
    order = np.lexsort(members.T[::-1])
    last = [int(x) for x in members[order[-1]]]
    survivors = sorted(set(range(n)) - set(last))
    return rank_combination(survivors, n), survivors


def removed_side_verify(
    code: Code, *, stragglers: int | None = None, adversaries: int | None = None,
    tolerance: float = 1e-8, use_symmetry: bool = True, messages: np.ndarray | None = None,
    truth: np.ndarray | None = None, seed: int = 0, median_sample: int | None = None,
) -> RemovedReport:
    """Check every surviving set of size n − s − 2a from the removed side (module docstring).

    Over the reals, with ``messages`` f = B·g (n × L) and ``truth`` Σ g (m × L) (as
    :func:`gcli.certification.stability.random_messages` draws them), also the float64 decoding error of every
    examined set (:func:`_decoding_errors`); ``seed`` draws the ``median_sample`` sets of the median κ
    (default :data:`MEDIAN_SAMPLE`; 0: no median)."""
    start = time.perf_counter()
    s = code.s if stragglers is None else stragglers
    a = code.a if adversaries is None else adversaries
    n = code.n
    r = s + 2 * a
    if code.is_real:
        enc = np.ascontiguousarray(code.encoding, dtype=np.float64)
        target = np.asarray(code.target, dtype=np.float64)
    else:
        enc = np.ascontiguousarray(code.integer_encoding(), dtype=np.int64)
        target = np.ascontiguousarray(target_matrix(REAL, code.k, code.m), dtype=np.int64)
    group = cyclic_group(enc, target, m=code.m, k=code.k) if use_symmetry else None
    if group is not None and group.order == 1:
        group = None
    sets, weights = _sets(n, r, group)
    total = math.comb(n, r)
    real = None
    if code.is_real:
        real = _real_pass(enc, target, sets, weights, tolerance, messages, truth, seed,
                          MEDIAN_SAMPLE if median_sample is None else median_sample)
        fails, cond, res, fallback = real.fails, real.cond, real.res, int(real.fallback.sum())
    else:
        fails = _gf_pass(code, sets)
        cond = res = None
        fallback = 0
    failures = int(weights[fails].sum())
    first_rank, failing = None, None
    if failures:
        first_rank, failing = _first_failure(sets[fails], n, r, group)
    worst, worst_set, max_res, max_res_set = None, None, None, None
    if cond is not None and res is not None:
        j = int(np.argmax(cond))
        worst = float(cond[j])
        worst_set = sorted(set(range(n)) - {int(x) for x in sets[j]})
        j = int(np.argmax(res))
        max_res = float(res[j])
        max_res_set = sorted(set(range(n)) - {int(x) for x in sets[j]})
    median_cond, median_sample, worst_err, worst_err_set, median_err = None, None, None, None, None
    if real is not None:
        if real.sample_cond.size:
            median_cond, median_sample = float(np.median(real.sample_cond)), int(real.sample_cond.size)
        if real.error is not None and real.error.size:
            j = int(np.argmax(np.where(np.isnan(real.error), np.inf, real.error)))
            worst_err = float(real.error[j])
            worst_err_set = sorted(set(range(n)) - {int(x) for x in sets[j]})
            median_err = _weighted_median(real.error, weights)
    path = "removed-side" if group is None else "removed-side, one set per orbit"
    return RemovedReport(
        decodable=failures == 0, n=n, removed=r, patterns_total=total, failures=failures,
        first_failure_rank=first_rank, failing_set=failing, worst_condition_number=worst,
        worst_condition_set=worst_set, max_residual=max_res, path=path,
        group_order=None if group is None else group.order, orbits=None if group is None else int(sets.shape[0]),
        fallback_sets=fallback, seconds=round(time.perf_counter() - start, 6), max_residual_set=max_res_set,
        median_condition_number=median_cond, median_sample=median_sample, worst_relative_error=worst_err,
        worst_relative_error_set=worst_err_set, median_relative_error=median_err,
        condition_samples=None if real is None else real.sample_cond,
        error_samples=None if real is None else real.error,
    )


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """The median of ``values`` repeated ``weights`` times (NaN sorts last), as :func:`numpy.median` of the
    repeated list would give it."""
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order])
    total = int(cum[-1])
    lo = float(values[order[int(np.searchsorted(cum, (total - 1) // 2, side="right"))]])
    hi = float(values[order[int(np.searchsorted(cum, total // 2, side="right"))]])
    return 0.5 * (lo + hi)


# ---------------------------------------------------------------------------------------------------------
# GF(q)
# ---------------------------------------------------------------------------------------------------------
def _gf_pass(code: Code, sets: np.ndarray) -> np.ndarray:
    """Failing flags of the removed sets over GF(q): N[S]·Y = −X₀ᵀ[S] unsolvable (module docstring)."""
    from gcli.fields.linalg import batched_consistent

    field = code.field
    b = field(code.integer_encoding())
    t = field(np.asarray(target_matrix(REAL, code.k, code.m), dtype=np.int64))
    n, m = b.shape[0], t.shape[0]
    reduced = np.hstack([b.T, t.T]).row_reduce()  # [Bᵀ | Tᵀ] in reduced row echelon form
    raw = np.asarray(reduced.view(np.ndarray))
    pivots = [int(np.flatnonzero(row)[0]) for row in raw if row.any()]
    if any(p >= n for p in pivots):  # T ∉ rowspan(B): no set decodes
        return np.ones(sets.shape[0], dtype=bool)
    x0t = field.Zeros((n, m))
    for i, p in enumerate(pivots):
        x0t[p] = reduced[i, n:]
    null = b.T.null_space()  # rows: a basis of {y : yᵀ B = 0}
    d = null.shape[0]
    nt = null.T  # n × d
    systems = np.concatenate([nt[sets], -x0t[sets]], axis=2)
    return ~batched_consistent(field, systems, d)


# ---------------------------------------------------------------------------------------------------------
# the reals
# ---------------------------------------------------------------------------------------------------------
@dataclass
class _RealPass:
    """Per removed set: failing flag, κ(B_F) (exact for the candidates of the worst, an upper bound below the
    worst for the others), residual, float64 decoding error (None without messages), whether the engine
    checked it (fallback); and the exact κ of a seeded sample of sets (for the median)."""

    fails: np.ndarray
    cond: np.ndarray
    res: np.ndarray
    error: np.ndarray | None
    fallback: np.ndarray
    sample_cond: np.ndarray


def _small_top(a: np.ndarray) -> np.ndarray:
    """Largest eigenvalue of each symmetric r × r matrix in a stack (closed forms for r ≤ 2)."""
    r = a.shape[-1]
    if r == 1:
        return a[:, 0, 0].copy()
    if r == 2:
        half = 0.5 * (a[:, 0, 0] + a[:, 1, 1])
        return half + np.hypot(0.5 * (a[:, 0, 0] - a[:, 1, 1]), a[:, 0, 1])
    return np.linalg.eigvalsh(a)[:, -1]


def _small_bottom(a: np.ndarray) -> np.ndarray:
    """Smallest eigenvalue of each symmetric r × r matrix in a stack (closed forms for r ≤ 2)."""
    r = a.shape[-1]
    if r == 1:
        return a[:, 0, 0].copy()
    if r == 2:
        half = 0.5 * (a[:, 0, 0] + a[:, 1, 1])
        return half - np.hypot(0.5 * (a[:, 0, 0] - a[:, 1, 1]), a[:, 0, 1])
    return np.linalg.eigvalsh(a)[:, 0]


def _small_inv(a: np.ndarray) -> np.ndarray:
    """Inverse of each (positive definite) r × r matrix in a stack (closed forms for r ≤ 2)."""
    r = a.shape[-1]
    if r == 1:
        return 1.0 / a
    if r == 2:
        det = a[:, 0, 0] * a[:, 1, 1] - a[:, 0, 1] * a[:, 1, 0]
        out = np.empty_like(a)
        out[:, 0, 0] = a[:, 1, 1] / det
        out[:, 1, 1] = a[:, 0, 0] / det
        out[:, 0, 1] = -a[:, 0, 1] / det
        out[:, 1, 0] = -a[:, 1, 0] / det
        return out
    return np.linalg.inv(a)


def _gen_top(h: np.ndarray, c: np.ndarray) -> np.ndarray:
    """λ_max(C⁻¹H) for symmetric H and positive definite C (r × r stacks): the largest root of det(H − ℓC) = 0
    (r = 2: a quadratic whose larger root has no cancellation when H ⪰ 0)."""
    r = h.shape[-1]
    if r == 1:
        return h[:, 0, 0] / c[:, 0, 0]
    if r == 2:
        det_c = c[:, 0, 0] * c[:, 1, 1] - c[:, 0, 1] ** 2
        det_h = h[:, 0, 0] * h[:, 1, 1] - h[:, 0, 1] ** 2
        beta = h[:, 0, 0] * c[:, 1, 1] + h[:, 1, 1] * c[:, 0, 0] - 2.0 * h[:, 0, 1] * c[:, 0, 1]
        disc = np.sqrt(np.clip(beta * beta - 4.0 * det_c * det_h, 0.0, None))
        return (beta + disc) / (2.0 * det_c)
    return _small_top(_inv_half(c) @ h @ _inv_half(c))


def _inv_half(c: np.ndarray) -> np.ndarray:
    """C^{−1/2} of each positive definite r × r matrix in a stack."""
    lam, q = np.linalg.eigh(c)
    return (q / np.sqrt(lam)[:, None, :]) @ np.swapaxes(q, 1, 2)


def _has_positive(a: np.ndarray) -> np.ndarray:
    """Whether each symmetric r × r matrix in a stack has a positive eigenvalue (r = 2: trace > 0 or det < 0)."""
    r = a.shape[-1]
    if r == 1:
        return a[:, 0, 0] > 0
    if r == 2:
        return (a[:, 0, 0] + a[:, 1, 1] > 0) | (a[:, 0, 0] * a[:, 1, 1] - a[:, 0, 1] ** 2 < 0)
    return np.linalg.eigvalsh(a)[:, -1] > 0


def _block(matrix: np.ndarray, sets: np.ndarray) -> np.ndarray:
    """The principal r × r blocks matrix[S, S] for each removed set S (b, r, r)."""
    return matrix[sets[:, :, None], sets[:, None, :]]


_EXACT_FIRST = 32  # sets with the largest κ bounds solved exactly to start the search for the worst
_CANDIDATES = 1024  # solve exactly once at most this many sets can still be the worst
_MARGIN = 1e-9  # relative margin: a set is discarded only when its bound is below the worst by more than this
MEDIAN_SAMPLE = 1000
"""The median κ comes from the exact κ of this many seeded random surviving sets (the worst is exhaustive)."""


def _real_pass(
    enc: np.ndarray, target: np.ndarray, sets: np.ndarray, weights: np.ndarray, tolerance: float,
    messages: np.ndarray | None, truth: np.ndarray | None, seed: int, median_sample: int,
) -> _RealPass:
    """Everything the reals need for the removed sets ``sets`` (module docstring)."""
    from gcli.fields.linalg import batched_real_report

    n, c = enc.shape
    size = n - sets.shape[1]
    count = sets.shape[0]
    norm_t = float(np.linalg.norm(target)) or 1.0
    u_full, sv, vt = np.linalg.svd(enc, full_matrices=True)
    rho = int(np.sum(sv > max(n, c) * np.finfo(np.float64).eps * sv[0])) if sv.size and sv[0] > 0 else 0
    cond = np.full(count, np.inf)
    res = np.zeros(count)
    error = None if messages is None else np.full(count, np.nan)
    fallback = np.ones(count, dtype=bool)
    sample = np.zeros(0, dtype=np.int64)
    if count and median_sample > 0:
        rng = np.random.default_rng(seed)
        take = min(median_sample, count)
        sample = np.sort(rng.choice(count, size=take, replace=False, p=weights / weights.sum()))
    sample_cond = np.full(sample.size, np.inf)
    if rho and sv[0] / sv[rho - 1] <= FALLBACK_CONDITION:  # else κ(B_F) ≥ κ(B) for every rank-keeping set
        u, sig, v = u_full[:, :rho], sv[:rho], vt[:rho].T
        full_res = float(np.linalg.norm(target - (target @ v) @ v.T)) / norm_t
        null = u_full[:, rho:]
        perp = null @ null.T  # N Nᵀ = I − U Uᵀ, without the cancellation
        cs = _block(perp, sets)
        keeping = _small_bottom(cs) > _RANK_KEEPING
        ok = np.flatnonzero(keeping)
        if ok.size:
            # κ is scale-invariant: work with B/σ₁ so σ_min⁻² cannot overflow (a Vandermonde row scaled to
            # 1e-171 has σ_min ≈ 1e-178, whose inverse square is beyond float64)
            kappa = _Kappa(enc / sv[0], u, sig / sv[0], sets[ok], cs[ok])
            cond[ok] = kappa.worst()
            where = np.searchsorted(ok, sample)
            in_ok = (where < ok.size) & (ok[np.minimum(where, ok.size - 1)] == sample)
            sample_cond[in_ok] = kappa.exact(where[in_ok])
            if messages is not None and truth is not None:
                x0 = (target @ v / sig) @ u.T  # the least-squares decoder of the full set, T B⁺ (m × n)
                error[ok] = _decoding_errors(x0, perp, sets[ok], cs[ok], messages, truth)
        fallback = ~keeping | (cond > FALLBACK_CONDITION)
        res[~fallback] = full_res
    if fallback.any():
        idx = np.flatnonzero(fallback)
        keep_mask = np.ones(n, dtype=bool)
        for lo in range(0, idx.size, 64):
            part = idx[lo : lo + 64]
            rows_f = np.empty((part.size, size), dtype=np.int64)
            for i, j in enumerate(part):
                keep_mask[:] = True
                keep_mask[sets[j]] = False
                rows_f[i] = np.flatnonzero(keep_mask)
            rep = batched_real_report(enc[rows_f], target, method="svd",
                                      messages=None if messages is None else messages[rows_f], truth=truth)
            cond[part] = rep.condition
            res[part] = rep.residual / norm_t
            if error is not None and rep.error is not None:
                error[part] = rep.error
        where = np.searchsorted(idx, sample)
        in_fb = (where < idx.size) & (idx[np.minimum(where, idx.size - 1)] == sample)
        sample_cond[in_fb] = cond[sample[in_fb]]
    return _RealPass(fails=res > tolerance, cond=cond, res=res, error=error, fallback=fallback,
                     sample_cond=sample_cond)


def _decoding_errors(x0: np.ndarray, perp: np.ndarray, sets: np.ndarray, cs: np.ndarray, messages: np.ndarray,
                     truth: np.ndarray) -> np.ndarray:
    """‖X_F f_F − truth‖ / ‖truth‖ for rank-keeping sets, X_F = T B_F⁺ from the full set's decoder space.

    The decoders of the full set are X₀ + Y Nᵀ (X₀ = T B⁺, whose rows are orthogonal to N's columns); those
    vanishing on S have Y N_Sᵀ = −X₀[:, S], and the one of least norm (‖X₀ + Y Nᵀ‖² = ‖X₀‖² + ‖Y‖²) is
    Y = −X₀[:, S] C_S⁻¹ N_S, i.e. X = X₀ − X₀[:, S] C_S⁻¹ (N Nᵀ)[S, :]. It is the least-squares decoder T B_F⁺
    (the least-norm solution of X_F B_F = T), and X f = X₀ f − X₀[:, S] C_S⁻¹ (N Nᵀ f)[S]: an r × r solve per
    set after two products with the messages f (n × L) computed once."""
    norm_truth = float(np.linalg.norm(truth)) or 1.0
    full = x0 @ messages  # (m, L)
    projected = perp @ messages  # (n, L): N Nᵀ f
    out = np.empty(sets.shape[0])
    step = max(1, (1 << 22) // max(1, messages.shape[1] * sets.shape[1]))
    for lo in range(0, sets.shape[0], step):
        part = sets[lo : lo + step]
        coef = _small_inv(cs[lo : lo + step]) @ np.transpose(x0[:, part], (1, 2, 0))  # (b, r, m): C_S⁻¹ X₀[:, S]ᵀ
        est = np.broadcast_to(full, (part.shape[0], *full.shape)).copy()  # (b, m, L)
        for j in range(part.shape[1]):  # − Σ_j coef[j]ᵀ (N Nᵀ f)[S_j]: r rank-one terms
            est -= coef[:, j, :, None] * projected[part[:, j]][:, None, :]
        out[lo : lo + step] = np.sqrt(((est - truth[None]) ** 2).sum(axis=(1, 2))) / norm_truth
    return out


class _Kappa:
    """κ(B_F) = √(y_F · x_F) of the rank-keeping removed sets, y_F = σ_max(B_F)², x_F = σ_min(B_F)⁻².

    Bounds for every set from r × r data (module docstring): x_F ∈ [max(d, ℓ), d + ℓ] (d = σ_ρ(B)⁻²,
    ℓ = λ_max(C_S⁻¹ H_SS)), y_F ∈ [max(σ_{r+1}(B)², ρ₁), σ_1(B)²] with ρ₁ the Rayleigh quotient of M_FF = B_F B_Fᵀ
    at the top eigenvector of M = B Bᵀ restricted to F. The exact threshold test: for τ > d,

        x_F > τ  ⟺  G(τ)_SS − C_S has a positive eigenvalue,   G(τ) = U diag(1 / (σ_i² τ − 1)) Uᵀ,

    since x_F is the largest eigenvalue of Σ⁻² + L Lᵀ and, for τ > max Σ⁻², the eigenvalues above τ are counted
    by those of Lᵀ (τ − Σ⁻²)⁻¹ L = C_S^{−1/2} G(τ)_SS C_S^{−1/2} above 1 (Sylvester's inertia). One n × n product
    tests every set at once."""

    def __init__(self, enc: np.ndarray, u: np.ndarray, sig: np.ndarray, sets: np.ndarray, cs: np.ndarray) -> None:
        self.u, self.sig, self.sets, self.cs = u, sig, sets, cs
        self.n = u.shape[0]
        r = sets.shape[1]
        self.d = float(1.0 / sig[-1] ** 2)
        w = u / sig
        self.ell = _gen_top(_block(w @ w.T, sets), cs)  # λ_max(C_S⁻¹ (BBᵀ)⁺_SS)
        self.x_lo = np.maximum(self.d, self.ell)
        self.x_hi = self.d + self.ell
        lam = sig**2
        self.y_hi = float(lam[0])
        floor = float(lam[r]) if r < lam.size else 0.0
        top = u[:, 0]
        us = top[sets]  # (b, r)
        gram_ss = _block(enc @ enc.T, sets)
        mass = (us**2).sum(axis=1)
        quad = np.einsum("bi,bij,bj->b", us, gram_ss, us)
        with np.errstate(divide="ignore", invalid="ignore"):
            rayleigh = np.where(mass < 1.0, (lam[0] * (1.0 - 2.0 * mass) + quad) / (1.0 - mass), 0.0)
        self.y_lo = np.minimum(np.maximum(floor, rayleigh), self.y_hi)

    def exact(self, idx: np.ndarray) -> np.ndarray:
        """Exact κ of the sets ``idx`` (Newton for x_F, inertia bisection for y_F; :func:`_top_plus`,
        :func:`_top_minus`)."""
        out = np.empty(idx.size)
        for lo in range(0, idx.size, 256):
            part = idx[lo : lo + 256]
            us = self.u[self.sets[part]]  # (b, r, ρ)
            el = np.swapaxes(us / self.sig, 1, 2) @ _inv_half(self.cs[part])  # L = Σ⁻¹ U_Sᵀ C^{−1/2}
            x = _top_plus(1.0 / self.sig**2, el, self.x_lo[part], self.x_hi[part])
            y = _top_minus(self.sig**2, np.swapaxes(us * self.sig, 1, 2), self.y_lo[part], self.y_hi)
            out[lo : lo + part.size] = np.sqrt(x * y)
        return out

    def _x_above(self, tau: float, idx: np.ndarray) -> np.ndarray:
        """x_F > τ for the sets ``idx`` (τ > d), exactly up to rounding (class docstring)."""
        weights = 1.0 / (self.sig**2 * tau - 1.0)
        r = self.sets.shape[1]
        if idx.size * r * r * 64 >= self.n * self.n:
            g = _block((self.u * weights) @ self.u.T, self.sets[idx])
        else:
            us = self.u[self.sets[idx]]  # (b, r, ρ)
            g = (us * weights) @ np.swapaxes(us, 1, 2)
        return _has_positive(g - self.cs[idx])

    def worst(self, first_exact: int = _EXACT_FIRST, candidates: int = _CANDIDATES) -> np.ndarray:
        """κ for every set: exact for every set that can be the worst (so the maximum and its set are exact),
        an upper bound below the maximum for the others. ``first_exact`` sets with the largest bounds are solved
        first; the threshold tests run while more than ``candidates`` sets remain."""
        upper = np.sqrt(self.y_hi * self.x_hi)
        out = upper.copy()
        first = np.argsort(-upper, kind="stable")[:first_exact]
        out[first] = self.exact(first)
        best = float(np.sqrt(self.y_lo * self.x_lo).max())  # a lower bound of the largest κ
        if first.size:
            best = max(best, float(out[first].max()))
        done = np.zeros(out.size, dtype=bool)
        done[first] = True
        cand = np.flatnonzero(~done & (upper >= best * (1 - _MARGIN)))  # the others keep their bound < best
        for _ in range(60):
            if cand.size <= candidates:
                break
            tau = best**2 * (1 - _MARGIN) / self.y_hi  # x_F ≤ τ ⟹ κ² ≤ σ_1² τ < best²
            if tau <= self.d:
                break
            above = self._x_above(tau, cand)
            out[cand[~above]] = np.minimum(out[cand[~above]], np.sqrt(self.y_hi * tau))
            cand = cand[above]
            if cand.size <= candidates:
                break
            # raise the best known κ: the sets above a higher threshold (bisection in log x) are solved exactly
            lo, hi = tau, float(self.x_hi[cand].max())
            group = cand
            for _ in range(40):
                mid = math.sqrt(lo * hi)
                sel = group[self._x_above(mid, group)]
                if sel.size == 0:
                    hi = mid
                elif sel.size <= first_exact:
                    group = sel
                    break
                else:
                    lo, group = mid, sel
            group = group[: max(1, first_exact) * 4]
            vals = self.exact(group)
            out[group] = vals
            done[group] = True
            cand = cand[~done[cand]]
            if float(vals.max()) <= best * (1 + _MARGIN):  # no progress: solve the rest exactly
                break
            best = float(vals.max())
        if cand.size:
            out[cand] = self.exact(cand)
        return out


def _pair_products(k: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The products K[:, :, i]·K[:, :, j] (i ≤ j) of a stack K (b, ρ, r), as (b, ρ, r(r+1)/2), and the pairs."""
    r = k.shape[2]
    pairs = [(i, j) for i in range(r) for j in range(i, r)]
    return np.stack([k[:, :, i] * k[:, :, j] for i, j in pairs], axis=2), pairs


def _weighted_gram(products: np.ndarray, pairs: list[tuple[int, int]], w: np.ndarray, r: int) -> np.ndarray:
    """Kᵀ diag(w_b) K for each b (b, r, r), from :func:`_pair_products` and weights w (b, ρ)."""
    flat = (w[:, None, :] @ products)[:, 0, :]
    out = np.empty((w.shape[0], r, r))
    for col, (i, j) in enumerate(pairs):
        out[:, i, j] = out[:, j, i] = flat[:, col]
    return out


def _top_plus(d: np.ndarray, el: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """λ_max(diag(d) + L Lᵀ) for each L in the stack (b, ρ, r), known to lie in [lo, hi] with lo ≥ max d.

    h(μ) = λ_max(Lᵀ (μ − D)⁻¹ L) − 1 is convex and decreasing for μ > max d and vanishes at the answer; Newton's
    method started at lo (where h ≥ 0) climbs monotonically to the root."""
    r = el.shape[2]
    products, pairs = _pair_products(el)
    mu = np.maximum(lo, d.max() * (1.0 + 1e-15))
    done = np.zeros(mu.shape, dtype=bool)
    for _ in range(200):
        gaps = 1.0 / (mu[:, None] - d[None, :])
        vals, vecs = np.linalg.eigh(_weighted_gram(products, pairs, gaps, r))
        h = vals[:, -1] - 1.0
        lv = (el @ vecs[:, :, -1:])[:, :, 0]
        slope = -np.einsum("bp,bp->b", gaps**2, lv**2)
        step = np.where((h > 0) & (slope < 0), -h / np.where(slope < 0, slope, -1.0), 0.0)
        new = np.minimum(mu + step, hi)
        done |= step <= 4 * np.finfo(np.float64).eps * mu
        mu = np.where(done, mu, new)
        if done.all():
            break
    return mu


def _top_minus(d: np.ndarray, z: np.ndarray, lo: np.ndarray | float, hi: np.ndarray | float) -> np.ndarray:
    """λ_max(diag(d) − Z Zᵀ) for each Z in the stack (b, ρ, r), in [lo, hi], by bisection on Sylvester's
    inertia: #{eigenvalues > μ} = #{d_i > μ} + #{positive eigenvalues of I − Zᵀ (D − μ)⁻¹ Z} − r."""
    b, _, r = z.shape
    products, pairs = _pair_products(z)
    low = np.broadcast_to(np.asarray(lo, dtype=np.float64), (b,)).copy()
    high = np.broadcast_to(np.asarray(hi, dtype=np.float64), (b,)).copy()
    eye = np.eye(r)[None]
    for _ in range(80):
        mid = 0.5 * (low + high)
        with np.errstate(divide="ignore", invalid="ignore"):  # μ on some d_i: the bracket has closed there
            gaps = 1.0 / (d[None, :] - mid[:, None])
            m = eye - _weighted_gram(products, pairs, gaps, r)
        m = np.nan_to_num(m, nan=0.0, posinf=1e300, neginf=-1e300)
        positive = (np.linalg.eigvalsh(m) > 0).sum(axis=1)
        above = (d[None, :] > mid[:, None]).sum(axis=1) + positive - r
        low = np.where(above >= 1, mid, low)
        high = np.where(above >= 1, high, mid)
        if np.all(high - low <= 2 * np.finfo(np.float64).eps * high):
            break
    return 0.5 * (low + high)
