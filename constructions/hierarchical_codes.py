"""The two-layer polynomial scheme for hierarchical gradient coding with relays (model: :mod:`gcli.hierarchical.codes`).

Both layers are the same single-layer polynomial code for any placement,
:func:`gcli.constructions.universal_codes.layer_encoding` (the ``universal`` scheme; its module docstring has
the mathematics): n senders at distinct points, k inputs, input j held by the senders in H_j, tolerance (s, a),
reduction m ≤ min_j |H_j| − s − 2a; every sender evaluates a polynomial of degree < n − s − 2a whose top m
coefficients are the sums of the inputs, so any n − s − 2a senders (n − s with at most a liars, by
Berlekamp–Welch) give the sums, at load 1/m = 1/(r − s − 2a) (Jahani-Nezhad and Maddah-Ali, IEEE JSAIT 2021).

Two layers. The relay layer uses the K relay points, H_j = the clusters where partition j is available,
(s_r, a_r, m_1): relay i must deliver f_i = P_1(α_i) ∈ F^{ℓ/m_1}. Inside cluster i the relay's message is
f_i = Σ_{j∈A_i} h_ij with h_ij = Σ_u B1[i, j·m_1+u] g_j^(u), which any holder of j computes; the cluster layer
is the same code over the N_i worker points with the h_ij as inputs, H = the workers holding j, (s_w^(i),
a_w^(i), m_2^(i)): each worker sends one evaluation of length ℓ/(m_1·m_2^(i)) and any N_i − s_w − 2a_w of them
give f_i exactly. So both loads meet the optimum of :mod:`gcli.bounds.hierarchical` at once: a relay needs
only the ℓ/m_1 symbols it forwards, and its cluster computes exactly those.

Balanced placement (default): cluster i hosts c_i partitions, c_i = min(P, ⌊d·N_i/r_2^(i)⌋) for the least
feasible load d (:func:`gcli.bounds.hierarchical.min_integer_load`), trimmed to Σ c_i = P·r_1 by lowering the
most loaded clusters; partitions are dealt to clusters by McNaughton's wrap-around (cluster i takes the next
c_i partitions cyclically, so every partition lands in exactly r_1 clusters), and inside cluster i partition t
goes to the r_2^(i) consecutive workers t·r_2^(i), …, (mod N_i). Worker loads are ⌊c_i r_2^(i)/N_i⌋ or
⌈c_i r_2^(i)/N_i⌉ ≤ d, so the computation load meets its lower bound.

Private relays (``private=t``). The paper's second version ("Hierarchical Gradient Coding: From Optimal Design
to Privacy at Intermediate Nodes") describes privacy through randomness shared by the workers of a cluster that
the relay cannot cancel and the server removes; its exact construction is not available to gcli, so this is a
construction of ours that provably meets those properties (checked exhaustively by :mod:`gcli.verify` and by an
independent enumeration in the tests). Write P_1(x) = Σ_{j,u} p_j^(u)(x) g_j^(u) for the relay layer's
polynomial (degree ≤ D_1 + m_1 − 1, D_1 = K − s_r − 2a_r − m_1, Σ_j g_j in the coefficients of x^{D_1+u}) and
P_2^(i)(x) for cluster i's (degree ≤ D_2^(i) + m_2^(i) − 1, f_i = P_1(α_i) in its top m_2^(i) coefficients).
Draw, uniformly and independently of the data,

* one global Q(x) = Σ_{t<D_1} q_t x^t, q_t ∈ F^{ℓ/m_1};
* per cluster R_i(x) whose D_2^(i) low coefficients are uniform in F^{ℓ/(m_1 m_2^(i))} and whose top m_2^(i)
  coefficients are the m_2^(i) blocks of Q(α_i).

Worker w of cluster i sends P_2^(i)(θ_w) + R_i(θ_w) (the workers of a cluster share Q(α_i) and R_i's low
coefficients: a key per cluster, known to no relay). Then:

* *Decoding is unchanged.* P_2^(i) + R_i has the same degree bound, so any N_i − s_w − 2a_w workers (and
  Berlekamp–Welch with a_w liars) give its top coefficients f_i + Q(α_i) = (P_1 + Q)(α_i), which relay i
  forwards; P_1 + Q has the same degree bound as P_1 and the same coefficients of x^{D_1+u} (deg Q < D_1), so any
  K − s_r − 2a_r relays (Berlekamp–Welch with a_r liars) give Σ_j g_j. Message sizes and hence the loads C_1,
  C_2 are those of the non-private code.
* *Relay i learns nothing* when D_1 ≥ 1: its view is the evaluations of P_2^(i) + R_i, a function of that
  polynomial's coefficient vector, whose low part is uniform (R_i's low coefficients) and whose top part is
  f_i + Q(α_i) with Q(α_i) = q_0 + α_i q_1 + … uniform: the coefficient vector, hence the view, is uniform
  whatever g is. For t ≤ D_1 colluding relays the top parts Q(α_{i_1}), …, Q(α_{i_t}) are jointly uniform
  (a t × D_1 Vandermonde matrix on distinct points has rank t) and the low parts are independent: private
  against any t colluding relays. The server sees (P_1 + Q)(α_i) for K − s_r relays: only P_1 + Q's top
  coefficients, the sum, are free of Q.
* D_1 = 0 (m_1 = K − s_r − 2a_r) cannot be private: then relay messages are a function of Σ_j g_j alone with
  full entropy (:mod:`gcli.bounds.hierarchical`, "Private relays"), so ``private`` needs m_1 ≤ K − t − s_r − 2a_r;
  with a placement whose r_1 exceeds that, m_1 is lowered to the cap.
* What the model does not cover: a worker knows its cluster's key, so a relay colluding with one of its workers
  learns f_i + Q(α_i) − Q(α_i) = f_i; lying workers are tolerated (decoding) but assumed not to collude with
  the relay. Randomness exists over GF(q) only: over the reals ``private`` is refused.

The file records the randomness as a general linear model (:mod:`gcli.hierarchical.codes`): the random symbols z
(the coefficients of Q and the low coefficients of every R_i, cut into blocks of length ℓ/(m_1·lcm m_2)) and,
per worker, the matrix taking z to its mask, and per relay the mask its cluster must deliver; ``gcli verify``
checks decodability and privacy on those matrices, not on this argument.

References: A. Gholami, T. Jahani-Nezhad, K. Wan, G. Caire, "Optimal Communication-Computation Trade-off in
Hierarchical Gradient Coding", arXiv 2502.18251 (2025) — whose scheme is reported, not reproduced, here;
T. Jahani-Nezhad, M. A. Maddah-Ali, IEEE JSAIT 2021; M. Ye, E. Abbe, ICML 2018; R. McNaughton, "Scheduling with
deadlines and loss functions", Management Science 6 (1959).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from gcli.bounds.hierarchical import (
    cluster_capacities,
    hierarchical_bound,
    hierarchical_bound_for_load,
    min_integer_load,
    min_load_fraction,
    per_cluster,
    private_m1_cap,
)
from gcli.decoding.polynomial import evaluation_points
from gcli.errors import ImpossibleParameters, InputError, NotSupported
from gcli.fields import Field, field_name, is_real
from gcli.hierarchical.codes import HierarchicalCode, Placement, available, normalise_placement, placement_replication
from gcli.io.limits import check, check_entries
from gcli.io.placements import read_placement as read_rows

from ._common import certified, resolve_field
from .universal_codes import layer_encoding

__all__ = ["balanced_placement", "hierarchical", "layer_encoding", "private_randomness", "read_placement"]

_PARTITION_SEARCH = 16  # default P: search up to 16·Σ N_i for a P whose balanced placement meets δ* exactly


def balanced_placement(partitions: int, r_1: int, cluster_sizes: Sequence[int], r_2: Sequence[int]) -> Placement:
    """The balanced placement of the module docstring: every partition in exactly r_1 clusters and on exactly
    r_2^(i) workers of each of them, with the least possible largest load.

    >>> balanced_placement(3, 2, [2, 2, 2], [1, 1, 1])
    (((0,), (1,)), ((2,), (0,)), ((1,), (2,)))
    """
    sizes = list(cluster_sizes)
    if partitions * r_1 < len(sizes):
        raise ImpossibleParameters(
            f"P·r_1 = {partitions * r_1} < K = {len(sizes)}: with so few partitions some cluster would hold none "
            f"(use at least {-(-len(sizes) // r_1)} partitions)"
        )
    load = min_integer_load(partitions, r_1, sizes, r_2)
    counts = cluster_capacities(partitions, load, sizes, r_2)
    excess = sum(counts) - partitions * r_1
    while excess > 0:  # lower the most loaded cluster that keeps at least one partition
        i = max((i for i in range(len(sizes)) if counts[i] > 1),
                key=lambda i: (Fraction(counts[i] * r_2[i], sizes[i]), i))
        counts[i] -= 1
        excess -= 1
    placement: list[tuple[tuple[int, ...], ...]] = []
    start = 0
    for i, size in enumerate(sizes):
        hosted = [(start + t) % partitions for t in range(counts[i])]
        start += counts[i]
        rows: list[list[int]] = [[] for _ in range(size)]
        for t, j in enumerate(hosted):
            for e in range(r_2[i]):
                rows[(t * r_2[i] + e) % size].append(j)
        placement.append(tuple(tuple(sorted(row)) for row in rows))
    return tuple(placement)


def default_partitions(r_1: int, cluster_sizes: Sequence[int], r_2: Sequence[int]) -> int:
    """The least P whose balanced placement meets the minimum load fraction exactly (d = P·δ*; P must be a
    multiple of δ*'s denominator), searched up to 16·Σ N_i; otherwise the P ≤ 4·Σ N_i with the smallest d/P.
    With equal clusters this is lcm(K / gcd(K, r_1), K·N / gcd(K·N, r_1·r_2)) ≤ K·N."""
    k, total = len(cluster_sizes), sum(cluster_sizes)
    target = min_load_fraction(r_1, cluster_sizes, r_2)
    for p in range(target.denominator, _PARTITION_SEARCH * total + 1, target.denominator):
        if p * r_1 >= k and Fraction(min_integer_load(p, r_1, cluster_sizes, r_2), p) == target:
            return p
    candidates = range(-(-k // r_1), 4 * total + 1)
    return min(candidates, key=lambda p: (Fraction(min_integer_load(p, r_1, cluster_sizes, r_2), p), p))


def read_placement(source: str | os.PathLike[str] | Any) -> tuple[Any, int | None]:
    """A placement from a JSON file (or an already parsed value): either a list (clusters → workers → partitions)
    or an object ``{"placement": [...], "partitions": P}``. Returns (placement, P or None)
    (:func:`gcli.io.placements.read_placement`: sizes, depth and entries bounded)."""
    return read_rows(source, depth=3)


def _check_layers(sizes: Sequence[int], partitions: int, m_1: int, m_2: Sequence[int],
                  avail: Sequence[Sequence[int]]) -> None:
    """Refuse, before any layer is built, a placement whose layers exceed the limits of :mod:`gcli.io.limits`:
    K relays and Σ N_i workers within ``max_workers``; the relay layer's encoding K × P·m_1 and every cluster's
    N_i × |A_i|·m_2^(i) within ``max_dense_entries``, and so their decoding systems K × K and N_i × N_i (the layers
    are dense codes, as :func:`gcli.constructions._common.check_size` requires of every dense code)."""
    k = len(sizes)
    check("max_workers", k, "hierarchical: relays K")
    check("max_workers", sum(sizes), "hierarchical: workers (all clusters)")
    check_entries(k, partitions * m_1, "hierarchical: the relay layer's encoding")
    check_entries(k, k, "hierarchical: the relay layer's decoding systems (K × K)")
    for i, size in enumerate(sizes):
        check_entries(size, len(avail[i]) * m_2[i], f"hierarchical: cluster {i}'s encoding")
        check_entries(size, size, f"hierarchical: cluster {i}'s decoding systems (N × N)")
    check("max_dense_entries", sum(n * len(a) * m for n, a, m in zip(sizes, avail, m_2, strict=True)),
          "hierarchical: the entries of all cluster encodings")


def _witness_clusters(placement: Placement, partitions: int) -> int:
    """A partition available in the fewest clusters."""
    counts = [0] * partitions
    for j_set in available(placement):
        for j in j_set:
            counts[j] += 1
    return min(range(partitions), key=lambda j: counts[j])


def _witness_workers(cluster: tuple[tuple[int, ...], ...]) -> int:
    """A partition of the cluster held by the fewest of its workers."""
    counts: dict[int, int] = {}
    for row in cluster:
        for j in row:
            counts[j] = counts.get(j, 0) + 1
    return min(sorted(counts), key=lambda j: counts[j])


def _factors_from_placement(
    placement: Placement, partitions: int, s_r: int, a_r: int, s_w: tuple[int, ...], a_w: tuple[int, ...],
    m_1: int | None, m_2: tuple[int, ...] | None, cap_1: int | None = None,
) -> tuple[int, tuple[int, ...]]:
    """m_1 = r_1 − s_r − 2a_r and m_2^(i) = r_2^(i) − s_w − 2a_w of a given placement; InputError with the reason
    when the placement violates the model or the requested factors differ from what it gives. ``cap_1``: the
    largest m_1 allowed (private relays: K − t − s_r − 2a_r)."""
    r_1, r_2 = placement_replication(placement, partitions)
    best_1 = r_1 - s_r - 2 * a_r
    if cap_1 is not None and best_1 > cap_1 >= 1:
        best_1 = cap_1
    if best_1 < 1:
        j = _witness_clusters(placement, partitions)
        raise ImpossibleParameters(
            f"the placement violates the model: partition {j} is available in only r_1 = {r_1} clusters, but "
            f"s_r + 2a_r + m_1 ≥ {s_r + 2 * a_r + 1} are needed (s_r = {s_r}, a_r = {a_r}, m_1 ≥ 1)"
        )
    if m_1 is not None and m_1 != best_1:
        j = _witness_clusters(placement, partitions)
        raise ImpossibleParameters(
            f"the placement gives m_1 = r_1 − s_r − 2a_r = {best_1} (partition {j} is in r_1 = {r_1} clusters), "
            f"not the requested m_1 = {m_1}: omit --m1 to use the placement's optimum"
            + ("" if cap_1 is None else f" (private relays: at most K - t - s_r - 2a_r = {cap_1})")
        )
    out_2: list[int] = []
    for i, cluster in enumerate(placement):
        best = r_2[i] - s_w[i] - 2 * a_w[i]
        if best < 1:
            j = _witness_workers(cluster)
            raise ImpossibleParameters(
                f"the placement violates the model in cluster {i}: partition {j} is held by only r_2 = {r_2[i]} of "
                f"its workers, but s_w + 2a_w + m_2 ≥ {s_w[i] + 2 * a_w[i] + 1} are needed "
                f"(s_w = {s_w[i]}, a_w = {a_w[i]}, m_2 ≥ 1)"
            )
        if m_2 is not None and m_2[i] != best:
            raise ImpossibleParameters(
                f"in cluster {i} the placement gives m_2 = r_2 − s_w − 2a_w = {best} (r_2 = {r_2[i]}), not the "
                f"requested m_2 = {m_2[i]}: omit --m2 to use the placement's optimum"
            )
        out_2.append(best)
    return best_1, tuple(out_2)


def hierarchical(
    relays: int | None = None,
    workers: int | Sequence[int] | None = None,
    *,
    s_r: int = 0,
    a_r: int = 0,
    s_w: int | Sequence[int] = 0,
    a_w: int | Sequence[int] = 0,
    m_1: int | None = None,
    m_2: int | Sequence[int] | None = None,
    load: str | Fraction | None = None,
    partitions: int | None = None,
    placement: Any = None,
    field: str | Field = "real",
    private: bool | int = False,
) -> HierarchicalCode:
    """Two-layer polynomial hierarchical gradient code meeting C_1 = 1/m_1 and C_2^(i) = 1/(m_1·m_2^(i)).

    Args:
        relays: K relays (taken from the placement when one is given).
        workers: N workers per cluster, or one size per cluster (e.g. [5, 5, 6]).
        s_r, a_r: straggling and adversarial relays tolerated.
        s_w, a_w: straggling and adversarial workers tolerated per cluster (one value, or one per cluster).
        m_1, m_2: reduction factors (m_2 per cluster allowed); default 1, or what the placement gives.
        load: instead of m_1, m_2: the fraction of the data a worker may hold (e.g. "3/5"); the largest m_1, then
            the largest m_2 that fit are used.
        partitions: P (default: the least P whose balanced placement meets the minimum load exactly).
        placement: clusters → workers → partitions (a list, or a JSON file path; see :func:`read_placement`),
            validated against the model; default the balanced placement.
        field: real (Chebyshev points) or GF(q) with q at least the largest layer (points 0, 1, …).
        private: relays learn nothing about the partial gradients, also when ``private`` (an integer t; True
            means 1) of them collude (module docstring, "Private relays"); GF(q) only, m_1 ≤ K − t − s_r − 2a_r.

    >>> code = hierarchical(5, 10, s_r=1, s_w=1, a_w=1, m_1=3, m_2=4, field="GF(65537)")
    >>> code.partitions, code.load, code.replication()
    (25, 14, (4, (7, 7, 7, 7, 7)))
    """
    colluding = int(private)
    if colluding < 0:
        raise ImpossibleParameters(f"private: the number of colluding relays must be non-negative (got {colluding})")
    given_parts: int | None = None
    if placement is not None:
        raw, given_parts = read_placement(placement)
        if load is not None:
            raise ImpossibleParameters("give either a placement or a load, not both (the placement fixes the load)")
        if partitions is not None and given_parts is not None and partitions != given_parts:
            raise ImpossibleParameters(f"the placement file says P = {given_parts} partitions, not {partitions}")
        if isinstance(raw, list) and all(isinstance(cluster, list) for cluster in raw):  # before a loop over it
            check("max_workers", len(raw), "hierarchical: relays K (clusters of the placement)")
            check_entries(len(raw), len(raw), "hierarchical: the relay layer's decoding systems (K × K)")
            for i, cluster in enumerate(raw):
                check_entries(len(cluster), len(cluster), f"hierarchical: cluster {i}'s decoding systems (N × N)")
        parts = partitions or given_parts
        if parts is None:
            parts = 1 + max((int(j) for c in raw for row in c for j in row
                             if isinstance(j, int | np.integer) and not isinstance(j, bool)), default=-1)
        if parts < 1:
            raise ImpossibleParameters("the placement holds no partition")
        placed = normalise_placement(raw, parts)
        sizes = tuple(len(cluster) for cluster in placed)
        if relays is not None and relays != len(sizes):
            raise ImpossibleParameters(f"the placement has {len(sizes)} clusters, but --relays says K = {relays}")
        if workers is not None and per_cluster("cluster sizes", workers, len(sizes)) != sizes:
            raise ImpossibleParameters(
                f"the placement has clusters of {','.join(map(str, sizes))} workers, not "
                f"{','.join(map(str, per_cluster('cluster sizes', workers, len(sizes))))}"
            )
        k = len(sizes)
        sw, aw = per_cluster("s_w", s_w, k), per_cluster("a_w", a_w, k)
        hierarchical_bound(k, sizes, s_r=s_r, a_r=a_r, s_w=sw, a_w=aw, private=colluding)  # the model's checks
        want_2 = None if m_2 is None else per_cluster("m_2", m_2, k)
        cap = private_m1_cap(k, s_r, a_r, colluding) if colluding else None
        m1, m2 = _factors_from_placement(placed, parts, s_r, a_r, sw, aw, m_1, want_2, cap)
        _check_layers(sizes, parts, m1, m2, available(placed))
        kind = "given"
    else:
        if relays is None or workers is None:
            raise ImpossibleParameters("give the relays K and the workers (N, or one size per cluster), or a placement")
        k = int(relays)
        if k < 1:
            raise ImpossibleParameters(f"need at least one relay (K = {k})")
        check("max_workers", k, "hierarchical: relays K")
        sizes = per_cluster("cluster sizes", workers, k)
        check("max_workers", sum(sizes), "hierarchical: workers (all clusters)")
        sw, aw = per_cluster("s_w", s_w, k), per_cluster("a_w", a_w, k)
        if load is not None:
            if m_1 is not None or m_2 is not None:
                raise ImpossibleParameters("give either --m1/--m2 or --load-fraction, not both")
            chosen = hierarchical_bound_for_load(k, sizes, load, s_r=s_r, a_r=a_r, s_w=sw, a_w=aw, private=colluding)
            m1, m2 = chosen.m_1, chosen.m_2
        else:
            m1 = 1 if m_1 is None else int(m_1)
            m2 = per_cluster("m_2", 1 if m_2 is None else m_2, k)
        bound = hierarchical_bound(k, sizes, s_r=s_r, a_r=a_r, s_w=sw, a_w=aw, m_1=m1, m_2=m2, private=colluding)
        parts = partitions if partitions is not None else default_partitions(bound.r_1, sizes, bound.r_2)
        if parts < 1:
            raise ImpossibleParameters(f"need at least one partition (P = {parts})")
        check("max_workers", parts, "hierarchical: partitions P")
        check_entries(k, parts * m1, "hierarchical: the relay layer's encoding")
        check_entries(sum(sizes), parts * max(m2), "hierarchical: the worker layers' encodings")
        placed = balanced_placement(parts, bound.r_1, sizes, bound.r_2)
        kind = "balanced"
    r1_req = s_r + 2 * a_r + m1
    avail = available(placed)
    work = parts * k * (k - r1_req) + sum(len(avail[i]) * sizes[i] * (sizes[i] - sw[i] - 2 * aw[i] - m2[i])
                                          for i in range(k))
    check("max_layer_work", work, "hierarchical: the products that build the layers (Σ inputs × senders × roots)")
    fld = resolve_field(field)  # after the size checks: a GF(q) field imports galois
    if colluding and is_real(fld):
        raise NotSupported("private relays need GF(q): information-theoretic privacy uses uniform random masks, which "
                           "do not exist over the reals, and finite-precision masks leak")
    widest = max(k, *sizes)
    if is_real(fld):
        check("max_real_layer", widest, "hierarchical over the reals: the senders of the widest layer (use GF(q) "
              "for more)")
    if not is_real(fld) and fld.order < widest:
        raise ImpossibleParameters(
            f"{field_name(fld)} is too small: a layer of {widest} senders needs q ≥ {widest} distinct "
            "evaluation points")
    relay_points = evaluation_points(fld, k)
    outer = layer_encoding(fld, relay_points, [[i for i in range(k) if j in set(avail[i])] for j in range(parts)],
                           r1_req, m1)
    worker_points, inner = [], []
    for i in range(k):
        points = evaluation_points(fld, sizes[i])
        holders = [[w for w, row in enumerate(placed[i]) if j in row] for j in avail[i]]
        inner.append(layer_encoding(fld, points, holders, sw[i] + 2 * aw[i] + m2[i], m2[i]))
        worker_points.append(points)
    construction: dict[str, Any] = {
        "relays": k, "cluster_sizes": list(sizes), "partitions": parts, "s_r": s_r, "a_r": a_r, "s_w": list(sw),
        "a_w": list(aw), "m_1": m1, "m_2": list(m2), "placement": kind, "field": field_name(fld),
        "points": "chebyshev" if is_real(fld) else "0..n-1",
    }
    if load is not None:
        construction["load"] = str(load)
    hcode = HierarchicalCode(
        field=fld, cluster_sizes=sizes, partitions=parts, placement=placed, s_r=s_r, a_r=a_r, s_w=sw, a_w=aw,
        m_1=m1, m_2=tuple(m2), relay_points=relay_points, worker_points=tuple(worker_points),
        relay_encoding=outer, cluster_encodings=tuple(inner), construction=construction,
    )
    checked = _certify_layers(hcode)
    if colluding:
        construction["private_relays"] = colluding
        hcode = dataclasses.replace(hcode, **private_randomness(hcode), private_relays=colluding)
    return dataclasses.replace(hcode, construction={**construction, "checked": checked})


def _powers(fld: Field, points: np.ndarray, count: int) -> np.ndarray:
    """x^c for every point x and c < count: shape (len(points), count) over the field."""
    out = fld.Ones((len(points), count))
    for c in range(1, count):
        out[:, c] = out[:, c - 1] * points
    return out


def private_randomness(hcode: HierarchicalCode) -> dict[str, Any]:
    """The masks of the private construction (module docstring, "Private relays") as the linear model of
    :mod:`gcli.hierarchical.codes`: with L = lcm m_2, W_i = L/m_2^(i), D_1 = K − s_r − 2a_r − m_1 and
    D_2^(i) = N_i − s_w − 2a_w − m_2^(i), the symbols are z[t·L + b] = block b of q_t (t < D_1, b < L), then per
    cluster z[o_i + c·W_i + e] = block e of R_i's coefficient c (c < D_2^(i), e < W_i). Relay i's mask row b is
    Σ_t α_i^t z[t·L + b] (block b of Q(α_i)); row w·W_i + e of cluster i's worker masks is
    Σ_c θ_w^c z[o_i + c·W_i + e] + Σ_v θ_w^{D_2+v} Σ_t α_i^t z[t·L + v·W_i + e].

    >>> code = hierarchical(3, 3, s_w=1, field="GF(5)", private=True)
    >>> code.random_symbols, code.relay_masks.shape, [m.shape for m in code.worker_masks]
    (5, (3, 5), [(3, 5), (3, 5), (3, 5)])
    """
    fld = hcode.field
    k, big_l, m_1 = hcode.relays, hcode.mask_blocks(), hcode.m_1
    d_1 = k - hcode.s_r - 2 * hcode.a_r - m_1
    d_2 = [n - s - 2 * a - m for n, s, a, m in zip(hcode.cluster_sizes, hcode.s_w, hcode.a_w, hcode.m_2, strict=True)]
    widths = [big_l // m for m in hcode.m_2]
    offsets, total = [], d_1 * big_l
    for i in range(k):
        offsets.append(total)
        total += d_2[i] * widths[i]
    check_entries(k * big_l + sum(n * w for n, w in zip(hcode.cluster_sizes, widths, strict=True)), total,
                  "hierarchical: the masks of the private code")
    alpha_pows = np.asarray(_powers(fld, hcode.relay_points, d_1).view(np.ndarray))  # (K, D_1): α_i^t
    relay = np.zeros((k * big_l, total), dtype=np.int64)
    b_idx, t_idx = np.arange(big_l), np.arange(d_1)
    workers = []
    for i in range(k):
        relay[i * big_l + b_idx[:, None], t_idx[None, :] * big_l + b_idx[:, None]] = alpha_pows[i][None, :]
        width, m_2, n_i = widths[i], hcode.m_2[i], hcode.cluster_sizes[i]
        theta_pows = _powers(fld, hcode.worker_points[i], d_2[i] + m_2)  # (N_i, D_2 + m_2): θ_w^c
        # top coefficient v times α_i^t: θ_w^{D_2+v}·α_i^t, shape (N_i, m_2, D_1)
        top = np.asarray((theta_pows[:, d_2[i]:, None] * fld(alpha_pows[i])[None, None, :]).view(np.ndarray))
        low = np.asarray(theta_pows[:, :d_2[i]].view(np.ndarray))
        mask = np.zeros((n_i * width, total), dtype=np.int64)
        w_idx, e_idx = np.arange(n_i), np.arange(width)
        rows = w_idx[:, None] * width + e_idx[None, :]  # (N_i, W)
        c_idx = np.arange(d_2[i])
        mask[rows[:, :, None], offsets[i] + c_idx[None, None, :] * width + e_idx[None, :, None]] = low[:, None, :]
        v_idx = np.arange(m_2)
        # distinct (t, v, e) give distinct columns t·L + v·W + e: assignment, no accumulation needed
        mask[rows[:, :, None, None], t_idx[None, None, None, :] * big_l + v_idx[None, None, :, None] * width
             + e_idx[None, :, None, None]] = top[:, None, :, :]
        workers.append(fld(mask))
    relay = fld(relay)
    return {"random_symbols": total, "relay_masks": relay, "worker_masks": tuple(workers)}


def _certify_layers(hcode: HierarchicalCode) -> dict[str, Any]:
    """The promise of every exact construction (:func:`gcli.constructions._common.certified`), layer by layer: each
    layer is verified before the code is returned (exhaustively when that is cheap, else a seeded sample), and a
    layer that float64 cannot decode is refused with its condition number."""
    checks: dict[str, Any] = {}
    layers = [("relays", hcode.outer)] + [(f"cluster {i}", code) for i, code in enumerate(hcode.inner)]
    for name, layer in layers:
        try:
            checks.setdefault("clusters" if name != "relays" else "relays", [] if name != "relays" else None)
            checked = certified(layer, check=True).construction["checked"]
        except InputError as exc:
            raise ImpossibleParameters(f"hierarchical code, {name}: {exc}") from None
        if name == "relays":
            checks["relays"] = checked
        else:
            checks["clusters"].append(checked)
    return checks
