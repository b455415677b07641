"""The structure layer in the core: exact spectra against independent numerics, and a certificate that fails on
every tampering of a bibd, srg or graph code (objects and files)."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gcli import constructions as C
from gcli.bounds import existence, srg_feasibility
from gcli.cli import cli
from gcli.io.files import load_code
from gcli.io.json import dumps, loads
from gcli.structures import (
    certify_structure,
    check_regular,
    design_spectrum,
    regular_spectrum,
    srg_eigenvalues,
    srg_spectrum,
)


def _surd(text: str) -> float:
    if "√" not in text:
        return float(Fraction(text))
    inner = text.removeprefix("(").removesuffix(")/2")
    sign = "+" if "+" in inner else "-"
    head, _, root = inner.rpartition(sign)
    return (float(head or 0) + (1 if sign == "+" else -1) * float(root.removeprefix("√")) ** 0.5) / 2


# ---- exact spectra --------------------------------------------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(st.sampled_from([5, 9, 13, 17, 25, 29, 37, 41, 49]), st.booleans())
def test_srg_spectrum_against_dense_eigvalsh(q, take_complement):
    graph = C.paley_graph(q)
    if take_complement:
        graph = C.complement(graph)
    spectrum = srg_spectrum(*graph.params)
    expected = np.repeat([_surd(x) for x in spectrum["eigenvalues"]], spectrum["multiplicities"])
    values = np.linalg.eigvalsh(graph.adjacency.toarray().astype(float))
    assert np.allclose(np.sort(values), np.sort(expected), atol=1e-8)


@pytest.mark.parametrize("params", [(10, 3, 0, 1), (13, 6, 2, 3), (16, 5, 0, 2), (27, 10, 1, 5), (50, 7, 0, 1),
                                    (36, 14, 4, 6), (64, 18, 2, 6), (45, 12, 3, 3)])
def test_catalog_graphs_have_the_exact_spectrum(params):
    graph = C.srg(*params)
    spectrum = graph.spectrum()
    expected = np.repeat([_surd(x) for x in spectrum["eigenvalues"]], spectrum["multiplicities"])
    values = np.linalg.eigvalsh(graph.adjacency.toarray().astype(float))
    assert np.allclose(np.sort(values), np.sort(expected), atol=1e-8)


def test_conference_surds_and_integrality():
    assert existence.srg_eigenvalues is srg_eigenvalues  # one home for the formula
    e = srg_eigenvalues(13, 6, 2, 3)
    assert (e.r, e.s) == (None, None) and e.f == e.g == 6
    assert (e.text("r"), e.text("s")) == ("(-1+√13)/2", "(-1-√13)/2")
    assert srg_spectrum(997, 498, 248, 249)["eigenvalues"] == ["498", "(-1+√997)/2", "(-1-√997)/2"]
    assert srg_spectrum(997, 498, 248, 249)["multiplicities"] == [1, 498, 498]
    assert srg_eigenvalues(21, 10, 4, 5).f == 10  # rational multiplicities, yet infeasible (21 ≠ x² + y²)
    assert srg_feasibility(21, 10, 4, 5) is not None
    assert srg_eigenvalues(28, 9, 0, 4).r == 1 and srg_eigenvalues(28, 9, 0, 4).f == 21


@given(st.integers(5, 60), st.integers(1, 30), st.integers(0, 15), st.integers(1, 15))
def test_eigenvalues_are_roots_of_the_quadratic(v, k, lam, mu):
    assume(mu <= k)  # Δ ≥ 0
    e = srg_eigenvalues(v, k, lam, mu)
    for which in ("r", "s"):
        x = e.value(which)
        assert abs(x * x - (lam - mu) * x - (k - mu)) < 1e-9 * max(1, k)
    if e.f is not None and e.r is not None:  # the trace of A is 0: k + f·r + g·s = 0 when f + g = v − 1
        assert e.f + e.g == v - 1
        assert k + e.f * e.r + e.g * e.s == 0


@pytest.mark.parametrize("build", [lambda: C.steiner_triple_system(15), lambda: C.singer_difference_set(3, 3),
                                   lambda: C.affine_geometry_design(3, 2), lambda: C.hadamard_design(12)])
def test_design_spectrum_against_dense_eigvalsh(build):
    design = build()
    n = design.incidence().toarray().astype(float)
    spectrum = design_spectrum(design.v, design.k, design.lam)
    expected = np.repeat([float(Fraction(x)) for x in spectrum["eigenvalues"]], spectrum["multiplicities"])
    assert np.allclose(np.sort(np.linalg.eigvalsh(n @ n.T)), np.sort(expected))


@pytest.mark.parametrize(("family", "n", "d"), [("random-regular", 80, 5), ("margulis", 100, None),
                                                ("cycle", 70, None), ("paley", 101, None),
                                                ("random-regular", 12, 3)])
def test_regular_spectrum_against_dense_eigvalsh(family, n, d):
    a = C.regular_graph(family, n, d, seed=3)
    assert check_regular(a) is None
    values = np.linalg.eigvalsh(a.astype(float))
    spectrum = regular_spectrum(a)
    assert spectrum["degree"] == pytest.approx(values[-1], abs=1e-8)
    assert spectrum["second_largest"] == pytest.approx(values[-2], abs=1e-8)
    assert spectrum["smallest"] == pytest.approx(values[0], abs=1e-8)
    assert spectrum["second_largest_modulus"] == pytest.approx(max(abs(values[-2]), abs(values[0])), abs=1e-8)


def test_bipartite_singular_values_against_svd():
    code = C.graph_code("bipartite-regular", 90, 4, seed=5)
    support = np.asarray(code.encoding) != 0
    singular = np.linalg.svd(support.astype(float), compute_uv=False)
    assert code.construction["second_singular_value"] == pytest.approx(singular[1], abs=1e-8)


# ---- the certificate: the encoding is the structure's code -----------------------------------------------------
def _codes():
    return {
        "bibd": C.bibd_code(7, 3, 1, s=2),
        "bibd-transposed": C.bibd_code(9, 3, 1, transpose=True, s=1),
        "srg": C.srg_code(params="10,3,0,1", s=2),
        "srg-loops": C.srg_code(params="13,6,2,3", loops=True),
        "graph": C.graph_code("random-regular", 12, 3, s=2, seed=1),
        "margulis": C.graph_code("margulis", 25, s=1),
        "bipartite": C.graph_code("bipartite-regular", 12, 3, s=1, seed=2),
    }


def _set_entry(obj):
    if isinstance(obj["encoding"], dict):  # compressed rows
        obj["encoding"]["data"][0] = 1000.0
        return
    row = obj["encoding"][0]
    j = next(i for i, x in enumerate(row) if x != 0)
    row[j] = 1000.0


def _zero(obj):
    if isinstance(obj["encoding"], dict):
        obj["encoding"]["data"] = [0.0] * len(obj["encoding"]["data"])
        return
    obj["encoding"] = [[0.0] * len(row) for row in obj["encoding"]]


def _scaled(obj):
    """A changed coefficient with a matching encoding: consistent on its face, but not the rule's."""
    factor = 0.5
    if isinstance(obj["encoding"], dict):
        obj["encoding"]["data"] = [x * factor for x in obj["encoding"]["data"]]
    else:
        obj["encoding"] = [[x * factor for x in row] for row in obj["encoding"]]
    if "coefficient" in obj["construction"]:
        obj["construction"]["coefficient"] = str(Fraction(obj["construction"]["coefficient"]) * Fraction(1, 2))


def _stale_s(obj):
    """s changed without re-deriving the coefficient (symmetric designs and graphs depend on s)."""
    obj["s"] = obj["s"] + 1
    obj["construction"]["s"] = obj["s"]


TAMPERINGS = {"entry 1000.0": _set_entry, "zeroed matrix": _zero, "scaled coefficient": _scaled}


@pytest.mark.parametrize("name", ["bibd", "bibd-transposed", "srg", "srg-loops", "graph", "margulis", "bipartite"])
def test_untouched_codes_are_certified(name):
    code = _codes()[name]
    for candidate in (code, loads(dumps(code))):
        report = certify_structure(candidate)
        assert report is not None and report.certified, report


@pytest.mark.parametrize("name", ["bibd", "bibd-transposed", "srg", "srg-loops", "graph", "margulis", "bipartite"])
@pytest.mark.parametrize("tamper", list(TAMPERINGS))
def test_tampered_files_fail(name, tamper):
    obj = json.loads(dumps(_codes()[name]))
    TAMPERINGS[tamper](obj)
    report = certify_structure(loads(json.dumps(obj)))
    assert report is not None and not report.certified
    assert "encoding" in report.message or "coefficient" in report.message


@pytest.mark.parametrize("name", ["bibd", "srg", "graph"])
def test_tampered_objects_fail(name):
    code = _codes()[name]
    b = np.array(code.encoding)
    i, j = np.argwhere(b != 0)[0]
    b[i, j] = 1000.0
    doubled = 2.0 * (b != 0)
    for tampered in (code.with_encoding(b), code.with_encoding(np.zeros_like(b)), code.with_encoding(doubled)):
        report = certify_structure(tampered)
        assert report is not None and not report.certified and "B[" in report.message


@pytest.mark.parametrize("name", ["bibd", "srg", "graph"])
def test_a_stale_s_fails(name):
    obj = json.loads(dumps(_codes()[name]))
    _stale_s(obj)
    report = certify_structure(loads(json.dumps(obj)))
    assert not report.certified
    assert any(word in report.message for word in ("rule", "decoder weight", "error bound"))


def test_flags_and_recorded_claims_are_checked():
    obj = json.loads(dumps(C.bibd_code(9, 3, 1, transpose=True)))
    obj["construction"]["transpose"] = False  # the assignment is the transposed layout
    assert "the structure gives 12 × 9" in certify_structure(loads(json.dumps(obj))).message
    obj = json.loads(dumps(C.bibd_code(7, 3, 1, transpose=True)))  # symmetric: same shape, other layout
    obj["construction"]["transpose"] = False
    assert "assignment" in certify_structure(loads(json.dumps(obj))).message
    obj = json.loads(dumps(C.srg_code(params="13,6,2,3", loops=True)))
    obj["construction"]["loops"] = False
    assert not certify_structure(loads(json.dumps(obj))).certified
    obj = json.loads(dumps(C.bibd_code(7, 3, 1, s=2)))
    obj["construction"]["error_for_every_F"] = "0"
    assert "error_for_every_F" in certify_structure(loads(json.dumps(obj))).message
    obj = json.loads(dumps(C.srg_code(params="10,3,0,1")))
    obj["graph"]["spectrum"]["eigenvalues"][1] = "2"
    assert "spectrum" in certify_structure(loads(json.dumps(obj))).message
    obj = json.loads(dumps(C.graph_code("random-regular", 12, 3, seed=1)))
    obj["construction"]["error_bound"]["value"] = 0.001
    assert "error bound" in certify_structure(loads(json.dumps(obj))).message
    obj = json.loads(dumps(C.graph_code("petersen", 10, s=1)))
    assert obj["exact"] is False and obj["construction"]["exact_for"] == [0]
    obj["exact"] = True  # exact for s = 1 is not among the recorded exact straggler counts
    assert "exact" in certify_structure(loads(json.dumps(obj))).message


def test_legacy_surd_spelling_is_accepted():
    obj = json.loads(dumps(C.srg_code(params="13,6,2,3")))
    obj["graph"]["spectrum"]["eigenvalues"][1:] = ["(-1 + √13)/2", "(-1 − √13)/2"]
    obj["graph"]["spectrum"]["multiplicities"] = [1, "6", "6"]
    assert certify_structure(loads(json.dumps(obj))).certified


def test_cli_verify_fails_on_every_tampered_file(tmp_path):
    """The issue's experiment: one entry set to 1000.0, a zeroed matrix, a scaled coefficient — for a bibd, an srg
    and a graph code, twelve files in all with the stale-s tampering; every one must fail with exit status 1."""
    runner = CliRunner()
    failures = 0
    for name in ("bibd", "srg", "graph"):
        for tamper in [*TAMPERINGS.values(), _stale_s]:
            obj = json.loads(dumps(_codes()[name]))
            tamper(obj)
            path = tmp_path / f"{name}.json"
            path.write_text(json.dumps(obj))
            result = runner.invoke(cli, ["verify", str(path)])
            assert result.exit_code == 1 and "FAILED" in result.output, (name, tamper, result.output)
            failures += 1
    assert failures == 12


LEGACY = sorted((Path(__file__).parent / "data" / "legacy").glob("*.json"))


@pytest.mark.parametrize("path", LEGACY, ids=[p.stem for p in LEGACY])
def test_files_of_the_previous_version_still_certify(path):
    """Files written before the structure layer (old spectrum spellings, full numerical spectra) stay valid, and
    their tampered versions fail."""
    assert certify_structure(load_code(path)).certified
    obj = json.loads(path.read_text())
    _set_entry(obj)
    assert not certify_structure(loads(json.dumps(obj))).certified
