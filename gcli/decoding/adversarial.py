"""Decoding with adversarial (Byzantine) workers: recover Σ_j g_j although up to a responders lie.

A code certified by :func:`gcli.verify` decodes from every n − s − 2a responders. Given the messages of a set
R of at least n − s responders, at most a of them corrupted, two methods recover the exact sum:

* ``berlekamp-welch`` — every code over GF(q) whose messages are Reed–Solomon codewords: the polynomial
  (Ye–Abbe) codes — scheme ``reed-solomon``, ``crc`` over GF(q), ``mds`` with the cyclic placement over GF(q)
  — where worker w sends P(θ_w) for one polynomial P of K = n − s − 2a coefficients whose top m are the sums;
  and ``mds`` codes whose local code is the Reed–Solomon evaluation code with the groups placement, where the
  messages of group g are P_g(α^i), i = 0..d−1, with the m coefficients of P_g the group's sums. Each word
  (the whole code, or one group) has at least K + 2a received values, so Berlekamp–Welch
  (:func:`gcli.decoding.polynomial.berlekamp_welch`) finds P despite a errors. The liars are first located once on a
  random combination of the coordinates and the rest erasure-decoded (O(|R|³ + K²·ℓ/m), verified exactly);
  if that check fails, each coordinate is decoded on its own (O(|R|³) per coordinate). Workers whose
  messages disagree with P are reported as suspects.
* ``subsets`` (any linear code, any field): within each connected component of the worker–partition graph (B
  is block diagonal over them; the whole code for cyclic placements, each group for fractional repetition),
  try every set S of a responders to discard, in lexicographic order, and keep U = R \\ S when the messages
  Y_U are *consistent*, i.e. Y_U = B_U·X for some X (each column of Y_U lies in the column space of B_U). Any
  consistent U gives the right sum: U holds at least |R| − 2a ≥ n − s − 2a honest workers H, which alone
  decode (verify), so T·X = A_H·B_H·X = A_H·Y_H = T·x (per component likewise: a component missing at most s +
  2a of its workers decodes its share, since B is block diagonal). Over GF(q) consistency is exact (ranks over
  the field) and the first consistent U is used. Over the reals it is the relative least-squares residual ‖Y_U
  − P_U Y_U‖_F / ‖Y_U‖_F (P_U the orthogonal projector onto col(B_U), numerical rank at relative tolerance
  1e-9); the U with the smallest residual is used, and the sum is decoded from it by least squares. Cost: Σ_c
  C(|R_c|, a) consistency checks over the components c, each one SVD of an |U| × k·m matrix — exponential in
  a, meant for the small a of practice. Suspects: discarded workers whose own message is inconsistent with U.

**Beyond the budget** (issue 20): neither method returns a sum the received words expose. When no codeword lies
within a positions of the received messages (no consistent U; over the reals no U with relative residual at most
:data:`REAL_CONSISTENCY_RTOL`; for Berlekamp–Welch, coordinates whose error positions differ or exceed a, or
surplus messages off the interpolant when a = 0) the decoder raises :class:`gcli.InconsistentMessages` ("cannot
decode: N inconsistent messages"). With a = 0 the surplus is checked too. A lie placed at another codeword within
a positions is indistinguishable from honesty and fools every decoder.

``method="auto"`` picks Berlekamp–Welch whenever the code is one of the Reed–Solomon-generated codes above.

References: E. R. Berlekamp, L. R. Welch, US patent 4,633,470 (1986); T. Jahani-Nezhad, M. A. Maddah-Ali,
"Optimal Communication-Computation Trade-Off in Heterogeneous Gradient Coding", IEEE JSAIT 2021 (each
adversary costs two erasures).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from gcli.code import Code
from gcli.decoding.matrices import REAL_CONSISTENCY_RTOL, inconsistent_messages, structured_kind
from gcli.decoding.polynomial import (
    code_points,
    decode_word,
    is_polynomial_code,
    polynomial_dimension,
    solve_particular,
)
from gcli.defaults import within
from gcli.errors import ImpossibleParameters, InconsistentMessages, NotSupported
from gcli.fields import as_array

if TYPE_CHECKING:
    import galois

__all__ = ["REAL_CONSISTENCY_RTOL", "AdversarialDecoding", "decode_adversarial", "decode_adversarial_report"]

Method = Literal["auto", "berlekamp-welch", "subsets"]
_REAL_RANK_RTOL = 1e-9


@dataclass(frozen=True)
class AdversarialDecoding:
    """The recovered sum (length ℓ), the workers shown to have lied, and the method used."""

    total: np.ndarray
    suspects: tuple[int, ...]
    method: str
    residual: float | None = None


def decode_adversarial(
    code: Code, received: Mapping[int, Any], *, adversaries: int | None = None, method: Method = "auto"
) -> np.ndarray:
    """Σ_j g_j (length ℓ) from the messages ``received[w]`` (length ℓ/m each) of at least n − s workers.

    Up to ``adversaries`` (default: the code's a) of them may be arbitrary; see the module docstring.
    """
    return decode_adversarial_report(code, received, adversaries=adversaries, method=method).total


def decode_adversarial_report(
    code: Code, received: Mapping[int, Any], *, adversaries: int | None = None, method: Method = "auto"
) -> AdversarialDecoding:
    """Like :func:`decode_adversarial`, also returning the suspects and the method used."""
    a = code.a if adversaries is None else adversaries
    if a < 0:
        raise ImpossibleParameters("the number of adversaries must be non-negative")
    workers = sorted(int(w) for w in received)
    if len(set(workers)) != len(workers) or (workers and (workers[0] < 0 or workers[-1] >= code.n)):
        raise ImpossibleParameters(f"received workers must be distinct indices in 0..{code.n - 1}")
    needed = code.n - code.s - 2 * code.a + 2 * a
    if len(workers) < needed:
        raise ImpossibleParameters(
            f"need messages from at least n − s − 2a + 2·{a} = {needed} workers to correct {a} adversaries "
            f"(got {len(workers)})"
        )
    rows = [np.asarray(received[w]).reshape(-1) for w in workers]
    if len({r.shape[0] for r in rows}) != 1:
        raise ImpossibleParameters("all messages must have the same length ℓ/m")
    messages = as_array(code.field, np.stack(rows))
    if method == "auto":
        method = "berlekamp-welch" if reed_solomon_words(code) is not None else "subsets"
    if method == "berlekamp-welch":
        return _berlekamp_welch(code, workers, messages, a)
    if method == "subsets":
        return _subsets(code, workers, messages, a)
    raise NotSupported(f"unknown method {method!r}: use auto, berlekamp-welch or subsets")


def reed_solomon_words(code: Code) -> tuple[int, list[tuple[list[int], np.ndarray]]] | None:
    """(K, [(workers, evaluation points), …]) when the messages are Reed–Solomon words, else None.

    One word over all workers for polynomial codes; one per group for grouped mds codes with the
    Reed–Solomon local code (module docstring). Real codes: None.
    """
    if code.is_real:
        return None
    if is_polynomial_code(code):
        return polynomial_dimension(code), [(list(range(code.n)), code_points(code))]
    linear = code.construction.get("linear_code")
    if structured_kind(code) != "groups" or not isinstance(linear, dict) or linear.get("family") != "reed-solomon":
        return None
    generator = code.construction["generator"]
    points = linear.get("evaluation_points")
    if points is None and len(generator) >= 2:
        points = generator[1]  # G[1, i] = α^i
    if points is None:
        return None
    theta = code.field(np.asarray(points, dtype=np.int64))
    length = len(theta)
    return len(generator), [(list(range(g * length, (g + 1) * length)), theta) for g in range(code.n // length)]


def _berlekamp_welch(code: Code, workers: list[int], messages: np.ndarray, a: int) -> AdversarialDecoding:
    words = reed_solomon_words(code)
    if words is None:
        raise ImpossibleParameters(
            "berlekamp-welch needs a code over GF(q) generated by a Reed–Solomon code; use method='subsets'"
        )
    big_k, components = words
    field = code.field
    blocks = field.Zeros((code.m, messages.shape[1]))
    bad: set[int] = set()
    position = {w: p for p, w in enumerate(workers)}
    for members, points in components:
        local = [w for w in members if w in position]
        offset = members[0]
        theta = points[[w - offset for w in local]]
        part, wrong = decode_word(field, theta, messages[[position[w] for w in local]], a, big_k, code.m)
        blocks = blocks + part
        bad.update(local[i] for i in wrong)
    # the codewords B·G may be a subspace of the Reed–Solomon words (rank B < K): the rest must be one of them
    keep = [p for p, w in enumerate(workers) if w not in bad]
    off = inconsistent_messages(code, [workers[p] for p in keep], messages[keep])
    if off:
        raise InconsistentMessages(len(bad) + off, a, "the messages outside the error positions are no codeword")
    return AdversarialDecoding(blocks.reshape(-1), tuple(sorted(bad)), "berlekamp-welch")


def _components(code: Code) -> list[tuple[list[int], list[int]]]:
    """Workers and columns of the connected components of the worker–partition incidence graph.

    B is block diagonal over them (rows of one component only touch its own columns), so each component's
    share of the sum can be decoded on its own (used by ``subsets`` to try C(|R_c|, a) sets per component
    rather than C(|R|, a) overall; the FRC groups of :func:`gcli.constructions.mds` are such components).
    """
    parent = list(range(code.n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    holder: dict[int, int] = {}
    for w, row in enumerate(code.assignment):
        for j in row:
            if j in holder:
                parent[find(w)] = find(holder[j])
            else:
                holder[j] = w
    groups: dict[int, list[int]] = {}
    for w in range(code.n):
        groups.setdefault(find(w), []).append(w)
    out: list[tuple[list[int], list[int]]] = []
    for members in groups.values():
        parts = sorted({j for w in members for j in code.assignment[w]})
        cols = [j * code.m + u for j in parts for u in range(code.m)]
        if cols:
            out.append((members, cols))
    covered = {c for _, cols in out for c in cols}
    if len(covered) != code.k * code.m:
        raise ImpossibleParameters("some partition is held by no worker: the sum cannot be decoded")
    return out


def _subsets(code: Code, workers: list[int], messages: np.ndarray, a: int) -> AdversarialDecoding:
    real = code.is_real
    enc = np.asarray(code.encoding, dtype=np.float64) if real else code.encoding
    values = np.asarray(messages, dtype=np.float64) if real else messages
    target = code.target
    total = np.zeros((code.m, values.shape[1])) if real else code.field.Zeros((code.m, values.shape[1]))
    suspects: list[int] = []
    worst = 0.0
    for members, cols in _components(code):
        inside = set(members)
        pos = [p for p, w in enumerate(workers) if w in inside]
        block = enc[[workers[p] for p in pos]][:, cols]
        part, bad, residual = _component(code, block, target[:, cols], values[pos], min(a, len(pos)))
        total = total + part
        suspects.extend(workers[pos[i]] for i in bad)
        worst = max(worst, residual)
    return AdversarialDecoding(total.reshape(-1), tuple(sorted(suspects)), "subsets", worst if real else None)


def _component(
    code: Code, block: np.ndarray, target: np.ndarray, values: np.ndarray, a: int
) -> tuple[np.ndarray, list[int], float]:
    """Decode one component: (its share of the sum, positions shown corrupt, residual of the kept set)."""
    rows = range(block.shape[0])
    drops = list(itertools.combinations(rows, a))
    if code.is_real:
        residuals = np.array([_real_residual(block, values, drop) for drop in drops])
        residuals[~np.isfinite(residuals)] = np.inf  # NaN never wins the argmin nor passes as consistent
        best = int(np.argmin(residuals))
        if not within(residuals[best], REAL_CONSISTENCY_RTOL):
            raise InconsistentMessages(a + 1, a, f"with any {a} of the {block.shape[0]} messages set aside the "
                                       f"rest leave a relative residual ≥ {residuals[best]:.3g} > "
                                       f"{REAL_CONSISTENCY_RTOL:g}")
        keep = [p for p in rows if p not in drops[best]]
        share = target @ np.linalg.pinv(block[keep]) @ values[keep]
        floor = 1e3 * max(float(residuals[best]), 1e-12)
        bad = [
            p for p in drops[best]
            if _real_residual(block, values, tuple(q for q in drops[best] if q != p)) > floor
        ]
        return share, bad, float(residuals[best])
    for drop in drops:
        keep = [p for p in rows if p not in drop]
        if _gf_consistent(code.field, block[keep], values[keep]):
            share = _gf_decoder(code.field, block[keep], target) @ values[keep]
            bad = [p for p in drop if not _gf_consistent(code.field, block[sorted([*keep, p])],
                                                          values[sorted([*keep, p])])]
            return share, bad, 0.0
    raise InconsistentMessages(a + 1, a, f"no {block.shape[0] - a} of the {block.shape[0]} received messages "
                               "are consistent with one codeword")


def _gf_decoder(field: type[galois.FieldArray], block: np.ndarray, target: np.ndarray) -> np.ndarray:
    """X with X·block = target over GF(q) (InputError when the target is not in the row space)."""
    decoder = field.Zeros((target.shape[0], block.shape[0]))
    for u in range(target.shape[0]):
        row = solve_particular(field, block.T, target[u])
        if row is None:
            raise ImpossibleParameters("the received workers cannot decode the sum (too many stragglers?)")
        decoder[u] = row
    return decoder


def _gf_consistent(field: type[galois.FieldArray], block: np.ndarray, values: np.ndarray) -> bool:
    """Is every column of ``values`` in the column space of ``block`` (exact ranks over GF(q))?"""
    base = int(np.linalg.matrix_rank(block))
    stacked = np.concatenate([block, values], axis=1).view(field)
    return int(np.linalg.matrix_rank(stacked)) == base


def _real_residual(block: np.ndarray, values: np.ndarray, drop: tuple[int, ...]) -> float:
    """‖Y_U − P_U Y_U‖_F / ‖Y_U‖_F for U = the rows of ``block`` not in ``drop``."""
    keep = [p for p in range(block.shape[0]) if p not in drop]
    u, sv, _ = np.linalg.svd(block[keep], full_matrices=False)
    rank = int((sv > _REAL_RANK_RTOL * sv[0]).sum()) if sv.size and sv[0] > 0 else 0
    basis = u[:, :rank]
    kept = values[keep]
    residual = kept - basis @ (basis.T @ kept)
    scale = max(float(np.linalg.norm(kept)), 1e-300)
    return float(np.linalg.norm(residual)) / scale
