"""The polynomial gradient code for any data placement (Jahani-Nezhad and Maddah-Ali, IEEE JSAIT 2021).

One layer: n senders (workers) at distinct points θ_0..θ_{n−1}, k inputs (partitions) with input j held by the
senders in H_j — any sets, uneven loads allowed —, tolerance (s, a) and communication reduction m, with
required replication r = s + 2a + m ≤ |H_j| for every j (so m ≤ r_min − s − 2a, r_min = min_j |H_j|). Let
D = n − r and

    Z_j(x) = Π_{w ∉ H_j} (x − θ_w) · Π_{t < |H_j| − r} (x − β_t)        (monic, degree D)
    p_j^(u)(x) = x^{D+u} − (x^{D+u} mod Z_j(x)) = Z_j(x) · Σ_{t=0}^{u} h_t(ρ_j) x^{u−t},   u = 0..m−1,

where ρ_j are the D roots of Z_j, h_t the complete homogeneous symmetric polynomials (the quotient of x^{D+u}
by Z_j is the polynomial part of x^u / Π_ρ (1 − ρ/x) = x^u Σ_t h_t x^{−t}), and β_t padding roots that are
not points (over the reals the Chebyshev extrema cos(tπ/n), which interleave the Chebyshev nodes; over GF(q) the
elements n, n+1, …, so q ≥ n + max_j |H_j| − r). The encoding is B[w, j·m+u] = p_j^(u)(θ_w), evaluated in this
product form (stable over the reals: no monomial coefficients are formed). Then:

* sender w only needs the inputs it holds: p_j^(u)(θ_w) = 0 when w ∉ H_j (an exact zero factor);
* P(x) = Σ_{j,u} p_j^(u)(x) g_j^(u) has degree ≤ D + m − 1 = n − s − 2a − 1, and since p_j^(u) = x^{D+u} +
  (terms of degree < D), its coefficient of x^{D+u} is Σ_j g_j^(u): the target;
* any n − s − 2a senders determine P (a Vandermonde system), and n − s senders with at most a errors determine
  it by Berlekamp–Welch.

So every worker sends ℓ/m symbols, and with m = r_min − s − 2a (``-m auto``) the message size is
1/(r_min − s − 2a) of a gradient: the optimum for the placement (:func:`gcli.bounds.tradeoff.placement_tradeoff`
states the converse). With H_j a cyclic window this is Ye and Abbe's recursion (ICML 2018;
:func:`gcli.constructions.reed_solomon`); the same layer, applied across relays and inside every cluster, is the
hierarchical code (:mod:`gcli.constructions.hierarchical_codes`), which therefore accepts arbitrary placements too.

Over the reals the decoding systems are Vandermonde matrices on Chebyshev points: exponentially ill-conditioned
in n − s − 2a (Gautschi 1975), so a code that float64 cannot decode within the tolerance is refused with its
condition number, like every exact construction (:func:`gcli.constructions._common.certified`).

Reference: T. Jahani-Nezhad, M. A. Maddah-Ali, "Optimal Communication-Computation Trade-Off in Heterogeneous
Gradient Coding", IEEE Journal on Selected Areas in Information Theory 2(3), 2021 (arXiv:2103.01589).

Example:
    >>> code = universal([[0, 1], [1, 2], [2, 3], [3, 0], [0, 1, 2, 3]], s=1, field="GF(11)")
    >>> code.m, code.construction["replication"], code.construction["checked"]["exhaustive"]
    (2, 3, True)
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from gcli.code import Code
from gcli.decoding.polynomial import evaluation_points, vanishing_encoding
from gcli.errors import ImpossibleParameters
from gcli.fields import Field, field_name, is_real

from ._common import certified, check_size, resolve_field

__all__ = ["layer_encoding", "padding_roots", "universal"]


def padding_roots(field: Field, n: int, count: int) -> np.ndarray:
    """``count`` field elements that are not among the n evaluation points of :func:`evaluation_points`."""
    if is_real(field):
        return np.cos(np.arange(count) * np.pi / n)  # Chebyshev extrema: never a Chebyshev node
    if field.order < n + count:
        raise ImpossibleParameters(
            f"{field_name(field)} is too small: a layer of {n} senders with partitions held {count} times more "
            f"than needed uses {n + count} distinct elements (choose q ≥ {n + count})"
        )
    return field(np.arange(n, n + count))


def layer_encoding(
    field: Field, points: np.ndarray, holders: Sequence[Sequence[int]], replication: int, m: int
) -> np.ndarray:
    """The n × (k·m) encoding B[w, j·m+u] = p_j^(u)(θ_w) of one polynomial layer (module docstring).

    ``holders[j]`` lists the senders holding input j (at least ``replication`` = s + 2a + m of them).

    >>> from gcli.fields import gf
    >>> layer_encoding(gf(7), gf(7)([0, 1, 2]), [[0, 1], [1, 2]], 2, 1).tolist()
    [[5, 0], [6, 1], [0, 2]]
    """
    real = is_real(field)
    pts = np.asarray(points, dtype=np.float64) if real else points
    n, k = len(pts), len(holders)
    if not 1 <= m <= replication <= n:
        raise ImpossibleParameters(f"need 1 ≤ m ≤ replication ≤ n (got m={m}, replication={replication}, n={n})")
    sets = [sorted(set(int(w) for w in held)) for held in holders]
    for j, held in enumerate(sets):
        if len(held) < replication:
            raise ImpossibleParameters(f"input {j} is held by {len(held)} senders, fewer than the {replication} needed")
    excess = max((len(h) - replication for h in sets), default=0)
    pool = np.concatenate([pts, padding_roots(field, n, excess)])  # index n + t is padding root β_t
    degree = n - replication
    index = np.zeros((k, degree), dtype=np.int64)
    for j, held in enumerate(sets):
        inside = set(held)
        index[j] = [w for w in range(n) if w not in inside] + list(range(n, n + len(held) - replication))
    return vanishing_encoding(field, pts, pool[index], m)  # pool[index]: (k, D) roots ρ_j of Z_j


def _reduction(m: str | int, optimum: int, witness: int, replication: int, s: int, a: int) -> int:
    """The communication reduction asked for: ``auto`` (or None) is the optimum r − s − 2a; an integer must lie
    in 1..optimum (ImpossibleParameters with the bound otherwise)."""
    if m is None or (isinstance(m, str) and m.strip().lower() == "auto"):
        return optimum
    if isinstance(m, bool) or not isinstance(m, int | np.integer | str):
        raise ImpossibleParameters(f"universal: m must be a positive integer or auto, got {str(m)[:40]!r}")
    try:
        value = int(m)
    except ValueError:
        raise ImpossibleParameters(f"universal: m must be a positive integer or auto, got {str(m)[:40]!r}") from None
    if value < 1:
        raise ImpossibleParameters(f"universal: m must be at least 1 (got m = {value})")
    if value > optimum:
        raise ImpossibleParameters(
            f"universal: m = {value} exceeds the optimum r − s − 2a = {replication} − {s} − {2 * a} = {optimum} of "
            f"this placement (partition {witness} is held by only r = {replication} workers): the message size "
            f"cannot go below 1/{optimum} of a gradient (use -m auto)")
    return value


def universal(
    placement: str | os.PathLike[str] | Sequence[Sequence[int]],
    s: int = 0,
    *,
    a: int = 0,
    m: str | int = "auto",
    k: int | None = None,
    field: str | Field = "real",
) -> Code:
    """Polynomial gradient code for any placement, with the optimal message size 1/(r − s − 2a).

    Worker w holds the partitions of row w of the placement (any sets, uneven loads allowed); r is the least
    number of workers holding a partition. Every worker sends l/m symbols with m = r − s − 2a by default, the
    least message size any scheme reaches on this placement (Jahani-Nezhad and Maddah-Ali, IEEE JSAIT 2021).
    Over GF(q) the code is exact for every n ≤ q (q ≥ n plus the largest excess replication); over the reals
    (Chebyshev points) a code that float64 cannot decode is refused with its condition number.

    Args:
        placement: a JSON file (or a list): rows of the partitions each worker holds, e.g. [[0, 1], [1, 2],
            [2, 0]], or an object {"placement": [...], "partitions": P}.
        s: stragglers tolerated.
        a: adversarial workers tolerated (each costs two stragglers' worth of replication).
        m: communication reduction (messages of length l/m), or auto = r - s - 2a, the optimum.
        k: partitions (default: the file's "partitions", else the largest partition held + 1).
        field: real (Chebyshev points) or GF(q) (points 0..n-1).

    References:
        T. Jahani-Nezhad, M. A. Maddah-Ali, "Optimal Communication-Computation Trade-Off in Heterogeneous
        Gradient Coding", IEEE JSAIT 2021.
    """
    from gcli.bounds.tradeoff import placement_tradeoff
    from gcli.io.limits import check
    from gcli.io.placements import placement_rows

    if isinstance(s, bool) or isinstance(a, bool) or s < 0 or a < 0:
        raise ImpossibleParameters(f"universal: s and a must be non-negative (s={s}, a={a})")
    rows, parts = placement_rows(placement, k, what="universal: partitions k")
    n = len(rows)
    check_size("universal", n=n, k=parts)
    if s + 2 * a >= n:
        raise ImpossibleParameters(f"universal: s + 2a = {s + 2 * a} must be smaller than n = {n}")
    bound = placement_tradeoff(rows, s, a, partitions=parts)
    red = _reduction(m, bound.m, bound.witness, bound.replication, s, a)
    check_size("universal", n=n, k=parts, m=red)
    needed = s + 2 * a + red
    holders: list[list[int]] = [[] for _ in range(parts)]
    for w, row in enumerate(rows):
        for j in row:
            holders[j].append(w)
    check("max_layer_work", parts * n * (n - needed), "universal: the products that build the encoding "
          "(partitions × workers × roots)")
    fld = resolve_field(field)  # after the size checks: a GF(q) field imports galois
    excess = max(len(h) for h in holders) - needed
    if is_real(fld):
        check("max_real_layer", n, "universal over the reals: workers n (use GF(q) for more)")
    elif fld.order < n + excess:
        raise ImpossibleParameters(
            f"{field_name(fld)} is too small: {n} workers need q ≥ n = {n} evaluation points"
            + (f", and partitions held {excess} times more than needed {excess} more elements (choose q ≥ "
               f"{n + excess})" if excess else ""))
    points = evaluation_points(fld, n)
    encoding = layer_encoding(fld, points, holders, needed, red)
    construction: dict[str, Any] = {
        "n": n, "k": parts, "s": s, "m": red, "a": a, "field": field_name(fld),
        "replication": bound.replication, "optimal_m": bound.m, "decoder": "polynomial", "dimension": n - s - 2 * a,
    }
    if is_real(fld):
        construction["points"] = "chebyshev"
    else:
        construction["evaluation_points"] = [int(x) for x in points]
    code = Code(scheme="universal", field=fld, n=n, k=parts, s=s, m=red, a=a, d=max(len(row) for row in rows),
                assignment=rows, encoding=encoding, construction=construction)
    return certified(code)
