"""A tri-state existence oracle for BIBDs and strongly regular graphs: exists / does not exist / unknown.

Every answer carries its reason: the necessary condition that fails (with the theorem), the published
non-existence result, the construction gcli can run (``gcli design bibd|srg``), a published existence
theorem or table entry, or "unknown" when the parameters pass every test gcli knows and no construction is
known to it. Feasibility is not existence: (49,16,3,6), (57,14,1,4), (76,21,2,7), (95,40,12,20) and
(324,57,0,12) pass every feasibility condition below and do not exist.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy

from gcli.errors import InputError

__all__ = [
    "Existence",
    "bibd_exists",
    "bruck_ryser_chowla",
    "hilbert_symbol",
    "srg_eigenvalues",
    "srg_exists",
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
    legendre_u = sympy.legendre_symbol(u % p, p)
    legendre_w = sympy.legendre_symbol(w % p, p)
    sign = -1 if (alpha * beta * ((p - 1) // 2)) % 2 else 1
    return sign * (legendre_u**beta) * (legendre_w**alpha)


def _conic_solvable(a: int, b: int) -> bool:
    """x² = a y² + b z² has a non-trivial integer solution (Hasse–Minkowski: all Hilbert symbols are 1)."""
    primes = {0, 2} | set(sympy.primefactors(abs(a))) | set(sympy.primefactors(abs(b)))
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
    return _conic_solvable(n, sign * lam)


# ---------------------------------------------------------------------------------------------------------
# BIBD
# ---------------------------------------------------------------------------------------------------------
# (v, k, λ): reason — published non-existence beyond the necessary conditions (literature §5.6)
_BIBD_NONEXISTENT: dict[tuple[int, int, int], str] = {
    (111, 11, 1): "projective plane of order 10 does not exist (Lam, Thiel, Swiercz, Canad. J. Math. 1989; "
                  "computer proof)",
    (36, 6, 1): "affine plane of order 6 does not exist (Tarry 1900: no pair of orthogonal Latin squares of "
                "order 6)",
    (46, 6, 1): "no (46,6,1) design (Houghten, Thiel, Janssen, Lam, Des. Codes Cryptogr. 2001)",
    (15, 5, 2): "no (15,5,2) design (Handbook of Combinatorial Designs, exception to Hanani's theorem)",
    (21, 6, 2): "no (21,6,2) design (Handbook of Combinatorial Designs, Table II.1.35 exceptions)",
    (22, 8, 4): "no (22,8,4) design (Handbook of Combinatorial Designs, Table II.1.35 exceptions)",
}

# (v, k, λ): source — known to exist from the literature tables (§5.5) where gcli has no construction
_BIBD_KNOWN: dict[tuple[int, int, int], str] = {
    (10, 4, 2): "Handbook of Combinatorial Designs, Table II.1.35",
    (45, 12, 3): "Handbook of Combinatorial Designs, symmetric designs table",
    (36, 15, 6): "Menon design (Handbook of Combinatorial Designs, §V.1)",
    (56, 11, 2): "biplane of order 9 (Hall, Lane, Wales 1970)",
    (79, 13, 2): "biplane of order 11 (Aschbacher 1971)",
    (64, 28, 12): "Menon design (Handbook of Combinatorial Designs, §V.1)",
    (76, 16, 4): "Handbook of Combinatorial Designs, Table II.1.35",
    (66, 6, 1): "Handbook of Combinatorial Designs, Table II.3.3 (v,6,1) designs",
    (169, 7, 1): "Handbook of Combinatorial Designs, Table II.3.3",
}

_BIBD_OPEN: dict[tuple[int, int, int], str] = {
    (157, 13, 1): "projective plane of order 12: passes Bruck–Ryser–Chowla; open",
    (51, 6, 1): "smallest open (v,6,1) cases (Handbook of Combinatorial Designs, §II.3.3)",
    (61, 6, 1): "open (v,6,1) case (Handbook of Combinatorial Designs, §II.3.3)",
    (81, 6, 1): "open (v,6,1) case (Handbook of Combinatorial Designs, §II.3.3)",
}


def bibd_exists(v: int, k: int, lam: int = 1) -> Existence:
    """Does a 2-(v, k, λ) design exist? Tri-state, with the reason and gcli's construction when there is one.

    Tests, in order: divisibility (r = λ(v−1)/(k−1) and b = vr/k integers), Fisher's inequality b ≥ v,
    Bruck–Ryser–Chowla for symmetric designs, the published non-existence list, gcli's own constructions,
    Hanani's theorems (every admissible (v,3,λ) and (v,4,λ) exists; every admissible (v,5,λ) except (15,5,2)),
    the literature's existence table, and the complementary design (which exists iff the design does).
    """
    for name, value in (("v", v), ("k", k), ("λ", lam)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(f"{name} must be an integer (got {value!r})")
    if k < 2 or lam < 1 or v < 2:
        raise InputError(f"need v ≥ 2, k ≥ 2 and λ ≥ 1 (got v={v}, k={k}, λ={lam})")
    if k > v:
        return Existence(False, f"block size k = {k} exceeds the number of points v = {v}")
    if k == v:
        return Existence(True, f"trivial design: {lam} copies of the whole point set", None)
    if (lam * (v - 1)) % (k - 1):
        return Existence(False, f"divisibility: r = λ(v−1)/(k−1) = {lam * (v - 1)}/{k - 1} is not an integer")
    r = lam * (v - 1) // (k - 1)
    if (v * r) % k:
        return Existence(False, f"divisibility: b = vr/k = {v * r}/{k} is not an integer")
    b = v * r // k
    if b < v:
        return Existence(False, f"Fisher's inequality: b = {b} < v = {v}")
    if b == v and not bruck_ryser_chowla(v, k, lam):
        which = "k − λ is not a square (v even)" if v % 2 == 0 else "the conic has no rational point (v odd)"
        return Existence(False, f"Bruck–Ryser–Chowla: symmetric ({v},{k},{lam}) design, {which}")
    if (v, k, lam) in _BIBD_NONEXISTENT:
        return Existence(False, _BIBD_NONEXISTENT[(v, k, lam)])
    if lam == 1 and v == k * k:
        # an affine plane of order n exists iff a projective plane of order n does (add a line at infinity)
        plane = bibd_exists(k * k + k + 1, k + 1, 1)
        if plane.exists is False:
            return Existence(False, f"affine plane of order {k} exists iff the projective plane of order {k} "
                                    f"does, and that one does not: {plane.reason}")
    complement = (v, v - k, b - 2 * r + lam)
    if v - k >= 2 and complement in _BIBD_NONEXISTENT:
        return Existence(False, f"its complementary design {complement} does not exist: "
                                f"{_BIBD_NONEXISTENT[complement]}")
    from gcli.constructions.designs import bibd_construction

    name = bibd_construction(v, k, lam)
    if name is not None:
        return Existence(True, f"gcli constructs it ({name})", name)
    if k == 3 or k == 4:
        return Existence(True, f"Hanani (1961, 1975): every admissible (v,{k},λ) design exists")
    if k == 5:
        return Existence(True, "Hanani (1972, 1975): every admissible (v,5,λ) design exists except (15,5,2)")
    for params in ((v, k, lam), complement):
        if params in _BIBD_KNOWN:
            note = "" if params == (v, k, lam) else f" (its complement {params})"
            return Existence(True, f"known to exist{note}: {_BIBD_KNOWN[params]}")
    if (v, k, lam) in _BIBD_OPEN:
        return Existence(None, _BIBD_OPEN[(v, k, lam)])
    symmetric = " and Bruck–Ryser–Chowla" if b == v else ""
    return Existence(None, f"passes divisibility, Fisher{symmetric}; existence unknown to gcli")


# ---------------------------------------------------------------------------------------------------------
# SRG
# ---------------------------------------------------------------------------------------------------------
# one member of each complementary pair is enough; the oracle normalises through the complement
_SRG_NONEXISTENT: dict[tuple[int, int, int, int], str] = {
    (49, 16, 3, 6): "Bussemaker, Haemers, Mathon, Wilbrink, \"A (49,16,3,6) strongly regular graph does not "
                    "exist\", European J. Combin. 10 (1989)",
    (57, 14, 1, 4): "Wilbrink, Brouwer, \"A (57,14,1) strongly regular graph does not exist\", "
                    "Indag. Math. 45 (1983)",
    (76, 21, 2, 7): "Haemers, \"There exists no (76,21,2,7) strongly regular graph\" (1993)",
    (95, 40, 12, 20): "Azarija, Marc, \"There is no (95,40,12,20) strongly regular graph\", J. Combin. Des. "
                      "(2020; arXiv 2016)",
    (324, 57, 0, 12): "Gavrilyuk, Makhnev, \"On Krein graphs without triangles\", Dokl. Math. 72 (2005)",
}

_SRG_KNOWN: dict[tuple[int, int, int, int], str] = {
    (45, 22, 10, 11): "Mathon's conference graph (Brouwer's table)",
    (100, 36, 14, 12): "Hall–Janko graph (Brouwer's table)",
    (126, 50, 13, 24): "Goethals graph (Brouwer's table)",
    (275, 112, 30, 56): "McLaughlin graph (Brouwer's table)",
    (378, 116, 34, 36): "Muzychuk S6 (Brouwer's table)",
    (630, 85, 20, 10): "Haemers (Brouwer's table)",
    (36, 15, 6, 6): "Brouwer's table",
    (50, 21, 8, 9): "Brouwer's table",
    (64, 18, 2, 6): "Brouwer's table",
    (96, 20, 4, 4): "Brouwer's table",
    (162, 56, 10, 24): "Brouwer's table",
    (175, 72, 20, 36): "Brouwer's table",
    (176, 70, 18, 34): "Brouwer's table",
    (231, 30, 9, 3): "Cameron graph (Brouwer's table)",
    (243, 22, 1, 2): "Berlekamp–van Lint–Seidel graph (Brouwer's table)",
    (253, 112, 36, 60): "Brouwer's table",
    (65, 32, 15, 16): "conference graph found by Gritsenko (2020)",
    # further v ≤ 100 entries marked "exists" in Brouwer's table (sagemath-data-graphs 20210214.1)
    (36, 14, 4, 6): "Brouwer's table",
    (96, 19, 2, 4): "Brouwer's table",
    (99, 48, 22, 24): "Brouwer's table",
    (100, 44, 18, 20): "Brouwer's table",
    (100, 45, 20, 20): "Brouwer's table",
    (225, 98, 43, 42): "Pasechnik (SageMath doctest)",
    (225, 112, 55, 56): "skew-Hadamard construction (SageMath doctest)",
    (1288, 792, 476, 504): "SageMath constructor SRG_1288_792_476_504",
}

_SRG_OPEN: dict[tuple[int, int, int, int], str] = {
    (69, 20, 7, 5): "open (Brouwer's table)",
    (85, 14, 3, 2): "open (Brouwer's table)",
    (99, 14, 1, 2): "open: Conway's 99-graph problem",
    (324, 95, 22, 30): "open (Brouwer's table)",
    (3250, 57, 0, 1): "open: Moore graph of degree 57",
}


@dataclass(frozen=True)
class _Eigen:
    r: Fraction | None
    s: Fraction | None
    f: Fraction
    g: Fraction
    delta: int


def srg_eigenvalues(v: int, k: int, lam: int, mu: int) -> tuple[Any, Any, Fraction, Fraction]:
    """(r, s, f, g): restricted eigenvalues (None when irrational) and their multiplicities (exact)."""
    e = _eigen(v, k, lam, mu)
    return (e.r, e.s, e.f, e.g)


def _eigen(v: int, k: int, lam: int, mu: int) -> _Eigen:
    delta = (lam - mu) ** 2 + 4 * (k - mu)
    root = math.isqrt(delta)
    if root * root == delta:
        sq: Fraction | None = Fraction(root)
    else:
        sq = None
    if sq is not None and sq != 0:
        r = Fraction(lam - mu + root, 2)
        s = Fraction(lam - mu - root, 2)
        f = (Fraction(v - 1) - Fraction(2 * k + (v - 1) * (lam - mu), root)) / 2
        g = (Fraction(v - 1) + Fraction(2 * k + (v - 1) * (lam - mu), root)) / 2
        return _Eigen(r, s, f, g, delta)
    if 2 * k + (v - 1) * (lam - mu) == 0:
        return _Eigen(None, None, Fraction(v - 1, 2), Fraction(v - 1, 2), delta)
    return _Eigen(None, None, Fraction(-1), Fraction(-1), delta)  # irrational multiplicities


def _complement(params: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    v, k, lam, mu = params
    return (v, v - k - 1, v - 2 * k + mu - 2, v - 2 * k + lam)


def _sum_of_two_squares(n: int) -> bool:
    return all(e % 2 == 0 for p, e in sympy.factorint(n).items() if p % 4 == 3)


def srg_feasibility(v: int, k: int, lam: int, mu: int) -> str | None:
    """None when (v, k, λ, μ) passes every feasibility condition gcli knows, else the failing condition.

    Conditions: k(k−λ−1) = (v−k−1)μ; 0 ≤ λ < k, 0 ≤ μ ≤ k; integral non-negative multiplicities (conference
    graphs: v a sum of two squares); Krein conditions; absolute bound; claw bound (primitive graphs).
    """
    if k * (k - lam - 1) != (v - k - 1) * mu:
        return f"parameter identity k(k−λ−1) = (v−k−1)μ fails: {k * (k - lam - 1)} ≠ {(v - k - 1) * mu}"
    if not (0 <= lam < k and 0 <= mu <= k):
        return "need 0 ≤ λ < k and 0 ≤ μ ≤ k"
    if mu == 0 or mu == k:
        return None  # imprimitive: handled by the caller
    e = _eigen(v, k, lam, mu)
    if e.r is None:
        if e.f < 0:
            return "eigenvalue multiplicities are irrational"
        if not _sum_of_two_squares(v):
            return f"conference graph on v = {v} vertices: v is not a sum of two squares"
        return None
    if e.f.denominator != 1 or e.g.denominator != 1 or e.f < 0 or e.g < 0:
        return f"eigenvalue multiplicities f = {e.f}, g = {e.g} are not non-negative integers"
    r, s = e.r, e.s
    assert s is not None
    if (r + 1) * (k + r + 2 * r * s) > (k + r) * (s + 1) ** 2:
        return (f"Krein condition (r+1)(k+r+2rs) ≤ (k+r)(s+1)² fails: {(r + 1) * (k + r + 2 * r * s)} > "
                f"{(k + r) * (s + 1) ** 2}")
    if (s + 1) * (k + s + 2 * r * s) > (k + s) * (r + 1) ** 2:
        return (f"Krein condition (s+1)(k+s+2rs) ≤ (k+s)(r+1)² fails: {(s + 1) * (k + s + 2 * r * s)} > "
                f"{(k + s) * (r + 1) ** 2}")
    f, g = e.f, e.g
    if v > f * (f + 3) / 2:
        return f"absolute bound v ≤ f(f+3)/2 fails: {v} > {f * (f + 3) / 2} (f = {f})"
    if v > g * (g + 3) / 2:
        return f"absolute bound v ≤ g(g+3)/2 fails: {v} > {g * (g + 3) / 2} (g = {g})"
    if mu != s * s and mu != s * (s + 1) and 2 * (r + 1) > s * (s + 1) * (mu + 1):
        return (f"claw bound 2(r+1) ≤ s(s+1)(μ+1) fails: {2 * (r + 1)} > {s * (s + 1) * (mu + 1)} "
                f"(r={r}, s={s})")
    return None


def srg_exists(v: int, k: int, lam: int, mu: int) -> Existence:
    """Does an srg(v, k, λ, μ) exist? Tri-state, with the reason and gcli's construction when there is one.

    Order: feasibility (:func:`srg_feasibility`), imprimitive cases (disjoint cliques, complete multipartite),
    published non-existence of feasible sets (for the parameters or their complement), gcli's constructions,
    the literature's existence table (Brouwer's table entries quoted in literature §5.3), the open list.
    """
    for name, value in (("v", v), ("k", k), ("λ", lam), ("μ", mu)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(f"{name} must be an integer (got {value!r})")
    if v < 2 or not 0 < k < v - 1:
        raise InputError(f"need v ≥ 2 and 0 < k < v − 1 (got v={v}, k={k}); empty and complete graphs are "
                         "excluded")
    problem = srg_feasibility(v, k, lam, mu)
    if problem is not None:
        return Existence(False, f"infeasible: {problem}")
    if mu == 0:
        if lam == k - 1 and v % (k + 1) == 0:
            return Existence(True, f"imprimitive: {v // (k + 1)} disjoint copies of K_{k + 1}")
        return Existence(False, "μ = 0 forces disjoint cliques K_{k+1}, which these parameters are not")
    if mu == k:
        parts = v - k
        if v % parts == 0 and lam == 2 * k - v:
            return Existence(True, f"imprimitive: complete multipartite, {v // parts} parts of size {parts}")
        return Existence(False, "μ = k forces a complete multipartite graph, which these parameters are not")
    params = (v, k, lam, mu)
    comp = _complement(params)
    for p, note in ((params, ""), (comp, " (its complement)")):
        if p in _SRG_NONEXISTENT:
            return Existence(False, f"feasible but proven not to exist{note}: {_SRG_NONEXISTENT[p]}")
    from gcli.constructions.srg import srg_construction

    name = srg_construction(v, k, lam, mu)
    if name is not None:
        return Existence(True, f"gcli constructs it ({name})", name)
    for p, note in ((params, ""), (comp, " (its complement)")):
        if p in _SRG_KNOWN:
            return Existence(True, f"known to exist{note}: {_SRG_KNOWN[p]}")
    for p in (params, comp):
        if p in _SRG_OPEN:
            return Existence(None, f"feasible; {_SRG_OPEN[p]}")
    return Existence(None, "feasible (passes every condition gcli checks); existence unknown to gcli")
