"""Which code should I use? :func:`advise` puts every registered family on one Pareto table.

For n workers (or K relays with their clusters), s stragglers or a failure rate p, a adversaries and budgets on
the computation load and the message size, :func:`advise` enumerates candidates from the registry
(:data:`gcli.constructions.SCHEMES`), prunes with the bounds before building anything, builds and certifies what
is left (caching per parameter set), scores every certified code on the same axes (load and its gap to the
trade-off bound, message size, error, expected time per iteration under the simulator's delay model), marks the
Pareto front and picks the best by an objective. The result is an :class:`Advice` (rows, front, chosen).

This layer sits above the constructions and the simulator (it uses both) and below the figures and the command
line (``gcli advise``).

Example:
    >>> import gcli
    >>> advice = gcli.advise(n=8, s=2, families=("crc", "reed-solomon"), rounds=5)
    >>> advice.chosen.exact, advice.chosen.meets_bound
    (True, True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gcli._lazy import lazy_namespace

if TYPE_CHECKING:
    from .advisor import Advice, AdviceRequest, Row, advise

_LAZY: dict[str, str] = {
    "Advice": ".advisor",
    "AdviceRequest": ".advisor",
    "Row": ".advisor",
    "advise": ".advisor",
}

__all__ = ["Advice", "AdviceRequest", "Row", "advise"]

__getattr__, __dir__ = lazy_namespace(__name__, _LAZY, globals())
