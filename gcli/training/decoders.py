"""Decoders as policies: a decoder is a function from (code, responders) to a decoding matrix.

For a code with encoding B (n × k·m) and target T (m × k·m, :mod:`gcli.code`), a decoder maps the sorted list
F of responding workers to X_F (m × |F|); the server's estimate of block u of the gradient sum is
Σ_{i ∈ F} X_F[u, i] f_i, and its error is E(F) = ‖X_F B_F − T‖_F² (the docs' conventions). :func:`make_decoder` builds
one by name; the names are

* ``exact`` — :func:`gcli.decoding_matrix`: exact elimination over GF(q), least squares over the reals; raises
  :class:`~gcli.InputError` when X_F B_F = T fails (residual ‖X_F B_F − T‖_F/‖T‖_F above ``tolerance``);
* ``optimal`` — least squares X_F = T·B_F⁺ (reals): the smallest error any decoder reaches on F; over GF(q)
  there is no approximation and it is ``exact``;
* ``fixed`` — the decoder the construction documents in its ``construction["decoder"]`` block, read by
  :func:`gcli.certification.approximation.fixed_decoder` (one definition for ``verify``, ``simulate``, ``run`` and
  :func:`make_decoder`): ``{"kind": "sum"}`` (weight 1 on every responder, m = 1), ``{"kind": "fixed",
  "weight": w}`` (n/|F| on every responder, m = 1: Raviv et al.'s u_F = n/(n − s) for |F| = n − s responders,
  and w must equal n/(n − s) for the file's s), or ``{"kind": "fixed", "matrix": X, "scale": "n/|F|" | "1"}``
  (an m × n matrix, X_F = X[:, F], times n/|F| when so scaled; the m > 1 codes);
* ``unbiased`` — X_F = X₀[:, F]/(1 − p) for a full-set decoder X₀ with X₀·B = T (:func:`full_set_decoder`).
  If each worker is missing independently with probability p, the expected estimate matrix is
  E[X₀ D B]/(1 − p) = X₀ (1 − p) I B/(1 − p) = X₀ B = T (D the diagonal 0/1 survival matrix, E[D] = (1 − p)I),
  so E[ĝ] = Σ_j g_j: the estimate is unbiased (Munim & Ramamoorthy 2026 [Munim2026]). The same holds whenever every
  worker is missing
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
    >>> X.shape, round(float(X[0, 0]), 4)        # n/|F| = 10/9, the recorded n/(n - s) at |F| = n - s
    ((1, 9), 1.1111)
    >>> round(float(decoder(code, range(8))[0, 0]), 4)   # two stragglers: n/|F| = 10/8
    1.25
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from gcli.code import Code
from gcli.defaults import DEFAULT_TOLERANCE
from gcli.errors import ImpossibleParameters, InputError, NotSupported

__all__ = [
    "BUILTIN_DECODERS",
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
        raise ImpossibleParameters(f"responders must be distinct workers in 0..{code.n - 1}")
    return rows


def exact_decoder(code: Code, responders: Sequence[int], tolerance: float = DEFAULT_TOLERANCE) -> np.ndarray:
    """X_F with X_F·B_F = T, or InputError (module docstring)."""
    from gcli.decoding.matrices import decoding_matrix

    rows = _rows(code, responders)
    if not rows:
        raise ImpossibleParameters("no responder: nothing to decode")
    try:
        x = decoding_matrix(code, rows)
    except InputError:
        # the structured decoder needs more responders than this set (e.g. K for interpolation), yet the set may
        # still decode (cyclic repetition with n = 4, s = 1: workers {0, 2} hold all four partitions): eliminate
        x = decoding_matrix(code, rows, method="generic")
    if code.is_real:
        residual = np.linalg.norm(x @ code.encoding[rows] - code.target) / np.sqrt(code.m * code.k)
        if residual > tolerance:
            raise ImpossibleParameters(f"the target is not recoverable from workers {rows} (relative residual "
                                       f"{residual:.3g})")
    return np.asarray(x)


def optimal_decoder(code: Code, responders: Sequence[int]) -> np.ndarray:
    """Least squares X_F = T·B_F⁺ over the reals (the zero matrix for F = ∅); exact decoding over GF(q).
    The real case is :meth:`gcli.certification.approximation.ApproximateDecoder.matrix`, the one ``verify`` tallies."""
    rows = _rows(code, responders)
    if not code.is_real:
        return exact_decoder(code, rows)
    from gcli.certification.approximation import approximate_decoder

    return approximate_decoder(code, "optimal").matrix(rows)


def fixed_decoder(code: Code, responders: Sequence[int]) -> np.ndarray:
    """The construction's documented decoder on F, as :func:`gcli.certification.approximation.fixed_decoder` reads it
    (the
    single definition; ``verify`` tallies the same matrix): the recorded X (the all-ones row for ``sum`` and
    graph codes) restricted to F, times n/|F| when the file says so (graph codes' ``weight`` n/(n − s) is that
    factor at |F| = n − s, Raviv et al.)."""
    from gcli.certification.approximation import approximate_decoder

    return approximate_decoder(code, "fixed").matrix(_rows(code, responders))


def full_set_decoder(code: Code) -> np.ndarray:
    """X₀ (m × n) with X₀·B = T, the base of the unbiased decoder
    (:func:`gcli.certification.approximation.unbiased_base`):
    the documented decoder rescaled when X·B ∝ T, else T·B⁺; InputError when T is not in the row space of B."""
    from gcli.certification.approximation import unbiased_base

    return unbiased_base(code)


def unbiased_decoder(code: Code, failure_prob: float) -> DecoderFunction:
    """The decoder F ↦ X₀[:, F]/(1 − p) (module docstring;
    :func:`gcli.certification.approximation.approximate_decoder`):
    unbiased when each worker is missing with the same marginal probability ``failure_prob`` = p."""
    from gcli.certification.approximation import approximate_decoder

    prepared = approximate_decoder(code, "unbiased", failure_prob)

    def decoder(code_: Code, responders: Sequence[int]) -> np.ndarray:
        return prepared.matrix(_rows(code_, responders))

    return decoder


def _plain(function: Callable[..., np.ndarray]) -> Callable[..., DecoderFunction]:
    def factory(code: Code, **_: Any) -> DecoderFunction:
        return function

    return factory


def _unbiased(code: Code, *, failure_prob: float | None = None, **_: Any) -> DecoderFunction:
    if failure_prob is None:
        raise ImpossibleParameters("the unbiased decoder needs the failure probability p")
    return unbiased_decoder(code, failure_prob)


def _fixed(code: Code, **_: Any) -> DecoderFunction:
    from gcli.certification.approximation import approximate_decoder

    approximate_decoder(code, "fixed")  # fail now, not at the first iteration
    return fixed_decoder


DECODERS: dict[str, Callable[..., DecoderFunction]] = {
    "exact": _plain(exact_decoder),
    "optimal": _plain(optimal_decoder),
    "fixed": _fixed,
    "unbiased": _unbiased,
}
"""Decoder name → factory ``(code, *, failure_prob=None, **options) → DecoderFunction``."""

BUILTIN_DECODERS = ("auto", "exact", "optimal", "fixed", "unbiased")
"""What ``--decoder`` accepts in ``verify``, ``simulate`` and ``run`` (``auto``: exact for exact codes, optimal
otherwise; registered decoders add to ``simulate`` and ``run``)."""


def register_decoder(name: str, factory: Callable[..., DecoderFunction]) -> None:
    """Make a decoder available by name (to :func:`make_decoder` and ``gcli simulate --decoder``)."""
    DECODERS[name] = factory


def make_decoder(name: str, code: Code, **options: Any) -> DecoderFunction:
    """The decoder called ``name`` for this code (module docstring); InputError for an unknown name or a decoder
    that does not apply to the code."""
    factory = DECODERS.get(name)
    if factory is None:
        raise NotSupported(f"unknown decoder {name!r}: use {', '.join(sorted(DECODERS))}")
    return factory(code, **options)
