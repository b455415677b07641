"""Independent, deliberately naive oracles the tests compare the library against.

They use per-pattern galois ``matrix_rank`` (GF(q)) and per-pattern ``numpy.linalg.lstsq`` (reals) — a different
code path from gcli's batched elimination and batched SVD.
"""

from __future__ import annotations

import itertools

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
