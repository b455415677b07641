"""The minimum distance of a linear code from its generator: shared by the constructions that build codes from
linear codes (:mod:`gcli.constructions.linear_codes`) and the certificate that re-derives what their files claim
(:mod:`gcli.certification.claims`).

A linear [d, m, δ] code with an m × d generator G of full row rank has δ = d − t + 1 for the smallest t such
that every t columns of G have rank m (a codeword xG vanishes on at most m − 1 … d − δ coordinates). Over GF(q)
the rank is exact (a column set S has rank m when G_S·Y = I_m is solvable); over the reals a column set counts
as rank m when σ_1(G)/σ_m(G_S) ≤ the tolerance policy's condition limit tol/ε, the largest condition number
float64 decoding can afford.
"""

from __future__ import annotations

import itertools
import math
from typing import Any, Literal

import numpy as np

from gcli.errors import ImpossibleParameters, InputError
from gcli.fields import Field, is_real

__all__ = ["column_conditions", "condition_limit", "minimum_distance"]

_ENUMERATION_LIMIT = 1 << 16
_SUBSET_LIMIT = 2_000_000
_RANK_BATCH = 8192


def condition_limit(tolerance: float | None = None) -> float:
    """The largest condition number a float64 surviving set can have under the tolerance policy: tol/ε.

    With the default tolerance 1e-8 this is about 4.5e7."""
    from gcli.defaults import DEFAULT_TOLERANCE

    tol = DEFAULT_TOLERANCE if tolerance is None else tolerance
    return tol / float(np.finfo(np.float64).eps)


def minimum_distance(
    field: Field, generator: np.ndarray, method: Literal["auto", "enumerate", "subsets"] = "auto",
    *, condition: float | None = None,
) -> int:
    """Minimum Hamming distance δ of the code spanned by the rows of the m × d generator (full row rank).

    ``enumerate`` (GF(q) only) lists all q^m codewords; ``subsets`` finds the smallest t such that every t
    columns have rank m (δ = d − t + 1); ``auto`` enumerates when q^m ≤ 2^16. Over the reals a column set S
    counts as rank m when σ_1(G)/σ_m(G_S) ≤ ``condition`` (default: the tolerance policy's tolerance/ε).
    InputError when the rows are linearly dependent (then G does not generate an m-dimensional code).
    """
    g = np.asarray(generator) if is_real(field) else generator
    m, d = g.shape
    if m < 1 or d < m:
        raise ImpossibleParameters(f"a generator must be m × d with 1 ≤ m ≤ d (got {m} × {d})")
    if method == "enumerate" and is_real(field):
        raise ImpossibleParameters("codeword enumeration needs a finite field")
    small = not is_real(field) and field.order**m <= _ENUMERATION_LIMIT
    if method == "enumerate" or (method == "auto" and small):
        messages = field(np.array(list(itertools.product(range(field.order), repeat=m)), dtype=np.int64))
        weights = np.count_nonzero(np.asarray((messages @ g).view(np.ndarray)), axis=1)[1:]  # skip 0
        delta = int(weights.min())
        if delta == 0:
            raise InputError("the generator's rows are linearly dependent (rank < m)")
        return delta
    limit = condition_limit() if condition is None else condition
    if not _all_full_rank(field, g, [tuple(range(d))], limit):
        raise InputError("the generator's rows are linearly dependent (rank < m)")
    for t in range(m, d + 1):
        if math.comb(d, t) > _SUBSET_LIMIT:
            raise InputError(f"the minimum distance needs C({d}, {t}) rank checks: too many")
        if _all_full_rank(field, g, list(itertools.combinations(range(d), t)), limit):
            return d - t + 1
    raise AssertionError("unreachable: all d columns have rank m")


def column_conditions(g: np.ndarray, subsets: np.ndarray) -> np.ndarray:
    """σ_1(G) / σ_m(G_S) for each column set S (rows of ``subsets``); ∞ when σ_m = 0."""
    sv = np.linalg.svd(np.asarray(g)[:, subsets].transpose(1, 0, 2), compute_uv=False)  # (b, m)
    top = np.linalg.svd(np.asarray(g), compute_uv=False)[0]
    with np.errstate(divide="ignore"):
        return np.where(sv[:, -1] > 0, top / sv[:, -1], np.inf)


def _all_full_rank(field: Field, g: np.ndarray, subsets: list[tuple[int, ...]], limit: float) -> bool:
    """Does every listed set of columns of g have rank m (= number of rows)? Checked in batches."""
    index = np.asarray(subsets, dtype=np.int64).reshape(len(subsets), -1)
    for start in range(0, len(index), _RANK_BATCH):
        cols = index[start : start + _RANK_BATCH]
        if is_real(field):
            if not (column_conditions(g, cols) <= limit).all():
                return False
        elif not _gf_full_row_rank(field, g[:, cols].transpose(1, 0, 2)).all():
            return False
    return True


def _gf_full_row_rank(field: Any, stack: np.ndarray) -> np.ndarray:
    """For each matrix M of a stack (b, m, t) over GF(q): is its rank m? (M·Y = I_m solvable.)"""
    from gcli.fields.linalg import batched_consistent

    count, rows, cols = stack.shape
    eye = np.broadcast_to(np.eye(rows, dtype=np.int64), (count, rows, rows))
    systems = np.concatenate([np.asarray(stack.view(np.ndarray), dtype=np.int64), eye], axis=2)
    return batched_consistent(field, systems, cols)  # it converts the integers to its own arithmetic


