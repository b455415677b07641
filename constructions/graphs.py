"""Regular and bipartite-regular graphs for approximate gradient codes (Raviv et al.: B = A/d).

Every builder returns a symmetric integer adjacency matrix (multi-edges counted, a loop adds 2 to its vertex's
degree, as in networkx's degree) that has been checked to be d-regular. :func:`graph_code`,
:func:`srg_code` and the BIBD code in :mod:`gcli.constructions.designs` turn such structures into
``exact=False`` gradient codes.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

import networkx as nx
import numpy as np

from gcli.code import Code
from gcli.errors import InputError

from ._common import CliFlags, rng
from ._structured import structured_code
from .srg import hoffman_singleton_graph, paley_graph, petersen_graph, srg, srg_candidates

__all__ = [
    "GRAPH_FAMILIES",
    "bipartite_regular_support",
    "graph_code",
    "lps_graph",
    "margulis_graph",
    "random_regular_graph",
    "regular_graph",
    "spectral_summary",
    "srg_code",
    "srg_search",
]

GRAPH_FAMILIES = (
    "random-regular", "margulis", "ramanujan-lps", "bipartite-regular", "paley", "petersen",
    "hoffman-singleton", "cycle", "complete",
)


def _check_regular(adjacency: np.ndarray, d: int, name: str) -> np.ndarray:
    if not np.array_equal(adjacency, adjacency.T):
        raise RuntimeError(f"{name}: adjacency is not symmetric")
    degrees = adjacency.sum(axis=1)
    if not np.all(degrees == d):
        raise RuntimeError(f"{name}: graph is not {d}-regular")
    return adjacency


def random_regular_graph(n: int, d: int, seed: int = 0) -> np.ndarray:
    """A uniformly random simple d-regular graph on n vertices (networkx pairing model, seeded).

    Args:
        n: vertices (n·d even, d < n).
        d: degree.
        seed: seed of the generator (same seed, same graph).

    References:
        A. Steger, N. Wormald, "Generating random regular graphs quickly", Combin. Probab. Comput. 8 (1999);
        networkx ``random_regular_graph``.
    """
    if d < 1 or d >= n or (n * d) % 2:
        raise InputError(
            f"a simple d-regular graph on n vertices needs 1 ≤ d < n and n·d even (n={n}, d={d})"
        )
    seed_value = int(rng(seed).integers(2**31))
    graph = nx.random_regular_graph(d, n, seed=seed_value)
    a = nx.to_numpy_array(graph, nodelist=range(n), dtype=np.int64)
    return _check_regular(a, d, "random regular graph")


def margulis_graph(n: int) -> np.ndarray:
    """The Margulis–Gabber–Galil expander: 8-regular multigraph on Z_m × Z_m (n = m²), (x, y) ↦ x·m + y.

    Neighbours of (x, y): (x ± y, y), (x ± (y+1), y), (x, y ± x), (x, y ± (x+1)) (networkx's construction,
    loops count twice).

    Args:
        n: vertices, a perfect square m² (m ≥ 2).

    References:
        O. Gabber, Z. Galil, "Explicit constructions of linear-sized superconcentrators", JCSS 22 (1981);
        networkx ``margulis_gabber_galil_graph``.
    """
    m = round(n**0.5)
    if m < 2 or m * m != n:
        raise InputError(f"the Margulis graph needs n = m² with m ≥ 2 (got n={n})")
    graph = nx.margulis_gabber_galil_graph(m)
    a = np.zeros((n, n), dtype=np.int64)
    for (x1, y1), (x2, y2) in graph.edges():
        u, w = x1 * m + y1, x2 * m + y2
        a[u, w] += 1
        a[w, u] += 1
    return _check_regular(a, 8, "Margulis–Gabber–Galil graph")


def lps_graph(p: int, q: int) -> np.ndarray:
    """The Lubotzky–Phillips–Sarnak Ramanujan graph X^{p,q}: a (p+1)-regular Cayley graph of PGL(2, q).

    p ≠ q are primes ≡ 1 (mod 4). The p + 1 solutions of a₀² + a₁² + a₂² + a₃² = p with a₀ > 0 odd and a₁,
    a₂, a₃ even give the generators [[a₀ + i·a₁, a₂ + i·a₃], [−a₂ + i·a₃, a₀ − i·a₁]] (i² = −1 mod q); the
    graph is the connected component of the identity: PSL(2, q) (q(q²−1)/2 vertices) when p is a square mod
    q, otherwise the bipartite graph on PGL(2, q) (q(q²−1) vertices). Non-trivial eigenvalues satisfy |λ| ≤
    2√p (checked by the tests). Matrices are normalised (first non-zero entry 1) and numbered in
    breadth-first order.

    Args:
        p: prime ≡ 1 (mod 4), the degree minus one.
        q: prime ≡ 1 (mod 4), q ≠ p, q > 2√p.

    References:
        A. Lubotzky, R. Phillips, P. Sarnak, "Ramanujan graphs", Combinatorica 8 (1988); G. Davidoff, P.
        Sarnak, A. Valette, *Elementary Number Theory, Group Theory and Ramanujan Graphs*, CUP 2003, ch. 4.
    """
    import sympy

    if p == q or p % 4 != 1 or q % 4 != 1 or not sympy.isprime(p) or not sympy.isprime(q) or q * q <= 4 * p:
        raise InputError(f"LPS graphs need distinct primes p, q ≡ 1 (mod 4) with q > 2√p (got p={p}, q={q})")
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
        lead = next(x for x in m if x % q)
        inv = pow(lead, -1, q)
        return tuple(x * inv % q for x in m)  # type: ignore[return-value]

    def times(x: tuple[int, int, int, int], y: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        return normalise(((x[0] * y[0] + x[1] * y[2]) % q, (x[0] * y[1] + x[1] * y[3]) % q,
                          (x[2] * y[0] + x[3] * y[2]) % q, (x[2] * y[1] + x[3] * y[3]) % q))

    gens = [normalise(((a0 + i * a1) % q, (a2 + i * a3) % q, (-a2 + i * a3) % q, (a0 - i * a1) % q))
            for a0, a1, a2, a3 in solutions]
    index = {normalise((1, 0, 0, 1)): 0}
    order = [normalise((1, 0, 0, 1))]
    edges: list[tuple[int, int]] = []
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
    n = len(order)
    a = np.zeros((n, n), dtype=np.int64)
    for u, w in edges:
        a[u, w] += 1
    return _check_regular(a, p + 1, f"LPS graph X^({p},{q})")


def bipartite_regular_support(n: int, d: int, seed: int = 0) -> np.ndarray:
    """A random d-regular bipartite graph between n workers and n partitions, as an n × n 0/1 matrix.

    P_σ · C · P_π with C the circulant with ones at offsets 0..d−1 and σ, π seeded random permutations: every
    worker holds d partitions and every partition is held by d workers.

    Args:
        n: workers (= partitions).
        d: degree, 1 ≤ d ≤ n.
        seed: seed of the generator.

    References:
        N. Raviv, I. Tamo, R. Tandon, A. G. Dimakis, "Gradient Coding from Cyclic MDS Codes and Expander
        Graphs", ICML 2018 (random bipartite assignments).
    """
    if d < 1 or d > n:
        raise InputError(f"bipartite-regular needs 1 ≤ d ≤ n (n={n}, d={d})")
    generator = rng(seed)
    circulant = np.zeros((n, n), dtype=np.int64)
    for t in range(d):
        circulant[np.arange(n), (np.arange(n) + t) % n] = 1
    sigma, pi = generator.permutation(n), generator.permutation(n)
    support = circulant[sigma][:, pi]
    if not (np.all(support.sum(axis=0) == d) and np.all(support.sum(axis=1) == d)):
        raise RuntimeError("bipartite-regular support is not d-regular")
    return support


def regular_graph(family: str, n: int, d: int | None = None, seed: int = 0) -> np.ndarray:
    """Adjacency matrix of a d-regular graph from a named family (see ``GRAPH_FAMILIES``).

    Args:
        family: ``random-regular``, ``margulis``, ``paley``, ``petersen``, ``hoffman-singleton``, ``cycle`` or
            ``complete`` (``bipartite-regular`` is a support matrix, see :func:`bipartite_regular_support`).
        n: vertices.
        d: degree (checked against the family's when it is fixed).
        seed: seed for random families.
    """
    if n > 5000:
        raise InputError(f"gcli builds graph codes with at most 5000 vertices (got n={n})")
    if family == "random-regular":
        if d is None:
            raise InputError("random-regular needs a degree -d")
        return random_regular_graph(n, d, seed)
    if family == "margulis":
        a = margulis_graph(n)
    elif family == "ramanujan-lps":
        if d is None:
            raise InputError("ramanujan-lps needs -d = p + 1 for a prime p ≡ 1 (mod 4)")
        a = _lps_for(n, d)
    elif family == "paley":
        a = paley_graph(n).adjacency.toarray().astype(np.int64)
    elif family == "petersen":
        a = petersen_graph().adjacency.toarray().astype(np.int64)
    elif family == "hoffman-singleton":
        a = hoffman_singleton_graph().adjacency.toarray().astype(np.int64)
    elif family == "cycle":
        if n < 3:
            raise InputError(f"a cycle needs n ≥ 3 (got {n})")
        a = np.zeros((n, n), dtype=np.int64)
        a[np.arange(n), (np.arange(n) + 1) % n] = 1
        a = a + a.T
    elif family == "complete":
        if n < 2:
            raise InputError(f"a complete graph needs n ≥ 2 (got {n})")
        a = np.ones((n, n), dtype=np.int64) - np.eye(n, dtype=np.int64)
    else:
        raise InputError(f"unknown graph family {family!r} (choose from {', '.join(GRAPH_FAMILIES)})")
    if a.shape[0] != n:
        raise InputError(f"the {family} graph has {a.shape[0]} vertices, not n = {n}")
    degree = int(a[0].sum())
    if d is not None and d != degree:
        raise InputError(f"the {family} graph on {n} vertices is {degree}-regular, not d = {d}")
    return _check_regular(a, degree, family)


def _lps_for(n: int, d: int) -> np.ndarray:
    """The LPS graph with degree d = p + 1 and n vertices (q found from n = q(q²−1) or q(q²−1)/2)."""
    import sympy

    p = d - 1
    for q in range(5, round((2 * n) ** (1 / 3)) + 3):
        if not (sympy.isprime(q) and q % 4 == 1 and q != p and q * q > 4 * p):
            continue
        size = q * (q * q - 1) // (2 if sympy.legendre_symbol(p % q, q) == 1 else 1)
        if size == n:
            return lps_graph(p, q)
    raise InputError(
        f"no LPS graph X^(p,q) with degree {d} on {n} vertices: need p = d − 1 ≡ 1 (mod 4) prime and "
        "n = q(q²−1)/2 (p a square mod q) or q(q²−1) for a prime q ≡ 1 (mod 4)"
    )


def spectral_summary(adjacency: np.ndarray) -> dict[str, Any]:
    """Eigenvalues of a symmetric adjacency (numerical), the second largest modulus λ and the spectral gap."""
    values = np.linalg.eigvalsh(adjacency.astype(np.float64))
    d = float(values[-1])
    rest = values[:-1]
    second = float(np.max(np.abs(rest))) if len(rest) else 0.0
    rounded, counts = np.unique(np.round(values, 8), return_counts=True)
    return {
        "degree": round(d, 10),
        "second_largest_modulus": round(second, 10),
        "spectral_gap": round(d - float(rest[-1]), 10) if len(rest) else 0.0,
        "eigenvalues": [float(x) for x in rounded[::-1]],
        "multiplicities": [int(c) for c in counts[::-1]],
    }


def _edges_with_multiplicity(adjacency: np.ndarray) -> list[list[int]]:
    edges: list[list[int]] = []
    n = adjacency.shape[0]
    for i in range(n):
        for j in range(i, n):
            count = int(adjacency[i, j]) // (2 if i == j else 1)
            edges.extend([[i, j]] * count)
    return edges


def _graph_code_from_adjacency(scheme: str, adjacency: np.ndarray, s: int, loops: bool,
                               construction: dict[str, Any], graph_block: dict[str, Any]) -> Code:
    n = adjacency.shape[0]
    support = adjacency + (np.eye(n, dtype=np.int64) if loops else 0)
    degree = int(support[0].sum())
    if s < 0 or s >= n:
        raise InputError(f"{scheme}: the planned straggler count s must satisfy 0 ≤ s < n = {n} (got {s})")
    spectrum = spectral_summary(adjacency)
    lam = spectrum["second_largest_modulus"]
    construction = {
        **construction,
        "s": s,
        "loops": loops,
        "encoding": "B = A/d (Raviv et al.): worker i holds its neighbours"
        + (" and itself" if loops else ""),
        "decoder": {"kind": "fixed", "weight": n / (n - s), "note": "u_F = n/(n−s) on every responder"},
        "error_bound": {
            "formula": "(λ/d)²·n·s/(n−s) for ‖u_F B − 1‖² with the fixed decoder (expander mixing)",
            "value": (lam / degree) ** 2 * n * s / (n - s) if not loops else None,
        },
    }
    # multi-edges: B = A/d with multiplicities, support is A ≠ 0
    encoding_support = support.astype(np.float64)
    code = structured_code(scheme, (encoding_support != 0).astype(np.int64), 1.0 / degree, s, construction,
                           {"graph": {**graph_block, "spectrum": spectrum}})
    if np.any(support > 1):
        code = code.with_encoding(encoding_support / degree)
    return code


def graph_code(
    family: Literal[
        "random-regular", "margulis", "ramanujan-lps", "bipartite-regular", "paley", "petersen",
        "hoffman-singleton", "cycle", "complete",
    ] = "random-regular",
    n: int = 10,
    d: Annotated[int | None, CliFlags("-d", "--degree", help="degree d (fixed by some families)")] = None,
    s: int = 1,
    seed: int = 0,
) -> Code:
    """Approximate gradient code from a d-regular graph: B = A/d, worker i holds its neighbours (exact=False).

    Raviv et al.'s expander codes: with the fixed decoder u_F = n/(n−s) on the responders the error satisfies
    ‖u_F B − 1‖² ≤ (λ/d)²·n·s/(n−s), λ the second largest eigenvalue modulus (recorded in the construction
    block with the numerical spectrum). ``bipartite-regular`` uses a random d-regular bipartite worker ×
    partition graph instead of a graph's adjacency. ``s`` is the straggler count the user plans for
    (default 1); the code is exact only for s = 0.

    Args:
        family: graph family.
        n: workers (= partitions = vertices).
        d: degree (required for random-regular and bipartite-regular).
        s: planned stragglers (the code's s; approximate for s ≥ 1).
        seed: seed for the random families.

    References:
        N. Raviv, I. Tamo, R. Tandon, A. G. Dimakis, "Gradient Coding from Cyclic MDS Codes and Expander
        Graphs", ICML 2018 / IEEE T-IT 2020 (arXiv:1707.03858); literature §4.3.
    """
    construction: dict[str, Any] = {"family": family, "n": n, "d": d, "seed": seed}
    if n > 5000:
        raise InputError(f"gcli builds graph codes with at most 5000 workers (got n={n})")
    if family == "bipartite-regular":
        if d is None:
            raise InputError("bipartite-regular needs a degree -d")
        support = bipartite_regular_support(n, d, seed)
        singular = np.linalg.svd(support.astype(np.float64), compute_uv=False)
        sigma2 = float(singular[1]) if len(singular) > 1 else 0.0
        construction.update({
            "s": s,
            "encoding": "B = S/d for the d-regular bipartite worker × partition graph S",
            "decoder": {"kind": "fixed", "weight": n / (n - s) if s < n else None},
            "second_singular_value": round(sigma2, 10),
        })
        block = {"kind": "bipartite-regular", "v": n, "degree": d,
                 "edges": [[int(i), int(j)] for i, j in np.argwhere(support)]}
        return structured_code("graph", support, 1.0 / d, s, construction, {"graph": block})
    adjacency = regular_graph(family, n, d, seed)
    degree = int(adjacency[0].sum())
    block = {"kind": "regular", "family": family, "v": n, "degree": degree,
             "edges": _edges_with_multiplicity(adjacency)}
    return _graph_code_from_adjacency("graph", adjacency, s, False, construction, block)


def srg_code(
    v: Annotated[int | None, CliFlags("-v", "--vertices", help="vertices v (= workers = partitions)")] = None,
    k: Annotated[int | None, CliFlags("-k", "--degree", help="degree k of the graph")] = None,
    lam: Annotated[int | None, CliFlags("--lambda", help="common neighbours of adjacent vertices")] = None,
    mu: Annotated[int | None, CliFlags("--mu", help="common neighbours of non-adjacent vertices")] = None,
    params: Annotated[str | None, CliFlags("--params", help="V,K,LAMBDA,MU in one flag")] = None,
    loops: bool = False,
    s: int = 1,
) -> Code:
    """Approximate gradient code from a strongly regular graph: n = k = v, worker i holds its neighbours.

    B = A/k (or (A + I)/(k + 1) with ``--loops``, worker i also holds partition i), exact=False for s ≥ 1. The
    graph (certified A² = kI + λA + μ(J − I − A)) is written under ``"graph"`` with its parameters and edges;
    ``gcli verify`` re-certifies it and prints its spectrum. ``s`` is the straggler count planned for
    (default 1).

    Args:
        v: vertices.
        k: degree.
        lam: λ.
        mu: μ.
        params: the four parameters as ``V,K,LAMBDA,MU`` (instead of the separate flags).
        loops: include the worker's own partition.
        s: planned stragglers.

    References:
        S. Munim, A. Ramamoorthy, "Communication-Efficient Approximate Gradient Coding", arXiv:2603.22514
        (2026) (SRG assignments); N. Raviv et al., ICML 2018 (B = A/d).
    """
    if params is not None:
        try:
            v, k, lam, mu = (int(x) for x in params.split(","))
        except ValueError:
            raise InputError(f"--params must be four integers V,K,LAMBDA,MU (got {params!r})") from None
    if v is None or k is None or lam is None or mu is None:
        raise InputError("srg needs -v, -k, --lambda and --mu (or --params V,K,LAMBDA,MU)")
    graph = srg(v, k, lam, mu)
    adjacency = graph.adjacency.toarray().astype(np.int64)
    block = {**graph.to_json(), "certified": True}
    construction = {"v": v, "k": k, "lambda": lam, "mu": mu, "graph": graph.name}
    code = _graph_code_from_adjacency("srg", adjacency, s, loops, construction, block)
    extras = dict(code.extras)
    extras["graph"] = {**extras["graph"], "spectrum": graph.spectrum()}
    return Code(scheme=code.scheme, field=code.field, n=code.n, k=code.k, s=code.s, m=code.m, a=code.a,
                d=code.d, assignment=code.assignment, encoding=code.encoding, exact=code.exact,
                construction=code.construction, extras=extras)


def srg_search(workers: int, spread: float = 0.25, limit: int = 30) -> list[str]:
    """Strongly regular graphs gcli can build with v within ±spread of ``workers``, nearest first."""
    if workers < 5:
        raise InputError(f"--workers must be at least 5 (got {workers})")
    low, high = max(5, int(workers * (1 - spread))), int(workers * (1 + spread)) + 1
    found: list[tuple[int, bool, str]] = []
    for v in range(low, high + 1):
        seen: set[tuple[int, int, int, int]] = set()
        for params, name, _ in srg_candidates(v):
            if params in seen or params[3] in (0, params[1]):  # skip imprimitive graphs
                continue
            seen.add(params)
            line = f"srg --params {','.join(map(str, params))}: {v} workers, load {params[1]}; {name}"
            found.append((abs(v - workers), name.startswith("complement"), line))
    found.sort()
    return [line for _, _, line in found[:limit]]


srg_code.search = srg_search  # type: ignore[attr-defined]
