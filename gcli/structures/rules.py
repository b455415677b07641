"""The coefficient rules of the structure codes: which matrix B a design or a graph stands for.

Each rule exists once and is used twice: by the code wrappers in :mod:`gcli.constructions` to build the
encoding, and by :func:`gcli.structures.certify_structure` to recompute it from the JSON and compare.

* BIBD codes (Kadhe et al.): support Nᵀ (workers = blocks, partitions = points) or N (``transpose``), B = c·support.
  Symmetric designs (b = v): c = k/(k + λ(n−s−1)), the least-squares coefficient, with the same error
  n − k²(n−s)/(k + λ(n−s−1)) for every set of n − s responders. Other designs: c = n/(h·(n−s)), h the number
  of workers holding each partition (r, or k transposed), which makes the plain sum unbiased.
* Graph codes (Raviv et al.): B = A/d with A the integer adjacency (multi-edges counted, a loop counts 2) or,
  with loops, (A + I)/(d + 1); bipartite worker × partition graphs: B = S/r (r the replication; S/d when square);
  the Glasgow–Wootters graph scheme (workers = edges, partitions = vertices): B = S/d, d the degree.
* Communication-efficient encodings on any 0/1 support S (n × k) with m sub-vectors per partition (the codes of
  :mod:`gcli.constructions.approximate_codes`, which proves their properties), each a function of the support and
  the parameters the file records, so the certificate rebuilds them: :func:`nullspace_encoding` (blocks
  C_j = X_{H_j}⁺ + (I − X_{H_j}⁺X_{H_j})·R_j for a recorded decoder X), :func:`polynomial_encoding` (the Ye–Abbe
  recursion with p_j vanishing at the non-holders of j) and :func:`stacked_encoding` (m row classes, class u
  serving sub-vector u).

Example:
    >>> rule = bibd_rule(v=7, b=7, r=3, k=3, lam=1, s=1, transpose=False)
    >>> rule.coefficient, rule.error_for_every_f
    (Fraction(3, 8), Fraction(1, 4))

References:
    S. Kadhe, O. O. Koyluoglu, K. Ramchandran, ISIT 2019 (arXiv:1904.13373); N. Raviv, I. Tamo, R. Tandon,
    A. G. Dimakis, ICML 2018 (arXiv:1707.03858).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = [
    "BibdRule",
    "bibd_encoding",
    "bibd_rule",
    "bibd_support",
    "graph_encoding",
    "graph_support",
    "incidence_support",
    "nullspace_encoding",
    "polynomial_encoding",
    "stacked_encoding",
]

SYMMETRIC_RULE = "least squares (symmetric design): c = k/(k + λ(n−s−1))"
UNBIASED_RULE = "unbiased fixed decoder: c = n/(holders·(n−s))"


@dataclass(frozen=True)
class BibdRule:
    """The BIBD code's coefficient c, the rule's text, and the error every responding set sees (symmetric)."""

    coefficient: Fraction
    rule: str
    error_for_every_f: Fraction | None


def bibd_rule(v: int, b: int, r: int, k: int, lam: int, s: int, transpose: bool) -> BibdRule:
    """The coefficient of the code of a 2-(v, k, λ) design (b blocks, replication r) tuned for s stragglers.

    n = b workers (n = v with ``transpose``). Raises ValueError unless 0 ≤ s < n.
    """
    from gcli.structures.spectra import symmetric_design_error

    n = v if transpose else b
    if not 0 <= s < n:
        raise ValueError(f"the planned straggler count s must satisfy 0 ≤ s < n = {n} (got {s})")
    if b == v:
        coefficient, error = symmetric_design_error(v, k, lam, s)
        return BibdRule(coefficient, SYMMETRIC_RULE, error)
    holders = k if transpose else r
    return BibdRule(Fraction(n, holders * (n - s)), UNBIASED_RULE, None)


def bibd_support(v: int, blocks: Sequence[Sequence[int]] | np.ndarray, transpose: bool, sparse: bool = False) -> Any:
    """The 0/1 worker × partition support: Nᵀ (b × v, workers = blocks) or N (v × b) with ``transpose``.

    Dense int64 by default; ``sparse=True`` gives a scipy CSR matrix with sorted indices (O(b·k) memory).
    """
    from gcli.structures.designs import incidence_matrix

    incidence = incidence_matrix(v, blocks)
    if sparse:
        support = (incidence if transpose else incidence.T).tocsr()
        support.sort_indices()
        return support
    dense = incidence.toarray()
    return dense if transpose else np.ascontiguousarray(dense.T)


def bibd_encoding(support: Any, rule: BibdRule) -> Any:
    """B = c·support in float64 (c correctly rounded from the exact coefficient); dense or sparse like support."""
    return float(rule.coefficient) * support.astype(np.float64)


def graph_support(adjacency: Any, loops: bool) -> tuple[Any, int]:
    """(support, d): A or A + I (``loops``) and its row sum d; the adjacency must be regular. A scipy sparse
    adjacency gives a CSR support."""
    if hasattr(adjacency, "tocsr"):
        import scipy.sparse as sp

        a = sp.csr_matrix(adjacency, dtype=np.int64)
        support = (a + sp.identity(a.shape[0], dtype=np.int64, format="csr")).tocsr() if loops else a
        support.sort_indices()
        return support, int(support[0].sum())
    a = np.asarray(adjacency, dtype=np.int64)
    support = a + np.eye(a.shape[0], dtype=np.int64) if loops else a
    return support, int(support[0].sum())


def graph_encoding(support: Any, degree: int) -> Any:
    """B = support/d in float64 (graph codes A/d or (A+I)/(d+1), bipartite codes S/d); dense or sparse."""
    return support.astype(np.float64) / degree


def incidence_support(v: int, edges: Sequence[Sequence[int]]) -> np.ndarray:
    """The edge × vertex incidence (|E| × v, 0/1) of a graph given by its edge list (one row per edge)."""
    pairs = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    support = np.zeros((pairs.shape[0], v), dtype=np.int64)
    rows = np.arange(pairs.shape[0])
    support[rows, pairs[:, 0]] = 1
    support[rows, pairs[:, 1]] = 1
    return support


def _holders(support: np.ndarray) -> list[np.ndarray]:
    held = np.asarray(support) != 0
    return [np.flatnonzero(held[:, j]) for j in range(held.shape[1])]


def nullspace_encoding(support: np.ndarray, decoder: np.ndarray, null_space: str = "min-norm",
                       seed: int = 0) -> np.ndarray:
    """B (n × k·m) with X·B = T on the support, for a decoder X (m × n) whose restriction to every H_j has rank m.

    Block j (columns j·m..j·m+m−1, rows H_j) is C_j = X_{H_j}⁺ (``min-norm``) or
    C_j = X_{H_j}⁺ + (I − X_{H_j}⁺X_{H_j})·R_j (``random``: R_j i.i.d. N(0, 1), |H_j| × m, drawn for j = 0, 1, …
    from ``numpy.random.default_rng(seed)`` as one (Σ_j |H_j|) × m array). Either way X_{H_j}·C_j = I_m. Partitions
    with the same replication are solved as one stack. ValueError when some X_{H_j} has rank < m.
    """
    x = np.asarray(decoder, dtype=np.float64)
    m, n = x.shape
    holders = _holders(support)
    k = len(holders)
    if null_space not in ("min-norm", "random"):
        raise ValueError(f"unknown null-space choice {null_space!r}: use min-norm or random")
    sizes = np.array([h.size for h in holders], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(sizes)))
    noise = np.random.default_rng(seed).standard_normal((int(offsets[-1]), m)) if null_space == "random" else None
    encoding = np.zeros((n, k * m))
    for size in np.unique(sizes):
        js = np.flatnonzero(sizes == size)
        rows = np.stack([holders[j] for j in js])  # (g, r)
        blocks = np.swapaxes(x[:, rows], 0, 1)  # (g, m, r)
        sv = np.linalg.svd(blocks, compute_uv=False)
        if size < m or np.any(sv[:, -1] <= 1e-12 * np.maximum(sv[:, 0], 1e-300)):
            bad = int(js[0]) if size < m else int(js[int(np.argmin(sv[:, -1] / np.maximum(sv[:, 0], 1e-300)))])
            raise ValueError(f"the decoder restricted to the {size} holders of partition {bad} has rank < m = {m}")
        pinv = np.linalg.pinv(blocks)  # (g, r, m)
        if noise is not None:
            draws = np.stack([noise[offsets[j]:offsets[j + 1]] for j in js])  # (g, r, m)
            pinv = pinv + draws - pinv @ (blocks @ draws)
        cols = (js[:, None] * m + np.arange(m)[None, :])  # (g, m)
        encoding[rows[:, :, None], cols[:, None, :]] = pinv
    return encoding


def polynomial_encoding(support: np.ndarray, points: Sequence[float], m: int) -> np.ndarray:
    """The recursive polynomial code of Ye and Abbe on an arbitrary support: B[w, j·m+u] = p_j^(u+1)(θ_w).

    With r_min the least replication and D = n − r_min, p_j^(1)(x) = Π_{i ∉ H_j}(x − θ_i)·Π_{t < r_j − r_min}
    (x − θ_{n+t}) is monic of degree D and vanishes at the non-holders of j (the extra points θ_n, … pad partitions
    held by more than r_min workers); p_j^(u) = x·p_j^(u−1) − c_{u−1}·p_j^(1), c_{u−1} the coefficient of x^{D−1}
    in p_j^(u−1). Writing p_j^(u) = q_u·p_j^(1) with q_1 = 1 and q_u = x·q_{u−1} − c_{u−1} (monic, degree u − 1),
    the entries are evaluated by :func:`gcli.decoding.polynomial.vanishing_encoding` as q_u(θ_w)·Π(θ_w − ρ) (no expanded
    high-degree polynomial). ``points`` holds θ_0..θ_{n−1} and at least r_max − r_min extra points. On the cyclic
    support of :func:`gcli.constructions.reed_solomon` this is that code's encoding.
    """
    held = np.asarray(support) != 0
    n, k = held.shape
    theta = np.asarray(points, dtype=np.float64)
    holders = _holders(held)
    sizes = np.array([h.size for h in holders])
    r_min = int(sizes.min())
    if theta.size < n + int(sizes.max()) - r_min:
        raise ValueError("polynomial_encoding needs n + (r_max − r_min) distinct points")
    if r_min < m:
        raise ValueError(f"every partition must be held by at least m = {m} workers (least replication {r_min})")
    from gcli.decoding.polynomial import vanishing_encoding
    from gcli.fields import REAL

    roots = np.stack([np.concatenate([theta[:n][~held[:, j]], theta[n : n + sizes[j] - r_min]]) for j in range(k)])
    encoding = vanishing_encoding(REAL, theta[:n], roots.reshape(k, n - r_min), m)
    encoding[~np.repeat(held, m, axis=1)] = 0.0
    return encoding


def stacked_encoding(support: np.ndarray, classes: Sequence[int], m: int) -> np.ndarray:
    """The stacked baseline: worker i serves sub-vector u = classes[i] only, B[i, j·m+u] = 1/|H_j ∩ W_u| on its
    partitions (W_u the workers of class u), so the sum of the class-u messages is Σ_j g_j^(u) when every partition
    has a holder in every class. Up to the order of rows and columns B = diag(S_0, …, S_{m−1})·(weights): m
    assignment matrices stacked vertically, one per sub-vector."""
    held = np.asarray(support) != 0
    n, k = held.shape
    cls = np.asarray(classes, dtype=np.int64)
    if cls.shape != (n,) or (cls.size and (cls.min() < 0 or cls.max() >= m)):
        raise ValueError(f"classes must give each of the {n} workers a sub-vector in 0..{m - 1}")
    counts = np.zeros((m, k), dtype=np.int64)
    for u in range(m):
        counts[u] = held[cls == u].sum(axis=0)
    encoding = np.zeros((n, k * m))
    rows, cols = np.nonzero(held)
    u = cls[rows]
    encoding[rows, cols * m + u] = 1.0 / counts[u, cols]
    return encoding
