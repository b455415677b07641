"""The approximation engine: how far from the gradient a code's decoders land, per responding set and on average.

For a responding set F and a decoding matrix X (m × |F|) the **error** is ε(F, X) = ‖X·B_F − T‖_F² (for m = 1:
‖B_Fᵀa − 1‖²) and the **relative error** is ε/(k·m) = ε/‖T‖_F² (Tandon et al. 2017 for m = 1; Munim & Ramamoorthy
2026). Three decoders:

* ``optimal`` — least squares, X* = T·B_F⁺: the smallest error any decoder reaches on F,
  E*(F) = ‖T(I − P_F)‖_F² (P_F the projector onto rowspan(B_F));
* ``fixed`` — the decoder the construction documents (recorded in the code's ``construction.decoder``): an m × n
  matrix X restricted to F and optionally scaled by n/|F| (:class:`FixedDecoder`): the plain sum of a BIBD code,
  n/(n−s) on every responder of a graph code (Raviv et al.), the recorded X of the m > 1 codes;
* ``unbiased`` — X₀[:, F]/(1 − p) with X₀·B = T, so that E[ĝ] = g when every worker fails independently with
  probability p: X₀ is the fixed decoder rescaled when X·B ∝ T, else the least-squares decoder of all n workers
  (T·B⁺) when it is exact. Proof: ĝ = (1/(1−p))·Σ_i z_i x_i f_i with z_i ~ Bernoulli(1 − p) independent, so
  E[ĝ] = Σ_i x_i f_i = X₀·B·g = T·g.

**The engine** (:func:`gcli.certification.verification.run_pass` with an :class:`gcli.certification.engine.ApproxSpec`)
walks the sets of one
size with the compiled kernels of :mod:`gcli.certification._approx_kernels` (depth-first with prefix reuse: about one
row
orthogonalisation per set) on the executor of ``verify``, and tallies for every decoder the sum, the sum of
squares and the maximum of the errors with its set. :func:`gcli.certify` runs it in the same pass as the
decodability and stability checks; :func:`approximation_report` runs it alone.

**Expected error under i.i.d. failures** (each worker fails independently with probability p). For a decoder
w(|F|)·X_F with a scalar weight depending only on |F| (fixed and unbiased decoders) the expectation is exact:
given |F| = r, F is uniform among the r-subsets, so with M_i = x_i b_iᵀ, S = Σ_i M_i and Σ_d = Σ_i ‖M_i‖²,

    E_r[ε] = w(r)²·((r/n)·Σ_d + (r(r−1)/(n(n−1)))·(‖S‖² − Σ_d)) − 2w(r)·(r/n)·⟨S, T⟩ + ‖T‖²,

and E[ε] = Σ_r C(n, r)(1−p)^r p^{n−r}·E_r[ε] (ε = ‖T‖² when nobody responds). For a constant weight w this is the
closed form ‖w(1−p)XB − T‖² + w²p(1−p)Σ_i‖x_i‖²‖b_i‖². The mean of the estimate is E[X̂_F B_F] = γ·X·B with
γ = Σ_r P(r)·w(r)·r/n, so the **bias** ‖E[X̂_F B_F] − T‖_F² is exact too, and the **variance**
E‖X̂_F B_F − E[X̂_F B_F]‖² = E[ε] − bias. For the optimal decoder: an exact sum over the sizes |F| (one engine pass
per size, Σ_F also accumulating T − T·P_F for the bias) when the 2ⁿ failure patterns fit in the budget, else Monte
Carlo over seeded failure patterns with a normal confidence interval.

**Exactness** (:func:`exact_straggler_counts`): the straggler counts s for which the optimal decoder is exact on
every set of n − s responders. Exactness for s implies it for s − 1 (a superset of responders spans more), and
a partition j held by r_j workers cannot be recovered once r_j − m + 1 of them straggle (Eckart–Young, see
:mod:`gcli.bounds.approximation`), so the counts form an interval 0..s_max with s_max ≤ min_j r_j − m.

Example (the Fano plane, Kadhe et al., ISIT 2019 [Kadhe2019]):
    >>> from gcli.constructions import bibd_code
    >>> report = approximation_report(bibd_code(7, 3, 1, s=2), failure_prob=0.25)
    >>> round(report.worst_error, 10), round(report.mean_error, 10), report.exact_for.counts
    (0.5714285714, 0.5714285714, [0])

The pieces live in their own modules: the three decoders in :mod:`gcli.certification.approx_decoders`, the
engine pass's statistics in :mod:`gcli.certification.approx_pass`, expectations and exact straggler counts in
:mod:`gcli.certification.approx_expectation`; this module holds the bounds, the claims and the report (their
public names are importable from here as before).
"""

from __future__ import annotations

import math
from concurrent.futures import Executor
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from gcli.certification.approx_decoders import (
    _NO_DECODERS,
    DECODERS,
    ApproximateDecoder,
    FixedDecoder,
    _check_p,
    _Decoders,
    _decoders,
    _require,
    approximate_decoder,
    approximate_decoding_matrix,
    approximation_error,
    fixed_decoder,
    unbiased_base,
)
from gcli.certification.approx_expectation import (
    ExactFor,
    Expectation,
    _fixed_moments,
    exact_straggler_counts,
    expected_error,
    mean_fixed_error,
)
from gcli.certification.approx_pass import _merge, _Stats, approx_spec
from gcli.certification.options import CertifyOptions, ProgressCallback
from gcli.certification.verification import Pass, run_pass
from gcli.code import Code
from gcli.defaults import DEFAULT_BUDGET, DEFAULT_CONFIDENCE, DEFAULT_TOLERANCE, set_text, within
from gcli.errors import BadFile, InputError, NotSupported

__all__ = [
    "DECODERS",
    "ApproximateDecoder",
    "ApproximationReport",
    "ExactFor",
    "Expectation",
    "FixedDecoder",
    "approx_spec",
    "approximate_decoder",
    "approximate_decoding_matrix",
    "approximation_error",
    "approximation_report",
    "approximation_statistics",
    "build_report",
    "code_bounds",
    "exact_straggler_counts",
    "expected_error",
    "fixed_decoder",
    "mean_fixed_error",
    "prepare",
    "unbiased_base",
]

# ---------------------------------------------------------------------------------------------------------
# bounds that apply to a code
# ---------------------------------------------------------------------------------------------------------
def _support(code: Code) -> np.ndarray:
    held = np.zeros((code.n, code.k), dtype=bool)
    for i, row in enumerate(code.assignment):
        held[i, list(row)] = True
    return held


def _uniform_coefficient(code: Code, support: np.ndarray) -> float | None:
    """c when B = c·S (m = 1, every non-zero entry equal to c), else None."""
    if code.m != 1:
        return None
    enc = np.asarray(code.encoding, dtype=np.float64)
    values = enc[support]
    if values.size == 0 or np.any(enc[~support] != 0):
        return None
    c = float(values[0])
    return c if c > 0 and np.all(np.abs(values - c) <= 1e-12 * c) else None


def code_bounds(code: Code, s: int, p: float | None, decoders: _Decoders, structure: Any = None,
                budget: int = 200_000) -> list[Any]:
    """Every bound of :mod:`gcli.bounds.approximation` that applies to this code with s stragglers."""
    from gcli.bounds import approximation as ab

    n, k, m = code.n, code.k, code.m
    support = _support(code)
    replication = support.sum(axis=0)
    loads = support.sum(axis=1)
    found = [ab.eckart_young_bound(support, m, s, budget), *ab.eckart_young_any_scheme(n, k, code.d, m, s)]
    construction = code.construction if isinstance(code.construction, dict) else {}
    method = construction.get("method", "structure")
    c = _uniform_coefficient(code, support)
    certified = structure is not None and structure.certified
    details = structure.details if certified else {}
    if c is not None and method == "structure":
        design = code.extras.get("design") if certified else None  # a block that fails says nothing
        if isinstance(design, dict) and design.get("b") == design.get("v") and "v" in design and s < n:
            found.append(ab.symmetric_bibd_error(int(design["v"]), int(design["k"]), int(design["lambda"]), s))
        graph = code.extras.get("graph")
        modulus = _adjacency_modulus(code, details)
        if isinstance(graph, dict) and modulus is not None and s < n:
            degree = round(1.0 / c) if abs(1.0 / c - round(1.0 / c)) < 1e-9 else None
            if degree is not None:
                found.append(ab.expander_bound(n, s, degree, modulus))
        biregular = replication.min() == replication.max() and loads.min() == loads.max()
        if biregular and s < n and replication.min() > 0:
            r = int(replication[0])
            squared = _srg_gram_second(code, details)
            if squared is None:
                from gcli.structures.spectra import bipartite_singular_values

                _, sigma2 = bipartite_singular_values(support.astype(np.int64))
                squared = sigma2 * sigma2
            # the fixed decoder is the Glasgow–Wootters decoder n/(r(n−s)) on the support when its weight times c is
            fixed = decoders.fixed
            fixed_is_gw = fixed is not None and bool(np.all(fixed.matrix == 1.0)) and abs(
                fixed.weight(n, n - s) * c - n / (r * (n - s))) <= 1e-12 * n / (r * (n - s))
            found.append(ab.glasgow_wootters_bound(n, s, r, squared, fixed_is_gw))
    if p is not None and decoders.unbiased is not None and replication.min() >= m:
        found.append(ab.unbiased_lower_bound(Fraction(p).limit_denominator(10**12), m, [int(x) for x in replication]))
    return found


def _srg_gram_second(code: Code, details: dict[str, Any]) -> float | None:
    """σ₂² of the support S = A (or A + I with loops) of a certified, connected, non-complete srg code, in closed form.

    The structure certificate re-checked the file's adjacency (A² = kI + λA + μ(J − I − A)) and that the
    assignment is its neighbourhoods, so Sᵀ·S = S² has the eigenvalues (k + e)², (r + e)², (s + e)² (e = 1 with
    loops, else 0), r and s of multiplicity ≥ 1 when μ > 0 and k < v − 1: σ₂² = max((r + e)², (s + e)²), the
    value the Lanczos step on Sᵀ·S finds up to round-off. None when this does not apply (then use the solver).

    >>> from gcli.structures.spectra import srg_eigenvalues
    >>> max(abs(srg_eigenvalues(5, 2, 0, 1).value(w)) for w in "rs") ** 2  # the pentagon: ((1 + √5)/2)²
    2.618033988749895
    """
    params = details.get("params")
    graph = code.extras.get("graph")
    if not (isinstance(graph, dict) and graph.get("kind") == "srg" and isinstance(params, list) and len(params) == 4):
        return None
    v, k, _, mu = (int(x) for x in params)
    if not (mu > 0 and 0 < k < v - 1 and code.n == code.k == v):
        return None
    modulus = _adjacency_modulus(code, details)
    return None if modulus is None else float(modulus)


def _adjacency_modulus(code: Code, details: dict[str, Any]) -> Fraction | float | None:
    """λ² of the adjacency (or of A + I with loops) behind a graph code, from the certified structure."""
    construction = code.construction if isinstance(code.construction, dict) else {}
    if construction.get("incidence"):
        return None
    loops = bool(construction.get("loops", False))
    graph = code.extras.get("graph")
    if not isinstance(graph, dict) or graph.get("kind") not in ("srg", "regular"):
        return None
    if graph.get("kind") == "srg" and "params" in details:
        from gcli.structures.spectra import srg_eigenvalues

        e = srg_eigenvalues(*details["params"])
        if e.rational and e.r is not None and e.s is not None:
            shift = 1 if loops else 0
            return max(abs(e.r + shift), abs(e.s + shift)) ** 2
        r, s_ = e.value("r"), e.value("s")
        shift = 1.0 if loops else 0.0
        return max(abs(r + shift), abs(s_ + shift)) ** 2
    spectrum = details.get("spectrum")
    if isinstance(spectrum, dict) and "second_largest" in spectrum and "smallest" in spectrum:
        shift = 1.0 if loops else 0.0
        return max(abs(float(spectrum["second_largest"]) + shift), abs(float(spectrum["smallest"]) + shift)) ** 2
    return None


# ---------------------------------------------------------------------------------------------------------
# the report
# ---------------------------------------------------------------------------------------------------------
APPROXIMATION_KEYS = (
    "decoder", "decoder_description", "stragglers", "surviving_size", "sets", "exhaustive", "worst_error",
    "worst_set", "mean_error", "mean_error_interval", "confidence", "relative_worst_error", "relative_mean_error",
    "normalisation", "failure_prob", "failure_prob_source", "expected_error", "bias", "variance", "expectation",
    "expectation_note", "exact_for", "exact_for_undecided_from", "exact_structural_limit", "bounds", "checks", "ok",
    "decoders",
)
"""The keys every certificate's ``approximation`` block has (``null`` where a figure was not computed)."""


@dataclass(frozen=True)
class ApproximationReport:
    """The ``approximation`` block of a certificate (see :meth:`to_json` for the keys).

    Errors are ε(F) = ‖X·B_F − T‖_F² (relative: ε/(k·m)); ``worst_set`` and the sets of ``decoders`` list the
    responding workers."""

    decoder: str
    decoder_description: str
    stragglers: int
    surviving_size: int
    sets: int
    exhaustive: bool
    worst_error: float
    worst_set: list[int]
    mean_error: float
    mean_interval: list[float] | None
    confidence: float | None
    normalisation: int
    decoders: dict[str, dict[str, Any]]
    expectation: Expectation | None
    failure_prob_source: str | None
    exact_for: ExactFor | None
    bounds: list[Any]
    checks: list[dict[str, Any]] = field(default_factory=list)
    expectation_note: str | None = None

    @property
    def ok(self) -> bool:
        """Every measured error respects every bound and claim checked."""
        return all(check["ok"] for check in self.checks)

    def to_json(self) -> dict[str, Any]:
        """The block (:data:`APPROXIMATION_KEYS`): decoder, worst_error, worst_set, mean_error (+ interval),
        expected_error, bias, variance, failure_prob, exact_for, bounds, checks and the per-decoder statistics."""
        e = self.expectation
        return {
            "decoder": self.decoder,
            "decoder_description": self.decoder_description,
            "stragglers": self.stragglers,
            "surviving_size": self.surviving_size,
            "sets": self.sets,
            "exhaustive": self.exhaustive,
            "worst_error": self.worst_error,
            "worst_set": self.worst_set,
            "mean_error": self.mean_error,
            "mean_error_interval": self.mean_interval,
            "confidence": self.confidence,
            "relative_worst_error": self.worst_error / self.normalisation,
            "relative_mean_error": self.mean_error / self.normalisation,
            "normalisation": f"k*m = {self.normalisation}",
            "failure_prob": None if e is None else e.failure_prob,
            "failure_prob_source": self.failure_prob_source,
            "expected_error": None if e is None else e.expected_error,
            "bias": None if e is None else e.bias,
            "variance": None if e is None else e.variance,
            "expectation": None if e is None else e.to_json(),
            "expectation_note": self.expectation_note,
            "exact_for": None if self.exact_for is None else self.exact_for.counts,
            "exact_for_undecided_from": None if self.exact_for is None else self.exact_for.undecided_from,
            "exact_structural_limit": None if self.exact_for is None else self.exact_for.structural_limit,
            "bounds": [b.to_json() for b in self.bounds],
            "checks": self.checks,
            "ok": self.ok,
            "decoders": self.decoders,
        }

    def summary(self) -> str:
        """A few lines for ``gcli verify``."""
        kind = "all" if self.exhaustive else "a sample of"
        head = (f"approximation with s={self.stragglers} ({kind} {self.sets} sets of {self.surviving_size} "
                f"responders), {self.decoder} decoder ({self.decoder_description}): worst error "
                f"{self.worst_error:.6g} at {set_text(self.worst_set, self.surviving_size + self.stragglers)}, "
                f"mean {self.mean_error:.6g}")
        if self.mean_interval is not None:
            head += f" ({self.confidence:g} CI {self.mean_interval[0]:.4g}..{self.mean_interval[1]:.4g})"
        head += (f"; relative to k·m = {self.normalisation}: worst {self.worst_error / self.normalisation:.4g}, "
                 f"mean {self.mean_error / self.normalisation:.4g}")
        lines = [head]
        others = [f"{name} worst {d['worst_error']:.6g}, mean {d['mean_error']:.6g}"
                  for name, d in self.decoders.items() if name != self.decoder]
        if others:
            lines.append("other decoders: " + "; ".join(others))
        e = self.expectation
        if e is None and self.expectation_note is not None:
            lines.append(f"expected error not computed: {self.expectation_note}")
        if e is not None:
            how = {"closed form": "closed form", "exact": f"exact over all {e.patterns} failure patterns",
                   "monte carlo": f"Monte Carlo, {e.samples} patterns, seed {e.seed}"}[e.method]
            if e.interval is not None:
                how += f", {self.confidence or DEFAULT_CONFIDENCE:g} CI {e.interval[0]:.4g}..{e.interval[1]:.4g}"
            source = " = s/n" if self.failure_prob_source == "s/n" else ""
            lines.append(f"i.i.d. failures with p = {e.failure_prob:.4g}{source}: expected error "
                         f"{e.expected_error:.6g}, bias {e.bias:.6g}, variance {e.variance:.6g} ({e.decoder} "
                         f"decoder; {how})")
        if self.exact_for is not None:
            x = self.exact_for
            if x.counts:
                text = f"optimal decoder exact for s ≤ {x.counts[-1]}"
            else:
                text = "optimal decoder exact for no s (not even without stragglers)"
            if x.undecided_from is not None:
                text += f"; s ≥ {x.undecided_from} not checked (budget)"
            text += f"; no code on this support is exact beyond s = {x.structural_limit}"
            lines.append(text)
        if self.bounds:
            parts = [f"{b.name} {'=' if b.kind == 'exact' else ('≤' if b.kind == 'upper' else '≥')} {b.text}"
                     for b in self.bounds]
            violated = [c["detail"] for c in self.checks if not c["ok"] and "field" not in c]
            verdict = "VIOLATED: " + "; ".join(violated) if violated else "all respected"
            lines.append("bounds: " + ", ".join(parts) + f" — {verdict}")
        return "\n".join(lines)


def _close(a: float, b: float) -> bool:
    """a = b to 10 digits; NaN and inf never agree (inf − inf is NaN, and 1e-9·inf would admit anything)."""
    return within(abs(a - b), 1e-9 * max(1.0, abs(a), abs(b)))


def _check_bounds(report_stats: dict[str, _Stats], exhaustive: bool, bounds: list[Any], code: Code,
                  errors_at: Any) -> list[dict[str, Any]]:
    """Compare the measured errors with every bound (lower bounds on worst errors need an exhaustive pass, or the
    bound's own straggler set)."""
    checks: list[dict[str, Any]] = []
    for b in bounds:
        value = float(b.value)
        for target in b.applies_to:
            statistic, decoder = target.split(":")
            names = list(report_stats) if decoder == "any" else [decoder]
            for name in names:
                stats = report_stats.get(name)
                if stats is None or statistic == "expected":
                    continue
                measured = stats.worst if statistic in ("worst", "every") else stats.mean
                if b.kind == "upper" and statistic == "worst":
                    ok = measured <= value + 1e-9 * max(1.0, value)
                    checks.append({"name": b.name, "ok": ok,
                                   "detail": f"{b.name}: worst {name} error {measured:.10g} ≤ {value:.10g}"})
                elif b.kind == "exact":
                    ok = _close(stats.worst, value) and _close(stats.mean, value)
                    checks.append({"name": b.name, "ok": ok,
                                   "detail": f"{b.name}: every set's {name} error = {value:.10g} (worst "
                                             f"{stats.worst:.10g}, mean {stats.mean:.10g})"})
                elif b.kind == "lower" and exhaustive:
                    ok = measured >= value - 1e-9 * max(1.0, value)
                    checks.append({"name": b.name, "ok": ok,
                                   "detail": f"{b.name}: {statistic} {name} error {measured:.10g} ≥ {value:.10g}"})
        if b.name == "eckart_young":
            stragglers = set(b.details["stragglers"])
            responders = [i for i in range(code.n) if i not in stragglers]
            measured = errors_at(responders)
            ok = measured >= float(b.value) - 1e-9 * max(1.0, float(b.value))
            checks.append({"name": b.name, "ok": ok,
                           "detail": f"eckart_young: optimal error {measured:.10g} ≥ {float(b.value):.10g} when "
                                     f"workers {sorted(stragglers)} straggle"})
    return checks


def _claimed_fraction(text: str, key: str) -> Fraction:
    """A fraction recorded in the construction block (``"3/7"``); InputError when it is not one."""
    try:
        return Fraction(text)
    except (ValueError, ZeroDivisionError, OverflowError):
        raise BadFile(f"the construction block's {key} must be a fraction such as \"3/7\", not "
                                   f"{text[:40]!r}") from None


def _claim(field: str, claimed: Any, ok: bool, found: str, detail: str) -> dict[str, Any]:
    """One check of a recorded claim: ``field`` is its dotted path in the file, ``found`` what was re-derived
    (the certificate prints ``claim FIELD = CLAIMED disagrees: FOUND`` when ``ok`` is false)."""
    return {"name": f"claimed {field.rsplit('.', 1)[-1]}", "field": field, "claimed": claimed, "ok": ok,
            "found": found, "detail": detail}


def _first_inexact_error(code: Code, exact_for: ExactFor, budget: int, tolerance: float) -> str:
    """" (error at s = t is e)" for the first straggler count t the engine found inexact: the worst optimal error
    over the sets of n − t responders (empty when t is undecided, beyond n − 1 or over the budget)."""
    t = max(exact_for.counts, default=-1) + 1
    if exact_for.undecided_from is not None or t >= code.n or math.comb(code.n, t) > budget:
        return ""
    spec, _ = approx_spec(code, _NO_DECODERS, code.n - t, None, tolerance, only=True)
    run = run_pass(code, stragglers=t, adversaries=0, all_failures=True, approx=spec, force=True)
    stats, _ = _merge(run, [])
    return f" (error at s = {t} is {stats['optimal'].worst:.6g})"


def _frame_objective(code: Code, x: np.ndarray) -> float:
    """Σ_j tr((X_{H_j} X_{H_j}ᵀ)⁻¹) over the partitions j, H_j the workers holding j: the objective the tight-frame
    decoder minimises (:func:`gcli.constructions.tight_frame_decoder`); ∞ when some X_{H_j} has rank < m."""
    held = _support(code)
    total = 0.0
    for j in range(code.k):
        block = x[:, held[:, j]]
        eig = np.linalg.eigvalsh(block @ block.T)
        if np.any(eig <= 1e-12):
            return math.inf
        total += float(np.sum(1.0 / eig))
    return total


def bias_claims(code: Code, product: np.ndarray, weight: float) -> list[dict[str, Any]]:
    """The construction block's ``bias`` claims for the fixed decoder w·X_F with X·B = ``product`` (m × k·m):
    over uniformly random sets F of n − s responders, E[w·X_F B_F] = w·((n−s)/n)·X·B, so when X·B = β·T the
    decoder's mean is w·((n−s)/n)·β times the gradient (``mean_weight``), unbiased when that is 1."""
    construction = code.construction if isinstance(code.construction, dict) else {}
    bias = construction.get("bias")
    if not isinstance(bias, dict) or not isinstance(bias.get("mean_weight"), str):
        return []
    s = code.s
    target = np.asarray(code.target, dtype=np.float64)
    beta = float(np.sum(product * target)) / float(np.sum(target * target))
    mean = weight * (code.n - s) / code.n * beta
    proportional = math.isfinite(mean) and bool(np.all(np.isfinite(product))) and bool(
        np.allclose(product, beta * target, rtol=0, atol=1e-12 * max(1.0, abs(beta))))
    ok = proportional and _close(mean, float(_claimed_fraction(bias["mean_weight"], "bias/mean_weight")))
    found = (f"the mean weight is {mean:.10g}" if proportional
             else "X·B is not finite (an overflow): no mean weight" if not math.isfinite(mean)
             else "X·B is not a multiple of T: the mean of the fixed decoder is not a multiple of the gradient")
    checks = [_claim("construction.bias.mean_weight", bias["mean_weight"], ok, found,
                     f"the file's mean weight of the fixed decoder {bias['mean_weight']}, recomputed {mean:.10g}")]
    if isinstance(bias.get("unbiased"), bool):
        unbiased = proportional and _close(mean, 1.0)
        checks.append(_claim("construction.bias.unbiased", bias["unbiased"],
                             proportional and bias["unbiased"] == unbiased,
                             f"the mean weight is {mean:.10g}, so the sum is {'un' if unbiased else ''}biased"
                             if proportional else found,
                             f"the file says the fixed decoder is {'un' * bias['unbiased']}biased"))
    return checks


def _claims(code: Code, s: int, stats: dict[str, _Stats], exact_for: ExactFor | None,
            decoders: _Decoders, *, budget: int = DEFAULT_BUDGET,
            tolerance: float = DEFAULT_TOLERANCE) -> list[dict[str, Any]]:
    """Check what the construction block claims about errors and decoders (each check names its field):

    * ``error_bound.value`` ≥ the worst fixed-decoder error and ``error_for_every_F`` = the optimal error of every
      set (at the file's s);
    * ``exact_for`` = the straggler counts 0..t for which least squares is exact on every set (engine passes);
    * ``bias.mean_weight`` = w·((n−s)/n)·β where X·B = β·T (over uniformly random sets of n − s responders,
      E[w·X_F B_F] = w·((n−s)/n)·X·B), and ``bias.unbiased`` ⇔ that mean weight is 1;
    * ``unbiased``: X₀·B = T is solvable, and, when the construction records a decoder matrix X, X·B = T itself;
      ``decoder.scale`` = ``n/|F|``, the scale that makes n/|F|·X_F unbiased over uniformly random sets;
    * ``variance_coefficient`` = Σ_i ‖x_i‖²‖b_i‖² of X₀, the variance coefficient of the unbiased decoder
      X₀[:, F]/(1 − p); ``frame.objective`` = Σ_j tr((X_{H_j}X_{H_j}ᵀ)⁻¹) of the recorded decoder X (H_j the
      holders of partition j); ``frame.lower_bound`` = Σ_j m²/r_j (r_j = |H_j|), the tight-frame bound the
      objective cannot go below.
    """
    construction = code.construction if isinstance(code.construction, dict) else {}
    checks: list[dict[str, Any]] = []
    bound = construction.get("error_bound")
    if s == code.s and isinstance(bound, dict) and isinstance(bound.get("value"), int | float) and "fixed" in stats:
        value = float(bound["value"])
        ok = stats["fixed"].worst <= value + 1e-9 * max(1.0, value)
        worst = stats["fixed"].worst
        checks.append(_claim("construction.error_bound.value", value, ok, f"the worst fixed-decoder error is "
                             f"{worst:.10g}", f"the file's error bound {value:.10g} ≥ worst fixed error {worst:.10g}"))
    every = construction.get("error_for_every_F")
    if s == code.s and isinstance(every, str):
        value = float(_claimed_fraction(every, "error_for_every_F"))
        ok = _close(stats["optimal"].worst, value) and _close(stats["optimal"].mean, value)
        found = f"the optimal error ranges up to {stats['optimal'].worst:.10g} (mean {stats['optimal'].mean:.10g})"
        checks.append(_claim("construction.error_for_every_F", every, ok, found,
                             f"the file's error for every set {every} (worst {stats['optimal'].worst:.10g}, "
                             f"mean {stats['optimal'].mean:.10g})"))
    claimed = construction.get("exact_for")
    if isinstance(claimed, list) and not all(type(x) is int for x in claimed):
        raise BadFile("the construction block's exact_for must be a list of integers (straggler counts)")
    if isinstance(claimed, list) and exact_for is not None:
        decided = sorted(x for x in claimed if exact_for.undecided_from is None or x < exact_for.undecided_from)
        beyond = [x for x in claimed if x not in decided]
        # the claimed list is the exact range 0..t, up to where the budget left the search undecided
        ok = decided == exact_for.counts and beyond == list(range(exact_for.undecided_from or 0, max(beyond,
                                                                                                 default=-1) + 1))
        found = f"exact for s in {exact_for.counts}"
        if exact_for.undecided_from is not None:
            found += f" (s ≥ {exact_for.undecided_from} undecided within the budget)"
        elif not ok:
            found += _first_inexact_error(code, exact_for, budget, tolerance)
        checks.append(_claim("construction.exact_for", claimed, ok, found,
                             f"the file claims exact for s in {claimed}; the engine finds {exact_for.counts}"))
    fixed = decoders.fixed
    if fixed:  # algebra on the file's s, whatever s this pass checks
        checks += bias_claims(code, fixed.matrix @ np.asarray(code.encoding, dtype=np.float64),
                              fixed.weight(code.n, code.n - code.s))
    x0 = decoders.unbiased
    coefficient = construction.get("variance_coefficient")
    diag = None if x0 is None else _fixed_moments(code, x0)[0]
    if isinstance(coefficient, int | float) and not isinstance(coefficient, bool) and diag is not None:
        ok = _close(float(coefficient), diag)
        checks.append(_claim("construction.variance_coefficient", coefficient, ok,
                             f"Σ‖x_i‖²‖b_i‖² = {diag:.10g}",
                             f"the file's Σ‖x_i‖²‖b_i‖² = {coefficient:.10g}, recomputed {diag:.10g}"))
    frame = construction.get("frame")
    if isinstance(frame, dict):
        objective = frame.get("objective")
        if isinstance(objective, int | float) and not isinstance(objective, bool):
            value = None if fixed is None else _frame_objective(code, fixed.matrix)
            ok = value is not None and _close(float(objective), value)
            found = ("no recorded decoder X" if value is None
                     else f"Σ_j tr((X_Hj X_Hjᵀ)⁻¹) of the recorded decoder is {value:.10g}")
            checks.append(_claim("construction.frame.objective", objective, ok, found,
                                 f"the frame objective {objective:.10g}: {found}"))
        lower = frame.get("lower_bound")
        if isinstance(lower, int | float) and not isinstance(lower, bool):
            replication = code.replication()
            value = float(np.sum(code.m * code.m / replication)) if np.all(replication > 0) else math.inf
            checks.append(_claim("construction.frame.lower_bound", lower, _close(float(lower), value),
                                 f"Σ_j m²/r_j = {value:.10g}", f"the tight-frame bound Σ_j m²/r_j = {value:.10g}"))
    if construction.get("unbiased") is True or (construction.get("unbiased") is False and x0 is not None):
        claimed_unbiased = construction["unbiased"]
        ok = x0 is not None
        found = "X₀·B = T " + ("holds" if ok else "has no solution")
        if ok and fixed is not None and isinstance(construction.get("decoder"), dict) and \
                "matrix" in construction["decoder"]:
            product = fixed.matrix @ np.asarray(code.encoding, dtype=np.float64)
            target = np.asarray(code.target, dtype=np.float64)
            gap = float(np.linalg.norm(product - target)) / float(np.linalg.norm(target))
            ok = gap <= tolerance
            found = f"the recorded decoder gives ‖X·B − T‖/‖T‖ = {gap:.3g}"
        checks.append(_claim("construction.unbiased", claimed_unbiased, ok == claimed_unbiased, found,
                             "the file claims an unbiased decoder: " + found))
        block = construction.get("decoder")
        if claimed_unbiased and isinstance(block, dict) and "matrix" in block:
            scale = block.get("scale", "1")
            checks.append(_claim("construction.decoder.scale", scale, scale == "n/|F|",
                                 "X·B = T makes n/|F|·X_F unbiased over uniformly random sets of responders; "
                                 f"scale {scale} has mean {'1' if scale == 'n/|F|' else '|F|/n'}·T",
                                 f"the decoder's scale {scale}"))
    return checks


def _per_decoder(run: Pass, stats: dict[str, _Stats], confidence: float) -> dict[str, dict[str, Any]]:
    return {
        name: {
            "worst_error": st.worst,
            "worst_set": run.pattern(st.worst_index) if st.worst_index >= 0 else None,
            "mean_error": st.mean,
            "mean_error_interval": None if run.exhaustive else st.interval(confidence),
            "sets": st.count,
        }
        for name, st in stats.items()
    }


def approximation_statistics(
    code: Code,
    *,
    stragglers: int | None = None,
    failure_prob: float | None = None,
    budget: int = DEFAULT_BUDGET,
    sample: int | None = None,
    seed: int = 0,
    force: bool = False,
    tolerance: float = DEFAULT_TOLERANCE,
    confidence: float = DEFAULT_CONFIDENCE,
    executor: Executor | None = None,
    progress: ProgressCallback | None = None,
) -> dict[str, dict[str, Any]]:
    """Worst error (with its set of responders), mean error (with a confidence interval when sampled) and the
    number of sets, per decoder that applies (``optimal``, ``fixed``, ``unbiased`` when ``failure_prob`` is
    given), over the sets of n − s responders: one engine pass and nothing else (no expectation, exactness or
    bounds; see :func:`approximation_report` for those).

    Example:
        >>> from gcli.constructions import graph_code
        >>> stats = approximation_statistics(graph_code("petersen", n=10, s=4))
        >>> round(stats["fixed"]["worst_error"], 4), round(stats["optimal"]["worst_error"], 4)
        (2.963, 2.2857)
    """
    if not code.is_real:
        raise NotSupported("approximation errors are defined for real codes")
    options = CertifyOptions(stragglers=code.s if stragglers is None else stragglers, adversaries=0,
                             failure_prob=failure_prob, budget=budget, sample=sample, seed=seed, force=force,
                             tolerance=tolerance, confidence=confidence, executor=executor, all_failures=True,
                             progress=progress)
    p = _check_p(options.failure_prob)
    s = int(options.stragglers)  # type: ignore[arg-type]
    spec, names = approx_spec(code, _decoders(code, options.tolerance), code.n - s, p, options.tolerance, only=True)
    run = run_pass(code, options, approx=spec)
    stats, _ = _merge(run, names)
    return _per_decoder(run, stats, options.confidence)


def build_report(
    code: Code, run: Pass, decoder: str, decoders: _Decoders, names: list[str], p: float | None,
    p_source: str | None, options: CertifyOptions, *, structure: Any = None, removed: Any = None,
) -> ApproximationReport:
    """The report of a pass that carried an :class:`ApproxSpec` (plus the expectation, exactness and bounds);
    ``budget``, ``seed``, ``confidence``, ``tolerance``, ``executor`` and ``expectation_samples`` of ``options``
    apply. ``removed`` (a :class:`gcli.certification.approx_removed.RemovedApprox` the pass came from) also gives
    the optimal decoder's expectation, the exact counts below s and single sets' errors from the removed side."""
    budget, seed, confidence, tolerance = options.budget, options.seed, options.confidence, options.tolerance
    executor, expectation_samples = options.executor, options.expectation_samples
    stats, _ = _merge(run, names)
    chosen = stats[decoder]
    description = {"optimal": "least squares, X = T·B_F⁺",
                   "fixed": decoders.fixed.description if decoders.fixed is not None else "",
                   "unbiased": f"{decoders.unbiased_source}, divided by 1 − p"}[decoder]
    per_decoder = _per_decoder(run, stats, confidence)
    expectation, expectation_note = None, None
    if p is not None and removed is not None and decoder == "optimal":
        from gcli.certification.approx_removed import removed_expectation

        expectation = removed_expectation(removed.factor, code, p, samples=expectation_samples, seed=seed,
                                          confidence=confidence, budget=budget)
    if p is not None and expectation is None:
        try:
            expectation = expected_error(code, decoder, p, budget=budget, samples=expectation_samples, seed=seed,
                                         confidence=confidence, tolerance=tolerance, executor=executor)
        except InputError as exc:
            if expectation_samples is not None:
                raise
            expectation_note = str(exc)
    known_exact = run.stragglers if run.exhaustive and run.adversaries == 0 and run.failures == 0 else None
    known_inexact = run.stragglers if run.failures > 0 and run.adversaries == 0 else None
    if removed is not None and known_inexact is not None:
        from gcli.certification.approx_removed import exact_counts_below

        exact_for = exact_counts_below(removed, code, tolerance)
    else:
        exact_for = exact_straggler_counts(code, budget=budget, tolerance=tolerance, executor=executor,
                                           known_exact=known_exact, known_inexact=known_inexact)
    bounds = code_bounds(code, run.stragglers, p, decoders, structure) if run.adversaries == 0 else []

    def optimal_at(responders: list[int]) -> float:
        if removed is not None:
            missing = np.setdiff1d(np.arange(code.n), np.asarray(responders, dtype=np.int64))
            return float(removed.factor.optimal_errors(missing[None, :])[0])
        return approximation_error(code, responders, "optimal")

    checks = _check_bounds(stats, run.exhaustive, bounds, code, optimal_at)
    if expectation is not None and decoder == "unbiased":
        for b in bounds:
            if "expected:unbiased" in b.applies_to:
                ok = expectation.expected_error >= float(b.value) - 1e-9 * max(1.0, float(b.value))
                checks.append({"name": b.name, "ok": ok, "detail": f"{b.name}: expected unbiased error "
                               f"{expectation.expected_error:.10g} ≥ {float(b.value):.10g}"})
    checks += _claims(code, run.stragglers, stats, exact_for, decoders, budget=budget, tolerance=tolerance)
    return ApproximationReport(
        decoder=decoder, decoder_description=description, stragglers=run.stragglers, surviving_size=run.size,
        sets=chosen.count, exhaustive=run.exhaustive, worst_error=chosen.worst,
        worst_set=run.pattern(chosen.worst_index) if chosen.worst_index >= 0 else [],
        mean_error=chosen.mean, mean_interval=None if run.exhaustive else chosen.interval(confidence),
        confidence=None if run.exhaustive else confidence, normalisation=code.k * code.m,
        decoders=per_decoder, expectation=expectation, failure_prob_source=p_source, exact_for=exact_for,
        bounds=bounds, checks=checks, expectation_note=expectation_note,
    )


def prepare(code: Code, decoder: str | None, failure_prob: float | None, stragglers: int | None,
            tolerance: float = DEFAULT_TOLERANCE) -> tuple[str, _Decoders, float | None, str | None]:
    """Validate the request: (decoder, decoders, p, where p came from). p defaults to s/n when s ≥ 1."""
    decoder = decoder or "optimal"
    p = _check_p(failure_prob)
    source = None if p is None else "given"
    s = code.s if stragglers is None else stragglers
    if p is None and s >= 1:
        p, source = s / code.n, "s/n"
    decoders = _decoders(code, tolerance)
    _require(code, decoders, decoder, p)
    return decoder, decoders, p, source


def approximation_report(
    code: Code,
    *,
    stragglers: int | None = None,
    decoder: str = "optimal",
    failure_prob: float | None = None,
    budget: int = DEFAULT_BUDGET,
    sample: int | None = None,
    seed: int = 0,
    force: bool = False,
    tolerance: float = DEFAULT_TOLERANCE,
    confidence: float = DEFAULT_CONFIDENCE,
    executor: Executor | None = None,
    progress: ProgressCallback | None = None,
    expectation_samples: int | None = None,
) -> ApproximationReport:
    """The approximation report of a real code with s stragglers (default: the code's s), from one engine pass
    over the sets of n − s responders (all of them, or ``sample`` seeded random ones), plus the expectation under
    i.i.d. failures with probability ``failure_prob`` (default s/n), the exact straggler counts and the bounds.
    This is the ``approximation`` block of :func:`gcli.certify`, without the stability and structure checks."""
    options = CertifyOptions(stragglers=code.s if stragglers is None else stragglers, adversaries=0,
                             decoder=decoder, failure_prob=failure_prob, budget=budget, sample=sample, seed=seed,
                             force=force, tolerance=tolerance, confidence=confidence, executor=executor,
                             all_failures=True, progress=progress, expectation_samples=expectation_samples)
    chosen, decoders, p, source = prepare(code, options.decoder, options.failure_prob, options.stragglers,
                                          options.tolerance)
    s = int(options.stragglers)  # type: ignore[arg-type]
    spec, names = approx_spec(code, decoders, code.n - s, p, options.tolerance, only=True)
    run = run_pass(code, options, approx=spec)
    structure = None
    if code.extras:
        from gcli.structures import certify_structure

        structure = certify_structure(code)
    return build_report(code, run, chosen, decoders, names, p, source, options, structure=structure)

