"""Gradient-code constructions: one plain function per family, each returning a :class:`gcli.Code`.

``SCHEMES`` maps the CLI name of each family to its function; ``gcli design`` builds one subcommand per entry
from the function's signature and docstring. Adding a family = one function + one line here + tests.

The combinatorial structures behind the approximate codes (designs, strongly regular and regular graphs, the
catalog and the existence oracle) are in :mod:`gcli.constructions.combinatorics`; their public names are
re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable

from gcli.code import Code
from gcli.structures import BlockDesign, StronglyRegularGraph

from . import combinatorics
from ._common import CliFlags
from .combinatorics import *  # noqa: F403  (the families and the catalog, listed in combinatorics.__all__)
from .mds import linear_code_generator, mds, mds_decoder, minimum_distance
from .reed_solomon import evaluation_points, reed_solomon
from .repetition import cyclic_repetition, fractional_repetition
from .structure_codes import bibd_code, bibd_search, graph_code, srg_code, srg_search

__all__ = [
    "SCHEMES",
    "BlockDesign",
    "CliFlags",
    "StronglyRegularGraph",
    "bibd_code",
    "bibd_search",
    "cyclic_repetition",
    "evaluation_points",
    "fractional_repetition",
    "graph_code",
    "linear_code_generator",
    "mds",
    "mds_decoder",
    "minimum_distance",
    "reed_solomon",
    "srg_code",
    "srg_search",
]
__all__ += combinatorics.__all__

SCHEMES: dict[str, Callable[..., Code]] = {
    "frc": fractional_repetition,
    "crc": cyclic_repetition,
    "reed-solomon": reed_solomon,
    "mds": mds,
    "bibd": bibd_code,
    "srg": srg_code,
    "graph": graph_code,
}
