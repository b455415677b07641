"""Spectra of the structures: exact from the parameters for SRGs and designs, a few eigenvalues otherwise.

* Strongly regular graphs: A² = kI + λA + μ(J − I − A) forces the eigenvalues k (once) and the two roots
  r > s of x² − (λ−μ)x − (k−μ), r, s = ((λ−μ) ± √Δ)/2 with Δ = (λ−μ)² + 4(k−μ), with multiplicities
  f, g = ½[(v−1) ∓ (2k + (v−1)(λ−μ))/√Δ]. :func:`srg_eigenvalues` computes them in integer arithmetic
  (Python ints and Fractions); when Δ is not a square (conference graphs) r and s are written as exact surds
  such as ``(-1+√13)/2``. It is the one home of this formula: the feasibility conditions of
  :mod:`gcli.bounds.existence` use it too.
* 2-(v, k, λ) designs: N·Nᵀ = (r−λ)I + λJ has eigenvalues rk (once) and r − λ (v − 1 times). For a symmetric
  design this gives the closed form of the least-squares error of its gradient code for every straggler set
  (:func:`symmetric_design_error`), shared by the coefficient rule and the bounds.
* Other regular graphs: only what the expander-code bounds need, the degree d, the second largest eigenvalue
  λ₂, the smallest λ_min and the second largest modulus max(|λ₂|, |λ_min|), from a sparse Lanczos solver
  (``scipy.sparse.linalg.eigsh``); never a full spectrum.

Example:
    >>> e = srg_eigenvalues(10, 3, 0, 1)
    >>> (e.r, e.s, e.f, e.g), srg_spectrum(13, 6, 2, 3)["eigenvalues"]
    ((Fraction(1, 1), Fraction(-2, 1), Fraction(5, 1), Fraction(4, 1)), ['6', '(-1+√13)/2', '(-1-√13)/2'])

References:
    A. E. Brouwer, W. H. Haemers, *Spectra of Graphs*, Springer 2012, §9.1; A. E. Brouwer, H. Van Maldeghem,
    *Strongly Regular Graphs*, CUP 2022, §1.1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

__all__ = [
    "SrgEigenvalues",
    "bipartite_singular_values",
    "design_spectrum",
    "regular_spectrum",
    "srg_eigenvalues",
    "srg_spectrum",
    "symmetric_design_error",
]


def _text(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


@dataclass(frozen=True)
class SrgEigenvalues:
    """The restricted eigenvalues r ≥ s of an srg(v, k, λ, μ) and their multiplicities f, g (exact).

    Attributes:
        k: the degree (the eigenvalue of the all-ones vector).
        trace_term: λ − μ, so r, s = (λ−μ ± √Δ)/2.
        delta: Δ = (λ−μ)² + 4(k−μ).
        r, s: the eigenvalues when √Δ is an integer (then they are integers), else None.
        f, g: their multiplicities when rational, else None (irrational multiplicities: no such graph).
    """

    k: int
    trace_term: int
    delta: int
    r: Fraction | None
    s: Fraction | None
    f: Fraction | None
    g: Fraction | None

    @property
    def rational(self) -> bool:
        """True when Δ is a perfect square (r, s integers)."""
        return self.r is not None

    def text(self, which: str) -> str:
        """``"r"`` or ``"s"`` as an exact string: an integer, or a surd such as ``(-1+√13)/2``."""
        value = self.r if which == "r" else self.s
        if value is not None:
            return _text(value)
        sign = "+" if which == "r" else "-"
        head = f"{self.trace_term}{sign}" if self.trace_term else ("" if sign == "+" else "-")
        return f"({head}√{self.delta})/2"

    def value(self, which: str) -> float:
        """``"r"`` or ``"s"`` as a float (correctly rounded for the rational case)."""
        exact = self.r if which == "r" else self.s
        if exact is not None:
            return float(exact)
        if self.delta < 0:
            raise ValueError(f"the eigenvalues are not real (Δ = {self.delta} < 0: μ > k)")
        root = math.sqrt(self.delta)
        return (self.trace_term + (root if which == "r" else -root)) / 2

    @property
    def second_largest_modulus(self) -> float:
        """max(|r|, |s|): the largest non-trivial eigenvalue modulus."""
        return max(abs(self.value("r")), abs(self.value("s")))


def srg_eigenvalues(v: int, k: int, lam: int, mu: int) -> SrgEigenvalues:
    """The eigenvalues r, s and multiplicities f, g forced by (v, k, λ, μ), in exact integer arithmetic.

    r, s = ((λ−μ) ± √Δ)/2, Δ = (λ−μ)² + 4(k−μ); f, g = ½[(v−1) ∓ (2k + (v−1)(λ−μ))/√Δ]. When Δ is not a
    square, f and g are rational only if 2k + (v−1)(λ−μ) = 0 (then f = g = (v−1)/2: conference graphs).
    The parameters are not checked for feasibility (see :func:`gcli.bounds.srg_feasibility`).
    """
    a = lam - mu
    delta = a * a + 4 * (k - mu)
    numerator = 2 * k + (v - 1) * a
    root = math.isqrt(delta) if delta >= 0 else -1
    if delta > 0 and root * root == delta:
        r, s = Fraction(a + root, 2), Fraction(a - root, 2)
        f = (Fraction(v - 1) - Fraction(numerator, root)) / 2
        g = (Fraction(v - 1) + Fraction(numerator, root)) / 2
        return SrgEigenvalues(k, a, delta, r, s, f, g)
    if numerator == 0:
        half = Fraction(v - 1, 2)
        return SrgEigenvalues(k, a, delta, None, None, half, half)
    return SrgEigenvalues(k, a, delta, None, None, None, None)


def _multiplicity(value: Fraction | None) -> int | str | None:
    if value is None:
        return None
    return int(value) if value.denominator == 1 else _text(value)


def srg_spectrum(v: int, k: int, lam: int, mu: int) -> dict[str, Any]:
    """The adjacency spectrum of an srg(v, k, λ, μ): ``{"of", "eigenvalues", "multiplicities"}``.

    Eigenvalues are exact strings (integers, or surds for conference graphs), multiplicities integers (a
    fraction string only for infeasible parameters). From the parameters alone: no eigendecomposition.
    """
    e = srg_eigenvalues(v, k, lam, mu)
    return {
        "of": "adjacency",
        "eigenvalues": [str(k), e.text("r"), e.text("s")],
        "multiplicities": [1, _multiplicity(e.f), _multiplicity(e.g)],
    }


def design_spectrum(v: int, k: int, lam: int) -> dict[str, Any]:
    """Eigenvalues of N·Nᵀ for a 2-(v, k, λ) design: rk (once) and r − λ (v − 1 times), r = λ(v−1)/(k−1)."""
    r = Fraction(lam * (v - 1), k - 1)
    return {"of": "N·Nᵀ", "eigenvalues": [_text(r * k), _text(r - lam)], "multiplicities": [1, v - 1]}


def symmetric_design_error(v: int, k: int, lam: int, s: int) -> tuple[Fraction, Fraction]:
    """(a, err): the least-squares weight and error of the code B = c·Nᵀ of a symmetric 2-(v, k, λ) design with s
    of its n = v workers straggling, the same for every straggler set (Kadhe, Koyluoglu, Ramchandran, ISIT 2019).

    For any set F of n − s blocks the rows of B_F = Nᵀ_F satisfy B_F B_Fᵀ = (k−λ)I + λJ (two blocks
    of a symmetric design meet in λ points) and B_F 1 = k·1, so the least-squares solution of B_Fᵀ a = 1 is
    constant, a = k/(k + λ(n−s−1)), and ‖B_Fᵀ a − 1‖² = n − 2a·k(n−s) + a²·(n−s)(k + λ(n−s−1))
    = n − k²(n−s)/(k + λ(n−s−1)). Scaling B by c > 0 divides a by c and leaves the error unchanged.

    Example (the Fano plane):
        >>> [str(symmetric_design_error(7, 3, 1, s)[1]) for s in range(5)]
        ['0', '1/4', '4/7', '1', '8/5']
    """
    if not 0 <= s < v:
        raise ValueError(f"need 0 ≤ s < v = {v} (got s = {s})")
    denominator = k + lam * (v - s - 1)
    return Fraction(k, denominator), v - Fraction(k * k * (v - s), denominator)


_DENSE_BELOW = 3  # ARPACK needs more vertices than wanted eigenvalues: 1 or 2 vertices are solved directly


def _extreme_eigenvalues(matrix: Any, n: int) -> tuple[float, float, float]:
    """(largest, second largest, smallest) eigenvalue of a symmetric matrix (sparse Lanczos, fixed start)."""
    import numpy as np

    if n < _DENSE_BELOW:
        dense = matrix.toarray() if hasattr(matrix, "toarray") else np.asarray(matrix)
        values = np.linalg.eigvalsh(dense.astype(np.float64))
        second = float(values[-2]) if n > 1 else float(values[-1])
        return float(values[-1]), second, float(values[0])
    from scipy.sparse.linalg import eigsh

    start = np.random.default_rng(20240601).standard_normal(n)  # fixed: same graph, same digits
    top = np.sort(eigsh(matrix, k=2, which="LA", v0=start, return_eigenvectors=False))
    bottom = eigsh(matrix, k=1, which="SA", v0=start, return_eigenvectors=False)
    return float(top[1]), float(top[0]), float(bottom[0])


def regular_spectrum(adjacency: Any) -> dict[str, Any]:
    """Degree, second largest and smallest adjacency eigenvalue of a regular (multi)graph, and derived values.

    Returns ``{"of": "adjacency", "degree", "second_largest", "smallest", "second_largest_modulus",
    "spectral_gap"}`` rounded to 10 digits; second_largest_modulus = max(|λ₂|, |λ_min|) is the λ of the expander
    mixing bound, spectral_gap = d − λ₂. Sparse Lanczos (eigsh) for three eigenvalues, not a full spectrum.
    """
    import numpy as np
    import scipy.sparse as sp

    matrix = sp.csr_matrix(adjacency, dtype=np.float64)
    n = matrix.shape[0]
    degree, second, smallest = _extreme_eigenvalues(matrix, n)
    if n == 1:
        second = smallest = degree
    modulus = max(abs(second), abs(smallest)) if n > 1 else 0.0
    return {
        "of": "adjacency",
        "degree": round(degree, 10),
        "second_largest": round(second, 10),
        "smallest": round(smallest, 10),
        "second_largest_modulus": round(modulus, 10),
        "spectral_gap": round(degree - second, 10) if n > 1 else 0.0,
    }


def bipartite_singular_values(support: Any) -> tuple[float, float]:
    """The two largest singular values σ₁ ≥ σ₂ of a worker × partition support S (via eigsh on Sᵀ·S)."""
    import numpy as np
    import scipy.sparse as sp

    matrix = sp.csr_matrix(support, dtype=np.float64)
    gram = (matrix.T @ matrix).tocsr()
    n = gram.shape[0]
    top, second, _ = _extreme_eigenvalues(gram, n)
    if n == 1:
        second = 0.0
    return math.sqrt(max(top, 0.0)), math.sqrt(max(second, 0.0))
