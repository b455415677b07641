"""Gradient-code constructions: one plain function per family, each returning a :class:`gcli.Code`.

Public names are imported on first use (PEP 562), so ``import gcli.constructions`` is instant and a command
pays only for the families it uses. :data:`SCHEMES` (from :mod:`gcli.constructions.registry`) maps the name of
each ``gcli design`` subcommand to its record: builder, optional ``--workers`` search, command-line metadata.

Example:
    >>> from gcli.constructions import SCHEMES, cyclic_repetition
    >>> cyclic_repetition(8, 2).d, SCHEMES["crc"].builder
    (3, 'cyclic_repetition')
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .registry import SCHEMES, Option, Scheme

if TYPE_CHECKING:
    from ._common import CliFlags
    from .designs import BlockDesign, bibd, bibd_code, bibd_construction, bibd_search
    from .graphs import graph_code, srg_code, srg_search
    from .hierarchical_codes import hierarchical
    from .linear_codes import linear_code_generator, mds, mds_decoder, minimum_distance
    from .polynomial_codes import evaluation_points, reed_solomon
    from .repetition import cyclic_repetition, fractional_repetition
    from .srg import StronglyRegularGraph, srg_construction

_LAZY: dict[str, str] = {
    "CliFlags": "._common",
    "BlockDesign": ".designs",
    "bibd": ".designs",
    "bibd_code": ".designs",
    "bibd_construction": ".designs",
    "bibd_search": ".designs",
    "graph_code": ".graphs",
    "hierarchical": ".hierarchical_codes",
    "srg_code": ".graphs",
    "srg_search": ".graphs",
    "linear_code_generator": ".linear_codes",
    "mds": ".linear_codes",
    "mds_decoder": ".linear_codes",
    "minimum_distance": ".linear_codes",
    "evaluation_points": ".polynomial_codes",
    "reed_solomon": ".polynomial_codes",
    "cyclic_repetition": ".repetition",
    "fractional_repetition": ".repetition",
    "StronglyRegularGraph": ".srg",
    "srg_construction": ".srg",
}

__all__ = [
    "SCHEMES",
    "BlockDesign",
    "CliFlags",
    "Option",
    "Scheme",
    "StronglyRegularGraph",
    "bibd",
    "bibd_code",
    "bibd_construction",
    "bibd_search",
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
    "srg_construction",
    "srg_search",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
