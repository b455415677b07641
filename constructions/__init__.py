"""Gradient-code constructions: one plain function per family, each returning a :class:`gcli.Code`.

Public names are imported on first use (PEP 562), so ``import gcli.constructions`` is instant and a command
pays only for the families it uses. :data:`SCHEMES` (from :mod:`gcli.constructions.registry`) maps the name of
each ``gcli design`` subcommand to its record: builder, optional ``--near`` search, command-line metadata.

The combinatorial structures behind the approximate codes (designs, strongly regular and regular graphs, the
catalog and the existence oracle) are in :mod:`gcli.constructions.combinatorics`; their public names are
re-exported here, as are the structure objects of the core (:class:`~gcli.structures.BlockDesign`,
:class:`~gcli.structures.StronglyRegularGraph`).

Example:
    >>> from gcli.constructions import SCHEMES, cyclic_repetition
    >>> cyclic_repetition(8, 2).d, SCHEMES["crc"].builder
    (3, 'cyclic_repetition')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gcli._lazy import lazy_namespace

from ._names import PUBLIC_NAMES
from .combinatorics import __all__ as _COMBINATORICS  # cheap: the package imports its families on first use
from .registry import SCHEMES, Scheme

if TYPE_CHECKING:
    from gcli.structures import BlockDesign, StronglyRegularGraph

    from .approximate_codes import approximate_code, biregular_support, tight_frame_decoder
    from .combinatorics import *  # noqa: F403
    from .hierarchical_codes import hierarchical
    from .linear_codes import linear_code_generator, mds, mds_decoder, minimum_distance
    from .polynomial_codes import evaluation_points, reed_solomon
    from .repetition import cyclic_repetition, fractional_repetition
    from .structure_codes import bibd_code, bibd_search, graph_code, srg_code, srg_search
    from .universal_codes import universal

_LAZY = PUBLIC_NAMES

__all__ = [
    "SCHEMES",
    "BlockDesign",
    "Scheme",
    "StronglyRegularGraph",
    "approximate_code",
    "bibd_code",
    "bibd_search",
    "biregular_support",
    "cyclic_repetition",
    "evaluation_points",
    "fractional_repetition",
    "graph_code",
    "hierarchical",
    "linear_code_generator",
    "mds",
    "mds_decoder",
    "minimum_distance",
    "reed_solomon",
    "srg_code",
    "srg_search",
    "tight_frame_decoder",
    "universal",
    *_COMBINATORICS,
]


__getattr__, __dir__ = lazy_namespace(__name__, _LAZY, globals())
