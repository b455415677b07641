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

from gcli._lazy import lazy_namespace

_LAZY: dict[str, str] = {
    "CYCLIC_DIFFERENCE_FAMILIES": ".difference_sets",
    "GRAPH_FAMILIES": ".regular_graphs",
    "GROUP_DIFFERENCE_FAMILIES": ".difference_sets",
    "ORBIT_FAMILIES": ".difference_sets",
    "PARTIAL_DIFFERENCE_SETS": ".algebraic_graphs",
    "ROTATIONAL_DESIGNS": ".rotational_designs",
    "affine_geometry_design": ".geometries",
    "affine_polar_graph": ".polar_graphs",
    "affine_polar_params": ".polar_graphs",
    "bibd": ".catalog",
    "bibd_construction": ".catalog",
    "bibd_exists": ".catalog",
    "bipartite_regular_support": ".regular_graphs",
    "biquadratic_residue_design": ".difference_sets",
    "cameron_graph": ".golay_graphs",
    "chang_graph": ".sporadic_graphs",
    "clebsch_graph": ".sporadic_graphs",
    "complement": ".combinatorial_graphs",
    "complementary_design": ".design_operations",
    "complete_design": ".design_operations",
    "cyclic_difference_family_design": ".difference_sets",
    "cyclotomic_graph": ".algebraic_graphs",
    "cyclotomic_srgs": ".algebraic_graphs",
    "derived_design": ".design_operations",
    "dual_polar_quadrangle_graph": ".polar_graphs",
    "flag_graph": ".combinatorial_graphs",
    "gewirtz_graph": ".sporadic_graphs",
    "goethals_graph": ".golay_graphs",
    "gritsenko_graph": ".group_graphs",
    "group_difference_family_design": ".difference_sets",
    "hadamard_design": ".hadamard",
    "hadamard_matrix": ".hadamard",
    "haemers_graph": ".polar_graphs",
    "has_hadamard_matrix": ".hadamard",
    "hermitian_unital": ".geometries",
    "higman_sims_graph": ".sporadic_graphs",
    "hoffman_singleton_edge_graph": ".golay_graphs",
    "hoffman_singleton_graph": ".sporadic_graphs",
    "hyperoval_quadrangle_graph": ".polar_graphs",
    "johnson_merge_graph": ".combinatorial_graphs",
    "jorgensen_klin_graph": ".group_graphs",
    "latin_square_graph": ".combinatorial_graphs",
    "lattice_graph": ".combinatorial_graphs",
    "lps_graph": ".regular_graphs",
    "m22_graph": ".sporadic_graphs",
    "margulis_graph": ".regular_graphs",
    "mathon_graph": ".algebraic_graphs",
    "mathon_rosa_graph": ".combinatorial_graphs",
    "max_mols": ".latin_squares",
    "mclaughlin_graph": ".golay_graphs",
    "mclaughlin_subconstituent": ".golay_graphs",
    "mols": ".latin_squares",
    "multiple_design": ".design_operations",
    "neighbourhood_design": ".designs_from_graphs",
    "nonisotropic_graph": ".polar_graphs",
    "orbit_design": ".difference_sets",
    "paley_difference_set_design": ".difference_sets",
    "paley_graph": ".algebraic_graphs",
    "partial_difference_set_graph": ".algebraic_graphs",
    "petersen_graph": ".sporadic_graphs",
    "polar_graph": ".polar_graphs",
    "polar_params": ".polar_graphs",
    "primitive_polynomial": ".._geometry",
    "projective_geometry_design": ".geometries",
    "random_regular_graph": ".regular_graphs",
    "regular_graph": ".regular_graphs",
    "residual_design": ".design_operations",
    "rotational_design": ".rotational_designs",
    "schlafli_graph": ".sporadic_graphs",
    "shrikhande_graph": ".sporadic_graphs",
    "singer_difference_set": ".difference_sets",
    "srg": ".catalog",
    "srg_candidates": ".catalog",
    "srg_construction": ".catalog",
    "srg_exists": ".catalog",
    "steiner_block_graph": ".combinatorial_graphs",
    "steiner_triple_system": ".triple_systems",
    "switched_latin_square_graph": ".combinatorial_graphs",
    "ternary_golay_graph": ".golay_graphs",
    "triangular_graph": ".combinatorial_graphs",
    "witt_graph": ".golay_graphs",
}
"""Public name → the module that defines it (imported on first use, PEP 562)."""

__all__ = sorted(_LAZY)


__getattr__, __dir__ = lazy_namespace(__name__, _LAZY, globals())
