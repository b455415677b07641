"""Fractional and cyclic repetition codes (Tandon, Lei, Dimakis, Karampatziakis, "Gradient Coding",
ICML 2017).

Both have k = n partitions, load d = s + 1 and m = 1: the optimum of the m = 1 trade-off d ≥ s + 1.
"""

from __future__ import annotations

import math

import numpy as np

from gcli.code import Code
from gcli.errors import InputError
from gcli.fields import Field, field_name, is_real
from gcli.verification import DEFAULT_BUDGET, verify

from ._common import check_basic, cyclic_windows, resolve_field, rng

__all__ = ["cyclic_repetition", "fractional_repetition"]


def fractional_repetition(
    n: int = 8, s: int = 2, *, k: int | None = None, field: str | Field = "real"
) -> Code:
    """Fractional repetition code (FRC): groups of s+1 workers share s+1 partitions.

    B = I_{n/(s+1)} ⊗ 1_{(s+1)×(s+1)}: worker i of group g holds partitions g(s+1), …, g(s+1)+s and sends
    their sum; the server adds one message from each group. Requires (s+1) | n. Works over any field (entries
    are 1).

    Args:
        n: workers (= partitions).
        s: stragglers tolerated; s + 1 must divide n.

    References:
        R. Tandon, Q. Lei, A. G. Dimakis, N. Karampatziakis, "Gradient Coding: Avoiding Stragglers in
        Distributed Learning", ICML 2017, §3 (arXiv:1612.03301).
    """
    fld = resolve_field(field)
    check_basic("frc", n, s, k)
    group = s + 1
    if n % group:
        raise InputError(
            f"frc needs (s+1) | n so workers split into groups of s+1: {group} does not divide {n}"
            " (try crc or reed-solomon)"
        )
    ones = np.kron(np.eye(n // group, dtype=np.int64), np.ones((group, group), dtype=np.int64))
    encoding = ones.astype(np.float64) if is_real(fld) else fld(ones)
    assignment = [tuple(range((i // group) * group, (i // group) * group + group)) for i in range(n)]
    return Code(
        scheme="frc",
        field=fld,
        n=n,
        k=n,
        s=s,
        m=1,
        a=0,
        d=group,
        assignment=assignment,
        encoding=encoding,
        construction={"n": n, "s": s, "field": field_name(fld)},
    )


def cyclic_repetition(
    n: int = 8, s: int = 2, *, k: int | None = None, field: str | Field = "real", seed: int = 0
) -> Code:
    """Cyclic repetition code (CRC): worker i holds partitions i, …, i+s (mod n).

    Over the reals (Tandon et al. 2017, Algorithm 2): draw H ∈ ℝ^{s×n} i.i.d. Gaussian from the seeded
    generator and set its last column to minus the sum of the others, so H·1 = 0. Row i of B has support
    S_i = {i, …, i+s},
    B[i,i] = 1 and B[i, S_i∖i] = −H_{:,S_i∖i}⁻¹ H_{:,i}, so H·b_iᵀ = 0. With probability 1 any n−s rows of B
    are independent and so span null(H) ∋ 1.

    Over GF(q) the Gaussian argument is not available, so rows are taken from the Reed–Solomon code
    C = {(f(α_0), …, f(α_{n−1})) : deg f ≤ n−s−1}, which contains 1 (f = 1): row i evaluates
    f_i(x) = Π_{j ∉ S_i}(x − α_j), of degree n−s−1, whose zeros put the support exactly on S_i. If n | q − 1
    the points are α_j = ω^j for an n-th root of unity ω, which makes C cyclic and B a row-scaled circulant
    (Raviv, Tamo, Tandon, Dimakis 2018); otherwise distinct points are drawn from the seeded generator. The
    guarantee is then made exact by certification: every (n−s)-subset of rows is checked to span 1 by exact
    elimination (when C(n, s) ≤ 10⁶), redrawing points (up to 64 times) until one passes. The construction
    block records the points and whether the code was certified.

    Args:
        n: workers (= partitions).
        s: stragglers tolerated.
        seed: seed of the generator (Gaussian H over the reals, evaluation points over GF(q)).

    References:
        R. Tandon et al., "Gradient Coding", ICML 2017 (arXiv:1612.03301); N. Raviv, I. Tamo, R. Tandon,
        A. G. Dimakis, "Gradient Coding from Cyclic MDS Codes and Expander Graphs", ICML 2018
        (arXiv:1707.03858).
    """
    fld = resolve_field(field)
    check_basic("crc", n, s, k)
    generator = rng(seed)
    windows = cyclic_windows(n, s + 1)
    construction: dict[str, object] = {"n": n, "s": s, "field": field_name(fld), "seed": seed}
    if is_real(fld):
        encoding = _tandon_real(n, s, generator)
        return Code(
            scheme="crc", field=fld, n=n, k=n, s=s, m=1, a=0, d=s + 1, assignment=windows,
            encoding=encoding, construction=construction,
        )
    if fld.order < n:
        raise InputError(f"crc over {field_name(fld)} needs q ≥ n distinct evaluation points (n={n})")
    certify = math.comb(n, s) <= DEFAULT_BUDGET
    candidates = []
    if (fld.order - 1) % n == 0:
        omega = fld.primitive_element ** ((fld.order - 1) // n)
        candidates.append(("cyclic", omega ** np.arange(n)))
    for _ in range(64):
        candidates.append(("random", fld(generator.choice(fld.order, size=n, replace=False))))
    for kind, points in candidates:
        encoding = _rs_rows(fld, points, windows)
        code = Code(
            scheme="crc", field=fld, n=n, k=n, s=s, m=1, a=0, d=s + 1, assignment=windows,
            encoding=encoding,
            construction={
                **construction,
                "points": kind,
                "evaluation_points": [int(x) for x in points],
                "certified": certify,
            },
        )
        if not certify or verify(code).decodable:
            return code
    raise InputError(
        f"crc over {field_name(fld)}: no evaluation points passed certification for n={n}, s={s}; "
        "use a larger field"
    )


def _tandon_real(n: int, s: int, generator: np.random.Generator) -> np.ndarray:
    b = np.zeros((n, n))
    if s == 0:
        return np.eye(n)
    h = generator.standard_normal((s, n))
    h[:, -1] = -h[:, :-1].sum(axis=1)
    for i in range(n):
        others = [(i + t) % n for t in range(1, s + 1)]
        b[i, i] = 1.0
        b[i, others] = -np.linalg.solve(h[:, others], h[:, i])
    return b


def _rs_rows(fld: type, points: np.ndarray, windows: tuple[tuple[int, ...], ...]) -> np.ndarray:
    """Row i = evaluations at all points of Π_{j ∉ S_i} (x − α_j)."""
    n = len(points)
    diff = points[None, :] - points[:, None]  # diff[j, c] = α_c − α_j
    rows = fld.Ones((n, n))
    for i, window in enumerate(windows):
        held = set(window)
        for j in range(n):
            if j not in held:
                rows[i] *= diff[j]
    return rows
