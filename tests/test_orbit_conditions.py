"""Condition numbers once per orbit in the real walk (:func:`gcli.certification.engine.orbit_conditions`).

* the digit translations of Z_p^e found by :func:`gcli.certification.orbits.digit_translations` are automorphisms
  of the code (checked independently, entry by entry), form a group, and are refused when the code is perturbed;
* :func:`gcli.certification.orbits.set_orbits` against a brute-force orbit listing, :func:`lex_masks` against
  :func:`lex_subsets`;
* hypothesis: random translation-invariant ("Cayley") codes on Z_p^e — the walk, reading κ per orbit, gives the
  same verdicts, condition numbers, float64 errors and residuals as the SVD route (``backend="numpy"``) set by set,
  and the orbit path did run (spy).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gcli.certification import engine
from gcli.certification.options import CertifyOptions
from gcli.certification.orbits import digit_translations, lex_masks, lex_subsets, set_orbits
from gcli.certification.stability import random_messages
from gcli.certification.verification import run_pass
from gcli.code import Code, assignment_from_support
from gcli.fields import REAL

CASES = [(2, 2), (2, 3), (3, 2), (5, 1), (7, 1)]  # (p, e): n = 4, 8, 9, 5, 7


def _digits(x: int, p: int, e: int) -> tuple[int, ...]:
    return tuple((x // p**d) % p for d in range(e))


def _cayley(p: int, e: int, m: int, rng: np.random.Generator, density: float) -> np.ndarray:
    """B[x, y·m + u] = w_u[y − x] (digit-wise mod p): invariant under every translation of Z_p^e."""
    n = p**e
    w = rng.standard_normal((m, n)) * (rng.random((m, n)) < density)
    w[:, 0] += 1.0  # every row loaded
    b = np.zeros((n, n * m))
    for x in range(n):
        for y in range(n):
            pairs = zip(_digits(x, p, e), _digits(y, p, e), strict=True)
            diff = sum(((yd - xd) % p) * p**d for d, (xd, yd) in enumerate(pairs))
            for u in range(m):
                b[x, y * m + u] = w[u, diff]
    return b


def _code(b: np.ndarray, m: int, s: int) -> Code:
    n = b.shape[0]
    assignment = assignment_from_support(b, n, m)
    d = max(1, max(len(row) for row in assignment))
    return Code("random", REAL, n, n, s, m, 0, d, assignment, b)


def _target(n: int, m: int) -> np.ndarray:
    return np.tile(np.eye(m), (1, n))


@pytest.mark.parametrize(("p", "e"), CASES)
def test_digit_translations_are_automorphisms(p: int, e: int) -> None:
    n, m = p**e, 2
    b = _cayley(p, e, m, np.random.default_rng(p * 10 + e), 0.7)
    group = digit_translations(b, _target(n, m), m=m, k=n)
    assert group is not None and group.shape == (n, n)
    assert {tuple(g) for g in group} == {tuple(g) for g in group[:, group].reshape(-1, n)}  # closed
    for g in group:
        assert sorted(g.tolist()) == list(range(n))
        for x, y, u in itertools.product(range(n), range(n), range(m)):
            assert b[g[x], g[y] * m + u] == b[x, y * m + u]
    broken = b.copy()
    broken[0, 0] += 1.0
    assert digit_translations(broken, _target(n, m), m=m, k=n) is None
    assert digit_translations(b[:, : (n - 1) * m], _target(n - 1, m), m=m, k=n - 1) is None  # not square


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 12), r=st.integers(0, 12))
def test_lex_masks(n: int, r: int) -> None:
    subsets = lex_subsets(n, r)
    assert lex_masks(n, r).tolist() == [sum(1 << int(i) for i in row) for row in subsets]


@pytest.mark.parametrize(("p", "e", "r"), [(2, 2, 2), (2, 3, 3), (2, 3, 5), (3, 2, 4), (5, 1, 2), (2, 4, 7)])
def test_set_orbits_against_brute_force(p: int, e: int, r: int) -> None:
    n = p**e
    b = _cayley(p, e, 1, np.random.default_rng(1), 1.0)
    group = digit_translations(b, _target(n, 1), m=1, k=n)
    assert group is not None
    reps, sizes, orbit = set_orbits(group, n, r)
    subsets = [tuple(row) for row in lex_subsets(n, r).tolist()]
    rank = {F: i for i, F in enumerate(subsets)}
    assert sizes.sum() == math.comb(n, r) == orbit.size
    for j, rep in enumerate(reps.tolist()):
        members = {tuple(sorted(int(g[i]) for i in rep)) for g in group}
        assert min(members) == tuple(rep)  # the lexicographically first member
        assert len(members) == sizes[j]
        assert all(orbit[rank[F]] == j for F in members)
    assert sorted(rank[tuple(rep)] for rep in reps.tolist()) == [rank[tuple(rep)] for rep in reps.tolist()]


@st.composite
def cayley_codes(draw: st.DrawFn) -> tuple[Code, int]:
    p, e = draw(st.sampled_from(CASES))
    m = draw(st.integers(1, 2))
    density = draw(st.sampled_from([0.4, 0.7, 1.0]))
    seed = draw(st.integers(0, 2**16))
    b = _cayley(p, e, m, np.random.default_rng(seed), density)
    n = p**e
    s = draw(st.integers(0, n - 1))
    return _code(b, m, s), s


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(case=cayley_codes())
def test_orbit_conditions_match_the_svd_route(case: tuple[Code, int], monkeypatch: pytest.MonkeyPatch) -> None:
    code, s = case
    monkeypatch.setattr(engine, "WALK_THRESHOLD", 0)
    calls = []
    reps = engine._representative_conditions

    def spy(task: engine.Task, sets: np.ndarray) -> np.ndarray:
        calls.append(sets.shape[0])
        return reps(task, sets)

    monkeypatch.setattr(engine, "_representative_conditions", spy)
    engine._ORBITS.clear()
    messages, truth = random_messages(code, 0)
    walk, ref = [run_pass(code, CertifyOptions(stragglers=s, adversaries=0, all_failures=True, backend=backend,
                                                force=True), messages=messages, truth=truth, stride=1)
                 for backend in ("auto", "numpy")]
    assert len(calls) == 1 and calls[0] <= math.comb(code.n, s)  # κ once per orbit
    assert walk.failures == ref.failures and walk.first_failure == ref.first_failure
    cond_w, cond_r = walk.samples("condition_samples"), ref.samples("condition_samples")
    finite = np.isfinite(cond_r) & (cond_r < 1e6)
    assert np.array_equal(np.isfinite(cond_w), np.isfinite(cond_r))
    assert np.allclose(cond_w[finite], cond_r[finite], rtol=1e-7)
    err_w, err_r = walk.samples("error_samples"), ref.samples("error_samples")
    noise = 1e3 * np.finfo(float).eps * np.where(finite, cond_r, 1e6)
    assert np.all(np.abs(err_w - err_r) <= noise + 1e-9 * np.abs(err_r))
    res_w, _ = walk.extreme("max_residual", "max_residual_index")
    res_r, _ = ref.extreme("max_residual", "max_residual_index")
    assert math.isclose(res_w, res_r, rel_tol=1e-9, abs_tol=1e-10)


def test_no_group_no_orbits(monkeypatch: pytest.MonkeyPatch) -> None:
    """A code without translations walks as before: κ per set, no orbit listing."""
    monkeypatch.setattr(engine, "WALK_THRESHOLD", 0)
    monkeypatch.setattr(engine, "_representative_conditions", lambda *a: pytest.fail("no group: no orbits"))
    b = np.random.default_rng(3).standard_normal((9, 9))
    code = _code(b, 1, 3)
    engine._ORBITS.clear()
    run = run_pass(code, CertifyOptions(stragglers=3, adversaries=0, all_failures=True, force=True), stride=1)
    assert run.checked == math.comb(9, 3)


def test_docstring_examples() -> None:
    import doctest

    from gcli.certification import orbits

    assert doctest.testmod(orbits).failed == 0
    finder, runner = doctest.DocTestFinder(), doctest.DocTestRunner()
    for test in finder.find(engine.orbit_conditions, "orbit_conditions", globs={"np": np}):
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
    assert runner.summarize(verbose=False).attempted > 0
