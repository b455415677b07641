"""Compiled (numba) kernels of the approximation engine over the reals; imported lazily by
:mod:`gcli.certification.engine`.

For a responding set F (rows of B, sorted) the kernel computes, in one walk:

* the **optimal** error E*(F) = ‖T − T·P_F‖_F², P_F the orthogonal projector onto rowspan(B_F) (the error of the
  least-squares decoder X* = T·B_F⁺), *directly* as the squared norm of the target's residual, so an exact set
  gives a residual of order ε‖T‖ (no cancellation);
* the errors ‖w·X_F B_F − T‖_F² of W fixed linear decoders of the form w·X_F (for decoder d an m × n matrix X_d
  and one scalar weight w_d for this size of F), from the prefix sums M_t = Σ_{levels j ≤ t} x_{comb[j]}
  b_{comb[j]}ᵀ (m × k·m), so each error is computed directly as ‖w·M − T‖_F² (no cancellation);
* optionally the sum over the sets of the residual matrices T − T·P_F (for the bias of the optimal decoder).

The sets are walked in lexicographic order (or in the order of an explicit list) and level t of a stack holds the
row comb[t] orthonormalised against the rows of the levels before it (classical Gram–Schmidt, repeated once when
the first sweep removed more than half of the row's norm, the Kahan–Parlett criterion: then as accurate as
Householder QR, "twice is enough", Giraud, Langou, Rozložník 2005), the target's residual after
projecting out levels 0..t, and the prefix sum M_t. Moving to the next set recomputes only
the levels whose row changed, so a set costs about one row orthogonalisation, O(|F|·k·m) operations, instead of the
O(|F|²·k·m) of a QR factorisation. A row whose component orthogonal to the earlier rows is below ``dep_tol`` times
its norm is treated as dependent (it adds nothing to the span).
"""

from __future__ import annotations

import numba
import numpy as np

from gcli.certification._kernels import next_combination

_NJIT = {"cache": True, "nogil": True, "boundscheck": False}
_FAST = {**_NJIT, "fastmath": {"reassoc", "contract", "nsz"}}


@numba.njit(**_FAST)
def _level(
    t: int, b: np.ndarray, target: np.ndarray, comb: np.ndarray, q: np.ndarray, indep: np.ndarray,
    res: np.ndarray, msum: np.ndarray, xcols: np.ndarray, dep_tol: float, with_forms: bool, coef: np.ndarray,
) -> None:
    """Compute level t for row comb[t]: orthonormal row, target residual, prefix sum of x_i b_iᵀ; row t of the
    triangular factor in ``coef`` (b_{comb[t]} = Σ_{j<t} coef[t, j]·q_j + coef[t, t]·q_t, summed over both
    sweeps; coef[t, t] = 0 for a dependent row)."""
    c = b.shape[1]
    m = target.shape[0]
    row = b[comb[t]]
    v = q[t]
    norm_b = 0.0
    for x in range(c):
        v[x] = row[x]
        norm_b += row[x] * row[x]
    before = norm_b
    norm_v = norm_b
    crow = coef[t]
    for j in range(t + 1):
        crow[j] = 0.0
    for _ in range(2):
        for j in range(t):
            if indep[j]:
                qj = q[j]
                dot = 0.0
                for x in range(c):
                    dot += v[x] * qj[x]
                crow[j] += dot
                if dot != 0.0:
                    for x in range(c):
                        v[x] -= dot * qj[x]
        norm_v = 0.0
        for x in range(c):
            norm_v += v[x] * v[x]
        if norm_v >= 0.5 * before:  # lost less than half its norm: orthogonal to working accuracy (Kahan–Parlett)
            break
        before = norm_v
    ok = norm_b > 0.0 and norm_v > dep_tol * dep_tol * norm_b
    indep[t] = ok
    if ok:
        crow[t] = np.sqrt(norm_v)
        scale = 1.0 / crow[t]
        for x in range(c):
            v[x] *= scale
    for u in range(m):
        cur = res[t, u]
        if t == 0:
            for x in range(c):
                cur[x] = target[u, x]
        else:
            prev = res[t - 1, u]
            for x in range(c):
                cur[x] = prev[x]
        if ok:
            dot = 0.0
            for x in range(c):
                dot += cur[x] * v[x]
            if dot != 0.0:
                for x in range(c):
                    cur[x] -= dot * v[x]
    if with_forms:
        for w in range(xcols.shape[0]):
            xi = xcols[w, comb[t]]
            for u in range(m):
                cur = msum[w, t, u]
                xu = xi[u]
                if t == 0:
                    for x in range(c):
                        cur[x] = xu * row[x]
                else:
                    prev = msum[w, t - 1, u]
                    for x in range(c):
                        cur[x] = prev[x] + xu * row[x]


@numba.njit(**_NJIT)
def _tally(
    index: int, r: int, res: np.ndarray, msum: np.ndarray, target: np.ndarray, weights: np.ndarray,
    exact_tol2: float, opt: np.ndarray, dec: np.ndarray, rsum: np.ndarray, with_rsum: bool,
) -> bool:
    """Add the set whose levels are complete to the tallies; return whether its optimal error is ≤ exact_tol2.

    opt / dec rows: [sum, sum of squares, max, index of max]."""
    m = res.shape[1]
    c = res.shape[2]
    last = res[r - 1]
    err = 0.0
    for u in range(m):
        for x in range(c):
            err += last[u, x] * last[u, x]
    opt[0] += err
    opt[1] += err * err
    if opt[3] < 0 or err > opt[2]:
        opt[2] = err
        opt[3] = index
    if with_rsum:
        for u in range(m):
            for x in range(c):
                rsum[u, x] += last[u, x]
    for w in range(weights.shape[0]):
        top = msum[w, r - 1]
        wt = weights[w]
        e = 0.0
        for u in range(m):
            for x in range(c):
                diff = wt * top[u, x] - target[u, x]
                e += diff * diff
        dec[w, 0] += e
        dec[w, 1] += e * e
        if dec[w, 3] < 0 or e > dec[w, 2]:
            dec[w, 2] = e
            dec[w, 3] = index
    return err <= exact_tol2


@numba.njit(**_NJIT)
def _workspace(
    r: int, c: int, m: int, nw: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The walk's state: per level the orthogonalised row q, its independence, the target residual and the
    fixed-decoder partial sums; the optimal and per-weight tallies (worst set index −1: none yet); the residual
    sum."""
    opt = np.zeros(4)
    opt[3] = -1.0
    dec = np.zeros((nw, 4))
    for w in range(nw):
        dec[w, 3] = -1.0
    return (np.zeros((r, c)), np.zeros(r, dtype=np.bool_), np.zeros((r, m, c)), np.zeros((nw, r, m, c)), opt,
            dec, np.zeros((m, c)))


@numba.njit(**_NJIT)
def _factor(r: int) -> np.ndarray:
    """The walk's triangular factor (row t: level t's coefficients, :func:`_level`)."""
    return np.zeros((r, r))


@numba.njit(**_NJIT)
def approx_range(
    b: np.ndarray, target: np.ndarray, xcols: np.ndarray, weights: np.ndarray, start: np.ndarray, count: int,
    dep_tol: float, exact_tol2: float, stop_at_inexact: bool, with_rsum: bool,
) -> tuple[int, int, int, np.ndarray, np.ndarray, np.ndarray]:
    """Tally ``count`` consecutive r-subsets (lexicographic) from the combination ``start`` (r ≥ 1).

    Returns (sets done, offset of the first inexact set or −1, inexact sets, opt[4], dec[W, 4], rsum[m, c]); the
    indices in opt/dec are offsets from ``start``. With ``stop_at_inexact`` the walk ends at the first inexact set
    (counted as done)."""
    n = b.shape[0]
    c = b.shape[1]
    m = target.shape[0]
    r = start.shape[0]
    nw = weights.shape[0]
    with_forms = nw > 0
    comb = start.copy()
    q, indep, res, msum, opt, dec, rsum = _workspace(r, c, m, nw)
    coef = _factor(r)
    done = 0
    inexact = 0
    first = -1
    valid = 0
    while done < count:
        for t in range(valid, r):
            _level(t, b, target, comb, q, indep, res, msum, xcols, dep_tol, with_forms, coef)
        valid = r - 1
        ok = _tally(done, r, res, msum, target, weights, exact_tol2, opt, dec, rsum, with_rsum)
        done += 1
        if not ok:
            inexact += 1
            if first < 0:
                first = done - 1
            if stop_at_inexact:
                break
        if done >= count:
            break
        i = next_combination(comb, n)
        if i < 0:
            break
        if i < valid:
            valid = i
    return done, first, inexact, opt, dec, rsum


@numba.njit(**_NJIT)
def approx_list(
    b: np.ndarray, target: np.ndarray, xcols: np.ndarray, weights: np.ndarray, patterns: np.ndarray,
    dep_tol: float, exact_tol2: float, stop_at_inexact: bool, with_rsum: bool,
) -> tuple[int, int, int, np.ndarray, np.ndarray, np.ndarray]:
    """Like :func:`approx_range` for an explicit list of sorted patterns (rows), reusing the levels a pattern
    shares with the previous one; indices are row numbers."""
    total, r = patterns.shape
    c = b.shape[1]
    m = target.shape[0]
    nw = weights.shape[0]
    with_forms = nw > 0
    comb = np.zeros(r, dtype=np.int64)
    q, indep, res, msum, opt, dec, rsum = _workspace(r, c, m, nw)
    coef = _factor(r)
    done = 0
    inexact = 0
    first = -1
    valid = 0
    for idx in range(total):
        same = 0
        while same < valid and patterns[idx, same] == comb[same]:
            same += 1
        for j in range(r):
            comb[j] = patterns[idx, j]
        for t in range(same, r):
            _level(t, b, target, comb, q, indep, res, msum, xcols, dep_tol, with_forms, coef)
        valid = r
        ok = _tally(idx, r, res, msum, target, weights, exact_tol2, opt, dec, rsum, with_rsum)
        done += 1
        if not ok:
            inexact += 1
            if first < 0:
                first = idx
            if stop_at_inexact:
                break
    return done, first, inexact, opt, dec, rsum
