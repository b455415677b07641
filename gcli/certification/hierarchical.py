"""Certifying and simulating hierarchical gradient codes (model and proof sketch: :mod:`gcli.hierarchical.codes`).

* :func:`verify_hierarchical` — the layered certificate: the relay layer decodes Σ_j g_j from every set of
  K − s_r − 2a_r relays, and the layer of every cluster i decodes its relay's message from every set of
  N_i − s_w^(i) − 2a_w^(i) workers, each checked by :func:`gcli.verify` (exact elimination over GF(q), least
  squares with residual and condition number over the reals); and the loads equal the bound of
  :mod:`gcli.bounds.hierarchical` for the code's own placement: C_1 = 1/(r_1 − s_r − 2a_r), C_2^(i) =
  1/(m_1·(r_2^(i) − s_w^(i) − 2a_w^(i))). Supersets of a decoding set decode too, so "every pattern of at most
  s_r + 2a_r missing relays and, in every cluster, at most s_w + 2a_w missing workers" follows. The work is a
  sum over the layers, C(K, K_1) + Σ_i C(N_i, K_2^(i)), where the combined patterns number
  Σ_{|R| = K_1} Π_{i∈R} C(N_i, K_2^(i)).
* :func:`product_check` — the same property by brute force over every combined pattern (relay set R and one
  worker set in each cluster of R), on composite matrices that express every message directly in the
  coordinates of the gradients: an independent computation for small instances (tests, benchmarks).
* :func:`simulate` — end-to-end runs: random gradients, s_r straggling and a_r lying relays, and in each honest
  cluster s_w straggling and a_w lying workers, all placed at random; liars send garbage (uniform over GF(q);
  over the reals the honest message plus noise of a random scale between 10⁻³ and 10³ times its size).
  Relays decode their clusters and the server decodes the relays, with error correction at both layers
  (:func:`gcli.hierarchical.codes.decode_relay`, :func:`gcli.hierarchical.codes.decode_server`); every trial compares
  the result
  with the exact sum (equality over GF(q), relative error at most ``tolerance`` over the reals).

Example:
    >>> from gcli.constructions import hierarchical
    >>> hcode = hierarchical(5, 5, s_r=1, a_r=1, s_w=1, a_w=1, field="GF(257)")
    >>> report = verify_hierarchical(hcode)
    >>> report.certified, report.patterns_checked, report.product_patterns
    (True, 60, 1000)
    >>> simulate(hcode, 5, seed=1).correct
    5
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from gcli.certification.options import CertifyOptions
from gcli.certification.verification import (
    VerificationReport,
    report_from_pass,
    run_pass,
    sampled_statement,
)
from gcli.code import Code
from gcli.decoding.adversarial import REAL_CONSISTENCY_RTOL
from gcli.defaults import within
from gcli.errors import ImpossibleParameters, InputError, OverLimit
from gcli.hierarchical.codes import (
    HierarchicalCode,
    decode_relay,
    decode_server,
    draw_randomness,
    layer_is_polynomial,
    placement_replication,
    relay_messages,
    worker_messages,
)
from gcli.hierarchical.masked import composite_maps, mask_maps

__all__ = [
    "HierarchicalReport",
    "PrivacyReport",
    "ProductCheck",
    "SimulationReport",
    "block_names",
    "composite_maps",
    "mask_maps",
    "masked_consistent",
    "over_budget_trial",
    "privacy_report",
    "product_check",
    "product_patterns",
    "received_consistent",
    "simulate",
    "verify_hierarchical",
]


def _text(value: Fraction) -> str:
    from gcli.bounds._exact import text

    return text(value)


def product_patterns(hcode: HierarchicalCode) -> int:
    """Σ over relay sets R of size K − s_r − 2a_r of Π_{i∈R} C(N_i, N_i − s_w − 2a_w): what a check over the
    combined patterns would enumerate (the elementary symmetric polynomial e_{K_1} of the per-cluster counts)."""
    size = hcode.relays - hcode.s_r - 2 * hcode.a_r
    counts = [math.comb(c.n, c.responders) for c in hcode.inner]
    poly = [1] + [0] * size  # coefficients of Π (1 + c_i x), truncated at degree K_1
    for c in counts:
        for t in range(size, 0, -1):
            poly[t] += poly[t - 1] * c
    return poly[size]


@dataclass(frozen=True)
class HierarchicalReport:
    """The layered certificate of :func:`verify_hierarchical`.

    ``failures`` names each failing layer: ``{"layer": "relays", "failing_set": [...]}`` or
    ``{"layer": "cluster", "cluster": i, "failing_set": [...]}`` (the responders of the lexicographically first
    failing set of that layer); ``load_problems`` says why the loads differ from the bound, if they do.
    """

    decodable: bool
    loads_optimal: bool
    field: str
    relays: int
    cluster_sizes: tuple[int, ...]
    relay_layer: VerificationReport
    cluster_layers: tuple[VerificationReport, ...]
    polynomial_relays: bool
    polynomial_clusters: tuple[bool, ...]
    loads: dict[str, Any]
    computation: dict[str, Any]
    product_patterns: int
    failures: tuple[dict[str, Any], ...]
    load_problems: tuple[str, ...]
    seconds: float
    privacy: PrivacyReport | None = None

    @property
    def certified(self) -> bool:
        """Decodable at both layers and the loads equal the bound; for a code with shared randomness or a privacy
        claim also the masked messages decode and the claim holds (:func:`privacy_report`)."""
        return self.decodable and self.loads_optimal and (self.privacy is None or self.privacy.ok)

    @property
    def patterns_checked(self) -> int:
        """Surviving sets examined, summed over the layers."""
        return self.relay_layer.patterns_checked + sum(r.patterns_checked for r in self.cluster_layers)

    @property
    def patterns_total(self) -> int:
        """Surviving sets of all layers."""
        return self.relay_layer.patterns_total + sum(r.patterns_total for r in self.cluster_layers)

    @property
    def exhaustive(self) -> bool:
        """Every layer enumerated every surviving set (not sampled)."""
        return self.relay_layer.exhaustive and all(r.exhaustive for r in self.cluster_layers)

    @property
    def failure_fraction_bound(self) -> dict[str, Any]:
        """Per layer, the bound on the fraction of failing surviving sets that a sample without failures gives
        (:func:`gcli.certification.verification.failure_fraction_bound`; null for an exhaustive layer or one with a
        failure):
        ``{"relays": ε_r, "clusters": [ε_0, …]}``."""
        return {"relays": self.relay_layer.failure_fraction_bound,
                "clusters": [r.failure_fraction_bound for r in self.cluster_layers]}

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (the ``hierarchy`` block of a certificate)."""
        return {
            "certified": self.certified,
            "decodable": self.decodable,
            "loads_optimal": self.loads_optimal,
            "field": self.field,
            "relays": self.relays,
            "cluster_sizes": list(self.cluster_sizes),
            "patterns_checked": self.patterns_checked,
            "patterns_total": self.patterns_total,
            "product_patterns": self.product_patterns,
            "exhaustive": self.exhaustive,
            "failure_fraction_bound": self.failure_fraction_bound,
            "confidence": next((r.confidence for r in (self.relay_layer, *self.cluster_layers)
                                if r.failure_fraction_bound is not None), None),
            "failures": [dict(f) for f in self.failures],
            "loads": dict(self.loads),
            "load_problems": list(self.load_problems),
            "computation": dict(self.computation),
            "decoders": {
                "relays": "berlekamp-welch" if self.polynomial_relays and self.field != "real" else "subsets",
                "clusters": ["berlekamp-welch" if p and self.field != "real" else "subsets"
                             for p in self.polynomial_clusters],
            },
            "relay_layer": self.relay_layer.to_json(),
            "cluster_layers": [r.to_json() for r in self.cluster_layers],
            "privacy": None if self.privacy is None else self.privacy.to_json(),
            "seconds": self.seconds,
        }

    def summary(self) -> str:
        """A few lines for the terminal; failing sets are named per layer."""
        k = self.relays
        sizes = set(self.cluster_sizes)
        clusters = (f"{k} clusters of {self.cluster_sizes[0]} workers" if len(sizes) == 1
                    else f"clusters of {','.join(map(str, self.cluster_sizes))} workers")
        relay = self.relay_layer
        missing = [r.n - r.surviving_size for r in self.cluster_layers]
        where = (f"in every cluster, <= {missing[0]} missing workers" if len(set(missing)) == 1
                 else f"in clusters 0..{k - 1}, <= {','.join(map(str, missing))} missing workers respectively")
        head = "CERTIFIED" if self.certified else ("NOT DECODABLE" if not self.decodable else
                                                   "NOT OPTIMAL" if not self.loads_optimal else
                                                   "NOT PRIVATE" if self.privacy is not None
                                                   and not self.privacy.private else "NOT DECODABLE")
        patterns = (f"<= {relay.n - relay.surviving_size} missing relays and, {where} (stragglers + 2 x "
                    f"adversaries)")
        if self.exhaustive or not self.certified:
            first = f"{head} over {self.field}: K={k} relays, {clusters}; every pattern of {patterns}"
            if not self.exhaustive:
                first = f"{head} over {self.field}: K={k} relays, {clusters}; patterns of {patterns}, sampled"
        else:  # a sample proves nothing about every pattern: say what was drawn and what it bounds
            first = (f"CERTIFIED ON A SAMPLE over {self.field}: K={k} relays, {clusters}; patterns of {patterns}: "
                     f"sampled, not enumerated")
        lines = [first, _layer_line("relays", relay)]
        totals = [(r.patterns_checked, r.patterns_total, r.surviving_size) for r in self.cluster_layers]
        if len(set(totals)) == 1 and all(r.failing_set is None for r in self.cluster_layers) and self.exhaustive:
            done, total, size = totals[0]
            lines.append(f"clusters: {k} x {done}/{total} surviving sets of size {size} checked (exhaustive)")
        else:
            lines.extend(_layer_line(f"cluster {i}", r) for i, r in enumerate(self.cluster_layers))
        lines.append(f"{self.patterns_checked} checks in all, in place of {self.product_patterns:,} combined patterns")
        for failure in self.failures:
            where = "relay layer" if failure["layer"] == "relays" else f"cluster {failure['cluster']}"
            lines.append(f"failing surviving set in the {where}: {failure['failing_set']}")
        worst = [r.worst_condition_number for r in (relay, *self.cluster_layers) if r.worst_condition_number]
        if worst:
            lines.append(f"worst condition number: relays {relay.worst_condition_number:.4g}, clusters "
                         f"{max(r.worst_condition_number or 0.0 for r in self.cluster_layers):.4g}")
        loads = self.loads
        c2 = loads["C2"]
        c2_text = c2[0] if len(set(c2)) == 1 else ", ".join(c2)
        verdict = "equal to the bound" if self.loads_optimal else "NOT equal to the bound"
        lines.append(
            f"loads: C1 = {loads['C1']} per relay (r_1 = {loads['r_1']}), C2 = {c2_text} per worker: {verdict}"
        )
        lines.extend(f"  {problem}" for problem in self.load_problems)
        if self.privacy is not None:
            lines.append(self.privacy.summary())
        comp = self.computation
        if comp.get("min_load") is not None:
            lines.append(f"computation: d = {comp['d']} of P = {comp['partitions']} partitions; the least possible "
                         f"for r_1 = {loads['r_1']}, r_2 = {_one(loads['r_2'])} is {comp['min_load']}")
        return "\n".join(lines)


def _layer_line(name: str, layer: VerificationReport) -> str:
    """One layer's line: sets checked and how; for a sample without failures, the confidence statement."""
    kind = "exhaustive" if layer.exhaustive else "sampled"
    stop = ", stopped at the first failure" if layer.failing_set is not None else ""
    line = (f"{name}: {layer.patterns_checked}/{layer.patterns_total} surviving sets of size {layer.surviving_size} "
            f"checked ({kind}{stop})")
    if layer.failure_fraction_bound is not None and layer.confidence is not None:
        line += "; " + sampled_statement(layer.patterns_checked, layer.patterns_total, layer.failure_fraction_bound,
                                         layer.confidence)
    return line


def _one(values: list[int]) -> str:
    return str(values[0]) if len(set(values)) == 1 else ",".join(map(str, values))


def verify_hierarchical(
    hcode: HierarchicalCode, options: CertifyOptions | None = None, **changes: Any
) -> HierarchicalReport:
    """The layered certificate (module docstring). Of ``options`` (a
    :class:`~gcli.certification.options.CertifyOptions`, with ``changes`` by field name) ``budget``, ``sample``,
    ``seed``, ``force``, ``tolerance``, ``executor``, ``backend`` and ``confidence`` (of a sampled layer's bound on
    its failing fraction) apply to each layer's :func:`gcli.verify`; each layer keeps its own s and a."""
    start = time.perf_counter()
    opts = (options or CertifyOptions()).but(**changes)
    per_layer = opts.but(stragglers=None, adversaries=None, all_failures=False, progress=None)

    def verify_layer(code: Code) -> VerificationReport:
        return report_from_pass(code, run_pass(code, per_layer), per_layer.tolerance, per_layer.confidence)

    relay = verify_layer(hcode.outer)
    clusters = tuple(verify_layer(code) for code in hcode.inner)
    failures: list[dict[str, Any]] = []
    if relay.failing_set is not None:
        failures.append({"layer": "relays", "failing_set": relay.failing_set})
    for i, r in enumerate(clusters):
        if r.failing_set is not None:
            failures.append({"layer": "cluster", "cluster": i, "failing_set": r.failing_set})
    loads, computation, problems = _loads(hcode)
    privacy = None
    if hcode.has_randomness or hcode.private_relays:
        privacy = privacy_report(hcode, limit=max(opts.budget, 10**5) if not opts.force else 10**12)
    return HierarchicalReport(
        decodable=relay.decodable and all(r.decodable for r in clusters),
        loads_optimal=not problems,
        field=hcode.field_name,
        relays=hcode.relays,
        cluster_sizes=hcode.cluster_sizes,
        relay_layer=relay,
        cluster_layers=clusters,
        polynomial_relays=layer_is_polynomial(hcode.outer, hcode.relay_points),
        polynomial_clusters=tuple(layer_is_polynomial(c, p) for c, p in zip(hcode.inner, hcode.worker_points,
                                                                               strict=True)),
        loads=loads,
        computation=computation,
        product_patterns=product_patterns(hcode),
        failures=tuple(failures),
        load_problems=tuple(problems),
        seconds=round(time.perf_counter() - start, 6),
        privacy=privacy,
    )


def _loads(hcode: HierarchicalCode) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    """The code's loads against the bound for its own placement; the computation load against its minimum."""
    from gcli.bounds.hierarchical import hierarchical_bound, min_integer_load

    r_1, r_2 = placement_replication(hcode.placement, hcode.partitions)
    m_1 = hcode.outer.m
    c1 = Fraction(1, m_1)
    c2 = [Fraction(1, m_1 * code.m) for code in hcode.inner]
    loads: dict[str, Any] = {
        "C1": _text(c1), "C2": [_text(x) for x in c2], "r_1": r_1, "r_2": list(r_2), "m_1": m_1,
        "m_2": [code.m for code in hcode.inner], "bound_C1": None, "bound_C2": None,
    }
    problems: list[str] = []
    best_1 = r_1 - hcode.s_r - 2 * hcode.a_r
    if hcode.private_relays:  # private against t colluding relays: m_1 ≤ K − t − s_r − 2a_r (bounds.hierarchical)
        from gcli.bounds.hierarchical import private_m1_cap

        best_1 = min(best_1, private_m1_cap(hcode.relays, hcode.s_r, hcode.a_r, hcode.private_relays))
    best_2 = [r - s - 2 * a for r, s, a in zip(r_2, hcode.s_w, hcode.a_w, strict=True)]
    computation: dict[str, Any] = {"d": hcode.load, "partitions": hcode.partitions, "min_load": None,
                                   "min_load_fraction": None, "optimal": None}
    try:
        bound = hierarchical_bound(hcode.relays, hcode.cluster_sizes, s_r=hcode.s_r, a_r=hcode.a_r, s_w=hcode.s_w,
                                   a_w=hcode.a_w, m_1=best_1, m_2=best_2, private=hcode.private_relays)
    except InputError as exc:
        problems.append(f"the placement does not fit the model: {exc}")
        return loads, computation, problems
    loads["bound_C1"] = _text(bound.relay_load)
    loads["bound_C2"] = [_text(x) for x in bound.worker_loads]
    if c1 != bound.relay_load:
        rule = ("1/min(r_1 - s_r - 2a_r, K - t - s_r - 2a_r)" if hcode.private_relays else "1/(r_1 - s_r - 2a_r)")
        problems.append(f"C1 = {_text(c1)} but {rule} = {_text(bound.relay_load)}")
    for i, (have, want) in enumerate(zip(c2, bound.worker_loads, strict=True)):
        if have != want:
            problems.append(f"cluster {i}: C2 = {_text(have)} but 1/(m_1 (r_2 - s_w - 2a_w)) = {_text(want)}")
    least = min_integer_load(hcode.partitions, r_1, hcode.cluster_sizes, r_2)
    computation.update(min_load=least, min_load_fraction=_text(bound.load_fraction), optimal=hcode.load == least)
    return loads, computation, problems


# ---------------------------------------------------------------------------------------------------------
# brute force over the combined patterns
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProductCheck:
    """The outcome of :func:`product_check`: the first failing combined pattern, if any."""

    decodable: bool
    patterns_checked: int
    patterns_total: int
    failing_relays: list[int] | None
    failing_workers: dict[int, list[int]] | None
    seconds: float

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict."""
        out = asdict(self)
        if self.failing_workers is not None:
            out["failing_workers"] = {str(k): v for k, v in self.failing_workers.items()}
        return out


def _in_rowspan(real: bool, rows: np.ndarray, wanted: np.ndarray, tolerance: float) -> bool:
    if real:
        x, *_ = np.linalg.lstsq(np.asarray(rows).T, np.asarray(wanted).T, rcond=None)
        scale = max(1.0, float(np.linalg.norm(wanted)))
        return within(float(np.linalg.norm(x.T @ rows - wanted)), tolerance * scale)
    stacked = np.concatenate([rows, wanted], axis=0)
    return int(np.linalg.matrix_rank(stacked)) == int(np.linalg.matrix_rank(rows))


def product_check(hcode: HierarchicalCode, *, limit: int = 10**5, tolerance: float = 1e-8) -> ProductCheck:
    """Brute force over every combined pattern (R, (F_i)_{i∈R}) with |R| = K − s_r − 2a_r and |F_i| = N_i − s_w −
    2a_w: each relay in R can compute its message from the workers F_i (rank test on :func:`composite_maps`),
    and the server can compute Σ_j g_j from the relays R. Exponential: InputError above ``limit`` patterns."""
    total = product_patterns(hcode)
    if total > limit:
        raise OverLimit(f"{total:,} combined patterns exceed the limit of {limit:,}")
    start = time.perf_counter()
    target, relays, workers = composite_maps(hcode)
    real = hcode.is_real
    stack = np.concatenate if real else (lambda arrays, axis=0: np.concatenate(arrays, axis=axis).view(hcode.field))
    size = hcode.relays - hcode.s_r - 2 * hcode.a_r
    checked = 0
    for group in itertools.combinations(range(hcode.relays), size):
        choices = [list(itertools.combinations(range(hcode.cluster_sizes[i]), hcode.inner[i].responders))
                   for i in group]
        for picks in itertools.product(*choices):
            checked += 1
            ok = all(_in_rowspan(real, stack([workers[i][w] for w in pick], axis=0), relays[i], tolerance)
                     for i, pick in zip(group, picks, strict=True))
            ok = ok and _in_rowspan(real, stack([relays[i] for i in group], axis=0), target, tolerance)
            if not ok:
                return ProductCheck(False, checked, total, list(group),
                                    {i: list(p) for i, p in zip(group, picks, strict=True)},
                                    round(time.perf_counter() - start, 6))
    return ProductCheck(True, checked, total, None, None, round(time.perf_counter() - start, 6))


# ---------------------------------------------------------------------------------------------------------
# end-to-end simulation
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SimulationReport:
    """Counts of :func:`simulate` (deterministic for a seed: no timings)."""

    field: str
    trials: int
    seed: int
    gradient_length: int
    correct: int
    wrong: int
    not_decoded: int
    straggling_relays: int
    adversarial_relays: int
    straggling_workers: int
    adversarial_workers: int
    relay_decoder: str
    cluster_decoder: str
    max_relative_error: float | None
    tolerance: float | None
    first_failure: dict[str, Any] | None
    over_budget: dict[str, dict[str, int]] = field(default_factory=dict)
    random_symbols: int = 0  # a code with shared randomness: fresh random symbols drawn in every trial

    @property
    def ok(self) -> bool:
        """Every trial within the budget recovered the exact sum, and no over-budget trial returned a wrong sum
        that the received words expose (:func:`over_budget_trial`)."""
        return self.correct == self.trials and all(v["wrong_exposed"] == 0 for v in self.over_budget.values())

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (``random_symbols`` only for a code with shared randomness)."""
        out = asdict(self)
        if not self.random_symbols:
            out.pop("random_symbols")
        return out

    def summary(self) -> str:
        """Two lines for the terminal."""
        head = "SIMULATED" if self.ok else "SIMULATION FAILED"
        lines = [
            f"{head} {self.trials} trials over {self.field} (seed {self.seed}, gradient length {self.gradient_length}):"
            f" {self.correct} exact sums, {self.wrong} wrong, {self.not_decoded} not decoded",
            f"faults injected: {self.straggling_relays} straggling and {self.adversarial_relays} lying relays, "
            f"{self.straggling_workers} straggling and {self.adversarial_workers} lying workers; decoders: "
            f"{self.cluster_decoder} at the relays, {self.relay_decoder} at the server",
        ]
        if self.random_symbols:
            lines.append(f"masked messages: {self.random_symbols} shared random symbols drawn afresh in every trial; "
                         "relays decode and forward masked messages, the server removes the masks")
        if self.max_relative_error is not None:
            lines.append(f"largest relative error {self.max_relative_error:.3g} (tolerance {self.tolerance:g})")
        if self.first_failure is not None:
            lines.append(f"first failing trial: {self.first_failure}")
        for layer, c in self.over_budget.items():
            failed = c["refused"] + c["wrong"]
            rate = f"{c['refused'] / failed:.1%}" if failed else "n/a"
            lines.append(f"over budget ({layer} layer, a + 1 liars, {c['trials']} trials): {c['exact']} exact sums, "
                         f"{c['refused']} refused, {c['wrong']} wrong sums ({c['wrong_exposed']} that the received "
                         f"words expose); detection rate {rate} (refused / not exact)")
        return "\n".join(lines)


def _garbage(rng: np.random.Generator, hcode: HierarchicalCode, honest: np.ndarray) -> np.ndarray:
    if hcode.is_real:
        honest = np.asarray(honest, dtype=np.float64)
        size = max(float(np.sqrt(np.mean(honest**2))), 1e-300)
        return honest + rng.standard_normal(honest.shape) * size * 10.0 ** rng.uniform(-3, 3)
    return hcode.field(rng.integers(0, hcode.field.order, size=honest.shape))


def _method(code: Code, points: np.ndarray) -> str:
    return "berlekamp-welch" if not code.is_real and layer_is_polynomial(code, points) else "subsets"


def _methods(hcode: HierarchicalCode) -> tuple[str, list[str]]:
    """The decoders of the server's layer and of every cluster's: for a code with shared randomness those of the
    layers with their masks (:func:`gcli.hierarchical.masked.masked_layers`)."""
    if hcode.has_randomness:
        from gcli.hierarchical.masked import masked_layers

        server, clusters = masked_layers(hcode)
        return (_grouped_method(server), [_grouped_method(c) for c in clusters])
    return (_method(hcode.outer, hcode.relay_points),
            [_method(c, p) for c, p in zip(hcode.inner, hcode.worker_points, strict=True)])


def _grouped_method(layer: Any) -> str:
    return "berlekamp-welch" if layer.polynomial else "subsets"


def _draw(hcode: HierarchicalCode, rng: np.random.Generator, length: int) -> Any:
    """One trial's gradients and, for a code with shared randomness, its random symbols (None otherwise: the
    random stream of a code without randomness is unchanged)."""
    if hcode.is_real:
        grads: Any = rng.standard_normal((hcode.partitions, length))
    else:
        grads = hcode.field(rng.integers(0, hcode.field.order, size=(hcode.partitions, length)))
    return grads, (draw_randomness(hcode, length, rng) if hcode.has_randomness else None)


def masked_consistent(layer: Any, received: dict[int, Any], budget: int) -> bool:
    """:func:`received_consistent` for a layer with masks (:class:`gcli.decoding.grouped.GroupedLayer`): is some
    word A·x within ``budget`` senders of the received messages? Ranks of [A_U | Y_U] against A_U over GF(q) for
    every set of ``budget`` received senders set aside (independent of the layer's null-space test)."""
    senders = sorted(received)
    width = layer.width
    for drop in itertools.combinations(senders, min(budget, len(senders))):
        keep = [w for w in senders if w not in drop]
        if not keep:
            return True
        block = layer.rows[keep].reshape(len(keep) * width, -1)
        values = layer.field(np.stack([np.asarray(received[w]).reshape(width, -1) for w in keep]).reshape(
            len(keep) * width, -1))
        stacked = layer.field(np.concatenate([np.asarray(block.view(np.ndarray)),
                                              np.asarray(values.view(np.ndarray))], axis=1))
        if int(np.linalg.matrix_rank(stacked)) == int(np.linalg.matrix_rank(block)):
            return True
    return False


def received_consistent(code: Code, received: dict[int, Any], budget: int,
                        tolerance: float = REAL_CONSISTENCY_RTOL) -> bool:
    """Is some codeword of the layer within ``budget`` messages of the received words? Brute force over every set
    D of ``budget`` received senders: the rest U must satisfy Y_U = B_U·X for one X (column by column, Gauss–Jordan
    over GF(q) with galois ``row_reduce``; over the reals the least-squares residual ‖B_U X − Y_U‖_F ≤ τ‖Y_U‖_F,
    τ the decoders' :data:`gcli.decoding.adversarial.REAL_CONSISTENCY_RTOL`). Independent of the decoders (it never
    decodes
    a sum); exponential in the budget, for benchmarks and tests. False means the received words *expose* every
    sum a decoder could return: a decoder must refuse."""
    senders = sorted(received)
    for drop in itertools.combinations(senders, min(budget, len(senders))):
        keep = [w for w in senders if w not in drop]
        if not keep:
            return True
        values = np.stack([np.asarray(received[w]).reshape(-1) for w in keep])
        block = code.encoding[keep]
        if code.is_real:
            block = np.asarray(block, dtype=np.float64)
            values = np.asarray(values, dtype=np.float64)
            x, *_ = np.linalg.lstsq(block, values, rcond=None)
            if within(float(np.linalg.norm(block @ x - values)),
                      tolerance * max(float(np.linalg.norm(values)), 1e-300)):
                return True
            continue
        fld = code.field
        width = block.shape[1]
        ok = True
        for c in range(values.shape[1]):
            system = np.concatenate([np.asarray(block.view(np.ndarray)), np.asarray(values[:, c:c + 1],
                                                                                    dtype=np.int64)], axis=1)
            reduced = np.asarray(fld(system).row_reduce(ncols=width).view(np.ndarray))
            # inconsistent: a row with zeros in the coefficient part and a non-zero right-hand side
            if np.any(~reduced[:, :width].any(axis=1) & (reduced[:, width] != 0)):
                ok = False
                break
        if ok:
            return True
    return False


def _lie(rng: np.random.Generator, hcode: HierarchicalCode, honest: Any) -> Any:
    """A lie: garbage in every coordinate (half the time) or in one coordinate only."""
    lie = _garbage(rng, hcode, honest)
    if rng.random() < 0.5:
        return lie
    out = np.array(honest, copy=True)
    c = int(rng.integers(0, out.shape[-1]))
    out[c] = lie[c]
    if not hcode.is_real and np.array_equal(out, np.asarray(honest)):
        out[c] = (int(out[c]) + 1) % hcode.field.order
    return hcode.field(out) if not hcode.is_real else out


def over_budget_trial(hcode: HierarchicalCode, rng: np.random.Generator, layer: str, length: int,
                      tolerance: float) -> str:
    """One trial with a + 1 liars (and s stragglers) in one layer, every other sender honest: ``relays`` (the
    server's layer) or ``clusters`` (one random cluster's layer). Returns ``exact`` (the exact sum), ``refused``
    (:class:`gcli.InconsistentMessages`), ``wrong`` (a wrong sum the received words allow: another codeword lies
    within a of them, which no decoder can tell) or ``wrong_exposed`` (a wrong sum although no codeword is within
    a of the received words: a decoder bug), each with ``consistent`` prefixed by ``+`` when the received words
    of the layer are within a of a codeword (:func:`received_consistent`)."""
    real = hcode.is_real
    grads, z = _draw(hcode, rng, length)
    relay_method, cluster_methods = _methods(hcode)
    honest_relays = relay_messages(hcode, grads, z)
    if layer == "relays":
        code, a, s, honest = hcode.outer, hcode.a_r, hcode.s_r, honest_relays
    else:
        cluster = int(rng.integers(0, hcode.relays))
        code, a, s = hcode.inner[cluster], hcode.a_w[cluster], hcode.s_w[cluster]
        honest = worker_messages(hcode, cluster, grads, z)
    perm = rng.permutation(code.n)
    late, liars = perm[:s].tolist(), perm[s : s + a + 1].tolist()
    received = {int(w): honest[w] for w in range(code.n) if w not in late}
    for w in liars:
        received[int(w)] = _lie(rng, hcode, honest[w])
    if hcode.has_randomness:
        from gcli.hierarchical.masked import masked_layers

        server_layer, cluster_layers = masked_layers(hcode)
        consistent = masked_consistent(server_layer if layer == "relays" else cluster_layers[cluster], received, a)
    else:
        consistent = received_consistent(code, received, a)
    try:
        if layer == "relays":
            total = decode_server(hcode, received, method=relay_method)  # type: ignore[arg-type]
        else:
            at_server = {i: honest_relays[i] for i in range(hcode.relays)}
            at_server[cluster] = decode_relay(hcode, cluster, received,
                                              method=cluster_methods[cluster])  # type: ignore[arg-type]
            total = decode_server(hcode, at_server, method=relay_method)  # type: ignore[arg-type]
    except InputError:  # inconsistent messages, or (a file whose certificate fails) a set that cannot decode
        return "+refused" if consistent else "refused"
    truth = grads.sum(axis=0)
    if real:
        good = within(float(np.linalg.norm(np.asarray(total) - truth)),
                      tolerance * max(float(np.linalg.norm(truth)), 1e-300))
    else:
        good = bool(np.array_equal(np.asarray(total), np.asarray(truth)))
    if good:
        return "+exact" if consistent else "exact"
    return "+wrong" if consistent else "wrong_exposed"


def simulate(
    hcode: HierarchicalCode,
    trials: int,
    seed: int = 0,
    *,
    gradient_length: int | None = None,
    tolerance: float = 1e-6,
    over_budget: bool = True,
) -> SimulationReport:
    """End-to-end runs with faults at both layers (module docstring). ``gradient_length`` defaults to
    2·m_1·lcm(m_2); ``tolerance`` is the largest relative error accepted over the reals. ``over_budget``: also
    ``trials`` trials per layer with one liar too many (:func:`over_budget_trial`), counted per layer: exact,
    refused, wrong, and wrong although the received words expose it (must be 0; the detection rate is refused /
    trials whose received words are within a of no codeword)."""
    if trials < 1:
        raise ImpossibleParameters(f"need at least one trial (got {trials})")
    if seed < 0:
        raise ImpossibleParameters(f"seed must be non-negative (got {seed})")
    length = 2 * hcode.block_size() if gradient_length is None else int(gradient_length)
    if length < 1 or length % hcode.block_size():
        raise ImpossibleParameters(
            f"the gradient length must be a positive multiple of m_1·lcm(m_2) = {hcode.block_size()}")
    rng = np.random.default_rng(seed)
    real = hcode.is_real
    relay_method, cluster_methods = _methods(hcode)
    counts = dict(correct=0, wrong=0, not_decoded=0, straggling_relays=0, adversarial_relays=0,
                  straggling_workers=0, adversarial_workers=0)
    worst = 0.0
    first: dict[str, Any] | None = None
    for trial in range(trials):
        grads, z = _draw(hcode, rng, length)
        order = rng.permutation(hcode.relays)
        late = set(order[: hcode.s_r].tolist())
        liars = set(order[hcode.s_r : hcode.s_r + hcode.a_r].tolist())
        counts["straggling_relays"] += len(late)
        counts["adversarial_relays"] += len(liars)
        honest_relays = relay_messages(hcode, grads, z)
        at_server: dict[int, Any] = {}
        pattern: dict[str, Any] = {"trial": trial, "straggling_relays": sorted(late), "lying_relays": sorted(liars),
                                   "clusters": {}}
        try:
            for i in range(hcode.relays):
                if i in late:
                    continue
                if i in liars:
                    at_server[i] = _garbage(rng, hcode, honest_relays[i])
                    continue
                sent = worker_messages(hcode, i, grads, z)
                perm = rng.permutation(hcode.cluster_sizes[i])
                slow = perm[: hcode.s_w[i]].tolist()
                bad = perm[hcode.s_w[i] : hcode.s_w[i] + hcode.a_w[i]].tolist()
                counts["straggling_workers"] += len(slow)
                counts["adversarial_workers"] += len(bad)
                pattern["clusters"][i] = {"straggling": sorted(slow), "lying": sorted(bad)}
                received = {w: sent[w] for w in range(hcode.cluster_sizes[i]) if w not in slow}
                for w in bad:
                    received[w] = _garbage(rng, hcode, sent[w])
                at_server[i] = decode_relay(hcode, i, received, method=cluster_methods[i])  # type: ignore[arg-type]
            total = decode_server(hcode, at_server, method=relay_method)  # type: ignore[arg-type]
        except InputError as exc:
            counts["not_decoded"] += 1
            if first is None:
                first = {**pattern, "error": str(exc)}
            continue
        truth = grads.sum(axis=0)
        if real:
            error = float(np.linalg.norm(np.asarray(total) - truth) / max(np.linalg.norm(truth), 1e-300))
            worst = max(worst, error)
            good = within(error, tolerance)
        else:
            good = bool(np.array_equal(np.asarray(total), np.asarray(truth)))
        if good:
            counts["correct"] += 1
        else:
            counts["wrong"] += 1
            if first is None:
                first = pattern
    if first is not None:
        first["clusters"] = {str(k): v for k, v in first["clusters"].items()}
    over: dict[str, dict[str, int]] = {}
    for layer in ("relays", "clusters"):
        tally = dict(trials=0, consistent=0, exact=0, refused=0, wrong=0, wrong_exposed=0)
        for _ in range(trials if over_budget else 0):
            outcome = over_budget_trial(hcode, rng, layer, length, tolerance)
            tally["trials"] += 1
            tally["consistent"] += outcome.startswith("+")
            key = outcome.lstrip("+")
            tally[key] += 1
            if key == "wrong_exposed":
                tally["wrong"] += 1
        if tally["trials"]:
            over[layer] = tally
    return SimulationReport(
        field=hcode.field_name, trials=trials, seed=seed, gradient_length=length, **counts,
        relay_decoder=relay_method,
        cluster_decoder=cluster_methods[0] if len(set(cluster_methods)) == 1 else ",".join(cluster_methods),
        max_relative_error=worst if real else None, tolerance=tolerance if real else None, first_failure=first,
        over_budget=over, random_symbols=hcode.random_symbols,
    )


# ---------------------------------------------------------------------------------------------------------
# privacy: shared randomness, masked decodability and leakage per observer
# ---------------------------------------------------------------------------------------------------------
def block_names(hcode: HierarchicalCode) -> list[str]:
    """Names of the columns of :func:`composite_maps`: ``g_j`` when a gradient is one block, else ``g_j[b]``
    (block b of M = m_1·lcm m_2)."""
    big_m = hcode.m_1 * hcode.mask_blocks()
    if big_m == 1:
        return [f"g_{j}" for j in range(hcode.partitions)]
    return [f"g_{j}[{b}]" for j in range(hcode.partitions) for b in range(big_m)]


_SETS_PER_BATCH = 2048


def first_undecodable(fld: Any, senders: list[np.ndarray], wanted: np.ndarray, size: int
                      ) -> tuple[list[int] | None, int]:
    """The lexicographically first set of ``size`` senders whose rows (``senders[w]``, each a block of rows
    over the same columns) do not span ``wanted``, and the number of sets examined. Each set is a consistency
    test X·A_F = T, i.e. A_Fᵀ Xᵀ = Tᵀ, on :func:`gcli.fields.linalg.batched_consistent`; the columns are first
    cut to the pivot columns of all rows and the target stacked (rank of any row subset is unchanged: every
    column is a combination of those), so each system has at most (all rows) equations."""
    from gcli.fields.linalg import batched_consistent

    raw_rows = [np.asarray(r.view(np.ndarray)) for r in senders]
    raw_want = np.asarray(wanted.view(np.ndarray))
    reduced = np.asarray(fld(np.concatenate([*raw_rows, raw_want], axis=0)).row_reduce().view(np.ndarray))
    pivots = [int(np.flatnonzero(row)[0]) for row in reduced if row.any()]
    rows = [r[:, pivots] for r in raw_rows]
    want = raw_want[:, pivots].T  # (columns, target rows)
    unknowns = size * rows[0].shape[0]
    checked = 0
    sets = itertools.combinations(range(len(senders)), size)
    while True:
        chunk = list(itertools.islice(sets, _SETS_PER_BATCH))
        if not chunk:
            return None, checked
        systems = np.stack([np.concatenate([*(rows[w].T for w in group), want], axis=1) for group in chunk])
        ok = batched_consistent(fld, fld(systems) if systems.size else systems, unknowns)
        if not ok.all():
            first = int(np.flatnonzero(~ok)[0])
            return list(chunk[first]), checked + first + 1
        checked += len(chunk)


@dataclass(frozen=True)
class PrivacyReport:
    """Privacy of a hierarchical code over GF(q) (:func:`privacy_report`).

    ``relays[i]``: leakage of relay i's view (its cluster's N_i messages); ``collusion``: the worst set of
    ``claim`` relays when the claim exceeds 1; ``workers`` (on request): leakage of each worker's message alone;
    ``failures``: sets from which the *masked* messages do not decode (a layer's responders cannot produce the
    masked target, or the server cannot remove the masks); ``decodable`` is None for a code without randomness
    (the layered check of :func:`verify_hierarchical` is then the whole story).
    """

    field: str
    claim: int
    random_symbols: int
    relays: tuple[Any, ...]
    collusion: dict[str, Any] | None
    workers: tuple[tuple[Any, ...], ...] | None
    decodable: bool | None
    failures: tuple[dict[str, Any], ...]
    names: tuple[str, ...]
    patterns_checked: int
    server: Any = None
    sum_blocks: int = 1  # M = m_1·lcm m_2: the dimension of what the server must learn (the blocks of Σ_j g_j)

    @property
    def private(self) -> bool:
        """Every relay learns nothing, and every set of ``claim`` relays too."""
        return all(r.private for r in self.relays) and (self.collusion is None or self.collusion["leakage"] == 0)

    @property
    def ok(self) -> bool:
        """The claim holds: private (when claimed) and the masked messages decode."""
        return (not self.claim or self.private) and self.decodable is not False

    def _combination(self, leak: Any) -> dict[str, Any]:
        from gcli.certification.privacy import combination_text

        out: dict[str, Any] = {"leakage": leak.dimension, "private": leak.private}
        if leak.combination is not None:
            out["combination"] = leak.combination
            out["combination_text"] = combination_text(leak.combination, list(self.names))
            out["exposed"] = [self.names[c] for c in leak.exposed]
        return out

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (the ``privacy`` block)."""
        return {
            "kind": "hierarchical",
            "field": self.field,
            "claim_colluding_relays": self.claim,
            "random_symbols": self.random_symbols,
            "private": self.private,
            "masked_decodable": self.decodable,
            "masked_patterns_checked": self.patterns_checked,
            "failures": [dict(f) for f in self.failures],
            "relays": [{"relay": i, **self._combination(r)} for i, r in enumerate(self.relays)],
            "collusion": None if self.collusion is None else dict(self.collusion),
            "server": None if self.server is None else {"leakage": self.server.dimension, "sum": self.sum_blocks},
            "workers": None if self.workers is None else [
                [{"cluster": i, "worker": w, **self._combination(x)} for w, x in enumerate(cluster)]
                for i, cluster in enumerate(self.workers)],
        }

    def summary(self) -> str:
        """A few lines: the verdict per relay (the leaking relays and a combination each learns)."""
        leaking = [i for i, r in enumerate(self.relays) if not r.private]
        k = len(self.relays)
        lines = []
        if self.claim or self.random_symbols:
            verdict = "PRIVATE" if self.private else "NOT PRIVATE"
            lines.append(f"privacy: {verdict}: {k - len(leaking)} of {k} relays learn nothing about the partial "
                         f"gradients ({self.random_symbols} shared random symbols; claim: any {self.claim or 1} "
                         f"relay{'s' if self.claim > 1 else ''})")
        for i in leaking:
            lines.append(self._line(f"relay {i}", self.relays[i]))
        if self.collusion is not None:
            c = self.collusion
            state = "learn nothing" if c["leakage"] == 0 else f"learn a space of dimension {c['leakage']}"
            lines.append(f"collusion: every set of {c['colluding']} relays ({c['sets']} sets) checked: worst "
                         f"{c['worst_set']} {state}"
                         + (f", e.g. {c['combination_text']}" if c.get("combination_text") else ""))
        if self.decodable is not None:
            if self.decodable:
                lines.append(f"masked messages: every pattern decodes ({self.patterns_checked} sets: each relay "
                             "decodes its masked message, the server removes the masks)")
            for f in self.failures:
                where = "relay layer" if f["layer"] == "relays" else f"cluster {f['cluster']}"
                lines.append(f"masked messages NOT DECODABLE in the {where}: failing set {f['failing_set']}")
        return "\n".join(lines)

    def _line(self, who: str, leak: Any) -> str:
        from gcli.certification.privacy import combination_text

        if leak.private:
            return f"{who}: leakage 0 (private)"
        learned = combination_text(leak.combination, list(self.names))
        text = f"{who}: leakage {leak.dimension}, NOT PRIVATE: learns {learned}"
        if leak.exposed:
            shown = [self.names[c] for c in leak.exposed[:4]]
            text += f"; whole blocks: {', '.join(shown)}" + (f" and {len(leak.exposed) - 4} more"
                                                             if len(leak.exposed) > 4 else "")
        return text

    def leakage_table(self) -> str:
        """``verify --privacy``: every observer's leakage, one line each."""
        lines = [f"leakage over {self.field} (dimension of the partial-gradient combinations an observer learns; "
                 "0 = private)"]
        lines.extend(self._line(f"relay {i}", r) for i, r in enumerate(self.relays))
        for i, cluster in enumerate(self.workers or ()):
            lines.extend(self._line(f"worker {w} of cluster {i}", x) for w, x in enumerate(cluster))
        if self.server is not None:
            more = self.server.dimension - self.sum_blocks
            lines.append(f"server (all relays): leakage {self.server.dimension}: "
                         + ("the sum alone" if more == 0 else f"the sum ({self.sum_blocks}) and {more} more"))
        quiet = sum(r.private for r in self.relays)
        tail = f"{quiet} of {len(self.relays)} relays"
        if self.workers is not None:
            flat = [x for cluster in self.workers for x in cluster]
            tail += f" and {sum(x.private for x in flat)} of {len(flat)} worker messages"
        lines.append(f"{tail} private")
        if self.collusion is not None:
            c = self.collusion
            lines.append(f"any {c['colluding']} colluding relays ({c['sets']} sets): largest leakage {c['leakage']}"
                         + (f" (relays {c['worst_set']})" if c["leakage"] else ""))
        return "\n".join(lines)


def privacy_report(hcode: HierarchicalCode, *, workers: bool = False, colluding: int | None = None,
                   limit: int = 10**5) -> PrivacyReport:
    """Leakage of every relay (and with ``workers`` of every worker's message) over GF(q), every set of
    ``colluding`` relays (default: the file's claim), and decodability of the masked messages for every pattern
    of the model (:mod:`gcli.certification.privacy` for the criterion; the views and masks are
    :func:`composite_maps` and :func:`mask_maps`). NotSupported over the reals; OverLimit above ``limit`` rank
    tests."""
    from gcli.certification.privacy import leakage, require_finite

    require_finite(hcode.field)
    fld = hcode.field
    t = hcode.private_relays if colluding is None else int(colluding)
    k = hcode.relays
    sizes = [math.comb(n, c.responders) for n, c in zip(hcode.cluster_sizes, hcode.inner, strict=True)]
    k_1 = k - hcode.s_r - 2 * hcode.a_r
    tests = (math.comb(k, k_1) + sum(sizes) if hcode.has_randomness else 0) + (math.comb(k, t) if t > 1 else 0)
    if tests > limit:
        raise OverLimit(f"the privacy check needs {tests:,} rank tests, above the limit of {limit:,}")
    target, relay_maps, worker_maps = composite_maps(hcode)
    relay_masks, worker_masks = mask_maps(hcode)

    def stack(parts: list[np.ndarray]) -> np.ndarray:
        return fld(np.concatenate([np.asarray(p.view(np.ndarray)) for p in parts], axis=0))

    def side_by_side(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return fld(np.concatenate([np.asarray(a.view(np.ndarray)), np.asarray(b.view(np.ndarray))], axis=1))

    def view(i: int) -> tuple[np.ndarray, np.ndarray]:
        return stack(worker_maps[i]), stack(worker_masks[i])

    relays = tuple(leakage(fld, *view(i)) for i in range(k))
    server = leakage(fld, stack(relay_maps), stack(relay_masks), exposed=False)
    collusion = None
    if t > 1:
        worst: tuple[int, Any, tuple[int, ...]] | None = None
        count = 0
        for group in itertools.combinations(range(k), t):
            count += 1
            parts = [view(i) for i in group]
            g_all = stack([p[0] for p in parts])
            h_all = stack([p[1] for p in parts])
            leak = leakage(fld, g_all, h_all, exposed=False)
            if worst is None or leak.dimension > worst[0]:
                worst = (leak.dimension, leak, group)
        assert worst is not None
        from gcli.certification.privacy import combination_text

        collusion = {"colluding": t, "sets": count, "leakage": worst[0], "worst_set": list(worst[2]),
                     "combination": worst[1].combination,
                     "combination_text": None if worst[1].combination is None else
                     combination_text(worst[1].combination, block_names(hcode))}
    per_worker = None
    if workers:
        per_worker = tuple(tuple(leakage(fld, g, h) for g, h in zip(worker_maps[i], worker_masks[i], strict=True))
                           for i in range(k))
    failures: list[dict[str, Any]] = []
    decodable: bool | None = None
    checked = 0
    if hcode.has_randomness:
        zeros = fld.Zeros((target.shape[0], hcode.random_symbols))
        for i in range(k):
            rows = [side_by_side(g, h) for g, h in zip(worker_maps[i], worker_masks[i], strict=True)]
            bad, count = first_undecodable(fld, rows, side_by_side(relay_maps[i], relay_masks[i]),
                                           hcode.inner[i].responders)
            checked += count
            if bad is not None:
                failures.append({"layer": "cluster", "cluster": i, "failing_set": bad})
        rows = [side_by_side(f, m) for f, m in zip(relay_maps, relay_masks, strict=True)]
        bad, count = first_undecodable(fld, rows, side_by_side(target, zeros), k_1)
        checked += count
        if bad is not None:
            failures.append({"layer": "relays", "failing_set": bad})
        decodable = not failures
    return PrivacyReport(
        field=hcode.field_name, claim=hcode.private_relays, random_symbols=hcode.random_symbols, relays=relays,
        collusion=collusion, workers=per_worker, decodable=decodable, failures=tuple(failures),
        names=tuple(block_names(hcode)), patterns_checked=checked, server=server,
        sum_blocks=hcode.m_1 * hcode.mask_blocks(),
    )
