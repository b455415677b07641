"""Defaults of verification shared by the library and the command line (importing this costs nothing).

* :data:`DEFAULT_TOLERANCE` — over the reals a surviving set decodes when the least-squares residual
  ‖X B_F − T‖_F / ‖T‖_F is at most this (1e-8: about 10⁸ times float64's unit roundoff, so codes whose decoding
  systems have condition numbers up to ~10⁷ pass while a set that cannot decode, with a residual of order 1, never
  does). ``gcli design`` and ``gcli verify`` use the same value.
* :data:`DEFAULT_BUDGET` — exhaustive checks of more surviving sets are refused unless sampled or forced.
* :data:`DEFAULT_CONFIDENCE` — the confidence of the failing-fraction bound of a sampled check.
* :func:`within` — the one comparison of a derived quantity with a tolerance: NaN and ±inf never pass.
"""

from __future__ import annotations

import math

__all__ = ["DEFAULT_BUDGET", "DEFAULT_CONFIDENCE", "DEFAULT_TOLERANCE", "set_text", "within"]

DEFAULT_TOLERANCE = 1e-8
DEFAULT_BUDGET = 10**6
DEFAULT_CONFIDENCE = 0.99


def within(value: float, bound: float) -> bool:
    """Whether a derived quantity passes a check ``value ≤ bound``: both finite and the inequality holds.

    A NaN (inf − inf, 0·inf) or an infinite value or bound never passes, so an overflow in a residual, a rebuilt
    rule or a column sum reads as a failed check rather than a silent success (``NaN > tol`` is False).

    Example:
        >>> within(1e-12, 1e-8), within(float("nan"), 1e-8), within(1.0, float("inf"))
        (True, False, False)
    """
    value, bound = float(value), float(bound)
    return math.isfinite(value) and math.isfinite(bound) and value <= bound


def set_text(members: object, n: int | None = None, *, most: int = 32) -> str:
    """A set of workers for a human report: the list itself up to ``most`` members; a longer set is named by the
    workers it leaves out when ``n`` is given and they are few, else by its first and last members and its size.
    Machine-readable output (``--json``) always keeps the whole set.

    Example:
        >>> set_text([0, 2, 5]), set_text(range(1, 1000), n=1000), set_text(range(40))
        ('[0, 2, 5]', 'all 1000 workers but [0]', '[0, 1, 2, 3, 4, …, 35, 36, 37, 38, 39] (40 workers)')
    """
    if members is None:
        return "None"
    items = [int(x) for x in members]  # type: ignore[attr-defined]
    if len(items) <= most:
        return str(items)
    if n is not None and n - len(items) <= most:
        present = set(items)
        return f"all {n} workers but {[w for w in range(n) if w not in present]}"
    head, tail = ", ".join(map(str, items[:5])), ", ".join(map(str, items[-5:]))
    return f"[{head}, …, {tail}] ({len(items)} workers)"
