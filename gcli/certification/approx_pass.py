"""The approximation errors of every surviving set in the engine pass: the :class:`ApproxSpec` a pass carries
and the per-decoder statistics merged from its work units; and the results both the engine and the removed side
(:mod:`gcli.certification.approx_removed`) give: :class:`Expectation` and :class:`ExactFor` (re-exported by
:mod:`gcli.certification.approx_expectation`)."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from typing import Any

import numpy as np

from gcli.certification.approx_decoders import _Decoders
from gcli.certification.engine import ApproxSpec
from gcli.certification.verification import Pass
from gcli.code import Code

__all__ = ["ExactFor", "Expectation", "approx_spec"]

# ---------------------------------------------------------------------------------------------------------
# engine passes
# ---------------------------------------------------------------------------------------------------------
def approx_spec(code: Code, decoders: _Decoders, size: int, p: float | None, tolerance: float,
                residual_sum: bool = False, only: bool = False) -> tuple[ApproxSpec, list[str]]:
    """The kernel's description of the decoders for sets of ``size`` responders: (spec, names of the weights)."""
    names = [name for name in ("fixed", "unbiased") if decoders.applies(name) and (name != "unbiased" or p)]
    weights = np.array([decoders.weight(name, code.n, size, p) for name in names], dtype=np.float64)
    columns = np.zeros((len(names), code.n, code.m))
    for i, name in enumerate(names):
        columns[i] = decoders.matrix(name).T
    return ApproxSpec(columns, weights, tolerance, residual_sum, only), names


@dataclass(frozen=True)
class _Stats:
    """Merged tallies of one decoder over a pass: count, Σε, Σε², max ε and its index."""

    count: int
    total: float
    squares: float
    worst: float
    worst_index: int

    @property
    def mean(self) -> float:
        return self.total / self.count if self.count else math.nan

    def interval(self, confidence: float) -> list[float] | None:
        """Normal-approximation confidence interval of the mean (sampled passes)."""
        if self.count < 2:
            return None
        var = max(0.0, (self.squares - self.count * self.mean**2) / (self.count - 1))
        z = statistics.NormalDist().inv_cdf(0.5 + confidence / 2)
        half = z * math.sqrt(var / self.count)
        return [max(0.0, self.mean - half), self.mean + half]


def _merge(run: Pass, names: list[str]) -> tuple[dict[str, _Stats], np.ndarray | None]:
    """Merge the units' approximation tallies: per decoder statistics and Σ residual matrices."""
    rows: dict[str, list[float]] = {name: [0.0, 0.0, -1.0, -1.0] for name in ["optimal", *names]}
    count = 0
    rsum: np.ndarray | None = None
    for result in run.results:
        tally = result.approx
        if tally is None:
            continue
        count += tally.checked
        pairs = [("optimal", tally.optimal)] + [(name, tally.decoders[i]) for i, name in enumerate(names)]
        for name, row in pairs:
            acc = rows[name]
            acc[0] += float(row[0])
            acc[1] += float(row[1])
            if row[3] >= 0 and (acc[3] < 0 or row[2] > acc[2]):
                acc[2], acc[3] = float(row[2]), float(row[3])
        if tally.residual_sum is not None:
            rsum = tally.residual_sum.copy() if rsum is None else rsum + tally.residual_sum
    # a NaN or inf error on some set (an overflow) never becomes the worst in the compiled tally (NaN > x is
    # False), but it makes the sum non-finite: then the worst error is NaN and every check against it fails
    return {name: _Stats(count, acc[0], acc[1], max(acc[2], 0.0) if math.isfinite(acc[0]) else math.nan,
                         int(acc[3])) for name, acc in rows.items()}, rsum


@dataclass(frozen=True)
class Expectation:
    """E[ε], the bias ‖E[X̂_F B_F] − T‖_F² and the variance E[ε] − bias under i.i.d. failures with probability p.

    ``method``: ``"closed form"`` (fixed-form decoders), ``"exact"`` (optimal decoder, every failure pattern),
    ``"monte carlo"`` (then ``interval`` is the confidence interval of E[ε] and ``samples``, ``seed`` say how)."""

    decoder: str
    failure_prob: float
    expected_error: float
    bias: float
    variance: float
    method: str
    interval: list[float] | None = None
    samples: int | None = None
    seed: int | None = None
    patterns: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"decoder": self.decoder, "failure_prob": self.failure_prob, "expected_error": self.expected_error,
                "bias": self.bias, "variance": self.variance, "method": self.method,
                "confidence_interval": self.interval, "samples": self.samples, "seed": self.seed,
                "patterns": self.patterns}


@dataclass(frozen=True)
class ExactFor:
    """The straggler counts for which the optimal decoder is exact: 0..s_max (``counts``), whether the search was
    decided (``undecided_from``: the first count left unchecked because of the budget) and the structural limit
    min_j r_j − m beyond which no code on the support is exact."""

    counts: list[int]
    undecided_from: int | None
    structural_limit: int
