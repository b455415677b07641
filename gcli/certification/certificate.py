"""One certificate for every code: :func:`certify` makes one engine pass and reports everything in one shape.

For a code and a straggler/adversary budget (s, a; by default the code's own), the surviving sets are the sets F
of n − s − 2a responders. :func:`certify` walks them once (all of them, or a seeded sample) and computes

* **decodability** — whether the target T lies in rowspan(B_F) for every F: exact elimination over GF(q), the
  least-squares residual ‖X B_F − T‖_F/‖T‖_F ≤ tolerance over the reals; the lexicographically first failing
  set; with ``all_failures`` (always for approximate codes) the number of failing sets;
* **stability** (real codes) — in the same pass, the condition number κ(B_F) = σ_max/σ_rank, the residual and
  the relative error of decoding seeded random float64 gradients with the least-squares decoder: worst (with
  the set) and median over the sets;
* **structure** — for codes built on a design or a graph, the structure's defining identity, that the
  assignment is the structure's, and that the encoding is the matrix the structure prescribes
  (:func:`gcli.structures.certify_structure`);
* **approximation** (real approximate codes, or any real code when a decoder or a failure probability is asked
  for) — in the same pass, the error ‖X·B_F − T‖_F² of the optimal, fixed and unbiased decoders on every set
  (worst with its set, mean), the expected error, bias and variance under i.i.d. failures with probability p, the
  straggler counts for which the optimal decoder is exact, and every applicable bound, each checked against the
  measured errors (:mod:`gcli.certification.approximation`);
* **hierarchy** — the layered report of hierarchical codes.

:class:`Certificate` has one JSON shape (:meth:`Certificate.to_json`) for every kind of code: the keys of
:data:`CERTIFICATE_KEYS` are always present, ``null`` where a block does not apply. ``certified`` is the verdict
the command line turns into its exit status: a code that claims exact recovery is certified when every checked
set decodes (and its structure, if any, holds); an approximate code (``exact_claimed`` false) is certified when
its structure and encoding are what the file says and its measured errors respect every bound and claim of the
approximation block — ``decodable`` then records whether it happens to be exact for this s as well.

Example:
    >>> from gcli.constructions import reed_solomon
    >>> cert = certify(reed_solomon(8, 2))
    >>> cert.certified, cert.patterns_checked, cert.stability.median_condition_number > 1
    (True, 28, True)
    >>> sorted(cert.to_json()) == sorted(CERTIFICATE_KEYS)
    True
"""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gcli.certification.claims import (
    APPROXIMATE_SCHEMES,
    ClaimCheck,
    code_claims,
    exactness,
    hierarchical_claims,
    records_approximation_claims,
)
from gcli.certification.options import CertifyOptions
from gcli.certification.stability import StabilityReport, median_stride, random_messages
from gcli.certification.stability import report_from_pass as stability_from_pass
from gcli.certification.verification import (
    DEFAULT_BUDGET,
    DEFAULT_CONFIDENCE,
    DEFAULT_TOLERANCE,
    Pass,
    ProgressCallback,
    check_budget,
    patterns_to_check,
    removed_side_pass,
    run_pass,
    sampled_statement,
)
from gcli.code import Code
from gcli.defaults import set_text
from gcli.errors import BadFile, NotSupported

if TYPE_CHECKING:
    from gcli.certification.approximation import ApproximationReport
    from gcli.certification.hierarchical import HierarchicalReport, SimulationReport
    from gcli.hierarchical.codes import HierarchicalCode
    from gcli.structures import StructureReport

__all__ = ["CERTIFICATE_FORMAT", "CERTIFICATE_KEYS", "Certificate", "certify"]

CERTIFICATE_FORMAT = "gcli.certificate"
CERTIFICATE_KEYS = (
    "format",
    "format_version",
    "certified",
    "exact_claimed",
    "decodable",
    "scheme",
    "field",
    "n",
    "k",
    "m",
    "d",
    "stragglers",
    "adversaries",
    "surviving_size",
    "patterns_checked",
    "patterns_total",
    "exhaustive",
    "failing_set",
    "failures_found",
    "sample_seed",
    "failure_fraction_bound",
    "confidence",
    "tolerance",
    "stability",
    "structure",
    "approximation",
    "hierarchy",
    "claims",
    "removed_side",
    "seconds",
)
"""The top-level keys of every certificate's JSON, in order."""


@dataclass(frozen=True)
class Certificate:
    """The outcome of :func:`certify` (module docstring). ``failing_set`` lists the surviving workers of the
    first failing pattern; ``failures_found`` counts failing sets among those checked."""

    scheme: str
    field: str
    n: int
    k: int
    m: int
    d: int
    exact_claimed: bool
    stragglers: int
    adversaries: int
    surviving_size: int
    decodable: bool
    patterns_checked: int
    patterns_total: int
    exhaustive: bool
    failing_set: list[int] | None
    failures_found: int
    sample_seed: int | None
    failure_fraction_bound: float | None
    confidence: float | None
    tolerance: float | None
    stability: StabilityReport | None
    structure: StructureReport | None
    approximation: dict[str, Any] | None = None
    hierarchy: HierarchicalReport | None = None
    simulation: SimulationReport | None = None
    seconds: float = 0.0
    approximation_report: ApproximationReport | None = None
    claims: tuple[ClaimCheck, ...] = ()
    """Every claim the file records, re-derived (:mod:`gcli.certification.claims`); one that disagrees fails the
    certificate."""
    removed_side: dict[str, Any] | None = None
    """How the removed-side path certified the code (:func:`_removed_side_block`), None for the engine's pass."""

    @property
    def claims_ok(self) -> bool:
        """Every recorded claim agrees with what certify re-derived."""
        return all(check.ok for check in self.claims)

    @property
    def certified(self) -> bool:
        """The verdict: exact codes must decode from every checked set; every code's structure must hold; a
        hierarchical code must also meet the optimal loads (and pass its simulation when one was run); measured
        approximation errors must respect every bound and claim."""
        structure_ok = self.structure is None or self.structure.certified
        hierarchy_ok = self.hierarchy is None or self.hierarchy.certified
        hierarchy_ok = hierarchy_ok and (self.simulation is None or self.simulation.ok)
        approximation_ok = self.approximation is None or bool(self.approximation.get("ok", True))
        return (structure_ok and hierarchy_ok and approximation_ok and self.claims_ok
                and (self.decodable or not self.exact_claimed))

    @property
    def exit_status(self) -> int:
        """0 when certified, 1 otherwise (what ``gcli verify`` exits with)."""
        return 0 if self.certified else 1

    def to_json(self) -> dict[str, Any]:
        """The JSON object: every key of :data:`CERTIFICATE_KEYS`, ``null`` where a block does not apply."""
        out: dict[str, Any] = {
            "format": CERTIFICATE_FORMAT,
            "format_version": 1,
            "certified": self.certified,
            "exact_claimed": self.exact_claimed,
            "decodable": self.decodable,
            "scheme": self.scheme,
            "field": self.field,
            "n": self.n,
            "k": self.k,
            "m": self.m,
            "d": self.d,
            "stragglers": self.stragglers,
            "adversaries": self.adversaries,
            "surviving_size": self.surviving_size,
            "patterns_checked": self.patterns_checked,
            "patterns_total": self.patterns_total,
            "exhaustive": self.exhaustive,
            "failing_set": self.failing_set,
            "failures_found": self.failures_found,
            "sample_seed": self.sample_seed,
            "failure_fraction_bound": self.failure_fraction_bound,
            "confidence": self.confidence,
            "tolerance": self.tolerance,
            "stability": None if self.stability is None else _stability_block(self.stability),
            "structure": None if self.structure is None else self.structure.to_json(),
            "approximation": self.approximation,
            "hierarchy": None if self.hierarchy is None else {
                **self.hierarchy.to_json(),
                "simulation": None if self.simulation is None else self.simulation.to_json(),
            },
            "claims": [check.to_json() for check in self.claims],
            "removed_side": self.removed_side,
            "seconds": self.seconds,
        }
        return out

    def summary(self) -> str:
        """The human-readable account ``gcli verify`` prints."""
        if self.hierarchy is not None:
            lines = [self.hierarchy.summary()]
            if self.simulation is not None:
                lines.append(self.simulation.summary())
            lines += self._claim_lines()
            return "\n".join(lines)
        kind = "exhaustive" if self.exhaustive else "sampled"
        removed = self.removed_side
        stopped = self.failing_set is not None and self.exact_claimed and removed is None
        if removed is not None:
            kind += f", {removed['path']}"
            if removed["group_order"] is not None:
                kind += f": cyclic group of order {removed['group_order']}, {removed['orbits']} orbits"
        if stopped:
            kind += ", stopped at the first failure"
        verdict = "DECODABLE" if self.decodable else "NOT DECODABLE"
        lines: list[str] = []
        if not self.exact_claimed:
            lines.append(
                f"approximate code (exact=false): exact recovery is not claimed; "
                f"{self.patterns_checked - self.failures_found} of {self.patterns_checked} surviving sets of size "
                f"{self.surviving_size} recover the gradient exactly (s={self.stragglers}, a={self.adversaries})"
            )
        else:
            lines.append(
                f"{verdict} over {self.field}: n={self.n}, s={self.stragglers}, a={self.adversaries}, "
                f"{self.patterns_checked}/{self.patterns_total} surviving sets of size {self.surviving_size} "
                f"checked ({kind})"
            )
            if self.failing_set is not None:
                lines.append(f"failing surviving set: {set_text(self.failing_set, self.n)}")
                if self.patterns_checked == self.patterns_total and self.failures_found > 1:
                    lines.append(f"{self.failures_found} of {self.patterns_total} surviving sets fail")
        if removed is not None and "gram_condition" in removed:
            group = (f", cyclic group of order {removed['group_order']}, {removed['orbits']} orbits"
                     if removed["group_order"] is not None else "")
            lines.append(f"every set from the removed side ({removed['path']}{group}; κ₁(B·Bᵀ) = "
                         f"{removed['gram_condition']:.4g}); condition numbers and float64 errors not computed")
        elif removed is not None:
            lines.append(f"{removed['fallback_sets']} removed sets checked by the engine (fallback)")
        if self.stability is not None and self.exact_claimed and removed is not None:
            lines += _removed_stability_lines(self.stability, removed, self.tolerance)
        elif self.stability is not None and self.exact_claimed:
            st = self.stability
            where = set_text(st.max_residual_set, st.n)
            lines.append(f"largest residual |X B_F - T|/|T| {st.max_residual:.3g} at {where} "
                         f"(tolerance {self.tolerance:g})")
            lines.append(st.summary())
        fixed = self.approximation if isinstance(self.approximation, dict) else {}
        if fixed.get("method") == "fixed decoder on the compressed rows":
            kind = "all" if fixed["exhaustive"] else "a sample of"
            lines.append(f"fixed decoder ({fixed['fixed_decoder']}, weight {fixed['weight']:.6g}) on {kind} "
                         f"{fixed['sets']} surviving sets: error ‖w·1_Fᵀ B_F − 1‖² worst {fixed['worst_error']:.6g} "
                         f"(missing workers {fixed['worst_missing_workers']}), mean {fixed['mean_error']:.6g}; "
                         f"{fixed['decoded_by_fixed_decoder']} decode exactly")
        if self.failure_fraction_bound is not None and self.confidence is not None:
            lines.append(sampled_statement(self.patterns_checked, self.patterns_total, self.failure_fraction_bound,
                                           self.confidence))
        if self.approximation_report is not None:
            lines.append(self.approximation_report.summary())
        lines += self._claim_lines()
        if self.structure is not None:
            lines.append(self.structure.summary())
        return "\n".join(lines)

    def _claim_lines(self) -> list[str]:
        """One line per claim that disagrees, and the claims this check could not re-derive, by name (the JSON
        lists every claim with what was found)."""
        lines = [check.line() for check in self.claims if not check.ok]
        skipped = [check for check in self.claims if not check.rederived]
        if skipped:
            lines.append(f"recorded claims {skipped[0].found}: " + ", ".join(c.field for c in skipped))
        return lines



def _removed_stability_lines(st: StabilityReport, removed: dict[str, Any], tolerance: float | None) -> list[str]:
    """The stability lines of a removed-side certificate: what covers every set says so, the median κ is labelled
    with its sample, and with a group the decoding errors with the orbit representatives they cover."""
    sampled = (f"sampled: exact κ of {removed['sampled_sets']} seeded random surviving sets "
               f"(seed {removed['sample_seed']}), not every set")
    errors_over = ("every set" if removed["group_order"] is None
                   else f"one set per orbit: {removed['orbits']} orbit representatives")
    return [
        f"largest residual |X B_F - T|/|T| {st.max_residual:.3g} at {set_text(st.max_residual_set, st.n)} "
        f"(tolerance {tolerance:g}; every set)",
        f"condition number over all {removed['patterns']} surviving sets: worst {st.worst_condition_number:.4g} at "
        f"{set_text(st.worst_condition_set, st.n)}; median {st.median_condition_number:.4g} ({sampled})",
        f"float64 decoding of random gradients (ℓ={st.gradient_length}, seed {st.gradient_seed}): worst relative "
        f"error {st.worst_relative_error:.3g} at {set_text(st.worst_relative_error_set, st.n)}, median "
        f"{st.median_relative_error:.3g} ({errors_over}; decoder T·B_F⁺ from the full set's decoder space)",
    ]


_EXHAUSTIVE_FIGURES = ("decodable", "failing_set", "failures_found", "worst_condition_number",
                       "worst_condition_set", "max_residual", "max_residual_set")
_ERROR_FIGURES = ("worst_relative_error", "worst_relative_error_set", "median_relative_error")
_SAMPLED_FIGURES = ("median_condition_number",)


def _removed_side_certificate(code: Code, options: CertifyOptions) -> tuple[Pass, StabilityReport | None,
                                                                            dict[str, Any]] | None:
    """The removed-side path of :func:`certify` (:func:`gcli.certification.verification.removed_side_pass`, the
    conditions of :func:`gcli.verify`): decodability with the first failing set and the failure count over every
    set; over the reals also the worst κ(B_F) and the largest residual over every set, the float64 decoding
    errors of every set (of every orbit representative when a group is used: the random gradients are not
    symmetric), and the median κ from the exact κ of
    :data:`gcli.certification.removed.MEDIAN_SAMPLE` seeded random sets (labelled sampled). None when the path
    does not apply."""
    import math

    messages = truth = None
    if code.is_real:
        messages, truth = random_messages(code, options.seed, options.gradient_length)
    rep = removed_side_pass(code, options, messages, truth)
    if rep is None:
        return None
    s = code.s if options.stragglers is None else options.stragglers
    a = code.a if options.adversaries is None else options.adversaries
    total = rep.patterns_total
    run = Pass(n=code.n, stragglers=s, adversaries=a, size=code.n - rep.removed, total=total, exhaustive=True,
               checked=total, first_failure=rep.first_failure_rank, failures=rep.failures, drawn=None, results=[],
               seconds=rep.seconds, sample_seed=None)
    block: dict[str, Any] = {
        "path": rep.path, "group_order": rep.group_order, "orbits": rep.orbits, "fallback_sets": rep.fallback_sets,
        "patterns": total, "exhaustive_figures": ["decodable", "failing_set", "failures_found"],
        "representative_figures": [], "sampled_figures": [], "sampled_sets": None, "sample_seed": None,
    }
    stability = None
    if (code.is_real and truth is not None and rep.worst_condition_number is not None
            and rep.max_residual is not None):
        worst = rep.worst_condition_number

        def _finite(value: float | None) -> float:
            return math.nan if value is None else float(value)

        stability = StabilityReport(
            n=code.n, stragglers=s, adversaries=a, surviving_size=code.n - rep.removed, patterns_checked=total,
            patterns_total=total, exhaustive=True,
            worst_condition_number=worst if math.isfinite(worst) else math.inf,
            worst_condition_set=rep.worst_condition_set or [],
            median_condition_number=_finite(rep.median_condition_number),
            worst_relative_error=_finite(rep.worst_relative_error),
            worst_relative_error_set=rep.worst_relative_error_set or [],
            median_relative_error=_finite(rep.median_relative_error),
            gradient_length=int(truth.size), gradient_seed=options.seed, sample_seed=None,
            max_residual=rep.max_residual, max_residual_set=rep.max_residual_set,
            median_over=rep.median_sample or 0, condition_samples=rep.condition_samples,
            error_samples=rep.error_samples,
        )
        by_group = rep.group_order is not None
        block.update(exhaustive_figures=list(_EXHAUSTIVE_FIGURES) + ([] if by_group else list(_ERROR_FIGURES)),
                     representative_figures=list(_ERROR_FIGURES) if by_group else [],
                     sampled_figures=list(_SAMPLED_FIGURES), sampled_sets=rep.median_sample,
                     sample_seed=options.seed)
    return run, stability, block


def _removed_side_approximation(code: Code, options: CertifyOptions, spec: Any) -> Any:
    """The removed-side approximation pass (:mod:`gcli.certification.approx_removed`: every set's optimal and
    fixed-decoder errors from an s × s problem, one set per orbit of a verified cyclic group) under the conditions
    of the removed side of :func:`gcli.verify` (exhaustive, the default backend, n ≥ 100, 1 ≤ s ≤ 3, no
    adversaries) when B has full row rank and κ₁(B·Bᵀ) ≤ 10⁸; else None (the engine runs). The certificate then
    has no stability report (condition numbers and float64 errors are the engine's)."""
    import math

    from gcli.certification.verification import REMOVED_SIDE_MIN_N

    s = code.s if options.stragglers is None else options.stragglers
    a = code.a if options.adversaries is None else options.adversaries
    if (options.sample is not None or options.backend != "auto" or options.unit_size is not None or a != 0
            or not 1 <= s <= 3 or code.n < REMOVED_SIDE_MIN_N or not code.is_real
            or (math.comb(code.n, s) > options.budget and not options.force)):
        return None
    from gcli.certification.approx_removed import removed_approximation

    return removed_approximation(code, s, spec.columns, spec.weights, options.tolerance)


def _stability_block(report: StabilityReport) -> dict[str, Any]:
    keys = ("worst_condition_number", "worst_condition_set", "median_condition_number", "max_residual",
            "max_residual_set", "worst_relative_error", "worst_relative_error_set", "median_relative_error",
            "median_over", "gradient_length", "gradient_seed")
    full = report.to_json()
    return {key: full[key] for key in keys}


def _check_scale(code: Any) -> None:
    """Refuse real entries beyond ±:data:`gcli.io.reading.REAL_ENTRY_BOUND` before any arithmetic: the products
    verification forms would overflow float64 (one finite entry of 1.7e308 made LAPACK's SVD fail)."""
    from gcli.hierarchical.codes import HierarchicalCode
    from gcli.io.reading import check_real_entries

    if isinstance(code, HierarchicalCode):
        layers = [("the relay layer's encoding", code.outer)]
        layers += [(f"cluster {i}'s encoding", layer) for i, layer in enumerate(code.inner)]
    else:
        layers = [("the encoding", code)]
    for where, layer in layers:
        if layer.is_real:
            check_real_entries(layer.sparse_encoding.data if layer.is_sparse else layer.integer_encoding(), where)


def certify(
    code: Code | HierarchicalCode,
    *,
    stragglers: int | None = None,
    adversaries: int | None = None,
    budget: int = DEFAULT_BUDGET,
    sample: int | None = None,
    seed: int = 0,
    force: bool = False,
    tolerance: float = DEFAULT_TOLERANCE,
    confidence: float = DEFAULT_CONFIDENCE,
    executor: Executor | None = None,
    all_failures: bool = False,
    progress: ProgressCallback | None = None,
    gradient_length: int | None = None,
    simulate: int | None = None,
    decoder: str | None = None,
    failure_prob: float | None = None,
    expectation_samples: int | None = None,
    backend: str = "auto",
) -> Certificate:
    """Certify a code in one pass over its surviving sets (module docstring).

    Args:
        code: the code.
        stragglers, adversaries: s and a for this check (default: the code's own); they mean the same for every
            kind of code: the surviving sets have n − s − 2a workers.
        budget, force: refuse (InputError) more than ``budget`` surviving sets unless ``sample`` or ``force``.
        sample, seed: check ``sample`` seeded uniformly random surviving sets; the seed also draws the random
            gradients of the stability report.
        tolerance: over the reals, a set decodes when ‖X B_F − T‖_F/‖T‖_F ≤ tolerance.
        confidence: for sampling, the 1 − δ of the bound on the failing fraction.
        executor: run the pass on this executor (threads, processes, a Dask client's executor).
        all_failures: count every failing set instead of stopping at the first (always on for approximate
            codes, whose report covers every set).
        progress: ``progress(done, total)`` after each work unit (one progress display for the whole pass).
        gradient_length: ℓ of the random gradients (a multiple of m; default 16·m).
        simulate: hierarchical codes only: also run this many end-to-end trials with random stragglers and
            lying relays and workers, decoded with error correction at both layers
            (:func:`gcli.certification.hierarchical.simulate`); the certificate then also requires every trial to
            recover the exact sum.
        decoder: the decoder the approximation block reports first: ``optimal`` (default), ``fixed`` (the
            construction's) or ``unbiased``; asking for one also gives exact real codes an approximation block.
        failure_prob: p of the i.i.d. failure model of the expected error and bias (default s/n when s ≥ 1).
        expectation_samples: Monte Carlo failure patterns for the optimal decoder's expectation when the 2ⁿ
            patterns exceed the budget (default 20 000).
        backend: the engine's backend (:func:`gcli.verify`). With ``"auto"``, an exact code with n ≥ 100 checked
            exhaustively at s + 2a ≤ 3 takes the removed-side path (:func:`_removed_side_certificate`, the
            ``removed_side`` block says what it computed over every set and what over a sample); any other
            value runs the engine over every surviving set.

    The keywords become one :class:`~gcli.certification.options.CertifyOptions`, handed to every part of the pass.

    A :class:`gcli.hierarchical.codes.HierarchicalCode` is certified layer by layer
    (:func:`gcli.certification.hierarchical.verify_hierarchical`): the top-level fields describe the relay layer
    seen by the server (stragglers = s_r, adversaries = a_r, m = m_1; n counts all workers, k the partitions)
    summed over the layers where they are counts, and the ``hierarchy`` block holds the per-layer reports, the
    loads against the bound and the simulation.
    """
    from gcli.hierarchical.codes import HierarchicalCode

    options = CertifyOptions(
        stragglers=stragglers, adversaries=adversaries, budget=budget, sample=sample, seed=seed, force=force,
        tolerance=tolerance, confidence=confidence, executor=executor, all_failures=all_failures, progress=progress,
        gradient_length=gradient_length, simulate=simulate, decoder=decoder, failure_prob=failure_prob,
        expectation_samples=expectation_samples, backend=backend,
    )
    _check_scale(code)
    if isinstance(code, HierarchicalCode):
        if stragglers is not None or adversaries is not None:
            raise NotSupported("a hierarchical code carries its straggler and adversary budgets per layer: "
                               "-s and -a apply to single-layer codes")
        return _certify_hierarchical(code, options)
    if simulate is not None:
        raise NotSupported("--simulate runs end-to-end trials of hierarchical codes; for a single-layer code use "
                           "gcli simulate")
    block = APPROXIMATE_SCHEMES.get(code.scheme)
    if block is not None and not exactness(code)[0] and block not in code.extras:
        raise BadFile(f"a {code.scheme} code that does not claim exactness must carry its {block} block: the "
                      "structure and the encoding it prescribes are what its certificate checks")
    from gcli.certification.sparse import uses_fixed_decoder

    if decoder in (None, "fixed") and failure_prob is None and uses_fixed_decoder(code):
        return _certify_fixed_decoder(code, options)
    wants_approximation = decoder is not None or failure_prob is not None
    if wants_approximation and not code.is_real:
        raise NotSupported("approximation errors are defined for real codes (a code over GF(q) decodes exactly or "
                           "not at all): --decoder and --failure-prob do not apply")
    check_budget(code, options)  # an enumeration over the budget is refused before any array is drawn
    structure = None
    if code.extras:  # structure blocks (designs, graphs): load their checks only for codes that carry one
        from gcli.structures import certify_structure

        structure = certify_structure(code)
    # a code that is not its structure's code fails on that; its recorded decoder and error claims are not
    # evaluated (a decoder weight that disagrees with the structure would be refused as a bad file)
    structure_fails = structure is not None and not structure.certified and not wants_approximation
    approx = None
    if code.is_real and not structure_fails and (wants_approximation or not code.exact
                                                 or records_approximation_claims(code)):
        from gcli.certification import approximation as ap

        s_used = code.s if stragglers is None else stragglers
        a_used = code.a if adversaries is None else adversaries
        chosen, decoders, p, p_source = ap.prepare(code, decoder, failure_prob, s_used, tolerance)
        if code.exact and not wants_approximation:  # only for the file's claims: no expectation under failures
            p, p_source = None, None
        spec, names = ap.approx_spec(code, decoders, code.n - s_used - 2 * a_used, p, tolerance)
        approx = (ap, chosen, decoders, p, p_source, spec, names)
    every_set = all_failures or not code.exact or approx is not None
    removed = None
    if approx is None and code.exact:
        removed = _removed_side_certificate(code, options)
    removed_approx = None
    if approx is not None:
        removed_approx = _removed_side_approximation(code, options, approx[5])
    stability = None
    if removed is not None:
        run, stability, _ = removed
    elif removed_approx is not None:
        run = removed_approx.as_pass(code.n)
        removed = (run, None, removed_approx.block())
    else:
        messages = truth = None
        stride = 0
        if code.is_real:
            messages, truth = random_messages(code, seed, gradient_length)
            stride = median_stride(
                patterns_to_check(code, stragglers=stragglers, adversaries=adversaries, sample=sample)
            )
        run = run_pass(code, options.but(all_failures=every_set), messages=messages, truth=truth, stride=stride,
                       approx=None if approx is None else approx[5])
        if code.is_real and truth is not None:
            stability = stability_from_pass(code, run, truth.size, seed)
    report = None
    if approx is not None:
        ap, chosen, decoders, p, p_source, _, names = approx
        report = ap.build_report(code, run, chosen, decoders, names, p, p_source, options, structure=structure,
                                 removed=removed_approx)
    bound = run.failure_fraction_bound(confidence)
    claims = code_claims(code, run, stability, report, structure, exhaustive=run.exhaustive,
                         decodable=run.first_failure is None, stragglers=run.stragglers, adversaries=run.adversaries)
    return Certificate(
        scheme=code.scheme,
        field=code.field_name,
        n=code.n,
        k=code.k,
        m=code.m,
        d=code.d,
        exact_claimed=exactness(code)[0],
        stragglers=run.stragglers,
        adversaries=run.adversaries,
        surviving_size=run.size,
        decodable=run.first_failure is None,
        patterns_checked=run.checked,
        patterns_total=run.total,
        exhaustive=run.exhaustive,
        failing_set=run.failing_set,
        failures_found=run.failures,
        sample_seed=run.sample_seed,
        failure_fraction_bound=bound,
        confidence=None if bound is None else confidence,
        tolerance=tolerance if code.is_real else None,
        stability=stability,
        structure=structure,
        approximation=None if report is None else report.to_json(),
        approximation_report=report,
        seconds=run.seconds,
        claims=tuple(claims),
        removed_side=None if removed is None else removed[2],
    )


def _certify_fixed_decoder(code: Code, options: CertifyOptions) -> Certificate:
    """The certificate of a large sparse code: structure in O(nnz), the fixed decoder on the surviving sets
    (:mod:`gcli.certification.sparse`); no least-squares stability report at this scale."""
    from gcli.certification.sparse import fixed_decoder_pass
    from gcli.structures import certify_structure

    structure = certify_structure(code) if code.extras else None
    run = fixed_decoder_pass(code, options)
    tolerance, confidence = options.tolerance, options.confidence
    first = run.first_failure
    bound = run.failure_fraction_bound(confidence)
    claims = code_claims(code, None, None, None, structure, exhaustive=run.exhaustive, decodable=first is None,
                         stragglers=run.stragglers, adversaries=run.adversaries)
    return Certificate(
        scheme=code.scheme, field=code.field_name, n=code.n, k=code.k, m=code.m, d=code.d,
        exact_claimed=exactness(code)[0], claims=tuple(claims),
        stragglers=run.stragglers, adversaries=run.adversaries, surviving_size=run.size, decodable=first is None,
        patterns_checked=run.checked, patterns_total=run.total, exhaustive=run.exhaustive,
        failing_set=None if first is None else run.surviving(first), failures_found=run.failures,
        sample_seed=run.sample_seed, failure_fraction_bound=bound, confidence=None if bound is None else confidence,
        tolerance=tolerance, stability=None, structure=structure, approximation=run.to_json(), seconds=run.seconds,
    )


def _certify_hierarchical(hcode: HierarchicalCode, options: CertifyOptions) -> Certificate:
    """The certificate of a two-layer code: the layered report in the ``hierarchy`` block; as the other top-level
    fields, ``failure_fraction_bound`` is a single number: the largest of the sampled layers' bounds, so every
    sampled layer's failing fraction lies below it (the ``hierarchy`` block has each layer's)."""
    from gcli.certification.hierarchical import simulate as run_simulation
    from gcli.certification.hierarchical import verify_hierarchical

    report = verify_hierarchical(hcode, options)
    simulation = None if options.simulate is None else run_simulation(hcode, options.simulate, options.seed)
    tolerance, confidence = options.tolerance, options.confidence
    layers = (report.relay_layer, *report.cluster_layers)
    relay = report.relay_layer
    # the weakest of the sampled layers' statements holds for every sampled layer (each at this confidence)
    bounds = [b for b in (layer.failure_fraction_bound for layer in layers) if b is not None]
    return Certificate(
        scheme=hcode.scheme,
        field=hcode.field_name,
        n=sum(hcode.cluster_sizes),
        k=hcode.partitions,
        m=hcode.m_1,
        d=hcode.load,
        exact_claimed=True,
        stragglers=hcode.s_r,
        adversaries=hcode.a_r,
        surviving_size=relay.surviving_size,
        decodable=report.decodable,
        patterns_checked=report.patterns_checked,
        patterns_total=report.patterns_total,
        exhaustive=report.exhaustive,
        failing_set=report.failures[0]["failing_set"] if report.failures else None,
        failures_found=sum(layer.failures_found or 0 for layer in layers),
        sample_seed=relay.sample_seed,
        failure_fraction_bound=max(bounds, default=None),
        confidence=None if not bounds else confidence,
        tolerance=tolerance if hcode.is_real else None,
        stability=None,
        structure=None,
        hierarchy=report,
        simulation=simulation,
        claims=tuple(hierarchical_claims(hcode, report)),
        seconds=report.seconds,
    )
