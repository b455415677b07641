"""Batched linear algebra for verification: many straggler patterns at once.

galois has no stacked linear algebra (its issue #538), and calling it once per pattern costs about a
millisecond of interpreter overhead per call. These kernels take a 3-D stack of systems and eliminate them
together:

* :func:`batched_consistent` — over GF(q): for each system [A | R], is A·Y = R solvable? (Gauss–Jordan
  elimination restricted to A's columns, vectorised across the stack.) The arithmetic is
  :func:`gcli.fields.arithmetic.field_ops`: int64 numpy arithmetic where it applies, galois' ufuncs otherwise.
* :func:`row_reduce` — one matrix over GF(q) in reduced row echelon form (the same elimination, galois' result
  without galois' JIT compilation);
* :func:`batched_real_report` — over the reals: a batched SVD gives each system's rank, condition number
  (largest over smallest *non-negligible* singular value) and the residual of projecting the target onto the
  row space;
* :func:`row_space_coordinates` — a wide real B (n × c, c > n) and T in the coordinates of an orthonormal basis
  of a space holding rowspan(B), and the part of T outside it: least squares on any rows of B then costs
  O(n) per column instead of O(c).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from gcli.fields import Field, is_real
from gcli.fields.arithmetic import Ops, arithmetic, arithmetic_applies, field_ops
from gcli.fields.arithmetic import raw as _raw

__all__ = ["RealBatch", "batched_consistent", "batched_real_report", "condition_numbers", "row_reduce",
           "row_space_coordinates"]


def _eliminate(ops: Ops, m: np.ndarray, n_unknowns: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Jordan elimination of a stack of matrices in place, pivots among the first ``n_unknowns`` columns
    (the first non-zero entry at or below the current rank): the reduced row echelon forms and the ranks."""
    b, rows, _ = m.shape
    batch = np.arange(b)
    rank = np.zeros(b, dtype=np.int64)
    row_ids = np.arange(rows)
    for col in range(n_unknowns):
        column = _raw(m[:, :, col])
        candidates = (column != 0) & (row_ids[None, :] >= rank[:, None])
        has_pivot = candidates.any(axis=1)
        if not has_pivot.any():
            continue
        sel = batch[has_pivot]
        pivot_row = np.argmax(candidates[has_pivot], axis=1)
        target_row = rank[has_pivot]
        # swap the pivot row into place
        upper = m[sel, target_row].copy()
        m[sel, target_row] = m[sel, pivot_row]
        m[sel, pivot_row] = upper
        # normalise it
        scale = ops.inv(m[sel, target_row, col])
        m[sel, target_row] = ops.mul(m[sel, target_row], scale[:, None])
        # eliminate the column from every other row
        sub = m[sel]
        factors = sub[:, :, col].copy()
        factors[np.arange(sel.size), target_row] = 0
        pivot_rows = m[sel, target_row]
        m[sel] = ops.sub(sub, ops.mul(factors[:, :, None], pivot_rows[:, None, :]))
        rank[has_pivot] += 1
    return m, rank


def row_reduce(field: Any, matrix: Any, ncols: int | None = None) -> Any:
    """The reduced row echelon form of a matrix over GF(q), pivots among its first ``ncols`` columns (all by
    default), as an array of ``field``'s class: what galois' ``FieldArray.row_reduce(ncols=…)`` returns (the
    reduced form is unique), computed with :class:`gcli.fields.arithmetic.FieldArithmetic` where it applies (no
    JIT compilation; galois compiles its elimination in every fresh process).

    >>> from gcli.fields import gf
    >>> F = gf(7)
    >>> row_reduce(F, F([[2, 4, 6], [1, 2, 4]])).tolist()
    [[1, 2, 0], [0, 0, 1]]
    """
    p, e = int(field.characteristic), int(field.degree)
    ops: Ops = arithmetic(field) if arithmetic_applies(p, e) else field_ops(field)
    m = ops.asarray(matrix)
    m, _ = _eliminate(ops, m.reshape(1, *m.shape).copy(), m.shape[1] if ncols is None else ncols)
    return field(_raw(m[0]))


def batched_consistent(field: Field, systems: np.ndarray, n_unknowns: int) -> np.ndarray:
    """For each system ``S = [A | R]`` in the stack (shape (b, rows, n_unknowns + r)), is A·Y = R solvable?

    Gauss–Jordan elimination with pivots chosen among A's columns only; the system is consistent iff every row
    left without a pivot has R-part zero. Returns a bool array of length b.
    """
    if is_real(field):
        raise TypeError("batched_consistent is for finite fields; use batched_real_report over the reals")
    ops = field_ops(field)
    m, rank = _eliminate(ops, ops.asarray(systems).copy(), n_unknowns)
    row_ids = np.arange(m.shape[1])
    rhs = _raw(m[:, :, n_unknowns:])
    free_rows = row_ids[None, :] >= rank[:, None]
    return ~((rhs != 0).any(axis=2) & free_rows).any(axis=1)


@dataclass(frozen=True)
class RealBatch:
    """Per-pattern results of :func:`batched_real_report` (arrays of length b).

    ``error`` is the relative error of decoding messages with the least-squares decoder (None when no messages
    were given)."""

    rank: np.ndarray
    condition: np.ndarray
    residual: np.ndarray
    error: np.ndarray | None = None


_REAL_CHUNK_ENTRIES = 1 << 21  # entries of B_F stacks processed at once: bounded memory
FAST_CONDITION_LIMIT = 1e8  # above this κ the QR route and the SVD may disagree by more than ~ε·κ ≈ 1e-8 relative


def batched_real_report(
    blocks: np.ndarray,
    target: np.ndarray,
    rtol: float | None = None,
    method: str = "auto",
    messages: np.ndarray | None = None,
    truth: np.ndarray | None = None,
) -> RealBatch:
    """Rank, condition number and residual of each B_F in a stack (shape (b, r, c)) against T (shape (m, c)).

    * rank: singular values above ``rtol · σ_max`` (default ``max(r, c) · eps``, numpy's ``matrix_rank``
      rule);
    * condition: σ_max / σ_rank, the 2-norm condition number of B_F restricted to its row space;
    * residual: ‖X B_F − T‖_F for the least-squares decoder X = T B_F⁺, i.e. ‖T (I − P)‖_F with P the
      orthogonal projector onto rowspan(B_F);
    * error (when ``messages`` (b, r, L) and ``truth`` (m, L) are given): ‖X f_F − truth‖_F / ‖truth‖_F, the
      relative error of decoding the responders' messages f_F with that decoder in float64.

    ``method="svd"``: P = V Vᵀ from the SVD B_F = U Σ Vᵀ restricted to the retained singular values (the
    reference), and X f = T V Σ⁺ Uᵀ f. ``method="auto"``: when r ≤ c, first a batched thin QR B_Fᵀ = Q R; B_F
    and R have the same singular values, so ``svd(R, compute_uv=False)`` gives them cheaply, and when B_F has
    full row rank P = Q Qᵀ and X f = (T Q)(R⁻ᵀ f). Householder QR is backward stable, so σ_min(R) matches the
    SVD's to about ε·κ relative and the residuals agree to about ε·κ·‖T‖; patterns with κ >
    :data:`FAST_CONDITION_LIMIT` (or rank-deficient, or r > c) are recomputed by the SVD route, so the two
    routes agree to about ε·κ ≤ 2e-8 relative — the accuracy to which either one determines σ_min at all (both
    are backward stable). The stack is processed in chunks of bounded size.
    """
    if method not in ("auto", "svd"):
        raise ValueError(f"unknown method {method!r}")
    b, r, c = blocks.shape
    if rtol is None:
        rtol = max(r, c) * np.finfo(np.float64).eps
    rank = np.zeros(b, dtype=np.int64)
    condition = np.zeros(b, dtype=np.float64)
    residual = np.zeros(b, dtype=np.float64)
    error = None if messages is None else np.zeros(b, dtype=np.float64)
    norm_truth = 1.0 if truth is None else (float(np.linalg.norm(truth)) or 1.0)
    chunk = max(1, _REAL_CHUNK_ENTRIES // max(r * c, 1))
    for lo in range(0, b, chunk):
        part = blocks[lo : lo + chunk]
        sent = None if messages is None else messages[lo : lo + chunk]
        sl = slice(lo, lo + part.shape[0])
        if method == "svd" or r > c or r == 0:
            rank[sl], condition[sl], residual[sl], err = _svd_report(part, target, rtol, sent, truth)
            if error is not None:
                error[sl] = err / norm_truth
            continue
        q, rr = np.linalg.qr(np.swapaxes(part, 1, 2))  # q: (b, c, r), rr: (b, r, r)
        sv = np.linalg.svd(rr, compute_uv=False)
        with np.errstate(divide="ignore", invalid="ignore"):
            kappa = sv[:, 0] / sv[:, -1]
        fast = (sv[:, -1] > rtol * sv[:, 0]) & (kappa <= FAST_CONDITION_LIMIT) & np.isfinite(kappa)
        every = bool(fast.all())
        qf = q if every else q[fast]
        tq = target @ qf  # (b, m, r)
        projected = tq @ np.swapaxes(qf, 1, 2)  # T Q Qᵀ, shape (b, m, c)
        diff = projected - target
        res = np.sqrt(np.einsum("buc,buc->b", diff, diff))
        idx = np.arange(lo, lo + part.shape[0]) if every else np.flatnonzero(fast) + lo
        rank[idx] = r
        condition[idx] = kappa if every else kappa[fast]
        residual[idx] = res
        if error is not None and sent is not None and truth is not None:
            rf = rr if every else rr[fast]
            y = np.linalg.solve(np.swapaxes(rf, 1, 2), sent if every else sent[fast])  # R⁻ᵀ f: (b, r, L)
            estimate = tq @ y  # (b, m, L)
            error[idx] = np.linalg.norm(estimate - truth[None], axis=(1, 2)) / norm_truth
        if not every:
            slow = np.flatnonzero(~fast)
            rank[slow + lo], condition[slow + lo], residual[slow + lo], err = _svd_report(
                part[slow], target, rtol, None if sent is None else sent[slow], truth
            )
            if error is not None:
                error[slow + lo] = err / norm_truth
    return RealBatch(rank=rank, condition=condition, residual=residual, error=error)


def condition_numbers(blocks: np.ndarray) -> np.ndarray:
    """κ = σ_max / σ_rank for each matrix of a stack (b, r, c), rank by numpy's ``matrix_rank`` rule; ∞ for a
    zero matrix. (The condition numbers of :func:`batched_real_report`, without the residuals.)"""
    _, r, c = blocks.shape
    sv = np.linalg.svd(blocks, compute_uv=False)
    rank, smallest = _rank_and_smallest(sv, max(r, c) * np.finfo(np.float64).eps)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(rank > 0, sv[:, 0] / smallest, np.inf)


def _rank_and_smallest(sv: np.ndarray, rtol: float) -> tuple[np.ndarray, np.ndarray]:
    """Numerical rank (singular values above rtol·σ_max) and the smallest retained singular value."""
    rank = (sv > rtol * sv[:, :1]).sum(axis=1)
    smallest = np.where(rank > 0, np.take_along_axis(sv, np.maximum(rank - 1, 0)[:, None], axis=1)[:, 0], 0.0)
    return rank, smallest


def _svd_report(
    blocks: np.ndarray, target: np.ndarray, rtol: float, messages: np.ndarray | None, truth: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """The SVD route of :func:`batched_real_report` for one chunk (errors not yet divided by ‖truth‖)."""
    u, sv, vh = np.linalg.svd(blocks, full_matrices=False)
    keep = sv > rtol * sv[:, :1]
    rank, smallest = _rank_and_smallest(sv, rtol)
    with np.errstate(divide="ignore", invalid="ignore"):
        condition = np.where(rank > 0, sv[:, 0] / smallest, np.inf)
    v = vh * keep[:, :, None]  # (b, q, c): retained right singular vectors as rows
    coords = np.matmul(target, np.swapaxes(v, 1, 2))  # T V: (b, m, q)
    projected = coords @ v  # T V Vᵀ: (b, m, c)
    residual = np.linalg.norm(projected - target[None, :, :], axis=(1, 2))
    error = None
    if messages is not None and truth is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            inverse = np.where(keep, 1.0 / sv, 0.0)  # Σ⁺
        estimate = coords @ (inverse[:, :, None] * (np.swapaxes(u, 1, 2) @ messages))  # T V Σ⁺ Uᵀ f
        error = np.linalg.norm(estimate - truth[None], axis=(1, 2))
    return rank, condition, residual, error


def row_space_coordinates(encoding: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray, float,
                                                                           np.ndarray]:
    """(B·Q, T·Q, ‖T⊥‖², Q) for a real B (n × c) and T (m × c): Q (c × n) with orthonormal columns and
    Bᵀ = Q·R (Householder QR), so B = (B·Q)·Qᵀ holds every row of B, and T⊥ = T − T·Q·Qᵀ.

    For any rows F, T⊥ is orthogonal to rowspan(B_F) ⊆ span(Q), so with C = B·Q every least-squares figure splits
    into orthogonal parts:

        T·B_F⁺ = (T·Q)·C_F⁺,   ‖T − T·P_F‖² = ‖T·Q − T·Q·P'_F‖² + ‖T⊥‖²,   κ(B_F) = κ(C_F),

    P_F, P'_F the projectors onto the rows of B_F and C_F; likewise ‖X·B_F − T‖² = ‖X·C_F − T·Q‖² + ‖T⊥‖² for
    any decoder X. A wide code (c = k·m ≫ n) is then solved on n columns instead of c.

    Example:
        >>> b = np.array([[1.0, 0, 1, 0, 0, 0], [0.0, 1, 0, 1, 0, 0]])
        >>> t = np.array([[1.0, 1, 1, 1, 1, 1]])
        >>> c, tq, outside, q = row_space_coordinates(b, t)
        >>> c.shape, tq.shape, round(outside, 12)  # the last two ones of T are outside rowspan(B)
        ((2, 2), (1, 2), 2.0)
    """
    basis = np.linalg.qr(np.asarray(encoding, dtype=np.float64).T)[0]
    coords = np.ascontiguousarray(encoding @ basis)
    target_coords = np.ascontiguousarray(target @ basis)
    rest = target - target_coords @ basis.T
    return coords, target_coords, float(np.sum(rest * rest)), basis
