"""Information-theoretic bounds for gradient codes, as exact rationals where the mathematics is exact.

Names are imported on first use (PEP 562): ``gcli bound tradeoff`` loads neither sympy nor numpy. Rationals are
computed with :class:`fractions.Fraction` and handed out as sympy Rationals (:mod:`gcli.bounds._exact`).

Example:
    >>> from gcli.bounds import min_computation_load
    >>> min_computation_load(12, 2, m=2).min_load
    4
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .existence import Existence, bibd_exists, srg_exists, srg_feasibility
    from .hierarchical import (
        HierarchicalBound,
        hierarchical_bound,
        hierarchical_bound_for_load,
        hierarchical_tradeoff,
    )
    from .tradeoff import TradeoffBound, min_computation_load, min_replication

_LAZY: dict[str, str] = {
    "Existence": ".existence",
    "bibd_exists": ".existence",
    "srg_exists": ".existence",
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
    "bibd_exists",
    "hierarchical_bound",
    "hierarchical_bound_for_load",
    "hierarchical_tradeoff",
    "min_computation_load",
    "min_replication",
    "srg_exists",
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
