"""Balanced incomplete block designs (BIBDs): one function per family, each re-checked before it is returned.

A 2-(v, k, λ) design has v points 0..v−1 and b blocks of size k such that every pair of points lies in
exactly λ blocks; each point then lies in r = λ(v−1)/(k−1) blocks and bk = vr. Every builder here returns a
:class:`BlockDesign` whose incidence matrix N (v × b) has been checked to satisfy N·Nᵀ = (r−λ)I + λJ (with
sparse arithmetic, so v ≈ 1000 takes milliseconds). :func:`bibd` picks a construction for given (v, k, λ) and
:func:`bibd_construction` names it without building anything (the existence oracle and ``--workers`` search
use it).

References (for the whole module): C. J. Colbourn, J. H. Dinitz (eds.), *Handbook of Combinatorial
Designs*, 2nd ed., CRC 2007 (chapters II.1–II.7, V.1); T. Beth, D. Jungnickel, H. Lenz, *Design Theory*,
CUP 1999.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Annotated, Any

import galois
import numpy as np
import scipy.sparse as sp

from gcli.code import Code
from gcli.errors import InputError

from ._common import CliFlags
from ._geometry import (
    affine_points,
    field_of_order,
    is_prime_power,
    keys,
    projective_lines,
    projective_points,
)
from ._structured import structured_code

__all__ = [
    "BlockDesign",
    "affine_geometry_design",
    "bibd",
    "bibd_code",
    "bibd_construction",
    "bibd_search",
    "biquadratic_residue_design",
    "check_bibd",
    "complementary_design",
    "cyclic_difference_family_design",
    "derived_design",
    "group_difference_family_design",
    "hadamard_design",
    "hadamard_matrix",
    "hermitian_unital",
    "orbit_design",
    "paley_difference_set_design",
    "projective_geometry_design",
    "residual_design",
    "singer_difference_set",
    "steiner_triple_system",
]


# ---------------------------------------------------------------------------------------------------------
# the design object and its certificate
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BlockDesign:
    """A certified 2-(v, k, λ) design: ``blocks[i]`` is the sorted tuple of points of block i.

    Attributes:
        v: points. k: block size. lam: λ, the number of blocks through each pair of points.
        blocks: the blocks (points 0..v−1). name: the construction that produced it.
    """

    v: int
    k: int
    lam: int
    blocks: tuple[tuple[int, ...], ...]
    name: str

    @property
    def b(self) -> int:
        """Number of blocks."""
        return len(self.blocks)

    @property
    def r(self) -> int:
        """Replication: blocks through each point."""
        return self.lam * (self.v - 1) // (self.k - 1)

    @property
    def is_symmetric(self) -> bool:
        """b = v (equivalently r = k)."""
        return self.b == self.v

    def incidence(self) -> sp.csr_matrix:
        """The v × b 0/1 incidence matrix N (sparse)."""
        return incidence_matrix(self.v, self.blocks)

    def to_json(self) -> dict[str, Any]:
        """The ``"design"`` block of the code JSON."""
        return {
            "kind": "bibd",
            "v": self.v,
            "b": self.b,
            "r": self.r,
            "k": self.k,
            "lambda": self.lam,
            "construction": self.name,
            "blocks": [list(block) for block in self.blocks],
        }


def incidence_matrix(v: int, blocks: Sequence[Sequence[int]]) -> sp.csr_matrix:
    """The v × b incidence matrix of a block list (entries count repeated points)."""
    rows = np.fromiter((p for block in blocks for p in block), dtype=np.int64)
    cols = np.repeat(np.arange(len(blocks)), [len(block) for block in blocks])
    data = np.ones(len(rows), dtype=np.int64)
    return sp.csr_matrix((data, (rows, cols)), shape=(v, len(blocks)))


def check_bibd(v: int, blocks: Sequence[Sequence[int]], k: int, lam: int) -> str | None:
    """None when the blocks form a 2-(v, k, λ) design, else the first violated condition.

    Checks block sizes, point range and N·Nᵀ = (r−λ)I + λJ with a sparse product (diagonal = r, every
    off-diagonal entry = λ), where r = λ(v−1)/(k−1).
    """
    if not blocks:
        return "no blocks"
    if any(len(set(block)) != k or len(block) != k for block in blocks):
        return f"some block does not have {k} distinct points"
    if any(min(block) < 0 or max(block) >= v for block in blocks):
        return f"some block has a point outside 0..{v - 1}"
    if (lam * (v - 1)) % (k - 1):
        return f"λ(v−1) = {lam * (v - 1)} is not divisible by k−1 = {k - 1}"
    r = lam * (v - 1) // (k - 1)
    n = incidence_matrix(v, blocks)
    gram = (n @ n.T).tocoo()
    diagonal = gram.diagonal()
    if not np.all(diagonal == r):
        return f"replication is not constant r = {r}"
    off = gram.row != gram.col
    if int(off.sum()) != v * (v - 1) or not np.all(gram.data[off] == lam):
        return f"some pair of points is not covered exactly λ = {lam} times"
    return None


def _certified(v: int, k: int, lam: int, blocks: Sequence[Sequence[int]], name: str) -> BlockDesign:
    normalised = tuple(tuple(sorted(int(p) for p in block)) for block in blocks)
    problem = check_bibd(v, normalised, k, lam)
    if problem is not None:  # a construction bug, never bad input
        raise RuntimeError(f"{name} failed the BIBD identity N·Nᵀ = (r−λ)I + λJ: {problem}")
    return BlockDesign(v=v, k=k, lam=lam, blocks=normalised, name=name)


# ---------------------------------------------------------------------------------------------------------
# finite geometries
# ---------------------------------------------------------------------------------------------------------
def projective_geometry_design(q: int, d: int = 2, kind: str = "lines") -> BlockDesign:
    """Points versus lines or hyperplanes of the projective space PG(d, q).

    Points are the 1-dimensional subspaces of GF(q)^{d+1} (normalised vectors, ordered by their base-q value).
    ``kind="lines"`` gives the 2-((q^{d+1}−1)/(q−1), q+1, 1) design; ``kind="hyperplanes"`` the symmetric
    2-((q^{d+1}−1)/(q−1), (q^d−1)/(q−1), (q^{d−1}−1)/(q−1)) design (hyperplane h·x = 0 for each point h).
    For d = 2 both are the projective plane of order q.

    Args:
        q: prime power (field order).
        d: dimension ≥ 2.
        kind: ``"lines"`` or ``"hyperplanes"``.

    References:
        Handbook of Combinatorial Designs, §VII.2 (finite geometry); Beth–Jungnickel–Lenz, ch. I.
    """
    if d < 2:
        raise InputError(f"projective geometry needs dimension d ≥ 2 (got {d})")
    field_of_order(q)
    v = (q ** (d + 1) - 1) // (q - 1)
    if kind == "lines" and d > 2:
        blocks = projective_lines(q, d)
        return _certified(v, q + 1, 1, blocks.tolist(), f"PG({d},{q}) points/lines")
    if kind not in ("lines", "hyperplanes"):
        raise InputError(f"kind must be 'lines' or 'hyperplanes' (got {kind!r})")
    points = projective_points(q, d)
    incident = np.asarray((points @ points.T).view(np.ndarray) == 0)
    blocks = [np.flatnonzero(row).tolist() for row in incident]
    k = (q**d - 1) // (q - 1)
    lam = (q ** (d - 1) - 1) // (q - 1)
    what = "lines" if d == 2 else "hyperplanes"
    return _certified(v, k, lam, blocks, f"PG({d},{q}) points/{what}")


def affine_geometry_design(q: int, d: int = 2, kind: str = "lines") -> BlockDesign:
    """Points versus lines or hyperplanes of the affine space AG(d, q).

    Points are the q^d vectors of GF(q)^d (indexed by their base-q value). ``kind="lines"`` gives the
    2-(q^d, q, 1) design of lines {x + t·u}; ``kind="hyperplanes"`` the 2-(q^d, q^{d−1}, (q^{d−1}−1)/(q−1))
    design of hyperplanes {x : a·x = c}. For d = 2 both are the affine plane of order q.

    Args:
        q: prime power (field order).
        d: dimension ≥ 2.
        kind: ``"lines"`` or ``"hyperplanes"``.

    References:
        Handbook of Combinatorial Designs, §VII.2; Beth–Jungnickel–Lenz, ch. I.
    """
    if d < 2:
        raise InputError(f"affine geometry needs dimension d ≥ 2 (got {d})")
    field = field_of_order(q)
    if kind not in ("lines", "hyperplanes"):
        raise InputError(f"kind must be 'lines' or 'hyperplanes' (got {kind!r})")
    v = q**d
    if kind == "lines" and d > 2:
        directions = projective_points(q, d - 1)
        points = affine_points(field, d)
        blocks: list[list[int]] = []
        ts = field.elements
        for u in directions:
            pivot = int(np.flatnonzero(u.view(np.ndarray))[0])
            reps = points[points.view(np.ndarray)[:, pivot] == 0]
            members = np.stack([keys(field, reps + t * u) for t in ts], axis=1)
            blocks.extend(members.tolist())
        return _certified(v, q, 1, blocks, f"AG({d},{q}) points/lines")
    points = affine_points(field, d)
    normals = projective_points(q, d - 1)
    values = np.asarray((points @ normals.T).view(np.ndarray))  # v × #normals
    blocks = [np.flatnonzero(values[:, h] == c).tolist() for h in range(len(normals)) for c in range(q)]
    lam = (q ** (d - 1) - 1) // (q - 1)
    what = "lines" if d == 2 else "hyperplanes"
    return _certified(v, q ** (d - 1), lam, blocks, f"AG({d},{q}) points/{what}")


def hermitian_unital(q: int) -> BlockDesign:
    """The Hermitian unital: a 2-(q³+1, q+1, 1) design.

    Points are the q³+1 absolute points x^{q+1} + y^{q+1} + z^{q+1} = 0 of PG(2, q²); blocks are their
    intersections with the secant lines (lines meeting the curve in q+1 points). q = 3 gives the (28, 4, 1)
    design, q = 4 the (65, 5, 1) design.

    Args:
        q: prime power; the plane is PG(2, q²).

    References:
        Handbook of Combinatorial Designs, §VII.2.4 (unitals); J. W. P. Hirschfeld, *Projective Geometries
        over Finite Fields*, OUP 1998.
    """
    field_of_order(q)
    qq = q * q
    points = projective_points(qq, 2)
    norm = (points ** (q + 1)).sum(axis=1)
    curve = np.flatnonzero(norm.view(np.ndarray) == 0)
    on_curve = points[curve]
    # lines (labelled by their dual points) × curve points
    incident = np.asarray((points @ on_curve.T).view(np.ndarray) == 0)
    sizes = incident.sum(axis=1)
    blocks = [np.flatnonzero(row).tolist() for row in incident[sizes == q + 1]]
    if len(curve) != q**3 + 1:
        raise RuntimeError(f"Hermitian curve over GF({qq}) has {len(curve)} points, expected {q**3 + 1}")
    return _certified(q**3 + 1, q + 1, 1, blocks, f"Hermitian unital U({q})")


# ---------------------------------------------------------------------------------------------------------
# Steiner triple systems
# ---------------------------------------------------------------------------------------------------------
def steiner_triple_system(v: int) -> BlockDesign:
    """A Steiner triple system STS(v) = 2-(v, 3, 1) for every admissible v ≡ 1, 3 (mod 6).

    v ≡ 3 (mod 6): Bose's construction on Z_n × Z_3 (n = v/3 odd) from the idempotent commutative quasigroup
    x∘y = (x+y)(n+1)/2 mod n. v ≡ 1 (mod 6): Skolem's construction on Z_{2n} × Z_3 ∪ {∞} (n = (v−1)/6) from
    the half-idempotent commutative quasigroup x∘y = σ((x+y) mod 2n), σ(2i) = i, σ(2i+1) = n+i.

    Args:
        v: number of points, v ≡ 1 or 3 (mod 6), v ≥ 3 (v = 1 has no blocks).

    References:
        R. C. Bose, "On the construction of balanced incomplete block designs", Ann. Eugenics 9 (1939);
        Th. Skolem, Math. Scand. 6 (1958); C. C. Lindner, C. A. Rodger, *Design Theory*, 2nd ed., CRC 2008,
        §1.
    """
    if v < 3 or v % 6 not in (1, 3):
        raise InputError(f"a Steiner triple system needs v ≡ 1 or 3 (mod 6) and v ≥ 3 (got v={v})")
    blocks: list[tuple[int, int, int]] = []
    if v % 6 == 3:
        n = v // 3

        def point(x: int, i: int) -> int:
            return (i % 3) * n + x

        half = (n + 1) // 2
        for x in range(n):
            blocks.append((point(x, 0), point(x, 1), point(x, 2)))
        for x, y in itertools.combinations(range(n), 2):
            z = ((x + y) * half) % n
            for i in range(3):
                blocks.append((point(x, i), point(y, i), point(z, i + 1)))
        return _certified(v, 3, 1, blocks, f"Bose STS({v})")
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
    return _certified(v, 3, 1, blocks, f"Skolem STS({v})")


# ---------------------------------------------------------------------------------------------------------
# difference sets and difference families
# ---------------------------------------------------------------------------------------------------------
def _develop_cyclic(n: int, base_blocks: Sequence[Sequence[int]]) -> list[list[int]]:
    return [[(x + t) % n for x in block] for block in base_blocks for t in range(n)]


def singer_difference_set(q: int, d: int = 2) -> BlockDesign:
    """The Singer difference set: PG(d, q) points/hyperplanes as a cyclic symmetric design.

    With α primitive in GF(q^{d+1}) and v = (q^{d+1}−1)/(q−1), D = {i ∈ Z_v : Tr(α^i) = 0} (trace to GF(q))
    is a (v, (q^d−1)/(q−1), (q^{d−1}−1)/(q−1)) difference set in Z_v; the blocks are its v translates D + t.
    (q, d) = (2, 2) gives the Fano plane {0, 1, 3} mod 7 up to multiplier.

    Args:
        q: prime power.
        d: dimension ≥ 2.

    References:
        J. Singer, "A theorem in finite projective geometry and some applications to number theory",
        Trans. AMS 43 (1938); Handbook of Combinatorial Designs, §VI.18.
    """
    if d < 2:
        raise InputError(f"Singer difference sets need d ≥ 2 (got {d})")
    field_of_order(q)
    big = galois.GF(q ** (d + 1))
    v = (q ** (d + 1) - 1) // (q - 1)
    alpha = big.primitive_element
    powers = alpha ** np.arange(v)
    trace = powers.copy()
    term = powers
    for _ in range(d):
        term = term**q
        trace = trace + term
    base = np.flatnonzero(trace.view(np.ndarray) == 0).tolist()
    k = (q**d - 1) // (q - 1)
    lam = (q ** (d - 1) - 1) // (q - 1)
    return _certified(v, k, lam, _develop_cyclic(v, [base]), f"Singer difference set PG({d},{q})")


def _develop_additive(field: type[galois.FieldArray], base: galois.FieldArray) -> list[list[int]]:
    elements = field.elements
    return [np.asarray((base + g).view(np.ndarray)).tolist() for g in elements]


def paley_difference_set_design(q: int) -> BlockDesign:
    """The Paley (quadratic-residue) difference set design for a prime power q ≡ 3 (mod 4).

    The non-zero squares of GF(q) form a (q, (q−1)/2, (q−3)/4) difference set in the additive group; the
    blocks are its q translates (points are field elements by their galois integer code). q = 7 is the Fano
    plane, q = 11 a biplane, q = 19, 23 the designs (19, 9, 4), (23, 11, 5).

    Args:
        q: prime power, q ≡ 3 (mod 4).

    References:
        R. E. A. C. Paley, "On orthogonal matrices", J. Math. Phys. 12 (1933); Handbook of Combinatorial
        Designs, §VI.18.
    """
    if q % 4 != 3:
        raise InputError(f"the Paley difference set needs q ≡ 3 (mod 4) (got q={q})")
    field = field_of_order(q)
    squares = np.unique((field.elements[1:] ** 2).view(np.ndarray))
    blocks = _develop_additive(field, field(squares))
    return _certified(q, (q - 1) // 2, (q - 3) // 4, blocks, f"Paley difference set QR({q})")


def biquadratic_residue_design(p: int) -> BlockDesign:
    """The quartic-residue difference set for a prime p = 4x² + 1 with x odd: a (p, (p−1)/4, (p−5)/16) design.

    p = 5 is trivial-ish ((5,1,0) is excluded), p = 37 gives the biplane (37, 9, 2), p = 101 gives (101,
    25, 6).

    Args:
        p: prime of the form 4x² + 1 with x odd, p > 5.

    References:
        S. Chowla, "A property of biquadratic residues", Proc. Nat. Acad. Sci. India A14 (1944);
        Handbook of Combinatorial Designs, §VI.18, Theorem 18.43.
    """
    x = math.isqrt((p - 1) // 4)
    if p <= 5 or not galois.is_prime(p) or 4 * x * x + 1 != p or x % 2 == 0:
        raise InputError(f"biquadratic residues need a prime p = 4x² + 1 with x odd and p > 5 (got {p})")
    base = sorted({pow(t, 4, p) for t in range(1, p)})
    return _certified(p, (p - 1) // 4, (p - 5) // 16, _develop_cyclic(p, [base]), f"quartic residues mod {p}")


# base blocks found by gcli's own backtracking search (each design is re-checked when built);
# key (v, k): (modulus, full base blocks, short-orbit block, with a point at infinity)
_DIFFERENCE_FAMILIES: dict[tuple[int, int], tuple[int, tuple[tuple[int, ...], ...], tuple[int, ...]]] = {
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


def cyclic_difference_family_design(v: int, k: int) -> BlockDesign:
    """A cyclic 2-(v, k, 1) design developed from a difference family in Z_v (tabulated base blocks).

    The base blocks were found by gcli's own backtracking search; the short orbit {0, v/k, …} is added when
    v ≡ k (mod k(k−1)). Available for (v, k) in ``sorted(_DIFFERENCE_FAMILIES)``: (v, 4) with v ∈ {13, 37,
    40, 49, 52, 61, 73, 76, 85, 88, 97, 100} and (v, 5) with v ∈ {41, 61, 81}.

    Args:
        v: points.
        k: block size (4 or 5).

    References:
        Handbook of Combinatorial Designs, §VI.16 (difference families); M. Buratti, "Constructions of (q,k,1)
        difference families with q a prime power and k = 4, 5", Discrete Math. 138 (1995).
    """
    if (v, k) not in _DIFFERENCE_FAMILIES:
        raise InputError(f"no tabulated cyclic difference family for (v, k) = ({v}, {k})")
    n, base, short = _DIFFERENCE_FAMILIES[(v, k)]
    blocks = [[(x + t) % n for x in block] for block in base for t in range(n)]
    if short:
        blocks += [[(x + t) % n for x in short] for t in range(short[1])]
    return _certified(v, k, 1, blocks, f"cyclic difference family ({v},{k},1)")


# (v, k): base blocks of (orbit, x) pairs found by gcli's own backtracking search (re-checked when built)
_ORBIT_FAMILIES: dict[tuple[int, int], tuple[tuple[tuple[int, int], ...], ...]] = {
    (25, 4): (
        ((0, 0), (1, 0), (6, 2), (7, 1)), ((0, 0), (1, 1), (4, 0), (2, 0)), ((0, 0), (1, 2), (2, 2), (5, 0)),
        ((0, 0), (2, 1), (6, 1), (3, 2)), ((0, 0), (3, 0), (4, 2), (6, 0)), ((0, 0), (3, 1), (7, 0), (5, 1)),
        ((0, 0), (4, 1), (7, 2), (5, 2)), ((1, 0), (2, 1), (7, 2), (3, 1)), ((1, 0), (3, 0), (5, 2), (6, 1)),
        ((1, 0), (3, 2), (4, 0), (5, 0)), ((1, 0), (4, 1), (6, 0), (7, 0)), ((2, 0), (3, 2), (7, 2), (4, 2)),
        ((2, 0), (4, 1), (6, 1), (5, 0)), ((2, 0), (5, 2), (6, 2), (7, 0)),
    ),
}


def orbit_design(v: int, k: int) -> BlockDesign:
    """A 2-(v, k, 1) design, v = 1 + (k−1)t, invariant under Z_{k−1} fixing one point ∞ (tabulated).

    Points: ∞ = v − 1 and (i, x) ↦ i(k−1) + x for orbits i < t and x ∈ Z_{k−1}. Blocks: the t fixed blocks
    {∞} ∪ orbit i, and the Z_{k−1}-translates of base blocks {(i, x), …} that meet k distinct orbits, in which
    every pair of orbits i < j shows every difference x_j − x_i exactly once (found by gcli's own search).
    Available for (v, k) in ``_ORBIT_FAMILIES``: (25, 4).

    Args:
        v: points.
        k: block size.

    References:
        Handbook of Combinatorial Designs, §VI.16 (difference families over groups with fixed points).
    """
    if (v, k) not in _ORBIT_FAMILIES:
        raise InputError(f"no tabulated orbit construction for (v, k) = ({v}, {k})")
    m = k - 1
    t = (v - 1) // m
    blocks = [[v - 1, *range(i * m, i * m + m)] for i in range(t)]
    for base in _ORBIT_FAMILIES[(v, k)]:
        for shift in range(m):
            blocks.append([i * m + (x + shift) % m for i, x in base])
    return _certified(v, k, 1, blocks, f"Z_{m}-orbit design ({v},{k},1)")


# (v, k): (moduli of the abelian group Z_{m1} × …, full base blocks, a subgroup block whose cosets are added);
# found by gcli's own search, re-checked when built
_GROUP_FAMILIES: dict[tuple[int, int], tuple[tuple[int, ...], tuple[tuple[tuple[int, ...], ...], ...],
                                             tuple[tuple[int, ...], ...]]] = {
    (45, 5): (
        (3, 3, 5),
        (((0, 0, 0), (0, 1, 0), (0, 2, 2), (1, 0, 4), (2, 1, 4)),
         ((0, 0, 0), (0, 1, 1), (1, 0, 3), (2, 0, 0), (2, 2, 1))),
        tuple((0, 0, y) for y in range(5)),
    ),
}


def group_difference_family_design(v: int, k: int) -> BlockDesign:
    """A 2-(v, k, 1) design developed from a difference family in an abelian group Z_{m1} × … × Z_{mr}.

    The full base blocks are developed by every group element; the subgroup block contributes its cosets (a
    short orbit). Group elements are indexed in mixed radix (last coordinate fastest). Tabulated (found by
    gcli's own search): (45, 5, 1) over Z_3 × Z_3 × Z_5 with the short orbit of the subgroup Z_5.

    Args:
        v: points (the group order).
        k: block size.

    References:
        Handbook of Combinatorial Designs, §VI.16 (difference families, short orbits).
    """
    if (v, k) not in _GROUP_FAMILIES:
        raise InputError(f"no tabulated group difference family for (v, k) = ({v}, {k})")
    mods, base_blocks, subgroup = _GROUP_FAMILIES[(v, k)]
    elements = list(itertools.product(*[range(m) for m in mods]))
    index = {g: i for i, g in enumerate(elements)}

    def shift(block: Sequence[tuple[int, ...]], g: tuple[int, ...]) -> list[int]:
        return [index[tuple((x + y) % m for x, y, m in zip(p, g, mods, strict=True))] for p in block]

    blocks = [shift(base, g) for base in base_blocks for g in elements]
    cosets = {tuple(sorted(shift(subgroup, g))) for g in elements}
    blocks += [list(c) for c in sorted(cosets)]
    group = " × ".join(f"Z_{m}" for m in mods)
    return _certified(v, k, 1, blocks, f"difference family ({v},{k},1) over {group}")


# ---------------------------------------------------------------------------------------------------------
# Hadamard matrices and designs
# ---------------------------------------------------------------------------------------------------------
def _jacobsthal(q: int) -> np.ndarray:
    field = field_of_order(q)
    elements = field.elements
    squares = set(np.asarray((elements[1:] ** 2).view(np.ndarray)).tolist())
    diff = np.asarray((elements[:, None] - elements[None, :]).view(np.ndarray))
    chi = np.where(diff == 0, 0, np.where(np.isin(diff, list(squares)), 1, -1))
    return chi.astype(np.int64)


@cache
def _hadamard_plan(n: int) -> tuple[str, int] | None:
    if n in (1, 2):
        return ("sylvester", n)
    if n % 4:
        return None
    if is_prime_power(n - 1) and (n - 1) % 4 == 3:
        return ("paley1", n - 1)
    if n % 2 == 0 and is_prime_power(n // 2 - 1) and (n // 2 - 1) % 4 == 1:
        return ("paley2", n // 2 - 1)
    if n % 2 == 0 and _hadamard_plan(n // 2) is not None:
        return ("double", n // 2)
    return None


def hadamard_matrix(n: int) -> np.ndarray:
    """A Hadamard matrix of order n (H·Hᵀ = nI, entries ±1) from Sylvester doubling and Paley I/II.

    Orders covered: 1, 2, q+1 for prime powers q ≡ 3 (mod 4) (Paley I), 2(q+1) for q ≡ 1 (mod 4) (Paley
    II), and twice any covered order.

    Args:
        n: the order.

    References:
        J. J. Sylvester (1867); R. E. A. C. Paley, "On orthogonal matrices", J. Math. Phys. 12 (1933);
        Handbook of Combinatorial Designs, §V.1.
    """
    plan = _hadamard_plan(n)
    if plan is None:
        raise InputError(f"gcli has no Hadamard matrix construction of order {n}")
    kind, m = plan
    if kind == "sylvester":
        h = np.ones((1, 1), dtype=np.int64) if m == 1 else np.array([[1, 1], [1, -1]], dtype=np.int64)
    elif kind == "double":
        h = np.kron(np.array([[1, 1], [1, -1]], dtype=np.int64), hadamard_matrix(m))
    elif kind == "paley1":
        q = m
        s = np.zeros((q + 1, q + 1), dtype=np.int64)
        s[0, 1:] = 1
        s[1:, 0] = -1
        s[1:, 1:] = _jacobsthal(q)
        h = s + np.eye(q + 1, dtype=np.int64)
    else:
        q = m
        c = np.zeros((q + 1, q + 1), dtype=np.int64)
        c[0, 1:] = 1
        c[1:, 0] = 1
        c[1:, 1:] = _jacobsthal(q)
        h = np.kron(c, np.array([[1, 1], [1, -1]])) + np.kron(np.eye(q + 1, dtype=np.int64),
                                                               np.array([[1, -1], [-1, -1]]))
    if not np.array_equal(h @ h.T, n * np.eye(n, dtype=np.int64)):
        raise RuntimeError(f"Hadamard construction of order {n} failed H·Hᵀ = nI")
    return h


def hadamard_design(n: int) -> BlockDesign:
    """The Hadamard 2-(n−1, n/2−1, n/4−1) design from a Hadamard matrix of order n = 4t.

    Normalise H so its first row and column are all +1, delete them; block i is the set of +1 entries of
    row i.

    Args:
        n: the Hadamard order, a multiple of 4 covered by :func:`hadamard_matrix` (n ≥ 8).

    References:
        Handbook of Combinatorial Designs, §V.1.5 (Hadamard designs).
    """
    if n < 8 or n % 4:
        raise InputError(f"a Hadamard design needs order n = 4t ≥ 8 (got {n})")
    h = hadamard_matrix(n)
    h = h * h[0][None, :]  # first row all +1
    h = h * h[:, 0][:, None]  # first column all +1
    core = h[1:, 1:]
    blocks = [np.flatnonzero(row == 1).tolist() for row in core]
    return _certified(n - 1, n // 2 - 1, n // 4 - 1, blocks, f"Hadamard design of order {n}")


# ---------------------------------------------------------------------------------------------------------
# designs from designs
# ---------------------------------------------------------------------------------------------------------
def complementary_design(design: BlockDesign) -> BlockDesign:
    """The complementary design: blocks replaced by their complements, a 2-(v, v−k, b−2r+λ) design.

    Args:
        design: a BIBD with k ≤ v − 2.

    References:
        Handbook of Combinatorial Designs, §II.1.
    """
    v, k = design.v, design.k
    if v - k < 2:
        raise InputError("the complement needs blocks of size at most v − 2")
    everything = set(range(v))
    blocks = [sorted(everything - set(block)) for block in design.blocks]
    lam = design.b - 2 * design.r + design.lam
    return _certified(v, v - k, lam, blocks, f"complement of {design.name}")


def _symmetric_only(design: BlockDesign, what: str) -> None:
    if not design.is_symmetric:
        raise InputError(f"the {what} design is defined here for symmetric designs only")


def residual_design(design: BlockDesign, block: int = 0) -> BlockDesign:
    """The residual of a symmetric (v, k, λ) design at a block B: points outside B, blocks B'∖B.

    A 2-(v−k, k−λ, λ) design (e.g. the residual of PG(2, q) is AG(2, q)).

    Args:
        design: a symmetric BIBD with k − λ ≥ 2.
        block: index of the block B.

    References:
        Handbook of Combinatorial Designs, §II.6.
    """
    _symmetric_only(design, "residual")
    removed = set(design.blocks[block])
    keep = [p for p in range(design.v) if p not in removed]
    relabel = {p: i for i, p in enumerate(keep)}
    blocks = [[relabel[p] for p in other if p not in removed]
              for idx, other in enumerate(design.blocks) if idx != block]
    return _certified(design.v - design.k, design.k - design.lam, design.lam, blocks,
                      f"residual of {design.name}")


def derived_design(design: BlockDesign, block: int = 0) -> BlockDesign:
    """The derived design of a symmetric (v, k, λ) design at a block B: points of B, blocks B'∩B.

    A 2-(k, λ, λ−1) design; needs λ ≥ 2.

    Args:
        design: a symmetric BIBD with λ ≥ 2.
        block: index of the block B.

    References:
        Handbook of Combinatorial Designs, §II.6.
    """
    _symmetric_only(design, "derived")
    if design.lam < 2:
        raise InputError("the derived design needs λ ≥ 2")
    kept = design.blocks[block]
    relabel = {p: i for i, p in enumerate(kept)}
    blocks = [[relabel[p] for p in other if p in relabel]
              for idx, other in enumerate(design.blocks) if idx != block]
    return _certified(design.k, design.lam, design.lam - 1, blocks, f"derived design of {design.name}")


# ---------------------------------------------------------------------------------------------------------
# choosing a construction for (v, k, λ)
# ---------------------------------------------------------------------------------------------------------
def admissible(v: int, k: int, lam: int) -> tuple[int, int] | None:
    """(r, b) when (v, k, λ) passes the divisibility conditions, else None."""
    if k < 2 or v < k or lam < 1:
        return None
    if (lam * (v - 1)) % (k - 1):
        return None
    r = lam * (v - 1) // (k - 1)
    if (v * r) % k:
        return None
    return r, v * r // k


def _prime_power_root(n: int, q: int) -> int | None:
    """d ≥ 1 with q^d = n."""
    d, x = 0, 1
    while x < n:
        x *= q
        d += 1
    return d if x == n else None


Plan = tuple[str, Callable[[], BlockDesign]]

MAX_INCIDENCES = 20_000_000
"""Largest b·k that :func:`bibd` builds (memory guard)."""
MAX_CODE_ENTRIES = 4_000_000
"""Largest n·k of a dense encoding matrix that :func:`bibd_code` writes."""


def _plan(v: int, k: int, lam: int, depth: int = 0) -> Plan | None:
    params = admissible(v, k, lam)
    if params is None or k == v:
        return None
    r, b = params
    if k == 2 and lam == 1:
        label = f"complete graph K_{v}"
        return (label, lambda: _certified(v, 2, 1, list(itertools.combinations(range(v), 2)), label))
    if lam == 1 and k == 3:
        kind = "Bose" if v % 6 == 3 else "Skolem"
        return (f"{kind} STS({v})", lambda: steiner_triple_system(v))
    q = k - 1
    if lam == 1 and q >= 2 and is_prime_power(q):
        for d in range(2, 12):
            if (q ** (d + 1) - 1) // (q - 1) == v:
                if d == 2:
                    return (f"Singer difference set PG(2,{q})", lambda: singer_difference_set(q, 2))
                return (f"PG({d},{q}) points/lines",
                        lambda q=q, d=d: projective_geometry_design(q, d, "lines"))
    if lam == 1 and is_prime_power(k):
        d = _prime_power_root(v, k)
        if d is not None and d >= 2:
            return (f"AG({d},{k}) points/lines", lambda: affine_geometry_design(k, d, "lines"))
    # hyperplane designs of PG(d, q), d ≥ 3, and AG(d, q), d ≥ 3 (λ > 1)
    for qq in range(2, k + 1):
        if not is_prime_power(qq):
            continue
        for d in range(3, 14):
            pv = (qq ** (d + 1) - 1) // (qq - 1)
            if pv > v:
                break
            if (pv, (qq**d - 1) // (qq - 1), (qq ** (d - 1) - 1) // (qq - 1)) == (v, k, lam):
                if qq ** (d + 1) <= 2**22:
                    return (f"Singer difference set PG({d},{qq})",
                            lambda qq=qq, d=d: singer_difference_set(qq, d))
                return (f"PG({d},{qq}) points/hyperplanes",
                        lambda qq=qq, d=d: projective_geometry_design(qq, d, "hyperplanes"))
            if (qq**d, qq ** (d - 1), (qq ** (d - 1) - 1) // (qq - 1)) == (v, k, lam):
                return (f"AG({d},{qq}) points/hyperplanes",
                        lambda qq=qq, d=d: affine_geometry_design(qq, d, "hyperplanes"))
    if lam == 1 and k >= 3:
        root = round((v - 1) ** (1 / 3))
        if root**3 + 1 == v and root == k - 1 and is_prime_power(root) and root <= 7:
            return (f"Hermitian unital U({root})", lambda: hermitian_unital(root))
    if lam == 1 and (v, k) in _GROUP_FAMILIES:
        return (f"difference family ({v},{k},1) over an abelian group",
                lambda: group_difference_family_design(v, k))
    if lam == 1 and (v, k) in _ORBIT_FAMILIES:
        return (f"Z_{k - 1}-orbit design ({v},{k},1)", lambda: orbit_design(v, k))
    if lam == 1 and (v, k) in _DIFFERENCE_FAMILIES:
        return (f"cyclic difference family ({v},{k},1)", lambda: cyclic_difference_family_design(v, k))
    if v % 4 == 3 and 2 * k + 1 == v and 4 * lam + 3 == v and is_prime_power(v):
        return (f"Paley difference set QR({v})", lambda: paley_difference_set_design(v))
    if (v + 1) % 4 == 0 and (k, lam) == ((v - 1) // 2, (v - 3) // 4) and _hadamard_plan(v + 1) is not None:
        return (f"Hadamard design of order {v + 1}", lambda: hadamard_design(v + 1))
    if 16 * lam + 5 == v and 4 * k + 1 == v:
        x = math.isqrt(k)
        if x * x == k and x % 2 == 1 and galois.is_prime(v) and v > 5:
            return (f"quartic residues mod {v}", lambda: biquadratic_residue_design(v))
    if b == v and lam >= 2 and v <= 2000:  # λ = 1 would recurse through Steiner block graphs
        plan = _plan_from_srg(v, k, lam)
        if plan is not None:
            return plan
    if math.comb(v, k) <= 5000 and lam == math.comb(v - 2, k - 2):
        return (f"complete design: all {k}-subsets of {v} points",
                lambda: _certified(v, k, lam, list(itertools.combinations(range(v), k)),
                                   f"complete design: all {k}-subsets of {v} points"))
    if depth >= 2:
        return None
    # complement
    if 2 <= v - k < k:
        inner = _plan(v, v - k, b - 2 * r + lam, depth + 1)
        if inner is not None:
            name, build = inner
            return (f"complement of {name}", lambda: complementary_design(build()))
    # residual of a symmetric (v + k + λ, k + λ, λ) design
    big_v, big_k = v + k + lam, k + lam
    if lam * (big_v - 1) == big_k * (big_k - 1):
        inner = _plan(big_v, big_k, lam, depth + 1)
        if inner is not None:
            name, build = inner
            return (f"residual of {name}", lambda: residual_design(build()))
    # derived design of a symmetric (1 + v(v−1)/k, v, k) design
    if lam == k - 1 and (v * (v - 1)) % k == 0:
        big_v = 1 + v * (v - 1) // k
        inner = _plan(big_v, v, k, depth + 1)
        if inner is not None:
            name, build = inner
            return (f"derived design of {name}", lambda: derived_design(build()))
    return None


def _plan_from_srg(v: int, k: int, lam: int) -> Plan | None:
    """Symmetric designs from SRGs.

    An srg(v, k, λ, λ) has A·Aᵀ = (k−λ)I + λJ, so its neighbourhoods are the blocks of a symmetric 2-(v, k, λ)
    design; an srg(v, k−1, λ−2, λ) gives one from closed neighbourhoods (A + I).
    """
    from .srg import srg, srg_construction

    for degree, srg_lam, closed in ((k, lam, False), (k - 1, lam - 2, True)):
        if srg_lam < 0 or not 0 < degree < v - 1:
            continue
        name = srg_construction(v, degree, srg_lam, lam)
        if name is None:
            continue
        label = f"{'closed ' if closed else ''}neighbourhoods of {name}"

        def build(degree: int = degree, srg_lam: int = srg_lam, closed: bool = closed,
                  label: str = label) -> BlockDesign:
            graph = srg(v, degree, srg_lam, lam)
            blocks = [sorted(set(nbrs) | ({i} if closed else set())) for i,
                nbrs in enumerate(graph.neighbours())]
            return _certified(v, k, lam, blocks, label)

        return (label, build)
    return None


def _plan_with_multiples(v: int, k: int, lam: int) -> Plan | None:
    plan = _plan(v, k, lam)
    if plan is not None:
        return plan
    for divisor in range(lam - 1, 0, -1):
        if lam % divisor:
            continue
        inner = _plan(v, k, divisor)
        if inner is not None:
            copies = lam // divisor
            name, build = inner
            label = f"{copies} copies of {name}"
            return (label, lambda build=build, copies=copies, label=label: _certified(
                v, k, lam, list(build().blocks) * copies, label))
    return None


def bibd_construction(v: int, k: int, lam: int = 1) -> str | None:
    """Name of the construction :func:`bibd` would use for (v, k, λ), or None if gcli cannot build it."""
    plan = _plan_with_multiples(v, k, lam)
    return plan[0] if plan else None


def bibd(v: int, k: int, lam: int = 1) -> BlockDesign:
    """A 2-(v, k, λ) design built by the first applicable family (certified before it is returned).

    Families tried: complete graph (k = 2), Steiner triple systems, projective and affine geometries over
    GF(q) (lines, hyperplanes; Singer cycles), Hermitian unitals, tabulated cyclic difference families for
    k = 4, 5, Paley and quartic-residue difference sets, Hadamard designs, complete designs, and
    recursively complements, residuals and derived designs of those, and λ/λ₀ copies of a (v, k, λ₀) design.

    Args:
        v: points.
        k: block size.
        lam: λ, blocks through each pair of points.

    References:
        Handbook of Combinatorial Designs (Colbourn–Dinitz, 2007), part II.
    """
    if admissible(v, k, lam) is None:
        raise InputError(
            f"(v, k, λ) = ({v}, {k}, {lam}) is not admissible: need 2 ≤ k ≤ v, λ ≥ 1, (k−1) | λ(v−1) and "
            "k | v·r (try `gcli bound exists bibd`)"
        )
    _, b = admissible(v, k, lam)  # type: ignore[misc]
    if b * k > MAX_INCIDENCES:
        raise InputError(f"a ({v}, {k}, {lam}) design has b·k = {b * k} incidences; gcli builds designs "
                         f"with at most {MAX_INCIDENCES}")
    plan = _plan_with_multiples(v, k, lam)
    if plan is None:
        raise InputError(
            f"gcli has no construction for a ({v}, {k}, {lam}) design "
            f"(see `gcli bound exists bibd {v} {k} {lam}`)"
        )
    return plan[1]()


# ---------------------------------------------------------------------------------------------------------
# the gradient code and the search
# ---------------------------------------------------------------------------------------------------------
def bibd_code(
    v: Annotated[int | None, CliFlags("-v", "--points", help="points v (= partitions)")] = None,
    k: Annotated[int | None, CliFlags("-k", "--block-size", help="block size k")] = None,
    lam: Annotated[int, CliFlags("--lambda", help="λ: blocks through each pair of points")] = 1,
    transpose: bool = False,
    s: int = 1,
) -> Code:
    """Approximate gradient code from a 2-(v, k, λ) design: workers = blocks, partitions = points.

    B = c·Nᵀ (N the v × b incidence), so worker i holds the k points of block i and the server simply adds the
    messages it receives. For a symmetric design (b = v) c = k/(k + λ(n−s−1)) is the least-squares
    coefficient of Kadhe et al.: since B_F·B_Fᵀ ∝ (k−λ)I + λJ for every set F of n−s responders, adding the
    messages is the optimal decoder, and the error ‖B_Fᵀ1 − 1‖² = n − k²(n−s)/(k + λ(n−s−1)) is the same
    for every F (the Fano plane gives 1/4, 4/7, 1, 8/5 for s = 1..4). For other designs c = n/(r(n−s))
    (each partition is on r workers, so the sum is unbiased when s uniformly random workers straggle).
    ``--transpose`` uses the dual (workers = points, partitions = blocks, c = n/(k(n−s)), or the symmetric
    coefficient when b = v). ``s`` is the straggler count the coefficient is tuned for (default 1); the
    code is exact only for s = 0. The design itself is written under ``"design"`` and re-certified by
    ``gcli verify``.

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
    if params is not None and params[1] * v > MAX_CODE_ENTRIES:
        raise InputError(f"the code of a ({v}, {k}, {lam}) design has a {params[1]} × {v} encoding matrix; "
                         f"gcli writes codes with at most {MAX_CODE_ENTRIES} entries (build the design "
                         "with gcli.constructions.designs.bibd instead)")
    design = bibd(v, k, lam)
    incidence = design.incidence().toarray()
    support = incidence if transpose else incidence.T
    n = support.shape[0]
    if s < 0 or s >= n:
        raise InputError(f"bibd: the planned straggler count s must satisfy 0 ≤ s < n = {n} (got {s})")
    if design.is_symmetric:
        weight = Fraction(k, k + lam * (n - s - 1))
        rule = "least squares (symmetric design): c = k/(k + λ(n−s−1))"
        error: Any = str(n - Fraction(k * k * (n - s), k + lam * (n - s - 1)))
    else:
        per_partition = k if transpose else design.r
        weight = Fraction(n, per_partition * (n - s))
        rule = "unbiased fixed decoder: c = n/(holders·(n−s))"
        error = None
    construction = {
        "v": v, "k": k, "lambda": lam, "transpose": transpose, "s": s, "design": design.name,
        "encoding": "B = c·Nᵀ" if not transpose else "B = c·N",
        "coefficient": str(weight), "coefficient_rule": rule,
        "decoder": {"kind": "sum", "note": "add the messages of the responders"},
        "error_for_every_F": error,
    }
    return structured_code("bibd", support, float(weight), s, construction, {"design": design.to_json()})


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
                if b < v or not (low <= b <= high or low <= v <= high) or b * v > MAX_CODE_ENTRIES:
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
