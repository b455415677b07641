"""Communication-efficient approximate gradient codes on any worker × partition support (m ≥ 1).

The seed (Munim & Ramamoorthy, "Communication-Efficient Approximate Gradient Coding", arXiv:2603.22514, 2026)
builds codes in which every worker sends ℓ/m symbols on the supports of bipartite graphs, designs and strongly
regular graphs, "with randomization and algebraic constraints", so that the natural decoder is unbiased under
random failures. Its matrices are not in gcli's reference; the schemes below are designed from that description
(Munim & Ramamoorthy 2026 [Munim2026], abstract) and every property claimed here is certified by exhaustive
computation (``gcli verify``). Notation:
S the n × k 0/1 support, H_j = {i : S[i, j] = 1} the holders of partition j, r_j = |H_j|, B the n × k·m encoding
(block j = columns j·m..j·m+m−1), T the m × k·m target (block j of T is I_m), x_i the columns of a decoder X.

**(a) Unbiased null-space codes** (``method="nullspace"``). Fix X (m × n) such that every X_{H_j} = X[:, H_j] has
rank m (so r_j ≥ m), and set block j of B, on the rows H_j, to

    C_j = X_{H_j}⁺ + N_j Z_j  (N_j a basis of null(X_{H_j}), Z_j arbitrary),

zero elsewhere (the support is S). Then (X·B)_j = X_{H_j} C_j = I_m, i.e. **X·B = T**.

*Unbiasedness.* If worker i responds independently with probability 1 − p (z_i ~ Bernoulli(1 − p)) and the server
forms ĝ = (1/(1−p))·Σ_i z_i x_i f_i, then E[ĝ] = Σ_i x_i f_i = X·B·g = T·g = Σ_j g_j (block by block): the
estimate is unbiased. Over uniformly random sets of n − s responders the fixed decoder (n/(n−s))·X_F is unbiased
for the same reason (each worker responds with probability (n−s)/n).

*Expected error.* ĝ − Tg = Σ_i (z_i/(1−p) − 1)·x_i b_iᵀ g with independent centred coefficients of variance
p/(1−p), so E‖(1/(1−p))X_F B_F − T‖_F² = (p/(1−p))·Σ_i ‖x_i‖²‖b_i‖², the design objective. Rescaling x_i to unit
norm and b_i inversely keeps every x_i b_iᵀ, so take unit columns; then Σ_i ‖b_i‖² = Σ_j ‖C_j‖_F², minimised over
the null-space term by Z_j = 0 (C_j = X_{H_j}⁺ is the minimum-norm solution of X_{H_j}C = I), giving
Σ_j tr((X_{H_j}X_{H_j}ᵀ)⁻¹) ≥ Σ_j m²/r_j (AM–HM on the eigenvalues, which sum to r_j), with equality iff every
X_{H_j} is a tight frame. :func:`tight_frame_decoder` minimises Σ_j tr((X_{H_j}X_{H_j}ᵀ)⁻¹) over unit columns by
projected gradient descent from a seeded random start (the gradient of tr((X_H X_Hᵀ)⁻¹) is −2(X_H X_Hᵀ)⁻²X_H),
and the file records X, the objective and the lower bound. ``null_space="random"`` adds (I − X_H⁺X_H)·R_j with
seeded Gaussian R_j instead (still unbiased, larger variance: the randomised variant the issue describes, for
comparison). Any unbiased fixed-decoder scheme on S is of this form, so (p/(1−p))·m²·Σ_j 1/r_j bounds them all
(:func:`gcli.bounds.approximation.unbiased_lower_bound`).

**(b) Universal polynomial codes** (``method="polynomial"``): the Ye–Abbe recursion with p_j vanishing at the
non-holders of j (:func:`gcli.structures.rules.polynomial_encoding`). Every p_j^(u) has degree ≤ D + m − 1,
D = n − r_min, and its coefficients at degrees D..D+m−1 are e_u, so the workers evaluate one polynomial P of
K = D + m coefficients whose top m coefficients are the gradient blocks: **exact for s ≤ r_min − m** stragglers
(K evaluations determine P), approximate with optimal (least-squares) decoding beyond. Real Chebyshev points;
Vandermonde conditioning limits it to small n (gcli refuses n > 40).

**Baseline: stacked assignment** (``method="stacked"``): the workers are split into m classes W_u (greedily, so
each partition's holders spread over the classes), class u computes only sub-vector u with the m = 1 weights
1/|H_j ∩ W_u| (:func:`gcli.structures.rules.stacked_encoding`); after reordering, B is block diagonal: the m = 1
assignment matrices of the classes stacked vertically, one per sub-vector. Our reading of the baseline the seed
compares against ("vertically stacks the assignment matrix", [Munim2026], experiments): same workers, same load, same
message length ℓ/m, but each partition's sub-vector u is only on its holders in W_u. Its fixed decoder is
(n/|F|)·X_F with X[u, i] = 1 for i ∈ W_u; it is unbiased when every (partition, class) pair has a holder.

**Fallback supports** (never silent): when no design (or SRG) with the asked parameters can be built,
``fallback=True`` uses a seeded random biregular bipartite support with the same n, k, load and replication
(:func:`biregular_support`) and says so in the file.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from gcli.code import Code
from gcli.errors import ImpossibleParameters, NotSupported, OverLimit
from gcli.fields import REAL
from gcli.structures.rules import nullspace_encoding, polynomial_encoding, stacked_encoding

from ._common import rng

__all__ = [
    "MAX_POLYNOMIAL_WORKERS",
    "METHODS",
    "approximate_code",
    "balanced_classes",
    "biregular_support",
    "label_exactness",
    "tight_frame_decoder",
]

METHODS = ("structure", "nullspace", "polynomial", "stacked")
"""How a structure code encodes: the m = 1 structure rule, or one of the m ≥ 1 schemes of this module."""

MAX_POLYNOMIAL_WORKERS = 40
"""Largest n of a real polynomial code (the monomial-coefficient decoding systems grow like 2^n in condition)."""

LABEL_LIMIT = 200
"""Codes with at most this many workers get their exact straggler counts computed at design time."""


def _holders(support: np.ndarray) -> list[np.ndarray]:
    return [np.flatnonzero(support[:, j]) for j in range(support.shape[1])]


def tight_frame_decoder(support: np.ndarray, m: int, seed: int = 0, iterations: int = 200) -> tuple[np.ndarray,
                                                                                                     float, float]:
    """A decoder X (m × n, unit columns) with small Σ_j tr((X_{H_j}X_{H_j}ᵀ)⁻¹): (X, objective, lower bound).

    Projected gradient descent with backtracking from seeded Gaussian columns (module docstring); the lower bound
    Σ_j m²/r_j is reached exactly when every X_{H_j} is a tight frame. m = 1 gives X = 1.

    Example:
        >>> support = np.ones((4, 2), dtype=bool)
        >>> x, objective, bound = tight_frame_decoder(support, 2)
        >>> bool(abs(objective - bound) < 1e-6)
        True
    """
    held = np.asarray(support) != 0
    n, _ = held.shape
    holders = _holders(held)
    replication = np.array([h.size for h in holders])
    if replication.min() < m:
        raise ImpossibleParameters(f"m = {m} exceeds the replication the structure allows: partition "
                                   f"{int(np.argmin(replication))} is held by only {int(replication.min())} workers")
    lower = float(sum(m * m / r for r in replication))
    if m == 1:
        x = np.ones((1, n))
        return x, float(sum(1.0 / r for r in replication)), lower
    groups = [(np.stack([holders[j] for j in np.flatnonzero(replication == r)])) for r in np.unique(replication)]

    def objective(x: np.ndarray) -> float:
        total = 0.0
        for rows in groups:
            blocks = np.swapaxes(x[:, rows], 0, 1)  # (g, m, r)
            gram = blocks @ np.swapaxes(blocks, 1, 2)
            eig = np.linalg.eigvalsh(gram)
            if np.any(eig <= 1e-12):
                return math.inf
            total += float(np.sum(1.0 / eig))
        return total

    def gradient(x: np.ndarray) -> np.ndarray:
        grad = np.zeros_like(x)
        for rows in groups:
            blocks = np.swapaxes(x[:, rows], 0, 1)
            inv = np.linalg.inv(blocks @ np.swapaxes(blocks, 1, 2))
            part = -2.0 * (inv @ inv) @ blocks  # (g, m, r)
            np.add.at(grad.T, rows.reshape(-1), np.swapaxes(part, 1, 2).reshape(-1, m))
        return grad

    x = rng(seed).standard_normal((m, n))
    x /= np.linalg.norm(x, axis=0)
    value = objective(x)
    step = 0.1
    for _ in range(iterations):
        grad = gradient(x)
        grad -= x * np.sum(grad * x, axis=0)  # tangent to the unit spheres
        if np.linalg.norm(grad) <= 1e-12 * max(1.0, value):
            break
        while step > 1e-12:
            trial = x - step * grad
            trial /= np.linalg.norm(trial, axis=0)
            new = objective(trial)
            if new < value - 1e-4 * step * float(np.sum(grad * grad)):
                x, value = trial, new
                step *= 1.5
                break
            step /= 2
        else:
            break
    return x, value, lower


def balanced_classes(support: np.ndarray, m: int, rounds: int = 20) -> list[int]:
    """Split the workers into m classes so that each partition's holders spread over the classes.

    Greedy first (worker i, in order, joins the class with the fewest holders of its partitions so far; ties: the
    smaller class, then the smaller index), then local moves: a worker changes class when that lowers the number
    of (partition, class) pairs without a holder, or keeps it and lowers Σ count² (a more even spread), until no
    move helps (at most ``rounds`` sweeps). Deterministic.
    """
    held = np.asarray(support) != 0
    n = held.shape[0]
    counts = np.zeros((m, held.shape[1]), dtype=np.int64)
    sizes = np.zeros(m, dtype=np.int64)
    classes: list[int] = []
    for row in held:
        load = counts[:, row].sum(axis=1)
        u = min(range(m), key=lambda c: (int(load[c]), int(sizes[c]), c))
        classes.append(u)
        counts[u, row] += 1
        sizes[u] += 1

    def score(cnt: np.ndarray) -> tuple[int, int]:
        return int(np.sum(cnt == 0)), int(np.sum(cnt * cnt))

    current = score(counts)
    for _ in range(rounds):
        improved = False
        for i in range(n):
            row, old = held[i], classes[i]
            for u in range(m):
                if u == old:
                    continue
                counts[old, row] -= 1
                counts[u, row] += 1
                trial = score(counts)
                if trial < current:
                    current, classes[i] = trial, u
                    old = u
                    improved = True
                else:
                    counts[u, row] -= 1
                    counts[old, row] += 1
        if not improved:
            break
    return classes


def biregular_support(n: int, k: int, d: int, seed: int = 0) -> np.ndarray:
    """A seeded random biregular bipartite support: n workers holding d partitions each, k partitions each held
    by r = n·d/k workers (P_σ·C·P_π, C[i, (i·d + t) mod k] = 1 for t < d, σ, π random permutations).

    Example:
        >>> biregular_support(12, 9, 3, seed=1).sum(axis=0).tolist()
        [4, 4, 4, 4, 4, 4, 4, 4, 4]
    """
    if not 1 <= d <= k or n < 1 or (n * d) % k:
        raise ImpossibleParameters(f"a biregular support needs 1 ≤ d ≤ k and k | n·d (n={n}, k={k}, d={d})")
    generator = rng(seed)
    base = np.zeros((n, k), dtype=np.int64)
    for t in range(d):
        base[np.arange(n), (np.arange(n) * d + t) % k] = 1
    support = base[generator.permutation(n)][:, generator.permutation(k)]
    if not (np.all(support.sum(axis=1) == d) and np.all(support.sum(axis=0) == n * d // k)):
        raise RuntimeError("biregular support is not biregular")
    return support


def _assignment(support: np.ndarray) -> list[list[int]]:
    return [np.flatnonzero(row).tolist() for row in np.asarray(support) != 0]


def approximate_code(
    scheme: str,
    support: np.ndarray,
    *,
    m: int,
    method: str,
    s: int,
    seed: int = 0,
    null_space: str = "min-norm",
    construction: dict[str, Any] | None = None,
    extras: dict[str, Any] | None = None,
) -> Code:
    """A real code on the support with communication reduction m (module docstring for the methods).

    The construction block records what the structure certificate needs to rebuild B (``method``, the decoder
    X, ``null_space`` and ``seed``; the ``points``; the ``classes``), the fixed decoder, and the claims
    ``gcli verify`` checks (``unbiased``, ``variance_coefficient``, ``exact_for``)."""
    held = np.asarray(support) != 0
    n, k = held.shape
    if m < 1:
        raise ImpossibleParameters(f"m must be at least 1 (got {m})")
    if method not in METHODS[1:]:
        raise NotSupported(f"unknown method {method!r}: use nullspace, polynomial or stacked")
    if s < 0 or s >= n:
        raise ImpossibleParameters(f"{scheme}: the planned straggler count s must satisfy 0 ≤ s < n = {n} (got {s})")
    replication = held.sum(axis=0)
    if replication.min() < m:
        raise ImpossibleParameters(
            f"m = {m} is larger than the structure's replication allows: some partition is held by "
            f"only {int(replication.min())} workers (need m ≤ {int(replication.min())})")
    block: dict[str, Any] = {**(construction or {}), "m": m, "s": s, "method": method}
    r_min = int(replication.min())
    if method == "nullspace":
        x, objective, lower = tight_frame_decoder(held, m, seed)
        encoding = nullspace_encoding(held, x, null_space, seed)
        variance = float(np.sum(np.sum(x * x, axis=0) * np.sum(encoding * encoding, axis=1)))
        block.update({
            "seed": seed, "null_space": null_space,
            "encoding": "C_j = X_{H_j}^+ " + ("" if null_space == "min-norm" else "+ (I - X_{H_j}^+ X_{H_j}) R_j ")
                        + "on the holders H_j of partition j, so X·B = T",
            "decoder": {"kind": "fixed", "matrix": x.tolist(), "scale": "n/|F|",
                        "note": "n/|F| times X_F; X_F/(1-p) is unbiased under i.i.d. failures with probability p"},
            "unbiased": True,
            "variance_coefficient": variance,
            "frame": {"objective": objective, "lower_bound": lower, "tight_frame_bound": "sum_j m^2/r_j"},
            "expected_error": "(p/(1-p))·variance_coefficient for the unbiased decoder X_F/(1-p)",
        })
    elif method == "polynomial":
        if n > MAX_POLYNOMIAL_WORKERS:
            raise OverLimit(f"real polynomial codes are limited to n ≤ {MAX_POLYNOMIAL_WORKERS} workers (their "
                            f"decoding systems are exponentially ill-conditioned): use --method nullspace")
        extra = int(replication.max()) - r_min
        count = n + extra
        points = np.cos((2 * np.arange(count) + 1) * np.pi / (2 * count))
        encoding = polynomial_encoding(held, points, m)
        block.update({
            "points": points.tolist(),
            "encoding": "Ye-Abbe recursion with p_j vanishing at the non-holders of j (Chebyshev points)",
            "decoder": {"kind": "optimal", "note": "least squares; exact for s <= r_min - m"},
            "exact_for": list(range(0, r_min - m + 1)),
        })
    else:
        if m < 2:
            raise ImpossibleParameters("the stacked baseline needs m ≥ 2 (with m = 1 it is the structure code itself)")
        classes = balanced_classes(held, m)
        encoding = stacked_encoding(held, classes, m)
        x = np.zeros((m, n))
        x[np.asarray(classes), np.arange(n)] = 1.0
        counts = np.array([held[np.asarray(classes) == u].sum(axis=0) for u in range(m)])
        covered = bool(np.all(counts > 0))
        block.update({
            "classes": classes,
            "encoding": "class u computes sub-vector u only, weight 1/|H_j cap W_u| (stacked assignment)",
            "decoder": {"kind": "fixed", "matrix": x.tolist(), "scale": "n/|F|",
                        "note": "n/|F| times the sum of each class's messages"},
            "unbiased": covered,
        })
        if covered:
            block["variance_coefficient"] = float(np.sum(np.sum(x * x, axis=0) * np.sum(encoding * encoding, axis=1)))
    code = Code(scheme=scheme, field=REAL, n=n, k=k, s=s, m=m, a=0, d=int(held.sum(axis=1).max()),
                assignment=_assignment(held), encoding=encoding, exact=False, construction=block,
                extras=extras or {})
    return label_exactness(code)


def label_exactness(code: Code) -> Code:
    """Record for which straggler counts the optimal decoder is exact (``construction.exact_for``), computed by the
    engine for codes with at most :data:`LABEL_LIMIT` workers, and set ``exact`` accordingly (True when the code's
    own s is among them). A claim already in the block (polynomial codes) is kept; ``gcli verify`` checks it."""
    from gcli.certification.approximation import exact_straggler_counts

    construction = dict(code.construction)
    if code.n > LABEL_LIMIT:
        construction.setdefault("exact_for", None)
        construction["exact_for_note"] = (f"not computed at design time (n > {LABEL_LIMIT}); gcli verify reports "
                                          "it")
        return _with(code, construction, code.s == 0 and code.m == 1 and "method" not in construction)
    if "exact_for" not in construction:
        found = exact_straggler_counts(code, budget=200_000)
        construction["exact_for"] = found.counts
        if found.undecided_from is not None:
            construction["exact_for_note"] = f"s ≥ {found.undecided_from} not checked at design time (too many sets)"
    counts = construction["exact_for"] or []
    return _with(code, construction, code.s in counts)


def _with(code: Code, construction: dict[str, Any], exact: bool) -> Code:
    return Code(scheme=code.scheme, field=code.field, n=code.n, k=code.k, s=code.s, m=code.m, a=code.a, d=code.d,
                assignment=code.assignment, encoding=code.sparse_encoding if code.is_sparse else code.encoding,
                exact=exact, construction=construction, extras=dict(code.extras))
