"""Independent, deliberately naive oracles the tests compare the library against.

They use per-pattern galois ``matrix_rank`` (GF(q)) and per-pattern ``numpy.linalg.lstsq`` (reals) — a different
code path from gcli's batched elimination and batched SVD.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from gcli import Code


def first_failing_set(code: Code, size: int | None = None, tol: float = 1e-8) -> list[int] | None:
    """The lexicographically first surviving set from which the target is not recoverable, or None."""
    size = code.responders if size is None else size
    t = code.target
    for subset in itertools.combinations(range(code.n), size):
        block = code.encoding[list(subset)]
        if code.is_real:
            x, *_ = np.linalg.lstsq(np.asarray(block).T, np.asarray(t).T, rcond=None)
            residual = np.linalg.norm(x.T @ block - t) / np.sqrt(code.k * code.m)
            ok = residual <= tol
        else:
            stacked = np.concatenate([block, t], axis=0).view(code.field)
            ok = np.linalg.matrix_rank(stacked) == np.linalg.matrix_rank(block.view(code.field))
        if not ok:
            return list(subset)
    return None


def rank_mod_p(matrix: Any, p: int) -> int:
    """Rank over GF(p) by Gauss–Jordan elimination on Python integers (no galois, no gcli): an independent check.

    >>> rank_mod_p([[1, 2], [2, 4]], 7), rank_mod_p([[1, 2], [2, 4]], 2), rank_mod_p([[1, 0], [0, 1]], 3)
    (1, 1, 2)
    """
    rows = [[int(v) % p for v in row] for row in matrix]
    rank, width = 0, len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        inverse = pow(rows[rank][col], -1, p)
        rows[rank] = [v * inverse % p for v in rows[rank]]
        for i in range(len(rows)):
            if i != rank and rows[i][col]:
                f = rows[i][col]
                rows[i] = [(v - f * w) % p for v, w in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank
