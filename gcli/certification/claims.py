"""Every property a code file records is a claim :func:`gcli.certify` re-derives (developer guide: "every
property a file records is a claim verify re-checks").

A file records two kinds of values. **Parameters** are inputs: what was asked for or how the code was drawn (the
design's name, seeds, the evaluation-point family, notes and formulas as text, the tolerance a check used).
**Claims** state a property of the code; each one is re-derived from the code in the certificate's single pass
(or, for the exactness range, in the engine passes that establish it) and compared, exactly for integers,
flags and fractions, within a tolerance that fits the claim for floats (10 digits for closed-form values, the
recorded significant digits for condition numbers), *whatever s the file was designed for*. A claim that
disagrees makes the certificate fail with ``claim FIELD = VALUE disagrees: WHAT WAS FOUND``.

Inventory (claims; everything else a scheme records is a parameter, :data:`PARAMETERS`):

* every scheme: ``exact`` — true for the exact schemes (:data:`EXACT_SCHEMES`: the scheme decides, a file's
  flag never weakens the check), for the approximate ones true exactly when every set of n − s responders
  decodes; n, k, m, d, assignment, encoding — the code itself (its loads are checked on reading: d is the
  largest load, every encoded partition is assigned); ``construction.checked`` — the record of the check at
  design time (``of`` = C(n, n − s − 2a), ``sets``, ``exhaustive``, ``failure_fraction_bound``,
  ``worst_condition_number``, ``max_residual``) against this pass; ``construction.{n, k, s, m, a, field}`` —
  the same as the code's.
* frc, crc, reed-solomon, mds, universal: exact decodability at s, a (the pass); for polynomial codes
  (``"decoder": "polynomial"``) ``construction.evaluation_points`` / ``points`` and ``construction.dimension``
  = K: every row is P(θ_w) for a polynomial of degree < K whose top m coefficients are the target (the structure
  the polynomial decoder reads; K is unique), for other codes ``construction.dimension`` = n − d + m;
  universal: ``construction.replication`` = r, the least number of workers holding a partition in the
  assignment, and ``construction.optimal_m`` = r − s − 2a ≥ m;
  ``construction.linear_code`` — length, dimension, minimum distance (recomputed from the recorded generator for
  mds groups, n − K + 1 for cyclic codes), ``mds`` ⇔ δ = length − dimension + 1, ``achieved_s`` = δ − 1 − 2a
  (cyclic: r − m − 2a, r the least replication of a partition, = d when k = n), local length r and dimension m.
* bibd, srg, graph: the structure block, the assignment and the encoding the rule prescribes, the coefficient,
  the decoder weight, the error bound and the spectrum (:func:`gcli.structures.certify_structure`); the
  construction's copy of the structure's parameters; the error claims, exactness range, bias, unbiasedness,
  decoder scale, variance coefficient and frame objective (:func:`gcli.certification.approximation` ``_claims``) —
  always,
  also when the file's s lies in the exact range.
* hierarchical: decodability of every layer and the loads (:func:`gcli.certification.hierarchical.verify_hierarchical`);
  ``construction.{relays, cluster_sizes, partitions, s_r, a_r, s_w, a_w, m_1, m_2, field}`` — the same as the
  code's; ``construction.checked.relays`` / ``.clusters[i]`` — the record of each layer's check.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gcli.code import Code
from gcli.defaults import within

if TYPE_CHECKING:
    from gcli.certification.approximation import ApproximationReport
    from gcli.certification.hierarchical import HierarchicalReport
    from gcli.certification.stability import StabilityReport
    from gcli.certification.verification import Pass
    from gcli.hierarchical.codes import HierarchicalCode
    from gcli.structures import StructureReport

__all__ = ["APPROXIMATE_SCHEMES", "APPROXIMATION_CLAIMS", "EXACT_SCHEMES", "PARAMETERS", "ClaimCheck",
           "code_claims", "exactness", "hierarchical_claims", "records_approximation_claims"]

EXACT_SCHEMES = frozenset({"frc", "crc", "reed-solomon", "mds", "universal", "hierarchical"})
"""Schemes whose codes recover the gradient exactly by construction: their files are checked as exact codes
whatever their ``exact`` flag says."""

APPROXIMATE_SCHEMES: dict[str, str] = {"bibd": "design", "srg": "graph", "graph": "graph"}
"""The approximate schemes gcli builds, each with the structure block its certificate checks (the identity, the
assignment and the encoding the structure prescribes, :func:`gcli.structures.certify_structure`): a file of one of
these schemes that does not claim exactness must carry that block."""

_COMMON_PARAMETERS = frozenset({
    "format", "format_version", "scheme", "field", "provenance", "construction.field", "construction.seed",
    "construction.checked.tolerance", "construction.checked.seed", "construction.checked.confidence",
    "construction.decoder", "construction.decoder.note", "construction.note", "construction.exact_for_note",
})
PARAMETERS: dict[str, frozenset[str]] = {
    "frc": _COMMON_PARAMETERS,
    "crc": _COMMON_PARAMETERS | {"construction.code", "construction.placement", "construction.readout_start",
                                 "construction.generator", "construction.readout", "construction.points",
                                 "construction.linear_code.family"},
    "reed-solomon": _COMMON_PARAMETERS,
    "universal": _COMMON_PARAMETERS,
    "mds": _COMMON_PARAMETERS | {"construction.placement", "construction.generator", "construction.code",
                                 "construction.linear_code.family", "construction.linear_code.evaluation_points",
                                 "construction.readout", "construction.readout_start", "construction.points",
                                 "construction.evaluation_points"},
    "bibd": _COMMON_PARAMETERS | {"construction.transpose", "construction.design", "construction.encoding",
                                  "construction.coefficient_rule", "construction.decoder.kind",
                                  "construction.bias.note", "construction.method", "construction.null_space",
                                  "construction.expected_error", "construction.frame.tight_frame_bound",
                                  "design.construction", "design.kind", "construction.decoder.matrix"},
    "srg": _COMMON_PARAMETERS | {"construction.graph", "construction.loops", "construction.encoding",
                                 "construction.decoder.kind", "construction.error_bound.formula",
                                 "construction.method", "construction.null_space", "construction.expected_error",
                                 "construction.frame.tight_frame_bound", "graph.construction", "graph.kind",
                                 "graph.spectrum.of", "construction.decoder.matrix", "construction.incidence"},
    "graph": _COMMON_PARAMETERS | {"construction.family", "construction.loops", "construction.encoding",
                                   "construction.decoder.kind", "construction.error_bound.formula",
                                   "construction.method", "construction.null_space", "construction.expected_error",
                                   "construction.frame.tight_frame_bound", "graph.family", "graph.kind",
                                   "graph.spectrum.of", "construction.decoder.matrix", "construction.incidence"},
    "hierarchical": _COMMON_PARAMETERS | {"construction.placement", "construction.points", "relay_points",
                                          "clusters"} | {f"construction.checked.{layer}.{key}"
                                                         for layer in ("relays", "clusters")
                                                         for key in ("tolerance", "seed", "confidence")},
}
"""Per scheme, the dotted paths of the recorded values that are parameters (inputs, provenance, notes), not
claims. ``construction.decoder.matrix`` is the decoder the claims ``unbiased``, ``variance_coefficient`` and
``frame.objective`` are about; evaluation points and generators are the inputs the encoding was built from."""

APPROXIMATION_CLAIMS = frozenset({"exact_for", "bias", "variance_coefficient", "unbiased", "frame", "error_bound",
                                  "error_for_every_F"})
"""Construction keys whose claims need the approximation engine: a real code recording any of them gets the
approximation block in its certificate, exact at its s or not."""


def records_approximation_claims(code: Code) -> bool:
    """Whether the construction block records a claim of :data:`APPROXIMATION_CLAIMS`."""
    construction = code.construction if isinstance(code.construction, dict) else {}
    return code.is_real and any(key in construction for key in APPROXIMATION_CLAIMS)


def exactness(code: Code) -> tuple[bool, str | None]:
    """(whether the certificate requires exact decoding from every surviving set, why the file's ``exact: false``
    is overruled — None when it is not).

    The scheme decides, never the file's flag alone: the exact schemes (:data:`EXACT_SCHEMES`) are checked as exact
    whatever the flag says; a file that says ``exact: true`` is checked as exact; an approximate scheme gcli builds
    (:data:`APPROXIMATE_SCHEMES`) is certified against its structure block and its claims. Any other scheme (a
    user's own, or a misspelt one such as ``"CRC"``) is approximate only when it records at least one
    approximation claim to re-derive (:data:`APPROXIMATION_CLAIMS`: ``error_bound``, ``error_for_every_F``,
    ``exact_for``, …): otherwise the certificate would state nothing, so it is checked as exact — the safe
    default.

    Example:
        >>> import dataclasses
        >>> from gcli.constructions import cyclic_repetition
        >>> code = cyclic_repetition(6, 2)
        >>> exactness(code)
        (True, None)
        >>> exactness(dataclasses.replace(code, exact=False))[1]
        'the crc scheme is exact by construction'
        >>> exactness(dataclasses.replace(code, scheme="custom", exact=False))[0]
        True
    """
    if code.scheme in EXACT_SCHEMES:
        return True, None if code.exact else f"the {code.scheme} scheme is exact by construction"
    if code.exact or code.scheme in APPROXIMATE_SCHEMES or records_approximation_claims(code):
        return bool(code.exact), None
    return True, (f"scheme {code.scheme!r} is none of gcli's approximate schemes ({', '.join(APPROXIMATE_SCHEMES)}) "
                  f"and the file records no approximation claim ({', '.join(sorted(APPROXIMATION_CLAIMS))}): "
                  "checked as exact")


_CONDITION_DIGITS = 1e-2  # recorded condition numbers carry 4 significant digits: 1 % is far above rounding


@dataclass(frozen=True)
class ClaimCheck:
    """One recorded claim re-derived: ``field`` is its dotted path in the file, ``found`` what certify found."""

    field: str
    claimed: Any
    ok: bool
    found: str
    rederived: bool = True
    """False for a recorded claim this check could not re-derive (a sampled pass, another s or a than the
    file's, a code beyond the least-squares engine): then ``ok`` is true and ``found`` says why it was not."""

    def line(self) -> str:
        """``claim FIELD = VALUE disagrees: FOUND`` (or ``agrees``, or ``not re-derived``)."""
        verdict = ("agrees" if self.ok else "disagrees") if self.rederived else "not re-derived"
        return f"claim {self.field} = {_show(self.claimed)} {verdict}: {self.found}"

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {"field": self.field, "claimed": self.claimed, "ok": self.ok, "rederived": self.rederived,
                "found": self.found}


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same(checks: list[ClaimCheck], field: str, recorded: Any, actual: Any, what: str) -> None:
    """Compare a recorded copy of a known value exactly."""
    checks.append(ClaimCheck(field, recorded, recorded == actual, f"{what} is {_show(actual)}"))


def _checked_block(checks: list[ClaimCheck], prefix: str, block: Any, code: Code, *, total: int,
                   exhaustive: bool, same_sets: bool, failures: int,
                   worst_condition: float | None, max_residual: float | None) -> None:
    """The record of the design-time check against this pass (module docstring). ``exhaustive`` and
    ``same_sets`` describe this pass: it enumerated every set of the recorded (s, a)."""
    from gcli.certification.verification import failure_fraction_bound

    if not isinstance(block, dict):
        return
    of, sets, recorded_exhaustive = block.get("of"), block.get("sets"), block.get("exhaustive")
    if "of" in block:
        _same(checks, f"{prefix}.of", of, total, f"the number of surviving sets C(n, n − s − 2a) with n = {code.n}")
    if isinstance(recorded_exhaustive, bool):
        ok = recorded_exhaustive == (sets == total)
        checks.append(ClaimCheck(f"{prefix}.exhaustive", recorded_exhaustive, ok,
                                 f"{_show(sets)} of {total} sets checked is "
                                 f"{'every set' if sets == total else 'a sample'}"))
    if "sets" in block:
        ok = _number(sets) and isinstance(sets, int) and 1 <= sets <= total and (
            recorded_exhaustive is not True or sets == total)
        checks.append(ClaimCheck(f"{prefix}.sets", sets, ok, f"there are {total} surviving sets"))
    recorded_bound = block.get("failure_fraction_bound")
    confidence = block.get("confidence")
    if "failure_fraction_bound" in block:
        derived = None
        if isinstance(sets, int) and _number(confidence) and 0 < confidence < 1:
            derived = failure_fraction_bound(sets == total, 0, sets, float(confidence))
        ok = (recorded_bound is None and derived is None) or (
            _number(recorded_bound) and derived is not None
            and within(abs(recorded_bound - derived), 5e-3 * derived))  # recorded to 3 significant digits
        found = ("no bound: the check was exhaustive" if derived is None
                 else f"1 − (1 − {confidence:g})^(1/{sets}) = {derived:.3g}")
        checks.append(ClaimCheck(f"{prefix}.failure_fraction_bound", recorded_bound, ok, found))
    malformed = set()  # judged on its face, whatever this pass: gcli certifies no code with an inf or NaN figure
    for key, least in (("worst_condition_number", 1.0), ("max_residual", 0.0)):
        value = block.get(key)
        if key in block and not (_number(value) and math.isfinite(value) and value >= least):
            malformed.add(key)
            checks.append(ClaimCheck(f"{prefix}.{key}", value, False,
                                     f"a certified {key.replace('_', ' ')} is a finite number ≥ {least:g}: an "
                                     "infinite or NaN figure certifies nothing and gcli refuses to write such a code"))
    if not exhaustive or not same_sets or failures:
        return  # the rest compares with a pass over every set of the recorded (s, a)
    recorded = block.get("worst_condition_number")
    if "worst_condition_number" in block and worst_condition is not None and "worst_condition_number" not in malformed:
        if recorded_exhaustive:  # the same sets: the same worst condition number (inf or NaN agree with nothing)
            ok = _number(recorded) and within(abs(recorded - worst_condition), _CONDITION_DIGITS * worst_condition)
        else:  # a sample of the sets cannot be worse than all of them
            ok = _number(recorded) and recorded <= worst_condition * (1 + _CONDITION_DIGITS)
        checks.append(ClaimCheck(f"{prefix}.worst_condition_number", recorded, bool(ok),
                                 f"the worst condition number over the {total} sets is {worst_condition:.4g}"))
    recorded = block.get("max_residual")
    tolerance = block.get("tolerance")
    if "max_residual" in block and max_residual is not None and _number(tolerance) and "max_residual" not in malformed:
        ok = _number(recorded) and 0 <= recorded <= tolerance and within(abs(recorded - max_residual), tolerance)
        checks.append(ClaimCheck(f"{prefix}.max_residual", recorded, bool(ok),
                                 f"the largest residual is {max_residual:.2g} (tolerance {tolerance:g})"))


def _linear_code(checks: list[ClaimCheck], code: Code) -> None:
    """The ``linear_code`` block of crc and mds codes, and the polynomial dimension (module docstring)."""
    construction = code.construction if isinstance(code.construction, dict) else {}
    polynomial = construction.get("decoder") == "polynomial"
    if "dimension" in construction and not polynomial:
        _same(checks, "construction.dimension", construction["dimension"], code.n - code.d + code.m,
              "the polynomial's number of coefficients n − d + m")
    if polynomial:
        _polynomial_points(checks, code, construction)
    if code.scheme == "universal":
        _replication(checks, code, construction)
    block = construction.get("linear_code")
    if not isinstance(block, dict):
        return
    prefix = "construction.linear_code"
    cyclic = "local_length" in block or construction.get("placement") == "cyclic"
    if cyclic:  # every partition on r cyclically consecutive workers (r = d when k = n)
        r = _least_replication(code)
        length, dimension = code.n, code.n - r + code.m
        delta: int | None = length - dimension + 1
        achieved = r - code.m - 2 * code.a
        _same(checks, f"{prefix}.local_length", block.get("local_length"), r,
              "the least number of workers holding a partition")
        _same(checks, f"{prefix}.local_dimension", block.get("local_dimension"), code.m, "m")
        where = "the cyclic MDS code [n, n − r + m]"
    else:
        generator = construction.get("generator")
        delta = None
        length = dimension = None
        if isinstance(generator, list) and generator and isinstance(generator[0], list):
            dimension, length = len(generator), len(generator[0])
            delta = _minimum_distance(code, generator)
        achieved = None if delta is None else delta - 1 - 2 * code.a
        where = "the recorded generator"
    _same(checks, f"{prefix}.length", block.get("length"), length, f"the block length of {where}")
    _same(checks, f"{prefix}.dimension", block.get("dimension"), dimension, f"the dimension of {where}")
    if delta is not None:
        _same(checks, f"{prefix}.minimum_distance", block.get("minimum_distance"), delta,
              f"the minimum distance of {where}")
        if length is not None and dimension is not None:
            _same(checks, f"{prefix}.mds", block.get("mds"), delta == length - dimension + 1,
                  f"δ = length − dimension + 1 for {where}")
        _same(checks, f"{prefix}.achieved_s", block.get("achieved_s"), achieved,
              "δ − 1 − 2a" if not cyclic else "r − m − 2a")
        if achieved is not None and code.s > achieved:
            checks.append(ClaimCheck("s", code.s, False, f"the code tolerates at most {achieved} stragglers"))


def _polynomial_points(checks: list[ClaimCheck], code: Code, construction: dict[str, Any]) -> None:
    """A polynomial code's evaluation points (GF(q): recorded; reals: a named family) and its dimension K (recorded,
    default n − s − 2a; the decoder reads the top coefficients from K responders): worker w must send P(θ_w) for a
    polynomial of degree < K whose top m coefficients are the target, i.e. B = V·C with V the n × K Vandermonde
    matrix on the points and the last m rows of C equal to T — the property Berlekamp–Welch decoding with these
    points relies on. K is unique when it holds (the coefficient of x^{K−1} is 1 in some column). Over GF(q): with
    T[u, j·m+u] = 1, B − V_top·T is B minus column K − m + u of V in column j·m + u, and V_low·C_low = B − V_top·T
    must be solvable (:func:`gcli.fields.linalg.batched_consistent`, galois-free arithmetic); over the reals
    :func:`gcli.hierarchical.codes.layer_is_polynomial`: B − V_top·T projected off the polynomials of degree
    < K − m in the Chebyshev basis, against a round-off bound from the data's scale and that basis' condition
    number (:func:`gcli.decoding.polynomial.real_polynomial_misfit`; a monomial least-squares fit rejected genuine
    codes from n ≈ 40)."""
    import numpy as np

    from gcli.errors import InputError

    limit = code.n - code.s - 2 * code.a
    recorded_dim = construction.get("dimension", limit)
    valid_dim = type(recorded_dim) is int and code.m <= recorded_dim <= limit
    dim = recorded_dim if valid_dim else limit
    if "evaluation_points" in construction and not code.is_real:
        key, recorded = "construction.evaluation_points", construction["evaluation_points"]
        try:
            ok = (isinstance(recorded, list) and len(recorded) == code.n and len(set(recorded)) == code.n
                  and _polynomial_over_gf(code, np.asarray(recorded, dtype=np.int64), dim))
        except (InputError, ValueError, TypeError, OverflowError):
            ok = False
    elif isinstance(construction.get("points"), str) and code.is_real:
        from gcli.decoding.polynomial import evaluation_points
        from gcli.hierarchical.codes import layer_is_polynomial

        key, recorded = "construction.points", construction["points"]
        try:
            ok = layer_is_polynomial(code, np.asarray(evaluation_points(code.field, code.n, recorded)),
                                     dimension=dim)
        except (InputError, ValueError, TypeError, OverflowError):
            ok = False
    else:
        return
    checks.append(ClaimCheck(key, recorded, bool(ok), "every worker's row is " + ("" if ok else "not ") +
                             f"P(θ_w) for polynomials of degree < K = {dim} with the target as top coefficients"))
    if "dimension" in construction:
        found = (f"K must be an integer in m..n − s − 2a = {code.m}..{limit}" if not valid_dim else
                 f"the workers' polynomials {'have' if ok else 'do not have'} K = {dim} coefficients with the "
                 "target on top")
        checks.append(ClaimCheck("construction.dimension", recorded_dim, bool(valid_dim and ok), found))


def _replication(checks: list[ClaimCheck], code: Code, construction: dict[str, Any]) -> None:
    """A universal code's placement claims: ``replication`` = r, the least number of workers holding a partition
    in the assignment, and ``optimal_m`` = r − s − 2a, the largest reduction the placement allows
    (:func:`gcli.bounds.tradeoff.placement_tradeoff`); the code's m must not exceed it."""
    r = _least_replication(code)
    _same(checks, "construction.replication", construction.get("replication"), r,
          "the least number of workers holding a partition")
    optimum = r - code.s - 2 * code.a
    _same(checks, "construction.optimal_m", construction.get("optimal_m"), optimum, f"r − s − 2a = {r} − "
          f"{code.s} − {2 * code.a}")
    if code.m > optimum:
        checks.append(ClaimCheck("m", code.m, False, f"the placement allows at most m = r − s − 2a = {optimum}"))


def _least_replication(code: Code) -> int:
    """r: the least number of workers whose assignment holds a partition (0 when one is held by none)."""
    counts = [0] * code.k
    for row in code.assignment:
        for j in row:
            counts[j] += 1
    return min(counts, default=0)


def _polynomial_over_gf(code: Code, points: Any, dim: int | None = None) -> bool:
    """B = V·C with the last m rows of C equal to T (V: n × ``dim`` Vandermonde, default n − s − 2a), over GF(q)
    (:func:`_polynomial_points`)."""
    import numpy as np

    from gcli.fields.arithmetic import field_ops
    from gcli.fields.linalg import batched_consistent

    field = code.field_info  # galois-free when the code was read from a file
    if np.any(points < 0) or np.any(points >= field.order):
        return False
    ops = field_ops(field)
    dim, m = (code.n - code.s - 2 * code.a) if dim is None else dim, code.m
    theta = ops.asarray(points)
    columns = [ops.asarray(np.ones(code.n, dtype=np.int64))]
    for _ in range(1, dim):
        columns.append(ops.mul(columns[-1], theta))
    encoding = ops.asarray(code.integer_encoding())
    rest = encoding.copy()
    for u in range(m):
        rest[:, u::m] = ops.sub(encoding[:, u::m], columns[dim - m + u][:, None])
    low = [c[:, None] for c in columns[: dim - m]]
    system = np.concatenate([*low, rest], axis=1)[None] if low else rest[None]
    return bool(batched_consistent(field, system, dim - m)[0])


def _minimum_distance(code: Code, generator: list[Any]) -> int | None:
    """δ of the recorded generator (:func:`gcli.constructions.minimum_distance`), None when it cannot be decided
    within its limits."""
    import numpy as np

    from gcli.errors import InputError
    from gcli.fields import FieldInfo
    from gcli.fields.distance import minimum_distance

    field = code.field_info
    numbers_only = isinstance(field, FieldInfo)  # no galois: rank checks on integers, no enumeration
    try:
        if code.is_real:
            g = np.asarray(generator, dtype=np.float64)
        else:
            g = np.asarray(generator, dtype=np.int64)
            if np.any(g < 0) or np.any(g >= field.order):
                return None
            g = g if numbers_only else field(g)
        return int(minimum_distance(field, g, "subsets" if numbers_only else "auto"))
    except (InputError, ValueError, TypeError, OverflowError):
        return None


def code_claims(code: Code, run: Pass | None, stability: StabilityReport | None,
                report: ApproximationReport | None, structure: StructureReport | None, *, exhaustive: bool,
                decodable: bool, stragglers: int, adversaries: int) -> list[ClaimCheck]:
    """Every claim a single-layer code's file records, re-derived (module docstring). ``run``, ``stability``,
    ``report`` and ``structure`` are the certificate's pass and its reports (nothing is computed twice);
    ``exhaustive``/``decodable`` describe that pass at (``stragglers``, ``adversaries``)."""
    checks: list[ClaimCheck] = []
    construction = code.construction if isinstance(code.construction, dict) else {}
    same_sets = stragglers == code.s and adversaries == code.a
    overruled = exactness(code)[1]
    if code.scheme in EXACT_SCHEMES or overruled is not None:
        checks.append(ClaimCheck("exact", code.exact, code.exact is True,
                                 overruled or f"the {code.scheme} scheme is exact by construction"))
    elif same_sets and exhaustive and code.exact is False and decodable:
        checks.append(ClaimCheck("exact", code.exact, False,
                                 f"every set of {code.n - code.s - 2 * code.a} responders decodes exactly"))
    if code.scheme in EXACT_SCHEMES:
        for key in ("n", "k", "s", "m", "a"):
            if key in construction:
                _same(checks, f"construction.{key}", construction[key], getattr(code, key), f"the code's {key}")
        _linear_code(checks, code)
    else:
        _structure_copies(checks, code, None if structure is None else structure.details.get("spectrum"))
        block = code.extras.get("graph")
        if isinstance(block, dict) and "certified" in block and structure is not None:
            _same(checks, "graph.certified", block["certified"], structure.certified,
                  "the structure certificate's verdict")
    if structure is not None and not structure.certified and structure.claim is not None:
        checks.append(ClaimCheck(structure.claim, _recorded(code, structure.claim), False, structure.message))
    if "field" in construction:
        _same(checks, "construction.field", construction["field"], code.field_name, "the code's field")
    if "s" in construction and code.scheme not in EXACT_SCHEMES:
        _same(checks, "construction.s", construction["s"], code.s, "the code's s")
    if "m" in construction and code.scheme not in EXACT_SCHEMES:
        _same(checks, "construction.m", construction["m"], code.m, "the code's m")
    size = code.n - code.s - 2 * code.a
    total = math.comb(code.n, size) if size >= 0 else 0
    worst = None if stability is None else stability.worst_condition_number
    residual = None if stability is None else stability.max_residual
    failures = 0 if run is None else run.failures
    _checked_block(checks, "construction.checked", construction.get("checked"), code, total=total,
                   exhaustive=exhaustive, same_sets=same_sets, failures=failures, worst_condition=worst,
                   max_residual=residual)
    if report is not None:
        checks += [ClaimCheck(c["field"], c["claimed"], bool(c["ok"]), c["found"]) for c in report.checks
                   if "field" in c]
    elif run is None and code.is_real and code.m == 1:
        checks += _sparse_bias(code)
    if structure is not None and not structure.certified:
        return checks  # the structure fails: what it did not reach is not "not re-derived", the code is wrong
    covered = {c.field for c in checks}
    if structure is not None:
        covered |= set(structure.claims_checked)
    reason = ("not re-derived by this check" + ("" if exhaustive else " (a sampled pass)") +
              ("" if same_sets else f" (s = {stragglers}, a = {adversaries}; the file's are s = {code.s}, "
                                    f"a = {code.a})") + ("" if run is not None or not code.is_real else
                                                        " (a code beyond the least-squares engine)"))
    parameters = PARAMETERS.get(code.scheme, _COMMON_PARAMETERS)
    for path, value in _leaves(construction, "construction"):
        if value is None or path in parameters or any(path == f or path.startswith(f + ".") for f in covered):
            continue
        checks.append(ClaimCheck(path, value, True, reason, rederived=False))
    return checks


def _sparse_bias(code: Code) -> list[ClaimCheck]:
    """The bias claims of a code checked through its fixed decoder w·1_F (:mod:`gcli.certification.sparse`): X·B is
    the column sums 1ᵀB, one O(nnz) product (:func:`gcli.certification.approximation.bias_claims`)."""
    import numpy as np

    from gcli.certification.approximation import bias_claims
    from gcli.certification.sparse import decoder_weight

    found = decoder_weight(code)
    if found is None:
        return []
    _, weight = found  # 1 for the sum, the recorded n/(n − s) (checked by the structure certificate) otherwise
    sums = np.asarray(code.sparse_encoding.sum(axis=0)).reshape(1, -1)
    return [ClaimCheck(c["field"], c["claimed"], bool(c["ok"]), c["found"]) for c in bias_claims(code, sums, weight)]


def _leaves(value: Any, path: str) -> list[tuple[str, Any]]:
    """The (dotted path, value) leaves of a JSON object (lists are leaves)."""
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in _leaves(item, f"{path}.{key}")]
    return [(path, value)]


def _recorded(code: Code, dotted: str) -> Any:
    """The value a single-layer code's file records at a dotted path (construction, design or graph block)."""
    head, *rest = dotted.split(".")
    value: Any = code.construction if head == "construction" else code.extras.get(head)
    for key in rest:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _structure_copies(checks: list[ClaimCheck], code: Code, structure_spectrum: Any) -> None:
    """The construction block's copy of the structure's parameters (the structure block itself is certified by
    :func:`gcli.structures.certify_structure`)."""
    construction = code.construction if isinstance(code.construction, dict) else {}
    design = code.extras.get("design")
    graph = code.extras.get("graph")
    if isinstance(design, dict):
        for key in ("v", "k", "lambda"):
            if key in construction:
                _same(checks, f"construction.{key}", construction[key], design.get(key), f"the design's {key}")
    if isinstance(graph, dict):
        params = graph.get("params")
        if isinstance(params, list) and len(params) == 4:
            for key, value in zip(("v", "k", "lambda", "mu"), params, strict=True):
                if key in construction:
                    _same(checks, f"construction.{key}", construction[key], value, f"the graph's {key}")
        if "n" in construction:
            _same(checks, "construction.n", construction["n"], graph.get("v"), "the graph's number of vertices")
        degree = graph.get("degree", params[1] if isinstance(params, list) and len(params) == 4 else None)
        if construction.get("d") is not None:  # null: the family's own degree
            _same(checks, "construction.d", construction["d"], degree, "the graph's degree")
        spectrum = graph.get("spectrum")
        if isinstance(spectrum, dict) and all(_number(spectrum.get(k)) for k in (
                "degree", "second_largest", "smallest", "second_largest_modulus", "spectral_gap")):
            _graph_spectrum(checks, spectrum, structure_spectrum)


def _graph_spectrum(checks: list[ClaimCheck], spectrum: dict[str, Any], found: Any) -> None:
    """A regular graph's recorded eigenvalues against those the structure certificate computed from the
    adjacency by a sparse solver (agreement to 1e-6, as the structure certificate's own check)."""
    if not isinstance(found, dict):
        return
    for key in ("degree", "second_largest", "smallest", "second_largest_modulus", "spectral_gap"):
        if not _number(found.get(key)):
            continue
        value = float(found[key])
        ok = within(abs(float(spectrum[key]) - value), 1e-6 * max(1.0, abs(value)))
        checks.append(ClaimCheck(f"graph.spectrum.{key}", spectrum[key], ok, f"the adjacency gives {value:.10g}"))


def hierarchical_claims(hcode: HierarchicalCode, report: HierarchicalReport) -> list[ClaimCheck]:
    """The claims of a hierarchical file (module docstring) against the layered report."""
    checks: list[ClaimCheck] = []
    checks.append(ClaimCheck("exact", True, True, "the hierarchical scheme is exact by construction"))
    construction = hcode.construction if isinstance(hcode.construction, dict) else {}
    actual: dict[str, Any] = {
        "relays": hcode.relays, "cluster_sizes": list(hcode.cluster_sizes), "partitions": hcode.partitions,
        "s_r": hcode.s_r, "a_r": hcode.a_r, "s_w": list(hcode.s_w), "a_w": list(hcode.a_w), "m_1": hcode.m_1,
        "m_2": list(hcode.m_2), "field": hcode.field_name,
    }
    for key, value in actual.items():
        if key in construction:
            _same(checks, f"construction.{key}", construction[key], value, f"the code's {key}")
    if hcode.private_relays:  # "privacy" and construction.private_relays: re-checked by the privacy certificate
        privacy = report.privacy
        t = hcode.private_relays
        if privacy is None:
            found, ok = "no privacy certificate was computed", False
        elif privacy.private:
            found, ok = (f"every relay's view{' and every set of ' + str(t) + ' relays' if t > 1 else ''} is "
                         "independent of the gradients: rank([G H]) = rank(H) over the field"), True
        else:
            leaking = [i for i, r in enumerate(privacy.relays) if not r.private]
            found = (f"relay {leaking[0]} learns a space of dimension {privacy.relays[leaking[0]].dimension}" if leaking
                     else f"relays {privacy.collusion['worst_set']} together learn a space of dimension "  # type: ignore[index]
                          f"{privacy.collusion['leakage']}")  # type: ignore[index]
            ok = False
        checks.append(ClaimCheck("privacy.colluding_relays", t, ok, found))
    checked = construction.get("checked")
    if not isinstance(checked, dict):
        return checks
    layers = [("construction.checked.relays", checked.get("relays"), hcode.outer, report.relay_layer)]
    clusters = checked.get("clusters")
    if isinstance(clusters, list):
        layers += [(f"construction.checked.clusters[{i}]", block, code, layer) for i, (block, code, layer) in
                   enumerate(zip(clusters, hcode.inner, report.cluster_layers, strict=False))]
    for prefix, block, code, layer in layers:
        _checked_block(checks, prefix, block, code, total=layer.patterns_total, exhaustive=layer.exhaustive,
                       same_sets=True, failures=0 if layer.decodable else 1,
                       worst_condition=layer.worst_condition_number, max_residual=layer.max_residual)
    return checks
