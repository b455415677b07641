"""Strongly regular Cayley graphs: Paley graphs, cyclotomic graphs and partial difference sets.

A Cayley graph on an abelian group G with connection set D = −D, 0 ∉ D joins x and y when x − y ∈ D; it is
strongly regular exactly when D is a partial difference set. Over GF(q) the arithmetic is modular numpy for a
prime q (no galois import) and :func:`gcli.fields.gf` for prime powers; vertices are field elements by their
integer code.

References (for the whole module): A. E. Brouwer, H. Van Maldeghem, *Strongly Regular Graphs*, CUP 2022, §7.1
(Paley), §7.3 (cyclotomic SRGs), §8.8 (partial difference sets); S. L. Ma, "A survey of partial difference
sets", Des. Codes Cryptogr. 4 (1994).
"""

from __future__ import annotations

import itertools
from functools import cache

import numpy as np

from gcli.errors import ImpossibleParameters
from gcli.structures import Params, StronglyRegularGraph, certified_srg, check_srg
from gcli.structures.graphs import row_srg_params

from .._geometry import FiniteField, field

__all__ = [
    "CYCLOTOMIC_TABLE",
    "PARTIAL_DIFFERENCE_SETS",
    "cyclotomic_graph",
    "cyclotomic_srgs",
    "mathon_graph",
    "paley_graph",
    "partial_difference_set_graph",
]


def _cayley(f: FiniteField, connection: np.ndarray) -> np.ndarray:
    """Adjacency of the Cayley graph on (GF(q), +) with connection set given as a boolean mask over codes."""
    return connection[f.difference_table()]


def paley_graph(q: int) -> StronglyRegularGraph:
    """The Paley graph of a prime power q ≡ 1 (mod 4): x ~ y iff x − y is a non-zero square in GF(q).

    srg(q, (q−1)/2, (q−5)/4, (q−1)/4), a conference graph. Built over the field GF(q), so q = 9, 25, 49, 81, …
    are right, unlike ``networkx.paley_graph`` which works modulo q.

    Args:
        q: prime power, q ≡ 1 (mod 4).

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph` named "Paley(q)".

    Example:
        >>> paley_graph(13).params
        (13, 6, 2, 3)

    References:
        R. E. A. C. Paley, J. Math. Phys. 12 (1933); Brouwer–Van Maldeghem, §7.1.
    """
    if q % 4 != 1:
        raise ImpossibleParameters(f"the Paley graph needs a prime power q ≡ 1 (mod 4) (got q={q})")
    f = field(q)
    return certified_srg(_cayley(f, f.squares()), f"Paley({q})", (q, (q - 1) // 2, (q - 5) // 4, (q - 1) // 4))


def mathon_graph(t: int) -> StronglyRegularGraph:
    """Mathon's pseudo-cyclic conference graph srg(v, (v−1)/2, (v−5)/4, (v−1)/4) on v = (4t+1)(4t−1)² vertices.

    Ingredients: the Paley graph G on GF(4t+1) (an srg(4t+1, 2t, t−1, t); 4t+1 must be a prime power), the field
    K = GF(q), q = 4t − 1 a prime power (q ≡ 3 mod 4, so −1 is a non-square), and the skew circulant
    L[i, j] = c(j − i mod 4t+1) with c(d) = d for d ≤ 2t and d − (4t+1) otherwise. Order K as a_0, …, a_{q−1}:
    one element of each pair {x, −x}, then their negatives in reverse order, then 0. With P_b the permutation
    matrix of x ↦ x + b on that order, F = Σ_{s a non-zero square} P_s, E the matrix whose every row marks the
    non-squares a_j − a_0, and g primitive, the q² × q² matrices B_m have q × q blocks

    * B_0[i, j] = 0 (i = j), I + F (a_j − a_i a square), J − F (otherwise);
    * B_m[i, j] = F · P_{g^{2m}(a_i + a_j)} for 1 ≤ m < 2t, and B_{2t}[i, j] = E · P_{a_i};

    and the adjacency has (4t+1)² blocks of size q²: B_0 on the diagonal, and for x ≠ y with ℓ = L[x, y],
    B_ℓ (ℓ > 0) or B_{−ℓ}ᵀ (ℓ < 0) when x ~ y in G, J minus that block otherwise. t = 1 gives srg(45, 22, 10, 11),
    t = 2 srg(441, 220, 109, 110). The implementation follows SageMath's ``MathonPseudocyclicStronglyRegularGraph``
    (after Seidel–Taylor); the result is certified.

    Args:
        t: t ≥ 1 with 4t − 1 and 4t + 1 prime powers.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph` named "Mathon(t)".

    Example:
        >>> mathon_graph(1).params
        (45, 22, 10, 11)

    References:
        R. Mathon, "Symmetric conference matrices of order pq² + 1", Canad. J. Math. 30 (1978); J. J. Seidel,
        D. E. Taylor, "Two-graphs, a second survey", Algebraic Methods in Graph Theory (1981); Brouwer–Van
        Maldeghem, §8.11.
    """
    from gcli.fields.numbertheory import is_prime_power

    p, q = 4 * t + 1, 4 * t - 1
    if t < 1 or not (is_prime_power(p) and is_prime_power(q)):
        raise ImpossibleParameters(f"Mathon's graph needs 4t − 1 and 4t + 1 prime powers (got t={t})")
    fq = field(q)
    negatives = fq.neg(fq.elements)
    reps: list[int] = []
    for x in range(1, q):
        if x not in reps and int(negatives[x]) not in reps:
            reps.append(x)
    order = np.array(reps + [int(negatives[x]) for x in reversed(reps)] + [0], dtype=np.int64)
    position = np.empty(q, dtype=np.int64)
    position[order] = np.arange(q)
    eye = np.eye(q, dtype=np.int64)

    def shift(b: int) -> np.ndarray:  # P_b[i, j] = 1 iff a_j = a_i + b
        return eye[position[fq.add(order, b)]]

    squares = fq.squares()
    f_matrix = sum(shift(int(x)) for x in np.flatnonzero(squares))
    e_matrix = np.tile(~squares[fq.sub(order, order[0])] & (fq.sub(order, order[0]) != 0), (q, 1)).astype(np.int64)
    g = fq.primitive_element
    ones = np.ones((q, q), dtype=np.int64)

    def big(m: int) -> np.ndarray:
        out = np.zeros((q * q, q * q), dtype=np.int64)
        for i in range(q):
            for j in range(q):
                if m == 0:
                    if i == j:
                        continue
                    block = eye + f_matrix if squares[fq.sub(order[j], order[i])] else ones - f_matrix
                elif m < 2 * t:
                    factor = int(fq.mul(fq.power(g, 2 * m), fq.add(order[i], order[j])))
                    block = f_matrix @ shift(factor)
                else:
                    block = e_matrix @ shift(int(order[i]))
                out[i * q : (i + 1) * q, j * q : (j + 1) * q] = block
        return out

    b = [big(m) for m in range(2 * t + 1)]
    graph = paley_graph(p).dense()
    side = q * q
    adjacency = np.zeros((p * side, p * side), dtype=np.int64)
    for x in range(p):
        for y in range(p):
            if x == y:
                block = b[0]
            else:
                d = (y - x) % p
                ell = d if d <= 2 * t else d - p
                block = b[ell] if ell > 0 else b[-ell].T
                if not graph[x, y]:
                    block = 1 - block
            adjacency[x * side : (x + 1) * side, y * side : (y + 1) * side] = block
    v = p * side
    return certified_srg(adjacency, f"Mathon({t})", (v, (v - 1) // 2, (v - 5) // 4, (v - 1) // 4))


def _cyclotomic_mask(f: FiniteField, e: int, classes: tuple[int, ...]) -> np.ndarray:
    q = f.order
    if e < 2 or (q - 1) % e:
        raise ImpossibleParameters(f"cyclotomic graph needs e ≥ 2 dividing q − 1 (got q={q}, e={e})")
    if not classes or any(not 0 <= c < e for c in classes) or len(set(classes)) != len(classes):
        raise ImpossibleParameters(f"cyclotomic classes must be distinct integers in 0..{e - 1} (got {classes})")
    logs = f.logarithms()
    mask = (logs >= 0) & np.isin(logs % e, classes)
    if not mask[int(f.neg(1))]:
        raise ImpossibleParameters(f"cyclotomic graph ({q}, {e}, {classes}) is directed (−1 is not a connection)")
    return mask


def cyclotomic_graph(q: int, e: int, classes: tuple[int, ...] = (0,)) -> StronglyRegularGraph:
    """A cyclotomic graph: Cayley graph on (GF(q), +) whose connection set is a union of cyclotomic classes.

    With g primitive, class i of order e is g^i·⟨g^e⟩; x ~ y iff x − y lies in one of ``classes``. Strongly
    regular e.g. in the semiprimitive case (p^j ≡ −1 mod e): e = 2 is Paley, (q, e) = (81, 4) the
    Brouwer–Haemers graph srg(81, 20, 1, 6); unions give more, e.g. srg(81, 30, 9, 12).

    Args:
        q: prime power.
        e: number of cyclotomic classes, e | q − 1, e ≥ 2.
        classes: the classes in the connection set.

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`; InputError when the graph is not strongly
        regular.

    Example:
        >>> cyclotomic_graph(81, 4).params
        (81, 20, 1, 6)

    References:
        A. E. Brouwer, W. H. Haemers, Discrete Math. 106/107 (1992); Brouwer–Van Maldeghem, §7.3;
        R. Calderbank, W. M. Kantor, "The geometry of two-weight codes", Bull. LMS 18 (1986).
    """
    f = field(q)
    a = _cayley(f, _cyclotomic_mask(f, e, tuple(classes)))
    if isinstance(check_srg(a), str):
        raise ImpossibleParameters(f"the cyclotomic graph ({q}, {e}, {tuple(classes)}) is not strongly regular")
    if (q, e, tuple(classes)) == (81, 4, (0,)):
        name = "Brouwer–Haemers graph"
    elif tuple(classes) == (0,):
        name = f"cyclotomic graph ({q},{e})"
    else:
        name = f"cyclotomic graph ({q},{e},{'+'.join(map(str, classes))})"
    return certified_srg(a, name)


@cache
def cyclotomic_srgs(q: int, max_e: int = 10) -> tuple[tuple[Params, int, tuple[int, ...]], ...]:
    """Strongly regular cyclotomic graphs on GF(q): (params, e, classes), one per parameter set (first found).

    Searches e | q − 1 with 3 ≤ e ≤ max_e and unions of at most e/2 classes containing class 0 (multiplying by g
    rotates the classes, so this loses nothing up to isomorphism and complement). Paley (e = 2) is separate.
    Each candidate is a Cayley graph on (GF(q), +) with A[x, y] = [y − x ∈ D], so (A²)[x, y] = |D ∩ (y − x − D)|
    depends on y − x only: A² = kI + λA + μ(J − I − A) holds iff it holds in row 0 (O(q²) instead of the full
    product); a candidate passing that test is then certified by :func:`check_srg`.

    Args:
        q: prime power.
        max_e: the largest number of classes tried.

    Returns:
        A tuple of (params, e, classes), sorted by params.

    Example:
        >>> [p for p, _, _ in cyclotomic_srgs(81)][:2]
        [(81, 16, 7, 2), (81, 20, 1, 6)]

    References:
        Brouwer–Van Maldeghem, §7.3.
    """
    f = field(q)
    diff = f.difference_table()
    logs = f.logarithms()
    minus_one = int(logs[int(f.neg(1))])
    found: dict[Params, tuple[int, tuple[int, ...]]] = {}
    for e in range(3, max_e + 1):
        if (q - 1) % e or minus_one % e:
            continue
        class_of = np.where(logs >= 0, logs % e, -1)
        for size in range(1, e // 2 + 1):
            for rest in itertools.combinations(range(1, e), size - 1):
                classes = (0, *rest)
                adjacency = np.isin(class_of, classes)[diff]
                row = row_srg_params(adjacency)
                if row is None or row[3] in (0, row[1]) or row in found:
                    continue
                params = check_srg(adjacency)
                if isinstance(params, str) or params != row:  # cannot happen for a Cayley graph: a bug
                    raise RuntimeError(f"cyclotomic graph ({q}, {e}, {classes}): row test {row}, check {params}")
                found[params] = (e, classes)
    return tuple((p, e, c) for p, (e, c) in sorted(found.items()))


CYCLOTOMIC_TABLE: dict[int, tuple[tuple[Params, int, tuple[int, ...]], ...]] = {
    169: (
        ((169, 24, 11, 2), 7, (0,)),
        ((169, 36, 13, 6), 14, (0, 1, 2)),
        ((169, 48, 17, 12), 7, (0, 1)),
        ((169, 60, 23, 20), 14, (0, 1, 2, 3, 4)),
        ((169, 72, 31, 30), 7, (0, 1, 2)),
        ((169, 84, 41, 42), 4, (0, 2)),
    ),
    243: (
        ((243, 22, 1, 2), 11, (0,)),
        ((243, 110, 37, 60), 11, (0, 1, 2, 4, 7)),
    ),
    256: (
        ((256, 30, 14, 2), 17, (0, 1)),
        ((256, 45, 16, 6), 17, (0, 1, 2)),
        ((256, 51, 2, 12), 5, (0,)),
        ((256, 60, 20, 12), 17, (0, 1, 2, 3)),
        ((256, 68, 12, 20), 15, (0, 1, 3, 7)),
        ((256, 75, 26, 20), 17, (0, 1, 2, 3, 4)),
        ((256, 85, 24, 30), 3, (0,)),
        ((256, 90, 34, 30), 17, (0, 1, 2, 3, 4, 5)),
        ((256, 102, 38, 42), 5, (0, 1)),
        ((256, 105, 44, 42), 17, (0, 1, 2, 3, 4, 5, 6)),
        ((256, 119, 54, 56), 15, (0, 1, 2, 4, 5, 8, 10)),
        ((256, 120, 56, 56), 17, (0, 1, 2, 3, 4, 5, 6, 7)),
    ),
}
"""Strongly regular cyclotomic graphs for q = 169, 243, 256: what ``cyclotomic_srgs(q, max_e=20)`` finds (minutes
of search, so the catalog reads the table); classes are relative to the primitive element of
:func:`gcli.fields.gf` (q), and every graph is certified when built."""


PARTIAL_DIFFERENCE_SETS: dict[Params, tuple[tuple[int, ...], tuple[tuple[int, ...], ...]]] = {
    (36, 14, 4, 6): ((2, 2, 3, 3), (
        (0, 0, 0, 1), (0, 0, 0, 2), (0, 1, 0, 0), (0, 1, 1, 0), (0, 1, 2, 0), (1, 0, 0, 0), (1, 0, 1, 1),
        (1, 0, 2, 2), (1, 1, 0, 1), (1, 1, 0, 2), (1, 1, 1, 0), (1, 1, 1, 1), (1, 1, 2, 0), (1, 1, 2, 2),
    )),
}
"""Partial difference sets found by gcli's exhaustive search: params → (group moduli, connection set)."""


def partial_difference_set_graph(v: int, k: int, lam: int, mu: int) -> StronglyRegularGraph:
    """Cayley graph of an abelian group Z_{m1} × … × Z_{mr} on a tabulated partial difference set.

    A subset D with D = −D, 0 ∉ D, in which every non-zero element of D is a difference of λ pairs of D and every
    other non-zero element of μ pairs, gives srg(|G|, |D|, λ, μ). Tabulated: srg(36, 14, 4, 6) on Z_2² × Z_3²
    (negative Latin square type NL_2(6)). Elements are indexed in mixed radix (last coordinate fastest).

    Args:
        v, k, lam, mu: the parameters (a key of :data:`PARTIAL_DIFFERENCE_SETS`).

    Returns:
        A certified :class:`~gcli.structures.StronglyRegularGraph`.

    Example:
        >>> partial_difference_set_graph(36, 14, 4, 6).name
        'partial difference set in Z_2 × Z_2 × Z_3 × Z_3'

    References:
        Ma (1994); Brouwer–Van Maldeghem, §8.8.
    """
    key = (v, k, lam, mu)
    if key not in PARTIAL_DIFFERENCE_SETS:
        raise ImpossibleParameters(f"no tabulated partial difference set with parameters {key}")
    mods, connection = PARTIAL_DIFFERENCE_SETS[key]
    elements = np.array(list(itertools.product(*[range(m) for m in mods])), dtype=np.int64)
    radix = np.array([int(np.prod(mods[i + 1 :])) for i in range(len(mods))], dtype=np.int64)
    diff = ((elements[:, None, :] - elements[None, :, :]) % np.array(mods)) @ radix
    mask = np.zeros(len(elements), dtype=bool)
    mask[np.array(connection, dtype=np.int64) @ radix] = True
    group = " × ".join(f"Z_{m}" for m in mods)
    return certified_srg(mask[diff], f"partial difference set in {group}", key)
