"""Graph families for approximate codes (B = A/d) and the CLI around structures."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from click.testing import CliRunner

from gcli import constructions as G
from gcli.cli import cli
from gcli.errors import InputError
from gcli.io.json import dumps, loads
from gcli.structures import certify_structure

# Raviv et al., ICML 2018, expander code: Petersen graph, B = A/3, exhaustive over straggler sets
PETERSEN = {1: (0.2881, 0.4938, 0.1818), 2: (0.7639, 1.1111, 0.4706), 3: (1.5646, 1.9048, 1.0000),
            4: (2.9630, 2.9630, 2.2857)}


@pytest.mark.parametrize("s", [1, 2, 3, 4])
def test_petersen_error_table(s):
    code = G.graph_code("petersen", 10, 3, s=s)
    b = np.asarray(code.encoding)
    fixed_worst = optimal_worst = 0.0
    for dead in itertools.combinations(range(10), s):
        alive = [i for i in range(10) if i not in dead]
        u = np.full(len(alive), 10 / (10 - s))
        fixed_worst = max(fixed_worst, float(np.sum((u @ b[alive] - 1) ** 2)))
        x, *_ = np.linalg.lstsq(b[alive].T, np.ones(10), rcond=None)
        optimal_worst = max(optimal_worst, float(np.sum((b[alive].T @ x - 1) ** 2)))
    fixed, bound, optimal = PETERSEN[s]
    assert fixed_worst == pytest.approx(fixed, abs=1e-4)
    assert optimal_worst == pytest.approx(optimal, abs=1e-4)
    assert code.construction["error_bound"]["value"] == pytest.approx(bound, abs=1e-4)
    assert fixed_worst <= code.construction["error_bound"]["value"] + 1e-12


@pytest.mark.parametrize(("n", "d"), [(10, 3), (20, 4), (31, 6), (64, 5)])
def test_random_regular_is_regular_and_seeded(n, d):
    a = G.random_regular_graph(n, d, seed=3)
    assert np.array_equal(a, a.T) and np.all(a.sum(axis=1) == d) and not a.diagonal().any()
    assert np.array_equal(a, G.random_regular_graph(n, d, seed=3))


def test_random_regular_rejects_bad_input():
    with pytest.raises(InputError):
        G.random_regular_graph(7, 3)
    with pytest.raises(InputError):
        G.random_regular_graph(5, 5)


@pytest.mark.parametrize("n", [4, 9, 25, 49])
def test_margulis(n):
    a = G.margulis_graph(n)
    assert np.array_equal(a, a.T) and np.all(a.sum(axis=1) == 8)
    with pytest.raises(InputError):
        G.margulis_graph(n + 1)


def test_lps_ramanujan():
    a = G.lps_graph(5, 13)
    assert a.shape == (2184, 2184) and np.array_equal(a, a.T) and np.all(a.sum(axis=1) == 6)
    values = np.linalg.eigvalsh(a.astype(float))
    nontrivial = values[np.abs(np.abs(values) - 6) > 1e-8]
    assert np.max(np.abs(nontrivial)) <= 2 * 5**0.5 + 1e-9  # Ramanujan
    assert len(values[np.abs(values + 6) < 1e-8]) == 1  # 5 is not a square mod 13: bipartite, on PGL(2,13)
    assert np.array_equal(G.regular_graph("ramanujan-lps", 2184, 6), a)
    with pytest.raises(InputError):
        G.regular_graph("ramanujan-lps", 2000, 6)
    with pytest.raises(InputError):
        G.lps_graph(7, 13)


@pytest.mark.parametrize(("n", "d"), [(6, 2), (12, 3), (30, 7)])
def test_bipartite_regular(n, d):
    s = G.bipartite_regular_support(n, d, seed=1)
    assert np.all(s.sum(axis=0) == d) and np.all(s.sum(axis=1) == d) and set(np.unique(s)) <= {0, 1}


@pytest.mark.parametrize("family", ["random-regular", "margulis", "bipartite-regular", "paley", "petersen",
                                    "hoffman-singleton", "cycle", "complete"])
def test_graph_code_every_family(family):
    n = {"margulis": 25, "paley": 13, "petersen": 10, "hoffman-singleton": 50}.get(family, 12)
    d = {"random-regular": 3, "bipartite-regular": 4}.get(family)
    code = G.graph_code(family, n, d, s=1, seed=2)
    # exact exactly when the least-squares decoder is exact for s = 1 (computed at design time and recorded)
    assert code.exact == (1 in code.construction["exact_for"]) and code.n == n and code.k == n
    # B = A/d: every column sums to 1 (regular graphs), so s = 0 would be exact
    assert np.allclose(np.asarray(code.encoding).sum(axis=0), 1.0)
    report = certify_structure(loads(dumps(code)))
    assert report is not None and report.certified
    assert dumps(code) == dumps(G.graph_code(family, n, d, s=1, seed=2))


def test_graph_code_s0_is_exact():
    assert G.graph_code("petersen", 10, s=0).exact is True


def test_structure_certificate_catches_tampering():
    code = G.srg_code(params="10,3,0,1")
    obj = json.loads(dumps(code))
    obj["graph"]["edges"][0] = [0, 9] if obj["graph"]["edges"][0] != [0, 9] else [0, 8]
    report = certify_structure(loads(json.dumps(obj)))
    assert report is not None and not report.certified


# ---- CLI -------------------------------------------------------------------------------------------------
def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_cli_design_and_verify_bibd(tmp_path):
    out = tmp_path / "fano.json"
    result = run("design", "bibd", "-v", "7", "--block-size", "3", "-s", "2", "-o", str(out))
    assert result.exit_code == 0, result.output
    obj = json.loads(out.read_text())
    assert obj["design"]["kind"] == "bibd" and obj["design"]["lambda"] == 1 and obj["exact"] is False
    result = run("verify", str(out))
    assert result.exit_code == 0 and "CERTIFIED" in result.output and "2^6" in result.output
    result = run("verify", str(out), "--json")
    assert json.loads(result.output)["structure"]["certified"] is True


def test_cli_design_srg_and_graph():
    result = run("design", "srg", "--vertices", "16", "--degree", "6", "--lambda", "2", "--mu", "2")
    assert result.exit_code == 0
    obj = json.loads(result.output)
    assert obj["graph"]["params"] == [16, 6, 2, 2] and obj["n"] == obj["k"] == 16
    verified = run("verify", "-", input=result.output)
    assert verified.exit_code == 0 and "A² = 6I" in verified.output
    result = run("design", "srg", "--params", "10,3,0,1", "--loops")
    assert json.loads(result.output)["d"] == 4
    result = run("design", "graph", "--family", "random-regular", "-n", "12", "--degree", "3", "--seed", "5")
    assert result.exit_code == 0
    assert run("verify", "-", input=result.output).exit_code == 0


def test_cli_search_and_errors():
    result = run("design", "bibd", "--near", "13")
    assert result.exit_code == 0 and "-v 13 --block-size 4" in result.output
    result = run("design", "srg", "--near", "50")
    assert result.exit_code == 0 and "Hoffman" in result.output
    bad = run("design", "bibd", "-v", "43", "--block-size", "7")
    assert bad.exit_code == 2
    bad = run("design", "srg", "--params", "1,2")
    assert bad.exit_code == 2


def test_cli_verify_fails_on_a_tampered_structure(tmp_path):
    obj = json.loads(dumps(G.srg_code(params="10,3,0,1")))
    obj["graph"]["params"] = [10, 3, 0, 2]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(obj))
    result = run("verify", str(path))
    assert result.exit_code == 1 and "FAILED" in result.output
