"""Block designs: the object, its incidence matrix, the BIBD identity and the divisibility conditions.

A 2-(v, k, λ) design has v points 0..v−1 and b blocks of size k such that every pair of points lies in exactly λ
blocks; each point then lies in r = λ(v−1)/(k−1) blocks and bk = vr. With N the v × b incidence matrix the
definition is the identity **N·Nᵀ = (r−λ)I + λJ**, which :func:`check_bibd` tests by counting points and pairs
(one sparse product for very large designs; v ≈ 1000 takes milliseconds). The eigenvalues of N·Nᵀ follow from the
identity: rk once and r − λ with multiplicity v − 1 (:func:`gcli.structures.design_spectrum`).

Example:
    >>> fano = certified_design(7, 3, 1, [(i, (i + 1) % 7, (i + 3) % 7) for i in range(7)], "Fano plane")
    >>> fano.b, fano.r, fano.is_symmetric, admissible(9, 3, 1)
    (7, 3, True, (4, 12))

References:
    C. J. Colbourn, J. H. Dinitz (eds.), *Handbook of Combinatorial Designs*, 2nd ed., CRC 2007, §II.1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["BlockDesign", "admissible", "certified_design", "check_bibd", "incidence_matrix"]


def admissible(v: int, k: int, lam: int) -> tuple[int, int] | None:
    """(r, b) when (v, k, λ) passes the divisibility conditions λ(v−1) ≡ 0 (mod k−1), vr ≡ 0 (mod k), else None.

    Also None unless 2 ≤ k ≤ v and λ ≥ 1.
    """
    if k < 2 or v < k or lam < 1:
        return None
    if (lam * (v - 1)) % (k - 1):
        return None
    r = lam * (v - 1) // (k - 1)
    if (v * r) % k:
        return None
    return r, v * r // k


@dataclass(frozen=True)
class BlockDesign:
    """A 2-(v, k, λ) design: ``blocks[i]`` is the sorted tuple of points of block i.

    Builders return instances made by :func:`certified_design`, so the identity has been checked.

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
        """The v × b 0/1 incidence matrix N (scipy CSR)."""
        return incidence_matrix(self.v, self.blocks)

    def spectrum(self) -> dict[str, Any]:
        """Eigenvalues of N·Nᵀ with multiplicities, exact from (v, k, λ)."""
        from gcli.structures.spectra import design_spectrum

        return design_spectrum(self.v, self.k, self.lam)

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


def _block_array(blocks: Sequence[Sequence[int]] | np.ndarray) -> np.ndarray | None:
    """The blocks as a b × k integer array when they all have the same size, else None."""
    if isinstance(blocks, np.ndarray):
        return blocks if blocks.ndim == 2 else None
    sizes = {len(block) for block in blocks}
    if len(sizes) != 1:
        return None
    return np.array(blocks, dtype=np.int64).reshape(len(blocks), sizes.pop())


def incidence_matrix(v: int, blocks: Sequence[Sequence[int]] | np.ndarray) -> sp.csr_matrix:
    """The v × b incidence matrix of a block list (entries count repeated points)."""
    import scipy.sparse as sp

    array = _block_array(blocks)
    if array is not None:
        rows = array.ravel()
        cols = np.repeat(np.arange(len(array)), array.shape[1])
    else:
        rows = np.fromiter((p for block in blocks for p in block), dtype=np.int64)
        cols = np.repeat(np.arange(len(blocks)), [len(block) for block in blocks])
    data = np.ones(len(rows), dtype=np.int64)
    return sp.csr_matrix((data, (rows, cols)), shape=(v, len(blocks)))


_PAIR_COUNT_LIMIT = 1 << 24
"""Largest b·k(k−1)/2 (pair incidences) :func:`check_bibd` counts directly; beyond it, one sparse N·Nᵀ."""
_BINCOUNT_SLOTS = 1 << 24
"""Largest v² for which the pairs are counted in one array of v² slots (128 MB at most); beyond it, sorted codes."""


def check_bibd(v: int, blocks: Sequence[Sequence[int]] | np.ndarray, k: int, lam: int) -> str | None:
    """None when the blocks form a 2-(v, k, λ) design, else the first violated condition.

    Checks block sizes (k distinct points each), point range, divisibility and N·Nᵀ = (r−λ)I + λJ, where
    r = λ(v−1)/(k−1): the diagonal (every point in r blocks) from a point count, the off-diagonal entries (every pair
    in exactly λ blocks) by counting the b·k(k−1)/2 pairs the blocks hold (each pair {x < y} coded x·v + y; numpy
    only, no scipy import), or with one sparse product N·Nᵀ when there are more than 2²⁴ pairs.

    >>> check_bibd(7, [(i, (i + 1) % 7, (i + 3) % 7) for i in range(7)], 3, 1) is None
    True
    >>> check_bibd(7, [(i, (i + 1) % 7, (i + 2) % 7) for i in range(7)], 3, 1)
    'some pair of points is not covered exactly λ = 1 times'
    """
    if len(blocks) == 0:
        return "no blocks"
    if k < 2:
        return f"block size k = {k} is smaller than 2"
    array = _block_array(blocks)
    if array is None or array.shape[1] != k:
        return f"some block does not have {k} points"
    if array.min() < 0 or array.max() >= v:
        return f"some block has a point outside 0..{v - 1}"
    ordered = np.sort(array, axis=1)
    if k > 1 and not np.all(np.diff(ordered, axis=1) > 0):
        return f"some block does not have {k} distinct points"
    if (lam * (v - 1)) % (k - 1):
        return f"λ(v−1) = {lam * (v - 1)} is not divisible by k−1 = {k - 1}"
    r = lam * (v - 1) // (k - 1)
    if len(ordered) * (k * (k - 1) // 2) <= _PAIR_COUNT_LIMIT:
        return _pair_count_problem(v, ordered, r, lam)
    return _sparse_problem(v, ordered, r, lam)


def _pair_count_problem(v: int, ordered: np.ndarray, r: int, lam: int) -> str | None:
    """:func:`check_bibd`'s identity by counting: points (the diagonal r), then the pairs {x < y} of every block
    (rows sorted, points distinct): all v(v−1)/2 pairs must occur exactly λ times."""
    if not np.all(np.bincount(ordered.ravel(), minlength=v) == r):
        return f"replication is not constant r = {r}"
    first, second = np.triu_indices(ordered.shape[1], 1)
    dtype = np.int32 if v * v < 2**31 else np.int64
    rows = ordered.astype(dtype, copy=False)
    codes = (rows[:, first] * dtype(v) + rows[:, second]).ravel()
    pairs = v * (v - 1) // 2
    if len(codes) != lam * pairs:
        return f"some pair of points is not covered exactly λ = {lam} times"
    if v * v <= _BINCOUNT_SLOTS:  # a count per slot x·v + y; only the pairs x < y can be hit
        counts = np.bincount(codes, minlength=v * v)
        covered = int(np.count_nonzero(counts == lam))
    else:  # sorted codes: pairs · λ codes in runs of exactly λ equal values
        codes.sort()
        starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
        covered = int(np.count_nonzero(np.diff(np.r_[starts, len(codes)]) == lam))
    if covered != pairs:
        return f"some pair of points is not covered exactly λ = {lam} times"
    return None


def _sparse_problem(v: int, ordered: np.ndarray, r: int, lam: int) -> str | None:
    """:func:`check_bibd`'s identity with one sparse product N·Nᵀ (diagonal = r, every off-diagonal entry = λ)."""
    n = incidence_matrix(v, ordered)
    gram = (n @ n.T).tocoo()
    diagonal = gram.diagonal()
    if not np.all(diagonal == r):
        return f"replication is not constant r = {r}"
    off = gram.row != gram.col
    if int(off.sum()) != v * (v - 1) or not np.all(gram.data[off] == lam):
        return f"some pair of points is not covered exactly λ = {lam} times"
    return None


def certified_design(
    v: int, k: int, lam: int, blocks: Sequence[Sequence[int]] | np.ndarray, name: str
) -> BlockDesign:
    """A :class:`BlockDesign` from raw blocks, sorted and checked by :func:`check_bibd` first.

    A failed check raises RuntimeError: builders call this on their own output, so a failure is a bug in the
    construction, never bad input.
    """
    array = _block_array(blocks)
    if array is not None:
        normalised = tuple(map(tuple, np.sort(array, axis=1).tolist()))
    else:
        normalised = tuple(tuple(sorted(int(p) for p in block)) for block in blocks)
    problem = check_bibd(v, normalised if array is None else np.sort(array, axis=1), k, lam)
    if problem is not None:
        raise RuntimeError(f"{name} failed the BIBD identity N·Nᵀ = (r−λ)I + λJ: {problem}")
    return BlockDesign(v=v, k=k, lam=lam, blocks=normalised, name=name)
