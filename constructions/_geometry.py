"""Finite-field geometry helpers shared by the design and graph constructions (galois FieldArrays).

Vectors over GF(q) are stored as integer arrays of galois element codes; a vector's *key* is its base-q
number, which indexes points without dictionaries.
"""

from __future__ import annotations

import itertools
from functools import cache

import galois
import numpy as np

from gcli.errors import InputError

__all__ = [
    "affine_points",
    "all_vectors",
    "field_of_order",
    "is_prime_power",
    "keys",
    "normalize_rows",
    "projective_lines",
    "projective_points",
]


@cache
def is_prime_power(q: int) -> bool:
    """q = p^e for a prime p and e ≥ 1 (cached)."""
    return q >= 2 and bool(galois.is_prime_power(q))


@cache
def field_of_order(q: int) -> type[galois.FieldArray]:
    """GF(q) for a prime power q; InputError otherwise."""
    if q < 2 or not galois.is_prime_power(q):
        raise InputError(f"q = {q} is not a prime power")
    return galois.GF(q)


def keys(field: type[galois.FieldArray], vectors: np.ndarray) -> np.ndarray:
    """Base-q number of each row (last coordinate least significant)."""
    ints = np.asarray(vectors.view(np.ndarray), dtype=np.int64)
    width = ints.shape[-1]
    weights = field.order ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ints @ weights


def affine_points(field: type[galois.FieldArray], dim: int) -> galois.FieldArray:
    """All q^dim vectors of GF(q)^dim; row t has key t."""
    return field(all_vectors(field.order, dim))


def all_vectors(q: int, width: int) -> np.ndarray:
    """All q^width integer vectors over {0..q−1} in lexicographic order, shape (q^width, width)."""
    if width == 0:
        return np.zeros((1, 0), dtype=np.int64)
    grids = np.indices((q,) * width).reshape(width, -1).T
    return np.ascontiguousarray(grids, dtype=np.int64)


def normalize_rows(field: type[galois.FieldArray], vectors: galois.FieldArray) -> galois.FieldArray:
    """Scale each non-zero row so its first non-zero coordinate is 1."""
    ints = vectors.view(np.ndarray)
    nonzero = ints != 0
    if not nonzero.any(axis=1).all():
        raise ValueError("cannot normalise a zero vector")
    lead = nonzero.argmax(axis=1)
    pivots = vectors[np.arange(len(vectors)), lead]
    return vectors / pivots[:, None]


@cache
def projective_points(q: int, dim: int) -> galois.FieldArray:
    """The (q^{dim+1}−1)/(q−1) points of PG(dim, q) as normalised vectors of GF(q)^{dim+1}, in key order."""
    field = field_of_order(q)
    rows: list[np.ndarray] = []
    for pivot in range(dim + 1):
        tail = all_vectors(q, dim - pivot)
        block = np.zeros((len(tail), dim + 1), dtype=np.int64)
        block[:, pivot] = 1
        block[:, pivot + 1 :] = tail
        rows.append(block)
    points = np.concatenate(rows)
    order = np.argsort(keys(field, field(points)), kind="stable")
    return field(points[order])


def point_lookup(field: type[galois.FieldArray], points: galois.FieldArray) -> np.ndarray:
    """Array mapping key → index of the point (−1 where no point has that key)."""
    width = points.shape[1]
    table = np.full(field.order**width, -1, dtype=np.int64)
    table[keys(field, points)] = np.arange(len(points))
    return table


def projective_lines(q: int, dim: int) -> np.ndarray:
    """Lines of PG(dim, q) as an array (lines × (q+1)) of point indices into :func:`projective_points`.

    Each line is the row space of a 2 × (dim+1) matrix in reduced row echelon form with pivots i < j; its
    points are row₁ + t·row₂ (t ∈ GF(q)) and row₂, all already normalised.
    """
    field = field_of_order(q)
    points = projective_points(q, dim)
    lookup = point_lookup(field, points)
    elements = field.elements
    out: list[np.ndarray] = []
    for i, j in itertools.combinations(range(dim + 1), 2):
        free1 = [c for c in range(i + 1, dim + 1) if c != j]
        free2 = list(range(j + 1, dim + 1))
        choices1 = all_vectors(q, len(free1))
        choices2 = all_vectors(q, len(free2))
        n1, n2 = len(choices1), len(choices2)
        row1 = np.zeros((n1 * n2, dim + 1), dtype=np.int64)
        row2 = np.zeros((n1 * n2, dim + 1), dtype=np.int64)
        row1[:, i] = 1
        row2[:, j] = 1
        if free1:
            row1[:, free1] = np.repeat(choices1, n2, axis=0)
        if free2:
            row2[:, free2] = np.tile(choices2, (n1, 1))
        r1, r2 = field(row1), field(row2)
        members = [r1 + t * r2 for t in elements] + [r2]
        idx = np.stack([lookup[keys(field, pts)] for pts in members], axis=1)
        out.append(idx)
    lines = np.concatenate(out)
    if (lines < 0).any():
        raise RuntimeError("projective_lines produced an unnormalised point")
    return np.sort(lines, axis=1)
