"""The coefficient rules of the structure codes: which matrix B a design or a graph stands for.

Each rule exists once and is used twice: by the code wrappers in :mod:`gcli.constructions` to build the
encoding, and by :func:`gcli.structures.certify_structure` to recompute it from the JSON and compare.

* BIBD codes (Kadhe et al.): support Nᵀ (workers = blocks, partitions = points) or N (``transpose``), B = c·support.
  Symmetric designs (b = v): c = k/(k + λ(n−s−1)), the least-squares coefficient, with the same error
  n − k²(n−s)/(k + λ(n−s−1)) for every set of n − s responders. Other designs: c = n/(h·(n−s)), h the number
  of workers holding each partition (r, or k transposed), which makes the plain sum unbiased.
* Graph codes (Raviv et al.): B = A/d with A the integer adjacency (multi-edges counted, a loop counts 2) or,
  with loops, (A + I)/(d + 1); bipartite worker × partition graphs: B = S/d.

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
    n = v if transpose else b
    if not 0 <= s < n:
        raise ValueError(f"the planned straggler count s must satisfy 0 ≤ s < n = {n} (got {s})")
    if b == v:
        denominator = k + lam * (n - s - 1)
        error = n - Fraction(k * k * (n - s), denominator)
        return BibdRule(Fraction(k, denominator), SYMMETRIC_RULE, error)
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
