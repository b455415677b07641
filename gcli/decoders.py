"""Decoders as policies: a decoder is a function from (code, responders) to a decoding matrix.

For a code with encoding B (n × k·m) and target T (m × k·m, :mod:`gcli.code`), a decoder maps the sorted list
F of responding workers to X_F (m × |F|); the server's estimate of block u of the gradient sum is
Σ_{i ∈ F} X_F[u, i] f_i, and its error is E(F) = ‖X_F B_F − T‖_F² (literature §0). :func:`make_decoder` builds
one by name; the names are

* ``exact`` — :func:`gcli.decoding_matrix`: exact elimination over GF(q), least squares over the reals; raises
  :class:`~gcli.InputError` when X_F B_F = T fails (residual ‖X_F B_F − T‖_F/‖T‖_F above ``tolerance``);
* ``optimal`` — least squares X_F = T·B_F⁺ (reals): the smallest error any decoder reaches on F; over GF(q)
  there is no approximation and it is ``exact``;
* ``fixed`` — the decoder the construction documents in its ``construction["decoder"]`` block, applied as
  written: ``{"kind": "sum"}`` (weight 1 on every responder, m = 1), ``{"kind": "fixed", "weight": w}``
  (weight w on every responder, m = 1; e.g. n/(n − s) for Raviv et al.'s expander codes), or
  ``{"kind": "matrix", "matrix": X}`` (an m × n matrix, X_F = X[:, F]);
* ``unbiased`` — X_F = X₀[:, F]/(1 − p) for a full-set decoder X₀ with X₀·B = T (:func:`full_set_decoder`).
  If each worker is missing independently with probability p, the expected estimate matrix is
  E[X₀ D B]/(1 − p) = X₀ (1 − p) I B/(1 − p) = X₀ B = T (D the diagonal 0/1 survival matrix, E[D] = (1 − p)I),
  so E[ĝ] = Σ_j g_j: the estimate is unbiased (literature §3.3). The same holds whenever every worker is missing
  with the same marginal probability p, e.g. a uniformly random set of s stragglers with p = s/n: only
  E[D] = (1 − p)I is used.

Approximate-code engines plug in with :func:`register_decoder` (a factory ``(code, **options) → decoder``);
``gcli simulate --decoder NAME`` then accepts the name.

Example:
    >>> import numpy as np
    >>> from gcli.constructions import graph_code
    >>> code = graph_code("petersen", s=1)
    >>> decoder = make_decoder("fixed", code)
    >>> X = decoder(code, [0, 1, 2, 3, 4, 5, 6, 7, 8])
    >>> X.shape, round(float(X[0, 0]), 4)        # the fixed weight n/(n - s) = 10/9
    ((1, 9), 1.1111)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from gcli.code import Code
from gcli.defaults import DEFAULT_TOLERANCE
from gcli.errors import InputError

__all__ = [
    "DECODERS",
    "DecoderFunction",
    "exact_decoder",
    "fixed_decoder",
    "full_set_decoder",
    "make_decoder",
    "optimal_decoder",
    "register_decoder",
    "unbiased_decoder",
]

DecoderFunction = Callable[[Code, Sequence[int]], np.ndarray]
"""(code, sorted responders F) → the m × |F| decoding matrix X_F."""


def _rows(code: Code, responders: Sequence[int]) -> list[int]:
    rows = sorted(int(i) for i in responders)
    if len(set(rows)) != len(rows) or (rows and (rows[0] < 0 or rows[-1] >= code.n)):
        raise InputError(f"responders must be distinct workers in 0..{code.n - 1}")
    return rows


def exact_decoder(code: Code, responders: Sequence[int], tolerance: float = DEFAULT_TOLERANCE) -> np.ndarray:
    """X_F with X_F·B_F = T, or InputError (module docstring)."""
    from gcli.decoding import decoding_matrix

    rows = _rows(code, responders)
    if not rows:
        raise InputError("no responder: nothing to decode")
    try:
        x = decoding_matrix(code, rows)
    except InputError:
        # the structured decoder needs more responders than this set (e.g. K for interpolation), yet the set may
        # still decode (cyclic repetition with n = 4, s = 1: workers {0, 2} hold all four partitions): eliminate
        x = decoding_matrix(code, rows, method="generic")
    if code.is_real:
        residual = np.linalg.norm(x @ code.encoding[rows] - code.target) / np.sqrt(code.m * code.k)
        if residual > tolerance:
            raise InputError(f"the target is not recoverable from workers {rows} (relative residual "
                             f"{residual:.3g})")
    return np.asarray(x)


def optimal_decoder(code: Code, responders: Sequence[int]) -> np.ndarray:
    """Least squares X_F = T·B_F⁺ over the reals (the zero matrix for F = ∅); exact decoding over GF(q)."""
    rows = _rows(code, responders)
    if not code.is_real:
        return exact_decoder(code, rows)
    if not rows:
        return np.zeros((code.m, 0))
    return code.target @ np.linalg.pinv(code.encoding[rows])


def _documented(code: Code) -> np.ndarray:
    """The m × n matrix of the construction's documented decoder (module docstring)."""
    if not code.is_real:
        raise InputError("fixed and unbiased decoders approximate real gradients; this code is over "
                         f"{code.field_name}")
    block = code.construction.get("decoder")
    if not isinstance(block, dict):
        raise InputError(f"the {code.scheme} code documents no fixed decoder (its construction has no "
                         "'decoder' block): use the optimal decoder")
    kind = block.get("kind")
    if kind == "matrix":
        try:
            matrix = np.asarray(block["matrix"], dtype=np.float64)
        except (KeyError, TypeError, ValueError):
            raise InputError("the code's decoder block of kind 'matrix' needs an m × n 'matrix'") from None
        if matrix.shape != (code.m, code.n) or not np.all(np.isfinite(matrix)):
            raise InputError(f"the code's decoder matrix has shape {matrix.shape}, expected m × n = "
                             f"{code.m} × {code.n}")
        return matrix
    if kind in ("sum", "fixed"):
        if code.m != 1:
            raise InputError(f"a decoder of kind {kind!r} adds the messages, which needs m = 1 (the code has "
                             f"m = {code.m})")
        weight = 1.0 if kind == "sum" else block.get("weight")
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not np.isfinite(weight):
            raise InputError("the code's fixed decoder has no finite 'weight'")
        return np.full((1, code.n), float(weight))
    raise InputError(f"unknown decoder kind {kind!r} in the code's construction block: use the optimal decoder")


def fixed_decoder(code: Code, responders: Sequence[int]) -> np.ndarray:
    """The construction's documented decoder restricted to F (module docstring)."""
    rows = _rows(code, responders)
    return _documented(code)[:, rows]


def full_set_decoder(code: Code, tolerance: float = DEFAULT_TOLERANCE) -> np.ndarray:
    """X₀ (m × n) with X₀·B = T: the documented decoder rescaled when X·B = c·T for a scalar c (regular
    structures: a BIBD's sum decoder, a regular graph's constant weight), else the minimum-norm least-squares
    solution T·B⁺; InputError when T is not in the row space of B (no decoder is exact even without
    stragglers, so none is unbiased)."""
    if not code.is_real:
        raise InputError(f"the unbiased decoder approximates real gradients; this code is over {code.field_name}")
    b, t = code.encoding, code.target
    norm_t = np.sqrt(code.m * code.k)
    try:
        documented = _documented(code)
    except InputError:
        documented = None
    if documented is not None:
        product = documented @ b
        scale = float(np.sum(product * t) / np.sum(t * t))
        if scale != 0 and np.linalg.norm(product - scale * t) / norm_t <= tolerance:
            return documented / scale
    x0 = t @ np.linalg.pinv(b)
    if np.linalg.norm(x0 @ b - t) / norm_t > tolerance:
        raise InputError("no decoder recovers the gradient even from all n workers, so no decoder is unbiased")
    return x0


def unbiased_decoder(code: Code, failure_prob: float) -> DecoderFunction:
    """The decoder F ↦ X₀[:, F]/(1 − p) (module docstring): unbiased when each worker is missing with
    probability ``failure_prob`` = p."""
    if not 0 <= failure_prob < 1:
        raise InputError(f"the failure probability must be in [0, 1) (got {failure_prob})")
    x0 = full_set_decoder(code)
    scale = 1.0 / (1.0 - failure_prob)

    def decoder(code_: Code, responders: Sequence[int]) -> np.ndarray:
        return x0[:, _rows(code_, responders)] * scale

    return decoder


def _plain(function: Callable[..., np.ndarray]) -> Callable[..., DecoderFunction]:
    def factory(code: Code, **_: Any) -> DecoderFunction:
        return function

    return factory


def _unbiased(code: Code, *, failure_prob: float | None = None, **_: Any) -> DecoderFunction:
    if failure_prob is None:
        raise InputError("the unbiased decoder needs the failure probability p")
    return unbiased_decoder(code, failure_prob)


def _fixed(code: Code, **_: Any) -> DecoderFunction:
    _documented(code)  # fail now, not at the first iteration
    return fixed_decoder


DECODERS: dict[str, Callable[..., DecoderFunction]] = {
    "exact": _plain(exact_decoder),
    "optimal": _plain(optimal_decoder),
    "fixed": _fixed,
    "unbiased": _unbiased,
}
"""Decoder name → factory ``(code, *, failure_prob=None, **options) → DecoderFunction``."""


def register_decoder(name: str, factory: Callable[..., DecoderFunction]) -> None:
    """Make a decoder available by name (to :func:`make_decoder` and ``gcli simulate --decoder``)."""
    DECODERS[name] = factory


def make_decoder(name: str, code: Code, **options: Any) -> DecoderFunction:
    """The decoder called ``name`` for this code (module docstring); InputError for an unknown name or a decoder
    that does not apply to the code."""
    factory = DECODERS.get(name)
    if factory is None:
        raise InputError(f"unknown decoder {name!r}: use {', '.join(sorted(DECODERS))}")
    return factory(code, **options)
