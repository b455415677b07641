"""Strongly regular graphs from polar spaces and quadrics: polar graphs, affine polar graphs, T₂*(O).

Vectors over GF(q) are integer rows (modular numpy for a prime q, :func:`gcli.fields.gf` for prime powers);
points of PG(n−1, q) are normalised vectors in the order of their base-q value.

References (for the whole module): A. E. Brouwer, H. Van Maldeghem, *Strongly Regular Graphs*, CUP 2022, ch. 2
(polar spaces) and §3.3.1 (affine polar graphs); S. E. Payne, J. A. Thas, *Finite Generalized Quadrangles*, 2nd
ed., EMS 2009, §3.1.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from gcli.errors import ImpossibleParameters
from gcli.fields.numbertheory import is_prime_power
from gcli.structures import Params, StronglyRegularGraph, certified_srg, check_srg
from gcli.structures.graphs import row_srg_params

from .._geometry import FiniteField, affine_points, field, keys, projective_points, regular_hyperoval

__all__ = [
    "affine_polar_graph",
    "affine_polar_params",
    "dual_polar_quadrangle_graph",
    "haemers_graph",
    "hyperoval_quadrangle_graph",
    "nonisotropic_graph",
    "nonisotropic_srgs",
    "polar_graph",
    "polar_params",
]


def _quadratic_form(kind: str, n: int, f: FiniteField) -> np.ndarray:
    """Upper-triangular matrix M of a non-degenerate quadratic form Q(x) = Σ_{i≤j} M_ij x_i x_j."""
    m = np.zeros((n, n), dtype=np.int64)
    pairs = n // 2 if kind in ("+", "-") else (n - 1) // 2
    offset = 0 if kind in ("+", "-") else 1
    if kind == "o":
        m[0, 0] = 1
    for t in range(pairs):
        m[offset + 2 * t, offset + 2 * t + 1] = 1
    if kind == "-":  # replace the last hyperbolic pair by an anisotropic x² + xy + a·y²
        x = f.elements
        a = next(c for c in range(f.order) if not np.any(f.add(f.add(f.power(x, 2), x), c) == 0))
        m[n - 2, n - 2] = 1
        m[n - 1, n - 1] = a
    return m


def _evaluate_form(f: FiniteField, m: np.ndarray, x: np.ndarray) -> np.ndarray:
    return f.sum(f.mul(f.matmul(x, m), x), axis=1)


def polar_params(kind: str, n: int, q: int) -> Params | None:
    """(v, k, λ, μ) of :func:`polar_graph` from the polar rank d and the parameter q^e (None if rank < 2).

    Args:
        kind: ``sp``, ``o+``, ``o-``, ``o`` or ``u``.
        n: vector-space dimension.
        q: prime power.

    Returns:
        The parameters, or None when the kind, n and q give no strongly regular polar graph.

    Example:
        >>> polar_params("o-", 8, 2)
        (119, 54, 21, 27)

    References:
        Brouwer–Van Maldeghem, §2.5.
    """
    if not is_prime_power(q):
        return None
    if kind == "sp" and n % 2 == 0:
        d, big_q, qq = n // 2, q, q
    elif kind == "o+" and n % 2 == 0:
        d, big_q, qq = n // 2, 1, q
    elif kind == "o-" and n % 2 == 0:
        d, big_q, qq = n // 2 - 1, q * q, q
    elif kind == "o" and n % 2 == 1:
        d, big_q, qq = (n - 1) // 2, q, q
    elif kind == "u":
        qq = q * q
        d, big_q = (n // 2, q) if n % 2 == 0 else ((n - 1) // 2, q**3)
    else:
        return None
    if d < 2:
        return None
    v = (qq**d - 1) * (qq ** (d - 1) * big_q + 1) // (qq - 1)
    k = qq * (qq ** (d - 1) - 1) * (qq ** (d - 2) * big_q + 1) // (qq - 1)
    mu = (qq ** (d - 1) - 1) * (qq ** (d - 2) * big_q + 1) // (qq - 1)
    inner = 0 if d == 2 else (qq ** (d - 2) - 1) * (qq ** (d - 3) * big_q + 1) // (qq - 1)
    return (v, k, qq - 1 + qq * qq * inner, mu)


def polar_graph(kind: str, n: int, q: int) -> StronglyRegularGraph:
    """Collinearity graph of a finite classical polar space: singular points, adjacent when orthogonal.

    ``kind``: ``"sp"`` symplectic W(n−1, q) (n even, all points of PG(n−1, q)), ``"o+"`` / ``"o-"`` hyperbolic /
    elliptic quadric in PG(n−1, q) (n even), ``"o"`` parabolic quadric (n odd), ``"u"`` Hermitian variety in
    PG(n−1, q²) (form Σ x_i^{q+1}). For polar rank ≥ 2 these are SRGs: Sp(4, q) and O(5, q) are GQ(q, q),
    O⁻(6, q) is GQ(q, q²), U(4, 2) is GQ(4, 2) = srg(45, 12, 3, 3), O⁻(8, 2) = srg(119, 54, 21, 27).

    Args:
        kind: ``sp``, ``o+``, ``o-``, ``o`` or ``u``.
        n: vector-space dimension.
        q: prime power (for ``u`` the space is over GF(q²)).

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph` named e.g. "Sp(4,3)".

    Example:
        >>> polar_graph("sp", 4, 3).params
        (40, 12, 2, 4)

    References:
        Brouwer–Van Maldeghem, ch. 2; Payne–Thas, §3.1.
    """
    params = polar_params(kind, n, q)
    if params is None:
        raise ImpossibleParameters(
            f"no strongly regular polar graph of kind {kind!r} with n={n}, q={q} (need rank ≥ 2)")
    if kind == "u":
        f = field(q * q)
        points = projective_points(f, n - 1)
        pts = points[f.sum(f.mul(points, f.power(points, q)), axis=1) == 0]
        gram = f.matmul(pts, f.power(pts, q).T)
        name = f"U({n},{q})"
    else:
        f = field(q)
        points = projective_points(f, n - 1)
        if kind == "sp":
            j = np.zeros((n, n), dtype=np.int64)
            for t in range(n // 2):
                j[2 * t, 2 * t + 1] = 1
                j[2 * t + 1, 2 * t] = int(f.neg(1))
            pts = points
            gram = f.matmul(f.matmul(pts, j), pts.T)
            name = f"Sp({n},{q})"
        else:
            m = _quadratic_form(kind[1:] if kind != "o" else "o", n, f)
            pts = points[_evaluate_form(f, m, points) == 0]
            gram = f.matmul(f.matmul(pts, f.add(m, m.T)), pts.T)
            name = {"o+": "O+", "o-": "O-", "o": "O"}[kind] + f"({n},{q})"
    adjacent = gram == 0
    np.fill_diagonal(adjacent, False)
    return certified_srg(adjacent, name, params)


def affine_polar_params(sign: str, m: int, q: int) -> Params | None:
    """(v, k, λ, μ) of :func:`affine_polar_graph` (None for invalid arguments).

    Args:
        sign: ``+`` or ``-``.
        m: half the dimension, m ≥ 2.
        q: prime power.

    Returns:
        The parameters, or None.

    Example:
        >>> affine_polar_params("+", 2, 3)
        (81, 32, 13, 12)

    References:
        Brouwer–Van Maldeghem, §3.3.1.
    """
    if sign not in ("+", "-") or m < 2 or not is_prime_power(q):
        return None
    e = 1 if sign == "+" else -1
    v = q ** (2 * m)
    k = (q**m - e) * (q ** (m - 1) + e)
    lam = q * (q ** (m - 1) - e) * (q ** (m - 2) + e) + q - 2
    mu = q ** (m - 1) * (q ** (m - 1) + e)
    return (v, k, lam, mu)


def affine_polar_graph(sign: str, m: int, q: int) -> StronglyRegularGraph:
    """The affine polar graph VO^±(2m, q): vectors of GF(q)^{2m}, x ~ y iff Q(x − y) = 0 (x ≠ y).

    Q is hyperbolic (``+``) or elliptic (``-``): srg(q^{2m}, (q^m ∓ 1)(q^{m−1} ± 1), q(q^{m−1} ∓ 1)(q^{m−2} ± 1)
    + q − 2, q^{m−1}(q^{m−1} ± 1)) with the upper signs for ``+``. VO⁻(4, 2) is the Clebsch graph
    srg(16, 5, 0, 2); VO⁺(4, 3) is srg(81, 32, 13, 12).

    Args:
        sign: ``+`` or ``-``.
        m: half the dimension, m ≥ 2.
        q: prime power.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph` on the vectors by base-q value.

    Example:
        >>> affine_polar_graph("-", 2, 2).params
        (16, 5, 0, 2)

    References:
        Brouwer–Van Maldeghem, §3.3.1.
    """
    params = affine_polar_params(sign, m, q)
    if params is None:
        raise ImpossibleParameters(f"VO{sign}(2m, q) needs sign + or -, m ≥ 2 and a prime power q (got m={m}, q={q})")
    f = field(q)
    vectors = affine_points(f, 2 * m)
    singular = _evaluate_form(f, _quadratic_form(sign, 2 * m, f), vectors) == 0
    index = np.zeros((len(vectors), len(vectors)), dtype=np.int64)
    for column in range(2 * m):  # key of x − y, one coordinate at a time
        x = vectors[:, column]
        index = index * q + f.sub(x[:, None], x[None, :])
    adjacent = singular[index]
    np.fill_diagonal(adjacent, False)
    return certified_srg(adjacent, f"VO{sign}({2 * m},{q})", params)


def _t2_star_lines(q: int) -> np.ndarray:
    """Lines (as point keys) of the quadrangle T₂*(O): affine lines of AG(3, q) with direction in a hyperoval O."""
    if q < 4 or q & (q - 1):
        raise ImpossibleParameters(f"T2*(O) needs q = 2^h ≥ 4 (hyperovals exist in PG(2, q) for even q; got q={q})")
    f = field(q)
    points = affine_points(f, 3)
    lines: list[np.ndarray] = []
    for u in regular_hyperoval(f):
        reps = points[points[:, int(np.flatnonzero(u)[0])] == 0]
        lines.append(np.stack([keys(f, f.add(reps, f.mul(u, s)[None, :])) for s in range(q)], axis=1))
    return np.concatenate(lines)


def hyperoval_quadrangle_graph(q: int, dual: bool = False) -> StronglyRegularGraph:
    """Collinearity graph of the generalized quadrangle T₂*(O) = GQ(q−1, q+1) (or of its dual GQ(q+1, q−1)).

    Embed PG(2, q), q = 2^h, as the plane at infinity of AG(3, q) and take the regular hyperoval O (conic plus
    nucleus). Points: the q³ affine points; lines: the affine lines whose direction lies in O. Collinearity gives
    srg(q³, (q−1)(q+2), q−2, q+2); ``dual=True`` takes the lines as vertices, adjacent when they meet:
    srg(q²(q+2), q(q+1), q, q).

    Args:
        q: a power of 2, q ≥ 4.
        dual: use the dual quadrangle.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`.

    Example:
        >>> hyperoval_quadrangle_graph(4).params
        (64, 18, 2, 6)

    References:
        R. Ahrens, G. Szekeres (1969); M. Hall Jr. (1971); Payne–Thas, §3.1.3; Brouwer–Van Maldeghem, §2.2.
    """
    import scipy.sparse as sp

    lines = _t2_star_lines(q)
    incidence = sp.csr_matrix((np.ones(lines.size, dtype=np.int64),
                               (np.repeat(np.arange(len(lines)), lines.shape[1]), lines.ravel())),
                              shape=(len(lines), q**3))
    if dual:
        meet = (incidence @ incidence.T).toarray() > 0
        np.fill_diagonal(meet, False)
        return certified_srg(meet, f"GQ({q + 1},{q - 1}) dual of T2*(O), q={q}", (q * q * (q + 2), q * (q + 1), q, q))
    collinear = (incidence.T @ incidence).toarray() > 0
    np.fill_diagonal(collinear, False)
    return certified_srg(collinear, f"GQ({q - 1},{q + 1}) = T2*(O), q={q}", (q**3, (q - 1) * (q + 2), q - 2, q + 2))


def haemers_graph(q: int) -> StronglyRegularGraph:
    """Haemers' srg(q²(q+2), q² + q − 1, q − 2, q) from the dual quadrangle GQ(q+1, q−1) of T₂*(O), q = 2^h ≥ 4.

    The q²(q+2) lines of T₂*(O) fall into q + 2 classes I_o of q² parallel lines, one per hyperoval point o, and
    each class is a coclique of the dual quadrangle's collinearity graph (srg(q²(q+2), q(q+1), q, q)). Pair the
    classes (I_0, I_1), (I_2, I_3), …; for every pair delete the edges between its two classes and, for every line
    ℓ of the pair, join the q lines of the other class that meet ℓ into a clique. The result is strongly regular
    with λ = q − 2, μ = q; q = 4 gives srg(96, 19, 2, 4), q = 8 srg(640, 71, 6, 8).

    Args:
        q: a power of 2, q ≥ 4.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph` named "Haemers(q)".

    Example:
        >>> haemers_graph(4).params
        (96, 19, 2, 4)

    References:
        A. E. Brouwer, J. H. van Lint, "Strongly regular graphs and partial geometries", in *Enumeration and
        Design* (1984), §8.A (construction due to W. H. Haemers); Brouwer–Van Maldeghem, §8.7.
    """
    import scipy.sparse as sp

    lines = _t2_star_lines(q)  # q + 2 classes of q² parallel lines, class by class
    incidence = sp.csr_matrix((np.ones(lines.size, dtype=np.int64),
                               (np.repeat(np.arange(len(lines)), lines.shape[1]), lines.ravel())),
                              shape=(len(lines), q**3))
    meet = (incidence @ incidence.T).toarray() > 0
    np.fill_diagonal(meet, False)
    size = q * q
    adjacency = meet.copy()
    for first in range(0, q + 2, 2):
        one, two = slice(first * size, (first + 1) * size), slice((first + 1) * size, (first + 2) * size)
        cross = meet[one, two].astype(np.int64)  # lines of class 1 × lines of class 2 that meet
        adjacency[one, two] = False
        adjacency[two, one] = False
        adjacency[one, one] = (cross @ cross.T) > 0  # two lines of class 1 meeting a common line of class 2
        adjacency[two, two] = (cross.T @ cross) > 0
    np.fill_diagonal(adjacency, False)
    return certified_srg(adjacency, f"Haemers({q})", (q * q * (q + 2), q * q + q - 1, q - 2, q))


def dual_polar_quadrangle_graph(kind: str, n: int, q: int) -> StronglyRegularGraph:
    """The dual of a polar space of rank 2 (a generalized quadrangle GQ(s, t)): lines as vertices, adjacent when
    they meet — the collinearity graph of GQ(t, s), srg((t+1)(st+1), t(s+1), t−1, s+1).

    The lines are read off the polar graph: in a GQ the line through collinear points x, y is {x, y} together with
    their s − 1 common neighbours. New parameters arise for U(5, q) = H(4, q²), GQ(q², q³): q = 2 gives the dual
    polar graph srg(297, 40, 7, 5) (Brouwer's table: "lines in U5(2)").

    Args:
        kind, n, q: a polar space of rank 2, as for :func:`polar_graph` (e.g. ``"u", 5, 2``).

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`.

    Example:
        >>> dual_polar_quadrangle_graph("u", 5, 2).params
        (297, 40, 7, 5)

    References:
        Payne–Thas, *Finite Generalized Quadrangles*, §1.2 (duality) and §3.2; Brouwer–Van Maldeghem, §2.2.
    """
    import scipy.sparse as sp

    points = polar_graph(kind, n, q)
    v, k, lam, mu = points.params
    s, t = lam + 1, mu - 1
    if k != s * (t + 1) or v != (s + 1) * (s * t + 1):
        raise ImpossibleParameters(f"{kind}({n},{q}) is not a generalized quadrangle (a polar space of rank 2)")
    a = points.dense().astype(bool)
    edges = np.argwhere(np.triu(a))
    on_line = a[edges[:, 0]] & a[edges[:, 1]]  # the s − 1 other points of the line through each edge
    on_line[np.arange(len(edges)), edges[:, 0]] = True
    on_line[np.arange(len(edges)), edges[:, 1]] = True
    line_array = np.unique(np.nonzero(on_line)[1].reshape(len(edges), s + 1), axis=0)
    incidence = sp.csr_matrix((np.ones(line_array.size, dtype=np.int64),
                               (np.repeat(np.arange(len(line_array)), s + 1), line_array.ravel())),
                              shape=(len(line_array), v))
    meet = (incidence @ incidence.T).toarray() > 0
    np.fill_diagonal(meet, False)
    return certified_srg(meet, f"dual of {points.name}: GQ({t},{s})",
                         ((t + 1) * (s * t + 1), t * (s + 1), t - 1, s + 1))


_NONISOTROPIC_KINDS = {"+": "O+", "-": "O-", "o": "O"}


@cache
def _nonisotropic_points(kind: str, m: int, q: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(points of PG(m−1, q), Q(x) for each, the bilinear form matrix) for the form of :func:`polar_graph`."""
    f = field(q)
    form = _quadratic_form(kind, m, f)
    points = projective_points(f, m - 1)
    return points, _evaluate_form(f, form, points), f.add(form, form.T)


def _class_sizes(kind: str, m: int, q: int) -> set[int]:
    """How many points of PG(m−1, q) have Q(x) in one square class: q^{m−1} − εq^{m/2−1} vectors take each non-zero
    value when m is even (ε = ±1), q^{m−1} ± q^{(m−1)/2} when m is odd, by the class of the value."""
    if kind == "o":
        return {(q ** (m - 1) + sign * q ** ((m - 1) // 2)) // 2 for sign in (1, -1)}
    per_value = q ** (m - 1) - (1 if kind == "+" else -1) * q ** (m // 2 - 1)
    return {per_value if q % 2 == 0 else per_value // 2}


def _square_class(q: int, value: int) -> tuple[int, ...]:
    f = field(q)
    return tuple(sorted(set(f.mul(np.flatnonzero(f.squares()), value).tolist())))


def nonisotropic_graph(kind: str, m: int, q: int, value: int, rule: str) -> StronglyRegularGraph:
    """A graph on non-singular points of a quadric: Q(x) in the square class of ``value``.

    With Q the non-degenerate quadratic form of :func:`polar_graph` (``kind`` ``+``/``-`` for even m, ``o`` for odd
    m) and B(x, y) = Q(x + y) − Q(x) − Q(y), the vertices are the points x of PG(m−1, q) with Q(x) ∈ value·(GF(q)*)²
    (well defined on projective points); two are adjacent when ``rule`` is ``"perp"`` and B(x, y) = 0, or, for odd
    q, when ``rule`` is ``"tangent"`` and the line xy is degenerate (B(x, y)² = 4Q(x)Q(y)). These include the
    graphs NO^ε(2n, 2), NO^ε(2n, 3) (perp, Q(x) = 1), NO^{ε,⊥}(2n+1, 5) (perp) and NO^ε(2n+1, q) (tangent) of
    Brouwer–van Lint §7.C–7.D, e.g. srg(126, 45, 12, 18) = NO⁻(6, 3), srg(136, 63, 30, 28) = NO⁻(8, 2),
    srg(300, 65, 10, 15) and srg(300, 104, 28, 40) on the points of O(5, 5) with Q(x) a non-square.

    Args:
        kind: ``+``, ``-`` (m even) or ``o`` (m odd).
        m: vector-space dimension.
        q: prime power (odd for ``"tangent"``).
        value: a non-zero element code; its square class selects the points.
        rule: ``"perp"`` or ``"tangent"``.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`; InputError when it is not strongly regular.

    Example:
        >>> nonisotropic_graph("-", 6, 3, 1, "perp").params
        (126, 45, 12, 18)

    References:
        A. E. Brouwer, J. H. van Lint (1984), §7.C–7.D; Brouwer–Van Maldeghem, §3.1.4 and §9.9; SageMath's
        ``NonisotropicOrthogonalPolarGraph``.
    """
    adjacency, name = _nonisotropic_adjacency(kind, m, q, value, rule)
    found = check_srg(adjacency)
    if isinstance(found, str) or found[3] in (0, found[1]):
        raise ImpossibleParameters(f"{name} is not a primitive strongly regular graph")
    return certified_srg(adjacency, name, found)


def _nonisotropic_adjacency(kind: str, m: int, q: int, value: int, rule: str) -> tuple[np.ndarray, str]:
    """The adjacency matrix (not checked) and name of :func:`nonisotropic_graph`."""
    if rule not in ("perp", "tangent") or (rule == "tangent" and q % 2 == 0) or not 0 < value < q:
        raise ImpossibleParameters(
            f"nonisotropic_graph: rule 'perp' or 'tangent' (odd q), 0 < value < q (got {rule!r}, "
            f"q={q}, value={value})")
    f = field(q)
    points, values, bilinear = _nonisotropic_points(kind, m, q)
    chosen = np.isin(values, _square_class(q, value))
    b = f.matmul(f.matmul(points[chosen], bilinear), points[chosen].T)
    if rule == "perp":
        adjacency = b == 0
    else:
        twice = f.mul(values[chosen], 2)
        adjacency = f.mul(twice[:, None], twice[None, :]) == f.mul(b, b)
    np.fill_diagonal(adjacency, False)
    return adjacency, f"NO{'' if kind == 'o' else kind}({m},{q}) Q∈{list(_square_class(q, value))} {rule}"


@cache
def nonisotropic_srgs(v: int) -> tuple[tuple[Params, str, int, int, int, str], ...]:
    """The primitive strongly regular :func:`nonisotropic_graph` s on v vertices (v ≤ 2000): (params, kind, m, q,
    value, rule), one per parameter set, for q ≤ 13 and m ≥ 5 (smaller spaces give the triangular, Petersen-like and
    other graphs the catalog builds anyway). Point counts come from the quadric alone; for matching point sets the
    adjacency matrix is formed and its parameters read from row 0 of A² (:func:`~gcli.structures.row_srg_params`,
    O(v²)): that decides strong regularity here because the graph is vertex-transitive — the orthogonal group of Q
    preserves Q, B and both adjacency rules, and by Witt's theorem it is transitive on the points whose Q lies in
    one square class (scale y so that Q(y) = Q(x); the isometry ⟨x⟩ → ⟨y⟩ extends), so an automorphism carries
    row 0 of A and A² to any other row. Nothing is certified here: :func:`nonisotropic_graph` checks the whole
    identity when the graph is built.

    Example:
        >>> [p for p, *_ in nonisotropic_srgs(300)]
        [(300, 65, 10, 15), (300, 104, 28, 40)]
    """
    if v > 2000:
        return ()
    out: dict[Params, tuple[Params, str, int, int, int, str]] = {}
    for q in range(2, min(v, 14)):
        if not is_prime_power(q):
            continue
        for kind, dims in (("+", range(6, 12, 2)), ("-", range(6, 12, 2)), ("o", range(5, 12, 2))):
            for m in dims:
                if kind == "o" and q % 2 == 0:
                    continue
                if (q**m - 1) // (q - 1) > 4 * v:
                    break
                if v not in _class_sizes(kind, m, q):
                    continue
                _, values, _ = _nonisotropic_points(kind, m, q)
                seen: set[tuple[int, ...]] = set()
                for value in range(1, q):
                    square_class = _square_class(q, value)
                    if square_class in seen:
                        continue
                    seen.add(square_class)
                    if int(np.isin(values, square_class).sum()) != v:
                        continue
                    for rule in ("perp", "tangent") if q % 2 else ("perp",):
                        found = row_srg_params(_nonisotropic_adjacency(kind, m, q, value, rule)[0])
                        if found is not None and found[3] not in (0, found[1]):
                            out.setdefault(found, (found, kind, m, q, value, rule))
    return tuple(out[p] for p in sorted(out))
