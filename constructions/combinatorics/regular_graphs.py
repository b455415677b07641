"""Regular and bipartite-regular graphs for the expander codes of Raviv et al. (B = A/d).

Every builder returns a symmetric integer adjacency matrix (multi-edges counted, a loop adds 2 to its vertex's
degree, as in networkx's degree) checked to be d-regular by :func:`gcli.structures.check_regular`.

References (for the whole module): N. Raviv, I. Tamo, R. Tandon, A. G. Dimakis, "Gradient Coding from Cyclic MDS
Codes and Expander Graphs", ICML 2018 (arXiv:1707.03858); S. Hoory, N. Linial, A. Wigderson, "Expander graphs
and their applications", Bull. AMS 43 (2006).
"""

from __future__ import annotations

import math

import numpy as np

from gcli.errors import ImpossibleParameters, NotSupported
from gcli.fields.numbertheory import is_prime, legendre
from gcli.structures import check_regular

from .._common import rng
from .algebraic_graphs import paley_graph
from .sporadic_graphs import hoffman_singleton_graph, petersen_graph

__all__ = [
    "GRAPH_FAMILIES",
    "bipartite_regular_support",
    "lps_graph",
    "margulis_graph",
    "random_regular_graph",
    "regular_graph",
]

GRAPH_FAMILIES = (
    "random-regular", "margulis", "ramanujan-lps", "bipartite-regular", "paley", "petersen",
    "hoffman-singleton", "cycle", "complete",
)
"""The family names :func:`regular_graph` and ``gcli design graph --family`` accept."""

MAX_VERTICES = 5000
"""Largest graph :func:`regular_graph` builds (dense adjacency)."""


def _checked(adjacency: np.ndarray, d: int, name: str) -> np.ndarray:
    problem = check_regular(adjacency, d)
    if problem is not None:  # a construction bug, never bad input
        raise RuntimeError(f"{name}: {problem}")
    return adjacency


def random_regular_graph(n: int, d: int, seed: int = 0) -> np.ndarray:
    """A uniformly random simple d-regular graph on n vertices (networkx pairing model, seeded).

    Args:
        n: vertices (n·d even, d < n).
        d: degree.
        seed: seed of the generator (same seed, same graph).

    Returns:
        The n × n int64 adjacency matrix.

    Example:
        >>> random_regular_graph(10, 3, seed=1).sum(axis=1).tolist()
        [3, 3, 3, 3, 3, 3, 3, 3, 3, 3]

    References:
        A. Steger, N. Wormald, "Generating random regular graphs quickly", Combin. Probab. Comput. 8 (1999);
        networkx ``random_regular_graph``.
    """
    import networkx as nx

    if d < 1 or d >= n or (n * d) % 2:
        raise ImpossibleParameters(
            f"a simple d-regular graph on n vertices needs 1 ≤ d < n and n·d even (n={n}, d={d})")
    graph = nx.random_regular_graph(d, n, seed=int(rng(seed).integers(2**31)))
    return _checked(nx.to_numpy_array(graph, nodelist=range(n), dtype=np.int64), d, "random regular graph")


def margulis_graph(n: int) -> np.ndarray:
    """The Margulis–Gabber–Galil expander: 8-regular multigraph on Z_m × Z_m (n = m²), (x, y) ↦ x·m + y.

    Neighbours of (x, y): (x ± y, y), (x ± (y+1), y), (x, y ± x), (x, y ± (x+1)) (networkx's construction; loops
    count twice).

    Args:
        n: vertices, a perfect square m² (m ≥ 2).

    Returns:
        The n × n int64 adjacency matrix (multi-edges counted).

    Example:
        >>> margulis_graph(25).sum(axis=1)[:3].tolist()
        [8, 8, 8]

    References:
        O. Gabber, Z. Galil, "Explicit constructions of linear-sized superconcentrators", JCSS 22 (1981);
        networkx ``margulis_gabber_galil_graph``.
    """
    import networkx as nx

    m = math.isqrt(n)
    if m < 2 or m * m != n:
        raise ImpossibleParameters(f"the Margulis graph needs n = m² with m ≥ 2 (got n={n})")
    edges = np.array([(x1 * m + y1, x2 * m + y2) for (x1, y1), (x2, y2) in
                      nx.margulis_gabber_galil_graph(m).edges()], dtype=np.int64)
    a = np.zeros((n, n), dtype=np.int64)
    np.add.at(a, (edges[:, 0], edges[:, 1]), 1)
    np.add.at(a, (edges[:, 1], edges[:, 0]), 1)
    return _checked(a, 8, "Margulis–Gabber–Galil graph")


def lps_graph(p: int, q: int) -> np.ndarray:
    """The Lubotzky–Phillips–Sarnak Ramanujan graph X^{p,q}: a (p+1)-regular Cayley graph of PGL(2, q).

    p ≠ q are primes ≡ 1 (mod 4). The p + 1 solutions of a₀² + a₁² + a₂² + a₃² = p with a₀ > 0 odd and a₁, a₂, a₃
    even give the generators [[a₀ + i·a₁, a₂ + i·a₃], [−a₂ + i·a₃, a₀ − i·a₁]] (i² = −1 mod q); the graph is the
    connected component of the identity: PSL(2, q) (q(q²−1)/2 vertices) when p is a square mod q, otherwise the
    bipartite graph on PGL(2, q) (q(q²−1) vertices). Non-trivial eigenvalues satisfy |λ| ≤ 2√p. Matrices are
    normalised (first non-zero entry 1) and numbered in breadth-first order.

    Args:
        p: prime ≡ 1 (mod 4), the degree minus one.
        q: prime ≡ 1 (mod 4), q ≠ p, q > 2√p.

    Returns:
        The int64 adjacency matrix.

    Example:
        >>> lps_graph(5, 13).shape
        (2184, 2184)

    References:
        A. Lubotzky, R. Phillips, P. Sarnak, "Ramanujan graphs", Combinatorica 8 (1988); G. Davidoff, P. Sarnak,
        A. Valette, *Elementary Number Theory, Group Theory and Ramanujan Graphs*, CUP 2003, ch. 4.
    """
    if p == q or p % 4 != 1 or q % 4 != 1 or not is_prime(p) or not is_prime(q) or q * q <= 4 * p:
        raise ImpossibleParameters(f"LPS graphs need distinct primes p, q ≡ 1 (mod 4) with q > 2√p (got p={p}, q={q})")
    i = next(x for x in range(2, q) if (x * x + 1) % q == 0)
    root = math.isqrt(p)
    solutions = [
        (a0, a1, a2, a3)
        for a0 in range(1, root + 1, 2)
        for a1 in range(-root, root + 1)
        for a2 in range(-root, root + 1)
        for a3 in range(-root, root + 1)
        if a1 % 2 == 0 and a2 % 2 == 0 and a3 % 2 == 0 and a0 * a0 + a1 * a1 + a2 * a2 + a3 * a3 == p
    ]
    if len(solutions) != p + 1:
        raise RuntimeError(f"found {len(solutions)} LPS generators, expected p + 1 = {p + 1}")

    def normalise(m: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        inv = pow(next(x for x in m if x % q), -1, q)
        return tuple(x * inv % q for x in m)  # type: ignore[return-value]

    def times(x: tuple[int, int, int, int], y: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        return normalise(((x[0] * y[0] + x[1] * y[2]) % q, (x[0] * y[1] + x[1] * y[3]) % q,
                          (x[2] * y[0] + x[3] * y[2]) % q, (x[2] * y[1] + x[3] * y[3]) % q))

    gens = [normalise(((a0 + i * a1) % q, (a2 + i * a3) % q, (-a2 + i * a3) % q, (a0 - i * a1) % q))
            for a0, a1, a2, a3 in solutions]
    identity = normalise((1, 0, 0, 1))
    index, order, edges = {identity: 0}, [identity], []
    head = 0
    while head < len(order):
        g = order[head]
        for s in gens:
            h = times(g, s)
            if h not in index:
                index[h] = len(order)
                order.append(h)
            edges.append((head, index[h]))
        head += 1
    pairs = np.array(edges, dtype=np.int64)
    a = np.zeros((len(order), len(order)), dtype=np.int64)
    np.add.at(a, (pairs[:, 0], pairs[:, 1]), 1)
    return _checked(a, p + 1, f"LPS graph X^({p},{q})")


def bipartite_regular_support(n: int, d: int, seed: int = 0) -> np.ndarray:
    """A random d-regular bipartite graph between n workers and n partitions, as an n × n 0/1 matrix.

    P_σ · C · P_π with C the circulant with ones at offsets 0..d−1 and σ, π seeded random permutations: every
    worker holds d partitions and every partition is held by d workers.

    Args:
        n: workers (= partitions).
        d: degree, 1 ≤ d ≤ n.
        seed: seed of the generator.

    Returns:
        The n × n int64 0/1 support matrix.

    Example:
        >>> bipartite_regular_support(6, 2, seed=1).sum(axis=0).tolist()
        [2, 2, 2, 2, 2, 2]

    References:
        Raviv, Tamo, Tandon, Dimakis, ICML 2018 (random bipartite assignments).
    """
    if d < 1 or d > n:
        raise ImpossibleParameters(f"bipartite-regular needs 1 ≤ d ≤ n (n={n}, d={d})")
    generator = rng(seed)
    circulant = np.zeros((n, n), dtype=np.int64)
    for t in range(d):
        circulant[np.arange(n), (np.arange(n) + t) % n] = 1
    sigma, pi = generator.permutation(n), generator.permutation(n)
    support = circulant[sigma][:, pi]
    if not (np.all(support.sum(axis=0) == d) and np.all(support.sum(axis=1) == d)):
        raise RuntimeError("bipartite-regular support is not d-regular")
    return support


def _lps_for(n: int, d: int) -> np.ndarray:
    """The LPS graph with degree d = p + 1 and n vertices (q found from n = q(q²−1) or q(q²−1)/2)."""
    p = d - 1
    for q in range(5, round((2 * n) ** (1 / 3)) + 3):
        if not (is_prime(q) and q % 4 == 1 and q != p and q * q > 4 * p):
            continue
        if q * (q * q - 1) // (2 if legendre(p, q) == 1 else 1) == n:
            return lps_graph(p, q)
    raise ImpossibleParameters(
        f"no LPS graph X^(p,q) with degree {d} on {n} vertices: need p = d − 1 ≡ 1 (mod 4) prime and "
        "n = q(q²−1)/2 (p a square mod q) or q(q²−1) for a prime q ≡ 1 (mod 4)"
    )


def regular_graph(family: str, n: int, d: int | None = None, seed: int = 0) -> np.ndarray:
    """Adjacency matrix of a d-regular graph from a named family (see :data:`GRAPH_FAMILIES`).

    Args:
        family: ``random-regular``, ``margulis``, ``ramanujan-lps``, ``paley``, ``petersen``,
            ``hoffman-singleton``, ``cycle`` or ``complete`` (``bipartite-regular`` is a support matrix, see
            :func:`bipartite_regular_support`).
        n: vertices (at most 5000).
        d: degree (checked against the family's when it is fixed).
        seed: seed for random families.

    Returns:
        The n × n int64 adjacency matrix.

    Example:
        >>> regular_graph("cycle", 5).sum(axis=1).tolist()
        [2, 2, 2, 2, 2]

    References:
        Raviv, Tamo, Tandon, Dimakis, ICML 2018 (expander codes); see the family functions for each family.
    """
    if n > MAX_VERTICES:
        raise ImpossibleParameters(f"gcli builds graph codes with at most {MAX_VERTICES} vertices (got n={n})")
    if family == "random-regular":
        if d is None:
            raise ImpossibleParameters("random-regular needs a degree -d")
        return random_regular_graph(n, d, seed)
    if family == "margulis":
        a = margulis_graph(n)
    elif family == "ramanujan-lps":
        if d is None:
            raise ImpossibleParameters("ramanujan-lps needs -d = p + 1 for a prime p ≡ 1 (mod 4)")
        a = _lps_for(n, d)
    elif family == "paley":
        a = paley_graph(n).dense()
    elif family == "petersen":
        a = petersen_graph().dense()
    elif family == "hoffman-singleton":
        a = hoffman_singleton_graph().dense()
    elif family == "cycle":
        if n < 3:
            raise ImpossibleParameters(f"a cycle needs n ≥ 3 (got {n})")
        a = np.roll(np.eye(n, dtype=np.int64), 1, axis=1)
        a = a + a.T
    elif family == "complete":
        if n < 2:
            raise ImpossibleParameters(f"a complete graph needs n ≥ 2 (got {n})")
        a = np.ones((n, n), dtype=np.int64) - np.eye(n, dtype=np.int64)
    else:
        raise NotSupported(f"unknown graph family {family!r} (choose from {', '.join(GRAPH_FAMILIES)})")
    if a.shape[0] != n:
        raise ImpossibleParameters(f"the {family} graph has {a.shape[0]} vertices, not n = {n}")
    degree = int(a[0].sum())
    if d is not None and d != degree:
        raise ImpossibleParameters(f"the {family} graph on {n} vertices is {degree}-regular, not d = {d}")
    return _checked(a, degree, family)
