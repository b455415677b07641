"""Parameter types shared by the commands: finite floats and integers bounded by :mod:`gcli.io.limits`.

click's ``FloatRange(min=0)`` lets ``nan`` through (every comparison with nan is false) and ``inf`` too, so
``--tolerance nan`` failed every real code and ``--tolerance inf`` passed anything; :class:`FiniteFloat`
refuses both. :class:`LimitedInt` is an ``IntRange`` whose upper end is a named limit read when the value is
converted (so ``GCLI_MAX_SAMPLE=…`` raises it for one run). Both answer in click's one line, exit status 2.

Example:
    >>> FiniteFloat(min=0).convert("1e-6", None, None)
    1e-06
    >>> LimitedInt("max_sample", min=1).convert("5", None, None)
    5
"""

from __future__ import annotations

import math
from typing import Any

import click

__all__ = ["FiniteFloat", "IntRange", "LimitedInt", "describe_range"]


def describe_range(low: object, high: object, low_open: bool = False, high_open: bool = False) -> str:
    """The ``[…]`` range shown in help: ``0<=x<=1``, ``x>=0``, ``x<=5``, or nothing for an unbounded range (click
    alone prints ``x<=None`` there)."""
    if low is None and high is None:
        return ""
    if low is None:
        return f"x{'<' if high_open else '<='}{high}"
    if high is None:
        return f"x{'>' if low_open else '>='}{low}"
    return f"{low}{'<' if low_open else '<='}x{'<' if high_open else '<='}{high}"


class IntRange(click.IntRange):
    """click's ``IntRange`` shown as ``INTEGER`` with its bounds (not ``INTEGER RANGE``, never ``x<=None``)."""

    name = "integer"

    def _describe_range(self) -> str:
        return describe_range(self.min, self.max, self.min_open, self.max_open)


class FiniteFloat(click.FloatRange):
    """A float in a range that must also be finite (no nan, no ±inf)."""

    name = "float"

    def _describe_range(self) -> str:
        return describe_range(self.min, self.max, self.min_open, self.max_open)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number", param, ctx)
        return number


class LimitedInt(IntRange):
    """An integer at least ``min`` and at most the current value of limit ``name`` (:func:`gcli.io.limits.limit`)."""

    def __init__(self, name: str, min: int | None = None) -> None:
        super().__init__(min=min)
        self.limit_name = name

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        from gcli.io.limits import limit

        bound = limit(self.limit_name)
        if number > bound:
            self.fail(f"{number} exceeds the limit of {bound} (set GCLI_{self.limit_name.upper()} to raise it)",
                      param, ctx)
        return number

    def _describe_range(self) -> str:
        from gcli.io.limits import limit

        return describe_range(self.min, limit(self.limit_name))
