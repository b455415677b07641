"""Reed–Solomon / polynomial gradient codes: Halbawi et al. (m = 1) and the Ye–Abbe recursion (m ≥ 1).

Placement (load d = ⌈k(s + 2a + m)/n⌉): every partition is held by r = s + 2a + m cyclically consecutive
workers; with k = n worker w holds partitions w, w+1, …, w+r−1 (mod n), so partition i is missing exactly at
workers N_i = {i+1, …, i+n−r}; for k ≠ n the holders are spread evenly (:func:`balanced_placement`). With n
distinct evaluation points θ_0..θ_{n−1} (Ye & Abbe, ICML 2018 [YeAbbe2018], the recursive polynomial construction):

    p_i^(1)(x) = Π_{v ∈ N_i} (x − θ_v)                                    (monic, degree D = n − r)
    p_i^(u)(x) = x·p_i^(u−1)(x) − c_{u−1}·p_i^(1)(x),  u = 2..m,   c_{u−1} = [x^{D−1}] p_i^(u−1)

and B[w, i·m + (u−1)] = p_i^(u)(θ_w). Every p_i^(u) has degree D+u−1 ≤ K−1 (K = n − s − 2a) and its
coefficients at degrees D, …, D+m−1 form the unit vector e_u, so the polynomial P(x) = Σ_{i,u} p_i^(u)(x)
g_i^(u) that the workers evaluate has Σ_i g_i^(u) as its coefficient of x^{D+u−1}. Any K evaluations determine
P (a Vandermonde system): exact recovery against s stragglers, and with 2a extra evaluations against a
adversaries by Reed–Solomon error correction (:func:`gcli.decode_adversarial`). Nothing in the argument uses
k = n, only that each partition has r holders, so any k is allowed and the load meets the trade-off bound.

**Stable evaluation.** The recursion only multiplies p_i^(1) by a polynomial of degree u−1:
p_i^(u) = q_u·p_i^(1) with q_1 = 1 and q_u(x) = x·q_{u−1}(x) + h_{u−1}, where h_t is the complete homogeneous
symmetric polynomial of degree t in the roots {θ_v : v ∈ N_i} (the invariant "coefficients D..D+u−2 of
p_i^(u) vanish" says q_u is the polynomial part of x^{D+u−1}/p_i^(1)(x) = x^{u−1}·Σ_t h_t x^{−t}). So the
entries are computed as a product Π(θ_w − θ_v) times a short Horner sum, never from monomial coefficients:
evaluating the degree-(n−r) coefficient vectors at the points lost about 1e-10 relative accuracy by n = 26
and made codes that verify rejected (issue 11); the product form is accurate to a few ulps (tested against
exact rational arithmetic). Over GF(q) both forms are exact and agree (tested).

Decoding cost: the server needs only the top m coefficients of P, which :func:`gcli.polynomial_decoder` reads
from the barycentric (Lagrange) form in O(K²) operations per surviving set instead of an O(K³) Vandermonde
inversion; :func:`gcli.decode` uses it. Over the reals the Vandermonde systems are exponentially
ill-conditioned in K (Gautschi 1975 [Gautschi1975]): codes whose float64 decoding is not exact to the tolerance are
refused at design time with their condition number (see :mod:`gcli.constructions._common`).

Example:
    >>> code = reed_solomon(8, 2, m=2, field="GF(17)")
    >>> (code.d, code.construction["checked"]["sets"])
    (4, 28)
    >>> reed_solomon(10, 2, k=25, m=2).d                 # any k: ⌈k(s + 2a + m)/n⌉ = ⌈25·4/10⌉
    10
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from gcli.code import Code
from gcli.decoding.polynomial import evaluation_points, vanishing_encoding
from gcli.errors import ImpossibleParameters
from gcli.fields import Field, field_name, is_real

from ._common import balanced_placement, certified, check_basic, resolve_field

__all__ = ["evaluation_points", "reed_solomon", "ye_abbe_encoding"]


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
    """Reed–Solomon polynomial gradient code: each partition on s + 2a + m workers, messages of length ℓ/m.

    m = 1 is the Reed–Solomon gradient code of Halbawi et al.; m > 1 is the recursive polynomial
    construction of Ye and Abbe that codes across partitions and vector components. The load
    d = ⌈k(s + 2a + m)/n⌉ meets the trade-off bound for every k (k = n by default). Over GF(q) the points are
    distinct field elements (needs q ≥ n); over the reals Chebyshev points by default, which keep the
    Vandermonde decoding systems far better conditioned than equispaced points. Real codes whose float64
    decoding would not be exact are refused, with the condition number they would reach.

    Args:
        n: workers.
        s: stragglers tolerated.
        m: communication-reduction factor: each worker sends ℓ/m symbols.
        a: adversarial workers tolerated (each costs two stragglers' worth of redundancy).
        k: data partitions (default n).
        points: evaluation points over the reals: chebyshev or equispaced.

    References:
        W. Halbawi, N. Azizan-Ruhi, F. Salehi, B. Hassibi, "Improving Distributed Gradient Descent Using
        Reed–Solomon Codes", ISIT 2018 (arXiv:1706.05436); M. Ye, E. Abbe, "Communication-Computation
        Efficient Gradient Coding", ICML 2018 (arXiv:1802.03475).
    """
    fld = resolve_field(field)
    return certified(polynomial_code("reed-solomon", n, s, m=m, a=a, k=k, field=fld, points=points))


def polynomial_code(
    scheme: str,
    n: int,
    s: int,
    *,
    m: int,
    a: int,
    k: int | None,
    field: Field,
    points: Literal["chebyshev", "equispaced"] = "chebyshev",
    theta: np.ndarray | None = None,
    replication: int | None = None,
    extra: dict[str, object] | None = None,
) -> Code:
    """The (uncertified) Ye–Abbe code for any k, as ``scheme``.

    ``theta`` overrides the evaluation points; ``replication`` the number r of holders of each partition
    (default s + 2a + m; a larger r tolerates more stragglers than the s recorded).
    """
    k = check_basic(scheme, n, s, k, a, any_k=True, m=max(m, 1))
    if m < 1:
        raise ImpossibleParameters(f"{scheme}: m must be at least 1 (got {m})")
    r = s + 2 * a + m if replication is None else replication
    if r > n:
        raise ImpossibleParameters(
            f"{scheme}: the replication s + 2a + m = {r} exceeds n = {n} "
            "(every partition needs s + 2a + m holders: the trade-off d ≥ k(s + 2a + m)/n)"
        )
    real = is_real(field)
    if theta is None:
        if not real and field.order < n:
            raise ImpossibleParameters(
                f"{scheme} over {field_name(field)} needs q ≥ n distinct evaluation points (n={n})")
        theta = evaluation_points(field, n, points)
    assignment, holders = balanced_placement(n, k, r)
    missing = [sorted(set(range(n)) - set(h)) for h in holders]
    encoding = ye_abbe_encoding(field, theta, r, m, missing=missing)
    construction: dict[str, object] = {"n": n, "k": k, "s": s, "m": m, "a": a, "field": field_name(field)}
    if real:
        construction["points"] = points
    else:
        construction["evaluation_points"] = [int(x) for x in theta]
    construction["decoder"] = "polynomial"
    construction["dimension"] = n - r + m  # K: coefficients of the polynomial the workers evaluate
    construction.update(extra or {})
    return Code(
        scheme=scheme,
        field=field,
        n=n,
        k=k,
        s=s,
        m=m,
        a=a,
        d=max(len(row) for row in assignment),
        assignment=assignment,
        encoding=encoding,
        construction=construction,
    )


def ye_abbe_encoding(
    field: Field, theta: np.ndarray, d: int, m: int, *, missing: Sequence[Sequence[int]] | None = None
) -> np.ndarray:
    """The Ye–Abbe encoding B[w, i·m + u] = p_i^(u+1)(θ_w) for the given distinct points θ (n × k·m).

    p_i^(1) is the monic polynomial vanishing at θ_v for v ∈ N_i — by default N_i = {i+1, …, i+n−d} (mod n),
    k = n — and p_i^(u) = x·p_i^(u−1) − c_{u−1}·p_i^(1) makes the coefficients at degrees n−d, …, n−d+m−1 of
    p_i^(u) the unit vector e_u. Evaluated in the stable product form p_i^(u)(θ_w) = q_u(θ_w)·Π_v (θ_w − θ_v)
    (module docstring); over GF(q) exact.

    >>> import gcli
    >>> ye_abbe_encoding(gcli.REAL, np.array([-1.0, 0.0, 1.0]), 2, 1).tolist()  # p_i = x − θ_{i+1}
    [[-1.0, -2.0, 0.0], [0.0, -1.0, 1.0], [1.0, 0.0, 2.0]]
    """
    n = len(theta)
    if not 1 <= m <= d <= n:
        raise ImpossibleParameters(f"need 1 ≤ m ≤ d ≤ n (got m={m}, d={d}, n={n})")
    real = is_real(field)
    theta = np.asarray(theta, dtype=np.float64) if real else field(theta)
    if len(set(np.asarray(theta).tolist())) != n:
        raise ImpossibleParameters("evaluation points must be distinct")
    if missing is None:
        missing = [[(i + t) % n for t in range(1, n - d + 1)] for i in range(n)]
    k = len(missing)
    degree = n - d
    if any(len(row) != degree for row in missing):
        raise ImpossibleParameters(f"every partition must be missing at exactly n − d = {degree} workers")
    roots_index = np.asarray(missing, dtype=np.int64).reshape(k, degree)
    return vanishing_encoding(field, theta, theta[roots_index], m)
