"""Information-theoretic bounds for gradient codes, as exact rationals where the mathematics is exact."""

from __future__ import annotations

from .existence import Existence, bibd_exists, srg_exists, srg_feasibility
from .hierarchical import (
    HierarchicalBound,
    hierarchical_bound,
    hierarchical_bound_for_load,
    hierarchical_tradeoff,
)
from .tradeoff import TradeoffBound, min_computation_load, min_replication

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
