"""The removed-side approximation errors (gcli.certification.approx_removed) against an independent per-set
least-squares computation and against the engine's approximation pass, and the fast rotation orbits."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gcli import REAL, certify
from gcli.certification.approx_removed import RemovedFactor, _first_complement_rank, removed_approximation
from gcli.certification.approximation import approximation_statistics, exact_straggler_counts, expected_error
from gcli.certification.orbits import CyclicGroup, burnside_count, rotation_orbits
from gcli.certification.removed import _first_failure
from gcli.code import Code, assignment_from_support
from gcli.constructions import bibd_code, graph_code


def _code(enc: np.ndarray, k: int, m: int) -> Code:
    assignment = assignment_from_support(enc, k, m)
    d = max(1, max(len(row) for row in assignment))
    return Code("random", REAL, enc.shape[0], k, 1, m, 0, d, assignment, enc)  # type: ignore[arg-type]


def _lstsq_error(enc: np.ndarray, target: np.ndarray, rows: list[int]) -> float:
    """‖X·B_F − T‖² of the least-squares decoder, by numpy's lstsq (independent of the Gram matrix)."""
    bf = enc[rows]
    x = np.linalg.lstsq(bf.T, target.T, rcond=None)[0]
    return float(np.sum((x.T @ bf - target) ** 2))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(3, 9), extra=st.integers(0, 4), m=st.integers(1, 2),
       s=st.integers(1, 3), circulant=st.booleans())
def test_removed_errors_match_lstsq(seed: int, n: int, extra: int, m: int, s: int, circulant: bool) -> None:
    """E*(F) = E₀ + x₀[S]ᵀ W_SS⁻¹ x₀[S] and the fixed decoders' downdate agree with lstsq and direct products on
    every set, for random full-row-rank B (square or wide, m = 1 or 2)."""
    rng = np.random.default_rng(seed)
    s = min(s, n - 1)
    if circulant:
        m, k = 1, n
        c = rng.integers(-3, 4, size=n).astype(np.float64)
        c[0] = 10.0  # diagonally dominant: invertible
        enc = np.array([np.roll(c, i) for i in range(n)])
    else:
        k = -(-(n + extra) // m)
        enc = rng.standard_normal((n, k * m))
        enc[rng.random(enc.shape) < 0.2] = 0.0
    code = _code(enc, k, m)
    factor = RemovedFactor.of(code)
    if factor is None:  # singular or ill-conditioned in float64: the path refuses
        assert np.linalg.cond(enc @ enc.T) > 1e6
        return
    target = np.asarray(code.target, dtype=np.float64)
    sets = np.array(list(itertools.combinations(range(n), s)), dtype=np.int64)
    expected = [_lstsq_error(enc, target, sorted(set(range(n)) - set(row))) for row in sets.tolist()]
    scale = 1.0 + float(np.sum(target * target))
    assert np.allclose(factor.optimal_errors(sets), expected, rtol=0, atol=1e-9 * scale)
    x = rng.standard_normal((m, n))
    weight = float(rng.uniform(0.5, 2.0))
    direct = [float(np.sum((weight * x[:, F] @ enc[F] - target) ** 2))
              for F in (sorted(set(range(n)) - set(row)) for row in sets.tolist())]
    got = factor.fixed_errors(sets, x.T.copy(), weight)
    assert np.allclose(got, direct, rtol=1e-9, atol=1e-9 * (1.0 + max(direct)))
    # the whole pass (orbits when B is circulant) tallies the same worst and mean
    result = removed_approximation(code, s, x.T[None].copy(), np.array([weight]), 1e-8)
    assert result is not None
    for row, values in ((result.rows[0], expected), (result.rows[1], direct)):
        assert math.isclose(row[0] / result.total, float(np.mean(values)), rel_tol=1e-9, abs_tol=1e-9 * scale)
        assert math.isclose(row[2], max(values), rel_tol=1e-9, abs_tol=1e-9 * scale)
    inexact = [i for i, e in enumerate(expected) if math.sqrt(max(e, 0.0)) / math.sqrt(m) > 1e-6]
    if all(math.sqrt(max(e, 0.0)) / math.sqrt(m) > 1e-6 or e < 1e-20 for e in expected):  # no borderline set
        assert result.inexact == len(inexact)


def test_rank_deficient_or_tall_codes_are_refused() -> None:
    rng = np.random.default_rng(3)
    tall = rng.standard_normal((6, 4))  # n > k·m: B·Bᵀ is singular
    assert RemovedFactor.of(_code(tall, 4, 1)) is None
    low = rng.standard_normal((4, 2)) @ rng.standard_normal((2, 6))  # rank 2 < n = 4
    assert RemovedFactor.of(_code(low, 6, 1)) is None


@pytest.mark.parametrize("n", [1, 2, 3, 5, 6, 8, 9, 12])
def test_rotation_orbits_are_the_canonical_rotations(n: int) -> None:
    for r in range(0, min(n, 4) + 1):
        reps, sizes = rotation_orbits(n, r)
        canon: dict[tuple[int, ...], int] = {}
        for subset in itertools.combinations(range(n), r):
            key = min(tuple(sorted((x + j) % n for x in subset)) for j in range(n))
            canon[key] = canon.get(key, 0) + 1
        assert [tuple(row) for row in reps.tolist()] == sorted(canon)
        assert sizes.tolist() == [canon[key] for key in sorted(canon)]
        assert reps.shape[0] == burnside_count(n, r)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(3, 13), r=st.integers(1, 4), seed=st.integers(0, 10**6))
def test_first_complement_rank_matches_the_orbit_members(n: int, r: int, seed: int) -> None:
    r = min(r, n - 1)
    group = CyclicGroup(n, 1, 1)
    reps, _ = group.orbits(r)
    pick = reps[np.random.default_rng(seed).random(reps.shape[0]) < 0.4]
    if pick.shape[0]:
        assert _first_complement_rank(pick, n, group) == _first_failure(pick, n, r, group)


def test_certify_takes_the_removed_side_and_agrees_with_the_engine() -> None:
    """PG(2,11) (n = 133 ≥ 100): gcli.certify's removed-side approximation block equals the engine's
    approximation pass decoder by decoder, its Monte Carlo expectation equals the engine's on the same seeded
    patterns, and its exact straggler counts the engine's."""
    code, s, p = bibd_code(133, 12, 1, s=1), 1, 0.02
    cert = certify(code, stragglers=s, decoder="optimal", failure_prob=p, expectation_samples=200)
    assert cert.removed_side is not None and cert.removed_side["path"].startswith("removed-side approximation")
    assert cert.removed_side["group_order"] == code.n  # the Singer cycle, verified on the encoding
    assert cert.stability is None  # condition numbers are the engine's, not claimed here
    block = cert.approximation
    assert block is not None and block["sets"] == math.comb(code.n, s)
    engine = approximation_statistics(code, stragglers=s, failure_prob=p)
    for name, entry in engine.items():
        for key in ("worst_error", "mean_error"):
            assert math.isclose(block["decoders"][name][key], entry[key], rel_tol=1e-9), (name, key)
    with pytest.MonkeyPatch.context() as patch:  # the engine's Monte Carlo walk, not the removed side
        patch.setattr(RemovedFactor, "of", classmethod(lambda cls, code: None))
        reference = expected_error(code, "optimal", p, samples=200, seed=0)
    for key in ("expected_error", "bias", "variance"):
        assert block[key] == pytest.approx(getattr(reference, key), rel=1e-9), key
    assert block["exact_for"] == exact_straggler_counts(code, known_inexact=s).counts == [0]
    assert cert.failures_found == math.comb(code.n, s) and cert.failing_set == list(range(code.n - 1))
    assert all(check["ok"] for check in block["checks"])


def test_paley_graph_code_against_lstsq() -> None:
    """Paley(101), s = 1 (n/|F| fixed decoder): worst and mean of the optimal and fixed errors from the removed
    side equal a per-set lstsq and direct products over all 101 sets, and the named worst set has that error."""
    code = graph_code("paley", n=101, s=1)
    cert = certify(code, stragglers=1, decoder="optimal")
    block = cert.approximation
    assert block is not None and cert.removed_side is not None and cert.removed_side["orbits"] == 1
    enc = np.asarray(code.encoding, dtype=np.float64)
    target = np.asarray(code.target, dtype=np.float64)
    sets = [[j for j in range(101) if j != i] for i in range(101)]
    optimal = [_lstsq_error(enc, target, rows) for rows in sets]
    fixed = [float(np.sum((101 / 100 * enc[rows].sum(axis=0) - target) ** 2)) for rows in sets]
    for name, values in (("optimal", optimal), ("fixed", fixed)):
        got = block["decoders"][name]
        assert math.isclose(got["worst_error"], max(values), rel_tol=1e-9)
        assert math.isclose(got["mean_error"], float(np.mean(values)), rel_tol=1e-9)
    assert math.isclose(_lstsq_error(enc, target, block["worst_set"]), block["worst_error"], rel_tol=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32), st.integers(0, 40), st.integers(1, 30), st.floats(0.0, 1.0), st.integers(1, 7))
def test_chunked_failure_draws_are_the_one_shot_draws(seed, count, n, p, chunk):
    """The chunked draws of removed_expectation are exactly np.nonzero(default_rng(seed).random((count, n)) < p)."""
    from gcli.certification.approx_removed import failed_workers

    rows, cols = failed_workers(seed, count, n, p, chunk=chunk)
    want_rows, want_cols = np.nonzero(np.random.default_rng(seed).random((count, n)) < p)
    assert np.array_equal(rows, want_rows) and np.array_equal(cols, want_cols)


def _engine_expectation(code: Code, p: float, samples: int | None, seed: int) -> object:
    """expected_error by the engine's Monte Carlo walk (the removed side switched off)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RemovedFactor, "of", classmethod(lambda cls, code: None))
        return expected_error(code, "optimal", p, samples=samples, seed=seed)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(4, 9), extra=st.integers(0, 4), m=st.integers(1, 2),
       p=st.floats(0.05, 0.6), samples=st.integers(2, 60))
def test_expected_error_takes_the_removed_side_with_the_engines_figures(seed, n, extra, m, p, samples) -> None:
    """expected_error's Monte Carlo estimate of the optimal decoder: with a full-row-rank B it is computed from the
    removed side (an r × r problem per pattern) on the same seeded patterns, and equals the engine's walk over
    the responders (expectation, bias, variance, interval, samples) up to round-off; without the factor it is the
    engine's."""
    rng = np.random.default_rng(seed)
    k = -(-(n + extra) // m)
    enc = rng.standard_normal((n, k * m))
    enc[rng.random(enc.shape) < 0.2] = 0.0
    code = _code(enc, k, m)
    calls: list[int] = []
    real = expected_error.__globals__["run_pass"]
    with pytest.MonkeyPatch.context() as patch:  # a spy: does the engine run?
        patch.setitem(expected_error.__globals__, "run_pass", lambda *a, **kw: calls.append(1) or real(*a, **kw))
        fast = expected_error(code, "optimal", p, samples=samples, seed=seed)
    slow = _engine_expectation(code, p, samples, seed)
    assert (not calls) == (RemovedFactor.of(code) is not None)
    assert fast.method == slow.method == "monte carlo" and fast.samples == slow.samples == samples
    scale = max(1.0, slow.expected_error)
    for key in ("expected_error", "bias", "variance"):
        assert getattr(fast, key) == pytest.approx(getattr(slow, key), rel=1e-7, abs=1e-9 * scale), key
    assert fast.interval == pytest.approx(slow.interval, rel=1e-7, abs=1e-9 * scale)


def test_expected_error_default_count_is_the_engines() -> None:
    """By default the removed side estimates on as many patterns as the engine would (its work rule), so the
    figure does not depend on the path: PG(2,7) (n = 57, 2⁵⁷ patterns) at p = 0.05."""
    code = bibd_code(57, 8, 1, s=1)
    assert RemovedFactor.of(code) is not None
    fast = expected_error(code, "optimal", 0.05)
    slow = _engine_expectation(code, 0.05, None, 0)
    assert fast.samples == slow.samples and fast.method == slow.method == "monte carlo"
    assert fast.expected_error == pytest.approx(slow.expected_error, rel=1e-9)
    assert fast.bias == pytest.approx(slow.bias, rel=1e-9, abs=1e-15)
