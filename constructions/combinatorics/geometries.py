"""Designs from finite geometries: projective and affine spaces over GF(q), and Hermitian unitals.

Points of PG(d, q) are the normalised vectors of GF(q)^{d+1} in the order of their base-q value; points of
AG(d, q) are the q^d vectors of GF(q)^d indexed by their base-q value. For a prime q the arithmetic is modular
numpy; for a prime power it goes through :func:`gcli.fields.gf`.

References (for the whole module): C. J. Colbourn, J. H. Dinitz (eds.), *Handbook of Combinatorial Designs*, 2nd
ed., CRC 2007, §VII.2; T. Beth, D. Jungnickel, H. Lenz, *Design Theory*, CUP 1999, ch. I; J. W. P. Hirschfeld,
*Projective Geometries over Finite Fields*, OUP 1998.
"""

from __future__ import annotations

import numpy as np

from gcli.errors import ImpossibleParameters
from gcli.structures import BlockDesign, certified_design

from .._geometry import affine_points, field, keys, projective_lines, projective_points

__all__ = ["affine_geometry_design", "hermitian_unital", "projective_geometry_design"]


def _blocks_of(mask: np.ndarray, size: int) -> np.ndarray | list[list[int]]:
    """Rows of a boolean matrix as blocks: a (rows × size) array when every row has ``size`` ones."""
    if np.all(mask.sum(axis=1) == size):
        return np.nonzero(mask)[1].reshape(len(mask), size)
    return [np.flatnonzero(row).tolist() for row in mask]


def projective_geometry_design(q: int, d: int = 2, kind: str = "lines") -> BlockDesign:
    """Points versus lines or hyperplanes of the projective space PG(d, q).

    ``kind="lines"`` gives the 2-((q^{d+1}−1)/(q−1), q+1, 1) design; ``kind="hyperplanes"`` the symmetric
    2-((q^{d+1}−1)/(q−1), (q^d−1)/(q−1), (q^{d−1}−1)/(q−1)) design (hyperplane h·x = 0 for each point h).
    For d = 2 both are the projective plane of order q.

    Args:
        q: prime power (field order).
        d: dimension ≥ 2.
        kind: ``"lines"`` or ``"hyperplanes"``.

    Returns:
        A certified :class:`~gcli.structures.BlockDesign`.

    Example:
        >>> projective_geometry_design(2).blocks[:3]
        ((1, 3, 5), (0, 3, 4), (2, 3, 6))

    References:
        Handbook of Combinatorial Designs, §VII.2; Beth–Jungnickel–Lenz, ch. I.
    """
    if d < 2:
        raise ImpossibleParameters(f"projective geometry needs dimension d ≥ 2 (got {d})")
    if kind not in ("lines", "hyperplanes"):
        raise ImpossibleParameters(f"kind must be 'lines' or 'hyperplanes' (got {kind!r})")
    f = field(q)
    v = (q ** (d + 1) - 1) // (q - 1)
    if kind == "lines" and d > 2:
        return certified_design(v, q + 1, 1, projective_lines(f, d), f"PG({d},{q}) points/lines")
    points = projective_points(f, d)
    k = (q**d - 1) // (q - 1)
    lam = (q ** (d - 1) - 1) // (q - 1)
    blocks = _blocks_of(f.matmul(points, points.T) == 0, k)
    what = "lines" if d == 2 else "hyperplanes"
    return certified_design(v, k, lam, blocks, f"PG({d},{q}) points/{what}")


def affine_geometry_design(q: int, d: int = 2, kind: str = "lines") -> BlockDesign:
    """Points versus lines or hyperplanes of the affine space AG(d, q).

    ``kind="lines"`` gives the 2-(q^d, q, 1) design of lines {x + t·u}; ``kind="hyperplanes"`` the
    2-(q^d, q^{d−1}, (q^{d−1}−1)/(q−1)) design of hyperplanes {x : a·x = c}. For d = 2 both are the affine plane
    of order q.

    Args:
        q: prime power (field order).
        d: dimension ≥ 2.
        kind: ``"lines"`` or ``"hyperplanes"``.

    Returns:
        A certified :class:`~gcli.structures.BlockDesign`.

    Example:
        >>> design = affine_geometry_design(3)
        >>> (design.v, design.b, design.k, design.lam)
        (9, 12, 3, 1)

    References:
        Handbook of Combinatorial Designs, §VII.2; Beth–Jungnickel–Lenz, ch. I.
    """
    if d < 2:
        raise ImpossibleParameters(f"affine geometry needs dimension d ≥ 2 (got {d})")
    if kind not in ("lines", "hyperplanes"):
        raise ImpossibleParameters(f"kind must be 'lines' or 'hyperplanes' (got {kind!r})")
    f = field(q)
    v = q**d
    points = affine_points(f, d)
    if kind == "lines" and d > 2:
        lines: list[np.ndarray] = []
        for u in projective_points(f, d - 1):
            pivot = int(np.flatnonzero(u)[0])
            reps = points[points[:, pivot] == 0]
            lines.append(np.stack([keys(f, f.add(reps, f.mul(u, t)[None, :])) for t in range(q)], axis=1))
        return certified_design(v, q, 1, np.concatenate(lines), f"AG({d},{q}) points/lines")
    normals = projective_points(f, d - 1)
    values = f.matmul(points, normals.T)  # v × #normals
    blocks = np.concatenate([np.argsort(values[:, h], kind="stable").reshape(q, -1) for h in range(len(normals))])
    lam = (q ** (d - 1) - 1) // (q - 1)
    what = "lines" if d == 2 else "hyperplanes"
    return certified_design(v, q ** (d - 1), lam, blocks, f"AG({d},{q}) points/{what}")


def hermitian_unital(q: int) -> BlockDesign:
    """The Hermitian unital: a 2-(q³+1, q+1, 1) design.

    Points are the q³+1 absolute points x^{q+1} + y^{q+1} + z^{q+1} = 0 of PG(2, q²); blocks are their
    intersections with the secant lines (lines meeting the curve in q+1 points).

    Args:
        q: prime power; the plane is PG(2, q²).

    Returns:
        A certified :class:`~gcli.structures.BlockDesign`.

    Example:
        >>> (hermitian_unital(3).v, hermitian_unital(3).k)
        (28, 4)

    References:
        Handbook of Combinatorial Designs, §VII.2.4 (unitals); Hirschfeld, *Projective Geometries over Finite
        Fields*.
    """
    field(q)  # q must be a prime power
    f = field(q * q)
    points = projective_points(f, 2)
    curve = np.flatnonzero(f.sum(f.power(points, q + 1), axis=1) == 0)
    if len(curve) != q**3 + 1:
        raise RuntimeError(f"Hermitian curve over GF({q * q}) has {len(curve)} points, expected {q**3 + 1}")
    incident = f.matmul(points, points[curve].T) == 0  # lines (by their dual points) × curve points
    secants = incident[incident.sum(axis=1) == q + 1]
    return certified_design(q**3 + 1, q + 1, 1, _blocks_of(secants, q + 1), f"Hermitian unital U({q})")
