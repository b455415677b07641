"""Strongly regular graphs beyond v = 100 from the Golay codes, the Witt designs and the Hoffman–Singleton graph.

* the Witt design S(4, 7, 23) (the octads of the extended binary Golay code through one point): its blocks meeting
  in 1 point, srg(253, 112, 36, 60); the blocks missing one point meeting in 3 points (a quasi-symmetric
  2-(22, 7, 16) design), srg(176, 105, 68, 54); the blocks missing two points meeting in 3 points (2-(21, 7, 12)),
  srg(120, 77, 52, 44); and the McLaughlin graph srg(275, 112, 30, 56) on its 22 + 253 points and blocks, with its
  second subconstituent srg(162, 56, 10, 24);
* the 231 pairs of points of S(3, 6, 22), adjacent when disjoint inside a common block: the Cameron graph
  srg(231, 30, 9, 3);
* the ternary Golay code: its dual [11, 5] code has weights 6 and 9 only, so its 243 words at distance 9 form
  srg(243, 110, 37, 60) (Delsarte) and the Cayley graph on GF(3)⁵ whose connection set is ± the columns of a
  generator matrix of that code is the Berlekamp–van Lint–Seidel graph srg(243, 22, 1, 2);
* the Hoffman–Singleton graph: its 175 edges, adjacent when at distance 2 in the line graph, give
  srg(175, 72, 20, 36) (Haemers); the 126 edges missing the closed neighbourhood of a vertex induce the Goethals
  graph srg(126, 50, 13, 24).

References (for the whole module): A. E. Brouwer, J. H. van Lint, "Strongly regular graphs and partial
geometries", in *Enumeration and Design* (1984), §10.B; A. E. Brouwer, H. Van Maldeghem, *Strongly Regular
Graphs*, CUP 2022, ch. 10; E. R. Berlekamp, J. H. van Lint, J. J. Seidel, "A strongly regular graph derived from
the perfect ternary Golay code", in *A Survey of Combinatorial Theory* (1973); J.-M. Goethals, J. J. Seidel, "The
regular two-graph on 276 vertices", Discrete Math. 12 (1975).

Example:
    >>> witt_graph(253).params, ternary_golay_graph("bvls").params
    ((253, 112, 36, 60), (243, 22, 1, 2))
"""

from __future__ import annotations

import itertools
from functools import cache

import numpy as np

from gcli.errors import ImpossibleParameters
from gcli.structures import StronglyRegularGraph, certified_srg

from .._geometry import all_vectors
from .sporadic_graphs import _golay_octads, _hexads, hoffman_singleton_graph

__all__ = ["WITT_GRAPHS", "cameron_graph", "goethals_graph", "hoffman_singleton_edge_graph", "mclaughlin_graph",
           "mclaughlin_subconstituent", "ternary_golay_graph", "witt_graph"]


@cache
def _witt_23() -> np.ndarray:
    """The 253 blocks of S(4, 7, 23) on the points 0..22: the octads through point 23, without it (253 × 7)."""
    return np.array([o[:-1] for o in _golay_octads() if o[-1] == 23], dtype=np.int64)


def _meets(blocks: np.ndarray, points: int) -> np.ndarray:
    """|B ∩ B'| for every pair of blocks (a b × b integer matrix)."""
    incidence = np.zeros((len(blocks), points), dtype=np.int64)
    np.put_along_axis(incidence, blocks, 1, axis=1)
    return incidence @ incidence.T


WITT_GRAPHS: dict[int, tuple[int, int, tuple[int, int, int, int]]] = {
    253: (0, 1, (253, 112, 36, 60)),
    176: (1, 3, (176, 105, 68, 54)),
    120: (2, 3, (120, 77, 52, 44)),
}
"""v → (points removed from S(4,7,23), intersection size of adjacent blocks, parameters)."""


def witt_graph(v: int) -> StronglyRegularGraph:
    """A block-intersection graph of the Witt design S(4, 7, 23) (module docstring): v ∈ {253, 176, 120}.

    The blocks missing the last 0, 1 or 2 points (253, 176 or 120 of them) are adjacent when they meet in 1, 3 or 3
    points.

    Args:
        v: 253, 176 or 120.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`.

    Example:
        >>> witt_graph(120).params
        (120, 77, 52, 44)

    References:
        Brouwer–van Lint (1984), §10.B; Brouwer–Van Maldeghem, §10.61 (W23), §10.54, §10.36.
    """
    if v not in WITT_GRAPHS:
        raise ImpossibleParameters(f"the Witt design graphs have 253, 176 or 120 vertices (got {v})")
    removed, meet, params = WITT_GRAPHS[v]
    blocks = _witt_23()
    blocks = blocks[~np.isin(blocks, np.arange(23 - removed, 23)).any(axis=1)]
    adjacency = _meets(blocks, 23) == meet
    np.fill_diagonal(adjacency, False)
    missing = {0: "", 1: " missing a point", 2: " missing two points"}[removed]
    return certified_srg(adjacency, f"S(4,7,23) blocks{missing} meeting in {meet}", params)


def mclaughlin_graph() -> StronglyRegularGraph:
    """The McLaughlin graph srg(275, 112, 30, 56) from S(4, 7, 23).

    With a point ∞ of S(4, 7, 23) set apart: vertices are the 22 other points (0..21) and the 253 blocks (22..274).
    A point is joined to the blocks through ∞ that miss it and to the blocks not through ∞ that contain it; two
    blocks are joined when both or neither pass through ∞ and they meet in 1 point, or exactly one does and they
    meet in 3 points.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`.

    Example:
        >>> mclaughlin_graph().k
        112

    References:
        J. McLaughlin (1969); A. E. Brouwer's description, as implemented in SageMath's ``McLaughlinGraph``;
        Brouwer–Van Maldeghem, §10.67.
    """
    blocks = _witt_23()
    infinity = 22
    through = np.isin(blocks, [infinity]).any(axis=1)
    incidence = np.zeros((253, 22), dtype=bool)
    for column in range(7):
        inside = blocks[:, column] != infinity
        incidence[np.flatnonzero(inside), blocks[inside, column]] = True
    meets = _meets(blocks, 23)
    same = through[:, None] == through[None, :]
    block_edges = np.where(same, meets == 1, meets == 3)
    np.fill_diagonal(block_edges, False)
    point_block = np.where(through[:, None], ~incidence, incidence)  # 253 × 22
    a = np.zeros((275, 275), dtype=bool)
    a[22:, 22:] = block_edges
    a[22:, :22] = point_block
    a[:22, 22:] = point_block.T
    return certified_srg(a, "McLaughlin graph", (275, 112, 30, 56))


def mclaughlin_subconstituent() -> StronglyRegularGraph:
    """srg(162, 56, 10, 24): the McLaughlin graph induced on the 162 vertices not adjacent to a fixed vertex.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`.

    Example:
        >>> mclaughlin_subconstituent().params
        (162, 56, 10, 24)

    References:
        Brouwer–Van Maldeghem, §10.48 (second subconstituent of McL).
    """
    a = mclaughlin_graph().dense()
    keep = np.flatnonzero(a[0] == 0)[1:]  # not adjacent to vertex 0, vertex 0 itself excluded
    return certified_srg(a[np.ix_(keep, keep)], "second subconstituent of the McLaughlin graph", (162, 56, 10, 24))


@cache
def _golay_dual_words() -> np.ndarray:
    """The 243 words of the [11, 5] dual of the ternary Golay code (generator x⁵ + x⁴ − x³ + x² − 1)."""
    g = [2, 0, 1, 2, 1, 1]  # −1 + x² − x³ + x⁴ + x⁵ over GF(3), low degree first
    generator = np.zeros((6, 11), dtype=np.int64)
    for row in range(6):
        generator[row, row : row + 6] = g
    words = all_vectors(3, 11)
    dual = words[~((words @ generator.T) % 3).any(axis=1)]
    weights = set(np.count_nonzero(dual, axis=1).tolist())
    if len(dual) != 243 or weights != {0, 6, 9}:
        raise RuntimeError(f"the dual ternary Golay code has {len(dual)} words of weights {sorted(weights)}")
    return dual


def ternary_golay_graph(which: str) -> StronglyRegularGraph:
    """A graph from the [11, 5] dual ternary Golay code (weights 6 and 9; module docstring).

    ``"delsarte"``: its 243 words, adjacent at Hamming distance 9, srg(243, 110, 37, 60); ``"bvls"``: the Cayley
    graph on GF(3)⁵ with connection set {±m_j}, m_j the columns of a 5 × 11 generator matrix of the code (a
    projective two-weight code), srg(243, 22, 1, 2).

    Args:
        which: ``"delsarte"`` or ``"bvls"``.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`.

    Example:
        >>> ternary_golay_graph("delsarte").params
        (243, 110, 37, 60)

    References:
        Berlekamp–van Lint–Seidel (1973); J.-M. Goethals, J. J. Seidel (1975); R. Calderbank, W. M. Kantor, "The
        geometry of two-weight codes", Bull. LMS 18 (1986).
    """
    words = _golay_dual_words()
    if which == "delsarte":
        distance = (words[:, None, :] != words[None, :, :]).sum(axis=2)
        return certified_srg(distance == 9, "ternary Golay code words at distance 9", (243, 110, 37, 60))
    if which != "bvls":
        raise ImpossibleParameters(f"ternary_golay_graph: 'delsarte' or 'bvls' (got {which!r})")
    basis: list[np.ndarray] = []  # five independent words (rank over GF(3), by brute force on 243 words)
    for word in words[1:]:
        candidate = np.array([*basis, word])
        span = (all_vectors(3, len(candidate)) @ candidate) % 3
        if len({tuple(x) for x in span.tolist()}) == 3 ** len(candidate):
            basis.append(word)
        if len(basis) == 5:
            break
    columns = np.array(basis).T  # 11 × 5
    connection = np.concatenate([columns, (2 * columns) % 3])
    vectors = all_vectors(3, 5)
    radix = 3 ** np.arange(4, -1, -1)
    mask = np.zeros(243, dtype=bool)
    mask[connection @ radix] = True
    difference = ((vectors[:, None, :] - vectors[None, :, :]) % 3) @ radix
    return certified_srg(mask[difference], "Berlekamp–van Lint–Seidel graph", (243, 22, 1, 2))


@cache
def _hoffman_singleton_edges() -> tuple[np.ndarray, np.ndarray]:
    a = hoffman_singleton_graph().dense()
    edges = np.argwhere(np.triu(a))
    return a, edges


def _edge_graph(a: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Edges adjacent when disjoint and joined by an edge of the graph (distance 2 in the line graph)."""
    incidence = np.zeros((len(edges), len(a)), dtype=np.int64)
    incidence[np.arange(len(edges)), edges[:, 0]] = 1
    incidence[np.arange(len(edges)), edges[:, 1]] = 1
    share = (incidence @ incidence.T) > 0
    joined = (incidence @ a @ incidence.T) > 0
    return joined & ~share


def hoffman_singleton_edge_graph() -> StronglyRegularGraph:
    """srg(175, 72, 20, 36): the 175 edges of the Hoffman–Singleton graph, adjacent at line-graph distance 2.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`.

    Example:
        >>> hoffman_singleton_edge_graph().params
        (175, 72, 20, 36)

    References:
        Brouwer–van Lint (1984), §10.B(iv) (W. H. Haemers).
    """
    a, edges = _hoffman_singleton_edges()
    return certified_srg(_edge_graph(a, edges), "edges of the Hoffman–Singleton graph at distance 2",
                         (175, 72, 20, 36))


def goethals_graph() -> StronglyRegularGraph:
    """The Goethals graph srg(126, 50, 13, 24): the 126 Hoffman–Singleton edges missing N[0], as in the 175-graph.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`.

    Example:
        >>> goethals_graph().params
        (126, 50, 13, 24)

    References:
        Brouwer–van Lint (1984), §10.B(vii) (J.-M. Goethals).
    """
    a, edges = _hoffman_singleton_edges()
    outside = a[0] == 0
    outside[0] = False
    keep = outside[edges[:, 0]] & outside[edges[:, 1]]
    return certified_srg(_edge_graph(a, edges[keep]), "Goethals graph", (126, 50, 13, 24))


def cameron_graph() -> StronglyRegularGraph:
    """The Cameron graph srg(231, 30, 9, 3): pairs of the 22 points of S(3, 6, 22), adjacent when they are disjoint
    and lie in a common block (hexad).

    Vertices are the pairs in lexicographic order.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`.

    Example:
        >>> cameron_graph().params
        (231, 30, 9, 3)

    References:
        P. J. Cameron (M22 acting on pairs); Brouwer–Van Maldeghem, §10.63.
    """
    index = {pair: i for i, pair in enumerate(itertools.combinations(range(22), 2))}
    a = np.zeros((231, 231), dtype=bool)
    for hexad in _hexads():
        inside = list(itertools.combinations(sorted(hexad), 2))
        for first, second in itertools.combinations(inside, 2):
            if not set(first) & set(second):
                a[index[first], index[second]] = a[index[second], index[first]] = True
    return certified_srg(a, "Cameron graph", (231, 30, 9, 3))
