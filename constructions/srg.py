"""Strongly regular graphs (SRGs): one function per family, each certified before it is returned.

An srg(v, k, λ, μ) is a k-regular graph on v vertices in which adjacent vertices have λ common neighbours and
non-adjacent ones μ; equivalently its adjacency matrix satisfies A² = kI + λA + μ(J − I − A). Every builder
here returns a :class:`StronglyRegularGraph` whose adjacency has been checked against that identity (dense
float64 BLAS in row chunks, exact for these integer sizes, so v ≈ 1000 takes a fraction of a second). The
spectrum then follows from the parameters alone (k once, r^f, s^g), so it is certified too. :func:`srg`
picks a family for given (v, k, λ, μ); :func:`srg_candidates` lists what gcli can build on v vertices
without building it.

References (for the whole module): A. E. Brouwer, H. Van Maldeghem, *Strongly Regular Graphs*, CUP 2022;
A. E. Brouwer, W. H. Haemers, *Spectra of Graphs*, Springer 2012, ch. 9; P. J. Cameron, J. H. van Lint,
*Designs, Graphs, Codes and their Links*, CUP 1991.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Any

import galois
import networkx as nx
import numpy as np
import scipy.sparse as sp

from gcli.errors import InputError

from ._geometry import affine_points, all_vectors, field_of_order, is_prime_power, keys, projective_points
from .designs import bibd, bibd_construction

__all__ = [
    "StronglyRegularGraph",
    "affine_polar_graph",
    "chang_graph",
    "check_srg",
    "clebsch_graph",
    "complement",
    "cyclotomic_graph",
    "cyclotomic_srgs",
    "gewirtz_graph",
    "higman_sims_graph",
    "hoffman_singleton_graph",
    "hyperoval_quadrangle_graph",
    "latin_square_graph",
    "lattice_graph",
    "m22_graph",
    "paley_graph",
    "partial_difference_set_graph",
    "petersen_graph",
    "polar_graph",
    "schlafli_graph",
    "shrikhande_graph",
    "srg",
    "srg_candidates",
    "srg_construction",
    "srg_spectrum",
    "steiner_block_graph",
    "triangular_graph",
]


# ---------------------------------------------------------------------------------------------------------
# the graph object and its certificate
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StronglyRegularGraph:
    """A certified srg(v, k, λ, μ) with its adjacency matrix (scipy CSR, 0/1, zero diagonal).

    Attributes:
        v, k, lam, mu: the parameters. adjacency: the v × v adjacency matrix. name: the construction.
    """

    v: int
    k: int
    lam: int
    mu: int
    adjacency: sp.csr_matrix
    name: str

    @property
    def params(self) -> tuple[int, int, int, int]:
        """(v, k, λ, μ)."""
        return (self.v, self.k, self.lam, self.mu)

    def edges(self) -> list[tuple[int, int]]:
        """Sorted edge list [(i, j)] with i < j."""
        upper = sp.triu(self.adjacency, k=1).tocoo()
        order = np.lexsort((upper.col, upper.row))
        return list(zip(upper.row[order].tolist(), upper.col[order].tolist(), strict=True))

    def neighbours(self) -> list[list[int]]:
        """Sorted neighbour list of every vertex."""
        a = self.adjacency
        return [sorted(a.indices[a.indptr[i] : a.indptr[i + 1]].tolist()) for i in range(self.v)]

    def to_networkx(self) -> nx.Graph:
        """The graph as a networkx Graph on vertices 0..v−1."""
        graph = nx.Graph()
        graph.add_nodes_from(range(self.v))
        graph.add_edges_from(self.edges())
        return graph

    def spectrum(self) -> dict[str, Any]:
        """Eigenvalues with multiplicities, derived from the certified parameters."""
        return srg_spectrum(*self.params)

    def to_json(self) -> dict[str, Any]:
        """The ``"graph"`` block of the code JSON."""
        return {
            "kind": "srg",
            "v": self.v,
            "params": list(self.params),
            "construction": self.name,
            "edges": [list(e) for e in self.edges()],
        }


def srg_spectrum(v: int, k: int, lam: int, mu: int) -> dict[str, Any]:
    """Eigenvalues k, r, s of an srg and their multiplicities 1, f, g (exact where rational).

    r, s = ((λ−μ) ± √Δ)/2 with Δ = (λ−μ)² + 4(k−μ); f, g = ½[(v−1) ∓ (2k + (v−1)(λ−μ))/√Δ]. Values are
    returned as strings of exact rationals, or of the form (a ± √Δ)/2 when Δ is not a square (conference
    graphs).
    """
    delta = (lam - mu) ** 2 + 4 * (k - mu)
    root = math.isqrt(delta)
    if delta <= 0:
        return {"eigenvalues": [str(k)], "multiplicities": [v]}
    if root * root == delta:
        r = Fraction(lam - mu + root, 2)
        s = Fraction(lam - mu - root, 2)
        f = (Fraction(v - 1) - Fraction(2 * k + (v - 1) * (lam - mu), root)) / 2
        g = (Fraction(v - 1) + Fraction(2 * k + (v - 1) * (lam - mu), root)) / 2
        return {"eigenvalues": [str(k), str(r), str(s)], "multiplicities": [1, str(f), str(g)]}
    half = Fraction(v - 1, 2)
    return {
        "eigenvalues": [str(k), f"({lam - mu} + √{delta})/2", f"({lam - mu} − √{delta})/2"],
        "multiplicities": [1, str(half), str(half)],
    }


def _as_csr(adjacency: Any) -> sp.csr_matrix:
    if sp.issparse(adjacency):
        a = sp.csr_matrix(adjacency, dtype=np.int64)
    else:
        a = sp.csr_matrix(np.asarray(adjacency, dtype=np.int64))
    a.eliminate_zeros()
    a.sort_indices()
    return a


Params = tuple[int, int, int, int]


def check_srg(adjacency: Any, params: Params | None = None) -> Params | str:
    """The parameters (v, k, λ, μ) if the graph is strongly regular, else a string naming the violation.

    Checks symmetry, 0/1 entries, zero diagonal, regularity and A² = kI + λA + μ(J − I − A) entry by entry
    (dense float64 products over row chunks of 1024; exact since entries are ≤ v < 2⁵³). With ``params``
    given, also checks they match.
    """
    a = _as_csr(adjacency)
    v = a.shape[0]
    if a.shape != (v, v) or v == 0:
        return "adjacency matrix is not square"
    if (a != a.T).nnz:
        return "adjacency matrix is not symmetric"
    if a.nnz and (a.data != 1).any():
        return "adjacency matrix is not 0/1"
    if a.diagonal().any():
        return "adjacency matrix has loops"
    degrees = np.asarray(a.sum(axis=1)).ravel()
    k = int(degrees[0])
    if not np.all(degrees == k):
        return "graph is not regular"
    if k == 0 or k == v - 1:
        return "graph is empty or complete (not strongly regular in the usual sense)"
    dense = a.toarray().astype(np.float64)
    i, j = map(int, np.argwhere(np.triu(dense, 1))[0])
    lam = int(dense[i] @ dense[j])
    non_edges = np.argwhere(np.triu(1 - dense, 1))
    i, j = map(int, non_edges[0])
    mu = int(dense[i] @ dense[j])
    for start in range(0, v, 1024):
        stop = min(v, start + 1024)
        block = dense[start:stop] @ dense
        expected = lam * dense[start:stop] + mu * (1 - dense[start:stop])
        expected[np.arange(stop - start), np.arange(start, stop)] = k
        if not np.array_equal(block, expected):
            return "A² ≠ kI + λA + μ(J − I − A)"
    found = (v, k, lam, mu)
    if params is not None and tuple(params) != found:
        return f"parameters are {found}, expected {tuple(params)}"
    return found


def _certified(adjacency: Any, name: str, params: Params | None = None) -> StronglyRegularGraph:
    a = _as_csr(adjacency)
    found = check_srg(a, params)
    if isinstance(found, str):  # a construction bug, never bad input
        raise RuntimeError(f"{name} failed the SRG identity: {found}")
    v, k, lam, mu = found
    return StronglyRegularGraph(v=v, k=k, lam=lam, mu=mu, adjacency=a, name=name)


def complement(graph: StronglyRegularGraph) -> StronglyRegularGraph:
    """The complement: srg(v, v−k−1, v−2k+μ−2, v−2k+λ).

    Args:
        graph: a certified SRG.

    References:
        Brouwer–Van Maldeghem, *Strongly Regular Graphs*, §1.1.
    """
    v, k, lam, mu = graph.params
    dense = 1 - graph.adjacency.toarray()
    np.fill_diagonal(dense, 0)
    expected = (v, v - k - 1, v - 2 * k + mu - 2, v - 2 * k + lam)
    return _certified(dense, f"complement of {graph.name}", expected)


def _cayley(field: type[galois.FieldArray], connection: np.ndarray) -> np.ndarray:
    """Adjacency of the Cayley graph on (GF(q), +) with connection set given as a boolean mask over codes."""
    elements = field.elements
    diff = np.asarray((elements[:, None] - elements[None, :]).view(np.ndarray))
    return connection[diff].astype(np.int8)


# ---------------------------------------------------------------------------------------------------------
# algebraic families
# ---------------------------------------------------------------------------------------------------------
def paley_graph(q: int) -> StronglyRegularGraph:
    """The Paley graph of a prime power q ≡ 1 (mod 4): x ~ y iff x − y is a non-zero square in GF(q).

    srg(q, (q−1)/2, (q−5)/4, (q−1)/4), a conference graph. Built over the field GF(q) (galois), so q = 9,
    25, 49, 81, … are right, unlike ``networkx.paley_graph`` which works modulo q. Vertices are field
    elements by their galois integer code.

    Args:
        q: prime power, q ≡ 1 (mod 4).

    References:
        R. E. A. C. Paley, J. Math. Phys. 12 (1933); Brouwer–Van Maldeghem, §7.1.
    """
    if q % 4 != 1:
        raise InputError(f"the Paley graph needs a prime power q ≡ 1 (mod 4) (got q={q})")
    field = field_of_order(q)
    mask = np.zeros(q, dtype=bool)
    mask[np.asarray((field.elements[1:] ** 2).view(np.ndarray))] = True
    return _certified(_cayley(field, mask), f"Paley({q})", (q, (q - 1) // 2, (q - 5) // 4, (q - 1) // 4))


def _cyclotomic_mask(q: int, e: int, classes: tuple[int, ...]) -> np.ndarray:
    field = field_of_order(q)
    if e < 2 or (q - 1) % e:
        raise InputError(f"cyclotomic graph needs e ≥ 2 dividing q − 1 (got q={q}, e={e})")
    if not classes or any(not 0 <= c < e for c in classes) or len(set(classes)) != len(classes):
        raise InputError(f"cyclotomic classes must be distinct integers in 0..{e - 1} (got {classes})")
    g = field.primitive_element
    exponents = np.concatenate([c + e * np.arange((q - 1) // e) for c in classes])
    mask = np.zeros(q, dtype=bool)
    mask[np.asarray((g**exponents).view(np.ndarray))] = True
    if not mask[int(-field(1))]:
        raise InputError(f"cyclotomic graph ({q}, {e}, {classes}) is directed (−1 is not a connection)")
    return mask


def cyclotomic_graph(q: int, e: int, classes: tuple[int, ...] = (0,)) -> StronglyRegularGraph:
    """A cyclotomic graph: Cayley graph on (GF(q), +) whose connection set is a union of cyclotomic classes.

    With g primitive, class i of order e is g^i·⟨g^e⟩; x ~ y iff x − y lies in one of ``classes``. Undirected
    when −1 is in the connection set. Strongly regular e.g. in the semiprimitive case (p^j ≡ −1 mod e): e =
    2 is Paley, (q, e) = (81, 4) is the Brouwer–Haemers graph srg(81, 20, 1, 6). Unions of classes give
    more, e.g. srg(81, 30, 9, 12) and srg(64, 27, 10, 12); :func:`cyclotomic_srgs` searches them. Raises
    InputError when the graph is not strongly regular.

    Args:
        q: prime power.
        e: number of cyclotomic classes, e | q − 1, e ≥ 2.
        classes: the classes in the connection set.

    References:
        A. E. Brouwer, W. H. Haemers, "Structure and uniqueness of the (81,20,1,6) strongly regular graph",
        Discrete Math. 106/107 (1992); Brouwer–Van Maldeghem, §7.3 (cyclotomic SRGs); R. Calderbank,
        W. M. Kantor, "The geometry of two-weight codes", Bull. LMS 18 (1986).
    """
    field = field_of_order(q)
    a = _cayley(field, _cyclotomic_mask(q, e, tuple(classes)))
    if isinstance(check_srg(a), str):
        raise InputError(f"the cyclotomic graph ({q}, {e}, {tuple(classes)}) is not strongly regular")
    if (q, e, tuple(classes)) == (81, 4, (0,)):
        name = "Brouwer–Haemers graph"
    elif tuple(classes) == (0,):
        name = f"cyclotomic graph ({q},{e})"
    else:
        name = f"cyclotomic graph ({q},{e},{'+'.join(map(str, classes))})"
    return _certified(a, name)


@cache
def cyclotomic_srgs(q: int, max_e: int = 10) -> tuple[tuple[Params, int, tuple[int, ...]], ...]:
    """Strongly regular cyclotomic graphs on GF(q): (params, e, classes), one per parameter set (first found).

    Searches e | q − 1 with 3 ≤ e ≤ max_e and unions of at most e/2 classes containing class 0 (multiplying
    by g rotates the classes, so this loses nothing up to isomorphism and complement). Paley (e = 2) is
    separate.
    """
    field = field_of_order(q)
    elements = field.elements
    diff = np.asarray((elements[:, None] - elements[None, :]).view(np.ndarray))
    g = field.primitive_element
    logs = np.full(q, -1, dtype=np.int64)
    logs[np.asarray((g ** np.arange(q - 1)).view(np.ndarray))] = np.arange(q - 1)
    found: dict[Params, tuple[int, tuple[int, ...]]] = {}
    minus_one = int(logs[int(-field(1))])
    for e in range(3, max_e + 1):
        if (q - 1) % e or minus_one % e:
            continue
        class_of = np.where(logs >= 0, logs % e, -1)
        for size in range(1, e // 2 + 1):
            for rest in itertools.combinations(range(1, e), size - 1):
                classes = (0, *rest)
                mask = np.zeros(q, dtype=bool)
                mask[np.isin(class_of, classes)] = True
                params = check_srg(mask[diff].astype(np.int8))
                if isinstance(params, str) or params[3] in (0, params[1]):
                    continue
                found.setdefault(params, (e, classes))
    return tuple((p, e, c) for p, (e, c) in sorted(found.items()))


def triangular_graph(n: int) -> StronglyRegularGraph:
    """The triangular graph T(n) = J(n, 2) = line graph of K_n: 2-subsets, adjacent when they meet.

    srg(n(n−1)/2, 2(n−2), n−2, 4) for n ≥ 4. Vertices are the 2-subsets in lexicographic order.

    Args:
        n: n ≥ 4.

    References:
        Brouwer–Van Maldeghem, §1.1.7; networkx ``line_graph(complete_graph(n))`` is the same graph.
    """
    if n < 4:
        raise InputError(f"T(n) is strongly regular for n ≥ 4 (got n={n})")
    pairs = np.array(list(itertools.combinations(range(n), 2)))
    meet = (pairs[:, None, 0] == pairs[None, :, 0]) | (pairs[:, None, 0] == pairs[None, :, 1]) | (
        pairs[:, None, 1] == pairs[None, :, 0]) | (pairs[:, None, 1] == pairs[None, :, 1])
    np.fill_diagonal(meet, False)
    return _certified(meet, f"T({n})", (n * (n - 1) // 2, 2 * (n - 2), n - 2, 4))


def petersen_graph() -> StronglyRegularGraph:
    """The Petersen graph srg(10, 3, 0, 1): the Kneser graph K(5, 2), complement of T(5).

    References:
        J. Petersen (1898); Brouwer–Van Maldeghem, §10.1.
    """
    t5 = triangular_graph(5)
    graph = complement(t5)
    return StronglyRegularGraph(*graph.params, adjacency=graph.adjacency, name="Petersen graph")


def latin_square_graph(r: int, n: int) -> StronglyRegularGraph:
    """The Latin square graph LS_r(n) from r − 2 mutually orthogonal Latin squares of order n.

    Vertices are the n² cells (i, j) (index i·n + j); two cells are adjacent when they share a row, a
    column, or a symbol in one of the squares: srg(n², r(n−1), n − 2 + (r−1)(r−2), r(r−1)). r = 2 is the
    lattice graph L2(n). Squares: L_a(i, j) = a·i + j over GF(n) for a prime power n (up to n − 1 squares);
    for other n, r ≤ 3 with the cyclic square i + j mod n.

    Args:
        r: 2 ≤ r ≤ n (r = n is allowed for prime powers; r − 2 squares are used).
        n: order.

    References:
        Brouwer–Van Maldeghem, §8.4 (nets, Latin square graphs); Handbook of Combinatorial Designs, §III.3.
    """
    if n < 2 or r < 2 or r > n:
        raise InputError(f"LS_r(n) needs 2 ≤ r ≤ n (got r={r}, n={n})")
    cells = np.array([(i, j) for i in range(n) for j in range(n)])
    labels = [cells[:, 0], cells[:, 1]]
    if r > 2:
        if is_prime_power(n):
            field = field_of_order(n)
            row, col = field(cells[:, 0]), field(cells[:, 1])
            for a in range(1, r - 1):
                labels.append(np.asarray((field(a) * row + col).view(np.ndarray)))
        elif r == 3:
            labels.append((cells[:, 0] + cells[:, 1]) % n)
        else:
            raise InputError(f"gcli builds r − 2 MOLS of order {n} only for prime powers (or r = 3)")
    adjacent = np.zeros((n * n, n * n), dtype=bool)
    for lab in labels:
        adjacent |= lab[:, None] == lab[None, :]
    np.fill_diagonal(adjacent, False)
    name = f"L2({n})" if r == 2 else f"LS_{r}({n})"
    return _certified(adjacent, name, (n * n, r * (n - 1), n - 2 + (r - 1) * (r - 2), r * (r - 1)))


def lattice_graph(n: int) -> StronglyRegularGraph:
    """The lattice (rook's) graph L2(n) = K_n □ K_n: srg(n², 2(n−1), n−2, 2).

    Args:
        n: n ≥ 2.

    References:
        Brouwer–Van Maldeghem, §1.1.8; networkx ``cartesian_product(complete_graph(n), complete_graph(n))``.
    """
    return latin_square_graph(2, n)


def _quadratic_form(kind: str, n: int, field: type[galois.FieldArray]) -> np.ndarray:
    """Upper-triangular matrix M of a non-degenerate quadratic form Q(x) = Σ_{i≤j} M_ij x_i x_j."""
    q = field.order
    m = np.zeros((n, n), dtype=np.int64)
    pairs = n // 2 if kind in ("+", "-") else (n - 1) // 2
    offset = 0 if kind in ("+", "-") else 1
    if kind == "o":
        m[0, 0] = 1
    for t in range(pairs):
        m[offset + 2 * t, offset + 2 * t + 1] = 1
    if kind == "-":
        # replace the last hyperbolic pair by an anisotropic x² + xy + a·y²
        a = next(
            c for c in range(q)
            if not np.any(np.asarray((field.elements**2 + field.elements + field(c)).view(np.ndarray)) == 0)
        )
        m[n - 2, n - 2] = 1
        m[n - 1, n - 1] = a
    return m


def _evaluate_form(field: type[galois.FieldArray], m: np.ndarray, x: galois.FieldArray) -> galois.FieldArray:
    return ((x @ field(m)) * x).sum(axis=1)


def polar_graph(kind: str, n: int, q: int) -> StronglyRegularGraph:
    """Collinearity graph of a finite classical polar space: singular points, adjacent when orthogonal.

    ``kind``: ``"sp"`` symplectic W(n−1, q) (n even, all points of PG(n−1, q)), ``"o+"`` / ``"o-"``
    hyperbolic / elliptic quadric in PG(n−1, q) (n even), ``"o"`` parabolic quadric (n odd), ``"u"``
    Hermitian variety in PG(n−1, q²) (field GF(q²), form Σ x_i^{q+1}). For rank d ≥ 2 (d = polar rank)
    these are SRGs; e.g. Sp(4, q) and O(5, q) are the generalized quadrangle GQ(q, q), O⁻(6, q) is GQ(q,
    q²) (q = 2: srg(27,10,1,5), the complement of the Schläfli graph), U(4, 2) is GQ(4, 2) =
    srg(45,12,3,3), O⁻(8, 2) = srg(119,54,21,27).

    Args:
        kind: ``sp``, ``o+``, ``o-``, ``o`` or ``u``.
        n: vector-space dimension.
        q: prime power (for ``u`` the plane is over GF(q²)).

    References:
        Brouwer–Van Maldeghem, §2.5 and ch. 2 (polar spaces); S. E. Payne, J. A. Thas, *Finite Generalized
        Quadrangles*, 2nd ed., EMS 2009, §3.1.
    """
    params = polar_params(kind, n, q)
    if params is None:
        raise InputError(
            f"no strongly regular polar graph of kind {kind!r} with n={n}, q={q} (need rank ≥ 2)"
        )
    if kind == "u":
        field = field_of_order(q * q)
        points = projective_points(q * q, n - 1)
        conj = points**q
        singular = np.asarray(((points * conj).sum(axis=1)).view(np.ndarray)) == 0
        pts = points[singular]
        gram = pts @ (pts**q).T
        name = f"U({n},{q})"
    else:
        field = field_of_order(q)
        points = projective_points(q, n - 1)
        if kind == "sp":
            j = field.Zeros((n, n))
            for t in range(n // 2):
                j[2 * t, 2 * t + 1] = 1
                j[2 * t + 1, 2 * t] = -field(1)
            pts = points
            gram = pts @ j @ pts.T
            name = f"Sp({n},{q})"
        else:
            m = _quadratic_form(kind[1:] if kind != "o" else "o", n, field)
            values = _evaluate_form(field, m, points)
            pts = points[np.asarray(values.view(np.ndarray)) == 0]
            gram = pts @ (field(m) + field(m).T) @ pts.T
            name = {"o+": "O+", "o-": "O-", "o": "O"}[kind] + f"({n},{q})"
    adjacent = np.asarray(gram.view(np.ndarray)) == 0
    np.fill_diagonal(adjacent, False)
    return _certified(adjacent, name, params)


def polar_params(kind: str, n: int, q: int) -> tuple[int, int, int, int] | None:
    """(v, k, λ, μ) of :func:`polar_graph` from the rank d and the parameter q^e (None if rank < 2)."""
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
    lam = qq - 1 + qq * qq * inner
    return (v, k, lam, mu)


def affine_polar_graph(sign: str, m: int, q: int) -> StronglyRegularGraph:
    """The affine polar graph VO^±(2m, q): vectors of GF(q)^{2m}, x ~ y iff Q(x − y) = 0 (x ≠ y).

    Q is hyperbolic (``+``) or elliptic (``-``): srg(q^{2m}, (q^m ∓ 1)(q^{m−1} ± 1), q(q^{m−1} ∓ 1)(q^{m−2}
    ± 1) + q − 2, q^{m−1}(q^{m−1} ± 1)) with the upper signs for ``+``. VO⁻(4, 2) is the Clebsch graph
    srg(16, 5, 0, 2); VO⁺(4, 3) is srg(81, 32, 13, 12); VO⁺(6, 2) is srg(64, 35, 18, 20).

    Args:
        sign: ``+`` or ``-``.
        m: half the dimension, m ≥ 2.
        q: prime power.

    References:
        Brouwer–Van Maldeghem, §3.3.1 (affine polar graphs).
    """
    params = affine_polar_params(sign, m, q)
    if params is None:
        raise InputError(f"VO{sign}(2m, q) needs sign + or -, m ≥ 2 and a prime power q (got m={m}, q={q})")
    field = field_of_order(q)
    form = _quadratic_form(sign, 2 * m, field)
    vectors = affine_points(field, 2 * m)
    singular = np.asarray(_evaluate_form(field, form, vectors).view(np.ndarray)) == 0
    diff = vectors[:, None, :] - vectors[None, :, :]
    idx = keys(field, diff.reshape(-1, 2 * m)).reshape(len(vectors), len(vectors))
    adjacent = singular[idx]
    np.fill_diagonal(adjacent, False)
    return _certified(adjacent, f"VO{sign}({2 * m},{q})", params)


def affine_polar_params(sign: str, m: int, q: int) -> tuple[int, int, int, int] | None:
    """(v, k, λ, μ) of :func:`affine_polar_graph`."""
    if sign not in ("+", "-") or m < 2 or not is_prime_power(q):
        return None
    e = 1 if sign == "+" else -1
    v = q ** (2 * m)
    k = (q**m - e) * (q ** (m - 1) + e)
    lam = q * (q ** (m - 1) - e) * (q ** (m - 2) + e) + q - 2
    mu = q ** (m - 1) * (q ** (m - 1) + e)
    return (v, k, lam, mu)


def steiner_block_graph(v: int, k: int) -> StronglyRegularGraph:
    """Block graph of a Steiner system S(2, k, v): blocks adjacent when they meet.

    With r = (v−1)/(k−1) and b = v(v−1)/(k(k−1)): srg(b, k(r−1), r − 2 + (k−1)², k²) when b > 1 and the
    graph is neither complete nor empty. E.g. STS(13) → srg(26, 15, 8, 9) (complement srg(26, 10, 3, 4)),
    STS(19) → srg(57, 24, 11, 9). The Steiner system comes from :func:`gcli.constructions.designs.bibd`.

    Args:
        v: points of the Steiner system.
        k: block size.

    References:
        Brouwer–Van Maldeghem, §8.1 (block graphs of Steiner systems).
    """
    design = bibd(v, k, 1)
    r = (v - 1) // (k - 1)
    if k * (r - 1) >= design.b - 1:
        raise InputError(f"the block graph of S(2,{k},{v}) is complete (any two blocks meet), not an srg")
    n = design.incidence().T.tocsr()
    meet = (n @ n.T).toarray() > 0
    np.fill_diagonal(meet, False)
    expected = (design.b, k * (r - 1), r - 2 + (k - 1) ** 2, k * k)
    return _certified(meet, f"block graph of {design.name}", expected)


def _hyperoval(q: int) -> galois.FieldArray:
    """The regular hyperoval of PG(2, q), q = 2^h ≥ 4: conic (1, t, t²), (0, 0, 1) and nucleus (0, 1, 0)."""
    field = field_of_order(q)
    t = field.elements
    conic = np.stack([np.ones(q, dtype=np.int64), t.view(np.ndarray), (t**2).view(np.ndarray)], axis=1)
    extra = np.array([[0, 0, 1], [0, 1, 0]], dtype=np.int64)
    return field(np.concatenate([conic, extra]))


def _t2_star(q: int) -> tuple[np.ndarray, np.ndarray]:
    """Points (GF(q)³ by key) and lines (point indices) of the quadrangle T₂*(O), O a hyperoval."""
    if q < 4 or q & (q - 1):
        raise InputError(f"T2*(O) needs q = 2^h ≥ 4 (hyperovals exist in PG(2, q) for even q; got q={q})")
    field = field_of_order(q)
    oval = _hyperoval(q)
    points = affine_points(field, 3)
    lines: list[np.ndarray] = []
    for u in oval:
        pivot = int(np.flatnonzero(u.view(np.ndarray))[0])
        reps = points[points.view(np.ndarray)[:, pivot] == 0]
        lines.append(np.stack([keys(field, reps + s * u) for s in field.elements], axis=1))
    return points, np.concatenate(lines)


def hyperoval_quadrangle_graph(q: int, dual: bool = False) -> StronglyRegularGraph:
    """Collinearity graph of the generalized quadrangle T₂*(O) = GQ(q−1, q+1) (or of its dual GQ(q+1, q−1)).

    Embed PG(2, q), q = 2^h, as the plane at infinity of AG(3, q) and take a hyperoval O (conic plus nucleus).
    Points: the q³ affine points; lines: the affine lines whose direction lies in O. Collinearity gives
    srg(q³, (q−1)(q+2), q−2, q+2) (q = 4: srg(64, 18, 2, 6)); ``dual=True`` takes the lines as vertices,
    adjacent when they meet: srg(q²(q+2), q(q+1), q, q) (q = 4: srg(96, 20, 4, 4)).

    Args:
        q: a power of 2, q ≥ 4.
        dual: use the dual quadrangle.

    References:
        R. Ahrens, G. Szekeres (1969), M. Hall Jr. (1971); S. E. Payne, J. A. Thas, *Finite Generalized
        Quadrangles*, §3.1.3; Brouwer–Van Maldeghem, §2.2.
    """
    _, lines = _t2_star(q)
    v_points = q**3
    incidence = sp.csr_matrix((np.ones(lines.size, dtype=np.int64),
                               (np.repeat(np.arange(len(lines)), lines.shape[1]), lines.ravel())),
                              shape=(len(lines), v_points))
    if dual:
        meet = (incidence @ incidence.T).toarray() > 0
        np.fill_diagonal(meet, False)
        expected = (q * q * (q + 2), q * (q + 1), q, q)
        return _certified(meet, f"GQ({q + 1},{q - 1}) dual of T2*(O), q={q}", expected)
    collinear = (incidence.T @ incidence).toarray() > 0
    np.fill_diagonal(collinear, False)
    return _certified(collinear, f"GQ({q - 1},{q + 1}) = T2*(O), q={q}", (q**3, (q - 1) * (q + 2), q - 2,
        q + 2))


# partial difference sets found by gcli's own exhaustive search over the group (re-checked when built)
_PARTIAL_DIFFERENCE_SETS: dict[Params, tuple[tuple[int, ...], tuple[tuple[int, ...], ...]]] = {
    (36, 14, 4, 6): ((2, 2, 3, 3), (
        (0, 0, 0, 1), (0, 0, 0, 2), (0, 1, 0, 0), (0, 1, 1, 0), (0, 1, 2, 0), (1, 0, 0, 0), (1, 0, 1, 1),
        (1, 0, 2, 2), (1, 1, 0, 1), (1, 1, 0, 2), (1, 1, 1, 0), (1, 1, 1, 1), (1, 1, 2, 0), (1, 1, 2, 2),
    )),
}


def partial_difference_set_graph(v: int, k: int, lam: int, mu: int) -> StronglyRegularGraph:
    """Cayley graph of an abelian group Z_{m1} × … × Z_{mr} on a (tabulated) partial difference set.

    A subset D of the group with D = −D, 0 ∉ D, in which every non-zero element of D is a difference of λ
    pairs of D and every other non-zero element of μ pairs, gives the Cayley graph srg(|G|, |D|, λ, μ) (x ~
    y iff x − y ∈ D). Tabulated (found by gcli's exhaustive search): srg(36, 14, 4, 6) on Z_2² × Z_3², of
    negative Latin square type NL_2(6). Elements are indexed in mixed radix (last coordinate fastest).

    Args:
        v, k, lam, mu: the parameters.

    References:
        S. L. Ma, "A survey of partial difference sets", Des. Codes Cryptogr. 4 (1994);
        Brouwer–Van Maldeghem, §8.8 (partial difference sets).
    """
    key = (v, k, lam, mu)
    if key not in _PARTIAL_DIFFERENCE_SETS:
        raise InputError(f"no tabulated partial difference set with parameters {key}")
    mods, connection = _PARTIAL_DIFFERENCE_SETS[key]
    elements = list(itertools.product(*[range(m) for m in mods]))
    index = {g: i for i, g in enumerate(elements)}
    members = {index[g] for g in connection}
    diff = np.array([[index[tuple((a - b) % m for a, b, m in zip(x, y, mods, strict=True))] for y in elements]
                     for x in elements])
    mask = np.zeros(len(elements), dtype=bool)
    mask[list(members)] = True
    group = " × ".join(f"Z_{m}" for m in mods)
    return _certified(mask[diff], f"partial difference set in {group}", key)


# ---------------------------------------------------------------------------------------------------------
# named graphs
# ---------------------------------------------------------------------------------------------------------
def clebsch_graph() -> StronglyRegularGraph:
    """The Clebsch graph srg(16, 5, 0, 2) (folded 5-cube), built as the affine polar graph VO⁻(4, 2).

    References:
        Brouwer–Van Maldeghem, §10.7.
    """
    graph = affine_polar_graph("-", 2, 2)
    return StronglyRegularGraph(*graph.params, adjacency=graph.adjacency, name="Clebsch graph")


def shrikhande_graph() -> StronglyRegularGraph:
    """The Shrikhande graph srg(16, 6, 2, 2): Cayley graph on Z_4 × Z_4 (connection set below).

    Connection set ±(1,0), ±(0,1), ±(1,1). Same parameters as L2(4) but not isomorphic to it.
    Vertex (a, b) has index 4a + b.

    References:
        S. S. Shrikhande, "The uniqueness of the L2 association scheme", Ann. Math. Stat. 30 (1959).
    """
    connection = {(1, 0), (3, 0), (0, 1), (0, 3), (1, 1), (3, 3)}
    cells = [(a, b) for a in range(4) for b in range(4)]
    adjacent = [[((c[0] - d[0]) % 4, (c[1] - d[1]) % 4) in connection for d in cells] for c in cells]
    return _certified(adjacent, "Shrikhande graph", (16, 6, 2, 2))


def schlafli_graph() -> StronglyRegularGraph:
    """The Schläfli graph srg(27, 16, 10, 8): complement of the collinearity graph of GQ(2, 4) = O⁻(6, 2).

    References:
        Brouwer–Van Maldeghem, §10.10.
    """
    graph = complement(polar_graph("o-", 6, 2))
    return StronglyRegularGraph(*graph.params, adjacency=graph.adjacency, name="Schläfli graph")


def chang_graph(which: int = 1) -> StronglyRegularGraph:
    """The three Chang graphs srg(28, 12, 6, 4): Seidel switchings of T(8).

    T(8) has the edges of K_8 as vertices; switch with respect to the vertex set given by 4 disjoint edges
    (``which=1``), an 8-cycle (``which=2``) or a 3-cycle plus a disjoint 5-cycle (``which=3``) of K_8.

    Args:
        which: 1, 2 or 3.

    References:
        L. C. Chang, "Association schemes of partially balanced block designs with parameters v = 28, n1 = 12,
        n2 = 15 and p11^2 = 4", Sci. Record 4 (1960); Brouwer–Van Maldeghem, §10.6.
    """
    switch_edges = {
        1: [(0, 1), (2, 3), (4, 5), (6, 7)],
        2: [(i, (i + 1) % 8) for i in range(8)],
        3: [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (5, 6), (6, 7), (3, 7)],
    }
    if which not in switch_edges:
        raise InputError(f"Chang graph number must be 1, 2 or 3 (got {which})")
    pairs = list(itertools.combinations(range(8), 2))
    chosen = np.array([tuple(sorted(e)) in {tuple(sorted(x)) for x in switch_edges[which]} for e in pairs])
    a = triangular_graph(8).adjacency.toarray().astype(bool)
    flip = chosen[:, None] ^ chosen[None, :]
    switched = a ^ flip
    np.fill_diagonal(switched, False)
    return _certified(switched, f"Chang graph {which}", (28, 12, 6, 4))


def hoffman_singleton_graph() -> StronglyRegularGraph:
    """The Hoffman–Singleton graph srg(50, 7, 0, 1) by Robertson's pentagons and pentagrams.

    Pentagons P_h (h ∈ Z_5) with j ~ j ± 1 and pentagrams Q_i with j ~ j ± 2; vertex j of P_h is joined to
    vertex h·i + j of Q_i. P_h vertex j has index 5h + j, Q_i vertex j index 25 + 5i + j. (It is the unique
    srg(50,7,0,1).)

    References:
        A. J. Hoffman, R. R. Singleton, IBM J. Res. Dev. 4 (1960); G. Robertson (1969), as described in
        Brouwer–Van Maldeghem, §10.19.
    """
    a = np.zeros((50, 50), dtype=np.int8)
    for h in range(5):
        for j in range(5):
            p = 5 * h + j
            a[p, 5 * h + (j + 1) % 5] = a[5 * h + (j + 1) % 5, p] = 1
            qv = 25 + 5 * h + j
            a[qv, 25 + 5 * h + (j + 2) % 5] = a[25 + 5 * h + (j + 2) % 5, qv] = 1
            for i in range(5):
                other = 25 + 5 * i + (h * i + j) % 5
                a[p, other] = a[other, p] = 1
    return _certified(a, "Hoffman–Singleton graph", (50, 7, 0, 1))


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


def m22_graph() -> StronglyRegularGraph:
    """The M22 graph srg(77, 16, 0, 4): the 77 hexads of S(3, 6, 22), adjacent when disjoint.

    S(3, 6, 22) is derived twice from the octads of the extended binary Golay code (cyclic generator
    x¹¹ + x¹⁰ + x⁶ + x⁵ + x⁴ + x² + 1, extended by parity).

    References:
        Brouwer–Van Maldeghem, §10.51; F. J. MacWilliams, N. J. A. Sloane, *The Theory of Error-Correcting
        Codes*, ch. 20.
    """
    hexads = _hexads()
    a = np.array([[not (x & y) for y in hexads] for x in hexads])
    return _certified(a, "M22 graph", (77, 16, 0, 4))


def gewirtz_graph() -> StronglyRegularGraph:
    """The Sims–Gewirtz graph srg(56, 10, 0, 2): hexads of S(3,6,22) missing a point; disjoint ones adjacent.

    References:
        A. Gewirtz, "Graphs with maximal even girth", Canad. J. Math. 21 (1969); Brouwer–Van Maldeghem,
        §10.42.
    """
    hexads = [h for h in _hexads() if 0 not in h]
    a = np.array([[not (x & y) for y in hexads] for x in hexads])
    return _certified(a, "Gewirtz graph", (56, 10, 0, 2))


def higman_sims_graph() -> StronglyRegularGraph:
    """The Higman–Sims graph srg(100, 22, 0, 6): ∞, the 22 points and the 77 hexads of S(3, 6, 22).

    ∞ is joined to every point, a point to the hexads containing it, and two hexads when they are disjoint.
    Vertex 0 is ∞, 1..22 the points, 23..99 the hexads.

    References:
        D. G. Higman, C. C. Sims, "A simple group of order 44,352,000", Math. Z. 105 (1968);
        Brouwer–Van Maldeghem, §10.56.
    """
    hexads = _hexads()
    a = np.zeros((100, 100), dtype=np.int8)
    a[0, 1:23] = a[1:23, 0] = 1
    for h, block in enumerate(hexads):
        for p in block:
            a[1 + p, 23 + h] = a[23 + h, 1 + p] = 1
        for g, other in enumerate(hexads):
            if not (block & other):
                a[23 + h, 23 + g] = 1
    return _certified(a, "Higman–Sims graph", (100, 22, 0, 6))


# ---------------------------------------------------------------------------------------------------------
# choosing a construction for (v, k, λ, μ)
# ---------------------------------------------------------------------------------------------------------
MAX_VERTICES = 5000
"""Largest v that :func:`srg` builds (the certificate uses dense v × v arithmetic)."""

Candidate = tuple[Params, str, Callable[[], StronglyRegularGraph]]

_SPORADIC: list[Candidate] = [
    ((10, 3, 0, 1), "Petersen graph", petersen_graph),
    ((16, 5, 0, 2), "Clebsch graph", clebsch_graph),
    ((16, 6, 2, 2), "Shrikhande graph", shrikhande_graph),
    ((27, 16, 10, 8), "Schläfli graph", schlafli_graph),
    ((28, 12, 6, 4), "Chang graph 1", lambda: chang_graph(1)),
    ((50, 7, 0, 1), "Hoffman–Singleton graph", hoffman_singleton_graph),
    ((56, 10, 0, 2), "Gewirtz graph", gewirtz_graph),
    ((77, 16, 0, 4), "M22 graph", m22_graph),
    ((100, 22, 0, 6), "Higman–Sims graph", higman_sims_graph),
]


def _is_power(v: int, base: int) -> int | None:
    e, x = 0, 1
    while x < v:
        x *= base
        e += 1
    return e if x == v else None


def _primitive_candidates(v: int) -> list[Candidate]:
    out: list[Candidate] = []
    if v % 4 == 1 and is_prime_power(v):
        out.append(((v, (v - 1) // 2, (v - 5) // 4, (v - 1) // 4), f"Paley({v})", lambda: paley_graph(v)))
    n = (1 + math.isqrt(1 + 8 * v)) // 2
    if n >= 5 and n * (n - 1) // 2 == v:
        out.append(((v, 2 * (n - 2), n - 2, 4), f"T({n})", lambda n=n: triangular_graph(n)))
    n = math.isqrt(v)
    if n >= 3 and n * n == v:
        top = n if is_prime_power(n) else 3
        for r in range(2, min(top, n) + 1):
            name = f"L2({n})" if r == 2 else f"LS_{r}({n})"
            out.append(((v, r * (n - 1), n - 2 + (r - 1) * (r - 2), r * (r - 1)), name,
                        lambda r=r, n=n: latin_square_graph(r, n)))
    for q in range(2, v):
        if not is_prime_power(q):
            continue
        for kind, dims in (("sp", range(4, 40, 2)), ("o+", range(6, 40, 2)), ("o-", range(6, 40, 2)),
                           ("o", range(5, 40, 2)), ("u", range(4, 40))):
            for dim in dims:
                params = polar_params(kind, dim, q)
                if params is None or params[0] > v:
                    break
                if params[0] == v and not (kind == "o" and q % 2 == 0):  # O(2d+1, 2^e) ≅ Sp(2d, 2^e)
                    label = {"sp": "Sp", "o+": "O+", "o-": "O-", "o": "O", "u": "U"}[kind] + f"({dim},{q})"
                    out.append((params, label, lambda kind=kind, dim=dim, q=q: polar_graph(kind, dim, q)))
        e = _is_power(v, q)
        if e is not None and e >= 4 and e % 2 == 0:
            for sign in "+-":
                params = affine_polar_params(sign, e // 2, q)
                if params is not None:
                    out.append((params, f"VO{sign}({e},{q})",
                                lambda sign=sign, e=e, q=q: affine_polar_graph(sign, e // 2, q)))
    for q in (4, 8, 16):
        if v == q**3:
            out.append(((v, (q - 1) * (q + 2), q - 2, q + 2), f"GQ({q - 1},{q + 1}) = T2*(O)",
                        lambda q=q: hyperoval_quadrangle_graph(q)))
        if v == q * q * (q + 2):
            out.append(((v, q * (q + 1), q, q), f"GQ({q + 1},{q - 1}) dual of T2*(O)",
                        lambda q=q: hyperoval_quadrangle_graph(q, dual=True)))
    # block graphs of Steiner 2-designs with b = v
    for k in range(3, v):
        if k * (k - 1) > 2 * v:
            break
        # V(V−1) = v k(k−1)
        disc = 1 + 4 * v * k * (k - 1)
        root = math.isqrt(disc)
        if root * root != disc:
            continue
        big_v = (1 + root) // 2
        r = (big_v - 1) // (k - 1) if (big_v - 1) % (k - 1) == 0 else 0
        if r >= 3 and big_v > k and bibd_construction(big_v, k, 1) is not None:
            params = (v, k * (r - 1), r - 2 + (k - 1) ** 2, k * k)
            if 0 < params[1] < v - 1:
                out.append((params, f"block graph of S(2,{k},{big_v})",
                            lambda big_v=big_v, k=k: steiner_block_graph(big_v, k)))
    if is_prime_power(v) and not galois.is_prime(v) and v <= 128:
        # prime fields: strongly regular cyclotomic graphs with e ≥ 3 need p^j ≡ −1 (mod e) (semiprimitive),
        # impossible for e ≥ 3 dividing p − 1; unions gave nothing beyond Paley's parameters for p ≤ 128
        for params, e, classes in cyclotomic_srgs(v):
            if (v, e, classes) == (81, 4, (0,)):
                label = "Brouwer–Haemers graph"
            else:
                label = f"cyclotomic graph ({v},{e},{'+'.join(map(str, classes))})"
            out.append((params, label, lambda e=e, classes=classes: cyclotomic_graph(v, e, classes)))

    out.extend(c for c in _SPORADIC if c[0][0] == v)
    for params in _PARTIAL_DIFFERENCE_SETS:
        if params[0] == v:
            out.append((params, f"partial difference set {params}",
                        lambda params=params: partial_difference_set_graph(*params)))
    return out


def _complement_params(params: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    v, k, lam, mu = params
    return (v, v - k - 1, v - 2 * k + mu - 2, v - 2 * k + lam)


def srg_candidates(v: int) -> list[Candidate]:
    """Every (params, construction name, builder) gcli has on v vertices, complements included.

    Nothing is built: parameters come from the families' formulas (and each builder re-checks them).
    """
    if v < 5:
        return []
    direct = _primitive_candidates(v)
    complements: list[Candidate] = [
        (_complement_params(params), f"complement of {name}", lambda build=build: complement(build()))
        for params, name, build in direct
    ]
    out: list[Candidate] = []
    seen: set[tuple[Params, str]] = set()
    for p, label, b in direct + complements:
        if 0 < p[1] < v - 1 and (p, label) not in seen:
            seen.add((p, label))
            out.append((p, label, b))
    return out


def srg_construction(v: int, k: int, lam: int, mu: int) -> str | None:
    """Name of the construction :func:`srg` would use for (v, k, λ, μ), or None."""
    for params, name, _ in srg_candidates(v):
        if params == (v, k, lam, mu):
            return name
    return None


def srg(v: int, k: int, lam: int, mu: int) -> StronglyRegularGraph:
    """An srg(v, k, λ, μ) from the first gcli family with these parameters (certified before it is returned).

    Families: Paley, triangular T(n), lattice L2(n) and Latin-square graphs LS_r(n), symplectic, orthogonal
    and unitary polar graphs (generalized quadrangles), affine polar graphs VO^±(2m, q), block graphs of
    Steiner systems, cyclotomic graphs, the named graphs (Petersen, Clebsch, Shrikhande, Schläfli, Chang,
    Hoffman–Singleton, Gewirtz, M22, Higman–Sims, Brouwer–Haemers), and the complements of all of these.

    Args:
        v: vertices.
        k: degree.
        lam: common neighbours of adjacent vertices.
        mu: common neighbours of non-adjacent vertices.

    References:
        Brouwer–Van Maldeghem, *Strongly Regular Graphs* (CUP 2022).
    """
    if v > MAX_VERTICES:
        raise InputError(f"gcli builds strongly regular graphs with at most {MAX_VERTICES} vertices (v={v})")
    for params, _, build in srg_candidates(v):
        if params == (v, k, lam, mu):
            return build()
    raise InputError(
        f"gcli has no construction for srg({v}, {k}, {lam}, {mu}) "
        f"(see `gcli bound exists srg {v} {k} {lam} {mu}`)"
    )
