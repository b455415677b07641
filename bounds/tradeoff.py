"""The computation–communication–straggler–adversary trade-off for exact gradient coding.

For k partitions, n workers, s stragglers, a adversaries and communication reduction m, every partition must
be held by at least s + 2a + m workers, so the total load k(s + 2a + m) spread over n workers gives

    d / k ≥ (s + 2a + m) / n,    i.e.  d ≥ ⌈k (s + 2a + m) / n⌉ partitions per worker.

m = 1, a = 0 is the bound of Tandon et al. (ICML 2017); the m-dependence is Ye and Abbe's (ICML 2018); each
adversary costs two stragglers, as in Jahani-Nezhad and Maddah-Ali's optimum communication cost
(r − s − 2a)⁻¹ for replication r (IEEE JSAIT 2021). The fraction is exact (a sympy Rational on access; see
:mod:`gcli.bounds._exact`).

Example:
    >>> bound = min_computation_load(10, 3)
    >>> bound.min_load, bound.min_load_fraction
    (4, 2/5)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gcli.errors import ImpossibleParameters

from ._exact import Fraction, text, to_sympy

if TYPE_CHECKING:
    import sympy

__all__ = ["TradeoffBound", "min_computation_load", "min_replication"]


@dataclass(frozen=True)
class TradeoffBound:
    """The minimum computation load for exact recovery with the given parameters."""

    n: int
    k: int
    s: int
    m: int
    a: int
    load_fraction: Fraction
    min_load: int
    min_replication: int

    @property
    def min_load_fraction(self) -> sympy.Rational:
        """d/k ≥ (s + 2a + m)/n, exactly."""
        return to_sympy(self.load_fraction)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict; the fraction is an exact string such as ``"3/8"``."""
        return {
            "n": self.n,
            "k": self.k,
            "s": self.s,
            "m": self.m,
            "a": self.a,
            "min_load": self.min_load,
            "min_load_fraction": text(self.load_fraction),
            "min_replication": self.min_replication,
            "communication_per_worker": text(Fraction(1, self.m)),
            "bound": "d/k >= (s + 2a + m)/n",
            "references": [
                "Tandon et al., ICML 2017 (m = 1, a = 0)",
                "Ye and Abbe, ICML 2018 (m > 1)",
                "Jahani-Nezhad and Maddah-Ali, IEEE JSAIT 2021 (adversaries cost 2a)",
            ],
        }


def min_replication(s: int, m: int = 1, a: int = 0) -> int:
    """Workers that must hold each partition: s + 2a + m."""
    return s + 2 * a + m


def min_computation_load(n: int, s: int, *, k: int | None = None, m: int = 1, a: int = 0) -> TradeoffBound:
    """Minimum computation load d ≥ ⌈k(s + 2a + m)/n⌉ (k defaults to n); InputError when infeasible."""
    k = n if k is None else k
    if n < 1 or k < 1:
        raise ImpossibleParameters(f"need n ≥ 1 and k ≥ 1 (got n={n}, k={k})")
    if s < 0 or a < 0:
        raise ImpossibleParameters(f"need s ≥ 0 and a ≥ 0 (got s={s}, a={a})")
    if m < 1:
        raise ImpossibleParameters(f"the communication-reduction factor m must be ≥ 1 (got m={m})")
    r = min_replication(s, m, a)
    if r > n:
        raise ImpossibleParameters(
            f"infeasible: each partition must be held by s + 2a + m = {r} workers but there are only n = {n}"
        )
    fraction = Fraction(r, n)
    load = -(-k * r // n)
    return TradeoffBound(n=n, k=k, s=s, m=m, a=a, load_fraction=fraction, min_load=load, min_replication=r)
