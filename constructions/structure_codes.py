"""Approximate gradient codes from combinatorial structures: BIBD, SRG and regular-graph codes.

The structures come from the catalog and the graph families in :mod:`gcli.constructions.combinatorics`; the
coefficient rules (which matrix B a structure stands for) live once in :mod:`gcli.structures.rules`, where
``gcli verify`` also finds them to recompute the encoding. Each code carries its structure under ``"design"`` or
``"graph"`` in the JSON.

With ``m = 1`` and ``method="structure"`` (the default for m = 1) a code is the structure's classic code (B = c·Nᵀ,
A/d, S/r). ``m > 1`` (or another ``method``) encodes on the same support with the communication-efficient schemes of
:mod:`gcli.constructions.approximate_codes`: unbiased null-space codes (default), universal polynomial codes, or the
stacked baseline. Every code records for which straggler counts its optimal decoder is exact (``exact_for``,
computed at design time for n ≤ 200) and is ``exact`` when its own s is among them.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path
from typing import Any, Literal

import numpy as np

from gcli._gc import collector_paused
from gcli.code import Code
from gcli.errors import ImpossibleParameters, InputError, NotSupported
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

from ._common import check_size
from .approximate_codes import approximate_code, biregular_support, label_exactness
from .combinatorics.catalog import bibd, bibd_construction, srg, srg_candidates, srg_construction
from .combinatorics.regular_graphs import MAX_VERTICES, bipartite_regular_support, regular_graph

Method = Literal["auto", "structure", "nullspace", "polynomial", "stacked"]
NullSpace = Literal["min-norm", "random"]

__all__ = ["MAX_CODE_ENTRIES", "SEARCH_WINDOW", "bibd_code", "bibd_search", "graph_code", "search_note",
           "search_window", "srg_code", "srg_search"]

MAX_CODE_ENTRIES = 10_000_000
"""Largest number of non-zero entries (n·d·m) of an encoding that :func:`bibd_code` writes (codes are sparse)."""


def structured_code(scheme: str, support: Any, encoding: Any, s: int,
                    construction: dict[str, Any], extras: dict[str, Any]) -> Code:
    """A real code (m = 1) with the given support and encoding (dense or CSR; kept as compressed rows), labelled
    with its exact straggler counts."""
    import scipy.sparse as sp

    support = sp.csr_matrix(support)
    support.sort_indices()
    n, k = support.shape
    if s < 0 or s >= n:
        raise ImpossibleParameters(f"{scheme}: the planned straggler count s must satisfy 0 ≤ s < n = {n} (got {s})")
    sizes = np.diff(support.indptr)
    columns = support.indices.tolist()
    offsets = support.indptr.tolist()
    assignment = [columns[offsets[i] : offsets[i + 1]] for i in range(n)]
    code = Code(scheme=scheme, field=REAL, n=n, k=k, s=s, m=1, a=0, d=int(sizes.max()), assignment=assignment,
                encoding=sp.csr_matrix(encoding), exact=s == 0, construction=construction, extras=extras)
    return label_exactness(code)


def _method(method: str, m: int) -> str:
    """The encoding method: ``auto`` is the structure rule for m = 1 and the null-space code for m > 1."""
    if m < 1:
        raise ImpossibleParameters(f"m must be at least 1 (got {m})")
    if method == "auto":
        return "structure" if m == 1 else "nullspace"
    if method == "structure" and m > 1:
        raise NotSupported("the structure rule is the m = 1 code: with m > 1 use --method nullspace, polynomial or "
                           "stacked")
    return method


def _fallback_block(support: np.ndarray, seed: int, reason: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The graph block and construction note of a fallback biregular support."""
    n, k = support.shape
    block = {"kind": "bipartite-regular", "v": n, "partitions": k, "degree": int(support[0].sum()),
             "replication": int(support[:, 0].sum()), "edges": np.argwhere(support).tolist()}
    note = {"support": "fallback", "fallback_seed": seed,
            "fallback_reason": f"{reason}; using a seeded random biregular bipartite support with the same "
                               "numbers of workers and partitions, load and replication"}
    return block, note


# ---------------------------------------------------------------------------------------------------------
# BIBD codes
# ---------------------------------------------------------------------------------------------------------
@collector_paused()
def bibd_code(
    v: int | None = None,
    k: int | None = None,
    lam: int = 1,
    transpose: bool = False,
    s: int = 1,
    m: int = 1,
    method: Method = "auto",
    null_space: NullSpace = "min-norm",
    seed: int = 0,
    fallback: bool = False,
) -> Code:
    """Approximate gradient code from a 2-(v, k, λ) design: workers = blocks, partitions = points.

    B = c·Nᵀ (N the v × b incidence), so worker i holds the k points of block i and the server simply adds the
    messages it receives. For a symmetric design (b = v) c = k/(k + λ(n−s−1)) is the least-squares coefficient
    of Kadhe et al.: since B_F·B_Fᵀ ∝ (k−λ)I + λJ for every set F of n−s responders, adding the messages is the
    optimal decoder, and the error ‖B_Fᵀ1 − 1‖² = n − k²(n−s)/(k + λ(n−s−1)) is the same for every F (the Fano
    plane gives 1/4, 4/7, 1, 8/5 for s = 1..4). That sum is biased: over the sets of n − s responders its mean is
    c·r·(n−s)/n times the gradient (27/28 for the Fano plane with s = 1); the file states it, and the unbiased
    alternative (weight n/(c·r·(n−s)), or 1/(c·r·(1−p)) under independent failures: gcli verify --decoder
    unbiased). For other designs c = n/(r(n−s)) (each partition is on r workers, so the sum is unbiased when s
    uniformly random workers straggle). ``--transpose`` uses the dual (workers = points, partitions = blocks,
    c = n/(k(n−s)), or the symmetric coefficient when b = v). The file records for which s the least-squares
    decoder is exact (a resolvable design such as AG(2,3) is exact for s ≤ 3: a parallel class survives) and the
    code is exact when its s is among them. With ``-m M`` every worker sends 1/M of a gradient (null-space,
    polynomial or stacked encoding on the design's support). The design itself is written under ``"design"`` and
    re-certified by ``gcli verify``.

    Args:
        v: points.
        k: block size.
        lam: λ.
        transpose: workers = points instead of blocks.
        s: planned stragglers (the code's s).
        m: communication reduction: each worker sends 1/m of a gradient.
        method: encoding: structure (the m = 1 rule), nullspace (unbiased, default for m > 1), polynomial
            (exact up to r − m stragglers) or stacked (the baseline).
        null_space: nullspace codes: min-norm (least variance) or random null-space components.
        seed: seed of the random parts (decoder start, null-space draws, fallback support).
        fallback: when gcli cannot build the design, use a random biregular support with the same parameters.

    References:
        S. Kadhe, O. O. Koyluoglu, K. Ramchandran, "Gradient Coding Based on Block Designs for Mitigating
        Adversarial Stragglers", ISIT 2019 (arXiv:1904.13373) [Kadhe2019]. S. Munim, A. Ramamoorthy,
        "Communication-Efficient Approximate Gradient Coding", arXiv:2603.22514 (2026) (m > 1).
    """
    if v is None or k is None:
        raise ImpossibleParameters("bibd needs -v (points) and --block-size, or --near N to list designs")
    chosen = _method(method, m)
    check_size("bibd", n=v, k=k, dense=False)
    params = admissible(v, k, lam)
    if params is not None and chosen != "structure":  # the m > 1 encodings are dense: b × v·m entries
        check_size("bibd", n=params[1], k=v, m=m) if not transpose else check_size("bibd", n=v, k=params[1], m=m)
    if params is not None and params[1] * k * m > MAX_CODE_ENTRIES:
        raise ImpossibleParameters(f"the code of a ({v}, {k}, {lam}) design has {params[1] * k * m} non-zero entries; "
                                   f"gcli writes codes with at most {MAX_CODE_ENTRIES} (build the design "
                                   "with gcli.constructions.bibd instead)")
    base: dict[str, Any] = {"v": v, "k": k, "lambda": lam, "transpose": transpose, "s": s}
    try:
        if params is not None and bibd_construction(v, k, lam) is None:
            from .combinatorics.catalog.existence import not_buildable_message

            raise ImpossibleParameters(not_buildable_message("bibd", (v, k, lam)))
        design = bibd(v, k, lam)
    except InputError as exc:
        if not fallback or params is None:
            hint = "" if params is None else " (--fallback builds a random biregular support with these parameters)"
            raise ImpossibleParameters(f"{exc}{hint}") from None
        r, b = params
        n, parts, load = (v, b, r) if transpose else (b, v, k)
        support = biregular_support(n, parts, load, seed)
        block, note = _fallback_block(support, seed, f"gcli cannot build a 2-({v},{k},{lam}) design: {exc}")
        return _support_code("bibd", support, s, m, chosen, null_space, seed, {**base, **note}, {"graph": block})
    support = bibd_support(v, design.blocks, transpose, sparse=chosen == "structure")
    n = support.shape[0]
    if s < 0 or s >= n:
        raise ImpossibleParameters(f"bibd: the planned straggler count s must satisfy 0 ≤ s < n = {n} (got {s})")
    extras = {"design": design.to_json()}
    if chosen != "structure":
        return approximate_code("bibd", support, m=m, method=chosen, s=s, seed=seed, null_space=null_space,
                                construction={**base, "design": design.name}, extras=extras)
    rule = bibd_rule(v, design.b, design.r, k, lam, s, transpose)
    holders = k if transpose else design.r
    mean_weight = rule.coefficient * holders * (n - s) / n
    construction = {
        **base, "design": design.name,
        "encoding": "B = c·Nᵀ" if not transpose else "B = c·N",
        "coefficient": str(rule.coefficient), "coefficient_rule": rule.rule,
        "decoder": {"kind": "sum", "note": "add the messages of the responders"},
        "error_for_every_F": None if rule.error_for_every_f is None else str(rule.error_for_every_f),
        "bias": {
            "mean_weight": str(mean_weight),
            "unbiased": mean_weight == 1,
            "note": ("the sum is unbiased over uniformly random sets of n − s responders" if mean_weight == 1 else
                     f"over uniformly random sets of n − s responders the sum's mean is {mean_weight} times the "
                     f"gradient: biased; the unbiased alternative weights every responder by "
                     f"{1 / mean_weight} (or by 1/(c·r·(1−p)) under independent failures with probability p: "
                     "gcli verify --decoder unbiased)"),
        },
    }
    return structured_code("bibd", support, bibd_encoding(support, rule), s, construction, extras)


def _support_code(scheme: str, support: np.ndarray, s: int, m: int, method: str, null_space: str, seed: int,
                  construction: dict[str, Any], extras: dict[str, Any]) -> Code:
    """A code on a bare support (fallback or bipartite graphs): B = S/r with the fixed decoder n/|F| for the
    structure method (m = 1), else the approximate schemes."""
    n = support.shape[0]
    if s < 0 or s >= n:
        raise ImpossibleParameters(f"{scheme}: the planned straggler count s must satisfy 0 ≤ s < n = {n} (got {s})")
    if method != "structure":
        return approximate_code(scheme, support, m=m, method=method, s=s, seed=seed, null_space=null_space,
                                construction=construction, extras=extras)
    replication = int(support[:, 0].sum())
    construction = {
        **construction, "s": s,
        "encoding": "B = S/r for the biregular worker × partition graph S (r its replication)",
        "decoder": {"kind": "fixed", "weight": n / (n - s), "note": "u_F = n/(n−s) on every responder"},
    }
    return structured_code(scheme, support, graph_encoding(support, replication), s, construction, extras)


SEARCH_WINDOW = 160
"""A ``--near N`` search looks at sizes within N·(1 ± spread), and at most this far from N: the work is bounded
whatever N is (N itself is bounded by :func:`gcli.io.limits.limit` ``("max_search")``)."""


def search_window(workers: int, spread: float, smallest: int) -> tuple[int, int]:
    """The sizes a ``--near N`` search looks at: N·(1 ± spread), clipped to N ± :data:`SEARCH_WINDOW`.

    Refuses N beyond ``max_search`` (:mod:`gcli.io.limits`) and N below ``smallest`` in one line.

    >>> search_window(400, 0.25, 2)
    (300, 500)
    >>> search_window(100000, 0.25, 2)
    (99840, 100160)
    """
    from gcli.io.limits import check

    if workers < smallest:
        raise ImpossibleParameters(f"--near must be at least {smallest} (got {workers})")
    check("max_search", workers, "--near")
    width = min(SEARCH_WINDOW, math.ceil(workers * spread))
    return max(smallest, workers - width), workers + width


def _v_with_blocks(low: int, high: int, k: int, lam: int) -> range:
    """The v whose 2-(v, k, λ) design would have b = λ·v(v−1)/(k(k−1)) blocks in [low, high] (a superset)."""
    scale = k * (k - 1)

    def root(x: int) -> int:  # the largest v with λ·v(v−1) ≤ x·k(k−1)
        return (1 + math.isqrt(1 + 4 * (x * scale // lam))) // 2

    return range(max(k + 1, root(low - 1)), root(high) + 2)


def bibd_search(workers: int, spread: float = 0.25, max_lambda: int = 3, limit: int = 25, *,
                live: bool = False) -> list[str]:
    """Designs gcli can build with about ``workers`` blocks (or, transposed, points), nearest first.

    Searches 2-(v, k, λ) designs with 3 ≤ k ≤ 64, λ ≤ ``max_lambda`` and b or v in :func:`search_window`; one
    line per design: parameters, workers with and without ``--transpose``, construction. Windows within the shipped
    table's ``bibd_v_max`` are read from :data:`SEARCH_TABLE` (``live=True`` recomputes them).
    """
    low, high = search_window(workers, spread, 2)
    table = {} if live else search_table()
    if high <= int(table.get("bibd_v_max", 0)) and max_lambda <= int(table.get("bibd_max_lambda", 0)):
        # b ≥ v: a design with b or v in [low, high] has v ≤ high, so the table lists it
        entries = [(v, k, lam, r, b, name) for v, k, lam, r, b, name in table["bibd"]
                   if lam <= max_lambda and (low <= b <= high or low <= v <= high)]
    else:
        entries = [
            (v, k, lam, r, b, name)
            for k in range(3, 65)
            for lam in range(1, max_lambda + 1)
            for v in sorted({*range(max(k + 1, low), high + 1), *_v_with_blocks(low, high, k, lam)})
            for r, b, name in _bibd_entry(v, k, lam)
            if low <= b <= high or low <= v <= high
        ]
    found = [(min(abs(b - workers), abs(v - workers)),
              f"bibd -v {v} --block-size {k} --lambda {lam}: b={b} blocks (workers), r={r}; "
              f"--transpose: {v} workers; {name}") for v, k, lam, r, b, name in entries]
    found.sort()
    return [line for _, line in found[:limit]]


def _bibd_entry(v: int, k: int, lam: int) -> list[tuple[int, int, str]]:
    """[(r, b, construction)] when gcli builds a 2-(v, k, λ) design worth listing in a search (b ≥ v, within the
    code size limit, not a union of copies), else []."""
    params = admissible(v, k, lam)
    if params is None:
        return []
    r, b = params
    if b < v or b * k > MAX_CODE_ENTRIES:
        return []
    name = bibd_construction(v, k, lam)
    if name is None or "copies of" in name:
        return []
    return [(r, b, name)]


def bibd_search_entries(v_max: int, max_lambda: int = 3) -> list[tuple[int, int, int, int, int, str]]:
    """Every design :func:`bibd_search` can list with v ≤ ``v_max`` (3 ≤ k ≤ 64, λ ≤ ``max_lambda``):
    (v, k, λ, r, b, construction), computed live (for the search table)."""
    return [(v, k, lam, r, b, name) for k in range(3, 65) for lam in range(1, max_lambda + 1)
            for v in range(k + 1, v_max + 1) for r, b, name in _bibd_entry(v, k, lam)]


def search_note(scheme: str, workers: int, spread: float = 0.25) -> str:
    """One line saying what ``gcli design SCHEME --near N`` searched."""
    low, high = search_window(workers, spread, 2 if scheme == "bibd" else 5)
    if scheme == "bibd":
        return f"searched 2-(v, k, λ) designs with 3 ≤ k ≤ 64, λ ≤ 3 and b or v in [{low}, {high}]"
    return f"searched strongly regular graphs on v in [{low}, {high}] vertices (primitive ones)"


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
    d: int | None = None,
    s: int = 1,
    seed: int = 0,
    m: int = 1,
    method: Method = "auto",
    null_space: NullSpace = "min-norm",
    incidence: bool = False,
    from_file: str | None = None,
) -> Code:
    """Approximate gradient code from a d-regular graph: B = A/d, worker i holds its neighbours (exact=False).

    Raviv et al.'s expander codes: with the fixed decoder u_F = n/(n−s) on the responders the error satisfies
    ‖u_F B − 1‖² ≤ (λ/d)²·n·s/(n−s), λ the second largest eigenvalue modulus (recorded in the construction block
    with the degree, second largest and smallest eigenvalues). ``bipartite-regular`` uses a random d-regular
    bipartite worker × partition graph instead of a graph's adjacency. ``--incidence`` builds the graph scheme of
    Glasgow and Wootters instead: workers are the edges, partitions the vertices, worker {u, v} holds u and v,
    B = S/d, fixed decoder n/(n−s) (so each partition is on d workers and the adversarial bound σ₂²·n·s/((n−s)d²)
    holds with σ₂² = d + λ₂). ``s`` is the straggler count the user plans for (default 1); the file records for
    which s the least-squares decoder is exact. With ``-m M`` every worker sends 1/M of a gradient (null-space,
    polynomial or stacked encoding on the graph's support). ``from_file`` builds the code of your own regular graph
    (graph6, sparse6 or an edge list; :func:`gcli.io.exports.read_graph`) instead of a family's, with the same
    certificate and spectrum.

    Args:
        family: graph family.
        n: vertices (= workers = partitions; with --incidence the workers are the edges).
        d: degree (required for random-regular and bipartite-regular).
        s: planned stragglers (the code's s; approximate for s ≥ 1).
        seed: seed for the random families and the random parts of the encoding.
        m: communication reduction: each worker sends 1/m of a gradient.
        method: encoding: structure (the m = 1 rule), nullspace (unbiased, default for m > 1), polynomial or
            stacked (the baseline).
        null_space: nullspace codes: min-norm (least variance) or random null-space components.
        incidence: workers are the edges of the graph, partitions its vertices (Glasgow and Wootters).
        from_file: a graph file (graph6, sparse6 or an edge list) to use instead of a family.

    References:
        N. Raviv, I. Tamo, R. Tandon, A. G. Dimakis, "Gradient Coding from Cyclic MDS Codes and Expander
        Graphs", ICML 2018 / IEEE T-IT 2020 (arXiv:1707.03858) [Raviv2018]. M. Glasgow, M. Wootters,
        "Approximate Gradient Coding with Optimal Decoding", IEEE JSAIT 2021 [Glasgow2021].
    """
    chosen = _method(method, m)
    construction: dict[str, Any] = {"family": family, "n": n, "d": d, "seed": seed}
    if from_file is not None and family == "bipartite-regular":
        raise ImpossibleParameters("--from reads a graph: use it without --family bipartite-regular")
    if n > MAX_VERTICES:
        raise ImpossibleParameters(f"gcli builds graph codes with at most {MAX_VERTICES} workers (got n={n})")
    if n < 2 and from_file is None:
        raise ImpossibleParameters(f"graph: need at least 2 workers (got n={n})")
    check_size("graph", n=n, k=n, m=m, dense=chosen != "structure")
    if incidence and d is not None and 1 <= d < n:
        check_size("graph", n=n * d // 2, k=n, m=m, dense=chosen != "structure")
    if family == "bipartite-regular":
        if incidence:
            raise ImpossibleParameters("--incidence takes the edges of a graph as workers: not for bipartite-regular")
        if d is None:
            raise ImpossibleParameters("bipartite-regular needs a degree -d")
        support = bipartite_regular_support(n, d, seed)
        if s < 0 or s >= n:
            raise ImpossibleParameters(f"graph: the planned straggler count s must satisfy 0 ≤ s < n = {n} (got {s})")
        block = {"kind": "bipartite-regular", "v": n, "degree": d, "edges": np.argwhere(support).tolist()}
        if chosen != "structure":
            return approximate_code("graph", support, m=m, method=chosen, s=s, seed=seed, null_space=null_space,
                                    construction=construction, extras={"graph": block})
        _, sigma2 = bipartite_singular_values(support)
        construction.update({
            "s": s,
            "encoding": "B = S/d for the d-regular bipartite worker × partition graph S",
            "decoder": {"kind": "fixed", "weight": n / (n - s)},
            "second_singular_value": round(sigma2, 10),
        })
        return structured_code("graph", support, graph_encoding(support, d), s, construction, {"graph": block})
    if from_file is not None:
        from gcli.io.exports import read_graph

        adjacency = np.asarray(read_graph(from_file), dtype=np.int64)
        degrees = adjacency.sum(axis=1)
        if adjacency.shape[0] < 2 or not np.all(degrees == degrees[0]) or degrees[0] == 0:
            raise ImpossibleParameters(f"{from_file}: B = A/d needs a regular graph with at least one edge per vertex "
                                       f"(degrees found: {sorted(set(degrees.tolist()))[:5]})")
        if adjacency.shape[0] > MAX_VERTICES:
            raise ImpossibleParameters(f"gcli builds graph codes with at most {MAX_VERTICES} workers "
                                       f"(the file has {adjacency.shape[0]} vertices)")
        family, n = "file", int(adjacency.shape[0])  # type: ignore[assignment]
        construction.update({"family": "file", "file": Path(from_file).name, "n": n, "d": int(degrees[0])})
    else:
        adjacency = regular_graph(family, n, d, seed)
    support, degree = graph_support(adjacency, loops=False)
    spectrum = regular_spectrum(adjacency)
    block = {"kind": "regular", "family": family, "v": n, "degree": degree,
             "edges": edges_with_multiplicity(adjacency), "spectrum": spectrum}
    if incidence:
        return _incidence_code(adjacency, block, s, m, chosen, null_space, seed, construction)
    if s < 0 or s >= n:
        raise ImpossibleParameters(f"graph: the planned straggler count s must satisfy 0 ≤ s < n = {n} (got {s})")
    if chosen != "structure":
        return approximate_code("graph", support, m=m, method=chosen, s=s, seed=seed, null_space=null_space,
                                construction={**construction, "loops": False}, extras={"graph": block})
    construction = _graph_construction(construction, n, s, False, spectrum["second_largest_modulus"], degree)
    return structured_code("graph", support, graph_encoding(support, degree), s, construction, {"graph": block})


def _incidence_code(adjacency: np.ndarray, block: dict[str, Any], s: int, m: int, method: str, null_space: str,
                    seed: int, construction: dict[str, Any]) -> Code:
    """The Glasgow–Wootters graph scheme: workers = edges, partitions = vertices (B = S/d)."""
    from gcli.structures import incidence_support

    if np.any(np.diag(adjacency)):
        raise ImpossibleParameters("--incidence needs a graph without loops")
    support = incidence_support(adjacency.shape[0], block["edges"])
    workers = support.shape[0]
    if s < 0 or s >= workers:
        raise ImpossibleParameters(
            f"graph: the planned straggler count s must satisfy 0 ≤ s < {workers} edges (got {s})")
    degree = int(block["degree"])
    construction = {**construction, "incidence": True, "loops": False}
    if method != "structure":
        return approximate_code("graph", support, m=m, method=method, s=s, seed=seed, null_space=null_space,
                                construction=construction, extras={"graph": block})
    construction.update({
        "s": s,
        "encoding": "B = S/d, S the edge × vertex incidence (Glasgow–Wootters graph scheme)",
        "decoder": {"kind": "fixed", "weight": workers / (workers - s),
                    "note": "u_F = n/(n−s) on every responding edge, i.e. n/(d(n−s)) on the incidence"},
    })
    return structured_code("graph", support, graph_encoding(support, degree), s, construction, {"graph": block})


@collector_paused()
def srg_code(
    v: int | None = None,
    k: int | None = None,
    lam: int | None = None,
    mu: int | None = None,
    params: str | None = None,
    loops: bool = False,
    s: int = 1,
    m: int = 1,
    method: Method = "auto",
    null_space: NullSpace = "min-norm",
    seed: int = 0,
    fallback: bool = False,
    incidence: bool = False,
) -> Code:
    """Approximate gradient code from a strongly regular graph: n = k = v, worker i holds its neighbours.

    B = A/k (or (A + I)/(k + 1) with ``--loops``, worker i also holds partition i), exact=False for s ≥ 1. The
    graph (certified A² = kI + λA + μ(J − I − A)) is written under ``"graph"`` with its parameters, edges and
    exact spectrum; ``gcli verify`` re-certifies it. ``s`` is the straggler count planned for (default 1); the file
    records for which s the least-squares decoder is exact. With ``-m M`` every worker sends 1/M of a gradient
    (null-space, polynomial or stacked encoding on the graph's support). ``--incidence``: workers are the edges,
    partitions the vertices (the graph scheme of Glasgow and Wootters). ``--fallback``: when gcli cannot build the
    graph, a seeded random k-regular graph on v vertices (said so in the file).

    Args:
        v: vertices.
        k: degree.
        lam: λ.
        mu: μ.
        params: the four parameters as ``V,K,LAMBDA,MU`` (instead of the separate flags).
        loops: include the worker's own partition.
        s: planned stragglers.
        m: communication reduction: each worker sends 1/m of a gradient.
        method: encoding: structure (the m = 1 rule), nullspace (unbiased, default for m > 1), polynomial or
            stacked (the baseline).
        null_space: nullspace codes: min-norm (least variance) or random null-space components.
        seed: seed of the random parts (decoder start, null-space draws, fallback graph).
        fallback: when gcli cannot build the graph, use a random regular graph with the same v and k.
        incidence: workers are the edges of the graph, partitions its vertices.

    References:
        S. Munim, A. Ramamoorthy, "Communication-Efficient Approximate Gradient Coding", arXiv:2603.22514 (2026)
        (SRG assignments); N. Raviv et al., ICML 2018 (B = A/d); M. Glasgow, M. Wootters, IEEE JSAIT 2021.
    """
    if params is not None:
        try:
            v, k, lam, mu = (int(x) for x in params.split(","))
        except ValueError:
            raise ImpossibleParameters(f"--params must be four integers V,K,LAMBDA,MU (got {params!r})") from None
    if v is None or k is None or lam is None or mu is None:
        raise ImpossibleParameters("srg needs --vertices, --degree, --lambda and --mu (or --params V,K,LAMBDA,MU)")
    chosen = _method(method, m)
    check_size("srg", n=v, k=v, m=m, dense=chosen != "structure" or incidence)
    if 0 < k < v:
        from gcli.io.limits import check

        check("max_nonzeros", v * k * m, "srg: the encoding's non-zeros v·k·m")
    if incidence and 2 <= k < v:
        check_size("srg", n=v * k // 2, k=v, m=m, dense=chosen != "structure")
    base: dict[str, Any] = {"v": v, "k": k, "lambda": lam, "mu": mu}
    try:
        if srg_construction(v, k, lam, mu) is None:
            from .combinatorics.catalog.existence import not_buildable_message

            raise ImpossibleParameters(not_buildable_message("srg", (v, k, lam, mu)))
        graph = srg(v, k, lam, mu)
    except InputError as exc:
        if not fallback:
            raise ImpossibleParameters(
                f"{exc} (--fallback builds a random {k}-regular graph on {v} vertices instead)") from None
        return _srg_fallback(v, k, lam, mu, str(exc), loops, s, m, chosen, null_space, seed, incidence, base)
    block = {**graph.to_json(), "certified": True, "spectrum": graph.spectrum()}
    base["graph"] = graph.name
    if incidence:
        if loops:
            raise ImpossibleParameters("--incidence and --loops do not combine")
        return _incidence_code(graph.dense(), {**block, "degree": k}, s, m, chosen, null_space, seed, base)
    if s < 0 or s >= v:
        raise ImpossibleParameters(f"srg: the planned straggler count s must satisfy 0 ≤ s < n = {v} (got {s})")
    support, degree = graph_support(graph.adjacency if chosen == "structure" else graph.dense(), loops)
    if chosen != "structure":
        return approximate_code("srg", support, m=m, method=chosen, s=s, seed=seed, null_space=null_space,
                                construction={**base, "loops": loops}, extras={"graph": block})
    construction = _graph_construction(base, v, s, loops,
                                       round(srg_eigenvalues(*graph.params).second_largest_modulus, 10), degree)
    return structured_code("srg", support, graph_encoding(support, degree), s, construction, {"graph": block})


def _srg_fallback(v: int, k: int, lam: int, mu: int, reason: str, loops: bool, s: int, m: int, method: str,
                  null_space: str, seed: int, incidence: bool, base: dict[str, Any]) -> Code:
    """The code of a seeded random k-regular graph on v vertices, for srg parameters gcli cannot build."""
    adjacency = regular_graph("random-regular", v, k, seed)
    spectrum = regular_spectrum(adjacency)
    block = {"kind": "regular", "family": "random-regular", "v": v, "degree": k,
             "edges": edges_with_multiplicity(adjacency), "spectrum": spectrum}
    note = {"support": "fallback", "fallback_seed": seed,
            "fallback_reason": f"gcli cannot build srg({v},{k},{lam},{mu}): {reason}; using a seeded random "
                               f"{k}-regular graph on {v} vertices"}
    if incidence:
        return _incidence_code(adjacency, block, s, m, method, null_space, seed, {**base, **note})
    if s < 0 or s >= v:
        raise ImpossibleParameters(f"srg: the planned straggler count s must satisfy 0 ≤ s < n = {v} (got {s})")
    support, degree = graph_support(adjacency, loops)
    if method != "structure":
        return approximate_code("srg", support, m=m, method=method, s=s, seed=seed, null_space=null_space,
                                construction={**base, **note, "loops": loops}, extras={"graph": block})
    construction = _graph_construction({**base, **note}, v, s, loops, spectrum["second_largest_modulus"], degree)
    return structured_code("srg", support, graph_encoding(support, degree), s, construction, {"graph": block})


SEARCH_TABLE = Path(__file__).with_name("search_table.json")
"""The precomputed answers of the ``--near`` searches (written by ``benchmarks/search_table.py``): for every v up to
the table's ``srg_v_max``, the primitive strongly regular graphs :func:`srg_search_entries` lists. A cold search
over a window of a few hundred sizes evaluates every family's parameter formulas at each size (seconds); the table
answers in milliseconds. Sizes beyond the table are searched live."""


@functools.lru_cache(maxsize=1)
def search_table() -> dict[str, Any]:
    """The shipped search table (empty when the file is missing: every search then runs live)."""
    import json

    try:
        return dict(json.loads(SEARCH_TABLE.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return {}


def srg_search_entries(v: int) -> list[tuple[tuple[int, int, int, int], str]]:
    """The primitive strongly regular graphs gcli builds on v vertices: (params, construction name), one per
    parameter set (the first construction :func:`srg_candidates` lists), in its order. Computed live."""
    seen: set[tuple[int, int, int, int]] = set()
    out: list[tuple[tuple[int, int, int, int], str]] = []
    for params, name, _ in srg_candidates(v):
        if params in seen or params[3] in (0, params[1]):  # skip imprimitive graphs
            continue
        seen.add(params)
        out.append((params, name))
    return out


def _srg_entries_of(v: int, table: dict[str, Any]) -> list[tuple[tuple[int, int, int, int], str]]:
    """:func:`srg_search_entries` from the table when it covers v, else live."""
    if v <= int(table.get("srg_v_max", 0)):
        return [((v, k, lam, mu), name) for k, lam, mu, name in table["srg"].get(str(v), [])]
    return srg_search_entries(v)


def srg_search(workers: int, spread: float = 0.25, limit: int = 30, *, live: bool = False) -> list[str]:
    """Strongly regular graphs gcli can build with v in :func:`search_window` of ``workers``, nearest first.

    Sizes up to the shipped table's bound are read from :data:`SEARCH_TABLE` (``live=True`` recomputes them).

    >>> srg_search(10, limit=2)
    ['srg --params 10,3,0,1: 10 workers, load 3; Petersen graph', 'srg --params 10,6,3,4: 10 workers, load 6; T(5)']
    """
    low, high = search_window(workers, spread, 5)
    table = {} if live else search_table()
    found: list[tuple[int, bool, str]] = []
    for v in range(low, high + 1):
        for params, name in _srg_entries_of(v, table):
            line = f"srg --params {','.join(map(str, params))}: {v} workers, load {params[1]}; {name}"
            found.append((abs(v - workers), name.startswith("complement"), line))
    found.sort()
    return [line for _, _, line in found[:limit]]
