"""Gradient-code constructions: one plain function per family, each returning a :class:`gcli.Code`.

``SCHEMES`` maps the CLI name of each family to its function; ``gcli design`` builds one subcommand per entry
from the function's signature and docstring. Adding a family = one function + one line here + tests.
"""

from __future__ import annotations

from collections.abc import Callable

from gcli.code import Code

from ._common import CliFlags
from .mds import linear_code_generator, mds, mds_decoder, minimum_distance
from .reed_solomon import evaluation_points, reed_solomon
from .repetition import cyclic_repetition, fractional_repetition

__all__ = [
    "SCHEMES",
    "CliFlags",
    "cyclic_repetition",
    "evaluation_points",
    "fractional_repetition",
    "linear_code_generator",
    "mds",
    "mds_decoder",
    "minimum_distance",
    "reed_solomon",
]

SCHEMES: dict[str, Callable[..., Code]] = {
    "frc": fractional_repetition,
    "crc": cyclic_repetition,
    "reed-solomon": reed_solomon,
    "mds": mds,
}
