"""``gcli.advise``: enumerate, prune, build, certify, score and rank the codes of every registered family.

**Candidates.** Every record of :data:`gcli.constructions.SCHEMES` is asked for parameter sets: families with a
known shape get theirs from :data:`ENUMERATORS` (all m and loads within the budgets; the designs and strongly
regular graphs that the family's own ``--near`` search finds for about n workers; regular graphs of a few
degrees), and any other family whose builder takes ``n`` and ``s`` is tried with the request's n, s, m, a and
field, so a new family joins by itself. With relays only the hierarchical family is asked (the flat codes do not
use the relays). With a given placement (rows: the partitions each worker holds) only codes on that placement
can be listed: the ``universal`` family (:data:`PLACEMENT_FAMILIES`) at every m up to the placement's optimum
r − s − 2a, r the least replication of a partition (:func:`gcli.bounds.placement_tradeoff`; a larger m is pruned
by that bound), over the request's field(s); the other families place data their own way and are pruned with
that reason. The load is then the placement's and the bound a row is compared with is the least message
1/(r − s − 2a) (``Row.optimal_m``).

**Pruning first.** Before a builder runs, the trade-off bound d ≥ ⌈k(s + 2a + m)/n⌉
(:func:`gcli.bounds.min_computation_load`) and the family's own load rule (d = s + 1, d = s + 2a + m, the
design's block size or replication, the graph's degree) are checked against ``max_load``, m against the message
budget, and families that cannot carry adversaries are skipped; what is pruned is counted with its reason.

**Certification, once.** Builders are called with ``certify=False`` (the registry defers their own check) and
every built code is certified once by :func:`gcli.certify` — what ``gcli verify FILE`` computes: its
removed-side and orbit paths for large n, one BLAS thread, the recorded claims re-checked — exhaustively when
that is cheap and on a seeded sample otherwise (the plan ``gcli design`` uses); the passed check is recorded in
the code's ``checked`` block as ``design`` records it. An exact code with more than :data:`PRESCREEN_SETS` sets
is first checked on that many seeded sets: a set that does not decode rejects it without the full pass. A code
whose certificate fails is never listed, and a real code certified only on a sample is not listed when its worst
sampled condition number exceeds :data:`SAMPLED_KAPPA_LIMIT` or its sampled residuals come within 100× of the
tolerance (``design`` refuses those; unchecked sets could fail ``gcli verify``). Builds and certificates are
cached per parameter set within a call.

**Scores** (one :class:`Row` per listed code): the load d and the fraction d/k, the trade-off bound's minimum
load and the gap; the message fraction 1/m; s and a certified; worst condition number and worst float64 decoding
error (real codes); worst and expected approximation error (approximate codes, relative: ‖X B_F − T‖²_F/(k·m)
at s, or expected under i.i.d. failures with probability p); privacy (the largest relay leakage of a hierarchical code
over GF(q), 0 for private relays, by :data:`PRIVACY_HOOK`; over GF(q) every hierarchical candidate with
m_1 ≤ K − 1 also comes as a private twin at the same loads); and the expected time per iteration under the
delay model, the mean of :func:`gcli.training.simulation.iteration_times` over ``rounds`` seeded iterations
(the simulator's own timing, so ``gcli simulate`` with the same seed gives the same times; an exhaustively
certified exact code is known to decode from every n − s − 2a responders, so those sets need no solve,
``decodes_from``).

**Ranking.** The error axis is the approximation error of approximate codes and 0 for exact codes (their
float64 round-off is reported; their risk is the conditioning axis, 1 over GF(q)). A row is Pareto-optimal when
no other listed row is at least as good on every axis (load fraction, message fraction, error, worst condition
number to 3 significant digits, time) and better on one. Rows are sorted by the objective (``time``, ``load``,
``communication`` or ``error``), ties by the other axes and then by the family's name and parameters, so the same
seed gives the same table.
"""

from __future__ import annotations

import inspect
import math
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from gcli.errors import ImpossibleParameters, InputError

__all__ = ["ENUMERATORS", "OBJECTIVES", "PRIVACY_HOOK", "Advice", "AdviceRequest", "Candidate", "Row", "advise"]

OBJECTIVES = ("time", "load", "communication", "error")
"""What ``objective`` may rank by."""

SAMPLED_KAPPA_LIMIT = 1e6
"""A real code certified on a sample is listed only when its worst sampled κ(B_F) is at most this: with
κ·2⁻⁵² near the tolerance 10⁻⁸ an unchecked set may fail the exhaustive ``gcli verify`` (real Reed–Solomon with
n = 100, s = 2 passes a 515-set sample with κ = 3.7·10⁷ and fails exhaustively)."""

PRESCREEN_SETS = 16
"""An exact code with more surviving sets to check than this is first checked on this many seeded sets; a set
that does not decode rejects it without the full pass (which would find that set's failure too)."""

def relay_leakage(code: Any) -> float | None:
    """The largest leakage of a relay (:func:`gcli.certification.hierarchical.privacy_report`: the dimension of
    the partial-gradient combinations one relay learns from its cluster's messages; 0 = private) of a
    hierarchical code over GF(q); None for single-layer or real codes (no relays, or privacy cannot hold)."""
    from gcli.fields import is_real
    from gcli.hierarchical.codes import HierarchicalCode

    if not isinstance(code, HierarchicalCode) or is_real(code.field):
        return None
    from gcli.certification.hierarchical import privacy_report

    return float(max(leak.dimension for leak in privacy_report(code).relays))


PRIVACY_HOOK: list[Callable[[Any], float | None]] = [relay_leakage]
"""Functions code → privacy figure (or None); the first that answers fills the ``privacy`` column (today the
largest relay leakage of hierarchical codes over GF(q), :func:`relay_leakage`)."""


@dataclass(frozen=True)
class AdviceRequest:
    """What the user has and can afford (``gcli advise`` options). Exactly one of ``s`` and ``p``."""

    n: int
    s: int | None = None
    p: float | None = None
    a: int = 0
    max_load: int | None = None
    m: int = 1
    max_message: float | None = None
    field: str = "real"
    relays: int | None = None
    cluster_sizes: tuple[int, ...] | None = None
    delay_model: str | None = None
    approximate: bool | None = None
    objective: str = "time"
    seed: int = 0
    rounds: int = 50
    samples: int = 512
    gradient_length: int = 17
    compute_cost: float = 1.0
    comm_cost: float = 1.0
    families: tuple[str, ...] | None = None
    placement: tuple[tuple[int, ...], ...] | None = None
    """The data placement (row w: the partitions worker w holds), when it is given and fixed."""
    placement_name: str | None = None
    """How a row's command line names the placement (the file's path; FILE for rows given in Python)."""

    @property
    def stragglers(self) -> int:
        """s, or ⌈p·n⌉ (the expected number of failures, rounded up) when a failure rate is given."""
        if self.s is not None:
            return self.s
        assert self.p is not None
        return max(1, math.ceil(self.p * self.n - 1e-9))

    @property
    def smallest_m(self) -> int:
        """The least m the message budget allows: ``m``, or ⌈1/max_message⌉ if that is larger."""
        floor = self.m
        if self.max_message is not None:
            floor = max(floor, math.ceil(1 / self.max_message - 1e-12))
        return floor

    @property
    def allow_approximate(self) -> bool:
        """Approximate codes are considered when asked for, or by default when a failure rate p is given."""
        return self.p is not None if self.approximate is None else self.approximate

    @property
    def delay(self) -> str:
        """The straggler model of the time column: the given one, else fixed:S or bernoulli:P."""
        if self.delay_model is not None:
            return self.delay_model
        return f"bernoulli:{self.p:g}" if self.p is not None else f"fixed:{self.stragglers}"

    def placement_bound(self) -> Any:
        """The placement's optimum (:func:`gcli.bounds.placement_tradeoff`): least replication r, the largest
        m = r − s − 2a and the load d; ImpossibleParameters (one line) when r − s − 2a < 1."""
        from gcli.bounds.tradeoff import placement_tradeoff

        assert self.placement is not None
        return placement_tradeoff(self.placement, self.stragglers, self.a)

    def workers_per_cluster(self) -> tuple[int, ...]:
        """The cluster sizes: as given, or n split evenly over the relays."""
        assert self.relays is not None
        if self.cluster_sizes is not None:
            return self.cluster_sizes
        return (self.n // self.relays,) * self.relays

    def check(self) -> None:
        """ImpossibleParameters (one line) for anything :func:`advise` cannot work with."""
        if self.n < 2:
            raise ImpossibleParameters(f"need at least 2 workers (got n = {self.n})")
        if (self.s is None) == (self.p is None):
            raise ImpossibleParameters("give exactly one of s (stragglers) and p (failure rate)")
        if self.s is not None and self.s < 0:
            raise ImpossibleParameters(f"s must be ≥ 0 (got {self.s})")
        if self.p is not None and not (0 < self.p < 1):
            raise ImpossibleParameters(f"the failure rate p must be in (0, 1) (got {self.p})")
        if self.a < 0:
            raise ImpossibleParameters(f"a must be ≥ 0 (got {self.a})")
        if self.m < 1:
            raise ImpossibleParameters(f"m must be ≥ 1 (got {self.m})")
        if self.max_message is not None and not (0 < self.max_message <= 1):
            raise ImpossibleParameters(f"the message budget must be in (0, 1] (got {self.max_message})")
        if self.max_load is not None and self.max_load < 1:
            raise ImpossibleParameters(f"the load budget must be ≥ 1 (got {self.max_load})")
        if self.objective not in OBJECTIVES:
            raise ImpossibleParameters(f"unknown objective {self.objective!r}: use {', '.join(OBJECTIVES)}")
        if self.rounds < 1:
            raise ImpossibleParameters(f"need at least one simulated round (got {self.rounds})")
        if self.field != "any":
            from gcli.fields import as_field

            as_field(self.field)
        if self.relays is not None:
            if self.relays < 1:
                raise ImpossibleParameters(f"need at least one relay (got {self.relays})")
            if self.cluster_sizes is None and self.n % self.relays:
                raise ImpossibleParameters(f"{self.n} workers do not split evenly over {self.relays} relays: "
                                           "give the cluster sizes")
            if self.cluster_sizes is not None and (len(self.cluster_sizes) != self.relays
                                                   or sum(self.cluster_sizes) != self.n):
                raise ImpossibleParameters(f"the cluster sizes {list(self.cluster_sizes)} must be {self.relays} "
                                           f"numbers adding up to n = {self.n}")
        elif self.cluster_sizes is not None:
            raise ImpossibleParameters("cluster sizes need the number of relays")
        from gcli.bounds import min_computation_load

        s = self.stragglers
        if self.placement is not None:
            self._check_placement()
        elif self.relays is None:
            min_computation_load(self.n, s, m=self.smallest_m, a=self.a)  # one line when no exact code exists
        from gcli.training.simulation import StragglerModel

        StragglerModel.parse(self.delay)

    def _check_placement(self) -> None:
        """A given placement fixes n, the load and the best message size: one line when s, a, m or the load
        budget cannot be met on it (the converse of :func:`gcli.bounds.placement_tradeoff`)."""
        from gcli.errors import NotSupported

        assert self.placement is not None
        if self.relays is not None:
            raise NotSupported("a placement gives one layer of workers; hierarchical codes on a placement of "
                               "clusters are gcli design hierarchical --placement")
        s = self.stragglers
        if s + 2 * self.a >= self.n:
            raise ImpossibleParameters(f"s + 2a = {s + 2 * self.a} must be smaller than n = {self.n}")
        bound = self.placement_bound()
        if self.smallest_m > bound.m:
            raise ImpossibleParameters(
                f"m = {self.smallest_m} exceeds the optimum r − s − 2a = {bound.replication} − {s} − {2 * self.a} "
                f"= {bound.m} of this placement (partition {bound.witness} is held by only r = {bound.replication} "
                f"workers): the message size cannot go below 1/{bound.m} of a gradient")
        if self.max_load is not None and bound.load > self.max_load:
            raise ImpossibleParameters(f"the placement's load is d = {bound.load} partitions per worker, above the "
                                       f"load budget {self.max_load}")


@dataclass(frozen=True)
class Candidate:
    """One parameter set of one family, before it is built: the builder's keyword arguments and what is known
    about it without building (exact or approximate, the load d it will have when known, its m and n)."""

    scheme: str
    params: tuple[tuple[str, Any], ...]
    exact: bool
    m: int
    n: int
    load: int | None = None
    placement_name: str | None = field(default=None, compare=False)
    """How the command line names the ``placement`` parameter (a file path)."""

    @property
    def kwargs(self) -> dict[str, Any]:
        """The builder's keyword arguments (a placement, kept as hashable tuples, as the lists of rows a
        placement file holds)."""
        return {name: [list(row) for row in value] if name == "placement" else value for name, value in self.params}

    def command(self) -> str:
        """The ``gcli design`` line that builds the same code (flags as ``gcli design SCHEME --help`` shows)."""
        flags = _FLAGS.get(self.scheme, {})
        parts = [f"gcli design {self.scheme}"]
        for name, value in self.params:
            if (name, value) in _DEFAULTS and name not in _KEPT.get(self.scheme, ()):
                continue
            flag = flags.get(name, _COMMON_FLAGS.get(name, f"--{name.replace('_', '-')}"))
            if name == "placement":
                parts.append(f"{flag} {self.placement_name or 'FILE'}")
            elif isinstance(value, bool):
                if value:
                    parts.append(flag)
            elif isinstance(value, list | tuple):
                parts.append(f"{flag} {','.join(map(str, value))}")
            else:
                parts.append(f"{flag} {value}")
        return " ".join(parts)


_COMMON_FLAGS = {"n": "-n", "s": "-s", "m": "-m", "a": "-a", "field": "--field", "seed": "--seed"}
_FLAGS: dict[str, dict[str, str]] = {
    "mds": {"d": "-d"},
    "bibd": {"v": "-v", "k": "--block-size", "lam": "--lambda"},
    "graph": {"d": "--degree"},
    "hierarchical": {"workers": "--cluster-sizes", "s_w": "--sw", "a_w": "--aw", "m_1": "--m1", "m_2": "--m2",
                     "s_r": "--sr", "a_r": "--ar"},
}
_DEFAULTS = {("a", 0), ("m", 1), ("seed", 0), ("field", "real"), ("m_2", 1), ("a_w", 0), ("transpose", False)}
"""Parameters left out of the command line when they have the builder's default value."""
_KEPT: dict[str, tuple[str, ...]] = {"universal": ("m",)}
"""Parameters always shown, whose builder's default differs (universal's m defaults to auto, the optimum)."""


def _candidate(scheme: str, exact: bool, m: int, n: int, load: int | None = None, /, **params: Any) -> Candidate:
    return Candidate(scheme, tuple(sorted(params.items())), exact, m, n, load)


@dataclass
class Row:
    """One listed code and its scores (module docstring)."""

    scheme: str
    command: str
    params: dict[str, Any]
    field: str
    n: int
    k: int
    d: int
    m: int
    s: int
    a: int
    exact: bool
    load_fraction: float
    message_fraction: float
    bound_load: int | None
    gap: int | None
    worst_condition: float | None
    float64_error: float | None
    worst_error: float | None
    expected_error: float | None
    error: float
    time: float | None
    checked: str
    privacy: float | None = None
    optimal_m: int | None = None
    """On a given placement: the bound's largest m = r − s − 2a (the least message 1/(r − s − 2a)); the ``bound``
    column then shows 1/optimal_m and the gap is in the message size, the load being the placement's."""
    pareto: bool = False
    reasons: list[str] = field(default_factory=list)
    code: Any = field(default=None, repr=False, compare=False)

    @property
    def meets_bound(self) -> bool:
        """An exact code whose load is the trade-off bound's minimum, or on a given placement whose message is
        the placement's least, 1/(r − s − 2a)."""
        if self.optimal_m is not None:
            return self.exact and self.m == self.optimal_m
        return self.exact and self.gap == 0

    @property
    def conditioning(self) -> float:
        """The worst condition number to 3 significant digits (round-off never decides a rank); 1 over GF(q)."""
        if self.worst_condition is None:
            return 1.0
        if not math.isfinite(self.worst_condition):
            return math.inf
        return float(f"{self.worst_condition:.3g}")

    def axes(self, with_time: bool) -> tuple[float, ...]:
        """The values the Pareto front compares, smaller is better: load d/k, message 1/m, error (0 for exact
        codes), conditioning, when every row has one the time per iteration, and last the privacy figure (the
        largest relay leakage; ∞ when there is none, so it only separates codes that have one)."""
        base = (self.load_fraction, self.message_fraction, self.error, self.conditioning)
        timed = (*base, self.time if self.time is not None else math.inf) if with_time else base
        return (*timed, self.privacy if self.privacy is not None else math.inf)

    def to_json(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme, "command": self.command, "params": self.params, "field": self.field,
            "n": self.n, "k": self.k, "d": self.d, "m": self.m, "s": self.s, "a": self.a, "exact": self.exact,
            "load_fraction": self.load_fraction, "message_fraction": self.message_fraction,
            "bound_load": self.bound_load, "gap": self.gap, "worst_condition": _finite(self.worst_condition),
            "float64_error": self.float64_error, "worst_error": self.worst_error,
            "expected_error": self.expected_error, "error": self.error, "time": self.time,
            "checked": self.checked, "privacy": self.privacy,
            **({"optimal_m": self.optimal_m} if self.optimal_m is not None else {}),
            "pareto": self.pareto, "reasons": self.reasons,
        }


def _bound_cell(row: Row) -> str:
    """The ``bound`` column: the trade-off bound's least load (with the gap), or on a given placement its least
    message 1/(r − s − 2a) (the gap is then between this and the ``1/m`` column)."""
    if row.optimal_m is not None:
        return f"1/{row.optimal_m}"
    if row.bound_load is None:
        return "-"
    return f"{row.bound_load}" + ("" if row.gap == 0 else f" (+{row.gap})")


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else value


@dataclass
class Advice:
    """What :func:`advise` returns: the listed rows (best first), the Pareto front, the chosen code and the
    counts of what was enumerated, pruned, refused by a builder, rejected by certification and listed."""

    request: AdviceRequest
    rows: list[Row]
    pruned: list[tuple[str, str]]
    refused: list[tuple[str, str]]
    rejected: list[tuple[str, str]]
    built: int

    @property
    def front(self) -> list[Row]:
        """The Pareto-optimal rows, in table order."""
        return [row for row in self.rows if row.pareto]

    @property
    def chosen(self) -> Row:
        """The best row by the objective."""
        return self.rows[0]

    @property
    def has_time(self) -> bool:
        return bool(self.rows) and all(row.time is not None for row in self.rows)

    def to_json(self, top: int | None = None) -> dict[str, Any]:
        req = self.request
        return {
            "format": "gcli.advice", "format_version": 1,
            "request": {"n": req.n, "s": req.s, "p": req.p, "a": req.a, "stragglers_planned": req.stragglers,
                        "max_load": req.max_load, "min_m": req.smallest_m, "field": req.field,
                        "relays": req.relays, "cluster_sizes": list(req.workers_per_cluster()) if req.relays else None,
                        "delay_model": req.delay, "objective": req.objective, "seed": req.seed,
                        "rounds": req.rounds, "approximate_allowed": req.allow_approximate,
                        **({"placement": self._placement_json()} if req.placement is not None else {})},
            "counts": {"built": self.built, "pruned": len(self.pruned), "refused": len(self.refused),
                       "rejected": len(self.rejected), "listed": len(self.rows)},
            "rows": [row.to_json() for row in self.rows[:top]],
            "pruned": [{"candidate": c, "reason": r} for c, r in self.pruned],
            "refused": [{"candidate": c, "reason": r} for c, r in self.refused],
            "rejected": [{"candidate": c, "reason": r} for c, r in self.rejected],
        }

    def _placement_json(self) -> dict[str, Any]:
        req = self.request
        bound = req.placement_bound()
        return {"file": req.placement_name, "workers": bound.n, "partitions": bound.k, "load": bound.load,
                "replication": bound.replication, "least_replicated_partition": bound.witness,
                "optimal_m": bound.m}

    def _placement_head(self) -> str:
        req = self.request
        bound = req.placement_bound()
        return (f"placement {req.placement_name or '(rows)'}: {bound.n} workers, {bound.k} partitions, load d = "
                f"{bound.load}, least replication r = {bound.replication}; bound = the least message "
                f"1/(r − s − 2a) = 1/{bound.m}\n")

    def table(self, top: int | None = None) -> str:
        """The human table: one line per row, best first; * marks the Pareto front."""
        req = self.request
        head = ((self._placement_head() if req.placement is not None else "")
                + f"{req.n} workers" + (f" behind {req.relays} relays" if req.relays else "")
                + (f", s = {req.s}" if req.s is not None else f", p = {req.p:g} (codes planned for s = "
                   f"{req.stragglers})") + (f", a = {req.a}" if req.a else "")
                + (f"; time under {req.delay} ({req.rounds} seeded rounds, seed {req.seed})" if self.has_time
                   else "; no time (the simulator does not model these codes)")
                + "; ranked by " + (req.objective if self.has_time or req.objective != "time" else "load"))
        private = any(row.privacy is not None for row in self.rows)
        header = ("", "#", "code", "field", "n", "d/k", "bound", "1/m", "error", "kappa", "time",
                  *(("leak",) if private else ()), "checked", "why")
        lines = [header]
        for i, row in enumerate(self.rows[:top], 1):
            lines.append((
                "*" if row.pareto else "", str(i), row.command.removeprefix("gcli design "),
                row.field, str(row.n), f"{row.d}/{row.k}",
                _bound_cell(row),
                f"1/{row.m}", "exact" if row.exact else f"{row.error:.2g} approx",
                "-" if row.worst_condition is None else f"{row.worst_condition:.3g}",
                "-" if row.time is None else f"{row.time:.5g}",
                *((("-" if row.privacy is None else f"{row.privacy:g}"),) if private else ()),
                row.checked, "; ".join(row.reasons),
            ))
        widths = [max(len(line[c]) for line in lines) for c in range(len(header))]
        body = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in lines]
        foot = (f"{self.built} built, {len(self.pruned)} pruned before building, {len(self.refused)} "
                f"refused by their builder, {len(self.rejected)} rejected by certification, {len(self.rows)} listed"
                + (f" (top {top} shown)" if top is not None and top < len(self.rows) else "")
                + "; * = Pareto front (load, message, error, kappa" + (", time" if self.has_time else "")
                + (", leak); leak = the most a relay learns (0 = private relays)" if private else ")"))
        return "\n".join([head, *body, foot])


# ---------------------------------------------------------------------------------------------------------
# candidates
# ---------------------------------------------------------------------------------------------------------
def _m_values(req: AdviceRequest, s: int, n: int) -> list[int]:
    """The m to try: a few values from the smallest m the message budget allows (m_min, m_min + 1, 2·m_min,
    4·m_min; larger m cost the most to build and certify, measured: mds n = 50, m = 8 took 55 CPU-seconds of
    the run's ~100) and, with a load budget, every m up to it (d = s + 2a + m ≤ max_load); never
    s + 2a + m > n. Values beyond the load budget stay in: the trade-off bound prunes them before building."""
    low = req.smallest_m
    top = n - s - 2 * req.a
    values = {m for m in (low, low + 1, 2 * low, 4 * low) if m <= top}
    if req.max_load is not None:
        values |= set(range(low, min(top, req.max_load - s - 2 * req.a) + 1))
    return sorted(values)


def _fields(req: AdviceRequest) -> list[str]:
    if req.field != "any":
        return [req.field]
    return ["real", f"GF({_prime_above(req.n)})"]


def _prime_above(n: int) -> int:
    """The least prime q > n (enough distinct evaluation points for every family)."""
    from gcli.fields.numbertheory import is_prime

    q = n + 1
    while not is_prime(q):
        q += 1
    return q


def _exact_family(name: str, *, adversaries: bool, comm: bool, load: Callable[[int, int, int], int]
                  ) -> Callable[[AdviceRequest], Iterable[Candidate | tuple[str, str]]]:
    """Exact families of the request's n: every field and m allowed; ``load(s, a, m)`` is the family's d."""

    def enumerate_(req: AdviceRequest) -> Iterable[Candidate | tuple[str, str]]:
        s, a = req.stragglers, req.a
        if a and not adversaries:
            yield (f"{name}", "does not tolerate adversaries")
            return
        ms = _m_values(req, s, req.n) if comm else ([1] if req.smallest_m == 1 else [])
        if not ms:
            yield (f"{name}", f"no m ≥ {req.smallest_m} fits the budgets" if comm else "sends whole gradients")
            return
        for fld in _fields(req):
            for m in ms:
                extra: dict[str, Any] = {"m": m} if comm else {}
                if adversaries:
                    extra["a"] = a
                yield _candidate(name, True, m, req.n, load(s, a, m), n=req.n, s=s, field=fld, **extra)

    return enumerate_


_SEARCH_LINE = re.compile(r"^(\w[\w-]*)\s+(.*?):")


def _search_params(line: str) -> dict[str, str]:
    """The flags of a ``--near`` search line (``bibd -v 16 --block-size 4 --lambda 1: …`` → v, block-size …)."""
    match = _SEARCH_LINE.match(line)
    if match is None:
        return {}
    tokens = match.group(2).split()
    return {tokens[i].lstrip("-"): tokens[i + 1] for i in range(0, len(tokens) - 1, 2)}


def _structure_family(name: str, nearest: int = 3) -> Callable[[AdviceRequest], Iterable[Candidate | tuple[str, str]]]:
    """Approximate codes on the designs or graphs the family's ``--near`` search finds for about n workers."""

    def enumerate_(req: AdviceRequest) -> Iterable[Candidate | tuple[str, str]]:
        from gcli.constructions import SCHEMES

        search = SCHEMES[name].load_search()
        assert search is not None
        if not req.allow_approximate:
            yield (name, "approximate (exact codes only)")
            return
        if req.a:
            yield (name, "approximate codes do not tolerate adversaries")
            return
        if req.field not in ("real", "any"):
            yield (name, "approximate codes are real")
            return
        s = req.stragglers
        found: list[tuple[int, Candidate]] = []
        for line in search(req.n):
            flags = _search_params(line)
            if name == "bibd":
                v, k, lam = int(flags["v"]), int(flags["block-size"]), int(flags["lambda"])
                b = lam * v * (v - 1) // (k * (k - 1))
                r = b * k // v
                shapes = [(b, k, False), (v, r, True)]
                for workers, load, transpose in shapes:
                    if s >= workers:
                        continue
                    for m in _m_values(req, s, workers) or []:
                        if m > load:
                            continue
                        found.append((abs(workers - req.n), _candidate(
                            name, False, m, workers, load, v=v, k=k, lam=lam, transpose=transpose, s=s, m=m,
                            seed=req.seed)))
            elif "params" in flags:
                v, k = (int(x) for x in flags["params"].split(",")[:2])
                if s >= v:
                    continue
                for m in _m_values(req, s, v) or []:
                    if m > k:
                        continue
                    found.append((abs(v - req.n), _candidate(name, False, m, v, k, params=flags["params"], s=s,
                                                             m=m, seed=req.seed)))
        found.sort(key=lambda item: (item[0], item[1].load or 0, item[1].params))
        chosen = found[: nearest * max(1, len(_m_values(req, s, req.n)))]
        if not chosen:
            yield (name, f"nothing buildable near {req.n} workers")
        yield from (c for _, c in chosen)

    return enumerate_


def _graph_family(req: AdviceRequest) -> Iterable[Candidate | tuple[str, str]]:
    """Approximate expander codes: seeded random regular graphs on n vertices of degree s + 1 and 2(s + 1)."""
    if not req.allow_approximate:
        yield ("graph", "approximate (exact codes only)")
        return
    if req.a:
        yield ("graph", "approximate codes do not tolerate adversaries")
        return
    if req.field not in ("real", "any"):
        yield ("graph", "approximate codes are real")
        return
    s = req.stragglers
    for degree in sorted({s + 1, 2 * (s + 1)}):
        if degree >= req.n or (req.n * degree) % 2:
            continue
        for m in _m_values(req, s, req.n):
            if m <= degree:
                yield _candidate("graph", False, m, req.n, degree, family="random", n=req.n, d=degree, s=s, m=m,
                                 seed=req.seed)


def _hierarchical_family(req: AdviceRequest) -> Iterable[Candidate | tuple[str, str]]:
    """Two-layer codes for the relays: s and a per cluster, m_1 over the allowed m, m_2 = 1."""
    if req.relays is None:
        yield ("hierarchical", "needs relays")
        return
    sizes = req.workers_per_cluster()
    s, a = req.stragglers, req.a
    if min(sizes) < s + 2 * a + 1:
        yield ("hierarchical", f"clusters of {min(sizes)} workers cannot carry s + 2a = {s + 2 * a}")
        return
    fld = "real" if req.field == "any" else req.field
    for m in _m_values(req, 0, req.relays) or [req.smallest_m]:
        if m > req.relays:
            continue
        yield _candidate("hierarchical", True, m, req.n, None, relays=req.relays, workers=tuple(sizes), s_w=s,
                         a_w=a, m_1=m, m_2=1, field=fld)
        if fld != "real" and m <= req.relays - 1:  # private relays need m_1 <= K - 1 - s_r - 2a_r (s_r = a_r = 0)
            yield _candidate("hierarchical", True, m, req.n, None, relays=req.relays, workers=tuple(sizes), s_w=s,
                             a_w=a, m_1=m, m_2=1, field=fld, private=True)


def _placement_family(name: str) -> Callable[[AdviceRequest], Iterable[Candidate | tuple[str, str]]]:
    """Codes on the user's placement (``universal``): every m from the smallest the message budget allows up to
    the placement's optimum r − s − 2a, over the request's field(s); the values :func:`_m_values` tries for the
    other families and that exceed the optimum are listed too, so that :func:`candidates` prunes them by the
    placement bound. With ``any`` the field is GF(q) for the least prime q > n with room for the padding roots
    of the most replicated partition (q ≥ n + its excess over s + 2a + m)."""

    def enumerate_(req: AdviceRequest) -> Iterable[Candidate | tuple[str, str]]:
        if req.placement is None:
            yield (name, "needs a placement (--placement FILE)")
            return
        s, a, low = req.stragglers, req.a, req.smallest_m
        optimum = req.placement_bound().m
        ms = sorted(set(range(low, optimum + 1)) | set(_m_values(req, s, req.n)))
        counts: dict[int, int] = {}
        for row in req.placement:
            for j in row:
                counts[j] = counts.get(j, 0) + 1
        excess = max(counts.values()) - (s + 2 * a + low)
        fields = [req.field] if req.field != "any" else ["real", f"GF({_prime_above(req.n + max(excess, 1) - 1)})"]
        load = max(len(row) for row in req.placement)
        for fld in fields:
            for m in ms:
                yield Candidate(name, tuple(sorted({"placement": req.placement, "s": s, "a": a, "m": m,
                                                    "field": fld}.items())), True, m, req.n, load,
                                placement_name=req.placement_name)

    return enumerate_


PLACEMENT_FAMILIES = ("universal",)
"""The families whose builder takes the user's data placement (rows: the partitions each worker holds). The
registry's other ``placement`` parameters mean something else: mds's chooses its own layout (groups or
cyclic), hierarchical's is clusters of rows behind relays."""


def _placed_elsewhere(name: str) -> str:
    """Why a family is not listed when the placement is given."""
    if name == "hierarchical":
        return "needs relays and a placement of clusters; --placement gives one layer"
    return "places data its own way; --placement fixes it"


def _generic_family(name: str) -> Callable[[AdviceRequest], Iterable[Candidate | tuple[str, str]]]:
    """A family without an enumerator: its builder is called with the request's n, s (and m, a, field when it
    takes them); exactness is known only after building."""

    def enumerate_(req: AdviceRequest) -> Iterable[Candidate | tuple[str, str]]:
        from gcli.constructions import SCHEMES

        try:
            signature = inspect.signature(SCHEMES[name].load())
        except (TypeError, ValueError):
            yield (name, "its builder has no signature gcli can read")
            return
        takes = set(signature.parameters)
        if not {"n", "s"} <= takes:
            yield (name, "its builder does not take n and s")
            return
        if req.a and "a" not in takes:
            yield (name, "does not tolerate adversaries")
            return
        ms = _m_values(req, req.stragglers, req.n) if "m" in takes else [1]
        for fld in _fields(req) if "field" in takes else ["real"]:
            for m in ms:
                extra: dict[str, Any] = {"field": fld} if "field" in takes else {}
                if "m" in takes:
                    extra["m"] = m
                if "a" in takes:
                    extra["a"] = req.a
                yield _candidate(name, True, m, req.n, None, n=req.n, s=req.stragglers, **extra)

    return enumerate_


ENUMERATORS: dict[str, Callable[[AdviceRequest], Iterable[Candidate | tuple[str, str]]]] = {
    "frc": _exact_family("frc", adversaries=False, comm=False, load=lambda s, a, m: s + 1),
    "crc": _exact_family("crc", adversaries=False, comm=False, load=lambda s, a, m: s + 1),
    "reed-solomon": _exact_family("reed-solomon", adversaries=True, comm=True, load=lambda s, a, m: s + 2 * a + m),
    "mds": _exact_family("mds", adversaries=True, comm=True, load=lambda s, a, m: s + 2 * a + m),
    "bibd": _structure_family("bibd"),
    "srg": _structure_family("srg"),
    "graph": _graph_family,
    "hierarchical": _hierarchical_family,
    "universal": _placement_family("universal"),
}
"""Scheme name → parameter sets for a request (a pair (what, why) is a family or set pruned before building).
A scheme of the registry without an entry is enumerated from its builder's signature."""


def candidates(req: AdviceRequest) -> tuple[list[Candidate], list[tuple[str, str]]]:
    """Every candidate of every registered family for ``req``, and what was pruned (with why) before building:
    by the family's enumerator, by the trade-off bound and by the load budget."""
    from gcli.bounds import min_computation_load
    from gcli.constructions import SCHEMES

    names = list(SCHEMES) if req.families is None else list(req.families)
    unknown = [name for name in names if name not in SCHEMES]
    if unknown:
        raise ImpossibleParameters(f"unknown family {unknown[0]!r}: use {', '.join(SCHEMES)}")
    if req.relays is not None:
        names = [name for name in names if name == "hierarchical"]
    kept: list[Candidate] = []
    pruned: list[tuple[str, str]] = []
    optimum = None
    if req.placement is not None:
        pruned += [(name, _placed_elsewhere(name)) for name in names if name not in PLACEMENT_FAMILIES]
        names = [name for name in names if name in PLACEMENT_FAMILIES]
        optimum = req.placement_bound()
    seen: set[tuple[str, tuple[tuple[str, Any], ...]]] = set()
    for name in names:
        for item in ENUMERATORS.get(name, _generic_family(name))(req):
            if isinstance(item, tuple):
                pruned.append(item)
                continue
            if (item.scheme, item.params) in seen:
                continue
            seen.add((item.scheme, item.params))
            if not item.exact and not req.allow_approximate:
                pruned.append((item.command(), "approximate (exact codes only)"))
                continue
            if optimum is not None:
                if item.m > optimum.m:  # the converse of the placement bound: nothing reaches a smaller message
                    pruned.append((item.command(), f"the placement bound: m ≤ r − s − 2a = {optimum.replication} − "
                                                   f"{req.stragglers} − {2 * req.a} = {optimum.m}"))
                    continue
            elif item.exact and req.relays is None:
                try:
                    bound = min_computation_load(item.n, req.stragglers, m=item.m, a=req.a).min_load
                except InputError as exc:
                    pruned.append((item.command(), f"the trade-off bound: {exc}"))
                    continue
                if req.max_load is not None and bound > req.max_load:
                    pruned.append((item.command(), f"the trade-off bound needs d ≥ {bound} > {req.max_load}"))
                    continue
            if req.max_load is not None and item.load is not None and item.load > req.max_load:
                pruned.append((item.command(), f"load {item.load} > {req.max_load}"))
                continue
            kept.append(item)
    return kept, pruned


# ---------------------------------------------------------------------------------------------------------
# build, certify, score
# ---------------------------------------------------------------------------------------------------------
@dataclass
class _Cache:
    """Builds and certificates per parameter set (one call of :func:`advise`)."""

    codes: dict[tuple[str, tuple[tuple[str, Any], ...]], Any] = field(default_factory=dict)
    deferred: set[tuple[str, tuple[tuple[str, Any], ...]]] = field(default_factory=set)
    """The parameter sets whose builder skipped its own check (advise records the check in the code)."""
    certificates: dict[tuple[str, tuple[tuple[str, Any], ...], float | None], Any] = field(default_factory=dict)


def _build(candidate: Candidate, cache: _Cache) -> Any:
    """The code (cached); an InputError from the builder is kept and re-raised."""
    from gcli.constructions import SCHEMES
    from gcli.constructions._common import deferred_certification

    key = (candidate.scheme, candidate.params)
    if key not in cache.codes:
        try:
            # the builder's own check is skipped (SCHEMES[name](certify=False) does the same): _certify certifies
            # the code once, as gcli verify would
            with deferred_certification() as skipped:
                cache.codes[key] = SCHEMES[candidate.scheme](**candidate.kwargs)
            if skipped:
                cache.deferred.add(key)
        except InputError as exc:
            cache.codes[key] = exc
    hit = cache.codes[key]
    if isinstance(hit, InputError):
        raise hit
    return hit


def _certify(candidate: Candidate, code: Any, req: AdviceRequest, cache: _Cache) -> Any:
    """gcli's certificate of the code (cached): exhaustive when cheap, else the seeded sample ``gcli design``
    checks (:func:`gcli.constructions._common.certification_plan`); approximate codes also get their error at
    the request's p."""
    from gcli.certification.certificate import certify
    from gcli.code import Code

    p = req.p if (isinstance(code, Code) and not code.exact) else None
    key = (candidate.scheme, candidate.params, p)
    if key not in cache.certificates:
        if isinstance(code, Code):
            from gcli.constructions._common import certification_plan

            total, count = certification_plan(code)
            exhaustive = count == total
            screen = None
            if code.exact and count > PRESCREEN_SETS:
                # a few seeded sets first: one that does not decode rejects the code at once (the full pass would
                # find it too); real Reed-Solomon at n = 100 spent ~10 CPU-s per m in a removed-side pass to fail
                screen = certify(code, sample=PRESCREEN_SETS, seed=req.seed, budget=max(total, 1))
            if screen is not None and not screen.decodable:
                cache.certificates[key] = screen
            else:
                # the certificate gcli verify FILE computes (removed-side and orbit paths, claims re-checked); the
                # sample is the plan gcli design checks
                cache.certificates[key] = certify(code, sample=None if exhaustive else count, seed=req.seed,
                                                  budget=max(total, 1), force=exhaustive, failure_prob=p)
        else:
            cache.certificates[key] = certify(code, seed=req.seed)
    return cache.certificates[key]


def _record_check(code: Any, certificate: Any, seed: int) -> Any:
    """The code as ``gcli design`` writes it: a code whose builder skipped its own check gains the ``checked``
    block of :func:`gcli.constructions._common.certified`, from advise's certificate of the same sets."""
    from gcli.code import Code
    from gcli.constructions._common import checked_block

    if not isinstance(code, Code) or "checked" in code.construction:
        return code
    stability = certificate.stability
    return checked_block(
        code, exhaustive=certificate.exhaustive, sets=certificate.patterns_checked, total=certificate.patterns_total,
        seed=seed, failure_fraction_bound=certificate.failure_fraction_bound, confidence=certificate.confidence,
        worst_condition_number=None if stability is None else stability.worst_condition_number,
        max_residual=None if stability is None else stability.max_residual)


@dataclass(frozen=True)
class _Residuals:
    """What :func:`gcli.constructions._common.sampled_too_close` reads, from a certificate."""

    certificate: Any

    @property
    def exhaustive(self) -> bool:
        return bool(self.certificate.exhaustive)

    @property
    def max_residual(self) -> float:
        stability = self.certificate.stability
        return math.nan if stability is None else float(stability.max_residual)


def _checked(certificate: Any) -> str:
    if certificate.exhaustive:
        return f"all {certificate.patterns_total:,} sets"
    return f"{certificate.patterns_checked:,} of {certificate.patterns_total:,} sets (seed {certificate.sample_seed})"


def _time(code: Any, req: AdviceRequest, certificate: Any = None) -> float | None:
    """Mean simulated time per iteration: a flat code's or a hierarchical code's
    (:class:`gcli.training.simulation.HierarchicalScheme`), None for codes the simulator does not run. An exact
    code whose certificate checked every surviving set decodes from every n − s − 2a responders: the simulator
    is told so and solves only the smaller prefixes of its search (same times, fewer solves)."""
    from gcli.code import Code
    from gcli.hierarchical.codes import HierarchicalCode
    from gcli.training.simulation import Timing, iteration_times

    if not isinstance(code, Code | HierarchicalCode):
        return None
    parts = code.partitions if isinstance(code, HierarchicalCode) else code.k
    samples, timing = req.samples, Timing(req.compute_cost, req.comm_cost)
    if parts > samples:
        # more partitions than the data set has samples (an approximate code with k = 825 blocks, say): one sample
        # per partition at N/k of the cost each. The model is linear in the samples a worker holds, so this is the
        # same compute time per fraction of the data as for every other row
        samples, timing = parts, Timing(req.compute_cost * req.samples / parts, req.comm_cost)
    times = iteration_times(code, stragglers=req.delay, timing=timing,
                            iterations=req.rounds, seed=req.seed, samples=samples,
                            gradient_length=req.gradient_length,
                            decodes_from=_decodes_from(code, certificate) if isinstance(code, Code) else None)
    return float(times.mean())


def _decodes_from(code: Any, certificate: Any) -> int | None:
    """n − s − 2a when an exhaustive certificate of the code's own s and a says every such set decodes."""
    if (certificate is None or not code.exact or not certificate.exhaustive or not certificate.decodable
            or certificate.stragglers != code.s or certificate.adversaries != code.a):
        return None
    return int(code.responders)


def _worst_layer_condition(hierarchy: Any) -> float | None:
    """A real hierarchical code's κ: the largest worst condition number of its layers (the relays' decoding and
    each cluster's, as ``gcli verify`` prints them); None over GF(q), where decoding is exact."""
    layers = [hierarchy.relay_layer, *hierarchy.cluster_layers]
    values = [layer.worst_condition_number for layer in layers]
    if any(value is None for value in values):
        return None
    return float(max(values))


def _score(candidate: Candidate, code: Any, certificate: Any, req: AdviceRequest) -> Row:
    from gcli.bounds import min_computation_load
    from gcli.code import Code

    exact = bool(certificate.exact_claimed)
    n, k, d, m = certificate.n, certificate.k, certificate.d, certificate.m
    bound: int | None = None
    optimal_m: int | None = None
    if "placement" in candidate.kwargs:  # the load is the placement's: the bound is on the message
        optimal_m = req.placement_bound().m
    elif exact and isinstance(code, Code):
        bound = min_computation_load(n, code.s, k=k, m=m, a=code.a).min_load
    elif exact and certificate.hierarchy is not None:  # the two-layer bound verify checks (bound hierarchical)
        least = certificate.hierarchy.computation.get("min_load")
        bound = None if least is None else int(least)
    stability = certificate.stability
    worst_condition = None if stability is None else float(stability.worst_condition_number)
    float64_error = None if stability is None else float(stability.worst_relative_error)
    if worst_condition is None and certificate.hierarchy is not None:
        worst_condition = _worst_layer_condition(certificate.hierarchy)
    worst_error = expected_error = None
    approximation = certificate.approximation
    if not exact and approximation is not None:
        scale = float(k * m)  # the certificate's normalisation (relative errors)
        worst_error = float(approximation["worst_error"]) / scale
        if approximation.get("expected_error") is not None:
            expected_error = float(approximation["expected_error"]) / scale
    if exact:
        error = 0.0  # exact decoding; its float64 round-off is the float64_error field, its risk the conditioning
    else:
        error = expected_error if (req.p is not None and expected_error is not None) else (worst_error or 0.0)
    privacy = next((value for hook in PRIVACY_HOOK if (value := hook(code)) is not None), None)
    s = code.s if isinstance(code, Code) else int(certificate.stragglers)
    a = code.a if isinstance(code, Code) else int(certificate.adversaries)
    return Row(
        scheme=candidate.scheme, command=candidate.command(), params=candidate.kwargs, field=certificate.field,
        n=n, k=k, d=d, m=m, s=s, a=a, exact=exact, load_fraction=d / k, message_fraction=1 / m, bound_load=bound,
        gap=None if bound is None else d - bound, worst_condition=worst_condition, float64_error=float64_error,
        worst_error=worst_error, expected_error=expected_error, error=error, time=_time(code, req, certificate),
        checked=_checked(certificate), privacy=privacy, optimal_m=optimal_m, code=code,
    )


def _failure(certificate: Any) -> str:
    """Why a certificate fails, in one line: the surviving set that does not decode (with its residual and κ
    over the reals), or the claims of the file it does not confirm."""
    from gcli.defaults import set_text

    if certificate.failing_set is not None:
        where = set_text(certificate.failing_set, certificate.n)
        stability = certificate.stability
        figures = ""
        if stability is not None and stability.max_residual is not None:
            figures = f" (largest residual {stability.max_residual:.2g} of tolerance {certificate.tolerance:g})"
        return f"its certificate fails: the surviving set {where} does not decode{figures}"
    if not certificate.claims_ok:
        return "its certificate fails: the code's recorded claims do not hold"
    return "its certificate fails"


def _evaluate(candidate: Candidate, req: AdviceRequest, cache: _Cache) -> tuple[str, Any]:
    """Build, certify and score one candidate: ("row", Row), or ("refused" | "rejected" | "pruned", why)."""
    try:
        code = _build(candidate, cache)
    except InputError as exc:
        return "refused", " ".join(str(exc).split())
    try:
        certificate = _certify(candidate, code, req, cache)
    except InputError as exc:
        return "rejected", " ".join(str(exc).split())
    if not certificate.certified:
        return "rejected", _failure(certificate)
    from gcli.code import Code
    from gcli.constructions._common import finite_figures, sampled_too_close

    if (candidate.scheme, candidate.params) in cache.deferred:  # what the builder's own check would refuse
        stability = certificate.stability
        if (isinstance(code, Code) and code.is_real and stability is not None
                and not finite_figures(stability.worst_condition_number, stability.max_residual)):
            return "rejected", (f"worst condition number {stability.worst_condition_number:.3g} (largest residual "
                                f"{stability.max_residual:.2g}) is not finite")
        if isinstance(code, Code) and sampled_too_close(code, _Residuals(certificate)):
            return "rejected", "certified on a sample only, sampled residuals within 100x of the tolerance"
        code = _record_check(code, certificate, req.seed)
    stability = certificate.stability
    if (stability is not None and not certificate.exhaustive
            and not stability.worst_condition_number <= SAMPLED_KAPPA_LIMIT):
        return "rejected", (f"certified on a sample only, worst condition number "
                            f"{stability.worst_condition_number:.3g} > {SAMPLED_KAPPA_LIMIT:g}")
    if req.max_load is not None and certificate.d > req.max_load:
        return "pruned", f"load {certificate.d} > {req.max_load}"
    return "row", _score(candidate, code, certificate, req)


def _dominates(x: tuple[float, ...], y: tuple[float, ...]) -> bool:
    return all(a <= b for a, b in zip(x, y, strict=True)) and any(a < b for a, b in zip(x, y, strict=True))


def pareto_front(points: Sequence[tuple[float, ...]]) -> list[bool]:
    """For each point, whether no other point dominates it (≤ on every axis, < on one); NaN never dominates."""
    return [not any(_dominates(q, p) for j, q in enumerate(points) if j != i) for i, p in enumerate(points)]


_ORDER = {"load": 0, "communication": 1, "error": 2, "time": 4}


def _sort_key(row: Row, objective: str, with_time: bool) -> tuple[Any, ...]:
    """The objective's axis first (time falls back to load when no row has a time), then the other axes in
    order (load, message, error, conditioning, time), then the family and its parameters."""
    axes = row.axes(True)
    first = _ORDER[objective] if (with_time or objective != "time") else 0
    rest = [axes[i] for i in range(len(axes)) if i != first and (with_time or i != 4)]
    return (axes[first], *rest, row.scheme, row.command, row.field)


def _reasons(rows: list[Row], with_time: bool, req: AdviceRequest) -> None:
    """Why each row is on the table: the records it holds among the listed rows, else what dominates it."""

    def best(values: list[float | None]) -> float | None:
        finite = [v for v in values if v is not None and not math.isnan(v)]
        return min(finite) if finite else None

    low_load = best([r.load_fraction for r in rows])
    low_msg = best([r.message_fraction for r in rows])
    low_time = best([r.time for r in rows]) if with_time else None
    low_kappa = best([r.conditioning for r in rows if r.worst_condition is not None])
    approx = [r for r in rows if not r.exact]
    low_err = best([r.error for r in approx])
    axes = [r.axes(with_time) for r in rows]
    for i, row in enumerate(rows):
        why: list[str] = []
        if row.meets_bound:
            why.append("meets the bound")
        if row.time is not None and row.time == low_time:
            why.append("fastest")
        if row.load_fraction == low_load:
            why.append("lowest load")
        if row.message_fraction == low_msg and row.m > 1:
            why.append("smallest messages")
        if row.worst_condition is not None and row.conditioning == low_kappa:
            why.append("best conditioned")
        if row.exact and row.field != "real":
            why.append(f"exact over {row.field}")
        if row.privacy is not None:
            why.append("private relays" if row.privacy == 0 else "relays learn partial gradients")
        if not row.exact and row.error == low_err:
            why.append(f"lowest error at p = {req.p:g}" if req.p is not None else f"lowest error at s = {row.s}")
        if not row.pareto:
            by = next(j for j, other in enumerate(axes) if _dominates(other, axes[i]))
            why.append(f"dominated by #{by + 1}")
        elif not why:
            why.append("on the front")
        row.reasons = why


def advise(
    n: int | None = None,
    s: int | None = None,
    *,
    placement: str | os.PathLike[str] | Sequence[Sequence[int]] | None = None,
    p: float | None = None,
    a: int = 0,
    max_load: int | None = None,
    m: int = 1,
    max_message: float | None = None,
    field: str = "real",
    relays: int | None = None,
    cluster_sizes: Sequence[int] | None = None,
    delay_model: str | None = None,
    approximate: bool | None = None,
    objective: str = "time",
    seed: int = 0,
    rounds: int = 50,
    samples: int = 512,
    gradient_length: int = 17,
    compute_cost: float = 1.0,
    comm_cost: float = 1.0,
    families: Sequence[str] | None = None,
    jobs: int | None = None,
) -> Advice:
    """Every certified code for the request, scored, on one Pareto table (module docstring).

    Args:
        n: workers (all of them, with relays); with a placement its number of rows (n, if given, must agree).
        placement: the data placement, fixed (a JSON file or the rows, as ``gcli design universal --placement``
            reads them: row w lists the partitions worker w holds). Only codes on this placement are listed —
            ``universal`` at every m up to the placement's optimum r − s − 2a (r the least replication of a
            partition; larger m are pruned by that bound) —, the other families place data their own way and
            are pruned; the ``bound`` column is the least message 1/(r − s − 2a).
        s, p: stragglers to tolerate, or the failure rate (exact codes are then planned for s = ⌈p·n⌉, the
            approximate codes scored on their expected error at p, and the delay model is bernoulli:p).
        a: adversaries (per cluster with relays).
        max_load: the most partitions a worker may compute (d).
        m, max_message: messages of at most ℓ/m numbers, or at most this fraction of ℓ.
        field: ``real``, ``GF(q)`` or ``any`` (real and GF(q), q the least prime above n).
        relays, cluster_sizes: K relays and their cluster sizes (default n/K each): hierarchical codes.
        delay_model: the simulator's straggler model (``fixed:S[,F]``, ``bernoulli:P[,F]``, ``shifted-exp:…``).
        approximate: also consider approximate codes (default: when p is given).
        objective: ``time``, ``load``, ``communication`` or ``error``.
        seed: seeds the certificates' samples, the random constructions and the simulated rounds.
        rounds, samples, gradient_length, compute_cost, comm_cost: the time model (``gcli simulate``'s).
        families: only these registry families (default: all).
        jobs: candidates built and certified at once on threads (default: the cores this process may use);
            the result does not depend on it.

    Raises ImpossibleParameters (one line) for impossible requests and when no code fits (on a placement also
    when r − s − 2a < 1, when m exceeds r − s − 2a and when n disagrees with the placement).

    Example:
        >>> advice = advise(n=6, s=1, families=("frc", "crc"), rounds=5, objective="load")
        >>> [row.scheme for row in advice.rows], advice.chosen.meets_bound
        (['frc', 'crc'], True)
        >>> placed = advise(s=1, placement=[[0, 1], [1, 2], [2, 3], [3, 0], [0, 1, 2, 3]], field="GF(7)", rounds=5,
        ...                 objective="communication")
        >>> placed.chosen.m, placed.chosen.optimal_m, placed.chosen.command
        (2, 2, 'gcli design universal --field GF(7) -m 2 --placement FILE -s 1')
    """
    rows_given: tuple[tuple[int, ...], ...] | None = None
    name: str | None = None
    if placement is not None:
        from gcli.io.placements import placement_rows

        rows_given, _ = placement_rows(placement)
        if isinstance(placement, str | os.PathLike):
            name = os.fspath(placement)
        if n is not None and n != len(rows_given):
            raise ImpossibleParameters(f"the placement has {len(rows_given)} workers, but n = {n} was given")
        n = len(rows_given)
    if n is None:
        raise ImpossibleParameters("give the number of workers n (or a placement)")
    req = AdviceRequest(
        n=n, s=s, p=p, a=a, max_load=max_load, m=m, max_message=max_message, field=field, relays=relays,
        cluster_sizes=None if cluster_sizes is None else tuple(int(c) for c in cluster_sizes),
        delay_model=delay_model, approximate=approximate, objective=objective, seed=seed, rounds=rounds,
        samples=samples, gradient_length=gradient_length, compute_cost=compute_cost, comm_cost=comm_cost,
        families=None if families is None else tuple(families), placement=rows_given, placement_name=name,
    )
    req.check()
    kept, pruned = candidates(req)
    cache = _Cache()
    refused: list[tuple[str, str]] = []
    rejected: list[tuple[str, str]] = []
    rows: list[Row] = []
    if jobs is None:
        from gcli.certification.engine import default_jobs

        jobs = default_jobs()
    from gcli.certification.engine import blas_threads

    # one BLAS thread, as gcli verify runs: the candidate threads are the parallelism (no BLAS threads spinning
    # on a loaded machine), and the figures do not depend on the BLAS thread count
    with blas_threads(1):
        if jobs > 1 and len(kept) > 1:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=jobs) as pool:  # LAPACK releases the GIL; results in order
                outcomes = list(pool.map(lambda c: _evaluate(c, req, cache), kept))
        else:
            outcomes = [_evaluate(candidate, req, cache) for candidate in kept]
    for candidate, (kind, value) in zip(kept, outcomes, strict=True):
        if kind == "row":
            rows.append(value)
        else:
            {"refused": refused, "rejected": rejected, "pruned": pruned}[kind].append((candidate.command(), value))
    if not rows and req.placement is not None:  # say why: the placement leaves one family, often one reason
        why = next(iter(refused + rejected + pruned), ("", ""))
        raise ImpossibleParameters(
            f"no code fits on this placement: {len(pruned)} candidates pruned, {len(refused)} refused, "
            f"{len(rejected)} rejected" + (f" ({why[0]}: {why[1]})" if why[0] else ""))
    if not rows:
        raise ImpossibleParameters(
            f"no code fits: {len(pruned)} candidates pruned, {len(refused)} refused, {len(rejected)} rejected"
            + (" (try --allow-approximate)" if not req.allow_approximate else ""))
    with_time = all(row.time is not None for row in rows)
    front = pareto_front([row.axes(with_time) for row in rows])
    for row, on in zip(rows, front, strict=True):
        row.pareto = on
    rows.sort(key=lambda row: _sort_key(row, req.objective, with_time))
    _reasons(rows, with_time, req)
    return Advice(request=req, rows=rows, pruned=pruned, refused=refused, rejected=rejected, built=len(cache.codes))
