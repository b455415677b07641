"""Designs developed from difference sets and difference families.

A (v, k, λ) difference set D in a group G of order v (every non-zero element is a difference of exactly λ pairs of
D) gives the symmetric design of its v translates D + g; a difference family (several base blocks whose
differences together cover every non-zero element λ times) gives a design by developing each base block.

For a prime modulus the arithmetic is plain modular integers; for prime powers it goes through
:func:`gcli.fields.gf`. The tabulated families (:data:`CYCLIC_DIFFERENCE_FAMILIES`, :data:`ORBIT_FAMILIES`,
:data:`GROUP_DIFFERENCE_FAMILIES`) were found by gcli's own backtracking search; every design is re-checked when
it is built.

References (for the whole module): C. J. Colbourn, J. H. Dinitz (eds.), *Handbook of Combinatorial Designs*, 2nd
ed., CRC 2007, §VI.16 (difference families) and §VI.18 (difference sets).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np

from gcli.errors import ImpossibleParameters
from gcli.fields._conway import CONWAY
from gcli.fields.numbertheory import is_prime, prime_power
from gcli.structures import BlockDesign, certified_design

from .._geometry import field, primitive_polynomial

__all__ = [
    "CYCLIC_DIFFERENCE_FAMILIES",
    "GROUP_DIFFERENCE_FAMILIES",
    "ORBIT_FAMILIES",
    "biquadratic_residue_design",
    "cyclic_difference_family_design",
    "group_difference_family_design",
    "orbit_design",
    "paley_difference_set_design",
    "singer_difference_set",
]


def _develop_cyclic(n: int, base_blocks: Sequence[Sequence[int]]) -> np.ndarray:
    """All translates B + t (mod n), t = 0..n−1, of each base block (one row per block)."""
    base = np.asarray(base_blocks, dtype=np.int64)
    return ((base[:, None, :] + np.arange(n)[None, :, None]) % n).reshape(-1, base.shape[1])


def _singer_zeros(q: int, n: int, v: int) -> list[int]:
    """{i ∈ [0, v) : Tr(α^i) = 0} for a primitive α of GF(qⁿ), Tr the trace to GF(q).

    Prime q, in plain integers: α is a root of the first primitive polynomial f = xⁿ + c_{n−1}xⁿ⁻¹ + … + c₀, and
    Tr(α^i) is the i-th power sum of f's roots: Newton's identities give the first n, and then they obey f's linear
    recurrence. Prime powers: the trace in GF(qⁿ) of :func:`gcli.fields.gf` (by its exp/log tables up to qⁿ = 4096).
    """
    if prime_power(q) == (q, 1):
        c = primitive_polynomial(q, n)
        sums = [n % q]  # Newton: p_k + c_{n−1}p_{k−1} + … + c_{n−k+1}p_1 + k·c_{n−k} = 0 for 1 ≤ k < n
        for k in range(1, n):
            sums.append(-(sum(c[n - j] * sums[k - j] for j in range(1, k)) + k * c[n - k]) % q)
        while len(sums) < v:
            sums.append(-sum(ci * si for ci, si in zip(c, sums[-n:], strict=True)) % q)
        return [i for i, x in enumerate(sums[:v]) if x == 0]
    if q**n in CONWAY:  # the same field as gf(q^n) (its polynomial and primitive element x), without galois
        table = field(q**n)
        term = table.powers_of(table.primitive_element, v)
        trace = term.copy()
        for _ in range(n - 1):
            term = table.power(term, q)
            trace = table.add(trace, term)
        return np.flatnonzero(trace == 0).tolist()
    from gcli.fields import gf

    big = gf(q**n)
    powers = big.primitive_element ** np.arange(v)
    trace, term = powers.copy(), powers
    for _ in range(n - 1):
        term = term**q
        trace = trace + term
    return np.flatnonzero(trace.view(np.ndarray) == 0).tolist()


def singer_difference_set(q: int, d: int = 2) -> BlockDesign:
    """The Singer difference set: PG(d, q) points/hyperplanes as a cyclic symmetric design.

    With α primitive in GF(q^{d+1}) and v = (q^{d+1}−1)/(q−1), D = {i ∈ Z_v : Tr(α^i) = 0} (trace to GF(q)) is a
    (v, (q^d−1)/(q−1), (q^{d−1}−1)/(q−1)) difference set in Z_v; the blocks are its v translates D + t.

    Args:
        q: prime power.
        d: dimension ≥ 2.

    Returns:
        A certified :class:`~gcli.structures.BlockDesign` on Z_v.

    Example:
        >>> (singer_difference_set(2).v, singer_difference_set(2).k)
        (7, 3)

    References:
        J. Singer, "A theorem in finite projective geometry and some applications to number theory", Trans. AMS
        43 (1938); Handbook of Combinatorial Designs, §VI.18.
    """
    if d < 2:
        raise ImpossibleParameters(f"Singer difference sets need d ≥ 2 (got {d})")
    field(q)  # q must be a prime power
    v = (q ** (d + 1) - 1) // (q - 1)
    base = _singer_zeros(q, d + 1, v)
    k, lam = (q**d - 1) // (q - 1), (q ** (d - 1) - 1) // (q - 1)
    return certified_design(v, k, lam, _develop_cyclic(v, [base]), f"Singer difference set PG({d},{q})")


def paley_difference_set_design(q: int) -> BlockDesign:
    """The Paley (quadratic-residue) difference set design for a prime power q ≡ 3 (mod 4).

    The non-zero squares of GF(q) form a (q, (q−1)/2, (q−3)/4) difference set in the additive group; the blocks
    are its q translates (points are field elements by their integer code). q = 7 is the Fano plane, q = 11 a
    biplane.

    Args:
        q: prime power, q ≡ 3 (mod 4).

    Returns:
        A certified :class:`~gcli.structures.BlockDesign`.

    Example:
        >>> paley_difference_set_design(7).blocks[0]
        (1, 2, 4)

    References:
        R. E. A. C. Paley, "On orthogonal matrices", J. Math. Phys. 12 (1933); Handbook of Combinatorial Designs,
        §VI.18.
    """
    if q % 4 != 3:
        raise ImpossibleParameters(f"the Paley difference set needs q ≡ 3 (mod 4) (got q={q})")
    f = field(q)
    squares = np.flatnonzero(f.squares())
    blocks = f.add(squares[None, :], f.elements[:, None])
    return certified_design(q, (q - 1) // 2, (q - 3) // 4, blocks, f"Paley difference set QR({q})")


def biquadratic_residue_design(p: int) -> BlockDesign:
    """The quartic-residue difference set for a prime p = 4x² + 1 with x odd: a (p, (p−1)/4, (p−5)/16) design.

    p = 37 gives the biplane (37, 9, 2), p = 101 gives (101, 25, 6).

    Args:
        p: prime of the form 4x² + 1 with x odd, p > 5.

    Returns:
        A certified :class:`~gcli.structures.BlockDesign` on Z_p.

    Example:
        >>> biquadratic_residue_design(37).k
        9

    References:
        S. Chowla, "A property of biquadratic residues", Proc. Nat. Acad. Sci. India A14 (1944); Handbook of
        Combinatorial Designs, §VI.18, Theorem 18.43.
    """
    x = math.isqrt((p - 1) // 4) if p > 1 else 0
    if p <= 5 or not is_prime(p) or 4 * x * x + 1 != p or x % 2 == 0:
        raise ImpossibleParameters(f"biquadratic residues need a prime p = 4x² + 1 with x odd and p > 5 (got {p})")
    base = sorted({pow(t, 4, p) for t in range(1, p)})
    return certified_design(p, (p - 1) // 4, (p - 5) // 16, _develop_cyclic(p, [base]),
                            f"quartic residues mod {p}")


# key (v, k): (modulus, full base blocks, short-orbit block)
CYCLIC_DIFFERENCE_FAMILIES: dict[tuple[int, int], tuple[int, tuple[tuple[int, ...], ...], tuple[int, ...]]] = {
    (13, 4): (13, ((0, 1, 3, 9),), ()),
    (37, 4): (37, ((0, 1, 3, 24), (0, 4, 9, 15), (0, 7, 17, 25)), ()),
    (49, 4): (49, ((0, 1, 3, 8), (0, 4, 18, 29), (0, 6, 21, 33), (0, 9, 19, 32)), ()),
    (61, 4): (61, ((0, 1, 3, 7), (0, 5, 13, 34), (0, 9, 26, 42), (0, 10, 24, 46), (0, 11, 23, 41)), ()),
    (73, 4): (73, ((0, 1, 3, 7), (0, 5, 13, 29), (0, 9, 27, 47), (0, 10, 31, 50), (0, 11, 28, 43),
                   (0, 12, 34, 48)), ()),
    (85, 4): (85, ((0, 1, 4, 37), (0, 2, 27, 45), (0, 5, 69, 76), (0, 6, 57, 65), (0, 10, 29, 41),
                   (0, 11, 24, 46), (0, 15, 32, 62)), ()),
    (97, 4): (97, ((0, 1, 29, 80), (0, 2, 32, 52), (0, 3, 85, 90), (0, 4, 25, 41), (0, 6, 39, 61),
                   (0, 8, 27, 71), (0, 9, 23, 66), (0, 11, 24, 59)), ()),
    (40, 4): (40, ((0, 1, 28, 37), (0, 2, 18, 25), (0, 5, 26, 34)), (0, 10, 20, 30)),
    (52, 4): (52, ((0, 1, 28, 48), (0, 2, 31, 40), (0, 3, 10, 18), (0, 6, 22, 41)), (0, 13, 26, 39)),
    (76, 4): (76, ((0, 1, 7, 50), (0, 2, 16, 36), (0, 3, 12, 35), (0, 4, 52, 65), (0, 5, 30, 59),
                   (0, 8, 45, 66)), (0, 19, 38, 57)),
    (88, 4): (88, ((0, 1, 65, 68), (0, 2, 19, 80), (0, 4, 39, 76), (0, 5, 18, 60), (0, 6, 31, 40),
                   (0, 7, 36, 50), (0, 11, 26, 58)), (0, 22, 44, 66)),
    (100, 4): (100, ((0, 1, 73, 82), (0, 2, 87, 90), (0, 4, 67, 84), (0, 5, 48, 79), (0, 6, 30, 59),
                     (0, 7, 39, 62), (0, 8, 44, 66), (0, 11, 51, 65)), (0, 25, 50, 75)),
    (41, 5): (41, ((0, 1, 4, 11, 29), (0, 2, 8, 17, 22)), ()),
    (61, 5): (61, ((0, 1, 3, 13, 34), (0, 4, 9, 23, 45), (0, 6, 17, 24, 32)), ()),
    (81, 5): (81, ((0, 1, 3, 7, 33), (0, 5, 20, 28, 39), (0, 9, 21, 52, 65), (0, 10, 24, 46, 64)), ()),
}
"""Cyclic (v, k, 1) difference families in Z_v: (modulus, full base blocks, short-orbit block or ())."""


def cyclic_difference_family_design(v: int, k: int) -> BlockDesign:
    """A cyclic 2-(v, k, 1) design developed from a difference family in Z_v (tabulated base blocks).

    The short orbit {0, v/k, …} is added when v ≡ k (mod k(k−1)). Available for the (v, k) in
    :data:`CYCLIC_DIFFERENCE_FAMILIES`: (v, 4) with v ∈ {13, 37, 40, 49, 52, 61, 73, 76, 85, 88, 97, 100} and
    (v, 5) with v ∈ {41, 61, 81}.

    Args:
        v: points.
        k: block size (4 or 5).

    Returns:
        A certified :class:`~gcli.structures.BlockDesign` on Z_v.

    Example:
        >>> cyclic_difference_family_design(37, 4).b
        111

    References:
        Handbook of Combinatorial Designs, §VI.16; M. Buratti, "Constructions of (q,k,1) difference families with
        q a prime power and k = 4, 5", Discrete Math. 138 (1995).
    """
    if (v, k) not in CYCLIC_DIFFERENCE_FAMILIES:
        raise ImpossibleParameters(f"no tabulated cyclic difference family for (v, k) = ({v}, {k})")
    n, base, short = CYCLIC_DIFFERENCE_FAMILIES[(v, k)]
    blocks = _develop_cyclic(n, base)
    if short:
        blocks = np.concatenate([blocks, _develop_cyclic(n, [short])[: short[1]]])
    return certified_design(v, k, 1, blocks, f"cyclic difference family ({v},{k},1)")


# (v, k): base blocks of (orbit, x) pairs
ORBIT_FAMILIES: dict[tuple[int, int], tuple[tuple[tuple[int, int], ...], ...]] = {
    (25, 4): (
        ((0, 0), (1, 0), (6, 2), (7, 1)), ((0, 0), (1, 1), (4, 0), (2, 0)), ((0, 0), (1, 2), (2, 2), (5, 0)),
        ((0, 0), (2, 1), (6, 1), (3, 2)), ((0, 0), (3, 0), (4, 2), (6, 0)), ((0, 0), (3, 1), (7, 0), (5, 1)),
        ((0, 0), (4, 1), (7, 2), (5, 2)), ((1, 0), (2, 1), (7, 2), (3, 1)), ((1, 0), (3, 0), (5, 2), (6, 1)),
        ((1, 0), (3, 2), (4, 0), (5, 0)), ((1, 0), (4, 1), (6, 0), (7, 0)), ((2, 0), (3, 2), (7, 2), (4, 2)),
        ((2, 0), (4, 1), (6, 1), (5, 0)), ((2, 0), (5, 2), (6, 2), (7, 0)),
    ),
}
"""Z_{k−1}-orbit designs with a fixed point: base blocks of (orbit, x) pairs, keyed by (v, k)."""


def orbit_design(v: int, k: int) -> BlockDesign:
    """A 2-(v, k, 1) design, v = 1 + (k−1)t, invariant under Z_{k−1} fixing one point ∞ (tabulated).

    Points: ∞ = v − 1 and (i, x) ↦ i(k−1) + x for orbits i < t and x ∈ Z_{k−1}. Blocks: the t fixed blocks
    {∞} ∪ orbit i, and the Z_{k−1}-translates of base blocks {(i, x), …} that meet k distinct orbits, in which every
    pair of orbits i < j shows every difference x_j − x_i exactly once. Available for (v, k) in
    :data:`ORBIT_FAMILIES`: (25, 4).

    Args:
        v: points.
        k: block size.

    Returns:
        A certified :class:`~gcli.structures.BlockDesign`.

    Example:
        >>> orbit_design(25, 4).b
        50

    References:
        Handbook of Combinatorial Designs, §VI.16 (difference families over groups with fixed points).
    """
    if (v, k) not in ORBIT_FAMILIES:
        raise ImpossibleParameters(f"no tabulated orbit construction for (v, k) = ({v}, {k})")
    m = k - 1
    t = (v - 1) // m
    blocks = [[v - 1, *range(i * m, i * m + m)] for i in range(t)]
    for base in ORBIT_FAMILIES[(v, k)]:
        for shift in range(m):
            blocks.append([i * m + (x + shift) % m for i, x in base])
    return certified_design(v, k, 1, blocks, f"Z_{m}-orbit design ({v},{k},1)")


# (v, k): (moduli of Z_{m1} × …, full base blocks, a subgroup block whose cosets are added)
GROUP_DIFFERENCE_FAMILIES: dict[tuple[int, int], tuple[tuple[int, ...], tuple[tuple[tuple[int, ...], ...], ...],
                                                       tuple[tuple[int, ...], ...]]] = {
    (45, 5): (
        (3, 3, 5),
        (((0, 0, 0), (0, 1, 0), (0, 2, 2), (1, 0, 4), (2, 1, 4)),
         ((0, 0, 0), (0, 1, 1), (1, 0, 3), (2, 0, 0), (2, 2, 1))),
        tuple((0, 0, y) for y in range(5)),
    ),
}
"""Difference families over abelian groups Z_{m1} × … with a short orbit, keyed by (v, k)."""


def group_difference_family_design(v: int, k: int) -> BlockDesign:
    """A 2-(v, k, 1) design developed from a difference family in an abelian group Z_{m1} × … × Z_{mr}.

    The full base blocks are developed by every group element; the subgroup block contributes its cosets (a
    short orbit). Group elements are indexed in mixed radix (last coordinate fastest). Tabulated:
    (45, 5, 1) over Z_3 × Z_3 × Z_5 with the short orbit of the subgroup Z_5.

    Args:
        v: points (the group order).
        k: block size.

    Returns:
        A certified :class:`~gcli.structures.BlockDesign`.

    Example:
        >>> group_difference_family_design(45, 5).b
        99

    References:
        Handbook of Combinatorial Designs, §VI.16 (difference families, short orbits).
    """
    if (v, k) not in GROUP_DIFFERENCE_FAMILIES:
        raise ImpossibleParameters(f"no tabulated group difference family for (v, k) = ({v}, {k})")
    mods, base_blocks, subgroup = GROUP_DIFFERENCE_FAMILIES[(v, k)]
    elements = list(itertools.product(*[range(m) for m in mods]))
    index = {g: i for i, g in enumerate(elements)}

    def shift(block: Sequence[tuple[int, ...]], g: tuple[int, ...]) -> list[int]:
        return [index[tuple((x + y) % m for x, y, m in zip(p, g, mods, strict=True))] for p in block]

    blocks = [shift(base, g) for base in base_blocks for g in elements]
    cosets = {tuple(sorted(shift(subgroup, g))) for g in elements}
    blocks += [list(c) for c in sorted(cosets)]
    group = " × ".join(f"Z_{m}" for m in mods)
    return certified_design(v, k, 1, blocks, f"difference family ({v},{k},1) over {group}")
