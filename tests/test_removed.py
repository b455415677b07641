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
    if not values.any():  # no code holds nothing at all (d ≥ 1)
        values[0, 0] = 1
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


# ---------------------------------------------------------------------------------------------------------
# the pieces of the real removed side against per-set SVDs and least squares (independent computations)
# ---------------------------------------------------------------------------------------------------------
def _kappa_setup(seed: int, n: int, c: int, r: int) -> tuple[np.ndarray, object, np.ndarray]:
    """A random n × c encoding, the removed sets of size r that keep the rank, and their :class:`_Kappa`."""
    from gcli.certification.removed import _RANK_KEEPING, _block, _Kappa, _small_bottom

    rng = np.random.default_rng(seed)
    enc = rng.standard_normal((n, c)) * rng.uniform(0.1, 3.0, size=c)  # spread the singular values
    u_full, sv, _ = np.linalg.svd(enc, full_matrices=True)
    rho = int(np.sum(sv > max(n, c) * np.finfo(np.float64).eps * sv[0]))
    null = u_full[:, rho:]
    sets = lex_subsets(n, r)
    cs = _block(null @ null.T, sets)
    keep = _small_bottom(cs) > _RANK_KEEPING
    return enc, _Kappa(enc, u_full[:, :rho], sv[:rho], sets[keep], cs[keep]), sets[keep]


def _true_kappa(enc: np.ndarray, sets: np.ndarray) -> np.ndarray:
    """κ(B_F) = σ_max / σ_rank of every surviving set, one SVD each."""
    n = enc.shape[0]
    out = []
    for removed in sets.tolist():
        sv = np.linalg.svd(np.delete(enc, removed, axis=0), compute_uv=False)
        rank = int(np.sum(sv > max(n - len(removed), enc.shape[1]) * np.finfo(np.float64).eps * sv[0]))
        out.append(sv[0] / sv[rank - 1])
    return np.array(out)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(6, 24), deficit=st.integers(1, 4), r=st.integers(1, 3),
       first_exact=st.integers(0, 4), candidates=st.integers(0, 8))
def test_kappa_search_is_exact_at_the_worst_and_bounds_the_rest(seed: int, n: int, deficit: int, r: int,
                                                               first_exact: int, candidates: int) -> None:
    """Forced through the threshold tests and the bisection (tiny first_exact and candidates): the largest κ
    and its set equal the per-set SVDs', and every other value bounds its set's κ from above."""
    c = max(1, n - r - deficit)  # B_F keeps rank c: κ over its row space
    enc, kappa, sets = _kappa_setup(seed, n, c, r)
    if sets.shape[0] == 0:
        return
    truth = _true_kappa(enc, sets)
    got = kappa.worst(first_exact=first_exact, candidates=candidates)  # type: ignore[attr-defined]
    assert np.all(got >= truth * (1 - 1e-7))
    j = int(np.argmax(got))
    assert math.isclose(got[j], truth.max(), rel_tol=1e-6)
    assert math.isclose(truth[j], truth.max(), rel_tol=1e-6)
    sample = np.arange(sets.shape[0])
    np.testing.assert_allclose(kappa.exact(sample), truth, rtol=1e-6)  # type: ignore[attr-defined]


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(6, 20), deficit=st.integers(1, 3), r=st.integers(1, 3),
       scale=st.floats(0.2, 5.0))
def test_threshold_test_counts_like_the_svd(seed: int, n: int, deficit: int, r: int, scale: float) -> None:
    """x_F > τ ⟺ σ_min(B_F)⁻² > τ for τ above σ_ρ(B)⁻² (Sylvester's inertia on the r × r secular matrix)."""
    c = max(1, n - r - deficit)
    enc, kappa, sets = _kappa_setup(seed, n, c, r)
    if sets.shape[0] == 0:
        return
    smallest = np.array([np.linalg.svd(np.delete(enc, s, axis=0), compute_uv=False)[c - 1] for s in sets.tolist()])
    x = smallest**-2.0
    tau = float(kappa.d * (1 + scale * np.median(x / kappa.d - 1)))  # type: ignore[attr-defined]
    clear = np.abs(x / tau - 1) > 1e-8  # away from the threshold, where rounding cannot decide
    above = kappa._x_above(tau, np.arange(sets.shape[0]))  # type: ignore[attr-defined]
    assert np.array_equal(above[clear], (x > tau)[clear])


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(5, 14), k=st.integers(1, 8), m=st.integers(1, 2),
       r=st.integers(1, 3))
def test_decoder_from_the_decoder_space_is_least_squares(seed: int, n: int, k: int, m: int, r: int) -> None:
    """X = X₀ − X₀[:, S] C_S⁻¹ (N Nᵀ)[S, :] applied to arbitrary messages equals T B_F⁺ f_F (numpy's pinv).

    With truth = 0 the 'error' is ‖X_F f_F‖: a quantity of order one, not of rounding, so it checks the decoder."""
    from gcli.certification.removed import _block, _decoding_errors, _small_bottom

    rng = np.random.default_rng(seed)
    r = min(r, n - 1)
    enc = rng.standard_normal((n, k * m))
    if k * m > 2:
        enc = enc[:, : k * m - 1] @ rng.standard_normal((k * m - 1, k * m))  # rank-deficient B too
    target = np.hstack([np.eye(m)] * k)
    u_full, sv, vt = np.linalg.svd(enc, full_matrices=True)
    rho = int(np.sum(sv > max(enc.shape) * np.finfo(np.float64).eps * sv[0]))
    u, sig, v = u_full[:, :rho], sv[:rho], vt[:rho].T
    null = u_full[:, rho:]
    perp = null @ null.T
    sets = lex_subsets(n, r)
    cs = _block(perp, sets)
    keep = _small_bottom(cs) > 1e-6
    if not keep.any():
        return
    sets, cs = sets[keep], cs[keep]
    messages = rng.standard_normal((n, 3))
    x0 = (target @ v / sig) @ u.T
    got = _decoding_errors(x0, perp, sets, cs, messages, np.zeros((m, 3)))
    for value, removed in zip(got, sets.tolist(), strict=True):
        rows = np.delete(np.arange(n), removed)
        want = np.linalg.norm(target @ np.linalg.pinv(enc[rows]) @ messages[rows])
        assert math.isclose(value, want, rel_tol=1e-7, abs_tol=1e-9)


@given(values=st.lists(st.floats(0, 10), min_size=1, max_size=12), data=st.data())
def test_weighted_median_is_the_median_of_the_repeated_list(values: list[float], data: st.DataObject) -> None:
    from gcli.certification.removed import _weighted_median

    weights = data.draw(st.lists(st.integers(1, 5), min_size=len(values), max_size=len(values)))
    got = _weighted_median(np.array(values), np.array(weights))
    assert got == float(np.median(np.repeat(values, weights)))


@settings(max_examples=12, deadline=None)
@given(n=st.integers(8, 30), s=st.integers(1, 3), seed=st.integers(0, 3), first_exact=st.integers(0, 3),
       candidates=st.integers(0, 4))
def test_kappa_search_on_crc_codes(n: int, s: int, seed: int, first_exact: int, candidates: int) -> None:
    """Nearly cyclic codes, where many sets have close κ and the bounds alone do not decide: the threshold tests
    and the bisection run (a spy counts them over the examples), and the result is still exact at the worst."""
    from gcli.certification import removed
    from gcli.certification.removed import _RANK_KEEPING, _block, _Kappa, _small_bottom
    from gcli.constructions import cyclic_repetition

    enc = np.asarray(cyclic_repetition(n, s, seed=seed).encoding, dtype=np.float64)
    u_full, sv, _ = np.linalg.svd(enc, full_matrices=True)
    rho = int(np.sum(sv > max(enc.shape) * np.finfo(np.float64).eps * sv[0]))
    sets = lex_subsets(n, s)
    null = u_full[:, rho:]
    cs = _block(null @ null.T, sets)
    keep = _small_bottom(cs) > _RANK_KEEPING
    kappa = _Kappa(enc, u_full[:, :rho], sv[:rho], sets[keep], cs[keep])
    calls = []
    original = removed._Kappa._x_above

    def spy(self: _Kappa, tau: float, idx: np.ndarray) -> np.ndarray:
        calls.append(idx.size)
        return original(self, tau, idx)

    kappa._x_above = spy.__get__(kappa)  # type: ignore[method-assign]
    got = kappa.worst(first_exact=first_exact, candidates=candidates)
    truth = _true_kappa(enc, sets[keep])
    assert np.all(got >= truth * (1 - 1e-7))
    assert math.isclose(got.max(), truth.max(), rel_tol=1e-6)
    assert math.isclose(truth[int(np.argmax(got))], truth.max(), rel_tol=1e-6)
    if (n, s, first_exact, candidates) == (12, 2, 1, 2):
        assert calls  # this case is known to need the threshold tests


def test_kappa_threshold_path_runs_on_a_crc_code() -> None:
    """The example above, pinned: crc n = 12, s = 2 goes through the threshold tests."""
    test_kappa_search_on_crc_codes.hypothesis.inner_test(12, 2, 0, 1, 2)  # type: ignore[attr-defined]


def test_designs_with_many_workers_are_certified_exhaustively_on_the_removed_side() -> None:
    """A real crc code with n ≥ REMOVED_SIDE_MIN_N and s ≤ 3 is certified over every set at design time, and
    the recorded worst κ is the largest of the per-set SVDs'."""
    from gcli.constructions import cyclic_repetition
    from gcli.constructions._common import certification_plan

    code = cyclic_repetition(REMOVED_SIDE_MIN_N, 1)
    total, count = certification_plan(code)
    checked = code.construction["checked"]
    assert count == total == REMOVED_SIDE_MIN_N and checked["exhaustive"] and checked["sets"] == total
    truth = _true_kappa(np.asarray(code.encoding, dtype=np.float64), lex_subsets(code.n, 1))
    assert math.isclose(checked["worst_condition_number"], truth.max(), rel_tol=1e-3)  # recorded to 4 digits


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(4, 9), removed=st.integers(1, 3),
       scale=st.sampled_from([1e-171, 1e-120, 1e150]))
def test_removed_side_condition_numbers_do_not_depend_on_the_scale(seed: int, n: int, removed: int,
                                                                  scale: float) -> None:
    """κ(αB_F) = κ(B_F): a code whose entries are tiny (a high-degree Vandermonde row reaches 1e-171 in real
    reed-solomon n = 600) keeps a finite worst κ, equal to the per-set SVDs' (it read inf when σ_min⁻² overflowed)."""
    removed = min(removed, n - 1)
    k = n - removed  # rank k < n: the removed side's own route (a full-rank square B would fall back to the SVD)
    enc = np.random.default_rng(seed).standard_normal((n, k))
    plain = removed_side_verify(_code(REAL, enc, k, 1), stragglers=removed)
    code = _code(REAL, enc * scale, k, 1)
    scaled = removed_side_verify(code, stragglers=removed)
    assert plain.worst_condition_number is not None and scaled.worst_condition_number is not None
    assert math.isfinite(scaled.worst_condition_number)
    assert math.isclose(scaled.worst_condition_number, plain.worst_condition_number, rel_tol=1e-6)
    kappa = batched_real_report(code.encoding[np.array([scaled.worst_condition_set])], code.target,
                                method="svd").condition[0]
    assert math.isclose(kappa, scaled.worst_condition_number, rel_tol=1e-6)
