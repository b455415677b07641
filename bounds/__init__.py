"""Information-theoretic bounds for gradient codes, as exact rationals where the mathematics is exact.

The necessary conditions for designs and strongly regular graphs are here (:mod:`gcli.bounds.existence`); the
existence oracle that also consults gcli's constructions and the published tables is
``gcli.constructions.bibd_exists`` / ``gcli.constructions.srg_exists``.
"""

from __future__ import annotations

from .existence import Existence, bibd_necessary_conditions, bruck_ryser_chowla, srg_feasibility
from .tradeoff import TradeoffBound, min_computation_load, min_replication

__all__ = [
    "Existence",
    "TradeoffBound",
    "bibd_necessary_conditions",
    "bruck_ryser_chowla",
    "min_computation_load",
    "min_replication",
    "srg_feasibility",
]
