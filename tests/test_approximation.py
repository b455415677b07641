"""The approximation engine, decoders, expectations and bounds against independent computations.

Oracles: per-set ``numpy.linalg.lstsq`` (optimal errors), direct matrix products (fixed decoders), enumeration of
all 2ⁿ failure patterns (expectations, unbiasedness), and the papers' examples (Kadhe et al. 2019, Raviv et al. 2018,
Glasgow & Wootters 2021, Charles et al. 2017).
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gcli
from gcli import Code
from gcli.bounds import approximation as ab
from gcli.certification.approximation import _decoders as decoders_of
from gcli.certification.approximation import _merge as merge
from gcli.certification.approximation import (
    approx_spec,
    approximation_report,
    exact_straggler_counts,
    expected_error,
    mean_fixed_error,
)
from gcli.certification.verification import run_pass
from gcli.constructions import bibd_code, fractional_repetition, graph_code, reed_solomon, srg_code
from gcli.structures.rules import nullspace_encoding


# ---------------------------------------------------------------------------------------------------------
# helpers: codes on random supports and a naive oracle
# ---------------------------------------------------------------------------------------------------------
def support_code(support: np.ndarray, encoding: np.ndarray, m: int, decoder: np.ndarray | None = None,
                 scale: str = "n/|F|") -> Code:
    n, k = support.shape
    construction = {} if decoder is None else {"decoder": {"kind": "fixed", "matrix": decoder.tolist(),
                                                           "scale": scale}}
    return Code(scheme="test", field=gcli.REAL, n=n, k=k, s=1, m=m, a=0, d=int(support.sum(axis=1).max()),
                assignment=[np.flatnonzero(row).tolist() for row in support], encoding=encoding, exact=False,
                construction=construction)


def random_support(rng: np.random.Generator, n: int, k: int, density: float, m: int) -> np.ndarray:
    """A random 0/1 support in which every partition has at least m holders."""
    support = rng.random((n, k)) < density
    for j in range(k):
        if support[:, j].sum() < m:
            support[rng.choice(n, m, replace=False), j] = True
    return support


def naive(code: Code, size: int, decoder: np.ndarray | None = None, weight: float = 1.0) -> list[tuple[float, ...]]:
    """Per-set (optimal error, fixed error) by lstsq and a direct product, in lexicographic order."""
    enc = np.asarray(code.encoding)
    t = np.asarray(code.target)
    out = []
    for subset in itertools.combinations(range(code.n), size):
        rows = list(subset)
        block = enc[rows]
        x, *_ = np.linalg.lstsq(block.T, t.T, rcond=None)
        optimal = float(np.sum((x.T @ block - t) ** 2))
        fixed = math.nan if decoder is None else float(np.sum((weight * decoder[:, rows] @ block - t) ** 2))
        out.append((optimal, fixed))
    return out


def pass_stats(code: Code, s: int, p: float | None = None) -> dict:
    decoders = decoders_of(code)
    spec, names = approx_spec(code, decoders, code.n - s, p, 1e-8, only=True)
    run = run_pass(code, stragglers=s, all_failures=True, approx=spec, force=True)
    stats, _ = merge(run, names)
    return stats


# ---------------------------------------------------------------------------------------------------------
# the engine against the oracle
# ---------------------------------------------------------------------------------------------------------
@settings(max_examples=25)
@given(st.integers(4, 8), st.integers(2, 7), st.integers(1, 3), st.integers(0, 10**6), st.floats(0.3, 0.8))
def test_engine_matches_lstsq_and_direct_products(n, k, m, seed, density):
    rng = np.random.default_rng(seed)
    m = min(m, n)
    support = random_support(rng, n, k, density, m)
    encoding = np.repeat(support, m, axis=1) * rng.standard_normal((n, k * m))
    decoder = rng.standard_normal((m, n))
    code = support_code(support, encoding, m, decoder)
    s = int(rng.integers(0, n - 1))
    truth = naive(code, n - s, decoder, n / (n - s))
    stats = pass_stats(code, s)
    optimal = np.array([t[0] for t in truth])
    fixed = np.array([t[1] for t in truth])
    assert stats["optimal"].count == len(truth) == math.comb(n, s)
    assert stats["optimal"].mean == pytest.approx(optimal.mean(), rel=1e-9, abs=1e-12)
    assert stats["optimal"].worst == pytest.approx(optimal.max(), rel=1e-9, abs=1e-12)
    assert stats["fixed"].mean == pytest.approx(fixed.mean(), rel=1e-9)
    assert stats["fixed"].worst == pytest.approx(fixed.max(), rel=1e-9)
    assert stats["fixed"].worst_index == int(np.argmax(fixed))
    # the closed-form mean of a fixed decoder over all sets of one size
    assert mean_fixed_error(code, decoder, n / (n - s), n - s) == pytest.approx(fixed.mean(), rel=1e-9)
    # the QR residual of the stability pass is the same optimal error
    run = run_pass(code, stragglers=s, all_failures=True)
    worst_residual = max(r.max_residual for r in run.results) ** 2 * code.k * code.m
    assert worst_residual == pytest.approx(optimal.max(), rel=1e-7, abs=1e-12)


def test_rank_deficient_and_duplicate_rows():
    # more responders than columns, repeated rows and a zero row: the optimal error is still least squares
    rng = np.random.default_rng(3)
    support = np.ones((7, 2), dtype=bool)
    encoding = rng.standard_normal((7, 2))
    encoding[3] = encoding[1]
    encoding[5] = 0.0
    code = Code(scheme="test", field=gcli.REAL, n=7, k=2, s=1, m=1, a=0, d=2, assignment=[[0, 1]] * 7,
                encoding=encoding, exact=False)
    for s in range(6):
        truth = [t[0] for t in naive(code, 7 - s)]
        stats = pass_stats(code, s)
        assert stats["optimal"].worst == pytest.approx(max(truth), abs=1e-12)
        assert stats["optimal"].mean == pytest.approx(np.mean(truth), abs=1e-12)
    assert support.all()


def test_sampled_pass_and_explicit_patterns():
    code = graph_code("random-regular", n=14, d=4, s=3, seed=2)
    report = approximation_report(code, sample=200, seed=7)
    assert not report.exhaustive and report.sets == 200 and report.mean_interval is not None
    assert report.mean_interval[0] <= report.mean_error <= report.mean_interval[1]
    full = approximation_report(code)
    assert full.exhaustive and full.worst_error >= report.worst_error - 1e-12
    assert full.mean_error == pytest.approx(
        np.mean([t[0] for t in naive(code, 11)]), rel=1e-9)


# ---------------------------------------------------------------------------------------------------------
# the papers' examples: Fano (Kadhe2019), Petersen (Raviv2018, Glasgow2021), FRC n·p^d (Charles2017)
# ---------------------------------------------------------------------------------------------------------
FANO = {0: ("1/3", "0"), 1: ("3/8", "1/4"), 2: ("3/7", "4/7"), 3: ("1/2", "1"), 4: ("3/5", "8/5")}


@pytest.mark.parametrize("s", sorted(FANO))
def test_fano_table(s):
    weight, error = FANO[s]
    code = bibd_code(7, 3, 1, s=s)
    assert code.construction["coefficient"] == weight and code.construction["error_for_every_F"] == error
    stats = pass_stats(code, s)
    # the error does not depend on which workers straggle: worst = mean = the closed form, for both decoders
    for name in ("optimal", "fixed"):
        assert stats[name].worst == pytest.approx(float(Fraction(error)), abs=1e-12)
        assert stats[name].mean == pytest.approx(float(Fraction(error)), abs=1e-12)
    assert ab.symmetric_bibd_error(7, 3, 1, s).text == error
    assert ab.symmetric_bibd_error(7, 3, 1, s).details["weight"] == weight


PETERSEN = {1: (0.2881, 0.4938, 0.1818), 2: (0.7639, 1.1111, 0.4706), 3: (1.5646, 1.9048, 1.0000),
            4: (2.9630, 2.9630, 2.2857)}


@pytest.mark.parametrize("s", sorted(PETERSEN))
def test_petersen_table(s):
    fixed, bound, optimal = PETERSEN[s]
    code = graph_code("petersen", n=10, s=s)
    report = approximation_report(code)
    assert round(report.decoders["fixed"]["worst_error"], 4) == fixed
    assert round(report.worst_error, 4) == optimal
    expander = next(b for b in report.bounds if b.name == "expander")
    assert round(float(expander.value), 4) == bound and report.ok
    assert ab.srg_error_table(10, 3, 0, 1, stragglers=str(s)).rows[0][1][0].text == ab.expander_bound(10, s, 3,
                                                                                        Fraction(4)).text


GLASGOW_WOOTTERS = {1: (0.2041, 0.4762), 2: (0.6509, 1.0256), 3: (1.4583, 1.6667), 4: (1.9835, 2.4242),
                    5: (3.0000, 3.3333)}


@pytest.mark.parametrize("s", sorted(GLASGOW_WOOTTERS))
def test_glasgow_wootters_petersen_table(s):
    worst, bound = GLASGOW_WOOTTERS[s]
    code = graph_code("petersen", n=10, s=s, incidence=True)
    assert (code.n, code.k, code.d) == (15, 10, 2)
    report = approximation_report(code, decoder="fixed")
    assert round(report.worst_error, 4) == worst
    gw = next(b for b in report.bounds if b.name == "glasgow_wootters")
    assert round(float(gw.value), 4) == bound and "worst:fixed" in gw.applies_to and report.ok


def test_glasgow_wootters_optimal_decoding_formula():
    """err = Σ over bipartite components of the surviving edges (|L| − |R|)²/(|L| + |R|) (item 13)."""
    code = graph_code("petersen", n=10, s=1, incidence=True)
    edges = [tuple(row) for row in code.assignment]
    rng = np.random.default_rng(11)
    for _ in range(300):
        alive = sorted(rng.choice(15, int(rng.integers(1, 15)), replace=False).tolist())
        graph = nx.Graph()
        graph.add_nodes_from(range(10))
        graph.add_edges_from(edges[i] for i in alive)
        expected = 0.0
        for component in nx.connected_components(graph):
            sub = graph.subgraph(component)
            if nx.is_bipartite(sub):
                left, right = nx.bipartite.sets(sub) if sub.number_of_edges() else (set(component), set())
                expected += (len(left) - len(right)) ** 2 / (len(left) + len(right))
        assert gcli.approximation_error(code, alive) == pytest.approx(expected, abs=1e-9)


def test_frc_expected_error_exact_and_monte_carlo():
    code = fractional_repetition(12, 2)  # n = 12, d = 3
    exact = expected_error(code, "optimal", 0.3)
    assert exact.method == "exact" and exact.expected_error == pytest.approx(12 * 0.3**3, rel=1e-12)
    mc = expected_error(code, "optimal", 0.3, samples=4000, seed=5)
    assert mc.method == "monte carlo" and mc.interval[0] <= 0.324 <= mc.interval[1]


# ---------------------------------------------------------------------------------------------------------
# expectations, unbiasedness and variance, by enumerating every failure pattern
# ---------------------------------------------------------------------------------------------------------
def enumerate_patterns(code: Code, x: np.ndarray, weight_of, p: float) -> tuple[float, np.ndarray, float]:
    """E[ε], E[X̂_F B_F] and E‖X̂_F B_F − E‖² over all 2ⁿ failure patterns (exact enumeration)."""
    enc = np.asarray(code.encoding)
    t = np.asarray(code.target)
    n = code.n
    products, probs = [], []
    for mask in itertools.product([False, True], repeat=n):
        rows = [i for i in range(n) if mask[i]]
        prob = (1 - p) ** len(rows) * p ** (n - len(rows))
        product = weight_of(len(rows)) * x[:, rows] @ enc[rows] if rows else np.zeros_like(t)
        products.append(product)
        probs.append(prob)
    probs_a = np.array(probs)
    stack = np.stack(products)
    mean = np.tensordot(probs_a, stack, axes=1)
    expected = float(np.sum(probs_a * np.sum((stack - t) ** 2, axis=(1, 2))))
    variance = float(np.sum(probs_a * np.sum((stack - mean) ** 2, axis=(1, 2))))
    return expected, mean, variance


@pytest.mark.parametrize("maker", [
    lambda: bibd_code(7, 3, 1, s=1, m=2),
    lambda: bibd_code(7, 3, 1, s=1, m=3, null_space="random", seed=4),
    lambda: srg_code(params="10,3,0,1", m=2, seed=1),
    lambda: graph_code("bipartite-regular", n=9, d=3, m=3, seed=2),
    lambda: bibd_code(7, 3, 1, s=2),
])
def test_unbiased_decoder_is_unbiased_exactly(maker):
    code = maker()
    p = 0.3
    decoders = decoders_of(code)
    assert decoders.unbiased is not None
    expected, mean, variance = enumerate_patterns(code, decoders.unbiased, lambda r: 1 / (1 - p), p)
    assert np.allclose(mean, np.asarray(code.target), atol=1e-12)  # E[ĝ] = g: unbiased
    closed = expected_error(code, "unbiased", p)
    assert closed.bias == pytest.approx(0.0, abs=1e-10)
    assert closed.expected_error == pytest.approx(expected, rel=1e-10)
    assert closed.variance == pytest.approx(variance, rel=1e-10)
    x, enc = decoders.unbiased, np.asarray(code.encoding)
    coefficient = float(np.sum(np.sum(x * x, axis=0) * np.sum(enc * enc, axis=1)))
    assert closed.expected_error == pytest.approx(p / (1 - p) * coefficient, rel=1e-10)
    if "variance_coefficient" in code.construction:
        assert code.construction["variance_coefficient"] == pytest.approx(coefficient, rel=1e-10)
    # no unbiased fixed-decoder scheme on this support does better (tight-frame bound)
    replication = code.replication().tolist()
    assert closed.expected_error >= float(ab.unbiased_lower_bound(Fraction(3, 10), code.m, replication).value) - 1e-12


@pytest.mark.parametrize("maker", [lambda: graph_code("petersen", n=10, s=2), lambda: bibd_code(7, 3, 1, s=1),
                                   lambda: bibd_code(7, 3, 1, s=1, m=2, method="stacked")])
def test_fixed_and_optimal_expectations_by_enumeration(maker):
    code = maker()
    p = 0.25
    fixed = gcli.certification.approximation.fixed_decoder(code)
    expected, mean, variance = enumerate_patterns(code, fixed.matrix, lambda r: fixed.weight(code.n, r), p)
    closed = expected_error(code, "fixed", p)
    assert closed.expected_error == pytest.approx(expected, rel=1e-10)
    assert closed.variance == pytest.approx(variance, rel=1e-9, abs=1e-12)
    assert closed.bias == pytest.approx(float(np.sum((mean - np.asarray(code.target)) ** 2)), rel=1e-9, abs=1e-12)
    # the optimal decoder, exact over all patterns, against per-pattern least squares
    total = 0.0
    for mask in itertools.product([False, True], repeat=code.n):
        rows = [i for i in range(code.n) if mask[i]]
        prob = (1 - p) ** len(rows) * p ** (code.n - len(rows))
        total += prob * (gcli.approximation_error(code, rows) if rows else code.k * code.m)
    assert expected_error(code, "optimal", p).expected_error == pytest.approx(total, rel=1e-10)
    assert expected_error(code, "optimal", p).expected_error <= closed.expected_error + 1e-12


def test_symmetric_bibd_sum_decoder_is_biased_and_says_so():
    code = bibd_code(7, 3, 1, s=1)
    assert code.construction["bias"]["mean_weight"] == "27/28" and not code.construction["bias"]["unbiased"]
    # the mean over the sets of 6 responders of the sum's coverage is 27/28 per partition
    fixed = gcli.certification.approximation.fixed_decoder(code)
    enc = np.asarray(code.encoding)
    mean = np.mean([fixed.for_set(rows) @ enc[list(rows)] for rows in itertools.combinations(range(7), 6)], axis=0)
    assert np.allclose(mean, 27 / 28)
    assert bibd_code(9, 3, 1, s=2).construction["bias"]["unbiased"]


# ---------------------------------------------------------------------------------------------------------
# exactness labels
# ---------------------------------------------------------------------------------------------------------
def test_resolvable_design_is_exact_for_three_stragglers():
    code = bibd_code(9, 3, 1, s=3)  # AG(2,3): four parallel classes of three lines
    assert code.construction["exact_for"] == [0, 1, 2, 3] and code.exact
    assert gcli.certify(code).certified
    assert exact_straggler_counts(code).counts == [0, 1, 2, 3]
    assert not bibd_code(9, 3, 1, s=4).exact


@pytest.mark.parametrize(("n", "s", "m"), [(8, 2, 2), (10, 3, 3), (9, 2, 4)])
def test_polynomial_code_on_cyclic_support_is_the_ye_abbe_code(n, s, m):
    from gcli.decoding.polynomial import evaluation_points
    from gcli.structures.rules import polynomial_encoding

    code = reed_solomon(n, s, m=m)
    held = np.zeros((n, n), dtype=bool)
    for w, row in enumerate(code.assignment):
        held[w, list(row)] = True
    rebuilt = polynomial_encoding(held, evaluation_points(gcli.REAL, n), m)
    assert np.allclose(rebuilt, np.asarray(code.encoding), rtol=0, atol=1e-12 * np.abs(rebuilt).max())


@pytest.mark.parametrize("maker", [lambda: bibd_code(7, 3, 1, s=1, m=2, method="polynomial"),
                                   lambda: srg_code(params="13,6,2,3", s=2, m=4, method="polynomial"),
                                   lambda: graph_code("bipartite-regular", n=10, d=4, s=1, m=3, method="polynomial")])
def test_polynomial_codes_exact_up_to_replication_minus_m(maker):
    code = maker()
    limit = int(code.replication().min()) - code.m
    assert code.construction["exact_for"] == list(range(limit + 1))
    assert exact_straggler_counts(code).counts == list(range(limit + 1))


# ---------------------------------------------------------------------------------------------------------
# bounds against exhaustive computation
# ---------------------------------------------------------------------------------------------------------
@settings(max_examples=30)
@given(st.integers(4, 8), st.integers(2, 6), st.integers(1, 3), st.integers(0, 10**6))
def test_eckart_young_bounds_never_beaten(n, k, m, seed):
    rng = np.random.default_rng(seed)
    m = min(m, n)
    support = random_support(rng, n, k, float(rng.uniform(0.3, 0.9)), m)
    encoding = np.repeat(support, m, axis=1) * rng.standard_normal((n, k * m))
    code = support_code(support, encoding, m)
    for s in range(n):
        optimal = [t[0] for t in naive(code, n - s)]
        worst, mean = max(optimal), float(np.mean(optimal))
        ey = ab.eckart_young_bound(support, m, s)
        assert worst >= float(ey.value) - 1e-9
        stragglers = set(ey.details["stragglers"])
        assert gcli.approximation_error(code, [i for i in range(n) if i not in stragglers]) >= float(ey.value) - 1e-9
        mean_bound, worst_bound = ab.eckart_young_any_scheme(n, k, code.d, m, s)
        assert mean >= float(mean_bound.value) - 1e-9 and worst >= float(worst_bound.value) - 1e-9


@settings(max_examples=20)
@given(st.sampled_from([(10, 3), (12, 3), (12, 4), (14, 4), (16, 5)]), st.integers(0, 10**5))
def test_expander_and_glasgow_wootters_bounds_hold(params, seed):
    n, d = params
    code = graph_code("random-regular", n=n, d=d, seed=seed % 50)
    for s in (1, 2, 3, max(1, n // 3)):
        report = approximation_report(code, stragglers=s, failure_prob=0.2)
        names = {b.name for b in report.bounds}
        assert {"expander", "glasgow_wootters", "eckart_young"} <= names and report.ok, report.checks
        expander = next(b for b in report.bounds if b.name == "expander")
        assert report.decoders["fixed"]["worst_error"] <= float(expander.value) + 1e-9


@settings(max_examples=15)
@given(st.sampled_from([(8, 8, 3), (12, 9, 3), (10, 5, 2), (12, 8, 4)]), st.integers(0, 10**5), st.integers(1, 3))
def test_biregular_glasgow_wootters_and_unbiased_bounds(params, seed, m):
    from gcli.constructions.approximate_codes import biregular_support

    n, k, d = params
    support = biregular_support(n, k, d, seed % 97).astype(bool)
    r = n * d // k
    m = min(m, r)
    for method in ("nullspace", "stacked") if m > 1 else ("nullspace",):
        from gcli.constructions.approximate_codes import approximate_code

        code = approximate_code("test", support, m=m, method=method, s=1, seed=seed % 13)
        for s in (1, 2):
            report = approximation_report(code, stragglers=s, failure_prob=0.2,
                                          decoder="unbiased" if code.construction.get("unbiased") else "optimal")
            assert report.ok, report.checks
    b = support.astype(np.float64) / r
    code = support_code(support, b, 1, np.ones((1, n)))
    for s in range(1, n // 2):
        sigma = np.linalg.svd(support.astype(np.float64), compute_uv=False)[1]
        gw = ab.glasgow_wootters_bound(n, s, r, float(sigma**2), True)
        truth = naive(code, n - s, np.ones((1, n)), n / (n - s))
        assert max(t[1] for t in truth) <= float(gw.value) + 1e-9
        assert max(t[0] for t in truth) <= float(gw.value) + 1e-9


@pytest.mark.parametrize(("v", "k", "lam"), [(7, 3, 1), (13, 4, 1), (11, 5, 2), (16, 6, 2)])
def test_symmetric_bibd_closed_form_every_set(v, k, lam):
    for s in (1, 2, 3):
        code = bibd_code(v, k, lam, s=s)
        stats = pass_stats(code, s)
        value = float(ab.symmetric_bibd_error(v, k, lam, s).value)
        assert stats["optimal"].worst == pytest.approx(value, rel=1e-9)
        assert stats["optimal"].mean == pytest.approx(value, rel=1e-9)


def test_nullspace_decoder_optimisation_reaches_tight_frames_when_possible():
    from gcli.constructions.approximate_codes import tight_frame_decoder

    support = np.ones((6, 3), dtype=bool)  # every partition on all 6 workers: tight frames exist
    x, objective, lower = tight_frame_decoder(support, 2, seed=3)
    assert objective == pytest.approx(lower, rel=1e-6)
    assert np.allclose(np.linalg.norm(x, axis=0), 1.0)
    code = bibd_code(13, 4, 1, m=2)
    frame = code.construction["frame"]
    assert frame["lower_bound"] <= frame["objective"] <= 1.5 * frame["lower_bound"]
    assert code.construction["variance_coefficient"] == pytest.approx(frame["objective"], rel=1e-9)


def test_nullspace_encoding_satisfies_xb_equals_t():
    rng = np.random.default_rng(0)
    support = random_support(rng, 9, 6, 0.5, 3)
    x = rng.standard_normal((3, 9))
    target = gcli.target_matrix(gcli.REAL, 6, 3)
    for choice in ("min-norm", "random"):
        b = nullspace_encoding(support, x, choice, seed=2)
        assert np.allclose(x @ b, target, atol=1e-12)
        assert not np.any((b != 0).reshape(9, 6, 3).any(axis=2) & ~support)


# ---------------------------------------------------------------------------------------------------------
# certificate, structure certificate and command line
# ---------------------------------------------------------------------------------------------------------
def run_cli(args, stdin=None):
    from click.testing import CliRunner

    from gcli.cli import cli

    return CliRunner().invoke(cli, args, input=stdin)


def test_verify_reports_the_approximation_block(tmp_path):
    import json

    path = tmp_path / "fano.json"
    path.write_text(gcli.dumps(bibd_code(7, 3, 1, s=4)))
    result = run_cli(["verify", str(path), "--json", "--failure-prob", "0.25"])
    assert result.exit_code == 0, result.output
    block = json.loads(result.output)["approximation"]
    assert block["decoder"] == "optimal" and block["worst_error"] == pytest.approx(1.6)
    assert block["mean_error"] == pytest.approx(1.6) and len(block["worst_set"]) == 3
    assert block["failure_prob"] == 0.25 and block["expectation"]["method"] == "exact"
    assert block["expected_error"] == pytest.approx(block["bias"] + block["variance"])
    assert block["exact_for"] == [0] and block["ok"]
    assert {"symmetric_bibd", "glasgow_wootters", "eckart_young"} <= {b["name"] for b in block["bounds"]}
    text = run_cli(["verify", str(path), "--decoder", "unbiased", "--failure-prob", "0.25"]).output
    assert "unbiased decoder" in text and "expected error" in text and "all respected" in text


@pytest.mark.parametrize(("args", "message"), [
    (["--decoder", "fixed"], "no fixed decoder"),
    (["--failure-prob", "1.5"], "0<x<1"),
    (["--failure-prob", "0"], "0<x<1"),
])
def test_bad_approximation_requests_exit_2(tmp_path, args, message):
    path = tmp_path / "crc.json"
    path.write_text(gcli.dumps(gcli.constructions.cyclic_repetition(6, 2)))
    result = run_cli(["verify", str(path), *args])
    assert result.exit_code == 2 and message in result.output


def test_bad_approximation_inputs_exit_2(tmp_path):
    path = tmp_path / "gf.json"
    path.write_text(gcli.dumps(reed_solomon(6, 2, field="GF(7)")))
    result = run_cli(["verify", str(path), "--decoder", "optimal"])
    assert result.exit_code == 2 and "real codes" in result.output
    result = run_cli(["design", "bibd", "-v", "7", "--block-size", "3", "-m", "4"])
    assert result.exit_code == 2 and "replication" in result.output
    result = run_cli(["design", "bibd", "-v", "7", "--block-size", "3", "-m", "2", "--method", "structure"])
    assert result.exit_code == 2
    result = run_cli(["design", "bibd", "-v", "7", "--block-size", "3", "-m", "1", "--method", "stacked"])
    assert result.exit_code == 2
    for args in (["srg", "10", "3", "0", "1", "-m", "4"], ["bibd", "7", "3", "-p", "2"], ["bibd", "7", "3", "-s", "9"],
                 ["bibd", "8", "3"], ["srg", "21", "10", "4", "5"]):
        result = run_cli(["bound", "approx", *args])
        assert result.exit_code == 2, args


def test_a_claim_the_errors_contradict_fails_verification(tmp_path):
    import json

    obj = json.loads(gcli.dumps(bibd_code(7, 3, 1, s=1, m=2)))
    obj["construction"]["variance_coefficient"] *= 0.9
    path = tmp_path / "code.json"
    path.write_text(json.dumps(obj))
    result = run_cli(["verify", str(path)])
    assert result.exit_code == 1 and "claim construction.variance_coefficient = " in result.output
    obj = json.loads(gcli.dumps(bibd_code(7, 3, 1, s=1)))
    obj["construction"]["bias"]["mean_weight"] = "1"
    path.write_text(json.dumps(obj))
    assert run_cli(["verify", str(path)]).exit_code == 1
    obj = json.loads(gcli.dumps(graph_code("petersen", n=10, s=2)))
    obj["construction"]["exact_for"] = [0, 1]
    path.write_text(json.dumps(obj))
    assert run_cli(["verify", str(path)]).exit_code == 1


@pytest.mark.parametrize("maker", [
    lambda: bibd_code(7, 3, 1, s=1, m=2),
    lambda: bibd_code(9, 3, 1, s=2, m=3, null_space="random", seed=5),
    lambda: bibd_code(7, 3, 1, s=1, m=2, method="polynomial"),
    lambda: bibd_code(13, 4, 1, s=1, m=2, method="stacked"),
    lambda: srg_code(params="10,3,0,1", m=2),
    lambda: graph_code("bipartite-regular", n=8, d=3, m=2, seed=1),
    lambda: graph_code("petersen", n=10, s=2, incidence=True),
    lambda: bibd_code(15, 5, 2, s=1, fallback=True, seed=3),
    lambda: bibd_code(15, 5, 2, s=1, m=2, fallback=True, seed=3),
])
def test_structure_certificate_rebuilds_every_encoding(maker):
    code = maker()
    restored = gcli.loads(gcli.dumps(code))
    report = gcli.certify_structure(restored)
    assert report is not None and report.certified, report.message
    assert gcli.certify(restored).certified
    encoding = np.asarray(code.encoding).copy()
    i, j = np.argwhere(encoding != 0)[0]
    encoding[i, j] *= 1.001
    assert not gcli.certify_structure(code.with_encoding(encoding)).certified


def test_fallback_is_never_silent():
    with pytest.raises(gcli.InputError, match="--fallback"):
        bibd_code(15, 5, 2)
    code = bibd_code(15, 5, 2, fallback=True)
    assert code.construction["support"] == "fallback" and "cannot build" in code.construction["fallback_reason"]
    assert "design" not in code.extras and code.extras["graph"]["partitions"] == 15
    result = run_cli(["design", "bibd", "-v", "15", "--block-size", "5", "--lambda", "2", "--fallback"])
    assert result.exit_code == 0 and "note: gcli cannot build" in result.output


def test_decoding_matrix_interface():
    code = bibd_code(7, 3, 1, s=1, m=2)
    rows = [0, 2, 3, 5, 6]
    for kind in ("optimal", "fixed", "unbiased"):
        x = gcli.approximate_decoding_matrix(code, rows, kind, failure_prob=0.2)
        assert x.shape == (2, 5)
        err = float(np.sum((x @ np.asarray(code.encoding)[rows] - np.asarray(code.target)) ** 2))
        assert err == pytest.approx(gcli.approximation_error(code, rows, kind, 0.2))
    optimal = gcli.approximation_error(code, rows, "optimal")
    assert all(optimal <= gcli.approximation_error(code, rows, kind, 0.2) + 1e-12 for kind in ("fixed", "unbiased"))
    with pytest.raises(gcli.InputError):
        gcli.approximate_decoding_matrix(code, rows, "unbiased")
    prepared = gcli.approximate_decoder(code, "unbiased", failure_prob=0.2)
    assert np.array_equal(prepared.matrix(rows), gcli.approximate_decoding_matrix(code, rows, "unbiased", 0.2))
    assert prepared.matrix([]).shape == (2, 0)


@pytest.mark.parametrize("params", ["5,2,0,1", "9,4,1,2", "10,3,0,1", "13,6,2,3", "16,6,2,2", "17,8,3,4", "27,10,1,5"])
@pytest.mark.parametrize("loops", [False, True])
def test_srg_closed_form_sigma2_matches_the_singular_values(params, loops):
    """The closed-form σ₂² of a certified srg code (no Lanczos step) is the second singular value² of the file's
    support, computed independently by a dense SVD, and the Glasgow–Wootters bound it gives is the solver's."""
    from gcli.certification.approximation import _srg_gram_second
    from gcli.structures import certify_structure
    from gcli.structures.spectra import bipartite_singular_values

    code = srg_code(params=params, loops=loops)
    structure = certify_structure(code)
    assert structure.certified
    held = np.zeros((code.n, code.k))
    for i, row in enumerate(code.assignment):
        held[i, list(row)] = 1.0
    sigma = np.linalg.svd(held, compute_uv=False)
    fast = _srg_gram_second(code, structure.details)
    assert fast is not None and math.isclose(fast, sigma[1] ** 2, rel_tol=1e-9, abs_tol=1e-9)
    _, lanczos = bipartite_singular_values(held.astype(np.int64))
    assert math.isclose(fast, lanczos**2, rel_tol=1e-7, abs_tol=1e-7)
    for s in (1, 2):
        report = approximation_report(code, stragglers=s)
        gw = next(b for b in report.bounds if b.name == "glasgow_wootters")
        r = int(held.sum(axis=0)[0])
        assert math.isclose(float(gw.value), float(ab.glasgow_wootters_bound(code.n, s, r, sigma[1] ** 2,
                                                                              True).value), rel_tol=1e-9)
        assert report.ok, report.checks


def test_srg_closed_form_needs_a_certified_srg():
    """A graph certified only as regular, or a structure that failed, never takes the closed form."""
    from gcli.certification.approximation import _srg_gram_second

    code = graph_code("random-regular", n=12, d=3, seed=1)
    assert _srg_gram_second(code, {}) is None
    assert _srg_gram_second(srg_code(params="10,3,0,1"), {}) is None
