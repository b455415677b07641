"""Finite-field arithmetic on integer arrays and the points and lines of finite geometries.

:class:`FiniteField` computes in GF(q) on int64 arrays of element codes 0..q−1 with gcli's one finite-field
layer (:mod:`gcli.fields.arithmetic`): modular numpy arithmetic for a prime q (galois is not imported at all),
exp/log tables for a prime power q on the polynomial of galois' field :func:`gcli.fields.gf` (element codes are
galois's integer representation; read from :data:`gcli.fields._conway.CONWAY` up to q = 4096, so galois is not
imported either). Vectors over GF(q) are rows of such arrays; a vector's
*key* is its base-q number, which indexes points without dictionaries.

Example:
    >>> f = FiniteField(7)
    >>> f.mul(f.elements, 3).tolist(), f.primitive_element, projective_points(f, 2).shape
    ([0, 3, 6, 2, 5, 1, 4], 3, (57, 3))
"""

from __future__ import annotations

import itertools
from functools import cache

import numpy as np

from gcli.errors import ImpossibleParameters
from gcli.fields._conway import CONWAY
from gcli.fields._gfpoly import digits
from gcli.fields._gfpoly import primitive_polynomial as _primitive_polynomial
from gcli.fields.arithmetic import FieldArithmetic, arithmetic, element_powers
from gcli.fields.core import FieldInfo
from gcli.fields.numbertheory import prime_power

__all__ = [
    "FiniteField",
    "affine_points",
    "all_vectors",
    "field",
    "keys",
    "point_lookup",
    "primitive_polynomial",
    "projective_lines",
    "projective_points",
    "regular_hyperoval",
]


class FiniteField:
    """GF(q) on int64 arrays of element codes: :class:`gcli.fields.arithmetic.FieldArithmetic` (numpy modulo p for
    prime q, exp/log tables for a prime power) on the field galois would build (its Conway polynomial: the
    polynomial :func:`gcli.fields.gf` records, asked of galois only for prime powers).

    Args:
        q: a prime power (ImpossibleParameters otherwise).
    """

    def __init__(self, q: int) -> None:
        found = prime_power(q)
        if found is None:
            raise ImpossibleParameters(f"q = {q} is not a prime power")
        self.order = q
        self.characteristic, self.degree = found
        self.is_prime = self.degree == 1
        if self.is_prime:
            self.arithmetic = FieldArithmetic(q, 1)
        elif q in CONWAY:  # the polynomial gf(q) would use, without importing galois (about 2 s)
            self.arithmetic = arithmetic(FieldInfo(q, self.characteristic, self.degree, CONWAY[q]))
        else:
            from gcli.fields import gf

            self.arithmetic = arithmetic(gf(q))
        self.add, self.sub, self.neg, self.mul = (self.arithmetic.add, self.arithmetic.sub, self.arithmetic.neg,
                                                  self.arithmetic.mul)
        self.power, self.inverse = self.arithmetic.power, self.arithmetic.inv
        self.sum, self.matmul = self.arithmetic.sum, self.arithmetic.matmul

    def __repr__(self) -> str:
        return f"FiniteField({self.order})"

    @property
    def elements(self) -> np.ndarray:
        """All q element codes 0..q−1."""
        return np.arange(self.order, dtype=np.int64)

    @property
    def primitive_element(self) -> int:
        """The generator of the multiplicative group the field uses (the smallest primitive root for prime q)."""
        return self.arithmetic.primitive_element

    def logarithms(self) -> np.ndarray:
        """log_g x for every element code x (−1 at 0), g = :attr:`primitive_element`."""
        logs = self.arithmetic.log.copy()
        logs[0] = -1
        return logs

    def powers_of(self, g: int, count: int) -> np.ndarray:
        """g⁰, g¹, …, g^(count−1)."""
        a = self.arithmetic
        return element_powers(a.p, a.e, a.irreducible_poly, g, count)

    def squares(self) -> np.ndarray:
        """Boolean mask over element codes of the non-zero squares."""
        mask = np.zeros(self.order, dtype=bool)
        mask[self.power(self.elements[1:], 2)] = True
        return mask

    def difference_table(self) -> np.ndarray:
        """The q × q table of x − y (element codes)."""
        x = self.elements
        return self.sub(x[:, None], x[None, :])

    def normalize_rows(self, vectors: np.ndarray) -> np.ndarray:
        """Scale each non-zero row so its first non-zero coordinate is 1."""
        nonzero = vectors != 0
        if not nonzero.any(axis=1).all():
            raise ValueError("cannot normalise a zero vector")
        lead = vectors[np.arange(len(vectors)), nonzero.argmax(axis=1)]
        return self.mul(vectors, self.inverse(lead)[:, None])


@cache
def field(q: int) -> FiniteField:
    """The cached :class:`FiniteField` of order q."""
    return FiniteField(q)


def keys(f: FiniteField, vectors: np.ndarray) -> np.ndarray:
    """Base-q number of each row (last coordinate least significant)."""
    ints = np.asarray(vectors, dtype=np.int64)
    width = ints.shape[-1]
    weights = f.order ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ints @ weights


def all_vectors(q: int, width: int) -> np.ndarray:
    """All q^width integer vectors over {0..q−1} in lexicographic order, shape (q^width, width)."""
    if width == 0:
        return np.zeros((1, 0), dtype=np.int64)
    grids = np.indices((q,) * width).reshape(width, -1).T
    return np.ascontiguousarray(grids, dtype=np.int64)


def affine_points(f: FiniteField, dim: int) -> np.ndarray:
    """All q^dim vectors of GF(q)^dim; row t has key t."""
    return all_vectors(f.order, dim)


@cache
def _projective_points(q: int, dim: int) -> np.ndarray:
    rows: list[np.ndarray] = []
    for pivot in range(dim + 1):
        tail = all_vectors(q, dim - pivot)
        block = np.zeros((len(tail), dim + 1), dtype=np.int64)
        block[:, pivot] = 1
        block[:, pivot + 1 :] = tail
        rows.append(block)
    points = np.concatenate(rows)
    order = np.argsort(keys(field(q), points), kind="stable")
    out = points[order]
    out.setflags(write=False)
    return out


def projective_points(f: FiniteField, dim: int) -> np.ndarray:
    """The (q^{dim+1}−1)/(q−1) points of PG(dim, q) as normalised vectors of GF(q)^{dim+1}, in key order."""
    return _projective_points(f.order, dim)


def point_lookup(f: FiniteField, points: np.ndarray) -> np.ndarray:
    """Array mapping key → index of the point (−1 where no point has that key)."""
    width = points.shape[1]
    table = np.full(f.order**width, -1, dtype=np.int64)
    table[keys(f, points)] = np.arange(len(points))
    return table


def projective_lines(f: FiniteField, dim: int) -> np.ndarray:
    """Lines of PG(dim, q) as an array (lines × (q+1)) of point indices into :func:`projective_points`.

    Each line is the row space of a 2 × (dim+1) matrix in reduced row echelon form with pivots i < j; its
    points are row₁ + t·row₂ (t ∈ GF(q)) and row₂, all already normalised.
    """
    q = f.order
    lookup = point_lookup(f, projective_points(f, dim))
    out: list[np.ndarray] = []
    for i, j in itertools.combinations(range(dim + 1), 2):
        free1 = [c for c in range(i + 1, dim + 1) if c != j]
        free2 = list(range(j + 1, dim + 1))
        choices1, choices2 = all_vectors(q, len(free1)), all_vectors(q, len(free2))
        n1, n2 = len(choices1), len(choices2)
        row1 = np.zeros((n1 * n2, dim + 1), dtype=np.int64)
        row2 = np.zeros((n1 * n2, dim + 1), dtype=np.int64)
        row1[:, i] = 1
        row2[:, j] = 1
        if free1:
            row1[:, free1] = np.repeat(choices1, n2, axis=0)
        if free2:
            row2[:, free2] = np.tile(choices2, (n1, 1))
        members = [f.add(row1, f.mul(row2, t)) for t in range(q)] + [row2]
        out.append(np.stack([lookup[keys(f, pts)] for pts in members], axis=1))
    lines = np.concatenate(out)
    if (lines < 0).any():
        raise RuntimeError("projective_lines produced an unnormalised point")
    return np.sort(lines, axis=1)


def primitive_polynomial(p: int, degree: int) -> tuple[int, ...]:
    """Coefficients (c₀, …, c_{n−1}) of the first monic primitive x^n + c_{n−1}x^{n−1} + … + c₀ over GF(p), p prime
    (:func:`gcli.fields._gfpoly.primitive_polynomial`: lexicographic in c_{n−1}, …, c₀)."""
    return tuple(digits(_primitive_polynomial(p, degree), p, degree))


def regular_hyperoval(f: FiniteField) -> np.ndarray:
    """The regular hyperoval of PG(2, q), q = 2^h ≥ 4: the conic (1, t, t²), (0, 0, 1) and the nucleus (0, 1, 0).

    q + 2 points, no three collinear (Hirschfeld, *Projective Geometries over Finite Fields*, §8.4).
    """
    q = f.order
    if q < 4 or q & (q - 1):
        raise ImpossibleParameters(f"regular hyperovals need q = 2^h ≥ 4 (got q={q})")
    t = f.elements
    conic = np.stack([np.ones(q, dtype=np.int64), t, f.power(t, 2)], axis=1)
    return np.concatenate([conic, np.array([[0, 0, 1], [0, 1, 0]], dtype=np.int64)])
