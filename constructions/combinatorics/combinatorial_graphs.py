"""Strongly regular graphs from combinatorial objects: triangular graphs, Latin squares, Steiner block graphs.

Also the complement of any SRG. The mutually orthogonal Latin squares come from :mod:`.latin_squares`.

References (for the whole module): A. E. Brouwer, H. Van Maldeghem, *Strongly Regular Graphs*, CUP 2022, §1.1
and §8.1–8.4; C. J. Colbourn, J. H. Dinitz (eds.), *Handbook of Combinatorial Designs*, 2nd ed., §III.3.
"""

from __future__ import annotations

import itertools
import math
from functools import cache

import numpy as np

from gcli.errors import ImpossibleParameters
from gcli.structures import BlockDesign, Params, StronglyRegularGraph, certified_srg, check_srg, srg_complement_params
from gcli.structures.graphs import row_srg_params

from .latin_squares import mols

__all__ = ["complement", "flag_graph", "johnson_merge_graph", "johnson_srgs", "latin_square_graph", "lattice_graph",
           "mathon_rosa_graph", "steiner_block_graph", "switched_latin_square_graph", "triangular_graph"]


def complement(graph: StronglyRegularGraph) -> StronglyRegularGraph:
    """The complement of an srg(v, k, λ, μ): srg(v, v−k−1, v−2k+μ−2, v−2k+λ).

    Args:
        graph: a certified SRG.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph` named "complement of …".

    Example:
        >>> complement(triangular_graph(5)).params
        (10, 3, 0, 1)

    References:
        Brouwer–Van Maldeghem, §1.1.
    """
    dense = graph.dense() == 0
    np.fill_diagonal(dense, False)
    return certified_srg(dense, f"complement of {graph.name}", srg_complement_params(graph.params))


def triangular_graph(n: int) -> StronglyRegularGraph:
    """The triangular graph T(n) = J(n, 2) = line graph of K_n: 2-subsets, adjacent when they meet.

    srg(n(n−1)/2, 2(n−2), n−2, 4) for n ≥ 4. Vertices are the 2-subsets in lexicographic order.

    Args:
        n: n ≥ 4.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph` named "T(n)".

    Example:
        >>> triangular_graph(8).params
        (28, 12, 6, 4)

    References:
        Brouwer–Van Maldeghem, §1.1.7; networkx ``line_graph(complete_graph(n))`` is the same graph.
    """
    if n < 4:
        raise ImpossibleParameters(f"T(n) is strongly regular for n ≥ 4 (got n={n})")
    pairs = np.array(list(itertools.combinations(range(n), 2)))
    a, b = pairs[:, 0], pairs[:, 1]
    meet = ((a[:, None] == a[None, :]) | (a[:, None] == b[None, :]) | (b[:, None] == a[None, :])
            | (b[:, None] == b[None, :]))
    np.fill_diagonal(meet, False)
    return certified_srg(meet, f"T({n})", (n * (n - 1) // 2, 2 * (n - 2), n - 2, 4))


def latin_square_graph(r: int, n: int) -> StronglyRegularGraph:
    """The Latin square graph LS_r(n) from r − 2 mutually orthogonal Latin squares of order n.

    Vertices are the n² cells (i, j) (index i·n + j); two cells are adjacent when they share a row, a column, or a
    symbol in one of the squares: srg(n², r(n−1), n − 2 + (r−1)(r−2), r(r−1)). r = 2 is the lattice graph L2(n).
    The squares come from :func:`~gcli.constructions.combinatorics.latin_squares.mols`: L_a(i, j) = a·i + j over
    GF(n) for a prime power n (up to n − 1 squares), two squares of order 10 from a quasi-difference matrix, and
    direct products (e.g. two squares of order 12 = 3·4); r = 3 always (the cyclic square i + j mod n).

    Args:
        r: 2 ≤ r ≤ :func:`~gcli.constructions.combinatorics.latin_squares.max_mols` (n) + 2 (r − 2 squares).
        n: order.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph` named "L2(n)" or "LS_r(n)".

    Example:
        >>> latin_square_graph(3, 4).params
        (16, 9, 4, 6)

    References:
        Brouwer–Van Maldeghem, §8.4 (nets, Latin square graphs); Handbook of Combinatorial Designs, §III.3.
    """
    if n < 2 or r < 2 or r > n:
        raise ImpossibleParameters(f"LS_r(n) needs 2 ≤ r ≤ n (got r={r}, n={n})")
    rows, cols = np.divmod(np.arange(n * n), n)
    labels = [rows, cols]
    if r > 2:
        labels += [square.ravel() for square in mols(n, r - 2)]
    adjacent = np.zeros((n * n, n * n), dtype=bool)
    for label in labels:
        adjacent |= label[:, None] == label[None, :]
    np.fill_diagonal(adjacent, False)
    name = f"L2({n})" if r == 2 else f"LS_{r}({n})"
    return certified_srg(adjacent, name, (n * n, r * (n - 1), n - 2 + (r - 1) * (r - 2), r * (r - 1)))


def lattice_graph(n: int) -> StronglyRegularGraph:
    """The lattice (rook's) graph L2(n) = K_n □ K_n: srg(n², 2(n−1), n−2, 2).

    Args:
        n: n ≥ 2.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`.

    Example:
        >>> lattice_graph(4).params
        (16, 6, 2, 2)

    References:
        Brouwer–Van Maldeghem, §1.1.8; networkx ``cartesian_product(complete_graph(n), complete_graph(n))``.
    """
    return latin_square_graph(2, n)


def steiner_block_graph(design: BlockDesign) -> StronglyRegularGraph:
    """Block graph of a Steiner system S(2, k, v) (a 2-(v, k, 1) design): blocks adjacent when they meet.

    With r = (v−1)/(k−1) and b = v(v−1)/(k(k−1)): srg(b, k(r−1), r − 2 + (k−1)², k²) when the graph is neither
    complete nor empty. E.g. STS(13) gives srg(26, 15, 8, 9), STS(19) gives srg(57, 24, 11, 9).

    Args:
        design: a certified 2-(v, k, 1) design (for example from the catalog's ``bibd(v, k)``).

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph` named "block graph of …".

    Example:
        >>> from gcli.constructions.combinatorics import steiner_triple_system
        >>> steiner_block_graph(steiner_triple_system(13)).params
        (26, 15, 8, 9)

    References:
        Brouwer–Van Maldeghem, §8.1 (block graphs of Steiner systems).
    """
    v, k = design.v, design.k
    if design.lam != 1:
        raise ImpossibleParameters(
            f"block graphs are strongly regular for Steiner systems (λ = 1), not λ = {design.lam}")
    r = design.r
    if k * (r - 1) >= design.b - 1:
        raise ImpossibleParameters(f"the block graph of S(2,{k},{v}) is complete (any two blocks meet), not an srg")
    n = design.incidence().T.tocsr()
    meet = (n @ n.T).toarray() > 0
    np.fill_diagonal(meet, False)
    expected = (design.b, k * (r - 1), r - 2 + (k - 1) ** 2, k * k)
    return certified_srg(meet, f"block graph of {design.name}", expected)


def _subset_meets(n: int, k: int) -> np.ndarray:
    subsets = np.zeros((0, n), dtype=np.int64)
    rows = [np.isin(np.arange(n), c) for c in itertools.combinations(range(n), k)]
    if rows:
        subsets = np.array(rows, dtype=np.int64)
    return subsets @ subsets.T


def johnson_merge_graph(n: int, k: int, intersections: tuple[int, ...]) -> StronglyRegularGraph:
    """k-subsets of n points, adjacent when they meet in one of the given sizes (a merging of the Johnson scheme).

    Vertices are the k-subsets in lexicographic order. Strongly regular for some choices, e.g. sizes {0, 3} of
    J(9, 4) (srg(126, 25, 8, 4), Mathon, Buekenhout–Hubaut) or size 1 of J(10, 3) (srg(120, 63, 30, 36));
    :func:`johnson_srgs` lists them.

    Args:
        n: points.
        k: subset size, 2 ≤ k ≤ n/2.
        intersections: the sizes |A ∩ B| < k that make A ~ B.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`; InputError when it is not strongly regular.

    Example:
        >>> johnson_merge_graph(9, 4, (0, 3)).params
        (126, 25, 8, 4)

    References:
        Brouwer–Van Maldeghem, §1.1.7 and the table of SRGs (v = 120, 126); R. Mathon, A. Rosa, "A new strongly
        regular graph", J. Combin. Theory A 38 (1985).
    """
    if not 2 <= k <= n // 2 or not intersections or any(not 0 <= x < k for x in intersections):
        raise ImpossibleParameters(f"johnson_merge_graph needs 2 ≤ k ≤ n/2 and sizes in 0..k−1 (got n={n}, k={k}, "
                                   f"{intersections})")
    adjacency = np.isin(_subset_meets(n, k), intersections)
    np.fill_diagonal(adjacency, False)
    found = check_srg(adjacency)
    if isinstance(found, str):
        raise ImpossibleParameters(f"the k-subsets of {n} points meeting in {sorted(intersections)} do not form an srg")
    sizes = "/".join(map(str, sorted(intersections)))
    return certified_srg(adjacency, f"J({n},{k}) meeting in {sizes}", found)


@cache
def johnson_srgs(v: int) -> tuple[tuple[Params, int, int, tuple[int, ...]], ...]:
    """Strongly regular merged Johnson graphs on v = C(n, k) vertices, 3 ≤ k ≤ n/2: (params, n, k, sizes).

    Every non-empty proper set of intersection sizes is tried (v ≤ 600; complements are left to the catalog).

    Example:
        >>> [p for p, *_ in johnson_srgs(126)]
        [(126, 25, 8, 4)]
    """
    out: list[tuple[Params, int, int, tuple[int, ...]]] = []
    if v > 600:
        return ()
    for k in range(3, 12):
        for n in range(2 * k, v + 1):
            size = math.comb(n, k)
            if size > v:
                break
            if size != v:
                continue
            meets = _subset_meets(n, k)
            seen: set[Params] = set()
            for count in range(1, k):
                for sizes in itertools.combinations(range(k), count):
                    adjacency = np.isin(meets, sizes)
                    np.fill_diagonal(adjacency, False)
                    row = row_srg_params(adjacency)  # a union of Johnson classes: row 0 decides (O(v²))
                    if (row is None or row[3] in (0, row[1]) or row in seen
                            or srg_complement_params(row) in seen):
                        continue
                    found = check_srg(adjacency)
                    if found != row:  # cannot happen in an association scheme: a bug
                        raise RuntimeError(f"J({n},{k}) meeting in {sizes}: row test {row}, check {found}")
                    seen.add(found)
                    out.append((found, n, k, sizes))
    return tuple(out)


def mathon_rosa_graph() -> StronglyRegularGraph:
    """srg(280, 117, 44, 52): partitions of 9 points into three triples, adjacent unless their 9 cross-intersections
    P_i ∩ P'_j have exactly 7 non-empty sets.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`.

    Example:
        >>> mathon_rosa_graph().params
        (280, 117, 44, 52)

    References:
        R. Mathon, A. Rosa, "A new strongly regular graph", J. Combin. Theory A 38 (1985).
    """
    partitions = []
    for first in itertools.combinations(range(1, 9), 2):
        rest = [x for x in range(1, 9) if x not in first]
        for second in itertools.combinations(rest[1:], 2):
            third = [x for x in rest[1:] if x not in second]
            partitions.append(((0, *first), (rest[0], *second), tuple(third)))
    label = np.zeros((len(partitions), 9), dtype=np.int64)  # which triple each point is in
    for index, parts in enumerate(partitions):
        for part, triple in enumerate(parts):
            label[index, list(triple)] = part
    pairs = label[:, None, :] * 3 + label[None, :, :]  # the cell (i, j) of every point, for every two partitions
    cells = np.zeros((len(partitions), len(partitions)), dtype=np.int64)
    for cell in range(9):
        cells += (pairs == cell).any(axis=2)
    adjacency = cells != 7
    np.fill_diagonal(adjacency, False)
    return certified_srg(adjacency, "Mathon–Rosa graph", (280, 117, 44, 52))


def switched_latin_square_graph(c: int, n: int) -> StronglyRegularGraph:
    """A switched OA graph srg(n² + 1, cn, c² − 1, c²) for n = 2c + 1: Seidel switching of LS_{c+1}(n) plus a vertex.

    Take c mutually orthogonal Latin squares of order n (:func:`~gcli.constructions.combinatorics.latin_squares.
    mols`); the cells with their rows, columns and the first c − 1 squares give LS_{c+1}(n), and the last square's
    symbols split the cells into n classes of n pairwise non-adjacent cells (a resolution). Add an isolated vertex
    and switch with respect to the cells whose symbol in the last square is below c (c classes): every adjacency
    between that set and the rest is reversed. For n = 11, 13, 17 this gives srg(122, 55, 24, 25),
    srg(170, 78, 35, 36), srg(290, 136, 63, 64) (Brouwer's table: "switch OA(n, c+1)+*").

    Args:
        c: number of classes switched, c = (n − 1)/2.
        n: order with at least c MOLS.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph` (the added vertex is the last one).

    Example:
        >>> switched_latin_square_graph(5, 11).params
        (122, 55, 24, 25)

    References:
        A. E. Brouwer's table of SRGs (switched OA graphs); SageMath's ``is_switch_OA_srg``; J. J. Seidel, "Strongly
        regular graphs with (−1, 1, 0) adjacency matrix having eigenvalue 3", Linear Algebra Appl. 1 (1968)
        (switching).
    """
    if n != 2 * c + 1 or c < 2:
        raise ImpossibleParameters(f"switched OA graphs need n = 2c + 1 and c ≥ 2 (got c={c}, n={n})")
    rows, cols = np.divmod(np.arange(n * n), n)
    squares = mols(n, c)
    adjacency = np.zeros((n * n + 1, n * n + 1), dtype=bool)
    for label in [rows, cols, *(square.ravel() for square in squares[: c - 1])]:
        adjacency[: n * n, : n * n] |= label[:, None] == label[None, :]
    np.fill_diagonal(adjacency, False)
    switched = np.zeros(n * n + 1, dtype=bool)
    switched[: n * n] = squares[c - 1].ravel() < c
    adjacency ^= switched[:, None] != switched[None, :]
    v = n * n + 1
    return certified_srg(adjacency, f"switched LS_{c + 1}({n}) plus a vertex", (v, c * n, c * c - 1, c * c))


def flag_graph(design: BlockDesign) -> StronglyRegularGraph:
    """Flags (p, L) of a projective plane, adjacent when p ∈ L' or p' ∈ L with p ≠ p', L ≠ L'.

    For PG(2, 4) (21 points, 105 flags) this is srg(105, 32, 4, 12), the graph of Aut L(3, 4) on flags
    (Goethals–Seidel; unique by Coolsaet). Flags are ordered by point, then line.

    Args:
        design: a certified projective plane (a symmetric 2-(q²+q+1, q+1, 1) design).

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`; InputError when the graph is not strongly
        regular (it is for PG(2, 4)).

    Example:
        >>> from gcli.constructions.combinatorics import singer_difference_set
        >>> flag_graph(singer_difference_set(4)).params
        (105, 32, 4, 12)

    References:
        J.-M. Goethals, J. J. Seidel, "Strongly regular graphs derived from combinatorial designs", Canad. J. Math.
        22 (1970), Theorem 2.7; K. Coolsaet, "The uniqueness of the strongly regular graph srg(105, 32, 4, 12)",
        Bull. Belg. Math. Soc. 12 (2006).
    """
    if design.lam != 1 or design.b != design.v:
        raise ImpossibleParameters("flag graphs are built from projective planes (symmetric designs with λ = 1)")
    incidence = design.incidence().toarray().astype(bool)
    flags = np.argwhere(incidence)
    point, line = flags[:, 0], flags[:, 1]
    adjacency = ((incidence[point[:, None], line[None, :]] | incidence[point[None, :], line[:, None]])
                 & (point[:, None] != point[None, :]) & (line[:, None] != line[None, :]))
    found = check_srg(adjacency)
    if isinstance(found, str):
        raise ImpossibleParameters(f"the flag graph of {design.name} is not strongly regular")
    return certified_srg(adjacency, f"flags of {design.name}", found)
