"""The computation–communication–straggler–adversary trade-off for exact gradient coding.

For k partitions, n workers, s stragglers, a adversaries and communication reduction m, every partition must
be held by at least s + 2a + m workers, so the total load k(s + 2a + m) spread over n workers gives

    d / k ≥ (s + 2a + m) / n,    i.e.  d ≥ ⌈k (s + 2a + m) / n⌉ partitions per worker.

m = 1, a = 0 is the bound of Tandon et al. (ICML 2017); the m-dependence is Ye and Abbe's (ICML 2018); each
adversary costs two stragglers, as in Jahani-Nezhad and Maddah-Ali's optimum communication cost
(r − s − 2a)⁻¹ for replication r (IEEE JSAIT 2021). The fraction is exact (a sympy Rational on access; see
:mod:`gcli.bounds._exact`).

**Any placement** (Jahani-Nezhad and Maddah-Ali, IEEE JSAIT 2021, Theorem 1). When the data placement is
given — worker w holds the partitions of row w, possibly unevenly — let r = min_j |{w : j ∈ row w}| be the
least replication of a partition. A scheme tolerating s stragglers and a adversaries needs r ≥ s + 2a + 1, and
the least message size it can reach is

    C* = 1/(r − s − 2a)  (of a gradient),  i.e. the largest communication reduction is m* = r − s − 2a:

the converse is the paper's: the partial gradient of a partition held by r workers, all of it arbitrary,
must reach the server through its holders after s of them straggle and with 2a more messages spent on
out-voting the liars, so r − s − 2a messages of size C carry its ℓ symbols: (r − s − 2a)·C ≥ 1. The
polynomial code of :mod:`gcli.constructions.universal_codes` meets it for every placement
(:func:`placement_tradeoff`).

Example:
    >>> bound = min_computation_load(10, 3)
    >>> bound.min_load, bound.min_load_fraction
    (4, 2/5)
    >>> optimum = placement_tradeoff([[0, 1], [1, 2], [2, 0], [0, 1, 2]], s=1)
    >>> optimum.replication, optimum.m, text(optimum.communication)
    (3, 2, '1/2')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gcli.errors import ImpossibleParameters

from ._exact import Fraction, text, to_sympy

if TYPE_CHECKING:
    import sympy

__all__ = ["PlacementBound", "TradeoffBound", "min_computation_load", "min_replication", "placement_tradeoff"]


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


@dataclass(frozen=True)
class PlacementBound:
    """The optimum of a given placement (module docstring): least replication r (held by ``witness``), the largest
    communication reduction m = r − s − 2a and the least message size 1/m, with the placement's load d (the
    most partitions one worker holds) and size."""

    n: int
    k: int
    s: int
    a: int
    replication: int
    witness: int
    m: int
    load: int

    @property
    def communication(self) -> Fraction:
        """The least message size 1/(r − s − 2a), as a fraction of a gradient."""
        return Fraction(1, self.m)

    @property
    def optimal_communication(self) -> sympy.Rational:
        """1/(r − s − 2a), exactly."""
        return to_sympy(self.communication)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict; fractions as exact strings."""
        return {
            "n": self.n, "k": self.k, "s": self.s, "a": self.a, "load": self.load,
            "replication": self.replication, "least_replicated_partition": self.witness,
            "m": self.m, "communication_per_worker": text(self.communication),
            "bound": "communication >= 1/(r - s - 2a), r the least replication of a partition",
            "references": ["Jahani-Nezhad and Maddah-Ali, IEEE JSAIT 2021 (any placement)"],
        }


def placement_tradeoff(rows: Sequence[Sequence[int]], s: int = 0, a: int = 0, *,
                       partitions: int | None = None) -> PlacementBound:
    """The optimum message size 1/(r − s − 2a) of the placement ``rows`` (row w: the partitions worker w holds;
    P = ``partitions``, default the largest partition + 1). ImpossibleParameters, naming the partition, when a
    partition is held by no worker or by fewer than s + 2a + 1.

    >>> placement_tradeoff([[0], [0, 1], [1]], s=1).m
    1
    """
    if s < 0 or a < 0:
        raise ImpossibleParameters(f"need s ≥ 0 and a ≥ 0 (got s={s}, a={a})")
    counts: dict[int, int] = {}
    for row in rows:
        for j in row:
            counts[int(j)] = counts.get(int(j), 0) + 1
    k = partitions if partitions is not None else max(counts, default=-1) + 1
    if k < 1:
        raise ImpossibleParameters("the placement holds no partition")
    witness = min(range(k), key=lambda j: (counts.get(j, 0), j))
    r = counts.get(witness, 0)
    if r == 0:
        raise ImpossibleParameters(f"placement: partition {witness} is held by no worker, so the sum cannot be "
                                   "recovered")
    m = r - s - 2 * a
    if m < 1:
        raise ImpossibleParameters(
            f"infeasible: partition {witness} is held by only r = {r} workers, but s + 2a + 1 = {s + 2 * a + 1} "
            f"are needed to tolerate s = {s} stragglers and a = {a} adversaries")
    return PlacementBound(n=len(rows), k=k, s=s, a=a, replication=r, witness=witness, m=m,
                          load=max((len(row) for row in rows), default=0))
