"""Certifying the combinatorial structure carried in a code file (``"design"`` / ``"graph"`` blocks).

``gcli verify`` calls :func:`certify_structure`: it rebuilds the incidence or adjacency matrix from the JSON,
checks the defining identity (BIBD: N·Nᵀ = (r−λ)I + λJ; SRG: A² = kI + λA + μ(J − I − A); regular graphs:
constant degree), checks that the code's assignment is the one the structure prescribes, and reports the
spectrum (exact for BIBDs and SRGs, where it follows from the certified identity; numerical for other
regular graphs). For approximate codes (``exact=False``) this certificate is what ``verify`` reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from gcli.code import Code
from gcli.constructions.designs import check_bibd
from gcli.constructions.graphs import spectral_summary
from gcli.constructions.srg import check_srg, srg_spectrum

__all__ = ["StructureReport", "certify_structure"]


@dataclass(frozen=True)
class StructureReport:
    """Outcome of certifying a code's structure block."""

    kind: str
    certified: bool
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"kind": self.kind, "certified": self.certified, "message": self.message, **self.details}

    def summary(self) -> str:
        """Human-readable lines."""
        lines = [f"structure ({self.kind}): {'CERTIFIED' if self.certified else 'FAILED'}: {self.message}"]
        spectrum = self.details.get("spectrum")
        if spectrum:
            pairs = ", ".join(f"{e}^{m}" for e, m in zip(spectrum["eigenvalues"], spectrum["multiplicities"],
                                                         strict=True))
            lines.append(f"spectrum ({spectrum.get('of', 'adjacency')}): {pairs}")
        return "\n".join(lines)


def _fail(kind: str, message: str) -> StructureReport:
    return StructureReport(kind, False, message)


def _int(block: dict[str, Any], key: str) -> int:
    value = block.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"missing or non-integer {key!r}")
    return value


def certify_structure(code: Code) -> StructureReport | None:
    """Certify the ``design`` or ``graph`` block of a code; None when the code carries neither."""
    if "design" in code.extras:
        return _certify_design(code, code.extras["design"])
    if "graph" in code.extras:
        return _certify_graph(code, code.extras["graph"])
    return None


def _certify_design(code: Code, block: Any) -> StructureReport:
    kind = "bibd"
    if not isinstance(block, dict) or block.get("kind") != "bibd":
        return _fail(kind, "the design block is not of kind 'bibd'")
    try:
        v, k, lam = _int(block, "v"), _int(block, "k"), _int(block, "lambda")
        blocks = [tuple(int(p) for p in b) for b in block["blocks"]]
    except (ValueError, KeyError, TypeError) as exc:
        return _fail(kind, f"malformed design block: {exc}")
    if v < 2 or k < 2 or lam < 1 or k >= v:
        return _fail(kind, f"invalid design parameters (v={v}, k={k}, λ={lam})")
    problem = check_bibd(v, blocks, k, lam)
    if problem is not None:
        return _fail(kind, f"N·Nᵀ = (r−λ)I + λJ fails: {problem}")
    r = lam * (v - 1) // (k - 1)
    b = len(blocks)
    for key, expected in (("b", b), ("r", r)):
        if key in block and block[key] != expected:
            return _fail(kind, f"design block says {key} = {block[key]} but the blocks give {expected}")
    by_blocks = [tuple(sorted(bl)) for bl in blocks]
    holders: list[list[int]] = [[] for _ in range(v)]
    for j, bl in enumerate(blocks):
        for p in bl:
            holders[p].append(j)
    if list(code.assignment) == by_blocks:
        layout = "workers = blocks, partitions = points"
    elif list(code.assignment) == [tuple(h) for h in holders]:
        layout = "workers = points, partitions = blocks (transposed)"
    else:
        return _fail(kind, "the code's assignment is not the design's incidence (nor its transpose)")
    spectrum = {"of": "N·Nᵀ", "eigenvalues": [str(r * k), str(r - lam)], "multiplicities": [1, v - 1]}
    details: dict[str, Any] = {"params": {"v": v, "b": b, "r": r, "k": k, "lambda": lam}, "layout": layout,
                               "spectrum": spectrum}
    if b == v:
        n_resp = code.n - code.s
        error = code.n - Fraction(k * k * n_resp, k + lam * (n_resp - 1))
        details["least_squares_error_every_F"] = str(error)
        details["note"] = (f"symmetric design: least-squares error with s = {code.s} stragglers is {error} "
                           "for every responding set (Kadhe et al.)")
    message = f"2-({v},{k},{lam}) design, b = {b}, r = {r}: N·Nᵀ = {r - lam}·I + {lam}·J holds; {layout}"
    return StructureReport(kind, True, message, details)


def _adjacency_from_edges(v: int, edges: Any) -> np.ndarray:
    a = np.zeros((v, v), dtype=np.int64)
    for edge in edges:
        i, j = int(edge[0]), int(edge[1])
        if not (0 <= i < v and 0 <= j < v):
            raise ValueError(f"edge {edge} has a vertex outside 0..{v - 1}")
        if i == j:
            a[i, i] += 2
        else:
            a[i, j] += 1
            a[j, i] += 1
    return a


def _certify_graph(code: Code, block: Any) -> StructureReport:
    if not isinstance(block, dict):
        return _fail("graph", "the graph block is not an object")
    kind = str(block.get("kind", "graph"))
    try:
        v = _int(block, "v")
        adjacency = _adjacency_from_edges(v, block["edges"])
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        return _fail(kind, f"malformed graph block: {exc}")
    if kind == "bipartite-regular":
        support = np.zeros((v, v), dtype=np.int64)
        for i, j in block["edges"]:
            support[int(i), int(j)] = 1
        degree = support[0].sum()
        if not (np.all(support.sum(axis=0) == degree) and np.all(support.sum(axis=1) == degree)):
            return _fail(kind, "the bipartite worker × partition graph is not regular")
        if [tuple(np.flatnonzero(row).tolist()) for row in support] != list(code.assignment):
            return _fail(kind, "the code's assignment is not the bipartite graph")
        values = np.linalg.svd(support.astype(np.float64), compute_uv=False)
        message = f"{int(degree)}-regular bipartite worker × partition graph"
        return StructureReport(kind, True, message,
                               {"singular_values": [round(float(x), 10) for x in values[:3]]})
    loops = bool(code.construction.get("loops", False)) if isinstance(code.construction, dict) else False
    expected = [tuple(sorted(set(np.flatnonzero(adjacency[i]).tolist()) | ({i} if loops else set())))
                for i in range(v)]
    if list(code.assignment) != expected:
        return _fail(kind, "the code's assignment is not the graph's neighbourhoods")
    if kind == "srg":
        params = block.get("params")
        if not (isinstance(params, list) and len(params) == 4 and all(isinstance(x, int) for x in params)):
            return _fail(kind, "the srg block needs params [v, k, λ, μ]")
        if np.any(adjacency > 1) or np.any(np.diag(adjacency)):
            return _fail(kind, "an srg must be simple (no loops or multiple edges)")
        found = check_srg(adjacency, tuple(params))  # type: ignore[arg-type]
        if isinstance(found, str):
            return _fail(kind, found)
        v_, k, lam, mu = found
        spectrum = srg_spectrum(v_, k, lam, mu)
        message = f"srg{found}: A² = {k}I + {lam}A + {mu}(J − I − A) holds"
        return StructureReport(kind, True, message, {"params": list(found), "spectrum": spectrum})
    degrees = adjacency.sum(axis=1)
    if not np.all(degrees == degrees[0]):
        return _fail(kind, "the graph is not regular")
    spectrum = spectral_summary(adjacency)
    message = f"{int(degrees[0])}-regular graph on {v} vertices (spectrum numerical)"
    return StructureReport(kind, True, message,
                           {"spectrum": {"of": "adjacency", "eigenvalues": spectrum["eigenvalues"],
                                         "multiplicities": spectrum["multiplicities"]},
                            "second_largest_modulus": spectrum["second_largest_modulus"]})
