"""Strongly regular graphs: the identity A² = kI + λA + μ(J − I − A) for every family, networkx cross-checks,
and the spectra from the parameters (Brouwer & Van Maldeghem, ch. 1)."""

from __future__ import annotations

from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gcli import constructions as S
from gcli.errors import InputError
from gcli.structures import StronglyRegularGraph, check_srg, srg_spectrum


def assert_srg(graph: StronglyRegularGraph, params: tuple[int, int, int, int]) -> None:
    """Independent of check_srg: dense integer A² against the formula."""
    v, k, lam, mu = params
    assert graph.params == params
    a = graph.adjacency.toarray().astype(np.int64)
    assert np.array_equal(a, a.T) and not a.diagonal().any()
    expected = k * np.eye(v, dtype=np.int64) + lam * a + mu * (np.ones((v, v),
        dtype=np.int64) - np.eye(v) - a)
    assert np.array_equal(a @ a, expected)


@pytest.mark.parametrize("q", [5, 9, 13, 17, 25, 29, 37, 49, 81])
def test_paley(q):
    assert_srg(S.paley_graph(q), (q, (q - 1) // 2, (q - 5) // 4, (q - 1) // 4))


@pytest.mark.parametrize("p", [5, 13, 17, 29, 37])
def test_paley_prime_matches_networkx(p):
    ours = S.paley_graph(p).to_networkx()
    theirs = nx.Graph(nx.paley_graph(p).to_undirected())
    theirs.remove_edges_from(nx.selfloop_edges(theirs))
    assert set(map(frozenset, ours.edges())) == set(map(frozenset, theirs.edges()))


def test_paley_9_is_not_networkx_paley_9():
    """Literature §6.3: networkx's paley_graph(9) works over Z/9 and gives srg(9,6,3,6) = K_{3,3,3}."""
    assert S.paley_graph(9).params == (9, 4, 1, 2)
    theirs = nx.Graph(nx.paley_graph(9).to_undirected())
    theirs.remove_edges_from(nx.selfloop_edges(theirs))
    assert check_srg(nx.to_numpy_array(theirs, dtype=np.int64)) == (9, 6, 3, 6)


@pytest.mark.parametrize("n", [4, 5, 6, 7, 9])
def test_triangular_is_line_graph_of_complete_graph(n):
    graph = S.triangular_graph(n)
    assert graph.params == (n * (n - 1) // 2, 2 * (n - 2), n - 2, 4)
    assert nx.is_isomorphic(graph.to_networkx(), nx.line_graph(nx.complete_graph(n)))


@pytest.mark.parametrize("n", [3, 4, 5, 6])
def test_lattice_is_rook_graph(n):
    graph = S.lattice_graph(n)
    assert_srg(graph, (n * n, 2 * (n - 1), n - 2, 2))
    rook = nx.cartesian_product(nx.complete_graph(n), nx.complete_graph(n))
    assert nx.is_isomorphic(graph.to_networkx(), rook)


@pytest.mark.parametrize(("r", "n"), [(3, 4), (3, 5), (4, 5), (5, 5), (3, 6), (3, 7), (4, 7), (6, 7), (4,
    8), (5, 9),
                                      (3, 10)])
def test_latin_square_graphs(r, n):
    assert_srg(S.latin_square_graph(r, n), (n * n, r * (n - 1), n - 2 + (r - 1) * (r - 2), r * (r - 1)))


def test_latin_square_graph_needs_mols():
    with pytest.raises(InputError):
        S.latin_square_graph(4, 6)


@pytest.mark.parametrize(("kind", "n", "q"), [("sp", 4, 2), ("sp", 4, 3), ("sp", 4, 4), ("sp", 6, 2),
    ("sp", 4, 5),
                                              ("o", 5, 3), ("o", 7, 3), ("o-", 6, 2), ("o-", 6, 3), ("o+",
                                                  6, 2),
                                              ("o-", 8, 2), ("o+", 8, 2), ("u", 4, 2), ("u", 5, 2), ("u",
                                                  4, 3)])
def test_polar_graphs(kind, n, q):
    params = S.polar_params(kind, n, q)
    assert params is not None
    assert_srg(S.polar_graph(kind, n, q), params)


def test_generalized_quadrangle_parameters():
    for q in (2, 3, 4, 5):
        assert S.polar_params("sp", 4, q) == ((q + 1) * (q * q + 1), q * (q + 1), q - 1, q + 1)


@pytest.mark.parametrize(("sign", "m", "q"), [("+", 2, 2), ("-", 2, 2), ("+", 2, 3), ("-", 2, 3), ("+", 3, 2),
                                              ("-", 3, 2), ("+", 2, 4)])
def test_affine_polar_graphs(sign, m, q):
    assert_srg(S.affine_polar_graph(sign, m, q), S.affine_polar_params(sign, m, q))


@pytest.mark.parametrize(("v", "k"), [(7, 3), (9, 3), (13, 3), (15, 3), (19, 3), (13, 4), (16, 4), (25, 5)])
def test_steiner_block_graphs(v, k):
    r = (v - 1) // (k - 1)
    b = v * (v - 1) // (k * (k - 1))
    if k * (r - 1) >= b - 1:  # symmetric designs: any two blocks meet
        with pytest.raises(InputError):
            S.steiner_block_graph(S.bibd(v, k, 1))
        return
    assert_srg(S.steiner_block_graph(S.bibd(v, k, 1)), (b, k * (r - 1), r - 2 + (k - 1) ** 2, k * k))


def test_cyclotomic_unions():
    found = {params: (e, classes) for params, e, classes in S.cyclotomic_srgs(81)}
    assert (81, 30, 9, 12) in found and (81, 20, 1, 6) in found
    e, classes = found[(81, 30, 9, 12)]
    assert_srg(S.cyclotomic_graph(81, e, classes), (81, 30, 9, 12))
    with pytest.raises(InputError):
        S.cyclotomic_graph(81, 8, (0, 1))  # a union that is not strongly regular


@pytest.mark.parametrize("q", [4, 8])
def test_hyperoval_quadrangles(q):
    assert_srg(S.hyperoval_quadrangle_graph(q), (q**3, (q - 1) * (q + 2), q - 2, q + 2))
    assert_srg(S.hyperoval_quadrangle_graph(q, dual=True), (q * q * (q + 2), q * (q + 1), q, q))
    with pytest.raises(InputError):
        S.hyperoval_quadrangle_graph(3)


@pytest.mark.parametrize("params", sorted(S.PARTIAL_DIFFERENCE_SETS))
def test_partial_difference_sets(params):
    assert_srg(S.partial_difference_set_graph(*params), params)


def test_brouwer_haemers_is_cyclotomic():
    assert_srg(S.cyclotomic_graph(81, 4), (81, 20, 1, 6))
    with pytest.raises(InputError):
        S.cyclotomic_graph(13, 4)  # not strongly regular (or directed)


NAMED = [
    (S.petersen_graph, (10, 3, 0, 1)),
    (S.clebsch_graph, (16, 5, 0, 2)),
    (S.shrikhande_graph, (16, 6, 2, 2)),
    (S.schlafli_graph, (27, 16, 10, 8)),
    (lambda: S.chang_graph(1), (28, 12, 6, 4)),
    (lambda: S.chang_graph(2), (28, 12, 6, 4)),
    (lambda: S.chang_graph(3), (28, 12, 6, 4)),
    (S.hoffman_singleton_graph, (50, 7, 0, 1)),
    (S.gewirtz_graph, (56, 10, 0, 2)),
    (S.m22_graph, (77, 16, 0, 4)),
    (S.higman_sims_graph, (100, 22, 0, 6)),
]


@pytest.mark.parametrize(("build", "params"), NAMED)
def test_named_graphs(build, params):
    assert_srg(build(), params)


def test_named_graphs_against_networkx():
    assert nx.is_isomorphic(S.petersen_graph().to_networkx(), nx.petersen_graph())
    assert nx.is_isomorphic(S.hoffman_singleton_graph().to_networkx(), nx.hoffman_singleton_graph())
    # Shrikhande has the parameters of L2(4) but is a different graph
    assert not nx.is_isomorphic(S.shrikhande_graph().to_networkx(), S.lattice_graph(4).to_networkx())


def test_chang_graphs_are_pairwise_non_isomorphic_and_not_t8():
    graphs = [S.chang_graph(i).to_networkx() for i in (1, 2, 3)] + [S.triangular_graph(8).to_networkx()]
    for i in range(4):
        for j in range(i + 1, 4):
            assert not nx.is_isomorphic(graphs[i], graphs[j])


def test_complement():
    graph = S.complement(S.triangular_graph(7))
    assert_srg(graph, (21, 10, 3, 6))


def test_check_srg_detects_a_broken_graph():
    a = S.petersen_graph().adjacency.toarray()
    assert check_srg(a) == (10, 3, 0, 1)
    a[0, 1] = a[1, 0] = 1 - a[0, 1]
    assert isinstance(check_srg(a), str)
    assert isinstance(check_srg(S.petersen_graph().adjacency, (10, 3, 0, 2)), str)


@pytest.mark.parametrize(("params", "r", "s", "f", "g"), [
    ((10, 3, 0, 1), 1, -2, 5, 4),
    ((27, 16, 10, 8), 4, -2, 6, 20),
    ((50, 7, 0, 1), 2, -3, 28, 21),
    ((100, 22, 0, 6), 2, -8, 77, 22),
    ((275, 112, 30, 56), 2, -28, 252, 22),
    ((3250, 57, 0, 1), 7, -8, 1729, 1520),
])
def test_spectra_fact_15(params, r, s, f, g):
    spectrum = srg_spectrum(*params)
    assert spectrum["eigenvalues"] == [str(params[1]), str(r), str(s)]
    assert spectrum["multiplicities"] == [1, f, g]


def _value(text: str) -> float:
    """An exact eigenvalue string: an integer, a fraction or a surd "(a±√d)/2"."""
    if "√" not in text:
        return float(Fraction(text))
    inner = text.removeprefix("(").removesuffix(")/2")
    head, sign, root = inner.rpartition("+") if "+" in inner else inner.rpartition("-")
    return (float(head or 0) + (1 if sign == "+" else -1) * float(root.removeprefix("√")) ** 0.5) / 2


@pytest.mark.parametrize("build", [S.petersen_graph, S.schlafli_graph, S.hoffman_singleton_graph,
                                   lambda: S.paley_graph(13), lambda: S.paley_graph(9), lambda: S.paley_graph(29),
                                   S.m22_graph, lambda: S.polar_graph("u", 4, 2), lambda: S.cyclotomic_graph(81, 4)])
def test_spectrum_matches_numerical_eigenvalues(build):
    """The exact spectrum from (v, k, λ, μ) against an independent dense eigvalsh of the adjacency."""
    graph = build()
    values = np.linalg.eigvalsh(graph.adjacency.toarray().astype(float))
    spectrum = graph.spectrum()
    assert sum(spectrum["multiplicities"]) == graph.v
    expected: list[float] = []
    for value, mult in zip(spectrum["eigenvalues"], spectrum["multiplicities"], strict=True):
        expected += [_value(value)] * mult
    assert np.allclose(sorted(values), sorted(expected), atol=1e-8)


def test_catalogue_up_to_40_builds_what_it_promises():
    for v in range(5, 41):
        for params, name, build in S.srg_candidates(v):
            graph = build()
            assert graph.params == params, name


def test_dispatcher():
    assert S.srg(16, 6, 2, 2).name in ("L2(4)", "Shrikhande graph")
    assert S.srg_construction(10, 3, 0, 1) is not None
    with pytest.raises(InputError):
        S.srg(49, 16, 3, 6)


@settings(max_examples=12)
@given(st.sampled_from([5, 9, 13, 17, 25, 29, 37, 41, 49, 53, 61, 73, 81, 89, 97, 101, 109, 113, 121, 125]))
def test_paley_identity_hypothesis(q):
    graph = S.paley_graph(q)
    assert check_srg(graph.adjacency) == (q, (q - 1) // 2, (q - 5) // 4, (q - 1) // 4)


def test_row_test_decides_strong_regularity_of_cayley_graphs():
    """row_srg_params (row 0 of A², O(v²)) agrees with the full check_srg on every circulant graph on Z_13 and
    Z_16 with a symmetric connection set and on Paley-type Cayley graphs — strongly regular or not."""
    import itertools

    from gcli.structures.graphs import row_srg_params

    seen_srg = 0
    for n in (13, 16):
        halves = range(1, n // 2 + 1)
        for size in range(1, len(halves)):
            for chosen in itertools.combinations(halves, size):
                connection = {x % n for c in chosen for x in (c, -c)}
                a = np.array([[int((j - i) % n in connection) for j in range(n)] for i in range(n)])
                full = check_srg(a)
                row = row_srg_params(a)
                assert (row if row is not None else "not srg") == (full if not isinstance(full, str) else "not srg")
                seen_srg += row is not None
    assert seen_srg > 0


def _int_srg_verdict(a: np.ndarray) -> tuple[int, int, int, int] | None:
    """Independent of check_srg: (v, k, λ, μ) from a dense integer A², or None when A is not strongly regular."""
    v = len(a)
    degrees = a.sum(axis=1)
    square = a @ a
    off = ~np.eye(v, dtype=bool)
    lams, mus = square[(a == 1) & off], square[(a == 0) & off]
    if len(set(degrees)) != 1 or len(set(lams)) > 1 or len(set(mus)) != 1 or not 0 < degrees[0] < v - 1:
        return None
    return (v, int(degrees[0]), int(lams[0]) if len(lams) else 0, int(mus[0]))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([(16, 6, 2, 2), (50, 7, 0, 1), (126, 45, 12, 18), (243, 22, 1, 2), (280, 36, 8, 4),
                        (389, 194, 96, 97)]),
       st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)), max_size=2))
def test_check_srg_popcount_and_blas_routes_agree(params, switches):
    """check_srg's two A² routes (popcounts of bit-packed rows up to v = 384, float32 BLAS beyond) give the same
    answer as a dense integer A², on SRGs and on SRGs after degree-preserving 2-switches (edges ab, cd -> ac, bd)."""
    from gcli.structures import graphs as module

    a = S.srg(*params).dense().astype(np.int64)
    edges = np.argwhere(np.triu(a))
    for first, second in switches:
        (x, y), (z, w) = edges[first % len(edges)], edges[second % len(edges)]
        if len({x, y, z, w}) == 4 and not a[x, z] and not a[y, w]:
            a[x, y] = a[y, x] = a[z, w] = a[w, z] = 0
            a[x, z] = a[z, x] = a[y, w] = a[w, y] = 1
    expected = _int_srg_verdict(a)
    limit = module._POPCOUNT_VERTICES
    try:
        verdicts = []
        for vertices in (0, 10**6):  # every size by BLAS, every size by popcounts
            module._POPCOUNT_VERTICES = vertices
            verdicts.append(check_srg(a))
    finally:
        module._POPCOUNT_VERTICES = limit
    assert verdicts[0] == verdicts[1] == check_srg(a)
    assert (None if isinstance(verdicts[0], str) else verdicts[0]) == expected
