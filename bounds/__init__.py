"""Information-theoretic bounds for gradient codes, as exact rationals where the mathematics is exact."""

from __future__ import annotations

from .existence import Existence, bibd_exists, srg_exists, srg_feasibility
from .tradeoff import TradeoffBound, min_computation_load, min_replication

__all__ = [
    "Existence",
    "TradeoffBound",
    "bibd_exists",
    "min_computation_load",
    "min_replication",
    "srg_exists",
    "srg_feasibility",
]
