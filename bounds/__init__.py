"""Information-theoretic bounds for gradient codes, as exact rationals where the mathematics is exact.

Names are imported on first use (PEP 562): ``gcli bound tradeoff`` loads neither sympy nor numpy. Rationals are
computed with :class:`fractions.Fraction` and handed out as sympy Rationals (:mod:`gcli.bounds._exact`).

Approximate codes (:mod:`gcli.bounds.approximation`): the symmetric-BIBD closed form, the expander and
Glasgow–Wootters upper bounds, the Eckart–Young lower bounds (a support, or every scheme of a given load) and the
bound on unbiased schemes, with the tables of ``gcli bound approx``.

The necessary conditions for designs and strongly regular graphs are here (:mod:`gcli.bounds.existence`); the
existence oracle that also consults gcli's constructions and the published tables is
``gcli.constructions.bibd_exists`` / ``gcli.constructions.srg_exists``.

Example:
    >>> from gcli.bounds import min_computation_load
    >>> min_computation_load(12, 2, m=2).min_load
    4
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gcli._lazy import lazy_namespace

if TYPE_CHECKING:
    from .approximation import (
        ApproxBound,
        ApproxTable,
        any_scheme_error_table,
        bibd_error_table,
        eckart_young_any_scheme,
        eckart_young_bound,
        expander_bound,
        glasgow_wootters_bound,
        srg_error_table,
        symmetric_bibd_error,
        unbiased_lower_bound,
        unbiased_lower_bound_any_scheme,
    )
    from .existence import Existence, bibd_necessary_conditions, bruck_ryser_chowla, srg_feasibility
    from .hierarchical import (
        HierarchicalBound,
        hierarchical_bound,
        hierarchical_bound_for_load,
        hierarchical_tradeoff,
    )
    from .tradeoff import PlacementBound, TradeoffBound, min_computation_load, min_replication, placement_tradeoff

_LAZY: dict[str, str] = {
    "ApproxBound": ".approximation",
    "ApproxTable": ".approximation",
    "any_scheme_error_table": ".approximation",
    "bibd_error_table": ".approximation",
    "eckart_young_any_scheme": ".approximation",
    "eckart_young_bound": ".approximation",
    "expander_bound": ".approximation",
    "glasgow_wootters_bound": ".approximation",
    "srg_error_table": ".approximation",
    "symmetric_bibd_error": ".approximation",
    "unbiased_lower_bound": ".approximation",
    "unbiased_lower_bound_any_scheme": ".approximation",
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
    "PlacementBound": ".tradeoff",
    "placement_tradeoff": ".tradeoff",
}

__all__ = [
    "ApproxBound",
    "ApproxTable",
    "Existence",
    "HierarchicalBound",
    "PlacementBound",
    "TradeoffBound",
    "any_scheme_error_table",
    "bibd_error_table",
    "bibd_necessary_conditions",
    "bruck_ryser_chowla",
    "eckart_young_any_scheme",
    "eckart_young_bound",
    "expander_bound",
    "glasgow_wootters_bound",
    "hierarchical_bound",
    "hierarchical_bound_for_load",
    "hierarchical_tradeoff",
    "min_computation_load",
    "min_replication",
    "placement_tradeoff",
    "srg_error_table",
    "srg_feasibility",
    "symmetric_bibd_error",
    "unbiased_lower_bound",
    "unbiased_lower_bound_any_scheme",
]


__getattr__, __dir__ = lazy_namespace(__name__, _LAZY, globals())
