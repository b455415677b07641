"""The options of a certification pass, as one object.

:func:`gcli.certify`, :func:`gcli.verify`, :func:`gcli.stability_report`, :func:`gcli.approximation_report` and
:func:`gcli.approximation_statistics` keep their keyword parameters; each builds one :class:`CertifyOptions` from
them and hands it down (to :func:`gcli.certification.verification.run_pass`, the report builders, the sparse and
hierarchical passes) instead of copying a dozen keywords by hand at every call.

Example:
    >>> options = CertifyOptions(sample=100, seed=3)
    >>> options.but(stragglers=2).stragglers, options.sample, options.budget == CertifyOptions().budget
    (2, 100, True)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

from gcli.defaults import DEFAULT_BUDGET, DEFAULT_CONFIDENCE, DEFAULT_TOLERANCE

__all__ = ["CertifyOptions", "ProgressCallback"]

ProgressCallback = Callable[[int, int], None]
"""``progress(patterns_done, patterns_to_check)``, called after each work unit."""


@dataclass(frozen=True)
class CertifyOptions:
    """What a certification pass checks and how (every field as the keyword of the same name of
    :func:`gcli.certify`; the defaults are theirs).

    Attributes:
        stragglers, adversaries: override the code's own s and a (None: the code's).
        budget: refuse when the surviving sets exceed it, unless ``sample`` or ``force``.
        sample: check this many seeded uniformly random surviving sets instead of all of them.
        seed: seeds the sample, the random gradients and the expectation's sample.
        force: check every surviving set whatever their number.
        tolerance: over the reals, a set decodes when ‖X B_F − T‖_F / ‖T‖_F ≤ tolerance.
        confidence: the 1 − δ of a sampled check's bound on the failing fraction.
        executor: run the work units on this executor (threads, processes, Dask).
        all_failures: count every failing set instead of stopping at the first.
        progress: called as ``progress(done, total)`` after each work unit.
        backend: ``"auto"`` (compiled kernels; small finite-field checks by numpy elimination, see
            :data:`gcli.certification.engine.SMALL_GF_WORK`), ``"compiled"`` (the compiled kernels whatever the
            size) or ``"numpy"`` (the batched reference implementation).
        unit_size: patterns per work unit (None: chosen from the total and the executor).
        gradient_length: ℓ of the random gradients of the stability check (None: 16·m).
        decoder, failure_prob, expectation_samples: the approximation block (real codes).
        simulate: end-to-end trials of a hierarchical code.
    """

    stragglers: int | None = None
    adversaries: int | None = None
    budget: int = DEFAULT_BUDGET
    sample: int | None = None
    seed: int = 0
    force: bool = False
    tolerance: float = DEFAULT_TOLERANCE
    confidence: float = DEFAULT_CONFIDENCE
    executor: Executor | None = None
    all_failures: bool = False
    progress: ProgressCallback | None = None
    backend: str = "auto"
    unit_size: int | None = None
    gradient_length: int | None = None
    decoder: str | None = None
    failure_prob: float | None = None
    expectation_samples: int | None = None
    simulate: int | None = None

    def but(self, **changes: Any) -> CertifyOptions:
        """These options with ``changes`` (field names; TypeError for any other name)."""
        return dataclasses.replace(self, **changes) if changes else self
