"""Numerical stability of real gradient codes: how well conditioned decoding is, and what it costs in float64.

For every surviving set F (|F| = n − s − 2a, all of them or a seeded sample) the report computes

* the 2-norm condition number of B_F on its row space, κ(B_F) = σ_max / σ_rank (rank: singular values above
  max(|F|, k·m)·ε·σ_max, numpy's ``matrix_rank`` rule) — the worst, its set, and the median over the sets;
* the relative decoding error for random gradients: partial gradients g_j with i.i.d. N(0, 1) entries (seeded,
  float64, length ℓ), messages f = B·g computed in float64, the least-squares decoder X_F = T·B_F⁺ applied to
  f_F, and ‖X_F f_F − Σ_j g_j‖₂ / ‖Σ_j g_j‖₂ — the worst, its set, and the median.

The decoder is the generic least-squares one for every code, so different constructions (Chebyshev or
equispaced Reed–Solomon points, Gaussian MDS generators, …) are compared on equal terms. Real Vandermonde
matrices are exponentially ill-conditioned in their size (Gautschi, Numer. Math. 1975 [Gautschi1975]; equispaced
nodes on
[−1, 1] give κ ≈ 4.6e3 at n = 10 and 2.7e8 at n = 20, whereas Gaussian n × n matrices have median κ of about
30 and 70), which is why Kadhe et al. (ISIT 2020) propose Gaussian MDS generators over polynomial codes.
"""

from __future__ import annotations

import itertools
import math
from concurrent.futures import Executor
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from gcli.certification.options import CertifyOptions
from gcli.certification.verification import DEFAULT_BUDGET, Pass, patterns_to_check, run_pass
from gcli.code import Code
from gcli.defaults import set_text
from gcli.errors import ImpossibleParameters, NotSupported
from gcli.fields.linalg import condition_numbers

__all__ = [
    "StabilityReport",
    "condition_numbers",
    "random_messages",
    "stability_report",
    "subset_condition_numbers",
]

_CHUNK = 4096


@dataclass(frozen=True)
class StabilityReport:
    """Condition numbers and float64 decoding errors over the surviving sets of a real code.

    ``median_over`` is the number of surviving sets the medians are taken over: every checked set up to
    :data:`MEDIAN_SAMPLE` of them, beyond that every stride-th set in enumeration order. ``condition_samples`` and
    ``error_samples`` are those per-set values (κ(B_F) and the relative float64 decoding error, in enumeration
    order), kept from the same pass for distributions and plots (:func:`gcli.plots.plot_certificate`); they are
    not part of the JSON."""

    n: int
    stragglers: int
    adversaries: int
    surviving_size: int
    patterns_checked: int
    patterns_total: int
    exhaustive: bool
    worst_condition_number: float
    worst_condition_set: list[int]
    median_condition_number: float
    worst_relative_error: float
    worst_relative_error_set: list[int]
    median_relative_error: float
    gradient_length: int
    gradient_seed: int
    sample_seed: int | None = None
    max_residual: float = 0.0
    max_residual_set: list[int] | None = None
    median_over: int = 0
    condition_samples: np.ndarray | None = field(default=None, repr=False, compare=False)
    error_samples: np.ndarray | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (non-finite numbers become the string ``"inf"`` or ``"nan"``; the sample arrays are
        left out)."""
        out = asdict(self)
        out.pop("condition_samples")
        out.pop("error_samples")
        for key, value in out.items():
            if isinstance(value, float) and not math.isfinite(value):
                out[key] = "nan" if math.isnan(value) else "inf"
        return out

    def summary(self) -> str:
        """Two human-readable lines."""
        kind = "all" if self.exhaustive else "a sample of"
        return (
            f"condition number over {kind} {self.patterns_checked} surviving sets: worst "
            f"{self.worst_condition_number:.4g} at {set_text(self.worst_condition_set, self.n)}, median "
            f"{self.median_condition_number:.4g}\n"
            f"float64 decoding of random gradients (ℓ={self.gradient_length}, seed {self.gradient_seed}): "
            f"worst relative error {self.worst_relative_error:.3g} at "
            f"{set_text(self.worst_relative_error_set, self.n)}, "
            f"median {self.median_relative_error:.3g}"
        )


MEDIAN_SAMPLE = 1_000_000
"""Medians are exact over up to this many surviving sets, and over every stride-th set beyond."""


def subset_condition_numbers(matrix: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Condition numbers of every ``size``-row submatrix of ``matrix`` (lexicographic order) and the subsets.

    E.g. ``subset_condition_numbers(np.vander(x, r, increasing=True), r)`` gives the r × r Vandermonde
    matrices on every r of the nodes x.
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    subsets = np.asarray(list(itertools.combinations(range(matrix.shape[0]), size)), dtype=np.int64)
    subsets = subsets.reshape(-1, size)
    conds = np.concatenate(
        [condition_numbers(matrix[subsets[i : i + _CHUNK]]) for i in range(0, len(subsets), _CHUNK)]
    )
    return conds, subsets


def random_messages(code: Code, seed: int, gradient_length: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Seeded i.i.d. N(0, 1) partial gradients (k × ℓ, ℓ = 16·m by default): the messages f = B·g (n × ℓ/m)
    and the true sum Σ_j g_j as m blocks (m × ℓ/m)."""
    ell = 16 * code.m if gradient_length is None else gradient_length
    if ell < code.m or ell % code.m:
        raise ImpossibleParameters(f"gradient length {ell} must be a positive multiple of m = {code.m}")
    grads = np.random.default_rng(seed).standard_normal((code.k, ell))
    enc = np.asarray(code.encoding, dtype=np.float64)
    sent = enc @ grads.reshape(code.k * code.m, ell // code.m)
    return sent, grads.sum(axis=0).reshape(code.m, ell // code.m)


def median_stride(patterns: int) -> int:
    """Keep every stride-th pattern's values for the medians (1 up to :data:`MEDIAN_SAMPLE` patterns)."""
    return max(1, -(-patterns // MEDIAN_SAMPLE))


def report_from_pass(code: Code, run: Pass, gradient_length: int, seed: int) -> StabilityReport:
    """The stability report of a pass that carried messages (see :func:`stability_report`)."""
    worst_c, worst_c_set = run.extreme("worst_condition", "worst_index")
    worst_e, worst_e_set = run.extreme("worst_error", "worst_error_index")
    max_res, max_res_set = run.extreme("max_residual", "max_residual_index")
    conds, errors = run.samples("condition_samples"), run.samples("error_samples")
    return StabilityReport(
        n=code.n,
        stragglers=run.stragglers,
        adversaries=run.adversaries,
        surviving_size=run.size,
        patterns_checked=run.checked,
        patterns_total=run.total,
        exhaustive=run.exhaustive,
        worst_condition_number=float(worst_c if worst_c is not None else math.nan),
        worst_condition_set=worst_c_set or [],
        median_condition_number=float(np.median(conds)) if conds.size else math.nan,
        worst_relative_error=float(worst_e if worst_e is not None else math.nan),
        worst_relative_error_set=worst_e_set or [],
        median_relative_error=float(np.median(errors)) if errors.size else math.nan,
        gradient_length=gradient_length,
        gradient_seed=seed,
        sample_seed=run.sample_seed,
        max_residual=float(max_res or 0.0),
        max_residual_set=max_res_set,
        median_over=int(conds.size),
        condition_samples=conds,
        error_samples=errors,
    )


def stability_report(
    code: Code,
    *,
    stragglers: int | None = None,
    adversaries: int | None = None,
    budget: int = DEFAULT_BUDGET,
    sample: int | None = None,
    seed: int = 0,
    force: bool = False,
    gradient_length: int | None = None,
    executor: Executor | None = None,
) -> StabilityReport:
    """The stability report of a real code over its surviving sets (module docstring), from one engine pass.

    Args:
        stragglers, adversaries: override the code's s and a (surviving sets have n − s − 2a workers).
        budget, force: refuse more than ``budget`` surviving sets unless ``sample`` or ``force``.
        sample: use this many seeded uniformly random surviving sets.
        seed: seeds both the sample and the random gradients.
        gradient_length: ℓ (a multiple of m; default 16·m).
        executor: run the pass on this executor (threads, processes, Dask).

    Example:
        >>> from gcli.constructions import reed_solomon
        >>> report = stability_report(reed_solomon(8, 2))
        >>> report.patterns_checked, report.worst_relative_error < 1e-10
        (28, True)
    """
    if not code.is_real:
        raise NotSupported("the stability report is for real codes (finite-field decoding is exact)")
    options = CertifyOptions(stragglers=stragglers, adversaries=adversaries, budget=budget, sample=sample, seed=seed,
                             force=force, gradient_length=gradient_length, executor=executor, all_failures=True)
    messages, truth = random_messages(code, options.seed, options.gradient_length)
    total = patterns_to_check(code, stragglers=stragglers, adversaries=adversaries, sample=sample)
    run = run_pass(code, options, messages=messages, truth=truth, stride=median_stride(total))
    return report_from_pass(code, run, truth.size, options.seed)


def describe_points(code: Code) -> str:
    """What the code's evaluation points / generator are, for comparison tables."""
    construction = code.construction
    if "points" in construction:
        return str(construction["points"])
    if isinstance(construction.get("linear_code"), dict):
        layout = "cyclic" if construction.get("placement") == "cyclic" else "groups"
        return f"{construction['linear_code'].get('family', '-')}, {layout}"
    if "evaluation_points" in construction:
        return "field elements"
    return "-"


def compare_rows(
    codes: list[tuple[str, Code]], *, sample: int | None = None, seed: int = 0, budget: int = DEFAULT_BUDGET,
    force: bool = False,
) -> list[dict[str, Any]]:
    """One row per code: scheme, field, n, s, m, points, worst/median κ, worst relative error (reals only)."""
    rows: list[dict[str, Any]] = []
    for name, code in codes:
        row: dict[str, Any] = {
            "file": name,
            "scheme": code.scheme,
            "field": code.field_name,
            "n": code.n,
            "s": code.s,
            "m": code.m,
            "a": code.a,
            "d": code.d,
            "points": describe_points(code),
        }
        if code.is_real:
            rep = stability_report(code, sample=sample, seed=seed, budget=budget, force=force)
            row.update(
                worst_condition_number=rep.worst_condition_number,
                median_condition_number=rep.median_condition_number,
                worst_relative_error=rep.worst_relative_error,
                patterns=rep.patterns_checked,
                exhaustive=rep.exhaustive,
            )
        else:
            row.update(worst_condition_number=None, median_condition_number=None, worst_relative_error=0.0,
                       patterns=None, exhaustive=None)
        rows.append(row)
    return rows


def format_table(rows: list[dict[str, Any]]) -> str:
    """A plain-text table of :func:`compare_rows` (finite fields decode exactly: κ shown as ``exact``)."""
    header = ["file", "scheme", "field", "n", "s", "m", "a", "d", "points", "worst cond", "median cond",
              "worst rel err"]

    def num(value: Any, fmt: str) -> str:
        if value is None:
            return "exact"
        return format(value, fmt) if math.isfinite(value) else "inf"

    body = [
        [str(r["file"]), r["scheme"], r["field"], *(str(r[key]) for key in ("n", "s", "m", "a", "d")),
         r["points"], num(r["worst_condition_number"], ".3e"), num(r["median_condition_number"], ".3e"),
         num(r["worst_relative_error"], ".2e")]
        for r in rows
    ]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
             for line in [header, *body]]
    return "\n".join(lines)
