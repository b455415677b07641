"""Reed–Solomon / polynomial gradient codes: Halbawi et al. (m = 1) and the Ye–Abbe recursion (m ≥ 1).

Placement (k = n, load d = s + 2a + m): worker w holds partitions w, w+1, …, w+d−1 (mod n), so partition i
is missing exactly at workers i+1, …, i+n−d. With n distinct evaluation points θ_0..θ_{n−1}:

    p_i^(1)(x) = Π_{t=1}^{n−d} (x − θ_{(i+t) mod n})                       (monic, degree n−d)
    p_i^(u)(x) = x·p_i^(u−1)(x) − c_{u−1}·p_i^(1)(x),  u = 2..m,   c_{u−1} = [x^{n−d−1}] p_i^(u−1)

and B[w, i·m + (u−1)] = p_i^(u)(θ_w). Every p_i^(u) has degree n−d+u−1 ≤ n−s−2a−1 and its coefficients
at degrees n−d, …, n−d+m−1 form the unit vector e_u, so the polynomial P(x) = Σ_{i,u} p_i^(u)(x) g_i^(u) that
the workers evaluate has Σ_i g_i^(u) as its coefficient of x^{n−d+u−1}. Any n−s−2a evaluations determine P (a
Vandermonde system), which gives exact recovery against s stragglers, and with 2a extra evaluations against
a adversaries by Reed–Solomon error correction (:func:`gcli.decode_adversarial`).

Decoding cost: the server needs only the top m coefficients of P, which :func:`gcli.polynomial_decoder` reads
from the barycentric (Lagrange) form in O(r²) operations per surviving set (r = n − s − 2a responders) instead
of an O(r³) Vandermonde inversion; applying it costs O(r·ℓ) for gradients of length ℓ. With m = 1 this is the
code of Halbawi et al.: column j evaluates the monic polynomial vanishing at the workers that do not hold j,
and the decoder reads its leading coefficient.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from gcli.code import Code
from gcli.errors import InputError
from gcli.fields import Field, field_name, is_real
from gcli.polynomial import evaluation_points

from ._common import check_basic, cyclic_windows, resolve_field

__all__ = ["evaluation_points", "reed_solomon", "ye_abbe_encoding"]


def _poly_mul_linear(coeffs: np.ndarray, root: object) -> np.ndarray:
    """Multiply a polynomial (coefficients, lowest degree first) by (x − root)."""
    out = np.concatenate([coeffs[:1] * 0, coeffs])  # x·p
    out[:-1] = out[:-1] - coeffs * root
    return out


def reed_solomon(
    n: int = 8,
    s: int = 2,
    *,
    m: int = 1,
    a: int = 0,
    k: int | None = None,
    field: str | Field = "real",
    points: Literal["chebyshev", "equispaced"] = "chebyshev",
) -> Code:
    """Reed–Solomon polynomial gradient code: k = n, load d = s + 2a + m, messages of length ℓ/m.

    m = 1 is the Reed–Solomon gradient code of Halbawi et al.; m > 1 is the recursive polynomial
    construction of Ye and Abbe that codes across partitions and vector components. Over GF(q) the points are
    distinct field elements (needs q ≥ n); over the reals Chebyshev points by default, which keep the
    Vandermonde decoding systems far better conditioned than equispaced points.

    Args:
        n: workers (= partitions).
        s: stragglers tolerated.
        m: communication-reduction factor: each worker sends ℓ/m symbols.
        a: adversarial workers tolerated (each costs two stragglers' worth of redundancy).
        points: evaluation points over the reals: chebyshev or equispaced.

    References:
        W. Halbawi, N. Azizan-Ruhi, F. Salehi, B. Hassibi, "Improving Distributed Gradient Descent Using
        Reed–Solomon Codes", ISIT 2018 (arXiv:1706.05436); M. Ye, E. Abbe, "Communication-Computation
        Efficient Gradient Coding", ICML 2018 (arXiv:1802.03475).
    """
    fld = resolve_field(field)
    check_basic("reed-solomon", n, s, k, a)
    if m < 1:
        raise InputError(f"reed-solomon: m must be at least 1 (got {m})")
    d = s + 2 * a + m
    if d > n:
        raise InputError(
            f"reed-solomon: load d = s + 2a + m = {d} exceeds n = {n} "
            "(the trade-off d ≥ s + 2a + m with k = n)"
        )
    theta = evaluation_points(fld, n, points)
    real = is_real(fld)
    encoding = ye_abbe_encoding(fld, theta, d, m)
    assignment = cyclic_windows(n, d)
    # p_i^(u) vanishes at the non-holders of i by construction; make those zeros exact over the reals too.
    held = np.zeros((n, n), dtype=bool)
    for w, row in enumerate(assignment):
        held[w, list(row)] = True
    encoding[~np.repeat(held, m, axis=1)] = 0
    construction: dict[str, object] = {"n": n, "s": s, "m": m, "a": a, "field": field_name(fld)}
    if real:
        construction["points"] = points
    else:
        construction["evaluation_points"] = [int(x) for x in theta]
    return Code(
        scheme="reed-solomon",
        field=fld,
        n=n,
        k=n,
        s=s,
        m=m,
        a=a,
        d=d,
        assignment=assignment,
        encoding=encoding,
        construction=construction,
    )


def ye_abbe_encoding(field: Field, theta: np.ndarray, d: int, m: int) -> np.ndarray:
    """The n × (n·m) Ye–Abbe encoding B[w, i·m + u] = p_i^(u+1)(θ_w) for the given distinct points θ.

    p_i^(1) is the monic polynomial vanishing at θ_{i+1}, …, θ_{i+n−d} (indices mod n) and the recursion
    p_i^(u) = x·p_i^(u−1) − c_{u−1}·p_i^(1) (c_{u−1} the coefficient of x^{n−d−1} in p_i^(u−1)) makes the
    coefficients at degrees n−d, …, n−d+m−1 of p_i^(u) the unit vector e_u (module docstring).
    """
    n = len(theta)
    if not 1 <= m <= d <= n:
        raise InputError(f"need 1 ≤ m ≤ d ≤ n (got m={m}, d={d}, n={n})")
    real = is_real(field)
    zero, one = (0.0, 1.0) if real else (field(0), field(1))
    theta = np.asarray(theta, dtype=np.float64) if real else field(theta)
    if len(set(np.asarray(theta).tolist())) != n:
        raise InputError("evaluation points must be distinct")
    deg1 = n - d
    encoding = np.zeros((n, n * m)) if real else field.Zeros((n, n * m))
    powers = np.stack([theta**t for t in range(n)], axis=1) if real else _gf_powers(field, theta, n)
    for i in range(n):
        base = np.array([one]) if real else field([1])
        for t in range(1, deg1 + 1):
            base = _poly_mul_linear(base, theta[(i + t) % n])
        current = base
        for u in range(m):
            if u > 0:
                shifted = np.concatenate([current[:1] * 0, current])  # x·p^(u−1)
                c = current[deg1 - 1] if deg1 >= 1 else zero
                padded = shifted * 0
                padded[: len(base)] = base
                current = shifted - padded * c  # x·p^(u−1) − c_{u−1}·p^(1)
            encoding[:, i * m + u] = powers[:, : len(current)] @ current
    return encoding


def _gf_powers(fld: type, theta: np.ndarray, n: int) -> np.ndarray:
    powers = fld.Ones((n, n))
    for t in range(1, n):
        powers[:, t] = powers[:, t - 1] * theta
    return powers
