"""Symmetric designs from strongly regular graphs (the graph object is passed in; nothing is looked up).

An srg(v, k, λ, λ) has A·Aᵀ = (k−λ)I + λJ, so its neighbourhoods are the blocks of a symmetric 2-(v, k, λ)
design; an srg(v, k, λ, λ+2) has (A+I)(A+I)ᵀ = (k+1−(λ+2))I + (λ+2)J, so its closed neighbourhoods form a
symmetric 2-(v, k+1, λ+2) design.

References: A. E. Brouwer, H. Van Maldeghem, *Strongly Regular Graphs*, CUP 2022, §8.8 (designs from SRGs);
C. J. Colbourn, J. H. Dinitz (eds.), *Handbook of Combinatorial Designs*, 2nd ed., §VII.11.
"""

from __future__ import annotations

import numpy as np

from gcli.errors import ImpossibleParameters
from gcli.structures import BlockDesign, StronglyRegularGraph, certified_design

__all__ = ["neighbourhood_design"]


def neighbourhood_design(graph: StronglyRegularGraph, closed: bool = False) -> BlockDesign:
    """The symmetric design of the (closed) neighbourhoods of an SRG with μ = λ (or μ = λ + 2 when closed).

    Args:
        graph: a certified srg(v, k, λ, μ).
        closed: use N[x] = N(x) ∪ {x}; needs μ = λ + 2 (else μ = λ).

    Returns:
        A certified symmetric 2-(v, k, λ) design (2-(v, k+1, μ) when closed).

    Example:
        >>> from gcli.constructions.combinatorics import gewirtz_graph
        >>> design = neighbourhood_design(gewirtz_graph(), closed=True)
        >>> (design.v, design.k, design.lam)
        (56, 11, 2)

    References:
        Brouwer–Van Maldeghem, §8.8.
    """
    v, k, lam, mu = graph.params
    if mu != (lam + 2 if closed else lam):
        need = "μ = λ + 2" if closed else "μ = λ"
        raise ImpossibleParameters(f"the {'closed ' if closed else ''}neighbourhood design needs {need} "
                                   f"(got srg{graph.params})")
    support = graph.dense() + (np.eye(v, dtype=np.int64) if closed else 0)
    blocks = np.nonzero(support)[1].reshape(v, k + int(closed))
    label = f"{'closed ' if closed else ''}neighbourhoods of {graph.name}"
    return certified_design(v, k + int(closed), mu, blocks, label)
