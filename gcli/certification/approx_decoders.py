"""The three decoders of an approximate code, each defined once: ``optimal`` (least squares, X = T·B_F⁺),
``fixed`` (the decoder the construction documents) and ``unbiased`` (X₀[:, F]/(1 − p)); the matrices, the error
of one set and the request checks shared by the reports (:mod:`gcli.certification.approximation`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from gcli.code import Code
from gcli.defaults import DEFAULT_TOLERANCE, within
from gcli.errors import BadFile, ImpossibleParameters, NotSupported

__all__ = [
    "DECODERS",
    "ApproximateDecoder",
    "FixedDecoder",
    "approximate_decoder",
    "approximate_decoding_matrix",
    "approximation_error",
    "fixed_decoder",
    "unbiased_base",
]


DECODERS = ("optimal", "fixed", "unbiased")
"""The decoder kinds, in the order the reports list them."""

DEFAULT_EXPECTATION_SAMPLES = 20_000
"""Monte Carlo failure patterns for the optimal decoder's expected error when 2ⁿ exceeds the budget (fewer when
they would cost more than :data:`WORK_LIMIT` operations)."""

MIN_EXPECTATION_SAMPLES = 200
"""Below this many affordable Monte Carlo patterns the optimal decoder's expectation is not estimated by default."""

_RATIO_TOLERANCE = 1e-9  # X·B ∝ T up to this relative residual: the fixed decoder rescales to an unbiased one

WORK_LIMIT = 2e10
"""Floating-point operations the automatic extra passes (exact straggler counts, the optimal decoder's expectation)
may spend: a pass over N sets of r responders of a code with k·m columns costs at most about N·r²·k·m."""


def _work(count: float, size: int, columns: int) -> float:
    return float(count) * max(size, 1) ** 2 * max(columns, 1)


# ---------------------------------------------------------------------------------------------------------
# decoders
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FixedDecoder:
    """A documented linear decoder: X (m × n) restricted to the responders F, times n/|F| when ``scale`` is
    ``"n/|F|"`` (unbiased over uniformly random sets of |F| responders when X·B = T), else times 1."""

    matrix: np.ndarray
    scale: str
    description: str

    def weight(self, n: int, size: int) -> float:
        """The scalar applied to X_F for |F| = ``size`` responders."""
        if self.scale == "n/|F|":
            return n / size if size else 0.0
        return 1.0

    def for_set(self, responders: Sequence[int]) -> np.ndarray:
        """The m × |F| decoding matrix on these responders (sorted)."""
        rows = list(responders)
        return self.weight(self.matrix.shape[1], len(rows)) * self.matrix[:, rows]


def fixed_decoder(code: Code) -> FixedDecoder | None:
    """The fixed decoder the code's construction block documents, or None.

    Recognised ``construction.decoder`` blocks: ``{"kind": "sum"}`` (add the messages, m = 1), ``{"kind":
    "fixed", "weight": w}`` (graph codes: n/|F| on every responder, m = 1; w is that weight at |F| = n − s,
    n/(n − s), as the constructions document — Raviv et al.'s u_F = n/(n − s)·1 for n − s responders — and
    InputError when it is not), and ``{"kind": "fixed", "matrix": [[…]], "scale": "n/|F|" | "1"}`` (an explicit
    m × n matrix). The one definition of the fixed decoder: :mod:`gcli.training.decoders` (``simulate``, ``run``,
    :func:`gcli.make_decoder`) applies this one."""
    construction = code.construction if isinstance(code.construction, dict) else {}
    block = construction.get("decoder")
    if not isinstance(block, dict):
        return None
    kind = block.get("kind")
    matrix = block.get("matrix")
    if matrix is not None:
        try:
            x = np.asarray(matrix, dtype=np.float64)
        except (TypeError, ValueError):
            raise BadFile("the construction's decoder matrix is not a matrix of numbers") from None
        if x.shape != (code.m, code.n) or not np.all(np.isfinite(x)):
            raise BadFile(
                f"the construction's decoder matrix must be m × n = {code.m} × {code.n} finite numbers")
        scale = str(block.get("scale", "1"))
        if scale not in ("n/|F|", "1"):
            raise NotSupported(f"unknown decoder scale {scale!r}: use 'n/|F|' or '1'")
        note = "n/|F| times the recorded X_F" if scale == "n/|F|" else "the recorded X_F"
        return FixedDecoder(x, scale, str(block.get("note", note)))
    if code.m != 1:
        return None
    if kind == "sum":
        return FixedDecoder(np.ones((1, code.n)), "1", "the sum of the responders' messages")
    if kind == "fixed" and "weight" in block:
        weight = block.get("weight")
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not math.isfinite(weight):
            raise BadFile(f"the construction's decoder weight {weight!r} is not a finite number")
        # The decoder is n/|F| on every responder, whatever weight the file records: the recorded weight is a claim
        # (its value at |F| = n − s), re-derived by the certificate, which fails naming it when it disagrees.
        return FixedDecoder(np.ones((1, code.n)), "n/|F|", "n/|F| on every responder (Raviv et al.)")
    return None


@dataclass(frozen=True)
class _Decoders:
    """The decoders of one code: the documented fixed decoder and the unbiased base X₀ (X₀·B = T), if any."""

    fixed: FixedDecoder | None
    unbiased: np.ndarray | None
    unbiased_source: str | None

    def applies(self, name: str) -> bool:
        if name == "optimal":
            return True
        return (self.fixed if name == "fixed" else self.unbiased) is not None

    def matrix(self, name: str) -> np.ndarray:
        matrix = self.fixed.matrix if name == "fixed" and self.fixed is not None else self.unbiased
        assert matrix is not None
        return matrix

    def weight(self, name: str, n: int, size: int, p: float | None) -> float:
        if name == "fixed":
            assert self.fixed is not None
            return self.fixed.weight(n, size)
        assert p is not None
        return 1.0 / (1.0 - p)


_NO_DECODERS = _Decoders(None, None, None)


def _decoders(code: Code, tolerance: float = DEFAULT_TOLERANCE) -> _Decoders:
    if not code.is_real:
        return _NO_DECODERS
    enc = np.asarray(code.encoding, dtype=np.float64)
    target = np.asarray(code.target, dtype=np.float64)
    fixed = fixed_decoder(code)
    if fixed is not None:
        product = fixed.matrix @ enc
        beta = float(np.sum(product * target)) / float(np.sum(target * target))
        if beta > 0 and within(float(np.linalg.norm(product - beta * target)),
                               _RATIO_TOLERANCE * beta * float(np.linalg.norm(target))):
            return _Decoders(fixed, fixed.matrix / beta, "the fixed decoder rescaled so that X₀·B = T")
    x0, *_ = np.linalg.lstsq(enc.T, target.T, rcond=None)
    x0 = np.ascontiguousarray(x0.T)
    residual = float(np.linalg.norm(x0 @ enc - target)) / float(np.linalg.norm(target))
    if within(residual, tolerance):
        return _Decoders(fixed, x0, "the least-squares decoder of all n workers, X₀ = T·B⁺")
    return _Decoders(fixed, None, None)


def unbiased_base(code: Code) -> np.ndarray:
    """X₀ (m × n) with X₀·B = T, the base of the unbiased decoder X₀[:, F]/(1 − p) (module docstring);
    InputError when there is none (T not in the row space of B) or the code is over GF(q)."""
    if not code.is_real:
        raise NotSupported(f"the unbiased decoder approximates real gradients; this code is over {code.field_name}")
    decoders = _decoders(code)
    _require(code, decoders, "unbiased", 0.5)
    assert decoders.unbiased is not None
    return decoders.unbiased


def _check_p(p: float | None) -> float | None:
    if p is None:
        return None
    value = float(p)
    if not 0.0 < value < 1.0 or not math.isfinite(value):
        raise ImpossibleParameters(f"the failure probability must lie strictly between 0 and 1 (got {p})")
    return value


def _require(code: Code, decoders: _Decoders, decoder: str, p: float | None) -> None:
    if decoder not in DECODERS:
        raise NotSupported(f"unknown decoder {decoder!r}: use optimal, fixed or unbiased")
    if not code.is_real:
        raise NotSupported(f"the {decoder} decoder approximates real gradients; this code is over {code.field_name} "
                           "(a code over GF(q) decodes exactly or not at all)")
    if decoder == "fixed" and decoders.fixed is None:
        raise NotSupported(f"the {code.scheme} code documents no fixed decoder: use --decoder optimal or unbiased")
    if decoder == "unbiased":
        if decoders.unbiased is None:
            raise ImpossibleParameters(
                "no linear decoder of the form X₀[:, F]/(1 − p) is unbiased for this code: T is not in the row space "
                "of B" + ("" if decoders.fixed is None else
                          " as the fixed decoder gives it (X·B is not a multiple of T)"))
        if p is None:
            raise ImpossibleParameters("the unbiased decoder needs a failure probability: --failure-prob P")


@dataclass(frozen=True)
class ApproximateDecoder:
    """A decoder of a real code, prepared once and applied to any set of responders (what a simulator needs).

    ``kind``: ``optimal`` (least squares T·B_F⁺ per set), ``fixed`` (the construction's documented decoder) or
    ``unbiased`` (X₀[:, F]/(1 − p) with X₀·B = T); :meth:`matrix` gives the m × |F| decoding matrix for the sorted
    responders, whose row u applied to their messages estimates Σ_j g_j^(u)."""

    code: Code
    kind: str
    failure_prob: float | None
    fixed: FixedDecoder | None
    unbiased: np.ndarray | None

    def matrix(self, responders: Sequence[int]) -> np.ndarray:
        """The m × |F| decoding matrix for these responders (sorted, distinct)."""
        rows = _rows(self.code, responders)
        if self.kind == "optimal":
            if not rows:
                return np.zeros((self.code.m, 0))
            block = np.asarray(self.code.encoding, dtype=np.float64)[rows]
            target = np.asarray(self.code.target, dtype=np.float64)
            solution, *_ = np.linalg.lstsq(block.T, target.T, rcond=None)
            return np.asarray(solution.T)
        if self.kind == "fixed":
            assert self.fixed is not None
            return self.fixed.for_set(rows)
        assert self.unbiased is not None and self.failure_prob is not None
        return self.unbiased[:, rows] / (1.0 - self.failure_prob)


def approximate_decoder(code: Code, decoder: str = "optimal", failure_prob: float | None = None) -> ApproximateDecoder:
    """Prepare a decoder of a real code (InputError when it does not apply: no documented fixed decoder, no
    unbiased linear decoder, or no failure probability for the unbiased one).

    Example:
        >>> from gcli.constructions import bibd_code
        >>> decoder = approximate_decoder(bibd_code(7, 3, 1, s=1, m=2), "unbiased", failure_prob=0.2)
        >>> decoder.matrix([0, 1, 2, 4, 5]).shape
        (2, 5)
    """
    p = 0.0 if failure_prob == 0 else _check_p(failure_prob)  # p = 0: nobody is missing, X₀[:, F] itself
    decoders = _decoders(code)
    _require(code, decoders, decoder, p)
    return ApproximateDecoder(code, decoder, p, decoders.fixed, decoders.unbiased)


def approximate_decoding_matrix(
    code: Code, responders: Sequence[int], decoder: str = "optimal", failure_prob: float | None = None
) -> np.ndarray:
    """The m × |F| decoding matrix of a real code for the given responders (sorted) and decoder kind.

    ``optimal``: T·B_F⁺ (least squares); ``fixed``: the construction's documented decoder; ``unbiased``:
    X₀[:, F]/(1 − p) with X₀·B = T (needs ``failure_prob``). The estimate of Σ_j g_j^(u) is row u of the result
    applied to the responders' messages. InputError when the decoder does not apply to the code. For many sets,
    prepare the decoder once with :func:`approximate_decoder`.

    Example:
        >>> from gcli.constructions import graph_code
        >>> code = graph_code("petersen", n=10, s=1)
        >>> approximate_decoding_matrix(code, range(9), "fixed").round(4)[0, :3].tolist()
        [1.1111, 1.1111, 1.1111]
    """
    return approximate_decoder(code, decoder, failure_prob).matrix(responders)


def approximation_error(
    code: Code, responders: Sequence[int], decoder: str = "optimal", failure_prob: float | None = None
) -> float:
    """‖X·B_F − T‖_F² for the decoder of :func:`approximate_decoding_matrix` (a direct numpy computation: the
    reference the engine is tested against)."""
    rows = _rows(code, responders)
    x = approximate_decoding_matrix(code, rows, decoder, failure_prob)
    block = np.asarray(code.encoding, dtype=np.float64)[rows]
    diff = x @ block - np.asarray(code.target, dtype=np.float64)
    return float(np.sum(diff * diff))


def _rows(code: Code, responders: Sequence[int]) -> list[int]:
    rows = sorted(int(i) for i in responders)
    if len(set(rows)) != len(rows) or (rows and (rows[0] < 0 or rows[-1] >= code.n)):
        raise ImpossibleParameters(f"responders must be distinct workers in 0..{code.n - 1}")
    return rows


