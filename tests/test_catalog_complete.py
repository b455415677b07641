"""The completed v ≤ 100 catalog (issue 12): new designs and graphs, MOLS, and the existence answers."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from gcli import constructions as C
from gcli.cli import cli
from gcli.constructions.combinatorics import latin_squares as L
from gcli.constructions.combinatorics.catalog import existence as X
from gcli.constructions.combinatorics.rotational_designs import ROTATIONAL_DESIGNS, develop
from gcli.errors import InputError
from gcli.structures import check_srg


def pair_counts(v: int, blocks) -> np.ndarray:
    """How many blocks hold each pair, by a direct count (independent of check_bibd's sparse product)."""
    counts = np.zeros((v, v), dtype=np.int64)
    for block in blocks:
        for x, y in itertools.combinations(block, 2):
            counts[x, y] += 1
            counts[y, x] += 1
    return counts


@pytest.mark.parametrize(("v", "k"), sorted(ROTATIONAL_DESIGNS))
def test_rotational_designs_are_steiner_systems(v, k):
    design = C.bibd(v, k, 1)
    assert design.b == v * (v - 1) // (k * (k - 1))
    counts = pair_counts(v, design.blocks)
    assert np.all(counts[~np.eye(v, dtype=bool)] == 1)
    assert C.bibd_construction(v, k, 1) == design.name
    assert C.bibd_exists(v, k, 1).exists is True


def test_develop_keeps_short_orbits_once():
    blocks = develop(96, 96, 2, ((15, 31, 47, 63, 79, 95),))  # a coset of 16·Z_96: 8 distinct images under +2
    assert blocks.shape == (8, 6)
    assert len({tuple(b) for b in blocks.tolist()}) == 8


NEW_GRAPHS = [
    ((45, 22, 10, 11), "Mathon"), ((65, 32, 15, 16), "Gritsenko"), ((96, 19, 2, 4), "Haemers"),
    ((100, 36, 14, 12), "LS_4(10)"), ((100, 44, 18, 20), "Jørgensen–Klin"), ((100, 45, 20, 20), "Jørgensen–Klin"),
]


@pytest.mark.parametrize(("params", "name"), NEW_GRAPHS)
def test_new_graphs(params, name):
    graph = C.srg(*params)
    assert graph.params == params and name in graph.name
    dense = graph.dense()
    # the identity again, in exact integer arithmetic (check_srg uses float32 BLAS)
    v, k, lam, mu = params
    square = dense @ dense
    expected = mu * (1 - np.eye(v, dtype=np.int64) - dense) + lam * dense + k * np.eye(v, dtype=np.int64)
    assert np.array_equal(square, expected)
    assert C.srg_exists(*params).construction is not None


def test_mathon_graph_t2():
    assert C.mathon_graph(2).params == (441, 220, 109, 110)
    with pytest.raises(InputError):
        C.mathon_graph(4)  # 15 is not a prime power


def test_jorgensen_klin_graphs_are_cayley_graphs():
    """Left multiplication g ↦ h·g by any group element is an automorphism of a Cayley graph g ~ g·s."""
    graph = C.jorgensen_klin_graph(44).dense()
    a, b, c = (x.ravel() for x in np.meshgrid(np.arange(5), np.arange(5), np.arange(4), indexing="ij"))
    for h in [(1, 0, 0), (0, 1, 0), (0, 0, 1), (3, 2, 1)]:  # left multiplication h·g is an automorphism
        hs = np.array([1, 2, 4, 3])[h[2]]
        image = 20 * ((h[0] + hs * a) % 5) + 4 * ((h[1] + hs * b) % 5) + (h[2] + c) % 4
        assert np.array_equal(graph[np.ix_(image, image)], graph)


def brute_orthogonal(a: np.ndarray, b: np.ndarray) -> bool:
    n = a.shape[0]
    return len({(int(a[i, j]), int(b[i, j])) for i in range(n) for j in range(n)}) == n * n


@settings(max_examples=12, deadline=None)
@given(st.integers(min_value=2, max_value=30))
def test_mols_are_latin_and_orthogonal(n):
    count = L.max_mols(n)
    squares = L.mols(n, count)
    assert squares.shape == (count, n, n)
    for square in squares:
        assert all(sorted(row) == list(range(n)) for row in square.tolist())
        assert all(sorted(col) == list(range(n)) for col in square.T.tolist())
    for x, y in itertools.combinations(range(min(count, 4)), 2):
        assert brute_orthogonal(squares[x], squares[y])


def test_mols_counts_and_limits():
    assert [L.max_mols(n) for n in (2, 6, 10, 12, 14, 15, 20)] == [1, 1, 2, 5, 4, 4, 3]
    with pytest.raises(InputError):
        L.mols(6, 2)
    broken = L.mols(10, 2)
    broken[1] = broken[0]
    assert L.check_mols(broken) == "squares 0 and 1 are not orthogonal"


def test_latin_square_graphs_from_products_and_qdm():
    for r, n in [(4, 10), (4, 12), (5, 20)]:
        params = (n * n, r * (n - 1), n - 2 + (r - 1) * (r - 2), r * (r - 1))
        assert check_srg(C.latin_square_graph(r, n).adjacency) == params


# ---------------------------------------------------------------------------------------------------------
# existence
# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("params", "exists"), [
    ((106, 6, 1), True), ((216, 6, 1), True), ((226, 6, 1), True), ((441, 6, 1), True), ((166, 6, 1), None),
    ((801, 6, 1), None), ((36, 6, 1), False), ((46, 6, 1), False), ((16, 6, 1), False), ((85, 7, 1), None),
    ((43, 7, 1), False), ((505, 7, 1), True), ((225, 8, 1), True), ((289, 9, 1), True), ((127, 7, 1), None),
])
def test_steiner_existence(params, exists):
    assert C.bibd_exists(*params).exists is exists


def test_k6_theorem_covers_every_admissible_v():
    for v in range(2, 900):
        if (v * (v - 1)) % 30 or (v - 1) % 5:
            continue
        answer = C.bibd_exists(v, 6, 1)
        if v in (16, 21, 36, 46):
            assert answer.exists is False
        elif v in X.STEINER_6_UNDECIDED:
            assert answer.exists is None
        else:
            assert answer.exists is True, v


def test_three_answers_for_what_gcli_cannot_build():
    impossible = X.not_buildable_message("bibd", (43, 7, 1))
    unsettled = X.not_buildable_message("bibd", (51, 6, 1))
    known = X.not_buildable_message("bibd", (79, 13, 2))
    assert impossible.startswith("no (43, 7, 1) design exists: Bruck–Ryser–Chowla")
    assert unsettled.startswith("existence of a (51, 6, 1) design is not settled")
    assert known.startswith("a (79, 13, 2) design exists") and "no construction" in known
    assert X.not_buildable_message("srg", (57, 14, 1, 4)).startswith("no srg(57, 14, 1, 4) exists")


@pytest.mark.parametrize(("args", "start"), [
    (["bibd", "-v", "43", "--block-size", "7"], "no (43, 7, 1) design exists"),
    (["bibd", "-v", "51", "--block-size", "6"], "existence of a (51, 6, 1) design is not settled"),
    (["bibd", "-v", "106", "--block-size", "6"], "a (106, 6, 1) design exists"),
    (["srg", "--params", "99,14,1,2"], "existence of a srg(99, 14, 1, 2) is not settled"),
    (["srg", "--params", "49,16,3,6"], "no srg(49, 16, 3, 6) exists"),
])
def test_design_refuses_with_exit_2(args, start):
    result = CliRunner().invoke(cli, ["design", *args])
    assert result.exit_code == 2
    assert start in result.output and "Traceback" not in result.output


@pytest.fixture
def brouwer_file(tmp_path, monkeypatch):
    rows = [[105, 32, 4, 12, "exists", "Aut L(3,4) on <a href='x'>flags</a>"],
            [69, 20, 7, 5, "open", ""],
            [76, 21, 2, 7, "impossible", "<a>Haemers</a>"],
            [209, 100, 45, 50, "exists", "pg(10,9,5)?; 2-graph*"]]
    path = tmp_path / "brouwer.json"
    path.write_text(json.dumps(rows))
    monkeypatch.setenv("GCLI_BROUWER_TABLE", str(path))
    X.brouwer_table.cache_clear()
    yield path
    X.brouwer_table.cache_clear()


def test_brouwer_table_is_read_at_run_time(brouwer_file):
    table = X.brouwer_table()
    assert table[(105, 32, 4, 12)] == ("exists", "Aut L(3,4) on flags")
    answer = C.srg_exists(209, 108, 57, 54)  # the complement of a listed set gcli cannot build
    assert answer.exists is True and "complement" in answer.reason and "pg(10,9,5)" in answer.reason
    assert C.srg_exists(69, 20, 7, 5).exists is None and "Brouwer's table: open" in C.srg_exists(69, 20, 7, 5).reason
    assert C.srg_exists(209, 100, 45, 50).construction is None
    message = X.not_buildable_message("srg", (209, 100, 45, 50))
    assert message.startswith("a srg(209, 100, 45, 50) exists (Brouwer's table: exists")
    assert C.srg_exists(105, 32, 4, 12).construction == "flags of PG(2,4)"  # gcli's own answer comes first


def test_brouwer_table_absent_or_broken(tmp_path, monkeypatch):
    monkeypatch.setenv("GCLI_BROUWER_TABLE", str(tmp_path / "missing.json"))
    X.brouwer_table.cache_clear()
    assert X.brouwer_table() is None
    assert C.srg_exists(209, 100, 45, 50).exists is None
    bad = tmp_path / "bad.json"
    bad.write_text("[[1, 2]]")
    monkeypatch.setenv("GCLI_BROUWER_TABLE", str(bad))
    X.brouwer_table.cache_clear()
    with pytest.raises(InputError):
        X.brouwer_table()
    X.brouwer_table.cache_clear()


# ---------------------------------------------------------------------------------------------------------
# beyond v = 100
# ---------------------------------------------------------------------------------------------------------
BEYOND = [
    (lambda: C.witt_graph(253), (253, 112, 36, 60)), (lambda: C.witt_graph(176), (176, 105, 68, 54)),
    (lambda: C.witt_graph(120), (120, 77, 52, 44)), (C.mclaughlin_graph, (275, 112, 30, 56)),
    (C.mclaughlin_subconstituent, (162, 56, 10, 24)), (lambda: C.ternary_golay_graph("bvls"), (243, 22, 1, 2)),
    (lambda: C.ternary_golay_graph("delsarte"), (243, 110, 37, 60)), (C.goethals_graph, (126, 50, 13, 24)),
    (C.hoffman_singleton_edge_graph, (175, 72, 20, 36)), (C.cameron_graph, (231, 30, 9, 3)),
    (C.mathon_rosa_graph, (280, 117, 44, 52)), (lambda: C.johnson_merge_graph(9, 4, (0, 3)), (126, 25, 8, 4)),
    (lambda: C.dual_polar_quadrangle_graph("u", 5, 2), (297, 40, 7, 5)),
    (lambda: C.nonisotropic_graph("-", 6, 3, 1, "perp"), (126, 45, 12, 18)),
    (lambda: C.nonisotropic_graph("-", 8, 2, 1, "perp"), (136, 63, 30, 28)),
    (lambda: C.nonisotropic_graph("o", 5, 5, 2, "tangent"), (300, 104, 28, 40)),
    (lambda: C.latin_square_graph(6, 12), (144, 66, 30, 30)), (lambda: C.latin_square_graph(6, 14), (196, 78, 32, 30)),
    (lambda: C.switched_latin_square_graph(5, 11), (122, 55, 24, 25)),
    (lambda: C.flag_graph(C.singer_difference_set(4)), (105, 32, 4, 12)),
]


@pytest.mark.parametrize(("build", "params"), BEYOND)
def test_graphs_beyond_100(build, params):
    graph = build()
    assert graph.params == params and check_srg(graph.adjacency) == params
    assert C.srg_construction(*params) is not None or C.srg_construction(
        *(params[0], params[0] - params[1] - 1, params[0] - 2 * params[1] + params[3] - 2,
          params[0] - 2 * params[1] + params[2])) is not None


def test_mathon_rosa_graph_is_not_a_johnson_merge():
    """Different constructions, different sizes: the Johnson search finds only what it can build."""
    assert [p for p, *_ in C.johnson_merge_graph.__globals__["johnson_srgs"](280)] == []


def test_witt_graphs_reject_other_sizes():
    with pytest.raises(InputError):
        C.witt_graph(100)
    with pytest.raises(InputError):
        C.nonisotropic_graph("-", 6, 3, 1, "sideways")


def test_tabulated_cyclotomic_graphs_are_what_the_table_says():
    from gcli.constructions.combinatorics.algebraic_graphs import CYCLOTOMIC_TABLE

    params, e, classes = CYCLOTOMIC_TABLE[256][6]
    assert params == (256, 85, 24, 30)
    assert C.cyclotomic_graph(256, e, classes).params == params
    assert C.srg_construction(256, 68, 12, 20).startswith("cyclotomic graph (256,15,")


def test_nonisotropic_listing_reads_row_zero_as_the_full_check_would():
    """nonisotropic_srgs lists parameters read from row 0 of A² (vertex-transitive graphs): on every point set of
    at most 400 points it scans, that verdict equals the full identity check's (check_srg, primitive only)."""
    from gcli.constructions.combinatorics import polar_graphs as P
    from gcli.structures.graphs import row_srg_params

    compared = 0
    for kind, m, q in [("+", 6, 2), ("-", 6, 2), ("+", 6, 3), ("-", 6, 3), ("o", 5, 3), ("o", 5, 5), ("+", 8, 2),
                       ("-", 8, 2), ("o", 5, 7)]:
        for value in range(1, q):
            for rule in ("perp", "tangent") if q % 2 else ("perp",):
                adjacency, _ = P._nonisotropic_adjacency(kind, m, q, value, rule)
                if adjacency.shape[0] > 400:
                    continue
                full = check_srg(adjacency)
                row = row_srg_params(adjacency)
                assert (None if isinstance(full, str) else full) == row
                compared += 1
    assert compared >= 20
    assert [p for p, *_ in P.nonisotropic_srgs(126)] == [(126, 45, 12, 18), (126, 80, 52, 48)]
