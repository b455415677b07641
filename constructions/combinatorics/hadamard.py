"""Hadamard matrices (Sylvester doubling, Paley I and II) and the Hadamard 2-designs they give.

The Jacobsthal matrix Q[x, y] = χ(x − y) of GF(q) (χ the quadratic character) uses modular arithmetic for a
prime q and :func:`gcli.fields.gf` for a prime power.

References (for the whole module): J. J. Sylvester (1867); R. E. A. C. Paley, "On orthogonal matrices", J. Math.
Phys. 12 (1933); C. J. Colbourn, J. H. Dinitz (eds.), *Handbook of Combinatorial Designs*, 2nd ed., §V.1.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from gcli.errors import ImpossibleParameters
from gcli.fields.numbertheory import is_prime_power
from gcli.structures import BlockDesign, certified_design

from .._geometry import field

__all__ = ["hadamard_design", "hadamard_matrix", "has_hadamard_matrix"]


def _jacobsthal(q: int) -> np.ndarray:
    """Q[x, y] = χ(x − y): 0 on the diagonal, +1 for non-zero squares, −1 otherwise."""
    f = field(q)
    squares = f.squares()
    diff = f.difference_table()
    return np.where(diff == 0, 0, np.where(squares[diff], 1, -1)).astype(np.int64)


@cache
def _plan(n: int) -> tuple[str, int] | None:
    if n in (1, 2):
        return ("sylvester", n)
    if n % 4:
        return None
    if is_prime_power(n - 1) and (n - 1) % 4 == 3:
        return ("paley1", n - 1)
    if is_prime_power(n // 2 - 1) and (n // 2 - 1) % 4 == 1:
        return ("paley2", n // 2 - 1)
    if _plan(n // 2) is not None:
        return ("double", n // 2)
    return None


def has_hadamard_matrix(n: int) -> bool:
    """True when :func:`hadamard_matrix` can build order n (no matrix is built).

    Args:
        n: the order.

    Returns:
        Whether Sylvester doubling and Paley I/II reach n.

    Example:
        >>> has_hadamard_matrix(12), has_hadamard_matrix(92)
        (True, False)

    References:
        Handbook of Combinatorial Designs, §V.1.
    """
    return _plan(n) is not None


def hadamard_matrix(n: int) -> np.ndarray:
    """A Hadamard matrix of order n (H·Hᵀ = nI, entries ±1) from Sylvester doubling and Paley I/II.

    Orders covered: 1, 2, q+1 for prime powers q ≡ 3 (mod 4) (Paley I), 2(q+1) for q ≡ 1 (mod 4) (Paley II), and
    twice any covered order.

    Args:
        n: the order.

    Returns:
        An n × n int64 matrix, checked to satisfy H·Hᵀ = nI.

    Example:
        >>> hadamard_matrix(4) @ hadamard_matrix(4).T
        array([[4, 0, 0, 0],
               [0, 4, 0, 0],
               [0, 0, 4, 0],
               [0, 0, 0, 4]])

    References:
        Sylvester (1867); Paley (1933); Handbook of Combinatorial Designs, §V.1.
    """
    plan = _plan(n)
    if plan is None:
        raise ImpossibleParameters(f"gcli has no Hadamard matrix construction of order {n}")
    kind, m = plan
    if kind == "sylvester":
        h = np.ones((1, 1), dtype=np.int64) if m == 1 else np.array([[1, 1], [1, -1]], dtype=np.int64)
    elif kind == "double":
        h = np.kron(np.array([[1, 1], [1, -1]], dtype=np.int64), hadamard_matrix(m))
    elif kind == "paley1":
        s = np.zeros((m + 1, m + 1), dtype=np.int64)
        s[0, 1:] = 1
        s[1:, 0] = -1
        s[1:, 1:] = _jacobsthal(m)
        h = s + np.eye(m + 1, dtype=np.int64)
    else:
        c = np.zeros((m + 1, m + 1), dtype=np.int64)
        c[0, 1:] = 1
        c[1:, 0] = 1
        c[1:, 1:] = _jacobsthal(m)
        h = np.kron(c, np.array([[1, 1], [1, -1]])) + np.kron(np.eye(m + 1, dtype=np.int64),
                                                               np.array([[1, -1], [-1, -1]]))
    if not np.array_equal(h @ h.T, n * np.eye(n, dtype=np.int64)):
        raise RuntimeError(f"Hadamard construction of order {n} failed H·Hᵀ = nI")
    return h


def hadamard_design(n: int) -> BlockDesign:
    """The Hadamard 2-(n−1, n/2−1, n/4−1) design from a Hadamard matrix of order n = 4t.

    Normalise H so its first row and column are all +1, delete them; block i is the set of +1 entries of row i.

    Args:
        n: the Hadamard order, a multiple of 4 covered by :func:`hadamard_matrix` (n ≥ 8).

    Returns:
        A certified symmetric :class:`~gcli.structures.BlockDesign`.

    Example:
        >>> (hadamard_design(8).v, hadamard_design(8).k, hadamard_design(8).lam)
        (7, 3, 1)

    References:
        Handbook of Combinatorial Designs, §V.1.5 (Hadamard designs).
    """
    if n < 8 or n % 4:
        raise ImpossibleParameters(f"a Hadamard design needs order n = 4t ≥ 8 (got {n})")
    h = hadamard_matrix(n)
    h = h * h[0][None, :]  # first row all +1
    h = h * h[:, 0][:, None]  # first column all +1
    blocks = [np.flatnonzero(row == 1).tolist() for row in h[1:, 1:]]
    return certified_design(n - 1, n // 2 - 1, n // 4 - 1, blocks, f"Hadamard design of order {n}")
