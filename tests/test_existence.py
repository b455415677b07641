"""The tri-state existence oracle on the exist / not-exist / open cases of Brouwer's SRG table and the Handbook of
Combinatorial Designs (docs/bibliography.md: BrouwerSRG, Handbook2007)."""

from __future__ import annotations

import itertools
import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from gcli import constructions as C
from gcli.bounds import existence as E
from gcli.cli import cli
from gcli.errors import InputError
from gcli.structures import admissible, srg_complement_params


@pytest.mark.parametrize("params", [(43, 7, 1), (211, 15, 1), (22, 7, 2), (29, 8, 2)])
def test_brc_fails(params):
    assert not E.bruck_ryser_chowla(*params)
    result = C.bibd_exists(*params)
    assert result.exists is False and "Bruck–Ryser–Chowla" in result.reason


@pytest.mark.parametrize("params", [(111, 11, 1), (79, 13, 2), (56, 11, 2), (7, 3, 1), (157, 13, 1), (16,
    6, 2)])
def test_brc_passes(params):
    assert E.bruck_ryser_chowla(*params)


def test_hilbert_symbol_against_brute_force():
    """x² = a y² + b z² solvable (Hasse–Minkowski) vs a direct search over small integers."""
    for a, b in itertools.product(range(-12, 13), repeat=2):
        if a == 0 or b == 0:
            continue
        found = any(x * x == a * y * y + b * z * z
                    for x in range(0, 25) for y in range(0, 25) for z in range(0, 25) if (x, y, z) != (0,
                        0, 0))
        assert E.conic_solvable(a, b) == found, (a, b)


@pytest.mark.parametrize(("params", "exists"), [
    ((111, 11, 1), False), ((36, 6, 1), False), ((46, 6, 1), False), ((15, 5, 2), False), ((21, 6, 2), False),
    ((22, 8, 4), False), ((21, 6, 1), False), ((16, 6, 1), False), ((157, 13, 1), None), ((51, 6, 1), None),
    ((61, 6, 1), None), ((81, 6, 1), None), ((8, 3, 1), False), ((100, 10, 1), False), ((196, 14, 1), False),
])
def test_bibd_literature_non_existence_and_open(params, exists):
    assert C.bibd_exists(*params).exists is exists


BIBD_EXIST = [(7, 3, 1), (9, 3, 1), (13, 3, 1), (15, 3, 1), (13, 4, 1), (16, 4, 1), (21, 5, 1), (25, 5,
    1), (31, 6, 1),
              (49, 7, 1), (57, 8, 1), (64, 8, 1), (73, 9, 1), (81, 9, 1), (91, 10, 1), (6, 3, 2), (8, 4, 3),
              (10, 4, 2), (11, 5, 2), (16, 6, 2), (37, 9, 2), (56, 11, 2), (79, 13, 2), (15, 7, 3), (19,
                  9, 4),
              (23, 11, 5), (31, 15, 7), (35, 17, 8), (36, 15, 6), (40, 13, 4), (45, 12, 3), (64, 28, 12),
              (76, 16, 4), (85, 5, 1), (66, 6, 1), (169, 7, 1)]


@pytest.mark.parametrize("params", BIBD_EXIST)
def test_bibd_literature_exists(params):
    assert C.bibd_exists(*params).exists is True


def test_bibd_construction_is_named_when_gcli_builds_it():
    result = C.bibd_exists(993, 32, 1)
    assert result.exists is True and result.construction and "PG(2,31)" in result.construction
    assert C.bibd_exists(79, 13, 2).construction is None
    assert "Gewirtz" in C.bibd_exists(56, 11, 2).construction  # closed neighbourhoods of srg(56,10,0,2)


@pytest.mark.parametrize("params", [(21, 10, 4, 5), (28, 9, 0, 4), (2058, 242, 91, 20)])
def test_srg_infeasible(params):
    assert E.srg_feasibility(*params) is not None
    assert C.srg_exists(*params).exists is False


def test_srg_fact_16_details():
    assert "sum of two squares" in E.srg_feasibility(21, 10, 4, 5)
    assert "Krein" in E.srg_feasibility(28, 9, 0, 4) and "24 > 16" in E.srg_feasibility(28, 9, 0, 4)
    assert "claw" in E.srg_feasibility(2058, 242, 91, 20) and "150 > 126" in E.srg_feasibility(2058, 242,
        91, 20)


@pytest.mark.parametrize("params", [(49, 16, 3, 6), (57, 14, 1, 4), (76, 21, 2, 7), (95, 40, 12, 20),
                                    (324, 57, 0, 12)])
def test_srg_feasible_but_impossible(params):
    assert E.srg_feasibility(*params) is None
    result = C.srg_exists(*params)
    assert result.exists is False and "proven not to exist" in result.reason
    comp = srg_complement_params(params)
    assert C.srg_exists(*comp).exists is False


@pytest.mark.parametrize("params", [(69, 20, 7, 5), (85, 14, 3, 2), (99, 14, 1, 2), (324, 95, 22, 30),
                                    (1394, 175, 0, 25), (3250, 57, 0, 1)])
def test_srg_open(params):
    assert C.srg_exists(*params).exists is None


SRG_EXIST = [(5, 2, 0, 1), (9, 4, 1, 2), (10, 3, 0, 1), (10, 6, 3, 4), (13, 6, 2, 3), (15, 6, 1, 3), (15,
    8, 4, 4),
             (16, 5, 0, 2), (16, 10, 6, 6), (16, 6, 2, 2), (16, 9, 4, 6), (17, 8, 3, 4), (21, 10, 5, 4),
             (21, 10, 3, 6), (25, 8, 3, 2), (25, 12, 5, 6), (26, 10, 3, 4), (27, 10, 1, 5), (27, 16, 10, 8),
             (28, 12, 6, 4), (29, 14, 6, 7), (36, 14, 7, 4), (37, 18, 8, 9), (40, 12, 2, 4), (41, 20, 9, 10),
             (45, 22, 10, 11), (49, 12, 5, 2), (49, 24, 11, 12), (50, 7, 0, 1), (56, 10, 0, 2), (64, 35,
                 18, 20),
             (77, 16, 0, 4), (81, 20, 1, 6), (81, 32, 13, 12), (85, 20, 3, 5), (100, 22, 0, 6), (100, 36,
                 14, 12),
             (119, 54, 21, 27), (126, 50, 13, 24), (275, 112, 30, 56), (378, 116, 34, 36), (630, 85, 20, 10),
             (36, 15, 6, 6), (50, 21, 8, 9), (64, 18, 2, 6), (96, 20, 4, 4), (162, 56, 10, 24), (175, 72,
                 20, 36),
             (176, 70, 18, 34), (231, 30, 9, 3), (243, 22, 1, 2), (253, 112, 36, 60), (65, 32, 15, 16)]


@pytest.mark.parametrize("params", SRG_EXIST)
def test_srg_literature_exists(params):
    assert E.srg_feasibility(*params) is None
    assert C.srg_exists(*params).exists is True


@pytest.mark.parametrize("params", [(13, 6, 2, 3), (10, 6, 3, 4), (26, 10, 3, 4), (81, 32, 13, 12), (85,
    20, 3, 5),
                                    (119, 54, 21, 27)])
def test_fact_18_recognised_constructions(params):
    result = C.srg_exists(*params)
    assert result.construction is not None
    assert C.srg(*params).params == params


def test_no_built_structure_is_declared_infeasible():
    for v in range(5, 101):
        for params, name, _ in C.srg_candidates(v):
            if params[3] not in (0, params[1]):
                assert E.srg_feasibility(*params) is None, (params, name)
    for v in range(4, 60):
        for k in range(3, v):
            for lam in (1, 2, 3):
                if C.bibd_construction(v, k, lam) is not None:
                    assert C.bibd_exists(v, k, lam).exists is True


def test_bad_input():
    with pytest.raises(InputError):
        C.bibd_exists(7, 1, 1)
    with pytest.raises(InputError):
        C.srg_exists(10, 9, 8, 0)


def test_cli_bound_exists():
    runner = CliRunner()
    result = runner.invoke(cli, ["bound", "exists", "srg", "57", "14", "1", "4", "--json"])
    assert result.exit_code == 0
    obj = json.loads(result.output)
    assert obj["exists"] is False and obj["construction"] is None and "Wilbrink" in obj["reason"]
    obj = json.loads(runner.invoke(cli, ["bound", "exists", "bibd", "7", "3", "1", "--json"]).output)
    assert obj["exists"] is True and obj["construction"]
    obj = json.loads(runner.invoke(cli, ["bound", "exists", "bibd", "157", "13", "1", "--json"]).output)
    assert obj["exists"] is None
    text = runner.invoke(cli, ["bound", "exists", "bibd", "43", "7", "1"]).output
    assert text.startswith("does not exist")
    assert runner.invoke(cli, ["bound", "exists", "srg", "10", "3", "0"]).exit_code == 2
    assert runner.invoke(cli, ["bound", "exists", "srg", "10", "0", "0", "0"]).exit_code == 2


@settings(max_examples=60)
@given(st.integers(3, 60), st.integers(2, 20), st.integers(1, 4))
def test_bibd_oracle_is_consistent_with_divisibility(v, k, lam):
    result = C.bibd_exists(v, k, lam)
    if k < v and admissible(v, k, lam) is None:
        assert result.exists is False and "divisibility" in result.reason
    if result.exists is False and k < v:
        with pytest.raises(InputError):
            C.bibd(v, k, lam)


@settings(max_examples=60)
@given(st.integers(5, 120), st.integers(1, 60), st.integers(0, 30), st.integers(0, 30))
def test_srg_oracle_never_contradicts_the_identity(v, k, lam, mu):
    if not 0 < k < v - 1:
        return
    result = C.srg_exists(v, k, lam, mu)
    if k * (k - lam - 1) != (v - k - 1) * mu:
        assert result.exists is False
    if result.construction is not None:
        assert C.srg(v, k, lam, mu).params == (v, k, lam, mu)
