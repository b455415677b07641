"""Gradient codes from any linear code: the Kadhe–Koyluoglu–Ramchandran framework (ISIT 2020).

A linear [d, m, δ] code with generator G (m × d, full row rank) over the reals or GF(q) gives a gradient code
whose *block length* d is the replication of every partition (the computation load when k = n), whose
*dimension* m is the communication reduction (each worker sends ℓ/m symbols) and whose *minimum distance* δ
sets the straggler tolerance s = δ − 1 (s = δ − 1 − 2a with a adversaries). Singleton's bound δ ≤ d − m + 1
gives d ≥ s + 2a + m, met with equality exactly by MDS codes, which therefore reach the optimal trade-off of
Ye & Abbe; a non-MDS code (a binary BCH code, say) is accepted and reports the smaller s it actually achieves.
By default the block length is d = s + 2a + m and the placement is chosen for n: groups when d | n, cyclic
otherwise.

The paper's exact encoding map is not reproduced in our reference; this module implements the following model,
which realises the stated parameter mapping and is certified by :func:`gcli.verify` before it is returned:

* **Groups (fractional repetition, d | n).** The n workers form n/d groups of d workers; group g (workers
  g·d … g·d + d − 1) holds the same k·d/n partitions (k a multiple of n/d; k = n by default). Worker i of
  group g sends f_{g,i} = Σ_u G[u, i] · S_g^(u), where S_g^(u) is the group's partial sum of sub-vector u,
  i.e. B[g·d + i, j·m + u] = G[u, i] for every partition j of group g: the group's messages form the codeword
  (S_g^(0) … S_g^(m−1)) · G. From the responders F_g the server solves G_{F_g}ᵀ · S_g = f_{F_g}, possible iff
  the columns F_g of G have rank m, which holds for every |F_g| ≥ d − δ + 1 (a rank-deficient column set of
  size t carries a non-zero codeword vanishing there, of weight ≤ d − t). Decoding inverts one m × m (or
  least-squares m × |F_g|) system per group: O((n/d)·m³) to build, O((n/d)·m·ℓ) to apply
  (:func:`gcli.decoding_matrix` does this for these codes).
* **Cyclic (any n ≥ d).** Each partition is held by d cyclically consecutive workers (worker w holds
  w..w+d−1 when k = n) and B = V·C with an n × K matrix V (K = n − d + m) every K rows of which are
  invertible: partition j's columns are V·C_j with C_j = Z_j (E Z_j)⁻¹, where Z_j spans the coefficient
  vectors that vanish at the non-holders of j and E is an m × K *readout*. Any K responders F decode with
  X = E·V_F⁻¹ (X·B_F = E·C = T since E·C_j = I_m), and every partition is encoded by an MDS [d, m] local code,
  so s = d − m − 2a for every n. With V a Vandermonde matrix and E the top-m coefficients this is the
  Ye–Abbe code (the ``reed-solomon`` family over GF(q), "Reed–Solomon local codes").

**Families.** ``fourier`` (reals, the default) is the real form of the cyclic MDS codes of Raviv, Tamo,
Tandon and Dimakis (ICML 2018): rows of V (and columns of G) are the real trigonometric functions
1/√2, cos jφ, sin jφ (K odd) or cos (j+½)φ, sin (j+½)φ (K even) at equispaced angles φ_w = 2πw/n. They form a
Haar system — a non-zero combination has at most K − 1 zeros on the circle (multiply by e^{i(K−1)φ/2}: a
polynomial of degree K − 1 in e^{iφ}) — so every K rows of V are invertible and the code is MDS, with
decoding systems that are close to orthogonal. The readout E of the cyclic placement is *balanced*: from the
frequency readout (when m is even or K odd) and from ``draws`` seeded Gaussian starts, alternating Procrustes
steps make every E·Z_j as close to orthogonal as possible (so that no partition's block is ill-scaled), and
the candidate with the smallest worst condition number over a seeded sample of surviving sets is kept
(:func:`balanced_readout`). ``gaussian`` (reals) draws G, or V and E, i.i.d. N(0, 1) (Kadhe et al.'s
choice); ``reed-solomon`` (GF(q)) is the evaluation code G[u, i] = α^{i·u}; ``random`` (GF(q)) and ``bch``
(GF(2^e)) and user generators are grouped only. ``benchmarks/conditioning_bench.py`` measures the families.

The minimum distance is computed exactly over GF(q) (enumerating all q^m codewords when q^m ≤ 2^16, else as
d − t + 1 for the smallest t such that every t columns of G have rank m) and, over the reals, by the same
column criterion with the numerical rank of the tolerance policy (:mod:`gcli.constructions._common`): a column
set whose condition number σ_1(G)/σ_m(G_S) exceeds tolerance/ε ≈ 4.5e7 counts as dependent, because float64
decoding through it cannot meet the tolerance.

Example:
    >>> code = mds(12, 2, m=3)          # d = s + m = 5 does not divide 12: cyclic placement, Fourier code
    >>> (code.d, code.construction["placement"], code.construction["checked"]["exhaustive"])
    (5, 'cyclic', True)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np

from gcli.code import Code
from gcli.decoding.matrices import structured_decoder as mds_decoder
from gcli.errors import ImpossibleParameters, NotSupported
from gcli.fields import Field, field_name, is_real
from gcli.fields.distance import column_conditions as _column_conditions
from gcli.fields.distance import minimum_distance

from ._common import balanced_placement, certified, check_size, condition_limit, resolve_field, rng
from .polynomial_codes import polynomial_code

__all__ = [
    "balanced_readout",
    "bch_generator_matrix",
    "code_generator",
    "cyclic_code",
    "fourier_matrix",
    "linear_code_generator",
    "mds",
    "mds_decoder",
    "minimum_distance",
    "read_generator",
    "readout_encoding",
]

_SELECTION_SAMPLE = 1000
_EQUALIZE_STEPS = 60
_SELECTION_FLOPS = 4e9  # scoring readouts on K × K systems beyond this: fewer sets, then the balance alone

LinearCodeFamily = Literal["fourier", "gaussian", "random", "reed-solomon", "bch"]
_CYCLIC_FAMILIES = {"fourier", "gaussian", "reed-solomon"}


def fourier_matrix(n: int, size: int) -> np.ndarray:
    """The n × K real Fourier (Haar) matrix: every K rows are linearly independent (module docstring).

    Columns: 1/√2, cos φ, sin φ, …, cos Lφ, sin Lφ (K = 2L+1) or cos φ/2, sin φ/2, …, cos (L−½)φ, sin (L−½)φ
    (K = 2L), at φ_w = 2πw/n; every column has squared norm n/2 (K ≤ n).

    >>> np.round(fourier_matrix(4, 2), 3).tolist()
    [[1.0, 0.0], [0.707, 0.707], [0.0, 1.0], [-0.707, 0.707]]
    """
    if not 1 <= size <= n:
        raise ImpossibleParameters(f"a Fourier code needs 1 ≤ K ≤ n (got K={size}, n={n})")
    phi = 2 * np.pi * np.arange(n) / n
    cols: list[np.ndarray] = []
    if size % 2:
        cols.append(np.full(n, 1 / np.sqrt(2)))
        for j in range(1, size // 2 + 1):
            cols += [np.cos(j * phi), np.sin(j * phi)]
    else:
        for j in range(size // 2):
            cols += [np.cos((j + 0.5) * phi), np.sin((j + 0.5) * phi)]
    return np.stack(cols, axis=1)


def _worst_columns(g: np.ndarray, size: int) -> tuple[float, list[int]]:
    """The worst-conditioned set of ``size`` columns of a real generator: (σ_1(G)/σ_m(G_S), S)."""
    subsets = np.asarray(list(itertools.combinations(range(g.shape[1]), size)), dtype=np.int64)
    conds = _column_conditions(g, subsets)
    worst = int(np.argmax(conds))
    return float(conds[worst]), subsets[worst].tolist()


def _shorten(generator: np.ndarray, by: int) -> np.ndarray:
    """Shorten a systematic [N, K] generator [I | P] by ``by``: drop the first ``by`` rows and columns."""
    return generator[by:, by:]


def _rs_points(field: Any, d: int) -> np.ndarray:
    """The evaluation points of the ``reed-solomon`` generator: α^0, …, α^{d−1} (and 0 when d = q)."""
    q = field.order
    if d > q:
        raise ImpossibleParameters(f"a Reed–Solomon code over {field_name(field)} has length at most q = {q}")
    points = field.primitive_element ** np.arange(min(d, q - 1))
    if d == q:
        points = np.concatenate([points, field.Zeros(1)]).view(field)
    return points


def bch_generator_matrix(n: int, k: int) -> np.ndarray:
    """The k × n systematic generator matrix [I | P] of the binary narrow-sense BCH code of length n = 2^μ − 1 and
    dimension k, as 0/1 integers: exactly ``galois.BCH(n, k).G`` (tested), built from gcli's own generator
    polynomial (:func:`gcli.fields.cyclotomic.bch_dimensions`) instead of galois' JIT-compiled root finding.

    Positions are galois' (a codeword c_0 … c_(n−1) is the polynomial Σ c_i x^(n−1−i)), so with
    g = x^r + g_(r−1) x^(r−1) + … + g_0 (r = n − k, g_0 = 1) the first row of P is (1, g_(r−1), …, g_1) / g_0
    and row i + 1 is row i shifted right, minus its last entry times row 0 (long division by g).

    >>> bch_generator_matrix(7, 4).tolist()[0]  # the Hamming code, g = x³ + x + 1
    [1, 0, 0, 0, 1, 0, 1]
    """
    from gcli.fields.cyclotomic import bch_dimensions

    p = 2
    codes = bch_dimensions(p, n)
    if k not in codes:
        dims = ", ".join(map(str, sorted(codes)))
        raise ImpossibleParameters(f"no binary BCH code of length {n} and dimension {k} (the dimensions are {dims})")
    g = codes[k][1]  # lowest degree first
    r = n - k
    parity = np.zeros((k, r), dtype=np.int64)
    if r:
        descending = g[::-1]
        parity[0] = np.asarray(descending[:-1], dtype=np.int64) * pow(descending[-1], -1, p) % p
        for i in range(1, k):
            parity[i, 1:] = parity[i - 1, :-1]
            parity[i] = (parity[i] - parity[i - 1, -1] * parity[0]) % p
    return np.hstack([np.eye(k, dtype=np.int64), parity])


def linear_code_generator(
    family: LinearCodeFamily, field: Field, d: int, m: int, seed: int = 0
) -> np.ndarray:
    """An m × d generator matrix of the named family.

    * fourier: the real trigonometric Haar system at d equispaced angles (``fourier_matrix(d, m)ᵀ``), MDS,
      deterministic; the real form of a cyclic MDS code.
    * gaussian: i.i.d. N(0, 1) entries (reals only, seeded); MDS with probability 1.
    * random: uniform entries over GF(q) (seeded); MDS only by chance, its δ is computed.
    * reed-solomon: the evaluation code G[u, i] = α^{i·u} (α primitive; the point 0 added when d = q), an MDS
      code for any d ≤ q. For d = q − 1 it is the narrow-sense code of ``galois.ReedSolomon(q − 1, m)``
      with positions reversed (galois writes codewords highest degree first; tested); built directly
      because galois' class only allows lengths dividing q − 1 and its JIT compilation costs seconds.
    * bch: the binary narrow-sense primitive BCH code of length 2^μ − 1 ≥ d (:func:`bch_generator_matrix`, galois'
      systematic generator, built without galois), shortened to length d, with 0/1 entries read over the chosen
      GF(2^e); needs a BCH code of dimension m + (2^μ − 1 − d) to exist.
    """
    if not 1 <= m <= d:
        raise ImpossibleParameters(f"need 1 ≤ m ≤ d (got d={d}, m={m})")
    if family in ("fourier", "gaussian"):
        if not is_real(field):
            raise NotSupported(
                f"--code {family} is a real code: use --field real (or --code reed-solomon over GF(q))"
            )
        if family == "fourier":
            return fourier_matrix(d, m).T.copy()
        return rng(seed).standard_normal((m, d))
    if is_real(field):
        raise NotSupported(f"--code {family} needs a finite field GF(q) (use fourier or gaussian over the reals)")
    if family == "random":
        return field(rng(seed).integers(0, field.order, size=(m, d)))
    if family == "reed-solomon":
        points = _rs_points(field, d)
        return field(np.stack([np.asarray((points**u).view(np.ndarray)) for u in range(m)]))
    if family == "bch":
        if field.characteristic != 2:
            raise NotSupported(f"--code bch is binary: use a field GF(2^e), not {field_name(field)}")
        length = (1 << max(2, math.ceil(math.log2(d + 1)))) - 1
        full = bch_generator_matrix(length, m + length - d)
        return field(_shorten(full, length - d))
    raise NotSupported(f"unknown linear-code family {family!r}")


def read_generator(source: str | Path | Sequence[Sequence[Any]] | np.ndarray, field: Field) -> np.ndarray:
    """A user-supplied generator: an array, nested lists, or a file (``.npy`` or a JSON list of lists)."""
    if isinstance(source, str | Path):
        from gcli.io.reading import load_npy, parse_json, read_bounded

        path = Path(source)
        data = read_bounded(path, "generator file")  # size-capped; directories, loops, devices refused
        if path.suffix == ".npy":
            values: Any = load_npy(data, f"generator file {path}")  # dtype and claimed shape checked first
        else:
            values = parse_json(data, f"generator file {path}")
    else:
        values = source
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise ImpossibleParameters("the generator must be a matrix of numbers (list of equal-length lists)") from None
    if arr.ndim != 2 or arr.size == 0:
        raise ImpossibleParameters(f"the generator must be a non-empty 2-D matrix (got shape {arr.shape})")
    if not np.all(np.isfinite(arr)):
        raise ImpossibleParameters("the generator has non-finite entries")
    if is_real(field):
        return arr
    if not np.all(arr == np.round(arr)) or arr.min() < 0 or arr.max() >= field.order:
        raise ImpossibleParameters(f"generator entries over {field_name(field)} must be integers in [0, {field.order})")
    return field(arr.astype(np.int64))


def _claimed_stragglers(
    s: int | None, achieved: int, a: int, n: int, what: str, formula: str, note: str = ""
) -> int:
    """The s to write into the code: what the user asked for (at most what the code achieves), else all of it."""
    if s is not None and s > achieved:
        raise ImpossibleParameters(
            f"mds: {what} tolerates at most s = {formula} = {achieved} stragglers (asked for {s}){note}"
        )
    claimed = achieved if s is None else s
    if claimed + 2 * a >= n:
        raise ImpossibleParameters(f"mds: s + 2a = {claimed + 2 * a} must be smaller than n = {n}")
    return claimed


def mds(
    n: int = 6,
    s: int | None = None,
    *,
    d: int | None = None,
    m: int | None = None,
    a: int = 0,
    k: int | None = None,
    field: str | Field = "real",
    code: LinearCodeFamily | Literal["auto"] = "auto",
    generator: str | Path | Sequence[Sequence[float]] | np.ndarray | None = None,
    placement: Literal["auto", "groups", "cyclic"] = "auto",
    seed: int = 0,
) -> Code:
    """Gradient code from any linear [d, m, δ] code (Kadhe et al.): d holders per partition, messages ℓ/m.

    The block length d is the replication of every partition (the computation load when k = n), the dimension
    m the communication reduction and the minimum distance δ the straggler tolerance s = δ − 1 − 2a. By
    default d = s + 2a + m (the trade-off optimum) with an MDS code: the real Fourier code (real form of a
    cyclic MDS code) over the reals, Reed–Solomon over GF(q). Placement auto: groups of d workers sharing
    the same partitions when d divides n, otherwise cyclic windows (any n). Any other code (Gaussian, random
    over GF(q), BCH, your own generator) is accepted with the groups placement and the s it achieves is
    reported. The code is verified before it is returned; its worst condition number is recorded.

    Args:
        n: workers.
        s: stragglers to claim (default: all the code achieves; 1 when d is not given either).
        d: block length of the linear code, the number of workers holding each partition (default
            s + 2a + m, or the generator's width); the load is ⌈k·d/n⌉.
        m: dimension of the linear code = communication reduction (default 2, or the generator's height).
        a: adversarial workers tolerated (each costs two of the code's δ − 1).
        k: data partitions (default n; with groups a multiple of n/d).
        code: linear-code family: fourier (reals), gaussian (reals), random (GF(q)), reed-solomon (GF(q)),
            bch (GF(2^e)); auto (default) is fourier over the reals and reed-solomon over GF(q), both MDS.
        generator: a file with your own m × d generator matrix (JSON list of lists, or .npy; in Python also
            the matrix itself); overrides code; groups placement.
        placement: groups (d workers share d partitions, needs d | n), cyclic (any n ≥ d; fourier, gaussian
            or reed-solomon: every partition is encoded by an MDS [d, m] local code), or auto.
        seed: seed for the gaussian and random families and for the readout search of the cyclic fourier code.

    References:
        S. Kadhe, O. O. Koyluoglu, K. Ramchandran, "Communication-Efficient Gradient Coding for Straggler
        Mitigation in Distributed Learning", ISIT 2020 (arXiv:2005.07184); M. Ye, E. Abbe,
        "Communication-Computation Efficient Gradient Coding", ICML 2018; N. Raviv, I. Tamo, R. Tandon,
        A. G. Dimakis, "Gradient Coding from Cyclic MDS Codes and Expander Graphs", ICML 2018.
    """
    fld = resolve_field(field)
    real = is_real(fld)
    if code == "auto":
        code = "fourier" if real else "reed-solomon"
    if a < 0 or (s is not None and s < 0):
        raise ImpossibleParameters(f"mds: s and a must be non-negative (s={s}, a={a})")
    if n < 1:
        raise ImpossibleParameters(f"mds: need at least one worker (n={n})")
    check_size("mds", n=n)
    if placement not in ("auto", "groups", "cyclic"):
        raise NotSupported(f"mds: unknown placement {placement!r}: use auto, groups or cyclic")
    if generator is not None:
        if placement == "cyclic":
            raise ImpossibleParameters(
                "mds: a user generator uses the groups placement (--placement cyclic builds its own)")
        gen = read_generator(generator, fld)
        if d is not None and d != gen.shape[1]:
            raise ImpossibleParameters(f"mds: --load {d} disagrees with the generator's width {gen.shape[1]}")
        if m is not None and m != gen.shape[0]:
            raise ImpossibleParameters(f"mds: -m {m} disagrees with the generator's height {gen.shape[0]}")
        return certified(_grouped(n, s, gen, "user", a, k, fld, seed), seed=seed)
    m = 2 if m is None else m
    if m < 1:
        raise ImpossibleParameters(f"mds: m must be at least 1 (got {m})")
    if d is None:
        d = (1 if s is None else s) + 2 * a + m
    if not 1 <= m <= d <= n:
        raise ImpossibleParameters(f"mds: need 1 ≤ m ≤ d ≤ n (got m={m}, d={d}, n={n})")
    check_size("mds", n=n, k=n if k is None else k, m=m)
    if placement == "auto":
        groups_fit = 1 <= d <= n and n % d == 0 and (k is None or k % (n // d) == 0)
        placement = "groups" if groups_fit or code not in _CYCLIC_FAMILIES else "cyclic"
    if placement == "cyclic":
        return certified(cyclic_code("mds", n, s, d=d, m=m, a=a, k=k, field=fld, family=code, seed=seed),
                         seed=seed)
    gen = linear_code_generator(code, fld, d, m, seed)
    return certified(_grouped(n, s, gen, code, a, k, fld, seed), seed=seed)


def _grouped(
    n: int, s: int | None, gen: np.ndarray, family: str, a: int, k: int | None, fld: Field, seed: int
) -> Code:
    """The (uncertified) groups-placement code of generator ``gen`` (module docstring)."""
    m_c, d_c = gen.shape
    check_size("mds", n=n, k=n if k is None else k, m=m_c)
    if m_c > d_c:
        raise ImpossibleParameters(f"mds: the generator must have at most as many rows as columns (got {m_c} × {d_c})")
    if n % d_c:
        raise ImpossibleParameters(
            f"mds: the groups placement needs n = {n} to be a multiple of the block length d = {d_c}"
            + (" (the cyclic placement works for any n: fourier, gaussian or reed-solomon codes)"
               if family not in _CYCLIC_FAMILIES else "")
        )
    groups = n // d_c
    k = n if k is None else k
    if k < 1 or k % groups:
        raise ImpossibleParameters(
            f"mds: with groups, k = {k} must be a positive multiple of the n/d = {groups} groups")
    real = is_real(fld)
    delta = minimum_distance(fld, gen)
    note = ""
    if real:
        loose = minimum_distance(fld, gen, condition=1 / (d_c * float(np.finfo(np.float64).eps)))
        if loose > delta:
            kappa, cols = _worst_columns(np.asarray(gen), d_c - delta)
            note = (f"; in exact arithmetic δ = {loose}, but columns {cols} of the generator have condition "
                    f"number {kappa:.3g} > {condition_limit():.2g} = tolerance/ε, too close to dependent for "
                    "exact float64 decoding")
    achieved = delta - 1 - 2 * a
    if achieved < 0:
        raise ImpossibleParameters(
            f"mds: the [{d_c}, {m_c}, {delta}] code cannot tolerate a = {a} adversaries (needs δ ≥ 2a + 1){note}"
        )
    claimed = _claimed_stragglers(s, achieved, a, n, f"the [{d_c}, {m_c}, {delta}] code", "δ − 1 − 2a", note)
    per = k // groups
    encoding = np.zeros((n, k * m_c)) if real else fld.Zeros((n, k * m_c))
    assignment: list[tuple[int, ...]] = []
    for grp in range(groups):
        parts = tuple(range(grp * per, (grp + 1) * per))
        for i in range(d_c):
            w = grp * d_c + i
            assignment.append(parts)
            for j in parts:
                encoding[w, j * m_c : (j + 1) * m_c] = gen[:, i]
    gen_rows = gen.tolist() if real else np.asarray(gen.view(np.ndarray)).astype(int).tolist()
    linear: dict[str, Any] = {
        "family": family,
        "length": d_c,
        "dimension": m_c,
        "minimum_distance": delta,
        "mds": delta == d_c - m_c + 1,
        "achieved_s": achieved,
    }
    if family == "reed-solomon":
        linear["evaluation_points"] = [int(x) for x in _rs_points(fld, d_c)]
    construction: dict[str, Any] = {
        "n": n,
        "k": k,
        "s": claimed,
        "m": m_c,
        "a": a,
        "field": field_name(fld),
        "linear_code": linear,
        "placement": "fractional-repetition",
        "generator": gen_rows,
        "decoder": "groups",
    }
    if family in ("gaussian", "random"):
        construction["seed"] = seed
    return Code(
        scheme="mds",
        field=fld,
        n=n,
        k=k,
        s=claimed,
        m=m_c,
        a=a,
        d=max(len(row) for row in assignment),
        assignment=tuple(assignment),
        encoding=encoding,
        construction=construction,
    )


def cyclic_code(
    scheme: str, n: int, s: int | None, *, d: int, m: int, a: int, k: int | None, field: Field, family: str,
    seed: int, draws: int = 4,
) -> Code:
    """The (uncertified) cyclic-placement code B = V·C of the module docstring, as ``scheme``.

    Each partition has d holders (:func:`balanced_placement`), K = n − d + m. ``fourier`` (reals): V the
    Fourier matrix, E from :func:`balanced_readout`; ``gaussian`` (reals): V and E i.i.d. N(0, 1) from the
    seed; ``reed-solomon`` (GF(q)): the Ye–Abbe code on the points 0..n−1 (needs q ≥ n). s = d − m − 2a.
    """
    real = is_real(field)
    if family not in _CYCLIC_FAMILIES or (family == "reed-solomon") == real:
        raise NotSupported(
            f"{scheme}: the cyclic placement builds its own MDS code: fourier or gaussian over the reals, "
            f"reed-solomon over GF(q) (not {family} over {field_name(field)}); use --placement groups for others"
        )
    if not 1 <= m <= d <= n:
        raise ImpossibleParameters(f"{scheme}: need 1 ≤ m ≤ d ≤ n (got m={m}, d={d}, n={n})")
    k = n if k is None else k
    if k < 1:
        raise ImpossibleParameters(f"{scheme}: need at least one partition (k={k})")
    achieved = d - m - 2 * a
    if achieved < 0:
        raise ImpossibleParameters(f"{scheme}: d − m − 2a = {achieved} < 0: the load d = {d} is too small")
    claimed = _claimed_stragglers(s, achieved, a, n, f"the cyclic code with d = {d}, m = {m}", "d − m − 2a")
    big_k = n - d + m
    local = {"family": family, "length": n, "dimension": big_k, "minimum_distance": n - big_k + 1, "mds": True,
             "local_length": d, "local_dimension": m, "achieved_s": achieved}
    if not real:
        if field.order < n:
            raise ImpossibleParameters(
                f"{scheme}: the cyclic reed-solomon code over {field_name(field)} needs q ≥ n = {n}")
        return polynomial_code(scheme, n, claimed, m=m, a=a, k=k, field=field, replication=d,
                               extra={"linear_code": local, "placement": "cyclic"})
    assignment, holders = balanced_placement(n, k, d)
    missing = [sorted(set(range(n)) - set(h)) for h in holders]
    construction: dict[str, Any] = {"n": n, "k": k, "s": claimed, "m": m, "a": a, "field": field_name(field),
                                    "linear_code": local, "placement": "cyclic"}
    if family == "gaussian":
        gen = rng(seed)
        v = gen.standard_normal((n, big_k))
        readout = gen.standard_normal((m, big_k))
        bases = None
    else:
        v = fourier_matrix(n, big_k)
        bases = _fourier_bases(n, big_k, m, [j * n // k for j in range(k)])
        readout, start = balanced_readout(v, missing, m, seed=seed, draws=draws, stragglers=n - big_k,
                                          bases=bases)
        construction["readout_start"] = start
    encoding = readout_encoding(v, readout, missing, m, bases)
    construction.update({"generator": v.T.tolist(), "readout": readout.tolist(), "decoder": "interpolation",
                         "seed": seed})
    return Code(
        scheme=scheme,
        field=field,
        n=n,
        k=k,
        s=claimed,
        m=m,
        a=a,
        d=max(len(row) for row in assignment),
        assignment=assignment,
        encoding=encoding,
        construction=construction,
    )


def _local_bases(v: np.ndarray, missing: Sequence[Sequence[int]], m: int) -> np.ndarray:
    """For each partition j, a K × m basis Z_j of {z : V_{N_j} z = 0} with V·Z_j orthonormal: shape (k, K, m)."""
    big_k = v.shape[1]
    out = np.empty((len(missing), big_k, m))
    for j, rows in enumerate(missing):
        if rows:
            _, _, vh = np.linalg.svd(v[list(rows)])
            basis = vh[len(rows) :].T
        else:
            basis = np.eye(big_k)
        if basis.shape[1] != m:
            raise ImpossibleParameters(f"every partition needs n − d + m = {big_k} − {m} non-holders (got {len(rows)})")
        _, upper = np.linalg.qr(v @ basis)
        out[j] = basis @ np.linalg.inv(upper)
    return out


def _fourier_bases(n: int, big_k: int, m: int, anchors: Sequence[int]) -> np.ndarray:
    """:func:`_local_bases` of the Fourier matrix for partitions missing at anchor+1 … anchor+n−d, by rotation.

    Shifting a trigonometric function by c workers, f(φ − 2πc/n), vanishes where f vanished shifted by c, and
    acts on its coefficients by rotating each frequency-ν pair by the angle 2πνc/n (the constant is fixed; for
    half-integer ν a full turn is −1, which spans the same space): Z_j = S^{c_j} Z_0 with one SVD for Z_0.
    The rotation preserves the value-space inner product, so the Z_j stay orthonormal in value space.
    """
    v = fourier_matrix(n, big_k)
    zero = _local_bases(v, [list(range(1, big_k - m + 1))], m)[0]  # (K, m): missing at 1..n−d (n − d = K − m)
    offset = big_k % 2  # K odd: column 0 is the constant
    nu = np.arange((big_k - offset) // 2) + (1.0 if offset else 0.5)
    out = np.empty((len(anchors), big_k, m))
    for j, c in enumerate(anchors):
        angle = 2 * np.pi * nu * c / n
        cos, sin = np.cos(angle)[:, None], np.sin(angle)[:, None]
        a, b = zero[offset::2], zero[offset + 1 :: 2]
        out[j, :offset] = zero[:offset]
        out[j, offset::2] = cos * a - sin * b
        out[j, offset + 1 :: 2] = sin * a + cos * b
    return out


def readout_encoding(
    v: np.ndarray, readout: np.ndarray, missing: Sequence[Sequence[int]], m: int, bases: np.ndarray | None = None
) -> np.ndarray:
    """B = V·C with C_j = Z_j (E Z_j)⁻¹ (module docstring): n × k·m, exact zeros at the non-holders.

    ``bases``: the Z_j of :func:`_local_bases`, when already computed (the result does not depend on them)."""
    if bases is None:
        bases = _local_bases(v, missing, m)
    encoding = np.zeros((v.shape[0], len(missing) * m))
    for j, rows in enumerate(missing):
        block = v @ bases[j] @ np.linalg.inv(readout @ bases[j])
        block[list(rows)] = 0.0
        encoding[:, j * m : (j + 1) * m] = block
    return encoding


def _frequency_readout(big_k: int, m: int) -> np.ndarray | None:
    """The top-frequency readout of the Fourier matrix (columns ordered by frequency), when it is guaranteed.

    Its kernel is the Haar system of the K − m lowest frequencies when m is even (pairs) or K is odd (the
    constant and (m−1)/2 top pairs), so E·Z_j is invertible for every partition; None otherwise."""
    if m % 2 and not big_k % 2:
        return None
    cols = list(range(big_k - m, big_k)) if m % 2 == 0 else [0, *range(big_k - m + 1, big_k)]
    readout = np.zeros((m, big_k))
    readout[np.arange(m), cols] = 1.0
    return readout


def _polar(stack: np.ndarray) -> np.ndarray:
    u, _, vt = np.linalg.svd(stack)
    return u @ vt


def _equalize(bases: np.ndarray, start: np.ndarray, steps: int = _EQUALIZE_STEPS) -> np.ndarray:
    """Alternating Procrustes: E minimising Σ_j ‖E Z_j − Q_j‖_F over E and orthogonal Q_j."""
    count, big_k, m = bases.shape
    flat = bases.transpose(1, 0, 2).reshape(big_k, count * m)  # [Z_0 … Z_{k−1}]
    pinv = np.linalg.pinv(flat)
    readout = start
    for _ in range(steps):
        target = _polar(readout[None] @ bases)  # (k, m, m)
        readout = target.transpose(1, 0, 2).reshape(m, count * m) @ pinv
    return readout


def _selection_sets(n: int, size: int, seed: int) -> np.ndarray:
    """The surviving sets a readout is scored on: every cyclically contiguous gap, plus a seeded sample."""
    from gcli.certification.verification import sampled_surviving_sets

    total = math.comb(n, size)
    if total <= 2 * _SELECTION_SAMPLE:
        return np.asarray(list(itertools.combinations(range(n), size)), dtype=np.int64).reshape(-1, size)
    gaps = np.asarray([sorted((i + t) % n for t in range(n - size, n)) for i in range(n)], dtype=np.int64)
    sample = sampled_surviving_sets(n, size, _SELECTION_SAMPLE, seed)
    return np.concatenate([gaps, sample])


def _worst_condition(encoding: np.ndarray, sets: np.ndarray, rank: int) -> float:
    """max κ(B_F) over the sets, via W = U Σ (B = W·Vᵀ with orthonormal V): κ(B_F) = κ(W_F), K × K each."""
    u, sv, _ = np.linalg.svd(encoding, full_matrices=False)
    w = u[:, :rank] * sv[:rank]
    sub = np.linalg.svd(w[sets], compute_uv=False)
    with np.errstate(divide="ignore"):
        return float(np.max(np.where(sub[:, -1] > 0, sub[:, 0] / sub[:, -1], np.inf)))


def balanced_readout(
    v: np.ndarray, missing: Sequence[Sequence[int]], m: int, *, seed: int = 0, draws: int = 4,
    stragglers: int | None = None, bases: np.ndarray | None = None,
) -> tuple[np.ndarray, str]:
    """A readout E for B = V·C whose partitions' blocks are balanced, and which start it came from.

    Candidates: the frequency readout (when :func:`_frequency_readout` guarantees it) as it is and balanced,
    and ``draws`` seeded Gaussian starts balanced by :func:`_equalize`; the one with the smallest worst
    condition number over :func:`_selection_sets` (surviving sets of size K = n − ``stragglers``) wins
    (a seeded best-of-draws search; ties keep the earlier candidate).
    """
    n, big_k = v.shape
    if bases is None:
        bases = _local_bases(v, missing, m)
    sets = _selection_sets(n, big_k if stragglers is None else n - stragglers, seed)
    per_set = 20.0 * big_k**3  # flops of one K × K SVD, roughly
    if len(sets) * per_set > _SELECTION_FLOPS:  # large codes: the contiguous gaps only, or the balance alone
        sets = sets[:n] if n * per_set <= _SELECTION_FLOPS and len(sets) > n else sets[:0]
    generator = rng(seed)
    candidates: list[tuple[str, np.ndarray]] = []
    structured = _frequency_readout(big_k, m)
    if structured is not None:
        candidates += [("frequencies", structured), ("frequencies, balanced", _equalize(bases, structured))]
    for i in range(draws):
        candidates.append((f"gaussian draw {i}, balanced", _equalize(bases, generator.standard_normal((m, big_k)))))
    best: tuple[float, str, np.ndarray] | None = None
    for name, readout in candidates:
        local = np.linalg.svd(readout[None] @ bases, compute_uv=False)  # (k, m): E·Z_j must be invertible
        if local.min() <= 1e-12 * local.max():
            continue
        if len(sets):
            score = _worst_condition(readout_encoding(v, readout, missing, m, bases), sets, big_k)
        else:
            score = float(local.max() / local.min())  # how unevenly the partitions' blocks are scaled
        if best is None or score < best[0]:
            best = (score, name, readout)
    if best is None:
        raise ImpossibleParameters("no readout keeps every partition decodable; try another --seed")
    return best[2], best[1]


def code_generator(code: Code) -> np.ndarray:
    """The m × d generator G of an ``mds`` code, read from the construction record."""
    if code.scheme != "mds" or "generator" not in code.construction:
        raise ImpossibleParameters(f"scheme {code.scheme!r} is not an mds code with a recorded generator")
    rows = code.construction["generator"]
    if code.is_real:
        return np.asarray(rows, dtype=np.float64)
    return code.field(np.asarray(rows, dtype=np.int64))
