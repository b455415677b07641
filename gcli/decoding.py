"""Decoding a gradient code from the messages of the workers that responded.

* :func:`decoding_matrix` — the m × |F| decoder A_F with A_F·B_F = T for a set F of responders: exact
  elimination over GF(q), the least-squares decoder T·B_F⁺ over the reals;
* :func:`decode` — Σ_j g_j from the responders' messages.

Example:
    >>> import numpy as np
    >>> from gcli.constructions import fractional_repetition
    >>> code = fractional_repetition(6, 2)
    >>> grads = np.arange(12.0).reshape(6, 2)
    >>> sent = code.encode(grads)
    >>> decode(code, [0, 1, 3, 5], sent[[0, 1, 3, 5]]).round(9).tolist()
    [30.0, 36.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from gcli.code import Code
from gcli.errors import InputError

__all__ = ["decode", "decoding_matrix", "field_view"]


def decoding_matrix(code: Code, surviving: Sequence[int]) -> np.ndarray:
    """The decoder A_F (shape m × |F|) with A_F · B_F = T, for the given responding workers.

    Over GF(q): a particular solution of B_Fᵀ A_Fᵀ = Tᵀ by Gauss–Jordan elimination (galois ``row_reduce``);
    InputError when none exists. Over the reals: the least-squares decoder T · B_F⁺ (always returned; check
    the residual, or use :func:`verify`, to know whether it is exact).
    """
    rows = _surviving_rows(code, surviving)
    block = code.encoding[rows]
    t = code.target
    if code.is_real:
        return t @ np.linalg.pinv(np.asarray(block))
    field = code.field
    r = len(rows)
    system = np.concatenate([block.T, t.T], axis=1).view(field)
    reduced = system.row_reduce(ncols=r)
    solution = field.Zeros((r, code.m))
    for row in reduced:
        nz = np.flatnonzero(np.asarray(row[:r].view(np.ndarray)))
        if nz.size == 0:
            if np.any(np.asarray(row[r:].view(np.ndarray))):
                raise InputError(f"the target is not recoverable from workers {list(rows)}")
            continue
        solution[nz[0]] = row[r:]
    return solution.T


def decode(code: Code, surviving: Sequence[int], messages: np.ndarray) -> np.ndarray:
    """Recover Σ_j g_j from the messages of the responding workers (shape (|F|, ℓ/m)); returns length ℓ."""
    decoder = decoding_matrix(code, surviving)
    received = np.asarray(messages) if code.is_real else field_view(code, messages)
    blocks = decoder @ received  # (m, ℓ/m): block u is Σ_j g_j^(u)
    return blocks.reshape(-1)


def field_view(code: Code, values: np.ndarray) -> Any:
    """Interpret an integer array as elements of the code's field."""
    if isinstance(values, code.field):
        return values
    return code.field(np.asarray(values, dtype=np.int64))




def _surviving_rows(code: Code, surviving: Sequence[int]) -> list[int]:
    rows = sorted(int(i) for i in surviving)
    if len(set(rows)) != len(rows) or (rows and (rows[0] < 0 or rows[-1] >= code.n)):
        raise InputError(f"surviving workers must be distinct indices in 0..{code.n - 1}")
    return rows
