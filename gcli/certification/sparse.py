"""Checking large sparse codes through their documented fixed decoder, in O(nnz) plus O(s·d + k) per set.

The least-squares engine of :mod:`gcli.certification.verification` solves an (n − s) × k·m system per surviving set,
which is
out of reach for codes of 10⁵ workers. Codes built on a design or a graph document a *fixed decoder* in their
construction block: the server weights every responder's message by the same number w (``"sum"``: w = 1;
``"fixed"``: n/|F|, the recorded ``weight`` n/(n − s) at |F| = n − s; one definition,
:func:`gcli.certification.approximation.fixed_decoder`). For such a code (m = 1, target the all-ones
row 1 of length k) and a set F of responders, the decoder's error is

    e(F) = ‖w·1_Fᵀ B − 1‖² = ‖w·(c − Σ_{i∉F} B_i) − 1‖²,   c = 1ᵀB the column sums,

so after one O(nnz) pass for c each set costs only its n − |F| = s + 2a missing rows: O((s + 2a)·d + k).
:func:`fixed_decoder_pass` evaluates e(F) on every surviving set (when there are at most ``budget``) or on a
seeded uniform sample of them, and reports the worst set, the mean and the median. A set *decodes with the fixed
decoder* when √(e(F)/k) ≤ tolerance (the relative residual of the engine, with X = w·1_F as the decoder).

What this covers: exact decodability is proved for every set where the fixed decoder is exact (it is a witness
X with X·B_F = T); where it is not, the least-squares decoder might still be exact or better, so a failing set
here means "not decodable by the documented decoder" only. The numbers are the approximation errors of the
decoder the code documents, which is the decoder the construction's error formulas refer to (for symmetric
designs it is also the least-squares optimum, Kadhe et al.).

Example:
    >>> from gcli.constructions import bibd_code
    >>> run = fixed_decoder_pass(bibd_code(7, 3, 1, s=1))
    >>> run.exhaustive, run.checked, round(run.worst_error, 12)
    (True, 7, 0.25)
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from gcli.certification.options import CertifyOptions
from gcli.code import Code
from gcli.errors import ImpossibleParameters, NotSupported, OverLimit

__all__ = ["DENSE_VERIFY_LIMIT", "FixedDecoderPass", "decoder_weight", "fixed_decoder_pass", "uses_fixed_decoder"]

DENSE_VERIFY_LIMIT = 100_000
"""Sparse codes with a fixed decoder and n·k·m above this are certified by :func:`fixed_decoder_pass`. The
least-squares engine costs O(n·k²) per surviving set: Paley(401) (n·k = 160,801) takes 77 s with it for its 401
sets (s = 1), about a second here; smaller codes keep the least-squares report (decodability, conditioning)."""

_BATCH = 2048  # sets per sparse product


@dataclass(frozen=True)
class FixedDecoderPass:
    """The fixed decoder's errors over the checked surviving sets (module docstring).

    ``errors`` holds e(F) for every checked set, in the order checked; ``missing`` the workers absent from each
    (the s + 2a stragglers and adversaries), one row per set.
    """

    n: int
    k: int
    stragglers: int
    adversaries: int
    size: int
    total: int
    exhaustive: bool
    checked: int
    decoder: str
    weight: float
    tolerance: float
    errors: np.ndarray
    missing: np.ndarray
    sample_seed: int | None
    seconds: float

    @property
    def failures(self) -> int:
        """Sets on which the fixed decoder misses the target by more than the tolerance."""
        return int(np.count_nonzero(self._failing))

    @property
    def _failing(self) -> np.ndarray:
        # written so NaN fails: entries whose sums overflow give inf − inf = NaN residuals, never a decoded set
        with np.errstate(invalid="ignore"):
            return ~(np.sqrt(self.errors / self.k) <= self.tolerance)

    def surviving(self, index: int) -> list[int]:
        """The responders of the index-th checked set."""
        keep = np.ones(self.n, dtype=bool)
        keep[self.missing[index]] = False
        return np.flatnonzero(keep).tolist()

    @property
    def first_failure(self) -> int | None:
        """Index of the first checked set the fixed decoder does not decode, or None."""
        failing = np.flatnonzero(self._failing)
        return int(failing[0]) if failing.size else None

    @property
    def worst_index(self) -> int:
        """Index of the set with the largest error (the first one on ties)."""
        return int(np.argmax(self.errors)) if self.errors.size else 0

    @property
    def worst_error(self) -> float:
        """max e(F) over the checked sets."""
        return float(self.errors.max()) if self.errors.size else 0.0

    def failure_fraction_bound(self, confidence: float) -> float | None:
        """As :meth:`gcli.certification.verification.Pass.failure_fraction_bound`: ε ≤ 1 − (1 − confidence)^{1/N} when
        N sampled
        sets all decode."""
        from gcli.certification.verification import failure_fraction_bound

        return failure_fraction_bound(self.exhaustive, self.failures, self.checked, confidence)

    def to_json(self) -> dict[str, Any]:
        """The ``approximation`` block of the certificate: the keys of
        :data:`gcli.certification.approximation.APPROXIMATION_KEYS`
        (``worst_set`` is null — it would list n − s workers: ``worst_missing_workers`` names the stragglers) and
        this check's own figures."""
        from gcli.certification.approximation import APPROXIMATION_KEYS

        worst = self.worst_index
        mean = float(self.errors.mean()) if self.checked else None
        common = dict.fromkeys(APPROXIMATION_KEYS)
        common.update({
            "decoder": "fixed", "decoder_description": f"{self.decoder}, weight {self.weight:.6g} on every responder",
            "stragglers": self.stragglers, "surviving_size": self.size, "sets": self.checked,
            "exhaustive": self.exhaustive, "worst_error": self.worst_error, "mean_error": mean,
            "relative_worst_error": self.worst_error / self.k, "relative_mean_error": None if mean is None
            else mean / self.k, "normalisation": f"k*m = {self.k}", "bounds": [], "checks": [], "ok": True,
            "decoders": {"fixed": {"worst_error": self.worst_error, "mean_error": mean}},
        })
        return {
            **common,
            "method": "fixed decoder on the compressed rows",
            "fixed_decoder": self.decoder,
            "weight": self.weight,
            "error": "‖w·1_Fᵀ B_F − 1‖²",
            "sets": self.checked,
            "exhaustive": self.exhaustive,
            "worst_error": self.worst_error,
            "worst_missing_workers": self.missing[worst].tolist() if self.checked else None,
            "mean_error": float(self.errors.mean()) if self.checked else None,
            "median_error": float(np.median(self.errors)) if self.checked else None,
            "decoded_by_fixed_decoder": self.checked - self.failures,
        }


def decoder_weight(code: Code, size: int | None = None) -> tuple[str, float] | None:
    """(kind, w) of the fixed decoder the code's construction block documents, for sets of ``size`` responders
    (default n − s), or None. The decoder is :func:`gcli.certification.approximation.fixed_decoder` (its one
    definition):
    ``{"kind": "sum"}`` is w = 1; ``{"kind": "fixed", "weight": …}`` is w = n/|F| (the recorded weight n/(n − s)
    at |F| = n − s). Recorded matrices (m > 1) are not a single weight: None.
    """
    from gcli.certification.approximation import fixed_decoder

    construction = code.construction if isinstance(code.construction, dict) else {}
    block = construction.get("decoder")
    if not code.is_real or code.m != 1 or not isinstance(block, dict) or block.get("kind") not in ("sum", "fixed") \
            or "matrix" in block:
        return None
    fixed = fixed_decoder(code)
    if fixed is None:
        return None
    responders = code.n - code.s if size is None else size
    return str(block["kind"]), fixed.weight(code.n, responders)


def uses_fixed_decoder(code: Code) -> bool:
    """Whether :func:`gcli.certify` checks this code with :func:`fixed_decoder_pass`: a real code with m = 1, a
    documented fixed decoder, and n·k·m above :data:`DENSE_VERIFY_LIMIT` (dense or sparse)."""
    return (code.is_real and code.m == 1 and code.n * code.k * code.m > DENSE_VERIFY_LIMIT
            and decoder_weight(code) is not None)


def _missing_sets(n: int, removed: int, total: int, exhaustive: bool, count: int, seed: int) -> np.ndarray:
    if removed == 0:
        return np.zeros((1, 0), dtype=np.int64)
    if exhaustive:
        if removed == 1:
            return np.arange(n, dtype=np.int64)[:, None]
        return np.array(list(itertools.combinations(range(n), removed)), dtype=np.int64).reshape(total, removed)
    rng = np.random.default_rng(seed)
    return np.sort(np.stack([rng.choice(n, removed, replace=False) for _ in range(count)]), axis=1)


def fixed_decoder_pass(code: Code, options: CertifyOptions | None = None, **changes: Any) -> FixedDecoderPass:
    """The fixed decoder's error e(F) on every surviving set, or on ``sample`` seeded random ones (module docstring).

    Args:
        code: a real code with m = 1 and a documented fixed decoder (any size; the encoding is read as CSR).
        options, changes: a :class:`~gcli.certification.options.CertifyOptions` and changes to it by field name;
            these fields apply:
        stragglers, adversaries: the surviving sets have n − s − 2a workers (default: the code's s and a).
        sample, seed: check this many uniformly random surviving sets (each drawn independently).
        budget, force: refuse more than ``budget`` sets in an exhaustive check unless ``force``.
        tolerance: a set decodes with the fixed decoder when √(e(F)/k) ≤ tolerance.

    Returns:
        A :class:`FixedDecoderPass`.
    """
    opts = (options or CertifyOptions()).but(**changes)
    stragglers, adversaries, sample, seed = opts.stragglers, opts.adversaries, opts.sample, opts.seed
    budget, force, tolerance = opts.budget, opts.force, opts.tolerance
    found = decoder_weight(code)
    if found is None or not code.is_real or code.m != 1:
        raise NotSupported("the fixed-decoder check needs a real code with m = 1 whose construction documents a "
                           "fixed decoder")
    decoder, weight = found
    s = code.s if stragglers is None else stragglers
    a = code.a if adversaries is None else adversaries
    if s < 0 or a < 0:
        raise ImpossibleParameters("stragglers and adversaries must be non-negative")
    size = code.n - s - 2 * a
    if size < 1:
        raise ImpossibleParameters(f"n − s − 2a = {size}: no worker would respond (n={code.n}, s={s}, a={a})")
    if sample is not None and sample < 1:
        raise ImpossibleParameters("--sample needs a positive number of patterns")
    weight = decoder_weight(code, size)[1]  # type: ignore[index]  # n/|F| for graph codes, 1 for sums
    removed = code.n - size
    total = math.comb(code.n, removed)
    exhaustive = sample is None or sample >= total
    if exhaustive and total > budget and not force:
        raise OverLimit(f"{total:,} surviving sets exceed the budget of {budget:,}: use --sample N or --force")
    start = time.perf_counter()
    missing = _missing_sets(code.n, removed, total, exhaustive, total if exhaustive else int(sample), seed)
    import scipy.sparse as sp

    b = code.sparse_encoding
    column_sums = np.asarray(b.sum(axis=0)).ravel()
    errors = np.empty(len(missing))
    for lo in range(0, len(missing), _BATCH):
        part = missing[lo : lo + _BATCH]
        rows = np.repeat(np.arange(len(part)), part.shape[1])
        indicator = sp.csr_matrix((np.ones(part.size), (rows, part.ravel())), shape=(len(part), code.n))
        absent = (indicator @ b).toarray()
        residual = weight * (column_sums[None, :] - absent) - 1.0
        errors[lo : lo + len(part)] = np.einsum("ij,ij->i", residual, residual)
    return FixedDecoderPass(
        n=code.n, k=code.k, stragglers=s, adversaries=a, size=size, total=total, exhaustive=exhaustive,
        checked=len(missing), decoder=decoder, weight=weight, tolerance=tolerance, errors=errors, missing=missing,
        sample_seed=None if exhaustive else seed, seconds=round(time.perf_counter() - start, 6),
    )
