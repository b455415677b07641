"""Strongly regular graphs given by a group: Cayley graphs of non-abelian groups and unions of edge orbits.

* Jørgensen–Klin: two Cayley graphs of the group H₃ = (Z₅ × Z₅) ⋊ Z₄ of order 100 (generators x, y, z with
  x⁵ = y⁵ = z⁴ = 1, xy = yx, zxz⁻¹ = x², zyz⁻¹ = y²), srg(100, 44, 18, 20) and srg(100, 45, 20, 20);
* Gritsenko: the conference graph srg(65, 32, 15, 16) as the union of the orbits, under a permutation group of
  order 64 (two generators), of 33 edges.

The connection sets and the group data are stored in the readable form the sources give them and the graphs are
certified when built (A² = kI + λA + μ(J − I − A)).

References (for the whole module): L. K. Jørgensen, M. Klin, "Switching of edges in strongly regular graphs. I.
A family of partial difference sets on 100 vertices", Electron. J. Combin. 10 (2003), #R17; O. Gritsenko, "On
strongly regular graph with parameters (65; 32; 15; 16)", arXiv:2102.05432 (2021); A. E. Brouwer,
H. Van Maldeghem, *Strongly Regular Graphs*, CUP 2022.

Example:
    >>> jorgensen_klin_graph(45).params, gritsenko_graph().params
    ((100, 45, 20, 20), (65, 32, 15, 16))
"""

from __future__ import annotations

import numpy as np

from gcli.errors import ImpossibleParameters
from gcli.structures import StronglyRegularGraph, certified_srg

__all__ = ["JORGENSEN_KLIN_SETS", "gritsenko_graph", "jorgensen_klin_graph"]

JORGENSEN_KLIN_SETS: dict[int, tuple[str, ...]] = {
    44: ("100", "110", "130", "140", "200", "230", "240", "300", "310", "320", "400", "410", "420", "440", "041",
         "111", "221", "231", "241", "321", "331", "401", "421", "441", "002", "042", "112", "122", "142", "212",
         "232", "242", "322", "342", "033", "113", "143", "223", "303", "333", "343", "413", "433", "443"),
    45: ("120", "140", "200", "210", "201", "401", "411", "321", "002", "012", "022", "042", "303", "403", "013",
         "413", "240", "031", "102", "323", "300", "231", "132", "133", "310", "141", "142", "233", "340", "241",
         "202", "333", "410", "341", "222", "433", "430", "441", "242", "302", "312", "322", "332", "442", "143"),
}
"""Connection sets in H₃ as words "abc" = x^a y^b z^c: the sets of Δ₁ (degree 44) and Γ₃ (degree 45) of
Jørgensen–Klin's Table 8.1 (as transcribed in SageMath's ``SRG_100_44_18_20`` / ``SRG_100_45_20_20``)."""


def jorgensen_klin_graph(degree: int) -> StronglyRegularGraph:
    """A Jørgensen–Klin Cayley graph on H₃ = (Z₅ × Z₅) ⋊ Z₄: srg(100, 44, 18, 20) or srg(100, 45, 20, 20).

    The element x^a y^b z^c is (a, b, c) with (a, b, c)·(a', b', c') = (a + 2^c a', b + 2^c b', c + c') (mod 5, 5,
    4), vertex 20a + 4b + c; g ~ g·s for s in the connection set :data:`JORGENSEN_KLIN_SETS` of the degree.

    Args:
        degree: 44 or 45.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`.

    Example:
        >>> jorgensen_klin_graph(44).params
        (100, 44, 18, 20)

    References:
        Jørgensen–Klin (2003), Proposition 12 and Table 8.1.
    """
    if degree not in JORGENSEN_KLIN_SETS:
        raise ImpossibleParameters(f"the Jørgensen–Klin graphs have degree 44 or 45 (got {degree})")
    a, b, c = (x.ravel() for x in np.meshgrid(np.arange(5), np.arange(5), np.arange(4), indexing="ij"))
    scale = np.array([1, 2, 4, 3])[c]  # 2^c mod 5
    words = np.array([[int(ch) for ch in word] for word in JORGENSEN_KLIN_SETS[degree]], dtype=np.int64)
    x = (a[:, None] + scale[:, None] * words[None, :, 0]) % 5
    y = (b[:, None] + scale[:, None] * words[None, :, 1]) % 5
    z = (c[:, None] + words[None, :, 2]) % 4
    adjacency = np.zeros((100, 100), dtype=bool)
    adjacency[np.repeat(np.arange(100), len(words)), (20 * x + 4 * y + z).ravel()] = True
    params = (100, 44, 18, 20) if degree == 44 else (100, 45, 20, 20)
    return certified_srg(adjacency, f"Jørgensen–Klin srg{params}", params)


_GRITSENKO_GENERATORS = (
    "(1,17,2,18)(3,6,4,5)(7,31,8,32)(9,25,10,26)(11,14,12,13)(15,24,16,23)(19,22,20,21)(27,29,28,30)(33,35,34,36)"
    "(37,61,38,62)(39,55,40,56)(41,43,42,44)(45,53,46,54)(47,63,48,64)(49,52,50,51)(57,59,58,60)",
    "(1,20,32,6,9,27,23,13,2,19,31,5,10,28,24,14)(3,8,22,18,11,15,29,25,4,7,21,17,12,16,30,26)"
    "(33,37,52,63,41,46,60,55,34,38,51,64,42,45,59,56)(35,39,58,53,44,47,49,62,36,40,57,54,43,48,50,61)",
)
_GRITSENKO_EDGES = ((0, 1), (1, 2), (1, 6), (1, 7), (1, 9), (1, 11), (1, 14), (1, 21), (1, 24), (1, 36), (1, 38),
                    (1, 40), (1, 42), (1, 44), (1, 47), (1, 48), (1, 50), (1, 52), (1, 54), (1, 55), (1, 56),
                    (1, 58), (1, 62), (1, 63), (1, 64), (33, 35), (33, 38), (33, 46), (33, 47), (33, 49),
                    (33, 51), (33, 57), (33, 61))
"""Two permutations of 0..64 (cycle notation) and one edge from each of their 33 edge orbits: Gritsenko's
adjacency matrix reduced to orbit representatives (as in SageMath's ``GritsenkoGraph``)."""


def _permutation(cycles: str, size: int) -> np.ndarray:
    image = np.arange(size)
    for cycle in cycles.strip("()").split(")("):
        points = [int(x) for x in cycle.split(",")]
        image[points] = np.roll(points, -1)
    return image


def gritsenko_graph() -> StronglyRegularGraph:
    """Gritsenko's conference graph srg(65, 32, 15, 16): the union of the edge orbits of 33 edges under a group.

    The group is generated by two permutations of the 65 vertices (orders 4 and 16, fixing vertex 0); the edge
    set is the closure of the 33 representatives under both generators.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`.

    Example:
        >>> gritsenko_graph().k
        32

    References:
        Gritsenko (2021); Brouwer–Van Maldeghem, table of SRGs (v = 65).
    """
    generators = [_permutation(g, 65) for g in _GRITSENKO_GENERATORS]
    adjacency = np.zeros((65, 65), dtype=bool)
    frontier = np.array(_GRITSENKO_EDGES, dtype=np.int64)
    while len(frontier):
        adjacency[frontier[:, 0], frontier[:, 1]] = True
        adjacency[frontier[:, 1], frontier[:, 0]] = True
        images = np.concatenate([g[frontier] for g in generators])
        frontier = images[~adjacency[images[:, 0], images[:, 1]]]
    return certified_srg(adjacency, "Gritsenko graph", (65, 32, 15, 16))
