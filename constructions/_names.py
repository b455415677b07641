"""Where each public name of :mod:`gcli.constructions` lives (module, relative to the package): the table the
package serves its names from on first use, and the one :mod:`gcli.constructions.registry` loads a scheme's builder
by, so the registry never imports the package that imports it."""

from __future__ import annotations

from .combinatorics import __all__ as _COMBINATORICS  # cheap: the package imports its families on first use

__all__ = ["PUBLIC_NAMES"]

PUBLIC_NAMES: dict[str, str] = {
    "BlockDesign": "gcli.structures",
    "StronglyRegularGraph": "gcli.structures",
    "approximate_code": ".approximate_codes",
    "biregular_support": ".approximate_codes",
    "tight_frame_decoder": ".approximate_codes",
    "hierarchical": ".hierarchical_codes",
    "universal": ".universal_codes",
    "linear_code_generator": ".linear_codes",
    "mds": ".linear_codes",
    "mds_decoder": ".linear_codes",
    "minimum_distance": ".linear_codes",
    "evaluation_points": ".polynomial_codes",
    "reed_solomon": ".polynomial_codes",
    "cyclic_repetition": ".repetition",
    "fractional_repetition": ".repetition",
    "bibd_code": ".structure_codes",
    "bibd_search": ".structure_codes",
    "graph_code": ".structure_codes",
    "srg_code": ".structure_codes",
    "srg_search": ".structure_codes",
    **dict.fromkeys(_COMBINATORICS, ".combinatorics"),
}
