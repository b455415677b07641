"""Defaults of verification shared by the library and the command line (importing this costs nothing).

* :data:`DEFAULT_TOLERANCE` — over the reals a surviving set decodes when the least-squares residual
  ‖X B_F − T‖_F / ‖T‖_F is at most this (1e-8: about 10⁸ times float64's unit roundoff, so codes whose decoding
  systems have condition numbers up to ~10⁷ pass while a set that cannot decode, with a residual of order 1, never
  does). ``gcli design`` and ``gcli verify`` use the same value.
* :data:`DEFAULT_BUDGET` — exhaustive checks of more surviving sets are refused unless sampled or forced.
* :data:`DEFAULT_CONFIDENCE` — the confidence of the failing-fraction bound of a sampled check.
"""

from __future__ import annotations

__all__ = ["DEFAULT_BUDGET", "DEFAULT_CONFIDENCE", "DEFAULT_TOLERANCE"]

DEFAULT_TOLERANCE = 1e-8
DEFAULT_BUDGET = 10**6
DEFAULT_CONFIDENCE = 0.99
