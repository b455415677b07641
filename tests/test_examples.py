"""The examples in the docstrings of the structure layer run and print what they say."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "gcli.structures.designs", "gcli.structures.graphs", "gcli.structures.spectra", "gcli.structures.rules",
    "gcli.structures.certificate", "gcli.constructions._geometry", "gcli.bounds.existence",
    "gcli.constructions.universal_codes", "gcli.bounds.tradeoff", "gcli.io.placements", "gcli.fields.cyclotomic",
    "gcli.constructions.linear_codes", "gcli.constructions._common",
    *(f"gcli.constructions.combinatorics.{name}" for name in (
        "geometries", "difference_sets", "triple_systems", "hadamard", "design_operations", "designs_from_graphs",
        "algebraic_graphs", "polar_graphs", "combinatorial_graphs", "sporadic_graphs", "regular_graphs",
        "catalog.builders", "catalog.existence", "catalog")),
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0
