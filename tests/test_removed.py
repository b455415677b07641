"""The removed-side path and the orbit enumeration against full enumeration by the normal engine."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gcli import REAL
from gcli.certification.orbits import burnside_count, cyclic_group, lex_subsets
from gcli.certification.removed import removed_side_verify
from gcli.certification.verification import REMOVED_SIDE_MIN_N, report_from_pass, run_pass, verify
from gcli.code import Code, assignment_from_support
from gcli.fields import as_field
from gcli.fields.linalg import batched_real_report


def _code(field: object, enc: np.ndarray, k: int, m: int) -> Code:
    assignment = assignment_from_support(enc, k, m)
    d = max(1, max(len(row) for row in assignment))
    return Code("random", field, enc.shape[0], k, 1, m, 0, d, assignment, enc)  # type: ignore[arg-type]


def _real_code(seed: int, n: int, k: int, m: int, rank_cut: int, circulant: bool) -> Code:
    rng = np.random.default_rng(seed)
    if circulant:  # exactly cyclic: B[i, j] = c[(j − i) mod n], k = n, m = 1
        c = rng.integers(-3, 4, size=n).astype(np.float64)
        enc = np.array([np.roll(c, i) for i in range(n)])
        return _code(REAL, enc, n, 1)
    enc = rng.standard_normal((n, k * m))
    if rank_cut:  # rank-deficient B
        enc = enc[:, : max(1, k * m - rank_cut)] @ rng.standard_normal((max(1, k * m - rank_cut), k * m))
    enc[rng.random(enc.shape) < 0.3] = 0.0  # some sets lose rank, some fail
    return _code(REAL, enc, k, m)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(4, 9), k=st.integers(1, 6), m=st.integers(1, 2),
       removed=st.integers(1, 3), rank_cut=st.integers(0, 2), circulant=st.booleans())
def test_real_removed_side_matches_enumeration(seed: int, n: int, k: int, m: int, removed: int, rank_cut: int,
                                               circulant: bool) -> None:
    removed = min(removed, n - 1)
    code = _real_code(seed, n, k, m, rank_cut, circulant)
    full = verify(code, stragglers=removed, all_failures=True)
    for symmetry in (False, True):
        rep = removed_side_verify(code, stragglers=removed, use_symmetry=symmetry)
        assert rep.decodable == full.decodable
        assert rep.failures == full.failures_found
        assert rep.failing_set == full.failing_set
        assert rep.patterns_total == full.patterns_total
        assert full.worst_condition_number is not None and rep.worst_condition_number is not None
        if math.isfinite(full.worst_condition_number) and full.worst_condition_number < 1e6:
            assert math.isclose(rep.worst_condition_number, full.worst_condition_number, rel_tol=1e-6)
            # the named worst set has that condition number
            kappa = batched_real_report(code.encoding[np.array([rep.worst_condition_set])], code.target).condition[0]
            assert math.isclose(kappa, rep.worst_condition_number, rel_tol=1e-6)
        assert rep.max_residual is not None and full.max_residual is not None
        assert abs(rep.max_residual - full.max_residual) <= 1e-7
        if rep.failing_set is not None:  # the named set really fails
            res = batched_real_report(code.encoding[np.array([rep.failing_set])], code.target).residual[0]
            assert res / np.linalg.norm(code.target) > 1e-8


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(4, 9), k=st.integers(1, 6), m=st.integers(1, 2),
       removed=st.integers(1, 3), field=st.sampled_from(["GF(2)", "GF(5)", "GF(7)"]))
def test_gf_removed_side_matches_enumeration(seed: int, n: int, k: int, m: int, removed: int, field: str) -> None:
    removed = min(removed, n - 1)
    rng = np.random.default_rng(seed)
    fld = as_field(field)
    values = rng.integers(0, fld.order, size=(n, k * m))
    code = _code(fld, fld(values), k, m)
    full = verify(code, stragglers=removed, all_failures=True)
    rep = removed_side_verify(code, stragglers=removed)
    assert (rep.decodable, rep.failures, rep.failing_set) == (full.decodable, full.failures_found, full.failing_set)


@given(n=st.integers(1, 12), r=st.integers(0, 4))
def test_lex_subsets(n: int, r: int) -> None:
    import itertools

    assert lex_subsets(n, r).tolist() == [list(c) for c in itertools.combinations(range(n), r)]


@given(order=st.integers(1, 12), step=st.integers(1, 3), r=st.integers(1, 4))
def test_orbits_partition_the_subsets(order: int, step: int, r: int) -> None:
    """Representatives are canonical, orbit sizes sum to C(n, r), and the count agrees with Burnside."""
    from gcli.certification.orbits import CyclicGroup

    n = order * step
    if r > n:
        return
    group = CyclicGroup(n, step, 0)
    reps, sizes = group.orbits(r)
    assert int(sizes.sum()) == math.comb(n, r)
    assert reps.shape[0] == burnside_count(order, r, step)
    seen = set()
    for rep, size in zip(reps.tolist(), sizes.tolist(), strict=True):
        orbit = {tuple(group.apply(np.array([rep]), j)[0].tolist()) for j in range(order)}
        assert len(orbit) == size and min(orbit) == tuple(rep)
        assert not orbit & seen
        seen |= orbit


def test_cyclic_group_is_verified() -> None:
    code = _real_code(1, 8, 8, 1, 0, True)
    group = cyclic_group(code.encoding, code.target, m=1, k=8)
    assert group is not None and group.step == 1
    broken = code.encoding.copy()
    broken[0, 0] += 1.0
    assert cyclic_group(broken, code.target, m=1, k=8) is None


def test_verify_dispatches_to_the_removed_side() -> None:
    """verify() on n ≥ REMOVED_SIDE_MIN_N with one straggler: the removed side, and the engine agrees."""
    rng = np.random.default_rng(3)
    n = REMOVED_SIDE_MIN_N
    enc = rng.standard_normal((n, n - 2))
    enc[5] = 0.0  # worker 5 holds nothing: its removal changes nothing
    code = _code(REAL, enc, n - 2, 1)
    fast = verify(code, stragglers=1)
    assert fast.path == "removed-side"
    slow = report_from_pass(code, run_pass(code, stragglers=1, all_failures=True), 1e-8, 0.99)
    assert fast.decodable == slow.decodable and fast.failures_found == slow.failures_found
    assert fast.worst_condition_number is not None and slow.worst_condition_number is not None
    assert math.isclose(fast.worst_condition_number, slow.worst_condition_number, rel_tol=1e-6)
