"""Information-theoretic bounds for gradient codes, as exact rationals where the mathematics is exact."""

from __future__ import annotations

from .tradeoff import TradeoffBound, min_computation_load, min_replication

__all__ = ["TradeoffBound", "min_computation_load", "min_replication"]
