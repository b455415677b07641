"""gcli's catalog against ground truth computed once by SageMath (tests/data/sage_vectors.json, made by
tests/make_sage_vectors.py). No SageMath needed here.

Always compared: parameters, b and r, the SRG spectra (gcli's exact formulas against SageMath's numerical
eigenvalues of its own graph), triangle counts. Compared when the invariant is determined by the parameters or when
SageMath found gcli's object isomorphic to its own: block intersection numbers, Pasch configurations, the number of
K4s through each vertex.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from gcli import constructions as C
from gcli.structures import admissible, srg_complement_params, srg_eigenvalues

DATA = json.loads((Path(__file__).parent / "data" / "sage_vectors.json").read_text())
DESIGNS = {tuple(row["params"]): row for row in DATA["designs"]}
GRAPHS = {tuple(row["params"]): row for row in DATA["graphs"]}


def test_vectors_cover_the_catalog():
    steiner = [(v, k) for v in range(7, 101) for k in range(3, v)
               if admissible(v, k, 1) and C.bibd_exists(v, k, 1).exists]
    assert len(steiner) == 68 and all((v, k, 1) in DESIGNS for v, k in steiner)
    small = {min(p, srg_complement_params(p)) for p in GRAPHS if p[0] <= 100}
    assert len(small) == 69
    assert DATA["generated_by"]["script"] == "tests/make_sage_vectors.py"


def intersections(blocks) -> dict[str, int]:
    incidence = np.zeros((len(blocks), max(max(b) for b in blocks) + 1), dtype=np.float32)
    for i, block in enumerate(blocks):
        incidence[i, list(block)] = 1
    meets = incidence @ incidence.T  # small integers: exact in float32
    upper = meets[np.triu_indices(len(blocks), 1)].astype(np.int64)
    counts = Counter(upper.tolist())
    return {str(i): counts.get(i, 0) for i in range(len(blocks[0]) + 1)}


def pasch(blocks) -> int:
    third = {}
    for b in blocks:
        for x, y in itertools.permutations(b, 2):
            third[(x, y)] = next(z for z in b if z not in (x, y))
    count = 0
    for b1, b2 in itertools.combinations(blocks, 2):
        common = set(b1) & set(b2)
        if len(common) != 1:
            continue
        (a,) = common
        p, q = [x for x in b1 if x != a]
        r, s = [x for x in b2 if x != a]
        count += (third[(p, r)] == third[(q, s)]) + (third[(p, s)] == third[(q, r)])
    return count // 6


@pytest.mark.parametrize("params", sorted(DESIGNS), ids=lambda p: "-".join(map(str, p)))
def test_designs(params):
    row = DESIGNS[params]
    v, k, lam = params
    design = C.bibd(v, k, lam)
    assert (design.b, design.r) == (row["b"], row["r"])
    determined = lam == 1 or design.b == v  # intersection numbers follow from the parameters
    if determined or row["isomorphic_to_gcli"]:
        assert intersections(design.blocks) == row["intersections"]
    if "pasch" in row and row["isomorphic_to_gcli"]:
        assert pasch(design.blocks) == row["pasch"]


def spectrum(params) -> dict[float, int]:
    e = srg_eigenvalues(*params)
    values = {round(float(params[1]), 6): 1}
    for which, mult in (("r", e.f), ("s", e.g)):
        key = round(e.value(which), 6) + 0.0
        values[key] = values.get(key, 0) + int(mult)
    return values


@pytest.mark.parametrize("params", sorted(GRAPHS), ids=lambda p: "-".join(map(str, p)))
def test_graphs(params):
    row = GRAPHS[params]
    assert {float(x): m for x, m in row["spectrum"].items()} == spectrum(params)
    graph = C.srg(*params)
    a = graph.dense().astype(np.float64)  # BLAS; the counts are exact integers far below 2⁵³
    assert round(float(np.sum((a @ a) * a))) // 6 == row["triangles"]
    if row["isomorphic_to_gcli"]:
        local = Counter()
        for vertex in range(graph.v):
            neighbours = np.flatnonzero(a[vertex])
            sub = a[np.ix_(neighbours, neighbours)]
            local[round(float(np.sum((sub @ sub) * sub))) // 6] += 1
        assert {str(c): m for c, m in sorted(local.items())} == row["k4_per_vertex"]
