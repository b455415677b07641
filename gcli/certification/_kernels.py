"""Compiled (numba) kernels of the exact verification engine; imported lazily by :mod:`gcli.certification.engine`.

Field elements are int64 integers in galois' integer representation. Three arithmetics share one kernel,
chosen by ``kind``:

* ``kind == 0`` — GF(p), p < 2^31: residues mod p (products stay below 2^62);
* ``kind == 1`` — GF(2^e): addition is XOR, multiplication via log/antilog tables (``exp`` has length 2(q − 1)
  so ``exp[log a + log b]`` needs no reduction);
* ``kind == 2`` — GF(p^e), p odd: addition digit-wise mod p in base p, multiplication via the tables;
* ``kind == 3`` — GF(p) as kind 0, with delayed reduction when eliminating a row: allowed when
  p − 1 + r(p − 1)^2 < 2^63, e.g. any r for p = 65537.

The walk (:func:`check_range`) visits the r-subsets F of the rows of B in lexicographic order. Level t of a
stack holds the row ``comb[t]`` reduced against the levels before it (normalised, with its pivot column, or
marked dependent) and the residual of the target T after eliminating every pivot of levels 0..t. Rows reduced
this way are zero at all earlier pivots, so eliminating pivots in insertion order is exact Gaussian
elimination, and T ∈ rowspan(B_F) iff the residual after the last level is zero. Moving to the next
combination recomputes only the levels whose row changed, so the cost per pattern approaches one row
reduction. When the residual of a prefix is already zero, every completion of that prefix decodes and the
whole subtree is counted at once.

Over GF(p) the engine walks by :func:`quotient_range` instead (the *quotient walk*): F decodes iff every column of
Tᵀ lies in the span of the columns F of Bᵀ, and adding a worker x quotients the matrix [Bᵀ | Tᵀ] by its column x —
one fraction-free elimination step on the columns still to come. A level then costs (rows left) × (columns after x)
instead of a row reduction against every level before it, the last two workers of an MDS-like code are one 2 × 2
determinant per set, and RS n = 28, s = 10 over GF(65537) costs about 70–120 ns of CPU per set against
1,500–1,700 ns for the row walk (``benchmarks/gf_walk_bench.py``).
"""

from __future__ import annotations

import os

import numba
import numpy as np


def numba_cache_dir() -> str:
    """Where gcli's compiled kernels are cached: ``$NUMBA_CACHE_DIR`` when set, else the user's cache directory
    (``$XDG_CACHE_HOME/gcli/numba``, by default ``~/.cache/gcli/numba``), never the installed package's folder,
    which may be read-only (a system or pipx install would then recompile in every process)."""
    explicit = os.environ.get("NUMBA_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "gcli", "numba")


# numba reads NUMBA_CACHE_DIR once, when it is first imported; setting its config here (before any kernel is
# decorated below or in gcli.certification._approx_kernels) also covers a process that imported numba before gcli.
numba.config.CACHE_DIR = numba_cache_dir()

_NJIT = {"cache": True, "nogil": True, "boundscheck": False}


@numba.njit(**_NJIT)
def next_combination(comb: np.ndarray, n: int) -> int:
    """Advance the sorted r-subset ``comb`` of range(n) to its lexicographic successor in place; return the first
    position that changed (the prefix before it is unchanged, so reduced levels up to it stay valid), or -1
    after the last subset (``comb`` is then left as it was)."""
    r = comb.shape[0]
    i = r - 1
    while i >= 0 and comb[i] == n - r + i:
        i -= 1
    if i < 0:
        return -1
    comb[i] += 1
    for j in range(i + 1, r):
        comb[j] = comb[j - 1] + 1
    return i


@numba.njit(**_NJIT)
def _mul(kind: int, p: int, a: int, b: int, exp: np.ndarray, log: np.ndarray) -> int:
    if kind == 0 or kind == 3:
        return (a * b) % p
    if a == 0 or b == 0:
        return 0
    return exp[log[a] + log[b]]


@numba.njit(**_NJIT)
def _sub(kind: int, p: int, a: int, b: int) -> int:
    if kind == 0 or kind == 3:
        d = a - b
        return d + p if d < 0 else d
    if kind == 1:
        return a ^ b
    result = 0
    place = 1
    while a > 0 or b > 0:
        d = a % p - b % p
        if d < 0:
            d += p
        result += d * place
        place *= p
        a //= p
        b //= p
    return result


@numba.njit(**_NJIT)
def _inv(kind: int, p: int, q: int, a: int, exp: np.ndarray, log: np.ndarray) -> int:
    if kind == 0 or kind == 3:
        # extended Euclid: a·x ≡ 1 (mod p)
        r0, r1 = p, a % p
        x0, x1 = 0, 1
        while r1 != 0:
            quot = r0 // r1
            r0, r1 = r1, r0 - quot * r1
            x0, x1 = x1, x0 - quot * x1
        return x0 % p
    e = log[a]
    return exp[(q - 1 - e) % (q - 1)]


@numba.njit(**_NJIT)
def _axpy(
    kind: int, p: int, v: np.ndarray, f: int, row: np.ndarray, exp: np.ndarray, log: np.ndarray
) -> None:
    """v ← v − f·row (in place), skipping the zeros of row."""
    c = v.shape[0]
    if kind == 0 or kind == 3:
        for x in range(c):
            rx = row[x]
            if rx != 0:
                d = v[x] - (f * rx) % p
                if d < 0:
                    d += p
                v[x] = d
    elif kind == 1:
        lf = log[f]
        for x in range(c):
            rx = row[x]
            if rx != 0:
                v[x] ^= exp[lf + log[rx]]
    else:
        for x in range(c):
            rx = row[x]
            if rx != 0:
                v[x] = _sub(kind, p, v[x], _mul(kind, p, f, rx, exp, log))


@numba.njit(**_NJIT)
def _reduce_row(
    kind: int, p: int, q: int, t: int, source: np.ndarray, red: np.ndarray, piv: np.ndarray,
    exp: np.ndarray, log: np.ndarray,
) -> int:
    """Reduce ``source`` against levels 0..t−1 into ``red[t]`` and normalise it; return its pivot column
    (−1 when the row is dependent on the earlier levels)."""
    v = red[t]
    c = v.shape[0]
    for x in range(c):
        v[x] = source[x]
    if kind == 3:
        # delayed reduction: add (p − f)·row without reducing (entries stay below p + t(p − 1)^2 < 2^63),
        # reduce only the pivot entry that gives the next factor, and the whole row once at the end
        for j in range(t):
            pj = piv[j]
            if pj >= 0:
                f = v[pj] % p
                if f != 0:
                    g = p - f
                    row = red[j]
                    for x in range(c):
                        rx = row[x]
                        if rx != 0:
                            v[x] += g * rx
        for x in range(c):
            v[x] %= p
    else:
        for j in range(t):
            pj = piv[j]
            if pj >= 0:
                f = v[pj]
                if f != 0:
                    _axpy(kind, p, v, f, red[j], exp, log)
    pivot = -1
    for x in range(c):
        if v[x] != 0:
            pivot = x
            break
    if pivot >= 0 and v[pivot] != 1:
        scale = _inv(kind, p, q, v[pivot], exp, log)
        for x in range(pivot, c):
            if v[x] != 0:
                v[x] = _mul(kind, p, v[x], scale, exp, log)
    piv[t] = pivot
    return pivot


@numba.njit(**_NJIT)
def _push_level(
    kind: int, p: int, q: int, t: int, b: np.ndarray, target: np.ndarray, comb: np.ndarray,
    red: np.ndarray, piv: np.ndarray, tres: np.ndarray, tzero: np.ndarray, exp: np.ndarray, log: np.ndarray,
) -> None:
    """Compute level t: reduce row comb[t], then the target residual after eliminating its pivot."""
    pivot = _reduce_row(kind, p, q, t, b[comb[t]], red, piv, exp, log)
    m, c = target.shape
    prev = target if t == 0 else tres[t - 1]
    cur = tres[t]
    allzero = True
    for u in range(m):
        for x in range(c):
            cur[u, x] = prev[u, x]
        if pivot >= 0:
            f = cur[u, pivot]
            if f != 0:
                _axpy(kind, p, cur[u], f, red[t], exp, log)
        if allzero:
            for x in range(c):
                if cur[u, x] != 0:
                    allzero = False
                    break
    tzero[t] = allzero


@numba.njit(**_NJIT)
def _leaf_ok(
    kind: int, p: int, q: int, t: int, b: np.ndarray, target: np.ndarray, comb: np.ndarray,
    red: np.ndarray, piv: np.ndarray, tres: np.ndarray, tzero: np.ndarray, exp: np.ndarray, log: np.ndarray,
) -> bool:
    """Is the target in the span of levels 0..t−1 plus row comb[t]? (Level t is left scratch.)"""
    if t > 0 and tzero[t - 1]:
        return True
    prev = target if t == 0 else tres[t - 1]
    pivot = _reduce_row(kind, p, q, t, b[comb[t]], red, piv, exp, log)
    if pivot < 0:
        return False
    v = red[t]
    m, c = target.shape
    # each residual row (zero at earlier pivots) must be a multiple of the new reduced row
    for u in range(m):
        f = prev[u, pivot]
        for x in range(c):
            want = 0 if v[x] == 0 else _mul(kind, p, f, v[x], exp, log)
            if prev[u, x] != want:
                return False
    return True


@numba.njit(**_NJIT)
def check_range(
    kind: int, p: int, q: int, b: np.ndarray, target: np.ndarray, start: np.ndarray, count: int,
    stop_at_failure: bool, binom: np.ndarray, exp: np.ndarray, log: np.ndarray,
) -> tuple[int, int, int]:
    """Check ``count`` consecutive r-subsets (lexicographic) from the combination ``start``.

    Returns (patterns checked, offset of the first failing pattern or −1, failures found). With
    ``stop_at_failure`` the walk ends at the first failing pattern (which is counted as checked).
    ``binom[a, j]`` = C(a, j) (saturated), for counting the completions of a prefix.
    """
    n = b.shape[0]
    c = b.shape[1]
    m = target.shape[0]
    r = start.shape[0]
    comb = start.copy()
    red = np.zeros((r, c), dtype=np.int64)
    piv = np.full(r, -1, dtype=np.int64)
    tres = np.zeros((r, m, c), dtype=np.int64)
    tzero = np.zeros(r, dtype=np.bool_)
    done = 0
    failures = 0
    first = -1
    valid = 0  # levels 0..valid-1 are up to date for comb
    while done < count:
        t = valid
        skipped = False
        while t < r - 1:
            _push_level(kind, p, q, t, b, target, comb, red, piv, tres, tzero, exp, log)
            t += 1
            if tzero[t - 1] and comb[r - 1] == comb[t - 1] + (r - t):
                # every completion of this prefix decodes; comb is the first of them
                size = binom[n - 1 - comb[t - 1], r - t]
                left = count - done
                if size > left:
                    size = left
                done += size
                for j in range(t, r):
                    comb[j] = n - r + j
                valid = t
                skipped = True
                break
        if not skipped:
            valid = r - 1
            ok = _leaf_ok(kind, p, q, r - 1, b, target, comb, red, piv, tres, tzero, exp, log)
            done += 1
            if not ok:
                failures += 1
                if first < 0:
                    first = done - 1
                if stop_at_failure:
                    break
        if done >= count:
            break
        i = next_combination(comb, n)
        if i < 0:
            break
        if i < valid:
            valid = i
    return done, first, failures


@numba.njit(**_NJIT)
def check_list(
    kind: int, p: int, q: int, b: np.ndarray, target: np.ndarray, patterns: np.ndarray,
    stop_at_failure: bool, exp: np.ndarray, log: np.ndarray,
) -> tuple[int, int, int]:
    """Like :func:`check_range` for an explicit list of sorted patterns (e.g. a random sample), reusing the
    levels shared with the previous pattern."""
    total, r = patterns.shape
    c = b.shape[1]
    m = target.shape[0]
    red = np.zeros((r, c), dtype=np.int64)
    piv = np.full(r, -1, dtype=np.int64)
    tres = np.zeros((r, m, c), dtype=np.int64)
    tzero = np.zeros(r, dtype=np.bool_)
    comb = np.zeros(r, dtype=np.int64)
    done = 0
    failures = 0
    first = -1
    valid = 0
    for idx in range(total):
        same = 0
        while same < valid and patterns[idx, same] == comb[same]:
            same += 1
        for j in range(r):
            comb[j] = patterns[idx, j]
        ok = True
        decided = False
        for t in range(same, r - 1):
            _push_level(kind, p, q, t, b, target, comb, red, piv, tres, tzero, exp, log)
        valid = r - 1
        for t in range(r - 1):
            if tzero[t]:
                decided = True
                break
        if not decided:
            ok = _leaf_ok(kind, p, q, r - 1, b, target, comb, red, piv, tres, tzero, exp, log)
        done += 1
        if not ok:
            failures += 1
            if first < 0:
                first = idx
            if stop_at_failure:
                break
    return done, first, failures


def warm_up() -> None:
    """Compile (or load from the on-disk cache) every kernel specialisation on a tiny input."""
    b = np.array([[1, 0], [0, 1], [1, 1]], dtype=np.int64)
    target = np.array([[1, 1]], dtype=np.int64)
    binom = np.ones((4, 3), dtype=np.int64)
    tables = np.zeros(2, dtype=np.int64)
    check_range(0, 7, 7, b, target, np.array([0, 1], dtype=np.int64), 3, True, binom, tables, tables)
    check_list(0, 7, 7, b, target, np.array([[0, 1]], dtype=np.int64), True, tables, tables)
    quotient_range(7, quotient_start(7, b, target), 3, 1, np.array([0, 1], dtype=np.int64), 3, True, binom)


@numba.njit(**_NJIT)
def fill_combinations(start: np.ndarray, count: int, n: int) -> np.ndarray:
    """The ``count`` r-subsets following ``start`` (inclusive) in lexicographic order, as rows (fewer at the
    end of the enumeration)."""
    r = start.shape[0]
    out = np.empty((count, r), dtype=np.int64)
    comb = start.copy()
    for row in range(count):
        out[row] = comb
        if next_combination(comb, n) < 0:
            return out[: row + 1]
    return out


# ---------------------------------------------------------------------------------------------------------
# GF(p): the quotient walk (elimination on the columns of [Bᵀ | Tᵀ], one rank-one step per added worker)
# ---------------------------------------------------------------------------------------------------------
FLOAT_MOD_LIMIT = 1 << 26
"""Below this p, sums of two products (< 2p² < 2^53) are exact in float64 and :func:`_mod` reduces them with one
multiplication by 1/p (the quotient is off by at most one) instead of an integer division."""


@numba.njit(inline="always", **_NJIT)
def _mod(v: int, p: int) -> int:
    """v mod p for 0 ≤ v < 2p² (p < 2^31)."""
    if p >= FLOAT_MOD_LIMIT:
        return v % p
    r = v - np.int64(np.float64(v) * (1.0 / np.float64(p))) * p
    if r < 0:
        r += p
    elif r >= p:
        r -= p
    return r


@numba.njit(**_NJIT)
def quotient_start(p: int, b: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The walk's level-0 matrix: M = [Bᵀ | Tᵀ] (k × (n + m), entries mod p) in reduced row echelon form with its
    zero rows dropped (R or R + 1 rows, R = rank B: the transform is invertible on the kept rows, so the column
    relations of M — which columns of Bᵀ span the columns of Tᵀ — are those of [Bᵀ | Tᵀ])."""
    n, k = b.shape
    m = target.shape[0]
    w = n + m
    a = np.empty((k, w), dtype=np.int64)
    for i in range(k):
        for x in range(n):
            a[i, x] = b[x, i] % p
        for u in range(m):
            a[i, n + u] = target[u, i] % p
    rank = 0
    for col in range(w):
        if rank == k:
            break
        piv = -1
        for i in range(rank, k):
            if a[i, col] != 0:
                piv = i
                break
        if piv < 0:
            continue
        for y in range(w):
            tmp = a[rank, y]
            a[rank, y] = a[piv, y]
            a[piv, y] = tmp
        scale = _inv(0, p, p, a[rank, col], a[0], a[0])
        for y in range(w):
            a[rank, y] = (a[rank, y] * scale) % p
        for i in range(k):
            if i != rank and a[i, col] != 0:
                f = p - a[i, col]
                for y in range(w):
                    a[i, y] = (a[i, y] + f * a[rank, y]) % p
        rank += 1
    return a[:rank].copy()


@numba.njit(**_NJIT)
def _quotient_step(
    p: int, n: int, m: int, src: np.ndarray, rows: int, x: int, dst: np.ndarray
) -> int:
    """Quotient the ``rows`` × (n + m) matrix ``src`` by its column x into ``dst`` (columns > x and the m target
    columns only: earlier columns are never read again); return the rows of ``dst``.

    With a pivot row i (src[i, x] = a ≠ 0), every other row j becomes a·row_j − src[j, x]·row_i (an invertible
    row operation, fraction-free: no inverse needed) and row i is dropped — it spans exactly the direction
    column x adds. A zero column x adds nothing: ``dst`` is a copy."""
    w = n + m
    piv = -1
    for i in range(rows):
        if src[i, x] != 0:
            piv = i
            break
    out = 0
    if piv < 0:
        for i in range(rows):
            for y in range(x + 1, w):
                dst[i, y] = src[i, y]
        return rows
    a = src[piv, x]
    for i in range(rows):
        if i == piv:
            continue
        f = src[i, x]
        if f == 0:
            for y in range(x + 1, w):
                dst[out, y] = src[i, y]
        else:
            g = p - f
            for y in range(x + 1, w):
                dst[out, y] = _mod(a * src[i, y] + g * src[piv, y], p)
        out += 1
    return out


@numba.njit(**_NJIT)
def _target_zero(mat: np.ndarray, rows: int, n: int, m: int) -> bool:
    for i in range(rows):
        for u in range(n, n + m):
            if mat[i, u] != 0:
                return False
    return True


@numba.njit(**_NJIT)
def _leaf_decodes(p: int, mat: np.ndarray, rows: int, n: int, m: int, x: int) -> bool:
    """Is the target part (columns n..n+m−1) of ``mat`` in the span of its column x? (Nonzero target part.)"""
    if rows == 1:
        return mat[0, x] != 0
    piv = -1
    for i in range(rows):
        if mat[i, x] != 0:
            piv = i
            break
    if piv < 0:
        return False
    a = mat[piv, x]
    for i in range(rows):
        if i == piv:
            continue
        f = mat[i, x]
        for u in range(n, n + m):
            # target column u = λ·column x with λ = mat[piv, u]/a: a·mat[i, u] = f·mat[piv, u]
            if (a * mat[i, u]) % p != (f * mat[piv, u]) % p:
                return False
    return True


@numba.njit(**_NJIT)
def quotient_range(
    p: int, start_matrix: np.ndarray, n: int, m: int, start: np.ndarray, count: int, stop_at_failure: bool,
    binom: np.ndarray,
) -> tuple[int, int, int]:
    """:func:`check_range` over GF(p), p < 2^31, by the quotient walk.

    F decodes iff every column of Tᵀ lies in the span of the columns F of Bᵀ. Level t of the stack holds
    M_t = [Bᵀ | Tᵀ] (from :func:`quotient_start`) modulo the columns comb[0..t−1]: one fraction-free
    elimination step per added worker (:func:`_quotient_step`), touching only the columns still to come, so
    the cost of a level falls with its depth (d rows × the columns after comb[t]) instead of growing with the
    rows already chosen. The target part of M_t is zero iff the prefix already decodes (the whole subtree is
    counted at once). At the last level every candidate x is one test (:func:`_leaf_decodes`): with one row
    left (rank B = r, e.g. any MDS code) it is ``M[0, x] ≠ 0``.
    Returns (patterns checked, offset of the first failing pattern or −1, failures found).
    """
    r = start.shape[0]
    d0 = start_matrix.shape[0]
    w = n + m
    mats = np.zeros((r, d0, w), dtype=np.int64)
    nrows = np.zeros(r, dtype=np.int64)
    qzero = np.zeros(r, dtype=np.bool_)
    for i in range(d0):
        for y in range(w):
            mats[0, i, y] = start_matrix[i, y]
    nrows[0] = d0
    qzero[0] = _target_zero(mats[0], d0, n, m)
    comb = start.copy()
    done = 0
    failures = 0
    first = -1
    valid = 0  # mats[0..valid] are up to date for the prefix comb[0..valid−1]
    while done < count:
        t = valid
        skipped = False
        bottom = r - 2 if r >= 2 else 0
        while t < bottom:
            x = comb[t]
            nrows[t + 1] = _quotient_step(p, n, m, mats[t], nrows[t], x, mats[t + 1])
            qzero[t + 1] = qzero[t] or _target_zero(mats[t + 1], nrows[t + 1], n, m)
            t += 1
            if qzero[t] and comb[r - 1] == comb[t - 1] + (r - t):
                # every completion of this prefix decodes; comb is the first of them
                size = binom[n - 1 - comb[t - 1], r - t]
                left = count - done
                if size > left:
                    size = left
                done += size
                for j in range(t, r):
                    comb[j] = n - r + j
                valid = t
                skipped = True
                break
        if skipped:
            pass
        elif r >= 2 and nrows[r - 2] == 2 and not qzero[r - 2]:
            # the last two workers (x, y) at once: the quotient is 2-dimensional, so F decodes when columns x
            # and y are independent (a nonzero 2 × 2 determinant), else iff the target lies on their line
            valid = r - 2
            top = mats[r - 2]
            x = comb[r - 2]
            y = comb[r - 1]
            stop = False
            while True:
                a0 = top[0, x]
                g1 = p - top[1, x]
                yy = y
                while yy < n and done < count:
                    done += 1
                    if _mod(a0 * top[1, yy] + g1 * top[0, yy], p) == 0:
                        if not (_leaf_decodes(p, top, 2, n, m, x) or _leaf_decodes(p, top, 2, n, m, yy)):
                            failures += 1
                            if first < 0:
                                first = done - 1
                            if stop_at_failure:
                                stop = True
                                break
                    yy += 1
                if stop or done >= count or x >= n - 2:
                    comb[r - 2] = x
                    comb[r - 1] = yy if stop else yy - 1  # the last pair checked
                    break
                x += 1
                y = x + 1
            if stop:
                break
        else:
            if r >= 2:
                nrows[r - 1] = _quotient_step(p, n, m, mats[r - 2], nrows[r - 2], comb[r - 2], mats[r - 1])
                qzero[r - 1] = qzero[r - 2] or _target_zero(mats[r - 1], nrows[r - 1], n, m)
            valid = r - 1
            last = n - 1
            if last - comb[r - 1] + 1 > count - done:
                last = comb[r - 1] + (count - done) - 1
            top = mats[r - 1]
            rows = nrows[r - 1]
            if qzero[r - 1]:
                done += last - comb[r - 1] + 1
            else:
                stop = False
                for x in range(comb[r - 1], last + 1):
                    done += 1
                    if not _leaf_decodes(p, top, rows, n, m, x):
                        failures += 1
                        if first < 0:
                            first = done - 1
                        if stop_at_failure:
                            stop = True
                            break
                if stop:
                    break
            comb[r - 1] = last
        if done >= count:
            break
        i = next_combination(comb, n)
        if i < 0:
            break
        if i < valid:
            valid = i
    return done, first, failures
