"""Combinatorial structures for approximate gradient codes: design and graph families, and the catalog.

Layers (nothing imports upwards, designs and graph families meet only in the catalog):

* bottom: the objects and their checks in the core, :mod:`gcli.structures` (:class:`~gcli.structures.BlockDesign`,
  :class:`~gcli.structures.StronglyRegularGraph`, exact spectra, coefficient rules, the certificate);
* families, one job per module: :mod:`.geometries` (PG/AG designs, unitals), :mod:`.difference_sets` (Singer,
  Paley, quartic residues, difference families), :mod:`.triple_systems`, :mod:`.hadamard`,
  :mod:`.design_operations` (complement, residual, derived, copies, complete designs), :mod:`.designs_from_graphs`,
  :mod:`.algebraic_graphs` (Paley, cyclotomic, partial difference sets), :mod:`.polar_graphs` (polar, affine
  polar, T₂*(O), Haemers), :mod:`.combinatorial_graphs` (triangular, Latin squares, Steiner block graphs,
  complements), :mod:`.latin_squares` (MOLS), :mod:`.rotational_designs` ((v, 6, 1) and (v, 7, 1) designs from
  base blocks), :mod:`.group_graphs` (Jørgensen–Klin, Gritsenko), :mod:`.golay_graphs` (Witt designs,
  McLaughlin, ternary Golay, Hoffman–Singleton edges), :mod:`.sporadic_graphs`, :mod:`.regular_graphs`
  (expander-code graphs);
* top: :mod:`.catalog` (``bibd``, ``srg``, the construction names, ``bibd_exists`` / ``srg_exists``).

Example:
    >>> from gcli.constructions.combinatorics import paley_graph, steiner_block_graph, steiner_triple_system
    >>> paley_graph(13).params, steiner_block_graph(steiner_triple_system(13)).params
    ((13, 6, 2, 3), (26, 15, 8, 9))
"""

from __future__ import annotations

from .._geometry import primitive_polynomial
from .algebraic_graphs import (
    PARTIAL_DIFFERENCE_SETS,
    cyclotomic_graph,
    cyclotomic_srgs,
    mathon_graph,
    paley_graph,
    partial_difference_set_graph,
)
from .catalog import (
    bibd,
    bibd_construction,
    bibd_exists,
    srg,
    srg_candidates,
    srg_construction,
    srg_exists,
)
from .combinatorial_graphs import (
    complement,
    flag_graph,
    johnson_merge_graph,
    latin_square_graph,
    lattice_graph,
    mathon_rosa_graph,
    steiner_block_graph,
    switched_latin_square_graph,
    triangular_graph,
)
from .design_operations import (
    complementary_design,
    complete_design,
    derived_design,
    multiple_design,
    residual_design,
)
from .designs_from_graphs import neighbourhood_design
from .difference_sets import (
    CYCLIC_DIFFERENCE_FAMILIES,
    GROUP_DIFFERENCE_FAMILIES,
    ORBIT_FAMILIES,
    biquadratic_residue_design,
    cyclic_difference_family_design,
    group_difference_family_design,
    orbit_design,
    paley_difference_set_design,
    singer_difference_set,
)
from .geometries import affine_geometry_design, hermitian_unital, projective_geometry_design
from .golay_graphs import (
    cameron_graph,
    goethals_graph,
    hoffman_singleton_edge_graph,
    mclaughlin_graph,
    mclaughlin_subconstituent,
    ternary_golay_graph,
    witt_graph,
)
from .group_graphs import gritsenko_graph, jorgensen_klin_graph
from .hadamard import hadamard_design, hadamard_matrix, has_hadamard_matrix
from .latin_squares import max_mols, mols
from .polar_graphs import (
    affine_polar_graph,
    affine_polar_params,
    dual_polar_quadrangle_graph,
    haemers_graph,
    hyperoval_quadrangle_graph,
    nonisotropic_graph,
    polar_graph,
    polar_params,
)
from .regular_graphs import (
    GRAPH_FAMILIES,
    bipartite_regular_support,
    lps_graph,
    margulis_graph,
    random_regular_graph,
    regular_graph,
)
from .rotational_designs import ROTATIONAL_DESIGNS, rotational_design
from .sporadic_graphs import (
    chang_graph,
    clebsch_graph,
    gewirtz_graph,
    higman_sims_graph,
    hoffman_singleton_graph,
    m22_graph,
    petersen_graph,
    schlafli_graph,
    shrikhande_graph,
)
from .triple_systems import steiner_triple_system

__all__ = [
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
]
