"""Fractional and cyclic repetition codes (Tandon, Lei, Dimakis, Karampatziakis, "Gradient Coding",
ICML 2017), m = 1.

Each partition is held by s + 1 workers and the load d = ⌈k(s+1)/n⌉ is the optimum of the m = 1 trade-off
(d = s + 1 when k = n).

Example:
    >>> fractional_repetition(6, 2).encoding.tolist()[0]
    [1.0, 1.0, 1.0, 0.0, 0.0, 0.0]
    >>> c = cyclic_repetition(8, 2)          # real Fourier code: worst κ 14.85 (Tandon's seed-0 draw: 3.45e4)
    >>> (c.construction["code"], c.construction["checked"]["worst_condition_number"] < 20)
    ('fourier', True)
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from gcli.code import Code
from gcli.errors import ImpossibleParameters, NotSupported
from gcli.fields import Field, field_name, is_real

from ._common import certified, check_basic, cyclic_windows, resolve_field, rng
from .linear_codes import cyclic_code
from .polynomial_codes import polynomial_code

__all__ = ["cyclic_repetition", "fractional_repetition"]


def fractional_repetition(
    n: int = 8, s: int = 2, *, k: int | None = None, field: str | Field = "real"
) -> Code:
    """Fractional repetition code (FRC): groups of s+1 workers share the same partitions.

    B = I_{n/(s+1)} ⊗ 1_{(s+1)×(k(s+1)/n)}: the n/(s+1) groups of s+1 workers each hold k(s+1)/n partitions
    and every worker sends their sum; the server adds one message from each group. Requires (s+1) | n and
    (with k ≠ n) k a multiple of n/(s+1). Works over any field (entries are 1).

    Args:
        n: workers.
        s: stragglers tolerated; s + 1 must divide n.
        k: data partitions (default n; a multiple of the n/(s+1) groups).

    References:
        R. Tandon, Q. Lei, A. G. Dimakis, N. Karampatziakis, "Gradient Coding: Avoiding Stragglers in
        Distributed Learning", ICML 2017, §3 (arXiv:1612.03301).
    """
    fld = resolve_field(field)
    k = check_basic("frc", n, s, k, any_k=True)
    group = s + 1
    if n % group:
        raise ImpossibleParameters(
            f"frc needs (s+1) | n so workers split into groups of s+1: {group} does not divide {n}"
            " (try crc or reed-solomon)"
        )
    groups = n // group
    if k % groups:
        raise ImpossibleParameters(f"frc: k = {k} must be a multiple of the n/(s+1) = {groups} groups")
    per = k // groups
    ones = np.kron(np.eye(groups, dtype=np.int64), np.ones((group, per), dtype=np.int64))
    encoding = ones.astype(np.float64) if is_real(fld) else fld(ones)
    assignment = [tuple(range((i // group) * per, (i // group + 1) * per)) for i in range(n)]
    code = Code(
        scheme="frc",
        field=fld,
        n=n,
        k=k,
        s=s,
        m=1,
        a=0,
        d=per,
        assignment=assignment,
        encoding=encoding,
        construction={"n": n, "k": k, "s": s, "field": field_name(fld)},
    )
    return certified(code)


def cyclic_repetition(
    n: int = 8,
    s: int = 2,
    *,
    k: int | None = None,
    field: str | Field = "real",
    code: Literal["auto", "fourier", "gaussian", "reed-solomon"] = "auto",
    seed: int = 0,
) -> Code:
    """Cyclic repetition code (CRC): each partition on s+1 cyclically consecutive workers (k = n: worker i
    holds partitions i, …, i+s), any n.

    fourier (reals, the default): the real form of the cyclic MDS codes of Raviv et al. B = V·C, V the n × (n−s)
    real Fourier matrix (a Haar system, so every n−s rows are invertible), column j of B the unique
    combination vanishing at the workers without j, scaled by a balanced readout; when n − s is odd this is
    the transposed circulant of the real cyclic MDS code with consecutive zeros, otherwise (no real cyclic
    code exists then) a negacyclic Fourier basis with a seeded best-of-draws readout. gaussian (reals, k = n):
    the random construction of Tandon et al. (Algorithm 2): H ∈ ℝ^{s×n} i.i.d. Gaussian with H·1 = 0, row i of
    B supported on {i, …, i+s} with H·b_iᵀ = 0. reed-solomon (GF(q), the default there; Chebyshev points over
    the reals): the Reed–Solomon gradient code of Halbawi et al., on the n-th roots of unity when n | q − 1
    (then cyclic) and on 0..n−1 otherwise; works whenever q ≥ n. Every code is verified before it is returned
    and its worst condition number recorded.

    Args:
        n: workers.
        s: stragglers tolerated.
        k: data partitions (default n).
        code: fourier (reals), gaussian (reals, Tandon et al.), reed-solomon (any field), or auto.
        seed: seed of the readout search (fourier) or of H (gaussian).

    References:
        R. Tandon et al., "Gradient Coding", ICML 2017 (arXiv:1612.03301); N. Raviv, I. Tamo, R. Tandon,
        A. G. Dimakis, "Gradient Coding from Cyclic MDS Codes and Expander Graphs", ICML 2018
        (arXiv:1707.03858); W. Halbawi et al., ISIT 2018 (arXiv:1706.05436).
    """
    fld = resolve_field(field)
    real = is_real(fld)
    if code == "auto":
        code = "fourier" if real else "reed-solomon"
    k = check_basic("crc", n, s, k, any_k=code != "gaussian")
    if code == "fourier":
        if not real:
            raise NotSupported("crc: --code fourier is a real code (use reed-solomon over GF(q))")
        built = cyclic_code("crc", n, s, d=s + 1, m=1, a=0, k=k, field=fld, family="fourier", seed=seed)
        built = _relabel(built, "fourier")
    elif code == "gaussian":
        if not real:
            raise NotSupported("crc: --code gaussian is a real code (use reed-solomon over GF(q))")
        built = Code(
            scheme="crc", field=fld, n=n, k=n, s=s, m=1, a=0, d=s + 1, assignment=cyclic_windows(n, s + 1),
            encoding=_tandon_real(n, s, rng(seed)),
            construction={"n": n, "k": n, "s": s, "field": field_name(fld), "code": "gaussian", "seed": seed},
        )
    elif code == "reed-solomon":
        theta = None
        extra: dict[str, object] = {"code": "reed-solomon"}
        if not real:
            if fld.order < n:
                raise ImpossibleParameters(f"crc over {field_name(fld)} needs q ≥ n distinct evaluation points (n={n})")
            if (fld.order - 1) % n == 0:
                omega = fld.primitive_element ** ((fld.order - 1) // n)
                theta = omega ** np.arange(n)
                extra["points"] = "cyclic"
            else:
                extra["points"] = "distinct"
        built = polynomial_code("crc", n, s, m=1, a=0, k=k, field=fld, theta=theta, extra=extra)
    else:
        raise NotSupported(f"crc: unknown code {code!r}: use auto, fourier, gaussian or reed-solomon")
    return certified(built, seed=seed)


def _relabel(built: Code, family: str) -> Code:
    """Record the crc family name in the construction block."""
    construction = {"code": family, **dict(built.construction)}
    return Code(
        scheme=built.scheme, field=built.field, n=built.n, k=built.k, s=built.s, m=built.m, a=built.a,
        d=built.d, assignment=built.assignment, encoding=built.encoding, construction=construction,
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
