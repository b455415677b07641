"""Named strongly regular graphs: Petersen, Clebsch, Shrikhande, Schläfli, Chang, Hoffman–Singleton, Gewirtz,
M22 and Higman–Sims (the last three from the Steiner system S(3, 6, 22) in the binary Golay code).

References (for the whole module): A. E. Brouwer, H. Van Maldeghem, *Strongly Regular Graphs*, CUP 2022, ch. 10;
F. J. MacWilliams, N. J. A. Sloane, *The Theory of Error-Correcting Codes*, North-Holland 1977, ch. 20.
"""

from __future__ import annotations

import itertools
from functools import cache

import numpy as np

from gcli.errors import ImpossibleParameters
from gcli.structures import StronglyRegularGraph, certified_srg

from .._geometry import all_vectors
from .combinatorial_graphs import complement, triangular_graph
from .polar_graphs import affine_polar_graph, polar_graph

__all__ = [
    "chang_graph",
    "clebsch_graph",
    "gewirtz_graph",
    "higman_sims_graph",
    "hoffman_singleton_graph",
    "m22_graph",
    "petersen_graph",
    "schlafli_graph",
    "shrikhande_graph",
]


def petersen_graph() -> StronglyRegularGraph:
    """The Petersen graph srg(10, 3, 0, 1): the Kneser graph K(5, 2), complement of T(5).

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`.

    Example:
        >>> petersen_graph().params
        (10, 3, 0, 1)

    References:
        J. Petersen (1898); Brouwer–Van Maldeghem, §10.1.
    """
    return complement(triangular_graph(5)).renamed("Petersen graph")


def clebsch_graph() -> StronglyRegularGraph:
    """The Clebsch graph srg(16, 5, 0, 2) (folded 5-cube), built as the affine polar graph VO⁻(4, 2).

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`.

    Example:
        >>> clebsch_graph().params
        (16, 5, 0, 2)

    References:
        Brouwer–Van Maldeghem, §10.7.
    """
    return affine_polar_graph("-", 2, 2).renamed("Clebsch graph")


def shrikhande_graph() -> StronglyRegularGraph:
    """The Shrikhande graph srg(16, 6, 2, 2): Cayley graph on Z_4 × Z_4 with connection set ±(1,0), ±(0,1), ±(1,1).

    Same parameters as L2(4) but not isomorphic to it. Vertex (a, b) has index 4a + b.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`.

    Example:
        >>> shrikhande_graph().params
        (16, 6, 2, 2)

    References:
        S. S. Shrikhande, "The uniqueness of the L2 association scheme", Ann. Math. Stat. 30 (1959).
    """
    connection = {(1, 0), (3, 0), (0, 1), (0, 3), (1, 1), (3, 3)}
    cells = [(a, b) for a in range(4) for b in range(4)]
    adjacent = [[((c[0] - d[0]) % 4, (c[1] - d[1]) % 4) in connection for d in cells] for c in cells]
    return certified_srg(adjacent, "Shrikhande graph", (16, 6, 2, 2))


def schlafli_graph() -> StronglyRegularGraph:
    """The Schläfli graph srg(27, 16, 10, 8): complement of the collinearity graph of GQ(2, 4) = O⁻(6, 2).

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`.

    Example:
        >>> schlafli_graph().params
        (27, 16, 10, 8)

    References:
        Brouwer–Van Maldeghem, §10.10.
    """
    return complement(polar_graph("o-", 6, 2)).renamed("Schläfli graph")


def chang_graph(which: int = 1) -> StronglyRegularGraph:
    """The three Chang graphs srg(28, 12, 6, 4): Seidel switchings of T(8).

    T(8) has the edges of K_8 as vertices; switch with respect to the vertex set given by 4 disjoint edges
    (``which=1``), an 8-cycle (``which=2``) or a 3-cycle plus a disjoint 5-cycle (``which=3``) of K_8.

    Args:
        which: 1, 2 or 3.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`.

    Example:
        >>> chang_graph(2).params
        (28, 12, 6, 4)

    References:
        L. C. Chang, Sci. Record 4 (1960); Brouwer–Van Maldeghem, §10.6.
    """
    switch_edges = {
        1: [(0, 1), (2, 3), (4, 5), (6, 7)],
        2: [(i, (i + 1) % 8) for i in range(8)],
        3: [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (5, 6), (6, 7), (3, 7)],
    }
    if which not in switch_edges:
        raise ImpossibleParameters(f"Chang graph number must be 1, 2 or 3 (got {which})")
    chosen_edges = {tuple(sorted(x)) for x in switch_edges[which]}
    chosen = np.array([pair in chosen_edges for pair in itertools.combinations(range(8), 2)])
    switched = triangular_graph(8).dense().astype(bool) ^ (chosen[:, None] ^ chosen[None, :])
    np.fill_diagonal(switched, False)
    return certified_srg(switched, f"Chang graph {which}", (28, 12, 6, 4))


def hoffman_singleton_graph() -> StronglyRegularGraph:
    """The Hoffman–Singleton graph srg(50, 7, 0, 1) by Robertson's pentagons and pentagrams.

    Pentagons P_h (h ∈ Z_5) with j ~ j ± 1 and pentagrams Q_i with j ~ j ± 2; vertex j of P_h is joined to vertex
    h·i + j of Q_i. P_h vertex j has index 5h + j, Q_i vertex j index 25 + 5i + j.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`.

    Example:
        >>> hoffman_singleton_graph().params
        (50, 7, 0, 1)

    References:
        A. J. Hoffman, R. R. Singleton, IBM J. Res. Dev. 4 (1960); G. Robertson (1969), as described in
        Brouwer–Van Maldeghem, §10.19.
    """
    a = np.zeros((50, 50), dtype=np.int8)
    for h in range(5):
        for j in range(5):
            p, qv = 5 * h + j, 25 + 5 * h + j
            a[p, 5 * h + (j + 1) % 5] = a[5 * h + (j + 1) % 5, p] = 1
            a[qv, 25 + 5 * h + (j + 2) % 5] = a[25 + 5 * h + (j + 2) % 5, qv] = 1
            for i in range(5):
                other = 25 + 5 * i + (h * i + j) % 5
                a[p, other] = a[other, p] = 1
    return certified_srg(a, "Hoffman–Singleton graph", (50, 7, 0, 1))


@cache
def _golay_octads() -> tuple[tuple[int, ...], ...]:
    """The 759 octads (weight-8 words) of the extended binary Golay code, as sorted 8-subsets of 0..23."""
    g = [1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 1, 1]  # x^11 + x^10 + x^6 + x^5 + x^4 + x^2 + 1, low degree first
    gen = np.zeros((12, 24), dtype=np.int64)
    for row in range(12):
        gen[row, row : row + 12] = g
        gen[row, 23] = sum(g) % 2
    words = (all_vectors(2, 12) @ gen) % 2
    octads = [tuple(np.flatnonzero(w).tolist()) for w in words if w.sum() == 8]
    if len(octads) != 759:
        raise RuntimeError(f"Golay code has {len(octads)} octads, expected 759")
    return tuple(octads)


def _hexads() -> list[frozenset[int]]:
    """The 77 blocks of S(3, 6, 22): octads through points 22 and 23, minus those two points."""
    return [frozenset(o) - {22, 23} for o in _golay_octads() if 22 in o and 23 in o]


def _disjointness(blocks: list[frozenset[int]]) -> np.ndarray:
    return np.array([[not (x & y) for y in blocks] for x in blocks])


def m22_graph() -> StronglyRegularGraph:
    """The M22 graph srg(77, 16, 0, 4): the 77 hexads of S(3, 6, 22), adjacent when disjoint.

    S(3, 6, 22) is derived twice from the octads of the extended binary Golay code (cyclic generator
    x¹¹ + x¹⁰ + x⁶ + x⁵ + x⁴ + x² + 1, extended by parity).

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`.

    Example:
        >>> m22_graph().params
        (77, 16, 0, 4)

    References:
        Brouwer–Van Maldeghem, §10.51; MacWilliams–Sloane, ch. 20.
    """
    return certified_srg(_disjointness(_hexads()), "M22 graph", (77, 16, 0, 4))


def gewirtz_graph() -> StronglyRegularGraph:
    """The Sims–Gewirtz graph srg(56, 10, 0, 2): hexads of S(3,6,22) missing a point; disjoint ones adjacent.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`.

    Example:
        >>> gewirtz_graph().params
        (56, 10, 0, 2)

    References:
        A. Gewirtz, "Graphs with maximal even girth", Canad. J. Math. 21 (1969); Brouwer–Van Maldeghem, §10.42.
    """
    return certified_srg(_disjointness([h for h in _hexads() if 0 not in h]), "Gewirtz graph", (56, 10, 0, 2))


def higman_sims_graph() -> StronglyRegularGraph:
    """The Higman–Sims graph srg(100, 22, 0, 6): ∞, the 22 points and the 77 hexads of S(3, 6, 22).

    ∞ is joined to every point, a point to the hexads containing it, and two hexads when they are disjoint.
    Vertex 0 is ∞, 1..22 the points, 23..99 the hexads.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`.

    Example:
        >>> higman_sims_graph().params
        (100, 22, 0, 6)

    References:
        D. G. Higman, C. C. Sims, Math. Z. 105 (1968); Brouwer–Van Maldeghem, §10.56.
    """
    hexads = _hexads()
    a = np.zeros((100, 100), dtype=np.int8)
    a[0, 1:23] = a[1:23, 0] = 1
    for h, block in enumerate(hexads):
        for p in block:
            a[1 + p, 23 + h] = a[23 + h, 1 + p] = 1
    a[23:, 23:] = _disjointness(hexads)
    return certified_srg(a, "Higman–Sims graph", (100, 22, 0, 6))
