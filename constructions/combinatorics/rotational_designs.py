"""Steiner 2-designs with block size 6 and 7 developed from base blocks under a cyclic point permutation.

A design invariant under a permutation σ of the points is determined by one block from each ⟨σ⟩-orbit of blocks
(its *base blocks*). Every design here uses σ: x ↦ x + t (mod m) on the points 0..m−1 and fixes the points
m..v−1; the blocks are the distinct images σ^i(B), 0 ≤ i < m/gcd(t, m), of each base block B (a base block
whose orbit is short, such as a coset {c, c + m/k, …}, contributes its distinct images only). For t = 1 and
v = m this is a cyclic difference family in Z_v.

The five (v, k, 1) designs with v ≤ 100 and k ∈ {6, 7} that no algebraic family of gcli reaches are tabulated
(:data:`ROTATIONAL_DESIGNS`); the base blocks come from the literature, each with its source, and every design is
re-checked (N·Nᵀ = (r−1)I + J) when it is built:

* (66, 6, 1), (76, 6, 1), (96, 6, 1): found by Colin Barker and published in the La Jolla Covering Repository
  (D. Gordon) as coverings C(v, 6, 2) of size v(v−1)/30, i.e. Steiner systems; the base blocks under x ↦ x + 5
  (mod 65, fixing 65), x ↦ x + 4 (mod 76) and x ↦ x + 2 (mod 96) are those SageMath 10.8 tabulates in
  ``sage.combinat.designs.database.BIBD_66_6_1`` / ``BIBD_76_6_1`` / ``BIBD_96_6_1`` from that repository;
* (91, 6, 1): the cyclic difference family {0,1,3,7,25,38}, {0,16,21,36,48,62}, {0,30,40,63,74,82} in Z_91
  (Handbook of Combinatorial Designs, §VI.16, table of (v, 6, 1) difference families; also SageMath's
  ``sage.combinat.designs.database.DF`` entry (91, 6, 1));
* (91, 7, 1): two full base blocks and the short orbit of the subgroup coset {4, 17, …, 82} of 13·Z_91, found
  by Jan de Heer and Steve Muir (La Jolla Covering Repository; SageMath's ``DF`` entry (91, 7, 1)).

References (for the whole module): C. J. Colbourn, J. H. Dinitz (eds.), *Handbook of Combinatorial Designs*, 2nd
ed., CRC 2007, §II.3 (Steiner 2-designs, Table 3.3 existence of (v, 6, 1)) and §VI.16 (difference families);
D. M. Gordon, La Jolla Covering Repository.

Example:
    >>> design = rotational_design(66, 6)
    >>> design.b, design.r
    (143, 13)
"""

from __future__ import annotations

import math

import numpy as np

from gcli.errors import ImpossibleParameters
from gcli.structures import BlockDesign, certified_design

__all__ = ["ROTATIONAL_DESIGNS", "develop", "rotational_design", "rotational_design_name"]

# (v, k): (m, t, base blocks, source)
ROTATIONAL_DESIGNS: dict[tuple[int, int], tuple[int, int, tuple[tuple[int, ...], ...], str]] = {
    (66, 6): (65, 5, (
        (6, 38, 42, 46, 53, 62), (9, 11, 21, 49, 56, 60), (18, 31, 37, 44, 52, 60), (0, 12, 29, 46, 51, 63),
        (0, 6, 21, 30, 43, 48), (4, 17, 22, 36, 47, 59), (0, 1, 2, 3, 4, 65), (23, 39, 44, 53, 59, 63),
        (12, 22, 28, 48, 55, 60), (19, 22, 25, 40, 49, 50), (4, 30, 37, 50, 58, 61),
    ), "C. Barker, La Jolla Covering Repository"),
    (76, 6): (76, 4, (
        (3, 5, 21, 33, 72, 73), (4, 37, 57, 58, 64, 75), (7, 14, 44, 47, 59, 63), (10, 20, 61, 63, 71, 72),
        (13, 26, 30, 39, 45, 67), (11, 21, 25, 30, 55, 58), (2, 5, 34, 52, 54, 70), (6, 8, 29, 48, 70, 71),
        (10, 15, 36, 41, 44, 56), (0, 6, 13, 27, 44, 72),
    ), "C. Barker, La Jolla Covering Repository"),
    (96, 6): (96, 2, (
        (3, 13, 32, 47, 68, 87), (9, 36, 70, 75, 81, 88), (22, 52, 72, 76, 78, 79), (15, 23, 41, 43, 46, 58),
        (7, 8, 21, 57, 66, 94), (8, 22, 30, 51, 55, 93), (15, 31, 47, 63, 79, 95), (2, 18, 34, 50, 66, 82),
    ), "C. Barker, La Jolla Covering Repository"),
    (91, 6): (91, 1, (
        (0, 1, 3, 7, 25, 38), (0, 16, 21, 36, 48, 62), (0, 30, 40, 63, 74, 82),
    ), "cyclic difference family, Handbook of Combinatorial Designs §VI.16"),
    (91, 7): (91, 1, (
        (8, 9, 14, 25, 58, 81, 85), (5, 33, 35, 42, 45, 67, 88), (4, 17, 30, 43, 56, 69, 82),
    ), "J. de Heer, S. Muir, La Jolla Covering Repository"),
}
"""Base blocks of Steiner 2-designs under x ↦ x + t (mod m), points ≥ m fixed: (v, k) → (m, t, blocks, source)."""


def develop(v: int, m: int, t: int, base_blocks: tuple[tuple[int, ...], ...]) -> np.ndarray:
    """The distinct images of the base blocks under x ↦ x + t (mod m) (points ≥ m fixed), one sorted row each.

    Args:
        v: points (m ≤ v).
        m: modulus of the permutation.
        t: step.
        base_blocks: blocks of equal size.

    Returns:
        A b × k integer array, rows sorted, in the order of first appearance (base block, then power of σ).

    Example:
        >>> develop(7, 7, 1, ((0, 1, 3),)).shape
        (7, 3)
    """
    base = np.asarray(base_blocks, dtype=np.int64)
    steps = t * np.arange(m // math.gcd(t, m), dtype=np.int64)
    moved = base < m
    images = np.where(moved[:, None, :], (base[:, None, :] + steps[None, :, None]) % m, base[:, None, :])
    rows = np.sort(images.reshape(-1, base.shape[1]), axis=1)
    _, first = np.unique(rows, axis=0, return_index=True)
    return rows[np.sort(first)]


def rotational_design(v: int, k: int) -> BlockDesign:
    """A tabulated 2-(v, k, 1) design developed from base blocks under x ↦ x + t (mod m) (module docstring).

    Available for (v, k) ∈ {(66, 6), (76, 6), (91, 6), (96, 6), (91, 7)} (:data:`ROTATIONAL_DESIGNS`).

    Args:
        v: points.
        k: block size.

    Returns:
        A certified :class:`~gcli.structures.BlockDesign` named after the base blocks' source.

    Example:
        >>> rotational_design(91, 7).b
        195

    References:
        Handbook of Combinatorial Designs, §II.3 and §VI.16; La Jolla Covering Repository.
    """
    if (v, k) not in ROTATIONAL_DESIGNS:
        raise ImpossibleParameters(f"no tabulated base blocks for a ({v}, {k}, 1) design")
    m, t, base, _ = ROTATIONAL_DESIGNS[(v, k)]
    return certified_design(v, k, 1, develop(v, m, t, base), rotational_design_name(v, k))


def rotational_design_name(v: int, k: int) -> str:
    """The name :func:`rotational_design` gives the (v, k, 1) design (its group action and source)."""
    m, t, _, source = ROTATIONAL_DESIGNS[(v, k)]
    what = f"Z_{m}" if t == 1 else f"x ↦ x+{t} mod {m}"
    return f"({v},{k},1) design, base blocks under {what} ({source})"
