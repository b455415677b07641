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
for every set: interlacing gives, from r × r data alone (H = (BBᵀ)⁺, ℓ = λ_max(C_S^{−1/2} H_SS C_S^{−1/2})),

    σ_{r+1}(B) · √max(d, ℓ)  ≤  κ(B_F)  ≤  σ_1(B) · √(d + ℓ),      d = σ_ρ(B)⁻²,

and the exact κ is computed in decreasing order of the upper bound until it drops below the largest exact κ
found: the worst κ and its set are exact. Sets that are not rank-keeping (cond C_S > 10⁸), whose κ bound exceeds
:data:`FALLBACK_CONDITION`, or all sets when κ(B) itself does, are checked by the normal path
(:func:`gcli.fields.linalg.batched_real_report`) — the report counts them.

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
from dataclasses import dataclass

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
    tolerance: float = 1e-8, use_symmetry: bool = True,
) -> RemovedReport:
    """Check every surviving set of size n − s − 2a from the removed side (module docstring)."""
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
    if code.is_real:
        fails, cond, res, fallback = _real_pass(enc, target, sets, tolerance)
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
    path = "removed-side" if group is None else "removed-side, one set per orbit"
    return RemovedReport(
        decodable=failures == 0, n=n, removed=r, patterns_total=total, failures=failures,
        first_failure_rank=first_rank, failing_set=failing, worst_condition_number=worst,
        worst_condition_set=worst_set, max_residual=max_res, path=path,
        group_order=None if group is None else group.order, orbits=None if group is None else int(sets.shape[0]),
        fallback_sets=fallback, seconds=round(time.perf_counter() - start, 6), max_residual_set=max_res_set,
    )


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
def _real_pass(
    enc: np.ndarray, target: np.ndarray, sets: np.ndarray, tolerance: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Failing flags, κ(B_F) (exact where it matters: every set's value is at most the reported worst, see the
    module docstring; non-candidates hold their upper bound), residuals and the number of fallback sets."""
    from gcli.fields.linalg import batched_real_report

    n, c = enc.shape
    size = n - sets.shape[1]
    count = sets.shape[0]
    norm_t = float(np.linalg.norm(target)) or 1.0
    u_full, sv, vt = np.linalg.svd(enc, full_matrices=True)
    rho = int(np.sum(sv > max(n, c) * np.finfo(np.float64).eps * sv[0])) if sv.size and sv[0] > 0 else 0
    cond = np.full(count, np.inf)
    res = np.zeros(count)
    fallback = np.zeros(count, dtype=bool)
    if rho == 0 or sv[0] / sv[rho - 1] > FALLBACK_CONDITION:  # κ(B_F) ≥ κ(B) when the rank is kept
        fallback[:] = True
    else:
        u, sig, v = u_full[:, :rho], sv[:rho], vt[:rho].T
        full_res = float(np.linalg.norm(target - (target @ v) @ v.T)) / norm_t
        w = u / sig
        h = w @ w.T  # (BBᵀ)⁺
        null = u_full[:, rho:]
        perp = null @ null.T  # N Nᵀ = I − U Uᵀ, without the cancellation
        rows, cols = sets[:, :, None], sets[:, None, :]
        cs = perp[rows, cols]
        hs = h[rows, cols]
        lam, q = np.linalg.eigh(cs)
        keeping = lam[:, 0] > _RANK_KEEPING
        lam = np.where(keeping[:, None], lam, 1.0)
        root = q / np.sqrt(lam)[:, None, :]
        inv_half = root @ np.swapaxes(q, 1, 2)  # C^{-1/2}
        gram_inv = inv_half @ hs @ inv_half  # LᵀL
        ok = np.flatnonzero(keeping)
        if ok.size:
            cond[ok] = _worst_condition(u, sig, enc @ enc.T, sets[ok], inv_half[ok], gram_inv[ok])
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
            rep = batched_real_report(enc[rows_f], target, method="svd")
            cond[part] = rep.condition
            res[part] = rep.residual / norm_t
    fails = res > tolerance
    return fails, cond, res, int(fallback.sum())


_LEVELS = (0, 8, 32, 128)  # head sizes p of the compressed bounds, tried in turn


def _worst_condition(
    u: np.ndarray, sig: np.ndarray, gram_rows: np.ndarray, sets: np.ndarray, inv_half: np.ndarray,
    gram_inv: np.ndarray,
) -> np.ndarray:
    """κ(B_F) for rank-keeping sets where it matters: the worst one(s) exactly, the others replaced by an upper
    bound below the worst.

    Compressed bounds: with the p largest diagonal entries kept and the others replaced by the next one (above)
    or by the smallest (below), diag(d) ± K Kᵀ acts on span(head) ⊕ col(K_tail) and the rest, so its largest
    eigenvalue is that of a (p + r) × (p + r) matrix, whose tail block needs only the Gram K_tailᵀ K_tail =
    KᵀK − K_headᵀ K_head (KᵀK = C_S^{−1/2} H_SS C_S^{−1/2} for σ_min, (BBᵀ)_SS for σ_max). Levels p = 0, 8, 32,
    128 prune the sets whose upper bound falls below the largest lower bound; the survivors get the exact
    values (Newton and bisection, :func:`_top_plus`, :func:`_top_minus`)."""
    rho, r = sig.size, sets.shape[1]
    rows, cols = sets[:, :, None], sets[:, None, :]
    gram_z = gram_rows[rows, cols]  # ZᵀZ = U_S Σ² U_Sᵀ = (BBᵀ)_SS
    d_inv = 1.0 / sig[::-1] ** 2  # descending
    d_sq = sig**2  # descending
    out = np.empty(sets.shape[0])
    cand = np.arange(sets.shape[0])
    lo_inv = lo_sq = hi_inv = hi_sq = None
    for p in _LEVELS:
        p = rho if p + r >= rho else p  # a tail of at most r directions: take them all (exact)
        head_inv = np.arange(rho - 1, rho - 1 - p, -1)  # smallest σ first
        k_inv = (u[:, head_inv] / sig[head_inv])[sets[cand]].swapaxes(1, 2) @ inv_half[cand]  # (b, p, r)
        k_sq = (u[:, :p] * sig[:p])[sets[cand]].swapaxes(1, 2)
        tail = p < rho  # then more than r tail directions (above)
        lo_inv, hi_inv = _compressed_top(d_inv[:p], k_inv, gram_inv[cand], d_inv[-1] if tail else 0.0,
                                         d_inv[p] if tail else 0.0, 1.0)
        lo_sq, hi_sq = _compressed_top(d_sq[:p], k_sq, gram_z[cand], d_sq[-1] if tail else 0.0,
                                       d_sq[p] if tail else 0.0, -1.0)
        lo_k = np.sqrt(lo_sq * lo_inv)
        hi_k = np.sqrt(hi_sq * hi_inv)
        out[cand] = hi_k
        keep = hi_k >= lo_k.max()
        cand, lo_inv, hi_inv, lo_sq, hi_sq = cand[keep], lo_inv[keep], hi_inv[keep], lo_sq[keep], hi_sq[keep]
        if p == rho or cand.size <= 64:
            break
    assert lo_inv is not None and hi_inv is not None and lo_sq is not None and hi_sq is not None
    us = u[sets[cand]]
    el = (us / sig).swapaxes(1, 2) @ inv_half[cand]  # L = Σ⁻¹ U_Sᵀ C^{-1/2}
    top_inv = _top_plus(1.0 / sig**2, el, lo_inv, hi_inv)
    top_sq = _top_minus(d_sq, (us * sig).swapaxes(1, 2), lo_sq, hi_sq)
    out[cand] = np.sqrt(top_sq * top_inv)
    del r
    return out


def _compressed_top(
    head: np.ndarray, k_head: np.ndarray, gram: np.ndarray, low: float, nxt: float, sign: float
) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds on λ_max(diag(d) + sign·K Kᵀ) from the p largest entries ``head`` of d, K's rows
    there (b, p, r), the Gram KᵀK (b, r, r), the smallest entry ``low`` and the next entry ``nxt``."""
    b, p, r = k_head.shape
    if nxt == 0.0 and low == 0.0:  # no tail: the head is everything, the value is exact
        top = np.linalg.eigvalsh(np.einsum("i,ij->ij", head, np.eye(p)) + sign * (k_head @ np.swapaxes(k_head, 1, 2)))
        return top[:, -1], top[:, -1]
    tail = gram - np.swapaxes(k_head, 1, 2) @ k_head
    lam, q = np.linalg.eigh(tail)
    root = np.sqrt(np.clip(lam, 0.0, None))[:, :, None] * np.swapaxes(q, 1, 2)  # R with RᵀR = tail
    k = np.concatenate([k_head, root], axis=1)  # (b, p + r, r)
    outer = sign * (k @ np.swapaxes(k, 1, 2))
    diag = np.zeros((b, p + r, p + r))
    idx = np.arange(p)
    diag[:, idx, idx] = head
    tail_idx = np.arange(p, p + r)
    diag[:, tail_idx, tail_idx] = low
    lower = np.linalg.eigvalsh(diag + outer)[:, -1]
    diag[:, tail_idx, tail_idx] = nxt
    upper = np.maximum(np.linalg.eigvalsh(diag + outer)[:, -1], nxt)
    return np.maximum(lower, low), upper


def _top_plus(d: np.ndarray, el: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """λ_max(diag(d) + L Lᵀ) for each L in the stack (b, ρ, r), known to lie in [lo, hi] with lo ≥ max d.

    h(μ) = λ_max(Lᵀ (μ − D)⁻¹ L) − 1 is convex and decreasing for μ > max d and vanishes at the answer; Newton's
    method started at lo (where h ≥ 0) climbs monotonically to the root."""
    mu = np.maximum(lo, d.max() * (1.0 + 1e-15))
    done = np.zeros(mu.shape, dtype=bool)
    for _ in range(200):
        gaps = 1.0 / (mu[:, None] - d[None, :])
        m = np.einsum("bpi,bp,bpj->bij", el, gaps, el)
        vals, vecs = np.linalg.eigh(m)
        h = vals[:, -1] - 1.0
        lv = np.einsum("bpi,bi->bp", el, vecs[:, :, -1])
        slope = -np.einsum("bp,bp->b", gaps**2, lv**2)
        step = np.where((h > 0) & (slope < 0), -h / np.where(slope < 0, slope, -1.0), 0.0)
        new = np.minimum(mu + step, hi)
        done |= step <= 4 * np.finfo(np.float64).eps * mu
        mu = np.where(done, mu, new)
        if done.all():
            break
    return mu


def _top_minus(d: np.ndarray, z: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """λ_max(diag(d) − Z Zᵀ) for each Z in the stack (b, ρ, r), in [lo, hi], by bisection on Sylvester's
    inertia: #{eigenvalues > μ} = #{d_i > μ} + #{positive eigenvalues of I − Zᵀ (D − μ)⁻¹ Z} − r."""
    b, _, r = z.shape
    low = np.full(b, lo)
    high = np.full(b, hi)
    for _ in range(80):
        mid = 0.5 * (low + high)
        with np.errstate(divide="ignore"):
            gaps = 1.0 / (d[None, :] - mid[:, None])
        m = np.eye(r)[None] - np.einsum("bpi,bp,bpj->bij", z, gaps, z)
        positive = (np.linalg.eigvalsh(m) > 0).sum(axis=1)
        above = (d[None, :] > mid[:, None]).sum(axis=1) + positive - r
        low = np.where(above >= 1, mid, low)
        high = np.where(above >= 1, high, mid)
        if np.all(high - low <= 2 * np.finfo(np.float64).eps * high):
            break
    return 0.5 * (low + high)
