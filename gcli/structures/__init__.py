"""Combinatorial structures in the core: design and graph objects, their checks, exact spectra, code rules.

The bottom layer of gcli's combinatorics: the constructions in :mod:`gcli.constructions` build these objects,
and ``gcli verify`` certifies the ``"design"`` / ``"graph"`` block of a code with :func:`certify_structure`
without importing any construction.

* :mod:`~gcli.structures.designs`: :class:`BlockDesign`, :func:`incidence_matrix`, :func:`check_bibd`
  (N·Nᵀ = (r−λ)I + λJ, sparse), :func:`admissible` (r, b), :func:`certified_design`;
* :mod:`~gcli.structures.graphs`: :class:`StronglyRegularGraph`, :func:`check_srg`
  (A² = kI + λA + μ(J − I − A)), :func:`check_regular`, edge lists, :func:`certified_srg`;
* :mod:`~gcli.structures.spectra`: exact SRG eigenvalues (:func:`srg_eigenvalues`, :func:`srg_spectrum`) and
  design spectra from the parameters; three eigenvalues of other regular graphs by a sparse solver;
* :mod:`~gcli.structures.rules`: the coefficient rules of the BIBD and graph codes;
* :mod:`~gcli.structures.certificate`: :func:`certify_structure` and :class:`StructureReport`.

Submodules load on first use of one of their names; scipy and networkx only inside the functions that need them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gcli._lazy import lazy_namespace

if TYPE_CHECKING:
    from gcli.structures.certificate import StructureReport, certify_structure
    from gcli.structures.designs import BlockDesign, admissible, certified_design, check_bibd, incidence_matrix
    from gcli.structures.graphs import (
        Params,
        StronglyRegularGraph,
        adjacency_from_edges,
        certified_srg,
        check_regular,
        check_srg,
        edges_with_multiplicity,
        srg_complement_params,
    )
    from gcli.structures.rules import (
        BibdRule,
        bibd_encoding,
        bibd_rule,
        bibd_support,
        graph_encoding,
        graph_support,
        incidence_support,
        nullspace_encoding,
        polynomial_encoding,
        stacked_encoding,
    )
    from gcli.structures.spectra import (
        SrgEigenvalues,
        bipartite_singular_values,
        design_spectrum,
        regular_spectrum,
        srg_eigenvalues,
        srg_spectrum,
        symmetric_design_error,
    )

_HOMES = {
    "certificate": ("StructureReport", "certify_structure"),
    "designs": ("BlockDesign", "admissible", "certified_design", "check_bibd", "incidence_matrix"),
    "graphs": ("Params", "StronglyRegularGraph", "adjacency_from_edges", "certified_srg", "check_regular",
               "check_srg", "edges_with_multiplicity", "srg_complement_params"),
    "rules": ("BibdRule", "bibd_encoding", "bibd_rule", "bibd_support", "graph_encoding", "graph_support",
              "incidence_support", "nullspace_encoding", "polynomial_encoding", "stacked_encoding"),
    "spectra": ("SrgEigenvalues", "bipartite_singular_values", "design_spectrum", "regular_spectrum",
                "srg_eigenvalues", "srg_spectrum", "symmetric_design_error"),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
    "BibdRule",
    "BlockDesign",
    "Params",
    "SrgEigenvalues",
    "StronglyRegularGraph",
    "StructureReport",
    "adjacency_from_edges",
    "admissible",
    "bibd_encoding",
    "bibd_rule",
    "bibd_support",
    "bipartite_singular_values",
    "certified_design",
    "certified_srg",
    "certify_structure",
    "check_bibd",
    "check_regular",
    "check_srg",
    "design_spectrum",
    "edges_with_multiplicity",
    "graph_encoding",
    "graph_support",
    "incidence_matrix",
    "incidence_support",
    "nullspace_encoding",
    "polynomial_encoding",
    "regular_spectrum",
    "srg_complement_params",
    "srg_eigenvalues",
    "srg_spectrum",
    "stacked_encoding",
    "symmetric_design_error",
]


# the exact SRG eigenvalues need no numpy: each name loads only the submodule that defines it
__getattr__, __dir__ = lazy_namespace(
    __name__, {name: f".{module}" for name, module in _MODULE_OF.items()}, globals())
