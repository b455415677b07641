"""Information-theoretic bounds for gradient codes, as exact rationals where the mathematics is exact.

Names are imported on first use (PEP 562): ``gcli bound tradeoff`` loads neither sympy nor numpy. Rationals are
computed with :class:`fractions.Fraction` and handed out as sympy Rationals (:mod:`gcli.bounds._exact`).

The necessary conditions for designs and strongly regular graphs are here (:mod:`gcli.bounds.existence`); the
existence oracle that also consults gcli's constructions and the published tables is
``gcli.constructions.bibd_exists`` / ``gcli.constructions.srg_exists``.

Example:
    >>> from gcli.bounds import min_computation_load
    >>> min_computation_load(12, 2, m=2).min_load
    4
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .existence import Existence, bibd_necessary_conditions, bruck_ryser_chowla, srg_feasibility
    from .hierarchical import (
        HierarchicalBound,
        hierarchical_bound,
        hierarchical_bound_for_load,
        hierarchical_tradeoff,
    )
    from .tradeoff import TradeoffBound, min_computation_load, min_replication

_LAZY: dict[str, str] = {
    "Existence": ".existence",
    "bibd_necessary_conditions": ".existence",
    "bruck_ryser_chowla": ".existence",
    "srg_feasibility": ".existence",
    "HierarchicalBound": ".hierarchical",
    "hierarchical_bound": ".hierarchical",
    "hierarchical_bound_for_load": ".hierarchical",
    "hierarchical_tradeoff": ".hierarchical",
    "TradeoffBound": ".tradeoff",
    "min_computation_load": ".tradeoff",
    "min_replication": ".tradeoff",
}

__all__ = [
    "Existence",
    "HierarchicalBound",
    "TradeoffBound",
    "bibd_necessary_conditions",
    "bruck_ryser_chowla",
    "hierarchical_bound",
    "hierarchical_bound_for_load",
    "hierarchical_tradeoff",
    "min_computation_load",
    "min_replication",
    "srg_feasibility",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
