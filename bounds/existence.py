"""Necessary conditions for BIBDs and strongly regular graphs, and the tri-state :class:`Existence` answer.

Pure functions of the parameters (integers and Fractions; no construction is consulted):

* BIBDs: divisibility (r = λ(v−1)/(k−1) and b = vr/k integers), Fisher's inequality b ≥ v, and the
  Bruck–Ryser–Chowla condition for symmetric designs, decided exactly with Hilbert symbols
  (:func:`bibd_necessary_conditions`, :func:`bruck_ryser_chowla`, :func:`hilbert_symbol`);
* SRGs: the parameter identity, integral multiplicities, the Krein conditions, the absolute bound and the
  claw bound (:func:`srg_feasibility`), with the eigenvalues from :func:`gcli.structures.srg_eigenvalues`.

The existence oracle that combines these with gcli's constructions and the published tables is
:func:`gcli.constructions.bibd_exists` / :func:`gcli.constructions.srg_exists`. Feasibility is not existence:
(49,16,3,6), (57,14,1,4), (76,21,2,7), (95,40,12,20) and (324,57,0,12) pass every condition below and do not exist.

Example:
    >>> bruck_ryser_chowla(43, 7, 1), srg_feasibility(28, 9, 0, 4)[:15]
    (False, 'Krein condition')
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from gcli.fields.numbertheory import is_sum_of_two_squares, legendre, prime_factors
from gcli.structures import srg_eigenvalues

__all__ = [
    "Existence",
    "bibd_necessary_conditions",
    "bruck_ryser_chowla",
    "conic_solvable",
    "hilbert_symbol",
    "srg_eigenvalues",
    "srg_feasibility",
]


@dataclass(frozen=True)
class Existence:
    """exists: True / False / None (unknown); reason: why; construction: how gcli builds it (or None)."""

    exists: bool | None
    reason: str
    construction: str | None = None

    def to_json(self) -> dict[str, Any]:
        """``{"exists": true|false|null, "reason": "…", "construction": "…"|null}``."""
        return {"exists": self.exists, "reason": self.reason, "construction": self.construction}

    def summary(self) -> str:
        """One line for the terminal."""
        word = {True: "exists", False: "does not exist", None: "unknown"}[self.exists]
        return f"{word}: {self.reason}"


# ---------------------------------------------------------------------------------------------------------
# Bruck–Ryser–Chowla via Hilbert symbols (Hasse–Minkowski)
# ---------------------------------------------------------------------------------------------------------
def _split(a: int, p: int) -> tuple[int, int]:
    alpha = 0
    while a % p == 0:
        a //= p
        alpha += 1
    return alpha, a


def hilbert_symbol(a: int, b: int, p: int) -> int:
    """The Hilbert symbol (a, b)_p ∈ {1, −1} for non-zero integers a, b and a prime p (p = 0 means ∞).

    (a, b)_p = 1 iff z² = a x² + b y² has a non-trivial solution over the p-adic numbers (Serre, *A Course in
    Arithmetic*, ch. III, Theorem 1).
    """
    if a == 0 or b == 0:
        raise ValueError("Hilbert symbol of zero")
    if p == 0:
        return -1 if a < 0 and b < 0 else 1
    alpha, u = _split(a, p)
    beta, w = _split(b, p)
    if p == 2:
        def eps(x: int) -> int:
            return ((x - 1) // 2) % 2

        def omega(x: int) -> int:
            return ((x * x - 1) // 8) % 2

        exponent = eps(u) * eps(w) + alpha * omega(w) + beta * omega(u)
        return -1 if exponent % 2 else 1
    sign = -1 if (alpha * beta * ((p - 1) // 2)) % 2 else 1
    return sign * (legendre(u, p) ** beta) * (legendre(w, p) ** alpha)


def conic_solvable(a: int, b: int) -> bool:
    """x² = a y² + b z² has a non-trivial integer solution (Hasse–Minkowski: every Hilbert symbol is 1)."""
    primes = {0, 2} | set(prime_factors(abs(a))) | set(prime_factors(abs(b)))
    return all(hilbert_symbol(a, b, p) == 1 for p in primes)


def bruck_ryser_chowla(v: int, k: int, lam: int) -> bool:
    """The Bruck–Ryser–Chowla condition for a symmetric (v, k, λ) design.

    v even: k − λ is a perfect square. v odd: x² = (k−λ) y² + (−1)^{(v−1)/2} λ z² has a non-trivial integer
    solution, decided exactly by Hilbert symbols (equivalently Legendre's theorem on ternary forms).
    """
    n = k - lam
    if v % 2 == 0:
        return math.isqrt(n) ** 2 == n
    sign = -1 if ((v - 1) // 2) % 2 else 1
    return conic_solvable(n, sign * lam)


def bibd_necessary_conditions(v: int, k: int, lam: int) -> str | None:
    """None when 2 ≤ k < v, λ ≥ 1 pass divisibility, Fisher and (symmetric) Bruck–Ryser–Chowla; else the reason.

    The reason names the failing condition with its numbers, e.g. ``"Fisher's inequality: b = 14 < v = 21"``.
    """
    if (lam * (v - 1)) % (k - 1):
        return f"divisibility: r = λ(v−1)/(k−1) = {lam * (v - 1)}/{k - 1} is not an integer"
    r = lam * (v - 1) // (k - 1)
    if (v * r) % k:
        return f"divisibility: b = vr/k = {v * r}/{k} is not an integer"
    b = v * r // k
    if b < v:
        return f"Fisher's inequality: b = {b} < v = {v}"
    if b == v and not bruck_ryser_chowla(v, k, lam):
        which = "k − λ is not a square (v even)" if v % 2 == 0 else "the conic has no rational point (v odd)"
        return f"Bruck–Ryser–Chowla: symmetric ({v},{k},{lam}) design, {which}"
    return None


# ---------------------------------------------------------------------------------------------------------
# SRG feasibility
# ---------------------------------------------------------------------------------------------------------
def srg_feasibility(v: int, k: int, lam: int, mu: int) -> str | None:
    """None when (v, k, λ, μ) passes every feasibility condition gcli knows, else the failing condition.

    Conditions: k(k−λ−1) = (v−k−1)μ; 0 ≤ λ < k, 0 ≤ μ ≤ k; integral non-negative multiplicities (conference
    graphs: v a sum of two squares); Krein conditions; absolute bound; claw bound (primitive graphs). Imprimitive
    parameters (μ = 0 or μ = k) pass here and are classified by the existence oracle.
    """
    if k * (k - lam - 1) != (v - k - 1) * mu:
        return f"parameter identity k(k−λ−1) = (v−k−1)μ fails: {k * (k - lam - 1)} ≠ {(v - k - 1) * mu}"
    if not (0 <= lam < k and 0 <= mu <= k):
        return "need 0 ≤ λ < k and 0 ≤ μ ≤ k"
    if mu == 0 or mu == k:
        return None
    e = srg_eigenvalues(v, k, lam, mu)
    if e.r is None or e.s is None:
        if e.f is None:
            return "eigenvalue multiplicities are irrational"
        if not is_sum_of_two_squares(v):
            return f"conference graph on v = {v} vertices: v is not a sum of two squares"
        return None
    r, s, f, g = e.r, e.s, e.f, e.g
    assert f is not None and g is not None
    if f.denominator != 1 or g.denominator != 1 or f < 0 or g < 0:
        return f"eigenvalue multiplicities f = {f}, g = {g} are not non-negative integers"
    if (r + 1) * (k + r + 2 * r * s) > (k + r) * (s + 1) ** 2:
        return (f"Krein condition (r+1)(k+r+2rs) ≤ (k+r)(s+1)² fails: {(r + 1) * (k + r + 2 * r * s)} > "
                f"{(k + r) * (s + 1) ** 2}")
    if (s + 1) * (k + s + 2 * r * s) > (k + s) * (r + 1) ** 2:
        return (f"Krein condition (s+1)(k+s+2rs) ≤ (k+s)(r+1)² fails: {(s + 1) * (k + s + 2 * r * s)} > "
                f"{(k + s) * (r + 1) ** 2}")
    if v > f * (f + 3) / 2:
        return f"absolute bound v ≤ f(f+3)/2 fails: {v} > {f * (f + 3) / 2} (f = {f})"
    if v > g * (g + 3) / 2:
        return f"absolute bound v ≤ g(g+3)/2 fails: {v} > {g * (g + 3) / 2} (g = {g})"
    if mu != s * s and mu != s * (s + 1) and 2 * (r + 1) > s * (s + 1) * (mu + 1):
        return (f"claw bound 2(r+1) ≤ s(s+1)(μ+1) fails: {2 * (r + 1)} > {s * (s + 1) * (mu + 1)} "
                f"(r={r}, s={s})")
    return None
