"""Approximate gradient codes from combinatorial structures: BIBD, SRG and regular-graph codes.

The structures come from the catalog and the graph families in :mod:`gcli.constructions.combinatorics`; the
coefficient rules (which matrix B a structure stands for) live once in :mod:`gcli.structures.rules`, where
``gcli verify`` also finds them to recompute the encoding. Each code carries its structure under ``"design"`` or
``"graph"`` in the JSON.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

import numpy as np

from gcli._gc import collector_paused
from gcli.code import Code
from gcli.errors import InputError
from gcli.fields import REAL
from gcli.structures import (
    admissible,
    bibd_encoding,
    bibd_rule,
    bibd_support,
    bipartite_singular_values,
    edges_with_multiplicity,
    graph_encoding,
    graph_support,
    regular_spectrum,
    srg_eigenvalues,
)

from ._common import CliFlags
from .combinatorics.catalog import bibd, bibd_construction, srg, srg_candidates, srg_construction
from .combinatorics.regular_graphs import MAX_VERTICES, bipartite_regular_support, regular_graph

__all__ = ["MAX_CODE_ENTRIES", "bibd_code", "bibd_search", "graph_code", "srg_code", "srg_search"]

MAX_CODE_ENTRIES = 10_000_000
"""Largest number of non-zero entries (n·d) of an encoding that :func:`bibd_code` writes (codes are sparse)."""


def structured_code(scheme: str, support: Any, encoding: Any, s: int,
                    construction: dict[str, Any], extras: dict[str, Any]) -> Code:
    """A real sparse code (m = 1) with the given support and encoding (dense or CSR); exact only when s = 0."""
    import scipy.sparse as sp

    support = sp.csr_matrix(support)
    support.sort_indices()
    n, k = support.shape
    if s < 0 or s >= n:
        raise InputError(f"{scheme}: the planned straggler count s must satisfy 0 ≤ s < n = {n} (got {s})")
    sizes = np.diff(support.indptr)
    columns = support.indices.tolist()
    offsets = support.indptr.tolist()
    assignment = [columns[offsets[i] : offsets[i + 1]] for i in range(n)]
    return Code(scheme=scheme, field=REAL, n=n, k=k, s=s, m=1, a=0, d=int(sizes.max()), assignment=assignment,
                encoding=sp.csr_matrix(encoding), exact=s == 0, construction=construction, extras=extras)


# ---------------------------------------------------------------------------------------------------------
# BIBD codes
# ---------------------------------------------------------------------------------------------------------
@collector_paused()
def bibd_code(
    v: Annotated[int | None, CliFlags("-v", "--points", help="points v (= partitions)")] = None,
    k: Annotated[int | None, CliFlags("-k", "--block-size", help="block size k")] = None,
    lam: Annotated[int, CliFlags("--lambda", help="λ: blocks through each pair of points")] = 1,
    transpose: bool = False,
    s: int = 1,
) -> Code:
    """Approximate gradient code from a 2-(v, k, λ) design: workers = blocks, partitions = points.

    B = c·Nᵀ (N the v × b incidence), so worker i holds the k points of block i and the server simply adds the
    messages it receives. For a symmetric design (b = v) c = k/(k + λ(n−s−1)) is the least-squares coefficient
    of Kadhe et al.: since B_F·B_Fᵀ ∝ (k−λ)I + λJ for every set F of n−s responders, adding the messages is the
    optimal decoder, and the error ‖B_Fᵀ1 − 1‖² = n − k²(n−s)/(k + λ(n−s−1)) is the same for every F (the Fano
    plane gives 1/4, 4/7, 1, 8/5 for s = 1..4). For other designs c = n/(r(n−s)) (each partition is on r
    workers, so the sum is unbiased when s uniformly random workers straggle). ``--transpose`` uses the dual
    (workers = points, partitions = blocks, c = n/(k(n−s)), or the symmetric coefficient when b = v). ``s`` is
    the straggler count the coefficient is tuned for (default 1); the code is exact only for s = 0. The design
    itself is written under ``"design"`` and re-certified by ``gcli verify``.

    Args:
        v: points.
        k: block size.
        lam: λ.
        transpose: workers = points instead of blocks.
        s: planned stragglers (the code's s).

    References:
        S. Kadhe, O. O. Koyluoglu, K. Ramchandran, "Gradient Coding Based on Block Designs for Mitigating
        Adversarial Stragglers", ISIT 2019 (arXiv:1904.13373); literature §4.6.
    """
    if v is None or k is None:
        raise InputError("bibd needs -v (points) and -k (block size), or --workers N to list designs")
    params = admissible(v, k, lam)
    if params is not None and params[1] * k > MAX_CODE_ENTRIES:
        raise InputError(f"the code of a ({v}, {k}, {lam}) design has {params[1] * k} non-zero entries; "
                         f"gcli writes codes with at most {MAX_CODE_ENTRIES} (build the design "
                         "with gcli.constructions.bibd instead)")
    if bibd_construction(v, k, lam) is None:
        from .combinatorics.catalog.existence import not_buildable_message

        raise InputError(not_buildable_message("bibd", (v, k, lam)))
    design = bibd(v, k, lam)
    support = bibd_support(v, design.blocks, transpose, sparse=True)
    n = support.shape[0]
    if s < 0 or s >= n:
        raise InputError(f"bibd: the planned straggler count s must satisfy 0 ≤ s < n = {n} (got {s})")
    rule = bibd_rule(v, design.b, design.r, k, lam, s, transpose)
    construction = {
        "v": v, "k": k, "lambda": lam, "transpose": transpose, "s": s, "design": design.name,
        "encoding": "B = c·Nᵀ" if not transpose else "B = c·N",
        "coefficient": str(rule.coefficient), "coefficient_rule": rule.rule,
        "decoder": {"kind": "sum", "note": "add the messages of the responders"},
        "error_for_every_F": None if rule.error_for_every_f is None else str(rule.error_for_every_f),
    }
    return structured_code("bibd", support, bibd_encoding(support, rule), s, construction,
                           {"design": design.to_json()})


def bibd_search(workers: int, spread: float = 0.25, max_lambda: int = 3, limit: int = 25) -> list[str]:
    """Designs gcli can build with about ``workers`` blocks (or, transposed, points): within ±spread.

    One line per design, nearest first: parameters, workers with and without ``--transpose``, construction.
    """
    if workers < 2:
        raise InputError(f"--workers must be at least 2 (got {workers})")
    low, high = int(workers * (1 - spread)), math.ceil(workers * (1 + spread))
    found: list[tuple[int, str]] = []
    for v in range(3, high + 1):
        for k in range(3, min(v - 1, 64) + 1):
            for lam in range(1, max_lambda + 1):
                params = admissible(v, k, lam)
                if params is None:
                    continue
                r, b = params
                if b < v or not (low <= b <= high or low <= v <= high) or b * k > MAX_CODE_ENTRIES:
                    continue
                name = bibd_construction(v, k, lam)
                if name is None or "copies of" in name:
                    continue
                distance = min(abs(b - workers), abs(v - workers))
                found.append((distance, f"bibd -v {v} -k {k} --lambda {lam}: b={b} blocks (workers), r={r}; "
                                        f"--transpose: {v} workers; {name}"))
    found.sort()
    return [line for _, line in found[:limit]]


bibd_code.search = bibd_search  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------------------
# graph codes
# ---------------------------------------------------------------------------------------------------------
def _graph_construction(construction: dict[str, Any], n: int, s: int, loops: bool, modulus: float,
                        degree: int) -> dict[str, Any]:
    return {
        **construction,
        "s": s,
        "loops": loops,
        "encoding": "B = A/d (Raviv et al.): worker i holds its neighbours" + (" and itself" if loops else ""),
        "decoder": {"kind": "fixed", "weight": n / (n - s), "note": "u_F = n/(n−s) on every responder"},
        "error_bound": {
            "formula": "(λ/d)²·n·s/(n−s) for ‖u_F B − 1‖² with the fixed decoder (expander mixing)",
            "value": (modulus / degree) ** 2 * n * s / (n - s) if not loops else None,
        },
    }


@collector_paused()
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
    ‖u_F B − 1‖² ≤ (λ/d)²·n·s/(n−s), λ the second largest eigenvalue modulus (recorded in the construction block
    with the degree, second largest and smallest eigenvalues). ``bipartite-regular`` uses a random d-regular
    bipartite worker × partition graph instead of a graph's adjacency. ``s`` is the straggler count the user plans
    for (default 1); the code is exact only for s = 0.

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
    if n > MAX_VERTICES:
        raise InputError(f"gcli builds graph codes with at most {MAX_VERTICES} workers (got n={n})")
    if family == "bipartite-regular":
        if d is None:
            raise InputError("bipartite-regular needs a degree -d")
        support = bipartite_regular_support(n, d, seed)
        if s < 0 or s >= n:
            raise InputError(f"graph: the planned straggler count s must satisfy 0 ≤ s < n = {n} (got {s})")
        _, sigma2 = bipartite_singular_values(support)
        construction.update({
            "s": s,
            "encoding": "B = S/d for the d-regular bipartite worker × partition graph S",
            "decoder": {"kind": "fixed", "weight": n / (n - s)},
            "second_singular_value": round(sigma2, 10),
        })
        block = {"kind": "bipartite-regular", "v": n, "degree": d, "edges": np.argwhere(support).tolist()}
        return structured_code("graph", support, graph_encoding(support, d), s, construction, {"graph": block})
    adjacency = regular_graph(family, n, d, seed)
    if s < 0 or s >= n:
        raise InputError(f"graph: the planned straggler count s must satisfy 0 ≤ s < n = {n} (got {s})")
    support, degree = graph_support(adjacency, loops=False)
    spectrum = regular_spectrum(adjacency)
    block = {"kind": "regular", "family": family, "v": n, "degree": degree,
             "edges": edges_with_multiplicity(adjacency), "spectrum": spectrum}
    construction = _graph_construction(construction, n, s, False, spectrum["second_largest_modulus"], degree)
    return structured_code("graph", support, graph_encoding(support, degree), s, construction, {"graph": block})


@collector_paused()
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
    graph (certified A² = kI + λA + μ(J − I − A)) is written under ``"graph"`` with its parameters, edges and
    exact spectrum; ``gcli verify`` re-certifies it. ``s`` is the straggler count planned for (default 1).

    Args:
        v: vertices.
        k: degree.
        lam: λ.
        mu: μ.
        params: the four parameters as ``V,K,LAMBDA,MU`` (instead of the separate flags).
        loops: include the worker's own partition.
        s: planned stragglers.

    References:
        S. Munim, A. Ramamoorthy, "Communication-Efficient Approximate Gradient Coding", arXiv:2603.22514 (2026)
        (SRG assignments); N. Raviv et al., ICML 2018 (B = A/d).
    """
    if params is not None:
        try:
            v, k, lam, mu = (int(x) for x in params.split(","))
        except ValueError:
            raise InputError(f"--params must be four integers V,K,LAMBDA,MU (got {params!r})") from None
    if v is None or k is None or lam is None or mu is None:
        raise InputError("srg needs -v, -k, --lambda and --mu (or --params V,K,LAMBDA,MU)")
    if srg_construction(v, k, lam, mu) is None:
        from .combinatorics.catalog.existence import not_buildable_message

        raise InputError(not_buildable_message("srg", (v, k, lam, mu)))
    graph = srg(v, k, lam, mu)
    if s < 0 or s >= v:
        raise InputError(f"srg: the planned straggler count s must satisfy 0 ≤ s < n = {v} (got {s})")
    support, degree = graph_support(graph.adjacency, loops)
    block = {**graph.to_json(), "certified": True, "spectrum": graph.spectrum()}
    construction = _graph_construction({"v": v, "k": k, "lambda": lam, "mu": mu, "graph": graph.name}, v, s, loops,
                                       round(srg_eigenvalues(*graph.params).second_largest_modulus, 10), degree)
    return structured_code("srg", support, graph_encoding(support, degree), s, construction, {"graph": block})


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
