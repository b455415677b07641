"""Bounds on the error of approximate gradient codes, exact rationals where the mathematics is rational.

Notation (gcli's conventions, after Tandon et al., ICML 2017, and Ye & Abbe, ICML 2018): n workers, k partitions, m
sub-vectors per partition, B the n × k·m encoding, T the
m × k·m target, F the responders (|F| = n − s), H_j the holders of partition j (r_j = |H_j| its replication), and
error(F, X) = ‖X·B_F − T‖_F² for a decoder X (m × |F|); the optimal (least-squares) decoder reaches
E*(F) = min_X error(F, X). Each bound says which measured quantity it bounds (``applies_to``: ``"worst:optimal"``,
``"worst:fixed"``, ``"worst:any"`` (every decoder), ``"mean:any"``, ``"every:optimal"``, ``"expected:unbiased"``
(the expected error of an unbiased decoder X₀[:, F]/(1 − p) with one fixed X₀)),
and the tests check every one against exhaustive computation.

**Closed form (symmetric BIBD, m = 1).** For B = c·Nᵀ of a symmetric 2-(n, k, λ) design the least-squares error is
n − k²(n−s)/(k + λ(n−s−1)) for *every* F (:func:`gcli.structures.spectra.symmetric_design_error`, Kadhe et al.,
ISIT 2019): an exact value, so adversarial and random stragglers cost the same.

**Expander bound (Raviv, Tamo, Tandon, Dimakis, ICML 2018), graph codes B = A/d, m = 1.** Let A be the adjacency of
a d-regular graph with second largest eigenvalue modulus λ, u_F = (n/(n−s))·1_F the fixed decoder. Write
1_F = ((n−s)/n)·1 + v with v ⊥ 1 and ‖v‖² = s(n−s)/n. Since A·1 = d·1,

    u_Fᵀ B − 1ᵀ = (n/((n−s)d))·vᵀA,  so  ‖u_Fᵀ B − 1ᵀ‖² ≤ (n/((n−s)d))²·λ²·‖v‖² = (λ/d)²·n·s/(n−s),

as A is symmetric and v lies in the span of the non-trivial eigenvectors. It bounds the fixed decoder, hence the
optimal one. With loops (B = (A + I)/(d + 1)) the same argument holds for A + I: d + 1 and λ' = max(|λ₂+1|,
|λ_min+1|).

**Glasgow–Wootters adversarial bound (IEEE JSAIT 2021), m = 1.** Let S be a biregular 0/1 support (every partition
on exactly r workers, every worker holding the same number of partitions) and σ₂ its second singular value. The
decoder w = (n/(r(n−s)))·1_F applied to S satisfies the same computation with A = Sᵀ: Sᵀ1 = r·1, 1 is the top
right singular vector of Sᵀ (constant row and column sums), v ⊥ 1 gives ‖Sᵀv‖ ≤ σ₂‖v‖, hence

    ‖Sᵀw − 1‖² ≤ σ₂²·n·s/((n−s)·r²).

It bounds the optimal error of any code B = c·S and the fixed error of the graph codes (whose fixed decoder is this
w). For a graph's adjacency σ₂ = λ (the expander bound again); for the "graph scheme" (workers = edges, partitions
= vertices of a d-regular graph) σ₂² = d + λ₂; for a 2-(v, k, λ) design σ₂² = r − λ.

**Eckart–Young lower bound (any decoder, any encoding on a given support).** Block j of X·B_F is
Σ_{i ∈ F∩H_j} x_i·(B[i, block j]), of rank at most |F ∩ H_j|, and block j of T is I_m. The best approximation of
I_m of rank ρ leaves m − ρ unit singular values (Eckart–Young–Mirsky), so

    error(F, X) ≥ Σ_j max(0, m − |F ∩ H_j|).

:func:`eckart_young_bound` maximises it over the straggler sets of a support (exhaustively, or greedily: any
straggler set gives a valid bound on the worst error). :func:`eckart_young_any_scheme` bounds *every* scheme with
n workers, k partitions and load d: with F uniform among the (n−s)-subsets, E[error] ≥ Σ_j f(r_j), f(r) =
E[max(0, m − X)] for X hypergeometric (population n, r marked, n − s drawn). f is convex and non-increasing in r
(adding a marked element adds 1 to X exactly when it is drawn, with probability (n−s)/n, and conditionally on
that X is hypergeometric with one marked element fewer drawn from one fewer, so f(r) − f(r+1) =
((n−s)/n)·P(X' < m) decreases with r), and Σ_j r_j ≤ n·d, so the balanced replication minimises Σ_j f(r_j): a
lower bound on the *mean* error over the straggler sets of any scheme, hence on its worst error. For the worst error
the pigeonhole argument adds: some partition has r_j ≤ ⌊nd/k⌋, and an adversary can straggle its holders.

**Unbiased fixed-decoder schemes.** A fixed linear decoder ĝ = (1/(1−p))·Σ_{i∈F} x_i f_i — the decoder
X₀[:, F]/(1 − p) for one matrix X₀ whatever the responders F — is unbiased under i.i.d. failures
with probability p iff X·B = T, and then its expected error is (p/(1−p))·Σ_i ‖x_i‖²‖b_i‖². On a support, X·B = T
means X[:, H_j]·C_j = I_m for the block C_j of partition j; rescaling x_i to unit norm (and b_i inversely, which
keeps each x_i b_iᵀ) gives Σ_i ‖x_i‖²‖b_i‖² = Σ_j ‖C̃_j‖_F² ≥ Σ_j ‖X̃_{H_j}⁺‖_F² = Σ_j tr((X̃X̃ᵀ)⁻¹) ≥ Σ_j m²/r_j
(the eigenvalues of X̃X̃ᵀ sum to r_j; AM–HM). So every unbiased fixed-decoder scheme on the support has expected
error ≥ (p/(1−p))·m²·Σ_j 1/r_j (:func:`unbiased_lower_bound`), attained by tight frames; balanced replication
minimises it over the supports of load d (:func:`unbiased_lower_bound_any_scheme`). The bound is for this form of
decoder only: a decoder that depends on who responds can be unbiased with a smaller expected error. Fractional
repetition with n = 6, d = 3, p = 1/10 (two groups of three workers, each sending its group's sum; the server
takes one responder per group and scales it by 1/(1 − p³)) is exactly unbiased with expected error
6p³/(1 − p³) = 2/333, below the bound (p/(1−p))·6/3 = 2/9 (``tests/test_false_statements.py``).

Values are :class:`fractions.Fraction` when rational (shown as ``p/q``), floats otherwise (irrational eigenvalues);
nothing here imports numpy except :func:`eckart_young_bound` (inside the function).

Example (the Fano plane; the symmetric-BIBD closed form of Kadhe et al., ISIT 2019 [Kadhe2019]):
    >>> [symmetric_bibd_error(7, 3, 1, s).text for s in range(5)]
    ['0', '1/4', '4/7', '1', '8/5']
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gcli.errors import ImpossibleParameters

from ._exact import Fraction, text, to_sympy

if TYPE_CHECKING:
    import numpy as np
    import sympy

__all__ = [
    "ApproxBound",
    "ApproxTable",
    "any_scheme_error_table",
    "bibd_error_table",
    "eckart_young_any_scheme",
    "eckart_young_bound",
    "expander_bound",
    "glasgow_wootters_bound",
    "hypergeometric_deficit",
    "srg_error_table",
    "straggler_range",
    "symmetric_bibd_error",
    "unbiased_lower_bound",
    "unbiased_lower_bound_any_scheme",
]

Number = Fraction | float

_REFS = {
    "kadhe": "Kadhe, Koyluoglu, Ramchandran, ISIT 2019",
    "raviv": "Raviv, Tamo, Tandon, Dimakis, ICML 2018",
    "gw": "Glasgow and Wootters, IEEE JSAIT 2021",
    "ey": "Eckart-Young-Mirsky on each partition's m columns",
    "unbiased": "unbiased fixed decoders: (p/(1-p)) sum_i |x_i|^2 |b_i|^2 >= (p/(1-p)) m^2 sum_j 1/r_j",
}


@dataclass(frozen=True)
class ApproxBound:
    """One bound: its name, kind (``upper``, ``lower`` or ``exact``), the quantities it bounds, its value.

    ``value`` is a Fraction when rational (``exact_value`` gives the sympy Rational), else a float."""

    name: str
    kind: str
    applies_to: tuple[str, ...]
    value: Number
    formula: str
    reference: str
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def exact_value(self) -> sympy.Rational | None:
        """The value as a sympy Rational, or None when it is irrational."""
        return to_sympy(self.value) if isinstance(self.value, Fraction) else None

    @property
    def text(self) -> str:
        """``p/q`` for a rational value, else the float with 6 significant digits."""
        return text(self.value) if isinstance(self.value, Fraction) else f"{self.value:.6g}"

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict: the float value, and the exact text when rational."""
        return {
            "name": self.name,
            "kind": self.kind,
            "applies_to": list(self.applies_to),
            "value": float(self.value),
            "exact": text(self.value) if isinstance(self.value, Fraction) else None,
            "formula": self.formula,
            "reference": self.reference,
            **self.details,
        }


def _check_s(n: int, s: int) -> None:
    if n < 1:
        raise ImpossibleParameters(f"need n ≥ 1 workers (got {n})")
    if not 0 <= s < n:
        raise ImpossibleParameters(f"the straggler count s must satisfy 0 ≤ s < n = {n} (got {s})")


def symmetric_bibd_error(v: int, k: int, lam: int, s: int) -> ApproxBound:
    """The exact least-squares error of a symmetric 2-(v, k, λ) design code (m = 1) for every set of v − s
    responders, with the constant decoder weight a in ``details``."""
    from gcli.structures.spectra import symmetric_design_error

    _check_s(v, s)
    if lam * (v - 1) != k * (k - 1):
        raise ImpossibleParameters(
            f"({v}, {k}, {lam}) is not the parameter set of a symmetric design (λ(v−1) ≠ k(k−1))")
    weight, error = symmetric_design_error(v, k, lam, s)
    return ApproxBound("symmetric_bibd", "exact", ("every:optimal",), error,
                       "n - k^2 (n-s)/(k + lambda (n-s-1))", _REFS["kadhe"], {"weight": text(weight)})


def expander_bound(n: int, s: int, degree: int, modulus_squared: Number) -> ApproxBound:
    """(λ/d)²·n·s/(n−s) for B = A/d of a d-regular graph, λ² = ``modulus_squared`` (fixed decoder n/(n−s))."""
    _check_s(n, s)
    value = modulus_squared * Fraction(n * s, (n - s) * degree * degree) if isinstance(modulus_squared, Fraction) \
        else float(modulus_squared) * n * s / ((n - s) * degree * degree)
    return ApproxBound("expander", "upper", ("worst:fixed", "worst:optimal"), value,
                       "(lambda/d)^2 n s/(n-s)", _REFS["raviv"])


def glasgow_wootters_bound(n: int, s: int, replication: int, sigma2_squared: Number,
                     fixed_is_this_decoder: bool = False) -> ApproxBound:
    """σ₂²·n·s/((n−s)·r²) for a biregular support with replication r (the decoder n/(r(n−s)) on the support)."""
    _check_s(n, s)
    scale = Fraction(n * s, (n - s) * replication * replication)
    value = sigma2_squared * scale if isinstance(sigma2_squared, Fraction) else float(sigma2_squared) * float(scale)
    applies = ("worst:fixed", "worst:optimal") if fixed_is_this_decoder else ("worst:optimal",)
    return ApproxBound("glasgow_wootters", "upper", applies, value, "sigma_2^2 n s/((n-s) r^2)", _REFS["gw"])


def hypergeometric_deficit(n: int, r: int, drawn: int, m: int) -> Fraction:
    """E[max(0, m − X)] for X hypergeometric: r marked among n, ``drawn`` drawn (exact)."""
    total = math.comb(n, drawn)
    acc = 0
    for x in range(0, min(m, r + 1, drawn + 1)):
        acc += (m - x) * math.comb(r, x) * math.comb(n - r, drawn - x)
    return Fraction(acc, total)


def eckart_young_any_scheme(n: int, k: int, d: int, m: int, s: int) -> tuple[ApproxBound, ApproxBound]:
    """Lower bounds on the mean and on the worst error over the sets of n − s responders, for *every* scheme
    with n workers, k partitions, load ≤ d and communication reduction m (module docstring)."""
    _check_s(n, s)
    if min(k, d, m) < 1:
        raise ImpossibleParameters(f"need k, d, m ≥ 1 (got k={k}, d={d}, m={m})")
    total = min(n * d, n * k)
    low, high = divmod(total, k)
    mean = (k - high) * hypergeometric_deficit(n, low, n - s, m)
    if high:
        mean += high * hypergeometric_deficit(n, low + 1, n - s, m)
    pigeon = Fraction(max(0, m - max(0, low - s)))
    worst = max(mean, pigeon)
    details = {"replication": [low, low + 1] if high else [low], "n": n, "k": k, "d": d, "m": m}
    return (
        ApproxBound("eckart_young_any_scheme_mean", "lower", ("mean:any",), mean,
                    "sum_j E[max(0, m - |F cap H_j|)], balanced replication", _REFS["ey"], details),
        ApproxBound("eckart_young_any_scheme", "lower", ("worst:any",), worst,
                    "max(mean bound, max(0, m - max(0, floor(nd/k) - s)))", _REFS["ey"], details),
    )


def unbiased_lower_bound(p: Fraction, m: int, replications: Sequence[int]) -> ApproxBound:
    """(p/(1−p))·m²·Σ_j 1/r_j: a lower bound on the expected error of every unbiased scheme on a support whose
    decoder is X₀[:, F]/(1 − p) for one fixed X₀ (not of responder-dependent decoders: module docstring)."""
    p = Fraction(p)
    if not 0 < p < 1:
        raise ImpossibleParameters(f"the failure probability must lie in (0, 1) (got {p})")
    if min(replications, default=1) < m:
        raise ImpossibleParameters(f"a partition held by fewer than m = {m} workers admits no unbiased linear decoder")
    value = p / (1 - p) * m * m * sum((Fraction(1, r) for r in replications), Fraction(0))
    return ApproxBound("unbiased_lower", "lower", ("expected:unbiased",), value,
                       "(p/(1-p)) m^2 sum_j 1/r_j", _REFS["unbiased"])


def unbiased_lower_bound_any_scheme(n: int, k: int, d: int, m: int, p: Fraction) -> ApproxBound:
    """:func:`unbiased_lower_bound` minimised over the supports of load ≤ d (balanced replication, as 1/r is convex):
    the expected error of every unbiased scheme with decoder X₀[:, F]/(1 − p) and n workers, k partitions, load ≤ d."""
    total = min(n * d, n * k)
    low, high = divmod(total, k)
    if low < m:
        raise ImpossibleParameters(
            f"with load d = {d} some partition is on at most {low} < m = {m} workers: no unbiased "
            "linear scheme exists")
    bound = unbiased_lower_bound(p, m, [low] * (k - high) + [low + 1] * high)
    return ApproxBound("unbiased_fixed_decoder_any_support", "lower", bound.applies_to, bound.value,
                       "(p/(1-p)) m^2 sum_j 1/r_j, balanced replication", _REFS["unbiased"])


def eckart_young_bound(support: np.ndarray, m: int, s: int, budget: int = 200_000) -> ApproxBound:
    """max over straggler sets Z (|Z| = s) of Σ_j max(0, m − |H_j ∖ Z|) for a 0/1 worker × partition support.

    Exhaustive when C(n, s) ≤ ``budget``, else greedy (any straggler set gives a valid lower bound on the worst
    error); ``details`` holds the straggler set and the method."""
    import itertools

    import numpy as np

    held = np.asarray(support) != 0
    n, _ = held.shape
    _check_s(n, s)
    replication = held.sum(axis=0).astype(np.int64)
    matrix = held.astype(np.int64)

    def value(counts: np.ndarray) -> np.ndarray:
        return np.maximum(0, m - (replication - counts)).sum(axis=-1)

    if math.comb(n, s) <= budget:
        best, where = -1, ()
        combos = itertools.combinations(range(n), s)
        while True:
            chunk = np.fromiter(itertools.chain.from_iterable(itertools.islice(combos, 4096)), dtype=np.int64)
            if chunk.size == 0 and best >= 0:
                break
            rows = chunk.reshape(-1, s) if s else np.zeros((1, 0), dtype=np.int64)
            counts = matrix[rows].sum(axis=1)
            vals = value(counts)
            j = int(np.argmax(vals))
            if vals[j] > best:
                best, where = int(vals[j]), tuple(int(x) for x in rows[j])
            if s == 0:
                break
        method = "exhaustive"
    else:
        chosen: list[int] = []
        removed = np.zeros(held.shape[1], dtype=np.int64)
        alive = np.ones(n, dtype=bool)
        for _ in range(s):
            remaining = replication - removed
            weight = np.where(remaining > 0, 2.0 ** -np.maximum(remaining - m, 0), 0.0)
            gains = matrix @ weight
            gains[~alive] = -1.0
            i = int(np.argmax(gains))
            chosen.append(i)
            alive[i] = False
            removed += matrix[i]
        best, where = int(value(removed)), tuple(sorted(chosen))
        method = "greedy"
    return ApproxBound("eckart_young", "lower", ("worst:any",), Fraction(best),
                       "max over straggler sets of sum_j max(0, m - |F cap H_j|)", _REFS["ey"],
                       {"stragglers": list(where), "method": method})


# ---------------------------------------------------------------------------------------------------------
# tables for ``gcli bound approx``
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ApproxTable:
    """The bounds of one structure (or of every scheme with given n, k, d, m) for a range of straggler counts."""

    title: str
    n: int
    k: int
    d: int
    m: int
    failure_prob: Fraction | None
    rows: list[tuple[int, list[ApproxBound]]]
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict: one row per s with every bound."""
        return {
            "structure": self.title, "n": self.n, "k": self.k, "d": self.d, "m": self.m,
            "failure_prob": None if self.failure_prob is None else text(self.failure_prob),
            "rows": [{"s": s, "bounds": [b.to_json() for b in bounds]} for s, bounds in self.rows],
            "notes": self.notes,
        }

    def text_table(self) -> str:
        """A plain-text table (exact values as p/q, with a decimal when not an integer)."""
        names: list[str] = []
        for _, bounds in self.rows:
            for b in bounds:
                if b.name not in names:
                    names.append(b.name)
        sign = {}
        for _, bounds in self.rows:
            for b in bounds:
                sign[b.name] = {"upper": "<=", "lower": ">=", "exact": "=", "reference": "~"}[b.kind]
        header = ["s", *[f"{name} {sign[name]}" for name in names]]
        body = []
        for s, bounds in self.rows:
            cells = {b.name: _cell(b) for b in bounds}
            body.append([str(s), *[cells.get(name, "-") for name in names]])
        widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
        lines = [f"{self.title}: n = {self.n} workers, k = {self.k} partitions, load d = {self.d}, m = {self.m}"
                 + ("" if self.failure_prob is None else f", p = {text(self.failure_prob)}")]
        lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
                  for row in [header, *body]]
        lines += self.notes
        return "\n".join(lines)


def _cell(b: ApproxBound) -> str:
    if isinstance(b.value, Fraction):
        exact = text(b.value)
        return exact if b.value.denominator == 1 else f"{exact} = {float(b.value):.4f}"
    return f"{b.value:.4f}"


MAX_ROWS = 1000
"""Most straggler counts (rows) one bound table shows: the default range stops there, longer ranges are refused."""


def _check_sizes(workers: int, partitions: int) -> None:
    """The tables list per-partition replications: workers and partitions within ``max_workers`` (gcli.io.limits)."""
    from gcli.io.limits import check

    check("max_workers", workers, "the structure's workers")
    check("max_workers", partitions, "the structure's partitions")


def straggler_range(spec: str | None, n: int, default_top: int) -> list[int]:
    """Parse ``"S"``, ``"A-B"`` or ``"A,B,C"`` (default 0..min(n−1, default_top)); InputError outside 0..n−1."""
    if spec is None:
        return list(range(0, min(n - 1, default_top, MAX_ROWS - 1) + 1))
    spans: list[tuple[int, int]] = []
    try:
        for part in spec.split(","):
            if "-" in part.strip()[1:]:
                low, high = part.split("-", 1)
                spans.append((int(low), int(high)))
            else:
                spans.append((int(part), int(part)))
    except ValueError:
        raise ImpossibleParameters(f"-s takes S, A-B or A,B,C (got {spec!r})") from None
    if any(not 0 <= low <= high < n for low, high in spans if low <= high):
        raise ImpossibleParameters(f"straggler counts must lie in 0..{n - 1} (got {spec!r})")
    if sum(max(0, high - low + 1) for low, high in spans) > MAX_ROWS:
        raise ImpossibleParameters(f"a table has at most {MAX_ROWS} straggler counts (got {spec!r})")
    values = [s for low, high in spans for s in range(low, high + 1)]
    bad = [s for s in values if not 0 <= s < n]
    if bad or not values:
        raise ImpossibleParameters(f"straggler counts must lie in 0..{n - 1} (got {spec!r})")
    return sorted(set(values))


def _unbiased_note(p: Fraction | None, name: str) -> list[str]:
    """The scope of the unbiased bound ``name``, printed under every table that shows it."""
    if p is None:
        return []
    return [f"{name}: expected error of unbiased schemes whose decoder is X0[:, F]/(1 - p) for one fixed X0; "
            "a decoder that depends on who responds can do better"]


def _common(n: int, k: int, d: int, m: int, s: int, p: Fraction | None,
            replications: Sequence[int] | None) -> list[ApproxBound]:
    found = [*eckart_young_any_scheme(n, k, d, m, s)[::-1]]
    if p is not None:
        if replications is not None:
            found.append(unbiased_lower_bound(p, m, replications))
        else:
            found.append(unbiased_lower_bound_any_scheme(n, k, d, m, p))
    return found


def _probability(p: str | float | Fraction | None) -> Fraction | None:
    if p is None:
        return None
    try:
        value = Fraction(str(p)) if not isinstance(p, Fraction) else p
    except (ValueError, ZeroDivisionError):
        raise ImpossibleParameters(f"the failure probability must be a number in (0, 1) (got {p!r})") from None
    if not 0 < value < 1:
        raise ImpossibleParameters(f"the failure probability must lie strictly between 0 and 1 (got {p})")
    return value


def bibd_error_table(v: int, k: int, lam: int = 1, *, m: int = 1, transpose: bool = False,
                     stragglers: str | None = None,
                     failure_prob: str | float | Fraction | None = None) -> ApproxTable:
    """Bounds for the codes on a 2-(v, k, λ) design's support (workers = blocks, or points with ``transpose``):
    the symmetric closed form (m = 1), Glasgow–Wootters with σ₂² = r − λ (m = 1), Eckart–Young for every scheme
    with the same n, k, d, m, and the lower bound (p/(1−p))·m²·Σ_j 1/r_j on this support for unbiased decoders
    X₀[:, F]/(1 − p).

    Example:
        >>> t = bibd_error_table(7, 3, 1, stragglers="4")
        >>> [(b.name, b.text) for b in t.rows[0][1]][:2]
        [('symmetric_bibd', '8/5'), ('glasgow_wootters', '56/27')]
    """
    from .existence import bibd_necessary_conditions

    if k < 2 or k >= v or lam < 1:
        raise ImpossibleParameters(f"need 2 ≤ k < v and λ ≥ 1 (got v={v}, k={k}, λ={lam})")
    reason = bibd_necessary_conditions(v, k, lam)
    if reason is not None:
        raise ImpossibleParameters(f"no 2-({v},{k},{lam}) design exists: {reason}")
    r = lam * (v - 1) // (k - 1)
    b = v * r // k
    n, parts, load, replication = (v, b, r, k) if transpose else (b, v, k, r)
    _check_sizes(n, parts)
    if m > replication:
        raise ImpossibleParameters(
            f"m = {m} exceeds the replication {replication}: some partition would have fewer than m "
            "holders")
    p = _probability(failure_prob)
    rows = []
    for s in straggler_range(stragglers, n, replication + 2):
        found: list[ApproxBound] = []
        if m == 1 and b == v:
            found.append(symmetric_bibd_error(v, k, lam, s))
        if m == 1:
            found.append(glasgow_wootters_bound(n, s, replication, Fraction(r - lam)))
        found += _common(n, parts, load, m, s, p, [replication] * parts)
        rows.append((s, found))
    layout = "workers = points" if transpose else "workers = blocks"
    notes = ["symmetric_bibd: least-squares error of B = c N^T for every set of n - s responders (m = 1)"] \
        if m == 1 and b == v else []
    return ApproxTable(f"2-({v},{k},{lam}) design, {layout}", n, parts, load, m, p, rows,
                       notes + _unbiased_note(p, "unbiased_lower"))


def srg_error_table(v: int, k: int, lam: int, mu: int, *, m: int = 1, loops: bool = False, incidence: bool = False,
              stragglers: str | None = None, failure_prob: str | float | Fraction | None = None) -> ApproxTable:
    """Bounds for the codes of an srg(v, k, λ, μ): the expander bound (λ_max/k)²·ns/(n−s) (= Glasgow–Wootters for
    an adjacency) for B = A/k with the fixed decoder, Raviv et al.'s reference curve s/k, Eckart–Young for every
    scheme with the same n, k, d, m, and the lower bound on this support for unbiased decoders X₀[:, F]/(1 − p).
    ``incidence``: workers are the
    v·k/2 edges (Glasgow–Wootters graph scheme, σ₂² = k + r)."""
    from gcli.structures.spectra import srg_eigenvalues

    from .existence import srg_feasibility

    reason = srg_feasibility(v, k, lam, mu)
    if reason is not None:
        raise ImpossibleParameters(f"no srg({v},{k},{lam},{mu}) exists: {reason}")
    e = srg_eigenvalues(v, k, lam, mu)
    shift = 1 if loops else 0
    if e.r is not None and e.s is not None:
        modulus_sq: Number = max(abs(e.r + shift), abs(e.s + shift)) ** 2
        top: Number = k + e.r
    else:
        modulus_sq = max(abs(e.value("r") + shift), abs(e.value("s") + shift)) ** 2
        top = k + e.value("r")
    if incidence and loops:
        raise ImpossibleParameters("--incidence and --loops do not combine")
    if incidence:
        if (v * k) % 2:
            raise ImpossibleParameters("v·k must be even for the edges of a k-regular graph")
        n, parts, load, replication = v * k // 2, v, 2, k
    else:
        n, parts, load, replication = v, v, k + shift, k + shift
    _check_sizes(n, parts)
    if m > replication:
        raise ImpossibleParameters(f"m = {m} exceeds the replication {replication}")
    p = _probability(failure_prob)
    rows = []
    for s in straggler_range(stragglers, n, replication + 2):
        found: list[ApproxBound] = []
        if m == 1 and incidence:
            found.append(glasgow_wootters_bound(n, s, replication, top, fixed_is_this_decoder=True))
        elif m == 1:
            found.append(expander_bound(n, s, replication, modulus_sq))
            found.append(glasgow_wootters_bound(n, s, replication, modulus_sq, fixed_is_this_decoder=True))
        found += _common(n, parts, load, m, s, p, [replication] * parts)
        if m == 1 and not incidence:
            found.append(ApproxBound("raviv_curve_s_over_d", "reference", (), Fraction(s, replication), "s/d",
                                     _REFS["raviv"] + " (plotted for s >= d; not a proven bound)"))
        rows.append((s, found))
    what = "edges" if incidence else ("vertices, with loops" if loops else "vertices")
    notes = ["raviv_curve_s_over_d: the squared lower-bound curve of Raviv et al.'s script, meaningful for s >= d "
             "only (not checked as a bound)"] if m == 1 and not incidence else []
    return ApproxTable(f"srg({v},{k},{lam},{mu}), workers = {what}", n, parts, load, m, p, rows,
                       notes + _unbiased_note(p, "unbiased_lower"))


def any_scheme_error_table(n: int, k: int, d: int, *, m: int = 1, stragglers: str | None = None,
                     failure_prob: str | float | Fraction | None = None) -> ApproxTable:
    """Lower bounds for every scheme with n workers, k partitions, load ≤ d and reduction m (Eckart–Young over
    straggler sets, minimised over supports) and, with a failure probability, for every unbiased scheme whose
    decoder is X₀[:, F]/(1 − p) (balanced replication; responder-dependent decoders can do better)."""
    if n < 2 or k < 1 or d < 1 or m < 1:
        raise ImpossibleParameters(f"need n ≥ 2, k ≥ 1, d ≥ 1, m ≥ 1 (got n={n}, k={k}, d={d}, m={m})")
    p = _probability(failure_prob)
    top = min(n * d, n * k) // k
    rows = [(s, _common(n, k, d, m, s, p, None)) for s in straggler_range(stragglers, n, top + 2)]
    return ApproxTable("any scheme", n, k, d, m, p, rows, _unbiased_note(p, "unbiased_fixed_decoder_any_support"))
