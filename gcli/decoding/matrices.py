"""Decoding a gradient code from the messages of the workers that responded.

* :func:`decoding_matrix` — the m × |F| decoder A_F with A_F·B_F = T for a set F of responders. When the
  code's construction block names a structured decoder (``"decoder"``), that one is used (``method="auto"``):

  - ``polynomial`` (Reed–Solomon / Ye–Abbe codes, :func:`gcli.polynomial_decoder`): the top m coefficients of
    the interpolating polynomial in barycentric form, O(K²) per set;
  - ``groups`` (fractional-repetition placement of a linear [d, m] code with generator G): per group g the
    group sums S_g solve G_{F_g}ᵀ·S_g = f_{F_g}; over the reals the least-squares solution (pseudo-inverse of
    an m × |F_g| matrix), over GF(q) the inverse of m independent columns. O((n/d)·m²·d) in all;
  - ``interpolation`` (cyclic placement B = V·C with readout E, E·C_j = I_m): X = E·V_F⁺ (reals; over GF(q)
    E·V_{F'}⁻¹ on K responders F'), since any left inverse L of V_F gives E·L·V_F·C = E·C = T. O(|F|·K²).

  Otherwise (``method="generic"``, or codes without a structured decoder): exact elimination over GF(q),
  the least-squares decoder T·B_F⁺ over the reals (always returned; check the residual, or use
  :func:`gcli.verify`, to know whether it is exact).
* :func:`decode` — Σ_j g_j from the responders' messages, refusing (:class:`gcli.InconsistentMessages`) messages
  that no gradients explain (:func:`inconsistent_messages`: the surplus is checked).

Example:
    >>> import numpy as np
    >>> from gcli.constructions import fractional_repetition
    >>> code = fractional_repetition(6, 2)
    >>> grads = np.arange(12.0).reshape(6, 2)
    >>> sent = code.encode(grads)
    >>> decode(code, [0, 1, 3, 5], sent[[0, 1, 3, 5]]).round(9).tolist()
    [30.0, 36.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from gcli.code import Code
from gcli.errors import BadFile, ImpossibleParameters, InconsistentMessages, NotSupported
from gcli.fields.arithmetic import field_matmul
from gcli.fields.linalg import row_reduce

__all__ = [
    "REAL_CONSISTENCY_RTOL",
    "decode", "decoding_matrix", "field_view", "inconsistent_messages", "structured_decoder", "structured_kind"]

Method = Literal["auto", "structured", "generic"]

REAL_CONSISTENCY_RTOL = 1e-7
"""Over the reals a set U of messages is *consistent* when ‖Y_U − P_U Y_U‖_F ≤ τ·‖Y_U‖_F with τ = 1e-7 (P_U the
projector onto col(B_U)). Honest messages Y = B·G computed in float64 leave a residual of about c·k·m·u·κ(B_U)
relative (u = 2⁻⁵³ ≈ 1.1·10⁻¹⁶ the unit round-off), below 10⁻¹¹ for the codes gcli builds (κ ≤ 10⁴ at their
sizes); a lie that moves the messages off the column space by more than τ of their norm is detected, and one
below it changes the decoded sum by at most about τ·κ·‖Y_U‖ (the decoder is least squares)."""


def structured_kind(code: Code) -> str | None:
    """The code's structured decoder: ``polynomial``, ``groups``, ``interpolation`` or None.

    Read from ``construction["decoder"]``; files written before that key existed are recognised by their
    scheme (``reed-solomon``) or mds placement (``fractional-repetition``, ``cyclic``).
    """
    construction = code.construction
    kind = construction.get("decoder")
    if kind in ("polynomial", "groups", "interpolation"):
        return str(kind)
    if code.scheme == "reed-solomon":
        return "polynomial"
    if code.scheme == "mds" and "generator" in construction:
        if construction.get("placement") == "fractional-repetition":
            return "groups"
        if construction.get("placement") == "cyclic" and "readout" in construction:
            return "interpolation"
    return None


def structured_decoder(code: Code, surviving: Sequence[int]) -> np.ndarray:
    """The m × |F| decoder X with X·B_F = T from the code's own structure (module docstring).

    InputError when the code has no structured decoder, or when the responders cannot decode (a group with
    fewer than m independent responders, fewer than K responders).
    """
    kind = structured_kind(code)
    rows = _surviving_rows(code, surviving)
    if kind == "polynomial":
        from gcli.decoding.polynomial import polynomial_decoder

        return polynomial_decoder(code, rows)
    if kind == "groups":
        return _group_decoder(code, rows)
    if kind == "interpolation":
        return _interpolation_decoder(code, rows)
    raise NotSupported(f"scheme {code.scheme!r} has no structured decoder (use the generic one)")


def decoding_matrix(code: Code, surviving: Sequence[int], method: Method = "auto") -> np.ndarray:
    """The decoder A_F (shape m × |F|) with A_F · B_F = T, for the given responding workers.

    ``method``: ``auto`` (the structured decoder when the code has one, else generic), ``structured`` or
    ``generic``. Generic over GF(q): a particular solution of B_Fᵀ A_Fᵀ = Tᵀ by Gauss–Jordan elimination
    (:func:`gcli.fields.linalg.row_reduce`), InputError when none exists; over the reals the least-squares
    decoder T · B_F⁺.
    """
    if method not in ("auto", "structured", "generic"):
        raise NotSupported(f"unknown decoding method {method!r}: use auto, structured or generic")
    rows = _surviving_rows(code, surviving)
    if method == "structured" or (method == "auto" and structured_kind(code) is not None):
        return structured_decoder(code, rows)
    block = code.encoding[rows]
    t = code.target
    if code.is_real:
        return t @ np.linalg.pinv(np.asarray(block))
    field = code.field
    r = len(rows)
    system = np.concatenate([block.T, t.T], axis=1).view(field)
    reduced = row_reduce(field, system, ncols=r)
    solution = field.Zeros((r, code.m))
    for row in reduced:
        nz = np.flatnonzero(np.asarray(row[:r].view(np.ndarray)))
        if nz.size == 0:
            if np.any(np.asarray(row[r:].view(np.ndarray))):
                raise ImpossibleParameters(f"the target is not recoverable from workers {list(rows)}")
            continue
        solution[nz[0]] = row[r:]
    return solution.T


def decode(code: Code, surviving: Sequence[int], messages: np.ndarray, method: Method = "auto",
           check: bool = True) -> np.ndarray:
    """Recover Σ_j g_j from the messages of the responding workers (shape (|F|, ℓ/m)); returns length ℓ.

    Row i of ``messages`` is the message of worker ``surviving[i]`` (any order). With ``check`` (the default) the
    messages must be consistent with one codeword, Y_F = B_F·G for some G (:func:`consistent_messages`), else
    :class:`~gcli.errors.InconsistentMessages`: the surplus beyond the rank of B_F is checked, so a lie the
    messages expose never becomes a silent wrong sum (issue 20; adversaries: :func:`gcli.decode_adversarial`).
    """
    decoder = decoding_matrix(code, surviving, method)
    received = np.asarray(messages) if code.is_real else field_view(code, messages)
    order = np.argsort(np.asarray(list(surviving), dtype=np.int64), kind="stable")
    if check:
        off = inconsistent_messages(code, sorted(int(i) for i in surviving), received[order])
        if off:
            raise InconsistentMessages(off, 0, "the messages are not Y = B_F·G for any gradients G")
    ordered = received[order]
    # (m, ℓ/m): block u is Σ_j g_j^(u)
    blocks = decoder @ ordered if code.is_real else field_matmul(code.field, decoder, ordered)
    return blocks.reshape(-1)


def inconsistent_messages(code: Code, rows: Sequence[int], values: Any) -> int:
    """0 when the messages ``values`` (one row per worker of the sorted ``rows``) are Y = B_F·G for some G, else
    the number of independent checks they fail (at least 1, at most |F| − rank B_F).

    The checks are a basis N of the left null space of B_F (N·B_F = 0): Y is consistent iff N·Y = 0. Over GF(q)
    exact (galois ``null_space``). Over the reals N comes from the SVD of B_F (singular values below
    1e-9·σ_max count as zero) and a row n of N fails when ‖n·Y‖ > τ·‖Y‖_F, τ =
    :data:`REAL_CONSISTENCY_RTOL` (1e-7: round-off of honest float64 messages is about
    k·m·u·κ(B_F), u = 2⁻⁵³, far below it).
    """
    block = code.encoding[list(rows)]
    if code.is_real:
        y = np.asarray(values, dtype=np.float64).reshape(len(rows), -1)
        u, sv, _ = np.linalg.svd(np.asarray(block, dtype=np.float64), full_matrices=True)
        rank = int((sv > 1e-9 * sv[0]).sum()) if sv.size and sv[0] > 0 else 0
        checks = u[:, rank:].T
        if not np.all(np.isfinite(y)):  # NaN/inf messages are no B_F·G: never consistent
            return max(1, checks.shape[0])
        if checks.shape[0] == 0:
            return 0
        norms = np.linalg.norm(checks @ y, axis=1)
        bound = REAL_CONSISTENCY_RTOL * max(float(np.linalg.norm(y)), 1e-300)
        return int(np.count_nonzero(~(norms <= bound)))  # written so a NaN norm counts as failing
    null = block.T.null_space()  # rows n with B_Fᵀ nᵀ = 0, i.e. n·B_F = 0
    if null.shape[0] == 0:
        return 0
    y = field_view(code, values).reshape(len(rows), -1)
    return int(np.count_nonzero(np.any(np.asarray(field_matmul(code.field, null, y).view(np.ndarray)) != 0, axis=1)))


def field_view(code: Code, values: np.ndarray) -> Any:
    """Interpret an integer array as elements of the code's field."""
    if isinstance(values, code.field):
        return values
    return code.field(np.asarray(values, dtype=np.int64))


def _recorded(code: Code, key: str) -> np.ndarray:
    """The matrix the construction block records under ``key``, checked as strictly as the encoding: a non-empty
    list of equal-length lists of numbers (integers in [0, q) over GF(q), finite over the reals)."""
    construction = code.construction if isinstance(code.construction, dict) else {}
    rows = construction.get(key)
    where = f"the construction block's {key}"
    if not isinstance(rows, list) or not rows or not all(isinstance(r, list) and r for r in rows) \
            or len({len(r) for r in rows}) != 1:
        raise BadFile(f"{where} must be a non-empty matrix (a list of equal-length lists)")
    allowed = (int, float) if code.is_real else (int,)
    if not all(type(x) in allowed for r in rows for x in r):
        raise BadFile(f"{where} must hold {'numbers' if code.is_real else 'integers'} only")
    try:
        if code.is_real:
            values = np.asarray(rows, dtype=np.float64)
            if not np.all(np.isfinite(values)):
                raise BadFile(f"{where} has non-finite entries")
            return values
        values = np.asarray(rows, dtype=np.int64)
    except OverflowError:
        raise BadFile(f"{where} has an entry out of range") from None
    if values.min() < 0 or values.max() >= code.field.order:
        raise BadFile(
            f"{where} entries over {code.field_name} must be integers in [0, {code.field.order})")
    return code.field(values)


def _group_decoder(code: Code, rows: list[int]) -> np.ndarray:
    """Per group: least squares (reals) or m independent responders (GF(q)) of the [d, m] generator."""
    gen = _recorded(code, "generator")
    m, d = gen.shape
    real = code.is_real
    decoder = np.zeros((m, len(rows))) if real else code.field.Zeros((m, len(rows)))
    positions: dict[int, list[int]] = {}
    for p, w in enumerate(rows):
        positions.setdefault(w // d, []).append(p)
    solved: dict[tuple[int, ...], tuple[list[int], np.ndarray] | None] = {}  # groups repeat a few patterns
    for grp in range(code.n // d):
        mine = positions.get(grp, [])
        cols = tuple(rows[p] % d for p in mine)
        if cols not in solved:
            solved[cols] = _group_solution(code, gen, list(cols), m)
        solution = solved[cols]
        if solution is None:
            raise ImpossibleParameters(f"group {grp} has fewer than m = {m} independent responders in {rows}")
        used, block = solution
        decoder[:, [mine[t] for t in used]] = block
    return decoder


def _group_solution(code: Code, gen: np.ndarray, cols: list[int], m: int) -> tuple[list[int], np.ndarray] | None:
    """(positions used, m × |used| block) with block · (G_colsᵀ S) = S for the responders ``cols`` of a group."""
    if code.is_real:
        sub = gen[:, cols]
        sv = np.linalg.svd(sub, compute_uv=False) if cols else np.zeros(1)
        if len(cols) < m or sv[m - 1] <= max(sub.shape) * np.finfo(np.float64).eps * sv[0]:
            return None
        return list(range(len(cols))), np.linalg.pinv(sub.T)  # S_g = (G_{F_g}ᵀ)⁺ f_{F_g}
    chosen = _independent_columns(code.field, gen, cols, m)
    if chosen is None:
        return None
    sub = gen[:, [cols[t] for t in chosen]]  # m × m, f_C = subᵀ S_g
    return chosen, np.linalg.inv(sub.T)


def _independent_columns(field: Any, gen: np.ndarray, cols: list[int], m: int) -> list[int] | None:
    """Positions (into ``cols``) of m linearly independent columns of ``gen``, greedily; None if there are none."""
    if len(cols) < m:
        return None
    first = list(range(m))
    if int(np.linalg.matrix_rank(gen[:, cols[:m]])) == m:  # an MDS code: the first m always work
        return first
    chosen: list[int] = []
    for t in range(len(cols)):
        trial = [*chosen, t]
        if int(np.linalg.matrix_rank(gen[:, [cols[i] for i in trial]])) == len(trial):
            chosen = trial
            if len(chosen) == m:
                return chosen
    return None


def _interpolation_decoder(code: Code, rows: list[int]) -> np.ndarray:
    """X = E·V_F⁺ (reals) or E·V_{F'}⁻¹ on the first K responders (GF(q)) for B = V·C."""
    v = _recorded(code, "generator").T  # n × K
    readout = _recorded(code, "readout")  # m × K
    big_k = v.shape[1]
    if len(rows) < big_k:
        raise ImpossibleParameters(f"need at least K = {big_k} responders, got {len(rows)}")
    if code.is_real:
        return readout @ np.linalg.pinv(v[rows])
    decoder = code.field.Zeros((code.m, len(rows)))
    decoder[:, :big_k] = readout @ np.linalg.inv(v[rows[:big_k]])
    return decoder


def _surviving_rows(code: Code, surviving: Sequence[int]) -> list[int]:
    rows = sorted(int(i) for i in surviving)
    if len(set(rows)) != len(rows) or (rows and (rows[0] < 0 or rows[-1] >= code.n)):
        raise ImpossibleParameters(f"surviving workers must be distinct indices in 0..{code.n - 1}")
    return rows
