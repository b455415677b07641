"""Optimal loads of hierarchical gradient coding: a server, K relays, and a cluster of workers behind each relay.

The model (the model gcli implements, consistent with the result Gholami, Jahani-Nezhad, Wan
and Caire report in "Optimal Communication-Computation Trade-off in Hierarchical Gradient Coding", arXiv
2502.18251, 2025 [Gholami2025] — their theorem is not quoted here). Relay i serves cluster i of N_i workers; P data
partitions
are placed on the workers. At most s_r relays straggle and a_r lie; in cluster i at most s_w^(i) workers straggle
and a_w^(i) lie. r_1 is the least number of clusters in which a partition is available, r_2^(i) the least number
of workers of cluster i holding a partition available there. Applying the single-layer optimum (r − s − 2a)⁻¹
of Jahani-Nezhad and Maddah-Ali (IEEE JSAIT 2021) at both layers gives, normalised by the gradient length ℓ,

    m_1 = r_1 − s_r − 2a_r,            C_1 = 1 / m_1                 (relay → server, per relay)
    m_2^(i) = r_2^(i) − s_w^(i) − 2a_w^(i),   C_2^(i) = 1 / (m_1 · m_2^(i))   (worker → relay in cluster i)

and both are met at once by the two-layer polynomial scheme of :func:`gcli.constructions.hierarchical`.

Minimum computation load (derived here). Write δ = d/P for the fraction of the data a worker holds (d the
largest number of partitions on one worker). Cluster i hosts c_i distinct partitions, each on at least r_2^(i) of
its N_i workers, so c_i·r_2^(i) ≤ N_i·d, and c_i ≤ P; every partition is in at least r_1 clusters, so Σ_i c_i ≥
P·r_1. Hence δ must satisfy

    f(δ) = Σ_i min(1, δ · N_i / r_2^(i)) ≥ r_1,

and the minimum fraction δ* is the least such δ (f is piecewise linear and increasing: scan its breakpoints
r_2^(i)/N_i). With equal clusters (N_i = N, r_2^(i) = r_2) this is the closed form

    δ* = r_1 · r_2 / (K · N) = (s_r + 2a_r + m_1)(s_w + 2a_w + m_2) / (K · N),

which for m_1 = m_2 = 1 and a = 0 is (s_r + 1)(s_w + 1)/(K·N), the computation-only bound of Tang et al.
(arXiv 2406.10831). For a given number of partitions P the integer form is the least d with
Σ_i min(P, ⌊d·N_i/r_2^(i)⌋) ≥ P·r_1 (:func:`min_integer_load`); the balanced placement of the construction
(wrap-around of partitions over clusters, then cyclic inside each cluster) attains it, so it is tight.

Alternatives reported beside the optimum, so that the gain is visible (derived here):

* ``forward`` — relays that only forward: the same workers, placement and worker messages, but each relay
  passes on the N_i − s_w^(i) messages it receives and the server decodes both layers itself: relay → server
  load (N_i − s_w^(i)) / (m_1 · m_2^(i)).
* ``flat`` — ignore the relays and decode one layer over all n = Σ_i N_i workers (relays as pipes), on the
  same placement, counting every fault as a worker fault on the holders of each partition (the heterogeneous
  gradient codes of Jahani-Nezhad and Maddah-Ali, IEEE JSAIT 2021: optimum 1/(r − s − 2a) for any placement,
  r the least replication, s and a the erased and corrupted holders). A partition in the r_1 clusters C, on
  r_2^(i) workers of each, loses in the worst pattern of the model: all r_2^(i) holders of a straggling relay,
  2·r_2^(i) for a lying relay's (all corrupted), s_w^(i) + 2a_w^(i) elsewhere; so

      m = min over C and fault patterns of Σ_{i ∈ C} r_2^(i) − (erased + 2·corrupted holders)
        = min Σ_{i honest} m_2^(i) − Σ_{i lying} r_2^(i)   (m_1 + a_r honest, a_r lying, s_r straggling in C),

  the minimum over every set C of r_1 clusters (with unequal clusters the placement may put a partition in any
  of them) (:func:`flat_reduction`). Equal clusters give m = m_1·m_2 − a_r·(s_w + 2a_w): with a_r = 0 exactly
  the forwarding scheme, which is itself such a one-layer code. Worker load 1/m, relay load (N_i − s_w^(i))/m;
  infeasible when m < 1. An earlier version required every partition on W + m workers, W counting the faults on
  all workers (:func:`worst_fault_weight`), which a code that knows the placement does not need.

Private relays (``private`` = t ≥ 1: any t colluding relays must learn nothing about the partial gradients;
derived here, achieved by :func:`gcli.constructions.hierarchical` with ``private=t``). Any K − s_r − 2a_r relays
give the server Σ_j g_j, ℓ symbols; if t of them learn nothing about g, their messages carry no information about
the sum either, so the other K − s_r − 2a_r − t relays' ℓ·C_1 symbols each must carry all of it:

    C_1 ≥ 1 / (K − t − s_r − 2a_r),  i.e.  m_1 ≤ K − t − s_r − 2a_r  (r_1 ≤ K − t),

for any scheme, linear or not. Below that cap privacy costs nothing: the private code has the loads C_1 = 1/m_1,
C_2^(i) = 1/(m_1 m_2^(i)) of the non-private one. Only m_1 > K − t − s_r − 2a_r — partitions in (almost) every
cluster — is excluded: at m_1 = K − s_r − 2a_r every relay's message is a function of Σ_j g_j alone carrying
ℓ/m_1 of its symbols, which the relay itself computes.

The server's load is what reaches it from K − s_r relays (the largest ones when clusters differ): (K − s_r)/m_1
for the hierarchical scheme. All values are exact (:mod:`gcli.bounds._exact`).

Example (the model's worked example: ℓ = 1200, m_1 = 3, m_2 = 4 give 400 symbols per relay and 100 per worker):
    >>> b = hierarchical_bound(5, 10, s_r=1, s_w=1, a_w=1, m_1=3, m_2=4)
    >>> b.C1, b.C2, b.min_load_fraction, b.r_1, b.r_2
    (1/3, (1/12, 1/12, 1/12, 1/12, 1/12), 14/25, 4, (7, 7, 7, 7, 7))
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from numbers import Integral
from typing import TYPE_CHECKING, Any

from gcli.errors import ImpossibleParameters

from ._exact import Fraction, text, to_sympy

if TYPE_CHECKING:
    import sympy

__all__ = [
    "Alternative",
    "HierarchicalBound",
    "cluster_capacities",
    "flat_reduction",
    "hierarchical_bound",
    "hierarchical_bound_for_load",
    "hierarchical_tradeoff",
    "min_integer_load",
    "min_load_fraction",
    "pareto_front",
    "parse_fraction",
    "per_cluster",
    "private_cost",
    "private_m1_cap",
    "worst_fault_weight",
]

REFERENCES = (
    "Gholami, Jahani-Nezhad, Wan, Caire, arXiv 2502.18251 (2025): C1* = d/m1, C2* = d/(m1 m2)",
    "Jahani-Nezhad and Maddah-Ali, IEEE JSAIT 2021: single-layer optimum 1/(r - s - 2a)",
    "Tang, Li, Chen, Chen, arXiv 2406.10831 (2024): computation-only bound (s_e + 1)(s_w + 1)/sum(m_i)",
)


def per_cluster(name: str, value: int | Sequence[int], relays: int) -> tuple[int, ...]:
    """One value per cluster: an integer is repeated, a sequence must have one entry per relay."""
    if isinstance(value, bool):
        raise ImpossibleParameters(f"{name} must be an integer or one integer per cluster")
    if isinstance(value, Integral):
        from gcli.io.limits import check

        check("max_workers", relays, "K (relays)")
        return (int(value),) * relays
    if not isinstance(value, Sequence | Iterable) or isinstance(value, str):
        raise ImpossibleParameters(f"{name} must be an integer or one integer per cluster, got {value!r}")
    values = tuple(int(v) for v in value)
    if len(values) != relays:
        raise ImpossibleParameters(f"{name} has {len(values)} values but there are K = {relays} clusters")
    return values


def _check_model(
    relays: int, cluster_sizes: tuple[int, ...], s_r: int, a_r: int, s_w: tuple[int, ...], a_w: tuple[int, ...]
) -> None:
    if relays < 1:
        raise ImpossibleParameters(f"need at least one relay (K = {relays})")
    if len(cluster_sizes) != relays:
        raise ImpossibleParameters(f"{len(cluster_sizes)} cluster sizes for K = {relays} relays")
    for i, size in enumerate(cluster_sizes):
        if size < 1:
            raise ImpossibleParameters(f"cluster {i} has N = {size} workers: need at least one")
    if s_r < 0 or a_r < 0:
        raise ImpossibleParameters(f"need s_r ≥ 0 and a_r ≥ 0 (got s_r={s_r}, a_r={a_r})")
    for i in range(relays):
        if s_w[i] < 0 or a_w[i] < 0:
            raise ImpossibleParameters(f"cluster {i}: need s_w ≥ 0 and a_w ≥ 0 (got s_w={s_w[i]}, a_w={a_w[i]})")


def _replications(
    relays: int, cluster_sizes: tuple[int, ...], s_r: int, a_r: int, s_w: tuple[int, ...], a_w: tuple[int, ...],
    m_1: int, m_2: tuple[int, ...],
) -> tuple[int, tuple[int, ...]]:
    """r_1 = s_r + 2a_r + m_1 and r_2^(i) = s_w^(i) + 2a_w^(i) + m_2^(i); InputError naming a failing inequality."""
    if m_1 < 1:
        raise ImpossibleParameters(f"m_1 = {m_1}: the relay-level reduction factor must be at least 1")
    r_1 = s_r + 2 * a_r + m_1
    if r_1 > relays:
        raise ImpossibleParameters(
            f"infeasible: every partition must be available in r_1 = s_r + 2a_r + m_1 = {r_1} clusters, "
            f"but r_1 ≤ K fails (K = {relays} relays)"
        )
    r_2 = []
    for i in range(relays):
        if m_2[i] < 1:
            raise ImpossibleParameters(
                f"cluster {i}: m_2 = {m_2[i]}: the worker-level reduction factor must be at least 1")
        r = s_w[i] + 2 * a_w[i] + m_2[i]
        if r > cluster_sizes[i]:
            raise ImpossibleParameters(
                f"infeasible in cluster {i}: each of its partitions must be on r_2 = s_w + 2a_w + m_2 = {r} "
                f"workers, but r_2 ≤ N fails (N = {cluster_sizes[i]} workers)"
            )
        r_2.append(r)
    return r_1, tuple(r_2)


def min_load_fraction(r_1: int, cluster_sizes: Sequence[int], r_2: Sequence[int]) -> Fraction:
    """δ* = the least δ with Σ_i min(1, δ·N_i/r_2^(i)) ≥ r_1 (module docstring), exactly.

    >>> min_load_fraction(4, [10] * 5, [7] * 5)
    Fraction(14, 25)
    """
    if r_1 > len(cluster_sizes):
        raise ImpossibleParameters(f"r_1 = {r_1} exceeds K = {len(cluster_sizes)} clusters")
    # clusters with the same (N_i, r_2^(i)) share a breakpoint r_2/N_i: one step for all of them (when δ passes
    # the first it passes the rest, as breakpoint·rate = 1), so equal clusters cost O(1), not O(K log K)
    groups = Counter(zip(cluster_sizes, r_2, strict=True))
    breaks = sorted((Fraction(r, n), Fraction(n, r), count) for (n, r), count in groups.items())
    saturated = 0
    slope = sum((rate * count for _, rate, count in breaks), Fraction(0))
    for point, rate, count in breaks:
        delta = Fraction(r_1 - saturated, 1) / slope  # f(δ) = saturated + δ·slope on this piece
        if delta <= point:
            return delta
        saturated += count
        slope -= rate * count
    raise AssertionError("unreachable: f(max breakpoint) = K ≥ r_1")


def min_integer_load(partitions: int, r_1: int, cluster_sizes: Sequence[int], r_2: Sequence[int]) -> int:
    """The least d with Σ_i min(P, ⌊d·N_i/r_2^(i)⌋) ≥ P·r_1: no placement of P partitions does better, and the
    balanced placement of :func:`gcli.constructions.hierarchical` attains it.

    >>> min_integer_load(25, 4, [10] * 5, [7] * 5)
    14
    """
    if partitions < 1:
        raise ImpossibleParameters(f"need at least one partition (P = {partitions})")
    fraction = min_load_fraction(r_1, cluster_sizes, r_2)
    d = max(1, -(-partitions * fraction.numerator // fraction.denominator))
    while sum(cluster_capacities(partitions, d, cluster_sizes, r_2)) < partitions * r_1:
        d += 1
    return d


def cluster_capacities(partitions: int, load: int, cluster_sizes: Sequence[int], r_2: Sequence[int]) -> list[int]:
    """How many distinct partitions cluster i can host when no worker holds more than ``load``:
    min(P, ⌊load·N_i/r_2^(i)⌋)."""
    return [min(partitions, load * n // r) for n, r in zip(cluster_sizes, r_2, strict=True)]


@dataclass(frozen=True)
class Alternative:
    """The loads of a scheme the relays make unnecessary (module docstring), for comparison."""

    name: str
    description: str
    feasible: bool
    m: int | None
    relay_loads: tuple[Fraction, ...]
    worker_loads: tuple[Fraction, ...]
    load_fraction: Fraction | None
    server_load: Fraction | None
    gain: Fraction | None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict; rationals as strings such as ``"3/5"``."""
        return {
            "description": self.description,
            "feasible": self.feasible,
            "m": self.m,
            "C1": [text(x) for x in self.relay_loads],
            "C2": [text(x) for x in self.worker_loads],
            "load_fraction": None if self.load_fraction is None else text(self.load_fraction),
            "server_load": None if self.server_load is None else text(self.server_load),
            "gain": None if self.gain is None else text(self.gain),
            "note": self.note,
        }


@dataclass(frozen=True)
class HierarchicalBound:
    """Optimal relay → server and worker → relay loads and the minimum computation load (module docstring)."""

    relays: int
    cluster_sizes: tuple[int, ...]
    s_r: int
    a_r: int
    s_w: tuple[int, ...]
    a_w: tuple[int, ...]
    m_1: int
    m_2: tuple[int, ...]
    r_1: int
    r_2: tuple[int, ...]
    relay_load: Fraction
    worker_loads: tuple[Fraction, ...]
    load_fraction: Fraction
    server_load: Fraction
    partitions: int | None = None
    min_load: int | None = None
    alternatives: tuple[Alternative, ...] = ()
    private: int = 0

    @property
    def C1(self) -> sympy.Rational:
        """Relay → server load 1/m_1 (fraction of a gradient per relay)."""
        return to_sympy(self.relay_load)

    @property
    def C2(self) -> tuple[sympy.Rational, ...]:
        """Worker → relay load 1/(m_1·m_2^(i)) in each cluster."""
        return tuple(to_sympy(x) for x in self.worker_loads)

    @property
    def min_load_fraction(self) -> sympy.Rational:
        """δ* = d/P: the least fraction of the data a worker must hold."""
        return to_sympy(self.load_fraction)

    @property
    def equal_clusters(self) -> bool:
        """All clusters have the same size and the same parameters."""
        return len({(n, s, a, m) for n, s, a, m in zip(self.cluster_sizes, self.s_w, self.a_w, self.m_2,
                                                        strict=True)}) == 1

    def alternative(self, name: str) -> Alternative:
        """The alternative called ``forward`` or ``flat``."""
        for alt in self.alternatives:
            if alt.name == name:
                return alt
        raise KeyError(name)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict: ``C1``, ``C2`` (one per cluster), ``min_load_fraction`` and ``alternatives``."""
        out: dict[str, Any] = {
            "relays": self.relays,
            "cluster_sizes": list(self.cluster_sizes),
            "s_r": self.s_r,
            "a_r": self.a_r,
            "s_w": list(self.s_w),
            "a_w": list(self.a_w),
            "m_1": self.m_1,
            "m_2": list(self.m_2),
            "r_1": self.r_1,
            "r_2": list(self.r_2),
            "C1": text(self.relay_load),
            "C2": [text(x) for x in self.worker_loads],
            "min_load_fraction": text(self.load_fraction),
            "partitions": self.partitions,
            "min_load": self.min_load,
            "server_load": text(self.server_load),
            "alternatives": {alt.name: alt.to_json() for alt in self.alternatives},
            "bound": (
                "C1 = 1/m1, C2(i) = 1/(m1 m2(i)); d/P >= (s_r+2a_r+m1)(s_w+2a_w+m2)/(K N) for equal clusters, "
                "least d/P with sum_i min(1, (d/P) N_i/r2(i)) >= r1 in general"
            ),
            "references": list(REFERENCES),
        }
        if self.private:
            out["private"] = {"colluding_relays": self.private, **private_cost(self)}
        return out

    def summary(self) -> str:
        """A few lines for the terminal."""
        if self.equal_clusters:
            clusters = f"clusters of N = {self.cluster_sizes[0]} workers"
            faults = f"s_r={self.s_r}, a_r={self.a_r}, s_w={self.s_w[0]}, a_w={self.a_w[0]}"
            factors = f"m_1={self.m_1}, m_2={self.m_2[0]}"
            c2 = f"C2 = {text(self.worker_loads[0])}"
            r2 = f"r_2 = {self.r_2[0]}"
        else:
            clusters = "clusters of " + _listing(self.cluster_sizes) + " workers"
            faults = f"s_r={self.s_r}, a_r={self.a_r}, s_w={_listing(self.s_w)}, a_w={_listing(self.a_w)}"
            factors = f"m_1={self.m_1}, m_2={_listing(self.m_2)}"
            c2 = "C2 = " + _listing([text(x) for x in self.worker_loads])
            r2 = "r_2 = " + _listing(self.r_2)
        lines = [
            f"K={self.relays} relays, {clusters}; {faults}; {factors}",
            f"relay -> server: C1 = {text(self.relay_load)} of a gradient per relay "
            f"(each partition available in r_1 = {self.r_1} clusters)",
            f"worker -> relay: {c2} of a gradient per worker "
            f"(each partition of a cluster on {r2} of its workers)",
        ]
        load = f"computation: every worker holds at least {text(self.load_fraction)} of the data"
        if self.partitions is not None and self.min_load is not None:
            load += f" (d >= {self.min_load} of P = {self.partitions} partitions)"
        lines.append(load)
        parts = [f"server receives {text(self.server_load)} gradients from K - s_r = {self.relays - self.s_r} relays"]
        for alt in self.alternatives:
            if alt.server_load is None:
                parts.append(f"{alt.name}: infeasible ({alt.note})")
            else:
                where = "" if alt.load_fraction == self.load_fraction else (
                    f", needs load {text(alt.load_fraction)}" if alt.load_fraction is not None else "")
                parts.append(f"{alt.name}: {text(alt.server_load)} (x{_ratio(alt.gain)}{where})")
        lines.append("; ".join(parts))
        if self.private:
            cost = private_cost(self)
            lines.append(f"private relays (any {self.private} colluding learn nothing): {cost['note']}")
        return "\n".join(lines)


def private_m1_cap(relays: int, s_r: int, a_r: int, colluding: int) -> int:
    """The largest m_1 of a code private against ``colluding`` relays: K − t − s_r − 2a_r (module docstring)."""
    return relays - colluding - s_r - 2 * a_r


def private_cost(bound: HierarchicalBound) -> dict[str, Any]:
    """What privacy against t colluding relays costs at this (m_1, m_2): nothing (same loads) below the cap."""
    cap = private_m1_cap(bound.relays, bound.s_r, bound.a_r, bound.private)
    non_private = bound.relays - bound.s_r - 2 * bound.a_r
    note = (f"same loads C1 = {text(bound.relay_load)}, C2 as above (the workers of each cluster share random "
            f"masks that the server removes); private codes need m_1 <= K - t - s_r - 2a_r = {cap}")
    if cap < non_private:
        note += (f", so the non-private optimum C1 = {text(Fraction(1, non_private))} (every partition in every "
                 f"cluster) costs C1 = {text(Fraction(1, max(cap, 1)))} when private")
    return {"m_1_cap": cap, "same_loads": bound.m_1 <= cap, "note": note}


def _check_private(relays: int, s_r: int, a_r: int, m_1: int, colluding: int) -> None:
    """ImpossibleParameters saying why m_1 is too large for relays private against ``colluding`` relays."""
    if colluding < 0:
        raise ImpossibleParameters(f"the number of colluding relays must be non-negative (got {colluding})")
    if not colluding:
        return
    cap = private_m1_cap(relays, s_r, a_r, colluding)
    if m_1 > cap:
        why = (f"any K - s_r - 2a_r = {relays - s_r - 2 * a_r} relays give the server the sum, and when {colluding} "
               f"of them learn nothing the other {max(cap, 0)} carry all of it")
        if cap < 1:
            raise ImpossibleParameters(
                f"private relays are impossible with K = {relays}, s_r = {s_r}, a_r = {a_r} against {colluding} "
                f"colluding: any K - s_r - 2a_r = {relays - s_r - 2 * a_r} relays must give the server the sum while "
                f"{colluding} of them carry none of it, so K - t - s_r - 2a_r >= 1 is needed")
        raise ImpossibleParameters(
            f"private relays need m_1 <= K - t - s_r - 2a_r = {cap} (got m_1 = {m_1}): {why}, so C1 >= "
            f"{text(Fraction(1, cap))}")


def _listing(values: Sequence[int] | Sequence[str]) -> str:
    """One value when all clusters agree, else the comma-separated list."""
    return str(values[0]) if len(set(values)) == 1 else ",".join(str(v) for v in values)


def _ratio(value: Fraction | None) -> str:
    if value is None:
        return "-"
    return text(value) if value.denominator == 1 else f"{float(value):.3g}"


def hierarchical_bound(
    relays: int,
    workers: int | Sequence[int],
    *,
    s_r: int = 0,
    a_r: int = 0,
    s_w: int | Sequence[int] = 0,
    a_w: int | Sequence[int] = 0,
    m_1: int = 1,
    m_2: int | Sequence[int] = 1,
    partitions: int | None = None,
    private: int = 0,
) -> HierarchicalBound:
    """The optimal loads for K = ``relays`` relays and clusters of ``workers`` workers (one size for all, or a
    size per cluster), with reduction factors m_1 and m_2 (per cluster allowed); InputError naming the failing
    inequality when the parameters are infeasible. With ``partitions`` = P the integer minimum load is added.
    ``private`` = t ≥ 1: relays private against t colluding relays (m_1 ≤ K − t − s_r − 2a_r, module docstring).

    >>> hierarchical_bound(3, 4, s_r=1, s_w=1).min_load_fraction  # (s_r+1)(s_w+1)/(K·N)
    1/3
    """
    relays = int(relays)
    if relays < 1:
        raise ImpossibleParameters(f"need at least one relay (K = {relays})")
    sizes = per_cluster("cluster sizes", workers, relays)
    sw, aw, m2 = per_cluster("s_w", s_w, relays), per_cluster("a_w", a_w, relays), per_cluster("m_2", m_2, relays)
    _check_model(relays, sizes, s_r, a_r, sw, aw)
    r_1, r_2 = _replications(relays, sizes, s_r, a_r, sw, aw, m_1, m2)
    _check_private(relays, s_r, a_r, m_1, int(private))
    fraction = min_load_fraction(r_1, sizes, r_2)
    relay_load = Fraction(1, m_1)
    worker_loads = tuple(Fraction(1, m_1 * m) for m in m2)
    server = (relays - s_r) * relay_load
    min_load = None
    if partitions is not None:
        min_load = min_integer_load(int(partitions), r_1, sizes, r_2)
    alternatives = (
        _forward(relays, sizes, s_r, sw, worker_loads, fraction, server),
        _flat(relays, sizes, s_r, a_r, sw, aw, r_1, r_2, fraction, server),
    )
    return HierarchicalBound(
        relays=relays, cluster_sizes=sizes, s_r=s_r, a_r=a_r, s_w=sw, a_w=aw, m_1=m_1, m_2=m2, r_1=r_1, r_2=r_2,
        relay_load=relay_load, worker_loads=worker_loads, load_fraction=fraction, server_load=server,
        partitions=None if partitions is None else int(partitions), min_load=min_load, alternatives=alternatives,
        private=int(private),
    )


def _top_sum(values: Sequence[Fraction], count: int) -> Fraction:
    """The largest total of ``count`` of the values (the server's worst case over responding relays)."""
    return sum(sorted(values, reverse=True)[:count], Fraction(0))


def _forward(
    relays: int, sizes: tuple[int, ...], s_r: int, s_w: tuple[int, ...], worker_loads: tuple[Fraction, ...],
    fraction: Fraction, server: Fraction,
) -> Alternative:
    relay_loads = tuple((n - s) * c for n, s, c in zip(sizes, s_w, worker_loads, strict=True))
    load = _top_sum(relay_loads, relays - s_r)
    return Alternative(
        name="forward",
        description="relays only forward the N_i - s_w messages they receive; the server decodes both layers",
        feasible=True, m=None, relay_loads=relay_loads, worker_loads=worker_loads, load_fraction=fraction,
        server_load=load, gain=load / server,
    )


def worst_fault_weight(
    sizes: Sequence[int], s_r: int, a_r: int, s_w: Sequence[int], a_w: Sequence[int]
) -> int:
    """W = max over fault patterns of the model of (erased workers + 2·corrupted workers), seen as a flat code.

    A lying relay corrupts its N_i workers (weight 2N_i), a straggling relay erases them (N_i), any other cluster
    contributes s_w^(i) + 2a_w^(i); a dynamic programme over the clusters picks the worst a_r and s_r.
    """
    worst: dict[tuple[int, int], int] = {(0, 0): 0}
    for n, s, a in zip(sizes, s_w, a_w, strict=True):
        nxt: dict[tuple[int, int], int] = {}
        for (used_a, used_s), value in worst.items():
            options = [((used_a, used_s), value + s + 2 * a)]
            if used_a < a_r:
                options.append(((used_a + 1, used_s), value + 2 * n))
            if used_s < s_r:
                options.append(((used_a, used_s + 1), value + n))
            for key, total in options:
                if total > nxt.get(key, -1):
                    nxt[key] = total
        worst = nxt
    if (a_r, s_r) not in worst:
        raise ImpossibleParameters(f"s_r + a_r = {s_r + a_r} faulty relays exceed K = {len(sizes)}")
    return worst[(a_r, s_r)]


def flat_reduction(r_1: int, r_2: Sequence[int], s_r: int, a_r: int, s_w: Sequence[int], a_w: Sequence[int]) -> int:
    """m of the one-layer code on the model's placement (module docstring, ``flat``): the least, over every set C
    of r_1 clusters holding a partition and every fault pattern, of Σ_{i ∈ C} r_2^(i) − (erased + 2·corrupted
    holders) = Σ_{honest i ∈ C} m_2^(i) − Σ_{lying i ∈ C} r_2^(i). May be < 1 (no such code).

    >>> flat_reduction(4, [7] * 5, 1, 0, [1] * 5, [1] * 5)  # m_1·m_2 = 3·4
    12
    """
    honest_needed = r_1 - s_r - 2 * a_r + a_r  # m_1 + a_r honest holder clusters, a_r lying, s_r straggling
    if honest_needed < 1 or len(r_2) < r_1:
        raise ImpossibleParameters(
            f"r_1 = {r_1} clusters cannot hold s_r + 2a_r + 1 = {s_r + 2 * a_r + 1} (K = {len(r_2)})")
    reductions = [r - s - 2 * a for r, s, a in zip(r_2, s_w, a_w, strict=True)]
    # dynamic programme over the clusters: state (lying, honest) chosen so far -> least value; the s_r
    # straggling clusters (value 0) are any others, and K ≥ r_1 leaves room for them
    best: dict[tuple[int, int], int] = {(0, 0): 0}
    for r, m in zip(r_2, reductions, strict=True):
        nxt = dict(best)
        for (lying, honest), value in best.items():
            for key, total in (((lying + 1, honest), value - r), ((lying, honest + 1), value + m)):
                if key[0] <= a_r and key[1] <= honest_needed and total < nxt.get(key, total + 1):
                    nxt[key] = total
        best = nxt
    return best[(a_r, honest_needed)]


def _flat(
    relays: int, sizes: tuple[int, ...], s_r: int, a_r: int, s_w: tuple[int, ...], a_w: tuple[int, ...],
    r_1: int, r_2: tuple[int, ...], fraction: Fraction, server: Fraction,
) -> Alternative:
    n = sum(sizes)
    m = flat_reduction(r_1, r_2, s_r, a_r, s_w, a_w)
    description = (
        f"one layer over all n = {n} workers on the same placement, relays as pipes, every fault counted on each "
        "partition's holders (a straggling relay erases its cluster's holders, a lying one corrupts them)"
    )
    if m < 1:
        return Alternative(
            name="flat", description=description, feasible=False, m=None, relay_loads=(), worker_loads=(),
            load_fraction=None, server_load=None, gain=None,
            note=f"counting every fault on a partition's holders leaves m = {m} < 1 (a lying relay's cluster counts "
                 "as corrupted holders); forwarding, a one-layer code that decodes cluster by cluster, still works",
        )
    worker_load = Fraction(1, m)
    relay_loads = tuple((size - s) * worker_load for size, s in zip(sizes, s_w, strict=True))
    load = _top_sum(relay_loads, relays - s_r)
    return Alternative(
        name="flat", description=description, feasible=True, m=m, relay_loads=relay_loads,
        worker_loads=(worker_load,) * relays, load_fraction=fraction, server_load=load, gain=load / server,
        note="at the same computation load and placement",
    )


def _surface(
    relays: int, workers: int | Sequence[int], s_r: int, a_r: int, s_w: int | Sequence[int],
    a_w: int | Sequence[int], private: int = 0,
) -> tuple[int, tuple[int, ...], tuple[int, ...], tuple[int, ...], int, int]:
    """The checked model and the largest m_1 and (common) m_2: K, sizes, s_w, a_w, top_1, top_2."""
    relays = int(relays)
    if relays < 1:
        raise ImpossibleParameters(f"need at least one relay (K = {relays})")
    sizes = per_cluster("cluster sizes", workers, relays)
    sw, aw = per_cluster("s_w", s_w, relays), per_cluster("a_w", a_w, relays)
    _check_model(relays, sizes, s_r, a_r, sw, aw)
    top_1 = relays - s_r - 2 * a_r
    top_2 = min(n - s - 2 * a for n, s, a in zip(sizes, sw, aw, strict=True))
    if top_1 < 1:
        raise ImpossibleParameters(f"infeasible: s_r + 2a_r = {s_r + 2 * a_r} ≥ K = {relays}, so no m_1 ≥ 1 exists")
    if private:
        _check_private(relays, s_r, a_r, 1, private)
        top_1 = min(top_1, private_m1_cap(relays, s_r, a_r, private))
    if top_2 < 1:
        raise ImpossibleParameters("infeasible: some cluster has s_w + 2a_w ≥ N, so no m_2 ≥ 1 exists")
    return relays, sizes, sw, aw, top_1, top_2


def hierarchical_tradeoff(
    relays: int,
    workers: int | Sequence[int],
    *,
    s_r: int = 0,
    a_r: int = 0,
    s_w: int | Sequence[int] = 0,
    a_w: int | Sequence[int] = 0,
    partitions: int | None = None,
) -> list[HierarchicalBound]:
    """Every feasible (m_1, m_2) with one m_2 for all clusters, m_1 then m_2 increasing: the trade-off surface
    between the two communication loads and the computation load."""
    relays, sizes, sw, aw, top_1, top_2 = _surface(relays, workers, s_r, a_r, s_w, a_w)
    return [
        hierarchical_bound(relays, sizes, s_r=s_r, a_r=a_r, s_w=sw, a_w=aw, m_1=m1, m_2=m2, partitions=partitions)
        for m1 in range(1, top_1 + 1)
        for m2 in range(1, top_2 + 1)
    ]


def hierarchical_bound_for_load(
    relays: int,
    workers: int | Sequence[int],
    load: Fraction | str | int | float,
    *,
    s_r: int = 0,
    a_r: int = 0,
    s_w: int | Sequence[int] = 0,
    a_w: int | Sequence[int] = 0,
    partitions: int | None = None,
    private: int = 0,
) -> HierarchicalBound:
    """The best loads a worker holding the fraction ``load`` of the data (e.g. ``"3/5"``) can buy: the largest
    m_1 (the server's bandwidth first), then the largest m_2 (one for all clusters), whose minimum load fraction
    is at most ``load``. InputError when even m_1 = m_2 = 1 needs more.

    >>> b = hierarchical_bound_for_load(5, 10, "14/25", s_r=1, s_w=1, a_w=1)
    >>> (b.m_1, b.m_2[0]), b.min_load_fraction
    ((4, 2), 1/2)
    """
    target = parse_fraction(load)
    front = load_front(relays, workers, target, s_r=s_r, a_r=a_r, s_w=s_w, a_w=a_w, private=private)
    m_1, m_2, _ = front[-1]  # the largest m_1, then its largest m_2
    return hierarchical_bound(relays, workers, s_r=s_r, a_r=a_r, s_w=s_w, a_w=a_w, m_1=m_1, m_2=m_2,
                              partitions=partitions, private=private)


def load_front(
    relays: int,
    workers: int | Sequence[int],
    load: Fraction | str | int | float,
    *,
    s_r: int = 0,
    a_r: int = 0,
    s_w: int | Sequence[int] = 0,
    a_w: int | Sequence[int] = 0,
    private: int = 0,
) -> list[tuple[int, int, Fraction]]:
    """The Pareto front of :func:`hierarchical_tradeoff` below a computation load, without building the surface:
    ``(m_1, m_2, min load fraction)`` for each m_1 whose largest fitting m_2 is not dominated, by m_1.

    The minimum load fraction δ*(m_1, m_2) grows with r_1 = s_r + 2a_r + m_1 and with every r_2^(i) (a larger
    replication needs more data per worker), so the largest fitting m_2, M(m_1), falls as m_1 grows: one walk
    down the staircase finds every M(m_1) with O(top_1 + top_2) evaluations of δ*. The point (m_1, M(m_1)) has
    C1 = 1/m_1 and C2 = 1/(m_1 M(m_1)); a larger m_1' dominates it exactly when m_1'·M(m_1') ≥ m_1·M(m_1), and
    every (m_1, m_2 < M(m_1)) is dominated by (m_1, M(m_1)). ImpossibleParameters when even m_1 = m_2 = 1 needs
    more than ``load``.

    >>> load_front(5, 10, "14/25", s_r=1, s_w=1, a_w=1)
    [(3, 4, Fraction(14, 25)), (4, 2, Fraction(1, 2))]
    """
    target = parse_fraction(load)
    relays, sizes, sw, aw, top_1, top_2 = _surface(relays, workers, s_r, a_r, s_w, a_w, private)

    def fraction(m_1: int, m_2: int) -> Fraction:
        r_2 = [s + 2 * a + m_2 for s, a in zip(sw, aw, strict=True)]
        return min_load_fraction(s_r + 2 * a_r + m_1, sizes, r_2)

    least = fraction(1, 1)
    if least > target:
        raise ImpossibleParameters(
            f"infeasible: a computation load of {text(target)} is below the minimum {text(least)} that even "
            f"m_1 = m_2 = 1 needs"
        )
    staircase: list[tuple[int, int, Fraction]] = []
    m_2 = top_2
    for m_1 in range(1, top_1 + 1):
        while m_2 >= 1 and (value := fraction(m_1, m_2)) > target:
            m_2 -= 1
        if m_2 < 1:
            break
        staircase.append((m_1, m_2, value))
    front: list[tuple[int, int, Fraction]] = []
    best = 0
    for m_1, m_2, value in reversed(staircase):
        if m_1 * m_2 > best:
            front.append((m_1, m_2, value))
            best = m_1 * m_2
    return front[::-1]


def pareto_front(bounds: Sequence[HierarchicalBound]) -> list[HierarchicalBound]:
    """The points not dominated in both communication loads: no other point has C1 and every C2 at most as
    large, one of them smaller. Sorted by m_1."""
    def dominates(x: HierarchicalBound, y: HierarchicalBound) -> bool:
        pairs = [(x.relay_load, y.relay_load), *zip(x.worker_loads, y.worker_loads, strict=True)]
        return all(a <= b for a, b in pairs) and any(a < b for a, b in pairs)

    front = [b for b in bounds if not any(dominates(other, b) for other in bounds)]
    return sorted(front, key=lambda b: (b.m_1, b.m_2))


def parse_fraction(value: Fraction | str | int | float) -> Fraction:
    """An exact fraction from ``"3/5"``, ``"0.6"``, an int or a Fraction (floats through their decimal text)."""
    if isinstance(value, Fraction):
        result = value
    elif isinstance(value, bool):
        raise ImpossibleParameters(f"not a load fraction: {value!r}")
    elif isinstance(value, int):
        result = Fraction(value)
    else:
        try:
            result = Fraction(str(value).strip())
        except (ValueError, ZeroDivisionError):
            raise ImpossibleParameters(f"not a load fraction: {value!r} (use e.g. 3/5 or 0.6)") from None
    if not 0 < result <= 1:
        raise ImpossibleParameters(f"the computation load {text(result)} must be a fraction of the data in (0, 1]")
    return result
