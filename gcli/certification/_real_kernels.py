"""Compiled (numba) kernel of the real certificate: every figure of every surviving set from ONE factorisation.

The walk of :mod:`gcli.certification._approx_kernels` (sets in lexicographic order or from a list, prefix reuse,
level t holding row comb[t] orthonormalised against the earlier levels: B_F = L·Q with L lower triangular, Q with
orthonormal rows) already gives, per set F,

* the **residual** ‖T − T·P_F‖_F of the least-squares decoder X = T·B_F⁺ (P_F the projector onto rowspan(B_F)),
  directly as the norm of the target's residual — decodability (residual ≤ tolerance·‖T‖) and the optimal
  approximation error are the same number;
* the approximation tallies of the fixed decoders (when the task carries an :class:`ApproxSpec`).

This kernel adds, from the same L and Q:

* the **float64 decoding error** of messages f (rows of an n × L array): X·f_F = (T·Qᵀ)·(L⁻¹·f_F), with L⁻¹·f_F by
  forward substitution one level at a time (y_t = (f_{comb[t]} − Σ_{j<t} L[t, j]·y_j)/L[t, t]) and the estimate as a
  prefix sum Σ_t (T·q_t)·y_tᵀ, so it too is reused along the walk — the same formula as the QR route of
  :func:`gcli.fields.linalg.batched_real_report` ((T·Q)(R⁻ᵀ f), R = Lᵀ);
* the **condition number** κ(B_F) = σ_max/σ_min = (λ_max/λ_min)^{1/2}, λ the eigenvalues of the Gram matrix
  G_F = B_F B_Fᵀ, gathered from the precomputed n × n Gram matrix B·Bᵀ. The G_F of S consecutive sets are
  reduced together (the innermost loops run across the sets, so they vectorise): Householder tridiagonalisation,
  then bisection with Sturm counts for the two extreme eigenvalues, to a relative width of 2·10⁻¹⁰.

**Accuracy of κ.** The computed G_F differs from the exact one by ‖ΔG‖₂ ≤ γ·ε·‖G_F‖₂ with γ of order c + r
(dot products of length c; Householder tridiagonalisation is backward stable with a constant of order r), and
bisection with Sturm counts finds the eigenvalues of the tridiagonal matrix to that absolute accuracy. By Weyl's
theorem every eigenvalue moves by at most ‖ΔG‖₂, so λ_min is known to a relative γ·ε·κ², and κ to about
γ·ε·κ²/2. Sets with κ above ``kappa_limit`` = (2·10⁻⁸/((r + c)·ε))^{1/2} (about 1,400 for 18 × 25 blocks), with a
dependent row (component orthogonal to the earlier rows below ``dep_tol`` of its norm) or with λ_min ≤ 0 are
**flagged**: the caller recomputes their figures by the SVD route, so every reported κ agrees with the SVD's to
about 2·10⁻⁸ relative — the agreement the QR route already guaranteed (``FAST_CONDITION_LIMIT``), and the rank
(numpy's ``matrix_rank`` rule) is r for every unflagged set, since σ_min/σ_max ≥ 1/kappa_limit ≫ max(r, c)·ε.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from gcli.certification._approx_kernels import _factor, _level, _tally, _workspace
from gcli.certification._kernels import next_combination

__all__ = ["BATCH", "real_walk"]

_NJIT = {"cache": True, "nogil": True, "boundscheck": False}
_FAST = {**_NJIT, "fastmath": {"reassoc", "contract", "nsz"}}

BATCH = 32
"""Gram matrices reduced together (the vector width of the eigenvalue step), fewer when r × r × BATCH doubles would
exceed 2²¹ (16 MB)."""


@numba.njit(**_FAST)
def _tridiagonalise(a: np.ndarray, d: np.ndarray, e: np.ndarray, v: np.ndarray, p: np.ndarray, sig: np.ndarray,
                    tau: np.ndarray, cnt: int) -> None:
    """Householder reduction of the symmetric a[:, :, s] (lower triangles, s < cnt) to tridiagonal form: diagonal
    d[:, s], sub-diagonal e[:n−1, s] (a is overwritten)."""
    n = a.shape[0]
    for k in range(n - 2):
        for s in range(cnt):
            sig[s] = 0.0
        for i in range(k + 2, n):
            for s in range(cnt):
                sig[s] += a[i, k, s] * a[i, k, s]
        for s in range(cnt):
            x0 = a[k + 1, k, s]
            d[k, s] = a[k, k, s]
            if sig[s] == 0.0:
                tau[s] = 0.0
                e[k, s] = x0
                v[k + 1, s] = 0.0
            else:
                alpha = math.sqrt(x0 * x0 + sig[s])
                if x0 > 0:
                    alpha = -alpha
                vk = x0 - alpha
                v[k + 1, s] = vk
                tau[s] = 2.0 / (vk * vk + sig[s])
                e[k, s] = alpha
        for i in range(k + 2, n):
            for s in range(cnt):
                v[i, s] = a[i, k, s]
        for i in range(k + 1, n):
            for s in range(cnt):
                p[i, s] = 0.0
        for i in range(k + 1, n):
            for j in range(k + 1, i):
                for s in range(cnt):
                    aij = a[i, j, s]
                    p[i, s] += aij * v[j, s]
                    p[j, s] += aij * v[i, s]
            for s in range(cnt):
                p[i, s] += a[i, i, s] * v[i, s]
        for s in range(cnt):
            sig[s] = 0.0
        for i in range(k + 1, n):
            for s in range(cnt):
                p[i, s] *= tau[s]
                sig[s] += p[i, s] * v[i, s]
        for s in range(cnt):
            sig[s] *= 0.5 * tau[s]
        for i in range(k + 1, n):
            for s in range(cnt):
                p[i, s] -= sig[s] * v[i, s]
        for i in range(k + 1, n):
            for j in range(k + 1, i + 1):
                for s in range(cnt):
                    a[i, j, s] -= v[i, s] * p[j, s] + p[i, s] * v[j, s]
    if n >= 2:
        for s in range(cnt):
            d[n - 2, s] = a[n - 2, n - 2, s]
            e[n - 2, s] = a[n - 1, n - 2, s]
    for s in range(cnt):
        d[n - 1, s] = a[n - 1, n - 1, s]


@numba.njit(**{**_NJIT, "fastmath": {"contract", "nsz"}})
def _extremes(d: np.ndarray, e: np.ndarray, low: np.ndarray, high: np.ndarray, cnt: int, work: np.ndarray) -> None:
    """Smallest and largest eigenvalue of each symmetric tridiagonal (d[:, s], e[:, s]), s < cnt, by bisection with
    Sturm counts (the number of negative pivots of T − xI is the number of eigenvalues below x), until every
    bracket is narrower than 2e-10 of its upper end (plus 1e-15·‖T‖ for λ_min ≈ 0). Results in low[s], high[s]."""
    n = d.shape[0]
    lo1, hi1, lo2, hi2 = work[0], work[1], work[2], work[3]
    m1, m2, q1, q2, c1, c2, e2 = work[4], work[5], work[6], work[7], work[8], work[9], work[10:10 + n]
    for s in range(cnt):
        gl = d[0, s]
        gh = d[0, s]
        dmin = d[0, s]
        dmax = d[0, s]
        for i in range(n):
            off = 0.0
            if i > 0:
                off += abs(e[i - 1, s])
            if i < n - 1:
                off += abs(e[i, s])
                # the 2 × 2 principal blocks' eigenvalues interlace: λ_min ≤ their smaller, λ_max ≥ their larger
                half = 0.5 * (d[i, s] - d[i + 1, s])
                root = math.sqrt(half * half + e[i, s] * e[i, s])
                centre = 0.5 * (d[i, s] + d[i + 1, s])
                dmin = min(dmin, centre - root)
                dmax = max(dmax, centre + root)
            gl = min(gl, d[i, s] - off)
            gh = max(gh, d[i, s] + off)
            dmin = min(dmin, d[i, s])
            dmax = max(dmax, d[i, s])
        lo1[s] = gl  # λ_min ∈ [Gershgorin lower end, smallest eigenvalue of a diagonal or 2 × 2 block]
        hi1[s] = dmin
        lo2[s] = dmax  # λ_max ∈ [largest eigenvalue of a diagonal or 2 × 2 block, Gershgorin upper end]
        hi2[s] = gh
    for i in range(n - 1):
        for s in range(cnt):
            e2[i, s] = e[i, s] * e[i, s]
    for _ in range(400):
        for s in range(cnt):
            m1[s] = 0.5 * (lo1[s] + hi1[s])
            m2[s] = 0.5 * (lo2[s] + hi2[s])
            q1[s] = d[0, s] - m1[s]
            q2[s] = d[0, s] - m2[s]
            c1[s] = 1.0 if q1[s] < 0.0 else 0.0
            c2[s] = 1.0 if q2[s] < 0.0 else 0.0
        for i in range(1, n):
            for s in range(cnt):
                a1 = q1[s] if q1[s] != 0.0 else -1e-300
                a2 = q2[s] if q2[s] != 0.0 else -1e-300
                q1[s] = d[i, s] - m1[s] - e2[i - 1, s] / a1
                q2[s] = d[i, s] - m2[s] - e2[i - 1, s] / a2
                c1[s] += 1.0 if q1[s] < 0.0 else 0.0
                c2[s] += 1.0 if q2[s] < 0.0 else 0.0
        done = True
        for s in range(cnt):
            if c1[s] > 0.0:
                hi1[s] = m1[s]
            else:
                lo1[s] = m1[s]
            if c2[s] >= n:
                hi2[s] = m2[s]
            else:
                lo2[s] = m2[s]
            scale = abs(hi2[s])
            if hi1[s] - lo1[s] > 2e-10 * abs(hi1[s]) + 1e-15 * scale or hi2[s] - lo2[s] > 2e-10 * scale:
                done = False
        if done:
            break
    for s in range(cnt):
        low[s] = 0.5 * (lo1[s] + hi1[s])
        high[s] = 0.5 * (lo2[s] + hi2[s])


@numba.njit(**_NJIT)
def _flush(a: np.ndarray, cnt: int, where: np.ndarray, tri: np.ndarray, work: np.ndarray, kappa_limit: float,
           remn2: np.ndarray, rank_tol2: float, cond: np.ndarray, flag: np.ndarray) -> None:
    """κ of the cnt Gram matrices gathered in a[:, :, :cnt] (sets where[:cnt]); flag those beyond the limit, and
    those whose dropped rows' remnants (squared norms remn2[s]) exceed rank_tol2·λ_max (numpy's rank rule could
    count them)."""
    if cnt == 0:
        return
    n = a.shape[0]
    d, e, v, p = tri[0], tri[1], tri[2], tri[3]
    low, high = work[0, 0], work[0, 1]
    if n == 1:
        for s in range(cnt):
            low[s] = a[0, 0, s]
            high[s] = a[0, 0, s]
    else:
        _tridiagonalise(a, d, e, v, p, work[0, 2], work[0, 3], cnt)
        _extremes(d, e, low, high, cnt, work[1])
    for s in range(cnt):
        i = where[s]
        if low[s] > 0.0 and high[s] > 0.0:
            kappa = math.sqrt(high[s] / low[s])
        else:
            kappa = np.inf
        cond[i] = kappa
        if not kappa <= kappa_limit or not remn2[s] <= rank_tol2 * high[s]:
            flag[i] = True


@numba.njit(**_NJIT)
def _least_squares(coef: np.ndarray, cols: np.ndarray, rank: int, messages: np.ndarray, comb: np.ndarray,
                   tqs: np.ndarray, work: np.ndarray, z: np.ndarray, out: np.ndarray) -> None:
    """The least-squares decode of a set with dependent rows: B_F = L·Q with L (r × rank) the columns ``cols`` of
    the factor, so X·f_F = T·B_F⁺·f_F = (T·Qᵀ)·L⁺·f_F; L⁺·f_F by Householder QR of [L | f_F] and back substitution
    (backward stable, as the SVD route). Writes the m × L estimate into ``out``."""
    r = coef.shape[0]
    width = messages.shape[1]
    m = tqs.shape[1]
    for t in range(r):
        for j in range(rank):
            work[t, j] = coef[t, cols[j]] if cols[j] <= t else 0.0
        f = messages[comb[t]]
        for x in range(width):
            work[t, rank + x] = f[x]
    for k in range(rank):
        norm2 = 0.0
        for t in range(k, r):
            norm2 += work[t, k] * work[t, k]
        x0 = work[k, k]
        alpha = math.sqrt(norm2)
        if x0 > 0:
            alpha = -alpha
        vk = x0 - alpha
        vnorm2 = norm2 - x0 * x0 + vk * vk
        if vnorm2 == 0.0:
            continue
        work[k, k] = vk
        for col in range(k + 1, rank + width):
            dot = 0.0
            for t in range(k, r):
                dot += work[t, k] * work[t, col]
            scale = 2.0 * dot / vnorm2
            for t in range(k, r):
                work[t, col] -= scale * work[t, k]
        work[k, k] = alpha
    for x in range(width):
        for k in range(rank - 1, -1, -1):
            acc = work[k, rank + x]
            for j in range(k + 1, rank):
                acc -= work[k, j] * z[j, x]
            z[k, x] = acc / work[k, k]
    for u in range(m):
        for x in range(width):
            acc = 0.0
            for j in range(rank):
                acc += tqs[cols[j], u] * z[j, x]
            out[u, x] = acc


@numba.njit(**_NJIT)
def real_walk(
    b: np.ndarray, gram: np.ndarray, target: np.ndarray, xcols: np.ndarray, weights: np.ndarray,
    messages: np.ndarray, truth: np.ndarray, start: np.ndarray, patterns: np.ndarray, count: int, dep_tol: float,
    exact_tol2: float, with_rsum: bool, with_messages: bool, kappa_limit: float, opt: np.ndarray, dec: np.ndarray,
    rsum: np.ndarray, res2: np.ndarray, cond: np.ndarray, err: np.ndarray, flag: np.ndarray, known: np.ndarray,
) -> tuple[int, int]:
    """Walk ``count`` sets — consecutive r-subsets from the combination ``start`` (lexicographic), or the rows of
    ``patterns`` when it has any — and fill, per set i: res2[i] = ‖T − T·P_F‖_F², cond[i] = κ(B_F), err[i] =
    ‖X·f_F − truth‖_F (with messages), flag[i] = the set needs the SVD route (module docstring). The
    approximation tallies opt / dec / rsum (:func:`gcli.certification._approx_kernels._tally`, indices = i) are
    added to. When ``known`` has ``count`` entries they are the sets' condition numbers, already computed (on
    another member of their orbit under a verified automorphism group): cond[i] = known[i], no eigenvalue step,
    and the set is flagged when known[i] is beyond ``kappa_limit`` or a row is dependent. Returns (sets whose
    optimal error exceeds exact_tol2, the first of them or −1)."""
    n = b.shape[0]
    c = b.shape[1]
    m = target.shape[0]
    r = start.shape[0]
    nw = weights.shape[0]
    width = messages.shape[1]
    listed = patterns.shape[0] > 0
    q, indep, res, msum, _, _, _ = _workspace(r, c, m, nw)
    coef = _factor(r)
    ys = np.zeros((r, width))
    est = np.zeros((r, m, width))
    tqs = np.zeros((r, m))
    cols = np.zeros(r, dtype=np.int64)
    work_ls = np.zeros((r, r + width))
    z = np.zeros((r, width))
    rank_tol2 = (max(r, c) * 2.220446049250313e-16) ** 2
    batch = max(1, min(BATCH, (1 << 21) // (r * r)))
    remn2 = np.zeros(batch)
    a = np.zeros((r, r, batch))
    where = np.zeros(batch, dtype=np.int64)
    tri = np.zeros((4, r, batch))
    work = np.zeros((2, 10 + r, batch))
    filled = 0
    given = known.shape[0] > 0
    comb = start.copy()
    valid = 0
    inexact = 0
    first = -1
    for idx in range(count):
        if listed:
            same = 0
            while same < valid and patterns[idx, same] == comb[same]:
                same += 1
            for j in range(r):
                comb[j] = patterns[idx, j]
            valid = same
        elif idx > 0:
            changed = next_combination(comb, n)
            if changed < 0:
                break
            if changed < valid:
                valid = changed
        for t in range(valid, r):
            _level(t, b, target, comb, q, indep, res, msum, xcols, dep_tol, nw > 0, coef)
            if with_messages:
                f = messages[comb[t]]
                y = ys[t]
                if indep[t]:
                    for x in range(width):
                        y[x] = f[x]
                    for j in range(t):
                        lj = coef[t, j]
                        if lj != 0.0 and indep[j]:
                            yj = ys[j]
                            for x in range(width):
                                y[x] -= lj * yj[x]
                    inv = 1.0 / coef[t, t]
                    for x in range(width):
                        y[x] *= inv
                    qt = q[t]
                    for u in range(m):
                        s_ = 0.0
                        for x in range(c):
                            s_ += target[u, x] * qt[x]
                        tqs[t, u] = s_
                else:
                    for x in range(width):
                        y[x] = 0.0
                    for u in range(m):
                        tqs[t, u] = 0.0
                for u in range(m):
                    cur = est[t, u]
                    for x in range(width):
                        base = est[t - 1, u, x] if t > 0 else 0.0
                        cur[x] = base + tqs[t, u] * y[x]
        valid = r - 1
        if not _tally(idx, r, res, msum, target, weights, exact_tol2, opt, dec, rsum, with_rsum):
            inexact += 1
            if first < 0:
                first = idx
        last = res[r - 1]
        total = 0.0
        for u in range(m):
            for x in range(c):
                total += last[u, x] * last[u, x]
        res2[idx] = total
        rank = 0
        remnant = 0.0
        for t in range(r):
            if indep[t]:
                cols[rank] = t
                rank += 1
            else:
                qt = q[t]
                for x in range(c):
                    remnant += qt[x] * qt[x]
        remn2[filled] = remnant
        flag[idx] = rank == 0
        if with_messages and rank > 0 and rank < r:
            _least_squares(coef, cols, rank, messages, comb, tqs, work_ls, z, est[r - 1])
        if with_messages:
            total = 0.0
            for u in range(m):
                for x in range(width):
                    diff = est[r - 1, u, x] - truth[u, x]
                    total += diff * diff
            err[idx] = math.sqrt(total)
        if rank == 0:
            cond[idx] = np.inf
            continue
        if given:
            cond[idx] = known[idx]
            if rank < r or not known[idx] <= kappa_limit:
                flag[idx] = True
            continue
        if rank < r:
            for i in range(rank):
                for j in range(i + 1):
                    h = 0.0
                    for t in range(cols[i], r):
                        h += coef[t, cols[i]] * coef[t, cols[j]]
                    a[i, j, filled] = h
            for i in range(rank, r):
                for j in range(i):
                    a[i, j, filled] = 0.0
                a[i, i, filled] = a[0, 0, filled]
            where[filled] = idx
            filled += 1
            if filled == batch:
                _flush(a, filled, where, tri, work, kappa_limit, remn2, rank_tol2, cond, flag)
                filled = 0
            continue
        for i in range(r):
            gi = gram[comb[i]]
            for j in range(i + 1):
                a[i, j, filled] = gi[comb[j]]
        where[filled] = idx
        filled += 1
        if filled == batch:
            _flush(a, filled, where, tri, work, kappa_limit, remn2, rank_tol2, cond, flag)
            filled = 0
    _flush(a, filled, where, tri, work, kappa_limit, remn2, rank_tol2, cond, flag)
    return inexact, first
