"""Exact values in gcli.bounds: how rationals are computed, shown and handed to users.

Policy (one rational type across ``gcli.bounds``):

* every bound is *computed* exactly with Python integers and :class:`fractions.Fraction` (the standard library:
  importing it costs nothing, so ``gcli bound …`` starts in a blink);
* every public rational *value* is a :class:`sympy.Rational`: result objects keep the Fraction and expose it
  through a property built with :func:`to_sympy`, which imports sympy on first use only;
* text and JSON show a rational as ``"p/q"`` (or ``"p"``) via :func:`text`, without sympy.

Example:
    >>> from fractions import Fraction
    >>> text(Fraction(6, 10)), to_sympy(Fraction(6, 10))
    ('3/5', 3/5)
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sympy

__all__ = ["Fraction", "text", "to_sympy"]


def to_sympy(value: Fraction | int) -> sympy.Rational:
    """The exact value as a sympy Rational (sympy is imported here, on first use)."""
    import sympy

    value = Fraction(value)
    return sympy.Rational(value.numerator, value.denominator)


def text(value: Fraction | int) -> str:
    """``"p/q"`` in lowest terms, or ``"p"`` for an integer: the form used in JSON and on the terminal."""
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
