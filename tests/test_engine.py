"""The fast verification engine against independent computations.

* the compiled depth-first engine equals the batched numpy reference (``backend="numpy"``) and a per-pattern
  galois rank test, on a seeded grid of random small codes (some decodable, many not) over GF(p), GF(2^e),
  GF(3^2), and on structured codes with a corrupted entry;
* over the reals, condition numbers and residuals agree with a per-pattern numpy SVD;
* executors (threads, processes, Dask) give the same report as the sequential run;
* the combinatorial number system round-trips.
"""

from __future__ import annotations

import itertools
import json
import math
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest
from click.testing import CliRunner

from gcli.certification.engine import combinations_from, rank_combination, unrank_combination
from gcli.certification.verification import verify
from gcli.cli import cli
from gcli.code import Code, assignment_from_support
from gcli.constructions import cyclic_repetition, fractional_repetition, reed_solomon
from gcli.fields import REAL, as_field
from gcli.fields.linalg import batched_real_report
from gcli.io.json import dumps

FIELDS = ["GF(2)", "GF(3)", "GF(7)", "GF(65537)", "GF(2^4)", "GF(3^2)", "GF(2^8)"]


def _report(code: Code, **kwargs: object) -> dict[str, object]:
    """The report as JSON (without the time); the compiled kernels unless another backend is named (``auto``
    checks codes this small by numpy elimination, see :func:`test_auto_backend_equals_the_kernels`)."""
    kwargs.setdefault("backend", "compiled")
    out = verify(code, force=True, **kwargs).to_json()  # type: ignore[arg-type]
    out.pop("seconds")
    return out


def _random_code(field_text: str, n: int, k: int, m: int, s: int, density: float, seed: int) -> Code:
    rng = np.random.default_rng(seed)
    fld = as_field(field_text)
    values = rng.integers(1, fld.order, size=(n, k * m))
    mask = rng.random((n, k * m)) < density
    enc = fld(np.where(mask, values, 0))
    assignment = assignment_from_support(enc, k, m)
    d = max(len(row) for row in assignment)
    return Code("random", fld, n, k, s, m, 0, d, assignment, enc)


def _galois_failures(code: Code, size: int) -> list[tuple[int, ...]]:
    """Independent check: T ∈ rowspan(B_F) iff rank [B_F; T] = rank B_F (galois, one pattern at a time)."""
    enc, target = code.encoding, code.target
    failing = []
    for rows in itertools.combinations(range(code.n), size):
        block = enc[list(rows)]
        stacked = np.concatenate([block, target], axis=0).view(code.field)
        if np.linalg.matrix_rank(stacked) != np.linalg.matrix_rank(block):
            failing.append(rows)
    return failing


# ---------------------------------------------------------------------------------------------------------
# combinatorial number system
# ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("n", "r"), [(1, 1), (5, 1), (5, 5), (7, 3), (9, 4), (12, 6)])
def test_unranking_round_trips_in_lexicographic_order(n: int, r: int) -> None:
    combos = list(itertools.combinations(range(n), r))
    for rank, combo in enumerate(combos):
        assert unrank_combination(rank, n, r) == combo
        assert rank_combination(combo, n) == rank
    for start in sorted({0, min(1, len(combos) - 1), len(combos) // 2, len(combos) - 1}):
        got = combinations_from(start, 5, n, r)
        assert [tuple(row) for row in got.tolist()] == combos[start : start + 5]


def test_unranking_large_values_and_bounds() -> None:
    n, r = 60, 30
    last = math.comb(n, r) - 1
    assert unrank_combination(last, n, r) == tuple(range(30, 60))
    assert rank_combination(tuple(range(30, 60)), n) == last
    with pytest.raises(ValueError):
        unrank_combination(last + 1, n, r)


# ---------------------------------------------------------------------------------------------------------
# exact engine vs references
# ---------------------------------------------------------------------------------------------------------
_GRID = [
    (field, n, k, m, s, density, seed)
    for seed, (field, (n, k, m, s), density) in enumerate(
        itertools.product(FIELDS, [(6, 4, 1, 2), (7, 3, 2, 2), (8, 8, 1, 3), (9, 5, 1, 4)], [0.45, 0.8])
    )
]


@pytest.mark.parametrize(("field", "n", "k", "m", "s", "density", "seed"), _GRID)
def test_engine_equals_numpy_reference_and_galois(
    field: str, n: int, k: int, m: int, s: int, density: float, seed: int
) -> None:
    code = _random_code(field, n, k, m, s, density, seed)
    size = n - s
    failing = _galois_failures(code, size)
    for all_failures in (False, True):
        fast = _report(code, all_failures=all_failures)
        reference = _report(code, all_failures=all_failures, backend="numpy")
        assert fast == reference
        assert fast["decodable"] == (not failing)
        if failing:
            assert fast["failing_set"] == list(failing[0])
            if all_failures:
                assert fast["failures_found"] == len(failing)
                assert fast["patterns_checked"] == math.comb(n, size)
            else:
                assert fast["patterns_checked"] == rank_combination(failing[0], n) + 1
                assert fast["failures_found"] == 1
        else:
            assert fast["patterns_checked"] == math.comb(n, size)


@pytest.mark.parametrize(("field", "n", "k", "m", "s", "density", "seed"), _GRID[::3])
def test_auto_backend_equals_the_kernels(
    field: str, n: int, k: int, m: int, s: int, density: float, seed: int
) -> None:
    """Small finite-field checks run by numpy elimination with gcli's int64 arithmetic (no numba, no galois):
    the same report as the compiled kernels, stopping at the first failure or counting them all."""
    from gcli.certification.engine import small_gf_task
    from gcli.certification.verification import _task

    code = _random_code(field, n, k, m, s, density, seed)
    assert small_gf_task(_task(code, n - s, 1e-8, True, "auto"))
    assert not small_gf_task(_task(code, n - s, 1e-8, True, "compiled"))
    for all_failures in (False, True):
        assert _report(code, all_failures=all_failures, backend="auto") == _report(code, all_failures=all_failures)
    for unit in (1, 7):
        assert _report(code, all_failures=True, unit_size=unit, backend="auto") == _report(code, all_failures=True)


def test_large_finite_field_checks_take_the_kernels() -> None:
    from gcli.certification.engine import SMALL_GF_WORK, small_gf_task
    from gcli.certification.verification import _task

    code = reed_solomon(20, 5, field="GF(257)")
    task = _task(code, 15, 1e-8, True, "auto")
    assert math.comb(20, 15) * 15 * 20 * 16 > SMALL_GF_WORK
    assert not small_gf_task(task)


def test_the_grid_has_decodable_and_failing_codes() -> None:
    outcomes = {verify(_random_code(*params)).decodable for params in _GRID}
    assert outcomes == {True, False}


@pytest.mark.parametrize(
    ("field", "n", "s", "m"),
    [
        ("GF(65537)", 10, 3, 1), ("GF(65537)", 9, 2, 2), ("GF(2^8)", 10, 4, 1), ("GF(2^8)", 8, 2, 2),
        ("GF(3^2)", 8, 2, 2), ("GF(3^2)", 8, 3, 1), ("GF(13)", 10, 4, 1), ("GF(13)", 9, 3, 1),
    ],
)
def test_reed_solomon_and_corrupted_copies(field: str, n: int, s: int, m: int) -> None:
    code = reed_solomon(n, s, m=m, field=field)
    assert verify(code).decodable
    assert _report(code) == _report(code, backend="numpy")
    rng = np.random.default_rng(n * 100 + s)
    for trial in range(3):
        enc = code.encoding.copy()
        worker = int(rng.integers(n))
        col = int(rng.choice(np.flatnonzero(np.asarray(enc[worker] != 0))))
        enc[worker, col] += code.field(int(rng.integers(1, code.field.order)))
        bad = code.with_encoding(enc) if np.count_nonzero(enc[worker]) else None
        if bad is None:
            continue
        fast, reference = _report(bad, all_failures=True), _report(bad, all_failures=True, backend="numpy")
        assert fast == reference
        if trial == 0:
            assert fast["failures_found"] == len(_galois_failures(bad, n - s))
        assert _report(bad) == _report(bad, backend="numpy")


def test_repetition_codes_use_the_subtree_shortcut_correctly() -> None:
    # FRC: many prefixes already span the target, so whole subtrees are counted at once.
    code = fractional_repetition(12, 3, field="GF(7)")
    assert _report(code) == _report(code, backend="numpy")
    enc = code.encoding.copy()
    enc[5] = 0  # worker 5 sends nothing: sets missing the rest of its group fail
    bad = code.with_encoding(enc)
    fast = _report(bad, all_failures=True)
    assert fast == _report(bad, all_failures=True, backend="numpy")
    assert fast["failures_found"] == len(_galois_failures(bad, 9))
    # ranges that start inside a counted subtree
    for unit in (1, 7, 50):
        assert _report(bad, all_failures=True, unit_size=unit) == fast
        assert _report(bad, unit_size=unit) == _report(bad)


@pytest.mark.parametrize("field", ["GF(65537)", "GF(2^8)", "real"])
def test_sampling_equals_reference(field: str) -> None:
    code = cyclic_repetition(12, 4, field=field, seed=3)
    enc = code.encoding.copy()
    enc[2] = enc[2] * 0
    enc[2, 2 * code.m] = enc[3, 3 * code.m]
    bad = code.with_encoding(enc)
    for c in (code, bad):
        fast = _report(c, sample=300, seed=5)
        reference = _report(c, sample=300, seed=5, backend="numpy")
        if c.is_real:
            _assert_real_close(fast, reference)
        else:
            assert fast == reference
        assert fast["sample_seed"] == 5


# ---------------------------------------------------------------------------------------------------------
# the reals
# ---------------------------------------------------------------------------------------------------------
def _per_pattern_svd(code: Code, size: int) -> tuple[np.ndarray, np.ndarray]:
    enc, target = np.asarray(code.encoding), code.target
    conds, residuals = [], []
    for rows in itertools.combinations(range(code.n), size):
        block = enc[list(rows)]
        _, sv, vh = np.linalg.svd(block, full_matrices=False)
        keep = sv > max(block.shape) * np.finfo(float).eps * sv[0]
        v = vh[keep]
        conds.append(sv[0] / sv[keep][-1])
        residuals.append(np.linalg.norm(target - target @ v.T @ v) / math.sqrt(code.k * code.m))
    return np.array(conds), np.array(residuals)


def _assert_real_close(fast: dict[str, object], reference: dict[str, object]) -> None:
    for key in fast:
        if key in ("worst_condition_number", "max_residual", "worst_condition_set"):
            continue  # equal to rounding; with ties (symmetric codes) the attaining set may differ
        assert fast[key] == reference[key], key
    assert math.isclose(fast["worst_condition_number"], reference["worst_condition_number"], rel_tol=1e-9)
    assert math.isclose(
        fast["max_residual"], reference["max_residual"], rel_tol=1e-9,
        abs_tol=_rounding_level(reference["worst_condition_number"]),
    )


def _rounding_level(condition: float) -> float:
    """Residuals of B_F are rounding noise of size about ε·κ(B_F); backward-stable methods agree to that."""
    return max(1e-12, 100 * np.finfo(float).eps * condition)


@pytest.mark.parametrize(
    "code",
    [
        cyclic_repetition(10, 3, field="real", seed=1),
        cyclic_repetition(12, 4, field="real", seed=2),
        reed_solomon(11, 3, field="real"),
        reed_solomon(10, 2, m=2, field="real"),
        fractional_repetition(9, 2, field="real"),
    ],
    ids=repr,
)
def test_real_engine_matches_per_pattern_svd(code: Code) -> None:
    size = code.n - code.s
    conds, residuals = _per_pattern_svd(code, size)
    report = verify(code, all_failures=True)
    assert report.worst_condition_number is not None and report.max_residual is not None
    assert math.isclose(report.worst_condition_number, conds.max(), rel_tol=1e-9)
    noise = _rounding_level(conds.max())
    assert math.isclose(report.max_residual, residuals.max(), rel_tol=1e-9, abs_tol=noise)
    # symmetric codes have ties up to rounding: the reported set must attain the maximum
    assert report.worst_condition_set is not None
    at_worst = conds[rank_combination(report.worst_condition_set, code.n)]
    assert math.isclose(at_worst, conds.max(), rel_tol=1e-9)
    assert report.failures_found == int(np.sum(residuals > report.tolerance))
    _assert_real_close(_report(code), _report(code, backend="numpy"))


def test_real_engine_reports_the_first_failure_like_the_reference() -> None:
    code = cyclic_repetition(10, 3, field="real", seed=4)
    enc = code.encoding.copy()
    enc[6, 6] += 0.25
    bad = code.with_encoding(enc)
    conds, residuals = _per_pattern_svd(bad, 7)
    first = int(np.argmax(residuals > 1e-8))
    fast, reference = _report(bad), _report(bad, backend="numpy")
    _assert_real_close(fast, reference)
    assert fast["patterns_checked"] == first + 1
    assert fast["failing_set"] == list(unrank_combination(first, 10, 7))
    assert math.isclose(fast["worst_condition_number"], conds[: first + 1].max(), rel_tol=1e-9)


def test_batched_real_report_is_chunked_and_matches_svd_route() -> None:
    rng = np.random.default_rng(0)
    blocks = rng.standard_normal((300, 5, 9))
    blocks[::7, 4] = blocks[::7, 3]  # rank-deficient patterns take the SVD route
    blocks[1::7, 4] = blocks[1::7, 3] + 1e-9 * rng.standard_normal(9)  # ill-conditioned: SVD route too
    target = np.ones((1, 9))
    fast = batched_real_report(blocks, target)
    slow = batched_real_report(blocks, target, method="svd")
    assert np.array_equal(fast.rank, slow.rank)
    np.testing.assert_allclose(fast.condition, slow.condition, rtol=1e-9)
    np.testing.assert_allclose(fast.residual, slow.residual, rtol=1e-9, atol=1e-12)
    assert REAL is not None


# ---------------------------------------------------------------------------------------------------------
# executors
# ---------------------------------------------------------------------------------------------------------
def _corrupted_rs(field: str) -> Code:
    code = reed_solomon(11, 3, field=field)
    enc = code.encoding.copy()
    enc[7, 7] = enc[7, 7] * 3 if code.is_real else enc[7, 7] * code.field(3)
    return code.with_encoding(enc)


@pytest.mark.parametrize("field", ["GF(65537)", "real"])
def test_thread_executor_gives_identical_reports(field: str) -> None:
    for code in (reed_solomon(11, 3, field=field), _corrupted_rs(field)):
        for all_failures in (False, True):
            expected = _report(code, all_failures=all_failures)
            with ThreadPoolExecutor(max_workers=3) as pool:
                got = _report(code, all_failures=all_failures, executor=pool, unit_size=13)
            assert got == expected


def test_process_executor_gives_identical_reports() -> None:
    code = _corrupted_rs("GF(2^8)")
    expected = _report(code)
    with ProcessPoolExecutor(max_workers=2) as pool:
        assert _report(code, executor=pool, unit_size=17) == expected


def test_dask_executor_gives_identical_reports() -> None:
    distributed = pytest.importorskip("distributed")
    code = _corrupted_rs("GF(65537)")
    expected = _report(code)
    expected_all = _report(code, all_failures=True)
    with distributed.LocalCluster(
        processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        executor = client.get_executor()
        assert _report(code, executor=executor, unit_size=11, all_failures=True) == expected_all
        assert _report(code, executor=executor, unit_size=11) == expected


# ---------------------------------------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------------------------------------
def test_cli_all_failures_and_quiet(tmp_path: object) -> None:
    bad = _corrupted_rs("GF(65537)")
    runner = CliRunner()
    result = runner.invoke(cli, ["verify", "-", "--json", "--all-failures"], input=dumps(bad))
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["failures_found"] == len(_galois_failures(bad, 8))
    assert report["patterns_checked"] == math.comb(11, 8)
    assert result.stderr == ""
    quiet = runner.invoke(cli, ["verify", "-", "--quiet"], input=dumps(bad))
    assert quiet.exit_code == 1
    assert "failing surviving set" in quiet.stdout
    assert quiet.stderr == ""
    counted = runner.invoke(cli, ["verify", "-", "--quiet", "--all-failures"], input=dumps(bad))
    assert f"{report['failures_found']} of {math.comb(11, 8)} surviving sets fail" in counted.stdout


def test_cli_bad_scheduler_is_one_line_exit_2() -> None:
    code = reed_solomon(6, 1, field="GF(7)")
    result = CliRunner().invoke(
        cli, ["verify", "-", "--scheduler", "tcp://127.0.0.1:9", "--jobs", "2"], input=dumps(code)
    )
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1


def test_cli_jobs_gives_the_same_report() -> None:
    bad = _corrupted_rs("GF(65537)")
    runner = CliRunner()
    one = runner.invoke(cli, ["verify", "-", "--json"], input=dumps(bad))
    two = runner.invoke(cli, ["verify", "-", "--json", "--jobs", "2"], input=dumps(bad))
    assert one.exit_code == two.exit_code == 1
    first, second = json.loads(one.stdout), json.loads(two.stdout)
    first.pop("seconds")
    second.pop("seconds")
    assert first == second


def test_progress_reporter_announces_an_estimate_and_stays_silent_for_short_runs() -> None:
    import io
    import time

    from gcli.progress import ProgressReporter

    stream = io.StringIO()
    quick = ProgressReporter(delay=3600.0, stream=stream)
    quick(0, 100)
    quick(50, 100)
    quick(100, 100)
    quick.close()
    assert stream.getvalue() == ""
    slow = ProgressReporter(delay=0.0, stream=stream, settle=0.005)
    slow(0, 1000)
    time.sleep(0.01)
    slow(10, 1000)
    slow(1000, 1000)
    slow.close()
    text = stream.getvalue()
    assert "checking 1,000 surviving sets: about" in text
    assert "patterns/s" in text
    settling = io.StringIO()
    early = ProgressReporter(delay=0.0, stream=settling, settle=3600.0)
    early(0, 1000)
    early(10, 1000)  # no estimate before the rate has settled
    early.close()
    assert settling.getvalue() == ""


@pytest.mark.parametrize("field", ["GF(2147483647)", "GF(2147483659)"])
def test_large_primes_kernel_and_numpy_fallback(field: str) -> None:
    # 2^31 − 1 is the largest prime the int64 kernel takes; 2^31 + 11 goes through the numpy fallback
    code = _random_code(field, 7, 4, 1, 2, 1.0, 11)  # dense: every worker holds every partition
    enc = code.encoding.copy()
    enc[3] = enc[1]
    enc[5] = enc[1]  # sets holding rows 1, 3 and 5 have rank ≤ 3 < k and fail
    bad = code.with_encoding(enc)
    expected = [list(f) for f in _galois_failures(bad, 5)]
    fast = _report(bad, all_failures=True)
    assert fast == _report(bad, all_failures=True, backend="numpy")
    assert fast["failures_found"] == len(expected)
    assert expected
    assert fast["failing_set"] == expected[0]


def test_batched_real_report_more_rows_than_columns() -> None:
    rng = np.random.default_rng(1)
    blocks = rng.standard_normal((40, 7, 4))
    target = np.ones((2, 4))
    fast = batched_real_report(blocks, target)
    slow = batched_real_report(blocks, target, method="svd")
    assert np.array_equal(fast.rank, slow.rank)
    np.testing.assert_allclose(fast.condition, slow.condition, rtol=1e-12)
    np.testing.assert_allclose(fast.residual, slow.residual, atol=1e-12)


@pytest.mark.parametrize("field", ["GF(65537)", "GF(2^8)", "real"])
def test_adversaries_and_straggler_overrides(field: str) -> None:
    # n − s − 2a responders: a = 1 adversary with s = 1 straggler on an RS code built for s = 3
    code = reed_solomon(10, 3, field=field)
    for s, a in ((1, 1), (0, 1), (3, 0), (4, 0)):
        fast = _report(code, stragglers=s, adversaries=a, all_failures=True)
        reference = _report(code, stragglers=s, adversaries=a, all_failures=True, backend="numpy")
        if code.is_real:
            _assert_real_close(fast, reference)
        else:
            assert fast == reference
        assert fast["surviving_size"] == 10 - s - 2 * a
    assert not verify(code, stragglers=4).decodable  # d = 4 < s + 1 = 5: some 6-sets miss a partition


def test_budget_refusal_is_one_line_with_an_estimate() -> None:
    code = reed_solomon(12, 4, field="GF(65537)")
    result = CliRunner().invoke(cli, ["verify", "-", "--budget", "10"], input=dumps(code))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "patterns/s" in result.stderr and "--sample N or --force" in result.stderr


@pytest.mark.parametrize("order", [4, 9, 16, 27, 125, 243, 256, 2**12])
def test_element_powers_match_galois(order: int) -> None:
    """The engine's exp tables (companion-matrix powers, no galois JIT) against galois' own powers."""
    import galois

    from gcli.fields.arithmetic import element_powers

    field = galois.GF(order)
    mine = element_powers(int(field.characteristic), int(field.degree), int(field.irreducible_poly),
                          int(field.primitive_element), order - 1)
    reference = (field.primitive_element ** np.arange(order - 1)).view(np.ndarray)
    assert np.array_equal(mine, reference)
    assert len(set(mine.tolist())) == order - 1


@pytest.mark.parametrize("threads", [0, 1])
def test_each_sampled_set_is_walked_once_without_executor_or_display(monkeypatch, threads):
    """A pass with neither an executor nor a progress display walks each set once (no warm-up unit walking the
    first sets a second time); with an executor the warm-up still loads the kernels first. The report is the
    same. Spy on the engine's real units: a real code with C(40, 36) ≥ the walk threshold, 20 sampled sets."""
    from gcli.certification import engine
    from gcli.certification.verification import run_pass

    code = fractional_repetition(40, 4)
    walked: list[int] = []
    real = engine._run_real
    monkeypatch.setattr(engine, "_run_real", lambda task, unit: walked.append(unit.count) or real(task, unit))
    executor = ThreadPoolExecutor(1) if threads else None
    try:
        run = run_pass(code, sample=20, seed=3, all_failures=True, executor=executor)
    finally:
        if executor is not None:
            executor.shutdown()
    assert run.checked == 20 and run.failures == 0
    assert sum(walked) == (40 if threads else 20)
