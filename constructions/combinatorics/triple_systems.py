"""Steiner triple systems: a 2-(v, 3, 1) design for every admissible v ≡ 1, 3 (mod 6).

References (for the whole module): R. C. Bose, "On the construction of balanced incomplete block designs", Ann.
Eugenics 9 (1939); Th. Skolem, "Some remarks on the triple systems of Steiner", Math. Scand. 6 (1958);
C. C. Lindner, C. A. Rodger, *Design Theory*, 2nd ed., CRC 2008, §1.
"""

from __future__ import annotations

import itertools

from gcli.errors import ImpossibleParameters
from gcli.structures import BlockDesign, certified_design

__all__ = ["steiner_triple_system"]


def steiner_triple_system(v: int) -> BlockDesign:
    """A Steiner triple system STS(v) = 2-(v, 3, 1) for every admissible v ≡ 1, 3 (mod 6), v ≥ 3.

    v ≡ 3 (mod 6): Bose's construction on Z_n × Z_3 (n = v/3 odd) from the idempotent commutative quasigroup
    x∘y = (x+y)(n+1)/2 mod n. v ≡ 1 (mod 6): Skolem's construction on Z_{2n} × Z_3 ∪ {∞} (n = (v−1)/6) from the
    half-idempotent commutative quasigroup x∘y = σ((x+y) mod 2n), σ(2i) = i, σ(2i+1) = n+i.

    Args:
        v: number of points, v ≡ 1 or 3 (mod 6), v ≥ 3.

    Returns:
        A certified :class:`~gcli.structures.BlockDesign` named "Bose STS(v)" or "Skolem STS(v)".

    Example:
        >>> sts = steiner_triple_system(9)
        >>> (sts.b, sts.r, sts.name)
        (12, 4, 'Bose STS(9)')

    References:
        Bose (1939); Skolem (1958); Lindner–Rodger, *Design Theory*, §1.
    """
    if v < 3 or v % 6 not in (1, 3):
        raise ImpossibleParameters(f"a Steiner triple system needs v ≡ 1 or 3 (mod 6) and v ≥ 3 (got v={v})")
    blocks: list[tuple[int, int, int]] = []
    if v % 6 == 3:
        n = v // 3
        half = (n + 1) // 2
        for x in range(n):
            blocks.append((x, n + x, 2 * n + x))
        for x, y in itertools.combinations(range(n), 2):
            z = ((x + y) * half) % n
            for i in range(3):
                blocks.append((i * n + x, i * n + y, ((i + 1) % 3) * n + z))
        return certified_design(v, 3, 1, blocks, f"Bose STS({v})")
    n = (v - 1) // 6
    order = 2 * n
    infinity = v - 1

    def pt(x: int, i: int) -> int:
        return (i % 3) * order + x

    def circ(x: int, y: int) -> int:
        t = (x + y) % order
        return t // 2 if t % 2 == 0 else n + t // 2

    for x in range(n):
        blocks.append((pt(x, 0), pt(x, 1), pt(x, 2)))
        for i in range(3):
            blocks.append((infinity, pt(x + n, i), pt(x, i + 1)))
    for x, y in itertools.combinations(range(order), 2):
        for i in range(3):
            blocks.append((pt(x, i), pt(y, i), pt(circ(x, y), i + 1)))
    return certified_design(v, 3, 1, blocks, f"Skolem STS({v})")
