"""Gradient-code constructions: one plain function per family, each returning a :class:`gcli.Code`.

``SCHEMES`` maps the CLI name of each family to its function; ``gcli design`` builds one subcommand per entry
from the function's signature and docstring. Adding a family = one function + one line here + tests.
"""

from __future__ import annotations

from collections.abc import Callable

from gcli.code import Code

from ._common import CliFlags
from .designs import BlockDesign, bibd, bibd_code, bibd_construction
from .graphs import graph_code, srg_code
from .hierarchical import hierarchical as hierarchical
from .mds import linear_code_generator, mds, mds_decoder, minimum_distance
from .reed_solomon import evaluation_points, reed_solomon
from .repetition import cyclic_repetition, fractional_repetition
from .srg import StronglyRegularGraph, srg_construction

__all__ = [
    "SCHEMES",
    "BlockDesign",
    "CliFlags",
    "StronglyRegularGraph",
    "bibd",
    "bibd_code",
    "bibd_construction",
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
    "srg_construction",
]

SCHEMES: dict[str, Callable[..., Code]] = {
    "frc": fractional_repetition,
    "crc": cyclic_repetition,
    "reed-solomon": reed_solomon,
    "mds": mds,
    "bibd": bibd_code,
    "srg": srg_code,
    "graph": graph_code,
}
