"""Designs from designs (complement, residual, derived, λ-fold copies) and the complete design.

Each operation takes a :class:`~gcli.structures.BlockDesign` and returns a new certified one.

References (for the whole module): C. J. Colbourn, J. H. Dinitz (eds.), *Handbook of Combinatorial Designs*, 2nd
ed., CRC 2007, §II.1 and §II.6.
"""

from __future__ import annotations

import itertools
import math

from gcli.errors import ImpossibleParameters, NotSupported
from gcli.structures import BlockDesign, certified_design

__all__ = ["complementary_design", "complete_design", "derived_design", "multiple_design", "residual_design"]

MAX_COMPLETE_BLOCKS = 5000
"""Largest number of blocks :func:`complete_design` writes out."""


def complete_design(v: int, k: int) -> BlockDesign:
    """All k-subsets of v points: a 2-(v, k, C(v−2, k−2)) design (k = 2: the complete graph K_v).

    Args:
        v: points.
        k: block size, 2 ≤ k < v, with C(v, k) ≤ 5000.

    Returns:
        A certified :class:`~gcli.structures.BlockDesign`.

    Example:
        >>> complete_design(5, 3).lam
        3

    References:
        Handbook of Combinatorial Designs, §II.1 (trivial designs).
    """
    if not 2 <= k < v:
        raise ImpossibleParameters(f"the complete design needs 2 ≤ k < v (got v={v}, k={k})")
    if math.comb(v, k) > MAX_COMPLETE_BLOCKS:
        raise ImpossibleParameters(f"the complete ({v}, {k}) design has {math.comb(v, k)} blocks; gcli writes at most "
                                   f"{MAX_COMPLETE_BLOCKS}")
    name = f"complete graph K_{v}" if k == 2 else f"complete design: all {k}-subsets of {v} points"
    return certified_design(v, k, math.comb(v - 2, k - 2), list(itertools.combinations(range(v), k)), name)


def complementary_design(design: BlockDesign) -> BlockDesign:
    """The complementary design: blocks replaced by their complements, a 2-(v, v−k, b−2r+λ) design.

    Args:
        design: a BIBD with k ≤ v − 2.

    Returns:
        A certified :class:`~gcli.structures.BlockDesign`.

    Example:
        >>> from gcli.constructions.combinatorics import singer_difference_set
        >>> complementary_design(singer_difference_set(3)).k
        9

    References:
        Handbook of Combinatorial Designs, §II.1.
    """
    v, k = design.v, design.k
    if v - k < 2:
        raise ImpossibleParameters("the complement needs blocks of size at most v − 2")
    everything = set(range(v))
    blocks = [sorted(everything - set(block)) for block in design.blocks]
    lam = design.b - 2 * design.r + design.lam
    return certified_design(v, v - k, lam, blocks, f"complement of {design.name}")


def _symmetric_only(design: BlockDesign, what: str) -> None:
    if not design.is_symmetric:
        raise NotSupported(f"the {what} design is defined here for symmetric designs only")


def residual_design(design: BlockDesign, block: int = 0) -> BlockDesign:
    """The residual of a symmetric (v, k, λ) design at a block B: points outside B, blocks B'∖B.

    A 2-(v−k, k−λ, λ) design (e.g. the residual of PG(2, q) is AG(2, q)).

    Args:
        design: a symmetric BIBD with k − λ ≥ 2.
        block: index of the block B.

    Returns:
        A certified :class:`~gcli.structures.BlockDesign`.

    Example:
        >>> from gcli.constructions.combinatorics import singer_difference_set
        >>> residual_design(singer_difference_set(3)).v
        9

    References:
        Handbook of Combinatorial Designs, §II.6.
    """
    _symmetric_only(design, "residual")
    removed = set(design.blocks[block])
    keep = [p for p in range(design.v) if p not in removed]
    relabel = {p: i for i, p in enumerate(keep)}
    blocks = [[relabel[p] for p in other if p not in removed]
              for idx, other in enumerate(design.blocks) if idx != block]
    return certified_design(design.v - design.k, design.k - design.lam, design.lam, blocks,
                            f"residual of {design.name}")


def derived_design(design: BlockDesign, block: int = 0) -> BlockDesign:
    """The derived design of a symmetric (v, k, λ) design at a block B: points of B, blocks B'∩B.

    A 2-(k, λ, λ−1) design; needs λ ≥ 2.

    Args:
        design: a symmetric BIBD with λ ≥ 2.
        block: index of the block B.

    Returns:
        A certified :class:`~gcli.structures.BlockDesign`.

    Example:
        >>> from gcli.constructions.combinatorics import singer_difference_set
        >>> derived_design(singer_difference_set(2, 3)).k
        3

    References:
        Handbook of Combinatorial Designs, §II.6.
    """
    _symmetric_only(design, "derived")
    if design.lam < 2:
        raise ImpossibleParameters("the derived design needs λ ≥ 2")
    relabel = {p: i for i, p in enumerate(design.blocks[block])}
    blocks = [[relabel[p] for p in other if p in relabel]
              for idx, other in enumerate(design.blocks) if idx != block]
    return certified_design(design.k, design.lam, design.lam - 1, blocks, f"derived design of {design.name}")


def multiple_design(design: BlockDesign, copies: int) -> BlockDesign:
    """``copies`` copies of every block: a 2-(v, k, copies·λ) design.

    Args:
        design: any BIBD.
        copies: how many times each block is repeated, ≥ 1.

    Returns:
        A certified :class:`~gcli.structures.BlockDesign` named "N copies of …".

    Example:
        >>> from gcli.constructions.combinatorics import steiner_triple_system
        >>> multiple_design(steiner_triple_system(7), 2).lam
        2

    References:
        Handbook of Combinatorial Designs, §II.1.
    """
    if copies < 1:
        raise ImpossibleParameters(f"copies must be at least 1 (got {copies})")
    return certified_design(design.v, design.k, design.lam * copies, list(design.blocks) * copies,
                            f"{copies} copies of {design.name}")
