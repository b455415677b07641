"""Gradient-code constructions: one plain function per family, each returning a :class:`gcli.Code`.

Public names are imported on first use (PEP 562), so ``import gcli.constructions`` is instant and a command
pays only for the families it uses. :data:`SCHEMES` (from :mod:`gcli.constructions.registry`) maps the name of
each ``gcli design`` subcommand to its record: builder, optional ``--workers`` search, command-line metadata.

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

import importlib
from typing import TYPE_CHECKING, Any

from .registry import SCHEMES, Option, Scheme

if TYPE_CHECKING:
    from gcli.structures import BlockDesign, StronglyRegularGraph

    from .approximate_codes import approximate_code, biregular_support, tight_frame_decoder
    from .combinatorics import *  # noqa: F403
    from .hierarchical_codes import hierarchical
    from .linear_codes import linear_code_generator, mds, mds_decoder, minimum_distance
    from .polynomial_codes import evaluation_points, reed_solomon
    from .repetition import cyclic_repetition, fractional_repetition
    from .structure_codes import bibd_code, bibd_search, graph_code, srg_code, srg_search

_COMBINATORICS = (
    "CYCLIC_DIFFERENCE_FAMILIES",
    "GRAPH_FAMILIES",
    "GROUP_DIFFERENCE_FAMILIES",
    "ORBIT_FAMILIES",
    "PARTIAL_DIFFERENCE_SETS",
    "ROTATIONAL_DESIGNS",
    "affine_geometry_design",
    "affine_polar_graph",
    "affine_polar_params",
    "bibd",
    "bibd_construction",
    "bibd_exists",
    "bipartite_regular_support",
    "biquadratic_residue_design",
    "cameron_graph",
    "chang_graph",
    "clebsch_graph",
    "complement",
    "complementary_design",
    "complete_design",
    "cyclic_difference_family_design",
    "cyclotomic_graph",
    "cyclotomic_srgs",
    "derived_design",
    "dual_polar_quadrangle_graph",
    "flag_graph",
    "gewirtz_graph",
    "goethals_graph",
    "gritsenko_graph",
    "group_difference_family_design",
    "hadamard_design",
    "hadamard_matrix",
    "haemers_graph",
    "has_hadamard_matrix",
    "hermitian_unital",
    "higman_sims_graph",
    "hoffman_singleton_edge_graph",
    "hoffman_singleton_graph",
    "hyperoval_quadrangle_graph",
    "johnson_merge_graph",
    "jorgensen_klin_graph",
    "latin_square_graph",
    "lattice_graph",
    "lps_graph",
    "m22_graph",
    "margulis_graph",
    "mathon_graph",
    "mathon_rosa_graph",
    "max_mols",
    "mclaughlin_graph",
    "mclaughlin_subconstituent",
    "mols",
    "multiple_design",
    "neighbourhood_design",
    "nonisotropic_graph",
    "orbit_design",
    "paley_difference_set_design",
    "paley_graph",
    "partial_difference_set_graph",
    "petersen_graph",
    "polar_graph",
    "polar_params",
    "primitive_polynomial",
    "projective_geometry_design",
    "random_regular_graph",
    "regular_graph",
    "residual_design",
    "rotational_design",
    "schlafli_graph",
    "shrikhande_graph",
    "singer_difference_set",
    "srg",
    "srg_candidates",
    "srg_construction",
    "srg_exists",
    "steiner_block_graph",
    "steiner_triple_system",
    "switched_latin_square_graph",
    "ternary_golay_graph",
    "triangular_graph",
    "witt_graph",
)
"""The public names of :mod:`gcli.constructions.combinatorics` (its ``__all__``; a test keeps them equal)."""

_LAZY: dict[str, str] = {
    "BlockDesign": "gcli.structures",
    "StronglyRegularGraph": "gcli.structures",
    "approximate_code": ".approximate_codes",
    "biregular_support": ".approximate_codes",
    "tight_frame_decoder": ".approximate_codes",
    "hierarchical": ".hierarchical_codes",
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

__all__ = [
    "SCHEMES",
    "BlockDesign",
    "Option",
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
    *_COMBINATORICS,
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
