"""Helpers shared by the constructions: parameter checks and seeded randomness."""

from __future__ import annotations

import numpy as np

from gcli.errors import InputError
from gcli.fields import Field, as_field

__all__ = ["CliFlags", "check_basic", "cyclic_windows", "resolve_field", "rng"]


class CliFlags:
    """Annotated metadata naming a construction parameter's command-line flags.

    ``k: Annotated[int, CliFlags("-k", "--block-size")]`` makes ``gcli design`` offer ``-k/--block-size`` for
    ``k`` instead of the default ``-k/--partitions``; use it for parameters that are not the code's n/k/s/m/a
    (block sizes, graph degrees, ``--lambda``) or whose name is a Python keyword.
    """

    def __init__(self, *flags: str, help: str = "") -> None:  # mirrors click's keyword
        self.flags = list(flags)
        self.help = help


def resolve_field(field: str | Field) -> Field:
    """Accept a field object or its text form (``"real"``, ``"GF(7)"``, ``"GF(2^8)"``)."""
    return as_field(field)


def check_basic(scheme: str, n: int, s: int, k: int | None, a: int = 0) -> int:
    """Validate n, s, a for a k = n scheme and return k (default n)."""
    if n < 1:
        raise InputError(f"{scheme}: need at least one worker (n={n})")
    if s < 0 or a < 0:
        raise InputError(f"{scheme}: s and a must be non-negative (s={s}, a={a})")
    if s + 2 * a >= n:
        raise InputError(f"{scheme}: s + 2a = {s + 2 * a} must be smaller than n = {n}")
    if k is not None and k != n:
        raise InputError(f"{scheme}: this construction has k = n partitions (got k={k}, n={n})")
    return n


def rng(seed: int) -> np.random.Generator:
    """The seeded generator every randomised construction draws from (PCG64 via numpy)."""
    if seed < 0:
        raise InputError(f"seed must be non-negative (got {seed})")
    return np.random.default_rng(seed)


def cyclic_windows(n: int, width: int) -> tuple[tuple[int, ...], ...]:
    """Worker i holds partitions i, i+1, …, i+width−1 (mod n), sorted."""
    return tuple(tuple(sorted((i + t) % n for t in range(width))) for i in range(n))
