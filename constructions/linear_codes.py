"""Gradient codes from any linear code: the Kadhe–Koyluoglu–Ramchandran framework (ISIT 2020).

A linear [d, m, δ] code with generator G (m × d, full row rank) over the reals or GF(q) gives a gradient code
whose *block length* d is the computation load, whose *dimension* m is the communication reduction (each
worker sends ℓ/m symbols) and whose *minimum distance* δ sets the straggler tolerance s = δ − 1 (s = δ − 1 −
2a with a adversaries). Singleton's bound δ ≤ d − m + 1 gives d ≥ s + m, met with equality exactly by MDS
codes, which therefore reach the optimal trade-off d ≥ s + 2a + m of Ye & Abbe; a non-MDS code (a binary BCH
code, say) is accepted and reports the smaller s it actually achieves.

The paper's exact encoding map is not reproduced in our reference; this module implements the following model,
which realises the stated parameter mapping and is certified by :func:`gcli.verify`:

* **Placement (fractional repetition, d | n, k = n).** The n workers form n/d groups of d workers; group g
  (workers g·d … g·d + d − 1) holds the same d partitions g·d … g·d + d − 1.
* **Encoding.** Worker i of group g sends f_{g,i} = Σ_u G[u, i] · S_g^(u), where S_g^(u) = Σ_{j in group g}
  g_j^(u) is the group's partial sum of sub-vector u; i.e. B[g·d + i, j·m + u] = G[u, i] for every partition j
  of group g. The group's messages form the codeword (S_g^(0) … S_g^(m−1)) · G of the [d, m, δ] code (one
  codeword per coordinate of the length-ℓ/m sub-vectors).
* **Decoding.** From the responders F_g of group g the server solves G_{F_g}ᵀ · S_g = f_{F_g}; this is
  possible iff the columns F_g of G have rank m, which holds for every |F_g| ≥ d − δ + 1 (a rank-deficient
  column set of size t carries a non-zero codeword vanishing there, of weight ≤ d − t). Hence every group
  decodes from any d − s responders, s = δ − 1, and the server adds the n/d group sums. With a adversaries
  each group's word has at most a errors on top of s erasures, correctable when δ ≥ s + 2a + 1.
* **Cost.** Per surviving pattern the server inverts one m × m submatrix of G per group (m columns chosen
  among the responders): O((n/d)·m³) to build the decoder and O((n/d)·m·ℓ) to apply it; no (n−s)×(n−s)
  Vandermonde system is solved. A Gaussian m × m submatrix is typically well conditioned (E[log κ] ≈ log m +
  1.54, Edelman 1988), whereas real Vandermonde matrices grow exponentially ill-conditioned with their size;
  ``gcli compare`` measures both.

**Cyclic placement** (``placement="cyclic"``, reals, any n ≥ d): worker w holds partitions w..w+d−1 and
B = V·C with a Gaussian n × K matrix V (K = n − d + m), each partition's columns lying in the null space of
V's rows at its non-holders; every partition is then encoded by an MDS [d, m] local code across its d
holders, s = d − m − 2a for every n, and decoding inverts one K × K Gaussian matrix instead of a Vandermonde
one (with V Vandermonde this is exactly the Ye–Abbe code). See ``_cyclic`` for the derivation.

The minimum distance is computed exactly: over GF(q) by enumerating all q^m codewords when q^m ≤ 2^16, else
(and over the reals, with a numerical-rank tolerance) as d − t + 1 for the smallest t such that every t
columns of G have rank m.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

import galois
import numpy as np

from gcli.code import Code
from gcli.errors import InputError
from gcli.fields import Field, field_name, is_real

from ._common import CliFlags, cyclic_windows, resolve_field, rng

__all__ = [
    "code_generator",
    "linear_code_generator",
    "mds",
    "mds_decoder",
    "minimum_distance",
    "read_generator",
]

_ENUMERATION_LIMIT = 1 << 16
_SUBSET_LIMIT = 2_000_000
_RANK_BATCH = 8192

LinearCodeFamily = Literal["gaussian", "random", "reed-solomon", "bch"]


def minimum_distance(
    field: Field, generator: np.ndarray, method: Literal["auto", "enumerate", "subsets"] = "auto"
) -> int:
    """Minimum Hamming distance δ of the code spanned by the rows of the m × d generator (full row rank).

    ``enumerate`` (GF(q) only) lists all q^m codewords; ``subsets`` finds the smallest t such that every t
    columns have rank m (δ = d − t + 1); ``auto`` enumerates when q^m ≤ 2^16. InputError when the rows are
    linearly dependent (then G does not generate an m-dimensional code).
    """
    g = np.asarray(generator) if is_real(field) else generator
    m, d = g.shape
    if m < 1 or d < m:
        raise InputError(f"a generator must be m × d with 1 ≤ m ≤ d (got {m} × {d})")
    if method == "enumerate" and is_real(field):
        raise InputError("codeword enumeration needs a finite field")
    small = not is_real(field) and field.order**m <= _ENUMERATION_LIMIT
    if method == "enumerate" or (method == "auto" and small):
        messages = field(np.array(list(itertools.product(range(field.order), repeat=m)), dtype=np.int64))
        weights = np.count_nonzero(np.asarray((messages @ g).view(np.ndarray)), axis=1)[1:]  # skip 0
        delta = int(weights.min())
        if delta == 0:
            raise InputError("the generator's rows are linearly dependent (rank < m)")
        return delta
    if not _all_full_rank(field, g, list(itertools.combinations(range(d), d))):
        raise InputError("the generator's rows are linearly dependent (rank < m)")
    for t in range(m, d + 1):
        if math.comb(d, t) > _SUBSET_LIMIT:
            raise InputError(f"the minimum distance needs C({d}, {t}) rank checks: too many")
        if _all_full_rank(field, g, list(itertools.combinations(range(d), t))):
            return d - t + 1
    raise AssertionError("unreachable: all d columns have rank m")


def _all_full_rank(field: Field, g: np.ndarray, subsets: list[tuple[int, ...]]) -> bool:
    """Does every listed set of columns of g have rank m (= number of rows)? Checked in batches."""
    m = g.shape[0]
    index = np.asarray(subsets, dtype=np.int64).reshape(len(subsets), -1)
    for start in range(0, len(index), _RANK_BATCH):
        cols = index[start : start + _RANK_BATCH]
        if is_real(field):
            stack = np.asarray(g)[:, cols].transpose(1, 0, 2)  # (b, m, t)
            sv = np.linalg.svd(stack, compute_uv=False)
            tol = max(stack.shape[1:]) * np.finfo(np.float64).eps * np.abs(np.asarray(g)).max() * 10
            if not (sv[:, m - 1] > tol).all():
                return False
        elif not _gf_full_row_rank(field, g[:, cols].transpose(1, 0, 2)).all():
            return False
    return True


def _gf_full_row_rank(field: type[galois.FieldArray], stack: np.ndarray) -> np.ndarray:
    """For each matrix of a stack (b, m, t) over GF(q): is its rank m? Gaussian elimination, vectorised."""
    work = field(np.asarray(stack.view(np.ndarray)).copy())
    count, rows, cols = work.shape
    rank = np.zeros(count, dtype=np.int64)
    row_ids = np.arange(rows)
    for col in range(cols):
        column = np.asarray(work[:, :, col].view(np.ndarray))
        candidates = (column != 0) & (row_ids[None, :] >= rank[:, None])
        has = candidates.any(axis=1) & (rank < rows)
        if not has.any():
            continue
        sel = np.flatnonzero(has)
        pivot = np.argmax(candidates[sel], axis=1)
        target = rank[sel]
        upper = work[sel, target].copy()
        work[sel, target] = work[sel, pivot]
        work[sel, pivot] = upper
        pivot_rows = work[sel, target] / work[sel, target, col][:, None]  # (s, t), pivot entry 1
        factors = work[sel, :, col].copy()  # (s, m)
        below = row_ids[None, :] > target[:, None]
        factors[~below] = 0
        work[sel] = work[sel] - factors[:, :, None] * pivot_rows[:, None, :]
        rank[sel] += 1
    return rank == rows


def _shorten(generator: np.ndarray, by: int) -> np.ndarray:
    """Shorten a systematic [N, K] generator [I | P] by ``by``: drop the first ``by`` rows and columns."""
    return generator[by:, by:]


def linear_code_generator(
    family: LinearCodeFamily, field: Field, d: int, m: int, seed: int = 0
) -> np.ndarray:
    """An m × d generator matrix of the named family.

    * gaussian: i.i.d. N(0, 1) entries (reals only, seeded); MDS with probability 1.
    * random: uniform entries over GF(q) (seeded); MDS only by chance, its δ is computed.
    * reed-solomon: the evaluation code G[u, i] = α^{i·u} (α primitive; the point 0 added when d = q), an MDS
      code for any d ≤ q. For d = q − 1 it is the narrow-sense code of ``galois.ReedSolomon(q − 1, m)``
      with positions reversed (galois writes codewords highest degree first; tested); built directly
      because galois' class only allows lengths dividing q − 1 and its JIT compilation costs seconds.
    * bch: galois' binary narrow-sense primitive BCH code of length 2^μ − 1 ≥ d, shortened to length d, with
      0/1 entries read over the chosen GF(2^e); needs a BCH code of dimension m + (2^μ − 1 − d) to exist.
    """
    if not 1 <= m <= d:
        raise InputError(f"need 1 ≤ m ≤ d (got d={d}, m={m})")
    if family == "gaussian":
        if not is_real(field):
            raise InputError("--code gaussian is a real code: use --field real (or --code random over GF(q))")
        return rng(seed).standard_normal((m, d))
    if is_real(field):
        raise InputError(f"--code {family} needs a finite field GF(q) (use gaussian over the reals)")
    if family == "random":
        return field(rng(seed).integers(0, field.order, size=(m, d)))
    if family == "reed-solomon":
        q = field.order
        if d > q:
            raise InputError(f"a Reed–Solomon code over {field_name(field)} has length at most q = {q}")
        alpha = field.primitive_element
        points = alpha ** np.arange(min(d, q - 1))
        if d == q:
            points = np.concatenate([points, field.Zeros(1)]).view(field)
        return field(np.stack([np.asarray((points**u).view(np.ndarray)) for u in range(m)]))
    if family == "bch":
        if field.characteristic != 2:
            raise InputError(f"--code bch is binary: use a field GF(2^e), not {field_name(field)}")
        length = 1 << max(2, math.ceil(math.log2(d + 1)))
        length -= 1
        try:
            full = galois.BCH(length, m + length - d).G
        except ValueError as exc:
            raise InputError(f"no binary BCH code for d={d}, m={m}: {exc}") from None
        return field(_shorten(full, length - d).view(np.ndarray).astype(np.int64))
    raise InputError(f"unknown linear-code family {family!r}")


def read_generator(source: str | Path | Sequence[Sequence[Any]] | np.ndarray, field: Field) -> np.ndarray:
    """A user-supplied generator: an array, nested lists, or a file (``.npy`` or a JSON list of lists)."""
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            if path.suffix == ".npy":
                values: Any = np.load(path, allow_pickle=False)
            else:
                values = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(f"no such generator file: {path}") from None
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read generator {path}: {exc.__class__.__name__}: {exc}") from None
    else:
        values = source
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError("the generator must be a matrix of numbers (list of equal-length lists)") from None
    if arr.ndim != 2 or arr.size == 0:
        raise InputError(f"the generator must be a non-empty 2-D matrix (got shape {arr.shape})")
    if not np.all(np.isfinite(arr)):
        raise InputError("the generator has non-finite entries")
    if is_real(field):
        return arr
    if not np.all(arr == np.round(arr)) or arr.min() < 0 or arr.max() >= field.order:
        raise InputError(f"generator entries over {field_name(field)} must be integers in [0, {field.order})")
    return field(arr.astype(np.int64))


def _claimed_stragglers(s: int | None, achieved: int, a: int, n: int, what: str, formula: str) -> int:
    """The s to write into the code: what the user asked for (at most what the code achieves), else all of it."""
    if s is not None and s > achieved:
        raise InputError(f"mds: {what} tolerates at most s = {formula} = {achieved} stragglers (asked for {s})")
    claimed = achieved if s is None else s
    if claimed + 2 * a >= n:
        raise InputError(f"mds: s + 2a = {claimed + 2 * a} must be smaller than n = {n}")
    return claimed


def mds(
    n: int = 6,
    s: int | None = None,
    *,
    d: Annotated[int | None, CliFlags("-d", "--load", help="block length d = computation load")] = None,
    m: int | None = None,
    a: int = 0,
    k: int | None = None,
    field: str | Field = "real",
    code: LinearCodeFamily | Literal["auto"] = "auto",
    generator: str | Path | Sequence[Sequence[float]] | np.ndarray | None = None,
    placement: Literal["groups", "cyclic"] = "groups",
    seed: int = 0,
) -> Code:
    """Gradient code from any linear [d, m, δ] code (Kadhe et al.): load d, messages ℓ/m, s = δ−1−2a.

    Groups of d workers hold the same d partitions (fractional repetition, d | n, k = n); worker i of a group
    sends Σ_u G[u, i]·(group sum of sub-vector u), so a group's messages are a codeword of the linear code and
    any d − δ + 1 of them give its m sums by inverting an m × m submatrix of G. A Gaussian generator
    (reals) or a Reed–Solomon generator (GF(q)) is MDS: δ = d − m + 1 and d = s + 2a + m meets the trade-off
    bound. Any other code (random over GF(q), BCH, your own) is accepted and the achieved s is reported.

    Args:
        n: workers (= partitions); a multiple of d.
        s: stragglers to claim (default: all the code achieves, δ − 1 − 2a); an error if it exceeds that.
        d: block length of the linear code = computation load (default 3, or the generator's width).
        m: dimension of the linear code = communication reduction (default 2, or the generator's height).
        a: adversarial workers tolerated (each costs two of the code's δ − 1).
        code: linear-code family: gaussian (reals), random (GF(q)), reed-solomon (GF(q)), bch (GF(2^e));
            auto (default) is gaussian over the reals and reed-solomon over GF(q), both MDS.
        generator: a file with your own m × d generator matrix (JSON list of lists, or .npy; in Python also
            the matrix itself); overrides code.
        placement: groups (fractional repetition, d | n, any code) or cyclic (any n ≥ d; gaussian only:
            worker w holds partitions w..w+d−1 and every partition is encoded by an MDS [d, m] local code).
        seed: seed for the gaussian and random families.

    References:
        S. Kadhe, O. O. Koyluoglu, K. Ramchandran, "Communication-Efficient Gradient Coding for Straggler
        Mitigation in Distributed Learning", ISIT 2020 (arXiv:2005.07184); M. Ye, E. Abbe,
        "Communication-Computation Efficient Gradient Coding", ICML 2018.
    """
    fld = resolve_field(field)
    if code == "auto":
        code = "gaussian" if is_real(fld) else "reed-solomon"
    if a < 0 or (s is not None and s < 0):
        raise InputError(f"mds: s and a must be non-negative (s={s}, a={a})")
    if placement == "cyclic":
        return _cyclic(n, s, d=3 if d is None else d, m=2 if m is None else m, a=a, k=k, field=fld,
                       code=code, generator=generator, seed=seed)
    if placement != "groups":
        raise InputError(f"mds: unknown placement {placement!r}: use groups or cyclic")
    if generator is not None:
        gen = read_generator(generator, fld)
        family = "user"
        if d is not None and d != gen.shape[1]:
            raise InputError(f"mds: --load {d} disagrees with the generator's width {gen.shape[1]}")
        if m is not None and m != gen.shape[0]:
            raise InputError(f"mds: -m {m} disagrees with the generator's height {gen.shape[0]}")
    else:
        d = 3 if d is None else d
        m = 2 if m is None else m
        gen = linear_code_generator(code, fld, d, m, seed)
        family = code
    m_c, d_c = gen.shape
    if m_c > d_c:
        raise InputError(f"mds: the generator must have at most as many rows as columns (got {m_c} × {d_c})")
    if n < 1 or n % d_c:
        raise InputError(f"mds: n = {n} must be a positive multiple of the block length d = {d_c}")
    if k is not None and k != n:
        raise InputError(f"mds: this construction has k = n partitions (got k={k}, n={n})")
    delta = minimum_distance(fld, gen)
    achieved = delta - 1 - 2 * a
    if achieved < 0:
        raise InputError(
            f"mds: the [{d_c}, {m_c}, {delta}] code cannot tolerate a = {a} adversaries (needs δ ≥ 2a + 1)"
        )
    claimed = _claimed_stragglers(s, achieved, a, n, f"the [{d_c}, {m_c}, {delta}] code", "δ − 1 − 2a")
    groups = n // d_c
    real = is_real(fld)
    encoding = np.zeros((n, n * m_c)) if real else fld.Zeros((n, n * m_c))
    assignment: list[tuple[int, ...]] = []
    for grp in range(groups):
        workers = range(grp * d_c, (grp + 1) * d_c)
        parts = tuple(range(grp * d_c, (grp + 1) * d_c))
        for i, w in enumerate(workers):
            assignment.append(parts)
            for j in parts:
                encoding[w, j * m_c : (j + 1) * m_c] = gen[:, i]
    gen_rows = gen.tolist() if real else np.asarray(gen.view(np.ndarray)).astype(int).tolist()
    construction: dict[str, Any] = {
        "n": n,
        "s": claimed,
        "m": m_c,
        "a": a,
        "field": field_name(fld),
        "linear_code": {
            "family": family,
            "length": d_c,
            "dimension": m_c,
            "minimum_distance": delta,
            "mds": delta == d_c - m_c + 1,
            "achieved_s": achieved,
        },
        "placement": "fractional-repetition",
        "generator": gen_rows,
    }
    if family in ("gaussian", "random"):
        construction["seed"] = seed
    return Code(
        scheme="mds",
        field=fld,
        n=n,
        k=n,
        s=claimed,
        m=m_c,
        a=a,
        d=d_c,
        assignment=tuple(assignment),
        encoding=encoding,
        construction=construction,
    )


def _cyclic(
    n: int, s: int | None, *, d: int, m: int, a: int, k: int | None, field: Field, code: str,
    generator: object, seed: int,
) -> Code:
    """Cyclic placement for any n: B = V·C with a Gaussian n × K matrix V (K = n − d + m).

    Worker w holds partitions w..w+d−1 (mod n), so partition j is missing at the n − d workers N_j. Column
    block j of B is V·C_j with C_j = Z_j (E Z_j)⁻¹, where Z_j (K × m, orthonormal) spans the null space of
    V_{N_j} (so B vanishes at the non-holders) and E is a Gaussian m × K readout. Any K responders F decode:
    X = E·V_F⁻¹ gives X·B_F = E·C = T, since E·C_j = I_m. Every K rows of a Gaussian V are independent with
    probability 1, so the n × K code is MDS and the local [d, m] code of each partition is MDS too (a
    non-zero local codeword vanishing at t holders needs n − d + t < K rows, i.e. t < m); hence
    s = d − m − 2a, the trade-off optimum, for every n ≥ d. With V a Vandermonde matrix and E the top-m
    coefficient readout this is the Ye–Abbe code; a Gaussian V replaces the exponentially ill-conditioned
    Vandermonde systems by Gaussian ones. Decoding one pattern inverts one K × K matrix: O(K³).
    """
    if code != "gaussian" or generator is not None or not is_real(field):
        raise InputError(
            "mds: --placement cyclic builds its own Gaussian code: use --field real --code gaussian "
            "(or --placement groups for any other linear code)"
        )
    if k is not None and k != n:
        raise InputError(f"mds: this construction has k = n partitions (got k={k}, n={n})")
    if not 1 <= m <= d <= n:
        raise InputError(f"mds: need 1 ≤ m ≤ d ≤ n (got m={m}, d={d}, n={n})")
    achieved = d - m - 2 * a
    if achieved < 0:
        raise InputError(f"mds: d − m − 2a = {achieved} < 0: the load d = {d} is too small")
    claimed = _claimed_stragglers(s, achieved, a, n, f"cyclic Gaussian code with d = {d}, m = {m}", "d − m − 2a")
    big_k = n - d + m
    gen = rng(seed)
    v = gen.standard_normal((n, big_k))
    readout = gen.standard_normal((m, big_k))
    assignment = cyclic_windows(n, d)
    encoding = np.zeros((n, n * m))
    for j in range(n):
        missing = [w for w in range(n) if j not in assignment[w]]
        if missing:
            _, _, vh = np.linalg.svd(v[missing])
            basis = vh[len(missing) :].T  # K × m, orthonormal basis of null(V_{N_j})
        else:
            basis = np.eye(big_k)
        block = v @ basis @ np.linalg.inv(readout @ basis)
        block[missing] = 0.0  # exact zeros where the partition is not held
        encoding[:, j * m : (j + 1) * m] = block
    construction: dict[str, Any] = {
        "n": n,
        "s": claimed,
        "m": m,
        "a": a,
        "field": field_name(field),
        "linear_code": {
            "family": "gaussian",
            "length": n,
            "dimension": big_k,
            "minimum_distance": n - big_k + 1,
            "mds": True,
            "local_length": d,
            "local_dimension": m,
            "achieved_s": achieved,
        },
        "placement": "cyclic",
        "generator": v.T.tolist(),
        "readout": readout.tolist(),
        "seed": seed,
    }
    return Code(
        scheme="mds",
        field=field,
        n=n,
        k=n,
        s=claimed,
        m=m,
        a=a,
        d=d,
        assignment=assignment,
        encoding=encoding,
        construction=construction,
    )


def code_generator(code: Code) -> np.ndarray:
    """The m × d generator G of an ``mds`` code, read from the construction record."""
    if code.scheme != "mds" or "generator" not in code.construction:
        raise InputError(f"scheme {code.scheme!r} is not an mds code with a recorded generator")
    rows = code.construction["generator"]
    if code.is_real:
        return np.asarray(rows, dtype=np.float64)
    return code.field(np.asarray(rows, dtype=np.int64))


def mds_decoder(code: Code, surviving: Sequence[int]) -> np.ndarray:
    """The m × |F| decoder X with X·B_F = T for an ``mds`` code: one m × m inverse per group.

    (Cyclic placement: X = E·V_F⁻¹ on the first K responders, one K × K inverse.) In each group the first m
    responders whose columns of G are independent are used (for an MDS code, simply the first m): S_g =
    (G_Cᵀ)⁻¹ f_C, and the decoder adds the groups' S_g. InputError when some group has too few (independent)
    responders.
    """
    gen = code_generator(code)
    m, d = gen.shape
    rows = sorted(int(i) for i in surviving)
    if len(set(rows)) != len(rows) or (rows and (rows[0] < 0 or rows[-1] >= code.n)):
        raise InputError(f"surviving workers must be distinct indices in 0..{code.n - 1}")
    if code.construction.get("placement") == "cyclic":
        big_k = gen.shape[0]
        if len(rows) < big_k:
            raise InputError(f"need at least K = {big_k} responders, got {len(rows)}")
        readout = np.asarray(code.construction["readout"], dtype=np.float64)
        decoder = np.zeros((code.m, len(rows)))
        decoder[:, :big_k] = readout @ np.linalg.inv(gen[:, rows[:big_k]].T)
        return decoder
    real = code.is_real
    decoder = np.zeros((m, len(rows))) if real else code.field.Zeros((m, len(rows)))
    for grp in range(code.n // d):
        positions = [p for p, w in enumerate(rows) if w // d == grp]
        chosen: list[int] = []
        for p in positions:
            trial = [*chosen, p]
            cols = gen[:, [rows[t] % d for t in trial]]
            rank = np.linalg.matrix_rank(cols) if real else int(np.linalg.matrix_rank(cols))
            if rank == len(trial):
                chosen = trial
            if len(chosen) == m:
                break
        if len(chosen) < m:
            raise InputError(f"group {grp} has fewer than m = {m} independent responders in {rows}")
        sub = gen[:, [rows[t] % d for t in chosen]]  # m × m, f_C = subᵀ S_g
        inverse = np.linalg.inv(sub.T)
        decoder[:, chosen] = inverse
    return decoder
